//! The score lesson's questions: a noise level σ_i and its step α_i worked
//! by hand from the schedule, and which component holds the most particles
//! once the run ends (read off a copy run to the end).

use crate::lesson::question::MAX_OPTIONS;
use crate::lesson::timeline::Replayable;
use crate::lesson::{Answer, Question, QuestionKind};
use crate::sim::diffusion::cloud::mode_weights;
use crate::{said, tr};

use super::model::{Schedule, Smld};

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const SIGMA: &str = "sigma";
    pub const STEP_SIZE: &str = "step-size";
    pub const MODE_SHARE: &str = "mode-share";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::SIGMA,
        label: tr!("σ_i of a geometric schedule", "几何调度中的 σ_i"),
    },
    QuestionKind {
        id: kind::STEP_SIZE,
        label: tr!("the step α_i at level i", "第 i 级的步长 α_i"),
    },
    QuestionKind {
        id: kind::MODE_SHARE,
        label: tr!(
            "which component ends with the most particles",
            "结束时哪个分量的粒子最多"
        ),
    },
];

/// How close a typed σ_i or α_i must come, relative to the value.
pub const RELATIVE_TOLERANCE: f64 = 1e-6;

pub fn ask(model: &Smld, pick: u64) -> Option<Question> {
    let askers: [fn(&Smld) -> Option<Question>; 3] = [sigma, step_size, mode_share];
    let count = askers.len() as u64;
    (0..count).find_map(|offset| {
        let at = (pick % count + offset) % count;
        askers.get(usize::try_from(at).ok()?)?(model)
    })
}

/// The level asked about (1-based): the one the next step runs at.
fn level(model: &Smld) -> usize {
    model.level() + 1
}

fn context(model: &Smld, i: usize) -> toml::Table {
    let s = &model.settings;
    let mut table = toml::Table::new();
    table.insert("sigma_max".into(), s.sigma_max.into());
    table.insert("sigma_min".into(), s.sigma_min.into());
    table.insert(
        "levels".into(),
        toml::Value::Integer(i64::try_from(s.levels).unwrap_or(i64::MAX)),
    );
    table.insert(
        "i".into(),
        toml::Value::Integer(i64::try_from(i).unwrap_or(i64::MAX)),
    );
    table
}

fn number(value: f64) -> Answer {
    Answer::Number {
        value,
        tolerance: value.abs() * RELATIVE_TOLERANCE,
    }
}

/// `sigma`: σ_i = σ_max·(σ_min/σ_max)^((i−1)/(L−1)).
fn sigma(model: &Smld) -> Option<Question> {
    let i = level(model);
    let value = *model.sigmas.get(i - 1)?;
    let (max, min, levels) = (
        model.settings.sigma_max,
        model.settings.sigma_min,
        model.settings.levels,
    );
    Some(Question {
        kind: kind::SIGMA,
        prompt: said!(
            "The {levels} noise levels run geometrically from σ_max = {max} down to σ_min = {min}. \
             What is σ_{i}?",
            "{levels} 个噪声级从 σ_max = {max} 按几何级数降到 σ_min = {min}。σ_{i} 是多少？"
        ),
        answer: number(value),
        why: said!(
            "each level is the last times a fixed ratio: σ_i = σ_max·(σ_min/σ_max)^((i−1)/(L−1)) = {value:.6}",
            "每级都是上一级乘同一个比值：σ_i = σ_max·(σ_min/σ_max)^((i−1)/(L−1)) = {value:.6}"
        ),
        context: context(model, i),
        steps: 0,
    })
}

/// `step-size`: α_i = ε·σ_i²/σ_L² (annealed runs only: plain uses one step).
fn step_size(model: &Smld) -> Option<Question> {
    if model.settings.schedule != Schedule::Annealed {
        return None;
    }
    let i = level(model);
    let value = *model.alphas.get(i - 1)?;
    let epsilon = model.settings.epsilon;
    let mut context = context(model, i);
    context.insert("epsilon".into(), epsilon.into());
    Some(Question {
        kind: kind::STEP_SIZE,
        prompt: said!(
            "With ε = {epsilon} and the schedule in the context, what step α_{i} does level {i} take?",
            "ε = {epsilon}，调度见 context。第 {i} 级的步长 α_{i} 是多少？"
        ),
        answer: number(value),
        why: said!(
            "α_i = ε·σ_i²/σ_L² = {value:.6e}: the step shrinks with σ² so the noise stays in scale",
            "α_i = ε·σ_i²/σ_L² = {value:.6e}：步长随 σ² 缩小，噪声尺度始终匹配"
        ),
        context,
        steps: 0,
    })
}

/// `mode-share`: the component with the largest share at the end of the run.
fn mode_share(model: &Smld) -> Option<Question> {
    let components = model.target.means.len();
    if model.is_finished() || model.is_training() || !(2..=MAX_OPTIONS).contains(&components) {
        return None;
    }
    let mut copy = model.clone();
    let mut steps = 0;
    while copy.step() {
        steps += 1;
    }
    let shares = mode_weights(&copy.target, &copy.particles);
    let correct =
        (0..shares.len()).fold(0, |best, k| if shares[k] > shares[best] { k } else { best });
    let options = (0..shares.len())
        .map(|k| said!("component {k}", "分量 {k}"))
        .collect();
    let share = shares[correct];
    Some(Question {
        kind: kind::MODE_SHARE,
        prompt: tr!(
            "When the run ends, which component will hold the most particles?",
            "运行结束时，哪个分量的粒子最多？"
        )
        .into(),
        answer: Answer::Choice { options, correct },
        why: said!(
            "component {correct} ends with {share:.3} of the particles",
            "分量 {correct} 最终占 {share:.3} 的粒子"
        ),
        context: toml::Table::new(),
        steps,
    })
}
