//! The SDE lesson's questions: the std of the forward marginal at the
//! current t for the data's std, and the drift f(x, t) at a particle's x.
//! Each answer is read off the lesson's own SDE (its kernel and drift), so it
//! is exactly what the screen's closed form shows.

use crate::lesson::param::format_float;
use crate::lesson::{Answer, Question, QuestionKind};
use crate::{said, tr};

use super::model::SdeRun;

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const MARGINAL_STD: &str = "marginal-std";
    pub const DRIFT: &str = "drift";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::MARGINAL_STD,
        label: tr!(
            "std of the forward marginal p_t",
            "正向边缘分布 p_t 的标准差"
        ),
    },
    QuestionKind {
        id: kind::DRIFT,
        label: tr!("the drift f(x, t)", "漂移 f(x, t)"),
    },
];

/// Every schedule parameter, in use or not: the context names them all so a
/// learner sees which ones the chosen SDE reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Schedule {
    pub sde: &'static str,
    pub beta_min: f64,
    pub beta_max: f64,
    pub sigma_min: f64,
    pub sigma_max: f64,
}

/// A reply counts within this fraction of the answer (three significant
/// digits are what a hand calculation keeps)...
const RELATIVE_TOLERANCE: f64 = 1e-3;
/// ...or within this much of it, for answers at or near zero (VE's drift).
const ABSOLUTE_TOLERANCE: f64 = 1e-6;
/// How many kinds `pick` rotates through.
const KIND_COUNT: u64 = 2;
/// The x asked about when the first particle is not finite.
const FALLBACK_X: f64 = 1.0;

/// Significant digits the prompts show: enough that an answer worked from
/// them lands well inside `RELATIVE_TOLERANCE` (the exact values are in the
/// question's context), without the 0.4705299999999999 a time step's sum
/// leaves.
const SHOWN_DIGITS: i32 = 6;

/// `x` to `SHOWN_DIGITS` significant digits, trailing zeros dropped.
fn shown(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format_float(x);
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = usize::try_from(SHOWN_DIGITS - 1 - magnitude).unwrap_or(0);
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn tolerance(value: f64) -> f64 {
    (RELATIVE_TOLERANCE * value.abs()).max(ABSOLUTE_TOLERANCE)
}

fn context(schedule: &Schedule, t: f64, data_std: f64) -> toml::Table {
    let mut context = toml::Table::new();
    context.insert("sde".into(), schedule.sde.into());
    context.insert("t".into(), t.into());
    context.insert("beta_min".into(), schedule.beta_min.into());
    context.insert("beta_max".into(), schedule.beta_max.into());
    context.insert("sigma_min".into(), schedule.sigma_min.into());
    context.insert("sigma_max".into(), schedule.sigma_max.into());
    context.insert("data_std".into(), data_std.into());
    context
}

/// One question, `pick` choosing its kind.
pub fn ask(run: &SdeRun, schedule: &Schedule, pick: u64) -> Option<Question> {
    let t = run.time();
    let (_, data_var) = run.target.moments();
    let data_std = data_var[0].sqrt();
    if !(t.is_finite() && data_std.is_finite()) {
        return None;
    }
    let name = run.sde.name();
    let (t_text, d_text) = (shown(t), shown(data_std));
    if pick.is_multiple_of(KIND_COUNT) {
        let (m, s) = run.sde.kernel(t);
        let value = (m * m * data_std * data_std + s * s).sqrt();
        let (m_text, s_text, v_text) = (shown(m), shown(s), shown(value));
        Some(Question {
            kind: kind::MARGINAL_STD,
            prompt: said!(
                "Data of std {d_text} per axis runs forward under {name} to t = {t_text}. \
                 What is the std of p_t per axis?",
                "每个坐标标准差为 {d_text} 的数据在 {name} 下正向加噪到 t = {t_text}。\
                 此时 p_t 每个坐标的标准差是多少？"
            ),
            answer: Answer::Number {
                value,
                tolerance: tolerance(value),
            },
            why: said!(
                "x_t = m·x0 + s·z with m = {m_text}, s = {s_text}: std = √(m²·σ_d² + s²) = {v_text}",
                "x_t = m·x0 + s·z，m = {m_text}，s = {s_text}：标准差 = √(m²·σ_d² + s²) = {v_text}"
            ),
            context: context(schedule, t, data_std),
            steps: 0,
        })
    } else {
        let x = run
            .particles
            .first()
            .map(|p| p[0])
            .filter(|x| x.is_finite())
            .unwrap_or(FALLBACK_X);
        let scale = run.sde.drift_scale(t);
        let value = scale * x;
        let (x_text, a_text, v_text) = (shown(x), shown(scale), shown(value));
        // A negative factor in a product reads better in parentheses.
        let x_factor = if x < 0.0 {
            format!("({x_text})")
        } else {
            x_text.clone()
        };
        let mut context = context(schedule, t, data_std);
        context.insert("x".into(), x.into());
        Some(Question {
            kind: kind::DRIFT,
            prompt: said!(
                "Under {name} at t = {t_text}, what is the drift f(x, t) at x = {x_text}?",
                "在 {name} 下，t = {t_text} 时，x = {x_text} 处的漂移 f(x, t) 是多少？"
            ),
            answer: Answer::Number {
                value,
                tolerance: tolerance(value),
            },
            why: said!(
                "f(x, t) = −½β(t)·x for VP and sub-VP, 0 for VE: here {a_text}·{x_factor} = {v_text}",
                "VP 和 sub-VP 的 f(x, t) = −½β(t)·x，VE 为 0：这里是 {a_text}·{x_factor} = {v_text}"
            ),
            context,
            steps: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_show_six_significant_digits() {
        assert_eq!(shown(0.470_529_999_999_999_9), "0.47053");
        assert_eq!(shown(4.123_105_625_617_661), "4.12311");
        assert_eq!(shown(-0.000_012_345_678), "-0.0000123457");
        assert_eq!(shown(1234.5), "1234.5");
        assert_eq!(shown(20.0), "20");
        assert_eq!(shown(0.0), "0.0");
    }
}
