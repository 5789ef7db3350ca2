//! What values a parameter accepts.

/// What values a parameter accepts.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamKind {
    /// An integer in `min..=max`; `←`/`→` move it by `step`.
    Int {
        min: i64,
        max: i64,
        step: i64,
    },
    /// A real number in `min..=max`; `log` nudges multiply instead of add.
    Float {
        min: f64,
        max: f64,
        log: bool,
    },
    Bool,
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
    /// A comma-separated list of integers.
    IntList {
        min_len: usize,
        max_len: usize,
        min: i64,
        max: i64,
    },
    /// A comma-separated list of real numbers; `inf`, `-inf` and `nan` only
    /// where `finite` is false (a lesson that studies them).
    FloatList {
        min_len: usize,
        max_len: usize,
        finite: bool,
    },
    /// A comma-separated list of distinct words, each one of `options`.
    ChoiceList {
        options: &'static [&'static str],
        min_len: usize,
        max_len: usize,
    },
    /// Free text up to `max_len` characters.
    Text {
        max_len: usize,
    },
}
