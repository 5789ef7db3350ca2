//! The settings the hardening issue asks every lesson to survive: each
//! parameter at the two ends of what it allows, and one value just outside.
//! Shared by `tests/extremes.rs` and `benches/extremes.rs`.

use learndeck::lesson::ParamKind;
use learndeck::lesson::param::format_float;
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
            let [low, high] = boundaries(&spec.kind);
            for (text, outside) in [
                (low, false),
                (high, false),
                (outside_example(&spec.kind), true),
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

/// The two ends of what this kind accepts, as text for `--set`: the
/// smallest (shortest list of the smallest entries, first choice) and the
/// largest. Float lists have no range, so their ends are ±f64::MAX, the
/// most absurd finite numbers a user can type.
pub fn boundaries(kind: &ParamKind) -> [String; 2] {
    let repeat = |item: &str, n: usize| vec![item; n].join(",");
    match kind {
        ParamKind::Int { min, max, .. } => [min.to_string(), max.to_string()],
        ParamKind::Float { min, max, .. } => [format_float(*min), format_float(*max)],
        ParamKind::Bool => ["false".to_string(), "true".to_string()],
        ParamKind::Choice(options) => [
            options.first().unwrap_or(&"").to_string(),
            options.last().unwrap_or(&"").to_string(),
        ],
        ParamKind::IntList {
            min_len,
            max_len,
            min,
            max,
        } => [
            repeat(&min.to_string(), *min_len),
            repeat(&max.to_string(), *max_len),
        ],
        ParamKind::FloatList {
            min_len, max_len, ..
        } => [
            repeat(&format_float(-f64::MAX), *min_len),
            repeat(&format_float(f64::MAX), *max_len),
        ],
        ParamKind::ChoiceList {
            options,
            min_len,
            max_len,
        } => [
            options[..(*min_len).min(options.len())].join(","),
            options[..(*max_len).min(options.len())].join(","),
        ],
        ParamKind::Text { max_len } => [String::new(), "x".repeat(*max_len)],
    }
}

/// A value just outside what this kind accepts, as typed text.
pub fn outside_example(kind: &ParamKind) -> String {
    match kind {
        ParamKind::Int { min, .. } => min.saturating_sub(1).to_string(),
        ParamKind::Float { min, .. } if *min > 0.0 => format_float(min / 2.0),
        ParamKind::Float { min, .. } => format_float(min - 1.0),
        ParamKind::Bool => "maybe".to_string(),
        ParamKind::Choice(_) | ParamKind::ChoiceList { .. } => "no_such_choice".to_string(),
        ParamKind::IntList { .. } | ParamKind::FloatList { .. } => "1,x".to_string(),
        ParamKind::Text { max_len } => "x".repeat(max_len + 1),
    }
}
