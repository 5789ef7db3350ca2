//! Key moments of a run. A lesson declares the kinds of moment it can raise
//! (on its entry, so `learndeck list` can name them without building it), and
//! after each step reports the ones that step raised. The shell marks them on
//! the step bar and jumps between them; `trace --events` prints them.

use crate::i18n::Tr;

/// A kind of moment a lesson can raise.
#[derive(Clone, Copy, Debug)]
pub struct EventKind {
    /// Kebab-case, as printed by `trace --events` and named in tours.
    pub id: &'static str,
    pub label: Tr,
    /// One line on why the moment matters.
    pub why: Tr,
    /// The kind of question (`Lesson::question`) quiz mode asks just before
    /// the moment, if it is worth predicting.
    pub ask: Option<&'static str>,
}

/// One moment raised by a step: its kind's id and a short detail
/// (`i=2,j=4`), the same in both languages since it is data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub kind: &'static str,
    pub detail: String,
}

impl Event {
    pub fn new(kind: &'static str, detail: impl Into<String>) -> Event {
        Event {
            kind,
            detail: detail.into(),
        }
    }
}

/// The kind named `id` among `kinds`.
pub fn kind<'a>(kinds: &'a [EventKind], id: &str) -> Option<&'a EventKind> {
    kinds.iter().find(|kind| kind.id == id)
}
