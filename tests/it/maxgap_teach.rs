//! Maximum gap's teaching layer against independent references: its `answer`
//! moment against sort-and-scan, its questions against the formulas worked
//! from their context, its presets, tour and screens.

use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lesson::{Answer, Event, Field, Lesson, ParamSet};
use learndeck::lessons;
use proptest::prelude::*;

use crate::dashboard::app_with;
use crate::questions::ints;

fn params(values: &[i64]) -> ParamSet {
    let mut params = lessons::find("maxgap").expect("maxgap").defaults();
    let list = values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    params.set_text("data", &list).expect("valid");
    params
}

fn build(params: &ParamSet) -> Box<dyn Lesson> {
    (lessons::find("maxgap").expect("maxgap").build)(params, 1).expect("builds")
}

/// Every moment with the step that raised it.
fn moments(lesson: &mut dyn Lesson) -> Vec<(u64, Event)> {
    let mut all = Vec::new();
    let mut raised = Vec::new();
    while lesson.timeline_mut().step() {
        lesson.events(&mut raised);
        let step = lesson.steps();
        all.extend(raised.drain(..).map(|e| (step, e)));
    }
    all
}

/// Sort, scan, and keep the first neighbours with the largest difference.
fn sort_and_scan(values: &[i64]) -> (i64, i64, i64) {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mut best = (sorted[0], sorted[1], sorted[1] - sorted[0]);
    for w in sorted.windows(2) {
        if w[1] - w[0] > best.2 {
            best = (w[0], w[1], w[1] - w[0]);
        }
    }
    best
}

fn integer(answer: &Answer) -> i64 {
    match answer {
        Answer::Integer(n) => *n,
        other => panic!("a whole number, not {other:?}"),
    }
}

fn values() -> impl Strategy<Value = Vec<i64>> {
    prop_oneof![
        prop::collection::vec(-1_000i64..=1_000, 2..40),
        prop::collection::vec(-5i64..=5, 2..40),
        prop::collection::vec(-1_000_000_000i64..=1_000_000_000, 2..40),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// One `answer`, at the last step, naming the pair sort-and-scan finds first.
    #[test]
    fn the_answer_equals_sort_and_scan(values in values()) {
        let mut lesson = build(&params(&values));
        let all = moments(lesson.as_mut());
        let total = lesson.steps();
        let answers: Vec<_> = all.iter().filter(|(_, e)| e.kind == "answer").collect();
        prop_assert_eq!(answers.len(), 1);
        let (lo, hi, gap) = sort_and_scan(&values);
        prop_assert_eq!(answers[0].0, total);
        prop_assert_eq!(&answers[0].1.detail, &format!("lo={lo},hi={hi},gap={gap}"));
        // Each new best beats the one before it, and the last is the answer.
        let bests: Vec<&Event> = all.iter().filter(|(_, e)| e.kind == "new-best").map(|(_, e)| e).collect();
        if gap > 0 {
            prop_assert_eq!(&bests.last().expect("a best").detail, &answers[0].1.detail);
        }
    }

    /// `answer` equals sort-and-scan of its context's data, `bucket-of` the
    /// bucket formula worked from its context, and both what the run then shows.
    #[test]
    fn answers_equal_references_worked_from_the_context(values in values()) {
        let params = params(&values);
        let mut lesson = build(&params);
        loop {
            let at = lesson.steps();
            for pick in 0..2 {
                let Some(question) = lesson.question(pick) else {
                    prop_assert!(lesson.is_finished());
                    continue;
                };
                prop_assert_eq!(question.check(&question.answer.typed()), Ok(true));
                let data = ints(&question.context, "data");
                prop_assert_eq!(&data, &values);
                match question.kind {
                    "answer" => {
                        prop_assert_eq!(integer(&question.answer), sort_and_scan(&data).2);
                    }
                    "bucket-of" => {
                        let x = question.context.get("x").and_then(toml::Value::as_integer).expect("x");
                        let lo = *data.iter().min().expect("values");
                        let hi = *data.iter().max().expect("values");
                        let b = ((hi - lo) / (data.len() as i64 - 1)).max(1);
                        prop_assert_eq!(integer(&question.answer), (x - lo) / b);
                        prop_assert_eq!(question.steps, 1);
                        let mut watched = build(&params);
                        for _ in 0..=at {
                            prop_assert!(watched.timeline_mut().step());
                        }
                        let mut rows = Vec::new();
                        watched.trace_step(&mut rows);
                        let row = rows.pop().expect("a row");
                        prop_assert_eq!(&row[1], &Field::Text("drop".into()));
                        prop_assert_eq!(&row[3], &Field::Int((x - lo) / b));
                    }
                    other => panic!("undeclared kind {other}"),
                }
            }
            if !lesson.timeline_mut().step() {
                break;
            }
        }
    }
}

#[test]
fn fewer_than_two_values_raise_nothing_and_ask_nothing() {
    for values in [&[][..], &[42][..]] {
        let mut lesson = build(&params(values));
        assert!(lesson.question(0).is_none() && lesson.question(1).is_none());
        assert!(moments(lesson.as_mut()).is_empty());
    }
}

#[test]
fn presets_build_and_clusters_jump_across_empty_buckets() {
    let entry = lessons::find("maxgap").expect("maxgap");
    for preset in ["random", "sorted", "reversed", "few-unique", "clusters"] {
        for seed in 0..5 {
            let mut params = entry.defaults();
            params.set_text("preset", preset).expect("valid");
            let mut lesson = (entry.build)(&params, seed).expect("builds");
            let summary = {
                while lesson.timeline_mut().step() {}
                lesson.summary()
            };
            let values = ints(&summary, "values");
            assert_eq!(values.len(), 10, "{preset}");
            assert_eq!(
                summary.get("answer").and_then(toml::Value::as_integer),
                Some(sort_and_scan(&values).2),
                "{preset} {seed}"
            );
            let mut sorted = values.clone();
            sorted.sort_unstable();
            match preset {
                "sorted" => assert_eq!(values, sorted),
                "reversed" => assert_eq!(values, sorted.iter().rev().copied().collect::<Vec<_>>()),
                "few-unique" => {
                    sorted.dedup();
                    assert!(sorted.len() <= 3);
                }
                "clusters" => assert_eq!(sort_and_scan(&values), (52, 93, 41)),
                _ => {}
            }
        }
    }
}

#[test]
fn negatives_read_in_parentheses_and_the_floor_is_explained_not_claimed() {
    let settings = [("data", "7,-40,3,9,100")];
    let mut app = app_with("maxgap", Language::En, &settings);
    // Five values read, then a[0] = 7 drops: (7 − (-40)) ÷ 35.
    app.advance(6);
    let screen = render_text(&mut app, 120, 36);
    assert!(screen.contains("(7 − (-40)) ÷ 35 = 1"), "{screen}");
    let mut app = app_with("maxgap", Language::En, &[("data", "7,7,7,8")]);
    app.advance(100);
    let screen = render_text(&mut app, 120, 36);
    assert!(!screen.contains("≤ average gap"), "{screen}");
    assert!(screen.contains("max(1, 1 ÷ 3) = 1"), "{screen}");
}

/// The last step, as a learner sees it, at both sizes in both languages: the
/// defaults and the case where the max(1, …) floor sets b.
#[test]
fn the_last_step_at_both_sizes_in_both_languages() {
    let floor = [("data", "7,7,7,8")];
    for (name, settings) in [("default", &[][..]), ("floor", &floor[..])] {
        for (language, code) in [(Language::En, "en"), (Language::Zh, "zh")] {
            let mut app = app_with("maxgap", language, settings);
            app.advance(10_000);
            for (width, height) in [(80, 24), (120, 36)] {
                insta::assert_snapshot!(
                    format!("maxgap_{name}_last_{code}_{width}x{height}"),
                    render_text(&mut app, width, height)
                );
            }
        }
    }
}
