//! One parameter: its key, what it accepts, its default; parsing typed text
//! and TOML against it (the only validators), and nudging with ←/→.

use crate::error::echo;

use std::ops::RangeInclusive;

use super::choice::Choice;
use super::kind::ParamKind;
use super::value::{ParamValue, format_float};

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

/// Constructors that read like the sentence `learndeck list` prints:
/// `ParamSpec::int("capacity", 0..=10_000, 10).help("knapsack capacity")`.
impl ParamSpec {
    fn new(key: &'static str, kind: ParamKind, default: ParamValue) -> ParamSpec {
        ParamSpec {
            key,
            help: "",
            kind,
            default,
        }
    }

    /// A whole number in `range`; ←/→ move it by 1 (see `step`).
    pub fn int(key: &'static str, range: RangeInclusive<i64>, default: i64) -> ParamSpec {
        let (min, max) = range.into_inner();
        ParamSpec::new(
            key,
            ParamKind::Int { min, max, step: 1 },
            ParamValue::Int(default),
        )
    }

    /// A real number in `range`; ←/→ move it by a hundredth of the range
    /// (see `log_scale`).
    pub fn float(key: &'static str, range: RangeInclusive<f64>, default: f64) -> ParamSpec {
        let (min, max) = range.into_inner();
        ParamSpec::new(
            key,
            ParamKind::Float {
                min,
                max,
                log: false,
            },
            ParamValue::Float(default),
        )
    }

    /// On or off.
    pub fn flag(key: &'static str, default: bool) -> ParamSpec {
        ParamSpec::new(key, ParamKind::Bool, ParamValue::Bool(default))
    }

    /// One of the choices of `T`.
    pub fn choice<T: Choice>(key: &'static str, default: T) -> ParamSpec {
        ParamSpec::new(
            key,
            ParamKind::Choice(T::NAMES),
            ParamValue::Choice(default.name()),
        )
    }

    /// A list of different choices of `T`, as many as `entries` allows.
    pub fn choice_list<T: Choice>(
        key: &'static str,
        entries: RangeInclusive<usize>,
        default: &[T],
    ) -> ParamSpec {
        let (min_len, max_len) = entries.into_inner();
        ParamSpec::new(
            key,
            ParamKind::ChoiceList {
                options: T::NAMES,
                min_len,
                max_len,
            },
            ParamValue::ChoiceList(default.iter().map(|c| c.name()).collect()),
        )
    }

    /// A list of `entries` whole numbers, each in `each`.
    pub fn int_list(
        key: &'static str,
        entries: RangeInclusive<usize>,
        each: RangeInclusive<i64>,
        default: &[i64],
    ) -> ParamSpec {
        let (min_len, max_len) = entries.into_inner();
        let (min, max) = each.into_inner();
        ParamSpec::new(
            key,
            ParamKind::IntList {
                min_len,
                max_len,
                min,
                max,
            },
            ParamValue::IntList(default.to_vec()),
        )
    }

    /// A list of `entries` finite real numbers (see `allow_non_finite`).
    pub fn float_list(
        key: &'static str,
        entries: RangeInclusive<usize>,
        default: &[f64],
    ) -> ParamSpec {
        let (min_len, max_len) = entries.into_inner();
        ParamSpec::new(
            key,
            ParamKind::FloatList {
                min_len,
                max_len,
                finite: true,
            },
            ParamValue::FloatList(default.to_vec()),
        )
    }

    /// Free text of at most `max_chars` characters.
    pub fn text(key: &'static str, max_chars: usize, default: &str) -> ParamSpec {
        ParamSpec::new(
            key,
            ParamKind::Text { max_len: max_chars },
            ParamValue::Text(default.to_string()),
        )
    }

    /// The one line `learndeck list` and the parameter panel show.
    pub fn help(mut self, help: &'static str) -> ParamSpec {
        self.help = help;
        self
    }

    /// A whole number that ←/→ move by `by` instead of 1.
    pub fn step(mut self, by: i64) -> ParamSpec {
        if let ParamKind::Int { step, .. } = &mut self.kind {
            *step = by;
        }
        self
    }

    /// A real number that ←/→ multiply and divide instead of add to.
    pub fn log_scale(mut self) -> ParamSpec {
        if let ParamKind::Float { log, .. } = &mut self.kind {
            *log = true;
        }
        self
    }

    /// A list that may hold `inf`, `-inf` and `nan` (a lesson about them).
    pub fn allow_non_finite(mut self) -> ParamSpec {
        if let ParamKind::FloatList { finite, .. } = &mut self.kind {
            *finite = false;
        }
        self
    }
}

impl ParamSpec {
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
