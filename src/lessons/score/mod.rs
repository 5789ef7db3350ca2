//! The score-based generation lesson: annealed Langevin dynamics (SMLD/NCSN)
//! pulling particles onto a 2-D Gaussian mixture, step by step.

pub mod model;
pub mod questions;
mod view;

use crate::{said, tr};
use std::cell::RefCell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::{Lang, Said};
use crate::lesson::event::{Event, EventKind};
use crate::lesson::param::chosen;
use crate::lesson::timeline::Checkpoints;
use crate::lesson::{
    Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Timeline, choices,
    validate,
};
use crate::sim::diffusion::cloud::{mode_weights, moments};
use crate::sim::diffusion::learned::Levels;
use crate::sim::diffusion::setup::key::TARGET as TKEY_TARGET;
use crate::sim::diffusion::setup::{
    TargetName, TargetSetup, floats, particle_summary, target_specs,
};
use crate::theme::Look;
use model::{Clouds, Schedule, Settings, Smld, geometric_sigmas};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "score",
    title: tr!("Score / SMLD", "分数模型 / SMLD"),
    summary: "annealed Langevin dynamics with the noise-conditional score of a 2-D Gaussian mixture",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/score.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/score.toml")),
    questions: questions::KINDS,
};

const CHECKPOINT_EVERY: u64 = 50;
const CHECKPOINTS_KEPT: usize = 24;
const MAX_LEVELS: i64 = 100;
const MAX_STEPS_PER_LEVEL: i64 = 10_000;
const STEPS_PER_LEVEL_NUDGE: i64 = 10;
/// Plain Langevin's default step: at σ_L a particle in `two`'s components
/// (τ = 1) relaxes by a factor 1 − α/2 per step, so the default 2,000 steps
/// settle it within its mode (e^-10) while α stays far below the instability
/// at 4τ²; ring8's and grid9's narrower modes (τ 0.3, 0.25) settle sooner
/// and stay stable too.
const PLAIN_EPSILON: f64 = 0.01;

/// The `schedule` parameter: one schedule, or both side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runs {
    Annealed,
    Plain,
    /// Annealed and plain on the same seed, side by side.
    Both,
}

choices!(Runs { Runs::Annealed => "annealed", Runs::Plain => "plain", Runs::Both => "both" });

/// The key moments of a run.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::LEVEL,
        ask: None,
        label: tr!("next noise level", "下一噪声级"),
        why: tr!(
            "annealing moves to a smaller σ: the density sharpens toward the target and the step α \
             shrinks with σ²",
            "退火进入更小的 σ：密度向目标收紧，步长 α 随 σ² 一起缩小"
        ),
    },
    EventKind {
        id: event::DIVERGED,
        ask: None,
        label: tr!("particles diverged", "粒子发散"),
        why: tr!(
            "a step was too large for the score there: these particles are no longer finite, so \
             they are left out of the plot and the shares",
            "这一步对那里的分数来说太大：这些粒子已不是有限数，画图和占比都不再算它们"
        ),
    },
];

mod event {
    pub const LEVEL: &str = "level";
    pub const DIVERGED: &str = "diverged";
}

mod key {
    pub const SIGMA_MAX: &str = "sigma_max";
    pub const SIGMA_MIN: &str = "sigma_min";
    pub const LEVELS: &str = "levels";
    pub const STEPS_PER_LEVEL: &str = "steps_per_level";
    pub const EPSILON: &str = "epsilon";
    pub const PLAIN_EPSILON: &str = "plain_epsilon";
    pub const DENOISE: &str = "denoise";
    pub const SCHEDULE: &str = "schedule";
}

fn specs() -> Vec<ParamSpec> {
    let mut specs = target_specs();
    specs.extend([
        ParamSpec::float(key::SIGMA_MAX, 0.1..=100.0, 15.0)
            .log_scale()
            .help(tr!("largest noise level σ_1", "最大噪声级 σ_1")),
        ParamSpec::float(key::SIGMA_MIN, 0.001..=10.0, 0.01)
            .log_scale()
            .help(tr!("smallest noise level σ_L", "最小噪声级 σ_L")),
        ParamSpec::int(key::LEVELS, 1..=MAX_LEVELS, 20)
            .help(tr!("number of noise levels L", "噪声级数 L")),
        ParamSpec::int(key::STEPS_PER_LEVEL, 1..=MAX_STEPS_PER_LEVEL, 100)
            .step(STEPS_PER_LEVEL_NUDGE)
            .help(tr!(
                "Langevin steps T at each level",
                "每个噪声级上的朗之万步数 T"
            )),
        ParamSpec::float(key::EPSILON, 1e-8..=1.0, 2e-5)
            .log_scale()
            .help(tr!(
                "step size ε: α_i = ε·σ_i²/σ_L²",
                "步长 ε：α_i = ε·σ_i²/σ_L²"
            ))
            .used_when(|get| !chosen(get, key::SCHEDULE, Runs::Plain)),
        ParamSpec::float(key::PLAIN_EPSILON, 1e-8..=1.0, PLAIN_EPSILON)
            .log_scale()
            .help(tr!(
                "plain only: the fixed step α of every step at σ_L",
                "仅 plain：每一步（都在 σ_L 上）的固定步长 α"
            ))
            .used_when(|get| !chosen(get, key::SCHEDULE, Runs::Annealed)),
        ParamSpec::flag(key::DENOISE, true).help(tr!(
            "after the last level, x ← x + σ_L²·s(x, σ_L)",
            "最后一级之后：x ← x + σ_L²·s(x, σ_L)"
        )),
        ParamSpec::choice(key::SCHEDULE, Runs::Annealed).help(tr!(
            "annealed over the levels; plain: every step at σ_L with step plain_epsilon; both: the two side by side on one seed",
            "annealed：逐级退火；plain：每一步都在 σ_L 上、步长为 plain_epsilon；both：两者并排，同一种子"
        )),
    ]);
    specs
}

/// The target and cloud, and the Langevin schedule.
struct Setup {
    target: TargetSetup,
    settings: Settings,
    /// `schedule = both`: a plain twin beside the annealed cloud.
    both: bool,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let target = TargetSetup::from_params(params)?;
        let (max, min) = (params.float(key::SIGMA_MAX)?, params.float(key::SIGMA_MIN)?);
        if min > max {
            return Err(ParamError::new(
                params.path(key::SIGMA_MIN),
                said!(
                    "{min} is above sigma_max {max}; the levels run from sigma_max down",
                    "{min} 大于 sigma_max {max}；噪声级是从 sigma_max 往下走的"
                ),
            ));
        }
        let runs: Runs = params.choice(key::SCHEDULE)?;
        let settings = Settings {
            sigma_max: max,
            sigma_min: min,
            levels: params.count(key::LEVELS)?,
            steps_per_level: params.count(key::STEPS_PER_LEVEL)?,
            epsilon: params.float(key::EPSILON)?,
            plain_epsilon: params.float(key::PLAIN_EPSILON)?,
            denoise: params.flag(key::DENOISE)?,
            schedule: match runs {
                Runs::Plain => Schedule::Plain,
                Runs::Annealed | Runs::Both => Schedule::Annealed,
            },
        };
        Ok(Setup {
            target,
            settings,
            both: runs == Runs::Both,
        })
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let Setup {
        target,
        settings,
        both,
    } = Setup::from_params(params)?;
    let custom = params.choice::<TargetName>(TKEY_TARGET)? == TargetName::Custom;
    let sigmas = geometric_sigmas(settings.sigma_max, settings.sigma_min, settings.levels);
    let source = target.source(Levels::Sigmas(sigmas), seed);
    let model = Smld::with_source(target.target, settings, target.particles, source, seed);
    Ok(Box::new(ScoreLesson {
        seed,
        custom,
        timeline: Checkpoints::new(Clouds::new(model, both), CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
        other_schedule: RefCell::new(None),
    }))
}

pub struct ScoreLesson {
    /// The comparison run under the other schedule uses the same seed.
    seed: u64,
    /// Whether the target is `custom`: only then are means, weights and tau in use.
    pub custom: bool,
    timeline: Checkpoints<Clouds>,
    /// Mode weights of the other schedule with the same budget, worked out
    /// the first time a finished run is drawn.
    other_schedule: RefCell<Option<Vec<f64>>>,
}

/// Particles of the comparison run: enough for weights to ±0.03.
const COMPARISON_PARTICLES: usize = 500;

impl ScoreLesson {
    /// The cloud of the chosen schedule (with `both`, the annealed one).
    pub fn model(&self) -> &Smld {
        &self.timeline.model().main
    }

    /// With `schedule = both`: the plain cloud beside [`Self::model`].
    pub fn plain_twin(&self) -> Option<&Smld> {
        self.timeline.model().plain.as_ref()
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
/// Plain Langevin: one level, one step size, the same number of steps.
const PLAIN_CODE: &[&str] = &[
    "σ_L = σ_min; α = ε_plain (fixed)",
    "repeat L·T times: z ~ N(0, I)",
    "  x ← x + (α / 2) · s(x, σ_L) + √α · z",
    "x ← x + σ_L² · s(x, σ_L)          # denoise",
];
/// [`PLAIN_CODE`] with its comment in Chinese.
const PLAIN_CODE_ZH: &[&str] = &[
    "σ_L = σ_min; α = ε_plain (fixed)",
    "repeat L·T times: z ~ N(0, I)",
    "  x ← x + (α / 2) · s(x, σ_L) + √α · z",
    "x ← x + σ_L² · s(x, σ_L)          # 去噪",
];
/// [`CODE`] with its comment in Chinese; the code is the same.
const CODE_ZH: &[&str] = &[
    "σ_1 > … > σ_L: geometric from σ_max to σ_min",
    "for i in 1..=L:",
    "  α_i = ε · σ_i² / σ_L²",
    "  repeat T times: z ~ N(0, I)",
    "    x ← x + (α_i / 2) · s(x, σ_i) + √α_i · z",
    "x ← x + σ_L² · s(x, σ_L)          # 去噪",
];

/// `both`: one loop, one noise draw per particle shared by the two clouds.
const BOTH_CODE: &[&str] = &[
    "σ_1 > … > σ_L geometric; α_i = ε·σ_i²/σ_L²; α = ε_plain",
    "for k in 0..L·T: z ~ N(0, I)   # the same z for x and y",
    "  annealed: x ← x + (α_i/2)·s(x, σ_i) + √α_i·z",
    "  plain:    y ← y + (α/2)·s(y, σ_L) + √α·z",
    "x, y ← · + σ_L²·s(·, σ_L)      # denoise",
];
/// [`BOTH_CODE`] with its comments in Chinese.
const BOTH_CODE_ZH: &[&str] = &[
    "σ_1 > … > σ_L geometric; α_i = ε·σ_i²/σ_L²; α = ε_plain",
    "for k in 0..L·T: z ~ N(0, I)   # x 与 y 用同一个 z",
    "  annealed: x ← x + (α_i/2)·s(x, σ_i) + √α_i·z",
    "  plain:    y ← y + (α/2)·s(y, σ_L) + √α·z",
    "x, y ← · + σ_L²·s(·, σ_L)      # 去噪",
];

impl Lesson for ScoreLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.timeline
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.timeline
    }

    fn total_steps(&self) -> Option<u64> {
        Some(self.model().total_steps())
    }
    fn is_finished(&self) -> bool {
        self.model().is_finished()
    }
    fn pseudocode(&self, lang: Lang) -> &'static [&'static str] {
        if self.plain_twin().is_some() {
            return match lang {
                Lang::En => BOTH_CODE,
                Lang::Zh => BOTH_CODE_ZH,
            };
        }
        match (self.model().settings.schedule, lang) {
            (Schedule::Annealed, Lang::En) => CODE,
            (Schedule::Annealed, Lang::Zh) => CODE_ZH,
            (Schedule::Plain, Lang::En) => PLAIN_CODE,
            (Schedule::Plain, Lang::Zh) => PLAIN_CODE_ZH,
        }
    }
    fn current_line(&self) -> usize {
        let model = self.model();
        // The update line, and the denoising line after it: the last two.
        let last = self.pseudocode(Lang::En).len() - 1;
        if model.sampling_steps() == 0 {
            0
        } else if model.sampling_steps() > model.langevin_steps() {
            last
        } else if self.plain_twin().is_some() {
            // The loop line: both clouds' updates run in it.
            1
        } else {
            last - 1
        }
    }
    fn question(&self, pick: u64) -> Option<crate::lesson::Question> {
        let mut question = questions::ask(self.model(), pick)?;
        if self.plain_twin().is_some() {
            // Two clouds on screen: the question is about the annealed one.
            let Said {
                en: asked,
                zh: asked_zh,
            } = question.prompt;
            question.prompt = Said {
                en: format!("(The annealed cloud, left.) {asked}"),
                zh: format!("（左边的退火粒子云）{asked_zh}"),
            };
        }
        Some(question)
    }
    fn events(&self, out: &mut Vec<Event>) {
        let model = self.model();
        if model.level_changed() {
            let (sigma, _) = model.sigma_alpha_of(model.sampling_steps() - 1);
            out.push(Event::new(event::LEVEL, format!("σ={sigma:.4}")));
        }
        let clouds = self.timeline.model();
        let new = clouds.newly_diverged();
        if new > 0 {
            // Over both clouds with `both`; the banner names each.
            let total = clouds.diverged();
            out.push(Event::new(event::DIVERGED, format!("+{new} Σ={total}")));
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, 0, area, buf, look);
    }
    fn pages(&self, area: Rect) -> usize {
        view::pages(self, area)
    }
    fn render_page(&self, page: usize, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, page, area, buf, look);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        if self.plain_twin().is_some() {
            &[
                "step",
                "level",
                "sigma",
                "alpha",
                "mean_x",
                "mean_y",
                "std_x",
                "std_y",
                "plain_alpha",
                "plain_mean_x",
                "plain_mean_y",
                "plain_std_x",
                "plain_std_y",
            ]
        } else {
            &[
                "step", "level", "sigma", "alpha", "mean_x", "mean_y", "std_x", "std_y",
            ]
        }
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
        let mut row: Vec<Field> = vec![
            model.sampling_steps().into(),
            (model.level_of(taken) + 1).into(),
            sigma.into(),
            alpha.into(),
            mean[0].into(),
            mean[1].into(),
            cov[0][0].sqrt().into(),
            cov[1][1].sqrt().into(),
        ];
        if let Some(plain) = self.plain_twin() {
            let (mean, cov) = moments(&plain.particles);
            let (_, alpha) = plain.sigma_alpha_of(taken);
            row.extend([
                alpha.into(),
                mean[0].into(),
                mean[1].into(),
                cov[0][0].sqrt().into(),
                cov[1][1].sqrt().into(),
            ]);
        }
        rows.push(row);
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
        table.insert(
            "diverged".into(),
            toml::Value::Integer(i64::try_from(model.diverged).unwrap_or(i64::MAX)),
        );
        if let Some(plain) = self.plain_twin() {
            // The plain twin's cloud under its own key: the same fields.
            let mut twin = particle_summary(&plain.target, &plain.particles);
            twin.insert(
                "alpha".into(),
                toml::Value::Float(plain.settings.plain_epsilon),
            );
            table.insert("plain".into(), toml::Value::Table(twin));
        }
        table
    }
}
