//! fastmath's functions on four lanes of an AVX2 register, step for step:
//! each line is the scalar function's operation, in the same order, so every
//! lane gives the scalar function's bits (the tests below check it). The
//! kernel and the normal generator are written with these because the loop
//! vectoriser, left to itself, kept their temporaries on the stack and took
//! some lanes out one at a time.
//!
//! No closures here: a closure does not inherit its function's target
//! features, and each would become a call.

use std::arch::x86_64::{
    __m256d, __m256i, _CMP_GT_OQ, _mm256_add_epi64, _mm256_add_pd, _mm256_and_pd, _mm256_and_si256,
    _mm256_blendv_pd, _mm256_castpd_si256, _mm256_castsi256_pd, _mm256_cmp_pd, _mm256_cmpeq_epi64,
    _mm256_cmpgt_epi64, _mm256_div_pd, _mm256_fmadd_pd, _mm256_fnmadd_pd, _mm256_max_pd,
    _mm256_mul_pd, _mm256_or_si256, _mm256_set1_epi64x, _mm256_set1_pd, _mm256_setzero_pd,
    _mm256_slli_epi64, _mm256_srli_epi64, _mm256_sub_epi64, _mm256_sub_pd, _mm256_xor_pd,
};

use super::{
    COS_TURNS, EXP_MIN, EXP_TAIL, EXP_TAYLOR, EXPONENT_BIAS, LN_SERIES, LN_TAIL, LN2_HI, LN2_LO,
    MANTISSA_BITS, MANTISSA_MASK, ROUNDER, SIN_TURNS,
};

/// Most terms `estrin` takes.
const MAX_TERMS: usize = 16;

/// `fastmath::exp_nonpositive`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn exp_nonpositive(x: __m256d) -> __m256d {
    // MAXPD(a, b) is a > b ? a : b: NaN stays NaN, as in the scalar clamp.
    let x = _mm256_max_pd(_mm256_set1_pd(EXP_MIN), x);
    let rounder = _mm256_set1_pd(ROUNDER);
    let shifted = _mm256_fmadd_pd(x, _mm256_set1_pd(std::f64::consts::LOG2_E), rounder);
    let n = _mm256_sub_pd(shifted, rounder);
    // −n·c + x is (−n)·c + x with one rounding, as the scalar mul_add.
    let r = _mm256_fnmadd_pd(
        n,
        _mm256_set1_pd(LN2_LO),
        _mm256_fnmadd_pd(n, _mm256_set1_pd(LN2_HI), x),
    );
    let series = _mm256_fmadd_pd(
        _mm256_fmadd_pd(estrin(EXP_TAIL, r), r, _mm256_set1_pd(EXP_TAYLOR[1])),
        r,
        _mm256_set1_pd(EXP_TAYLOR[0]),
    );
    let n_bits = _mm256_sub_epi64(_mm256_castpd_si256(shifted), rounder_bits());
    let biased = _mm256_add_epi64(n_bits, _mm256_set1_epi64x(EXPONENT_BIAS as i64));
    let scale = _mm256_castsi256_pd(_mm256_slli_epi64::<{ MANTISSA_BITS as i32 }>(biased));
    _mm256_mul_pd(series, scale)
}

/// `fastmath::ln_positive`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn ln_positive(x: __m256d) -> __m256d {
    let bits = _mm256_castpd_si256(x);
    let exponent = _mm256_srli_epi64::<{ MANTISSA_BITS as i32 }>(bits);
    let biased = _mm256_sub_pd(
        _mm256_castsi256_pd(_mm256_add_epi64(rounder_bits(), exponent)),
        _mm256_set1_pd(ROUNDER),
    );
    let unbiased = _mm256_sub_pd(biased, _mm256_set1_pd(EXPONENT_BIAS as f64));
    let mantissa = _mm256_and_si256(bits, _mm256_set1_epi64x(MANTISSA_MASK as i64));
    let one = _mm256_set1_pd(1.0);
    let m = _mm256_castsi256_pd(_mm256_or_si256(mantissa, _mm256_castpd_si256(one)));
    let high = _mm256_cmp_pd::<_CMP_GT_OQ>(m, _mm256_set1_pd(std::f64::consts::SQRT_2));
    let m = _mm256_blendv_pd(m, _mm256_mul_pd(_mm256_set1_pd(0.5), m), high);
    // The mask's lanes are all ones or all zeros: `and` with 1.0 is the
    // scalar `if high { 1.0 } else { 0.0 }`.
    let e = _mm256_add_pd(unbiased, _mm256_and_pd(high, one));
    let f = _mm256_div_pd(_mm256_sub_pd(m, one), _mm256_add_pd(m, one));
    let z = _mm256_mul_pd(f, f);
    let series = _mm256_fmadd_pd(estrin(LN_TAIL, z), z, _mm256_set1_pd(LN_SERIES[0]));
    _mm256_fmadd_pd(
        e,
        _mm256_set1_pd(LN2_HI),
        _mm256_fmadd_pd(e, _mm256_set1_pd(LN2_LO), _mm256_mul_pd(f, series)),
    )
}

/// `fastmath::sin_cos_turns`.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn sin_cos_turns(u: __m256d) -> (__m256d, __m256d) {
    let rounder = _mm256_set1_pd(ROUNDER);
    let quarters = _mm256_add_pd(_mm256_mul_pd(u, _mm256_set1_pd(4.0)), rounder);
    let q = _mm256_sub_pd(quarters, rounder);
    let w = _mm256_sub_pd(u, _mm256_mul_pd(_mm256_set1_pd(0.25), q));
    let w2 = _mm256_mul_pd(w, w);
    let s = _mm256_mul_pd(estrin(&SIN_TURNS, w2), w);
    let c = estrin(&COS_TURNS, w2);
    let quadrant = _mm256_and_si256(
        _mm256_sub_epi64(_mm256_castpd_si256(quarters), rounder_bits()),
        _mm256_set1_epi64x(3),
    );
    // The scalar selects, as masks: odd quadrants swap sin and cos, 2 and 3
    // negate sin, 1 and 2 negate cos (a sign flip is `-x` to the bit).
    let one = _mm256_set1_epi64x(1);
    let odd = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(quadrant, one), one));
    let a = _mm256_blendv_pd(s, c, odd);
    let b = _mm256_blendv_pd(c, s, odd);
    let sign = _mm256_set1_pd(-0.0);
    let negate_sin = _mm256_castsi256_pd(_mm256_cmpgt_epi64(quadrant, one));
    let negate_cos = _mm256_castsi256_pd(_mm256_or_si256(
        _mm256_cmpeq_epi64(quadrant, one),
        _mm256_cmpeq_epi64(quadrant, _mm256_set1_epi64x(2)),
    ));
    let sin = _mm256_xor_pd(a, _mm256_and_pd(negate_sin, sign));
    let cos = _mm256_xor_pd(b, _mm256_and_pd(negate_cos, sign));
    (sin, cos)
}

/// `fastmath::estrin`: the same pairing, level by level.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn estrin<const N: usize>(coefficients: &[f64; N], x: __m256d) -> __m256d {
    let mut terms = [_mm256_setzero_pd(); MAX_TERMS];
    for (term, &c) in terms.iter_mut().zip(coefficients) {
        *term = _mm256_set1_pd(c);
    }
    let mut len = N;
    let mut power = x;
    while len > 1 {
        let half = len.div_ceil(2);
        for j in 0..half {
            terms[j] = if 2 * j + 1 < len {
                _mm256_fmadd_pd(terms[2 * j + 1], power, terms[2 * j])
            } else {
                terms[2 * j]
            };
        }
        len = half;
        power = _mm256_mul_pd(power, power);
    }
    terms[0]
}

#[inline]
#[target_feature(enable = "avx2")]
fn rounder_bits() -> __m256i {
    _mm256_set1_epi64x(ROUNDER.to_bits() as i64)
}

#[cfg(test)]
mod tests {
    use std::arch::x86_64::{_mm256_loadu_pd, _mm256_storeu_pd};

    use super::*;

    /// Checks `vector` against `scalar` on every input, four lanes at a
    /// time (the inputs padded with their last to a whole register): each
    /// output register's lanes must hold the bits `scalar` gives, output by
    /// output.
    fn check(
        name: &str,
        inputs: &[f64],
        vector: impl Fn(__m256d) -> Vec<__m256d>,
        scalar: impl Fn(f64) -> Vec<f64>,
    ) {
        let mut padded = inputs.to_vec();
        while !padded.len().is_multiple_of(4) {
            padded.push(inputs[inputs.len() - 1]);
        }
        for chunk in padded.chunks_exact(4) {
            // SAFETY: a chunk holds four doubles.
            let x = unsafe { _mm256_loadu_pd(chunk.as_ptr()) };
            for (output, v) in vector(x).into_iter().enumerate() {
                let mut got = [0.0f64; 4];
                // SAFETY: `got` holds four doubles.
                unsafe { _mm256_storeu_pd(got.as_mut_ptr(), v) };
                for (lane, &input) in chunk.iter().enumerate() {
                    let want = scalar(input)[output];
                    assert_eq!(
                        got[lane].to_bits(),
                        want.to_bits(),
                        "{name}({input:e}), output {output}: {} against {want}",
                        got[lane]
                    );
                }
            }
        }
    }

    fn has_avx2() -> bool {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }

    #[test]
    fn every_lane_gives_the_scalar_functions_bits() {
        if !has_avx2() {
            return;
        }
        let steps = 40_000;
        let unit: Vec<f64> = (0..steps)
            .map(|i| (f64::from(i) + 0.37) / f64::from(steps))
            .chain([1.0, f64::MIN_POSITIVE, 2f64.powi(-53), 0.25, 0.5, 0.75])
            .chain([0.125, 0.375, 0.625, 0.875])
            .collect();
        let logits: Vec<f64> = (0..steps)
            .map(|i| -750.0 * f64::from(i) / f64::from(steps))
            .chain([0.0, -0.0, f64::NAN, -1e-300, -708.0, f64::NEG_INFINITY])
            .chain([-0.5 * std::f64::consts::LN_2, -1.5, -2.5, -3.5])
            .collect();
        // SAFETY (the three vector calls): the processor has AVX2 and FMA.
        check(
            "exp",
            &logits,
            |x| vec![unsafe { exp_nonpositive(x) }],
            |x| vec![super::super::exp_nonpositive(x)],
        );
        check(
            "ln",
            &unit,
            |x| vec![unsafe { ln_positive(x) }],
            |x| vec![super::super::ln_positive(x)],
        );
        check(
            "sin_cos",
            &unit,
            |x| {
                let (s, c) = unsafe { sin_cos_turns(x) };
                vec![s, c]
            },
            |u| {
                let (s, c) = super::super::sin_cos_turns(u);
                vec![s, c]
            },
        );
    }
}
