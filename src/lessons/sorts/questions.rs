//! The sorts' questions: the array after a pass, and where the next item
//! lands in the output. Each answer is read off a copy of the state with the
//! recorded events applied, so it is exactly what the screen then shows.

use crate::lesson::replay::Tape;
use crate::lesson::{Answer, Question, QuestionKind};
use crate::{said, tr};

use super::SortsLesson;
use super::model::{Algo, Event, SortState, sorted};

/// The question ids, written once for the kinds, the events and the questions.
pub mod kind {
    pub const AFTER_PASS: &str = "after-pass";
    pub const LANDS_AT: &str = "lands-at";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::AFTER_PASS,
        label: tr!("the array after this pass", "这一趟之后的数组"),
    },
    QuestionKind {
        id: kind::LANDS_AT,
        label: tr!("where the next item lands", "下一个元素落在哪里"),
    },
];

/// One question, `pick` choosing its kind among those that apply; none once
/// the sort is done.
pub fn ask(lesson: &SortsLesson, pick: u64) -> Option<Question> {
    let askers: [fn(&SortsLesson) -> Option<Question>; 2] = [after_pass, lands_at];
    let count = askers.len() as u64;
    // Start at the picked kind; `lands-at` applies only just before a place.
    (0..count).find_map(|offset| {
        let at = (pick % count + offset) % count;
        askers.get(usize::try_from(at).ok()?)?(lesson)
    })
}

/// `after-pass`: the array once the pass under way (or the next) is over.
fn after_pass(lesson: &SortsLesson) -> Option<Question> {
    let mut copy = lesson.state().clone();
    let mut steps = 0;
    let mut pass = None;
    let mut ended = false;
    for event in lesson.replay.upcoming() {
        copy.apply(event);
        steps += 1;
        match event {
            Event::StartPass { pass: p, .. } => pass = Some(*p),
            Event::Swap { .. } => {
                ended = true;
                break;
            }
            _ => {}
        }
    }
    if !ended {
        return None;
    }
    // The pass is the one under way unless the next step starts one.
    let pass = pass.unwrap_or(lesson.state().pass) + 1;
    let passes = lesson.passes();
    let after = sorted(&copy);
    let prompt = match lesson.algo() {
        Algo::Radix { base } => said!(
            "What is the array after pass {pass} of {passes} (digit {pass} from the right, \
             base {base})? Comma-separated.",
            "第 {pass}/{passes} 趟（{base} 进制下从右数第 {pass} 位）之后数组是什么？用逗号分隔。"
        ),
        _ => said!(
            "What is the array when this pass is over? Comma-separated.",
            "这一趟结束时数组是什么？用逗号分隔。"
        ),
    };
    let why = match lesson.algo() {
        Algo::Radix { .. } => said!(
            "each pass is a stable counting sort on one digit: after pass {pass} the values are \
             in order by their last {pass} digits, ties in the previous pass's order",
            "每一趟都是按一位做的稳定计数排序：第 {pass} 趟之后，值按最后 {pass} 位有序，\
             相同时保持上一趟的顺序"
        ),
        _ => tr!(
            "the pass places every value by its key alone: the output is sorted",
            "这一趟只凭键就放好了每个值：输出已经有序"
        )
        .into(),
    };
    let mut context = base_context(lesson);
    context.insert("pass".into(), i64::from(pass).into());
    Some(Question {
        kind: kind::AFTER_PASS,
        prompt,
        answer: Answer::List(after),
        why,
        context,
        steps,
    })
}

/// `lands-at`: the output index the next place step writes.
fn lands_at(lesson: &SortsLesson) -> Option<Question> {
    let state = lesson.state();
    let Some(Event::Place { index, digit, .. }) = lesson.replay.upcoming().first() else {
        return None;
    };
    let (index, digit) = (*index, *digit);
    let mut copy = state.clone();
    copy.apply(lesson.replay.upcoming().first()?);
    let at = copy.counts.get(digit).copied()?;
    let x = state.src.get(index).copied().flatten()?.key;
    let key_name = match state.algo {
        Algo::Counting => "x − min",
        _ => "digit",
    };
    let prompt = said!(
        "a[{index}] = {x} is placed next. At which index of out does it land?",
        "接下来放置 a[{index}] = {x}。它落在 out 的哪个下标？"
    );
    let why = said!(
        "its {key_name} is {digit}; count[{digit}] holds how many items have a {key_name} of \
         at most {digit} and are not placed yet; one less is its slot: {at}",
        "它的 {key_name} 是 {digit}；count[{digit}] 是 {key_name} 不超过 {digit} 且尚未放置的\
         元素个数；减一就是它的位置：{at}"
    );
    let mut context = base_context(lesson);
    context.insert("pass".into(), i64::from(state.pass + 1).into());
    context.insert("a".into(), keys(state));
    context.insert("index".into(), integer(index).into());
    Some(Question {
        kind: kind::LANDS_AT,
        prompt,
        answer: Answer::Integer(integer(at)),
        why,
        context,
        steps: 1,
    })
}

/// The run's settings and input: enough to redo it by hand.
fn base_context(lesson: &SortsLesson) -> toml::Table {
    let mut table = toml::Table::new();
    let (name, base, buckets) = match lesson.algo() {
        Algo::Counting => ("counting", None, None),
        Algo::Radix { base } => ("radix", Some(i64::from(base)), None),
        Algo::Bucket { buckets } => ("bucket", None, Some(integer(buckets))),
    };
    table.insert("algo".into(), name.into());
    table.insert(
        "data".into(),
        toml::Value::Array(lesson.data().iter().map(|&v| v.into()).collect()),
    );
    if let Some(base) = base {
        table.insert("base".into(), base.into());
    }
    if let Some(buckets) = buckets {
        table.insert("buckets".into(), buckets.into());
    }
    table
}

/// The array being read, as keys.
fn keys(state: &SortState) -> toml::Value {
    toml::Value::Array(
        state
            .src
            .iter()
            .map(|slot| slot.map_or(0, |item| item.key).into())
            .collect(),
    )
}

/// An index as a whole-number answer (lists are far below i64::MAX).
fn integer(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
