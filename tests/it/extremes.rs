//! Every parameter of every lesson at its smallest value, its largest value
//! and one value just outside what it allows.
//!
//! In process: the lesson builds (or refuses with a message), steps, reports,
//! draws and steps back without panicking. Through the binary: 2,000 headless
//! steps exit with 0 (or 2 for a refused value, with a one-line message that
//! names the key), never 101, and every result is written out, non-finite ones
//! by name. How long each of those steps takes is measured by
//! `benches/extremes.rs`, not here.

use std::panic::AssertUnwindSafe;

use proptest::prelude::*;
use std::process::{Command, Output};
use std::sync::Mutex;

use crate::support;

use learndeck::i18n::Lang;
use learndeck::lesson::{LessonEntry, ParamSet};
use learndeck::lessons::REGISTRY;
use learndeck::theme::Look;
use learndeck::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use support::{Case, cases};

/// Steps run in process at each extreme: enough to leave the start, cheap at
/// 100k particles in a debug build.
const IN_PROCESS_STEPS: usize = 30;
/// Headless steps at each extreme, as the hardening issue asks.
const HEADLESS_STEPS: &str = "2000";

/// Builds the lesson (a refusal with a message is fine), steps it, reports,
/// draws it and steps back; whether it was built.
fn exercise(entry: &LessonEntry, params: &ParamSet) -> bool {
    let Ok(mut lesson) = (entry.build)(params, 1) else {
        return false;
    };
    for _ in 0..IN_PROCESS_STEPS {
        if !lesson.step() {
            break;
        }
    }
    let _ = lesson.summary();
    let mut rows = Vec::new();
    lesson.trace_step(&mut rows);
    let area = Rect::new(0, 0, 80, 24);
    let mut buf = Buffer::empty(area);
    let theme = Theme::mono();
    for lang in [Lang::En, Lang::Zh] {
        lesson.render(
            area,
            &mut buf,
            &Look {
                theme: &theme,
                lang,
            },
        );
    }
    for _ in 0..5 {
        lesson.step_back();
    }
    true
}

#[test]
fn every_parameter_survives_its_extremes_in_process() {
    let (mut tried, mut built) = (0, 0);
    for case in cases().iter().filter(|c| !c.outside) {
        let entry = REGISTRY
            .iter()
            .find(|e| e.id == case.lesson)
            .expect("registered");
        let mut params = entry.defaults();
        if let Err(err) = params.set_text(case.key, &case.text) {
            panic!("its own boundary was refused: {err}");
        }
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| exercise(entry, &params)));
        tried += 1;
        match outcome {
            Ok(true) => built += 1,
            Ok(false) => {}
            Err(_) => panic!("lesson.{} panicked", case.name()),
        }
    }
    // A lesson may refuse a combination (sigma_min above the default
    // sigma_max), but one extreme alone is almost always allowed: a test that
    // built nothing would prove nothing.
    assert!(
        built * 10 >= tried * 9,
        "only {built} of {tried} extremes built"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Several parameters at their ends at once (100k particles with the
    /// predictor-corrector sampler, the longest list with the largest
    /// capacity, …): still no panic.
    #[test]
    fn extremes_combined_never_panic(
        lesson in 0..REGISTRY.len(),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..6),
    ) {
        let entry = &REGISTRY[lesson];
        let mut params = entry.defaults();
        let specs = params.specs().to_vec();
        for (which, high) in picks {
            let spec = which.get(&specs);
            let [low, top] = support::boundaries(&spec.kind);
            params
                .set_text(spec.key, if high { &top } else { &low })
                .expect("a boundary is allowed");
        }
        exercise(entry, &params);
    }
}

#[test]
fn every_parameter_refuses_a_value_outside_its_range_by_name() {
    for entry in REGISTRY {
        let defaults = entry.defaults();
        for spec in defaults.specs() {
            let text = support::outside_example(&spec.kind);
            let mut params = defaults.clone();
            let err = params.set_text(spec.key, &text).expect_err(&format!(
                "lesson.{}.{} accepted '{text}'",
                entry.id, spec.key
            ));
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("lesson.{}.{}:", entry.id, spec.key)),
                "{message}"
            );
            assert_eq!(params.values(), defaults.values(), "the old values stay");
        }
    }
}

/// Fields of one CSV line, honouring double quotes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().expect("one field at least").push(c),
        }
    }
    fields
}

fn trace(case: &Case) -> Output {
    // An empty config folder, so no user config on the machine leaks in.
    let home = std::env::temp_dir().join(format!("learndeck-extremes-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_learndeck"))
        .args(["trace", case.lesson, "--steps", HEADLESS_STEPS, "--set"])
        .arg(format!("{}={}", case.key, case.text))
        .env("XDG_CONFIG_HOME", &home)
        .env("HOME", &home)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

/// What is wrong with one headless run, if anything.
fn check(case: &Case, out: &Output) -> Option<String> {
    let name = format!("lesson.{}", case.name());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(2) => {
            if stderr.trim_end().lines().count() != 1 {
                return Some(format!("{name}: exit 2 needs one line, got: {stderr}"));
            }
            if case.outside && !stderr.contains(&format!("lesson.{}.{}", case.lesson, case.key)) {
                return Some(format!(
                    "{name}: the message does not name the key: {stderr}"
                ));
            }
            None
        }
        Some(0) if case.outside => Some(format!("{name}: accepted a value outside the range")),
        Some(0) => {
            let mut lines = stdout.lines();
            let width = csv_fields(lines.next().unwrap_or_default()).len();
            // Every row keeps every column: a result that turned non-finite is
            // written by name (nan, inf), not dropped.
            lines.enumerate().find_map(|(at, line)| {
                let fields = csv_fields(line).len();
                (fields != width)
                    .then(|| format!("{name}: row {at} has {fields} of {width} fields"))
            })
        }
        other => Some(format!("{name}: exit {other:?}: {stderr}")),
    }
}

/// Runs `check` on every item, one binary at a time per core; the failures.
fn failures_of<T: Sync>(items: &[T], check: impl Fn(&T) -> Option<String> + Sync) -> Vec<String> {
    let next = Mutex::new(items.iter());
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some(item) = next.lock().expect("queue").next() else {
                        break;
                    };
                    if let Some(failure) = check(item) {
                        failures.lock().expect("failures").push(failure);
                    }
                }
            });
        }
    });
    failures.into_inner().expect("failures")
}

#[test]
fn every_parameter_runs_two_thousand_headless_steps_at_its_extremes() {
    let failures = failures_of(&cases(), |case| check(case, &trace(case)));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Parameters that act only beside another setting: custom targets' means,
/// weights and τ do nothing unless `target=custom`.
const ENABLED_BY: &[(&str, &str, &str)] = &[
    ("score", "means", "target=custom"),
    ("score", "weights", "target=custom"),
    ("score", "tau", "target=custom"),
    ("sde", "means", "target=custom"),
    ("sde", "weights", "target=custom"),
    ("sde", "tau", "target=custom"),
];

/// Whether a TOML value holds a NaN anywhere, and whether it reports a
/// divergence (a `diverged` key that is true or above zero) anywhere.
fn nan_and_divergence(value: &toml::Value) -> (bool, bool) {
    match value {
        toml::Value::Float(x) => (x.is_nan(), false),
        toml::Value::Array(items) => items
            .iter()
            .map(nan_and_divergence)
            .fold((false, false), |(a, b), (c, d)| (a || c, b || d)),
        toml::Value::Table(table) => table.iter().fold((false, false), |(a, b), (key, v)| {
            let (nan, diverged) = nan_and_divergence(v);
            let reported = key == "diverged"
                && matches!(v, toml::Value::Boolean(true))
                    | matches!(v, toml::Value::Integer(n) if *n > 0);
            (a || nan, b || diverged || reported)
        }),
        _ => (false, false),
    }
}

fn summary(lesson: &str, settings: &[String]) -> Output {
    let home = std::env::temp_dir().join(format!("learndeck-nan-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_learndeck"));
    command.args(["trace", lesson, "--summary", "--steps", HEADLESS_STEPS]);
    for setting in settings {
        command.args(["--set", setting]);
    }
    command
        .env("XDG_CONFIG_HOME", &home)
        .env("HOME", &home)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

#[test]
fn float_parameters_at_their_ends_leave_no_silent_nan() {
    let float_keys: Vec<(&str, &str)> = REGISTRY
        .iter()
        .flat_map(|entry| {
            entry
                .defaults()
                .specs()
                .iter()
                .filter(|s| {
                    matches!(
                        s.kind,
                        learndeck::lesson::ParamKind::Float { .. }
                            | learndeck::lesson::ParamKind::FloatList { .. }
                    )
                })
                .map(|s| (entry.id, s.key))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut runs: Vec<(&str, Vec<String>)> = Vec::new();
    for case in cases().iter().filter(|c| !c.outside) {
        if !float_keys.contains(&(case.lesson, case.key)) {
            continue;
        }
        let mut settings = vec![format!("{}={}", case.key, case.text)];
        if let Some((_, _, enabling)) = ENABLED_BY
            .iter()
            .find(|(l, k, _)| *l == case.lesson && *k == case.key)
        {
            settings.insert(0, (*enabling).to_string());
        }
        runs.push((case.lesson, settings));
    }
    // The red team's inputs: overflowing weights and means.
    for lesson in ["score", "sde"] {
        for setting in ["weights=1e308,1e308", "means=1e300,0,-1e300,0"] {
            runs.push((lesson, vec!["target=custom".into(), setting.into()]));
        }
    }
    let failures = failures_of(&runs, |(lesson, settings)| {
        let out = summary(lesson, settings);
        let name = format!("{lesson} {}", settings.join(" "));
        match out.status.code() {
            // Refused with a message: no number was made up.
            Some(2) => None,
            Some(0) => match String::from_utf8_lossy(&out.stdout).parse::<toml::Table>() {
                Ok(table) => {
                    let (nan, diverged) = nan_and_divergence(&toml::Value::Table(table));
                    (nan && !diverged)
                        .then(|| format!("{name}: NaN in the summary, no divergence reported"))
                }
                Err(err) => Some(format!("{name}: summary is not TOML: {err}")),
            },
            other => Some(format!(
                "{name}: exit {other:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn boundaries_are_accepted_and_the_outside_example_is_not() {
    use learndeck::lesson::{ParamKind, ParamSpec, ParamValue};
    let with_kind = |kind| ParamSpec {
        key: "k",
        help: learndeck::i18n::Tr::new("", ""),
        kind,
        default: ParamValue::Bool(false),
        used_when: None,
    };
    let specs = [
        with_kind(ParamKind::Choice(&["a", "b", "c"])),
        with_kind(ParamKind::ChoiceList {
            options: &["sgd", "adam", "adamw"],
            min_len: 1,
            max_len: 2,
        }),
        ParamSpec::int("k", 0..=10_000, 10),
        ParamSpec::int_list("k", 1..=3, 1..=9, &[1]),
        ParamSpec::float("k", 1e-5..=1.0, 0.1).log_scale(),
        ParamSpec::float("k", 0.0..=0.999, 0.5),
        ParamSpec::flag("k", false),
        ParamSpec::float_list("k", 2..=4, &[1.0, 2.0]),
        ParamSpec::text("k", 5, ""),
    ];
    for spec in specs {
        let kind = &spec.kind;
        let [low, high] = support::boundaries(kind);
        assert!(
            spec.parse(&low).is_ok(),
            "{kind:?} refused its low end '{low}'"
        );
        assert!(
            spec.parse(&high).is_ok(),
            "{kind:?} refused its high end '{high}'"
        );
        assert_ne!(low, high, "{kind:?}");
        let outside = support::outside_example(kind);
        assert!(
            spec.parse(&outside).is_err(),
            "{kind:?} accepted '{outside}'"
        );
    }
}
