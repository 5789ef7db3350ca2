//! The binary heap lesson: CPython's `heapq`, comparison by comparison.

pub mod model;
mod view;

use crate::i18n::Said;
use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::timeline::UndoLog;
use crate::lesson::{
    Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Timeline, validate,
};
use crate::theme::Look;
use model::{Event, HeapRun, Op, check_sizes, naive_comparisons, parse_ops};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "heap",
    title: tr!("Binary heap", "二叉堆"),
    summary: "CPython heapq exactly: heapify, push, pop, pushpop, replace, sort, sift by sift",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/heap.md"),
    events: &[],
    tour: None,
    questions: &[],
};

/// Steps of history kept for `p`: records are ~90 bytes, and a small ring
/// stays in cache beside a large heap (measured: 10,000 records slowed a
/// 100k-value heap sort by half again).
pub const UNDO_CAPACITY: usize = 2_000;
const MAX_INPUT: usize = 255;
const MAX_VALUE: i64 = 999_999;
const MAX_SCRIPT: usize = 1_000;

mod key {
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
        .help(tr!("the list to heapify first", "先做 heapify 的列表")),
        ParamSpec::text(key::OPS, MAX_SCRIPT, "pop,push:0,pushpop:4,replace:7,sort").help(tr!(
            "script: push:N, pop, pushpop:N, replace:N, sort, comma-separated",
            "操作脚本：push:N、pop、pushpop:N、replace:N、sort，以逗号分隔"
        )),
    ]
}

/// The list to heapify and the operations to run on it.
struct Setup {
    input: Vec<i64>,
    ops: Vec<Op>,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let input = params.int_list(key::INPUT)?.to_vec();
        let ops = parse_ops(params.text(key::OPS)?)
            .and_then(|ops| check_sizes(input.len(), &ops).map(|()| ops))
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
        Ok(Setup { input, ops })
    }
}

impl Setup {
    fn model(&self) -> HeapRun {
        HeapRun::new(self.input.clone(), &self.ops)
    }
}

fn build(params: &ParamSet, _seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // heapq is deterministic: the seed changes nothing.
    let setup = Setup::from_params(params)?;
    Ok(Box::new(HeapLesson {
        naive: naive_comparisons(&setup.input, &setup.ops),
        bottom_up: comparisons_by_op(setup.model()),
        timeline: UndoLog::new(setup.model(), UNDO_CAPACITY),
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
        // After a done the model already points at the next op; name the one that finished.
        let op_at = match event {
            Event::Done { .. } => self.op_of_last_done(),
            _ => model.op_index(),
        };
        let op = model.ops().get(op_at).map_or_else(String::new, Op::label);
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

impl HeapLesson {
    /// The op a `done` event just finished: the one before the cursor, unless a
    /// heap sort is still popping (it keeps its index until the heap is empty).
    fn op_of_last_done(&self) -> usize {
        let model = self.model();
        let at = model.op_index();
        if model.ops().get(at) == Some(&Op::Sort) && !model.heap().is_empty() {
            at
        } else {
            at.saturating_sub(1)
        }
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
