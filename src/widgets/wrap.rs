//! Word wrapping that also suits Chinese: Latin words break at spaces, while a
//! line may break between any two wide (CJK) characters, which have no spaces,
//! except that closing punctuation never starts a line and an opening bracket
//! never ends one (as Chinese typesetting requires).
//!
//! Text can come in styled runs (`wrap_runs`): each character keeps its run's
//! tag through the wrapping, so emphasis or code may sit anywhere in a line.

use unicode_width::UnicodeWidthChar;

/// Wide punctuation that stays with the character before it.
const NO_LINE_START: &str = "，。、；：？！）」』》〉】…";
/// Wide brackets that stay with the character after them.
const NO_LINE_END: &str = "（「『《〈【";

/// A stretch of text whose characters keep `tag` (a style) through wrapping.
#[derive(Clone, Copy, Debug)]
pub struct Run<'a, T> {
    pub text: &'a str,
    pub tag: T,
    /// Its spaces and wide characters do not break a line (inline code): it
    /// moves to the next line whole, and is cut only when longer than a line.
    pub glued: bool,
}

/// One unit the wrapper will not split (unless it alone is wider than a line).
enum Token<T> {
    /// A space, tagged like the first whitespace it stands for.
    Space(T),
    Word(Vec<(char, T)>, usize),
}

fn ends_opened<T>(word: &[(char, T)]) -> bool {
    word.last().is_some_and(|&(l, _)| NO_LINE_END.contains(l))
}

fn tokens<T: Copy>(runs: &[Run<'_, T>]) -> Vec<Token<T>> {
    let mut out = Vec::new();
    let mut word: Vec<(char, T)> = Vec::new();
    let mut word_width = 0;
    let flush = |word: &mut Vec<(char, T)>, width: &mut usize, out: &mut Vec<Token<T>>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word), *width));
            *width = 0;
        }
    };
    let chars = runs
        .iter()
        .flat_map(|run| run.text.chars().map(move |c| (c, run.tag, run.glued)));
    for (c, tag, glued) in chars {
        let width = c.width().unwrap_or(0);
        if glued {
            word.push((c, tag));
            word_width += width;
        } else if c.is_whitespace() {
            flush(&mut word, &mut word_width, &mut out);
            // A run of whitespace is one space.
            if !matches!(out.last(), Some(Token::Space(_))) {
                out.push(Token::Space(tag));
            }
        } else if width > 1 && NO_LINE_START.contains(c) {
            if !word.is_empty() {
                word.push((c, tag));
                word_width += width;
                flush(&mut word, &mut word_width, &mut out);
            } else if let Some(Token::Word(last, last_width)) = out.last_mut() {
                last.push((c, tag));
                *last_width += width;
            } else {
                out.push(Token::Word(vec![(c, tag)], width));
            }
        } else if width > 1 && NO_LINE_END.contains(c) {
            // An opening bracket waits for what it opens (so do several).
            if !ends_opened(&word) {
                flush(&mut word, &mut word_width, &mut out);
            }
            word.push((c, tag));
            word_width += width;
        } else if width > 1 {
            if !ends_opened(&word) {
                flush(&mut word, &mut word_width, &mut out);
            }
            word.push((c, tag));
            word_width += width;
            flush(&mut word, &mut word_width, &mut out);
        } else {
            word.push((c, tag));
            word_width += width;
        }
    }
    flush(&mut word, &mut word_width, &mut out);
    out
}

/// `text` as lines of at most `width` display columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let run = Run {
        text,
        tag: (),
        glued: false,
    };
    wrap_runs(&[run], width)
        .into_iter()
        .map(|line| line.into_iter().map(|(piece, ())| piece).collect())
        .collect()
}

/// `runs` as lines of at most `width` display columns, each line a list of
/// pieces with their runs' tags (neighbouring pieces of one tag joined).
pub fn wrap_runs<T: Copy + PartialEq>(runs: &[Run<'_, T>], width: usize) -> Vec<Vec<(String, T)>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line: Vec<(char, T)> = Vec::new();
    let mut used = 0;
    let mut space = None;
    for token in tokens(runs) {
        let (word, word_width) = match token {
            Token::Space(tag) => {
                space = (used > 0).then_some(tag);
                continue;
            }
            Token::Word(word, w) => (word, w),
        };
        let gap = space.take();
        if used > 0 && used + usize::from(gap.is_some()) + word_width > width {
            lines.push(pieces(std::mem::take(&mut line)));
            used = 0;
        } else if let Some(tag) = gap {
            line.push((' ', tag));
            used += 1;
        }
        if word_width <= width - used {
            line.extend(word);
            used += word_width;
            continue;
        }
        // A word longer than a whole line: cut it where the line ends.
        for (c, tag) in word {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                lines.push(pieces(std::mem::take(&mut line)));
                used = 0;
            }
            line.push((c, tag));
            used += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(pieces(line));
    }
    lines
}

/// Characters with their tags as pieces of text, one per stretch of a tag.
fn pieces<T: PartialEq>(chars: Vec<(char, T)>) -> Vec<(String, T)> {
    let mut out: Vec<(String, T)> = Vec::new();
    for (c, tag) in chars {
        match out.last_mut() {
            Some((text, last)) if *last == tag => text.push(c),
            _ => out.push((c.to_string(), tag)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn latin_breaks_at_spaces() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
    }

    #[test]
    fn chinese_breaks_between_characters() {
        let lines = wrap("有 n 件物品，每件有重量和价值", 10);
        assert_eq!(lines[0], "有 n 件物");
        for line in &lines {
            assert!(line.width() <= 10, "{line}");
        }
        assert_eq!(
            lines.concat().replace(' ', ""),
            "有n件物品，每件有重量和价值"
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line_nor_an_opening_bracket_ends_one() {
        assert_eq!(wrap("可以，但需要", 4), vec!["可", "以，", "但需", "要"]);
        assert_eq!(wrap("数组（有序）", 6), vec!["数组", "（有", "序）"]);
        // After a Latin word too: "n；" is one unit.
        assert_eq!(wrap("需要 n；再", 6), vec!["需要", "n；再"]);
    }

    proptest::proptest! {
        #[test]
        fn chinese_lines_obey_the_punctuation_rules(
            units in proptest::collection::vec((0..6usize, 0..5usize), 0..40),
            width in 6..30usize,
        ) {
            // Characters, some closed by punctuation or opened by a bracket;
            // built so that every unbreakable unit fits a line.
            const HAN: [&str; 6] = ["有", "重", "量", "和", "价", "值"];
            let text: String = units
                .iter()
                .map(|&(han, mark)| match mark {
                    0 => format!("{}，", HAN[han]),
                    1 => format!("{}。", HAN[han]),
                    2 => format!("（{}）", HAN[han]),
                    _ => HAN[han].to_string(),
                })
                .collect();
            let lines = wrap(&text, width);
            for (at, line) in lines.iter().enumerate() {
                proptest::prop_assert!(line.width() <= width, "{line:?}");
                if at > 0 {
                    let first = line.chars().next();
                    proptest::prop_assert!(
                        !first.is_some_and(|c| NO_LINE_START.contains(c)),
                        "{lines:?}"
                    );
                }
                if at + 1 < lines.len() {
                    let last = line.chars().last();
                    proptest::prop_assert!(
                        !last.is_some_and(|c| NO_LINE_END.contains(c)),
                        "{lines:?}"
                    );
                }
            }
            proptest::prop_assert_eq!(
                lines.concat().replace(' ', ""),
                text.replace(' ', "")
            );
        }
    }

    #[test]
    fn tags_follow_their_characters_and_glued_runs_move_whole() {
        let runs = [
            Run {
                text: "set ",
                tag: 0,
                glued: false,
            },
            Run {
                text: "order = forward",
                tag: 1,
                glued: true,
            },
            Run {
                text: " now",
                tag: 0,
                glued: false,
            },
        ];
        let lines = wrap_runs(&runs, 18);
        assert_eq!(
            lines,
            vec![
                vec![("set".to_string(), 0)],
                vec![("order = forward".to_string(), 1)],
                vec![("now".to_string(), 0)],
            ]
        );
        let lines = wrap_runs(&runs, 19);
        assert_eq!(
            lines[0],
            vec![("set ".to_string(), 0), ("order = forward".to_string(), 1)]
        );
        // Longer than a line, a glued run is cut like any long word.
        let lines = wrap_runs(&runs[1..2], 6);
        assert_eq!(lines.len(), 3);
        // Wide characters in a glued run do not break either.
        let code = [Run {
            text: "甲乙丙",
            tag: 1,
            glued: true,
        }];
        assert_eq!(
            wrap_runs(&code, 4),
            vec![vec![("甲乙".to_string(), 1)], vec![("丙".to_string(), 1)]]
        );
    }

    #[test]
    fn long_words_are_cut() {
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), vec![""]);
    }
}
