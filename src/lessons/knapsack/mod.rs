//! The 0/1 knapsack lesson: parameters, timeline and headless reporting around
//! [`model::Knapsack`]; drawing lives in [`view`].

pub mod model;
pub mod questions;
mod view;

use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::preset::{self, Shape};
use crate::lesson::timeline::UndoLog;
use crate::lesson::{
    Choice, Event, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet,
    ParamSpec, Question, Timeline, choices, validate,
};
use crate::theme::Look;
use model::{Cursor, Item, Knapsack, Last, Mode, Order, Value, Volume};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "knapsack",
    title: tr!("0/1 knapsack", "0/1 背包"),
    summary: "2-D DP table and the 1-D reverse-order row, cell by cell, with traceback",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/knapsack.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/knapsack.toml")),
    questions: questions::KINDS,
};

/// The key moments of a knapsack run.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::TAKE,
        ask: Some(questions::kind::CELL),
        label: tr!("take", "放入"),
        why: tr!(
            "taking item i beats leaving it out: the cell's value comes from the take branch",
            "放入第 i 件比不放更好：这一格的值来自“放入”分支"
        ),
    },
    EventKind {
        id: event::REUSE,
        ask: Some(questions::kind::CELL),
        label: tr!("item reused", "物品被重复使用"),
        why: tr!(
            "one row filled left to right read dp[j−w] after this item was already put in it: \
             the item counts twice, the unbounded knapsack's answer",
            "一维数组从左往右填时，读到的 dp[j−w] 已经放入了这件物品：它被算了两次，\
             得到的是完全背包的答案"
        ),
    },
    EventKind {
        id: event::CHOOSE,
        ask: None,
        label: tr!("chosen", "选中"),
        why: tr!(
            "the traceback finds item i in the best packing",
            "回溯发现第 i 件在最优方案里"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const TAKE: &str = "take";
    pub const REUSE: &str = "reuse";
    pub const CHOOSE: &str = "choose";
}

/// Steps of history kept for `p` (each record is a few dozen bytes).
const UNDO_CAPACITY: usize = 10_000;

const MAX_ITEMS: usize = 40;
const MAX_WEIGHT: i64 = 1_000;
const MAX_VALUE: i64 = 1_000_000;
const MAX_CAPACITY: i64 = 10_000;

choices!(Mode { Mode::TwoD => "2d", Mode::OneD => "1d" });
choices!(Order { Order::Reverse => "reverse", Order::Forward => "forward" });
choices!(Volume { Volume::AtMost => "atmost", Volume::Exact => "exact" });

/// Where the items come from: the typed lists, or drawn from the seed with
/// their weights in a familiar shape (the DP's answer does not depend on the
/// order items are considered in; the table's rows do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preset {
    Custom,
    Random,
    Sorted,
    Reversed,
    FewUnique,
}

choices!(Preset {
    Preset::Custom => "custom",
    Preset::Random => "random",
    Preset::Sorted => "sorted",
    Preset::Reversed => "reversed",
    Preset::FewUnique => "few-unique",
});

/// A drawn preset: as many items as the default instance has, light enough
/// for the default capacity to hold two or three of them.
const PRESET_ITEMS: usize = 6;
const PRESET_WEIGHTS: std::ops::RangeInclusive<i64> = 1..=9;
const PRESET_VALUES: std::ops::RangeInclusive<i64> = 1..=30;
/// Values come from their own stream, so they do not echo the weights.
const VALUE_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;

/// The parameters' keys, written once for the specs and the read.
mod key {
    pub const WEIGHTS: &str = "weights";
    pub const VALUES: &str = "values";
    pub const CAPACITY: &str = "capacity";
    pub const MODE: &str = "mode";
    pub const ORDER: &str = "order";
    pub const FILL: &str = "fill";
    pub const PRESET: &str = "preset";
}

fn specs() -> Vec<ParamSpec> {
    // The default instance is one where greedy by value/weight ratio is wrong:
    // greedy packs items 1 and 2 (value 13), the optimum is items 2 and 4 (18),
    // and the forward-order bug reports 25 (item 1 five times).
    vec![
        ParamSpec::int_list(
            key::WEIGHTS,
            1..=MAX_ITEMS,
            1..=MAX_WEIGHT,
            &[2, 4, 5, 6, 7],
        )
        .help(tr!("item weights, one per item", "物品的重量，每件一个")),
        ParamSpec::int_list(key::VALUES, 1..=MAX_ITEMS, 0..=MAX_VALUE, &[5, 8, 7, 10, 9]).help(
            tr!(
                "item values, as many as weights",
                "物品的价值，个数与重量相同"
            ),
        ),
        ParamSpec::int(key::CAPACITY, 0..=MAX_CAPACITY, 10).help(tr!(
            "knapsack capacity (total weight allowed)",
            "背包容量（允许的总重量）"
        )),
        ParamSpec::choice(key::MODE, Mode::TwoD).help(tr!(
            "2d: full table f[i][j]; 1d: one row dp[j]",
            "2d：完整的表 f[i][j]；1d：只用一行 dp[j]"
        )),
        ParamSpec::choice(key::ORDER, Order::Reverse).help(tr!(
            "1-D loop direction; forward turns it into the unbounded knapsack",
            "一维循环的方向；正序会把它变成完全背包"
        )),
        ParamSpec::choice(key::FILL, Volume::AtMost).help(tr!(
            "atmost: total weight up to j; exact: exactly j (unreachable cells are −∞)",
            "atmost：总重量不超过 j；exact：恰好等于 j（凑不出的格子为 −∞）"
        )),
        ParamSpec::choice(key::PRESET, Preset::Custom).help(tr!(
            "custom: the weights and values above; random, sorted, reversed, few-unique: \
             six items drawn from the seed, weights in that shape (R draws again)",
            "custom：用上面的重量和价值；random、sorted、reversed、few-unique：按种子抽 \
             6 件物品，重量按该形状排列（按 R 重抽）"
        )),
    ]
}

/// The model's inputs, read from a checked parameter set.
struct Setup {
    /// The typed items; a preset other than custom replaces them.
    items: Vec<Item>,
    preset: Preset,
    capacity: usize,
    mode: Mode,
    order: Order,
    volume: Volume,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let weights = params.int_list(key::WEIGHTS)?;
        let values = params.int_list(key::VALUES)?;
        if weights.len() != values.len() {
            return Err(ParamError::new(params.path(key::VALUES), {
                let (v, w) = (values.len(), weights.len());
                said!(
                    "{v} values for {w} weights; the two lists must have the same length",
                    "{w} 个重量却有 {v} 个价值；两个列表必须一样长"
                )
            }));
        }
        // Each entry was range-checked against its spec (weights >= 1, values >= 0).
        let items = weights
            .iter()
            .zip(values)
            .map(|(&w, &v)| Item {
                weight: w.unsigned_abs() as usize,
                value: v.unsigned_abs(),
            })
            .collect();
        Ok(Setup {
            items,
            capacity: params.count(key::CAPACITY)?,
            mode: params.choice(key::MODE)?,
            order: params.choice(key::ORDER)?,
            volume: params.choice(key::FILL)?,
            preset: params.choice(key::PRESET)?,
        })
    }
}

impl Setup {
    /// The items the run packs: typed, or the preset's, drawn from `seed`.
    fn items(&self, seed: u64) -> Vec<Item> {
        let shape = match self.preset {
            Preset::Custom => return self.items.clone(),
            Preset::Random => Shape::Random,
            Preset::Sorted => Shape::Sorted,
            Preset::Reversed => Shape::Reversed,
            Preset::FewUnique => Shape::FewUnique,
        };
        let weights = preset::values(shape, PRESET_ITEMS, PRESET_WEIGHTS, seed);
        let values = preset::values(
            Shape::Random,
            PRESET_ITEMS,
            PRESET_VALUES,
            seed ^ VALUE_STREAM,
        );
        // Both ranges are positive, so the conversions cannot fail.
        weights
            .iter()
            .zip(&values)
            .map(|(&w, &v)| Item {
                weight: w.unsigned_abs() as usize,
                value: v.unsigned_abs(),
            })
            .collect()
    }

    fn model(&self, seed: u64) -> Knapsack {
        Knapsack::new(
            self.items(seed),
            self.capacity,
            self.mode,
            self.order,
            self.volume,
        )
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // The DP is deterministic: the seed only draws a preset's items.
    let setup = Setup::from_params(params)?;
    Ok(Box::new(KnapsackLesson {
        timeline: UndoLog::new(setup.model(seed), UNDO_CAPACITY),
        setup,
    }))
}

pub struct KnapsackLesson {
    setup: Setup,
    timeline: UndoLog<Knapsack>,
}

impl KnapsackLesson {
    pub fn model(&self) -> &Knapsack {
        self.timeline.model()
    }
}

/// Pseudocode line numbers (0-based), the same in the six listings below.
mod line {
    pub const OUTER: usize = 1;
    pub const FITS: usize = 4;
    pub const COMPARE: usize = 5;
    pub const TRACE_START: usize = 6;
    pub const TRACE_LOOP: usize = 7;
    pub const TRACE_TAKE: usize = 8;
    pub const DONE: usize = 9;
}

const CODE_2D: &[&str] = &[
    "f[0][*] = 0",
    "for i in 1..=n:",
    "  for j in 0..=C:",
    "    f[i][j] = f[i-1][j]         # skip item i",
    "    if j >= w[i]: t = f[i-1][j-w[i]] + v[i]",
    "      if t > f[i][j]: f[i][j] = t; took = 1",
    "j = C                           # traceback",
    "for i in n down to 1:",
    "  if took[i][j]: choose i; j -= w[i]",
    "return f[n][C]",
];

/// `CODE_2D` with its comments in Chinese: the code is the same.
const CODE_2D_ZH: &[&str] = &[
    "f[0][*] = 0",
    "for i in 1..=n:",
    "  for j in 0..=C:",
    "    f[i][j] = f[i-1][j]         # 不选物品 i",
    "    if j >= w[i]: t = f[i-1][j-w[i]] + v[i]",
    "      if t > f[i][j]: f[i][j] = t; took = 1",
    "j = C                           # 回溯",
    "for i in n down to 1:",
    "  if took[i][j]: choose i; j -= w[i]",
    "return f[n][C]",
];

const CODE_1D_REVERSE: &[&str] = &[
    "dp[*] = 0",
    "for i in 1..=n:",
    "  for j in C down to w[i]:   # right to left",
    "    # dp[j-w[i]] still holds row i-1",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = C                           # traceback",
    "for i in n down to 1:",
    "  if keep[i][j]: choose i; j -= w[i]",
    "return dp[C]",
];

const CODE_1D_REVERSE_ZH: &[&str] = &[
    "dp[*] = 0",
    "for i in 1..=n:",
    "  for j in C down to w[i]:   # 从右到左",
    "    # dp[j-w[i]] 仍是第 i-1 行的值",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = C                           # 回溯",
    "for i in n down to 1:",
    "  if keep[i][j]: choose i; j -= w[i]",
    "return dp[C]",
];

const CODE_1D_FORWARD: &[&str] = &[
    "dp[*] = 0",
    "for i in 1..=n:",
    "  for j in w[i] up to C:     # left to right",
    "    # dp[j-w[i]] may already count item i",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = C                           # traceback",
    "for i in n down to 1:",
    "  while keep[i][j]: choose i; j -= w[i]",
    "return dp[C]                # unbounded best",
];

const CODE_1D_FORWARD_ZH: &[&str] = &[
    "dp[*] = 0",
    "for i in 1..=n:",
    "  for j in w[i] up to C:     # 从左到右",
    "    # dp[j-w[i]] 可能已计入物品 i",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = C                           # 回溯",
    "for i in n down to 1:",
    "  while keep[i][j]: choose i; j -= w[i]",
    "return dp[C]                # 完全背包的最优值",
];

/// The listings above with an exact fill: row 0 starts at −∞ except j = 0,
/// and the answer is the best of the last row. Only lines 1, 7 and 10 differ.
const CODE_EXACT_2D: &[&str] = &[
    "f[0][0] = 0; f[0][j>0] = -inf",
    "for i in 1..=n:",
    "  for j in 0..=C:",
    "    f[i][j] = f[i-1][j]         # skip item i",
    "    if j >= w[i]: t = f[i-1][j-w[i]] + v[i]",
    "      if t > f[i][j]: f[i][j] = t; took = 1",
    "j = argmax f[n][*]              # traceback",
    "for i in n down to 1:",
    "  if took[i][j]: choose i; j -= w[i]",
    "return max(f[n][*])",
];

const CODE_EXACT_2D_ZH: &[&str] = &[
    "f[0][0] = 0; f[0][j>0] = -inf",
    "for i in 1..=n:",
    "  for j in 0..=C:",
    "    f[i][j] = f[i-1][j]         # 不选物品 i",
    "    if j >= w[i]: t = f[i-1][j-w[i]] + v[i]",
    "      if t > f[i][j]: f[i][j] = t; took = 1",
    "j = argmax f[n][*]              # 回溯",
    "for i in n down to 1:",
    "  if took[i][j]: choose i; j -= w[i]",
    "return max(f[n][*])",
];

const CODE_EXACT_1D_REVERSE: &[&str] = &[
    "dp[0] = 0; dp[j>0] = -inf",
    "for i in 1..=n:",
    "  for j in C down to w[i]:   # right to left",
    "    # dp[j-w[i]] still holds row i-1",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = argmax dp[*]                # traceback",
    "for i in n down to 1:",
    "  if keep[i][j]: choose i; j -= w[i]",
    "return max(dp[*])",
];

const CODE_EXACT_1D_REVERSE_ZH: &[&str] = &[
    "dp[0] = 0; dp[j>0] = -inf",
    "for i in 1..=n:",
    "  for j in C down to w[i]:   # 从右到左",
    "    # dp[j-w[i]] 仍是第 i-1 行的值",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = argmax dp[*]                # 回溯",
    "for i in n down to 1:",
    "  if keep[i][j]: choose i; j -= w[i]",
    "return max(dp[*])",
];

const CODE_EXACT_1D_FORWARD: &[&str] = &[
    "dp[0] = 0; dp[j>0] = -inf",
    "for i in 1..=n:",
    "  for j in w[i] up to C:     # left to right",
    "    # dp[j-w[i]] may already count item i",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = argmax dp[*]                # traceback",
    "for i in n down to 1:",
    "  while keep[i][j]: choose i; j -= w[i]",
    "return max(dp[*])           # unbounded best",
];

const CODE_EXACT_1D_FORWARD_ZH: &[&str] = &[
    "dp[0] = 0; dp[j>0] = -inf",
    "for i in 1..=n:",
    "  for j in w[i] up to C:     # 从左到右",
    "    # dp[j-w[i]] 可能已计入物品 i",
    "    t = dp[j-w[i]] + v[i]",
    "    if t > dp[j]: dp[j] = t; keep[i][j] = 1",
    "j = argmax dp[*]                # 回溯",
    "for i in n down to 1:",
    "  while keep[i][j]: choose i; j -= w[i]",
    "return max(dp[*])           # 完全背包的最优值",
];

impl Lesson for KnapsackLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.timeline
    }

    fn events(&self, out: &mut Vec<Event>) {
        let model = self.model();
        match model.last() {
            Last::Fill(fill) if fill.took => {
                let at = format!("i={},j={}", fill.i, fill.j);
                if model.reused(fill) {
                    out.push(Event::new(event::REUSE, at.clone()));
                }
                out.push(Event::new(event::TAKE, at));
            }
            Last::Trace { i, took: true, .. } => {
                out.push(Event::new(event::CHOOSE, format!("i={i}")));
            }
            _ => {}
        }
    }

    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self.model(), pick)
    }

    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.timeline
    }

    fn total_steps(&self) -> Option<u64> {
        self.model().total_steps()
    }

    fn is_finished(&self) -> bool {
        self.model().cursor() == Cursor::Done
    }

    fn pseudocode(&self, lang: Lang) -> &'static [&'static str] {
        let exact = self.setup.volume == Volume::Exact;
        match (self.setup.mode, self.setup.order, lang, exact) {
            (Mode::TwoD, _, Lang::En, false) => CODE_2D,
            (Mode::TwoD, _, Lang::Zh, false) => CODE_2D_ZH,
            (Mode::OneD, Order::Reverse, Lang::En, false) => CODE_1D_REVERSE,
            (Mode::OneD, Order::Reverse, Lang::Zh, false) => CODE_1D_REVERSE_ZH,
            (Mode::OneD, Order::Forward, Lang::En, false) => CODE_1D_FORWARD,
            (Mode::OneD, Order::Forward, Lang::Zh, false) => CODE_1D_FORWARD_ZH,
            (Mode::TwoD, _, Lang::En, true) => CODE_EXACT_2D,
            (Mode::TwoD, _, Lang::Zh, true) => CODE_EXACT_2D_ZH,
            (Mode::OneD, Order::Reverse, Lang::En, true) => CODE_EXACT_1D_REVERSE,
            (Mode::OneD, Order::Reverse, Lang::Zh, true) => CODE_EXACT_1D_REVERSE_ZH,
            (Mode::OneD, Order::Forward, Lang::En, true) => CODE_EXACT_1D_FORWARD,
            (Mode::OneD, Order::Forward, Lang::Zh, true) => CODE_EXACT_1D_FORWARD_ZH,
        }
    }

    fn current_line(&self) -> usize {
        let model = self.model();
        match (model.last(), model.cursor()) {
            (_, Cursor::Done) => line::DONE,
            (Last::Start, Cursor::Trace { .. }) => line::TRACE_START,
            (Last::Start, _) => line::OUTER,
            // The comparison ran (and maybe wrote); without room for the item, the fit test failed.
            (Last::Fill(fill), _) if fill.take.is_some() => line::COMPARE,
            (Last::Fill(_), _) => line::FITS,
            (Last::Trace { took: true, .. }, _) => line::TRACE_TAKE,
            (Last::Trace { .. }, _) => line::TRACE_LOOP,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
    }

    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "i", "j", "value", "took", "skip", "take"]
    }

    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        if let Last::Fill(fill) = self.model().last() {
            rows.push(vec![
                self.timeline.steps().into(),
                fill.i.into(),
                fill.j.into(),
                field(fill.value()),
                fill.took.into(),
                field(fill.skip),
                // Empty when the item does not fit: there is no take branch.
                fill.take.map_or(Field::Text(String::new()), field),
            ]);
        }
    }

    fn summary(&self) -> toml::Table {
        let model = self.model();
        let mut table = toml::Table::new();
        let int = |n: u64| toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        let chosen = model.chosen();
        let weight: usize = chosen.iter().map(|&i| model.items()[i - 1].weight).sum();
        table.insert("best".into(), int(model.best()));
        table.insert(
            "chosen".into(),
            toml::Value::Array(chosen.iter().map(|&i| int(i as u64)).collect()),
        );
        table.insert("cells".into(), int(model.cells_filled()));
        table.insert("mode".into(), self.setup.mode.name().into());
        table.insert("fill".into(), self.setup.volume.name().into());
        table.insert("preset".into(), self.setup.preset.name().into());
        let ints = |values: Vec<u64>| toml::Value::Array(values.into_iter().map(int).collect());
        let items = model.items();
        table.insert(
            "weights".into(),
            ints(items.iter().map(|item| item.weight as u64).collect()),
        );
        table.insert(
            "values".into(),
            ints(items.iter().map(|item| item.value).collect()),
        );
        // The weight the answer is read at: C, or with an exact fill the j
        // whose exact packings are worth the most.
        table.insert("volume".into(), int(model.answer_volume() as u64));
        if self.setup.volume == Volume::Exact && self.is_finished() {
            // The weights no set of items adds up to: −∞ in the last row.
            let unreachable = (0..=model.capacity())
                .filter(|&j| model.last_row(j) == Value::NegInf)
                .map(|j| int(j as u64))
                .collect();
            table.insert("unreachable".into(), toml::Value::Array(unreachable));
        }
        table.insert("order".into(), self.setup.order.name().into());
        table.insert(
            "problem".into(),
            if model.is_unbounded() {
                "unbounded"
            } else {
                "0/1"
            }
            .into(),
        );
        table.insert("weight".into(), int(weight as u64));
        table.insert("capacity".into(), int(model.capacity() as u64));
        table.insert("steps".into(), int(self.timeline.steps()));
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}

/// A cell's value for the trace: the number, or `-inf` where an exact fill
/// cannot reach (a float spelling every CSV reader parses).
fn field(value: Value) -> Field {
    value
        .finite()
        .map_or(Field::Text("-inf".to_string()), Field::from)
}
