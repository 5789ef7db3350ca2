//! Values of a headless trace row and their CSV spelling.

use super::param::format_float;

/// One cell of a trace row.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Field {
    /// The CSV spelling: floats shortest round-trip, `inf`/`-inf`/`nan`; text quoted
    /// only when it holds a comma, a quote or a line break.
    pub fn to_csv(&self) -> String {
        match self {
            Field::Int(n) => n.to_string(),
            Field::Float(x) => format_float(*x),
            Field::Text(s) if s.contains([',', '"', '\n', '\r']) => {
                format!("\"{}\"", s.replace('"', "\"\""))
            }
            Field::Text(s) => s.clone(),
        }
    }
}

impl From<i64> for Field {
    fn from(n: i64) -> Self {
        Field::Int(n)
    }
}

impl From<u64> for Field {
    fn from(n: u64) -> Self {
        Field::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Field {
    fn from(n: u32) -> Self {
        Field::Int(i64::from(n))
    }
}

impl From<usize> for Field {
    fn from(n: usize) -> Self {
        Field::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Field {
    fn from(x: f64) -> Self {
        Field::Float(x)
    }
}

impl From<&str> for Field {
    fn from(s: &str) -> Self {
        Field::Text(s.to_string())
    }
}

impl From<bool> for Field {
    fn from(b: bool) -> Self {
        Field::Int(i64::from(b))
    }
}

/// Joins a row into one CSV line (no line break).
pub fn csv_line(fields: &[Field]) -> String {
    fields
        .iter()
        .map(Field::to_csv)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        let row = [
            Field::from(3i64),
            Field::from(f64::INFINITY),
            Field::from("a,b"),
            Field::from("say \"x\""),
            Field::from(true),
        ];
        assert_eq!(csv_line(&row), "3,inf,\"a,b\",\"say \"\"x\"\"\",1");
    }
}
