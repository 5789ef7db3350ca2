//! What the SDE lesson teaches at its defaults, each claim checked against a
//! computation written here: the VP marginal's variance moves from the data's
//! variance to 1 (it stays 1 only for data of variance 1), and the VE + ODE
//! end misses the target weights because its prior is not p_1.

use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::sde::model::{Direction, Process, Sampler, SdeRun};
use learndeck::sim::diffusion::cloud::{mode_weights, moments};
use learndeck::sim::diffusion::random::{for_each_block, normal2};
use learndeck::sim::diffusion::sde::Sde;
use learndeck::sim::diffusion::target::Mixture;
use proptest::prelude::*;

/// The lesson's defaults (beta_min, beta_max, sigma_min, sigma_max, n_steps, particles).
const BETA_MIN: f64 = 0.1;
const BETA_MAX: f64 = 20.0;
const SIGMA_MIN: f64 = 0.01;
const SIGMA_MAX: f64 = 20.0;
const N_STEPS: u64 = 500;
const PARTICLES: usize = 2000;
const SNR: f64 = 0.16;

/// ∫₀ᵗ β(u) du by the trapezoid rule on many panels (β is linear, so this is
/// exact up to rounding, but it is computed, not copied from the closed form).
fn integral_of_beta(beta_min: f64, beta_max: f64, t: f64) -> f64 {
    const PANELS: u32 = 1000;
    let beta = |u: f64| beta_min + u * (beta_max - beta_min);
    let h = t / f64::from(PANELS);
    (0..PANELS)
        .map(|i| {
            let (a, b) = (f64::from(i) * h, f64::from(i + 1) * h);
            0.5 * h * (beta(a) + beta(b))
        })
        .sum()
}

/// VP's marginal variance for data of variance `data_var`, from the
/// variance ODE dV/dt = −β V + β (the drift −½βx halves… squares to −βV, the
/// noise adds β), solved: V = σ_d²·e^{−∫β} + 1 − e^{−∫β}.
fn vp_variance(beta_min: f64, beta_max: f64, t: f64, data_var: f64) -> f64 {
    let decay = (-integral_of_beta(beta_min, beta_max, t)).exp();
    data_var * decay + 1.0 - decay
}

/// The same variance by integrating dV/dt = β(1 − V) with small Euler steps:
/// an independent check of the solved form above.
fn vp_variance_by_steps(beta_min: f64, beta_max: f64, t: f64, data_var: f64) -> f64 {
    const STEPS: u32 = 200_000;
    let dt = t / f64::from(STEPS);
    let mut v = data_var;
    for i in 0..STEPS {
        let u = (f64::from(i) + 0.5) * dt;
        let beta = beta_min + u * (beta_max - beta_min);
        v += beta * (1.0 - v) * dt;
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn vp_kernel_gives_the_variance_the_text_states(
        beta_min in 0.001f64..5.0,
        spread in 0.0f64..45.0,
        t in 0.0f64..1.0,
        data_std in 0.1f64..10.0,
    ) {
        let beta_max = beta_min + spread;
        let sde = Sde::Vp { beta_min, beta_max };
        let (m, s) = sde.kernel(t);
        let data_var = data_std * data_std;
        let lesson = m * m * data_var + s * s;
        let solved = vp_variance(beta_min, beta_max, t, data_var);
        let stepped = vp_variance_by_steps(beta_min, beta_max, t, data_var);
        prop_assert!((lesson - solved).abs() <= 1e-9 * solved.max(1.0), "{lesson} vs {solved}");
        prop_assert!((solved - stepped).abs() <= 1e-3 * solved.max(1.0), "{solved} vs {stepped}");
    }
}

#[test]
fn vp_preserves_a_variance_of_one_only() {
    let sde = Sde::Vp {
        beta_min: BETA_MIN,
        beta_max: BETA_MAX,
    };
    for i in 0..=10 {
        let t = f64::from(i) / 10.0;
        let (m, s) = sde.kernel(t);
        // Data of variance 1 keeps it at every t.
        assert!((m * m + s * s - 1.0).abs() < 1e-12, "t {t}");
    }
    // The default data (variance 17) does not: it falls to 1 by t = 1.
    let (_, var) = Mixture::two().moments();
    assert!((var[0] - 17.0).abs() < 1e-9, "two's variance {var:?}");
    let end = vp_variance(BETA_MIN, BETA_MAX, 1.0, var[0]);
    assert!((end - 1.0).abs() < 1e-3, "end variance {end}");
}

/// The text: at the defaults the forward VP spread falls from about 4 to 1.
#[test]
fn vp_forward_spread_falls_from_about_four_to_one() {
    let process = Process {
        sde: Sde::Vp {
            beta_min: BETA_MIN,
            beta_max: BETA_MAX,
        },
        sampler: Sampler::Em,
        direction: Direction::Forward,
        snr: SNR,
        n_steps: N_STEPS,
    };
    let mut run = SdeRun::new(Mixture::two(), process, PARTICLES, 1);
    let (_, start) = moments(&run.particles);
    let first = start[0][0].sqrt();
    assert!((first - 17f64.sqrt()).abs() < 0.2, "start std {first}");
    while run.step() {}
    let (_, end) = moments(&run.particles);
    for (d, row) in end.iter().enumerate() {
        let last = row[d].sqrt();
        assert!((last - 1.0).abs() < 0.06, "end std {last}");
    }
}

fn ve_ode() -> Process {
    Process {
        sde: Sde::Ve {
            sigma_min: SIGMA_MIN,
            sigma_max: SIGMA_MAX,
        },
        sampler: Sampler::Ode,
        direction: Direction::Reverse,
        snr: SNR,
        n_steps: N_STEPS,
    }
}

/// The text: VE + ode ends near 0.75 / 0.25 from the N(0, σmax²) prior, and
/// the cause is the prior: started from exact samples of p_1 (data plus
/// σ(1)·z), the same ODE lands on the target's 0.8 / 0.2.
#[test]
fn ve_ode_misses_the_weights_because_of_its_prior() {
    const SEEDS: u64 = 3;
    let target = Mixture::two();
    for seed in 1..=SEEDS {
        let from_prior = {
            let mut run = SdeRun::new(target.clone(), ve_ode(), PARTICLES, seed);
            while run.step() {}
            mode_weights(&target, &run.particles)[0]
        };
        assert!(
            (from_prior - 0.75).abs() < 0.03,
            "seed {seed}: {from_prior}"
        );
        let mut start = vec![[0.0; 2]; PARTICLES];
        let sigma_one = SIGMA_MAX;
        let data = &target;
        for_each_block(&mut start, seed, |block, random| {
            for x in block {
                let x0 = data.sample(&mut random.scalar);
                let z = normal2(&mut random.scalar);
                *x = [x0[0] + sigma_one * z[0], x0[1] + sigma_one * z[1]];
            }
        });
        let mut run = SdeRun::from_particles(target.clone(), ve_ode(), start, seed);
        while run.step() {}
        let from_p1 = mode_weights(&target, &run.particles)[0];
        assert!((from_p1 - 0.8).abs() < 0.025, "seed {seed}: {from_p1}");
    }
}

/// Every event of a default run with `settings`, with its sampling step.
fn sde_events(settings: &[(&str, &str)]) -> Vec<(u64, learndeck::lesson::Event)> {
    let entry = learndeck::lessons::find("sde").expect("sde");
    let mut params = entry.defaults();
    for (key, value) in settings {
        params.set_text(key, value).expect("a valid setting");
    }
    let mut lesson = (entry.build)(&params, 1).expect("builds");
    let mut raised = Vec::new();
    let mut step = 0;
    while lesson.step() {
        step += 1;
        let mut out = Vec::new();
        lesson.events(&mut out);
        raised.extend(out.into_iter().map(|event| (step, event)));
    }
    raised
}

/// The turn: forward noising ends at its last step (t = 1), reverse
/// generation begins at its first; a finite run raises no `diverged`.
#[test]
fn the_turn_marks_where_taking_apart_ends_and_building_begins() {
    let turns = |events: &[(u64, learndeck::lesson::Event)]| -> Vec<u64> {
        events
            .iter()
            .filter(|(_, event)| event.kind == "turn")
            .map(|(step, _)| *step)
            .collect()
    };
    let forward = sde_events(&[("direction", "forward"), ("n_steps", "100")]);
    assert_eq!(turns(&forward), vec![100]);
    let reverse = sde_events(&[("n_steps", "100")]);
    assert_eq!(turns(&reverse), vec![1]);
    assert!(
        forward
            .iter()
            .chain(&reverse)
            .all(|(_, e)| e.kind != "diverged"),
        "{forward:?} {reverse:?}"
    );
}

/// A particle that is not finite is counted once it appears, so the
/// `diverged` event can fire on that step.
#[test]
fn a_non_finite_particle_is_counted_as_diverged() {
    let process = Process {
        sde: Sde::Vp {
            beta_min: BETA_MIN,
            beta_max: BETA_MAX,
        },
        sampler: Sampler::Em,
        direction: Direction::Reverse,
        snr: SNR,
        n_steps: N_STEPS,
    };
    let start = vec![[0.5, -0.5], [f64::NAN, 0.0], [1.0, 1.0]];
    let mut run = SdeRun::from_particles(Mixture::two(), process, start, 1);
    assert!(run.step());
    assert_eq!((run.diverged_before, run.diverged), (0, 1));
    assert!(run.step());
    assert_eq!((run.diverged_before, run.diverged), (1, 1));
}

/// ∫₀ᵗ β for the linear schedule, by the trapezoid rule (computed here).
fn beta_integral(context: &toml::Table, t: f64) -> f64 {
    let (lo, hi) = (number(context, "beta_min"), number(context, "beta_max"));
    integral_of_beta(lo, hi, t)
}

fn number(context: &toml::Table, key: &str) -> f64 {
    context[key].as_float().expect("a number")
}

/// The std of p_t per axis from the context alone, by the textbook forms.
fn marginal_std_by_hand(context: &toml::Table) -> f64 {
    let t = number(context, "t");
    let data_var = number(context, "data_std").powi(2);
    match context["sde"].as_str().expect("sde") {
        "ve" => {
            let (lo, hi) = (number(context, "sigma_min"), number(context, "sigma_max"));
            let sigma = lo * (hi / lo).powf(t);
            (data_var + sigma * sigma).sqrt()
        }
        "vp" => vp_variance(
            number(context, "beta_min"),
            number(context, "beta_max"),
            t,
            data_var,
        )
        .sqrt(),
        "subvp" => {
            let m2 = (-beta_integral(context, t)).exp();
            (m2 * data_var + (1.0 - m2).powi(2)).sqrt()
        }
        other => panic!("unknown sde {other}"),
    }
}

fn drift_by_hand(context: &toml::Table) -> f64 {
    let t = number(context, "t");
    let x = number(context, "x");
    match context["sde"].as_str().expect("sde") {
        "ve" => 0.0,
        _ => {
            let (lo, hi) = (number(context, "beta_min"), number(context, "beta_max"));
            -0.5 * (lo + t * (hi - lo)) * x
        }
    }
}

/// Both question kinds, for each SDE at several times, against the forms
/// worked from the question's own context.
#[test]
fn marginal_std_and_drift_answers_match_the_hand_forms() {
    let entry = learndeck::lessons::find("sde").expect("sde");
    for sde in ["vp", "ve", "subvp"] {
        for direction in ["forward", "reverse"] {
            let mut params = entry.defaults();
            params.set_text("sde", sde).expect("sde");
            params.set_text("direction", direction).expect("direction");
            params.set_text("n_steps", "40").expect("n_steps");
            let mut lesson = (entry.build)(&params, 3).expect("builds");
            for step in 0..=40 {
                if step % 10 == 0 {
                    let std_q = lesson.question(0).expect("a marginal-std question");
                    assert_eq!(std_q.kind, "marginal-std");
                    let want = marginal_std_by_hand(&std_q.context);
                    check_number(&std_q, want);
                    let drift_q = lesson.question(1).expect("a drift question");
                    assert_eq!(drift_q.kind, "drift");
                    check_number(&drift_q, drift_by_hand(&drift_q.context));
                }
                lesson.step();
            }
        }
    }
}

fn check_number(question: &learndeck::lesson::Question, want: f64) {
    match question.answer {
        learndeck::lesson::Answer::Number { value, .. } => {
            assert!(
                (value - want).abs() <= 1e-6 * want.abs().max(1.0),
                "{} {value} vs {want}",
                question.kind
            );
        }
        ref other => panic!("{other:?}"),
    }
    assert!(
        matches!(question.check(&format!("{want}")), Ok(true)),
        "{}",
        question.kind
    );
}
