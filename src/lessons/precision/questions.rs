//! Mixed precision's questions: a number's FP16 bits, the number a bit
//! pattern holds, GradScaler's next scale, and whether an fp16 weight keeps
//! its update. Each answer is read off the lesson's own conversion or off a
//! copy of the training stepped once, so it is exactly what the screen then
//! shows.

use crate::i18n::Said;
use crate::lesson::timeline::Replayable;
use crate::lesson::{Answer, Question, QuestionKind};
use crate::{said, tr};

use super::formats::{Class, FP16};
use super::scale_text;
use super::training::{Mode, PARAMS, Training};
use crate::i18n::Tr;
use crate::lesson::param::format_float;

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const FP16_BITS: &str = "fp16-bits";
    pub const FP16_VALUE: &str = "fp16-value";
    pub const NEXT_SCALE: &str = "next-scale";
    pub const ABSORBED: &str = "absorbed";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::FP16_BITS,
        label: tr!("a number's FP16 bits", "一个数的 FP16 比特"),
    },
    QuestionKind {
        id: kind::FP16_VALUE,
        label: tr!("the number FP16 bits hold", "FP16 比特表示的数"),
    },
    QuestionKind {
        id: kind::NEXT_SCALE,
        label: tr!("GradScaler's next scale", "GradScaler 的下一个缩放值"),
    },
    QuestionKind {
        id: kind::ABSORBED,
        label: tr!("does the update survive", "更新会不会被吞掉"),
    },
];

/// Hex digits of an FP16 bit pattern.
const FP16_DIGITS: usize = 4;
/// A reply to `fp16-value` counts when it is nearer to the answer than to
/// either neighbour: within a quarter of the spacing there.
const VALUE_TOLERANCE_OF_SPACING: f64 = 0.25;
/// How many kinds `pick` rotates through.
const KIND_COUNT: u64 = 4;

/// One question, `pick` choosing its kind (and, divided by the kinds, which
/// value or weight) among those that apply here.
pub fn ask(model: &Training, values: &[f64], studied: f64, pick: u64) -> Option<Question> {
    let which = pick / KIND_COUNT;
    (0..KIND_COUNT).find_map(|offset| match (pick % KIND_COUNT + offset) % KIND_COUNT {
        0 => fp16_bits(values, which),
        1 => fp16_value(model, studied, which),
        2 => next_scale(model),
        _ => absorbed(model, which),
    })
}

/// `fp16-bits`: the FP16 bit pattern of one of `values` other than the first
/// (whose bits are on screen), rounded once from the full f64 value.
fn fp16_bits(values: &[f64], which: u64) -> Option<Question> {
    let others = values.get(1..).filter(|rest| !rest.is_empty())?;
    let at = usize::try_from(which % others.len() as u64).ok()?;
    let value = *others.get(at)?;
    let bits = FP16.encode(value);
    let shown = format_float(value);
    let (sign, exponent, significand) = FP16.fields(bits);
    let rounded = format_float(FP16.decode(bits));
    let class = class_name(FP16.class(bits));
    let (class_en, class_zh) = (class.en, class.zh);
    let mut context = toml::Table::new();
    context.insert("value".into(), value.into());
    Some(Question {
        kind: kind::FP16_BITS,
        prompt: said!(
            "What are the FP16 bits of {shown}, as 4 hex digits?",
            "{shown} 的 FP16 比特是什么？写成 4 位十六进制。"
        ),
        answer: Answer::Hex {
            value: u64::from(bits),
            digits: FP16_DIGITS,
        },
        why: said!(
            "{shown} rounds to {rounded} ({class_en}): sign {sign}, exponent {exponent}, \
             significand {significand}",
            "{shown} 舍入为 {rounded}（{class_zh}）：符号 {sign}，指数 {exponent}，尾数 {significand}"
        ),
        context,
        steps: 0,
    })
}

/// `fp16-value`: the number a bit pattern holds: a weight of the pure fp16
/// run once it has one, else the FP16 value just above the studied one.
fn fp16_value(model: &Training, studied: f64, which: u64) -> Option<Question> {
    let weight = model
        .runs
        .iter()
        .find(|run| run.mode == Mode::Fp16)
        .and_then(|run| {
            let j = usize::try_from(which % PARAMS as u64).ok()?;
            let w = *run.weights.get(j)?;
            (w != 0.0).then_some((j, f64::from(w)))
        });
    let (bits, prompt) = match weight {
        Some((j, w)) => {
            let bits = FP16.encode(w);
            let hex = FP16.hex(bits);
            let name = weight_name(j);
            (
                bits,
                said!(
                    "The fp16 run stores {name} as {hex}. What number is that?",
                    "fp16 运行把 {name} 存为 {hex}。它是哪个数？"
                ),
            )
        }
        None => {
            let above = FP16.step(studied, 1);
            if !above.is_finite() {
                return None;
            }
            let bits = FP16.encode(above);
            let hex = FP16.hex(bits);
            (
                bits,
                said!(
                    "{hex} is the FP16 value just above x. What number is it?",
                    "{hex} 是 x 之上紧挨着的 FP16 值。它是哪个数？"
                ),
            )
        }
    };
    let value = FP16.decode(bits);
    let spacing = FP16.ulp(bits);
    let (sign, exponent, significand) = FP16.fields(bits);
    let (shown, bias) = (format_float(value), FP16.bias());
    let mut context = toml::Table::new();
    context.insert("bits".into(), FP16.hex(bits).into());
    Some(Question {
        kind: kind::FP16_VALUE,
        prompt,
        answer: Answer::Number {
            value,
            tolerance: spacing * VALUE_TOLERANCE_OF_SPACING,
        },
        why: said!(
            "sign {sign}, exponent {exponent} (bias {bias}), significand {significand}: \
             {shown} exactly",
            "符号 {sign}，指数 {exponent}（偏置 {bias}），尾数 {significand}：恰好是 {shown}"
        ),
        context,
        steps: 0,
    })
}

/// `next-scale`: amp's loss scale after the next step, read off a copy
/// stepped once.
fn next_scale(model: &Training) -> Option<Question> {
    let at = model.runs.iter().position(|run| run.mode == Mode::Amp)?;
    let scaler = model.runs.get(at)?.scaler?;
    let mut copy = model.clone();
    copy.step();
    let after = copy.runs.get(at)?;
    let next = after.scaler?.scale;
    let found_inf = after.found_inf;
    let (scale, good, interval) = (
        scale_text(scaler.scale),
        scaler.good_steps,
        scaler.growth_interval,
    );
    let (growth, backoff) = (
        format_float(f64::from(scaler.growth_factor)),
        format_float(f64::from(scaler.backoff_factor)),
    );
    let outcome = if found_inf {
        tr!(
            "will overflow (an inf in the gradients)",
            "会溢出（梯度里出现 inf）"
        )
    } else {
        tr!("will be finite", "都是有限值")
    };
    let (outcome_en, outcome_zh) = (outcome.en, outcome.zh);
    let next_text = scale_text(next);
    let why = if found_inf {
        said!(
            "an overflow skips the step and multiplies the scale by backoff_factor {backoff}: \
             {scale} → {next_text}, good steps back to 0",
            "溢出时跳过这一步，缩放值乘以 backoff_factor {backoff}：{scale} → {next_text}，\
             正常步数归零"
        )
    } else if good + 1 >= interval {
        said!(
            "a finite step makes {interval} good steps in a row, so the scale is multiplied \
             by growth_factor {growth}: {scale} → {next_text}",
            "这一步正常，连续正常步数达到 {interval}，缩放值乘以 growth_factor {growth}：\
             {scale} → {next_text}"
        )
    } else {
        let count = good + 1;
        said!(
            "a finite step only counts: {count} of {interval} good steps, the scale stays \
             {next_text}",
            "正常的一步只计数：{count}/{interval} 个正常步，缩放值保持 {next_text}"
        )
    };
    let mut context = toml::Table::new();
    context.insert("scale".into(), f64::from(scaler.scale).into());
    context.insert("found_inf".into(), found_inf.into());
    context.insert("good_steps".into(), i64::from(good).into());
    context.insert("growth_interval".into(), i64::from(interval).into());
    context.insert(
        "growth_factor".into(),
        f64::from(scaler.growth_factor).into(),
    );
    context.insert(
        "backoff_factor".into(),
        f64::from(scaler.backoff_factor).into(),
    );
    let next = f64::from(next);
    let answer = if next.fract() == 0.0 && next.abs() < MAX_EXACT_INTEGER {
        // Exactly representable: the guard above keeps the cast exact.
        Answer::Integer(next as i64)
    } else {
        Answer::Number {
            value: next,
            tolerance: next.abs() * SCALE_TOLERANCE,
        }
    };
    Some(Question {
        kind: kind::NEXT_SCALE,
        prompt: said!(
            "amp's scale is {scale}, with {good} of {interval} good steps. The next step's \
             gradients {outcome_en}. What will the scale be after it?",
            "amp 的缩放值是 {scale}，已有 {good}/{interval} 个正常步。下一步的梯度{outcome_zh}。\
             这一步之后缩放值是多少？"
        ),
        answer,
        why,
        context,
        steps: 1,
    })
}

/// 2^53: integers below it are exact in f64 and in i64 alike.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;
/// A scale that is not a whole number is right to one part in a million.
const SCALE_TOLERANCE: f64 = 1e-6;

/// `absorbed`: whether the pure fp16 run's next update to one weight rounds
/// back to the weight. Only weights whose update is non-zero are asked about.
fn absorbed(model: &Training, which: u64) -> Option<Question> {
    let at = model.runs.iter().position(|run| run.mode == Mode::Fp16)?;
    let before = model.runs.get(at)?.weights;
    let mut copy = model.clone();
    copy.step();
    let after = copy.runs.get(at)?;
    let first = usize::try_from(which % PARAMS as u64).ok()?;
    let j = (0..PARAMS)
        .map(|offset| (first + offset) % PARAMS)
        .find(|&j| after.update.get(j).is_some_and(|u| *u != 0.0))?;
    let (w, u) = (f64::from(before[j]), f64::from(after.update[j]));
    let kept = after.weights[j] == before[j];
    let name = weight_name(j);
    let (w_text, u_text) = (format_float(w), format_float(u));
    // The spacing on u's side of w: below a power of two it is half the one above.
    let neighbour = FP16.step(w, if u > 0.0 { 1 } else { -1 });
    let half = format_float((neighbour - w).abs() / 2.0);
    let why: Said = if kept {
        said!(
            "|u| is under half the FP16 spacing at w on u's side ({half}): w + u rounds back to \
             {w_text}, the update is lost",
            "|u| 小于 w 在 u 那一侧的 FP16 间距的一半（{half}）：w + u 舍入回 {w_text}，这次更新丢了"
        )
    } else {
        let new = format_float(f64::from(after.weights[j]));
        said!(
            "|u| reaches half the FP16 spacing at w on u's side ({half}) or more: w + u rounds to {new}",
            "|u| 不小于 w 在 u 那一侧的 FP16 间距的一半（{half}）：w + u 舍入为 {new}"
        )
    };
    let mut context = toml::Table::new();
    context.insert("w".into(), w.into());
    context.insert("u".into(), u.into());
    Some(Question {
        kind: kind::ABSORBED,
        prompt: said!(
            "The fp16 run's {name} is {w_text}; the next step adds u = {u_text}. Does \
             fp16(w + u) equal w?",
            "fp16 运行的 {name} 是 {w_text}；下一步加上 u = {u_text}。fp16(w + u) 等于 w 吗？"
        ),
        answer: Answer::yes_no(kept),
        why,
        context,
        steps: 1,
    })
}

/// `w1`…`w8` for the weights, `b` for the bias.
fn weight_name(j: usize) -> String {
    if j + 1 == PARAMS {
        "b".to_string()
    } else {
        format!("w{}", j + 1)
    }
}

/// A number's class in both languages.
fn class_name(class: Class) -> Tr {
    match class {
        Class::Zero => tr!("zero", "零"),
        Class::Subnormal => tr!("subnormal", "次正规数"),
        Class::Normal => tr!("normal", "正规数"),
        Class::Infinite => tr!("infinity", "无穷大"),
        Class::Nan => tr!("not a number", "非数 NaN"),
    }
}
