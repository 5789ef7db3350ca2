//! The mixed-precision lesson: what a number becomes in FP32, FP16 and BF16,
//! and what reduced precision does to training, loss scaling included.

pub mod formats;
pub mod questions;
pub mod training;
mod view;

use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::history::Decimated;
use crate::lesson::timeline::Recorded;
use crate::lesson::{
    Choice, Event, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet,
    ParamSpec, Question, Timeline, validate,
};
use crate::theme::Look;
use formats::{BF16, FP16, FP32};
use training::{Mode, Regime, Training};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "precision",
    title: tr!("Mixed precision", "混合精度"),
    summary: "FP32/FP16/BF16 bits and rounding; training with master weights and loss scaling",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/precision.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/precision.toml")),
    questions: questions::KINDS,
};

/// The key moments of a run.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::UNDERFLOW,
        ask: Some(questions::kind::ABSORBED),
        label: tr!("underflow", "下溢"),
        why: tr!(
            "the fp16 run's per-sample gradients round to zero for the first time, or a \
             new quarter of them at once: those samples stop teaching the model",
            "fp16 运行的逐样本梯度第一次被舍入成 0，或一次被清零的又多了四分之一：\
             这些样本不再推动模型"
        ),
    },
    EventKind {
        id: event::OVERFLOW_SKIP,
        ask: Some(questions::kind::NEXT_SCALE),
        label: tr!("overflow: step skipped", "溢出：跳过这一步"),
        why: tr!(
            "amp's scaled gradients overflowed FP16 (inf): GradScaler skips the update and \
             backs the scale off",
            "amp 缩放后的梯度超出了 FP16 的范围（inf）：GradScaler 跳过这次更新并减小缩放值"
        ),
    },
    EventKind {
        id: event::SCALE_GROW,
        ask: Some(questions::kind::NEXT_SCALE),
        label: tr!("scale grows", "缩放值增大"),
        why: tr!(
            "growth_interval good steps in a row: GradScaler tries a larger scale, to lift \
             small gradients further from the underflow zone",
            "连续 growth_interval 个正常步：GradScaler 试用更大的缩放值，把小梯度抬得离下溢区更远"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const UNDERFLOW: &str = "underflow";
    pub const OVERFLOW_SKIP: &str = "overflow-skip";
    pub const SCALE_GROW: &str = "scale-grow";
}

const CHECKPOINT_EVERY: u64 = 64;
const CHECKPOINTS_KEPT: usize = 64;
const MAX_VALUES: usize = 16;
const MAX_ULP_STEPS: i64 = 10_000;
/// 2^40: FP16's smallest non-zero value 2^-24 times this is 2^16 > 65504,
/// so above it every non-zero scaled gradient overflows.
const MAX_INIT_SCALE: f64 = 1_099_511_627_776.0;
const MAX_GROWTH_FACTOR: f64 = 16.0;
const MAX_GROWTH_INTERVAL: i64 = 100_000;
const MAX_HEADLESS_STEPS: i64 = 1_000_000;
/// 2^32 (PyTorch starts at 2^16): this model's gradients are tiny, so a
/// start this high overflows for the first few steps and GradScaler backs off.
const DEFAULT_INIT_SCALE: f64 = 4_294_967_296.0;
/// 50 (PyTorch: 2000), so the scale's growth and its next overflow happen
/// within one run.
const DEFAULT_GROWTH_INTERVAL: i64 = 50;
/// Long enough for fp32 to reach the label noise's floor at lr 0.01.
const DEFAULT_STEPS: i64 = 1_000;
/// How far ←/→ move the counts of steps.
const STEPS_NUDGE: i64 = 100;

mod key {
    pub const VALUES: &str = "values";
    pub const ULP_STEPS: &str = "ulp_steps";
    pub const MODES: &str = "modes";
    pub const GRAD_SCALE: &str = "grad_scale";
    pub const LR: &str = "lr";
    pub const INIT_SCALE: &str = "init_scale";
    pub const GROWTH_FACTOR: &str = "growth_factor";
    pub const BACKOFF_FACTOR: &str = "backoff_factor";
    pub const GROWTH_INTERVAL: &str = "growth_interval";
    pub const STEPS: &str = "steps";
}

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::float_list(key::VALUES, 1..=MAX_VALUES, &[0.1, 65504.0, 1e-8])
            .allow_non_finite()
            .help(tr!(
                "numbers to convert; the first is studied bit by bit",
                "要转换的数；第一个会逐位研究"
            )),
        ParamSpec::int(key::ULP_STEPS, -MAX_ULP_STEPS..=MAX_ULP_STEPS, 0).help(tr!(
            "move the studied value this many FP16 values up (←→: one at a time)",
            "把所研究的值向上移动这么多个 FP16 值（←→：一次一个）"
        )),
        ParamSpec::choice_list(key::MODES, 1..=Mode::ALL.len(), Mode::ALL).help(tr!(
            "training regimes run side by side",
            "并排训练的精度方案"
        )),
        // The defaults tell the lesson's story (measured finals in README.md):
        // gradients small enough that late in the run fp16 flushes them to
        // zero, a learning rate small enough that late updates fall below
        // half FP16's spacing at the weights, and a loss scale that starts
        // too large, so GradScaler is seen backing off and then growing.
        ParamSpec::float(key::GRAD_SCALE, 1e-8..=1.0, 2e-6)
            .log_scale()
            .help(tr!(
                "gradient size: push it into FP16's underflow zone",
                "梯度的量级：把它压进 FP16 的下溢区"
            )),
        ParamSpec::float(key::LR, 1e-4..=1.0, 0.01)
            .log_scale()
            .help(tr!(
                "learning rate (of the unscaled problem)",
                "学习率（对未缩放的问题而言）"
            )),
        ParamSpec::float(key::INIT_SCALE, 1.0..=MAX_INIT_SCALE, DEFAULT_INIT_SCALE)
            .log_scale()
            .help(tr!(
                "GradScaler: starting loss scale",
                "GradScaler：初始的损失缩放系数"
            )),
        ParamSpec::float(key::GROWTH_FACTOR, 1.01..=MAX_GROWTH_FACTOR, 2.0).help(tr!(
            "GradScaler: scale × this after enough good steps",
            "GradScaler：正常步数够了之后，缩放系数乘以它"
        )),
        ParamSpec::float(key::BACKOFF_FACTOR, 0.01..=0.99, 0.5).help(tr!(
            "GradScaler: scale × this on inf/NaN",
            "GradScaler：遇到 inf/NaN 时，缩放系数乘以它"
        )),
        ParamSpec::int(
            key::GROWTH_INTERVAL,
            1..=MAX_GROWTH_INTERVAL,
            DEFAULT_GROWTH_INTERVAL,
        )
        .step(STEPS_NUDGE)
        .help(tr!(
            "GradScaler: good steps before the scale grows",
            "GradScaler：连续多少个正常步后放大缩放系数"
        )),
        ParamSpec::int(key::STEPS, 1..=MAX_HEADLESS_STEPS, DEFAULT_STEPS)
            .step(STEPS_NUDGE)
            .help(tr!(
                "length of a headless run (trace)",
                "无界面运行（trace）的步数"
            )),
    ]
}

/// The values converted, and the training regimes run.
struct Setup {
    values: Vec<f64>,
    ulp_steps: i64,
    modes: Vec<Mode>,
    regime: Regime,
    headless_steps: u64,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        Ok(Setup {
            values: params.float_list(key::VALUES)?.to_vec(),
            ulp_steps: params.int(key::ULP_STEPS)?,
            modes: params.choice_list(key::MODES)?,
            regime: Regime {
                grad_scale: params.float(key::GRAD_SCALE)? as f32,
                lr: params.float(key::LR)? as f32,
                init_scale: params.float(key::INIT_SCALE)? as f32,
                growth_factor: params.float(key::GROWTH_FACTOR)? as f32,
                backoff_factor: params.float(key::BACKOFF_FACTOR)? as f32,
                growth_interval: params.count(key::GROWTH_INTERVAL)? as u32,
            },
            headless_steps: params.count(key::STEPS)? as u64,
        })
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let setup = Setup::from_params(params)?;
    let model = Training::new(setup.regime, &setup.modes, seed);
    Ok(Box::new(PrecisionLesson {
        timeline: Recorded::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT, samples),
        setup,
    }))
}

/// One sample per mode, for the history.
fn samples(model: &Training) -> Vec<Sample> {
    model
        .runs
        .iter()
        .map(|run| Sample {
            loss: model.mse(&run.weights),
            scale: run.scaler.map_or(1.0, |s| s.scale),
            skipped: run.skipped_last,
        })
        .collect()
}

/// Per-mode values charted over steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub loss: f64,
    /// The loss scale (1 without scaling).
    pub scale: f32,
    pub skipped: bool,
}

pub struct PrecisionLesson {
    setup: Setup,
    /// One sample per mode per recorded step, beside the checkpoints.
    timeline: Recorded<Training, Vec<Sample>>,
}

impl PrecisionLesson {
    pub fn model(&self) -> &Training {
        self.timeline.model()
    }

    pub fn history(&self) -> &Decimated<Vec<Sample>> {
        self.timeline.history()
    }

    /// The value under study: the first value moved `ulp_steps` FP16 values.
    pub fn studied(&self) -> f64 {
        let first = self.setup.values.first().copied().unwrap_or(0.0);
        if self.setup.ulp_steps == 0 {
            first
        } else {
            FP16.step(first, self.setup.ulp_steps)
        }
    }

    pub fn values(&self) -> &[f64] {
        &self.setup.values
    }
}

/// A loss scale as the lesson prints it: a whole number when it is one (as
/// it is with the default factors), else its shortest round-trip form.
pub fn scale_text(scale: f32) -> String {
    let scale = f64::from(scale);
    if scale.is_finite() && scale.fract() == 0.0 {
        format!("{scale:.0}")
    } else {
        crate::lesson::param::format_float(scale)
    }
}

/// The GradScaler step, whose lines the lesson highlights.
const CODE: &[&str] = &[
    "loss = model(x) in fp16; scaled = loss × scale",
    "grads = backward(scaled)              # fp16",
    "grads = f32(grads) × f32(1/scale)     # unscale",
    "if any grad is inf or nan:",
    "  skip the step; scale ×= backoff; good = 0",
    "else: master −= lr × grads; good += 1",
    "  if good == growth_interval: scale ×= growth; good = 0",
];
/// [`CODE`] with its comments in Chinese; the code is the same.
const CODE_ZH: &[&str] = &[
    "loss = model(x) in fp16; scaled = loss × scale",
    "grads = backward(scaled)              # fp16",
    "grads = f32(grads) × f32(1/scale)     # 反缩放",
    "if any grad is inf or nan:",
    "  skip the step; scale ×= backoff; good = 0",
    "else: master −= lr × grads; good += 1",
    "  if good == growth_interval: scale ×= growth; good = 0",
];

impl Lesson for PrecisionLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.timeline
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.timeline
    }

    fn total_steps(&self) -> Option<u64> {
        None
    }
    fn is_finished(&self) -> bool {
        false
    }
    fn pseudocode(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::En => CODE,
            Lang::Zh => CODE_ZH,
        }
    }
    fn current_line(&self) -> usize {
        let amp = self.model().runs.iter().find(|r| r.mode == Mode::Amp);
        match amp {
            _ if self.timeline.steps() == 0 => 0,
            Some(run) if run.skipped_last => 4,
            Some(run) if run.scaler.is_some_and(|s| s.good_steps == 0) => 6,
            _ => 5,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, 0, area, buf, look);
    }
    fn pages(&self, area: Rect) -> usize {
        view::pages(area)
    }
    fn render_page(&self, page: usize, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, page, area, buf, look);
    }
    fn events(&self, out: &mut Vec<Event>) {
        let model = self.model();
        if model.steps == 0 {
            return;
        }
        // Underflow is reported for the pure fp16 run (fp16_master's
        // gradients are computed the same way), or fp16_master without it.
        let flushing = model
            .runs
            .iter()
            .find(|run| run.mode == Mode::Fp16)
            .or_else(|| model.runs.iter().find(|run| run.mode == Mode::Fp16Master));
        if let Some(run) = flushing.filter(|run| run.flushed_rose) {
            let (flushed, of) = (run.flushed, training::SAMPLES);
            out.push(Event::new(event::UNDERFLOW, format!("{flushed}/{of}")));
        }
        let amp = model.runs.iter().find(|run| run.mode == Mode::Amp);
        if let Some((run, scaler)) = amp.and_then(|run| Some((run, run.scaler?))) {
            // Data, the same in both languages: the scale before and after.
            let detail = format!(
                "{} -> {}",
                scale_text(run.scale_before),
                scale_text(scaler.scale)
            );
            if run.skipped_last {
                out.push(Event::new(event::OVERFLOW_SKIP, detail));
            } else if run.grew_last {
                out.push(Event::new(event::SCALE_GROW, detail));
            }
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self.model(), &self.setup.values, self.studied(), pick)
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &[
            "step",
            "mode",
            "loss",
            "scale",
            "found_inf",
            "skipped",
            "underflow_frac",
        ]
    }
    fn trace_start(&self, rows: &mut Vec<Vec<Field>>) {
        self.trace_step(rows);
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let model = self.model();
        for run in &model.runs {
            rows.push(vec![
                model.steps.into(),
                run.mode.name().into(),
                model.mse(&run.weights).into(),
                f64::from(run.scaler.map_or(1.0, |s| s.scale)).into(),
                run.found_inf.into(),
                run.skipped_last.into(),
                run.underflow_frac.into(),
            ]);
        }
    }
    fn summary(&self) -> toml::Table {
        let values = &self.setup.values;
        let strings = |f: &dyn Fn(f64) -> String| {
            toml::Value::Array(values.iter().map(|&x| toml::Value::String(f(x))).collect())
        };
        let floats = |f: &dyn Fn(f64) -> f64| {
            toml::Value::Array(values.iter().map(|&x| toml::Value::Float(f(x))).collect())
        };
        let mut table = toml::Table::new();
        table.insert("values".into(), floats(&|x| x));
        table.insert("fp32_bits".into(), strings(&|x| FP32.hex(FP32.encode(x))));
        table.insert("fp16_bits".into(), strings(&|x| FP16.hex(FP16.encode(x))));
        table.insert("bf16_bits".into(), strings(&|x| BF16.hex(BF16.encode(x))));
        table.insert("fp16_value".into(), floats(&|x| FP16.round(x)));
        table.insert("bf16_value".into(), floats(&|x| BF16.round(x)));
        table.insert(
            "fp16_class".into(),
            strings(&|x| FP16.class(FP16.encode(x)).name().to_string()),
        );
        table.insert(
            "bf16_class".into(),
            strings(&|x| BF16.class(BF16.encode(x)).name().to_string()),
        );
        let model = self.model();
        let mut modes = toml::Table::new();
        for run in &model.runs {
            let mut entry = toml::Table::new();
            let loss = model.mse(&run.weights);
            entry.insert("final_loss".into(), loss.into());
            // A learning rate too large for the data sends the loss to
            // infinity and then NaN: said so, not left to be guessed.
            entry.insert("diverged".into(), (!loss.is_finite()).into());
            entry.insert(
                "skipped_steps".into(),
                toml::Value::Integer(i64::try_from(run.skipped).unwrap_or(i64::MAX)),
            );
            entry.insert(
                "final_scale".into(),
                f64::from(run.scaler.map_or(1.0, |s| s.scale)).into(),
            );
            modes.insert(run.mode.name().into(), toml::Value::Table(entry));
        }
        table.insert("mode".into(), toml::Value::Table(modes));
        table.insert(
            "steps".into(),
            toml::Value::Integer(i64::try_from(model.steps).unwrap_or(i64::MAX)),
        );
        table
    }
    fn headless_steps(&self) -> Option<u64> {
        Some(self.setup.headless_steps)
    }
}
