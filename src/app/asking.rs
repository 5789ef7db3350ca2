//! The question on screen, as the App keeps it (`ask.rs` moves it on).

use crate::i18n::Said;
use crate::lesson::Question;

/// A question on screen.
pub struct Asking {
    pub question: Question,
    /// What the learner has typed so far.
    pub typed: String,
    /// Right or wrong, once answered; the panel then shows the answer and why.
    pub right: Option<bool>,
    /// Why the last reply could not be read (not a number, say).
    pub unreadable: Option<Said>,
}

impl Asking {
    pub fn is_open(&self) -> bool {
        self.right.is_none()
    }
}
