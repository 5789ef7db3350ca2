//! Diffusion as a stochastic differential equation: the forward process
//! that takes data apart, and three ways to run it backwards with the
//! analytic score of the noised target.
//!
//! ```text
//! VE:     σ(t) = σmin·(σmax/σmin)^t,  f = 0,  g = σ(t)·√(2 ln(σmax/σmin));  m = 1, s = σ(t)
//! VP:     β(t) = βmin + t(βmax − βmin),  f = −½β(t)x,  g = √β(t)
//!         m(t) = exp(−¼t²(βmax − βmin) − ½tβmin),  s² = 1 − m²
//! sub-VP: same f;  g² = β(t)(1 − e^{−2βmin t − (βmax−βmin)t²});  s = 1 − m²
//! reverse SDE:  dx = [f − g²∇log p_t] dt + g dw̄      (Euler–Maruyama, backwards in t)
//! corrector:    ε = 2α(snr·‖z‖/‖s‖)²;  x ← x + ε·s + √(2ε)·z
//! ODE:          dx/dt = f − ½g²∇log p_t               (Heun, deterministic)
//! ```

use std::sync::Mutex;

use crate::lesson::scratch::Scratch;
use crate::lesson::timeline::Replayable;
use crate::sim::diffusion::learned::ScoreSource;
use crate::sim::diffusion::random::{for_each_chunk, normal2};
use crate::sim::diffusion::sde::Sde;
use crate::sim::diffusion::target::Mixture;

/// One particle's corrector step in the making: where it is, its score there
/// and the noise it will get.
#[derive(Debug)]
struct Draw {
    x: [f64; 2],
    score: [f64; 2],
    noise: [f64; 2],
}

/// Euclidean length; plain squares, since `hypot`'s overflow care cost a fifth
/// of a corrector step, and a score that large makes the step vanish either way.
fn norm(v: [f64; 2]) -> f64 {
    (v[0] * v[0] + v[1] * v[1]).sqrt()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampler {
    Em,
    Pc,
    Ode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Reverse,
}

/// How a run moves: which SDE, which way, with which sampler and steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Process {
    pub sde: Sde,
    pub sampler: Sampler,
    pub direction: Direction,
    pub snr: f64,
    pub n_steps: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SdeRun {
    pub target: Mixture,
    pub sde: Sde,
    pub sampler: Sampler,
    pub direction: Direction,
    pub snr: f64,
    pub n_steps: u64,
    pub particles: Vec<[f64; 2]>,
    /// The score followed in reverse: exact, or a network trained first.
    pub source: ScoreSource,
    /// Steps taken: training steps first (learned score), then time steps.
    pub steps: u64,
    /// Per-axis mean and variance of the particles at the start (forward mode theory).
    pub start_mean: [f64; 2],
    pub start_var: [f64; 2],
    /// Particles no longer finite after the last step, and before it: the
    /// `diverged` event fires when the count first leaves zero.
    pub diverged: usize,
    pub diverged_before: usize,
    seed: u64,
    /// The corrector's per-particle work, kept from step to step.
    draws: Scratch<Vec<Draw>>,
}

impl SdeRun {
    /// Particles from the data (forward) or from the prior (reverse).
    pub fn new(target: Mixture, process: Process, count: usize, seed: u64) -> SdeRun {
        let mut particles = vec![[0.0; 2]; count];
        let prior = process.sde.prior_std();
        let direction = process.direction;
        let data = &target;
        for_each_chunk(&mut particles, seed, |chunk, rng| {
            for x in chunk {
                *x = match direction {
                    Direction::Forward => data.sample(rng),
                    Direction::Reverse => normal2(rng).map(|z| z * prior),
                };
            }
        });
        SdeRun::from_particles(target, process, particles, seed)
    }

    /// A run from given start particles (the ODE determinism test starts two
    /// runs with different seeds from the same points).
    pub fn from_particles(
        target: Mixture,
        process: Process,
        particles: Vec<[f64; 2]>,
        seed: u64,
    ) -> SdeRun {
        let Process {
            sde,
            sampler,
            direction,
            snr,
            n_steps,
        } = process;
        let n = particles.len().max(1) as f64;
        let mut start_mean = [0.0; 2];
        let mut start_var = [0.0; 2];
        for d in 0..2 {
            start_mean[d] = particles.iter().map(|p| p[d]).sum::<f64>() / n;
            start_var[d] = particles
                .iter()
                .map(|p| (p[d] - start_mean[d]).powi(2))
                .sum::<f64>()
                / n;
        }
        SdeRun {
            target,
            sde,
            sampler,
            direction,
            snr,
            n_steps: n_steps.max(1),
            particles,
            source: ScoreSource::Analytic,
            steps: 0,
            start_mean,
            start_var,
            diverged: 0,
            diverged_before: 0,
            seed,
            draws: Scratch::default(),
        }
    }

    /// The same run following `source` (trained before it samples).
    pub fn with_source(mut self, source: ScoreSource) -> SdeRun {
        self.source = source;
        self
    }

    pub fn training_steps(&self) -> u64 {
        self.source.training_steps()
    }

    /// Time steps taken so far.
    pub fn sampling_steps(&self) -> u64 {
        self.steps.saturating_sub(self.training_steps())
    }

    fn dt(&self) -> f64 {
        match self.direction {
            Direction::Forward => 1.0 / self.n_steps as f64,
            Direction::Reverse => (1.0 - self.sde.eps()) / self.n_steps as f64,
        }
    }

    /// The time after `step` steps.
    pub fn time_at(&self, step: u64) -> f64 {
        match self.direction {
            Direction::Forward => step as f64 * self.dt(),
            Direction::Reverse => 1.0 - step as f64 * self.dt(),
        }
    }

    pub fn time(&self) -> f64 {
        self.time_at(self.sampling_steps())
    }

    pub fn is_finished(&self) -> bool {
        self.sampling_steps() >= self.n_steps
    }

    /// Closed-form per-axis std and mean at time t given the start statistics:
    /// √(m²·var0 + s²) and m·mean0.
    pub fn theory(&self, t: f64) -> ([f64; 2], [f64; 2]) {
        let (m, s) = self.sde.kernel(t);
        (
            self.start_var.map(|v| (m * m * v + s * s).sqrt()),
            self.start_mean.map(|mu| m * mu),
        )
    }

    fn score(&self, x: [f64; 2], t: f64) -> [f64; 2] {
        self.source.score(&self.target, x, t, self.sde.kernel(t))
    }

    fn forward_step(&mut self, t: f64, dt: f64, seed: u64) {
        let (a, g) = (self.sde.drift_scale(t), self.sde.diffusion2(t).sqrt());
        let root = dt.sqrt();
        for_each_chunk(&mut self.particles, seed, |chunk, rng| {
            for x in chunk {
                let z = normal2(rng);
                *x = [
                    x[0] + a * x[0] * dt + g * root * z[0],
                    x[1] + a * x[1] * dt + g * root * z[1],
                ];
            }
        });
    }

    fn reverse_em(&mut self, t: f64, dt: f64, seed: u64) {
        let (a, g2) = (self.sde.drift_scale(t), self.sde.diffusion2(t));
        let root = (g2 * dt).sqrt();
        let mut particles = std::mem::take(&mut self.particles);
        let this = &*self;
        for_each_chunk(&mut particles, seed, |chunk, rng| {
            for x in chunk {
                let s = this.score(*x, t);
                let z = normal2(rng);
                *x = [
                    x[0] - (a * x[0] - g2 * s[0]) * dt + root * z[0],
                    x[1] - (a * x[1] - g2 * s[1]) * dt + root * z[1],
                ];
            }
        });
        self.particles = particles;
    }

    /// One Langevin corrector step at time t, its size set by the signal-to-noise ratio.
    fn correct(&mut self, t: f64, dt: f64, seed: u64) {
        let alpha = match self.sde {
            Sde::Ve { .. } => 1.0,
            _ => 1.0 - self.sde.beta(t) * dt,
        };
        // Pass 1: every particle's score and the noise it will get; their mean
        // norms set the step size. Both are kept for pass 2, not recomputed.
        let sums = Mutex::new((0.0f64, 0.0f64));
        let mut draws = std::mem::take(&mut self.draws.0);
        draws.clear();
        draws.extend(self.particles.iter().map(|&x| Draw {
            x,
            score: [0.0; 2],
            noise: [0.0; 2],
        }));
        let this = &*self;
        for_each_chunk(&mut draws, seed, |chunk, rng| {
            let (mut grad, mut noise) = (0.0, 0.0);
            for draw in chunk.iter_mut() {
                draw.score = this.score(draw.x, t);
                draw.noise = normal2(rng);
                grad += norm(draw.score);
                noise += norm(draw.noise);
            }
            if let Ok(mut total) = sums.lock() {
                total.0 += grad;
                total.1 += noise;
            }
        });
        let (grad, noise) = sums.into_inner().unwrap_or((0.0, 0.0));
        let n = draws.len().max(1) as f64;
        let (grad, noise) = (grad / n, noise / n);
        let step = if grad > 0.0 {
            2.0 * alpha * (self.snr * noise / grad).powi(2)
        } else {
            0.0
        };
        let root = (2.0 * step).sqrt();
        // Pass 2: the move itself.
        for (x, draw) in self.particles.iter_mut().zip(&draws) {
            *x = [
                draw.x[0] + step * draw.score[0] + root * draw.noise[0],
                draw.x[1] + step * draw.score[1] + root * draw.noise[1],
            ];
        }
        self.draws = Scratch(draws);
    }

    /// Heun's method on the probability-flow ODE from t to t − dt.
    fn ode_step(&mut self, t: f64, dt: f64) {
        let mut particles = std::mem::take(&mut self.particles);
        let this = &*self;
        let velocity = |x: [f64; 2], t: f64| {
            let (a, g2) = (this.sde.drift_scale(t), this.sde.diffusion2(t));
            let s = this.score(x, t);
            [a * x[0] - 0.5 * g2 * s[0], a * x[1] - 0.5 * g2 * s[1]]
        };
        for_each_chunk(&mut particles, 0, |chunk, _| {
            for x in chunk {
                let k1 = velocity(*x, t);
                let guess = [x[0] - dt * k1[0], x[1] - dt * k1[1]];
                let k2 = velocity(guess, t - dt);
                *x = [
                    x[0] - 0.5 * dt * (k1[0] + k2[0]),
                    x[1] - 0.5 * dt * (k1[1] + k2[1]),
                ];
            }
        });
        self.particles = particles;
    }
}

/// What the lesson steps: one run, or (`sde = both`) a VP run and a VE twin
/// from the same seed, side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct SdeRuns {
    pub main: SdeRun,
    /// With `sde = both`: the same run under VE.
    pub twin: Option<SdeRun>,
}

impl Replayable for SdeRuns {
    fn step(&mut self) -> bool {
        // The twin has as many steps (the same n_steps and train_steps).
        let stepped = self.main.step();
        if let Some(twin) = &mut self.twin {
            twin.step();
        }
        stepped
    }
}

impl Replayable for SdeRun {
    fn step(&mut self) -> bool {
        if self.is_finished() {
            return false;
        }
        if self.direction == Direction::Reverse && self.source.train() {
            self.steps += 1;
            return true;
        }
        let t = self.time();
        let dt = self.dt();
        // Noise from the seed and step number alone: replay draws the same.
        let seed = self.seed ^ (self.sampling_steps() + 1).wrapping_mul(0xA076_1D64_78BD_642F);
        match (self.direction, self.sampler) {
            (Direction::Forward, _) => self.forward_step(t, dt, seed),
            (Direction::Reverse, Sampler::Em) => self.reverse_em(t, dt, seed),
            (Direction::Reverse, Sampler::Pc) => {
                self.reverse_em(t, dt, seed);
                self.correct(t - dt, dt, seed.rotate_left(17));
            }
            (Direction::Reverse, Sampler::Ode) => self.ode_step(t, dt),
        }
        self.diverged_before = self.diverged;
        self.diverged = crate::sim::diffusion::cloud::diverged(&self.particles);
        self.steps += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::diffusion::cloud::moments;

    /// Langevin correction at a fixed t targets p_t, so it leaves exact samples
    /// of p_t where they are. For a single Gaussian (mean μ, std τ) under VE,
    /// p_t is Gaussian with mean μ and variance τ² + σ(t)², in closed form.
    #[test]
    fn the_corrector_keeps_the_marginal_it_targets() {
        const COUNT: usize = 20_000;
        const CORRECTIONS: u64 = 200;
        let (mu, tau, t) = ([1.0, -2.0], 0.5, 0.3);
        let process = Process {
            sde: Sde::Ve {
                sigma_min: 0.01,
                sigma_max: 20.0,
            },
            sampler: Sampler::Pc,
            direction: Direction::Reverse,
            snr: 0.16,
            n_steps: 100,
        };
        let (_, sigma) = process.sde.kernel(t);
        let std = (tau * tau + sigma * sigma).sqrt();
        let mut start = vec![[0.0; 2]; COUNT];
        for_each_chunk(&mut start, 7, |chunk, rng| {
            for x in chunk {
                let z = normal2(rng);
                *x = [mu[0] + std * z[0], mu[1] + std * z[1]];
            }
        });
        let target = Mixture::new(vec![mu], &[1.0], tau);
        let mut run = SdeRun::from_particles(target, process, start, 7);
        for seed in 0..CORRECTIONS {
            run.correct(t, 0.0, seed);
        }
        let (mean, cov) = moments(&run.particles);
        for d in 0..2 {
            assert!((mean[d] - mu[d]).abs() < 0.05 * std, "{mean:?} vs {mu:?}");
            // Langevin with a finite step widens the law by about ε/4σ² (1–2% here).
            let got = cov[d][d].sqrt();
            assert!((got / std - 1.0).abs() < 0.03, "std {got} vs {std}");
        }
    }
}
