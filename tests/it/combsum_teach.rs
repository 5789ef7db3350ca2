//! Combination sum's teaching layer against independent references: its key
//! moments against the standard loop run here, its questions against brute
//! force worked from their context, its presets, tour and screens.

use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lesson::{Answer, Event, Field, Lesson, ParamSet, Question};
use learndeck::lessons;
use proptest::prelude::*;

use crate::dashboard::app_with;
use crate::questions::{int, ints, text};

// --- the standard loop, written again ----------------------------------------

/// The moments of the textbook search, in order, as `kind` and detail:
///
/// ```text
/// for i in start..n:
///     if once and i > start and c[i] == c[i-1]: continue
///     if prune and c[i] > remain: break
///     dfs(...)
/// ```
struct Loop {
    c: Vec<i64>,
    once: bool,
    prune: bool,
    moments: Vec<(String, String)>,
}

fn spaced(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Loop {
    fn dfs(&mut self, start: usize, path: &mut Vec<i64>, remain: i64) {
        if remain == 0 {
            self.moments
                .push(("found".into(), format!("combination={}", spaced(path))));
            return;
        }
        if remain < 0 {
            let sum: i64 = path.iter().sum();
            self.moments.push((
                "overshoot".into(),
                format!("path={},sum={sum}", spaced(path)),
            ));
            return;
        }
        for i in start..self.c.len() {
            if self.once && i > start && self.c[i] == self.c[i - 1] {
                self.moments.push((
                    "skip-duplicate".into(),
                    format!("path={},value={}", spaced(path), self.c[i]),
                ));
                continue;
            }
            if self.prune && self.c[i] > remain {
                self.moments.push((
                    "prune".into(),
                    format!("path={},value={}", spaced(path), self.c[i]),
                ));
                break;
            }
            path.push(self.c[i]);
            self.dfs(if self.once { i + 1 } else { i }, path, remain - self.c[i]);
            path.pop();
        }
    }
}

fn reference(candidates: &[i64], target: i64, once: bool, prune: bool) -> Vec<(String, String)> {
    let mut c = candidates.to_vec();
    c.sort_unstable();
    let mut run = Loop {
        c,
        once,
        prune,
        moments: Vec::new(),
    };
    run.dfs(0, &mut Vec::new(), target);
    run.moments
}

fn params(candidates: &[i64], target: i64, variant: &str, prune: bool) -> ParamSet {
    let mut params = lessons::find("combsum").expect("combsum").defaults();
    params
        .set_text("candidates", &spaced(candidates).replace(' ', ","))
        .expect("valid");
    params
        .set_text("target", &target.to_string())
        .expect("valid");
    params.set_text("variant", variant).expect("valid");
    params
        .set_text("prune", if prune { "true" } else { "false" })
        .expect("valid");
    params
}

fn build(params: &ParamSet) -> Box<dyn Lesson> {
    (lessons::find("combsum").expect("combsum").build)(params, 1).expect("builds")
}

fn moments(lesson: &mut dyn Lesson) -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut raised: Vec<Event> = Vec::new();
    while lesson.timeline_mut().step() {
        lesson.events(&mut raised);
        all.extend(
            raised
                .drain(..)
                .map(|e| (e.kind.to_string(), e.detail.clone())),
        );
    }
    all
}

// --- brute force for `count`, fed only by the question's context -------------

/// Distinct multisets adding up to `target`: with reuse any number of each
/// distinct value, with once at most as many as the list holds.
fn count_combinations(candidates: &[i64], target: i64, once: bool) -> usize {
    let mut values = candidates.to_vec();
    values.sort_unstable();
    let mut kinds: Vec<(i64, usize)> = Vec::new();
    for v in values {
        match kinds.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => kinds.push((v, 1)),
        }
    }
    fn go(kinds: &[(i64, usize)], remain: i64, once: bool) -> usize {
        let Some((&(v, have), rest)) = kinds.split_first() else {
            return usize::from(remain == 0);
        };
        let most = if once { have as i64 } else { remain / v };
        (0..=most)
            .take_while(|k| k * v <= remain)
            .map(|k| go(rest, remain - k * v, once))
            .sum()
    }
    go(&kinds, target, once)
}

/// What the loop at the context's node does next, worked from the context
/// alone: the node's start index is found by matching the path against the
/// sorted candidates (each level takes the first index of a value it meets),
/// then the loop resumes after the last child tried.
fn next_by_hand(context: &toml::Table) -> Option<i64> {
    let c = ints(context, "candidates");
    let path = ints(context, "path");
    let tried = ints(context, "tried");
    let target = int(context, "target");
    let once = text(context, "variant") == "once";
    let prune = context
        .get("prune")
        .and_then(toml::Value::as_bool)
        .expect("a flag");
    let mut start = 0;
    for &v in &path {
        let at = (start..c.len()).find(|&i| c[i] == v).expect("on the path");
        start = if once { at + 1 } else { at };
    }
    let remain = target - path.iter().sum::<i64>();
    let mut from = start;
    if let Some(&last) = tried.last() {
        from = (start..c.len()).find(|&i| c[i] == last).expect("tried") + 1;
    }
    for i in from..c.len() {
        if once && i > start && c[i] == c[i - 1] {
            continue;
        }
        if prune && c[i] > remain {
            return None;
        }
        return Some(c[i]);
    }
    None
}

fn chosen(question: &Question) -> String {
    match &question.answer {
        Answer::Choice { options, correct } => options[*correct].en.clone(),
        other => panic!("next is a choice, not {other:?}"),
    }
}

/// The `event` and `value` columns of the trace row of the step just taken.
fn traced(lesson: &dyn Lesson) -> (String, Option<i64>) {
    let mut rows = Vec::new();
    lesson.trace_step(&mut rows);
    let row = rows.pop().expect("a row per step");
    let event = match &row[1] {
        Field::Text(t) => t.clone(),
        other => panic!("event column: {other:?}"),
    };
    let value = match &row[2] {
        Field::Int(v) => Some(*v),
        _ => None,
    };
    (event, value)
}

fn check_questions(candidates: &[i64], target: i64, variant: &str, prune: bool) {
    let params = params(candidates, target, variant, prune);
    let mut lesson = build(&params);
    let once = variant == "once";
    loop {
        let at = lesson.steps();
        for pick in 0..2 {
            let Some(question) = lesson.question(pick) else {
                assert!(lesson.is_finished(), "nothing asked at step {at}");
                continue;
            };
            assert_eq!(question.check(&question.answer.typed()), Ok(true));
            let context = &question.context;
            match question.kind {
                "count" => {
                    let expect = count_combinations(
                        &ints(context, "candidates"),
                        int(context, "target"),
                        text(context, "variant") == "once",
                    );
                    assert_eq!(question.answer, Answer::Integer(expect as i64));
                    assert_eq!(text(context, "variant"), variant);
                    let _ = once;
                }
                "next" => {
                    let expect = next_by_hand(context);
                    let said = chosen(&question);
                    match expect {
                        Some(v) => assert_eq!(said, v.to_string(), "{context:?}"),
                        None => assert_eq!(said, "back up", "{context:?}"),
                    }
                    // And it is what the tree then shows.
                    let mut watched = build(&params);
                    for _ in 0..at + question.steps {
                        assert!(watched.timeline_mut().step());
                    }
                    let (event, value) = traced(watched.as_ref());
                    match expect {
                        Some(v) => assert_eq!((event.as_str(), value), ("enter", Some(v))),
                        None => assert_eq!(event, "back"),
                    }
                }
                other => panic!("undeclared kind {other}"),
            }
        }
        if !lesson.timeline_mut().step() {
            break;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Skips, prunes, finds and overshoots, in order, equal the standard loop's.
    #[test]
    fn moments_equal_the_standard_loop(
        candidates in prop::collection::vec(1i64..8, 1..10),
        target in 1i64..16,
        prune in any::<bool>(),
    ) {
        let mut lesson = build(&params(&candidates, target, "once", prune));
        prop_assert_eq!(moments(lesson.as_mut()), reference(&candidates, target, true, prune));
        let mut distinct = candidates.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let mut lesson = build(&params(&distinct, target, "reuse", prune));
        prop_assert_eq!(moments(lesson.as_mut()), reference(&distinct, target, false, prune));
    }

    /// `count` equals a brute-force count and `next` the loop worked by hand,
    /// both from the question's context alone, at every step.
    #[test]
    fn answers_equal_references_worked_from_the_context(
        candidates in prop::collection::vec(1i64..7, 1..7),
        target in 1i64..12,
        prune in any::<bool>(),
    ) {
        check_questions(&candidates, target, "once", prune);
        let mut distinct = candidates.clone();
        distinct.sort_unstable();
        distinct.dedup();
        check_questions(&distinct, target, "reuse", prune);
    }
}

#[test]
fn the_seed_example_skips_the_second_one_at_the_root() {
    let mut lesson = build(&params(&[10, 1, 2, 7, 6, 1, 5], 8, "once", true));
    let skips: Vec<_> = moments(lesson.as_mut())
        .into_iter()
        .filter(|(kind, _)| kind == "skip-duplicate")
        .collect();
    assert_eq!(
        skips,
        vec![("skip-duplicate".to_string(), "path=,value=1".to_string())]
    );
}

#[test]
fn presets_build_and_repeating_ones_are_refused_under_reuse() {
    let entry = lessons::find("combsum").expect("combsum");
    for preset in ["random", "sorted", "reversed", "few-unique", "duplicates"] {
        for seed in 0..5 {
            let mut params = entry.defaults();
            params.set_text("preset", preset).expect("valid");
            params.set_text("variant", "once").expect("valid");
            assert!((entry.build)(&params, seed).is_ok(), "{preset} {seed}");
        }
    }
    for preset in ["few-unique", "duplicates"] {
        let mut params = entry.defaults();
        params.set_text("preset", preset).expect("valid");
        let err = (entry.validate)(&params).expect_err("reuse needs distinct values");
        let said = err.to_string();
        assert!(
            said.contains("preset") && said.contains("variant = once"),
            "{said}"
        );
    }
    // The duplicates preset is the seed's example: the same moments.
    let mut params = entry.defaults();
    for (key, value) in [
        ("preset", "duplicates"),
        ("variant", "once"),
        ("target", "8"),
    ] {
        params.set_text(key, value).expect("valid");
    }
    let mut lesson = (entry.build)(&params, 1).expect("builds");
    assert_eq!(
        moments(lesson.as_mut()),
        reference(&[10, 1, 2, 7, 6, 1, 5], 8, true, true)
    );
}

/// The last step, as a learner sees it, at both sizes in both languages:
/// the defaults (reuse) and the seed's version II example.
#[test]
fn the_last_step_at_both_sizes_in_both_languages() {
    let once = [
        ("variant", "once"),
        ("preset", "duplicates"),
        ("target", "8"),
    ];
    for (name, settings) in [("reuse", &[][..]), ("once", &once[..])] {
        for (language, code) in [(Language::En, "en"), (Language::Zh, "zh")] {
            let mut app = app_with("combsum", language, settings);
            app.advance(10_000);
            for (width, height) in [(80, 24), (120, 36)] {
                insta::assert_snapshot!(
                    format!("combsum_{name}_last_{code}_{width}x{height}"),
                    render_text(&mut app, width, height)
                );
            }
        }
    }
}

#[test]
fn the_skip_is_on_screen_at_its_step() {
    let once = [
        ("variant", "once"),
        ("preset", "duplicates"),
        ("target", "8"),
    ];
    for (language, code) in [(Language::En, "en"), (Language::Zh, "zh")] {
        let mut app = app_with("combsum", language, &once);
        // Step 31 skips the second 1 at the root (see the test above's loop).
        app.advance(31);
        for (width, height) in [(80, 24), (120, 36)] {
            insta::assert_snapshot!(
                format!("combsum_skip_{code}_{width}x{height}"),
                render_text(&mut app, width, height)
            );
        }
    }
}
