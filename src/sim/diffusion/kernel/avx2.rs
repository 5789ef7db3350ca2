//! The kernel's tile written in AVX2 and FMA instructions. Left to the loop
//! vectoriser, a tile of 16 particles needed more vector registers than the
//! processor has (its sums, maxima and the exp's temporaries spilled to the
//! stack every component), and a tile of 8 was unrolled into scalar code.
//! Here a tile is 8 particles, two registers per value, and every line is
//! the portable tile's operation on four lanes at once: the same roundings
//! in the same order, so the same bits.

use std::arch::x86_64::{
    __m256d, _mm256_add_pd, _mm256_div_pd, _mm256_fmadd_pd, _mm256_loadu_pd, _mm256_max_pd,
    _mm256_set1_pd, _mm256_setzero_pd, _mm256_storeu_pd, _mm256_sub_pd, _mm256_unpackhi_pd,
    _mm256_unpacklo_pd,
};

use super::MixtureField;
use crate::sim::diffusion::fastmath::avx2::exp_nonpositive;

/// Doubles to a register.
const WIDTH: usize = 4;
/// Registers per value in a tile.
const HALVES: usize = 2;
/// Particles per tile.
const POINTS: usize = WIDTH * HALVES;

type Half = [__m256d; HALVES];

/// The score at each of `points`, into `out` (the same length).
#[target_feature(enable = "avx2,fma")]
pub(super) fn scores(field: &MixtureField, points: &[[f64; 2]], out: &mut [[f64; 2]]) {
    let whole = points.len() - points.len() % POINTS;
    for (points, out) in points[..whole]
        .chunks_exact(POINTS)
        .zip(out[..whole].chunks_exact_mut(POINTS))
    {
        tile(field, points, out);
    }
    // A short last tile is padded with the origin; its extra lanes are
    // computed and dropped.
    let rest = points.len() - whole;
    if rest > 0 {
        let mut padded = [[0.0; 2]; POINTS];
        padded[..rest].copy_from_slice(&points[whole..]);
        let mut scores = [[0.0; 2]; POINTS];
        tile(field, &padded, &mut scores);
        out[whole..].copy_from_slice(&scores[..rest]);
    }
}

/// One tile of `POINTS` particles; both slices hold exactly that many.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn tile(field: &MixtureField, points: &[[f64; 2]], out: &mut [[f64; 2]]) {
    assert!(points.len() == POINTS && out.len() == POINTS);
    // Points arrive as x₀ y₀ x₁ y₁ …; unpacking two registers of them gives
    // the lanes in the order 0 2 1 3, the same order for x and y, and the
    // same unpacking on the way out puts them back.
    let mut x = [_mm256_setzero_pd(); HALVES];
    let mut y = [_mm256_setzero_pd(); HALVES];
    for h in 0..HALVES {
        let first = h * WIDTH;
        // SAFETY: `points` holds POINTS pairs of doubles (asserted above), so
        // points first‥first+4 are 8 contiguous doubles in bounds.
        let (a, b) = unsafe {
            let base = points[first..].as_ptr().cast::<f64>();
            (_mm256_loadu_pd(base), _mm256_loadu_pd(base.add(WIDTH)))
        };
        x[h] = _mm256_unpacklo_pd(a, b);
        y[h] = _mm256_unpackhi_pd(a, b);
    }

    // Two passes over the components: the largest logit, then the weights.
    // The logits are computed again in the second pass rather than kept:
    // two multiply-adds cost less than storing and loading them.
    let components = field.components;
    let mut top = [_mm256_set1_pd(f64::NEG_INFINITY); HALVES];
    for k in 0..components {
        let l = logit(field, k, x, y);
        for h in 0..HALVES {
            // MAXPD gives its second operand unless the first is greater:
            // the portable `if l > top { l } else { top }`, NaN included.
            top[h] = _mm256_max_pd(l[h], top[h]);
        }
    }
    let mut sums = Sums {
        total: [_mm256_setzero_pd(); HALVES],
        x: [_mm256_setzero_pd(); HALVES],
        y: [_mm256_setzero_pd(); HALVES],
    };
    for k in 0..components {
        let mut l = logit(field, k, x, y);
        for h in 0..HALVES {
            l[h] = _mm256_sub_pd(l[h], top[h]);
        }
        for e in &mut l {
            *e = exp_nonpositive(*e);
        }
        sums.add(field, k, l);
    }

    let c = _mm256_set1_pd(field.c);
    for h in 0..HALVES {
        let gx = _mm256_div_pd(
            _mm256_sub_pd(_mm256_div_pd(sums.x[h], sums.total[h]), x[h]),
            c,
        );
        let gy = _mm256_div_pd(
            _mm256_sub_pd(_mm256_div_pd(sums.y[h], sums.total[h]), y[h]),
            c,
        );
        let first = h * WIDTH;
        // SAFETY: as for the loads, `out` holds POINTS pairs.
        unsafe {
            let base = out[first..].as_mut_ptr().cast::<f64>();
            _mm256_storeu_pd(base, _mm256_unpacklo_pd(gx, gy));
            _mm256_storeu_pd(base.add(WIDTH), _mm256_unpackhi_pd(gx, gy));
        }
    }
}

/// Component k's logit a_k + b_k·x at the tile's particles.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn logit(field: &MixtureField, k: usize, x: Half, y: Half) -> Half {
    let offset = _mm256_set1_pd(field.offset[k]);
    let slope_x = _mm256_set1_pd(field.slope_x[k]);
    let slope_y = _mm256_set1_pd(field.slope_y[k]);
    let mut l = [_mm256_setzero_pd(); HALVES];
    for h in 0..HALVES {
        l[h] = _mm256_fmadd_pd(slope_y, y[h], _mm256_fmadd_pd(slope_x, x[h], offset));
    }
    l
}

/// Σ e_k, Σ e_k·m·μ_k by axis.
struct Sums {
    total: Half,
    x: Half,
    y: Half,
}

impl Sums {
    /// Adds component k's weights `e`, in the portable tile's order.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn add(&mut self, field: &MixtureField, k: usize, e: Half) {
        let centre_x = _mm256_set1_pd(field.centre_x[k]);
        let centre_y = _mm256_set1_pd(field.centre_y[k]);
        for (h, e) in e.into_iter().enumerate() {
            self.total[h] = _mm256_add_pd(self.total[h], e);
            self.x[h] = _mm256_fmadd_pd(e, centre_x, self.x[h]);
            self.y[h] = _mm256_fmadd_pd(e, centre_y, self.y[h]);
        }
    }
}
