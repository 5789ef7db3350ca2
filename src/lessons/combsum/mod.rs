//! The combination sum lesson: the backtracking search tree, node by node.

pub mod model;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::lesson::replay::Replay;
use crate::lesson::{
    Field, Lesson, LessonEntry, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue,
    delegate_replay,
};
use crate::theme::Theme;
use model::{Event, SearchError, SearchState, Variant, record};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "combsum",
    title: "Combination sum",
    summary: "backtracking search tree with pruning, with and without reuse",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/combsum.md"),
};

/// Longest search recorded; a larger one is refused with a hint.
const MAX_EVENTS: usize = 500_000;
const MAX_CANDIDATES: usize = 30;
const MAX_CANDIDATE: i64 = 500;
const MAX_TARGET: i64 = 500;

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec {
            key: "candidates",
            help: "positive values to combine",
            kind: ParamKind::IntList {
                min_len: 1,
                max_len: MAX_CANDIDATES,
                min: 1,
                max: MAX_CANDIDATE,
            },
            default: ParamValue::IntList(vec![2, 3, 6, 7]),
        },
        ParamSpec {
            key: "target",
            help: "the sum to reach",
            kind: ParamKind::Int {
                min: 1,
                max: MAX_TARGET,
                step: 1,
            },
            default: ParamValue::Int(7),
        },
        ParamSpec {
            key: "variant",
            help: "reuse: any number of times (distinct candidates); once: at most once each",
            kind: ParamKind::Choice(&["reuse", "once"]),
            default: ParamValue::Choice("reuse"),
        },
        ParamSpec {
            key: "prune",
            help: "stop a level as soon as the sum would pass the target",
            kind: ParamKind::Bool,
            default: ParamValue::Bool(true),
        },
    ]
}

struct Search {
    candidates: Vec<i64>,
    target: i64,
    variant: Variant,
    prune: bool,
}

impl Search {
    fn from_params(params: &ParamSet) -> Search {
        Search {
            candidates: params.int_list("candidates").to_vec(),
            target: params.int("target"),
            variant: if params.choice("variant") == "once" {
                Variant::Once
            } else {
                Variant::Reuse
            },
            prune: params.flag("prune"),
        }
    }

    fn record(
        &self,
        params: &ParamSet,
        prune: bool,
    ) -> Result<(SearchState, Vec<Event>), ParamError> {
        record(
            &self.candidates,
            self.target,
            self.variant,
            prune,
            MAX_EVENTS,
        )
        .map_err(|err| match err {
            SearchError::Duplicate(value) => ParamError::new(
                params.path("candidates"),
                format!(
                    "{value} appears twice; with variant = reuse the candidates must be \
                         distinct (use variant = once for repeated values)"
                ),
            ),
            SearchError::TooLarge(cap) => ParamError::new(
                params.path("target"),
                format!(
                    "the search takes more than {cap} steps; lower the target, drop the \
                         smallest candidates or turn prune on"
                ),
            ),
        })
    }
}

fn validate(params: &ParamSet) -> Result<(), ParamError> {
    let search = Search::from_params(params);
    search.record(params, search.prune).map(|_| ())
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let search = Search::from_params(params);
    let (state, events) = search.record(params, search.prune)?;
    // The same search with pruning flipped, for the comparison the view shows;
    // if that one is too large to record, it is reported as such.
    let other = search
        .record(params, !search.prune)
        .ok()
        .map(|(mut other, events)| {
            for e in &events {
                crate::lesson::replay::Tape::apply(&mut other, e);
            }
            (other.visited, other.pruned)
        });
    Ok(Box::new(CombSumLesson {
        params: params.clone(),
        seed,
        prune: search.prune,
        other,
        replay: Replay::new(state, events),
    }))
}

pub struct CombSumLesson {
    params: ParamSet,
    seed: u64,
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

impl Lesson for CombSumLesson {
    delegate_replay!(replay);

    fn pseudocode(&self) -> &'static [&'static str] {
        CODE
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
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
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
            self.steps().into(),
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
