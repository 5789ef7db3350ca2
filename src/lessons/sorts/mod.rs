//! The linear sorts lesson: counting, LSD radix and bucket sort, read by read.

pub mod model;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::lesson::replay::Replay;
use crate::lesson::{
    Field, Lesson, LessonEntry, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue,
    delegate_replay,
};
use crate::theme::Theme;
use model::{Algo, Event, SortState, radix_passes, record, sorted};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "sorts",
    title: "Linear sorts",
    summary: "counting, LSD radix and bucket sort, pass by pass, with reads and writes",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/sorts.md"),
};

const MAX_VALUES: usize = 2_000;
const MAX_VALUE: i64 = 9_999;
/// A run longer than this (bucket sort with few buckets on reversed data is
/// quadratic) is refused rather than recorded.
const MAX_EVENTS: usize = 2_000_000;

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "algo",
            help: "counting, radix (LSD) or bucket sort",
            kind: ParamKind::Choice(&["counting", "radix", "bucket"]),
            default: ParamValue::Choice("radix"),
        },
        ParamSpec {
            key: "data",
            help: "the values to sort; negatives and duplicates allowed",
            kind: ParamKind::IntList {
                min_len: 1,
                max_len: MAX_VALUES,
                min: -MAX_VALUE,
                max: MAX_VALUE,
            },
            default: ParamValue::IntList(vec![170, 45, 75, -90, 802, 24, 2, 66, 45]),
        },
        ParamSpec {
            key: "base",
            help: "radix only: the digit base",
            kind: ParamKind::Int {
                min: 2,
                max: 16,
                step: 1,
            },
            default: ParamValue::Int(10),
        },
        ParamSpec {
            key: "buckets",
            help: "bucket only: how many buckets over [min, max]",
            kind: ParamKind::Int {
                min: 1,
                max: 100,
                step: 1,
            },
            default: ParamValue::Int(5),
        },
    ]
}

fn algo_of(params: &ParamSet) -> Algo {
    match params.choice("algo") {
        "counting" => Algo::Counting,
        "bucket" => Algo::Bucket {
            buckets: params.int("buckets").unsigned_abs() as usize,
        },
        _ => Algo::Radix {
            base: params.int("base").unsigned_abs() as u32,
        },
    }
}

fn recorded(params: &ParamSet) -> Result<(SortState, Vec<Event>), ParamError> {
    let data = params.int_list("data");
    let (state, events) = record(data, algo_of(params));
    if events.len() > MAX_EVENTS {
        return Err(ParamError::new(
            params.path("buckets"),
            format!(
                "this input takes {} steps, more than the {MAX_EVENTS} a run may have; \
                 use more buckets",
                events.len()
            ),
        ));
    }
    Ok((state, events))
}

fn validate(params: &ParamSet) -> Result<(), ParamError> {
    recorded(params).map(|_| ())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let (state, events) = recorded(params)?;
    Ok(Box::new(SortsLesson {
        params: params.clone(),
        seed,
        replay: Replay::new(state, events),
    }))
}

pub struct SortsLesson {
    params: ParamSet,
    seed: u64,
    replay: Replay<SortState>,
}

impl SortsLesson {
    pub fn state(&self) -> &SortState {
        self.replay.state()
    }

    pub fn last(&self) -> Option<&Event> {
        self.replay.last()
    }

    /// Passes a complete run makes.
    pub fn passes(&self) -> u32 {
        let data = self.params.int_list("data");
        let span = match (data.iter().min(), data.iter().max()) {
            (Some(lo), Some(hi)) => (hi - lo).unsigned_abs(),
            _ => 0,
        };
        match self.state().algo {
            Algo::Radix { base } => radix_passes(span, base),
            _ => 1,
        }
    }
}

const CODE_COUNTING: &[&str] = &[
    "k = max − min + 1; count[0..k] = 0",
    "for x in a: count[x − min] += 1",
    "for d in 1..k: count[d] += count[d − 1]",
    "for x in a from the back:",
    "  count[x − min] −= 1; out[count[x − min]] = x",
];
const CODE_RADIX: &[&str] = &[
    "for p in 0..passes (digits of max − min):",
    "  for x in a: count[digit_p(x − min)] += 1",
    "  for d in 1..base: count[d] += count[d − 1]",
    "  for x in a from the back:",
    "    d = digit_p(x − min); count[d] −= 1; out[count[d]] = x",
    "  a = out",
];
const CODE_BUCKET: &[&str] = &[
    "for x in a: bucket[(x − min)·B ÷ (max − min + 1)].push(x)",
    "for b in buckets: insertion sort b:",
    "  while left neighbour > item: swap them",
    "a = bucket 0 ++ bucket 1 ++ … ++ bucket B−1",
];

impl Lesson for SortsLesson {
    delegate_replay!(replay);

    fn pseudocode(&self) -> &'static [&'static str] {
        match self.state().algo {
            Algo::Counting => CODE_COUNTING,
            Algo::Radix { .. } => CODE_RADIX,
            Algo::Bucket { .. } => CODE_BUCKET,
        }
    }
    fn current_line(&self) -> usize {
        let radix = matches!(self.state().algo, Algo::Radix { .. });
        let shift = usize::from(radix);
        match self.last() {
            None | Some(Event::StartPass { .. }) => 0,
            Some(Event::Count { .. }) => 1,
            Some(Event::Prefix { .. }) => 2,
            Some(Event::Place { .. }) => 3 + shift,
            Some(Event::Swap) if radix => 5,
            Some(Event::Swap) => 4,
            Some(Event::Scatter { .. }) => 0,
            Some(Event::Compare { .. } | Event::Shift { .. }) => 2,
            Some(Event::Gather { .. }) => 3,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "phase", "index", "array"]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let Some(event) = self.last() else {
            return;
        };
        let state = self.state();
        // While a pass fills its output, that is the array to watch.
        let shown = match event {
            Event::Place { .. } | Event::Gather { .. } => &state.dst,
            _ => &state.src,
        };
        rows.push(vec![
            self.steps().into(),
            event.phase().name().into(),
            event
                .index()
                .map_or(Field::Text(String::new()), Field::from),
            Field::Text(slots(shown)),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let state = self.state();
        let count = |n: u64| toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        let mut table = toml::Table::new();
        table.insert(
            "sorted".into(),
            toml::Value::Array(
                sorted(state)
                    .into_iter()
                    .map(toml::Value::Integer)
                    .collect(),
            ),
        );
        table.insert("passes".into(), count(u64::from(self.passes())));
        table.insert("writes".into(), count(state.writes));
        table.insert("reads".into(), count(state.reads));
        table.insert("algo".into(), self.params.choice("algo").into());
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}

/// An array with empty slots as `_`, space-separated.
pub fn slots(array: &[Option<model::Item>]) -> String {
    array
        .iter()
        .map(|slot| slot.map_or("_".to_string(), |item| item.key.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}
