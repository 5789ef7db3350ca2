//! Optimizer trajectories on a 2-D surface: PyTorch's single-tensor SGD,
//! momentum, Adam and AdamW updates, in f64, coordinate by coordinate.
//!
//! With step t from 1, gradient g of the surface at θ (plus optional noise):
//! ```text
//! sgd       g ← g + wd·θ;  θ ← θ − lr·g
//! momentum  g ← g + wd·θ;  b ← g (t = 1) else μ·b + g;  θ ← θ − lr·b
//! adam      g ← g + wd·θ                      (L2 folded into the gradient)
//! adamw     θ ← θ·(1 − lr·wd)                 (decoupled, on the previous θ)
//! both      m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//!           m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t);  θ ← θ − lr·m̂/(√v̂ + ε)
//! amsgrad   v_max ← max(v_max, v);  denominator √(v_max/(1−β2^t)) + ε
//! ```
//! Evaluated in PyTorch's own order of operations (`_single_tensor_adam`):
//! m by `lerp(m, g, 1−β1)`, the denominator as √v/√(1−β2^t) + ε, and the step
//! as θ + (−lr/(1−β1^t))·m/denom. Only β^t differs: PyTorch calls `pow`, this
//! multiplies it up step by step, which can change the last bits.

use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::StandardNormal;

use super::surface::Surface;
use crate::lesson::timeline::Replayable;
pub use crate::sim::adam::{Hyper, Moments, StepConstants, adam_move, bias_corrections};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sgd,
    Momentum,
    Adam,
    AdamW,
}

crate::lesson::choices!(Kind {
    Kind::Sgd => "sgd",
    Kind::Momentum => "momentum",
    Kind::Adam => "adam",
    Kind::AdamW => "adamw",
});

impl Kind {
    pub fn is_adaptive(self) -> bool {
        matches!(self, Kind::Adam | Kind::AdamW)
    }
}

/// One optimizer's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub kind: Kind,
    pub theta: [f64; 2],
    /// Updates taken (PyTorch's `step`).
    pub t: u64,
    /// θ before the last update: the θ its gradient and its decay were taken at.
    pub previous: [f64; 2],
    /// The loss's own gradient the last update used: ∇f(θ), plus noise.
    pub loss_grad: [f64; 2],
    /// The gradient the last update fed to its moments: `loss_grad`, plus
    /// wd·θ for the kinds that fold decay into it (all but AdamW).
    pub grad: [f64; 2],
    pub m: [f64; 2],
    pub v: [f64; 2],
    pub v_max: [f64; 2],
    /// Momentum buffer b.
    pub buffer: [f64; 2],
    /// The step at which θ or f(θ) stopped being finite; the run stops there.
    pub diverged_at: Option<u64>,
    /// The first step whose move ‖Δθ‖ was below [`CONVERGED_MOVE`]·lr.
    pub converged_at: Option<u64>,
}

/// A run has converged once one update moves θ by less than this fraction of
/// lr: Adam's steps are about lr long while it travels, so this is a step
/// ten thousand times shorter than its travelling pace.
pub const CONVERGED_MOVE: f64 = 1e-4;

/// Adam and AdamW part ways at the first step their θ differ by more than
/// this fraction of ‖θ‖ (the larger of the two norms).
pub const PART_WAYS: f64 = 1e-3;

impl Run {
    pub fn new(kind: Kind, start: [f64; 2]) -> Run {
        Run {
            kind,
            theta: start,
            t: 0,
            previous: start,
            loss_grad: [0.0; 2],
            grad: [0.0; 2],
            m: [0.0; 2],
            v: [0.0; 2],
            v_max: [0.0; 2],
            buffer: [0.0; 2],
            diverged_at: None,
            converged_at: None,
        }
    }

    /// The decay each coordinate received in the last update, as a move of θ
    /// toward 0: lr·wd·θ for SGD, momentum (this step's term) and AdamW; for
    /// Adam the wd·θ it added to g is divided like any gradient, giving
    /// lr·wd·θ/(√v̂ + ε). θ is the one the update started from.
    pub fn decay(&self, hyper: &Hyper) -> [f64; 2] {
        let plain = self
            .previous
            .map(|theta| hyper.lr * hyper.weight_decay * theta);
        if self.kind != Kind::Adam || self.t == 0 {
            return plain;
        }
        let v_hat = self.v_hat(hyper);
        [0, 1].map(|c| plain[c] / (v_hat[c].sqrt() + hyper.eps))
    }

    /// Bias-corrected first moment m̂ (zero before the first step).
    pub fn m_hat(&self, hyper: &Hyper) -> [f64; 2] {
        let correction = bias_corrections(hyper, self.t).0;
        self.m
            .map(|m| if self.t == 0 { 0.0 } else { m / correction })
    }

    /// Bias-corrected second moment v̂ (of v_max under AMSGrad).
    pub fn v_hat(&self, hyper: &Hyper) -> [f64; 2] {
        let correction = bias_corrections(hyper, self.t).1;
        let v = if hyper.amsgrad { self.v_max } else { self.v };
        v.map(|v| if self.t == 0 { 0.0 } else { v / correction })
    }

    /// The per-coordinate step size lr/(√v̂ + ε) of Adam and AdamW.
    pub fn effective_lr(&self, hyper: &Hyper) -> [f64; 2] {
        self.v_hat(hyper).map(|v| hyper.lr / (v.sqrt() + hyper.eps))
    }

    /// One update of this optimizer at the step whose constants are `at`.
    fn update(&mut self, surface: &Surface, hyper: &Hyper, noise: [f64; 2], at: StepConstants) {
        if self.diverged_at.is_some() {
            return;
        }
        self.t += 1;
        self.previous = self.theta;
        let surface_grad = surface.gradient(self.theta);
        let Hyper {
            lr,
            weight_decay: wd,
            ..
        } = *hyper;
        for c in 0..2 {
            let mut g = surface_grad[c] + noise[c];
            self.loss_grad[c] = g;
            let theta = self.theta[c];
            match self.kind {
                Kind::Sgd => {
                    g += wd * theta;
                    self.theta[c] = theta - lr * g;
                }
                Kind::Momentum => {
                    g += wd * theta;
                    self.buffer[c] = if self.t == 1 {
                        g
                    } else {
                        hyper.momentum * self.buffer[c] + g
                    };
                    self.theta[c] = theta - lr * self.buffer[c];
                }
                Kind::Adam | Kind::AdamW => {
                    let mut theta = theta;
                    if self.kind == Kind::AdamW {
                        theta *= 1.0 - lr * wd;
                    } else {
                        g += wd * theta;
                    }
                    let moments = Moments {
                        m: &mut self.m[c],
                        v: &mut self.v[c],
                        v_max: &mut self.v_max[c],
                    };
                    self.theta[c] = adam_move(theta, g, moments, hyper, at);
                }
            }
            self.grad[c] = g;
        }
        let finite =
            self.theta.iter().all(|x| x.is_finite()) && surface.value(self.theta).is_finite();
        if !finite {
            self.diverged_at = Some(self.t);
        } else if self.converged_at.is_none() {
            let moved = (self.theta[0] - self.previous[0]).hypot(self.theta[1] - self.previous[1]);
            if moved < CONVERGED_MOVE * hyper.lr {
                self.converged_at = Some(self.t);
            }
        }
    }
}

/// Every optimizer of a run, stepped together on one surface.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizers {
    pub surface: Surface,
    pub hyper: Hyper,
    /// Standard deviation of the Gaussian noise added to each gradient coordinate.
    pub noise: f64,
    pub runs: Vec<Run>,
    pub steps: u64,
    /// The first step Adam's and AdamW's θ differed by more than
    /// [`PART_WAYS`] of ‖θ‖ (both must be running).
    pub parted_at: Option<u64>,
    /// (β1^t, β2^t), multiplied up one step at a time: two `pow` calls per step
    /// would cost more than a whole SGD update. The product drifts from `pow`
    /// by at most t/2 ulps, which 1 − β^t never notices at any t that matters.
    powers: (f64, f64),
    rng: Xoshiro256PlusPlus,
}

impl Optimizers {
    pub fn new(
        surface: Surface,
        hyper: Hyper,
        noise: f64,
        kinds: &[Kind],
        start: [f64; 2],
        seed: u64,
    ) -> Optimizers {
        Optimizers {
            surface,
            hyper,
            noise,
            runs: kinds.iter().map(|&kind| Run::new(kind, start)).collect(),
            steps: 0,
            parted_at: None,
            powers: (1.0, 1.0),
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    pub fn all_diverged(&self) -> bool {
        self.runs.iter().all(|run| run.diverged_at.is_some())
    }

    /// The run of optimizer `kind`, if it is one of this run's.
    pub fn run(&self, kind: Kind) -> Option<&Run> {
        self.runs.iter().find(|run| run.kind == kind)
    }

    /// ‖θ_adam − θ_adamw‖ as a fraction of the larger ‖θ‖, when both run.
    pub fn apart(&self) -> Option<f64> {
        let (adam, adamw) = (self.run(Kind::Adam)?, self.run(Kind::AdamW)?);
        let [a, w] = [adam.theta, adamw.theta];
        let gap = (a[0] - w[0]).hypot(a[1] - w[1]);
        let norm = a[0].hypot(a[1]).max(w[0].hypot(w[1]));
        Some(if norm > 0.0 { gap / norm } else { 0.0 })
    }
}

impl Replayable for Optimizers {
    fn step(&mut self) -> bool {
        if self.all_diverged() {
            return false;
        }
        self.steps += 1;
        // Every live run has taken the same number of updates, so one pair of
        // bias corrections serves them all.
        self.powers = (
            self.powers.0 * self.hyper.beta1,
            self.powers.1 * self.hyper.beta2,
        );
        let at = StepConstants::from_powers(&self.hyper, self.powers);
        for run in &mut self.runs {
            // Noise is drawn for every run, live or not, so that one run's
            // divergence never changes the noise another one sees.
            let noise = if self.noise > 0.0 {
                let z: [f64; 2] = [
                    self.rng.sample(StandardNormal),
                    self.rng.sample(StandardNormal),
                ];
                [self.noise * z[0], self.noise * z[1]]
            } else {
                [0.0; 2]
            };
            run.update(&self.surface, &self.hyper, noise, at);
        }
        if self.parted_at.is_none() && self.apart().is_some_and(|apart| apart > PART_WAYS) {
            self.parted_at = Some(self.steps);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HYPER: Hyper = Hyper {
        lr: 0.1,
        momentum: 0.9,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weight_decay: 0.0,
        amsgrad: false,
    };

    #[test]
    fn a_diverging_run_stops_and_the_others_go_on() {
        let hyper = Hyper { lr: 1.0, ..HYPER };
        let mut model = Optimizers::new(
            Surface::Rosenbrock,
            hyper,
            0.0,
            &[Kind::Sgd, Kind::Adam],
            [-1.5, 2.0],
            1,
        );
        for _ in 0..50 {
            model.step();
        }
        let sgd = &model.runs[0];
        assert!(
            sgd.diverged_at.is_some(),
            "plain SGD at lr 1 blows up on Rosenbrock"
        );
        let frozen = sgd.t;
        model.step();
        assert_eq!(model.runs[0].t, frozen);
        assert!(model.runs[1].diverged_at.is_none());
        assert_eq!(model.runs[1].t, 51);
    }
}
