//! The input line for typing a parameter's value: `tui-input` does the
//! editing (cursor, deletions); this adds what it lacks — the old value
//! opening *selected*, so that typing replaces it, and pastes inserted whole.
//! Nothing here draws; `ui::params` draws an `&Editor`.

use crate::i18n::Said;
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthChar;

use crate::action::{Deletion, EditAction, Motion};

/// The input line's state.
#[derive(Clone, Debug)]
pub struct Editor {
    /// Index of the parameter being edited.
    pub param: usize,
    input: Input,
    /// The whole pre-filled value is selected: the first character typed or
    /// pasted replaces it, Backspace or Delete clears it, and a cursor move
    /// keeps it and starts editing it. `tui-input` has no selection, and the
    /// only one we need is "all of the old value", so a flag is enough.
    selected: bool,
    /// Why the last attempt was refused.
    pub error: Option<Said>,
}

impl Editor {
    /// Opens on `value`, selected, with the cursor at its end.
    pub fn new(param: usize, value: String) -> Editor {
        Editor {
            param,
            input: Input::new(value),
            selected: true,
            error: None,
        }
    }

    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Applies an editing key; the keys that leave the line (Enter, Esc,
    /// Ctrl-C) and pastes are the App's. Any edit clears the last refusal,
    /// which was about the text before it.
    pub fn edit(&mut self, action: EditAction) {
        match action {
            EditAction::Insert(c) => {
                if self.selected {
                    self.replace_all(String::new());
                }
                self.input.handle(InputRequest::InsertChar(c));
            }
            EditAction::Move(motion) => {
                self.selected = false;
                self.input.handle(match motion {
                    Motion::Left => InputRequest::GoToPrevChar,
                    Motion::Right => InputRequest::GoToNextChar,
                    Motion::Home => InputRequest::GoToStart,
                    Motion::End => InputRequest::GoToEnd,
                });
            }
            // Deleting a selection deletes all of it, as in any text field.
            EditAction::Delete(Deletion::Back | Deletion::Forward) if self.selected => {
                self.replace_all(String::new());
            }
            EditAction::Delete(deletion) => {
                self.selected = false;
                match deletion {
                    Deletion::Back => {
                        self.input.handle(InputRequest::DeletePrevChar);
                    }
                    Deletion::Forward => {
                        self.input.handle(InputRequest::DeleteNextChar);
                    }
                    Deletion::ToStart => {
                        self.input.handle(InputRequest::DeleteFromStart);
                    }
                    Deletion::ToEnd => {
                        self.input.handle(InputRequest::DeleteTillEnd);
                    }
                    Deletion::WordBack => self.delete_entry_back(),
                }
            }
            EditAction::Apply | EditAction::Cancel | EditAction::Quit | EditAction::Paste => {
                return;
            }
        }
        self.error = None;
    }

    /// Inserts pasted text at the cursor, or in place of the selected old
    /// value. Line breaks and tabs become spaces (so a pasted column of
    /// numbers is refused with a reason, not silently run together), other
    /// control characters are dropped, and the paste's own leading and
    /// trailing blanks — a copied list often ends in a newline — are trimmed.
    pub fn paste(&mut self, text: &str) {
        let clean = clean_paste(text);
        let start = if self.selected {
            0
        } else {
            self.input.cursor()
        };
        let value = if self.selected {
            clean.clone()
        } else {
            let text = self.input.value();
            let at = byte_of_char(text, start);
            let mut value = String::with_capacity(text.len() + clean.len());
            value.push_str(&text[..at]);
            value.push_str(&clean);
            value.push_str(&text[at..]);
            value
        };
        // One rebuild for the whole paste: `tui-input` inserts a character
        // at a time, each insert finding its byte offset and recounting the
        // value's characters, which makes a 100 KB paste quadratic.
        self.input = Input::new(value).with_cursor(start + clean.chars().count());
        self.selected = false;
        self.error = None;
    }

    fn replace_all(&mut self, value: String) {
        self.input = Input::new(value);
        self.selected = false;
    }

    /// Ctrl-W: deletes the list entry (or word) before the cursor, with the
    /// separators after it, as a shell's Ctrl-W deletes back to a blank.
    /// `tui-input`'s own word is Unicode's, in which `2,4,5,6,7` is one
    /// number (commas between digits join them), so its Ctrl-W would delete
    /// the whole list; here commas, colons and blanks separate words.
    fn delete_entry_back(&mut self) {
        let text = self.input.value();
        let cursor = self.input.cursor();
        let chars: Vec<char> = text.chars().take(cursor).collect();
        let mut start = chars.len();
        while start > 0 && is_separator(chars[start - 1]) {
            start -= 1;
        }
        while start > 0 && !is_separator(chars[start - 1]) {
            start -= 1;
        }
        if start == cursor {
            return;
        }
        let (from, to) = (byte_of_char(text, start), byte_of_char(text, cursor));
        let value = format!("{}{}", &text[..from], &text[to..]);
        self.input = Input::new(value).with_cursor(start);
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | ';')
}

/// The byte offset of character `n` of `text` (its length past the end).
fn byte_of_char(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(at, _)| at)
}

/// Pasted text made fit for one input line (see `Editor::paste`).
pub fn clean_paste(text: &str) -> String {
    text.trim()
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The first character to draw when a value is shown in `width` columns
/// with the cursor (before character `cursor`) in view: a long value
/// scrolls only as far as the cursor needs, so the start stays visible
/// while it can. The cursor's own cell counts (a space past the end).
pub fn scroll_start(text: &str, cursor: usize, width: usize) -> usize {
    let width_of = |c: char| c.width().unwrap_or(0);
    let before: Vec<usize> = text.chars().take(cursor).map(width_of).collect();
    let cursor_cell = text.chars().nth(cursor).map_or(1, |c| width_of(c).max(1));
    let mut used: usize = before.iter().sum::<usize>() + cursor_cell;
    let mut start = 0;
    while used > width && start < before.len() {
        used -= before[start];
        start += 1;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn editor(value: &str) -> Editor {
        Editor::new(0, value.to_string())
    }

    fn typed(editor: &mut Editor, text: &str) {
        for c in text.chars() {
            editor.edit(EditAction::Insert(c));
        }
    }

    #[test]
    fn the_old_value_opens_selected_with_the_cursor_at_its_end() {
        let e = editor("2,4,5,6,7");
        assert!(e.is_selected());
        assert_eq!(e.text(), "2,4,5,6,7");
        assert_eq!(e.cursor(), 9);
    }

    #[test]
    fn typing_replaces_the_selected_value() {
        let mut e = editor("2,4,5,6,7");
        typed(&mut e, "3,4,2");
        assert_eq!(e.text(), "3,4,2");
        assert!(!e.is_selected());
    }

    #[test]
    fn a_move_keeps_the_old_value_and_edits_it() {
        let mut e = editor("2,4,5,6,7");
        e.edit(EditAction::Move(Motion::Left));
        assert!(!e.is_selected());
        assert_eq!(e.cursor(), 8);
        typed(&mut e, "1");
        assert_eq!(e.text(), "2,4,5,6,17");
        e.edit(EditAction::Move(Motion::Home));
        typed(&mut e, "9,");
        assert_eq!(e.text(), "9,2,4,5,6,17");
        assert_eq!(e.cursor(), 2);
        e.edit(EditAction::Move(Motion::End));
        assert_eq!(e.cursor(), 12);
        e.edit(EditAction::Move(Motion::Right));
        assert_eq!(e.cursor(), 12, "stops at the end");
    }

    #[test]
    fn backspace_or_delete_on_the_selection_clears_it() {
        for deletion in [Deletion::Back, Deletion::Forward] {
            let mut e = editor("10");
            e.edit(EditAction::Delete(deletion));
            assert_eq!(e.text(), "");
            assert!(!e.is_selected());
        }
        let mut e = editor("10");
        e.edit(EditAction::Move(Motion::End));
        e.edit(EditAction::Delete(Deletion::Back));
        assert_eq!(e.text(), "1");
    }

    #[test]
    fn ctrl_u_deletes_to_the_start_and_ctrl_k_to_the_end() {
        let mut e = editor("2,4,5,6,7");
        e.edit(EditAction::Move(Motion::Left));
        e.edit(EditAction::Move(Motion::Left));
        e.edit(EditAction::Delete(Deletion::ToStart));
        assert_eq!(e.text(), ",7");
        assert_eq!(e.cursor(), 0);
        let mut e = editor("2,4,5,6,7");
        e.edit(EditAction::Move(Motion::Home));
        e.edit(EditAction::Move(Motion::Right));
        e.edit(EditAction::Delete(Deletion::ToEnd));
        assert_eq!(e.text(), "2");
        // Straight after opening, Ctrl-U clears the whole old value.
        let mut e = editor("2,4,5,6,7");
        e.edit(EditAction::Delete(Deletion::ToStart));
        assert_eq!(e.text(), "");
    }

    #[test]
    fn ctrl_w_deletes_the_entry_before_the_cursor() {
        let mut e = editor("2,4,5,6,17");
        e.edit(EditAction::Delete(Deletion::WordBack));
        assert_eq!(e.text(), "2,4,5,6,");
        e.edit(EditAction::Delete(Deletion::WordBack));
        assert_eq!(e.text(), "2,4,5,");
        let mut e = editor("pop,push:0,pushpop:4");
        e.edit(EditAction::Delete(Deletion::WordBack));
        assert_eq!(e.text(), "pop,push:0,pushpop:");
        e.edit(EditAction::Delete(Deletion::WordBack));
        assert_eq!(e.text(), "pop,push:0,");
        let mut e = editor("");
        e.edit(EditAction::Delete(Deletion::WordBack));
        assert_eq!(e.text(), "");
    }

    #[test]
    fn a_paste_replaces_the_selection_or_lands_at_the_cursor() {
        let mut e = editor("2,4,5,6,7");
        e.paste("3,4,2\n");
        assert_eq!(e.text(), "3,4,2");
        assert_eq!(e.cursor(), 5);
        e.edit(EditAction::Move(Motion::Home));
        e.edit(EditAction::Move(Motion::Right));
        e.paste(",8,9");
        assert_eq!(e.text(), "3,8,9,4,2");
        assert_eq!(e.cursor(), 5);
    }

    #[test]
    fn pasted_line_breaks_become_spaces_and_controls_vanish() {
        assert_eq!(clean_paste("1,2\r\n3\t4\n"), "1,2 3 4");
        assert_eq!(clean_paste("\u{1b}[31m5\u{7}"), "[31m5");
        assert_eq!(clean_paste("中文,ﬀ"), "中文,ﬀ");
    }

    #[test]
    fn an_edit_clears_the_last_refusal() {
        let mut e = editor("x");
        e.error = Some(Said::plain("refused"));
        e.edit(EditAction::Move(Motion::Left));
        assert_eq!(e.error, None);
        e.error = Some(Said::plain("refused"));
        e.paste("1");
        assert_eq!(e.error, None);
    }

    /// How long a 100 KB paste may take in this (unoptimised) test build; a
    /// character-at-a-time insert took minutes, the whole-string one takes
    /// about a millisecond.
    const PASTE_BOUND: Duration = Duration::from_secs(1);

    #[test]
    fn a_100_kb_paste_is_linear() {
        let list: Vec<String> = (0..20_000).map(|i| (i % 1000).to_string()).collect();
        let text = list.join(",");
        assert!(text.len() > 70_000);
        let mut e = editor("5,3,8");
        e.edit(EditAction::Move(Motion::Home));
        let started = Instant::now();
        e.paste(&text);
        e.paste(&text);
        let took = started.elapsed();
        assert!(took < PASTE_BOUND, "two pastes took {took:?}");
        assert_eq!(e.text().len(), 2 * text.len() + 5);
        assert_eq!(e.cursor(), 2 * text.chars().count());
    }

    #[test]
    fn a_long_value_scrolls_to_keep_the_cursor_in_view() {
        assert_eq!(scroll_start("12345", 5, 10), 0);
        // Ten characters and the cursor's cell in ten columns: one scrolls off.
        assert_eq!(scroll_start("0123456789", 10, 10), 1);
        assert_eq!(scroll_start("0123456789", 0, 4), 0);
        assert_eq!(scroll_start("0123456789", 6, 4), 3);
        // Wide characters count two columns each.
        assert_eq!(scroll_start("中文中文", 4, 5), 2);
        assert_eq!(scroll_start("", 0, 0), 0);
    }
}
