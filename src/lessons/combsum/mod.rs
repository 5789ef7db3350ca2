//! The combination sum lesson: the backtracking search tree, node by node.

pub mod model;
pub mod questions;
mod view;

use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::preset::{self, Shape};
use crate::lesson::replay::Replay;
use crate::lesson::{
    Choice, Event as Moment, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError,
    ParamSet, ParamSpec, Question, Timeline, choices,
};
use crate::theme::Look;
use model::{Event, SearchError, SearchState, Variant, record};
use questions::spaced;

pub const ENTRY: LessonEntry = LessonEntry {
    id: "combsum",
    title: tr!("Combination sum", "组合总和"),
    summary: "backtracking search tree with pruning, with and without reuse",
    specs,
    validate: check,
    build,
    explanation: include_str!("../../../assets/lessons/combsum.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/combsum.toml")),
    questions: questions::KINDS,
};

/// The key moments of a search.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::SKIP,
        ask: Some(questions::kind::NEXT),
        label: tr!("duplicate skipped", "跳过重复值"),
        why: tr!(
            "a value equal to the one before it at the same level would rebuild the \
             combinations its twin's branch already found: the loop skips it",
            "同一层里与前一个相等的值，只会重新得到前一个分支已经找到的组合：循环跳过它"
        ),
    },
    EventKind {
        id: event::PRUNE,
        ask: Some(questions::kind::NEXT),
        label: tr!("level pruned", "剪掉本层"),
        why: tr!(
            "the candidates are sorted, so once sum + c[i] passes the target every later one \
             does too: break",
            "候选数已排序，一旦 sum + c[i] 超过目标，后面的都会超过：break"
        ),
    },
    EventKind {
        id: event::FOUND,
        ask: None,
        label: tr!("combination found", "找到组合"),
        why: tr!(
            "the path adds up to the target exactly: it is recorded",
            "路径的和恰好等于目标：记录下来"
        ),
    },
    EventKind {
        id: event::OVERSHOOT,
        ask: None,
        label: tr!("overshoot", "超出目标"),
        why: tr!(
            "without pruning a branch past the target is entered before the check returns: \
             work that pruning saves",
            "不剪枝时，超过目标的分支要先进入，再由检查返回：这正是剪枝省下的工作"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const SKIP: &str = "skip-duplicate";
    pub const PRUNE: &str = "prune";
    pub const FOUND: &str = "found";
    pub const OVERSHOOT: &str = "overshoot";
}

/// Longest search recorded; a larger one is refused with a hint.
const MAX_EVENTS: usize = 500_000;
const MAX_CANDIDATES: usize = 30;
const MAX_CANDIDATE: i64 = 500;
const MAX_TARGET: i64 = 500;

/// How many candidates a drawn preset holds, and the range they come from:
/// small enough for the tree to stay readable at the default target.
const PRESET_COUNT: usize = 7;
const PRESET_FEW_COUNT: usize = 8;
const PRESET_VALUES: std::ops::RangeInclusive<i64> = 1..=12;
/// The seed's example for version II: two 1s, so the root skips its second 1.
const DUPLICATES: &[i64] = &[10, 1, 2, 7, 6, 1, 5];

choices!(Variant { Variant::Reuse => "reuse", Variant::Once => "once" });

/// Where the candidates come from: the typed list or a preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preset {
    Custom,
    Random,
    Sorted,
    Reversed,
    FewUnique,
    Duplicates,
}

choices!(Preset {
    Preset::Custom => "custom",
    Preset::Random => "random",
    Preset::Sorted => "sorted",
    Preset::Reversed => "reversed",
    Preset::FewUnique => "few-unique",
    Preset::Duplicates => "duplicates",
});

impl Preset {
    /// Whether every list of this preset repeats a value.
    fn repeats(self) -> bool {
        matches!(self, Preset::FewUnique | Preset::Duplicates)
    }
}

mod key {
    pub const CANDIDATES: &str = "candidates";
    pub const TARGET: &str = "target";
    pub const VARIANT: &str = "variant";
    pub const PRUNE: &str = "prune";
    pub const PRESET: &str = "preset";
}

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::int_list(
            key::CANDIDATES,
            1..=MAX_CANDIDATES,
            1..=MAX_CANDIDATE,
            &[2, 3, 6, 7],
        )
        .help(tr!("positive values to combine", "用来组合的正整数")),
        ParamSpec::int(key::TARGET, 1..=MAX_TARGET, 7).help(tr!("the sum to reach", "要凑出的和")),
        ParamSpec::choice(key::VARIANT, Variant::Reuse).help(tr!(
            "reuse: any number of times (distinct candidates); once: at most once each",
            "reuse：每个数可用任意次（候选不得重复）；once：每个至多用一次"
        )),
        ParamSpec::flag(key::PRUNE, true).help(tr!(
            "stop a level as soon as the sum would pass the target",
            "一旦和会超过目标就结束这一层"
        )),
        ParamSpec::choice(key::PRESET, Preset::Custom).help(tr!(
            "custom: the candidates above; random, sorted, reversed, few-unique: drawn from \
             the seed; duplicates: 10,1,2,7,6,1,5 (for once)",
            "custom：用上面的候选数；random、sorted、reversed、few-unique：按种子生成；\
             duplicates：10,1,2,7,6,1,5（配合 once）"
        )),
    ]
}

/// The parameters, read and checked on their own and together.
struct Setup {
    typed: Vec<i64>,
    preset: Preset,
    target: i64,
    variant: Variant,
    prune: bool,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let setup = Setup {
            typed: params.int_list(key::CANDIDATES)?.to_vec(),
            preset: params.choice(key::PRESET)?,
            target: params.int(key::TARGET)?,
            variant: params.choice(key::VARIANT)?,
            prune: params.flag(key::PRUNE)?,
        };
        if setup.variant == Variant::Reuse && setup.preset.repeats() {
            let name = setup.preset.name();
            return Err(ParamError::new(
                params.path(key::PRESET),
                said!(
                    "preset = {name} repeats values, and variant = reuse needs distinct \
                     candidates: use variant = once, or another preset",
                    "preset = {name} 含重复值，而 variant = reuse 要求候选数互不相同：\
                     请用 variant = once，或换一个预设"
                ),
            ));
        }
        Ok(setup)
    }
}

/// The recorded search and its size with pruning flipped.
struct Search {
    state: SearchState,
    events: Vec<Event>,
    /// (nodes, pruned) of the full search with `prune` flipped, if recordable.
    other: Option<(u64, u64)>,
}

impl Setup {
    /// The candidates as given: typed, or the preset's, drawn from `seed`.
    fn candidates(&self, seed: u64) -> Vec<i64> {
        let drawn = |shape, count| preset::values(shape, count, PRESET_VALUES, seed);
        match self.preset {
            Preset::Custom => self.typed.clone(),
            Preset::Random => drawn(Shape::Random, PRESET_COUNT),
            Preset::Sorted => drawn(Shape::Sorted, PRESET_COUNT),
            Preset::Reversed => drawn(Shape::Reversed, PRESET_COUNT),
            Preset::FewUnique => drawn(Shape::FewUnique, PRESET_FEW_COUNT),
            Preset::Duplicates => DUPLICATES.to_vec(),
        }
    }

    fn search(&self, params: &ParamSet, seed: u64) -> Result<Search, ParamError> {
        let candidates = self.candidates(seed);
        let run = |prune| {
            record(&candidates, self.target, self.variant, prune, MAX_EVENTS).map_err(|err| {
                match err {
                    SearchError::Duplicate(value) => ParamError::new(
                        params.path(key::CANDIDATES),
                        said!(
                            "{value} appears twice; with variant = reuse the candidates must \
                             be distinct (use variant = once for repeated values)",
                            "{value} 出现了两次；variant = reuse 时候选数不得重复（有重复值请用 variant = once）"
                        ),
                    ),
                    SearchError::TooLarge(cap) => ParamError::new(
                        params.path(key::TARGET),
                        said!(
                            "the search takes more than {cap} steps; lower the target, drop \
                             the smallest candidates or turn prune on",
                            "搜索超过 {cap} 步；请降低目标、去掉最小的候选数或打开剪枝"
                        ),
                    ),
                }
            })
        };
        let (state, events) = run(self.prune)?;
        // The same search with pruning flipped, for the comparison the view
        // shows; if that one is too large to record, it is reported as such.
        let other = run(!self.prune).ok().map(|(mut other, events)| {
            for e in &events {
                crate::lesson::replay::Tape::apply(&mut other, e);
            }
            (other.visited, other.pruned)
        });
        Ok(Search {
            state,
            events,
            other,
        })
    }
}

/// The typed read, and the search itself when the candidates are typed (a
/// preset's depend on the seed, so its search is checked when it is built).
fn check(params: &ParamSet) -> Result<(), ParamError> {
    let setup = Setup::from_params(params)?;
    if setup.preset == Preset::Custom {
        setup.search(params, 0)?;
    }
    Ok(())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // The search is deterministic: the seed only draws a preset's candidates.
    let setup = Setup::from_params(params)?;
    let search = setup.search(params, seed)?;
    Ok(Box::new(CombSumLesson {
        prune: setup.prune,
        preset: setup.preset,
        other: search.other,
        replay: Replay::new(search.state, search.events),
    }))
}

pub struct CombSumLesson {
    prune: bool,
    preset: Preset,
    /// (nodes, pruned) of the full search with `prune` flipped, if recordable.
    other: Option<(u64, u64)>,
    replay: Replay<SearchState>,
}

impl CombSumLesson {
    pub fn state(&self) -> &SearchState {
        self.replay.state()
    }
    pub fn last(&self) -> Option<&Event> {
        self.replay.last()
    }
    pub fn prune(&self) -> bool {
        self.prune
    }
    pub fn other(&self) -> Option<(u64, u64)> {
        self.other
    }
}

/// Pseudocode line numbers (0-based), the same in both listings.
mod line {
    pub const SORT: usize = 0;
    pub const FOUND: usize = 2;
    pub const OVERSHOOT: usize = 3;
    pub const SKIP: usize = 6;
    pub const PRUNE: usize = 7;
    pub const ENTER: usize = 8;
    pub const BACK: usize = 9;
}

// Every line fits the 80×24 layout's box (48 columns inside).
const CODE: &[&str] = &[
    "sort(c); dfs(0, [], 0)",
    "dfs(start, path, sum):",
    "  if sum == target: record(path); return",
    "  if sum > target: return  # prune off only",
    "  for i in start..n:",
    "    if once and i > start and c[i] == c[i-1]:",
    "      continue             # skip duplicate",
    "    if prune and sum + c[i] > target: break",
    "    dfs(once ? i+1 : i, path+[c[i]], sum+c[i])",
    "  return                   # to the parent",
];

/// `CODE` with its comments in Chinese: the code is the same.
const CODE_ZH: &[&str] = &[
    "sort(c); dfs(0, [], 0)",
    "dfs(start, path, sum):",
    "  if sum == target: record(path); return",
    "  if sum > target: return  # 仅在不剪枝时",
    "  for i in start..n:",
    "    if once and i > start and c[i] == c[i-1]:",
    "      continue             # 跳过重复值",
    "    if prune and sum + c[i] > target: break",
    "    dfs(once ? i+1 : i, path+[c[i]], sum+c[i])",
    "  return                   # 回到父节点",
];

impl Lesson for CombSumLesson {
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
        match lang {
            Lang::En => CODE,
            Lang::Zh => CODE_ZH,
        }
    }
    fn current_line(&self) -> usize {
        match self.last() {
            None => line::SORT,
            Some(Event::Enter { .. }) => line::ENTER,
            Some(Event::Found) => line::FOUND,
            Some(Event::Overshoot) => line::OVERSHOOT,
            Some(Event::Skip { .. }) => line::SKIP,
            Some(Event::Prune { .. }) => line::PRUNE,
            Some(Event::Back { .. }) => line::BACK,
        }
    }
    fn events(&self, out: &mut Vec<Moment>) {
        let state = self.state();
        let path = spaced(&state.path);
        match self.last() {
            Some(Event::Skip { value, .. }) => {
                out.push(Moment::new(
                    event::SKIP,
                    format!("path={path},value={value}"),
                ));
            }
            Some(Event::Prune { value, .. }) => {
                out.push(Moment::new(
                    event::PRUNE,
                    format!("path={path},value={value}"),
                ));
            }
            Some(Event::Found) => {
                out.push(Moment::new(event::FOUND, format!("combination={path}")))
            }
            Some(Event::Overshoot) => {
                let sum = state.sum;
                out.push(Moment::new(
                    event::OVERSHOOT,
                    format!("path={path},sum={sum}"),
                ));
            }
            _ => {}
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(&self.replay, pick)
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "event", "value", "path", "sum"]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let Some(event) = self.last() else {
            return;
        };
        let state = self.state();
        // The value the loop looked at; empty where the step looked at none.
        let value = match *event {
            Event::Enter { value, .. } | Event::Skip { value, .. } | Event::Prune { value, .. } => {
                value.into()
            }
            Event::Back { node, .. } => state.nodes[node].value.into(),
            Event::Found | Event::Overshoot => Field::Text(String::new()),
        };
        rows.push(vec![
            self.replay.steps().into(),
            event.name().into(),
            value,
            Field::Text(spaced(&state.path)),
            state.sum.into(),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let state = self.state();
        let count = |n: u64| toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        let mut table = toml::Table::new();
        table.insert(
            "combinations".into(),
            toml::Value::Array(
                state
                    .found
                    .iter()
                    .map(|c| toml::Value::Array(c.iter().map(|&v| v.into()).collect()))
                    .collect(),
            ),
        );
        table.insert("preset".into(), self.preset.name().into());
        table.insert(
            "candidates".into(),
            toml::Value::Array(state.candidates.iter().map(|&v| v.into()).collect()),
        );
        table.insert("nodes".into(), count(state.visited));
        table.insert("pruned".into(), count(state.pruned));
        table.insert("skipped".into(), count(state.skipped));
        table.insert("overshot".into(), count(state.overshot));
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}
