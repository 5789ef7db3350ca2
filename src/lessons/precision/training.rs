//! Linear regression trained side by side in five precision regimes.
//!
//! Reduced precision is emulated as PyTorch's half kernels compute: the
//! arithmetic inside an operation is done in f32 (a matrix product or a sum
//! accumulates in f32) and each tensor the operation produces is rounded once
//! to the storage format. Scalars (the learning rate, the loss scale, 2/N)
//! stay f32, as PyTorch keeps Python scalars in its f32 "opmath" type; they
//! are never rounded to FP16 on their own.
//!
//! The objective is `grad_scale × MSE` and the step is `lr / grad_scale` times
//! its gradient, so in f32 the trajectory barely depends on `grad_scale`;
//! only the size of the gradient values does, which is what pushes them into
//! FP16's subnormal and flush-to-zero range.

use half::{bf16, f16};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use crate::lesson::timeline::Replayable;

pub const SAMPLES: usize = 64;
pub const FEATURES: usize = 8;
/// Weights and bias: FEATURES + 1 parameters.
pub const PARAMS: usize = FEATURES + 1;
/// The underflow moments: the first flushed gradient, then each further
/// quarter of the samples flushed at once.
const UNDERFLOW_LEVEL: u32 = (SAMPLES / 4) as u32;
/// Standard deviation of the label noise.
const LABEL_NOISE: f32 = 0.1;
/// Standard deviation of the true weights. Weights of this size have an FP16
/// spacing of 2^-8 to 2^-6, so the small late updates of a converging run are
/// lost against them (absorption) unless an FP32 master copy keeps them.
pub const TRUTH_STD: f32 = 8.0;

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
    /// Rounds an f32 result once to this mode's storage format (`half`'s f32
    /// conversions round correctly, ties to even).
    pub fn compute(self, x: f32) -> f32 {
        match self {
            Mode::Fp32 => x,
            Mode::Fp16 | Mode::Fp16Master | Mode::Amp => f16::from_f32(x).to_f32(),
            Mode::Bf16 => bf16::from_f32(x).to_f32(),
        }
    }

    /// Whether the weights live in FP32 while the arithmetic is reduced.
    pub fn has_master(self) -> bool {
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
    pub weights: [f32; PARAMS],
    pub scaler: Option<Scaler>,
    pub skipped: u64,
    pub found_inf: bool,
    pub skipped_last: bool,
    /// Whether the last step grew the loss scale.
    pub grew_last: bool,
    /// The loss scale the last step used (1 without scaling).
    pub scale_before: f32,
    /// Per-sample output gradients (dL/dp, one per sample) of the last step
    /// that were non-zero in f32 but rounded to zero in the storage format.
    pub flushed: u32,
    /// The most `flushed` any step of this run has seen.
    pub flushed_record: u32,
    /// Whether the last step flushed gradients for the first time, or more
    /// than a new quarter of the samples' (16, 32, 48, 64) for the first time.
    pub flushed_rose: bool,
    /// Weights whose non-zero update the last step lost entirely: w + u
    /// rounded back to w (in FP16 storage; an FP32 weight would need an
    /// update 2^13 times smaller still).
    pub absorbed: u32,
    /// Share of non-zero per-sample output gradients flushed to zero.
    pub underflow_frac: f64,
    /// What the last step added to each weight, in f32 before the weight
    /// itself is rounded (zero on a skipped step).
    pub update: [f32; PARAMS],
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

/// What one forward and backward pass of a mode computes.
struct Pass {
    /// The weight gradient as the storage format holds it (scaled, for amp).
    grad: [f32; PARAMS],
    flushed: u32,
    nonzero: u32,
}

impl Training {
    pub fn new(regime: Regime, modes: &[Mode], seed: u64) -> Training {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut normal = || -> f32 { StandardNormal.sample(&mut rng) };
        let truth: Vec<f32> = (0..PARAMS).map(|_| TRUTH_STD * normal()).collect();
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
                weights: [0.0; PARAMS],
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
                grew_last: false,
                scale_before: 1.0,
                flushed: 0,
                flushed_record: 0,
                flushed_rose: false,
                absorbed: 0,
                underflow_frac: 0.0,
                update: [0.0; PARAMS],
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
    pub fn mse(&self, weights: &[f32; PARAMS]) -> f64 {
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

    /// The per-sample output gradients dL/dp_i = grad_scale·2/N·(p_i − y_i)
    /// at `weights`, in f32 with nothing rounded and no loss scaling: the
    /// values FP16 would have to hold.
    pub fn output_gradients(&self, weights: &[f32; PARAMS]) -> Vec<f32> {
        let coefficient = self.coefficient(1.0);
        self.x
            .iter()
            .zip(&self.y)
            .map(|(row, &y)| {
                let p: f32 =
                    row.iter().zip(weights).map(|(a, w)| a * w).sum::<f32>() + weights[FEATURES];
                coefficient * (p - y)
            })
            .collect()
    }

    /// scale·grad_scale·2/N: the scalar the backward pass multiplies the
    /// residuals by, kept in f32.
    fn coefficient(&self, scale: f32) -> f32 {
        scale * self.regime.grad_scale * 2.0 / SAMPLES as f32
    }

    /// One forward and backward pass of `mode` at `weights` with loss scale
    /// `scale`: every tensor rounded once to the mode's format.
    fn pass(&self, mode: Mode, weights: &[f32; PARAMS], scale: f32) -> Pass {
        let c = |v: f32| mode.compute(v);
        // The weights as the arithmetic sees them (a cast; exact for fp16's own).
        let w: [f32; PARAMS] = weights.map(c);
        let coefficient = self.coefficient(scale);
        // dL/dp for each sample, and the data as stored.
        let mut rows = Vec::with_capacity(SAMPLES);
        let mut out_grad = Vec::with_capacity(SAMPLES);
        let (mut flushed, mut nonzero) = (0, 0);
        for (row, &y) in self.x.iter().zip(&self.y) {
            let xs: [f32; FEATURES] = row.map(c);
            // Linear layer: products summed in f32, the output rounded once.
            let p = c(xs.iter().zip(&w).map(|(a, b)| a * b).sum::<f32>() + w[FEATURES]);
            let r = c(p - c(y));
            let exact = coefficient * r;
            let g = c(exact);
            if exact != 0.0 {
                nonzero += 1;
                if g == 0.0 {
                    flushed += 1;
                }
            }
            rows.push(xs);
            out_grad.push(g);
        }
        // Weight gradient X^T·g and bias gradient Σg: f32 sums, rounded once.
        let mut grad = [0f32; PARAMS];
        for (j, slot) in grad.iter_mut().enumerate() {
            let sum: f32 = rows
                .iter()
                .zip(&out_grad)
                .map(|(xs, g)| if j < FEATURES { xs[j] * g } else { *g })
                .sum();
            *slot = c(sum);
        }
        Pass {
            grad,
            flushed,
            nonzero,
        }
    }

    fn step_run(&self, run: &mut Run) {
        let mode = run.mode;
        let scale = run.scaler.map_or(1.0, |s| s.scale);
        let pass = self.pass(mode, &run.weights, scale);
        run.flushed = pass.flushed;
        let level = |n: u32| if n == 0 { 0 } else { 1 + n / UNDERFLOW_LEVEL };
        run.flushed_rose = level(pass.flushed) > level(run.flushed_record);
        run.flushed_record = run.flushed_record.max(pass.flushed);
        run.underflow_frac = if pass.nonzero == 0 {
            0.0
        } else {
            f64::from(pass.flushed) / f64::from(pass.nonzero)
        };
        let step_size = self.regime.lr / self.regime.grad_scale;
        let grad = match mode {
            // GradScaler's unscale: FP32 gradients times the FP32 reciprocal.
            Mode::Amp => pass.grad.map(|g| g * (1.0 / scale)),
            _ => pass.grad,
        };
        run.found_inf = grad.iter().any(|g| !g.is_finite());
        let scale_before = scale;
        run.scale_before = scale;
        let take = match run.scaler.as_mut() {
            Some(scaler) => scaler.update(run.found_inf),
            None => true,
        };
        run.skipped_last = !take;
        run.grew_last = run.scaler.is_some_and(|s| s.scale > scale_before);
        run.absorbed = 0;
        if !take {
            run.skipped += 1;
            run.update = [0.0; PARAMS];
            return;
        }
        run.update = grad.map(|g| -(step_size * g));
        for (w, u) in run.weights.iter_mut().zip(&run.update) {
            // With a master copy the sum stays f32; pure fp16 stores it in
            // fp16 (one kernel: w + u in f32, rounded once), where an update
            // below half the spacing at w rounds back to w.
            let next = if mode.has_master() {
                *w + u
            } else {
                mode.compute(*w + u)
            };
            if *u != 0.0 && next == *w {
                run.absorbed += 1;
            }
            *w = next;
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
        lr: 0.01,
        init_scale: 65536.0,
        growth_factor: 2.0,
        backoff_factor: 0.5,
        growth_interval: 2000,
    };

    #[test]
    fn fp32_learns_the_regression() {
        let mut t = Training::new(REGIME, &[Mode::Fp32], 3);
        let start = t.mse(&t.runs[0].weights);
        for _ in 0..1000 {
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
