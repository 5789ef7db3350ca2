//! Binary floating-point formats and one correctly rounded conversion into
//! each, straight from the f64 value.
//!
//! Converting f64 → f32 → f16 rounds twice, and for values just above a
//! halfway point between two f16 neighbours the first rounding lands exactly
//! on the halfway point, after which ties-to-even picks the wrong neighbour.
//! So the conversion here looks at all 53 bits of the f64 significand once.

/// A binary interchange format: sign, `exp_bits` exponent bits, `man_bits`
/// stored significand bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    pub name: &'static str,
    pub exp_bits: u32,
    pub man_bits: u32,
}

pub const FP32: Format = Format {
    name: "FP32",
    exp_bits: 8,
    man_bits: 23,
};
pub const FP16: Format = Format {
    name: "FP16",
    exp_bits: 5,
    man_bits: 10,
};
pub const BF16: Format = Format {
    name: "BF16",
    exp_bits: 8,
    man_bits: 7,
};

/// What kind of number a bit pattern holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Zero,
    Subnormal,
    Normal,
    Infinite,
    Nan,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::Zero => "zero",
            Class::Subnormal => "subnormal",
            Class::Normal => "normal",
            Class::Infinite => "inf",
            Class::Nan => "nan",
        }
    }
}

const F64_MAN_BITS: u32 = 52;
const F64_BIAS: i32 = 1023;

impl Format {
    pub fn bias(&self) -> i32 {
        (1 << (self.exp_bits - 1)) - 1
    }

    /// Total width in bits.
    pub fn bits(&self) -> u32 {
        1 + self.exp_bits + self.man_bits
    }

    fn exp_all_ones(&self) -> u32 {
        (1 << self.exp_bits) - 1
    }

    /// Smallest normal exponent (unbiased).
    pub fn emin(&self) -> i32 {
        1 - self.bias()
    }

    /// `x` rounded once to the nearest value of this format, ties to even;
    /// subnormals kept, overflow to ±inf, NaN stays NaN (quiet), zero keeps its sign.
    pub fn encode(&self, x: f64) -> u32 {
        let bits = x.to_bits();
        let sign = ((bits >> 63) as u32) << (self.exp_bits + self.man_bits);
        let exp_field = ((bits >> F64_MAN_BITS) & 0x7ff) as i32;
        let man_field = bits & ((1u64 << F64_MAN_BITS) - 1);
        let inf = self.exp_all_ones() << self.man_bits;
        if exp_field == 0x7ff {
            return if man_field == 0 {
                sign | inf
            } else {
                // A quiet NaN: the top significand bit set.
                sign | inf | (1 << (self.man_bits - 1))
            };
        }
        if exp_field == 0 && man_field == 0 {
            return sign;
        }
        // x = significand × 2^(exponent − 52), significand an integer < 2^53.
        let (significand, exponent) = if exp_field == 0 {
            (man_field, 1 - F64_BIAS)
        } else {
            (man_field | (1u64 << F64_MAN_BITS), exp_field - F64_BIAS)
        };
        // Normalise so the top set bit is bit 52 (subnormal f64 inputs).
        let lead = 63 - significand.leading_zeros() as i32;
        let shift_up = F64_MAN_BITS as i32 - lead;
        let significand = significand << shift_up;
        let exponent = exponent - shift_up;
        // Keep man_bits + 1 bits; below emin, fewer (the value becomes subnormal).
        let precision = self.man_bits as i32 + 1;
        let drop = (F64_MAN_BITS as i32 + 1 - precision) + (self.emin() - exponent).max(0);
        let kept = round_half_even(significand, drop);
        // `kept` counts units of 2^(max(exponent, emin) − man_bits).
        let scale_exp = exponent.max(self.emin());
        let (kept, scale_exp) = if kept >> precision != 0 {
            // Rounding carried into a new bit: renormalise.
            (kept >> 1, scale_exp + 1)
        } else {
            (kept, scale_exp)
        };
        if kept == 0 {
            return sign;
        }
        let hidden = 1u64 << self.man_bits;
        if kept < hidden {
            // Subnormal: exponent field 0. (kept == hidden means it rounded up to
            // the smallest normal, which the encoding below gets right too.)
            return sign | kept as u32;
        }
        let biased = scale_exp + self.bias();
        if biased >= self.exp_all_ones() as i32 {
            return sign | inf;
        }
        sign | ((biased as u32) << self.man_bits) | (kept - hidden) as u32
    }

    /// The exact value of a bit pattern.
    pub fn decode(&self, bits: u32) -> f64 {
        let sign = if (bits >> (self.exp_bits + self.man_bits)) & 1 == 1 {
            -1.0
        } else {
            1.0
        };
        let exp_field = (bits >> self.man_bits) & self.exp_all_ones();
        let man_field = bits & ((1 << self.man_bits) - 1);
        let unit = 2f64.powi(self.emin() - self.man_bits as i32);
        if exp_field == self.exp_all_ones() {
            return if man_field == 0 {
                sign * f64::INFINITY
            } else {
                f64::NAN
            };
        }
        if exp_field == 0 {
            return sign * f64::from(man_field) * unit;
        }
        let significand = f64::from(man_field | (1 << self.man_bits));
        sign * significand * 2f64.powi(exp_field as i32 - self.bias() - self.man_bits as i32)
    }

    pub fn class(&self, bits: u32) -> Class {
        let exp_field = (bits >> self.man_bits) & self.exp_all_ones();
        let man_field = bits & ((1 << self.man_bits) - 1);
        match (exp_field, man_field) {
            (0, 0) => Class::Zero,
            (0, _) => Class::Subnormal,
            (e, 0) if e == self.exp_all_ones() => Class::Infinite,
            (e, _) if e == self.exp_all_ones() => Class::Nan,
            _ => Class::Normal,
        }
    }

    /// The value rounded to this format, as an f64 (exact).
    pub fn round(&self, x: f64) -> f64 {
        self.decode(self.encode(x))
    }

    /// Distance from the value of `bits` to the next larger magnitude in this
    /// format: the unit in the last place there.
    pub fn ulp(&self, bits: u32) -> f64 {
        let exp_field = ((bits >> self.man_bits) & self.exp_all_ones()) as i32;
        let e = exp_field.max(1);
        2f64.powi(e - self.bias() - self.man_bits as i32)
    }

    /// The largest finite value.
    pub fn max(&self) -> f64 {
        self.decode(((self.exp_all_ones() - 1) << self.man_bits) | ((1 << self.man_bits) - 1))
    }

    pub fn min_normal(&self) -> f64 {
        2f64.powi(self.emin())
    }

    pub fn min_subnormal(&self) -> f64 {
        2f64.powi(self.emin() - self.man_bits as i32)
    }

    /// The gap between 1 and the next value: 2^−man_bits.
    pub fn epsilon(&self) -> f64 {
        2f64.powi(-(self.man_bits as i32))
    }

    /// The neighbouring value `steps` representable values away (positive:
    /// toward +inf), by walking bit patterns; NaN stays NaN.
    pub fn step(&self, x: f64, steps: i64) -> f64 {
        if x.is_nan() || steps == 0 {
            return self.round(x);
        }
        let width = self.bits();
        let sign_bit = 1u32 << (width - 1);
        // Order bit patterns as integers along the number line: negatives mirrored.
        let to_ordinal = |bits: u32| -> i64 {
            if bits & sign_bit != 0 {
                -i64::from(bits & !sign_bit)
            } else {
                i64::from(bits)
            }
        };
        let inf = i64::from(self.exp_all_ones() << self.man_bits);
        let ordinal = (to_ordinal(self.encode(x)) + steps).clamp(-inf, inf);
        let bits = if ordinal < 0 {
            sign_bit | (-ordinal) as u32
        } else {
            ordinal as u32
        };
        self.decode(bits)
    }

    /// The fields of a bit pattern as strings of 0 and 1: (sign, exponent, significand).
    pub fn fields(&self, bits: u32) -> (String, String, String) {
        let all = format!("{bits:0width$b}", width = self.bits() as usize);
        let (sign, rest) = all.split_at(1);
        let (exp, man) = rest.split_at(self.exp_bits as usize);
        (sign.to_string(), exp.to_string(), man.to_string())
    }

    /// `0x3c00`-style hex of a bit pattern, as wide as the format.
    pub fn hex(&self, bits: u32) -> String {
        format!("0x{bits:0width$x}", width = (self.bits() / 4) as usize)
    }
}

/// `value` shifted right by `drop` bits, rounded to nearest, ties to even.
fn round_half_even(value: u64, drop: i32) -> u64 {
    if drop <= 0 {
        return value << (-drop).min(63);
    }
    if drop > 64 {
        return 0;
    }
    let drop = drop as u32;
    let kept = if drop == 64 { 0 } else { value >> drop };
    let rest = if drop == 64 {
        value
    } else {
        value & ((1u64 << drop) - 1)
    };
    let half = 1u128 << (drop - 1);
    let rest = u128::from(rest);
    if rest > half || (rest == half && kept & 1 == 1) {
        kept + 1
    } else {
        kept
    }
}

/// FP16 by the common route: f64 → f32 (rounded) → f16 (rounded again), as
/// PyTorch's f64 → f16 cast and `half`'s F16C path do.
pub fn fp16_double_rounded(x: f64) -> u32 {
    u32::from(half::f16::from_f32(x as f32).to_bits())
}

/// BF16 by way of f32, as PyTorch's f64 → bf16 cast does.
pub fn bf16_double_rounded(x: f64) -> u32 {
    u32::from(half::bf16::from_f32(x as f32).to_bits())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp16(x: f64) -> f64 {
        FP16.round(x)
    }

    #[test]
    fn fp16_ties_go_to_even() {
        // Around 2048 FP16 values are 2 apart: 2049 is halfway between 2048
        // (even significand) and 2050; 2051 between 2050 and 2052 (even).
        assert_eq!(fp16(2049.0), 2048.0);
        assert_eq!(fp16(2051.0), 2052.0);
    }

    #[test]
    fn fp16_landmarks_and_overflow() {
        assert_eq!(fp16(0.1), 0.0999755859375);
        assert_eq!(FP16.max(), 65504.0);
        // 65520 is halfway between 65504 and 2^16 (not representable): ties to
        // the even side, which is the overflow side.
        assert_eq!(fp16(65519.99), 65504.0);
        assert_eq!(fp16(65520.0), f64::INFINITY);
        assert_eq!(FP16.min_normal(), 2f64.powi(-14));
        assert_eq!(FP16.min_subnormal(), 2f64.powi(-24));
        assert_eq!(FP16.epsilon(), 2f64.powi(-10));
    }

    #[test]
    fn fp16_underflow_rounds_half_the_smallest_subnormal_to_even() {
        let tiny = 2f64.powi(-25);
        assert_eq!(fp16(tiny), 0.0);
        let above = f64::from_bits(tiny.to_bits() + 1);
        assert_eq!(fp16(above), 2f64.powi(-24));
    }

    #[test]
    fn the_double_rounding_traps() {
        // 1 + 2^-11 + 2^-40: just above the midpoint of 1 and 1 + 2^-10.
        let x = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
        assert_eq!(FP16.encode(x), 0x3c01);
        assert_eq!(
            fp16_double_rounded(x),
            0x3c00,
            "through f32 it lands on the midpoint"
        );
        // 2047.4999999850988: just below the midpoint 2047.5 between 2047 and 2048.
        let y = 2047.4999999850988;
        assert_eq!(fp16(y), 2047.0);
        assert_eq!(FP16.decode(fp16_double_rounded(y)), 2048.0);
    }

    #[test]
    fn bf16_rounds_from_the_full_value() {
        let x = 1.0 + 2f64.powi(-8) + 2f64.powi(-40);
        assert_eq!(BF16.encode(x), 0x3f81);
        // A tie: 1 + 2^-8 is halfway between 1 (even) and 1 + 2^-7.
        assert_eq!(BF16.encode(1.0 + 2f64.powi(-8)), 0x3f80);
        assert_eq!(BF16.encode(1.0 + 3.0 * 2f64.powi(-8)), 0x3f82);
    }

    #[test]
    fn nan_zero_and_sign() {
        assert_eq!(FP16.class(FP16.encode(f64::NAN)), Class::Nan);
        assert!(FP16.round(f64::NAN).is_nan());
        assert_eq!(FP16.encode(-0.0), 0x8000);
        assert!(FP16.round(-0.0).is_sign_negative());
        assert_eq!(FP16.encode(f64::NEG_INFINITY), 0xfc00);
        assert_eq!(FP32.encode(1.0), 0x3f80_0000);
    }

    #[test]
    fn fp32_agrees_with_rusts_own_cast() {
        for x in [0.1, 1e-40, 3.4e38, 3.5e38, -7.25, 1e-46, 123_456_789.123] {
            assert_eq!(FP32.encode(x), (x as f32).to_bits(), "{x}");
        }
    }

    #[test]
    fn stepping_walks_neighbours() {
        assert_eq!(FP16.step(1.0, 1), 1.0 + 2f64.powi(-10));
        assert_eq!(FP16.step(1.0, -1), 1.0 - 2f64.powi(-11));
        assert_eq!(FP16.step(0.0, -1), -(2f64.powi(-24)));
        assert_eq!(FP16.step(65504.0, 1), f64::INFINITY);
    }
}
