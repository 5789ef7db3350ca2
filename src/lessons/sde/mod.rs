//! The diffusion-as-SDE lesson: VE, VP and sub-VP processes, forward from
//! the data and backwards from the prior by Euler–Maruyama, predictor–
//! corrector or the probability-flow ODE.

pub mod model;
mod questions;
mod view;

use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::history::Decimated;
use crate::lesson::param::{Lookup, chosen};
use crate::lesson::timeline::Recorded;
use crate::lesson::{
    Event, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec,
    Question, Timeline, choices, validate,
};
use crate::sim::diffusion::cloud::moments;
use crate::sim::diffusion::learned::{Levels, ScoreSource};
use crate::sim::diffusion::sde::Sde;
use crate::sim::diffusion::setup::{TargetSetup, particle_summary, target_specs};
use crate::theme::Look;
use model::{Direction, Process, Sampler, SdeRun, SdeRuns};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "sde",
    title: tr!("Diffusion SDE", "扩散 SDE"),
    summary: "forward noising and reverse sampling: VE / VP / sub-VP, Euler–Maruyama, predictor–corrector, probability-flow ODE",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/sde.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/sde.toml")),
    questions: questions::KINDS,
};

/// The key moments of a run.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::TURN,
        ask: None,
        label: tr!(
            "the turn: taking apart ends, building begins",
            "转折：拆楼结束，建楼开始"
        ),
        why: tr!(
            "forward noising has reached t = 1 and left only the prior, or reverse sampling \
             takes its first step from the prior back toward the data",
            "正向加噪走到 t = 1，只剩先验；或反向采样从先验迈出回到数据的第一步"
        ),
    },
    EventKind {
        id: event::DIVERGED,
        ask: None,
        label: tr!("particles diverged", "粒子发散"),
        why: tr!(
            "a particle's position is no longer a finite number (the step was too large for \
             the score); it is counted in no component",
            "有粒子的位置不再是有限数（步长对分数而言太大）；它不计入任何分量"
        ),
    },
];

mod event {
    pub const TURN: &str = "turn";
    pub const DIVERGED: &str = "diverged";
}

const CHECKPOINT_EVERY: u64 = 50;
const CHECKPOINTS_KEPT: usize = 24;
/// Particles whose paths are drawn as trails.
pub const TRACKED: usize = 12;
const MAX_N_STEPS: i64 = 10_000;
const N_STEPS_NUDGE: i64 = 50;

/// The SDE's name; its coefficients are read beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SdeName {
    Vp,
    Ve,
    SubVp,
    /// VP and VE side by side on one seed.
    Both,
}
choices!(SdeName { SdeName::Vp => "vp", SdeName::Ve => "ve", SdeName::SubVp => "subvp", SdeName::Both => "both" });
choices!(Sampler { Sampler::Em => "em", Sampler::Pc => "pc", Sampler::Ode => "ode" });
choices!(Direction { Direction::Reverse => "reverse", Direction::Forward => "forward" });

mod key {
    pub const SDE: &str = "sde";
    pub const SAMPLER: &str = "sampler";
    pub const DIRECTION: &str = "direction";
    pub const N_STEPS: &str = "n_steps";
    pub const SNR: &str = "snr";
    pub const BETA_MIN: &str = "beta_min";
    pub const BETA_MAX: &str = "beta_max";
    pub const SIGMA_MIN: &str = "sigma_min";
    pub const SIGMA_MAX: &str = "sigma_max";
}

/// The sampler and its corrector matter only in reverse.
fn reverse(get: Lookup<'_>) -> bool {
    chosen(get, key::DIRECTION, Direction::Reverse)
}

/// β's schedule drives VP and sub-VP.
fn beta_sde(get: Lookup<'_>) -> bool {
    !chosen(get, key::SDE, SdeName::Ve)
}

/// σ's schedule drives VE.
fn sigma_sde(get: Lookup<'_>) -> bool {
    chosen(get, key::SDE, SdeName::Ve) || chosen(get, key::SDE, SdeName::Both)
}

fn specs() -> Vec<ParamSpec> {
    let mut specs = target_specs();
    specs.extend([
        ParamSpec::choice(key::SDE, SdeName::Vp).help(tr!(
            "ve (variance exploding), vp (variance preserving), subvp, or both: vp and ve side by side",
            "ve（方差爆炸）、vp（方差保持）、subvp，或 both：vp 与 ve 并排"
        )),
        ParamSpec::choice(key::SAMPLER, Sampler::Em)
            .help(tr!(
                "reverse: em (Euler–Maruyama), pc (plus a Langevin corrector) or ode",
                "反向采样器：em（Euler–Maruyama）、pc（再加朗之万校正）或 ode"
            ))
            .used_when(reverse),
        ParamSpec::choice(key::DIRECTION, Direction::Reverse).help(tr!(
            "forward from the data to t = 1, or reverse from the prior",
            "forward：从数据加噪到 t = 1；reverse：从先验反向生成"
        )),
        ParamSpec::int(key::N_STEPS, 1..=MAX_N_STEPS, 500)
            .step(N_STEPS_NUDGE)
            .help(tr!(
                "time steps between t = 1 and t = ε (or 0 and 1)",
                "t = 1 到 t = ε（或 0 到 1）之间的时间步数"
            )),
        ParamSpec::float(key::SNR, 0.001..=1.0, 0.16)
            .log_scale()
            .help(tr!("corrector's signal-to-noise ratio", "校正器的信噪比"))
            .used_when(|get| reverse(get) && chosen(get, key::SAMPLER, Sampler::Pc)),
        ParamSpec::float(key::BETA_MIN, 0.001..=5.0, 0.1)
            .log_scale()
            .help(tr!("VP/sub-VP: β(0)", "VP/sub-VP：β(0)"))
            .used_when(beta_sde),
        ParamSpec::float(key::BETA_MAX, 0.1..=50.0, 20.0)
            .log_scale()
            .help(tr!("VP/sub-VP: β(1)", "VP/sub-VP：β(1)"))
            .used_when(beta_sde),
        ParamSpec::float(key::SIGMA_MIN, 0.001..=1.0, 0.01)
            .log_scale()
            .help(tr!("VE: σ(0)", "VE：σ(0)"))
            .used_when(sigma_sde),
        ParamSpec::float(key::SIGMA_MAX, 1.0..=100.0, 20.0)
            .log_scale()
            .help(tr!(
                "VE: σ(1), at least the distance between the modes",
                "VE：σ(1)，至少要有各峰之间的距离"
            ))
            .used_when(sigma_sde),
    ]);
    specs
}

/// The target and cloud, and the process that moves it.
struct Setup {
    target: TargetSetup,
    process: Process,
    /// `sde = both`: the VE twin's process beside VP's.
    twin: Option<Process>,
    schedule: questions::Schedule,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let target = TargetSetup::from_params(params)?;
        let ve = Sde::Ve {
            sigma_min: params.float(key::SIGMA_MIN)?,
            sigma_max: params.float(key::SIGMA_MAX)?,
        };
        let name: SdeName = params.choice(key::SDE)?;
        let sde = match name {
            SdeName::Ve => ve,
            name => {
                let beta_min = params.float(key::BETA_MIN)?;
                let beta_max = params.float(key::BETA_MAX)?;
                if beta_min > beta_max {
                    return Err(ParamError::new(
                        params.path(key::BETA_MIN),
                        said!(
                            "{beta_min} is above beta_max {beta_max}",
                            "{beta_min} 大于 beta_max {beta_max}"
                        ),
                    ));
                }
                if name == SdeName::SubVp {
                    Sde::SubVp { beta_min, beta_max }
                } else {
                    Sde::Vp { beta_min, beta_max }
                }
            }
        };
        if params.float(key::SIGMA_MIN)? > params.float(key::SIGMA_MAX)? {
            return Err(ParamError::new(
                params.path(key::SIGMA_MIN),
                tr!(
                    "is above sigma_max; σ(t) grows from sigma_min to sigma_max",
                    "大于 sigma_max；σ(t) 从 sigma_min 增长到 sigma_max"
                ),
            ));
        }
        let process = Process {
            sde,
            sampler: params.choice(key::SAMPLER)?,
            direction: params.choice(key::DIRECTION)?,
            snr: params.float(key::SNR)?,
            n_steps: params.count(key::N_STEPS)? as u64,
        };
        let twin = (name == SdeName::Both).then_some(Process { sde: ve, ..process });
        let schedule = questions::Schedule {
            // The parameter's own spelling, as a learner would set it.
            sde: match process.sde {
                Sde::Ve { .. } => "ve",
                Sde::Vp { .. } => "vp",
                Sde::SubVp { .. } => "subvp",
            },
            beta_min: params.float(key::BETA_MIN)?,
            beta_max: params.float(key::BETA_MAX)?,
            sigma_min: params.float(key::SIGMA_MIN)?,
            sigma_max: params.float(key::SIGMA_MAX)?,
        };
        Ok(Setup {
            target,
            process,
            twin,
            schedule,
        })
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let Setup {
        target,
        process,
        twin,
        schedule,
    } = Setup::from_params(params)?;
    let run = |process: Process| {
        let source = if process.direction == Direction::Reverse {
            let levels = Levels::Times {
                eps: process.sde.eps(),
                sde: process.sde,
            };
            target.source(levels, seed)
        } else {
            // Forward noising needs no score.
            ScoreSource::Analytic
        };
        SdeRun::new(target.target.clone(), process, target.particles, seed).with_source(source)
    };
    let runs = SdeRuns {
        main: run(process),
        twin: twin.map(run),
    };
    Ok(Box::new(SdeLesson {
        timeline: Recorded::new(runs, CHECKPOINT_EVERY, CHECKPOINTS_KEPT, sample),
        schedule,
    }))
}

/// The trails' and the chart's sample of a step.
fn sample(runs: &SdeRuns) -> Sample {
    let run = &runs.main;
    let (mean, cov) = moments(&run.particles);
    Sample {
        t: run.time(),
        tracked: run.particles.iter().take(TRACKED).copied().collect(),
        std: [cov[0][0].sqrt(), cov[1][1].sqrt()],
        mean,
        twin_std: runs.twin.as_ref().map(|twin| {
            let (_, cov) = moments(&twin.particles);
            [cov[0][0].sqrt(), cov[1][1].sqrt()]
        }),
    }
}

/// What is kept per recorded step for the trails and the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub t: f64,
    pub tracked: Vec<[f64; 2]>,
    pub std: [f64; 2],
    pub mean: [f64; 2],
    /// With `sde = both`: the VE twin's std per axis.
    pub twin_std: Option<[f64; 2]>,
}

pub struct SdeLesson {
    timeline: Recorded<SdeRuns, Sample>,
    schedule: questions::Schedule,
}

impl SdeLesson {
    /// The run of the chosen SDE (with `both`, the VP one).
    pub fn model(&self) -> &SdeRun {
        &self.timeline.model().main
    }

    /// With `sde = both`: the VE run beside [`Self::model`].
    pub fn twin(&self) -> Option<&SdeRun> {
        self.timeline.model().twin.as_ref()
    }

    pub fn history(&self) -> &Decimated<Sample> {
        self.timeline.history()
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
    fn timeline(&self) -> &dyn Timeline {
        &self.timeline
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.timeline
    }

    fn total_steps(&self) -> Option<u64> {
        Some(self.model().training_steps() + self.model().n_steps)
    }
    fn is_finished(&self) -> bool {
        self.model().is_finished()
    }
    // The listings have no `#` comment: they read the same in Chinese.
    fn pseudocode(&self, _lang: Lang) -> &'static [&'static str] {
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
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, 0, area, buf, look);
    }
    fn pages(&self, area: Rect) -> usize {
        view::pages(self, area)
    }
    fn render_page(&self, page: usize, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, page, area, buf, look);
    }
    fn events(&self, out: &mut Vec<Event>) {
        let run = self.model();
        let steps = run.sampling_steps();
        if steps == 0 || run.steps <= run.training_steps() {
            return;
        }
        let turned = match run.direction {
            // Taking apart ends when the forward run reaches t = 1.
            Direction::Forward => steps == run.n_steps,
            // Building begins with the first step back from the prior.
            Direction::Reverse => steps == 1,
        };
        if turned {
            out.push(Event::new(event::TURN, format!("t={:.3}", run.time())));
        }
        // The first non-finite particle of each run (VP's, then VE's twin).
        for run in std::iter::once(run).chain(self.twin()) {
            if run.diverged_before == 0 && run.diverged > 0 {
                let (count, of) = (run.diverged, run.particles.len());
                out.push(Event::new(event::DIVERGED, format!("{count}/{of}")));
            }
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self.model(), &self.schedule, pick)
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        if self.twin().is_some() {
            &[
                "step",
                "t",
                "mean_x",
                "mean_y",
                "std_x",
                "std_y",
                "ve_t",
                "ve_mean_x",
                "ve_mean_y",
                "ve_std_x",
                "ve_std_y",
            ]
        } else {
            &["step", "t", "mean_x", "mean_y", "std_x", "std_y"]
        }
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let run = self.model();
        // Training steps move no particle: they have no row.
        if run.steps <= run.training_steps() {
            return;
        }
        let (mean, cov) = moments(&run.particles);
        let mut row: Vec<Field> = vec![
            run.sampling_steps().into(),
            run.time().into(),
            mean[0].into(),
            mean[1].into(),
            cov[0][0].sqrt().into(),
            cov[1][1].sqrt().into(),
        ];
        if let Some(twin) = self.twin() {
            // VE stops at its own ε, so its time can differ from VP's.
            let (mean, cov) = moments(&twin.particles);
            row.extend([
                twin.time().into(),
                mean[0].into(),
                mean[1].into(),
                cov[0][0].sqrt().into(),
                cov[1][1].sqrt().into(),
            ]);
        }
        rows.push(row);
    }
    fn summary(&self) -> toml::Table {
        let run = self.model();
        let mut table = particle_summary(&run.target, &run.particles);
        table.insert("t_end".into(), run.time().into());
        if let Some(twin) = self.twin() {
            // The VE twin under its own key: the same fields.
            let mut ve = particle_summary(&twin.target, &twin.particles);
            ve.insert("t_end".into(), twin.time().into());
            table.insert("ve".into(), toml::Value::Table(ve));
        }
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
