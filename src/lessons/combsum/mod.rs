//! The combination sum lesson: the backtracking search tree, node by node.

pub mod model;
mod view;

use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::replay::Replay;
use crate::lesson::{
    Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Timeline, choices,
    validate,
};
use crate::theme::Look;
use model::{Event, SearchError, SearchState, Variant, record};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "combsum",
    title: tr!("Combination sum", "组合总和"),
    summary: "backtracking search tree with pruning, with and without reuse",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/combsum.md"),
    events: &[],
    tour: None,
    questions: &[],
};

/// Longest search recorded; a larger one is refused with a hint.
const MAX_EVENTS: usize = 500_000;
const MAX_CANDIDATES: usize = 30;
const MAX_CANDIDATE: i64 = 500;
const MAX_TARGET: i64 = 500;

choices!(Variant { Variant::Reuse => "reuse", Variant::Once => "once" });

mod key {
    pub const CANDIDATES: &str = "candidates";
    pub const TARGET: &str = "target";
    pub const VARIANT: &str = "variant";
    pub const PRUNE: &str = "prune";
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
    ]
}

/// The search, recorded once as set, and its size with pruning flipped.
struct Setup {
    prune: bool,
    state: SearchState,
    events: Vec<Event>,
    /// (nodes, pruned) of the full search with `prune` flipped, if recordable.
    other: Option<(u64, u64)>,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let candidates = params.int_list(key::CANDIDATES)?;
        let target = params.int(key::TARGET)?;
        let variant = params.choice(key::VARIANT)?;
        let prune = params.flag(key::PRUNE)?;
        let search = |prune| {
            record(candidates, target, variant, prune, MAX_EVENTS).map_err(|err| match err {
                SearchError::Duplicate(value) => ParamError::new(
                    params.path(key::CANDIDATES),
                    said!(
                        "{value} appears twice; with variant = reuse the candidates must be \
                         distinct (use variant = once for repeated values)",
                        "{value} 出现了两次；variant = reuse 时候选数不得重复（有重复值请用 variant = once）"
                    ),
                ),
                SearchError::TooLarge(cap) => ParamError::new(
                    params.path(key::TARGET),
                    said!(
                        "the search takes more than {cap} steps; lower the target, drop the \
                         smallest candidates or turn prune on",
                        "搜索超过 {cap} 步；请降低目标、去掉最小的候选数或打开剪枝"
                    ),
                ),
            })
        };
        let (state, events) = search(prune)?;
        // The same search with pruning flipped, for the comparison the view
        // shows; if that one is too large to record, it is reported as such.
        let other = search(!prune).ok().map(|(mut other, events)| {
            for e in &events {
                crate::lesson::replay::Tape::apply(&mut other, e);
            }
            (other.visited, other.pruned)
        });
        Ok(Setup {
            prune,
            state,
            events,
            other,
        })
    }
}

fn build(params: &ParamSet, _seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // The search is deterministic: the seed changes nothing.
    let setup = Setup::from_params(params)?;
    Ok(Box::new(CombSumLesson {
        prune: setup.prune,
        other: setup.other,
        replay: Replay::new(setup.state, setup.events),
    }))
}

pub struct CombSumLesson {
    prune: bool,
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

const CODE: &[&str] = &[
    "sort(c); dfs(0, [], 0)",
    "dfs(start, path, sum):",
    "  if sum == target: record(path); return",
    "  for i in start..n:",
    "    once: skip c[i] == c[i−1] when i > start",
    "    if prune and sum + c[i] > target: break",
    "    dfs(i (reuse) or i+1 (once), path+[c[i]], sum+c[i])",
    "  return                      # back to the parent",
];

/// `CODE` with its comment in Chinese: the code is the same.
const CODE_ZH: &[&str] = &[
    "sort(c); dfs(0, [], 0)",
    "dfs(start, path, sum):",
    "  if sum == target: record(path); return",
    "  for i in start..n:",
    "    once: skip c[i] == c[i−1] when i > start",
    "    if prune and sum + c[i] > target: break",
    "    dfs(i (reuse) or i+1 (once), path+[c[i]], sum+c[i])",
    "  return                      # 回到父节点",
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
            None => 0,
            Some(Event::Enter { .. }) => 6,
            Some(Event::Found) => 2,
            Some(Event::Prune { .. }) => 5,
            Some(Event::Back { .. }) => 7,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &["step", "event", "path", "sum"]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let Some(event) = self.last() else {
            return;
        };
        let state = self.state();
        let path = state
            .path
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        rows.push(vec![
            self.replay.steps().into(),
            event.name().into(),
            Field::Text(path),
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
        table.insert("nodes".into(), count(state.visited));
        table.insert("pruned".into(), count(state.pruned));
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}
