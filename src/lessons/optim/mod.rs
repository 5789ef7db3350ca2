//! The Adam vs AdamW lesson: parameters, timeline, chart history and headless
//! reporting around [`model::Optimizers`]; drawing lives in [`view`].

pub mod model;
pub mod surface;
mod view;

use std::cell::RefCell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::lesson::history::Decimated;
use crate::lesson::timeline::Checkpoints;
use crate::lesson::{
    Field, Lesson, LessonEntry, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue,
    delegate_recorded,
};
use crate::theme::Theme;
use model::{Hyper, KIND_NAMES, Kind, Optimizers, Run};
use surface::Surface;

pub const ENTRY: LessonEntry = LessonEntry {
    id: "optim",
    title: "Adam vs AdamW",
    summary: "optimizer paths on 2-D surfaces; weight decay in the gradient (L2) vs decoupled",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/optim.md"),
};

/// A checkpoint every this many steps, and how many are kept: rewind reaches
/// at least `CHECKPOINT_EVERY × (CHECKPOINTS_KEPT − 1)` steps back.
const CHECKPOINT_EVERY: u64 = 256;
const CHECKPOINTS_KEPT: usize = 64;

const SURFACES: &[&str] = &["rosenbrock", "bowl", "himmelblau", "saddle"];
const MAX_START: f64 = 5.0;

fn specs() -> Vec<ParamSpec> {
    // Defaults: on Rosenbrock with decay 0.3, AdamW's uniform decay pulls it
    // across toward the origin within 300 steps while Adam, whose decay term is
    // divided by the large √v̂ of the steep walls, follows the valley; Adam then
    // settles on the minimum of f + (wd/2)‖θ‖² and AdamW nearer f's own.
    vec![
        ParamSpec {
            key: "surface",
            help: "the loss surface f(x, y)",
            kind: ParamKind::Choice(SURFACES),
            default: ParamValue::Choice("rosenbrock"),
        },
        ParamSpec::float(
            "condition",
            "bowl only: κ in ½(x² + κy²)",
            1.0,
            1000.0,
            true,
            50.0,
        ),
        ParamSpec {
            key: "optimizers",
            help: "optimizers run side by side, in this order",
            kind: ParamKind::ChoiceList {
                options: KIND_NAMES,
                min_len: 1,
                max_len: KIND_NAMES.len(),
            },
            default: ParamValue::ChoiceList(vec!["adam", "adamw"]),
        },
        ParamSpec::float("lr", "learning rate", 1e-5, 1.0, true, 0.02),
        ParamSpec::float(
            "momentum",
            "momentum μ (momentum optimizer)",
            0.0,
            0.999,
            false,
            0.9,
        ),
        ParamSpec::float(
            "beta1",
            "β1: decay of the first moment m",
            0.0,
            0.999,
            false,
            0.9,
        ),
        ParamSpec::float(
            "beta2",
            "β2: decay of the second moment v",
            0.0,
            0.99999,
            false,
            0.999,
        ),
        ParamSpec::float("eps", "ε added to √v̂", 1e-12, 1e-2, true, 1e-8),
        ParamSpec::float("weight_decay", "weight decay wd", 0.0, 1.0, false, 0.3),
        ParamSpec {
            key: "amsgrad",
            help: "AMSGrad: divide by the largest v seen",
            kind: ParamKind::Bool,
            default: ParamValue::Bool(false),
        },
        ParamSpec::float(
            "start_x",
            "start point x",
            -MAX_START,
            MAX_START,
            false,
            -1.5,
        ),
        ParamSpec::float(
            "start_y",
            "start point y",
            -MAX_START,
            MAX_START,
            false,
            2.0,
        ),
        ParamSpec::float(
            "noise",
            "std of Gaussian noise added to each gradient",
            0.0,
            10.0,
            false,
            0.0,
        ),
        ParamSpec {
            key: "steps",
            help: "length of a headless run (trace)",
            kind: ParamKind::Int {
                min: 1,
                max: 1_000_000,
                step: 100,
            },
            default: ParamValue::Int(1_000),
        },
    ]
}

/// Everything a run is built from.
#[derive(Clone, Debug)]
struct Setup {
    surface: Surface,
    hyper: Hyper,
    noise: f64,
    kinds: Vec<Kind>,
    start: [f64; 2],
    headless_steps: u64,
}

impl Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let surface = match params.choice("surface") {
            "bowl" => Surface::Bowl {
                condition: params.float("condition"),
            },
            "himmelblau" => Surface::Himmelblau,
            "saddle" => Surface::Saddle,
            _ => Surface::Rosenbrock,
        };
        let kinds = params
            .choice_list("optimizers")
            .iter()
            .filter_map(|name| Kind::from_name(name))
            .collect();
        Ok(Setup {
            surface,
            hyper: Hyper {
                lr: params.float("lr"),
                momentum: params.float("momentum"),
                beta1: params.float("beta1"),
                beta2: params.float("beta2"),
                eps: params.float("eps"),
                weight_decay: params.float("weight_decay"),
                amsgrad: params.flag("amsgrad"),
            },
            noise: params.float("noise"),
            kinds,
            start: [params.float("start_x"), params.float("start_y")],
            headless_steps: params.int("steps").unsigned_abs(),
        })
    }

    fn model(&self, seed: u64) -> Optimizers {
        Optimizers::new(
            self.surface,
            self.hyper,
            self.noise,
            &self.kinds,
            self.start,
            seed,
        )
    }
}

fn validate(params: &ParamSet) -> Result<(), ParamError> {
    Setup::from_params(params).map(|_| ())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let setup = Setup::from_params(params)?;
    let model = setup.model(seed);
    let history = history_from(&model);
    Ok(Box::new(OptimLesson {
        params: params.clone(),
        seed,
        timeline: Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
        history,
        setup,
        contour: RefCell::new(None),
    }))
}

/// Values recorded per run for the charts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub theta: [f64; 2],
    /// f(θ) − f*, the distance to the best value.
    pub gap: f64,
    pub norm: f64,
    /// lr/(√v̂ + ε) per coordinate (adaptive optimizers only).
    pub effective_lr: [f64; 2],
}

impl Sample {
    fn of(run: &Run, surface: &Surface, hyper: &Hyper) -> Sample {
        Sample {
            theta: run.theta,
            gap: surface.value(run.theta) - surface.min_value(),
            norm: run.theta[0].hypot(run.theta[1]),
            effective_lr: if run.kind.is_adaptive() && run.t > 0 {
                run.effective_lr(hyper)
            } else {
                [f64::NAN; 2]
            },
        }
    }
}

/// Chart history: one sample per optimizer per recorded step, thinned as it grows.
pub type History = Decimated<Vec<Sample>>;

/// A fresh history holding the start.
fn history_from(model: &Optimizers) -> History {
    let mut history = History::default();
    record(&mut history, model);
    history
}

fn record(history: &mut History, model: &Optimizers) {
    history.record(model.steps, || {
        model
            .runs
            .iter()
            .map(|run| Sample::of(run, &model.surface, &model.hyper))
            .collect()
    });
}

/// (step, sample) of optimizer `run`, oldest first.
pub fn series(history: &History, run: usize) -> impl Iterator<Item = (u64, &Sample)> + '_ {
    history
        .iter()
        .filter_map(move |(step, samples)| samples.get(run).map(|s| (step, s)))
}

pub struct OptimLesson {
    params: ParamSet,
    seed: u64,
    setup: Setup,
    timeline: Checkpoints<Optimizers>,
    history: History,
    /// The contour map drawn last, reused until the surface, window or size changes.
    contour: RefCell<Option<view::ContourCache>>,
}

impl OptimLesson {
    /// Adds the step just taken to the chart history.
    fn record(&mut self) {
        record(&mut self.history, self.timeline.model());
    }

    pub fn model(&self) -> &Optimizers {
        self.timeline.model()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn checkpoint_count(&self) -> usize {
        self.timeline.checkpoint_count()
    }
}

/// Pseudocode line numbers (0-based).
mod line {
    pub const LOOP: usize = 0;
    pub const UPDATE: usize = 7;
}

/// Adam and AdamW in one listing: lines 2 and 3 are where they part.
const CODE: &[&str] = &[
    "for t = 1, 2, …:",
    "  g = ∇f(θ) (+ noise)",
    "  adam:  g = g + wd·θ        # decay enters m, v",
    "  adamw: θ = θ·(1 − lr·wd)   # decay skips m, v",
    "  m = β1·m + (1−β1)·g",
    "  v = β2·v + (1−β2)·g²",
    "  m̂ = m/(1−β1^t); v̂ = v/(1−β2^t)",
    "  θ = θ − lr·m̂/(√v̂ + ε)",
];

impl Lesson for OptimLesson {
    delegate_recorded!(timeline, history);

    fn total_steps(&self) -> Option<u64> {
        None
    }

    fn is_finished(&self) -> bool {
        self.model().all_diverged()
    }

    fn reset(&mut self, seed: u64) {
        self.seed = seed;
        let model = self.setup.model(seed);
        self.history = history_from(&model);
        self.timeline = Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT);
    }

    fn pseudocode(&self) -> &'static [&'static str] {
        CODE
    }

    fn current_line(&self) -> usize {
        if self.steps() == 0 {
            line::LOOP
        } else {
            line::UPDATE
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
    }

    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "optimizer", "x", "y", "loss", "grad_x", "grad_y"]
    }

    fn trace_start(&self, rows: &mut Vec<Vec<Field>>) {
        self.trace_step(rows);
    }

    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let model = self.model();
        for run in &model.runs {
            let grad = model.surface.gradient(run.theta);
            rows.push(vec![
                model.steps.into(),
                run.kind.name().into(),
                run.theta[0].into(),
                run.theta[1].into(),
                model.surface.value(run.theta).into(),
                grad[0].into(),
                grad[1].into(),
            ]);
        }
    }

    fn summary(&self) -> toml::Table {
        let model = self.model();
        let mut table = toml::Table::new();
        for run in &model.runs {
            let mut entry = toml::Table::new();
            entry.insert("x".into(), run.theta[0].into());
            entry.insert("y".into(), run.theta[1].into());
            entry.insert("loss".into(), model.surface.value(run.theta).into());
            entry.insert("norm".into(), run.theta[0].hypot(run.theta[1]).into());
            entry.insert(
                "steps".into(),
                toml::Value::Integer(i64::try_from(run.t).unwrap_or(i64::MAX)),
            );
            entry.insert("diverged".into(), run.diverged_at.is_some().into());
            table.insert(run.kind.name().into(), toml::Value::Table(entry));
        }
        table
    }

    fn headless_steps(&self) -> Option<u64> {
        Some(self.setup.headless_steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_stays_bounded_and_rewinds_with_the_model() {
        let mut lesson = build(&ENTRY.defaults(), 1).expect("defaults build");
        for _ in 0..50_000 {
            lesson.step();
        }
        for _ in 0..1_000 {
            assert!(lesson.step_back());
        }
        assert_eq!(lesson.steps(), 49_000);
    }
}
