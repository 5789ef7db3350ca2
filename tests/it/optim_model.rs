//! The optimizer updates against hand-derived steps and identities.

use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::optim::model::{Hyper, Kind, Optimizers};
use learndeck::lessons::optim::surface::Surface;
use proptest::prelude::*;

/// A bowl ½(x² + 4y²): gradient (x, 4y), easy to follow by hand.
const BOWL: Surface = Surface::Bowl {
    condition: 4.0,
    center: [0.0, 0.0],
};
const START: [f64; 2] = [1.0, 1.0];
const HYPER: Hyper = Hyper {
    lr: 0.1,
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.1,
    amsgrad: false,
};

fn run(kind: Kind, hyper: Hyper, surface: Surface, steps: usize) -> Vec<[f64; 2]> {
    let mut model = Optimizers::new(surface, hyper, 0.0, &[kind], START, 7);
    (0..steps)
        .map(|_| {
            model.step();
            model.runs[0].theta
        })
        .collect()
}

fn assert_close(got: [f64; 2], want: [f64; 2], what: &str) {
    for c in 0..2 {
        let tolerance = 1e-12 * want[c].abs().max(1.0);
        assert!(
            (got[c] - want[c]).abs() <= tolerance,
            "{what}: coordinate {c} is {} but the hand derivation gives {}",
            got[c],
            want[c]
        );
    }
}

#[test]
fn sgd_first_three_steps_by_hand() {
    // g = (x, 4y) + 0.1·θ; θ ← θ − 0.1·g, so x shrinks by 0.89 and y by 0.59 each step.
    let want = [[0.89, 0.59], [0.7921, 0.3481], [0.704969, 0.205379]];
    for (got, want) in run(Kind::Sgd, HYPER, BOWL, 3).into_iter().zip(want) {
        assert_close(got, want, "sgd");
    }
}

#[test]
// 0.6931 below is θ2's x by hand, not an approximation of ln 2.
#[allow(clippy::approx_constant)]
fn momentum_first_three_steps_by_hand() {
    // b1 = g1 = (1.1, 4.1)            θ1 = (0.89, 0.59)
    // g2 = (0.979, 2.419); b2 = 0.9·b1 + g2 = (1.969, 6.109)    θ2 = (0.6931, −0.0209)
    // g3 = (0.76241, −0.08569); b3 = 0.9·b2 + g3 = (2.53451, 5.41241)
    //                                                          θ3 = (0.439649, −0.562141)
    let want = [[0.89, 0.59], [0.6931, -0.0209], [0.439649, -0.562141]];
    for (got, want) in run(Kind::Momentum, HYPER, BOWL, 3).into_iter().zip(want) {
        assert_close(got, want, "momentum");
    }
}

/// Three Adam or AdamW steps on the bowl, written out line by line from the
/// update rules (not through the model's code).
fn adam_by_hand(decoupled: bool) -> Vec<[f64; 2]> {
    adam_by_hand_with(HYPER, decoupled)
}

fn adam_by_hand_with(hyper: Hyper, decoupled: bool) -> Vec<[f64; 2]> {
    let Hyper {
        lr,
        beta1,
        beta2,
        eps,
        weight_decay: wd,
        amsgrad,
        ..
    } = hyper;
    let (mut vx_max, mut vy_max) = (0.0f64, 0.0f64);
    let mut out = Vec::new();
    let (mut x, mut y) = (START[0], START[1]);
    let (mut mx, mut my, mut vx, mut vy) = (0.0, 0.0, 0.0, 0.0);
    for t in 1..=3 {
        let (mut gx, mut gy) = (x, 4.0 * y);
        if decoupled {
            x *= 1.0 - lr * wd;
            y *= 1.0 - lr * wd;
        } else {
            gx += wd * x;
            gy += wd * y;
        }
        mx = beta1 * mx + (1.0 - beta1) * gx;
        my = beta1 * my + (1.0 - beta1) * gy;
        vx = beta2 * vx + (1.0 - beta2) * gx * gx;
        vy = beta2 * vy + (1.0 - beta2) * gy * gy;
        let c1 = 1.0 - beta1.powf(f64::from(t));
        let c2 = 1.0 - beta2.powf(f64::from(t));
        vx_max = vx_max.max(vx);
        vy_max = vy_max.max(vy);
        let (dx, dy) = if amsgrad { (vx_max, vy_max) } else { (vx, vy) };
        x -= lr * (mx / c1) / ((dx / c2).sqrt() + eps);
        y -= lr * (my / c1) / ((dy / c2).sqrt() + eps);
        out.push([x, y]);
    }
    out
}

#[test]
fn adam_first_three_steps_by_hand() {
    let got = run(Kind::Adam, HYPER, BOWL, 3);
    for (got, want) in got.into_iter().zip(adam_by_hand(false)) {
        assert_close(got, want, "adam");
    }
    // The first Adam step moves each coordinate by lr (m̂/√v̂ = ±1), to within ε.
    let first = run(Kind::Adam, HYPER, BOWL, 1)[0];
    assert_close(
        first.map(|c| (c * 1e6).round() / 1e6),
        [0.9, 0.9],
        "adam step 1",
    );
}

#[test]
fn adamw_first_three_steps_by_hand() {
    let got = run(Kind::AdamW, HYPER, BOWL, 3);
    for (got, want) in got.into_iter().zip(adam_by_hand(true)) {
        assert_close(got, want, "adamw");
    }
    // Step 1: θ·(1 − 0.01) − 0.1 = 0.89 per coordinate, to within ε.
    let first = run(Kind::AdamW, HYPER, BOWL, 1)[0];
    assert_close(
        first.map(|c| (c * 1e6).round() / 1e6),
        [0.89, 0.89],
        "adamw step 1",
    );
}

#[test]
fn amsgrad_divides_by_the_largest_second_moment() {
    // With β2 = 0.5 and a shrinking gradient, v falls after step 1, so v_max
    // and v part ways at once and the two denominators differ.
    let hyper = Hyper {
        amsgrad: true,
        beta2: 0.5,
        ..HYPER
    };
    for (kind, decoupled) in [(Kind::Adam, false), (Kind::AdamW, true)] {
        let got = run(kind, hyper, BOWL, 3);
        let want = adam_by_hand_with(hyper, decoupled);
        for (got, want) in got.into_iter().zip(want) {
            assert_close(got, want, "amsgrad");
        }
        let plain = run(
            kind,
            Hyper {
                amsgrad: false,
                ..hyper
            },
            BOWL,
            3,
        );
        assert_ne!(
            plain[2],
            run(kind, hyper, BOWL, 3)[2],
            "AMSGrad must change the path"
        );
    }
}

#[test]
fn without_decay_adam_and_adamw_are_identical_bit_for_bit() {
    let hyper = Hyper {
        weight_decay: 0.0,
        ..HYPER
    };
    for surface in [
        Surface::Rosenbrock,
        Surface::Himmelblau,
        Surface::Saddle,
        BOWL,
    ] {
        let adam = run(Kind::Adam, hyper, surface, 500);
        let adamw = run(Kind::AdamW, hyper, surface, 500);
        for (a, w) in adam.iter().zip(&adamw) {
            assert_eq!(a[0].to_bits(), w[0].to_bits());
            assert_eq!(a[1].to_bits(), w[1].to_bits());
        }
    }
}

#[test]
fn for_sgd_l2_and_decoupled_decay_coincide() {
    // The model's SGD folds decay into the gradient: θ − lr·(g + wd·θ).
    // Run the decoupled form θ·(1 − lr·wd) − lr·g beside it.
    let hyper = Hyper {
        lr: 0.002,
        weight_decay: 0.5,
        ..HYPER
    };
    let surface = Surface::Rosenbrock;
    let l2 = run(Kind::Sgd, hyper, surface, 300);
    let mut theta = START;
    for (step, got) in l2.iter().enumerate() {
        let g = surface.gradient(theta);
        theta = [
            theta[0] * (1.0 - hyper.lr * hyper.weight_decay) - hyper.lr * g[0],
            theta[1] * (1.0 - hyper.lr * hyper.weight_decay) - hyper.lr * g[1],
        ];
        for c in 0..2 {
            assert!(
                (got[c] - theta[c]).abs() <= 1e-9 * theta[c].abs().max(1.0),
                "step {step}: {got:?} vs {theta:?}"
            );
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_noisy_run() {
    let noisy = |seed| {
        let mut model = Optimizers::new(BOWL, HYPER, 0.5, &[Kind::Adam, Kind::Sgd], START, seed);
        for _ in 0..100 {
            model.step();
        }
        model.runs.iter().map(|r| r.theta).collect::<Vec<_>>()
    };
    assert_eq!(noisy(3), noisy(3));
    assert_ne!(noisy(3), noisy(4));
}

fn any_surface() -> impl Strategy<Value = Surface> {
    prop_oneof![
        Just(Surface::Rosenbrock),
        Just(Surface::Himmelblau),
        Just(Surface::Saddle),
        (1.0f64..1000.0, -3.0f64..3.0, -3.0f64..3.0).prop_map(|(condition, a, b)| Surface::Bowl {
            condition,
            center: [a, b]
        }),
    ]
}

proptest! {
    #[test]
    fn gradients_match_central_differences(surface in any_surface(), x in -5.0f64..5.0, y in -5.0f64..5.0) {
        const H: f64 = 1e-5;
        let g = surface.gradient([x, y]);
        let dx = (surface.value([x + H, y]) - surface.value([x - H, y])) / (2.0 * H);
        let dy = (surface.value([x, y + H]) - surface.value([x, y - H])) / (2.0 * H);
        // Central differences err by O(h²·f''') plus rounding of f/h.
        let scale = 1.0 + surface.value([x, y]).abs();
        prop_assert!((g[0] - dx).abs() <= 1e-5 * scale, "x: {} vs {}", g[0], dx);
        prop_assert!((g[1] - dy).abs() <= 1e-5 * scale, "y: {} vs {}", g[1], dy);
    }
}
