//! Standard normal pairs, many at once: `LANES` xoshiro256+ generators side by
//! side (one state word per lane in each array, so one round of all lanes is
//! a handful of vector instructions) and the Box–Muller transform through
//! the branch-free `fastmath` functions. A stream is a pure function of its
//! seed: the same seed gives the same normals on every machine, whichever
//! instruction set runs it.

#[cfg(target_arch = "x86_64")]
mod avx2;

use super::fastmath::{ln_positive, sin_cos_turns};

/// Generators run side by side; one round gives this many pairs.
pub const LANES: usize = 8;

/// Uniform doubles take the top 52 bits of a 64-bit output (xoshiro256+'s
/// low bits are its weak ones) as the mantissa of a number in [1, 2): an
/// exact conversion that needs no integer-to-float instruction, which AVX2
/// lacks for 64-bit integers.
const UNIFORM_SHIFT: u32 = 12;
const ONE_BITS: u64 = 0x3FF0_0000_0000_0000;

/// `LANES` independent xoshiro256+ generators (Blackman and Vigna), state
/// word w of lane l at `state[w][l]`.
#[derive(Clone, Debug)]
pub struct NormalStream {
    state: [[u64; LANES]; 4],
}

impl NormalStream {
    /// A stream from a seed; the lanes' states are consecutive outputs of
    /// SplitMix64, as the xoshiro authors recommend for seeding.
    pub fn new(seed: u64) -> NormalStream {
        let mut mix = seed;
        let mut state = [[0u64; LANES]; 4];
        for lane in 0..LANES {
            for word in &mut state {
                word[lane] = split_mix64(&mut mix);
            }
        }
        NormalStream { state }
    }

    /// One round: the next output of every lane.
    #[inline(always)]
    fn next(&mut self) -> [u64; LANES] {
        let [s0, s1, s2, s3] = &mut self.state;
        let mut out = [0u64; LANES];
        for l in 0..LANES {
            out[l] = s0[l].wrapping_add(s3[l]);
            let t = s1[l] << 17;
            s2[l] ^= s0[l];
            s3[l] ^= s1[l];
            s1[l] ^= s2[l];
            s0[l] ^= s3[l];
            s2[l] ^= t;
            s3[l] = s3[l].rotate_left(45);
        }
        out
    }

    /// `LANES` standard normal pairs: Box–Muller on two rounds,
    /// r = √(−2 ln u₁) with u₁ in (0, 1], angle 2π·u₂.
    #[inline(always)]
    pub fn pairs(&mut self) -> [[f64; 2]; LANES] {
        let radius_bits = self.next();
        let angle_bits = self.next();
        let mut out = [[0.0; 2]; LANES];
        for l in 0..LANES {
            // u₁ = 2 − [1, 2) lies in (0, 1]: never zero, where the log is −∞.
            let u1 = 2.0 - f64::from_bits((radius_bits[l] >> UNIFORM_SHIFT) | ONE_BITS);
            let u2 = f64::from_bits((angle_bits[l] >> UNIFORM_SHIFT) | ONE_BITS) - 1.0;
            let radius = (-2.0 * ln_positive(u1)).sqrt();
            let (sin, cos) = sin_cos_turns(u2);
            out[l] = [radius * cos, radius * sin];
        }
        out
    }

    /// Fills `out` with normal pairs, `LANES` at a time; a last partial
    /// round's extra pairs are dropped, so a slice of a given length always
    /// takes the same number of rounds.
    pub fn fill(&mut self, out: &mut [[f64; 2]]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the processor has AVX2 and FMA; both were checked just above.
            unsafe { avx2::fill(&mut self.state, out) };
            return;
        }
        self.fill_portable(out);
    }

    #[inline(always)]
    fn fill_portable(&mut self, out: &mut [[f64; 2]]) {
        for chunk in out.chunks_mut(LANES) {
            let pairs = self.pairs();
            chunk.copy_from_slice(&pairs[..chunk.len()]);
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood): a well-mixed 64-bit sequence from
/// any seed, used only to fill generator states.
fn split_mix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference xoshiro256+ of its authors' C code, one generator.
    fn reference_next(s: &mut [u64; 4]) -> u64 {
        let result = s[0].wrapping_add(s[3]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    #[test]
    fn each_lane_is_the_reference_generator() {
        let mut stream = NormalStream::new(42);
        let mut lanes: Vec<[u64; 4]> = (0..LANES)
            .map(|l| std::array::from_fn(|w| stream.state[w][l]))
            .collect();
        for _ in 0..100 {
            let round = stream.next();
            for (l, lane) in lanes.iter_mut().enumerate() {
                assert_eq!(round[l], reference_next(lane));
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_normals_and_another_seed_does_not() {
        let draw = |seed| {
            let mut out = vec![[0.0; 2]; 37];
            NormalStream::new(seed).fill(&mut out);
            out
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn the_dispatched_fill_gives_the_portable_fills_bits() {
        for (seed, len) in [(1, 8), (2, 37), (3, 1_000), (4, 3)] {
            let mut vector = NormalStream::new(seed);
            let mut portable = vector.clone();
            let (mut a, mut b) = (vec![[0.0; 2]; len], vec![[0.0; 2]; len]);
            // Twice, so the state each leaves behind is compared too.
            for _ in 0..2 {
                vector.fill(&mut a);
                portable.fill_portable(&mut b);
                let bits = |v: &[[f64; 2]]| -> Vec<u64> {
                    v.iter().flatten().map(|x| x.to_bits()).collect()
                };
                assert_eq!(bits(&a), bits(&b), "seed {seed}, {len} pairs");
            }
        }
    }

    #[test]
    fn moments_and_tails_are_those_of_a_standard_normal() {
        let mut stream = NormalStream::new(3);
        let n = 400_000;
        let mut out = vec![[0.0; 2]; n / 2];
        stream.fill(&mut out);
        let values: Vec<f64> = out.iter().flatten().copied().collect();
        let count = values.len() as f64;
        let mean = values.iter().sum::<f64>() / count;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / count;
        let fourth = values.iter().map(|v| v.powi(4)).sum::<f64>() / count;
        // Standard errors at n = 400,000: mean 0.0016, variance 0.0022,
        // fourth moment 0.016; five of them each way.
        assert!(mean.abs() < 0.008, "mean {mean}");
        assert!((var - 1.0).abs() < 0.011, "variance {var}");
        assert!((fourth - 3.0).abs() < 0.08, "fourth moment {fourth}");
        // P(|z| > 2) = 0.0455 and P(|z| > 3) = 0.0027 for a standard normal.
        let beyond = |k: f64| values.iter().filter(|v| v.abs() > k).count() as f64 / count;
        assert!((beyond(2.0) - 0.0455).abs() < 0.0017, "{}", beyond(2.0));
        assert!((beyond(3.0) - 0.0027).abs() < 0.0004, "{}", beyond(3.0));
        // The two of a pair are uncorrelated.
        let cross = out.iter().map(|p| p[0] * p[1]).sum::<f64>() / out.len() as f64;
        assert!(cross.abs() < 0.011, "pair correlation {cross}");
    }
}
