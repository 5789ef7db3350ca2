//! Combination sum by backtracking: every combination of candidates adding
//! up to the target, with each candidate reused freely or used at most once.
//!
//! ```text
//! sort candidates
//! dfs(start, path, sum):
//!     if sum == target: record path; return
//!     if sum > target: return                           # only reached without pruning
//!     for i in start..n:
//!         once: if i > start and c[i] == c[i−1]: continue   # same value, same level
//!         prune: if sum + c[i] > target: break              # sorted: the rest are larger
//!         dfs(i if reuse else i + 1, path + [c[i]], sum + c[i])
//! ```
//! Every test the loop makes is a step of its own: a skipped duplicate and a
//! prune leave a node in the tree that was never entered, and without
//! pruning a node whose sum passes the target is entered, marked as an
//! overshoot and left. The search terminates because candidates are positive.

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
    /// Never entered: its sum would pass the target (pruning on).
    Pruned,
    /// Never entered: the same value as the branch before it at this level.
    Skipped,
    /// Entered with a sum past the target (pruning off), and returned from.
    Overshoot,
    /// Entered and left without more to find below.
    Exhausted,
}

/// A node of the search tree, in the order the search creates them (preorder).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub parent: usize,
    pub depth: usize,
    /// The index in the sorted candidates this node adds (0 for the root).
    pub index: usize,
    pub value: i64,
    pub sum: i64,
    pub status: Status,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Enter a child adding candidate `index`, of this value.
    Enter { index: usize, value: i64 },
    /// The current path adds up to the target.
    Found,
    /// The current path passes the target: return at once (pruning off).
    Overshoot,
    /// Candidate `index` equals the one before it at this level: skip it.
    Skip { index: usize, value: i64 },
    /// Candidate `index` would pass the target: the level stops here.
    Prune { index: usize, value: i64 },
    /// Leave the current node; `status` is what it becomes.
    Back { node: usize, status: Status },
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::Enter { .. } => "enter",
            Event::Found => "found",
            Event::Overshoot => "overshoot",
            Event::Skip { .. } => "skip",
            Event::Prune { .. } => "prune",
            Event::Back { .. } => "back",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SearchState {
    /// The candidates in the order the search reads them: ascending.
    pub candidates: Vec<i64>,
    pub variant: Variant,
    pub prune: bool,
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
    pub skipped: u64,
    pub overshot: u64,
}

impl SearchState {
    fn new(candidates: Vec<i64>, variant: Variant, prune: bool, target: i64) -> SearchState {
        SearchState {
            candidates,
            variant,
            prune,
            target,
            nodes: vec![Node {
                parent: 0,
                depth: 0,
                index: 0,
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
            skipped: 0,
            overshot: 0,
        }
    }

    /// A child of the current node that is never entered.
    fn leaf(&self, index: usize, value: i64, status: Status) -> Node {
        let node = &self.nodes[self.current];
        Node {
            parent: self.current,
            depth: node.depth + 1,
            index,
            value,
            sum: node.sum + value,
            status,
        }
    }

    /// The first candidate index the loop of `node` reads: 0 at the root,
    /// else the node's own index (reuse) or the one after it (once).
    pub fn start_of(&self, node: usize) -> usize {
        if node == 0 {
            return 0;
        }
        let index = self.nodes[node].index;
        match self.variant {
            Variant::Reuse => index,
            Variant::Once => index + 1,
        }
    }

    /// The values of the children `node` has entered so far, in order.
    pub fn tried(&self, node: usize) -> Vec<i64> {
        self.nodes
            .iter()
            .enumerate()
            .skip(1)
            .filter(|&(id, child)| {
                id != node
                    && child.parent == node
                    && !matches!(child.status, Status::Pruned | Status::Skipped)
            })
            .map(|(_, child)| child.value)
            .collect()
    }
}

impl Tape for SearchState {
    type Event = Event;

    fn apply(&mut self, event: &Event) {
        match *event {
            Event::Enter { index, value } => {
                let mut node = self.leaf(index, value, Status::Exploring);
                node.sum = self.sum + value;
                self.nodes.push(node);
                self.current = self.nodes.len() - 1;
                self.path.push(value);
                self.sum += value;
                self.visited += 1;
            }
            Event::Found => {
                self.found.push(self.path.clone());
                self.nodes[self.current].status = Status::Found;
            }
            Event::Overshoot => {
                self.nodes[self.current].status = Status::Overshoot;
                self.overshot += 1;
            }
            Event::Skip { index, value } => {
                self.nodes.push(self.leaf(index, value, Status::Skipped));
                self.skipped += 1;
            }
            Event::Prune { index, value } => {
                self.nodes.push(self.leaf(index, value, Status::Pruned));
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
            Event::Enter { value, .. } => {
                self.current = self.nodes.pop().map_or(0, |node| node.parent);
                self.path.pop();
                self.sum -= value;
                self.visited -= 1;
            }
            Event::Found => {
                self.found.pop();
                self.nodes[self.current].status = Status::Exploring;
            }
            Event::Overshoot => {
                self.nodes[self.current].status = Status::Exploring;
                self.overshot -= 1;
            }
            Event::Skip { .. } => {
                self.nodes.pop();
                self.skipped -= 1;
            }
            Event::Prune { .. } => {
                self.nodes.pop();
                self.pruned -= 1;
            }
            Event::Back { node, status } => {
                // A found or overshot node keeps its mark when left; any
                // other was simply on the path.
                self.nodes[node].status = match status {
                    Status::Found | Status::Overshoot => status,
                    _ => Status::Exploring,
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
    let initial = SearchState::new(sorted, variant, prune, target);
    let mut recorder = Recorder {
        state: initial.clone(),
        events: Vec::new(),
        max_events,
    };
    recorder.dfs(0)?;
    Ok((initial, recorder.events))
}

struct Recorder {
    state: SearchState,
    events: Vec<Event>,
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
            return self.emit(Event::Overshoot);
        }
        for i in start..self.state.candidates.len() {
            let value = self.state.candidates[i];
            if self.state.variant == Variant::Once
                && i > start
                && value == self.state.candidates[i - 1]
            {
                self.emit(Event::Skip { index: i, value })?;
                continue;
            }
            if self.state.prune && self.state.sum + value > target {
                self.emit(Event::Prune { index: i, value })?;
                break;
            }
            self.emit(Event::Enter { index: i, value })?;
            let node = self.state.current;
            let next = match self.state.variant {
                Variant::Reuse => i,
                Variant::Once => i + 1,
            };
            self.dfs(next)?;
            let status = match self.state.nodes[node].status {
                status @ (Status::Found | Status::Overshoot) => status,
                _ => Status::Exhausted,
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
        for (c, variant) in [
            (&[2, 3, 5][..], Variant::Reuse),
            (&[10, 1, 2, 7, 6, 1, 5][..], Variant::Once),
        ] {
            for prune in [false, true] {
                let (initial, events) = record(c, 8, variant, prune, 10_000).expect("ok");
                crate::lesson::replay::assert_reverts(&initial, &events);
            }
        }
    }

    #[test]
    fn the_second_one_is_skipped_at_the_root_and_overshoots_show_without_pruning() {
        let (mut state, events) =
            record(&[10, 1, 2, 7, 6, 1, 5], 8, Variant::Once, true, 10_000).expect("ok");
        let skips: Vec<_> = events
            .iter()
            .filter(|e| matches!(e, Event::Skip { .. }))
            .collect();
        // Sorted 1 1 2 5 6 7 10: only the root's loop meets the second 1 after the first.
        assert_eq!(skips, vec![&Event::Skip { index: 1, value: 1 }]);
        for e in &events {
            state.apply(e);
        }
        assert_eq!(state.overshot, 0);
        let (mut state, events) = record(&[2, 3], 4, Variant::Reuse, false, 10_000).expect("ok");
        for e in &events {
            state.apply(e);
        }
        // 2+2 = 4 found; 2+3, 3+3 pass 4 and are entered, then returned from.
        assert_eq!(state.overshot, 2);
        assert!(
            state
                .nodes
                .iter()
                .all(|n| n.status != Status::Exploring || n.depth == 0)
        );
    }
}
