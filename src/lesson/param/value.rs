//! A parameter's checked value, and how values print.

use std::fmt;

/// A parameter's value, already checked against its kind.
///
/// Two values are equal when they are the same value as typed: floats are
/// compared bit for bit, so `nan` equals the `nan` it was set to (IEEE `==`
/// would call it changed forever, a pending edit nothing could clear) and
/// `-0.0` differs from `0.0`, as it prints differently.
#[derive(Clone, Debug)]
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

impl PartialEq for ParamValue {
    fn eq(&self, other: &ParamValue) -> bool {
        let same = |a: &f64, b: &f64| a.to_bits() == b.to_bits();
        match (self, other) {
            (ParamValue::Float(a), ParamValue::Float(b)) => same(a, b),
            (ParamValue::FloatList(a), ParamValue::FloatList(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
            }
            (ParamValue::Int(a), ParamValue::Int(b)) => a == b,
            (ParamValue::Bool(a), ParamValue::Bool(b)) => a == b,
            (ParamValue::Choice(a), ParamValue::Choice(b)) => a == b,
            (ParamValue::IntList(a), ParamValue::IntList(b)) => a == b,
            (ParamValue::ChoiceList(a), ParamValue::ChoiceList(b)) => a == b,
            (ParamValue::Text(a), ParamValue::Text(b)) => a == b,
            _ => false,
        }
    }
}

/// 2^53: whole numbers below it are exact in f64 and print in full.
const MAX_EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

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
            // Very small or large values read better, and type back the same, as
            // 1e-8; a whole number that f64 holds exactly (a loss scale of 2^32)
            // reads best in full.
            ParamValue::Float(x)
                if *x != 0.0
                    && !(1e-4..1e9).contains(&x.abs())
                    && !(x.fract() == 0.0 && x.abs() < MAX_EXACT_WHOLE) =>
            {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_equal_when_they_are_the_same_value_as_typed() {
        let list = |x: f64| ParamValue::FloatList(vec![1.0, x]);
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.1] {
            assert_eq!(ParamValue::Float(x), ParamValue::Float(x), "{x}");
            assert_eq!(list(x), list(x), "{x}");
        }
        assert_ne!(ParamValue::Float(0.0), ParamValue::Float(-0.0));
        assert_ne!(list(1.0), ParamValue::FloatList(vec![1.0]));
        assert_ne!(ParamValue::Float(1.0), ParamValue::Int(1));
    }
}
