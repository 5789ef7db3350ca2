//! The maximum gap lesson: the bucket (pigeonhole) solution, value by value.

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
use model::{Event, GapState, record, sort_and_scan};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "maxgap",
    title: "Maximum gap",
    summary: "largest gap between neighbours in sorted order, in linear time by buckets",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/maxgap.md"),
};

const MAX_VALUES: usize = 2_000;
const MAX_VALUE: i64 = 1_000_000_000;

fn specs() -> Vec<ParamSpec> {
    vec![ParamSpec {
        key: "data",
        help: "the values; any order, duplicates allowed",
        kind: ParamKind::IntList {
            min_len: 0,
            max_len: MAX_VALUES,
            min: -MAX_VALUE,
            max: MAX_VALUE,
        },
        default: ParamValue::IntList(vec![3, 41, 9, 1, 27, 30, 12, 17, 6, 21]),
    }]
}

fn validate(_params: &ParamSet) -> Result<(), ParamError> {
    Ok(())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let values = params.int_list("data");
    let (state, events) = record(values);
    Ok(Box::new(MaxGapLesson {
        params: params.clone(),
        seed,
        sorted_answer: sort_and_scan(values),
        replay: Replay::new(state, events),
    }))
}

pub struct MaxGapLesson {
    params: ParamSet,
    seed: u64,
    /// The sort-and-scan answer, shown beside the bucket one.
    sorted_answer: i64,
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
}

const CODE: &[&str] = &[
    "if n < 2: return 0",
    "lo, hi = min(a), max(a)",
    "b = max(1, (hi − lo) ÷ (n − 1))",
    "for x in a: k = (x − lo) ÷ b",
    "  bmin[k] = min(bmin[k], x); bmax[k] = max(bmax[k], x)",
    "prev = bmax[first non-empty]",
    "for each non-empty bucket k after it:",
    "  best = max(best, bmin[k] − prev); prev = bmax[k]",
    "return best",
];

impl Lesson for MaxGapLesson {
    delegate_replay!(replay);

    fn pseudocode(&self) -> &'static [&'static str] {
        CODE
    }
    fn current_line(&self) -> usize {
        if self.is_finished() {
            return 8;
        }
        match self.last() {
            None => 0,
            Some(Event::Range { .. }) => 1,
            Some(Event::Drop { .. }) => 4,
            Some(Event::Scan { gap: None, .. }) => 5,
            Some(Event::Scan { .. }) => 7,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
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
            self.steps().into(),
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
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}
