//! Combination sum by backtracking: every combination of candidates adding
//! up to the target, with each candidate reused freely or used at most once.
//!
//! ```text
//! sort candidates
//! dfs(start, path, sum):
//!     if sum == target: record path; return
//!     for i in start..n:
//!         once: if i > start and c[i] == c[i−1]: continue   # same value, same level
//!         prune: if sum + c[i] > target: break              # sorted: the rest are larger
//!         dfs(i if reuse else i + 1, path + [c[i]], sum + c[i])
//! ```
//! Without pruning a node whose sum passes the target is entered and left
//! at once: the search still terminates because candidates are positive.

use crate::lesson::replay::Tape;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Reuse,
    Once,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// On the current path.
    Exploring,
    Found,
    /// Never entered: its sum would pass the target.
    Pruned,
    /// Entered and left without more to find below.
    Exhausted,
}

/// A node of the search tree, in the order the search creates them (preorder).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub parent: usize,
    pub depth: usize,
    pub value: i64,
    pub sum: i64,
    pub status: Status,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Enter a child with this value.
    Enter { value: i64 },
    /// The current path adds up to the target.
    Found,
    /// A child with this value would pass the target: the level stops here.
    Prune { value: i64 },
    /// Leave the current node; `status` is what it becomes.
    Back { node: usize, status: Status },
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::Enter { .. } => "enter",
            Event::Found => "found",
            Event::Prune { .. } => "prune",
            Event::Back { .. } => "back",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SearchState {
    pub target: i64,
    /// Node 0 is the root (the empty path).
    pub nodes: Vec<Node>,
    pub current: usize,
    pub path: Vec<i64>,
    pub sum: i64,
    pub found: Vec<Vec<i64>>,
    /// Nodes entered (the root not counted).
    pub visited: u64,
    pub pruned: u64,
}

impl SearchState {
    fn new(target: i64) -> SearchState {
        SearchState {
            target,
            nodes: vec![Node {
                parent: 0,
                depth: 0,
                value: 0,
                sum: 0,
                status: Status::Exploring,
            }],
            current: 0,
            path: Vec::new(),
            sum: 0,
            found: Vec::new(),
            visited: 0,
            pruned: 0,
        }
    }
}

impl Tape for SearchState {
    type Event = Event;

    fn apply(&mut self, event: &Event) {
        match *event {
            Event::Enter { value } => {
                let depth = self.nodes[self.current].depth + 1;
                self.nodes.push(Node {
                    parent: self.current,
                    depth,
                    value,
                    sum: self.sum + value,
                    status: Status::Exploring,
                });
                self.current = self.nodes.len() - 1;
                self.path.push(value);
                self.sum += value;
                self.visited += 1;
            }
            Event::Found => {
                self.found.push(self.path.clone());
                self.nodes[self.current].status = Status::Found;
            }
            Event::Prune { value } => {
                let node = &self.nodes[self.current];
                let pruned = Node {
                    parent: self.current,
                    depth: node.depth + 1,
                    value,
                    sum: node.sum + value,
                    status: Status::Pruned,
                };
                self.nodes.push(pruned);
                self.pruned += 1;
            }
            Event::Back { node, status } => {
                self.nodes[node].status = status;
                self.current = self.nodes[node].parent;
                if let Some(value) = self.path.pop() {
                    self.sum -= value;
                }
            }
        }
    }

    fn revert(&mut self, event: &Event) {
        match *event {
            Event::Enter { value } => {
                self.current = self.nodes.pop().map_or(0, |node| node.parent);
                self.path.pop();
                self.sum -= value;
                self.visited -= 1;
            }
            Event::Found => {
                self.found.pop();
                self.nodes[self.current].status = Status::Exploring;
            }
            Event::Prune { .. } => {
                self.nodes.pop();
                self.pruned -= 1;
            }
            Event::Back { node, status } => {
                // A found node stays found when left; any other was on the path.
                self.nodes[node].status = if status == Status::Found {
                    Status::Found
                } else {
                    Status::Exploring
                };
                self.current = node;
                let value = self.nodes[node].value;
                self.path.push(value);
                self.sum += value;
            }
        }
    }
}

impl SearchState {
    /// The values from the root to `node`.
    pub fn path_to(&self, mut node: usize) -> Vec<i64> {
        let mut path = Vec::new();
        while node != 0 {
            path.push(self.nodes[node].value);
            node = self.nodes[node].parent;
        }
        path.reverse();
        path
    }
}

/// Why a search cannot be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchError {
    /// Reuse needs distinct candidates; this value repeats.
    Duplicate(i64),
    /// The tree grew past the cap.
    TooLarge(usize),
}

/// Records the whole search; fails past `max_events` or on duplicate
/// candidates under reuse.
pub fn record(
    candidates: &[i64],
    target: i64,
    variant: Variant,
    prune: bool,
    max_events: usize,
) -> Result<(SearchState, Vec<Event>), SearchError> {
    let mut sorted = candidates.to_vec();
    sorted.sort_unstable();
    if variant == Variant::Reuse
        && let Some(w) = sorted.windows(2).find(|w| w[0] == w[1])
    {
        return Err(SearchError::Duplicate(w[0]));
    }
    let initial = SearchState::new(target);
    let mut recorder = Recorder {
        state: initial.clone(),
        events: Vec::new(),
        candidates: sorted,
        variant,
        prune,
        max_events,
    };
    recorder.dfs(0)?;
    Ok((initial, recorder.events))
}

struct Recorder {
    state: SearchState,
    events: Vec<Event>,
    candidates: Vec<i64>,
    variant: Variant,
    prune: bool,
    max_events: usize,
}

impl Recorder {
    fn emit(&mut self, event: Event) -> Result<(), SearchError> {
        if self.events.len() == self.max_events {
            return Err(SearchError::TooLarge(self.max_events));
        }
        self.state.apply(&event);
        self.events.push(event);
        Ok(())
    }

    fn dfs(&mut self, start: usize) -> Result<(), SearchError> {
        let target = self.state.target;
        if self.state.sum == target {
            return self.emit(Event::Found);
        }
        if self.state.sum > target {
            // Only without pruning: this node was entered, and nothing below can work.
            return Ok(());
        }
        for i in start..self.candidates.len() {
            let value = self.candidates[i];
            if self.variant == Variant::Once && i > start && value == self.candidates[i - 1] {
                continue;
            }
            if self.prune && self.state.sum + value > target {
                self.emit(Event::Prune { value })?;
                break;
            }
            self.emit(Event::Enter { value })?;
            let node = self.state.current;
            let next = match self.variant {
                Variant::Reuse => i,
                Variant::Once => i + 1,
            };
            self.dfs(next)?;
            let status = if self.state.nodes[node].status == Status::Found {
                Status::Found
            } else {
                Status::Exhausted
            };
            self.emit(Event::Back { node, status })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn combinations(c: &[i64], target: i64, variant: Variant, prune: bool) -> Vec<Vec<i64>> {
        let (mut state, events) = record(c, target, variant, prune, 100_000).expect("small search");
        for e in &events {
            state.apply(e);
        }
        state.found
    }

    #[test]
    fn the_classic_examples() {
        assert_eq!(
            combinations(&[2, 3, 6, 7], 7, Variant::Reuse, true),
            vec![vec![2, 2, 3], vec![7]]
        );
        assert_eq!(
            combinations(&[10, 1, 2, 7, 6, 1, 5], 8, Variant::Once, true),
            vec![vec![1, 1, 6], vec![1, 2, 5], vec![1, 7], vec![2, 6]]
        );
    }

    #[test]
    fn reuse_refuses_duplicates() {
        assert_eq!(
            record(&[2, 3, 2], 5, Variant::Reuse, true, 100).unwrap_err(),
            SearchError::Duplicate(2)
        );
    }

    #[test]
    fn reverting_every_event_restores_the_root() {
        let (initial, events) = record(&[2, 3, 5], 8, Variant::Reuse, false, 10_000).expect("ok");
        let mut state = initial.clone();
        for e in &events {
            state.apply(e);
        }
        for e in events.iter().rev() {
            state.revert(e);
        }
        assert_eq!(state, initial);
    }
}
