//! A refused value, said with the key path of where it was found.

use std::fmt;

use crate::error::one_line;
use crate::i18n::{Lang, Said};

/// A bad value, with the key path of where it was found and why, in both
/// languages: the command line says it in English, the dashboard in the
/// interface's language.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamError {
    pub path: String,
    pub message: Said,
}

impl ParamError {
    pub fn new(path: impl Into<String>, message: impl Into<Said>) -> Self {
        ParamError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The whole refusal, path included, in both languages.
    pub fn said(&self) -> Said {
        Said {
            en: self.text(Lang::En),
            zh: self.text(Lang::Zh),
        }
    }

    /// One line, in `lang`: `lesson.knapsack.capacity: …`.
    pub fn text(&self, lang: Lang) -> String {
        let separator = match lang {
            Lang::En => ": ",
            Lang::Zh => "：",
        };
        one_line(&format!(
            "{}{separator}{}",
            self.path,
            self.message.get(lang)
        ))
    }
}

/// English, for the command line.
impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for ParamError {}

impl From<ParamError> for crate::error::UserError {
    fn from(err: ParamError) -> Self {
        crate::error::UserError::new(err.to_string())
    }
}
