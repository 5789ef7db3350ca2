//! The key moments a run has raised so far: the step bar marks them, `[` and
//! `]` jump between them, the status line names the ones of the current step.
//! A step raises the same events each time it is taken (runs are
//! deterministic), so a step is recorded only the first time it is reached.

use crate::lesson::Event;

/// Marks kept per run; a run with more (every cell of a large knapsack table
/// takes an item) keeps its first ones, and jumping on still works by
/// running forward.
const MAX_MARKS: usize = 20_000;

/// One event and the step that raised it (numbered as in `trace`).
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub step: u64,
    pub event: Event,
}

#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// In step order.
    marks: Vec<Mark>,
    /// The furthest step reached in this run.
    furthest: u64,
}

impl Seen {
    /// Records what the step that reached `step` raised, unless this run has
    /// been there before.
    pub fn record(&mut self, step: u64, events: &[Event]) {
        if step <= self.furthest {
            return;
        }
        self.furthest = step;
        let room = MAX_MARKS.saturating_sub(self.marks.len());
        self.marks
            .extend(events.iter().take(room).map(|event| Mark {
                step,
                event: event.clone(),
            }));
    }

    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    pub fn furthest(&self) -> u64 {
        self.furthest
    }

    /// The first step after `step` that raised an event, if one is known.
    pub fn next_after(&self, step: u64) -> Option<u64> {
        let at = self.marks.partition_point(|mark| mark.step <= step);
        self.marks.get(at).map(|mark| mark.step)
    }

    /// The last step before `step` that raised an event.
    pub fn last_before(&self, step: u64) -> Option<u64> {
        let at = self.marks.partition_point(|mark| mark.step < step);
        at.checked_sub(1).map(|before| self.marks[before].step)
    }

    /// The events raised by the step that reached `step`.
    pub fn at(&self, step: u64) -> &[Mark] {
        let from = self.marks.partition_point(|mark| mark.step < step);
        let to = self.marks.partition_point(|mark| mark.step <= step);
        &self.marks[from..to]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(detail: &str) -> Event {
        Event::new("take", detail)
    }

    #[test]
    fn a_step_is_recorded_once_and_found_both_ways() {
        let mut seen = Seen::default();
        seen.record(1, &[]);
        seen.record(2, &[take("a")]);
        seen.record(5, &[take("b"), take("c")]);
        // Stepping back and forward again raises step 2's event again.
        seen.record(2, &[take("a")]);
        assert_eq!(seen.marks().len(), 3);
        assert_eq!(seen.next_after(0), Some(2));
        assert_eq!(seen.next_after(2), Some(5));
        assert_eq!(seen.next_after(5), None);
        assert_eq!(seen.last_before(5), Some(2));
        assert_eq!(seen.last_before(2), None);
        assert_eq!(seen.at(5).len(), 2);
        assert!(seen.at(3).is_empty());
        assert_eq!(seen.furthest(), 5);
    }

    #[test]
    fn marks_stop_at_the_cap_but_steps_still_count() {
        let mut seen = Seen::default();
        for step in 1..=(MAX_MARKS as u64 + 10) {
            seen.record(step, &[take("x")]);
        }
        assert_eq!(seen.marks().len(), MAX_MARKS);
        assert_eq!(seen.furthest(), MAX_MARKS as u64 + 10);
    }
}
