//! Questions that ask a learner to predict what the lesson does next.
//!
//! A lesson declares the kinds of question it asks on its entry (as it does
//! its events), and `Lesson::question` poses one about the live state. The
//! answer is read from the model itself — a copy stepped forward, or the
//! state as it stands — so it can never disagree with what the learner sees
//! when the step then runs. `check` grades what the learner typed.

use crate::error::echo;
use crate::i18n::{Said, Tr};
use crate::{said, tr};

/// A kind of question a lesson can ask.
#[derive(Clone, Copy, Debug)]
pub struct QuestionKind {
    /// Kebab-case, as printed by `learndeck quiz`.
    pub id: &'static str,
    pub label: Tr,
}

/// The kind named `id` among `kinds`.
pub fn kind<'a>(kinds: &'a [QuestionKind], id: &str) -> Option<&'a QuestionKind> {
    kinds.iter().find(|kind| kind.id == id)
}

/// Choices are answered by one letter, `a` onwards, so a question offers at
/// most one per letter of the alphabet.
pub const MAX_OPTIONS: usize = 26;

/// The right answer, in the form the learner types it.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// A whole number.
    Integer(i64),
    /// A number, right when within `tolerance` of `value` (the kind states it).
    Number { value: f64, tolerance: f64 },
    /// One of `options`, typed as its letter (`a` for the first); the
    /// option's own text in either language is accepted too.
    Choice { options: Vec<Said>, correct: usize },
    /// Whole numbers in order, typed comma-separated; a blank reply is the
    /// empty list.
    List(Vec<i64>),
    /// Real numbers in order (a point's coordinates), typed comma-separated;
    /// each is right when within `relative`·|value| of its value.
    Numbers { values: Vec<f64>, relative: f64 },
    /// A bit pattern, typed as `digits` hexadecimal digits (`3c00`; a `0x`
    /// in front and either case are accepted).
    Hex { value: u64, digits: usize },
}

/// The letter that answers option `index` (`a`, `b`, …).
pub fn letter(index: usize) -> char {
    // Beyond the alphabet there is no letter to type: `?` shows that plainly.
    u8::try_from(index)
        .ok()
        .filter(|&i| usize::from(i) < MAX_OPTIONS)
        .map_or('?', |i| char::from(b'a' + i))
}

impl Answer {
    /// A yes/no question: `a` is yes, `b` is no.
    pub fn yes_no(yes: bool) -> Answer {
        Answer::Choice {
            options: vec![tr!("yes", "是").into(), tr!("no", "否").into()],
            correct: if yes { 0 } else { 1 },
        }
    }

    /// The right answer as a learner would type it (`12`, `b`, `3,1,2`).
    pub fn typed(&self) -> String {
        match self {
            Answer::Integer(n) => n.to_string(),
            Answer::Number { value, .. } => value.to_string(),
            Answer::Choice { correct, .. } => letter(*correct).to_string(),
            Answer::List(values) => join(values),
            Answer::Numbers { values, .. } => values
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            Answer::Hex { value, digits } => format!("{value:0digits$x}"),
        }
    }

    /// The right answer to show after a reply: a choice with its text
    /// (`b (no)`), anything else as typed.
    pub fn shown(&self) -> Said {
        let typed = self.typed();
        match self {
            Answer::Choice { options, correct } => match options.get(*correct) {
                Some(option) => {
                    let (option_en, option_zh) = (&option.en, &option.zh);
                    said!("{typed} ({option_en})", "{typed}（{option_zh}）")
                }
                None => Said::plain(typed),
            },
            Answer::Number { tolerance, .. } => {
                said!("{typed} (± {tolerance})", "{typed}（± {tolerance}）")
            }
            Answer::Numbers { relative, .. } => said!(
                "{typed} (each to a relative {relative})",
                "{typed}（每个的相对误差 {relative}）"
            ),
            _ => Said::plain(typed),
        }
    }

    /// What a reply must look like, for the prompt and for a malformed reply.
    pub fn form(&self) -> Said {
        match self {
            Answer::Integer(_) => tr!("a whole number, like 42", "一个整数，例如 42").into(),
            Answer::Number { tolerance, .. } => said!(
                "a number, like 0.5 (within {tolerance} counts as right)",
                "一个数，例如 0.5（误差在 {tolerance} 以内算对）"
            ),
            Answer::Choice { options, .. } => {
                let last = letter(options.len().saturating_sub(1));
                said!("one letter, a to {last}", "一个字母，a 到 {last}")
            }
            Answer::List(_) => tr!(
                "whole numbers separated by commas, like 3,1,2",
                "用逗号分隔的整数，例如 3,1,2"
            )
            .into(),
            Answer::Numbers { values, relative } => {
                let count = values.len();
                said!(
                    "{count} numbers separated by commas, like 0.5,-1.25 (each within a relative \
                     {relative} counts as right)",
                    "{count} 个用逗号分隔的数，例如 0.5,-1.25（每个的相对误差在 {relative} 以内算对）"
                )
            }
            Answer::Hex { digits, .. } => said!(
                "{digits} hexadecimal digits, like 3c00",
                "{digits} 位十六进制数字，例如 3c00"
            ),
        }
    }

    /// Whether `typed` is right; a reply that is not in the answer's form at
    /// all is an error saying what form is expected, not a wrong answer.
    pub fn check(&self, typed: &str) -> Result<bool, Said> {
        let reply = typed.trim();
        let malformed = || {
            let shown = echo(reply);
            let form = self.form();
            let (form_en, form_zh) = (&form.en, &form.zh);
            said!(
                "'{shown}' is not an answer here: type {form_en}",
                "“{shown}”不是这里的答案：请输入{form_zh}"
            )
        };
        if reply.is_empty() && !matches!(self, Answer::List(_)) {
            return Err(malformed());
        }
        match self {
            Answer::Integer(right) => integer(reply).map(|n| n == *right).ok_or_else(malformed),
            Answer::Number { value, tolerance } => reply
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(|x| (x - value).abs() <= *tolerance)
                .ok_or_else(malformed),
            Answer::Choice { options, correct } => options
                .iter()
                .enumerate()
                .position(|(at, option)| {
                    reply.eq_ignore_ascii_case(&letter(at).to_string())
                        || reply.eq_ignore_ascii_case(option.en.trim())
                        || reply == option.zh.trim()
                })
                .map(|at| at == *correct)
                .ok_or_else(malformed),
            Answer::Hex { value, digits } => {
                let bare = reply
                    .strip_prefix("0x")
                    .or_else(|| reply.strip_prefix("0X"))
                    .unwrap_or(reply);
                if bare.len() != *digits || !bare.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(malformed());
                }
                u64::from_str_radix(bare, 16)
                    .map(|typed| typed == *value)
                    .map_err(|_| malformed())
            }
            Answer::List(right) => {
                if reply.is_empty() {
                    return Ok(right.is_empty());
                }
                reply
                    .split(',')
                    .map(|part| integer(part.trim()))
                    .collect::<Option<Vec<i64>>>()
                    .map(|values| values == *right)
                    .ok_or_else(malformed)
            }
            Answer::Numbers { values, relative } => reply
                .split(',')
                .map(|part| part.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
                .collect::<Option<Vec<f64>>>()
                .filter(|typed| typed.len() == values.len())
                .map(|typed| {
                    typed
                        .iter()
                        .zip(values)
                        .all(|(x, right)| (x - right).abs() <= relative * right.abs())
                })
                .ok_or_else(malformed),
        }
    }
}

/// A whole number as typed (`42`, `+42`, `-3`).
fn integer(text: &str) -> Option<i64> {
    text.parse().ok()
}

fn join(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// One question about a lesson's live state.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The id of one of the entry's `questions`.
    pub kind: &'static str,
    pub prompt: Said,
    pub answer: Answer,
    /// One line on why the answer is what it is.
    pub why: Said,
    /// Exactly the data needed to work the answer out by hand.
    pub context: toml::Table,
    /// How many steps from the current state the question is about: the
    /// shell runs them after the reply so the learner watches it happen.
    pub steps: u64,
}

impl Question {
    /// Whether `typed` is the right answer; an error (naming the form
    /// expected) when it is not an answer of this question's form at all.
    pub fn check(&self, typed: &str) -> Result<bool, Said> {
        self.answer.check(typed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_run_a_to_z_and_stop() {
        assert_eq!(letter(0), 'a');
        assert_eq!(letter(25), 'z');
        assert_eq!(letter(26), '?');
        assert_eq!(letter(usize::MAX), '?');
    }

    #[test]
    fn each_form_reads_its_own_replies() {
        assert_eq!(Answer::Integer(-3).check(" -3 "), Ok(true));
        assert_eq!(Answer::Integer(-3).check("+3"), Ok(false));
        assert!(Answer::Integer(3).check("3.0").is_err());
        assert!(Answer::Integer(3).check("").is_err());

        let number = Answer::Number {
            value: 0.5,
            tolerance: 0.01,
        };
        assert_eq!(number.check("0.505"), Ok(true));
        assert_eq!(number.check("0.52"), Ok(false));
        assert!(number.check("nan").is_err());
        assert!(number.check("half").is_err());

        let yes = Answer::yes_no(true);
        assert_eq!(yes.check("A"), Ok(true));
        assert_eq!(yes.check("b"), Ok(false));
        assert_eq!(yes.check("Yes"), Ok(true));
        assert_eq!(yes.check("否"), Ok(false));
        assert!(yes.check("c").is_err());

        let list = Answer::List(vec![3, 1, 2]);
        assert_eq!(list.check("3, 1,2"), Ok(true));
        assert_eq!(list.check("1,2,3"), Ok(false));
        assert_eq!(list.check(""), Ok(false));
        assert!(list.check("3,,2").is_err());
        assert_eq!(Answer::List(Vec::new()).check(" "), Ok(true));

        let point = Answer::Numbers {
            values: vec![1.0, -2.0],
            relative: 1e-9,
        };
        assert_eq!(point.check("1, -2.000000001"), Ok(true));
        assert_eq!(point.check("1,-2.00000001"), Ok(false));
        assert!(point.check("1").is_err(), "one number for two");
        assert!(point.check("1,nan").is_err());
        let bits = Answer::Hex {
            value: 0x3c00,
            digits: 4,
        };
        assert_eq!(bits.typed(), "3c00");
        for right in ["3c00", "0x3C00", " 3C00 "] {
            assert_eq!(bits.check(right), Ok(true), "{right}");
        }
        assert_eq!(bits.check("3c01"), Ok(false));
        for malformed in ["3c0", "03c00", "3g00", "", "-3c0"] {
            assert!(bits.check(malformed).is_err(), "{malformed}");
        }
    }

    #[test]
    fn the_typed_answer_is_right() {
        for answer in [
            Answer::Integer(12),
            Answer::Number {
                value: -0.25,
                tolerance: 0.0,
            },
            Answer::yes_no(false),
            Answer::List(vec![4, -1]),
            Answer::List(Vec::new()),
            Answer::Numbers {
                values: vec![0.1 + 0.2, -1e-300, 0.0],
                relative: 1e-9,
            },
        ] {
            assert_eq!(answer.check(&answer.typed()), Ok(true), "{answer:?}");
        }
    }

    #[test]
    fn a_malformed_reply_names_the_form_and_stays_on_one_line() {
        let err = Answer::Integer(1).check("a\nb").expect_err("not a number");
        assert!(err.en.contains("whole number"), "{}", err.en);
        assert!(!err.en.contains('\n'));
        assert!(err.zh.contains("整数"), "{}", err.zh);
    }
}
