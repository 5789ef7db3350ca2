//! Errors a user caused: one line on stderr, exit code 2.

use std::fmt;

/// The exit code for bad input (unknown lesson, bad value, unreadable file).
pub const EXIT_BAD_INPUT: i32 = 2;

/// Something the user gave us was wrong; the text names what and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct UserError(pub String);

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError(message.into())
    }

    /// The same error, said of a place: `config.toml: lesson.x.y: …`.
    pub fn within(self, place: &str) -> Self {
        UserError(format!("{place}: {}", self.0))
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&self.0))
    }
}

impl std::error::Error for UserError {}

/// The most characters of a user's value a message repeats; the rest is
/// counted, not shown, so a pasted 100 KB list gives a one-line refusal.
pub const ECHO_CHARS: usize = 60;
/// The longest message printed or shown, in characters: a refusal names the
/// key, a short echo and what is allowed, which always fits.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// Text a user gave, made safe to repeat in a message: control characters
/// are written as escapes (`\n`, `\e`, `\u{7}`), so nothing in it can break the
/// line or reach the terminal as a command, and a long value is cut to
/// `ECHO_CHARS` with its full length in bytes.
pub fn echo(text: &str) -> String {
    let length = text.chars().count();
    if length <= ECHO_CHARS {
        return escape_controls(text);
    }
    let start: String = text.chars().take(ECHO_CHARS).collect();
    format!("{}…({} bytes)", escape_controls(&start), text.len())
}

/// `text` with every control character written as an escape.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x1b' => out.push_str("\\e"),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// A message as one safe line of bounded length: the last guard before text
/// reaches stderr or the status line, whatever built it.
pub fn one_line(message: &str) -> String {
    let safe = escape_controls(message);
    if safe.chars().count() <= MAX_MESSAGE_CHARS {
        return safe;
    }
    let start: String = safe.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{start}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_long_values_cut() {
        assert_eq!(echo("x\ny"), "x\\ny");
        assert_eq!(echo("\x1b]0;pwned\x07"), "\\e]0;pwned\\u{7}");
        let long = "7,".repeat(50_000);
        let shown = echo(&long);
        assert!(shown.ends_with("…(100000 bytes)"), "{shown}");
        assert_eq!(
            shown.chars().count(),
            ECHO_CHARS + "…(100000 bytes)".chars().count()
        );
        assert_eq!(echo("漢字"), "漢字");
    }

    #[test]
    fn one_line_is_one_bounded_line() {
        let text = format!("a\nb{}", "z".repeat(5_000));
        let line = one_line(&text);
        assert!(!line.contains('\n'));
        assert!(line.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }
}
