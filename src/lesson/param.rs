//! Lesson parameters: what a key accepts, how a typed or configured value is
//! checked, and how `←`/`→` nudge it. One validator serves config.toml,
//! `--set` and the TUI's input line, so the three can never disagree.

use std::fmt;

use crate::error::echo;

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

impl ParamKind {
    /// The two ends of what this kind accepts, as text for `--set`: the
    /// smallest (shortest list of the smallest entries, first choice) and the
    /// largest. Float lists have no range, so their ends are ±f64::MAX, the
    /// most absurd finite numbers a user can type.
    pub fn boundaries(&self) -> [String; 2] {
        let repeat = |item: &str, n: usize| vec![item; n].join(",");
        match self {
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
    pub fn outside_example(&self) -> String {
        match self {
            ParamKind::Int { min, .. } => min.saturating_sub(1).to_string(),
            ParamKind::Float { min, .. } if *min > 0.0 => format_float(min / 2.0),
            ParamKind::Float { min, .. } => format_float(min - 1.0),
            ParamKind::Bool => "maybe".to_string(),
            ParamKind::Choice(_) | ParamKind::ChoiceList { .. } => "no_such_choice".to_string(),
            ParamKind::IntList { .. } | ParamKind::FloatList { .. } => "1,x".to_string(),
            ParamKind::Text { max_len } => "x".repeat(max_len + 1),
        }
    }
}

/// A parameter's value, already checked against its kind.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    Int(i64),
    Float(f64),
    Bool(bool),
    Choice(&'static str),
    IntList(Vec<i64>),
    FloatList(Vec<f64>),
    ChoiceList(Vec<&'static str>),
    Text(String),
}

/// Number of linear nudges that cross a float's whole range.
const FLOAT_NUDGES_PER_RANGE: f64 = 100.0;
/// Factor of one nudge on a log-scaled float.
const LOG_NUDGE_FACTOR: f64 = 1.25;

/// One parameter of a lesson (or of the `[ui]` table).
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSpec {
    pub key: &'static str,
    /// One line for the parameter panel's help and `learndeck list`.
    pub help: &'static str,
    pub kind: ParamKind,
    pub default: ParamValue,
}

impl ParamSpec {
    /// A real-number parameter in `min..=max` (nudged by factors when `log`).
    pub fn float(
        key: &'static str,
        help: &'static str,
        min: f64,
        max: f64,
        log: bool,
        default: f64,
    ) -> ParamSpec {
        ParamSpec {
            key,
            help,
            kind: ParamKind::Float { min, max, log },
            default: ParamValue::Float(default),
        }
    }

    /// Parses text typed by a user (`--set`, the input line).
    pub fn parse(&self, text: &str) -> Result<ParamValue, String> {
        let text = text.trim();
        match &self.kind {
            ParamKind::Int { .. } => {
                let n = parse_int(text).ok_or_else(|| {
                    format!(
                        "'{}' is not a whole number; allowed: {}",
                        echo(text),
                        self.allowed()
                    )
                })?;
                self.check_int(n)
            }
            ParamKind::Float { .. } => {
                let x: f64 = text.parse().map_err(|_| {
                    format!(
                        "'{}' is not a number; allowed: {}",
                        echo(text),
                        self.allowed()
                    )
                })?;
                self.check_float(x)
            }
            ParamKind::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "on" | "yes" | "1" => Ok(ParamValue::Bool(true)),
                "false" | "off" | "no" | "0" => Ok(ParamValue::Bool(false)),
                _ => Err(format!("'{}' is not true or false", echo(text))),
            },
            ParamKind::Choice(_) => self.check_choice(text),
            ParamKind::IntList { .. } => {
                self.check_list(self.text_entries(text, "a whole number", parse_int)?)
            }
            ParamKind::FloatList { .. } => {
                self.check_float_list(
                    self.text_entries(text, "a number", |item| item.parse().ok())?,
                )
            }
            ParamKind::ChoiceList { .. } => {
                let words: Vec<&str> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .collect();
                self.check_choice_list(&words)
            }
            ParamKind::Text { .. } => self.check_text(text),
        }
    }

    /// Checks a value read from a TOML file.
    pub fn from_toml(&self, value: &toml::Value) -> Result<ParamValue, String> {
        let wrong_type = || {
            format!(
                "expected {}, found the {} {}",
                self.allowed(),
                value.type_str(),
                echo(&value.to_string())
            )
        };
        match (&self.kind, value) {
            (ParamKind::Int { .. }, toml::Value::Integer(n)) => self.check_int(*n),
            (ParamKind::Float { .. }, toml::Value::Float(x)) => self.check_float(*x),
            (ParamKind::Float { .. }, toml::Value::Integer(n)) => self.check_float(*n as f64),
            (ParamKind::Bool, toml::Value::Boolean(b)) => Ok(ParamValue::Bool(*b)),
            (ParamKind::Choice(_), toml::Value::String(s)) => self.check_choice(s),
            (ParamKind::Text { .. }, toml::Value::String(s)) => self.check_text(s),
            (ParamKind::IntList { .. }, toml::Value::Array(items)) => {
                self.check_list(self.toml_entries(items, toml::Value::as_integer)?)
            }
            (ParamKind::FloatList { .. }, toml::Value::Array(items)) => {
                // A whole number is a number too.
                let float = |item: &toml::Value| match item {
                    toml::Value::Float(x) => Some(*x),
                    toml::Value::Integer(n) => Some(*n as f64),
                    _ => None,
                };
                self.check_float_list(self.toml_entries(items, float)?)
            }
            (ParamKind::ChoiceList { .. }, toml::Value::Array(items)) => {
                self.check_choice_list(&self.toml_entries(items, toml::Value::as_str)?)
            }
            // A list may also be written as one comma-separated string, as on the command line.
            (
                ParamKind::IntList { .. }
                | ParamKind::FloatList { .. }
                | ParamKind::ChoiceList { .. },
                toml::Value::String(s),
            ) => self.parse(s),
            _ => Err(wrong_type()),
        }
    }

    /// Each comma-separated entry of `text` through `read`; the first it
    /// refuses is named by its position, as `what` was expected.
    fn text_entries<T>(
        &self,
        text: &str,
        what: &str,
        read: impl Fn(&str) -> Option<T>,
    ) -> Result<Vec<T>, String> {
        if text.is_empty() {
            return Ok(Vec::new());
        }
        text.split(',')
            .map(str::trim)
            .enumerate()
            .map(|(at, item)| {
                read(item).ok_or_else(|| {
                    format!(
                        "entry {} '{}' is not {what}; allowed: {}",
                        at + 1,
                        echo(item),
                        self.allowed()
                    )
                })
            })
            .collect()
    }

    /// Each entry of a TOML array through `take`; the first of the wrong type
    /// is named by its position and type.
    fn toml_entries<'v, T>(
        &self,
        items: &'v [toml::Value],
        take: impl Fn(&'v toml::Value) -> Option<T>,
    ) -> Result<Vec<T>, String> {
        items
            .iter()
            .enumerate()
            .map(|(at, item)| {
                take(item).ok_or_else(|| {
                    format!(
                        "entry {} is the {} {}; allowed: {}",
                        at + 1,
                        item.type_str(),
                        echo(&item.to_string()),
                        self.allowed()
                    )
                })
            })
            .collect()
    }

    /// The value as TOML, for summaries and for checking config.toml's documented defaults.
    pub fn to_toml(value: &ParamValue) -> toml::Value {
        match value {
            ParamValue::Int(n) => toml::Value::Integer(*n),
            ParamValue::Float(x) => toml::Value::Float(*x),
            ParamValue::Bool(b) => toml::Value::Boolean(*b),
            ParamValue::Choice(s) => toml::Value::String((*s).to_string()),
            ParamValue::IntList(list) => {
                toml::Value::Array(list.iter().map(|n| toml::Value::Integer(*n)).collect())
            }
            ParamValue::FloatList(list) => {
                toml::Value::Array(list.iter().map(|x| toml::Value::Float(*x)).collect())
            }
            ParamValue::ChoiceList(words) => toml::Value::Array(
                words
                    .iter()
                    .map(|w| toml::Value::String((*w).to_string()))
                    .collect(),
            ),
            ParamValue::Text(s) => toml::Value::String(s.clone()),
        }
    }

    /// The value one nudge up (`dir > 0`) or down; `None` where nudging makes no
    /// sense (lists, text) and the user should type instead.
    pub fn nudge(&self, value: &ParamValue, dir: i32) -> Option<ParamValue> {
        match (&self.kind, value) {
            (ParamKind::Int { min, max, step }, ParamValue::Int(n)) => {
                let moved = if dir > 0 {
                    n.saturating_add(*step)
                } else {
                    n.saturating_sub(*step)
                };
                Some(ParamValue::Int(moved.clamp(*min, *max)))
            }
            (ParamKind::Float { min, max, log }, ParamValue::Float(x)) => {
                let moved = if *log {
                    if dir > 0 {
                        x * LOG_NUDGE_FACTOR
                    } else {
                        x / LOG_NUDGE_FACTOR
                    }
                } else {
                    let step = (max - min) / FLOAT_NUDGES_PER_RANGE;
                    if dir > 0 { x + step } else { x - step }
                };
                Some(ParamValue::Float(moved.clamp(*min, *max)))
            }
            (ParamKind::Bool, ParamValue::Bool(b)) => Some(ParamValue::Bool(!b)),
            (ParamKind::Choice(options), ParamValue::Choice(current)) => {
                let at = options.iter().position(|o| o == current).unwrap_or(0);
                let len = options.len();
                let next = if dir > 0 {
                    (at + 1) % len
                } else {
                    (at + len - 1) % len
                };
                Some(ParamValue::Choice(options[next]))
            }
            _ => None,
        }
    }

    /// What the parameter accepts, in words, for error messages and `list`.
    pub fn allowed(&self) -> String {
        match &self.kind {
            ParamKind::Int { min, max, .. } => format!("a whole number from {min} to {max}"),
            ParamKind::Float { min, max, log } => format!(
                "a number from {} to {}{}",
                format_float(*min),
                format_float(*max),
                if *log { " (log scale)" } else { "" }
            ),
            ParamKind::Bool => "true or false".to_string(),
            ParamKind::Choice(options) => format!("one of {}", options.join(", ")),
            ParamKind::IntList {
                min_len,
                max_len,
                min,
                max,
            } => format!(
                "a comma-separated list of {min_len} to {max_len} whole numbers, each from {min} to {max}"
            ),
            ParamKind::FloatList {
                min_len,
                max_len,
                finite: false,
            } => format!(
                "a comma-separated list of {min_len} to {max_len} numbers (inf, -inf and nan allowed)"
            ),
            ParamKind::FloatList {
                min_len,
                max_len,
                finite: true,
            } => format!("a comma-separated list of {min_len} to {max_len} finite numbers"),
            ParamKind::ChoiceList {
                options,
                min_len,
                max_len,
            } => format!(
                "a comma-separated list of {min_len} to {max_len} different words from {}",
                options.join(", ")
            ),
            ParamKind::Text { max_len } => format!("text of at most {max_len} characters"),
        }
    }

    fn check_int(&self, n: i64) -> Result<ParamValue, String> {
        if let ParamKind::Int { min, max, .. } = self.kind {
            if n < min {
                return Err(format!("{n} is below the minimum {min}"));
            }
            if n > max {
                return Err(format!("{n} is above the maximum {max}"));
            }
        }
        Ok(ParamValue::Int(n))
    }

    fn check_float(&self, x: f64) -> Result<ParamValue, String> {
        if let ParamKind::Float { min, max, .. } = self.kind {
            if !x.is_finite() {
                return Err(format!(
                    "{} is not a finite number; allowed: {}",
                    format_float(x),
                    self.allowed()
                ));
            }
            if x < min {
                return Err(format!(
                    "{} is below the minimum {}",
                    format_float(x),
                    format_float(min)
                ));
            }
            if x > max {
                return Err(format!(
                    "{} is above the maximum {}",
                    format_float(x),
                    format_float(max)
                ));
            }
        }
        Ok(ParamValue::Float(x))
    }

    fn check_choice(&self, text: &str) -> Result<ParamValue, String> {
        if let ParamKind::Choice(options) = self.kind
            && let Some(found) = options.iter().find(|o| o.eq_ignore_ascii_case(text))
        {
            return Ok(ParamValue::Choice(found));
        }
        Err(format!("'{}' is not {}", echo(text), self.allowed()))
    }

    fn check_list(&self, list: Vec<i64>) -> Result<ParamValue, String> {
        if let ParamKind::IntList {
            min_len,
            max_len,
            min,
            max,
        } = self.kind
        {
            if list.len() < min_len || list.len() > max_len {
                return Err(format!(
                    "{} entries, but {min_len} to {max_len} are allowed",
                    list.len()
                ));
            }
            for (at, &n) in list.iter().enumerate() {
                if n < min || n > max {
                    return Err(format!("entry {} is {n}, outside {min} to {max}", at + 1));
                }
            }
        }
        Ok(ParamValue::IntList(list))
    }

    fn check_float_list(&self, list: Vec<f64>) -> Result<ParamValue, String> {
        let ParamKind::FloatList {
            min_len,
            max_len,
            finite,
        } = self.kind
        else {
            return Ok(ParamValue::FloatList(list));
        };
        if list.len() < min_len || list.len() > max_len {
            return Err(format!(
                "{} entries, but {min_len} to {max_len} are allowed",
                list.len()
            ));
        }
        if finite && let Some(at) = list.iter().position(|x| !x.is_finite()) {
            return Err(format!(
                "entry {} is {}; allowed: {}",
                at + 1,
                format_float(list[at]),
                self.allowed()
            ));
        }
        Ok(ParamValue::FloatList(list))
    }

    fn check_choice_list(&self, words: &[&str]) -> Result<ParamValue, String> {
        let ParamKind::ChoiceList {
            options,
            min_len,
            max_len,
        } = self.kind
        else {
            return Err(format!("expected {}", self.allowed()));
        };
        if words.len() < min_len || words.len() > max_len {
            return Err(format!(
                "{} entries, but {min_len} to {max_len} are allowed",
                words.len()
            ));
        }
        let mut list: Vec<&'static str> = Vec::with_capacity(words.len());
        for (at, word) in words.iter().enumerate() {
            let Some(found) = options.iter().find(|o| o.eq_ignore_ascii_case(word)) else {
                return Err(format!(
                    "entry {} '{}' is not one of {}",
                    at + 1,
                    echo(word),
                    options.join(", ")
                ));
            };
            if list.contains(found) {
                return Err(format!(
                    "'{found}' is listed twice; allowed: {}",
                    self.allowed()
                ));
            }
            list.push(found);
        }
        Ok(ParamValue::ChoiceList(list))
    }

    fn check_text(&self, text: &str) -> Result<ParamValue, String> {
        if let ParamKind::Text { max_len } = self.kind
            && text.chars().count() > max_len
        {
            return Err(format!(
                "{} characters, but at most {max_len} are allowed",
                text.chars().count()
            ));
        }
        Ok(ParamValue::Text(text.to_string()))
    }
}

/// Accepts `1000`, `1_000` and `+5` as people write them.
fn parse_int(text: &str) -> Option<i64> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    cleaned.parse().ok()
}

/// Floats in Rust's shortest round-trip form (`{:?}`: `0.1`, `2.0`, `1e-10`,
/// `7.5e92`); non-finite as `inf`, `-inf`, `nan`.
pub fn format_float(x: f64) -> String {
    if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{x:?}")
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Int(n) => write!(f, "{n}"),
            // Very small or large values read better, and type back the same, as 1e-8.
            ParamValue::Float(x) if *x != 0.0 && !(1e-4..1e9).contains(&x.abs()) => {
                write!(f, "{x:e}")
            }
            ParamValue::Float(x) => f.write_str(&format_float(*x)),
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Choice(s) => f.write_str(s),
            ParamValue::IntList(list) => {
                for (at, n) in list.iter().enumerate() {
                    if at > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{n}")?;
                }
                Ok(())
            }
            ParamValue::FloatList(list) => {
                let parts: Vec<String> = list.iter().map(|x| format_float(*x)).collect();
                f.write_str(&parts.join(","))
            }
            ParamValue::ChoiceList(words) => f.write_str(&words.join(",")),
            ParamValue::Text(s) => f.write_str(s),
        }
    }
}

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

/// The complete, checked parameter values of one lesson, in the order of its specs.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSet {
    lesson: &'static str,
    specs: Vec<ParamSpec>,
    values: Vec<ParamValue>,
}

impl ParamSet {
    /// Every parameter at its default.
    pub fn defaults(lesson: &'static str, specs: Vec<ParamSpec>) -> Self {
        let values = specs.iter().map(|s| s.default.clone()).collect();
        ParamSet {
            lesson,
            specs,
            values,
        }
    }

    pub fn lesson(&self) -> &'static str {
        self.lesson
    }

    pub fn specs(&self) -> &[ParamSpec] {
        &self.specs
    }

    pub fn values(&self) -> &[ParamValue] {
        &self.values
    }

    /// The config path of a key: `lesson.knapsack.capacity`.
    pub fn path(&self, key: &str) -> String {
        format!("lesson.{}.{key}", self.lesson)
    }

    /// Length of the longest key, for aligning lists of parameters.
    pub fn longest_key(&self) -> usize {
        self.specs.iter().map(|s| s.key.len()).max().unwrap_or(0)
    }

    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.specs.iter().position(|s| s.key == key)
    }

    fn index_or_error(&self, key: &str) -> Result<usize, ParamError> {
        self.index_of(key).ok_or_else(|| {
            let known: Vec<&str> = self.specs.iter().map(|s| s.key).collect();
            ParamError::new(
                self.path(&echo(key)),
                format!(
                    "unknown parameter; {} has {}",
                    self.lesson,
                    known.join(", ")
                ),
            )
        })
    }

    /// Sets one value from typed text (`--set key=value`, the input line).
    pub fn set_text(&mut self, key: &str, text: &str) -> Result<(), ParamError> {
        let at = self.index_or_error(key)?;
        let value = self.specs[at]
            .parse(text)
            .map_err(|m| ParamError::new(self.path(key), m))?;
        self.values[at] = value;
        Ok(())
    }

    /// Sets one value from a TOML file.
    pub fn set_toml(&mut self, key: &str, value: &toml::Value) -> Result<(), ParamError> {
        let at = self.index_or_error(key)?;
        let value = self.specs[at]
            .from_toml(value)
            .map_err(|m| ParamError::new(self.path(key), m))?;
        self.values[at] = value;
        Ok(())
    }

    /// Replaces the value at `at`; the caller got it from this set's own spec.
    pub fn set_index(&mut self, at: usize, value: ParamValue) {
        if let Some(slot) = self.values.get_mut(at) {
            *slot = value;
        }
    }

    pub fn get(&self, key: &str) -> Option<&ParamValue> {
        self.index_of(key).map(|at| &self.values[at])
    }

    /// Keys whose value differs from the default, in spec order.
    pub fn changed(&self) -> Vec<(&'static str, &ParamValue)> {
        self.specs
            .iter()
            .zip(&self.values)
            .filter(|(s, v)| s.default != **v)
            .map(|(s, v)| (s.key, v))
            .collect()
    }

    // The typed getters below are called by a lesson with its own keys, whose
    // kinds it declared itself: a miss is a bug in that lesson, never user input.

    pub fn int(&self, key: &str) -> i64 {
        match self.get(key) {
            Some(ParamValue::Int(n)) => *n,
            other => panic!(
                "lesson {} asked for int '{key}', has {other:?}",
                self.lesson
            ),
        }
    }

    pub fn float(&self, key: &str) -> f64 {
        match self.get(key) {
            Some(ParamValue::Float(x)) => *x,
            other => panic!(
                "lesson {} asked for float '{key}', has {other:?}",
                self.lesson
            ),
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        match self.get(key) {
            Some(ParamValue::Bool(b)) => *b,
            other => panic!(
                "lesson {} asked for bool '{key}', has {other:?}",
                self.lesson
            ),
        }
    }

    pub fn choice(&self, key: &str) -> &'static str {
        match self.get(key) {
            Some(ParamValue::Choice(s)) => s,
            other => panic!(
                "lesson {} asked for choice '{key}', has {other:?}",
                self.lesson
            ),
        }
    }

    pub fn int_list(&self, key: &str) -> &[i64] {
        match self.get(key) {
            Some(ParamValue::IntList(list)) => list,
            other => panic!(
                "lesson {} asked for list '{key}', has {other:?}",
                self.lesson
            ),
        }
    }

    pub fn float_list(&self, key: &str) -> &[f64] {
        match self.get(key) {
            Some(ParamValue::FloatList(list)) => list,
            other => panic!(
                "lesson {} asked for numbers '{key}', has {other:?}",
                self.lesson
            ),
        }
    }

    pub fn choice_list(&self, key: &str) -> &[&'static str] {
        match self.get(key) {
            Some(ParamValue::ChoiceList(list)) => list,
            other => panic!(
                "lesson {} asked for words '{key}', has {other:?}",
                self.lesson
            ),
        }
    }

    pub fn text(&self, key: &str) -> &str {
        match self.get(key) {
            Some(ParamValue::Text(s)) => s,
            other => panic!(
                "lesson {} asked for text '{key}', has {other:?}",
                self.lesson
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity() -> ParamSpec {
        ParamSpec {
            key: "capacity",
            help: "",
            kind: ParamKind::Int {
                min: 0,
                max: 10_000,
                step: 1,
            },
            default: ParamValue::Int(10),
        }
    }

    fn list() -> ParamSpec {
        ParamSpec {
            key: "weights",
            help: "",
            kind: ParamKind::IntList {
                min_len: 1,
                max_len: 3,
                min: 1,
                max: 9,
            },
            default: ParamValue::IntList(vec![1]),
        }
    }

    #[test]
    fn boundaries_are_accepted_and_the_outside_example_is_not() {
        let kinds = [
            capacity().kind,
            list().kind,
            ParamKind::Float {
                min: 1e-5,
                max: 1.0,
                log: true,
            },
            ParamKind::Float {
                min: 0.0,
                max: 0.999,
                log: false,
            },
            ParamKind::Bool,
            ParamKind::Choice(&["a", "b", "c"]),
            ParamKind::FloatList {
                min_len: 2,
                max_len: 4,
                finite: true,
            },
            ParamKind::ChoiceList {
                options: &["sgd", "adam", "adamw"],
                min_len: 1,
                max_len: 2,
            },
            ParamKind::Text { max_len: 5 },
        ];
        for kind in kinds {
            let spec = ParamSpec {
                key: "k",
                help: "",
                kind: kind.clone(),
                default: ParamValue::Bool(false),
            };
            let [low, high] = kind.boundaries();
            assert!(
                spec.parse(&low).is_ok(),
                "{kind:?} refused its low end '{low}'"
            );
            assert!(
                spec.parse(&high).is_ok(),
                "{kind:?} refused its high end '{high}'"
            );
            assert_ne!(low, high, "{kind:?}");
            let outside = kind.outside_example();
            assert!(
                spec.parse(&outside).is_err(),
                "{kind:?} accepted '{outside}'"
            );
        }
    }

    #[test]
    fn int_bounds_name_the_limit() {
        assert_eq!(
            capacity().parse("-3"),
            Err("-3 is below the minimum 0".into())
        );
        assert_eq!(
            capacity().parse("10001"),
            Err("10001 is above the maximum 10000".into())
        );
        assert_eq!(capacity().parse(" 1_000 "), Ok(ParamValue::Int(1000)));
        assert!(
            capacity()
                .parse("ten")
                .unwrap_err()
                .contains("not a whole number")
        );
    }

    #[test]
    fn lists_check_length_and_each_entry() {
        assert_eq!(
            list().parse("1, 2,3"),
            Ok(ParamValue::IntList(vec![1, 2, 3]))
        );
        assert!(list().parse("").unwrap_err().contains("0 entries"));
        assert!(list().parse("1,2,3,4").unwrap_err().contains("4 entries"));
        assert!(list().parse("1,0").unwrap_err().contains("entry 2 is 0"));
        assert!(list().parse("1,x").unwrap_err().contains("entry 2 'x'"));
    }

    #[test]
    fn toml_types_are_checked() {
        let err = capacity()
            .from_toml(&toml::Value::String("7".into()))
            .unwrap_err();
        assert!(err.contains("expected a whole number"), "{err}");
        assert_eq!(
            list().from_toml(&toml::Value::Array(vec![toml::Value::Integer(4)])),
            Ok(ParamValue::IntList(vec![4]))
        );
    }

    #[test]
    fn nudges_stay_in_range_and_cycle_choices() {
        assert_eq!(
            capacity().nudge(&ParamValue::Int(0), -1),
            Some(ParamValue::Int(0))
        );
        let mode = ParamSpec {
            key: "mode",
            help: "",
            kind: ParamKind::Choice(&["2d", "1d"]),
            default: ParamValue::Choice("2d"),
        };
        assert_eq!(
            mode.nudge(&ParamValue::Choice("1d"), 1),
            Some(ParamValue::Choice("2d"))
        );
        assert_eq!(mode.parse("1D"), Ok(ParamValue::Choice("1d")));
        assert_eq!(list().nudge(&ParamValue::IntList(vec![1]), 1), None);
    }

    #[test]
    fn word_lists_are_checked_word_by_word() {
        let spec = ParamSpec {
            key: "optimizers",
            help: "",
            kind: ParamKind::ChoiceList {
                options: &["sgd", "adam"],
                min_len: 1,
                max_len: 2,
            },
            default: ParamValue::ChoiceList(vec!["adam"]),
        };
        assert_eq!(
            spec.parse("Adam, sgd"),
            Ok(ParamValue::ChoiceList(vec!["adam", "sgd"]))
        );
        let twice = spec.parse("adam,adam").unwrap_err();
        assert!(
            twice.contains("twice") && twice.contains("different words from sgd, adam"),
            "{twice}"
        );
        assert!(
            spec.parse("rmsprop")
                .unwrap_err()
                .contains("not one of sgd, adam")
        );
        assert!(spec.parse("").unwrap_err().contains("0 entries"));
    }

    #[test]
    fn float_lists_refuse_non_finite_entries_only_when_asked() {
        let list = |finite| ParamSpec {
            key: "means",
            help: "",
            kind: ParamKind::FloatList {
                min_len: 1,
                max_len: 4,
                finite,
            },
            default: ParamValue::FloatList(vec![0.0]),
        };
        // NaN is not equal to itself, so compare the printed form.
        let studied = list(false).parse("1,nan,-inf").map(|v| v.to_string());
        assert_eq!(studied.as_deref(), Ok("1.0,nan,-inf"));
        let err = list(true).parse("1,2,inf").expect_err("inf refused");
        assert!(err.starts_with("entry 3 is inf"), "{err}");
        let toml_list = toml::Value::Array(vec![toml::Value::Float(f64::NAN)]);
        assert!(list(true).from_toml(&toml_list).is_err());
        assert!(list(false).from_toml(&toml_list).is_ok());
    }

    #[test]
    fn unknown_key_lists_the_known_ones() {
        let mut set = ParamSet::defaults("knapsack", vec![capacity()]);
        let err = set.set_text("cap", "3").unwrap_err();
        assert_eq!(err.path, "lesson.knapsack.cap");
        assert!(err.message.contains("capacity"));
    }

    #[test]
    fn floats_print_shortest_and_non_finite_names() {
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(7.5e92), "7.5e92");
        assert_eq!(format_float(2.0), "2.0");
        assert_eq!(format_float(f64::NAN), "nan");
        assert_eq!(format_float(f64::NEG_INFINITY), "-inf");
    }
}
