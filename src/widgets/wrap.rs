//! Word wrapping that also suits Chinese: Latin words break at spaces, while a
//! line may break between any two wide (CJK) characters, which have no spaces,
//! except that closing punctuation never starts a line and an opening bracket
//! never ends one (as Chinese typesetting requires).

use unicode_width::UnicodeWidthChar;

/// Wide punctuation that stays with the character before it.
const NO_LINE_START: &str = "，。、；：？！）」』》〉】…";
/// Wide brackets that stay with the character after them.
const NO_LINE_END: &str = "（「『《〈【";

/// One unit the wrapper will not split (unless it alone is wider than a line).
enum Token {
    Space,
    Word(String, usize),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut word_width = 0;
    let flush = |word: &mut String, width: &mut usize, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word), *width));
            *width = 0;
        }
    };
    for c in text.chars() {
        let width = c.width().unwrap_or(0);
        if c.is_whitespace() {
            flush(&mut word, &mut word_width, &mut out);
            out.push(Token::Space);
        } else if width > 1 && NO_LINE_START.contains(c) {
            if !word.is_empty() {
                word.push(c);
                word_width += width;
                flush(&mut word, &mut word_width, &mut out);
            } else if let Some(Token::Word(last, last_width)) = out.last_mut() {
                last.push(c);
                *last_width += width;
            } else {
                out.push(Token::Word(c.to_string(), width));
            }
        } else if width > 1 && NO_LINE_END.contains(c) {
            // An opening bracket waits for what it opens (so do several).
            let opened = word.chars().last().is_some_and(|l| NO_LINE_END.contains(l));
            if !opened {
                flush(&mut word, &mut word_width, &mut out);
            }
            word.push(c);
            word_width += width;
        } else if width > 1 {
            let opened = word.chars().last().is_some_and(|l| NO_LINE_END.contains(l));
            if !opened {
                flush(&mut word, &mut word_width, &mut out);
            }
            word.push(c);
            word_width += width;
            flush(&mut word, &mut word_width, &mut out);
        } else {
            word.push(c);
            word_width += width;
        }
    }
    flush(&mut word, &mut word_width, &mut out);
    out
}

/// `text` as lines of at most `width` display columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut space = false;
    for token in tokens(text) {
        let (word, word_width) = match token {
            Token::Space => {
                space = used > 0;
                continue;
            }
            Token::Word(word, w) => (word, w),
        };
        let gap = usize::from(space);
        space = false;
        if used > 0 && used + gap + word_width > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        } else if gap == 1 {
            line.push(' ');
            used += 1;
        }
        if word_width <= width - used {
            line.push_str(&word);
            used += word_width;
            continue;
        }
        // A word longer than a whole line: cut it where the line ends.
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
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
    fn long_words_are_cut() {
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), vec![""]);
    }
}
