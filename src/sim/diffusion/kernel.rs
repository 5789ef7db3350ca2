//! The mixture score for many particles at once. Particles come in as points
//! and are worked on in tiles of `TILE`: one array of x, one of y (structure
//! of arrays), so every line of the score runs over a whole tile in vector
//! registers. The formula is `Mixture::score`'s, rearranged so each
//! component costs two multiply-adds before its exp. `tile` is the
//! reference; `avx2.rs` is the same operations in AVX2 intrinsics, chosen at
//! run time, and gives the same bits:
//!
//! ```text
//! l_k = ln π_k − ‖x − m·μ_k‖²/(2c),   c = m²τ² + s²
//!     = a_k + b_k·x − ‖x‖²/(2c),      a_k = ln π_k − ‖m·μ_k‖²/(2c),  b_k = m·μ_k/c
//! e_k = exp(l_k − max_j l_j)          (‖x‖²/(2c) is common to all k and cancels)
//! ∇log p_t(x) = (Σ_k e_k·m·μ_k / Σ_k e_k − x) / c
//! ```

#[cfg(target_arch = "x86_64")]
mod avx2;

use super::fastmath::exp_nonpositive;
use super::target::{MAX_COMPONENTS, Mixture};

/// Particles per tile of the portable path, which the compiler vectorises
/// (smaller tiles it unrolled into scalar code). Where AVX2 is present,
/// `avx2.rs` does the same work in tiles of its own size; the learned
/// score's network uses this size for its own tiles.
pub const TILE: usize = 16;

/// A mixture's score frozen at one noise kernel (m, s), as the arrays the
/// tiles read.
#[derive(Clone, Debug)]
pub struct MixtureField {
    /// m·μ_k, by axis.
    centre_x: [f64; MAX_COMPONENTS],
    centre_y: [f64; MAX_COMPONENTS],
    /// a_k and b_k of the rearranged logit.
    offset: [f64; MAX_COMPONENTS],
    slope_x: [f64; MAX_COMPONENTS],
    slope_y: [f64; MAX_COMPONENTS],
    components: usize,
    c: f64,
}

impl MixtureField {
    pub fn new(mixture: &Mixture, m: f64, s: f64) -> MixtureField {
        let c = m * m * mixture.tau * mixture.tau + s * s;
        let components = mixture.means.len().min(MAX_COMPONENTS);
        let mut field = MixtureField {
            centre_x: [0.0; MAX_COMPONENTS],
            centre_y: [0.0; MAX_COMPONENTS],
            offset: [0.0; MAX_COMPONENTS],
            slope_x: [0.0; MAX_COMPONENTS],
            slope_y: [0.0; MAX_COMPONENTS],
            components,
            c,
        };
        for k in 0..components {
            let (cx, cy) = (m * mixture.means[k][0], m * mixture.means[k][1]);
            field.centre_x[k] = cx;
            field.centre_y[k] = cy;
            field.offset[k] = mixture.log_weights()[k] - (cx * cx + cy * cy) / (2.0 * c);
            field.slope_x[k] = cx / c;
            field.slope_y[k] = cy / c;
        }
        field
    }

    /// The score at each of `points`, into `out` (the same length).
    pub fn scores(&self, points: &[[f64; 2]], out: &mut [[f64; 2]]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the processor has AVX2 and FMA; both were checked just above.
            unsafe { avx2::scores(self, points, out) };
            return;
        }
        self.scores_portable(points, out);
    }

    #[inline(always)]
    fn scores_portable(&self, points: &[[f64; 2]], out: &mut [[f64; 2]]) {
        for (points, out) in points.chunks(TILE).zip(out.chunks_mut(TILE)) {
            // A short last tile is padded with the origin; its extra lanes
            // are computed and dropped.
            let mut x = [0.0; TILE];
            let mut y = [0.0; TILE];
            for (i, p) in points.iter().enumerate() {
                x[i] = p[0];
                y[i] = p[1];
            }
            let (gx, gy) = self.tile(&x, &y);
            for (i, g) in out.iter_mut().enumerate() {
                *g = [gx[i], gy[i]];
            }
        }
    }

    // Index loops over lanes: the shape the loop vectoriser was checked to
    // take (in the assembly) for this kernel.
    #[allow(clippy::needless_range_loop)]
    #[inline(always)]
    fn tile(&self, x: &[f64; TILE], y: &[f64; TILE]) -> ([f64; TILE], [f64; TILE]) {
        let mut logits = [[0.0; TILE]; MAX_COMPONENTS];
        let mut top = [f64::NEG_INFINITY; TILE];
        for k in 0..self.components {
            for i in 0..TILE {
                let l =
                    self.slope_y[k].mul_add(y[i], self.slope_x[k].mul_add(x[i], self.offset[k]));
                logits[k][i] = l;
                // A select, not f64::max, whose NaN rule keeps it scalar.
                top[i] = if l > top[i] { l } else { top[i] };
            }
        }
        let mut total = [0.0; TILE];
        let mut sum_x = [0.0; TILE];
        let mut sum_y = [0.0; TILE];
        for k in 0..self.components {
            for i in 0..TILE {
                let e = exp_nonpositive(logits[k][i] - top[i]);
                total[i] += e;
                sum_x[i] = e.mul_add(self.centre_x[k], sum_x[i]);
                sum_y[i] = e.mul_add(self.centre_y[k], sum_y[i]);
            }
        }
        let mut gx = [0.0; TILE];
        let mut gy = [0.0; TILE];
        for i in 0..TILE {
            gx[i] = (sum_x[i] / total[i] - x[i]) / self.c;
            gy[i] = (sum_y[i] / total[i] - y[i]) / self.c;
        }
        (gx, gy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    /// |kernel − reference| against the size of the terms the score sums:
    /// Σ r_k·‖m·μ_k − x‖/c. Where the terms cancel, the score itself is near
    /// zero and no summation order keeps its relative error small; against
    /// the terms, any order agrees to rounding.
    fn error(mix: &Mixture, x: [f64; 2], m: f64, s: f64, got: [f64; 2]) -> f64 {
        let want = mix.score(x, m, s);
        let c = m * m * mix.tau * mix.tau + s * s;
        let centres: Vec<[f64; 2]> = mix.means.iter().map(|mu| [m * mu[0], m * mu[1]]).collect();
        let distance =
            |k: usize| ((centres[k][0] - x[0]).powi(2) + (centres[k][1] - x[1]).powi(2)).sqrt();
        let mut weights: Vec<f64> = (0..centres.len())
            .map(|k| mix.log_weights()[k] - distance(k).powi(2) / (2.0 * c))
            .collect();
        let top = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        weights.iter_mut().for_each(|l| *l = (*l - top).exp());
        let total: f64 = weights.iter().sum();
        let scale: f64 = (0..centres.len())
            .map(|k| weights[k] / total * distance(k) / c)
            .sum();
        let diff = ((got[0] - want[0]).powi(2) + (got[1] - want[1]).powi(2)).sqrt();
        diff / scale.max(f64::MIN_POSITIVE)
    }

    #[test]
    fn the_kernel_score_is_the_straightforward_formula_to_1e_12() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let custom = Mixture::new(
            (0..16)
                .map(|k| [f64::from(k) - 7.5, f64::from(k % 4) * 2.0])
                .collect(),
            &(1..=16).map(f64::from).collect::<Vec<_>>(),
            0.4,
        );
        for mix in [Mixture::two(), Mixture::ring8(), Mixture::grid9(), custom] {
            for (m, s) in [
                (1.0, 0.01),
                (1.0, 1.0),
                (1.0, 20.0),
                (0.3, 0.9),
                (0.999, 0.05),
            ] {
                let field = MixtureField::new(&mix, m, s);
                let points: Vec<[f64; 2]> = (0..203)
                    .map(|_| [rng.random_range(-30.0..30.0), rng.random_range(-30.0..30.0)])
                    .collect();
                let mut out = vec![[0.0; 2]; points.len()];
                field.scores(&points, &mut out);
                let mut portable = vec![[0.0; 2]; points.len()];
                field.scores_portable(&points, &mut portable);
                assert_eq!(
                    out, portable,
                    "vector and portable paths give the same bits"
                );
                for (p, g) in points.iter().zip(&out) {
                    let e = error(&mix, *p, m, s, *g);
                    assert!(e < 1e-12, "{p:?} at (m, s) = ({m}, {s}): error {e:e}");
                }
            }
        }
    }

    #[test]
    fn a_diverged_particle_gets_a_nan_score_and_leaves_its_neighbours_alone() {
        let mix = Mixture::ring8();
        let field = MixtureField::new(&mix, 1.0, 0.5);
        let points = [
            [1.0, 2.0],
            [f64::NAN, 0.0],
            [f64::INFINITY, 1.0],
            [-3.0, 0.5],
        ];
        let mut out = [[0.0; 2]; 4];
        field.scores(&points, &mut out);
        assert!(out[1][0].is_nan() && out[2][0].is_nan());
        assert!(error(&mix, points[0], 1.0, 0.5, out[0]) < 1e-12, "{out:?}");
        assert!(error(&mix, points[3], 1.0, 0.5, out[3]) < 1e-12, "{out:?}");
    }
}
