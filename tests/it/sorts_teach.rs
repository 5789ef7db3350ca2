//! The sorts' teaching layer against independent facts: `pass-done` against
//! per-pass arrays computed here, the questions' answers against the same
//! references, and the last step of every algorithm as a learner sees it.

use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lesson::{Answer, Event, Lesson, ParamSet};
use learndeck::lessons;
use proptest::prelude::*;

use crate::dashboard::app_with;

/// The run's settings as the questions' contexts and `--set` name them.
#[derive(Clone, Debug)]
enum Algo {
    Counting,
    Radix(i64),
    Bucket(i64),
}

impl Algo {
    fn settings(&self, data: &[i64]) -> Vec<(&'static str, String)> {
        let data = data
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut settings = vec![("data", data)];
        match self {
            Algo::Counting => settings.push(("algo", "counting".into())),
            Algo::Radix(base) => {
                settings.push(("algo", "radix".into()));
                settings.push(("base", base.to_string()));
            }
            Algo::Bucket(buckets) => {
                settings.push(("algo", "bucket".into()));
                settings.push(("buckets", buckets.to_string()));
            }
        }
        settings
    }
}

/// What radix sort subtracts: nothing unless a value is negative.
fn shift(data: &[i64]) -> i64 {
    data.iter().copied().min().unwrap_or(0).min(0)
}

/// Base-`base` digits of `n`, at least one.
fn digits(mut n: i64, base: i64) -> u32 {
    let mut count = 1;
    while n >= base {
        n /= base;
        count += 1;
    }
    count
}

/// The array after each pass, by the textbook: one stable sort for counting
/// and bucket sort; for LSD radix, after pass p the input stably sorted by
/// its last p base-b digits (of x, or of x − min when a value is negative).
fn reference_passes(data: &[i64], algo: &Algo) -> Vec<Vec<i64>> {
    match algo {
        Algo::Counting | Algo::Bucket(_) => {
            let mut sorted = data.to_vec();
            sorted.sort();
            vec![sorted]
        }
        Algo::Radix(base) => {
            let m = shift(data);
            let max = data.iter().copied().max().unwrap_or(0);
            (1..=digits(max - m, *base))
                .map(|p| {
                    let modulus = base.pow(p);
                    let mut pass = data.to_vec();
                    pass.sort_by_key(|x| (x - m) % modulus);
                    pass
                })
                .collect()
        }
    }
}

fn build(settings: &[(&str, String)]) -> Box<dyn Lesson> {
    let entry = lessons::find("sorts").expect("sorts");
    let mut params: ParamSet = entry.defaults();
    for (key, value) in settings {
        params.set_text(key, value).expect("a valid setting");
    }
    (entry.build)(&params, 1).expect("builds")
}

fn algos() -> impl Strategy<Value = Algo> {
    prop_oneof![
        Just(Algo::Counting),
        (2i64..=16).prop_map(Algo::Radix),
        (1i64..=8).prop_map(Algo::Bucket),
    ]
}

fn data() -> impl Strategy<Value = Vec<i64>> {
    prop_oneof![
        prop::collection::vec(0i64..=999, 1..25),
        prop::collection::vec(-300i64..=300, 1..25),
    ]
}

fn ints(value: &toml::Value) -> Vec<i64> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_integer().expect("an integer"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// One `pass-done` per pass, each with the array that pass leaves.
    #[test]
    fn pass_done_shows_each_pass_of_the_reference(data in data(), algo in algos()) {
        let mut lesson = build(&algo.settings(&data));
        let mut shown = Vec::new();
        let mut raised: Vec<Event> = Vec::new();
        while lesson.step() {
            lesson.events(&mut raised);
            shown.extend(raised.drain(..).filter(|e| e.kind == "pass-done").map(|e| {
                e.detail
                    .split(' ')
                    .map(|v| v.parse::<i64>().expect("a value"))
                    .collect::<Vec<_>>()
            }));
        }
        prop_assert_eq!(shown, reference_passes(&data, &algo));
    }

    /// `after-pass` and `lands-at` equal the references worked from their
    /// contexts alone, at every step of the run.
    #[test]
    fn answers_match_the_references(data in data(), algo in algos()) {
        let mut lesson = build(&algo.settings(&data));
        loop {
            for pick in 0..2 {
                let Some(question) = lesson.question(pick) else { continue };
                let context = &question.context;
                let data = ints(&context["data"]);
                let algo = match context["algo"].as_str().expect("algo") {
                    "counting" => Algo::Counting,
                    "radix" => Algo::Radix(context["base"].as_integer().expect("base")),
                    "bucket" => Algo::Bucket(context["buckets"].as_integer().expect("buckets")),
                    other => panic!("{other}"),
                };
                let pass = usize::try_from(context["pass"].as_integer().expect("pass"))
                    .expect("from 1");
                match (question.kind, &question.answer) {
                    ("after-pass", Answer::List(list)) => {
                        prop_assert_eq!(list, &reference_passes(&data, &algo)[pass - 1]);
                    }
                    ("lands-at", Answer::Integer(at)) => {
                        // Stable: every smaller key first, then equal keys read earlier.
                        let a = ints(&context["a"]);
                        let i = usize::try_from(context["index"].as_integer().expect("index"))
                            .expect("an index");
                        let min = data.iter().copied().min().unwrap_or(0);
                        let key = |x: i64| match algo {
                            Algo::Counting => x - min,
                            Algo::Radix(base) => {
                                let p = u32::try_from(pass - 1).expect("small");
                                (x - shift(&data)) / base.pow(p) % base
                            }
                            Algo::Bucket(_) => panic!("bucket sort places nothing"),
                        };
                        let k = key(a[i]);
                        let rank = a.iter().filter(|&&x| key(x) < k).count()
                            + a[..i].iter().filter(|&&x| key(x) == k).count();
                        prop_assert_eq!(*at, i64::try_from(rank).expect("small"));
                    }
                    (kind, answer) => panic!("{kind}: {answer:?}"),
                }
                prop_assert_eq!(question.check(&question.answer.typed()), Ok(true));
            }
            if !lesson.step() {
                break;
            }
        }
    }
}

#[test]
fn radix_takes_the_values_own_digits_unless_one_is_negative() {
    // 170's first digit is 0 and its second 7: its own, not those of 170 − min.
    let passes = reference_passes(&[170, 45, 75, 90, 802, 24, 2, 66], &Algo::Radix(10));
    assert_eq!(passes.len(), 3, "three digits in 802");
    assert_eq!(passes[0], [170, 90, 802, 2, 24, 45, 75, 66]);
    let mut app = app_with(
        "sorts",
        Language::En,
        &[("data", "170,45,75,90,802,24,2,66")],
    );
    app.advance(2);
    let screen = render_text(&mut app, 120, 36);
    assert!(!screen.contains("x−min"), "{screen}");
    assert!(screen.contains("pass 1/3"), "{screen}");
    let mut app = app_with("sorts", Language::En, &[]);
    app.advance(2);
    let screen = render_text(&mut app, 120, 36);
    assert!(
        screen.contains("x−min"),
        "the default data has −90: {screen}"
    );
}

#[test]
fn the_last_step_of_every_algorithm_at_both_sizes_in_both_languages() {
    let data = "3,1,4,1,5,9,2,6,5,3,5";
    for algo in ["counting", "radix", "bucket"] {
        for (language, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
            let mut app = app_with("sorts", language, &[("algo", algo), ("data", data)]);
            app.advance(u64::MAX);
            for (width, height) in [(80, 24), (120, 36)] {
                insta::assert_snapshot!(
                    format!("sorts_last_{algo}_{tag}_{width}x{height}"),
                    render_text(&mut app, width, height)
                );
            }
        }
    }
}

#[test]
fn presets_draw_their_shapes() {
    let first_pass = |preset: &str| -> Vec<i64> {
        let lesson = build(&[("preset", preset.to_string()), ("algo", "counting".into())]);
        let question = lesson.question(0).expect("after-pass at the start");
        ints(&question.context["data"])
    };
    let sorted = first_pass("sorted");
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "{sorted:?}");
    let reversed = first_pass("reversed");
    assert!(reversed.windows(2).all(|w| w[0] >= w[1]), "{reversed:?}");
    let mut few = first_pass("few-unique");
    few.sort_unstable();
    few.dedup();
    assert!(few.len() <= 3, "{few:?}");
    assert_eq!(first_pass("random").len(), 12);
    assert!(first_pass("wide").iter().any(|&x| x > 99));
}
