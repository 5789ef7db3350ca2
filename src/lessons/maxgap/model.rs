//! Maximum gap between neighbours in sorted order, in linear time, by buckets.
//!
//! ```text
//! n < 2: answer 0
//! lo, hi = min, max
//! b = max(1, (hi − lo) ÷ (n − 1));  buckets = (hi − lo) ÷ b + 1
//! each x: bucket (x − lo) ÷ b keeps only its min and max
//! answer = largest (min of a non-empty bucket − max of the previous non-empty one)
//! ```
//! Why no gap inside a bucket can win: a bucket spans b values, so two of its
//! items differ by at most b − 1 < b, and b ≤ (hi − lo)/(n − 1), the average
//! gap — which the largest gap is at least.

use crate::lesson::replay::Tape;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Reading value `index` while finding lo and hi.
    Range {
        index: usize,
        old_lo: i64,
        old_hi: i64,
    },
    /// Value `index` lands in `bucket`, which may widen its min and max.
    Drop {
        index: usize,
        bucket: usize,
        old: Option<(i64, i64)>,
    },
    /// Scanning `bucket`: empty, the first non-empty one, or a gap to the previous.
    Scan {
        bucket: usize,
        gap: Option<i64>,
        old_best: i64,
        old_previous: Option<i64>,
    },
}

impl Event {
    pub fn phase(&self) -> &'static str {
        match self {
            Event::Range { .. } => "range",
            Event::Drop { .. } => "drop",
            Event::Scan { .. } => "scan",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GapState {
    pub values: Vec<i64>,
    /// Running min and max while the range phase reads the values.
    pub lo: i64,
    pub hi: i64,
    pub bucket_size: i64,
    pub bucket_count: usize,
    /// (min, max) per bucket, `None` while empty.
    pub buckets: Vec<Option<(i64, i64)>>,
    /// Values dropped so far.
    pub dropped: usize,
    pub best: i64,
    /// Max of the last non-empty bucket the scan passed.
    pub previous: Option<i64>,
}

impl GapState {
    pub fn bucket_of(&self, x: i64) -> usize {
        usize::try_from((x - self.lo) / self.bucket_size).unwrap_or(0)
    }
}

impl Tape for GapState {
    type Event = Event;

    fn apply(&mut self, event: &Event) {
        match *event {
            Event::Range { index, .. } => {
                let x = self.values[index];
                if index == 0 {
                    (self.lo, self.hi) = (x, x);
                } else {
                    self.lo = self.lo.min(x);
                    self.hi = self.hi.max(x);
                }
            }
            Event::Drop { index, bucket, .. } => {
                let x = self.values[index];
                self.buckets[bucket] = Some(match self.buckets[bucket] {
                    Some((lo, hi)) => (lo.min(x), hi.max(x)),
                    None => (x, x),
                });
                self.dropped += 1;
            }
            Event::Scan { bucket, gap, .. } => {
                if let Some(gap) = gap {
                    self.best = self.best.max(gap);
                }
                if let Some((_, hi)) = self.buckets[bucket] {
                    self.previous = Some(hi);
                }
            }
        }
    }

    fn revert(&mut self, event: &Event) {
        match *event {
            Event::Range { old_lo, old_hi, .. } => (self.lo, self.hi) = (old_lo, old_hi),
            Event::Drop { bucket, old, .. } => {
                self.buckets[bucket] = old;
                self.dropped -= 1;
            }
            Event::Scan {
                old_best,
                old_previous,
                ..
            } => {
                self.best = old_best;
                self.previous = old_previous;
            }
        }
    }
}

/// The initial state and every event of the bucket solution for `values`.
pub fn record(values: &[i64]) -> (GapState, Vec<Event>) {
    let n = values.len();
    let lo = values.iter().copied().min().unwrap_or(0);
    let hi = values.iter().copied().max().unwrap_or(0);
    let (bucket_size, bucket_count) = if n < 2 {
        (1, 0)
    } else {
        let size = ((hi - lo) / (n as i64 - 1)).max(1);
        (size, usize::try_from((hi - lo) / size).unwrap_or(0) + 1)
    };
    let initial = GapState {
        values: values.to_vec(),
        lo: 0,
        hi: 0,
        bucket_size,
        bucket_count,
        buckets: vec![None; bucket_count],
        dropped: 0,
        best: 0,
        previous: None,
    };
    let mut scratch = initial.clone();
    let mut events = Vec::new();
    let mut emit = |scratch: &mut GapState, event: Event| {
        scratch.apply(&event);
        events.push(event);
    };
    if n < 2 {
        return (initial, events);
    }
    for index in 0..n {
        let (old_lo, old_hi) = (scratch.lo, scratch.hi);
        emit(
            &mut scratch,
            Event::Range {
                index,
                old_lo,
                old_hi,
            },
        );
    }
    for (index, &x) in values.iter().enumerate() {
        let bucket = scratch.bucket_of(x);
        let old = scratch.buckets[bucket];
        emit(&mut scratch, Event::Drop { index, bucket, old });
    }
    for bucket in 0..bucket_count {
        let gap = match (scratch.buckets[bucket], scratch.previous) {
            (Some((min, _)), Some(previous)) => Some(min - previous),
            _ => None,
        };
        let (old_best, old_previous) = (scratch.best, scratch.previous);
        emit(
            &mut scratch,
            Event::Scan {
                bucket,
                gap,
                old_best,
                old_previous,
            },
        );
    }
    (initial, events)
}

/// The answer by sorting and scanning, for comparison.
pub fn sort_and_scan(values: &[i64]) -> i64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(values: &[i64]) -> i64 {
        let (mut state, events) = record(values);
        for e in &events {
            state.apply(e);
        }
        state.best
    }

    #[test]
    fn small_cases() {
        assert_eq!(answer(&[3, 6, 9, 1]), 3);
        assert_eq!(answer(&[10]), 0);
        assert_eq!(answer(&[5, 5, 5]), 0);
        assert_eq!(answer(&[1, 100]), 99);
        assert_eq!(answer(&[-7, 8, 0]), 8);
    }

    #[test]
    fn bucket_size_and_count_follow_the_formula() {
        let (state, _) = record(&[1, 3, 6, 9, 13]);
        // (13 − 1) ÷ 4 = 3; 12 ÷ 3 + 1 = 5.
        assert_eq!((state.bucket_size, state.bucket_count), (3, 5));
        let (state, _) = record(&[0, 1, 2, 3, 4, 5]);
        // 5 ÷ 5 = 1.
        assert_eq!((state.bucket_size, state.bucket_count), (1, 6));
    }
}
