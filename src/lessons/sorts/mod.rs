//! The linear sorts lesson: counting, LSD radix and bucket sort, read by read.

pub mod model;
mod view;

use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::replay::Replay;
use crate::lesson::{
    Choice, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Timeline,
    choices, validate,
};
use crate::theme::Look;
use model::{Algo, Event, SortState, radix_passes, record, sorted};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "sorts",
    title: tr!("Linear sorts", "线性排序"),
    summary: "counting, LSD radix and bucket sort, pass by pass, with reads and writes",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/sorts.md"),
    events: &[],
    tour: None,
    questions: &[],
};

const MAX_VALUES: usize = 2_000;
const MAX_VALUE: i64 = 9_999;
const MAX_BASE: i64 = 16;
const MAX_BUCKETS: i64 = 100;
/// A run longer than this (bucket sort with few buckets on reversed data is
/// quadratic) is refused rather than recorded.
const MAX_EVENTS: usize = 2_000_000;

/// Which sort runs; its own settings (base, buckets) are read beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sort {
    Counting,
    Radix,
    Bucket,
}
choices!(Sort { Sort::Counting => "counting", Sort::Radix => "radix", Sort::Bucket => "bucket" });

mod key {
    pub const ALGO: &str = "algo";
    pub const DATA: &str = "data";
    pub const BASE: &str = "base";
    pub const BUCKETS: &str = "buckets";
}

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::choice(key::ALGO, Sort::Radix).help(tr!(
            "counting, radix (LSD) or bucket sort",
            "计数排序、基数排序（LSD）或桶排序"
        )),
        ParamSpec::int_list(
            key::DATA,
            1..=MAX_VALUES,
            -MAX_VALUE..=MAX_VALUE,
            &[170, 45, 75, -90, 802, 24, 2, 66, 45],
        )
        .help(tr!(
            "the values to sort; negatives and duplicates allowed",
            "要排序的值；可含负数与重复"
        )),
        ParamSpec::int(key::BASE, 2..=MAX_BASE, 10)
            .help(tr!("radix only: the digit base", "仅基数排序：数位的基")),
        ParamSpec::int(key::BUCKETS, 1..=MAX_BUCKETS, 5).help(tr!(
            "bucket only: how many buckets over [min, max]",
            "仅桶排序：把 [min, max] 分成多少个桶"
        )),
    ]
}

/// The sort, its input, and its whole run, recorded once.
struct Setup {
    sort: Sort,
    data: Vec<i64>,
    state: SortState,
    events: Vec<Event>,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let sort: Sort = params.choice(key::ALGO)?;
        let algo = match sort {
            Sort::Counting => Algo::Counting,
            Sort::Bucket => Algo::Bucket {
                buckets: params.count(key::BUCKETS)?,
            },
            Sort::Radix => Algo::Radix {
                base: params.count(key::BASE)? as u32,
            },
        };
        let data = params.int_list(key::DATA)?.to_vec();
        let (state, events) = record(&data, algo);
        if events.len() > MAX_EVENTS {
            return Err(ParamError::new(params.path(key::BUCKETS), {
                let steps = events.len();
                said!(
                    "this input takes {steps} steps, more than the {MAX_EVENTS} a run may have; \
                         use more buckets",
                    "这组输入要 {steps} 步，超过一次运行允许的 {MAX_EVENTS} 步；请多用几个桶"
                )
            }));
        }
        Ok(Setup {
            sort,
            data,
            state,
            events,
        })
    }
}

fn build(params: &ParamSet, _seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // The sorts are deterministic: the seed changes nothing.
    let Setup {
        sort,
        data,
        state,
        events,
    } = Setup::from_params(params)?;
    Ok(Box::new(SortsLesson {
        sort,
        data,
        replay: Replay::new(state, events),
    }))
}

pub struct SortsLesson {
    sort: Sort,
    data: Vec<i64>,
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
        let data = &self.data;
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
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
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
            self.replay.steps().into(),
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
        table.insert("algo".into(), self.sort.name().into());
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
