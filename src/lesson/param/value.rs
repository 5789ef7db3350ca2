//! A parameter's checked value, and how values print.

use std::fmt;

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
