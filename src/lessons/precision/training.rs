//! Linear regression trained side by side in five precision regimes.
//!
//! Reduced precision is emulated: every operation is done in f32 and its
//! result rounded to the compute format (with `half`'s f32 conversions, which
//! round correctly). Sums over samples accumulate in f32 and are rounded
//! once, as real mixed-precision kernels accumulate reductions in f32.
//!
//! The objective is `grad_scale × MSE` and the step is `lr / grad_scale` times
//! its gradient, so in f32 the trajectory does not depend on `grad_scale`;
//! only the size of the gradient values does, which is what pushes them into
//! FP16's subnormal and flush-to-zero range.

use half::{bf16, f16};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use crate::lesson::timeline::Replayable;

pub const SAMPLES: usize = 64;
pub const FEATURES: usize = 8;
/// Standard deviation of the label noise.
const LABEL_NOISE: f32 = 0.1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Fp32,
    Fp16,
    Fp16Master,
    Amp,
    Bf16,
}

crate::lesson::choices!(Mode {
    Mode::Fp32 => "fp32",
    Mode::Fp16 => "fp16",
    Mode::Fp16Master => "fp16_master",
    Mode::Amp => "amp",
    Mode::Bf16 => "bf16",
});

impl Mode {
    /// Rounds an f32 result to this mode's compute format.
    pub fn compute(self, x: f32) -> f32 {
        match self {
            Mode::Fp32 => x,
            Mode::Fp16 | Mode::Fp16Master | Mode::Amp => f16::from_f32(x).to_f32(),
            Mode::Bf16 => bf16::from_f32(x).to_f32(),
        }
    }

    fn has_master(self) -> bool {
        !matches!(self, Mode::Fp16)
    }
}

/// GradScaler's bookkeeping: PyTorch's rules for dynamic loss scaling.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scaler {
    pub scale: f32,
    pub growth_factor: f32,
    pub backoff_factor: f32,
    pub growth_interval: u32,
    /// Consecutive steps without inf/NaN gradients.
    pub good_steps: u32,
}

impl Scaler {
    /// Records one step's outcome; returns whether the optimizer step is taken.
    pub fn update(&mut self, found_inf: bool) -> bool {
        if found_inf {
            self.scale *= self.backoff_factor;
            self.good_steps = 0;
            return false;
        }
        self.good_steps += 1;
        if self.good_steps == self.growth_interval {
            self.scale *= self.growth_factor;
            self.good_steps = 0;
        }
        true
    }
}

/// One mode's weights and what its last step saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub mode: Mode,
    /// Weights (w_1..w_D, then the bias), f32 master copy or, for `fp16`, the fp16 values.
    pub weights: [f32; FEATURES + 1],
    pub scaler: Option<Scaler>,
    pub skipped: u64,
    pub found_inf: bool,
    pub skipped_last: bool,
    /// Share of per-sample gradient terms that were non-zero but rounded to zero.
    pub underflow_frac: f64,
    /// Unscaled f32 gradient of the last step (the exact reference values).
    pub raw_grad: [f32; FEATURES + 1],
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Regime {
    pub grad_scale: f32,
    pub lr: f32,
    pub init_scale: f32,
    pub growth_factor: f32,
    pub backoff_factor: f32,
    pub growth_interval: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    pub regime: Regime,
    pub x: Vec<[f32; FEATURES]>,
    pub y: Vec<f32>,
    pub runs: Vec<Run>,
    pub steps: u64,
}

impl Training {
    pub fn new(regime: Regime, modes: &[Mode], seed: u64) -> Training {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut normal = || -> f32 { StandardNormal.sample(&mut rng) };
        let truth: Vec<f32> = (0..=FEATURES).map(|_| normal()).collect();
        let mut x = Vec::with_capacity(SAMPLES);
        let mut y = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let row: [f32; FEATURES] = std::array::from_fn(|_| normal());
            let clean: f32 =
                row.iter().zip(&truth).map(|(a, b)| a * b).sum::<f32>() + truth[FEATURES];
            y.push(clean + LABEL_NOISE * normal());
            x.push(row);
        }
        let runs = modes
            .iter()
            .map(|&mode| Run {
                mode,
                weights: [0.0; FEATURES + 1],
                scaler: (mode == Mode::Amp).then_some(Scaler {
                    scale: regime.init_scale,
                    growth_factor: regime.growth_factor,
                    backoff_factor: regime.backoff_factor,
                    growth_interval: regime.growth_interval,
                    good_steps: 0,
                }),
                skipped: 0,
                found_inf: false,
                skipped_last: false,
                underflow_frac: 0.0,
                raw_grad: [0.0; FEATURES + 1],
            })
            .collect();
        Training {
            regime,
            x,
            y,
            runs,
            steps: 0,
        }
    }

    /// The plain mean squared error of a set of weights, in f64.
    pub fn mse(&self, weights: &[f32; FEATURES + 1]) -> f64 {
        let total: f64 = self
            .x
            .iter()
            .zip(&self.y)
            .map(|(row, &y)| {
                let p: f64 = row
                    .iter()
                    .zip(weights)
                    .map(|(&a, &w)| f64::from(a) * f64::from(w))
                    .sum::<f64>()
                    + f64::from(weights[FEATURES]);
                (p - f64::from(y)).powi(2)
            })
            .sum();
        total / SAMPLES as f64
    }

    /// Every per-sample gradient term g_i·x_ij of the objective at `weights`,
    /// in f32 before any rounding to a compute format or loss scaling.
    pub fn gradient_terms(&self, weights: &[f32; FEATURES + 1]) -> Vec<f32> {
        let coefficient = self.regime.grad_scale * 2.0 / SAMPLES as f32;
        let mut terms = Vec::with_capacity(SAMPLES * (FEATURES + 1));
        for (row, &y) in self.x.iter().zip(&self.y) {
            let p: f32 =
                row.iter().zip(weights).map(|(a, w)| a * w).sum::<f32>() + weights[FEATURES];
            let g = coefficient * (p - y);
            terms.extend(row.iter().map(|a| g * a));
            terms.push(g);
        }
        terms
    }

    fn step_run(&self, run: &mut Run) {
        let mode = run.mode;
        let c = |v: f32| mode.compute(v);
        let regime = self.regime;
        // Forward in the compute format: weights cast, products rounded, sums in f32.
        let w: Vec<f32> = run.weights.iter().map(|&v| c(v)).collect();
        let scale = run.scaler.map_or(1.0, |s| s.scale);
        // d(scale·gs·MSE)/dp_i = scale·gs·2/N·r_i: the coefficient rounded once.
        let coefficient = c(scale * regime.grad_scale * 2.0 / SAMPLES as f32);
        let exact_coefficient = regime.grad_scale * 2.0 / SAMPLES as f32;
        let mut grad = [0f32; FEATURES + 1];
        let mut raw = [0f32; FEATURES + 1];
        let (mut flushed, mut nonzero) = (0u32, 0u32);
        for (row, &y) in self.x.iter().zip(&self.y) {
            let mut p = 0f32;
            for (&a, &wj) in row.iter().zip(&w) {
                p += c(a * wj);
            }
            let p = c(p + w[FEATURES]);
            let r = c(p - y);
            let g_out = c(coefficient * r);
            let exact_out = exact_coefficient * r;
            for j in 0..=FEATURES {
                let a = if j < FEATURES { row[j] } else { 1.0 };
                let term = c(g_out * a);
                let exact = exact_out * a;
                if exact != 0.0 {
                    nonzero += 1;
                    if term == 0.0 && mode != Mode::Fp32 {
                        flushed += 1;
                    }
                }
                grad[j] += term;
                raw[j] += exact;
            }
        }
        let grad: Vec<f32> = grad.iter().map(|&g| c(g)).collect();
        run.raw_grad = raw;
        run.underflow_frac = if nonzero == 0 {
            0.0
        } else {
            f64::from(flushed) / f64::from(nonzero)
        };
        let step_size = regime.lr / regime.grad_scale;
        match mode {
            Mode::Fp16 => {
                // Weights and updates in fp16 too: a small update vanishes against its weight.
                for (w, g) in run.weights.iter_mut().zip(&grad) {
                    let update = c(step_size * g);
                    *w = c(*w - update);
                }
                run.found_inf = grad.iter().any(|g| !g.is_finite());
            }
            Mode::Amp => {
                let inverse = 1.0 / scale;
                let unscaled: Vec<f32> = grad.iter().map(|&g| g * inverse).collect();
                let found_inf = unscaled.iter().any(|g| !g.is_finite());
                run.found_inf = found_inf;
                let take = run.scaler.as_mut().is_some_and(|s| s.update(found_inf));
                run.skipped_last = !take;
                if take {
                    for (w, g) in run.weights.iter_mut().zip(&unscaled) {
                        *w -= step_size * g;
                    }
                } else {
                    run.skipped += 1;
                }
            }
            _ => {
                debug_assert!(mode.has_master());
                for (w, g) in run.weights.iter_mut().zip(&grad) {
                    *w -= step_size * g;
                }
                run.found_inf = grad.iter().any(|g| !g.is_finite());
            }
        }
    }
}

impl Replayable for Training {
    fn step(&mut self) -> bool {
        let mut runs = std::mem::take(&mut self.runs);
        for run in &mut runs {
            self.step_run(run);
        }
        self.runs = runs;
        self.steps += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGIME: Regime = Regime {
        grad_scale: 1.0,
        lr: 0.1,
        init_scale: 65536.0,
        growth_factor: 2.0,
        backoff_factor: 0.5,
        growth_interval: 2000,
    };

    #[test]
    fn fp32_learns_the_regression() {
        let mut t = Training::new(REGIME, &[Mode::Fp32], 3);
        let start = t.mse(&t.runs[0].weights);
        for _ in 0..300 {
            t.step();
        }
        let end = t.mse(&t.runs[0].weights);
        // Down to about the label noise: 0.1² = 0.01.
        assert!(end < 0.05 && end < start / 100.0, "{start} → {end}");
    }

    #[test]
    fn grad_scale_does_not_change_the_fp32_run_much() {
        let run = |gs: f32| {
            let mut t = Training::new(
                Regime {
                    grad_scale: gs,
                    ..REGIME
                },
                &[Mode::Fp32],
                3,
            );
            for _ in 0..100 {
                t.step();
            }
            t.mse(&t.runs[0].weights)
        };
        let (a, b) = (run(1.0), run(1e-6));
        assert!((a - b).abs() < 1e-3 * a.max(1e-3), "{a} vs {b}");
    }
}
