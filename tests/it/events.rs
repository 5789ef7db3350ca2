//! Key moments (`Lesson::events`) against independent facts: each lesson's
//! events checked against a brute-force computation of the moment they name,
//! and `trace --events` against the dashboard's own stepping.

use learndeck::lesson::{Event, ParamSet};
use learndeck::lessons::{self, REGISTRY};
use proptest::prelude::*;

/// Every event of a run, with the step that raised it (numbered as `trace`).
fn run_events(id: &str, settings: &[(&str, String)]) -> Vec<(u64, Event)> {
    let entry = lessons::find(id).expect("a lesson");
    let mut params: ParamSet = entry.defaults();
    for (key, value) in settings {
        params.set_text(key, value).expect("a valid setting");
    }
    let mut lesson = (entry.build)(&params, 1).expect("builds");
    let mut all = Vec::new();
    let mut raised = Vec::new();
    while lesson.step() {
        lesson.events(&mut raised);
        all.extend(raised.drain(..).map(|event| (lesson.steps(), event)));
    }
    all
}

/// `i=I,j=J` or `i=I` as numbers.
fn coordinates(detail: &str) -> (usize, Option<usize>) {
    let mut i = None;
    let mut j = None;
    for part in detail.split(',') {
        match part.split_once('=') {
            Some(("i", v)) => i = v.parse().ok(),
            Some(("j", v)) => j = v.parse().ok(),
            _ => panic!("unexpected detail {detail}"),
        }
    }
    (i.expect("i"), j)
}

/// f[i][j] of the 0/1 knapsack for every i and j, by the recurrence.
fn table(items: &[(usize, u64)], capacity: usize) -> Vec<Vec<u64>> {
    let mut f = vec![vec![0u64; capacity + 1]; items.len() + 1];
    for (i, &(w, v)) in items.iter().enumerate() {
        for j in 0..=capacity {
            f[i + 1][j] = f[i][j];
            if j >= w {
                f[i + 1][j] = f[i + 1][j].max(f[i][j - w] + v);
            }
        }
    }
    f
}

/// Best value when each item may be taken any number of times.
fn unbounded_best(items: &[(usize, u64)], capacity: usize) -> u64 {
    let mut dp = vec![0u64; capacity + 1];
    for j in 0..=capacity {
        for &(w, v) in items {
            if j >= w {
                dp[j] = dp[j].max(dp[j - w] + v);
            }
        }
    }
    dp[capacity]
}

fn list<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn knapsack_settings(
    items: &[(usize, u64)],
    capacity: usize,
    mode: &str,
    order: &str,
) -> Vec<(&'static str, String)> {
    let weights: Vec<usize> = items.iter().map(|&(w, _)| w).collect();
    let values: Vec<u64> = items.iter().map(|&(_, v)| v).collect();
    vec![
        ("weights", list(&weights)),
        ("values", list(&values)),
        ("capacity", capacity.to_string()),
        ("mode", mode.into()),
        ("order", order.into()),
    ]
}

fn knapsack_items() -> impl Strategy<Value = Vec<(usize, u64)>> {
    prop::collection::vec((1usize..=8, 0u64..=20), 1..=7)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// In the full table (and the one row filled right to left, which is the
    /// same table a row at a time) item i is taken at j exactly where
    /// f[i][j] > f[i−1][j]; the traceback chooses a set worth the best value.
    #[test]
    fn knapsack_takes_and_choices_match_the_recurrence(
        items in knapsack_items(),
        capacity in 0usize..=24,
    ) {
        let f = table(&items, capacity);
        for mode in ["2d", "1d"] {
            let events = run_events("knapsack", &knapsack_settings(&items, capacity, mode, "reverse"));
            let mut takes: Vec<(usize, usize)> = Vec::new();
            let mut chosen_value = 0;
            for (_, event) in &events {
                let (i, j) = coordinates(&event.detail);
                match event.kind {
                    "take" => takes.push((i, j.expect("j"))),
                    "choose" => chosen_value += items[i - 1].1,
                    "reuse" => prop_assert!(false, "no reuse right to left: {event:?}"),
                    other => prop_assert!(false, "unknown event {other}"),
                }
            }
            let expected: Vec<(usize, usize)> = f
                .windows(2)
                .enumerate()
                .flat_map(|(row, pair)| {
                    (0..=capacity)
                        .filter(|&j| pair[1][j] > pair[0][j])
                        .map(move |j| (row + 1, j))
                })
                .collect();
            takes.sort_unstable();
            prop_assert_eq!(&takes, &expected, "{}", mode);
            prop_assert_eq!(chosen_value, f[items.len()][capacity], "{}", mode);
        }
    }

    /// Left to right the one row can count an item twice. When it never does,
    /// its answer is the 0/1 optimum; when the unbounded optimum is higher,
    /// it must have.
    #[test]
    fn knapsack_reuse_is_where_left_to_right_goes_wrong(
        items in knapsack_items(),
        capacity in 0usize..=24,
    ) {
        let settings = knapsack_settings(&items, capacity, "1d", "forward");
        let events = run_events("knapsack", &settings);
        let reused = events.iter().any(|(_, e)| e.kind == "reuse");
        let zero_one = table(&items, capacity)[items.len()][capacity];
        if unbounded_best(&items, capacity) > zero_one {
            prop_assert!(reused);
        }
        if !reused {
            let chosen: u64 = events
                .iter()
                .filter(|(_, e)| e.kind == "choose")
                .map(|(_, e)| items[coordinates(&e.detail).0 - 1].1)
                .sum();
            prop_assert_eq!(chosen, zero_one);
        }
        // A reuse is always also a take, raised by the same step.
        for (step, event) in events.iter().filter(|(_, e)| e.kind == "reuse") {
            prop_assert!(events.iter().any(|(s, e)| s == step && e.kind == "take" && e.detail == event.detail));
        }
    }
}

#[test]
fn every_event_raised_is_declared_by_its_lesson() {
    for entry in REGISTRY {
        let params = entry.defaults();
        let Ok(mut lesson) = (entry.build)(&params, 1) else {
            continue;
        };
        let mut raised = Vec::new();
        for _ in 0..2_000 {
            if !lesson.step() {
                break;
            }
            lesson.events(&mut raised);
        }
        for event in raised {
            assert!(
                entry.events.iter().any(|kind| kind.id == event.kind),
                "{} raised an undeclared event {event:?}",
                entry.id
            );
        }
        for kind in entry.events {
            assert!(
                kind.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}: event id {} is not kebab-case",
                entry.id,
                kind.id
            );
        }
    }
}

#[test]
fn trace_events_prints_the_steps_the_lesson_raised() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_learndeck"))
        .args([
            "trace",
            "knapsack",
            "--events",
            "--set",
            "mode=1d",
            "--set",
            "order=forward",
        ])
        .env("LC_ALL", "C")
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let settings: Vec<(&str, String)> = vec![("mode", "1d".into()), ("order", "forward".into())];
    let expected: Vec<String> = std::iter::once("step,event,detail".to_string())
        .chain(
            run_events("knapsack", &settings)
                .into_iter()
                .map(|(step, e)| {
                    // CSV quotes a field only when it holds a comma.
                    let detail = if e.detail.contains(',') {
                        format!("\"{}\"", e.detail)
                    } else {
                        e.detail
                    };
                    format!("{step},{},{detail}", e.kind)
                }),
        )
        .collect();
    assert_eq!(text.lines().collect::<Vec<_>>(), expected);
    assert!(text.contains(",reuse,"), "{text}");
}

mod dashboard {
    use super::run_events;
    use crate::dashboard::press;
    use crossterm::event::KeyCode;
    use learndeck::app::App;
    use learndeck::config::Language;
    use learndeck::headless::render_text;

    fn app_on(id: &str, settings: &[(&str, &str)]) -> App {
        crate::dashboard::app_with(id, Language::En, settings)
    }

    fn type_step(app: &mut App, step: &str) {
        press(app, KeyCode::Char('G'));
        for c in step.chars() {
            press(app, KeyCode::Char(c));
        }
        press(app, KeyCode::Enter);
    }

    const FORWARD: &[(&str, &str)] = &[("mode", "1d"), ("order", "forward")];

    #[test]
    fn brackets_land_on_the_steps_that_raise_events() {
        let settings: Vec<(&str, String)> =
            FORWARD.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let mut steps: Vec<u64> = run_events("knapsack", &settings)
            .into_iter()
            .map(|(step, _)| step)
            .collect();
        steps.dedup();
        let mut app = app_on("knapsack", FORWARD);
        for &expected in &steps[..4] {
            press(&mut app, KeyCode::Char(']'));
            assert_eq!(app.lesson().steps(), expected);
            assert!(!app.tab().events_now().is_empty());
        }
        press(&mut app, KeyCode::Char('['));
        assert_eq!(app.lesson().steps(), steps[2]);
        // The status line names what the step raised.
        let screen = render_text(&mut app, 120, 36);
        assert!(screen.contains("take i="), "{screen}");
        // Past the last event the run ends and says so.
        for _ in 0..steps.len() + 1 {
            press(&mut app, KeyCode::Char(']'));
        }
        assert!(app.lesson().is_finished());
        let screen = render_text(&mut app, 120, 36);
        assert!(screen.contains("no later key moment"), "{screen}");
    }

    #[test]
    fn g_goes_to_a_typed_step_forward_back_and_past_the_rewind_window() {
        let mut app = app_on("knapsack", &[]);
        type_step(&mut app, "17");
        assert_eq!(app.lesson().steps(), 17);
        type_step(&mut app, "4");
        assert_eq!(app.lesson().steps(), 4);
        type_step(&mut app, "999999");
        assert!(app.lesson().is_finished());
        assert!(render_text(&mut app, 120, 36).contains("the run ends at step"));

        // optim keeps 16k steps of rewind: going back further replays the
        // same run from the start, and lands on the same picture.
        let mut app = app_on("optim", &[]);
        type_step(&mut app, "20");
        let at_20 = render_text(&mut app, 120, 36);
        type_step(&mut app, "40000");
        assert_eq!(app.lesson().steps(), 40_000);
        assert!(app.lesson().rewind_depth() < 39_980);
        type_step(&mut app, "20");
        assert_eq!(app.lesson().steps(), 20);
        let rows = |s: &str| {
            // The step bar and the status line differ (furthest step, rewind).
            let rows: Vec<String> = s.lines().map(str::to_string).collect();
            rows[..rows.len() - 3].to_vec()
        };
        assert_eq!(rows(&render_text(&mut app, 120, 36)), rows(&at_20));
    }

    #[test]
    fn the_step_prompt_reads_digits_and_lets_other_keys_through() {
        let mut app = app_on("knapsack", &[]);
        press(&mut app, KeyCode::Char('G'));
        press(&mut app, KeyCode::Char('1'));
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Backspace);
        assert_eq!(app.step_prompt.as_deref(), Some("1"));
        let screen = render_text(&mut app, 120, 36);
        assert!(screen.contains("go to step: 1"), "{screen}");
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step_prompt, None);
        assert_eq!(app.lesson().steps(), 0);
        // A key the prompt does not read closes it and acts: `n` steps.
        press(&mut app, KeyCode::Char('G'));
        press(&mut app, KeyCode::Char('n'));
        assert_eq!(app.step_prompt, None);
        assert_eq!(app.lesson().steps(), 1);
    }
}
