//! The linear sorts lesson: counting, LSD radix and bucket sort, read by read.

pub mod model;
pub mod questions;
mod view;

use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::replay::Replay;
use crate::lesson::shape::{Shape, generate};
use crate::lesson::{
    Choice, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec,
    Question, Timeline, choices, validate,
};
use crate::theme::Look;
use model::{Algo, Event, SortState, radix_offset, radix_passes, record, sorted};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "sorts",
    title: tr!("Linear sorts", "线性排序"),
    summary: "counting, LSD radix and bucket sort, pass by pass, with reads and writes",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/sorts.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/sorts.toml")),
    questions: questions::KINDS,
};

/// The key moments of a sort.
const EVENTS: &[EventKind] = &[EventKind {
    id: event::PASS_DONE,
    ask: Some(questions::kind::AFTER_PASS),
    label: tr!("pass done", "一趟完成"),
    why: tr!(
        "a pass is over and its output becomes the array: for radix sort, ordered by the \
         digits so far; for counting and bucket sort, sorted",
        "一趟结束，输出成为新的数组：基数排序按已处理的各位有序；计数排序和桶排序则已完全有序"
    ),
}];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const PASS_DONE: &str = "pass-done";
}

/// Where the values to sort come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preset {
    /// The `data` parameter as typed.
    Custom,
    Random,
    Sorted,
    Reversed,
    FewUnique,
    /// Values far apart: k = max − min + 1 dwarfs n.
    Wide,
}
choices!(Preset {
    Preset::Custom => "custom",
    Preset::Random => "random",
    Preset::Sorted => "sorted",
    Preset::Reversed => "reversed",
    Preset::FewUnique => "few-unique",
    Preset::Wide => "wide",
});

/// Values a preset draws: one screen row at 80 columns.
const PRESET_LEN: usize = 12;
/// Two-digit values: a counting sort over them has at most 100 counters.
const PRESET_RANGE: std::ops::RangeInclusive<i64> = 0..=99;
/// The wide preset spreads its values over four digits.
const WIDE_RANGE: std::ops::RangeInclusive<i64> = 0..=MAX_VALUE;

impl Preset {
    /// The values drawn for `seed`, or `None` for `custom`.
    fn values(self, seed: u64) -> Option<Vec<i64>> {
        let (shape, range) = match self {
            Preset::Custom => return None,
            Preset::Random => (Shape::Random, PRESET_RANGE),
            Preset::Sorted => (Shape::Sorted, PRESET_RANGE),
            Preset::Reversed => (Shape::Reversed, PRESET_RANGE),
            Preset::FewUnique => (Shape::FewUnique, PRESET_RANGE),
            Preset::Wide => (Shape::Random, WIDE_RANGE),
        };
        Some(generate(shape, PRESET_LEN, range, seed))
    }
}

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
    pub const PRESET: &str = "preset";
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
            "the values to sort (preset custom); negatives and duplicates allowed",
            "要排序的值（preset 为 custom 时）；可含负数与重复"
        )),
        ParamSpec::int(key::BASE, 2..=MAX_BASE, 10)
            .help(tr!("radix only: the digit base", "仅基数排序：数位的基")),
        ParamSpec::int(key::BUCKETS, 1..=MAX_BUCKETS, 5).help(tr!(
            "bucket only: how many buckets over [min, max]",
            "仅桶排序：把 [min, max] 分成多少个桶"
        )),
        ParamSpec::choice(key::PRESET, Preset::Custom).help(tr!(
            "custom: the data list; random, sorted, reversed, few-unique: 12 values 0–99 drawn \
             from the seed (R draws again); wide: 12 values up to 9999, so k ≫ n",
            "custom：用 data 列表；random、sorted、reversed、few-unique：按种子抽 12 个 0–99 \
             的值（R 重新抽）；wide：12 个最大到 9999 的值，k 远大于 n"
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
        Setup::with_seed(params, crate::config::DEFAULT_SEED)
    }
}

impl Setup {
    /// The run for these parameters, a preset's values drawn from `seed`.
    fn with_seed(params: &ParamSet, seed: u64) -> Result<Setup, ParamError> {
        let sort: Sort = params.choice(key::ALGO)?;
        let preset: Preset = params.choice(key::PRESET)?;
        let algo = match sort {
            Sort::Counting => Algo::Counting,
            Sort::Bucket => Algo::Bucket {
                buckets: params.count(key::BUCKETS)?,
            },
            Sort::Radix => Algo::Radix {
                base: params.count(key::BASE)? as u32,
            },
        };
        let typed = params.int_list(key::DATA)?.to_vec();
        let data = preset.values(seed).unwrap_or(typed);
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

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // The sorts are deterministic: the seed only draws a preset's values.
    let Setup {
        sort,
        data,
        state,
        events,
    } = Setup::with_seed(params, seed)?;
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
            (Some(&lo), Some(&hi)) => (hi - radix_offset(lo)).unsigned_abs(),
            _ => 0,
        };
        match self.state().algo {
            Algo::Radix { base } => radix_passes(span, base),
            _ => 1,
        }
    }

    /// The values sorted, as given (or drawn by the preset).
    pub fn data(&self) -> &[i64] {
        &self.data
    }

    /// The run's settings, for questions' contexts.
    pub fn algo(&self) -> Algo {
        self.state().algo
    }
}

const CODE_COUNTING: &[&str] = &[
    "k = max − min + 1; count[0..k] = 0",
    "for x in a: count[x − min] += 1",
    "for d in 1..k: count[d] += count[d − 1]",
    "for x in a from the back:",
    "  count[x − min] −= 1; out[count[x − min]] = x",
    "a = out",
];
const CODE_RADIX: &[&str] = &[
    "m = min if min < 0 else 0    # x − m is never negative",
    "for p in 0..passes (base-b digits of max − m):",
    "  for x in a: count[digit_p(x − m)] += 1",
    "  for d in 1..base: count[d] += count[d − 1]",
    "  for x in a from the back:",
    "    d = digit_p(x − m); count[d] −= 1; out[count[d]] = x",
    "  a = out",
];
/// `CODE_RADIX` with its comment in Chinese: the code is the same.
const CODE_RADIX_ZH: &[&str] = &[
    "m = min if min < 0 else 0    # x − m 不会是负数",
    "for p in 0..passes (base-b digits of max − m):",
    "  for x in a: count[digit_p(x − m)] += 1",
    "  for d in 1..base: count[d] += count[d − 1]",
    "  for x in a from the back:",
    "    d = digit_p(x − m); count[d] −= 1; out[count[d]] = x",
    "  a = out",
];
const CODE_BUCKET: &[&str] = &[
    "for x in a: bucket[(x − min)·B ÷ (max − min + 1)].push(x)",
    "for b in buckets: insertion sort b:",
    "  while left neighbour > item: swap them",
    "a = bucket 0 ++ bucket 1 ++ … ++ bucket B−1",
];

/// Pseudocode line numbers (0-based) of the listings above.
mod line {
    pub const COUNT: usize = 1;
    pub const PREFIX: usize = 2;
    pub const PLACE: usize = 4;
    pub const SWAP: usize = 5;
    /// Radix has its offset line first: every line one further down.
    pub const RADIX_SHIFT: usize = 1;
    pub const SCATTER: usize = 0;
    pub const INSERT: usize = 2;
    pub const GATHER: usize = 3;
}

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

    fn pseudocode(&self, lang: Lang) -> &'static [&'static str] {
        match self.state().algo {
            Algo::Counting => CODE_COUNTING,
            Algo::Radix { .. } if lang == Lang::Zh => CODE_RADIX_ZH,
            Algo::Radix { .. } => CODE_RADIX,
            Algo::Bucket { .. } => CODE_BUCKET,
        }
    }
    fn current_line(&self) -> usize {
        let algo = self.state().algo;
        let shift = match algo {
            Algo::Radix { .. } => line::RADIX_SHIFT,
            _ => 0,
        };
        match (self.last(), algo) {
            (None, _) => 0,
            (_, Algo::Bucket { .. }) => match self.last() {
                Some(Event::Compare { .. } | Event::Shift { .. }) => line::INSERT,
                Some(Event::Gather { .. } | Event::Swap { .. }) => line::GATHER,
                _ => line::SCATTER,
            },
            (Some(Event::StartPass { .. }), _) => shift,
            (Some(Event::Count { .. }), _) => line::COUNT + shift,
            (Some(Event::Prefix { .. }), _) => line::PREFIX + shift,
            (Some(Event::Place { .. }), _) => line::PLACE + shift,
            (Some(_), _) => line::SWAP + shift,
        }
    }
    fn events(&self, out: &mut Vec<crate::lesson::Event>) {
        if let Some(Event::Swap { .. }) = self.last() {
            let keys = sorted(self.state())
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            out.push(crate::lesson::Event::new(event::PASS_DONE, keys));
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self, pick)
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
