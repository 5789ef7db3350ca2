//! A refused value, said with the key path of where it was found.

use std::fmt;

/// A bad value, with the key path of where it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamError {
    pub path: String,
    pub message: String,
}

impl ParamError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ParamError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = format!("{}: {}", self.path, self.message);
        f.write_str(&crate::error::one_line(&line))
    }
}

impl std::error::Error for ParamError {}

impl From<ParamError> for crate::error::UserError {
    fn from(err: ParamError) -> Self {
        crate::error::UserError::new(err.to_string())
    }
}
