//! Errors a user caused: one line on stderr, exit code 2.

use std::fmt;

use crate::lesson::ParamError;

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
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

impl From<ParamError> for UserError {
    fn from(err: ParamError) -> Self {
        UserError(err.to_string())
    }
}
