//! Combination sum's questions: how many combinations the whole search finds,
//! and what the loop at the current node does next. Each answer is read off a
//! copy of the run stepped forward, so it is exactly what the tree then shows.

use crate::i18n::Said;
use crate::lesson::Timeline;
use crate::lesson::question::MAX_OPTIONS;
use crate::lesson::replay::Replay;
use crate::lesson::{Answer, Choice, Question, QuestionKind};
use crate::{said, tr};

use super::model::{Event, SearchState, Status};

/// The question ids, written once for the kinds, the events and the questions.
pub mod kind {
    pub const COUNT: &str = "count";
    pub const NEXT: &str = "next";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::COUNT,
        label: tr!("how many combinations", "一共有多少个组合"),
    },
    QuestionKind {
        id: kind::NEXT,
        label: tr!("what the loop takes next", "循环下一步选哪个数"),
    },
];

/// Poses one kind of question, if it applies to the run's current state.
type Asker = fn(&Replay<SearchState>) -> Option<Question>;

/// One question, `pick` choosing its kind among those that apply; none once
/// the search has finished (every combination is on screen).
pub fn ask(run: &Replay<SearchState>, pick: u64) -> Option<Question> {
    if run.is_finished() {
        return None;
    }
    let askers: [Asker; 2] = [count, next];
    let kinds = askers.len() as u64;
    // Start at the picked kind and go round when it does not apply here
    // (`next` needs a node whose loop is running).
    (0..kinds).find_map(|offset| {
        let at = (pick % kinds + offset) % kinds;
        askers.get(usize::try_from(at).ok()?)?(run)
    })
}

/// Space-separated, as the events' details write lists.
pub fn spaced(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn ints(values: &[i64]) -> toml::Value {
    toml::Value::Array(values.iter().map(|&v| v.into()).collect())
}

/// `count`: the number of combinations the whole search finds.
fn count(run: &Replay<SearchState>) -> Option<Question> {
    let mut copy = run.clone();
    let mut steps = 0;
    while copy.step() {
        steps += 1;
    }
    let state = run.state();
    let found = &copy.state().found;
    let target = state.target;
    let so_far = state.found.len();
    let prompt = said!(
        "How many combinations adding up to {target} will the search find in all \
         ({so_far} so far)?",
        "搜索结束时，一共会找到多少个和为 {target} 的组合（目前已有 {so_far} 个）？"
    );
    let listed = found
        .iter()
        .map(|c| format!("[{}]", spaced(c)))
        .collect::<Vec<_>>()
        .join(" ");
    let n = found.len();
    let why = if found.is_empty() {
        said!(
            "no combination of the candidates adds up to {target}",
            "没有任何候选数组合的和等于 {target}"
        )
    } else {
        said!(
            "the search finds {n}: {listed}, each once",
            "搜索找到 {n} 个：{listed}，每个只出现一次"
        )
    };
    let mut context = toml::Table::new();
    context.insert("candidates".into(), ints(&state.candidates));
    context.insert("target".into(), target.into());
    context.insert("variant".into(), state.variant.name().into());
    Some(Question {
        kind: kind::COUNT,
        prompt,
        answer: Answer::Integer(i64::try_from(n).unwrap_or(i64::MAX)),
        why,
        context,
        steps,
    })
}

/// `next`: at a node whose loop is running, which candidate it takes next,
/// or whether it backs up; skips and a prune on the way are walked through.
fn next(run: &Replay<SearchState>) -> Option<Question> {
    let state = run.state();
    let node = state.current;
    if state.nodes[node].status != Status::Exploring || state.sum >= state.target {
        return None;
    }
    let start = state.start_of(node);
    let mut values: Vec<i64> = state.candidates.get(start..)?.to_vec();
    values.dedup();
    if values.len() + 1 > MAX_OPTIONS {
        return None;
    }
    let mut copy = run.clone();
    let mut steps = 0;
    let mut skipped = Vec::new();
    let mut stopped = None;
    let taken = loop {
        if !copy.step() {
            return None;
        }
        steps += 1;
        match copy.last() {
            Some(Event::Skip { value, .. }) => skipped.push(*value),
            Some(Event::Prune { value, .. }) => stopped = Some(*value),
            Some(&Event::Enter { value, .. }) => break Some(value),
            Some(Event::Back { .. }) => break None,
            _ => return None,
        }
    };
    let mut options: Vec<Said> = values.iter().map(|v| Said::plain(v.to_string())).collect();
    options.push(tr!("back up", "回退").into());
    let correct = match taken {
        Some(value) => values.iter().position(|&v| v == value)?,
        None => values.len(),
    };
    let (sum, target) = (state.sum, state.target);
    let path = spaced(&state.path);
    let tried = state.tried(node);
    let prompt = if tried.is_empty() {
        said!(
            "At path [{path}] (sum {sum}), which candidate does the loop take first?",
            "在路径 [{path}]（和为 {sum}）处，循环第一个选哪个数？"
        )
    } else {
        let last = spaced(&tried[tried.len() - 1..]);
        said!(
            "At path [{path}] (sum {sum}), the branch of {last} is done. What does the loop \
             take next?",
            "在路径 [{path}]（和为 {sum}）处，{last} 这个分支已结束。循环接下来选哪个数？"
        )
    };
    let mut why = if skipped.is_empty() {
        Said::plain("")
    } else {
        let values = spaced(&skipped);
        said!(
            "{values}: the same value as the branch before it at this level, skipped;",
            "{values}：与本层前一个分支的值相同，跳过；"
        )
    };
    let reason = match (taken, stopped) {
        (Some(value), _) => {
            let next = sum + value;
            said!(
                "{value} is next in sorted order and {sum} + {value} = {next} does not pass \
                 {target}",
                "按排好的顺序下一个是 {value}，{sum} + {value} = {next} 不超过 {target}"
            )
        }
        (None, Some(value)) => said!(
            "{sum} + {value} passes {target}, and every later candidate is at least {value}: \
             break and back up",
            "{sum} + {value} 超过 {target}，后面的候选数都不小于 {value}：break，回退"
        ),
        (None, None) => tr!(
            "no candidate is left at this level: back up",
            "这一层已经没有候选数：回退"
        )
        .into(),
    };
    why = if why.en.is_empty() {
        reason
    } else {
        why.then(&reason)
    };
    let mut context = toml::Table::new();
    context.insert("candidates".into(), ints(&state.candidates));
    context.insert("target".into(), target.into());
    context.insert("variant".into(), state.variant.name().into());
    context.insert("prune".into(), state.prune.into());
    context.insert("path".into(), ints(&state.path));
    context.insert("tried".into(), ints(&tried));
    Some(Question {
        kind: kind::NEXT,
        prompt,
        answer: Answer::Choice { options, correct },
        why,
        context,
        steps,
    })
}
