//! Knapsack's questions: predict the next cell, whether the take branch wins,
//! and the table's final answer. Each answer is read off a copy of the model
//! stepped forward, so it is exactly what the table then shows.

use crate::i18n::Said;
use crate::lesson::timeline::Undoable;
use crate::lesson::{Answer, Choice, Question, QuestionKind};
use crate::{said, tr};

use super::model::{Cursor, Fill, Knapsack, Last, Mode, Value, Volume};

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const CELL: &str = "cell";
    pub const TAKE: &str = "take";
    pub const BEST: &str = "best";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::CELL,
        label: tr!("the value written next", "下一格写入的值"),
    },
    QuestionKind {
        id: kind::TAKE,
        label: tr!("take the item or not", "放不放这件物品"),
    },
    QuestionKind {
        id: kind::BEST,
        label: tr!("the final answer", "最终答案"),
    },
];

/// One question, `pick` choosing its kind among those that apply: the table
/// is still being filled (once it is full every cell, every take and the
/// answer are on screen, so there is nothing left to predict).
pub fn ask(model: &Knapsack, pick: u64) -> Option<Question> {
    if !matches!(model.cursor(), Cursor::Fill { .. }) {
        return None;
    }
    let askers: [fn(&Knapsack) -> Option<Question>; 3] = [cell, take, best];
    let count = askers.len() as u64;
    // Start at the picked kind and go round to the next when it does not
    // apply here (an item that fits nowhere in its pass has no take).
    (0..count).find_map(|offset| {
        let at = (pick % count + offset) % count;
        askers.get(usize::try_from(at).ok()?)?(model)
    })
}

/// `cell`: the value the next step writes.
fn cell(model: &Knapsack) -> Option<Question> {
    let mut copy = model.clone();
    copy.step()?;
    let Last::Fill(fill) = copy.last() else {
        return None;
    };
    // A cell no exact packing reaches has no whole-number answer to type.
    let value = fill.value().finite()?;
    let (i, j) = (fill.i, fill.j);
    let item = model.items().get(i - 1)?;
    let (w, v) = (item.weight, item.value);
    let prompt = match model.mode() {
        Mode::TwoD => said!(
            "What value will f[{i}][{j}] get? Item {i} weighs {w} and is worth {v}.",
            "f[{i}][{j}] 会填入什么值？物品 {i} 重 {w}，价值 {v}。"
        ),
        Mode::OneD => said!(
            "What will dp[{j}] hold once item {i} is considered there? Item {i} weighs {w} \
             and is worth {v}.",
            "物品 {i} 处理到 dp[{j}] 之后，它的值是多少？物品 {i} 重 {w}，价值 {v}。"
        ),
    };
    Some(Question {
        kind: kind::CELL,
        prompt,
        answer: Answer::Integer(integer(value)),
        why: compared(&copy, fill),
        context: context(model, Some(fill)),
        steps: 1,
    })
}

/// `take`: does the take branch win at the next cell of this item's pass
/// where the item fits? Steps a copy up to that cell.
fn take(model: &Knapsack) -> Option<Question> {
    let Cursor::Fill { i: item_now, .. } = model.cursor() else {
        return None;
    };
    let mut copy = model.clone();
    let mut steps = 0;
    // Bounded: the pass ends within one row, and then the item changes.
    let fill = loop {
        copy.step()?;
        steps += 1;
        match copy.last() {
            Last::Fill(fill) if fill.i != item_now => return None,
            Last::Fill(fill) if fill.take.is_some() => break fill,
            Last::Fill(_) => {}
            Last::Start | Last::Trace { .. } => return None,
        }
    };
    let (i, j) = (fill.i, fill.j);
    let item = model.items().get(i - 1)?;
    let (w, v) = (item.weight, item.value);
    let prompt = said!(
        "At capacity {j}, will item {i} (weight {w}, value {v}) be taken?",
        "容量为 {j} 时，物品 {i}（重 {w}，价值 {v}）会被放入吗？"
    );
    Some(Question {
        kind: kind::TAKE,
        prompt,
        answer: Answer::yes_no(fill.took),
        why: compared(&copy, fill),
        context: context(model, Some(fill)),
        steps,
    })
}

/// `best`: the table's final answer, from a copy run to the end (the
/// traceback too, so the why can name the items).
fn best(model: &Knapsack) -> Option<Question> {
    let mut copy = model.clone();
    let mut steps = 0;
    while matches!(copy.cursor(), Cursor::Fill { .. }) {
        copy.step()?;
        steps += 1;
    }
    let best = copy.best();
    while copy.step().is_some() {}
    let chosen = copy
        .chosen()
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let (n, c) = (model.items().len(), model.capacity());
    let cell = match (model.mode(), model.volume()) {
        (Mode::TwoD, Volume::AtMost) => format!("f[{n}][{c}]"),
        (Mode::OneD, Volume::AtMost) => format!("dp[{c}]"),
        (Mode::TwoD, Volume::Exact) => format!("max(f[{n}][0..={c}])"),
        (Mode::OneD, Volume::Exact) => format!("max(dp[0..={c}])"),
    };
    let prompt = said!(
        "When the table is full, what will {cell} (the answer) be?",
        "表填满时，{cell}（最终答案）是多少？"
    );
    let why = if model.is_unbounded() {
        said!(
            "one row filled left to right lets an item count again and again: {best} is the \
             unbounded knapsack's best, items {chosen}",
            "一维数组从左往右填时同一件物品可以反复计入：{best} 是完全背包的最优值，物品 {chosen}"
        )
    } else if chosen.is_empty() {
        said!(
            "no item fits in capacity {c}, so the best is {best}",
            "没有物品能放进容量 {c}，所以最优值是 {best}"
        )
    } else {
        said!(
            "items {chosen} fit in capacity {c} together and are worth {best}; no other set \
             that fits is worth more",
            "物品 {chosen} 一起放得进容量 {c}，价值 {best}；放得下的其他组合都不比它多"
        )
    };
    Some(Question {
        kind: kind::BEST,
        prompt,
        answer: Answer::Integer(integer(best)),
        why,
        context: context(model, None),
        steps,
    })
}

/// Why a cell got its value: the two branches it compared. `after` is the
/// model just after the step that wrote it (so `reused` can see the pass).
fn compared(after: &Knapsack, fill: Fill) -> Said {
    let (i, j, skip) = (fill.i, fill.j, fill.skip);
    let (w, v) = after
        .items()
        .get(i - 1)
        .map_or((0, 0), |item| (item.weight, item.value));
    let value = fill.value();
    let rest = j - w.min(j);
    let (cell, skip_at, take_at) = match after.mode() {
        Mode::TwoD => {
            let above = i - 1;
            (
                format!("f[{i}][{j}]"),
                format!("f[{above}][{j}]"),
                format!("f[{above}][{rest}]"),
            )
        }
        Mode::OneD => (
            format!("dp[{j}]"),
            format!("dp[{j}]"),
            format!("dp[{rest}]"),
        ),
    };
    let Some(take) = fill.take else {
        return said!(
            "item {i} weighs {w}, more than capacity {j}: it does not fit, and {cell} keeps the \
             value without it, {skip}",
            "物品 {i} 重 {w}，超过容量 {j}：放不下，{cell} 保留不放它时的值 {skip}"
        );
    };
    let verdict = if value == Value::NegInf {
        said!(
            "take {take_at} + {v} and skip {skip_at} are both −∞: no packing weighs exactly {j} \
             yet, so {cell} = −∞",
            "放入 {take_at} + {v} 与不放 {skip_at} 都是 −∞：还没有重量恰好为 {j} 的装法，所以 \
             {cell} = −∞"
        )
    } else if fill.took {
        said!(
            "take {take_at} + {v} = {take} beats skip {skip_at} = {skip}, so {cell} = {value}",
            "放入 {take_at} + {v} = {take} 大于不放 {skip_at} = {skip}，所以 {cell} = {value}"
        )
    } else if take == skip {
        said!(
            "take {take_at} + {v} = {take} ties with skip {skip_at} = {skip}, and a tie leaves \
             the item out: {cell} = {value}",
            "放入 {take_at} + {v} = {take} 与不放 {skip_at} = {skip} 相等，相等时不放：{cell} = {value}"
        )
    } else {
        said!(
            "take {take_at} + {v} = {take} is less than skip {skip_at} = {skip}, so {cell} = \
             {value}",
            "放入 {take_at} + {v} = {take} 小于不放 {skip_at} = {skip}，所以 {cell} = {value}"
        )
    };
    if after.reused(fill) {
        // The forward-order bug, said where it happens.
        verdict.then(&said!(
            "({take_at} already counts item {i}: it is counted twice)",
            "（{take_at} 已经算进了物品 {i}：它被算了两次）"
        ))
    } else {
        verdict
    }
}

/// The instance, and the cell when the question is about one: enough to
/// redo the table by hand.
fn context(model: &Knapsack, fill: Option<Fill>) -> toml::Table {
    let ints = |values: Vec<i64>| toml::Value::Array(values.into_iter().map(Into::into).collect());
    let items = model.items();
    let mut table = toml::Table::new();
    table.insert(
        "weights".into(),
        ints(
            items
                .iter()
                .map(|item| integer(item.weight as u64))
                .collect(),
        ),
    );
    table.insert(
        "values".into(),
        ints(items.iter().map(|item| integer(item.value)).collect()),
    );
    table.insert("capacity".into(), integer(model.capacity() as u64).into());
    table.insert("mode".into(), model.mode().name().into());
    table.insert("order".into(), model.order().name().into());
    table.insert("fill".into(), model.volume().name().into());
    if let Some(fill) = fill {
        table.insert("i".into(), integer(fill.i as u64).into());
        table.insert("j".into(), integer(fill.j as u64).into());
    }
    table
}

/// A table value as a whole-number answer. Values are bounded far below
/// i64::MAX by the parameters' limits; saturate rather than wrap regardless.
fn integer(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
