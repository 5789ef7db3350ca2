//! Word wrapping that also suits Chinese: Latin words break at spaces, while a
//! line may break between any two wide (CJK) characters, which have no spaces.

use unicode_width::UnicodeWidthChar;

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
        } else if width > 1 {
            flush(&mut word, &mut word_width, &mut out);
            out.push(Token::Word(c.to_string(), width));
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
    fn long_words_are_cut() {
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), vec![""]);
    }
}
