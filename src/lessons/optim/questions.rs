//! The optimizer lesson's questions: Adam's and AdamW's next θ worked by hand
//! (the calculation interviewers ask for), and which of the two will stand
//! lower on the loss a few hundred steps on. Each answer is read off a copy
//! of the model stepped forward, so it is exactly what the run then shows.

use crate::i18n::Said;
use crate::lesson::timeline::Replayable;
use crate::lesson::{Answer, Choice, Question, QuestionKind};
use crate::{said, tr};

use super::model::{Kind, Optimizers, Run};

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const ADAM_STEP: &str = "adam-step";
    pub const ADAMW_STEP: &str = "adamw-step";
    pub const LOWER_LOSS: &str = "lower-loss";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::ADAM_STEP,
        label: tr!("Adam's next θ, by hand", "手算 Adam 的下一个 θ"),
    },
    QuestionKind {
        id: kind::ADAMW_STEP,
        label: tr!("AdamW's next θ, by hand", "手算 AdamW 的下一个 θ"),
    },
    QuestionKind {
        id: kind::LOWER_LOSS,
        label: tr!("whose loss is lower a while on", "过一阵子谁的损失更低"),
    },
];

/// How close a hand-computed θ must come: each coordinate to this fraction
/// of its value, tight enough that only the exact update passes.
pub const RELATIVE_TOLERANCE: f64 = 1e-9;

/// How many steps ahead `lower-loss` looks: long enough at the defaults for
/// Adam to have settled and AdamW to still be moving.
pub const LOOKAHEAD: u64 = 500;

/// One question, `pick` choosing its kind among those that apply: the run
/// must hold the optimizer asked about, alive, without AMSGrad (whose running
/// maximum the context does not carry).
pub fn ask(model: &Optimizers, pick: u64) -> Option<Question> {
    let askers: [fn(&Optimizers) -> Option<Question>; 3] = [adam_step, adamw_step, lower_loss];
    let count = askers.len() as u64;
    (0..count).find_map(|offset| {
        let at = (pick % count + offset) % count;
        askers.get(usize::try_from(at).ok()?)?(model)
    })
}

fn adam_step(model: &Optimizers) -> Option<Question> {
    next_theta(model, Kind::Adam)
}

fn adamw_step(model: &Optimizers) -> Option<Question> {
    next_theta(model, Kind::AdamW)
}

/// `adam-step` / `adamw-step`: the θ after the next update of `kind`.
fn next_theta(model: &Optimizers, kind: Kind) -> Option<Question> {
    if model.hyper.amsgrad {
        return None;
    }
    let at = model.runs.iter().position(|run| run.kind == kind)?;
    let now = model.runs.get(at)?;
    if now.diverged_at.is_some() {
        return None;
    }
    let mut copy = model.clone();
    copy.step();
    let after = copy.runs.get(at)?;
    if after.diverged_at.is_some() {
        return None;
    }
    let t = after.t;
    let name = kind.name();
    let [x, y] = now.theta;
    let [gx, gy] = after.loss_grad;
    let [mx, my] = now.m;
    let [vx, vy] = now.v;
    let prompt = said!(
        "{name} at step t = {t}: θ = ({x}, {y}), ∇f(θ) = ({gx}, {gy}), m = ({mx}, {my}), \
         v = ({vx}, {vy}), with the parameters in the context. What is θ after this step? \
         Type x,y.",
        "{name} 的第 t = {t} 步：θ = ({x}, {y})，∇f(θ) = ({gx}, {gy})，m = ({mx}, {my})，\
         v = ({vx}, {vy})，参数见 context。这一步之后 θ 是多少？输入 x,y。"
    );
    Some(Question {
        kind: match kind {
            Kind::AdamW => kind::ADAMW_STEP,
            _ => kind::ADAM_STEP,
        },
        prompt,
        answer: Answer::Numbers {
            values: after.theta.to_vec(),
            relative: RELATIVE_TOLERANCE,
        },
        why: worked(model, after),
        context: context(model, now, after),
        steps: 1,
    })
}

/// The update written out with this step's numbers.
fn worked(model: &Optimizers, after: &Run) -> Said {
    let hyper = &model.hyper;
    let short = |p: [f64; 2]| format!("({:.6}, {:.6})", p[0], p[1]);
    let g = short(after.grad);
    let m_hat = short(after.m_hat(hyper));
    let v_hat = short(after.v_hat(hyper));
    let theta = short(after.theta);
    match after.kind {
        Kind::AdamW => {
            let decayed = short(
                after
                    .previous
                    .map(|c| c * (1.0 - hyper.lr * hyper.weight_decay)),
            );
            said!(
                "decay first, outside the gradient: θ·(1 − lr·wd) = {decayed}; g = ∇f = {g}; \
                 m̂ = {m_hat}, v̂ = {v_hat}; θ − lr·m̂/(√v̂+ε) = {theta}",
                "先在梯度之外衰减：θ·(1 − lr·wd) = {decayed}；g = ∇f = {g}；\
                 m̂ = {m_hat}，v̂ = {v_hat}；θ − lr·m̂/(√v̂+ε) = {theta}"
            )
        }
        _ => said!(
            "decay goes into the gradient: g = ∇f + wd·θ = {g}; m̂ = {m_hat}, v̂ = {v_hat}; \
             θ − lr·m̂/(√v̂+ε) = {theta}",
            "衰减放进梯度：g = ∇f + wd·θ = {g}；m̂ = {m_hat}，v̂ = {v_hat}；\
             θ − lr·m̂/(√v̂+ε) = {theta}"
        ),
    }
}

/// Exactly what the hand calculation needs: the state before the step, the
/// gradient the step uses, the step number and the hyperparameters.
fn context(model: &Optimizers, now: &Run, after: &Run) -> toml::Table {
    let pair = |p: [f64; 2]| toml::Value::Array(vec![p[0].into(), p[1].into()]);
    let hyper = &model.hyper;
    let mut table = toml::Table::new();
    table.insert("optimizer".into(), now.kind.name().into());
    table.insert("theta".into(), pair(now.theta));
    table.insert("grad".into(), pair(after.loss_grad));
    table.insert("m".into(), pair(now.m));
    table.insert("v".into(), pair(now.v));
    table.insert(
        "t".into(),
        toml::Value::Integer(i64::try_from(after.t).unwrap_or(i64::MAX)),
    );
    table.insert("lr".into(), hyper.lr.into());
    table.insert("beta1".into(), hyper.beta1.into());
    table.insert("beta2".into(), hyper.beta2.into());
    table.insert("eps".into(), hyper.eps.into());
    table.insert("weight_decay".into(), hyper.weight_decay.into());
    table
}

/// `lower-loss`: whose f(θ) is lower [`LOOKAHEAD`] steps on, Adam's or AdamW's.
fn lower_loss(model: &Optimizers) -> Option<Question> {
    let (adam, adamw) = (model.run(Kind::Adam)?, model.run(Kind::AdamW)?);
    if adam.diverged_at.is_some() || adamw.diverged_at.is_some() {
        return None;
    }
    let mut copy = model.clone();
    for _ in 0..LOOKAHEAD {
        copy.step();
    }
    let (adam, adamw) = (copy.run(Kind::Adam)?, copy.run(Kind::AdamW)?);
    let loss = |run: &Run| copy.surface.value(run.theta);
    let (a, w) = (loss(adam), loss(adamw));
    if !(a.is_finite() && w.is_finite()) {
        return None;
    }
    let correct = if a < w {
        0
    } else if w < a {
        1
    } else {
        2
    };
    let at = model.steps + LOOKAHEAD;
    let prompt = said!(
        "At step {at}, whose loss f(θ) will be lower: Adam's or AdamW's?",
        "到第 {at} 步时，谁的损失 f(θ) 更低：Adam 还是 AdamW？"
    );
    let (a_text, w_text) = (format!("{a:.4}"), format!("{w:.4}"));
    let why = match correct {
        0 => said!(
            "Adam {a_text} < AdamW {w_text}: Adam settles fast on ◆, the minimum of f + (wd/2)‖θ‖², \
             while AdamW is still on its way",
            "Adam {a_text} < AdamW {w_text}：Adam 很快停在 ◆，即 f + (wd/2)‖θ‖² 的最小值，\
             而 AdamW 还在路上"
        ),
        1 => said!(
            "AdamW {w_text} < Adam {a_text}: Adam stays on ◆, the minimum of f + (wd/2)‖θ‖²; \
             AdamW's decay is no term of any loss, and it keeps creeping toward ★",
            "AdamW {w_text} < Adam {a_text}：Adam 停在 ◆，即 f + (wd/2)‖θ‖² 的最小值；\
             AdamW 的衰减不是任何损失的一项，它继续向 ★ 慢慢靠近"
        ),
        _ => said!(
            "both are at {a_text}: with weight_decay 0 the two updates are the same",
            "两者都是 {a_text}：weight_decay 为 0 时两种更新完全相同"
        ),
    };
    Some(Question {
        kind: kind::LOWER_LOSS,
        prompt,
        answer: Answer::Choice {
            options: vec![
                Said::plain("adam"),
                Said::plain("adamw"),
                tr!("the same", "一样").into(),
            ],
            correct,
        },
        why,
        context: {
            let mut table = toml::Table::new();
            table.insert(
                "steps".into(),
                toml::Value::Integer(i64::try_from(LOOKAHEAD).unwrap_or(i64::MAX)),
            );
            table
        },
        steps: LOOKAHEAD,
    })
}
