//! Rewind: stepping back through a model's history with bounded memory.
//!
//! Every strategy is a [`Timeline`], chosen by the size of a model's state:
//! - [`UndoLog`] for large states (a 400k-cell DP table): each step returns a small
//!   record of what it overwrote, kept in a ring of fixed capacity.
//! - [`Checkpoints`] for small states: a clone every `every` steps, the oldest
//!   dropped past `keep`; stepping back restores the nearest one and replays.
//! - [`Recorded`]: checkpoints plus a chart history that follows them.
//! - `replay::Replay` for runs recorded in advance, and [`Stages`] for a
//!   lesson that only reveals what it computed at build.
//!
//! All reach at least [`MIN_REWIND`] steps back however long the run.

use std::collections::VecDeque;
use std::mem;

use super::history::Decimated;

/// The promise every lesson makes: at least this many steps can be undone.
pub const MIN_REWIND: usize = 1_000;

/// A run that can be stepped forward and back: what the shell drives.
pub trait Timeline {
    /// One step forward; `false` when the run has finished.
    fn step(&mut self) -> bool;
    /// One step back; `false` at the start or past the rewind depth.
    fn back(&mut self) -> bool;
    /// Steps taken since the start (not reduced by a bounded history).
    fn steps(&self) -> u64;
    /// How many steps can be undone now.
    fn depth(&self) -> usize;
}

/// A model whose steps can be undone from a record each step writes.
pub trait Undoable {
    type Undo: Default;
    /// Advances one step, writing what it overwrote into `record`; `false`
    /// (and `record` untouched) when the model has finished. The record is
    /// written in place, in the log's own memory: returning a large record by
    /// value and copying it in was most of the cost of a fast model's step.
    fn step_into(&mut self, record: &mut Self::Undo) -> bool;
    /// Reverts the step that wrote `undo`; records are applied newest first.
    fn undo(&mut self, undo: Self::Undo);

    /// One step with its record returned (tests, and callers that keep no log).
    fn step(&mut self) -> Option<Self::Undo> {
        let mut record = Self::Undo::default();
        self.step_into(&mut record).then_some(record)
    }
}

/// A model stepped with an undo log of bounded length: a ring of records,
/// overwritten oldest first once full.
#[derive(Clone, Debug)]
pub struct UndoLog<M: Undoable> {
    model: M,
    records: Vec<M::Undo>,
    /// Index of the oldest record.
    head: usize,
    len: usize,
    capacity: usize,
    steps: u64,
}

impl<M: Undoable> UndoLog<M> {
    /// `capacity` records are kept; it is raised to [`MIN_REWIND`] if lower.
    pub fn new(model: M, capacity: usize) -> Self {
        let capacity = capacity.max(MIN_REWIND);
        UndoLog {
            model,
            records: Vec::new(),
            head: 0,
            len: 0,
            capacity,
            steps: 0,
        }
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    /// The ring index `offset` records after the oldest.
    fn slot(&self, offset: usize) -> usize {
        let at = self.head + offset;
        if at >= self.capacity {
            at - self.capacity
        } else {
            at
        }
    }
}

impl<M: Undoable> Timeline for UndoLog<M> {
    fn steps(&self) -> u64 {
        self.steps
    }

    fn depth(&self) -> usize {
        self.len
    }

    fn step(&mut self) -> bool {
        // The slot for this step's record: a fresh one while the ring fills,
        // then the oldest, which is given up for it.
        let at = if self.len < self.capacity {
            self.slot(self.len)
        } else {
            self.head
        };
        if at == self.records.len() {
            self.records.push(M::Undo::default());
        }
        if !self.model.step_into(&mut self.records[at]) {
            return false;
        }
        if self.len < self.capacity {
            self.len += 1;
        } else {
            self.head = self.slot(1);
        }
        self.steps += 1;
        true
    }

    fn back(&mut self) -> bool {
        if self.len == 0 {
            return false;
        }
        let at = self.slot(self.len - 1);
        let undo = mem::take(&mut self.records[at]);
        self.len -= 1;
        self.model.undo(undo);
        self.steps -= 1;
        true
    }
}

/// A small-state model that is stepped by replay from clones.
pub trait Replayable: Clone {
    /// Advances one step; `false` when the model has finished.
    fn step(&mut self) -> bool;
}

/// A model stepped with periodic checkpoints for rewind.
#[derive(Clone, Debug)]
pub struct Checkpoints<M: Replayable> {
    model: M,
    /// (steps taken when saved, the model then), oldest first.
    saved: VecDeque<(u64, M)>,
    every: u64,
    keep: usize,
    steps: u64,
    /// Steps left until the next checkpoint: a countdown, since a division per
    /// step costs more than a fast model's whole step.
    until_checkpoint: u64,
}

impl<M: Replayable> Checkpoints<M> {
    /// A checkpoint every `every` steps, at most `keep` of them; `keep` is raised
    /// so that at least [`MIN_REWIND`] steps stay reachable.
    pub fn new(model: M, every: u64, keep: usize) -> Self {
        let every = every.max(1);
        let needed = (MIN_REWIND as u64).div_ceil(every) as usize + 1;
        let keep = keep.max(needed);
        let mut saved = VecDeque::with_capacity(keep);
        saved.push_back((0, model.clone()));
        Checkpoints {
            model,
            saved,
            every,
            keep,
            steps: 0,
            until_checkpoint: every,
        }
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    /// Number of checkpoints held; never more than the `keep` given (or raised) at construction.
    pub fn checkpoint_count(&self) -> usize {
        self.saved.len()
    }
}

impl<M: Replayable> Timeline for Checkpoints<M> {
    fn steps(&self) -> u64 {
        self.steps
    }

    fn depth(&self) -> usize {
        self.saved
            .front()
            .map_or(0, |(at, _)| (self.steps - at) as usize)
    }

    fn step(&mut self) -> bool {
        if !self.model.step() {
            return false;
        }
        self.steps += 1;
        self.until_checkpoint -= 1;
        if self.until_checkpoint == 0 {
            self.until_checkpoint = self.every;
            if self.saved.len() == self.keep {
                self.saved.pop_front();
            }
            self.saved.push_back((self.steps, self.model.clone()));
        }
        true
    }

    fn back(&mut self) -> bool {
        if self.depth() == 0 {
            return false;
        }
        let target = self.steps - 1;
        // Checkpoints past the target would be re-made by stepping forward again.
        while self.saved.back().is_some_and(|(at, _)| *at > target) {
            self.saved.pop_back();
        }
        let Some((at, model)) = self.saved.back() else {
            return false;
        };
        let mut model = model.clone();
        for _ in *at..target {
            model.step();
        }
        self.until_checkpoint = self.every.saturating_sub(target - at).max(1);
        self.model = model;
        self.steps = target;
        true
    }
}

/// A checkpointed model whose views draw a series over time: each step adds
/// the model's sample to a thinned history, each step back forgets the
/// samples past the step it lands on. The history lives beside the
/// checkpoints, not in the model, or every checkpoint would copy it.
#[derive(Clone, Debug)]
pub struct Recorded<M: Replayable, T: Clone> {
    line: Checkpoints<M>,
    history: Decimated<T>,
    sample: fn(&M) -> T,
}

impl<M: Replayable, T: Clone> Recorded<M, T> {
    /// Checkpoints as `Checkpoints::new`; the start is recorded at once.
    pub fn new(model: M, every: u64, keep: usize, sample: fn(&M) -> T) -> Self {
        let mut history = Decimated::default();
        history.record(0, || sample(&model));
        Recorded {
            line: Checkpoints::new(model, every, keep),
            history,
            sample,
        }
    }

    pub fn model(&self) -> &M {
        self.line.model()
    }

    pub fn history(&self) -> &Decimated<T> {
        &self.history
    }

    pub fn checkpoint_count(&self) -> usize {
        self.line.checkpoint_count()
    }
}

impl<M: Replayable, T: Clone> Timeline for Recorded<M, T> {
    fn step(&mut self) -> bool {
        if !self.line.step() {
            return false;
        }
        let (model, sample) = (self.line.model(), self.sample);
        self.history.record(self.line.steps(), || sample(model));
        true
    }

    fn back(&mut self) -> bool {
        if !self.line.back() {
            return false;
        }
        self.history.truncate_after(self.line.steps());
        true
    }

    fn steps(&self) -> u64 {
        self.line.steps()
    }

    fn depth(&self) -> usize {
        self.line.depth()
    }
}

/// A run computed whole at build (the mAP evaluation) whose steps reveal it
/// one stage at a time: exact rewind to the start, nothing to store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stages {
    at: usize,
    total: usize,
}

impl Stages {
    pub fn new(total: usize) -> Self {
        Stages { at: 0, total }
    }

    /// Stages shown so far.
    pub fn at(&self) -> usize {
        self.at
    }

    pub fn total(&self) -> usize {
        self.total
    }

    pub fn is_finished(&self) -> bool {
        self.at == self.total
    }
}

impl Timeline for Stages {
    fn step(&mut self) -> bool {
        if self.at >= self.total {
            return false;
        }
        self.at += 1;
        true
    }

    fn back(&mut self) -> bool {
        let Some(at) = self.at.checked_sub(1) else {
            return false;
        };
        self.at = at;
        true
    }

    fn steps(&self) -> u64 {
        self.at as u64
    }

    fn depth(&self) -> usize {
        self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A counter whose state after k steps is known in closed form: k(k+1)/2.
    #[derive(Clone, Debug, PartialEq)]
    struct Triangle {
        k: u64,
        sum: u64,
        limit: u64,
    }

    impl Replayable for Triangle {
        fn step(&mut self) -> bool {
            if self.k == self.limit {
                return false;
            }
            self.k += 1;
            self.sum += self.k;
            true
        }
    }

    impl Undoable for Triangle {
        type Undo = u64;
        fn step_into(&mut self, record: &mut u64) -> bool {
            let stepped = Replayable::step(self);
            if stepped {
                *record = self.k;
            }
            stepped
        }
        fn undo(&mut self, k: u64) {
            self.sum -= k;
            self.k = k - 1;
        }
    }

    fn fresh(limit: u64) -> Triangle {
        Triangle {
            k: 0,
            sum: 0,
            limit,
        }
    }

    #[test]
    fn a_recorded_history_follows_the_timeline() {
        let mut line = Recorded::new(fresh(u64::MAX), 16, 4, |t: &Triangle| t.sum);
        for _ in 0..100 {
            line.step();
        }
        assert_eq!(line.history().len(), 101);
        for _ in 0..40 {
            assert!(line.back());
        }
        let last = line.history().iter().last().map(|(step, sum)| (step, *sum));
        assert_eq!(last, Some((60, 60 * 61 / 2)));
        line.step();
        assert_eq!(line.history().len(), 62);
    }

    #[test]
    fn stages_count_forward_and_back_within_their_total() {
        let mut stages = Stages::new(2);
        assert!(stages.step() && stages.step() && !stages.step());
        assert!(stages.is_finished());
        assert!(stages.back() && stages.back() && !stages.back());
        assert_eq!(stages.depth(), 0);
    }

    #[test]
    fn checkpoints_rewind_to_the_exact_state() {
        let mut line = Checkpoints::new(fresh(u64::MAX), 64, 8);
        for _ in 0..5_000 {
            line.step();
        }
        for back in 1..=MIN_REWIND as u64 {
            assert!(line.back(), "could not step back {back}");
            let k = 5_000 - back;
            assert_eq!(line.model().sum, k * (k + 1) / 2);
            assert_eq!(line.steps(), k);
        }
    }

    #[test]
    fn checkpoint_memory_stays_bounded() {
        let mut line = Checkpoints::new(fresh(u64::MAX), 10, 2);
        let cap = line.keep;
        for _ in 0..100_000 {
            line.step();
            assert!(line.checkpoint_count() <= cap);
        }
        assert!(line.depth() >= MIN_REWIND);
    }

    #[test]
    fn undo_log_keeps_its_capacity_and_reaches_min_rewind() {
        let mut line = UndoLog::new(fresh(u64::MAX), 10);
        for _ in 0..3_000 {
            line.step();
        }
        assert_eq!(line.depth(), MIN_REWIND);
        for _ in 0..MIN_REWIND {
            assert!(line.back());
        }
        assert!(!line.back());
        let k = 3_000 - MIN_REWIND as u64;
        assert_eq!(line.model().sum, k * (k + 1) / 2);
    }

    #[test]
    fn finished_models_do_not_count_steps() {
        let mut line = UndoLog::new(fresh(3), 1);
        while line.step() {}
        assert_eq!(line.steps(), 3);
        let mut line = Checkpoints::new(fresh(3), 1, 1);
        while line.step() {}
        assert_eq!(line.steps(), 3);
        assert!(line.back());
        assert_eq!(line.model().sum, 3);
    }
}
