//! The maximum gap lesson: the bucket (pigeonhole) solution, value by value.

pub mod model;
mod view;

use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::replay::Replay;
use crate::lesson::{
    Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Timeline, validate,
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
    events: &[],
    tour: None,
    questions: &[],
};

const MAX_VALUES: usize = 2_000;
const MAX_VALUE: i64 = 1_000_000_000;

mod key {
    pub const DATA: &str = "data";
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
    ]
}

/// The values whose largest gap is sought.
struct Setup {
    values: Vec<i64>,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        Ok(Setup {
            values: params.int_list(key::DATA)?.to_vec(),
        })
    }
}

fn build(params: &ParamSet, _seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // The algorithm is deterministic: the seed changes nothing.
    let Setup { values } = Setup::from_params(params)?;
    let (state, events) = record(&values);
    Ok(Box::new(MaxGapLesson {
        sorted_answer: sort_and_scan(&values),
        replay: Replay::new(state, events),
    }))
}

pub struct MaxGapLesson {
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
    pub fn steps(&self) -> u64 {
        self.replay.steps()
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
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}
