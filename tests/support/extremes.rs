//! The settings the hardening issue asks every lesson to survive: each
//! parameter at the two ends of what it allows, and one value just outside.
//! Shared by `tests/extremes.rs` and `benches/extremes.rs`.

use learndeck::lessons::REGISTRY;

/// One run to try: a lesson, one of its keys and the text typed for it.
pub struct Case {
    pub lesson: &'static str,
    pub key: &'static str,
    pub text: String,
    /// Whether the value is outside what the key allows (so must be refused).
    pub outside: bool,
}

impl Case {
    /// `lesson.key=value`, with a long value cut short.
    pub fn name(&self) -> String {
        const SHOWN: usize = 40;
        let length = self.text.chars().count();
        let value = if length <= SHOWN {
            self.text.clone()
        } else {
            let start: String = self.text.chars().take(SHOWN).collect();
            format!("{start}… ({length} characters)")
        };
        format!("{}.{}={value}", self.lesson, self.key)
    }
}

/// Every lesson's every parameter at its low end, its high end and outside.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for entry in REGISTRY {
        for spec in entry.defaults().specs() {
            let [low, high] = spec.kind.boundaries();
            for (text, outside) in [
                (low, false),
                (high, false),
                (spec.kind.outside_example(), true),
            ] {
                cases.push(Case {
                    lesson: entry.id,
                    key: spec.key,
                    text,
                    outside,
                });
            }
        }
    }
    cases
}
