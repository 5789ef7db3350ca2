//! The score-based generation lesson: annealed Langevin dynamics (SMLD/NCSN)
//! pulling particles onto a 2-D Gaussian mixture, step by step.

pub mod model;
mod view;

use std::cell::RefCell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::lesson::param::format_float;
use crate::lesson::timeline::Checkpoints;
use crate::lesson::{
    Field, Lesson, LessonEntry, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue,
    delegate_timeline,
};
use crate::lessons::diffusion::learned::{LearnedScore, Levels, ScoreSource};
use crate::lessons::diffusion::target::{MAX_COMPONENTS, Mixture};
use crate::lessons::diffusion::{diverged, mode_weights, moments};
use crate::theme::Theme;
use model::{Schedule, Settings, Smld, geometric_sigmas};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "score",
    title: "Score / SMLD",
    summary: "annealed Langevin dynamics with the noise-conditional score of a 2-D Gaussian mixture",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/score.md"),
};

const CHECKPOINT_EVERY: u64 = 50;
const CHECKPOINTS_KEPT: usize = 24;
pub const TARGETS: &[&str] = &["two", "ring8", "grid9", "custom"];

/// The parameters both score-based lessons take for their target.
pub fn target_specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "target",
            help: "two (NCSN's toy), ring8, grid9, or custom (means, weights, tau)",
            kind: ParamKind::Choice(TARGETS),
            default: ParamValue::Choice("two"),
        },
        ParamSpec {
            key: "means",
            help: "custom only: component means as x1,y1,x2,y2,…",
            kind: ParamKind::FloatList {
                min_len: 2,
                max_len: 2 * MAX_COMPONENTS,
                finite: true,
            },
            default: ParamValue::FloatList(vec![-3.0, 0.0, 3.0, 0.0]),
        },
        ParamSpec {
            key: "weights",
            help: "custom only: component weights (normalised)",
            kind: ParamKind::FloatList {
                min_len: 1,
                max_len: MAX_COMPONENTS,
                finite: true,
            },
            default: ParamValue::FloatList(vec![0.5, 0.5]),
        },
        ParamSpec::float("tau", "custom only: component std τ", 0.05, 5.0, true, 0.5),
        ParamSpec {
            key: "score",
            help: "analytic (exact), or learned: an MLP trained first by denoising score matching",
            kind: ParamKind::Choice(&["analytic", "learned"]),
            default: ParamValue::Choice("analytic"),
        },
        ParamSpec {
            key: "train_steps",
            help: "learned only: Adam steps of training before sampling",
            kind: ParamKind::Int {
                min: 1,
                max: 100_000,
                step: 100,
            },
            default: ParamValue::Int(5_000),
        },
        ParamSpec {
            key: "particles",
            help: "number of particles",
            kind: ParamKind::Int {
                min: 1,
                max: 100_000,
                step: 500,
            },
            default: ParamValue::Int(2_000),
        },
    ]
}

/// Learning rate of the learned score's Adam.
const TRAIN_LR: f64 = 3e-3;

/// The score the parameters ask for, trained over `levels` when learned.
pub fn source_of(params: &ParamSet, target: &Mixture, levels: Levels, seed: u64) -> ScoreSource {
    if params.choice("score") == "learned" {
        ScoreSource::Learned {
            net: Box::new(LearnedScore::new(target.clone(), levels, TRAIN_LR, seed)),
            train_steps: params.int("train_steps").unsigned_abs(),
        }
    } else {
        ScoreSource::Analytic
    }
}

/// How far from the origin a custom mean may lie: farther than any noise
/// level reaches (σ_max ≤ 100), and safe to square and sum.
pub const MAX_MEAN: f64 = 1_000.0;

/// The target the parameters describe; custom ones are checked here.
pub fn target_of(params: &ParamSet) -> Result<Mixture, ParamError> {
    match params.choice("target") {
        "ring8" => Ok(Mixture::ring8()),
        "grid9" => Ok(Mixture::grid9()),
        "custom" => {
            let means = params.float_list("means");
            let weights = params.float_list("weights");
            if !means.len().is_multiple_of(2) || means.len() / 2 != weights.len() {
                return Err(ParamError::new(
                    params.path("means"),
                    format!(
                        "{} numbers make no whole pairs for {} weights; give x,y per weight",
                        means.len(),
                        weights.len()
                    ),
                ));
            }
            if let Some(bad) = means.iter().chain(weights).find(|v| !v.is_finite()) {
                return Err(ParamError::new(
                    params.path("means"),
                    format!("{bad} is not a finite number"),
                ));
            }
            if weights.iter().any(|w| *w <= 0.0) {
                return Err(ParamError::new(
                    params.path("weights"),
                    "every weight must be above 0",
                ));
            }
            // Far-off means would overflow the squared distances of the
            // score and the spread of the noise schedule.
            if let Some(far) = means.iter().find(|m| m.abs() > MAX_MEAN) {
                return Err(ParamError::new(
                    params.path("means"),
                    format!(
                        "{} is too far out; allowed: each from -{MAX_MEAN} to {MAX_MEAN}",
                        format_float(*far)
                    ),
                ));
            }
            let means = means.chunks(2).map(|c| [c[0], c[1]]).collect();
            Ok(Mixture::new(means, weights, params.float("tau")))
        }
        _ => Ok(Mixture::two()),
    }
}

fn specs() -> Vec<ParamSpec> {
    let mut specs = target_specs();
    specs.extend([
        ParamSpec::float(
            "sigma_max",
            "largest noise level σ_1",
            0.1,
            100.0,
            true,
            15.0,
        ),
        ParamSpec::float(
            "sigma_min",
            "smallest noise level σ_L",
            0.001,
            10.0,
            true,
            0.01,
        ),
        ParamSpec {
            key: "levels",
            help: "number of noise levels L",
            kind: ParamKind::Int {
                min: 1,
                max: 100,
                step: 1,
            },
            default: ParamValue::Int(20),
        },
        ParamSpec {
            key: "steps_per_level",
            help: "Langevin steps T at each level",
            kind: ParamKind::Int {
                min: 1,
                max: 10_000,
                step: 10,
            },
            default: ParamValue::Int(100),
        },
        ParamSpec::float(
            "epsilon",
            "step size ε: α_i = ε·σ_i²/σ_L²",
            1e-8,
            1.0,
            true,
            2e-5,
        ),
        ParamSpec {
            key: "denoise",
            help: "after the last level, x ← x + σ_L²·s(x, σ_L)",
            kind: ParamKind::Bool,
            default: ParamValue::Bool(true),
        },
        ParamSpec {
            key: "schedule",
            help: "annealed over the levels, or plain: every step at σ_L with step ε",
            kind: ParamKind::Choice(&["annealed", "plain"]),
            default: ParamValue::Choice("annealed"),
        },
    ]);
    specs
}

fn settings_of(params: &ParamSet) -> Result<Settings, ParamError> {
    let (max, min) = (params.float("sigma_max"), params.float("sigma_min"));
    if min > max {
        return Err(ParamError::new(
            params.path("sigma_min"),
            format!("{min} is above sigma_max {max}; the levels run from sigma_max down"),
        ));
    }
    Ok(Settings {
        sigma_max: max,
        sigma_min: min,
        levels: params.int("levels").unsigned_abs() as usize,
        steps_per_level: params.int("steps_per_level").unsigned_abs() as usize,
        epsilon: params.float("epsilon"),
        denoise: params.flag("denoise"),
        schedule: if params.choice("schedule") == "plain" {
            Schedule::Plain
        } else {
            Schedule::Annealed
        },
    })
}

fn validate(params: &ParamSet) -> Result<(), ParamError> {
    target_of(params)?;
    settings_of(params).map(|_| ())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let model = rebuild_model(params, seed)?;
    Ok(Box::new(ScoreLesson {
        params: params.clone(),
        seed,
        timeline: Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
        other_schedule: RefCell::new(None),
    }))
}

pub struct ScoreLesson {
    params: ParamSet,
    seed: u64,
    timeline: Checkpoints<Smld>,
    /// Mode weights of the other schedule with the same budget, worked out
    /// the first time a finished run is drawn.
    other_schedule: RefCell<Option<Vec<f64>>>,
}

/// Particles of the comparison run: enough for weights to ±0.03.
const COMPARISON_PARTICLES: usize = 500;

impl ScoreLesson {
    pub fn model(&self) -> &Smld {
        self.timeline.model()
    }

    /// Final mode weights of the same run under the other schedule (annealed
    /// ↔ plain), with the analytic score: the NCSN paper's comparison.
    pub fn other_schedule_weights(&self) -> Vec<f64> {
        if let Some(weights) = self.other_schedule.borrow().as_ref() {
            return weights.clone();
        }
        let model = self.model();
        let mut settings = model.settings;
        settings.schedule = match settings.schedule {
            Schedule::Annealed => Schedule::Plain,
            Schedule::Plain => Schedule::Annealed,
        };
        let count = model.particles.len().min(COMPARISON_PARTICLES);
        let mut other = Smld::new(model.target.clone(), settings, count, self.seed);
        while crate::lesson::timeline::Replayable::step(&mut other) {}
        let weights = mode_weights(&other.target, &other.particles);
        *self.other_schedule.borrow_mut() = Some(weights.clone());
        weights
    }
}

const CODE: &[&str] = &[
    "σ_1 > … > σ_L: geometric from σ_max to σ_min",
    "for i in 1..=L:",
    "  α_i = ε · σ_i² / σ_L²",
    "  repeat T times: z ~ N(0, I)",
    "    x ← x + (α_i / 2) · s(x, σ_i) + √α_i · z",
    "x ← x + σ_L² · s(x, σ_L)          # denoise",
];

/// The summary's numbers as TOML.
fn floats(values: impl IntoIterator<Item = f64>) -> toml::Value {
    toml::Value::Array(values.into_iter().map(toml::Value::Float).collect())
}

/// What both score-based lessons report about their particles and target.
pub fn particle_summary(target: &Mixture, particles: &[[f64; 2]]) -> toml::Table {
    let (mean, cov) = moments(particles);
    let mut table = toml::Table::new();
    table.insert(
        "particles".into(),
        toml::Value::Integer(i64::try_from(particles.len()).unwrap_or(i64::MAX)),
    );
    table.insert("mean".into(), floats(mean));
    table.insert(
        "cov".into(),
        toml::Value::Array(cov.iter().map(|row| floats(*row)).collect()),
    );
    table.insert(
        "mode_weights".into(),
        floats(mode_weights(target, particles)),
    );
    // Reported beside mean and cov, which are NaN as soon as one particle is.
    table.insert(
        "diverged".into(),
        toml::Value::Integer(i64::try_from(diverged(particles)).unwrap_or(i64::MAX)),
    );
    table.insert(
        "target_means".into(),
        toml::Value::Array(target.means.iter().map(|m| floats(*m)).collect()),
    );
    table.insert(
        "target_weights".into(),
        floats(target.weights.iter().copied()),
    );
    table.insert("target_tau".into(), target.tau.into());
    table
}

impl Lesson for ScoreLesson {
    delegate_timeline!(timeline);

    fn total_steps(&self) -> Option<u64> {
        Some(self.model().total_steps())
    }
    fn is_finished(&self) -> bool {
        self.model().is_finished()
    }
    fn reset(&mut self, seed: u64) {
        self.seed = seed;
        // The parameters were checked when the lesson was built.
        if let Ok(model) = rebuild_model(&self.params, seed) {
            self.timeline = Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT);
            *self.other_schedule.borrow_mut() = None;
        }
    }
    fn pseudocode(&self) -> &'static [&'static str] {
        CODE
    }
    fn current_line(&self) -> usize {
        let model = self.model();
        if model.sampling_steps() == 0 {
            0
        } else if model.sampling_steps() > model.langevin_steps() {
            5
        } else {
            4
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &[
            "step", "level", "sigma", "alpha", "mean_x", "mean_y", "std_x", "std_y",
        ]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let model = self.model();
        // Training steps move no particle: they have no row.
        if model.steps <= model.training_steps() {
            return;
        }
        let (mean, cov) = moments(&model.particles);
        // The level and step size of the sampling step just taken.
        let taken = model.sampling_steps() - 1;
        let (sigma, alpha) = model.sigma_alpha_of(taken);
        rows.push(vec![
            model.sampling_steps().into(),
            (model.level_of(taken) + 1).into(),
            sigma.into(),
            alpha.into(),
            mean[0].into(),
            mean[1].into(),
            cov[0][0].sqrt().into(),
            cov[1][1].sqrt().into(),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let model = self.model();
        let mut table = particle_summary(&model.target, &model.particles);
        table.insert("sigmas".into(), floats(model.sigmas.iter().copied()));
        table.insert("alphas".into(), floats(model.alphas.iter().copied()));
        table.insert(
            "steps".into(),
            toml::Value::Integer(i64::try_from(model.steps).unwrap_or(i64::MAX)),
        );
        table
    }
}

fn rebuild_model(params: &ParamSet, seed: u64) -> Result<Smld, ParamError> {
    let target = target_of(params)?;
    let settings = settings_of(params)?;
    let sigmas = geometric_sigmas(settings.sigma_max, settings.sigma_min, settings.levels);
    let source = source_of(params, &target, Levels::Sigmas(sigmas), seed);
    Ok(Smld::with_source(
        target,
        settings,
        params.int("particles").unsigned_abs() as usize,
        source,
        seed,
    ))
}
