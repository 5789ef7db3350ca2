//! The diffusion-as-SDE lesson: VE, VP and sub-VP processes, forward from
//! the data and backwards from the prior by Euler–Maruyama, predictor–
//! corrector or the probability-flow ODE.

pub mod model;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::lesson::history::Decimated;
use crate::lesson::timeline::Checkpoints;
use crate::lesson::{
    Field, Lesson, LessonEntry, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue,
    delegate_recorded,
};
use crate::lessons::diffusion::learned::{Levels, ScoreSource};
use crate::lessons::diffusion::moments;
use crate::lessons::score::{particle_summary, source_of, target_of, target_specs};
use crate::theme::Theme;
use model::{Direction, Process, Sampler, Sde, SdeRun};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "sde",
    title: "Diffusion SDE",
    summary: "forward noising and reverse sampling: VE / VP / sub-VP, Euler–Maruyama, predictor–corrector, probability-flow ODE",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/sde.md"),
};

const CHECKPOINT_EVERY: u64 = 50;
const CHECKPOINTS_KEPT: usize = 24;
/// Particles whose paths are drawn as trails.
pub const TRACKED: usize = 12;

fn specs() -> Vec<ParamSpec> {
    let mut specs = target_specs();
    specs.extend([
        ParamSpec {
            key: "sde",
            help: "ve (variance exploding), vp (variance preserving) or subvp",
            kind: ParamKind::Choice(&["vp", "ve", "subvp"]),
            default: ParamValue::Choice("vp"),
        },
        ParamSpec {
            key: "sampler",
            help: "reverse: em (Euler–Maruyama), pc (plus a Langevin corrector) or ode",
            kind: ParamKind::Choice(&["em", "pc", "ode"]),
            default: ParamValue::Choice("em"),
        },
        ParamSpec {
            key: "direction",
            help: "forward from the data to t = 1, or reverse from the prior",
            kind: ParamKind::Choice(&["reverse", "forward"]),
            default: ParamValue::Choice("reverse"),
        },
        ParamSpec {
            key: "n_steps",
            help: "time steps between t = 1 and t = ε (or 0 and 1)",
            kind: ParamKind::Int {
                min: 1,
                max: 10_000,
                step: 50,
            },
            default: ParamValue::Int(500),
        },
        ParamSpec::float(
            "snr",
            "corrector's signal-to-noise ratio",
            0.001,
            1.0,
            true,
            0.16,
        ),
        ParamSpec::float("beta_min", "VP/sub-VP: β(0)", 0.001, 5.0, true, 0.1),
        ParamSpec::float("beta_max", "VP/sub-VP: β(1)", 0.1, 50.0, true, 20.0),
        ParamSpec::float("sigma_min", "VE: σ(0)", 0.001, 1.0, true, 0.01),
        ParamSpec::float(
            "sigma_max",
            "VE: σ(1), at least the distance between the modes",
            1.0,
            100.0,
            true,
            20.0,
        ),
    ]);
    specs
}

fn run_of(params: &ParamSet, seed: u64) -> Result<SdeRun, ParamError> {
    let target = target_of(params)?;
    let sde = match params.choice("sde") {
        "ve" => Sde::Ve {
            sigma_min: params.float("sigma_min"),
            sigma_max: params.float("sigma_max"),
        },
        name => {
            let (beta_min, beta_max) = (params.float("beta_min"), params.float("beta_max"));
            if beta_min > beta_max {
                return Err(ParamError::new(
                    params.path("beta_min"),
                    format!("{beta_min} is above beta_max {beta_max}"),
                ));
            }
            if name == "subvp" {
                Sde::SubVp { beta_min, beta_max }
            } else {
                Sde::Vp { beta_min, beta_max }
            }
        }
    };
    if params.float("sigma_min") > params.float("sigma_max") {
        return Err(ParamError::new(
            params.path("sigma_min"),
            "is above sigma_max; σ(t) grows from sigma_min to sigma_max",
        ));
    }
    let sampler = match params.choice("sampler") {
        "pc" => Sampler::Pc,
        "ode" => Sampler::Ode,
        _ => Sampler::Em,
    };
    let direction = if params.choice("direction") == "forward" {
        Direction::Forward
    } else {
        Direction::Reverse
    };
    let process = Process {
        sde,
        sampler,
        direction,
        snr: params.float("snr"),
        n_steps: params.int("n_steps").unsigned_abs(),
    };
    let levels = Levels::Times {
        eps: sde.eps(),
        sde,
    };
    let source = if direction == Direction::Reverse {
        source_of(params, &target, levels, seed)
    } else {
        // Forward noising needs no score.
        ScoreSource::Analytic
    };
    Ok(SdeRun::new(
        target,
        process,
        params.int("particles").unsigned_abs() as usize,
        seed,
    )
    .with_source(source))
}

fn validate(params: &ParamSet) -> Result<(), ParamError> {
    // Checks the parameters on a single particle: the run itself is cheap to redo.
    let mut one = params.clone();
    one.set_index(one.index_of("particles").unwrap_or(0), ParamValue::Int(1));
    run_of(&one, 0).map(|_| ())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let run = run_of(params, seed)?;
    let mut lesson = SdeLesson {
        params: params.clone(),
        seed,
        history: Decimated::default(),
        timeline: Checkpoints::new(run, CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
    };
    lesson.record();
    Ok(Box::new(lesson))
}

/// What is kept per recorded step for the trails and the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub t: f64,
    pub tracked: Vec<[f64; 2]>,
    pub std: [f64; 2],
    pub mean: [f64; 2],
}

pub struct SdeLesson {
    params: ParamSet,
    seed: u64,
    timeline: Checkpoints<SdeRun>,
    history: Decimated<Sample>,
}

impl SdeLesson {
    pub fn model(&self) -> &SdeRun {
        self.timeline.model()
    }

    pub fn history(&self) -> &Decimated<Sample> {
        &self.history
    }

    fn record(&mut self) {
        let run = self.timeline.model();
        self.history.record(run.steps, || {
            let (mean, cov) = moments(&run.particles);
            Sample {
                t: run.time(),
                tracked: run.particles.iter().take(TRACKED).copied().collect(),
                std: [cov[0][0].sqrt(), cov[1][1].sqrt()],
                mean,
            }
        });
    }

    /// The std per axis p_t should have: √(m²·Var(target) + s²).
    pub fn theory_std(&self, t: f64) -> [f64; 2] {
        let run = self.model();
        let (_, var) = run.target.moments();
        let (m, s) = run.sde.kernel(t);
        var.map(|v| (m * m * v + s * s).sqrt())
    }
}

const CODE_REVERSE: &[&str] = &[
    "x ~ prior (N(0, σmax²I) for VE, N(0, I) for VP)",
    "for t from 1 down to ε in n steps of dt:",
    "  s = ∇log p_t(x)",
    "  em/pc: x ← x − [f(x,t) − g(t)²·s]·dt + g(t)·√dt·z",
    "  pc:    ε = 2α(snr·‖z‖/‖s‖)²; x ← x + ε·s + √(2ε)·z",
    "  ode:   x ← Heun step of dx/dt = f − ½g²·s",
];
const CODE_FORWARD: &[&str] = &[
    "x ~ data",
    "for t from 0 up to 1 in n steps of dt:",
    "  x ← x + f(x,t)·dt + g(t)·√dt·z",
];

impl Lesson for SdeLesson {
    delegate_recorded!(timeline, history);

    fn total_steps(&self) -> Option<u64> {
        Some(self.model().training_steps() + self.model().n_steps)
    }
    fn is_finished(&self) -> bool {
        self.model().is_finished()
    }
    fn reset(&mut self, seed: u64) {
        self.seed = seed;
        // The parameters were checked when the lesson was built.
        if let Ok(run) = run_of(&self.params, seed) {
            self.timeline = Checkpoints::new(run, CHECKPOINT_EVERY, CHECKPOINTS_KEPT);
            self.history = Decimated::default();
            self.record();
        }
    }
    fn pseudocode(&self) -> &'static [&'static str] {
        match self.model().direction {
            Direction::Forward => CODE_FORWARD,
            Direction::Reverse => CODE_REVERSE,
        }
    }
    fn current_line(&self) -> usize {
        let run = self.model();
        match (run.direction, run.sampler) {
            _ if run.sampling_steps() == 0 => 0,
            (Direction::Forward, _) => 2,
            (Direction::Reverse, Sampler::Em) => 3,
            (Direction::Reverse, Sampler::Pc) => 4,
            (Direction::Reverse, Sampler::Ode) => 5,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "t", "mean_x", "mean_y", "std_x", "std_y"]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let run = self.model();
        // Training steps move no particle: they have no row.
        if run.steps <= run.training_steps() {
            return;
        }
        let (mean, cov) = moments(&run.particles);
        rows.push(vec![
            run.sampling_steps().into(),
            run.time().into(),
            mean[0].into(),
            mean[1].into(),
            cov[0][0].sqrt().into(),
            cov[1][1].sqrt().into(),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let run = self.model();
        let mut table = particle_summary(&run.target, &run.particles);
        table.insert("t_end".into(), run.time().into());
        if run.direction == Direction::Forward {
            let (_, cov) = moments(&run.particles);
            let (theory, _) = run.theory(run.time());
            table.insert(
                "std_theory".into(),
                toml::Value::Array(theory.iter().map(|v| toml::Value::Float(*v)).collect()),
            );
            table.insert(
                "std_empirical".into(),
                toml::Value::Array(
                    [cov[0][0].sqrt(), cov[1][1].sqrt()]
                        .iter()
                        .map(|v| toml::Value::Float(*v))
                        .collect(),
                ),
            );
        }
        table
    }
}
