//! Isotropic 2-D Gaussian mixtures p0 = Σ π_k N(μ_k, τ²I) and their noised
//! versions under a kernel x_t = m·x0 + s·z:
//!
//! ```text
//! p_t = Σ π_k N(m·μ_k, c·I),  c = m²τ² + s²
//! ∇log p_t(x) = Σ r_k(x)·(m·μ_k − x)/c,  r = softmax_k(log π_k − ‖x − m·μ_k‖²/(2c))
//! ```
//! The softmax goes through log-sum-exp, so points far from every mode get
//! a finite score (pointing home) instead of 0/0.

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;

use super::random::normal2;

#[derive(Clone, Debug, PartialEq)]
pub struct Mixture {
    pub means: Vec<[f64; 2]>,
    /// Normalised to sum to 1.
    pub weights: Vec<f64>,
    pub tau: f64,
    log_weights: Vec<f64>,
}

/// Radius of the `ring8` circle and the spread of its components.
const RING_RADIUS: f64 = 4.0;
const RING_TAU: f64 = 0.3;
const GRID_SPACING: f64 = 3.0;
const GRID_TAU: f64 = 0.25;

impl Mixture {
    /// A mixture from means, (unnormalised, positive) weights and τ.
    pub fn new(means: Vec<[f64; 2]>, weights: &[f64], tau: f64) -> Mixture {
        let weights = normalise(weights);
        let log_weights = weights.iter().map(|w| w.ln()).collect();
        Mixture {
            means,
            weights,
            tau,
            log_weights,
        }
    }

    /// The toy of the NCSN paper: 0.8·N((5,5), I) + 0.2·N((−5,−5), I).
    pub fn two() -> Mixture {
        Mixture::new(vec![[5.0, 5.0], [-5.0, -5.0]], &[0.8, 0.2], 1.0)
    }

    /// Eight equal components on a circle of radius 4, τ = 0.3.
    pub fn ring8() -> Mixture {
        let means = (0..8)
            .map(|k| {
                let a = std::f64::consts::TAU * f64::from(k) / 8.0;
                [RING_RADIUS * a.cos(), RING_RADIUS * a.sin()]
            })
            .collect();
        Mixture::new(means, &[1.0; 8], RING_TAU)
    }

    /// A 3×3 grid with spacing 3, τ = 0.25, weights 1 to 9 (row by row).
    pub fn grid9() -> Mixture {
        let mut means = Vec::new();
        for row in -1..=1 {
            for col in -1..=1 {
                means.push([f64::from(col) * GRID_SPACING, f64::from(row) * GRID_SPACING]);
            }
        }
        let weights: Vec<f64> = (1..=9).map(f64::from).collect();
        Mixture::new(means, &weights, GRID_TAU)
    }

    /// ln π_k, in component order.
    pub fn log_weights(&self) -> &[f64] {
        &self.log_weights
    }

    /// Log-weights and squared distances folded into log-sum-exp form:
    /// returns (log Σ exp l_k, responsibilities) at x for kernel (m, s).
    fn responsibilities(&self, x: [f64; 2], m: f64, c: f64, r: &mut [f64]) -> f64 {
        let mut top = f64::NEG_INFINITY;
        for (k, mu) in self.means.iter().enumerate() {
            let dx = x[0] - m * mu[0];
            let dy = x[1] - m * mu[1];
            r[k] = self.log_weights[k] - (dx * dx + dy * dy) / (2.0 * c);
            top = top.max(r[k]);
        }
        let mut total = 0.0;
        for v in r.iter_mut() {
            *v = (*v - top).exp();
            total += *v;
        }
        for v in r.iter_mut() {
            *v /= total;
        }
        top + total.ln()
    }

    /// ∇log p_t(x) for the kernel x_t = m·x0 + s·z.
    pub fn score(&self, x: [f64; 2], m: f64, s: f64) -> [f64; 2] {
        let c = m * m * self.tau * self.tau + s * s;
        let mut r = [0.0; MAX_COMPONENTS];
        let r = &mut r[..self.means.len().min(MAX_COMPONENTS)];
        self.responsibilities(x, m, c, r);
        let mut g = [0.0; 2];
        for (k, mu) in self.means.iter().enumerate().take(r.len()) {
            g[0] += r[k] * (m * mu[0] - x[0]);
            g[1] += r[k] * (m * mu[1] - x[1]);
        }
        [g[0] / c, g[1] / c]
    }

    /// log p_t(x) for the kernel (m, s).
    pub fn log_density(&self, x: [f64; 2], m: f64, s: f64) -> f64 {
        let c = m * m * self.tau * self.tau + s * s;
        let mut r = vec![0.0; self.means.len()];
        self.responsibilities(x, m, c, &mut r) - (std::f64::consts::TAU * c).ln()
    }

    /// The component with the highest responsibility under the clean target.
    pub fn nearest_component(&self, x: [f64; 2]) -> Option<usize> {
        let c = self.tau * self.tau;
        self.means
            .iter()
            .enumerate()
            .map(|(k, mu)| {
                let d = (x[0] - mu[0]).powi(2) + (x[1] - mu[1]).powi(2);
                (k, self.log_weights[k] - d / (2.0 * c))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| k)
    }

    /// Draws one sample of the clean target.
    pub fn sample(&self, rng: &mut Xoshiro256PlusPlus) -> [f64; 2] {
        let u: f64 = rng.random();
        let mut acc = 0.0;
        let mut k = self.weights.len() - 1;
        for (i, w) in self.weights.iter().enumerate() {
            acc += w;
            if u < acc {
                k = i;
                break;
            }
        }
        let z = normal2(rng);
        [
            self.means[k][0] + self.tau * z[0],
            self.means[k][1] + self.tau * z[1],
        ]
    }

    /// Per-axis mean and variance of the clean target.
    pub fn moments(&self) -> ([f64; 2], [f64; 2]) {
        let mut mean = [0.0; 2];
        let mut second = [0.0; 2];
        for (mu, w) in self.means.iter().zip(&self.weights) {
            for d in 0..2 {
                mean[d] += w * mu[d];
                second[d] += w * (mu[d] * mu[d] + self.tau * self.tau);
            }
        }
        (
            mean,
            [second[0] - mean[0] * mean[0], second[1] - mean[1] * mean[1]],
        )
    }

    /// Largest distance between two means (at least 1).
    pub fn spread(&self) -> f64 {
        let mut far: f64 = 1.0;
        for a in &self.means {
            for b in &self.means {
                far = far.max(((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt());
            }
        }
        far
    }
}

/// Weights divided by their sum. Where the sum overflows (1e308 + 1e308) or
/// loses its digits to underflow, they are first scaled by the largest, which
/// changes nothing in exact arithmetic; otherwise they are divided directly,
/// as they always were, so ordinary weights give the same bits as before.
fn normalise(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    if total.is_finite() && total >= f64::MIN_POSITIVE {
        return weights.iter().map(|w| w / total).collect();
    }
    let largest = weights.iter().copied().fold(0.0, f64::max);
    let scaled: Vec<f64> = weights.iter().map(|w| w / largest).collect();
    let total: f64 = scaled.iter().sum();
    scaled.iter().map(|w| w / total).collect()
}

/// Most components a mixture may have (custom targets included).
pub const MAX_COMPONENTS: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_have_normalised_weights() {
        for mix in [Mixture::two(), Mixture::ring8(), Mixture::grid9()] {
            let total: f64 = mix.weights.iter().sum();
            assert!((total - 1.0).abs() < 1e-12);
        }
        assert_eq!(Mixture::grid9().means[4], [0.0, 0.0]);
    }

    #[test]
    fn huge_and_tiny_weights_normalise_without_overflow() {
        let huge = Mixture::new(vec![[0.0, 0.0], [1.0, 0.0]], &[1e308, 1e308], 1.0);
        assert_eq!(huge.weights, [0.5, 0.5]);
        // Subnormal weights: their sum has lost most of its digits.
        let unit = 2f64.powi(-1060);
        let tiny = Mixture::new(vec![[0.0, 0.0], [1.0, 0.0]], &[3.0 * unit, unit], 1.0);
        assert!((tiny.weights[0] - 0.75).abs() < 1e-15, "{:?}", tiny.weights);
        assert!((tiny.weights[1] - 0.25).abs() < 1e-15, "{:?}", tiny.weights);
        assert!(tiny.log_weights.iter().all(|w| w.is_finite()));
    }

    #[test]
    fn far_away_the_score_points_home_and_is_finite() {
        let mix = Mixture::ring8();
        for x in [[1e3, 0.0], [-1e3, 1e3], [0.0, -1e3]] {
            let g = mix.score(x, 1.0, 0.0);
            assert!(g[0].is_finite() && g[1].is_finite());
            assert!(
                g[0] * x[0] + g[1] * x[1] < 0.0,
                "points back toward the modes"
            );
            assert!(mix.log_density(x, 1.0, 0.0).is_finite());
        }
    }
}
