//! Annealed Langevin dynamics (SMLD / NCSN) with the analytic score of the
//! noised target, all particles one Langevin step at a time.
//!
//! ```text
//! σ_1 > … > σ_L geometric from σ_max to σ_min
//! α_i = ε · σ_i² / σ_L²
//! for i in 1..=L: repeat T times: x ← x + (α_i/2)·s(x, σ_i) + √α_i · z
//! denoise (optional): x ← x + σ_L² · s(x, σ_L)
//! ```
//! `plain` runs the same L·T steps at σ_L with its own step ε_plain
//! throughout: large enough that every particle settles into the mode it
//! started near, so what it gets wrong (the weights) is the missing
//! annealing, not a step too small to move.

use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

use crate::lesson::timeline::Replayable;
use crate::sim::diffusion::learned::ScoreSource;
use crate::sim::diffusion::step::move_cloud;
use crate::sim::diffusion::target::Mixture;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    Annealed,
    Plain,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub sigma_max: f64,
    pub sigma_min: f64,
    pub levels: usize,
    pub steps_per_level: usize,
    pub epsilon: f64,
    /// Step size of `plain` Langevin: ε of the annealed schedule is tuned
    /// for σ_L = σ_min and barely moves a particle at that level.
    pub plain_epsilon: f64,
    pub denoise: bool,
    pub schedule: Schedule,
}

/// Margin around the target's means of the box particles start in.
const START_MARGIN: f64 = 3.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Smld {
    pub target: Mixture,
    pub settings: Settings,
    pub sigmas: Vec<f64>,
    pub alphas: Vec<f64>,
    pub particles: Vec<[f64; 2]>,
    /// The score followed: exact, or a network trained first.
    pub source: ScoreSource,
    /// Steps taken (training steps, Langevin steps, then the denoising step).
    pub steps: u64,
    /// Particles whose position is no longer finite: they are neither drawn
    /// nor counted in any component's share.
    pub diverged: usize,
    /// How many particles diverged in the last step taken.
    pub newly_diverged: usize,
    /// The step (counted like `steps`) after which the first particle diverged.
    pub first_diverged: Option<u64>,
    seed: u64,
}

/// σ_1 … σ_L, geometric from `max` down to `min`.
pub fn geometric_sigmas(max: f64, min: f64, levels: usize) -> Vec<f64> {
    if levels <= 1 {
        return vec![min];
    }
    let ratio = (min / max).powf(1.0 / (levels - 1) as f64);
    (0..levels).map(|i| max * ratio.powi(i as i32)).collect()
}

impl Smld {
    pub fn new(target: Mixture, settings: Settings, particles: usize, seed: u64) -> Smld {
        Smld::with_source(target, settings, particles, ScoreSource::Analytic, seed)
    }

    pub fn with_source(
        target: Mixture,
        settings: Settings,
        particles: usize,
        source: ScoreSource,
        seed: u64,
    ) -> Smld {
        let sigmas = geometric_sigmas(settings.sigma_max, settings.sigma_min, settings.levels);
        let last = sigmas.last().copied().unwrap_or(1.0);
        let alphas = sigmas
            .iter()
            .map(|s| settings.epsilon * s * s / (last * last))
            .collect();
        // Start uniformly in a box around the target, as NCSN starts from noise.
        let (lo, hi) = target.means.iter().fold(
            ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(lo, hi), m| {
                (
                    [lo[0].min(m[0]), lo[1].min(m[1])],
                    [hi[0].max(m[0]), hi[1].max(m[1])],
                )
            },
        );
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let particles = (0..particles)
            .map(|_| {
                let u: [f64; 2] = [rng.random(), rng.random()];
                [
                    lo[0] - START_MARGIN + u[0] * (hi[0] - lo[0] + 2.0 * START_MARGIN),
                    lo[1] - START_MARGIN + u[1] * (hi[1] - lo[1] + 2.0 * START_MARGIN),
                ]
            })
            .collect();
        Smld {
            target,
            settings,
            sigmas,
            alphas,
            particles,
            source,
            steps: 0,
            diverged: 0,
            newly_diverged: 0,
            first_diverged: None,
            seed,
        }
    }

    /// Steps spent training the learned score before sampling.
    pub fn training_steps(&self) -> u64 {
        self.source.training_steps()
    }

    pub fn is_training(&self) -> bool {
        self.steps < self.training_steps()
    }

    /// Sampling steps taken so far.
    pub fn sampling_steps(&self) -> u64 {
        self.steps.saturating_sub(self.training_steps())
    }

    pub fn langevin_steps(&self) -> u64 {
        (self.settings.levels * self.settings.steps_per_level) as u64
    }

    pub fn total_steps(&self) -> u64 {
        self.training_steps() + self.langevin_steps() + u64::from(self.settings.denoise)
    }

    /// The level (0-based) of the next step (or of the last one, once done).
    pub fn level(&self) -> usize {
        self.level_of(self.sampling_steps())
    }

    /// The level (0-based) sampling step number `step` (counting from 0) runs at.
    pub fn level_of(&self, step: u64) -> usize {
        match self.settings.schedule {
            Schedule::Plain => self.sigmas.len() - 1,
            Schedule::Annealed => {
                let step = step.min(self.langevin_steps().saturating_sub(1));
                (step as usize / self.settings.steps_per_level.max(1)).min(self.sigmas.len() - 1)
            }
        }
    }

    /// (σ, α) the next step uses.
    pub fn sigma_alpha(&self) -> (f64, f64) {
        self.sigma_alpha_of(self.sampling_steps())
    }

    /// (σ, α) sampling step number `step` (counting from 0) uses.
    pub fn sigma_alpha_of(&self, step: u64) -> (f64, f64) {
        let level = self.level_of(step);
        match self.settings.schedule {
            Schedule::Annealed => (self.sigmas[level], self.alphas[level]),
            Schedule::Plain => (self.sigmas[level], self.settings.plain_epsilon),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.steps >= self.total_steps()
    }

    /// Whether the step just taken was the first of a new noise level (not
    /// the first level: the run starts there).
    pub fn level_changed(&self) -> bool {
        let taken = self.sampling_steps();
        self.settings.schedule == Schedule::Annealed
            && taken >= 2
            && taken <= self.langevin_steps()
            && self.level_of(taken - 1) != self.level_of(taken - 2)
    }
}

impl Replayable for Smld {
    fn step(&mut self) -> bool {
        if self.is_finished() {
            return false;
        }
        if self.source.train() {
            self.steps += 1;
            self.newly_diverged = 0;
            return true;
        }
        let (target, source) = (&self.target, &self.source);
        let k = self.sampling_steps();
        let (sigma, alpha) = self.sigma_alpha_of(k);
        if k == self.langevin_steps() {
            // The denoising step: one jump by σ_L²·s, no noise (Tweedie's estimate).
            let last = *self.sigmas.last().unwrap_or(&sigma);
            let field = source.field(target, last.ln(), (1.0, last));
            move_cloud(&mut self.particles, 0, Some(&field), false, |x, draw| {
                let g = draw.score;
                *x = [x[0] + last * last * g[0], x[1] + last * last * g[1]];
            });
        } else {
            // Each step's noise comes from the seed and the step number alone,
            // so replay from a checkpoint draws exactly the same.
            let step_seed = self.seed ^ k.wrapping_mul(0xD129_0B2A_9C4F_1E6B);
            let root = alpha.sqrt();
            let field = source.field(target, sigma.ln(), (1.0, sigma));
            move_cloud(
                &mut self.particles,
                step_seed,
                Some(&field),
                true,
                |x, draw| {
                    let (g, z) = (draw.score, draw.noise);
                    *x = [
                        x[0] + 0.5 * alpha * g[0] + root * z[0],
                        x[1] + 0.5 * alpha * g[1] + root * z[1],
                    ];
                },
            );
        }
        self.steps += 1;
        let diverged = self
            .particles
            .iter()
            .filter(|p| !(p[0].is_finite() && p[1].is_finite()))
            .count();
        self.newly_diverged = diverged.saturating_sub(self.diverged);
        self.diverged = diverged;
        if diverged > 0 && self.first_diverged.is_none() {
            self.first_diverged = Some(self.steps);
        }
        true
    }
}

/// What a run steps: one cloud, or (`schedule = both`) an annealed cloud and
/// a plain twin from the same seed, so the same start and the same noise
/// draws: the two differ only in the schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Clouds {
    /// The cloud of the chosen schedule; with `both`, the annealed one.
    pub main: Smld,
    /// With `both`: the same run under the plain schedule.
    pub plain: Option<Smld>,
}

impl Clouds {
    /// `main` alone, or beside its plain twin.
    pub fn new(main: Smld, both: bool) -> Clouds {
        let plain = both.then(|| {
            let mut twin = main.clone();
            twin.settings.schedule = Schedule::Plain;
            twin
        });
        Clouds { main, plain }
    }

    /// Diverged particles over both clouds.
    pub fn diverged(&self) -> usize {
        self.main.diverged + self.plain.as_ref().map_or(0, |p| p.diverged)
    }

    /// Particles that diverged in the last step, over both clouds.
    pub fn newly_diverged(&self) -> usize {
        self.main.newly_diverged + self.plain.as_ref().map_or(0, |p| p.newly_diverged)
    }
}

impl Replayable for Clouds {
    fn step(&mut self) -> bool {
        // Both clouds have the same number of steps: they finish together.
        let stepped = self.main.step();
        if let Some(plain) = &mut self.plain {
            plain.step();
        }
        stepped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmas_are_geometric_from_max_to_min() {
        let s = geometric_sigmas(10.0, 0.01, 4);
        assert!((s[0] - 10.0).abs() < 1e-12 && (s[3] - 0.01).abs() < 1e-12);
        assert!((s[1] / s[0] - s[2] / s[1]).abs() < 1e-12);
    }
}
