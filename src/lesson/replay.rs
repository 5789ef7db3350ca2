//! Runs recorded in advance: the algorithm runs once at build time, writing
//! down every event together with what it overwrites; stepping applies the
//! next event to the shown state, stepping back reverts the last one.
//!
//! For lessons whose whole run is bounded by their parameter limits (a sort
//! of at most 2,000 values, a capped search tree), this gives exact rewind to
//! step 0 and keeps the algorithm's code plain, while the shown state is
//! still built up event by event.

use super::timeline::Timeline;

/// A state that events can be applied to and reverted from.
pub trait Tape {
    type Event;
    fn apply(&mut self, event: &Self::Event);
    fn revert(&mut self, event: &Self::Event);
}

#[derive(Clone, Debug)]
pub struct Replay<S: Tape> {
    state: S,
    events: Vec<S::Event>,
    /// Events applied so far.
    at: usize,
}

impl<S: Tape> Replay<S> {
    /// `state` is the state before the first event.
    pub fn new(state: S, events: Vec<S::Event>) -> Self {
        Replay {
            state,
            events,
            at: 0,
        }
    }

    pub fn state(&self) -> &S {
        &self.state
    }

    pub fn total(&self) -> u64 {
        self.events.len() as u64
    }

    pub fn is_finished(&self) -> bool {
        self.at == self.events.len()
    }

    /// The event the last step applied.
    pub fn last(&self) -> Option<&S::Event> {
        self.at.checked_sub(1).and_then(|at| self.events.get(at))
    }

    /// The events still to apply, next first: a question can run them on a
    /// copy of the state to read what the screen will show.
    pub fn upcoming(&self) -> &[S::Event] {
        self.events.get(self.at..).unwrap_or(&[])
    }

    /// Back to before the first event.
    pub fn rewind(&mut self) {
        while self.back() {}
    }
}

impl<S: Tape> Timeline for Replay<S> {
    fn steps(&self) -> u64 {
        self.at as u64
    }

    /// How many steps can be undone: all of them.
    fn depth(&self) -> usize {
        self.at
    }

    fn step(&mut self) -> bool {
        let Some(event) = self.events.get(self.at) else {
            return false;
        };
        self.state.apply(event);
        self.at += 1;
        true
    }

    fn back(&mut self) -> bool {
        let Some(at) = self.at.checked_sub(1) else {
            return false;
        };
        self.state.revert(&self.events[at]);
        self.at = at;
        true
    }
}

/// Test helper for a lesson's `Tape`: applies `events` from `initial`, then
/// reverts them one by one, checking each revert lands on the state before
/// that event and the last one on `initial`.
#[cfg(test)]
pub fn assert_reverts<S: Tape + Clone + PartialEq + std::fmt::Debug>(
    initial: &S,
    events: &[S::Event],
) {
    let mut state = initial.clone();
    let mut states = vec![state.clone()];
    for e in events {
        state.apply(e);
        states.push(state.clone());
    }
    for e in events.iter().rev() {
        states.pop();
        state.revert(e);
        assert_eq!(Some(&state), states.last());
    }
    assert_eq!(&state, initial);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Sum(i64);

    impl Tape for Sum {
        type Event = i64;
        fn apply(&mut self, e: &i64) {
            self.0 += e;
        }
        fn revert(&mut self, e: &i64) {
            self.0 -= e;
        }
    }

    #[test]
    fn forward_and_back_retrace_the_same_states() {
        let mut replay = Replay::new(Sum(0), vec![3, -1, 4]);
        let mut seen = vec![replay.state().clone()];
        while replay.step() {
            seen.push(replay.state().clone());
        }
        assert_eq!(replay.state(), &Sum(6));
        assert!(!replay.step());
        while let Some(expected) = seen.pop() {
            assert_eq!(replay.state(), &expected);
            replay.back();
        }
        assert_eq!(replay.steps(), 0);
    }
}
