//! The heap's questions, asked between two operations (or two pops of a
//! heap sort), where the list is a whole heap and the next op can be worked
//! by hand: the list after it, and the value it returns. Each answer is read
//! off a copy of the model run to the end of that op, so it is exactly what
//! the screen then shows.

use crate::i18n::Said;
use crate::lesson::timeline::Undoable;
use crate::lesson::{Answer, Question, QuestionKind};
use crate::{said, tr};

use super::join;
use super::model::{Event, HeapRun, Op};

/// The question ids, written once for the kinds, the events and the questions.
pub mod kind {
    pub const AFTER_OP: &str = "after-op";
    pub const RETURNS: &str = "returns";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::AFTER_OP,
        label: tr!("the list after the next op", "下一个操作之后的列表"),
    },
    QuestionKind {
        id: kind::RETURNS,
        label: tr!("the value the next op returns", "下一个操作返回的值"),
    },
];

/// The next op's run, read off a copy: the list it leaves, what it returns,
/// and the steps it takes.
struct Outcome {
    heap: Vec<i64>,
    returned: Option<i64>,
    steps: u64,
}

fn outcome(model: &HeapRun) -> Option<Outcome> {
    let mut copy = model.clone();
    let mut steps = 0;
    // Bounded: every op ends with a `done`, and the copy runs out otherwise.
    loop {
        copy.step()?;
        steps += 1;
        if let Some(Event::Done { returned, .. }) = copy.last() {
            return Some(Outcome {
                heap: copy.heap().to_vec(),
                returned,
                steps,
            });
        }
    }
}

/// One question, `pick` choosing its kind among those that apply; `None`
/// inside an op (the list holds a hole then) and once the script is done.
pub fn ask(model: &HeapRun, pick: u64) -> Option<Question> {
    if !model.at_op_boundary() {
        return None;
    }
    let askers: [fn(&HeapRun) -> Option<Question>; 2] = [after_op, returns];
    let count = askers.len() as u64;
    // Start at the picked kind; push and heapify return nothing, so
    // `returns` hands over to `after-op` there.
    (0..count).find_map(|offset| {
        let at = (pick % count + offset) % count;
        askers.get(usize::try_from(at).ok()?)?(model)
    })
}

/// The op the next steps run, as a script names it: one pop of heap sort is
/// a `pop`.
fn next_op(model: &HeapRun) -> Option<Op> {
    match model.current_op()? {
        // A heap sort that found the heap empty only ends: nothing to pop.
        Op::Sort if model.heap().is_empty() => None,
        Op::Sort => Some(Op::Pop),
        op => Some(op),
    }
}

/// `after-op`: the list once the next op is done.
fn after_op(model: &HeapRun) -> Option<Question> {
    let op = next_op(model)?;
    let done = outcome(model)?;
    let (label, heap) = (op.label(), shown(model.heap()));
    let prompt = said!(
        "The heap is [{heap}]. What is the list after {label}? (comma-separated)",
        "堆是 [{heap}]。执行 {label} 之后列表是什么？（用逗号分隔）"
    );
    Some(Question {
        kind: kind::AFTER_OP,
        prompt,
        answer: Answer::List(done.heap.clone()),
        why: why(model, op, &done),
        context: context(model, op),
        steps: done.steps,
    })
}

/// `returns`: the value the next op hands back (pop, pushpop, replace, one
/// pop of heap sort).
fn returns(model: &HeapRun) -> Option<Question> {
    let op = next_op(model)?;
    if matches!(op, Op::Heapify | Op::Push(_)) {
        return None;
    }
    let done = outcome(model)?;
    let value = done.returned?;
    let (label, heap) = (op.label(), shown(model.heap()));
    let prompt = said!(
        "The heap is [{heap}]. What does {label} return?",
        "堆是 [{heap}]。{label} 返回什么？"
    );
    Some(Question {
        kind: kind::RETURNS,
        prompt,
        answer: Answer::Integer(value),
        why: why(model, op, &done),
        context: context(model, op),
        steps: done.steps,
    })
}

/// Why the op ends as it does, in the terms of heapq's code.
fn why(model: &HeapRun, op: Op, done: &Outcome) -> Said {
    let after = join(&done.heap);
    let root = model.heap().first().copied();
    match (op, root) {
        (Op::Heapify, _) => said!(
            "_siftup(i) for i from n/2 − 1 down to 0 leaves [{after}]",
            "对 i 从 n/2 − 1 到 0 依次 _siftup(i)，得到 [{after}]"
        ),
        (Op::Push(x), _) => said!(
            "{x} is appended and _siftdown lets it rise past every larger parent: [{after}]",
            "{x} 追加到末尾，_siftdown 让它越过所有更大的父节点：[{after}]"
        ),
        (Op::PushPop(x), Some(root)) if root < x => said!(
            "the root {root} < {x}: {root} is returned and {x} sifts down from the root: \
             [{after}]",
            "根 {root} < {x}：返回 {root}，{x} 从根开始向下筛：[{after}]"
        ),
        (Op::PushPop(x), _) => said!(
            "the root is not smaller than {x}, so {x} is returned at once and the heap is \
             unchanged",
            "根不比 {x} 小，所以直接返回 {x}，堆不变"
        ),
        (Op::Replace(x), Some(root)) => said!(
            "the root {root} is returned first, then {x} takes its place and sifts down: \
             [{after}]",
            "先返回根 {root}，再让 {x} 占据根并向下筛：[{after}]"
        ),
        (_, Some(root)) => said!(
            "the root {root} is returned; the last item takes the root and _siftup walks the \
             hole to a leaf, then lets it rise: [{after}]",
            "返回根 {root}；最后一个元素放到根上，_siftup 把空位带到叶子，再让它上浮：[{after}]"
        ),
        (_, None) => Said::plain(format!("[{after}]")),
    }
}

/// The heap and the op: all it takes to work the answer by hand. During a
/// heap sort the op is `pop`, with `part_of = "sort"`.
fn context(model: &HeapRun, op: Op) -> toml::Table {
    let mut table = toml::Table::new();
    table.insert(
        "heap".into(),
        toml::Value::Array(model.heap().iter().map(|&v| v.into()).collect()),
    );
    table.insert("op".into(), op.label().into());
    if model.current_op() == Some(Op::Sort) {
        table.insert("part_of".into(), "sort".into());
    }
    table
}

/// A list as the prompt shows it.
fn shown(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
