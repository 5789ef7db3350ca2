//! The three SDEs of score-based diffusion (Song et al.): their coefficients
//! and the Gaussian kernel each gives, shared by the SDE lesson's samplers
//! and the learned score trained over SDE times.
//!
//! ```text
//! VE:     σ(t) = σmin·(σmax/σmin)^t,  f = 0,  g = σ(t)·√(2 ln(σmax/σmin));  m = 1, s = σ(t)
//! VP:     β(t) = βmin + t(βmax − βmin),  f = −½β(t)x,  g = √β(t)
//!         m(t) = exp(−¼t²(βmax − βmin) − ½tβmin),  s² = 1 − m²
//! sub-VP: same f;  g² = β(t)(1 − e^{−2βmin t − (βmax−βmin)t²});  s = 1 − m²
//! ```

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sde {
    Ve { sigma_min: f64, sigma_max: f64 },
    Vp { beta_min: f64, beta_max: f64 },
    SubVp { beta_min: f64, beta_max: f64 },
}

/// Where reverse sampling stops: t = ε, not 0, where the score blows up.
const VE_EPS: f64 = 1e-5;
const VP_EPS: f64 = 1e-3;

impl Sde {
    pub fn name(&self) -> &'static str {
        match self {
            Sde::Ve { .. } => "VE",
            Sde::Vp { .. } => "VP",
            Sde::SubVp { .. } => "sub-VP",
        }
    }

    pub fn beta(&self, t: f64) -> f64 {
        match *self {
            Sde::Ve { .. } => 0.0,
            Sde::Vp { beta_min, beta_max } | Sde::SubVp { beta_min, beta_max } => {
                beta_min + t * (beta_max - beta_min)
            }
        }
    }

    /// The kernel x_t = m·x0 + s·z.
    pub fn kernel(&self, t: f64) -> (f64, f64) {
        match *self {
            Sde::Ve {
                sigma_min,
                sigma_max,
            } => (1.0, sigma_min * (sigma_max / sigma_min).powf(t)),
            Sde::Vp { beta_min, beta_max } => {
                let m = (-0.25 * t * t * (beta_max - beta_min) - 0.5 * t * beta_min).exp();
                (m, (1.0 - m * m).max(0.0).sqrt())
            }
            Sde::SubVp { beta_min, beta_max } => {
                let m = (-0.25 * t * t * (beta_max - beta_min) - 0.5 * t * beta_min).exp();
                (m, 1.0 - m * m)
            }
        }
    }

    /// The drift coefficient: f(x, t) = −½β(t)·x, or 0 for VE.
    pub fn drift_scale(&self, t: f64) -> f64 {
        match self {
            Sde::Ve { .. } => 0.0,
            _ => -0.5 * self.beta(t),
        }
    }

    /// g(t)².
    pub fn diffusion2(&self, t: f64) -> f64 {
        match *self {
            Sde::Ve {
                sigma_min,
                sigma_max,
            } => {
                let sigma = sigma_min * (sigma_max / sigma_min).powf(t);
                sigma * sigma * 2.0 * (sigma_max / sigma_min).ln()
            }
            Sde::Vp { .. } => self.beta(t),
            Sde::SubVp { beta_min, beta_max } => {
                self.beta(t) * (1.0 - (-2.0 * beta_min * t - (beta_max - beta_min) * t * t).exp())
            }
        }
    }

    /// The end time of reverse sampling.
    pub fn eps(&self) -> f64 {
        match self {
            Sde::Ve { .. } => VE_EPS,
            _ => VP_EPS,
        }
    }

    /// Std of the prior particles start from in reverse mode.
    pub fn prior_std(&self) -> f64 {
        match *self {
            Sde::Ve { sigma_max, .. } => sigma_max,
            _ => 1.0,
        }
    }
}
