//! `NormalStream::fill` in AVX2 instructions: the eight generators' state
//! stays in registers for the whole fill (two per state word), and every
//! line is the portable round's or Box–Muller's operation on four lanes, so
//! the same bits. The loop vectoriser, left to the portable code, shuffled
//! the state between memory and registers each round and called memcpy for
//! every eight pairs.

use std::arch::x86_64::{
    __m256d, __m256i, _mm256_add_epi64, _mm256_castsi256_pd, _mm256_loadu_si256, _mm256_mul_pd,
    _mm256_or_si256, _mm256_permute2f128_pd, _mm256_set1_epi64x, _mm256_set1_pd, _mm256_slli_epi64,
    _mm256_sqrt_pd, _mm256_srli_epi64, _mm256_storeu_pd, _mm256_storeu_si256, _mm256_sub_pd,
    _mm256_unpackhi_pd, _mm256_unpacklo_pd, _mm256_xor_si256,
};

use super::{LANES, ONE_BITS, UNIFORM_SHIFT};
use crate::sim::diffusion::fastmath::avx2::{ln_positive, sin_cos_turns};

/// Lanes to a register.
const WIDTH: usize = 4;
/// Registers per state word.
const HALVES: usize = LANES / WIDTH;

type Word = [__m256i; HALVES];

/// Fills `out` with normal pairs from `state` (word w of lane l at
/// `state[w][l]`), `LANES` pairs a round; a last partial round's extra pairs
/// are dropped, as in the portable fill.
#[target_feature(enable = "avx2,fma")]
pub(super) fn fill(state: &mut [[u64; LANES]; 4], out: &mut [[f64; 2]]) {
    let mut s: [Word; 4] = [[_mm256_set1_epi64x(0); HALVES]; 4];
    for (word, lanes) in s.iter_mut().zip(state.iter()) {
        for (h, register) in word.iter_mut().enumerate() {
            // SAFETY: `lanes` holds LANES = HALVES·WIDTH words; h·WIDTH‥+4 is in bounds.
            *register = unsafe { _mm256_loadu_si256(lanes[h * WIDTH..].as_ptr().cast()) };
        }
    }
    let whole = out.len() - out.len() % LANES;
    let (rounds, rest) = out.split_at_mut(whole);
    for chunk in rounds.chunks_exact_mut(LANES) {
        round(&mut s, chunk);
    }
    if !rest.is_empty() {
        let mut pairs = [[0.0; 2]; LANES];
        round(&mut s, &mut pairs);
        rest.copy_from_slice(&pairs[..rest.len()]);
    }
    for (word, lanes) in s.iter().zip(state.iter_mut()) {
        for (h, register) in word.iter().enumerate() {
            // SAFETY: as for the loads.
            unsafe { _mm256_storeu_si256(lanes[h * WIDTH..].as_mut_ptr().cast(), *register) };
        }
    }
}

/// `NormalStream::pairs` into `out` (exactly `LANES` pairs).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn round(s: &mut [Word; 4], out: &mut [[f64; 2]]) {
    assert!(out.len() == LANES);
    let radius_bits = next(s);
    let angle_bits = next(s);
    for h in 0..HALVES {
        // u₁ = 2 − [1, 2) in (0, 1]; u₂ = [1, 2) − 1 in [0, 1).
        let u1 = _mm256_sub_pd(_mm256_set1_pd(2.0), uniform_in_one_two(radius_bits[h]));
        let u2 = _mm256_sub_pd(uniform_in_one_two(angle_bits[h]), _mm256_set1_pd(1.0));
        let radius = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_set1_pd(-2.0), ln_positive(u1)));
        let (sin, cos) = sin_cos_turns(u2);
        let (first, second) = (_mm256_mul_pd(radius, cos), _mm256_mul_pd(radius, sin));
        // Lanes 0‥3 as (first, second) pairs: unpacking gives pairs 0 2 | 1 3
        // by 128-bit half, and swapping the halves puts them in order.
        let low = _mm256_unpacklo_pd(first, second);
        let high = _mm256_unpackhi_pd(first, second);
        let (a, b) = (
            _mm256_permute2f128_pd::<0x20>(low, high),
            _mm256_permute2f128_pd::<0x31>(low, high),
        );
        // SAFETY: `out` holds LANES pairs (asserted above); pairs h·4‥+4 are
        // 8 contiguous doubles in bounds.
        unsafe {
            let base = out[h * WIDTH..].as_mut_ptr().cast::<f64>();
            _mm256_storeu_pd(base, a);
            _mm256_storeu_pd(base.add(WIDTH), b);
        }
    }
}

/// The top 52 bits of each lane as the mantissa of a double in [1, 2).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn uniform_in_one_two(bits: __m256i) -> __m256d {
    let mantissa = _mm256_srli_epi64::<{ UNIFORM_SHIFT as i32 }>(bits);
    _mm256_castsi256_pd(_mm256_or_si256(
        mantissa,
        _mm256_set1_epi64x(ONE_BITS as i64),
    ))
}

/// One xoshiro256+ round of every lane, as `NormalStream::next`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn next(s: &mut [Word; 4]) -> Word {
    let mut out = [_mm256_set1_epi64x(0); HALVES];
    for h in 0..HALVES {
        let [s0, s1, s2, s3] = [s[0][h], s[1][h], s[2][h], s[3][h]];
        out[h] = _mm256_add_epi64(s0, s3);
        let t = _mm256_slli_epi64::<17>(s1);
        let s2 = _mm256_xor_si256(s2, s0);
        let s3 = _mm256_xor_si256(s3, s1);
        let s1 = _mm256_xor_si256(s1, s2);
        let s0 = _mm256_xor_si256(s0, s3);
        let s2 = _mm256_xor_si256(s2, t);
        // AVX2 has no 64-bit rotate: a rotation left by 45 is two shifts.
        let s3 = _mm256_or_si256(_mm256_slli_epi64::<45>(s3), _mm256_srli_epi64::<19>(s3));
        [s[0][h], s[1][h], s[2][h], s[3][h]] = [s0, s1, s2, s3];
    }
    out
}
