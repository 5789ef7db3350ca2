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

use crate::lesson::scratch::Scratch;
use crate::lesson::timeline::Replayable;
use crate::sim::diffusion::learned::{Field, ScoreSource};
use crate::sim::diffusion::random::{for_each_block, for_each_block_with};
use crate::sim::diffusion::sde::Sde;
use crate::sim::diffusion::step::{Draw, SPAN, for_each_span, move_cloud};
use crate::sim::diffusion::target::Mixture;

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
        for_each_block(&mut particles, seed, |block, random| match direction {
            Direction::Forward => {
                for x in block {
                    *x = data.sample(&mut random.scalar);
                }
            }
            Direction::Reverse => {
                random.normals.fill(block);
                for x in block {
                    *x = x.map(|z| z * prior);
                }
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

    /// The score at time t, for many particles at a time.
    fn field(&self, t: f64) -> Field<'_> {
        self.source.field(&self.target, t, self.sde.kernel(t))
    }

    fn forward_step(&mut self, t: f64, dt: f64, seed: u64) {
        let (a, g) = (self.sde.drift_scale(t), self.sde.diffusion2(t).sqrt());
        let root = dt.sqrt();
        move_cloud(&mut self.particles, seed, None, true, |x, draw| {
            let z = draw.noise;
            *x = [
                x[0] + a * x[0] * dt + g * root * z[0],
                x[1] + a * x[1] * dt + g * root * z[1],
            ];
        });
    }

    fn reverse_em(&mut self, t: f64, dt: f64, seed: u64) {
        let (a, g2) = (self.sde.drift_scale(t), self.sde.diffusion2(t));
        let root = (g2 * dt).sqrt();
        let mut particles = std::mem::take(&mut self.particles);
        let field = self.field(t);
        move_cloud(&mut particles, seed, Some(&field), true, |x, draw| {
            let (s, z) = (draw.score, draw.noise);
            *x = [
                x[0] - (a * x[0] - g2 * s[0]) * dt + root * z[0],
                x[1] - (a * x[1] - g2 * s[1]) * dt + root * z[1],
            ];
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
        let mut particles = std::mem::take(&mut self.particles);
        let mut kept = std::mem::take(&mut self.draws.0);
        kept.clear();
        kept.resize(particles.len(), Draw::default());
        let field = self.field(t);
        let sums = for_each_block_with(&mut particles, &mut kept, seed, |block, kept, random| {
            let (mut grad, mut noise, mut at) = (0.0, 0.0, 0);
            for_each_span(block, random, Some(&field), true, |span, scores, noises| {
                for (keep, (&score, &z)) in kept[at..].iter_mut().zip(scores.iter().zip(noises)) {
                    *keep = Draw { score, noise: z };
                    grad += norm(score);
                    noise += norm(z);
                }
                at += span.len();
            });
            (grad, noise)
        });
        // Block sums added in block order: the same total on any number of threads.
        let (grad, noise) = sums
            .iter()
            .fold((0.0, 0.0), |(g, z), (bg, bz)| (g + bg, z + bz));
        let n = particles.len().max(1) as f64;
        let (grad, noise) = (grad / n, noise / n);
        let step = if grad > 0.0 {
            2.0 * alpha * (self.snr * noise / grad).powi(2)
        } else {
            0.0
        };
        let root = (2.0 * step).sqrt();
        // Pass 2: the move itself.
        for (x, draw) in particles.iter_mut().zip(&kept) {
            *x = [
                x[0] + step * draw.score[0] + root * draw.noise[0],
                x[1] + step * draw.score[1] + root * draw.noise[1],
            ];
        }
        self.particles = particles;
        self.draws = Scratch(kept);
    }

    /// Heun's method on the probability-flow ODE from t to t − dt.
    fn ode_step(&mut self, t: f64, dt: f64) {
        let mut particles = std::mem::take(&mut self.particles);
        let (now, next) = (self.field(t), self.field(t - dt));
        let rates = |t: f64| (self.sde.drift_scale(t), 0.5 * self.sde.diffusion2(t));
        let ((a1, h1), (a2, h2)) = (rates(t), rates(t - dt));
        for_each_block(&mut particles, 0, |block, _| {
            let mut scores = [[0.0; 2]; SPAN];
            let mut k1 = [[0.0; 2]; SPAN];
            let mut guess = [[0.0; 2]; SPAN];
            for span in block.chunks_mut(SPAN) {
                let n = span.len();
                // k1 = f − ½g²s at (x, t); an Euler guess; k2 there at t − dt.
                now.scores(span, &mut scores[..n]);
                for i in 0..n {
                    let (x, s) = (span[i], scores[i]);
                    k1[i] = [a1 * x[0] - h1 * s[0], a1 * x[1] - h1 * s[1]];
                    guess[i] = [x[0] - dt * k1[i][0], x[1] - dt * k1[i][1]];
                }
                next.scores(&guess[..n], &mut scores[..n]);
                for i in 0..n {
                    let (g, s) = (guess[i], scores[i]);
                    let k2 = [a2 * g[0] - h2 * s[0], a2 * g[1] - h2 * s[1]];
                    let x = &mut span[i];
                    *x = [
                        x[0] - 0.5 * dt * (k1[i][0] + k2[0]),
                        x[1] - 0.5 * dt * (k1[i][1] + k2[1]),
                    ];
                }
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
        for_each_block(&mut start, 7, |block, random| {
            random.normals.fill(block);
            for x in block {
                *x = [mu[0] + std * x[0], mu[1] + std * x[1]];
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
