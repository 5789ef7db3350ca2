//! What the score lesson teaches, checked at its defaults: plain Langevin
//! settles each particle in the mode it started near and so keeps the
//! start's shares, annealing recovers the target's weights; particles that
//! turn non-finite are counted and left out. Shares are recounted here by
//! nearest mean, not with the lesson's own counting.

use crate::dashboard::app_with;
use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lesson::ParamSet;
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons;
use learndeck::lessons::score::model::{Schedule, Settings, Smld};
use learndeck::sim::diffusion::target::Mixture;

/// The lesson's settings at its defaults under `schedule`.
fn defaults(schedule: Schedule) -> (Settings, usize) {
    let params: ParamSet = lessons::find("score").expect("score").defaults();
    let float = |key: &str| params.float(key).expect(key);
    let count = |key: &str| params.count(key).expect(key);
    let settings = Settings {
        sigma_max: float("sigma_max"),
        sigma_min: float("sigma_min"),
        levels: count("levels"),
        steps_per_level: count("steps_per_level"),
        epsilon: float("epsilon"),
        plain_epsilon: float("plain_epsilon"),
        denoise: params.flag("denoise").expect("denoise"),
        schedule,
    };
    (settings, count("particles"))
}

fn run(target: &Mixture, settings: Settings, particles: usize, seed: u64) -> Smld {
    let mut model = Smld::new(target.clone(), settings, particles, seed);
    while model.step() {}
    model
}

fn finite(p: &[f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

/// The share of all particles whose nearest mean is each component's, by
/// squared distance; non-finite particles belong to none.
fn shares(means: &[[f64; 2]], particles: &[[f64; 2]]) -> Vec<f64> {
    let mut counts = vec![0usize; means.len()];
    for p in particles.iter().filter(|p| finite(p)) {
        let d = |m: &[f64; 2]| (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2);
        let mut best = 0;
        for k in 1..means.len() {
            if d(&means[k]) < d(&means[best]) {
                best = k;
            }
        }
        counts[best] += 1;
    }
    counts
        .into_iter()
        .map(|c| c as f64 / particles.len() as f64)
        .collect()
}

fn max_error(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn at_the_defaults_plain_misses_the_weights_and_annealing_hits_them() {
    // The default target is the NCSN toy.
    let target = Mixture::two();
    for seed in [1, 2, 3] {
        let (annealed, n) = defaults(Schedule::Annealed);
        let (plain, _) = defaults(Schedule::Plain);
        let a = run(&target, annealed, n, seed);
        let p = run(&target, plain, n, seed);
        let (wa, wp) = (
            shares(&target.means, &a.particles),
            shares(&target.means, &p.particles),
        );
        assert!(max_error(&wa, &target.weights) <= 0.03, "annealed {wa:?}");
        assert!(max_error(&wp, &target.weights) >= 0.1, "plain {wp:?}");
        assert_eq!(a.diverged + p.diverged, 0);
    }
}

#[test]
fn plain_langevin_reaches_equilibrium_within_each_mode() {
    // Its failure is the weights, not a step too small to move: around each
    // mean the particles spread as N(μ_k, (τ² + σ_L²) I) does.
    let target = Mixture::two();
    let (plain, n) = defaults(Schedule::Plain);
    let model = run(&target, plain, n, 7);
    let variance = target.tau.powi(2) + plain.sigma_min.powi(2);
    for (k, m) in target.means.iter().enumerate() {
        let near: Vec<_> = model
            .particles
            .iter()
            .filter(|p| {
                let d = |m: &[f64; 2]| (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2);
                target.means.iter().all(|o| d(m) <= d(o))
            })
            .collect();
        let spread = near
            .iter()
            .map(|p| (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2))
            .sum::<f64>()
            / (2.0 * near.len() as f64);
        // ~1,000 particles per mode: the variance to about ±5 %; the step
        // adds about α/4 relative.
        assert!(
            (spread - variance).abs() < 0.15 * variance,
            "mode {k}: spread {spread}, want {variance}"
        );
    }
}

#[test]
fn diverged_particles_are_counted_reported_and_in_no_share() {
    // ε raised fiftyfold: the first levels' steps are far too large.
    let target = Mixture::two();
    let (mut settings, _) = defaults(Schedule::Annealed);
    settings.epsilon = 1e-3;
    let mut model = Smld::new(target.clone(), settings, 300, 4);
    let mut first = None;
    while model.step() {
        let bad = model.particles.iter().filter(|p| !finite(p)).count();
        assert_eq!(model.diverged, bad);
        if bad > 0 && first.is_none() {
            first = Some(model.steps);
        }
    }
    assert!(model.diverged > 0, "nothing diverged");
    assert_eq!(model.first_diverged, first);
    let own = learndeck::sim::diffusion::cloud::mode_weights(&target, &model.particles);
    let ours = shares(&target.means, &model.particles);
    assert!(max_error(&own, &ours) < 1e-12, "{own:?} vs {ours:?}");
    let finite_share = 1.0 - model.diverged as f64 / 300.0;
    assert!(own.iter().sum::<f64>() <= finite_share + 1e-12);

    // Raised as an event at that step, and shown with the step.
    let entry = lessons::find("score").expect("score");
    let mut params = entry.defaults();
    params.set_text("epsilon", "1e-3").expect("valid");
    params.set_text("particles", "300").expect("valid");
    let mut lesson = (entry.build)(&params, 4).expect("builds");
    let mut raised = Vec::new();
    let mut at = 0u64;
    while !lesson.is_finished() {
        lesson.step();
        at += 1;
        let mut out = Vec::new();
        lesson.events(&mut out);
        raised.extend(out.into_iter().filter(|e| e.kind == "diverged").map(|_| at));
    }
    assert_eq!(raised.first().copied(), first, "{raised:?}");

    let mut app = app_with(
        "score",
        Language::En,
        &[("epsilon", "1e-3"), ("particles", "300")],
    );
    app.advance(2_001);
    let screen = render_text(&mut app, 120, 36);
    assert!(
        screen.contains("particles diverged (first at step"),
        "{screen}"
    );
    assert!(!screen.contains("NaN"), "{screen}");
}

#[test]
fn pseudocode_follows_the_schedule() {
    let entry = lessons::find("score").expect("score");
    let code = |schedule: &str| {
        let mut params = entry.defaults();
        params.set_text("schedule", schedule).expect("valid");
        let lesson = (entry.build)(&params, 1).expect("builds");
        lesson.pseudocode(learndeck::i18n::Lang::En).join("\n")
    };
    let (annealed, plain) = (code("annealed"), code("plain"));
    assert!(annealed.contains("α_i = ε · σ_i² / σ_L²"), "{annealed}");
    assert!(!plain.contains("α_i = ε"), "{plain}");
    assert!(plain.contains("α = ε_plain"), "{plain}");
}

#[test]
fn preset_targets_show_their_own_means_weights_and_tau() {
    let mut app = app_with("score", Language::En, &[]);
    let screen = render_text(&mut app, 120, 36);
    assert!(screen.contains("weights 0.8 0.2"), "{screen}");
    assert!(screen.contains("τ 1"), "{screen}");
    // The parameter panel marks the custom-only values unused.
    let means_unused = |screen: &str| {
        screen
            .lines()
            .any(|l| l.contains("│ means ") && l.contains(" unused"))
    };
    assert!(means_unused(&screen), "{screen}");
    let mut app = app_with("score", Language::En, &[("target", "custom")]);
    let screen = render_text(&mut app, 120, 36);
    assert!(screen.contains("weights 0.5 0.5"), "{screen}");
    assert!(!means_unused(&screen), "{screen}");
}

#[test]
fn questions_match_the_closed_forms_and_a_separate_run() {
    use learndeck::lesson::Answer;
    let entry = lessons::find("score").expect("score");
    let mut params = entry.defaults();
    params.set_text("particles", "300").expect("valid");
    let (settings, _) = defaults(Schedule::Annealed);
    let mut lesson = (entry.build)(&params, 5).expect("builds");
    // Into level 4 (0-based 3): the level the next step runs at.
    for _ in 0..(3 * settings.steps_per_level + 7) {
        lesson.step();
    }
    let i = 4.0;
    let (max, min, l) = (
        settings.sigma_max,
        settings.sigma_min,
        settings.levels as f64,
    );
    let sigma_i = max * (min / max).powf((i - 1.0) / (l - 1.0));
    let alpha_i = settings.epsilon * sigma_i * sigma_i / (min * min);
    let mut seen = Vec::new();
    for pick in 0..3 {
        let q = lesson.question(pick).expect("a question");
        seen.push(q.kind);
        match (q.kind, &q.answer) {
            ("sigma", Answer::Number { value, .. }) => {
                assert!(
                    (value - sigma_i).abs() < 1e-9 * sigma_i,
                    "{value} vs {sigma_i}"
                );
                assert_eq!(q.context["i"].as_integer(), Some(4));
                assert!(q.check(&format!("{sigma_i}")).expect("a number"));
            }
            ("step-size", Answer::Number { value, .. }) => {
                assert!(
                    (value - alpha_i).abs() < 1e-9 * alpha_i,
                    "{value} vs {alpha_i}"
                );
                assert_eq!(q.context["epsilon"].as_float(), Some(settings.epsilon));
            }
            ("mode-share", Answer::Choice { correct, .. }) => {
                // The same run, stepped separately to the end and recounted.
                let mut model = Smld::new(Mixture::two(), settings, 300, 5);
                while model.step() {}
                let shares = shares(&Mixture::two().means, &model.particles);
                let best = if shares[0] >= shares[1] { 0 } else { 1 };
                assert_eq!(*correct, best, "{shares:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, ["mode-share", "sigma", "step-size"]);
}
