//! Questions (`Lesson::question`, `learndeck quiz`) against independent facts:
//! knapsack's answers worked out again by a brute-force DP from the
//! question's own context, the replies `check` accepts and refuses, and the
//! quiz sheet as a script reads it.

use std::path::PathBuf;
use std::process::{Command, Output};

use learndeck::lesson::{Answer, Field, ParamSet, Question};
use learndeck::lessons::{self, REGISTRY};
use proptest::prelude::*;

/// Picks tried at each state: enough to reach every kind a lesson has.
const PICKS: u64 = 4;

/// Steps a lesson is walked through when looking for the kinds it raises.
const WALK_STEPS: u64 = 300;

// --- a brute-force knapsack, fed only by a question's context ---------------

/// The instance a question's context describes.
struct Instance {
    weights: Vec<usize>,
    values: Vec<u64>,
    capacity: usize,
    forward_row: bool,
    /// Total weight exactly j rather than at most j.
    exact: bool,
}

pub(crate) fn int(table: &toml::Table, key: &str) -> i64 {
    table
        .get(key)
        .and_then(toml::Value::as_integer)
        .unwrap_or_else(|| panic!("context has no integer {key}: {table:?}"))
}

pub(crate) fn ints(table: &toml::Table, key: &str) -> Vec<i64> {
    table
        .get(key)
        .and_then(toml::Value::as_array)
        .unwrap_or_else(|| panic!("context has no list {key}: {table:?}"))
        .iter()
        .map(|value| value.as_integer().expect("an integer"))
        .collect()
}

pub(crate) fn texts(table: &toml::Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(toml::Value::as_array)
        .unwrap_or_else(|| panic!("context has no list {key}: {table:?}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// Lesson `id` with `settings` over its defaults, built for `seed`.
pub(crate) fn lesson_with(
    id: &str,
    settings: &[(&str, &str)],
    seed: u64,
) -> Box<dyn learndeck::lesson::Lesson> {
    let entry = learndeck::lessons::find(id).expect("a lesson");
    let mut params = entry.defaults();
    for (k, v) in settings {
        params.set_text(k, v).expect("a valid setting");
    }
    (entry.build)(&params, seed).expect("builds")
}

pub(crate) fn text<'a>(table: &'a toml::Table, key: &str) -> &'a str {
    table
        .get(key)
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("context has no text {key}: {table:?}"))
}

fn count(n: i64) -> usize {
    usize::try_from(n).expect("not negative")
}

impl Instance {
    fn from_context(context: &toml::Table) -> Instance {
        let mode = text(context, "mode");
        let order = text(context, "order");
        let fill = text(context, "fill");
        assert!(matches!(fill, "atmost" | "exact"), "{fill}");
        assert!(matches!(mode, "2d" | "1d"), "{mode}");
        assert!(matches!(order, "reverse" | "forward"), "{order}");
        Instance {
            weights: ints(context, "weights").into_iter().map(count).collect(),
            values: ints(context, "values")
                .into_iter()
                .map(|v| u64::try_from(v).expect("not negative"))
                .collect(),
            capacity: count(int(context, "capacity")),
            forward_row: mode == "1d" && order == "forward",
            exact: fill == "exact",
        }
    }

    /// g[i][j]: what the table holds for item i at capacity j once written.
    /// The 0/1 recurrence reads the row above at j − w; one row filled left
    /// to right reads its own row there (item i may already be in it).
    /// None is −∞: with an exact fill, no packing weighs exactly j.
    fn table(&self) -> Vec<Vec<Option<u64>>> {
        let n = self.weights.len();
        let start = if self.exact { None } else { Some(0) };
        let mut g = vec![vec![start; self.capacity + 1]; n + 1];
        g[0][0] = Some(0);
        for i in 1..=n {
            let (w, v) = (self.weights[i - 1], self.values[i - 1]);
            for j in 0..=self.capacity {
                let skip = g[i - 1][j];
                let take = (j >= w).then(|| {
                    let source = if self.forward_row { i } else { i - 1 };
                    g[source][j - w].map(|before| before + v)
                });
                g[i][j] = match (take.flatten(), skip) {
                    (Some(t), Some(s)) if t > s => Some(t),
                    (Some(t), None) => Some(t),
                    _ => skip,
                };
            }
        }
        g
    }

    /// The answer: the last row's corner, or its best cell with an exact fill.
    fn best(&self) -> u64 {
        let last = &self.table()[self.weights.len()];
        let best = if self.exact {
            last.iter().flatten().max().copied()
        } else {
            last[self.capacity]
        };
        best.expect("the empty packing always counts")
    }

    /// Whether item i wins at j: its take branch beats skipping it.
    fn takes(&self, i: usize, j: usize) -> bool {
        let g = self.table();
        let w = self.weights[i - 1];
        let source = if self.forward_row { i } else { i - 1 };
        let take = if j >= w {
            g[source][j - w].map(|before| before + self.values[i - 1])
        } else {
            None
        };
        take > g[i - 1][j]
    }
}

fn integer_answer(question: &Question) -> i64 {
    match question.answer {
        Answer::Integer(n) => n,
        ref other => panic!("{}: not an integer answer: {other:?}", question.kind),
    }
}

fn yes_answer(question: &Question) -> bool {
    match &question.answer {
        Answer::Choice { options, correct } => {
            assert_eq!(options.len(), 2, "yes or no");
            *correct == 0
        }
        other => panic!("{}: not a choice: {other:?}", question.kind),
    }
}

/// The cell the knapsack trace reports for the step just taken, and its
/// value (None for −∞, which the trace writes as `-inf`).
fn traced_cell(lesson: &dyn learndeck::lesson::Lesson) -> (i64, i64, Option<i64>) {
    let mut rows = Vec::new();
    lesson.trace_step(&mut rows);
    let row = rows.first().expect("a fill step traces a row");
    let number = |field: &Field| match field {
        Field::Int(n) => Some(*n),
        Field::Text(text) if text == "-inf" => None,
        other => panic!("not a whole number: {other:?}"),
    };
    let index = |field: &Field| number(field).expect("an index is a number");
    (index(&row[1]), index(&row[2]), number(&row[3]))
}

fn knapsack_params(
    items: &[(usize, u64)],
    capacity: usize,
    (mode, order, fill): (&str, &str, &str),
) -> ParamSet {
    let entry = lessons::find("knapsack").expect("knapsack");
    let mut params = entry.defaults();
    let join = |values: Vec<String>| values.join(",");
    let settings = [
        (
            "weights",
            join(items.iter().map(|(w, _)| w.to_string()).collect()),
        ),
        (
            "values",
            join(items.iter().map(|(_, v)| v.to_string()).collect()),
        ),
        ("capacity", capacity.to_string()),
        ("mode", mode.to_string()),
        ("order", order.to_string()),
        ("fill", fill.to_string()),
    ];
    for (key, value) in settings {
        params.set_text(key, &value).expect("a valid setting");
    }
    params
}

/// Cells a complete fill writes (the steps before the traceback).
fn cells(items: &[(usize, u64)], capacity: usize, mode: &str) -> u64 {
    let row = capacity + 1;
    let cells: usize = match mode {
        "2d" => items.len() * row,
        _ => items.iter().map(|&(w, _)| row.saturating_sub(w)).sum(),
    };
    cells as u64
}

/// Every question knapsack asks along one run, checked against the brute
/// force (from the context alone) and against what the lesson then shows.
fn check_knapsack_run(items: &[(usize, u64)], capacity: usize, setting: (&str, &str, &str)) {
    let entry = lessons::find("knapsack").expect("knapsack");
    let params = knapsack_params(items, capacity, setting);
    let mode = setting.0;
    let mut lesson = (entry.build)(&params, 1).expect("builds");
    let filling = cells(items, capacity, mode);
    loop {
        let at = lesson.steps();
        for pick in 0..PICKS {
            let Some(question) = lesson.question(pick) else {
                assert!(
                    at >= filling,
                    "nothing asked at step {at} of {filling} cells"
                );
                continue;
            };
            assert!(
                at < filling,
                "{} asked after the table is full",
                question.kind
            );
            assert!(question.steps >= 1, "a question is about a step to come");
            assert_eq!(question.check(&question.answer.typed()), Ok(true));
            let instance = Instance::from_context(&question.context);
            match question.kind {
                "cell" | "take" => {
                    let (i, j) = (
                        count(int(&question.context, "i")),
                        count(int(&question.context, "j")),
                    );
                    // The same cell, seen happen: step a rebuilt copy there.
                    let mut watched = (entry.build)(&params, 1).expect("builds");
                    for _ in 0..at + question.steps {
                        assert!(watched.step());
                    }
                    let (ti, tj, value) = traced_cell(watched.as_ref());
                    assert_eq!((count(ti), count(tj)), (i, j), "{}", question.kind);
                    if question.kind == "cell" {
                        assert_eq!(question.steps, 1);
                        let expect = instance.table()[i][j].expect("asked only where reachable");
                        assert_eq!(
                            integer_answer(&question),
                            i64::try_from(expect).expect("small")
                        );
                        assert_eq!(
                            Some(integer_answer(&question)),
                            value,
                            "what the table then shows"
                        );
                    } else {
                        assert!(j >= instance.weights[i - 1], "asked where the item fits");
                        assert_eq!(yes_answer(&question), instance.takes(i, j), "i={i} j={j}");
                    }
                }
                "best" => {
                    let expect = instance.best();
                    assert_eq!(
                        integer_answer(&question),
                        i64::try_from(expect).expect("small")
                    );
                    assert_eq!(
                        at + question.steps,
                        filling,
                        "best is about the rest of the fill"
                    );
                }
                other => panic!("undeclared kind {other}"),
            }
        }
        if !lesson.step() {
            break;
        }
    }
}

fn knapsack_items() -> impl Strategy<Value = Vec<(usize, u64)>> {
    prop::collection::vec((1usize..=8, 0u64..=20), 1..=5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `cell`, `take` and `best` equal a brute-force DP worked from the
    /// question's context, in every mode and order, at every step.
    #[test]
    fn knapsack_answers_match_a_brute_force_dp(
        items in knapsack_items(),
        capacity in 0usize..=16,
    ) {
        for (mode, order) in [("2d", "reverse"), ("1d", "reverse"), ("1d", "forward")] {
            for fill in ["atmost", "exact"] {
                check_knapsack_run(&items, capacity, (mode, order, fill));
            }
        }
    }
}

#[test]
fn the_default_instance_asks_all_three_kinds() {
    let entry = lessons::find("knapsack").expect("knapsack");
    let lesson = (entry.build)(&entry.defaults(), 1).expect("builds");
    let mut kinds: Vec<&str> = (0..PICKS)
        .filter_map(|pick| lesson.question(pick))
        .map(|question| question.kind)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds, ["best", "cell", "take"]);
}

// --- check -------------------------------------------------------------------

#[test]
fn check_accepts_the_answer_refuses_a_wrong_one_and_explains_a_malformed_one() {
    let entry = lessons::find("knapsack").expect("knapsack");
    let lesson = (entry.build)(&entry.defaults(), 1).expect("builds");
    for pick in 0..PICKS {
        let question = lesson.question(pick).expect("a question at step 0");
        let right = question.answer.typed();
        assert_eq!(question.check(&right), Ok(true), "{right}");
        assert_eq!(question.check(&format!("  {right} ")), Ok(true));
        let (wrong, malformed) = match &question.answer {
            Answer::Integer(n) => ((n + 1).to_string(), "twelve"),
            Answer::Choice { correct, .. } => {
                let other = if *correct == 0 { "b" } else { "a" };
                (other.to_string(), "z")
            }
            other => panic!("knapsack asks no {other:?}"),
        };
        assert_eq!(question.check(&wrong), Ok(false), "{wrong}");
        let err = question.check(malformed).expect_err("malformed");
        assert!(err.en.contains(malformed), "echoes the reply: {}", err.en);
        assert!(err.en.contains("type"), "names the form: {}", err.en);
        assert!(!err.zh.is_empty() && err.zh != err.en);
        assert!(question.check("").is_err(), "a blank reply is no answer");
    }
}

// --- declared kinds ------------------------------------------------------------

#[test]
fn every_kind_asked_is_declared_on_the_entry_and_ids_are_kebab_case() {
    for entry in REGISTRY {
        let ids: Vec<&str> = entry.questions.iter().map(|kind| kind.id).collect();
        for id in &ids {
            assert!(
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: {id} is not kebab-case",
                entry.id
            );
            assert_eq!(
                ids.iter().filter(|other| *other == id).count(),
                1,
                "{id} twice"
            );
        }
        let Ok(mut lesson) = (entry.build)(&entry.defaults(), 1) else {
            continue;
        };
        for _ in 0..WALK_STEPS {
            for pick in 0..PICKS {
                if let Some(question) = lesson.question(pick) {
                    assert!(
                        ids.contains(&question.kind),
                        "{} asks undeclared {}",
                        entry.id,
                        question.kind
                    );
                }
            }
            if !lesson.step() {
                break;
            }
        }
    }
}

// --- learndeck quiz ------------------------------------------------------------

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("learndeck-questions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn quiz(args: &[&str]) -> Output {
    let home = scratch();
    Command::new(env!("CARGO_BIN_EXE_learndeck"))
        .arg("quiz")
        .args(args)
        .env("XDG_CONFIG_HOME", &home)
        .env("HOME", &home)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

fn sheet(args: &[&str]) -> (String, toml::Table) {
    let out = quiz(args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = text.parse::<toml::Table>().expect("the sheet is TOML");
    (text, table)
}

fn questions(table: &toml::Table) -> Vec<toml::Table> {
    table
        .get("question")
        .and_then(toml::Value::as_array)
        .expect("[[question]]")
        .iter()
        .map(|value| value.as_table().expect("a table").clone())
        .collect()
}

#[test]
fn quiz_prints_the_questions_with_every_field() {
    let (_, table) = sheet(&["knapsack", "--seed", "3", "--count", "6"]);
    let asked = questions(&table);
    assert!(!asked.is_empty() && asked.len() <= 6, "{}", asked.len());
    let declared: Vec<&str> = lessons::find("knapsack")
        .expect("knapsack")
        .questions
        .iter()
        .map(|kind| kind.id)
        .collect();
    let mut last_step = -1;
    for question in &asked {
        let step = int(question, "step");
        assert!(step > last_step, "asked in run order, one per step");
        last_step = step;
        assert!(declared.contains(&text(question, "kind")));
        for key in ["prompt_en", "prompt_zh", "answer", "why_en", "why_zh"] {
            assert!(!text(question, key).is_empty(), "{key}");
        }
        assert_ne!(text(question, "prompt_en"), text(question, "prompt_zh"));
        assert!(int(question, "watch") >= 1);
        let context = question
            .get("context")
            .and_then(toml::Value::as_table)
            .expect("a context table");
        let instance = Instance::from_context(context);
        assert_eq!(instance.weights, [2, 4, 5, 6, 7]);
        let has_options = question.contains_key("options");
        assert_eq!(
            has_options,
            text(question, "kind") == "take",
            "options only for choices"
        );
        if has_options {
            assert!(matches!(text(question, "answer"), "a" | "b"));
        } else {
            text(question, "answer")
                .parse::<i64>()
                .expect("a whole number");
        }
    }
}

#[test]
fn quiz_is_reproducible_for_a_seed_and_differs_across_seeds() {
    let args = ["knapsack", "--seed", "11", "--set", "mode=1d"];
    let (first, table) = sheet(&args);
    let (again, _) = sheet(&args);
    assert_eq!(first, again);
    let asked = questions(&table);
    let others: Vec<Vec<toml::Table>> = ["12", "13", "14"]
        .iter()
        .map(|seed| questions(&sheet(&["knapsack", "--seed", seed, "--set", "mode=1d"]).1))
        .collect();
    assert!(
        others.iter().any(|other| *other != asked),
        "three other seeds all asked the same"
    );
}

#[test]
fn quiz_options_follow_lang_and_the_rest_is_both_languages() {
    let find_options = |lang: &str| -> Option<Vec<String>> {
        let (_, table) = sheet(&["knapsack", "--count", "20", "--lang", lang]);
        questions(&table).iter().find_map(|question| {
            question
                .get("options")
                .and_then(toml::Value::as_array)
                .map(|options| {
                    options
                        .iter()
                        .map(|option| option.as_str().unwrap_or_default().to_string())
                        .collect()
                })
        })
    };
    assert_eq!(
        find_options("en"),
        Some(vec!["yes".to_string(), "no".to_string()])
    );
    assert_eq!(
        find_options("zh"),
        Some(vec!["是".to_string(), "否".to_string()])
    );
}

/// Exit code 2, nothing on stdout, one line on stderr containing `needle`.
fn assert_refused(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(needle), "expected {needle} in {err}");
}

#[test]
fn quiz_refuses_an_unknown_lesson_and_a_count_out_of_bounds() {
    // Every lesson asks questions now, so "asks no questions yet" has no
    // lesson to be shown on; it stays for the next new lesson.
    assert_refused(&quiz(&["nosuch"]), "unknown lesson");
    assert_refused(&quiz(&["knapsack", "--count", "0"]), "--count");
    assert_refused(&quiz(&["knapsack", "--count", "101"]), "--count");
    assert_refused(&quiz(&["knapsack", "--set", "capacity=-1"]), "capacity");
}

#[test]
fn a_run_with_nothing_to_fill_prints_no_questions() {
    // Every item heavier than the capacity: one row fills no cell at all.
    let (_, table) = sheet(&["knapsack", "--set", "mode=1d", "--set", "capacity=1"]);
    assert!(questions_or_empty(&table).is_empty());
}

fn questions_or_empty(table: &toml::Table) -> Vec<toml::Value> {
    table
        .get("question")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default()
}
