//! Lesson parameters: what a key accepts ([`ParamKind`], [`ParamSpec`]), how
//! a typed or configured value is checked and nudged, the checked values of a
//! lesson ([`ParamSet`]), and enums a choice reads into ([`Choice`]). One
//! validator serves config.toml, `--set` and the TUI's input line, so the
//! three can never disagree.

mod choice;
mod error;
mod kind;
mod set;
mod spec;
mod value;

pub use choice::Choice;
pub(crate) use choice::choices;
pub use error::ParamError;
pub use kind::ParamKind;
pub use set::ParamSet;
pub use spec::{Lookup, ParamSpec, UsedWhen, chosen};
pub use value::{ParamValue, format_float};

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity() -> ParamSpec {
        ParamSpec::int("capacity", 0..=10_000, 10)
    }

    fn list() -> ParamSpec {
        ParamSpec::int_list("weights", 1..=3, 1..=9, &[1])
    }

    #[test]
    fn int_bounds_name_the_limit() {
        assert_eq!(
            capacity().parse("-3").map_err(|e| e.en),
            Err("-3 is below the minimum 0".into())
        );
        assert_eq!(
            capacity().parse("10001").map_err(|e| e.en),
            Err("10001 is above the maximum 10000".into())
        );
        assert_eq!(capacity().parse(" 1_000 "), Ok(ParamValue::Int(1000)));
        assert!(
            capacity()
                .parse("ten")
                .unwrap_err()
                .en
                .contains("not a whole number")
        );
    }

    #[test]
    fn lists_check_length_and_each_entry() {
        assert_eq!(
            list().parse("1, 2,3"),
            Ok(ParamValue::IntList(vec![1, 2, 3]))
        );
        assert!(list().parse("").unwrap_err().en.contains("0 entries"));
        assert!(
            list()
                .parse("1,2,3,4")
                .unwrap_err()
                .en
                .contains("4 entries")
        );
        assert!(list().parse("1,0").unwrap_err().en.contains("entry 2 is 0"));
        assert!(list().parse("1,x").unwrap_err().en.contains("entry 2 'x'"));
    }

    #[test]
    fn toml_types_are_checked() {
        let err = capacity()
            .from_toml(&toml::Value::String("7".into()))
            .unwrap_err()
            .en;
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
            help: crate::i18n::Tr::new("", ""),
            kind: ParamKind::Choice(&["2d", "1d"]),
            default: ParamValue::Choice("2d"),
            used_when: None,
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
            help: crate::i18n::Tr::new("", ""),
            kind: ParamKind::ChoiceList {
                options: &["sgd", "adam"],
                min_len: 1,
                max_len: 2,
            },
            default: ParamValue::ChoiceList(vec!["adam"]),
            used_when: None,
        };
        assert_eq!(
            spec.parse("Adam, sgd"),
            Ok(ParamValue::ChoiceList(vec!["adam", "sgd"]))
        );
        let twice = spec.parse("adam,adam").unwrap_err().en;
        assert!(
            twice.contains("twice") && twice.contains("different words from sgd, adam"),
            "{twice}"
        );
        assert!(
            spec.parse("rmsprop")
                .unwrap_err()
                .en
                .contains("not one of sgd, adam")
        );
        assert!(spec.parse("").unwrap_err().en.contains("0 entries"));
    }

    #[test]
    fn float_lists_refuse_non_finite_entries_only_when_asked() {
        let list = |finite| ParamSpec {
            key: "means",
            help: crate::i18n::Tr::new("", ""),
            kind: ParamKind::FloatList {
                min_len: 1,
                max_len: 4,
                finite,
            },
            default: ParamValue::FloatList(vec![0.0]),
            used_when: None,
        };
        // NaN is not equal to itself, so compare the printed form.
        let studied = list(false).parse("1,nan,-inf").map(|v| v.to_string());
        assert_eq!(studied.as_deref(), Ok("1.0,nan,-inf"));
        let err = list(true).parse("1,2,inf").expect_err("inf refused").en;
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
        assert!(err.message.en.contains("capacity"));
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
