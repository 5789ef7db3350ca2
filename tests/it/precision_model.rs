//! Correct rounding against exact neighbour distances, GradScaler's rules,
//! and the lesson's claim about loss scaling.

use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::precision::formats::{BF16, FP16, Format};
use learndeck::lessons::precision::training::{Mode, Regime, Scaler, Training};
use proptest::prelude::*;

/// The two representable values around finite `x` (equal when x is one), by
/// walking bit patterns from the encoded result.
fn check_nearest(format: &Format, x: f64) -> Result<(), TestCaseError> {
    let bits = format.encode(x);
    let got = format.decode(bits);
    if got.is_infinite() {
        // Overflow: x is at least halfway past the largest finite value.
        let max = format.max();
        let next_power = 2f64.powi(format.bias() + 1);
        let halfway = max + (next_power - max) / 2.0;
        prop_assert!(x.abs() >= halfway, "{x} overflowed");
        return Ok(());
    }
    let below = format.step(got, -1);
    let above = format.step(got, 1);
    // Differences of nearby binary values are exact in f64 here (all formats
    // are much narrower than f64), so the comparisons below are exact.
    let d = (x - got).abs();
    for other in [below, above] {
        if other.is_finite() {
            let d_other = (x - other).abs();
            prop_assert!(d <= d_other, "{x}: {got} is farther than {other}");
            if d == d_other && d > 0.0 {
                // A tie: the chosen one has an even last bit.
                prop_assert_eq!(bits & 1, 0, "{} tie went to an odd value", x);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn fp16_is_the_nearest_value_ties_to_even(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        prop_assume!(x.is_finite());
        // Bring most inputs into FP16's interesting range, keeping all bits random.
        let x = x % 131072.0;
        check_nearest(&FP16, x)?;
    }

    #[test]
    fn fp16_near_ties_round_correctly(k in 0u32..2048, e in -24i32..15, tiny in -3i64..=3) {
        // Exactly halfway between neighbours, and a few f64 ulps either side.
        let unit = 2f64.powi(e.max(-14) - 10);
        let mid = (f64::from(k) + 0.5) * unit + 2f64.powi(e);
        let x = f64::from_bits((mid.to_bits() as i64 + tiny) as u64);
        check_nearest(&FP16, x)?;
    }

    #[test]
    fn bf16_is_the_nearest_value(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        prop_assume!(x.is_finite());
        check_nearest(&BF16, x % 1e38)?;
    }

    #[test]
    fn the_scaler_follows_gradscalers_rules(
        pattern in prop::collection::vec(prop::bool::weighted(0.1), 1..400),
        interval in 1u32..50,
    ) {
        let mut scaler = Scaler {
            scale: 65536.0,
            growth_factor: 2.0,
            backoff_factor: 0.5,
            growth_interval: interval,
            good_steps: 0,
        };
        // The scale is an f32, as GradScaler's is, with no upper cap: it may overflow to inf.
        let mut expected_scale = 65536f32;
        let mut run = 0u32;
        for found_inf in pattern {
            let took = scaler.update(found_inf);
            prop_assert_eq!(took, !found_inf);
            if found_inf {
                expected_scale *= 0.5;
                run = 0;
            } else {
                run += 1;
                if run == interval {
                    expected_scale *= 2.0;
                    run = 0;
                }
            }
            prop_assert_eq!(scaler.scale, expected_scale);
            prop_assert_eq!(scaler.good_steps, run);
        }
    }
}

fn setup(grad_scale: f32) -> Regime {
    Regime {
        grad_scale,
        lr: 0.1,
        init_scale: 65536.0,
        growth_factor: 2.0,
        backoff_factor: 0.5,
        growth_interval: 2000,
    }
}

#[test]
fn skipped_steps_leave_the_master_weights_untouched() {
    // A scale so large that the scaled fp16 gradients overflow at once.
    let mut s = setup(1.0);
    s.init_scale = 16_777_216.0;
    let mut t = Training::new(s, &[Mode::Amp], 5);
    let before = t.runs[0].weights;
    t.step();
    let run = &t.runs[0];
    assert!(run.found_inf && run.skipped_last);
    assert_eq!(run.weights, before);
    assert_eq!(run.scaler.map(|s| s.scale), Some(8_388_608.0));
}

#[test]
fn loss_scaling_rescues_training_in_the_underflow_zone() {
    // Gradients around 1e-8 and below: FP16's flush-to-zero range.
    let mut t = Training::new(setup(1e-7), &[Mode::Fp32, Mode::Fp16Master, Mode::Amp], 11);
    let start = t.mse(&t.runs[1].weights);
    for _ in 0..300 {
        t.step();
    }
    let (fp32, master, amp) = (
        t.mse(&t.runs[0].weights),
        t.mse(&t.runs[1].weights),
        t.mse(&t.runs[2].weights),
    );
    // fp16_master stalls: most of its gradient terms flush to zero...
    assert!(
        t.runs[1].underflow_frac > 0.9,
        "{}",
        t.runs[1].underflow_frac
    );
    assert!(master > 10.0 * fp32, "fp16_master {master} vs fp32 {fp32}");
    // ...while amp gets within 10% of the fp32 loss on the same data and seed.
    assert!(amp < 1.1 * fp32, "amp {amp} vs fp32 {fp32}");
    assert!(
        fp32 < start / 100.0,
        "the reference itself learned: {start} → {fp32}"
    );
}
