//! Adam's update of one coordinate, in PyTorch's order of operations
//! (`_single_tensor_adam`): the one implementation, shared by the optimizer
//! lesson and the score lessons' learned network.

/// Hyperparameters shared by every optimizer of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    pub lr: f64,
    pub momentum: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub amsgrad: bool,
}

/// One coordinate's Adam state.
pub struct Moments<'a> {
    pub m: &'a mut f64,
    pub v: &'a mut f64,
    pub v_max: &'a mut f64,
}

/// Adam's move of one coordinate `theta` by gradient `g` (any decay already
/// applied the caller's way), updating its moments: the one implementation of
/// the update, shared with the score lessons' learned network.
#[inline]
pub fn adam_move(theta: f64, g: f64, moments: Moments, hyper: &Hyper, at: StepConstants) -> f64 {
    *moments.m = lerp(*moments.m, g, 1.0 - hyper.beta1);
    *moments.v = *moments.v * hyper.beta2 + (1.0 - hyper.beta2) * g * g;
    let second = if hyper.amsgrad {
        *moments.v_max = moments.v_max.max(*moments.v);
        *moments.v_max
    } else {
        *moments.v
    };
    let denom = second.sqrt() / at.bias2_sqrt + hyper.eps;
    theta + (-at.step_size) * *moments.m / denom
}

/// ATen's `lerp`: start + w·(end − start), computed from the nearer end.
fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight.abs() < 0.5 {
        start + weight * (end - start)
    } else {
        end - (end - start) * (1.0 - weight)
    }
}

/// What one step shares across optimizers: lr/(1 − β1^t) and √(1 − β2^t).
#[derive(Clone, Copy, Debug)]
pub struct StepConstants {
    step_size: f64,
    bias2_sqrt: f64,
}

impl StepConstants {
    /// The constants of a step from β1^t and β2^t kept as running products.
    pub fn from_powers(hyper: &Hyper, (beta1_t, beta2_t): (f64, f64)) -> StepConstants {
        StepConstants {
            step_size: hyper.lr / (1.0 - beta1_t),
            bias2_sqrt: (1.0 - beta2_t).sqrt(),
        }
    }

    /// The constants of step t (from 1), with `pow` as PyTorch computes them.
    pub fn at_step(hyper: &Hyper, t: u64) -> StepConstants {
        let (bias1, bias2) = bias_corrections(hyper, t);
        StepConstants {
            step_size: hyper.lr / bias1,
            bias2_sqrt: bias2.sqrt(),
        }
    }
}

/// (1 − β1^t, 1 − β2^t), with `pow` as PyTorch computes them; for display.
/// An optimizer stepped every step may keep running products instead
/// (`StepConstants::from_powers`).
pub fn bias_corrections(hyper: &Hyper, t: u64) -> (f64, f64) {
    let t = t as f64;
    (1.0 - hyper.beta1.powf(t), 1.0 - hyper.beta2.powf(t))
}
