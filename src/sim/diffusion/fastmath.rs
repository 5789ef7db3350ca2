//! exp, ln and sin/cos written without branches or table lookups, so a loop
//! over an array of them compiles to vector instructions. libm's versions
//! are calls the compiler cannot vectorise; these are within two units in
//! the last place and give the same bits on every target: they use only +,
//! −, ×, ÷, √, fused multiply-add and bit moves, which IEEE 754 rounds the
//! same in vector and scalar form. (`mul_add` is one instruction where the
//! processor has FMA, as every AVX2 one does, and a slower exact library
//! call elsewhere.)

#[cfg(target_arch = "x86_64")]
pub(super) mod avx2;

/// ln 2 split in two: `LN2_HI` has its low bits zero, so n·LN2_HI is exact
/// for the |n| ≤ 1100 used here and the reduction x − n·ln 2 loses nothing
/// (Cody and Waite's method; the split is fdlibm's).
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// Adding 1.5·2⁵² rounds a double of magnitude below 2⁵¹ to an integer and
/// leaves that integer in the low bits of the sum: round-to-nearest without
/// a rounding instruction (SSE2 has none for doubles).
const ROUNDER: f64 = 6_755_399_441_055_744.0;
/// Below this the argument is raised to it: e^−708 is near the smallest
/// normal double, and the scaling by 2ⁿ below needs a normal result.
const EXP_MIN: f64 = -708.0;
const EXPONENT_BIAS: u64 = 1023;
const MANTISSA_BITS: u32 = 52;

/// 1/k! for k = 0‥12: the Taylor series of e^r. On |r| ≤ ln2/2 the first
/// term left out, r¹³/13!, is below 2·10⁻¹⁶ of the sum, under an ulp (one
/// term fewer costs 30 ulps).
const EXP_TAYLOR: [f64; 13] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
];

/// EXP_TAYLOR from its third term, 1/2!.
const EXP_TAIL: &[f64; 11] = match EXP_TAYLOR.last_chunk() {
    Some(tail) => tail,
    None => panic!("EXP_TAYLOR has more than eleven terms"),
};

/// e^x for x ≤ 0 (the kernel's shifted logits): x = n·ln 2 + r with
/// |r| ≤ ln2/2, e^x = 2ⁿ·e^r. Below −708 it gives e^−708 ≈ 3·10⁻³⁰⁸, which
/// vanishes beside the 1 that every sum of these in the kernel holds; NaN
/// stays NaN.
#[inline(always)]
pub fn exp_nonpositive(x: f64) -> f64 {
    let x = if x < EXP_MIN { EXP_MIN } else { x };
    let shifted = x.mul_add(std::f64::consts::LOG2_E, ROUNDER);
    let n = shifted - ROUNDER;
    let r = (-n).mul_add(LN2_LO, (-n).mul_add(LN2_HI, x));
    let series = exp_series(r);
    // n sits in the low bits of `shifted`; 2ⁿ is its biased exponent.
    let n_bits = shifted.to_bits().wrapping_sub(ROUNDER.to_bits());
    series * f64::from_bits(n_bits.wrapping_add(EXPONENT_BIAS) << MANTISSA_BITS)
}

/// e^r for |r| ≤ ln2/2, as 1 + r·(1 + r·q(r)) with q(r) = Σ_{k≥2} r^(k−2)/k!
/// summed by Estrin's scheme: pairs of terms, then pairs of pairs, with r²,
/// r⁴, r⁸ beside them. Horner's rule over all thirteen terms is a chain of
/// twelve multiply-adds, each waiting for the last; this is six deep, so
/// more of the kernel's exps are in flight at once (its score alone went
/// from 174 to 164 µs at 10,000 particles). The last two steps stay
/// Horner's, which keeps the result within two ulps (all of Estrin's would
/// not: 2.1).
#[inline(always)]
fn exp_series(r: f64) -> f64 {
    estrin(EXP_TAIL, r)
        .mul_add(r, EXP_TAYLOR[1])
        .mul_add(r, EXP_TAYLOR[0])
}

/// tanh a = sign(a)·(1 − e^−2|a|)/(1 + e^−2|a|), through `exp_nonpositive`
/// so it vectorises. Its error is absolute, within two ulps of 1 (4.5·10⁻¹⁶): what a network's
/// activation needs (near 0 the relative error grows, as 1 − e^−2|a|
/// cancels, but the next layer only adds these up).
#[inline(always)]
pub fn tanh(a: f64) -> f64 {
    let t = exp_nonpositive(-2.0 * a.abs());
    ((1.0 - t) / (1.0 + t)).copysign(a)
}

/// Σ c_k·x^k by Estrin's scheme: neighbouring terms paired as c_2j + c_2j+1·x,
/// then the pairs paired with x², and so on; log₂N levels deep instead of
/// Horner's chain of N − 1 multiply-adds that each wait for the last. The
/// loops have constant bounds and unroll, so it vectorises inside a
/// caller's loop.
#[inline(always)]
fn estrin<const N: usize>(coefficients: &[f64; N], x: f64) -> f64 {
    let mut terms = *coefficients;
    let mut len = N;
    let mut power = x;
    while len > 1 {
        let half = len.div_ceil(2);
        for j in 0..half {
            terms[j] = if 2 * j + 1 < len {
                terms[2 * j + 1].mul_add(power, terms[2 * j])
            } else {
                terms[2 * j]
            };
        }
        len = half;
        power *= power;
    }
    terms[0]
}

/// 2/(2k+1) for k = 0‥10: ln m = 2·atanh(f) = Σ 2f^(2k+1)/(2k+1) with
/// f = (m−1)/(m+1). For m in [√½, √2), |f| ≤ 0.172 and the first term left
/// out is below 10⁻¹⁷.
const LN_SERIES: [f64; 11] = [
    2.0,
    2.0 / 3.0,
    2.0 / 5.0,
    2.0 / 7.0,
    2.0 / 9.0,
    2.0 / 11.0,
    2.0 / 13.0,
    2.0 / 15.0,
    2.0 / 17.0,
    2.0 / 19.0,
    2.0 / 21.0,
];
/// LN_SERIES from its second term.
const LN_TAIL: &[f64; 10] = match LN_SERIES.last_chunk() {
    Some(tail) => tail,
    None => panic!("LN_SERIES has more than ten terms"),
};
const MANTISSA_MASK: u64 = (1 << MANTISSA_BITS) - 1;

/// ln x for a positive normal x (the uniforms of the normal generator, in
/// (0, 1]): x = 2^e·m with m in [√½, √2), ln x = e·ln 2 + ln m.
#[inline(always)]
pub fn ln_positive(x: f64) -> f64 {
    let bits = x.to_bits();
    // The biased exponent as a double without an integer-to-float
    // conversion, which AVX2 lacks for 64-bit lanes: placed in the low bits
    // of ROUNDER it is exact, and subtracting ROUNDER leaves it.
    let biased = f64::from_bits(ROUNDER.to_bits() + (bits >> MANTISSA_BITS)) - ROUNDER;
    let unbiased = biased - EXPONENT_BIAS as f64;
    // m in [1, 2); above √2 take m/2 and one more power of two.
    let m = f64::from_bits((bits & MANTISSA_MASK) | 1f64.to_bits());
    let high = m > std::f64::consts::SQRT_2;
    let m = if high { 0.5 * m } else { m };
    let e = unbiased + if high { 1.0 } else { 0.0 };
    let f = (m - 1.0) / (m + 1.0);
    // The first term by itself, the small rest by Estrin's scheme: all of it
    // by Estrin's is 2.7 ulps off.
    let z = f * f;
    let series = estrin(LN_TAIL, z).mul_add(z, LN_SERIES[0]);
    e.mul_add(LN2_HI, e.mul_add(LN2_LO, f * series))
}

/// (−1)^k·(2π)^(2k+1)/(2k+1)! and (−1)^k·(2π)^(2k)/(2k)!: sin and cos of
/// 2π·w as series in w, for |w| ≤ ⅛ (angles up to π/4). The first terms left
/// out are below 10⁻¹⁷.
const SIN_TURNS: [f64; 9] = sin_turns();
const COS_TURNS: [f64; 9] = cos_turns();

const fn sin_turns() -> [f64; 9] {
    let mut out = [0.0; 9];
    let tau = std::f64::consts::TAU;
    let mut term = tau; // (2π)^(2k+1)/(2k+1)!
    let mut k = 0;
    while k < 9 {
        out[k] = if k % 2 == 0 { term } else { -term };
        let next = (2 * k + 2) as f64 * (2 * k + 3) as f64;
        term = term * tau * tau / next;
        k += 1;
    }
    out
}

const fn cos_turns() -> [f64; 9] {
    let mut out = [0.0; 9];
    let tau = std::f64::consts::TAU;
    let mut term = 1.0; // (2π)^(2k)/(2k)!
    let mut k = 0;
    while k < 9 {
        out[k] = if k % 2 == 0 { term } else { -term };
        let next = (2 * k + 1) as f64 * (2 * k + 2) as f64;
        term = term * tau * tau / next;
        k += 1;
    }
    out
}

/// (sin 2πu, cos 2πu) for u in [0, 1]. Working in turns makes the range
/// reduction exact: u − q/4 is computed without rounding.
#[inline(always)]
pub fn sin_cos_turns(u: f64) -> (f64, f64) {
    let quarters = u * 4.0 + ROUNDER;
    let q = quarters - ROUNDER; // nearest quarter turn, 0‥4
    let w = u - 0.25 * q; // |w| ≤ ⅛
    let w2 = w * w;
    let s = estrin(&SIN_TURNS, w2) * w;
    let c = estrin(&COS_TURNS, w2);
    // Rotate by q quarter turns: (s, c) → (c, −s) → (−s, −c) → (−c, s).
    let quadrant = quarters.to_bits().wrapping_sub(ROUNDER.to_bits()) & 3;
    match_quadrant(quadrant, s, c)
}

#[inline(always)]
fn match_quadrant(quadrant: u64, s: f64, c: f64) -> (f64, f64) {
    // Selects rather than a `match`, so the loop stays branch-free.
    let (a, b) = if quadrant & 1 == 1 { (c, s) } else { (s, c) };
    let sin = if quadrant >= 2 { -a } else { a };
    let cos = if quadrant == 1 || quadrant == 2 {
        -b
    } else {
        b
    };
    (sin, cos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs() / f64::EPSILON
    }

    #[test]
    fn exp_is_within_two_ulps_of_libm() {
        let mut worst: f64 = 0.0;
        for i in 0..=200_000 {
            let x = -708.0 * f64::from(i) / 200_000.0;
            worst = worst.max(ulps(exp_nonpositive(x), x.exp()));
        }
        for x in [-1e-300, -1e-10, -0.5 * std::f64::consts::LN_2, -700.5] {
            worst = worst.max(ulps(exp_nonpositive(x), x.exp()));
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert!(ulps(exp_nonpositive(-750.0), (-708f64).exp()) <= 2.0);
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert!(exp_nonpositive(f64::NAN).is_nan());
    }

    #[test]
    fn tanh_is_within_two_ulps_of_one_of_libm() {
        for i in -200_000..=200_000 {
            let a = f64::from(i) / 10_000.0;
            let error = (tanh(a) - a.tanh()).abs();
            assert!(error < 4.5e-16, "tanh({a}): off by {error:e}");
        }
        assert_eq!(tanh(1e3), 1.0);
        assert_eq!(tanh(-1e3), -1.0);
        assert!(tanh(f64::NAN).is_nan());
    }

    #[test]
    fn ln_is_within_two_ulps_of_libm_on_the_unit_interval() {
        let mut worst: f64 = 0.0;
        for i in 1..=200_000 {
            let x = f64::from(i) / 200_000.0;
            let exact = x.ln();
            if exact != 0.0 {
                worst = worst.max(ulps(ln_positive(x), exact));
            }
        }
        for x in [f64::MIN_POSITIVE, 2f64.powi(-53), 1e-300, 0.5, 0.999_999] {
            worst = worst.max(ulps(ln_positive(x), x.ln()));
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert_eq!(ln_positive(1.0), 0.0);
    }

    #[test]
    fn sin_cos_agree_with_libm_to_1e_15() {
        for i in 0..=100_000 {
            let u = f64::from(i) / 100_000.0;
            let (s, c) = sin_cos_turns(u);
            let angle = std::f64::consts::TAU * u;
            // libm's own argument 2πu is rounded, an error of up to
            // 2π·u·ε, so compare absolutely.
            assert!((s - angle.sin()).abs() < 1e-15, "sin at {u}: {s}");
            assert!((c - angle.cos()).abs() < 1e-15, "cos at {u}: {c}");
        }
    }
}
