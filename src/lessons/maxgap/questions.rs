//! Maximum gap's questions: the final answer, and the bucket a value drops
//! into. Each answer is read off a copy of the run stepped forward, so it is
//! exactly what the screen then shows.

use crate::lesson::replay::Replay;
use crate::lesson::{Answer, Question, QuestionKind, Timeline};
use crate::{said, tr};

use super::model::{Event, GapState};

/// The question ids, written once for the kinds, the events and the questions.
pub mod kind {
    pub const ANSWER: &str = "answer";
    pub const BUCKET_OF: &str = "bucket-of";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::ANSWER,
        label: tr!("the largest gap", "最大间距"),
    },
    QuestionKind {
        id: kind::BUCKET_OF,
        label: tr!("the bucket a value drops into", "某个值落入哪个桶"),
    },
];

/// Poses one kind of question, if it applies to the run's current state.
type Asker = fn(&Replay<GapState>) -> Option<Question>;

/// One question, `pick` choosing its kind among those that apply; none once
/// the run has finished (the answer is on screen).
pub fn ask(run: &Replay<GapState>, pick: u64) -> Option<Question> {
    if run.is_finished() {
        return None;
    }
    let askers: [Asker; 2] = [answer, bucket_of];
    let kinds = askers.len() as u64;
    // Start at the picked kind and go round when it does not apply here
    // (`bucket-of` only while values are being dropped).
    (0..kinds).find_map(|offset| {
        let at = (pick % kinds + offset) % kinds;
        askers.get(usize::try_from(at).ok()?)?(run)
    })
}

fn data(state: &GapState) -> toml::Value {
    toml::Value::Array(state.values.iter().map(|&v| v.into()).collect())
}

/// `answer`: the largest gap between neighbours in sorted order.
fn answer(run: &Replay<GapState>) -> Option<Question> {
    let mut copy = run.clone();
    let mut steps = 0;
    while copy.step() {
        steps += 1;
    }
    let end = copy.state();
    let best = end.best;
    let prompt = tr!(
        "Sorted, what is the largest gap between two neighbours?",
        "排序之后，相邻两数之差最大是多少？"
    )
    .into();
    let why = match end.pair {
        Some(pair) => {
            let (lo, hi) = (pair.lo, pair.hi);
            said!(
                "{lo} and {hi} are neighbours in sorted order, {best} apart, and no two \
                 neighbours are further apart",
                "{lo} 和 {hi} 排序后相邻，相差 {best}，没有哪两个相邻的数离得更远"
            )
        }
        None => tr!(
            "all the values are equal: every gap is 0",
            "所有值都相等：每个间距都是 0"
        )
        .into(),
    };
    let mut context = toml::Table::new();
    context.insert("data".into(), data(run.state()));
    Some(Question {
        kind: kind::ANSWER,
        prompt,
        answer: Answer::Integer(best),
        why,
        context,
        steps,
    })
}

/// `bucket-of`: the bucket the next value dropped lands in.
fn bucket_of(run: &Replay<GapState>) -> Option<Question> {
    let mut copy = run.clone();
    copy.step();
    let Some(&Event::Drop { index, bucket, .. }) = copy.last() else {
        return None;
    };
    let state = copy.state();
    let x = *state.values.get(index)?;
    let (lo, b) = (state.lo, state.bucket_size);
    let prompt = said!(
        "Which bucket does a[{index}] = {x} drop into?",
        "a[{index}] = {x} 落入几号桶？"
    );
    let shown_x = parenthesised(x);
    let shown_lo = parenthesised(lo);
    let why = said!(
        "bucket = (x − lo) ÷ b, rounded down: ({shown_x} − {shown_lo}) ÷ {b} = {bucket}",
        "桶号 = (x − lo) ÷ b，向下取整：({shown_x} − {shown_lo}) ÷ {b} = {bucket}"
    );
    let mut context = toml::Table::new();
    context.insert("data".into(), data(state));
    context.insert("x".into(), x.into());
    Some(Question {
        kind: kind::BUCKET_OF,
        prompt,
        answer: Answer::Integer(i64::try_from(bucket).unwrap_or(i64::MAX)),
        why,
        context,
        steps: 1,
    })
}

/// A number as it reads inside a formula: a negative one in parentheses,
/// so `7 − (-40)` never reads as `7 − -40`.
pub fn parenthesised(x: i64) -> String {
    if x < 0 {
        format!("({x})")
    } else {
        x.to_string()
    }
}
