//! A lesson's complete, checked values, and the typed reads of them.

use crate::error::echo;
use crate::{said, tr};

use super::choice::Choice;
use super::error::ParamError;
use super::spec::ParamSpec;
use super::value::ParamValue;

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
            let (lesson, known) = (self.lesson, known.join(", "));
            ParamError::new(
                self.path(&echo(key)),
                said!(
                    "unknown parameter; {lesson} has {known}",
                    "没有这个参数；{lesson} 的参数有 {known}"
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

    /// Whether `spec` (one of this set's) matters with these values.
    pub fn in_use(&self, spec: &ParamSpec) -> bool {
        spec.in_use(&|key| self.get(key).cloned())
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

    // The typed reads below are what a lesson's setup reads its own keys
    // with, once, at build. A key it did not declare, or read as another kind
    // than it declared, is a bug in that lesson: an error naming the key, not
    // a panic, and every lesson's read of its defaults is tested.

    fn read(&self, key: &str) -> Result<&ParamValue, ParamError> {
        self.get(key).ok_or_else(|| {
            ParamError::new(
                self.path(key),
                tr!(
                    "not a parameter of this lesson (a bug)",
                    "本课程没有这个参数（程序错误）"
                ),
            )
        })
    }

    fn mismatch(&self, key: &str, wanted: &str) -> ParamError {
        ParamError::new(
            self.path(key),
            said!(
                "read as {wanted} but declared otherwise (a bug)",
                "按 {wanted} 读取，但声明的不是（程序错误）"
            ),
        )
    }

    pub fn int(&self, key: &str) -> Result<i64, ParamError> {
        match self.read(key)? {
            ParamValue::Int(n) => Ok(*n),
            _ => Err(self.mismatch(key, "a whole number")),
        }
    }

    /// A whole number declared with a minimum of 0 or more, as a count.
    pub fn count(&self, key: &str) -> Result<usize, ParamError> {
        let n = self.int(key)?;
        usize::try_from(n).map_err(|_| self.mismatch(key, "a count"))
    }

    pub fn float(&self, key: &str) -> Result<f64, ParamError> {
        match self.read(key)? {
            ParamValue::Float(x) => Ok(*x),
            _ => Err(self.mismatch(key, "a number")),
        }
    }

    pub fn flag(&self, key: &str) -> Result<bool, ParamError> {
        match self.read(key)? {
            ParamValue::Bool(b) => Ok(*b),
            _ => Err(self.mismatch(key, "true or false")),
        }
    }

    pub fn choice<T: Choice>(&self, key: &str) -> Result<T, ParamError> {
        match self.read(key)? {
            ParamValue::Choice(name) => {
                T::named(name).ok_or_else(|| self.mismatch(key, "a choice"))
            }
            _ => Err(self.mismatch(key, "a choice")),
        }
    }

    pub fn choice_list<T: Choice>(&self, key: &str) -> Result<Vec<T>, ParamError> {
        match self.read(key)? {
            ParamValue::ChoiceList(names) => names
                .iter()
                .map(|name| T::named(name).ok_or_else(|| self.mismatch(key, "a choice")))
                .collect(),
            _ => Err(self.mismatch(key, "a list of choices")),
        }
    }

    pub fn int_list(&self, key: &str) -> Result<&[i64], ParamError> {
        match self.read(key)? {
            ParamValue::IntList(list) => Ok(list),
            _ => Err(self.mismatch(key, "a list of whole numbers")),
        }
    }

    pub fn float_list(&self, key: &str) -> Result<&[f64], ParamError> {
        match self.read(key)? {
            ParamValue::FloatList(list) => Ok(list),
            _ => Err(self.mismatch(key, "a list of numbers")),
        }
    }

    pub fn text(&self, key: &str) -> Result<&str, ParamError> {
        match self.read(key)? {
            ParamValue::Text(text) => Ok(text),
            _ => Err(self.mismatch(key, "text")),
        }
    }
}
