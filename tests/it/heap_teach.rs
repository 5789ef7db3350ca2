//! The heap's teaching layer against independent facts: its `returned`
//! events and its questions' answers against a plain heapq written here,
//! its presets, and how it looks at the end of a run.

use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lesson::{Answer, Event, Lesson, ParamSet};
use learndeck::lessons;
use proptest::prelude::*;

use crate::dashboard::app_with;

/// Lib/heapq.py, line for line, on a Vec: what the lesson must agree with.
mod heapq {
    fn siftdown(heap: &mut [i64], start: usize, mut pos: usize) {
        let newitem = heap[pos];
        while pos > start {
            let parentpos = (pos - 1) >> 1;
            let parent = heap[parentpos];
            if newitem < parent {
                heap[pos] = parent;
                pos = parentpos;
                continue;
            }
            break;
        }
        heap[pos] = newitem;
    }

    #[allow(clippy::nonminimal_bool)]
    fn siftup(heap: &mut [i64], mut pos: usize) {
        let endpos = heap.len();
        let startpos = pos;
        let newitem = heap[pos];
        let mut childpos = 2 * pos + 1;
        while childpos < endpos {
            let rightpos = childpos + 1;
            if rightpos < endpos && !(heap[childpos] < heap[rightpos]) {
                childpos = rightpos;
            }
            heap[pos] = heap[childpos];
            pos = childpos;
            childpos = 2 * pos + 1;
        }
        heap[pos] = newitem;
        siftdown(heap, startpos, pos);
    }

    pub fn heapify(x: &mut [i64]) {
        for i in (0..x.len() / 2).rev() {
            siftup(x, i);
        }
    }

    pub fn heappush(heap: &mut Vec<i64>, item: i64) {
        heap.push(item);
        let end = heap.len() - 1;
        siftdown(heap, 0, end);
    }

    pub fn heappop(heap: &mut Vec<i64>) -> i64 {
        let lastelt = heap.pop().expect("IndexError: pop from empty list");
        if let Some(returnitem) = heap.first().copied() {
            heap[0] = lastelt;
            siftup(heap, 0);
            return returnitem;
        }
        lastelt
    }

    pub fn heapreplace(heap: &mut [i64], item: i64) -> i64 {
        let returnitem = heap[0];
        heap[0] = item;
        siftup(heap, 0);
        returnitem
    }

    pub fn heappushpop(heap: &mut [i64], mut item: i64) -> i64 {
        if !heap.is_empty() && heap[0] < item {
            std::mem::swap(&mut item, &mut heap[0]);
            siftup(heap, 0);
        }
        item
    }
}

/// Runs one script word on `heap` with the reference; what it returns.
fn apply(heap: &mut Vec<i64>, op: &str) -> Vec<i64> {
    let arg = |word: &str| -> i64 {
        word.split_once(':')
            .and_then(|(_, n)| n.parse().ok())
            .expect("a number after the colon")
    };
    match op {
        "heapify" => {
            heapq::heapify(heap);
            Vec::new()
        }
        "pop" => vec![heapq::heappop(heap)],
        "sort" => {
            let mut out = Vec::new();
            while !heap.is_empty() {
                out.push(heapq::heappop(heap));
            }
            out
        }
        word if word.starts_with("pushpop:") => vec![heapq::heappushpop(heap, arg(word))],
        word if word.starts_with("push:") => {
            heapq::heappush(heap, arg(word));
            Vec::new()
        }
        word if word.starts_with("replace:") => vec![heapq::heapreplace(heap, arg(word))],
        other => panic!("not a script word: {other}"),
    }
}

fn join(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn build(settings: &[(&str, String)], seed: u64) -> Box<dyn Lesson> {
    let entry = lessons::find("heap").expect("heap");
    let mut params: ParamSet = entry.defaults();
    for (key, value) in settings {
        params.set_text(key, value).expect("a valid setting");
    }
    (entry.build)(&params, seed).expect("builds")
}

/// A random script that never pops or replaces on an empty heap.
fn script(start: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((0u8..6, -30i64..30), 0..12).prop_map(move |raw| {
        let mut len = start;
        raw.into_iter()
            .map(|(kind, x)| {
                let (word, next) = match kind {
                    1 if len > 0 => ("pop".to_string(), len - 1),
                    2 => (format!("pushpop:{x}"), len),
                    3 if len > 0 => (format!("replace:{x}"), len),
                    4 => ("sort".to_string(), 0),
                    _ => (format!("push:{x}"), len + 1),
                };
                len = next;
                word
            })
            .collect()
    })
}

fn case() -> impl Strategy<Value = (Vec<i64>, Vec<String>)> {
    prop::collection::vec(-30i64..30, 0..20)
        .prop_flat_map(|input| (Just(input.clone()), script(input.len())))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `returned` names every value heapq hands back, in order, and
    /// `op-done` the list heapq leaves after each op.
    #[test]
    fn returned_events_are_heapqs_results(case in case()) {
        let (input, ops) = case;
        let mut heap = input.clone();
        let mut expected = apply(&mut heap, "heapify");
        let mut after_ops = vec![heap.clone()];
        for op in &ops {
            expected.extend(apply(&mut heap, op));
            after_ops.push(heap.clone());
        }
        let mut lesson = build(&[("input", join(&input)), ("ops", ops.join(","))], 1);
        let (mut returned, mut done_heaps) = (Vec::new(), Vec::new());
        let mut raised: Vec<Event> = Vec::new();
        while lesson.step() {
            lesson.events(&mut raised);
            for event in raised.drain(..) {
                match event.kind {
                    "returned" => returned.push(event.detail.parse::<i64>().expect("a value")),
                    "op-done" => done_heaps.push(event.detail),
                    _ => {}
                }
            }
        }
        prop_assert_eq!(returned, expected);
        // The last op-done of each op (a sort raises one per pop) shows its list.
        let last_of_each: Vec<Vec<i64>> = done_heaps
            .iter()
            .map(|detail| {
                let heap = detail.split_once("heap=").expect("heap=").1;
                heap.split_whitespace().map(|v| v.parse().expect("a value")).collect()
            })
            .collect();
        for state in &after_ops {
            prop_assert!(last_of_each.contains(state), "{:?} never shown", state);
        }
    }

    /// Each question's answer is what heapq gives for the context's heap and
    /// op, and the lesson then shows it.
    #[test]
    fn answers_are_heapqs(case in case()) {
        let (input, ops) = case;
        let settings = [("input", join(&input)), ("ops", ops.join(","))];
        let mut lesson = build(&settings, 1);
        loop {
            for pick in 0..2 {
                let Some(question) = lesson.question(pick) else { continue };
                let context = &question.context;
                let mut heap: Vec<i64> = context["heap"]
                    .as_array()
                    .expect("heap")
                    .iter()
                    .map(|v| v.as_integer().expect("an integer"))
                    .collect();
                let op = context["op"].as_str().expect("op");
                let returned = apply(&mut heap, op);
                match (question.kind, &question.answer) {
                    ("after-op", Answer::List(list)) => prop_assert_eq!(list, &heap),
                    ("returns", Answer::Integer(value)) => {
                        prop_assert_eq!(vec![*value], returned)
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
fn presets_draw_their_shapes_from_the_seed() {
    let values = |preset: &str, seed: u64| -> Vec<i64> {
        let lesson = build(
            &[("preset", preset.to_string()), ("ops", String::new())],
            seed,
        );
        let question = lesson.question(0).expect("heapify is asked at the start");
        question.context["heap"]
            .as_array()
            .expect("heap")
            .iter()
            .map(|v| v.as_integer().expect("an integer"))
            .collect()
    };
    let sorted = values("sorted", 3);
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "{sorted:?}");
    let reversed = values("reversed", 3);
    assert!(reversed.windows(2).all(|w| w[0] >= w[1]), "{reversed:?}");
    let mut few = values("few-unique", 3);
    few.sort_unstable();
    few.dedup();
    assert!(few.len() <= 3, "{few:?}");
    assert_eq!(values("random", 3), values("random", 3));
    assert_ne!(values("random", 3), values("random", 4));
    assert_eq!(values("large", 3).len(), 100);
    assert_eq!(values("random", 3).len(), 15);
}

#[test]
fn the_script_is_checked_against_the_presets_length() {
    let entry = lessons::find("heap").expect("heap");
    let mut params = entry.defaults();
    params.set_text("preset", "random").expect("valid");
    params
        .set_text("ops", &vec!["pop"; 16].join(","))
        .expect("valid text");
    let err = (entry.validate)(&params).expect_err("16 pops of 15 values");
    assert!(err.to_string().contains("empty heap"), "{err}");
}

#[test]
fn the_last_step_at_both_sizes_in_both_languages() {
    for (language, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
        let mut app = app_with("heap", language, &[]);
        app.advance(u64::MAX);
        for (width, height) in [(80, 24), (120, 36)] {
            insta::assert_snapshot!(
                format!("heap_last_{tag}_{width}x{height}"),
                render_text(&mut app, width, height)
            );
        }
    }
}

#[test]
fn a_deep_pop_keeps_the_compared_nodes_on_screen() {
    // 100 values: the sift is deep in the tree, shown as the subtree around it.
    let mut app = app_with(
        "heap",
        Language::En,
        &[("preset", "large"), ("ops", "sort")],
    );
    app.advance(400);
    for (width, height) in [(80, 24), (120, 36)] {
        insta::assert_snapshot!(
            format!("heap_large_sort_{width}x{height}"),
            render_text(&mut app, width, height)
        );
    }
}
