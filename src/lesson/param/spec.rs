//! One parameter: its key, what it accepts, its default; parsing typed text
//! and TOML against it (the only validators), and nudging with ←/→.

use crate::error::echo;
use crate::i18n::{Said, Tr};
use crate::{said, tr};

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
    pub help: Tr,
    pub kind: ParamKind,
    pub default: ParamValue,
    /// When the parameter matters: `None` always; else only when this holds
    /// of the whole set (custom means only for `target = custom`). The
    /// panel marks the others "not in use".
    pub used_when: Option<UsedWhen>,
}

/// A parameter's current value by key: a parameter set as a spec sees it
/// (the set holds the specs, so a spec does not name the set's type).
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<ParamValue>;

/// A test on the other parameters' values: whether some parameter is in use.
#[derive(Clone, Copy)]
pub struct UsedWhen(pub fn(Lookup<'_>) -> bool);

/// Whether choice parameter `key` is set to `choice`: the usual test.
pub fn chosen<T: Choice>(get: Lookup<'_>, key: &str, choice: T) -> bool {
    get(key) == Some(ParamValue::Choice(choice.name()))
}

impl std::fmt::Debug for UsedWhen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UsedWhen(..)")
    }
}

/// Two tests are never compared by address (that is not stable); specs
/// compare equal whatever their tests are.
impl PartialEq for UsedWhen {
    fn eq(&self, _: &UsedWhen) -> bool {
        true
    }
}

/// Constructors that read like the sentence `learndeck list` prints:
/// `ParamSpec::int("capacity", 0..=10_000, 10).help(tr!("knapsack capacity", "背包容量"))`.
impl ParamSpec {
    fn new(key: &'static str, kind: ParamKind, default: ParamValue) -> ParamSpec {
        ParamSpec {
            key,
            help: Tr::new("", ""),
            kind,
            default,
            used_when: None,
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
    pub fn help(mut self, help: Tr) -> ParamSpec {
        self.help = help;
        self
    }

    /// In use only where `test` holds of the other values (the panel marks
    /// it "unused" elsewhere); still validated and kept everywhere.
    pub fn used_when(mut self, test: fn(Lookup<'_>) -> bool) -> ParamSpec {
        self.used_when = Some(UsedWhen(test));
        self
    }

    /// Whether the parameter matters where `get` reads the values (see
    /// [`Self::used_when`]; `ParamSet::in_use` asks it of a set).
    pub fn in_use(&self, get: Lookup<'_>) -> bool {
        self.used_when.is_none_or(|UsedWhen(test)| test(get))
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
    pub fn parse(&self, text: &str) -> Result<ParamValue, Said> {
        let text = text.trim();
        let v = echo(text);
        let Said {
            en: allowed_en,
            zh: allowed_zh,
        } = self.allowed();
        match &self.kind {
            ParamKind::Int { .. } => {
                let n = parse_int(text).ok_or_else(|| {
                    said!(
                        "'{v}' is not a whole number; allowed: {allowed_en}",
                        "“{v}”不是整数；允许：{allowed_zh}"
                    )
                })?;
                self.check_int(n)
            }
            ParamKind::Float { .. } => {
                let x: f64 = text.parse().map_err(|_| {
                    said!(
                        "'{v}' is not a number; allowed: {allowed_en}",
                        "“{v}”不是数；允许：{allowed_zh}"
                    )
                })?;
                self.check_float(x)
            }
            ParamKind::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "on" | "yes" | "1" => Ok(ParamValue::Bool(true)),
                "false" | "off" | "no" | "0" => Ok(ParamValue::Bool(false)),
                _ => Err(said!(
                    "'{v}' is not true or false",
                    "“{v}”不是 true 或 false"
                )),
            },
            ParamKind::Choice(_) => self.check_choice(text),
            ParamKind::IntList { .. } => self.check_list(self.text_entries(
                text,
                tr!("a whole number", "整数"),
                parse_int,
            )?),
            ParamKind::FloatList { .. } => {
                self.check_float_list(
                    self.text_entries(text, tr!("a number", "数"), |item| item.parse().ok())?,
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
    pub fn from_toml(&self, value: &toml::Value) -> Result<ParamValue, Said> {
        let wrong_type = || {
            let Said {
                en: allowed_en,
                zh: allowed_zh,
            } = self.allowed();
            let (kind, v) = (value.type_str(), echo(&value.to_string()));
            said!(
                "expected {allowed_en}, found the {kind} {v}",
                "应为{allowed_zh}，却是 {kind} {v}"
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
        what: Tr,
        read: impl Fn(&str) -> Option<T>,
    ) -> Result<Vec<T>, Said> {
        if text.is_empty() {
            return Ok(Vec::new());
        }
        text.split(',')
            .map(str::trim)
            .enumerate()
            .map(|(at, item)| {
                read(item).ok_or_else(|| {
                    let (n, v) = (at + 1, echo(item));
                    let (what_en, what_zh) = (what.en, what.zh);
                    let Said {
                        en: allowed_en,
                        zh: allowed_zh,
                    } = self.allowed();
                    said!(
                        "entry {n} '{v}' is not {what_en}; allowed: {allowed_en}",
                        "第 {n} 项“{v}”不是{what_zh}；允许：{allowed_zh}"
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
    ) -> Result<Vec<T>, Said> {
        items
            .iter()
            .enumerate()
            .map(|(at, item)| {
                take(item).ok_or_else(|| {
                    let (n, kind, v) = (at + 1, item.type_str(), echo(&item.to_string()));
                    let Said {
                        en: allowed_en,
                        zh: allowed_zh,
                    } = self.allowed();
                    said!(
                        "entry {n} is the {kind} {v}; allowed: {allowed_en}",
                        "第 {n} 项是 {kind} {v}；允许：{allowed_zh}"
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
    pub fn allowed(&self) -> Said {
        match &self.kind {
            ParamKind::Int { min, max, .. } => said!(
                "a whole number from {min} to {max}",
                "{min} 到 {max} 之间的整数"
            ),
            ParamKind::Float { min, max, log } => {
                let (min, max) = (format_float(*min), format_float(*max));
                if *log {
                    said!(
                        "a number from {min} to {max} (log scale)",
                        "{min} 到 {max} 之间的数（对数刻度）"
                    )
                } else {
                    said!("a number from {min} to {max}", "{min} 到 {max} 之间的数")
                }
            }
            ParamKind::Bool => tr!("true or false", "true 或 false").into(),
            ParamKind::Choice(options) => {
                let options = options.join(", ");
                said!("one of {options}", "{options} 之一")
            }
            ParamKind::IntList {
                min_len,
                max_len,
                min,
                max,
            } => said!(
                "a comma-separated list of {min_len} to {max_len} whole numbers, each from {min} to {max}",
                "以逗号分隔的 {min_len} 到 {max_len} 个整数，每个在 {min} 到 {max} 之间"
            ),
            ParamKind::FloatList {
                min_len,
                max_len,
                finite: false,
            } => said!(
                "a comma-separated list of {min_len} to {max_len} numbers (inf, -inf and nan allowed)",
                "以逗号分隔的 {min_len} 到 {max_len} 个数（可含 inf、-inf 和 nan）"
            ),
            ParamKind::FloatList {
                min_len,
                max_len,
                finite: true,
            } => said!(
                "a comma-separated list of {min_len} to {max_len} finite numbers",
                "以逗号分隔的 {min_len} 到 {max_len} 个有限数"
            ),
            ParamKind::ChoiceList {
                options,
                min_len,
                max_len,
            } => {
                let options = options.join(", ");
                said!(
                    "a comma-separated list of {min_len} to {max_len} different words from {options}",
                    "以逗号分隔的 {min_len} 到 {max_len} 个互不相同的词，取自 {options}"
                )
            }
            ParamKind::Text { max_len } => said!(
                "text of at most {max_len} characters",
                "至多 {max_len} 个字符的文本"
            ),
        }
    }

    fn check_int(&self, n: i64) -> Result<ParamValue, Said> {
        if let ParamKind::Int { min, max, .. } = self.kind {
            if n < min {
                return Err(said!(
                    "{n} is below the minimum {min}",
                    "{n} 小于最小值 {min}"
                ));
            }
            if n > max {
                return Err(said!(
                    "{n} is above the maximum {max}",
                    "{n} 大于最大值 {max}"
                ));
            }
        }
        Ok(ParamValue::Int(n))
    }

    fn check_float(&self, x: f64) -> Result<ParamValue, Said> {
        if let ParamKind::Float { min, max, .. } = self.kind {
            let v = format_float(x);
            if !x.is_finite() {
                let Said {
                    en: allowed_en,
                    zh: allowed_zh,
                } = self.allowed();
                return Err(said!(
                    "{v} is not a finite number; allowed: {allowed_en}",
                    "{v} 不是有限数；允许：{allowed_zh}"
                ));
            }
            if x < min {
                let min = format_float(min);
                return Err(said!(
                    "{v} is below the minimum {min}",
                    "{v} 小于最小值 {min}"
                ));
            }
            if x > max {
                let max = format_float(max);
                return Err(said!(
                    "{v} is above the maximum {max}",
                    "{v} 大于最大值 {max}"
                ));
            }
        }
        Ok(ParamValue::Float(x))
    }

    fn check_choice(&self, text: &str) -> Result<ParamValue, Said> {
        if let ParamKind::Choice(options) = self.kind
            && let Some(found) = options.iter().find(|o| o.eq_ignore_ascii_case(text))
        {
            return Ok(ParamValue::Choice(found));
        }
        let v = echo(text);
        let Said {
            en: allowed_en,
            zh: allowed_zh,
        } = self.allowed();
        Err(said!("'{v}' is not {allowed_en}", "“{v}”不是{allowed_zh}"))
    }

    /// A list's length against `min_len..=max_len`.
    fn check_length(len: usize, min_len: usize, max_len: usize) -> Result<(), Said> {
        if len < min_len || len > max_len {
            return Err(said!(
                "{len} entries, but {min_len} to {max_len} are allowed",
                "{len} 项，但只允许 {min_len} 到 {max_len} 项"
            ));
        }
        Ok(())
    }

    fn check_list(&self, list: Vec<i64>) -> Result<ParamValue, Said> {
        if let ParamKind::IntList {
            min_len,
            max_len,
            min,
            max,
        } = self.kind
        {
            Self::check_length(list.len(), min_len, max_len)?;
            for (at, &n) in list.iter().enumerate() {
                if n < min || n > max {
                    let at = at + 1;
                    return Err(said!(
                        "entry {at} is {n}, outside {min} to {max}",
                        "第 {at} 项是 {n}，不在 {min} 到 {max} 之间"
                    ));
                }
            }
        }
        Ok(ParamValue::IntList(list))
    }

    fn check_float_list(&self, list: Vec<f64>) -> Result<ParamValue, Said> {
        let ParamKind::FloatList {
            min_len,
            max_len,
            finite,
        } = self.kind
        else {
            return Ok(ParamValue::FloatList(list));
        };
        Self::check_length(list.len(), min_len, max_len)?;
        if finite && let Some(at) = list.iter().position(|x| !x.is_finite()) {
            let (n, v) = (at + 1, format_float(list[at]));
            let Said {
                en: allowed_en,
                zh: allowed_zh,
            } = self.allowed();
            return Err(said!(
                "entry {n} is {v}; allowed: {allowed_en}",
                "第 {n} 项是 {v}；允许：{allowed_zh}"
            ));
        }
        Ok(ParamValue::FloatList(list))
    }

    fn check_choice_list(&self, words: &[&str]) -> Result<ParamValue, Said> {
        let Said {
            en: allowed_en,
            zh: allowed_zh,
        } = self.allowed();
        let ParamKind::ChoiceList {
            options,
            min_len,
            max_len,
        } = self.kind
        else {
            return Err(said!("expected {allowed_en}", "应为{allowed_zh}"));
        };
        Self::check_length(words.len(), min_len, max_len)?;
        let mut list: Vec<&'static str> = Vec::with_capacity(words.len());
        for (at, word) in words.iter().enumerate() {
            let Some(found) = options.iter().find(|o| o.eq_ignore_ascii_case(word)) else {
                let (n, v, options) = (at + 1, echo(word), options.join(", "));
                return Err(said!(
                    "entry {n} '{v}' is not one of {options}",
                    "第 {n} 项“{v}”不是 {options} 之一"
                ));
            };
            if list.contains(found) {
                return Err(said!(
                    "'{found}' is listed twice; allowed: {allowed_en}",
                    "“{found}”出现了两次；允许：{allowed_zh}"
                ));
            }
            list.push(found);
        }
        Ok(ParamValue::ChoiceList(list))
    }

    fn check_text(&self, text: &str) -> Result<ParamValue, Said> {
        if let ParamKind::Text { max_len } = self.kind {
            let count = text.chars().count();
            if count > max_len {
                return Err(said!(
                    "{count} characters, but at most {max_len} are allowed",
                    "{count} 个字符，但至多允许 {max_len} 个"
                ));
            }
        }
        Ok(ParamValue::Text(text.to_string()))
    }
}

/// Accepts `1000`, `1_000` and `+5` as people write them.
fn parse_int(text: &str) -> Option<i64> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    cleaned.parse().ok()
}
