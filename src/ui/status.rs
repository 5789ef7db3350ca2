//! The status line and the footer of key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::truncate;
use unicode_width::UnicodeWidthStr;

use crate::action::{Action, Binding, EDIT_KEYS, GOTO_KEYS, KEYS, Key};
use crate::app::{App, Goto};

/// Separator between status fields.
const SEP: &str = " │ ";
/// Shown where the command that reproduces the run does not fit.
const COPY_HINT: &str = "y: copy command";

pub fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lesson = app.lesson();
    let steps = match lesson.total_steps() {
        Some(total) => format!("step {}/{total}", lesson.steps()),
        None => format!("step {}", lesson.steps()),
    };
    let state = if lesson.is_finished() {
        Span::styled("■ finished", theme.good)
    } else if app.playing {
        Span::styled("▶ playing", theme.good)
    } else {
        Span::styled("⏸ paused", theme.key)
    };
    let mut spans = vec![
        Span::styled(format!(" {}", app.tab().entry.id), theme.title),
        Span::styled(SEP, theme.dim),
        Span::styled(steps, theme.text),
        Span::styled(SEP, theme.dim),
        state,
        Span::styled(SEP, theme.dim),
        match app.reached_speed {
            Some(reached) => {
                Span::styled(format!("≈ {reached} steps/s of {}", app.speed), theme.error)
            }
            None => Span::styled(format!("{} steps/s", app.speed), theme.text),
        },
        Span::styled(SEP, theme.dim),
        Span::styled(format!("seed {}", app.tab().seed), theme.text),
        Span::styled(SEP, theme.dim),
        Span::styled(format!("rewind {}", lesson.rewind_depth()), theme.dim),
    ];
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + SEP.chars().count());
    // A notice outranks the reproducing command, which `y` can copy any time;
    // a command cut short would mislead, so a narrow line offers `y` instead.
    let tail = match &app.notice {
        Some(notice) if notice.is_error => Some((notice.text.clone(), theme.error)),
        Some(notice) => Some((notice.text.clone(), theme.key)),
        None => {
            let command = app.reproduce_command();
            [command, COPY_HINT.to_string()]
                .into_iter()
                .find(|text| text.chars().count() <= room)
                .map(|text| (text, theme.dim))
        }
    };
    if let Some((tail, style)) = tail.filter(|_| room > 0) {
        spans.push(Span::styled(SEP, theme.dim));
        spans.push(Span::styled(truncate(&tail, room), style));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// Key hints: the bindings the table marks for the footer, or the input line's keys.
/// A footer hint's spaces: one between key and word, two after the word.
const HINT_PADDING: usize = 3;

pub fn render_footer(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    // (key, word, always shown): the explanation (where narrow lessons put
    // their pseudocode), help and quit keep their place however narrow the
    // footer, since help lists everything else.
    let mut spans = vec![Span::raw(" ")];
    let hints: Vec<(String, &str, bool)> = if app.editor.is_some() {
        footer_words(EDIT_KEYS)
    } else if let Some(goto) = &app.goto {
        spans = goto_spans(app, goto);
        footer_words(GOTO_KEYS)
    } else {
        KEYS.iter()
            .filter_map(|binding| {
                let word = binding.footer?;
                let key = binding.keys.first().map(Key::label)?;
                let essential = matches!(
                    binding.action,
                    Action::ToggleExplain | Action::ToggleHelp | Action::Quit
                );
                Some((key, word, essential))
            })
            .collect()
    };
    let width_of = |key: &str, word: &str| key.width() + word.width() + HINT_PADDING;
    let reserved: usize = hints
        .iter()
        .filter(|h| h.2)
        .map(|(key, word, _)| width_of(key, word))
        .sum();
    let mut used = spans.iter().map(Span::width).sum::<usize>() + reserved;
    let mut tail = Vec::new();
    let mut full = false;
    for (key, word, essential) in hints {
        let width = width_of(&key, word);
        let hint = [
            Span::styled(key, theme.key),
            Span::styled(format!(" {word}  "), theme.dim),
        ];
        if essential {
            tail.extend(hint);
        } else if !full && used + width <= usize::from(area.width) {
            used += width;
            spans.extend(hint);
        } else {
            // The first hint that does not fit ends the row: no gaps.
            full = true;
        }
    }
    spans.extend(tail);
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// The footer words a table gives some of its bindings, keyed by each one's
/// first key.
fn footer_words<A>(table: &[Binding<A>]) -> Vec<(String, &'static str, bool)> {
    table
        .iter()
        .filter_map(|binding| {
            let word = binding.footer?;
            let key = binding.keys.first().map(Key::label)?;
            Some((key, word, false))
        })
        .collect()
}

/// The go-to prompt: what has been typed and the lessons it matches, the
/// first (what Enter opens) marked.
fn goto_spans(app: &App, goto: &Goto) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let mut spans = vec![
        Span::styled(" go to: ", theme.key),
        Span::styled(format!("{}▏ ", goto.typed), theme.text),
    ];
    if let Some(opened) = goto.opened {
        spans.push(Span::styled(
            format!("opened {}  ", app.tabs[opened].entry.id),
            theme.good,
        ));
    } else if let Some(c) = goto.no_match {
        spans.push(Span::styled(
            format!("no lesson id starts with {}{c}  ", goto.typed),
            theme.error,
        ));
    } else {
        for (n, at) in app.lessons_starting(&goto.typed).into_iter().enumerate() {
            let style = if n == 0 { theme.selected } else { theme.dim };
            spans.push(Span::styled(app.tabs[at].entry.id, style));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::raw(" "));
    }
    spans
}
