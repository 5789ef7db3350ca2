//! The Adam vs AdamW lesson: parameters, timeline, chart history and headless
//! reporting around [`model::Optimizers`]; drawing lives in [`view`].

pub mod model;
pub mod questions;
pub mod surface;
mod view;

use crate::{said, tr};
use std::cell::RefCell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::history::Decimated;
use crate::lesson::timeline::Recorded;
use crate::lesson::{
    Choice, Event, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet,
    ParamSpec, Question, Timeline, choices, validate,
};
use crate::theme::Look;
use model::{Hyper, Kind, Optimizers, Run};
use surface::Surface;

pub const ENTRY: LessonEntry = LessonEntry {
    id: "optim",
    title: tr!("Adam vs AdamW", "Adam 与 AdamW"),
    summary: "optimizer paths on 2-D surfaces; weight decay in the gradient (L2) vs decoupled",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/optim.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/optim.toml")),
    questions: questions::KINDS,
};

/// The key moments of a run.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::PART_WAYS,
        ask: Some(questions::kind::ADAMW_STEP),
        label: tr!("part ways", "分道"),
        why: tr!(
            "Adam's and AdamW's θ now differ by more than a thousandth of ‖θ‖: decay in the \
             gradient and decay beside it no longer give the same step",
            "Adam 与 AdamW 的 θ 之差首次超过 ‖θ‖ 的千分之一：衰减放进梯度和放在梯度之外，\
             走出的步子不再一样"
        ),
    },
    EventKind {
        id: event::DIVERGED,
        ask: None,
        label: tr!("diverged", "发散"),
        why: tr!(
            "this optimizer's θ or f(θ) is no longer a finite number; it stops, the others go on",
            "这个优化器的 θ 或 f(θ) 不再是有限数；它停下，其他优化器继续"
        ),
    },
    EventKind {
        id: event::CONVERGED,
        ask: None,
        label: tr!("converged", "收敛"),
        why: tr!(
            "this optimizer's step moved θ by less than a ten-thousandth of lr: it has settled",
            "这个优化器这一步移动 θ 不到 lr 的万分之一：它已经停稳"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const PART_WAYS: &str = "part-ways";
    pub const DIVERGED: &str = "diverged";
    pub const CONVERGED: &str = "converged";
}

/// A checkpoint every this many steps, and how many are kept: rewind reaches
/// at least `CHECKPOINT_EVERY × (CHECKPOINTS_KEPT − 1)` steps back.
const CHECKPOINT_EVERY: u64 = 256;
const CHECKPOINTS_KEPT: usize = 64;

const MAX_START: f64 = 5.0;
/// The bowl's center is a point: x, y.
const CENTER_ENTRIES: usize = 2;
const MAX_CONDITION: f64 = 1_000.0;
const MAX_NOISE: f64 = 10.0;
const MAX_HEADLESS_STEPS: i64 = 1_000_000;
/// How far ←/→ move the headless run length.
const HEADLESS_STEPS_NUDGE: i64 = 100;

/// The surface's name; its settings (the bowl's condition) are read beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SurfaceName {
    Rosenbrock,
    Bowl,
    Himmelblau,
    Saddle,
}
choices!(SurfaceName {
    SurfaceName::Rosenbrock => "rosenbrock",
    SurfaceName::Bowl => "bowl",
    SurfaceName::Himmelblau => "himmelblau",
    SurfaceName::Saddle => "saddle",
});

mod key {
    pub const SURFACE: &str = "surface";
    pub const CONDITION: &str = "condition";
    pub const CENTER: &str = "center";
    pub const OPTIMIZERS: &str = "optimizers";
    pub const LR: &str = "lr";
    pub const MOMENTUM: &str = "momentum";
    pub const BETA1: &str = "beta1";
    pub const BETA2: &str = "beta2";
    pub const EPS: &str = "eps";
    pub const WEIGHT_DECAY: &str = "weight_decay";
    pub const AMSGRAD: &str = "amsgrad";
    pub const START_X: &str = "start_x";
    pub const START_Y: &str = "start_y";
    pub const NOISE: &str = "noise";
    pub const STEPS: &str = "steps";
}

fn specs() -> Vec<ParamSpec> {
    // Defaults: a bowl with its minimum ★ at (2, 1), off the origin, so decay
    // moves where a run ends. Adam (L2) settles on ◆, the minimum of
    // f + (wd/2)‖θ‖², within about 200 steps; AdamW keeps creeping toward ★ as
    // its √v̂ fades, and its loss falls below Adam's after about 600 steps
    // (tests/it/optim_teach.rs measures both on these defaults).
    vec![
        ParamSpec::choice(key::SURFACE, SurfaceName::Bowl)
            .help(tr!("the loss surface f(x, y)", "损失曲面 f(x, y)")),
        ParamSpec::float(key::CONDITION, 1.0..=MAX_CONDITION, 10.0)
            .log_scale()
            .help(tr!(
                "bowl only: κ in ½((x−a)² + κ(y−b)²)",
                "仅 bowl：½((x−a)² + κ(y−b)²) 中的 κ"
            )),
        ParamSpec::float_list(key::CENTER, CENTER_ENTRIES..=CENTER_ENTRIES, &[2.0, 1.0]).help(tr!(
            "bowl only: its minimum (a, b), as x,y",
            "仅 bowl：它的最小值点 (a, b)，写成 x,y"
        )),
        ParamSpec::choice_list(
            key::OPTIMIZERS,
            1..=Kind::ALL.len(),
            &[Kind::Adam, Kind::AdamW],
        )
        .help(tr!(
            "optimizers run side by side, in this order",
            "并排运行的优化器，按此顺序"
        )),
        ParamSpec::float(key::LR, 1e-5..=1.0, 0.1)
            .log_scale()
            .help(tr!("learning rate", "学习率")),
        ParamSpec::float(key::MOMENTUM, 0.0..=0.999, 0.9).help(tr!(
            "momentum μ (momentum optimizer)",
            "动量 μ（momentum 优化器）"
        )),
        ParamSpec::float(key::BETA1, 0.0..=0.999, 0.9).help(tr!(
            "β1: decay of the first moment m",
            "β1：一阶矩 m 的衰减率"
        )),
        ParamSpec::float(key::BETA2, 0.0..=0.99999, 0.999).help(tr!(
            "β2: decay of the second moment v",
            "β2：二阶矩 v 的衰减率"
        )),
        ParamSpec::float(key::EPS, 1e-12..=1e-2, 1e-8)
            .log_scale()
            .help(tr!("ε added to √v̂", "加在 √v̂ 上的 ε")),
        ParamSpec::float(key::WEIGHT_DECAY, 0.0..=1.0, 0.3)
            .help(tr!("weight decay wd", "权重衰减 wd")),
        ParamSpec::flag(key::AMSGRAD, false).help(tr!(
            "AMSGrad: divide by the largest v seen",
            "AMSGrad：除以见过的最大 v"
        )),
        ParamSpec::float(key::START_X, -MAX_START..=MAX_START, -3.0)
            .help(tr!("start point x", "起点 x")),
        ParamSpec::float(key::START_Y, -MAX_START..=MAX_START, -2.0)
            .help(tr!("start point y", "起点 y")),
        ParamSpec::float(key::NOISE, 0.0..=MAX_NOISE, 0.0).help(tr!(
            "std of Gaussian noise added to each gradient",
            "加到每个梯度上的高斯噪声的标准差"
        )),
        ParamSpec::int(key::STEPS, 1..=MAX_HEADLESS_STEPS, 1_000)
            .step(HEADLESS_STEPS_NUDGE)
            .help(tr!(
                "length of a headless run (trace)",
                "无界面运行（trace）的步数"
            )),
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

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let surface = match params.choice(key::SURFACE)? {
            SurfaceName::Bowl => Surface::Bowl {
                condition: params.float(key::CONDITION)?,
                center: center(params)?,
            },
            SurfaceName::Himmelblau => Surface::Himmelblau,
            SurfaceName::Saddle => Surface::Saddle,
            SurfaceName::Rosenbrock => Surface::Rosenbrock,
        };
        Ok(Setup {
            surface,
            hyper: Hyper {
                lr: params.float(key::LR)?,
                momentum: params.float(key::MOMENTUM)?,
                beta1: params.float(key::BETA1)?,
                beta2: params.float(key::BETA2)?,
                eps: params.float(key::EPS)?,
                weight_decay: params.float(key::WEIGHT_DECAY)?,
                amsgrad: params.flag(key::AMSGRAD)?,
            },
            noise: params.float(key::NOISE)?,
            kinds: params.choice_list(key::OPTIMIZERS)?,
            start: [params.float(key::START_X)?, params.float(key::START_Y)?],
            headless_steps: params.count(key::STEPS)? as u64,
        })
    }
}

/// The bowl's center, each coordinate within the start's range so the map
/// that shows the start shows it too.
fn center(params: &ParamSet) -> Result<[f64; 2], ParamError> {
    let values = params.float_list(key::CENTER)?;
    match values {
        [x, y] if x.abs() <= MAX_START && y.abs() <= MAX_START => Ok([*x, *y]),
        _ => Err(ParamError::new(
            params.path(key::CENTER),
            said!(
                "the center is two numbers x,y, each from -{MAX_START} to {MAX_START}",
                "center 是两个数 x,y，每个在 -{MAX_START} 到 {MAX_START} 之间"
            ),
        )),
    }
}

impl Setup {
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

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let setup = Setup::from_params(params)?;
    Ok(Box::new(OptimLesson {
        timeline: Recorded::new(
            setup.model(seed),
            CHECKPOINT_EVERY,
            CHECKPOINTS_KEPT,
            samples,
        ),
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

/// One sample per optimizer, for the history.
fn samples(model: &Optimizers) -> Vec<Sample> {
    model
        .runs
        .iter()
        .map(|run| Sample::of(run, &model.surface, &model.hyper))
        .collect()
}

/// (step, sample) of optimizer `run`, oldest first.
pub fn series(history: &History, run: usize) -> impl Iterator<Item = (u64, &Sample)> + '_ {
    history
        .iter()
        .filter_map(move |(step, samples)| samples.get(run).map(|s| (step, s)))
}

pub struct OptimLesson {
    setup: Setup,
    timeline: Recorded<Optimizers, Vec<Sample>>,
    /// The contour map drawn last, reused until the surface, window or size changes.
    contour: RefCell<Option<view::ContourCache>>,
}

impl OptimLesson {
    pub fn model(&self) -> &Optimizers {
        self.timeline.model()
    }

    pub fn history(&self) -> &History {
        self.timeline.history()
    }

    pub fn checkpoint_count(&self) -> usize {
        self.timeline.checkpoint_count()
    }

    pub fn steps(&self) -> u64 {
        self.timeline.steps()
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
/// [`CODE`] with its comments in Chinese; the code is the same.
const CODE_ZH: &[&str] = &[
    "for t = 1, 2, …:",
    "  g = ∇f(θ) (+ noise)",
    "  adam:  g = g + wd·θ        # 衰减进入 m、v",
    "  adamw: θ = θ·(1 − lr·wd)   # 衰减绕过 m、v",
    "  m = β1·m + (1−β1)·g",
    "  v = β2·v + (1−β2)·g²",
    "  m̂ = m/(1−β1^t); v̂ = v/(1−β2^t)",
    "  θ = θ − lr·m̂/(√v̂ + ε)",
];

impl Lesson for OptimLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.timeline
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.timeline
    }

    fn total_steps(&self) -> Option<u64> {
        None
    }

    fn events(&self, out: &mut Vec<Event>) {
        let model = self.model();
        let now = model.steps;
        if model.parted_at == Some(now) {
            let apart = model.apart().unwrap_or(0.0);
            out.push(Event::new(event::PART_WAYS, format!("Δθ/‖θ‖={apart:.2e}")));
        }
        for run in &model.runs {
            if run.diverged_at == Some(now) {
                out.push(Event::new(event::DIVERGED, run.kind.name()));
            }
            if run.converged_at == Some(now) {
                out.push(Event::new(event::CONVERGED, run.kind.name()));
            }
        }
    }

    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self.model(), pick)
    }

    fn is_finished(&self) -> bool {
        self.model().all_diverged()
    }

    fn pseudocode(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::En => CODE,
            Lang::Zh => CODE_ZH,
        }
    }

    fn current_line(&self) -> usize {
        if self.timeline.steps() == 0 {
            line::LOOP
        } else {
            line::UPDATE
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
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
