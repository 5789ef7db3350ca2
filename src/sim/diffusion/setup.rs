//! The parameters both score-based lessons take for their target, their
//! score and their cloud, read once into a [`TargetSetup`]; and what both
//! report about the cloud.

use crate::lesson::param::{Lookup, chosen, format_float};
use crate::lesson::{FromParams, ParamError, ParamSet, ParamSpec, choices};
use crate::{said, tr};

use super::cloud::{diverged, mode_weights, moments};
use super::learned::{LearnedScore, Levels, ScoreSource};
use super::target::{MAX_COMPONENTS, Mixture};

/// Which mixture the particles are drawn to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetName {
    Two,
    Ring8,
    Grid9,
    Custom,
}
choices!(TargetName {
    TargetName::Two => "two",
    TargetName::Ring8 => "ring8",
    TargetName::Grid9 => "grid9",
    TargetName::Custom => "custom",
});

/// Where the score comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreName {
    Analytic,
    Learned,
}
choices!(ScoreName { ScoreName::Analytic => "analytic", ScoreName::Learned => "learned" });

pub mod key {
    pub const TARGET: &str = "target";
    pub const MEANS: &str = "means";
    pub const WEIGHTS: &str = "weights";
    pub const TAU: &str = "tau";
    pub const SCORE: &str = "score";
    pub const TRAIN_STEPS: &str = "train_steps";
    pub const PARTICLES: &str = "particles";
}

/// How far from the origin a custom mean may lie: farther than any noise
/// level reaches (σ_max ≤ 100), and safe to square and sum.
pub const MAX_MEAN: f64 = 1_000.0;
const MIN_TAU: f64 = 0.05;
const MAX_TAU: f64 = 5.0;
const MAX_TRAIN_STEPS: i64 = 100_000;
const TRAIN_STEPS_NUDGE: i64 = 100;
pub const MAX_PARTICLES: i64 = 100_000;
const PARTICLES_NUDGE: i64 = 500;
/// Learning rate of the learned score's Adam.
const TRAIN_LR: f64 = 3e-3;

/// The parameters both score-based lessons take for their target.
/// Means, weights and τ are read only for `target = custom`: a preset has
/// its own.
fn custom_target(get: Lookup<'_>) -> bool {
    chosen(get, key::TARGET, TargetName::Custom)
}

/// Training steps matter only to a learned score.
fn learned_score(get: Lookup<'_>) -> bool {
    chosen(get, key::SCORE, ScoreName::Learned)
}

pub fn target_specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::choice(key::TARGET, TargetName::Two).help(tr!(
            "two (NCSN's toy), ring8, grid9, or custom (means, weights, tau)",
            "two（NCSN 的玩具例子）、ring8、grid9，或 custom（means、weights、tau）"
        )),
        ParamSpec::float_list(key::MEANS, 2..=2 * MAX_COMPONENTS, &[-3.0, 0.0, 3.0, 0.0])
            .help(tr!(
                "custom only: component means as x1,y1,x2,y2,…",
                "仅 custom：各分量的均值，写作 x1,y1,x2,y2,…"
            ))
            .used_when(custom_target),
        ParamSpec::float_list(key::WEIGHTS, 1..=MAX_COMPONENTS, &[0.5, 0.5])
            .help(tr!(
                "custom only: component weights (normalised)",
                "仅 custom：各分量的权重（会归一化）"
            ))
            .used_when(custom_target),
        ParamSpec::float(key::TAU, MIN_TAU..=MAX_TAU, 0.5)
            .log_scale()
            .help(tr!(
                "custom only: component std τ",
                "仅 custom：各分量的标准差 τ"
            ))
            .used_when(custom_target),
        ParamSpec::choice(key::SCORE, ScoreName::Analytic).help(tr!(
            "analytic (exact), or learned: an MLP trained first by denoising score matching",
            "analytic（精确解析），或 learned：先用去噪分数匹配训练一个 MLP"
        )),
        ParamSpec::int(key::TRAIN_STEPS, 1..=MAX_TRAIN_STEPS, 5_000)
            .step(TRAIN_STEPS_NUDGE)
            .help(tr!(
                "learned only: Adam steps of training before sampling",
                "仅 learned：采样前 Adam 训练的步数"
            ))
            .used_when(learned_score),
        ParamSpec::int(key::PARTICLES, 1..=MAX_PARTICLES, 2_000)
            .step(PARTICLES_NUDGE)
            .help(tr!("number of particles", "粒子数")),
    ]
}

/// The target, the score's source and the cloud's size.
#[derive(Clone, Debug)]
pub struct TargetSetup {
    pub target: Mixture,
    /// Adam steps of training before sampling, when the score is learned.
    pub learned: Option<u64>,
    pub particles: usize,
}

impl FromParams for TargetSetup {
    fn from_params(params: &ParamSet) -> Result<TargetSetup, ParamError> {
        let target = match params.choice(key::TARGET)? {
            TargetName::Two => Mixture::two(),
            TargetName::Ring8 => Mixture::ring8(),
            TargetName::Grid9 => Mixture::grid9(),
            TargetName::Custom => custom(params)?,
        };
        let learned = match params.choice(key::SCORE)? {
            ScoreName::Analytic => None,
            ScoreName::Learned => Some(params.count(key::TRAIN_STEPS)? as u64),
        };
        Ok(TargetSetup {
            target,
            learned,
            particles: params.count(key::PARTICLES)?,
        })
    }
}

/// A custom mixture, checked: whole pairs of means, one weight per pair,
/// positive weights, means within `MAX_MEAN`.
fn custom(params: &ParamSet) -> Result<Mixture, ParamError> {
    let means = params.float_list(key::MEANS)?;
    let weights = params.float_list(key::WEIGHTS)?;
    if !means.len().is_multiple_of(2) || means.len() / 2 != weights.len() {
        return Err(ParamError::new(params.path(key::MEANS), {
            let (m, w) = (means.len(), weights.len());
            said!(
                "{m} numbers make no whole pairs for {w} weights; give x,y per weight",
                "{m} 个数凑不成 {w} 个权重对应的坐标对；每个权重给一对 x,y"
            )
        }));
    }
    if let Some(bad) = means.iter().chain(weights).find(|v| !v.is_finite()) {
        return Err(ParamError::new(
            params.path(key::MEANS),
            said!("{bad} is not a finite number", "{bad} 不是有限数"),
        ));
    }
    if weights.iter().any(|w| *w <= 0.0) {
        return Err(ParamError::new(
            params.path(key::WEIGHTS),
            tr!("every weight must be above 0", "每个权重都必须大于 0"),
        ));
    }
    // Far-off means would overflow the squared distances of the score and
    // the spread of the noise schedule.
    if let Some(far) = means.iter().find(|m| m.abs() > MAX_MEAN) {
        return Err(ParamError::new(params.path(key::MEANS), {
            let far = format_float(*far);
            said!(
                "{far} is too far out; allowed: each from -{MAX_MEAN} to {MAX_MEAN}",
                "{far} 太远了；允许：每个都在 -{MAX_MEAN} 到 {MAX_MEAN} 之间"
            )
        }));
    }
    let means = means.chunks(2).map(|c| [c[0], c[1]]).collect();
    Ok(Mixture::new(means, weights, params.float(key::TAU)?))
}

impl TargetSetup {
    /// The score asked for, trained over `levels` when learned.
    pub fn source(&self, levels: Levels, seed: u64) -> ScoreSource {
        match self.learned {
            Some(train_steps) => ScoreSource::Learned {
                net: Box::new(LearnedScore::new(
                    self.target.clone(),
                    levels,
                    TRAIN_LR,
                    seed,
                )),
                train_steps,
            },
            None => ScoreSource::Analytic,
        }
    }
}

/// Numbers as a TOML array.
pub fn floats(values: impl IntoIterator<Item = f64>) -> toml::Value {
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
