//! The maximum gap lesson: the bucket (pigeonhole) solution, value by value.

pub mod model;
pub mod questions;
mod view;

use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::preset::{self, Shape};
use crate::lesson::replay::Replay;
use crate::lesson::{
    Choice, Event as Moment, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError,
    ParamSet, ParamSpec, Question, Timeline, choices, validate,
};
use crate::theme::Look;
use model::{Event, GapState, record, sort_and_scan};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "maxgap",
    title: tr!("Maximum gap", "最大间距"),
    summary: "largest gap between neighbours in sorted order, in linear time by buckets",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/maxgap.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/maxgap.toml")),
    questions: questions::KINDS,
};

/// The key moments of a run.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::NEW_BEST,
        ask: None,
        label: tr!("new best gap", "新的最大间距"),
        why: tr!(
            "a gap between two non-empty buckets beats every gap before it",
            "两个非空桶之间的间距超过了之前所有的间距"
        ),
    },
    EventKind {
        id: event::ANSWER,
        ask: Some(questions::kind::ANSWER),
        label: tr!("answer", "答案"),
        why: tr!(
            "the scan is over: the best gap found between buckets is the largest gap of all",
            "扫描结束：桶与桶之间找到的最大间距，就是所有间距中最大的"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const NEW_BEST: &str = "new-best";
    pub const ANSWER: &str = "answer";
}

const MAX_VALUES: usize = 2_000;
const MAX_VALUE: i64 = 1_000_000_000;

/// How many values a drawn preset holds, and the range they come from: a
/// number line a learner can read value by value.
const PRESET_COUNT: usize = 10;
const PRESET_VALUES: std::ops::RangeInclusive<i64> = 0..=99;
/// Three tight clusters far apart: most buckets are empty, and the answer
/// jumps across them.
const CLUSTERS: &[i64] = &[47, 3, 96, 8, 50, 99, 5, 44, 93, 52];

/// Where the values come from: the typed list or a preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preset {
    Custom,
    Random,
    Sorted,
    Reversed,
    FewUnique,
    Clusters,
}

choices!(Preset {
    Preset::Custom => "custom",
    Preset::Random => "random",
    Preset::Sorted => "sorted",
    Preset::Reversed => "reversed",
    Preset::FewUnique => "few-unique",
    Preset::Clusters => "clusters",
});

mod key {
    pub const DATA: &str = "data";
    pub const PRESET: &str = "preset";
}

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::int_list(
            key::DATA,
            0..=MAX_VALUES,
            -MAX_VALUE..=MAX_VALUE,
            &[3, 41, 9, 1, 27, 30, 12, 17, 6, 21],
        )
        .help(tr!(
            "the values; any order, duplicates allowed",
            "这些值；顺序任意，可重复"
        )),
        ParamSpec::choice(key::PRESET, Preset::Custom).help(tr!(
            "custom: the data above; random, sorted, reversed, few-unique: 10 values drawn \
             from the seed; clusters: three tight groups far apart",
            "custom：用上面的数据；random、sorted、reversed、few-unique：按种子生成 10 个值；\
             clusters：相距很远的三小团"
        )),
    ]
}

/// The typed values and the preset that may replace them.
struct Setup {
    typed: Vec<i64>,
    preset: Preset,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        Ok(Setup {
            typed: params.int_list(key::DATA)?.to_vec(),
            preset: params.choice(key::PRESET)?,
        })
    }
}

impl Setup {
    /// The values: typed, or the preset's, drawn from `seed`.
    fn values(&self, seed: u64) -> Vec<i64> {
        let drawn = |shape| preset::values(shape, PRESET_COUNT, PRESET_VALUES, seed);
        match self.preset {
            Preset::Custom => self.typed.clone(),
            Preset::Random => drawn(Shape::Random),
            Preset::Sorted => drawn(Shape::Sorted),
            Preset::Reversed => drawn(Shape::Reversed),
            Preset::FewUnique => drawn(Shape::FewUnique),
            Preset::Clusters => CLUSTERS.to_vec(),
        }
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // The algorithm is deterministic: the seed only draws a preset's values.
    let setup = Setup::from_params(params)?;
    let values = setup.values(seed);
    let (state, events) = record(&values);
    Ok(Box::new(MaxGapLesson {
        sorted_answer: sort_and_scan(&values),
        preset: setup.preset,
        replay: Replay::new(state, events),
    }))
}

pub struct MaxGapLesson {
    /// The sort-and-scan answer, shown beside the bucket one.
    sorted_answer: i64,
    preset: Preset,
    replay: Replay<GapState>,
}

impl MaxGapLesson {
    pub fn state(&self) -> &GapState {
        self.replay.state()
    }
    pub fn last(&self) -> Option<&Event> {
        self.replay.last()
    }
    pub fn sorted_answer(&self) -> i64 {
        self.sorted_answer
    }
    pub fn steps(&self) -> u64 {
        self.replay.steps()
    }
}

/// Pseudocode line numbers (0-based).
mod line {
    pub const FEW: usize = 0;
    pub const RANGE: usize = 1;
    pub const DROP: usize = 4;
    pub const SKIP: usize = 8;
    pub const GAP: usize = 9;
    pub const PREV: usize = 10;
    pub const RETURN: usize = 11;
}

// Every line fits the 80×24 layout's box (48 columns inside).
const CODE: &[&str] = &[
    "if n < 2: return 0",
    "lo, hi = min(a), max(a)",
    "b = max(1, (hi − lo) ÷ (n − 1))",
    "for x in a: k = (x − lo) ÷ b",
    "  bmin[k] = min(bmin[k], x)",
    "  bmax[k] = max(bmax[k], x)",
    "prev = none; best = 0",
    "for k in 0 ..= (hi − lo) ÷ b:",
    "  if bucket k is empty: continue",
    "  if prev: best = max(best, bmin[k] − prev)",
    "  prev = bmax[k]",
    "return best",
];

impl Lesson for MaxGapLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.replay
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.replay
    }
    fn total_steps(&self) -> Option<u64> {
        Some(self.replay.total())
    }
    fn is_finished(&self) -> bool {
        self.replay.is_finished()
    }

    fn pseudocode(&self, _lang: Lang) -> &'static [&'static str] {
        CODE
    }
    fn current_line(&self) -> usize {
        if self.is_finished() {
            return if self.state().values.len() < 2 {
                line::FEW
            } else {
                line::RETURN
            };
        }
        match self.last() {
            None => line::FEW,
            Some(Event::Range { .. }) => line::RANGE,
            Some(Event::Drop { .. }) => line::DROP,
            Some(&Event::Scan { bucket, gap, .. }) => match (gap, self.state().buckets[bucket]) {
                (_, None) => line::SKIP,
                (None, Some(_)) => line::PREV,
                (Some(_), Some(_)) => line::GAP,
            },
        }
    }
    fn events(&self, out: &mut Vec<Moment>) {
        let state = self.state();
        let Some(&Event::Scan { old_pair, .. }) = self.last() else {
            return;
        };
        let detail = |lo: i64, hi: i64, gap: i64| format!("lo={lo},hi={hi},gap={gap}");
        if let Some(pair) = state.pair
            && old_pair != Some(pair)
        {
            out.push(Moment::new(
                event::NEW_BEST,
                detail(pair.lo, pair.hi, state.best),
            ));
        }
        if self.is_finished() {
            // All values equal: the first two sorted neighbours are both lo.
            let (lo, hi) = state.pair.map_or((state.lo, state.lo), |p| (p.lo, p.hi));
            out.push(Moment::new(event::ANSWER, detail(lo, hi, state.best)));
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(&self.replay, pick)
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "phase", "index", "bucket", "best"]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let Some(event) = self.last() else {
            return;
        };
        let empty = || Field::Text(String::new());
        let (index, bucket) = match *event {
            Event::Range { index, .. } => (index.into(), empty()),
            Event::Drop { index, bucket, .. } => (index.into(), bucket.into()),
            Event::Scan { bucket, .. } => (empty(), bucket.into()),
        };
        rows.push(vec![
            self.replay.steps().into(),
            event.phase().into(),
            index,
            bucket,
            self.state().best.into(),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let state = self.state();
        let mut table = toml::Table::new();
        table.insert("answer".into(), state.best.into());
        table.insert("bucket_size".into(), state.bucket_size.into());
        table.insert(
            "bucket_count".into(),
            toml::Value::Integer(i64::try_from(state.bucket_count).unwrap_or(i64::MAX)),
        );
        table.insert("sort_and_scan".into(), self.sorted_answer.into());
        if let Some(pair) = state.pair {
            table.insert(
                "between".into(),
                toml::Value::Array(vec![pair.lo.into(), pair.hi.into()]),
            );
        }
        table.insert("preset".into(), self.preset.name().into());
        table.insert(
            "values".into(),
            toml::Value::Array(state.values.iter().map(|&v| v.into()).collect()),
        );
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}
