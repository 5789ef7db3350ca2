//! The binary heap lesson: CPython's `heapq`, comparison by comparison.

pub mod model;
pub mod questions;
mod view;

use crate::i18n::Said;
use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::Event as LessonEvent;
use crate::lesson::shape::{Shape, generate};
use crate::lesson::timeline::UndoLog;
use crate::lesson::{
    EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Question,
    Timeline, choices, validate,
};
use crate::theme::Look;
use model::{Event, HeapRun, Op, check_sizes, line, naive_comparisons, parse_ops};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "heap",
    title: tr!("Binary heap", "二叉堆"),
    summary: "CPython heapq exactly: heapify, push, pop, pushpop, replace, sort, sift by sift",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/heap.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/heap.toml")),
    questions: questions::KINDS,
};

/// The key moments of a heap run.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::RETURNED,
        ask: Some(questions::kind::RETURNS),
        label: tr!("value returned", "返回一个值"),
        why: tr!(
            "a value leaves the heap: the root for pop, replace and each pop of heap sort, \
             the smaller of root and new item for pushpop",
            "一个值离开了堆：pop、replace 和堆排序的每次弹出交出根，pushpop 交出根与新元素中较小的那个"
        ),
    },
    EventKind {
        id: event::LEAF,
        ask: None,
        label: tr!("hole at a leaf", "空位到达叶子"),
        why: tr!(
            "_siftup walked the hole down to a leaf without comparing the held item once; \
             only now does the item go in and get compared, on its way back up",
            "_siftup 一路把空位带到叶子，从未拿暂存的元素比较过；直到这时才把它放进去，\
             在回升的路上才开始比较"
        ),
    },
    EventKind {
        id: event::OP_DONE,
        ask: None,
        label: tr!("op done", "操作完成"),
        why: tr!(
            "an operation (or one pop of heap sort) finished: the list is a heap again",
            "一个操作（或堆排序的一次弹出）完成：列表重新成为堆"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const RETURNED: &str = "returned";
    pub const LEAF: &str = "leaf";
    pub const OP_DONE: &str = "op-done";
}

/// Where the list to heapify comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preset {
    /// The `input` parameter as typed.
    Custom,
    Random,
    Sorted,
    Reversed,
    FewUnique,
    /// Many random values: deep pops, where the bottom-up sift saves most.
    Large,
}
choices!(Preset {
    Preset::Custom => "custom",
    Preset::Random => "random",
    Preset::Sorted => "sorted",
    Preset::Reversed => "reversed",
    Preset::FewUnique => "few-unique",
    Preset::Large => "large",
});

/// Values a preset draws: four full levels of the tree.
const PRESET_LEN: usize = 15;
/// Values the `large` preset draws: more levels than any screen shows whole.
const LARGE_LEN: usize = 100;
/// Preset values are two digits, so the tree's labels stay narrow.
const PRESET_RANGE: std::ops::RangeInclusive<i64> = 1..=99;

impl Preset {
    /// The values drawn for `seed`, or `None` for `custom`.
    fn values(self, seed: u64) -> Option<Vec<i64>> {
        let (shape, len) = match self {
            Preset::Custom => return None,
            Preset::Random => (Shape::Random, PRESET_LEN),
            Preset::Sorted => (Shape::Sorted, PRESET_LEN),
            Preset::Reversed => (Shape::Reversed, PRESET_LEN),
            Preset::FewUnique => (Shape::FewUnique, PRESET_LEN),
            Preset::Large => (Shape::Random, LARGE_LEN),
        };
        Some(generate(shape, len, PRESET_RANGE, seed))
    }

    /// How many values the run starts with, whatever the seed.
    fn len(self, custom: usize) -> usize {
        match self {
            Preset::Custom => custom,
            Preset::Large => LARGE_LEN,
            _ => PRESET_LEN,
        }
    }
}

/// Steps of history kept for `p`: records are ~90 bytes, and a small ring
/// stays in cache beside a large heap (measured: 10,000 records slowed a
/// 100k-value heap sort by half again).
pub const UNDO_CAPACITY: usize = 2_000;
const MAX_INPUT: usize = 255;
const MAX_VALUE: i64 = 999_999;
const MAX_SCRIPT: usize = 1_000;

mod key {
    pub const PRESET: &str = "preset";
    pub const INPUT: &str = "input";
    pub const OPS: &str = "ops";
}

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::int_list(
            key::INPUT,
            0..=MAX_INPUT,
            -MAX_VALUE..=MAX_VALUE,
            &[5, 3, 8, 1, 9, 2],
        )
        .help(tr!(
            "the list to heapify first (preset custom)",
            "先做 heapify 的列表（preset 为 custom 时）"
        )),
        ParamSpec::text(key::OPS, MAX_SCRIPT, "pop,push:0,pushpop:4,replace:7,sort").help(tr!(
            "script: push:N, pop, pushpop:N, replace:N, sort, comma-separated",
            "操作脚本：push:N、pop、pushpop:N、replace:N、sort，以逗号分隔"
        )),
        ParamSpec::choice(key::PRESET, Preset::Custom).help(tr!(
            "custom: the input list; random, sorted, reversed, few-unique: 15 values drawn from \
             the seed (R draws again); large: 100 random values",
            "custom：用 input 列表；random、sorted、reversed、few-unique：按种子抽 15 个值\
             （R 重新抽）；large：100 个随机值"
        )),
    ]
}

/// The list to heapify and the operations to run on it.
struct Setup {
    preset: Preset,
    input: Vec<i64>,
    ops: Vec<Op>,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let preset: Preset = params.choice(key::PRESET)?;
        let input = params.int_list(key::INPUT)?.to_vec();
        let start_len = preset.len(input.len());
        let ops = parse_ops(params.text(key::OPS)?)
            .and_then(|ops| check_sizes(start_len, &ops).map(|()| ops))
            .map_err(|err| {
                let at = err.op;
                let Said {
                    en: why_en,
                    zh: why_zh,
                } = err.message;
                ParamError::new(
                    params.path(key::OPS),
                    said!("operation {at}: {why_en}", "第 {at} 个操作：{why_zh}"),
                )
            })?;
        for op in &ops {
            if let Op::Push(x) | Op::PushPop(x) | Op::Replace(x) = op
                && x.abs() > MAX_VALUE
            {
                let (label, min) = (op.label(), -MAX_VALUE);
                return Err(ParamError::new(
                    params.path(key::OPS),
                    said!(
                        "'{label}': values must be from {min} to {MAX_VALUE}",
                        "“{label}”：值必须在 {min} 到 {MAX_VALUE} 之间"
                    ),
                ));
            }
        }
        Ok(Setup { preset, input, ops })
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // heapq is deterministic: the seed only draws a preset's values.
    let setup = Setup::from_params(params)?;
    let input = setup.preset.values(seed).unwrap_or(setup.input);
    let model = HeapRun::new(input.clone(), &setup.ops);
    Ok(Box::new(HeapLesson {
        naive: naive_comparisons(&input, &setup.ops),
        bottom_up: comparisons_by_op(model.clone()),
        timeline: UndoLog::new(model, UNDO_CAPACITY),
    }))
}

pub struct HeapLesson {
    /// Comparisons the naive top-down sift uses, after each operation.
    naive: Vec<u64>,
    /// CPython's comparisons after each operation, from a run to the end at build.
    bottom_up: Vec<u64>,
    timeline: UndoLog<HeapRun>,
}

impl HeapLesson {
    pub fn model(&self) -> &HeapRun {
        self.timeline.model()
    }

    /// (bottom-up, naive) comparisons over the operations finished so far.
    pub fn finished_comparisons(&self) -> (u64, u64) {
        let at = self.model().op_index().checked_sub(1);
        let pick = |counts: &[u64]| at.and_then(|at| counts.get(at)).copied().unwrap_or(0);
        (pick(&self.bottom_up), pick(&self.naive))
    }

    /// (bottom-up, naive) comparisons over the ops before the one on screen.
    pub fn comparisons_before_op(&self) -> (u64, u64) {
        let at = self.model().shown_op_index().checked_sub(1);
        let pick = |counts: &[u64]| at.and_then(|at| counts.get(at)).copied().unwrap_or(0);
        (pick(&self.bottom_up), pick(&self.naive))
    }

    /// Comparisons of the op on screen: heapq's so far (all of them once it
    /// is done) and the textbook sift's for the whole op.
    pub fn op_comparisons(&self) -> (u64, u64) {
        let model = self.model();
        let op = model.shown_op_index();
        let (heapq_before, naive_before) = self.comparisons_before_op();
        let naive = self.naive.get(op).copied().unwrap_or(0);
        (
            model.comparisons().saturating_sub(heapq_before),
            naive.saturating_sub(naive_before),
        )
    }
}

/// The listing; `model::line` names the lines events point at.
const CODE: &[&str] = &[
    "op: push → append · pop → last to root",
    "_siftdown(start, pos):",
    "  item = heap[pos]",
    "  while pos > start:",
    "    parent = (pos-1) >> 1",
    "    if item < heap[parent]:",
    "      heap[pos] = heap[parent]; pos = parent",
    "    else: break",
    "  heap[pos] = item",
    "_siftup(pos):",
    "  end, start, item = len(heap), pos, heap[pos]",
    "  child = 2*pos + 1",
    "  while child < end:",
    "    if child+1 < end and",
    "       not heap[child] < heap[child+1]: child += 1",
    "    heap[pos] = heap[child]",
    "    pos = child; child = 2*pos + 1",
    "  heap[pos] = item",
    "  _siftdown(start, pos)",
];

impl Lesson for HeapLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.timeline
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.timeline
    }

    fn is_finished(&self) -> bool {
        self.model().is_finished()
    }
    fn events(&self, out: &mut Vec<LessonEvent>) {
        let model = self.model();
        if let Some(value) = model.returned_now() {
            out.push(LessonEvent::new(event::RETURNED, value.to_string()));
        }
        match model.last() {
            Some(Event::Place { i }) if model.line() == line::UP_PLACE => {
                let item = model.heap().get(i as usize).copied().unwrap_or(0);
                out.push(LessonEvent::new(
                    event::LEAF,
                    format!("pos={i},item={item}"),
                ));
            }
            Some(Event::Done { op, .. }) => {
                let label = model
                    .ops()
                    .get(op as usize)
                    .map_or_else(String::new, Op::label);
                let heap = join(model.heap());
                out.push(LessonEvent::new(
                    event::OP_DONE,
                    format!("op={label},heap={heap}"),
                ));
            }
            _ => {}
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self.model(), pick)
    }
    fn pseudocode(&self, _lang: Lang) -> &'static [&'static str] {
        CODE
    }
    fn current_line(&self) -> usize {
        self.model().line()
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "op", "event", "i", "j", "heap"]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let model = self.model();
        let Some(event) = model.last() else {
            return;
        };
        let empty = || Field::Text(String::new());
        let (i, j) = match event {
            Event::Compare { i, j, .. } => (i.into(), j.map_or_else(empty, Field::from)),
            Event::Move { to, from } => (to.into(), from.into()),
            Event::Place { i } => (i.into(), empty()),
            Event::Done { .. } => (empty(), empty()),
        };
        let op = model
            .ops()
            .get(model.shown_op_index())
            .map_or_else(String::new, Op::label);
        rows.push(vec![
            self.timeline.steps().into(),
            Field::Text(op),
            event.name().into(),
            i,
            j,
            Field::Text(join(model.heap())),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let model = self.model();
        let ints = |values: &[i64]| {
            toml::Value::Array(values.iter().map(|&v| toml::Value::Integer(v)).collect())
        };
        let count = |n: u64| toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        let mut table = toml::Table::new();
        table.insert("heap".into(), ints(model.heap()));
        table.insert("popped".into(), ints(model.popped()));
        table.insert("comparisons".into(), count(model.comparisons()));
        table.insert(
            "naive_comparisons".into(),
            count(self.finished_comparisons().1),
        );
        table.insert("finished".into(), model.is_finished().into());
        table
    }
}

/// Runs a fresh model to its end and notes the comparison count each time an
/// operation finishes (index 0: heapify), to set beside the naive counts.
fn comparisons_by_op(mut model: HeapRun) -> Vec<u64> {
    use crate::lesson::timeline::Undoable;
    let mut counts = Vec::new();
    let mut finished = model.op_index();
    while model.step().is_some() {
        if model.op_index() > finished {
            finished = model.op_index();
            counts.push(model.comparisons());
        }
    }
    counts
}

/// Values space-separated, as the trace's `heap` column prints them.
pub fn join(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}
