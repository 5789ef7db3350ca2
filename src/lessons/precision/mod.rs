//! The mixed-precision lesson: what a number becomes in FP32, FP16 and BF16,
//! and what reduced precision does to training, loss scaling included.

pub mod formats;
pub mod training;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::lesson::history::Decimated;
use crate::lesson::timeline::Checkpoints;
use crate::lesson::{
    Field, Lesson, LessonEntry, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue,
    delegate_recorded,
};
use crate::theme::Theme;
use formats::{BF16, FP16, FP32};
use training::{MODE_NAMES, Mode, Setup, Training};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "precision",
    title: "Mixed precision",
    summary: "FP32/FP16/BF16 bits and rounding; training with master weights and loss scaling",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/precision.md"),
};

const CHECKPOINT_EVERY: u64 = 64;
const CHECKPOINTS_KEPT: usize = 64;
const MAX_VALUES: usize = 16;
const MAX_ULP_STEPS: i64 = 10_000;

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "values",
            help: "numbers to convert; the first is studied bit by bit",
            kind: ParamKind::FloatList {
                min_len: 1,
                max_len: MAX_VALUES,
                finite: false,
            },
            default: ParamValue::FloatList(vec![0.1, 65504.0, 1e-8]),
        },
        ParamSpec {
            key: "ulp_steps",
            help: "move the studied value this many FP16 values up (←→: one at a time)",
            kind: ParamKind::Int {
                min: -MAX_ULP_STEPS,
                max: MAX_ULP_STEPS,
                step: 1,
            },
            default: ParamValue::Int(0),
        },
        ParamSpec {
            key: "modes",
            help: "training regimes run side by side",
            kind: ParamKind::ChoiceList {
                options: MODE_NAMES,
                min_len: 1,
                max_len: MODE_NAMES.len(),
            },
            default: ParamValue::ChoiceList(MODE_NAMES.to_vec()),
        },
        ParamSpec::float(
            "grad_scale",
            "gradient size: push it into FP16's underflow zone",
            1e-8,
            1.0,
            true,
            1e-6,
        ),
        ParamSpec::float(
            "lr",
            "learning rate (of the unscaled problem)",
            1e-4,
            1.0,
            true,
            0.1,
        ),
        ParamSpec::float(
            "init_scale",
            "GradScaler: starting loss scale",
            1.0,
            16_777_216.0,
            true,
            65_536.0,
        ),
        ParamSpec::float(
            "growth_factor",
            "GradScaler: scale × this after enough good steps",
            1.01,
            16.0,
            false,
            2.0,
        ),
        ParamSpec::float(
            "backoff_factor",
            "GradScaler: scale × this on inf/NaN",
            0.01,
            0.99,
            false,
            0.5,
        ),
        ParamSpec {
            key: "growth_interval",
            help: "GradScaler: good steps before the scale grows",
            kind: ParamKind::Int {
                min: 1,
                max: 100_000,
                step: 100,
            },
            default: ParamValue::Int(2_000),
        },
        ParamSpec {
            key: "steps",
            help: "length of a headless run (trace)",
            kind: ParamKind::Int {
                min: 1,
                max: 1_000_000,
                step: 100,
            },
            default: ParamValue::Int(500),
        },
    ]
}

struct Settings {
    values: Vec<f64>,
    ulp_steps: i64,
    modes: Vec<Mode>,
    setup: Setup,
    headless_steps: u64,
}

impl Settings {
    fn from_params(params: &ParamSet) -> Settings {
        Settings {
            values: params.float_list("values").to_vec(),
            ulp_steps: params.int("ulp_steps"),
            modes: params
                .choice_list("modes")
                .iter()
                .filter_map(|name| Mode::from_name(name))
                .collect(),
            setup: Setup {
                grad_scale: params.float("grad_scale") as f32,
                lr: params.float("lr") as f32,
                init_scale: params.float("init_scale") as f32,
                growth_factor: params.float("growth_factor") as f32,
                backoff_factor: params.float("backoff_factor") as f32,
                growth_interval: params.int("growth_interval").unsigned_abs() as u32,
            },
            headless_steps: params.int("steps").unsigned_abs(),
        }
    }
}

fn validate(_params: &ParamSet) -> Result<(), ParamError> {
    Ok(())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let settings = Settings::from_params(params);
    let model = Training::new(settings.setup, &settings.modes, seed);
    let mut lesson = PrecisionLesson {
        params: params.clone(),
        seed,
        history: Decimated::default(),
        timeline: Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
        settings,
    };
    lesson.record();
    Ok(Box::new(lesson))
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
    params: ParamSet,
    seed: u64,
    settings: Settings,
    timeline: Checkpoints<Training>,
    /// One sample per mode per recorded step.
    history: Decimated<Vec<Sample>>,
}

impl PrecisionLesson {
    pub fn model(&self) -> &Training {
        self.timeline.model()
    }

    pub fn history(&self) -> &Decimated<Vec<Sample>> {
        &self.history
    }

    /// The value under study: the first value moved `ulp_steps` FP16 values.
    pub fn studied(&self) -> f64 {
        let first = self.settings.values.first().copied().unwrap_or(0.0);
        if self.settings.ulp_steps == 0 {
            first
        } else {
            FP16.step(first, self.settings.ulp_steps)
        }
    }

    pub fn values(&self) -> &[f64] {
        &self.settings.values
    }

    fn record(&mut self) {
        let model = self.timeline.model();
        self.history.record(model.steps, || {
            model
                .runs
                .iter()
                .map(|run| Sample {
                    loss: model.mse(&run.weights),
                    scale: run.scaler.map_or(1.0, |s| s.scale),
                    skipped: run.skipped_last,
                })
                .collect()
        });
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

impl Lesson for PrecisionLesson {
    delegate_recorded!(timeline, history);

    fn total_steps(&self) -> Option<u64> {
        None
    }
    fn is_finished(&self) -> bool {
        false
    }
    fn reset(&mut self, seed: u64) {
        self.seed = seed;
        let model = Training::new(self.settings.setup, &self.settings.modes, seed);
        self.timeline = Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT);
        self.history = Decimated::default();
        self.record();
    }
    fn pseudocode(&self) -> &'static [&'static str] {
        CODE
    }
    fn current_line(&self) -> usize {
        let amp = self.model().runs.iter().find(|r| r.mode == Mode::Amp);
        match amp {
            _ if self.steps() == 0 => 0,
            Some(run) if run.skipped_last => 4,
            Some(run) if run.scaler.is_some_and(|s| s.good_steps == 0) => 6,
            _ => 5,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
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
        let values = &self.settings.values;
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
        Some(self.settings.headless_steps)
    }
}
