//! What the optim lesson teaches, checked at its defaults and against a
//! reference written here: torch.optim's Adam (weight decay folded into the
//! gradient) and AdamW (θ shrunk by lr·wd first), step by step, from the
//! documented update rules rather than the lesson's code.

use crate::dashboard::app_with;
use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lesson::timeline::Replayable;
use learndeck::lesson::{Answer, ParamSet, Question};
use learndeck::lessons;
use learndeck::lessons::optim::model::{Hyper, Kind, Optimizers};
use learndeck::lessons::optim::questions::{LOOKAHEAD, RELATIVE_TOLERANCE};
use learndeck::lessons::optim::surface::Surface;
use proptest::prelude::*;

/// The lesson's defaults, as the reference needs them (read from the entry,
/// so a change of defaults is followed; the claims below are what must hold).
struct Defaults {
    kappa: f64,
    center: [f64; 2],
    start: [f64; 2],
    hyper: Hyper,
    steps: u64,
}

fn defaults() -> Defaults {
    let params: ParamSet = lessons::find("optim").expect("optim").defaults();
    let float = |key: &str| params.float(key).expect(key);
    let center = params.float_list("center").expect("center");
    Defaults {
        kappa: float("condition"),
        center: [center[0], center[1]],
        start: [float("start_x"), float("start_y")],
        hyper: Hyper {
            lr: float("lr"),
            momentum: float("momentum"),
            beta1: float("beta1"),
            beta2: float("beta2"),
            eps: float("eps"),
            weight_decay: float("weight_decay"),
            amsgrad: false,
        },
        steps: params.count("steps").expect("steps") as u64,
    }
}

/// One coordinate's state in the reference: θ, m, v.
#[derive(Clone, Copy, Debug)]
struct Reference {
    theta: [f64; 2],
    m: [f64; 2],
    v: [f64; 2],
    t: u64,
    /// θ before the last step, and the decay that step gave each coordinate.
    previous: [f64; 2],
    decay: [f64; 2],
}

/// torch.optim.Adam / AdamW, one step with gradient `grad` of the loss at θ:
/// Adam adds wd·θ to the gradient, AdamW multiplies θ by 1 − lr·wd first.
fn torch_step(state: &mut Reference, grad: [f64; 2], hyper: &Hyper, decoupled: bool) {
    let Hyper {
        lr,
        beta1,
        beta2,
        eps,
        weight_decay: wd,
        ..
    } = *hyper;
    state.t += 1;
    let t = state.t as i32;
    state.previous = state.theta;
    for (c, &loss_grad) in grad.iter().enumerate() {
        let mut g = loss_grad;
        let mut theta = state.theta[c];
        if decoupled {
            theta *= 1.0 - lr * wd;
        } else {
            g += wd * theta;
        }
        state.m[c] = beta1 * state.m[c] + (1.0 - beta1) * g;
        state.v[c] = beta2 * state.v[c] + (1.0 - beta2) * g * g;
        let m_hat = state.m[c] / (1.0 - beta1.powi(t));
        let v_hat = state.v[c] / (1.0 - beta2.powi(t));
        let denominator = v_hat.sqrt() + eps;
        // The decay this coordinate receives: Adam's wd·θ goes through the
        // same division as the gradient; AdamW's is lr·wd·θ as it stands.
        state.decay[c] = if decoupled {
            lr * wd * state.previous[c]
        } else {
            lr * wd * state.previous[c] / denominator
        };
        state.theta[c] = theta - lr * m_hat / denominator;
    }
}

fn bowl_gradient(kappa: f64, center: [f64; 2], p: [f64; 2]) -> [f64; 2] {
    [p[0] - center[0], kappa * (p[1] - center[1])]
}

fn bowl_value(kappa: f64, center: [f64; 2], p: [f64; 2]) -> f64 {
    0.5 * ((p[0] - center[0]).powi(2) + kappa * (p[1] - center[1]).powi(2))
}

fn close(got: f64, want: f64, relative: f64) -> bool {
    (got - want).abs() <= relative * want.abs().max(1e-300)
}

/// The reference run of `decoupled` (AdamW) or not (Adam) for `steps` steps.
fn reference_run(d: &Defaults, decoupled: bool, steps: u64) -> Vec<Reference> {
    let mut state = Reference {
        theta: d.start,
        m: [0.0; 2],
        v: [0.0; 2],
        t: 0,
        previous: d.start,
        decay: [0.0; 2],
    };
    (0..steps)
        .map(|_| {
            let grad = bowl_gradient(d.kappa, d.center, state.theta);
            torch_step(&mut state, grad, &d.hyper, decoupled);
            state
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The decay row against its hand formula, on random bowls and settings:
    /// Adam lr·wd·θ/(√v̂+ε), AdamW lr·wd·θ, θ being where the step started.
    #[test]
    fn decay_row_matches_the_hand_formula(
        kappa in 1.0f64..100.0,
        a in -3.0f64..3.0,
        b in -3.0f64..3.0,
        lr in 1e-3f64..0.3,
        wd in 0.0f64..1.0,
        steps in 1u64..200,
    ) {
        let d = Defaults {
            kappa,
            center: [a, b],
            start: [-2.0, 1.5],
            hyper: Hyper { lr, weight_decay: wd, ..defaults().hyper },
            steps,
        };
        let surface = Surface::Bowl { condition: kappa, center: [a, b] };
        let mut model = Optimizers::new(surface, d.hyper, 0.0, &[Kind::Adam, Kind::AdamW], d.start, 1);
        for _ in 0..steps {
            model.step();
        }
        for (at, decoupled) in [(0, false), (1, true)] {
            let want = *reference_run(&d, decoupled, steps).last().expect("a step");
            let run = &model.runs[at];
            let got = run.decay(&model.hyper);
            for c in 0..2 {
                // The model multiplies β^t up step by step where the hand
                // formula calls powi: last bits may differ.
                prop_assert!(close(run.theta[c], want.theta[c], 1e-9), "θ {:?} vs {:?}", run.theta, want.theta);
                prop_assert!(close(got[c], want.decay[c], 1e-9), "decay {got:?} vs {:?}", want.decay);
            }
        }
    }
}

#[test]
fn at_the_defaults_adam_is_held_back_on_the_steep_coordinate_and_pushed_on_the_flat() {
    let d = defaults();
    let adam = reference_run(&d, false, d.steps);
    let adamw = reference_run(&d, true, d.steps);
    let (a, w) = (adam.last().expect("run"), adamw.last().expect("run"));
    // x is the flat coordinate (curvature 1), y the steep one (κ).
    assert!(a.decay[0] > w.decay[0], "{:?} vs {:?}", a.decay, w.decay);
    assert!(a.decay[1] < w.decay[1], "{:?} vs {:?}", a.decay, w.decay);
}

/// The step from which AdamW's loss stays below Adam's to the end of the
/// default run, and the last step AdamW's loss was lower before Adam led.
fn loss_lead(d: &Defaults) -> (Option<u64>, Vec<(u64, bool)>) {
    let adam = reference_run(d, false, d.steps);
    let adamw = reference_run(d, true, d.steps);
    let mut flips = Vec::new();
    let mut last = None;
    for (step, (a, w)) in (1..).zip(adam.iter().zip(&adamw)) {
        let adamw_lower =
            bowl_value(d.kappa, d.center, w.theta) < bowl_value(d.kappa, d.center, a.theta);
        if last != Some(adamw_lower) {
            flips.push((step, adamw_lower));
            last = Some(adamw_lower);
        }
    }
    let from = flips
        .last()
        .filter(|(_, adamw_lower)| *adamw_lower)
        .map(|(step, _)| *step);
    (from, flips)
}

#[test]
fn the_explanation_states_what_the_defaults_show() {
    let d = defaults();
    let text = lessons::find("optim").expect("optim").explanation;
    let (from, flips) = loss_lead(&d);
    let from = from.expect("AdamW's loss ends below Adam's within the default run");
    assert!(from < d.steps, "{flips:?}");
    // The lead changes exactly as the text tells it: AdamW, Adam, AdamW.
    let order: Vec<bool> = flips.iter().map(|(_, lower)| *lower).collect();
    assert_eq!(order, [true, false, true], "{flips:?}");
    let adam_from = flips[1].0;
    for (en, zh) in [
        (format!("step {from} on"), format!("从第 {from} 步起")),
        (
            format!("from step {adam_from} to {}", from - 1),
            format!("第 {adam_from} 到 {} 步", from - 1),
        ),
        (
            format!("first {} steps", adam_from - 1),
            format!("前 {} 步", adam_from - 1),
        ),
    ] {
        assert!(text.contains(&en), "the English text says {en:?}");
        assert!(text.contains(&zh), "the Chinese text says {zh:?}");
    }
    // The end of the run, to three digits, in both languages.
    let adam_end = reference_run(&d, false, d.steps);
    let adamw_end = reference_run(&d, true, d.steps);
    let loss = |r: &[Reference]| bowl_value(d.kappa, d.center, r.last().expect("run").theta);
    for value in [loss(&adam_end), loss(&adamw_end)] {
        let shown = format!("{value:.3}");
        assert_eq!(text.matches(&shown).count(), 2, "{shown} in both languages");
    }
    // Adam ends on ◆, the minimum of f + (wd/2)‖θ‖², by the closed form.
    let wd = d.hyper.weight_decay;
    let diamond = [
        d.center[0] / (1.0 + wd),
        d.kappa * d.center[1] / (d.kappa + wd),
    ];
    let end = adam_end.last().expect("run").theta;
    assert!(
        (end[0] - diamond[0]).abs() < 1e-6 && (end[1] - diamond[1]).abs() < 1e-6,
        "{end:?} vs ◆ {diamond:?}"
    );
    let shown = format!("({:.3}, {:.3})", diamond[0], diamond[1]);
    assert!(text.contains(&shown), "◆ is {shown}");
    // And AdamW ends visibly elsewhere, nearer ★ than Adam.
    let w = adamw_end.last().expect("run").theta;
    let to_star = |p: [f64; 2]| (p[0] - d.center[0]).hypot(p[1] - d.center[1]);
    assert!(to_star(w) < to_star(end) && (w[0] - end[0]).abs() > 0.1);
}

#[test]
fn events_part_ways_converge_and_diverge_where_the_state_says() {
    let entry = lessons::find("optim").expect("optim");
    let run = |settings: &[(&str, &str)], steps: u64| {
        let mut params = entry.defaults();
        for (key, value) in settings {
            params.set_text(key, value).expect("a valid setting");
        }
        let mut lesson = (entry.build)(&params, 1).expect("builds");
        let mut raised = Vec::new();
        for step in 1..=steps {
            lesson.step();
            let mut out = Vec::new();
            lesson.events(&mut out);
            raised.extend(out.into_iter().map(|e| (step, e.kind, e.detail)));
        }
        raised
    };
    let d = defaults();
    let raised = run(&[], d.steps);
    // Part ways: AdamW's first step shrinks θ by lr·wd, far over 1e-3 of ‖θ‖.
    let parted: Vec<_> = raised.iter().filter(|e| e.1 == "part-ways").collect();
    assert_eq!(parted.len(), 1);
    assert_eq!(parted[0].0, 1);
    // Adam converges, once; the step is where its move first falls below the bar.
    let adam = reference_run(&d, false, d.steps);
    let first_still = (1..)
        .zip(&adam)
        .find(|(_, r)| {
            (r.theta[0] - r.previous[0]).hypot(r.theta[1] - r.previous[1])
                < learndeck::lessons::optim::model::CONVERGED_MOVE * d.hyper.lr
        })
        .map(|(step, _)| step);
    let converged: Vec<_> = raised.iter().filter(|e| e.1 == "converged").collect();
    assert_eq!(converged.len(), 1, "{converged:?}");
    assert_eq!(Some(converged[0].0), first_still);
    assert_eq!(converged[0].2, "adam");
    let text = entry.explanation;
    assert!(text.contains(&format!("step {}", converged[0].0)));
    assert!(text.contains(&format!("第 {} 步", converged[0].0)));
    // Without decay the two never part.
    assert!(
        !run(&[("weight_decay", "0")], 300)
            .iter()
            .any(|e| e.1 == "part-ways")
    );
    // Plain SGD at lr 1 on Rosenbrock blows up, and says so once.
    let blown = run(
        &[
            ("surface", "rosenbrock"),
            ("lr", "1"),
            ("optimizers", "sgd,adam"),
        ],
        50,
    );
    let diverged: Vec<_> = blown.iter().filter(|e| e.1 == "diverged").collect();
    assert_eq!(diverged.len(), 1);
    assert_eq!(diverged[0].2, "sgd");
}

/// The next θ from a question's context alone, by torch.optim's rules.
fn next_theta_from_context(question: &Question) -> [f64; 2] {
    let c = &question.context;
    let float = |key: &str| c.get(key).and_then(toml::Value::as_float).expect(key);
    let pair = |key: &str| {
        let values = c.get(key).and_then(toml::Value::as_array).expect(key);
        [0, 1].map(|i| values[i].as_float().expect(key))
    };
    let hyper = Hyper {
        lr: float("lr"),
        momentum: 0.0,
        beta1: float("beta1"),
        beta2: float("beta2"),
        eps: float("eps"),
        weight_decay: float("weight_decay"),
        amsgrad: false,
    };
    let t = c.get("t").and_then(toml::Value::as_integer).expect("t");
    let mut state = Reference {
        theta: pair("theta"),
        m: pair("m"),
        v: pair("v"),
        t: u64::try_from(t - 1).expect("t from 1"),
        previous: [0.0; 2],
        decay: [0.0; 2],
    };
    let decoupled = question.kind == "adamw-step";
    torch_step(&mut state, pair("grad"), &hyper, decoupled);
    state.theta
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn step_questions_agree_with_torch_from_their_context(
        steps in 0u64..400,
        noise in prop_oneof![Just(0.0), 0.0f64..2.0],
        wd in 0.0f64..1.0,
        seed in 0u64..1000,
    ) {
        let entry = lessons::find("optim").expect("optim");
        let mut params = entry.defaults();
        params.set_text("noise", &noise.to_string()).expect("noise");
        params.set_text("weight_decay", &wd.to_string()).expect("wd");
        let mut lesson = (entry.build)(&params, seed).expect("builds");
        for _ in 0..steps {
            lesson.step();
        }
        let mut kinds = Vec::new();
        for pick in 0..3 {
            let question = lesson.question(pick).expect("a question");
            kinds.push(question.kind);
            if question.kind == "lower-loss" {
                continue;
            }
            let want = next_theta_from_context(&question);
            let Answer::Numbers { values, relative } = &question.answer else {
                panic!("{question:?}");
            };
            prop_assert_eq!(*relative, RELATIVE_TOLERANCE);
            for c in 0..2 {
                prop_assert!(close(values[c], want[c], RELATIVE_TOLERANCE), "{values:?} vs {want:?}");
            }
            prop_assert_eq!(question.check(&question.answer.typed()), Ok(true));
            let off = format!("{},{}", want[0] * (1.0 + 1e-6), want[1]);
            prop_assert_eq!(question.check(&off), Ok(false));
        }
        kinds.sort_unstable();
        prop_assert_eq!(kinds, ["adam-step", "adamw-step", "lower-loss"]);
    }
}

#[test]
fn lower_loss_agrees_with_runs_of_the_reference() {
    let d = defaults();
    let entry = lessons::find("optim").expect("optim");
    let mut lesson = (entry.build)(&entry.defaults(), 1).expect("builds");
    for now in [0u64, 300, 700] {
        while lesson.steps() < now {
            lesson.step();
        }
        let question = (0..3)
            .filter_map(|pick| lesson.question(pick))
            .find(|q| q.kind == "lower-loss")
            .expect("asked");
        let at = now + LOOKAHEAD;
        let loss = |decoupled| {
            let run = reference_run(&d, decoupled, at);
            bowl_value(d.kappa, d.center, run.last().expect("run").theta)
        };
        let (adam, adamw) = (loss(false), loss(true));
        let want = if adam < adamw { 0 } else { 1 };
        match &question.answer {
            Answer::Choice { correct, .. } => assert_eq!(*correct, want, "at {now}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(question.steps, LOOKAHEAD);
    }
}

#[test]
fn the_tour_walks_the_seed_in_order() {
    let entry = lessons::find("optim").expect("optim");
    let tour = learndeck::tour::Tour::of(entry)
        .expect("a tour")
        .expect("valid");
    assert!(tour.stops.len() >= 5);
    let untils: Vec<String> = tour.stops.iter().map(|s| s.until_text()).collect();
    for wanted in ["start", "event:part-ways", "event:converged"] {
        assert!(untils.iter().any(|u| u == wanted), "{wanted} in {untils:?}");
    }
    // The stop that says AdamW passes Adam stands where it does.
    let (from, _) = loss_lead(&defaults());
    let from = from.expect("AdamW ends lower");
    assert!(untils.contains(&format!("step:{from}")), "{untils:?}");
}

// --- as a learner sees it --------------------------------------------------

/// The lesson at its defaults after `steps` steps, at `width`×`height`.
fn screen(language: Language, settings: &[(&str, &str)], steps: u64, size: (u16, u16)) -> String {
    let mut app = app_with("optim", language, settings);
    app.advance(steps);
    render_text(&mut app, size.0, size.1)
}

#[test]
fn snapshots_at_120x36_and_80x24_in_both_languages() {
    for (language, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
        for (steps, moment) in [(0, "start"), (186, "adam_settled"), (1000, "end")] {
            for size in [(120, 36), (80, 24)] {
                insta::assert_snapshot!(
                    format!("optim_{moment}_{tag}_{}x{}", size.0, size.1),
                    screen(language, &[], steps, size)
                );
            }
        }
    }
}

#[test]
fn four_optimizers_fit_at_120x36_with_adam_beside_adamw() {
    let four = [("optimizers", "sgd,momentum,adam,adamw")];
    for language in [Language::En, Language::Zh] {
        let text = screen(language, &four, 1000, (120, 36));
        insta::assert_snapshot!(
            format!(
                "optim_four_{}_120x36",
                if language == Language::En { "en" } else { "zh" }
            ),
            &text
        );
        // Every column's header is whole: the last one's too.
        assert!(text.contains("adamw t=1000"), "{text}");
        let code_row = text
            .lines()
            .find(|line| line.contains("Adam (L2") || line.contains("Adam（L2"))
            .unwrap_or_else(|| panic!("the Adam listing: {text}"));
        assert!(code_row.contains("AdamW"), "side by side: {code_row}");
        let decay = text
            .lines()
            .find(|line| {
                let line = line.trim_start();
                line.starts_with("decay ") || line.starts_with("衰减量 ")
            })
            .unwrap_or_else(|| panic!("the decay row: {text}"));
        // Four optimizers, two numbers each.
        let numbers = decay
            .split_whitespace()
            .filter(|word| word.parse::<f64>().is_ok())
            .count();
        assert_eq!(numbers, 8, "{decay}");
    }
}
