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
//! gap — which the largest gap is at least. When the average is below 1 the
//! floor makes b = 1 and that inequality fails, but then a bucket holds one
//! value (perhaps repeated), so its inside gaps are 0 and still cannot win.

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
        old_previous: Option<(usize, i64)>,
        old_pair: Option<Pair>,
    },
}

/// The neighbours in sorted order a gap runs between: the max of one
/// non-empty bucket and the min of the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub from_bucket: usize,
    pub to_bucket: usize,
    pub lo: i64,
    pub hi: i64,
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
    /// The pair of the best gap so far: the first of the largest, in sorted order.
    pub pair: Option<Pair>,
    /// Each scanned bucket's gap to the previous non-empty one.
    pub gaps: Vec<Option<i64>>,
    /// The last non-empty bucket the scan passed, and its max.
    pub previous: Option<(usize, i64)>,
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
                if let (Some(gap), Some((from, lo)), Some((min, _))) =
                    (gap, self.previous, self.buckets[bucket])
                {
                    self.gaps[bucket] = Some(gap);
                    // Strictly larger: among equal gaps the first stays.
                    if self.pair.is_none() || gap > self.best {
                        self.best = gap;
                        self.pair = Some(Pair {
                            from_bucket: from,
                            to_bucket: bucket,
                            lo,
                            hi: min,
                        });
                    }
                }
                if let Some((_, hi)) = self.buckets[bucket] {
                    self.previous = Some((bucket, hi));
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
                bucket,
                old_best,
                old_previous,
                old_pair,
                ..
            } => {
                self.best = old_best;
                self.previous = old_previous;
                self.pair = old_pair;
                self.gaps[bucket] = None;
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
        pair: None,
        gaps: vec![None; bucket_count],
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
            (Some((min, _)), Some((_, previous))) => Some(min - previous),
            _ => None,
        };
        let (old_best, old_previous, old_pair) = (scratch.best, scratch.previous, scratch.pair);
        emit(
            &mut scratch,
            Event::Scan {
                bucket,
                gap,
                old_best,
                old_previous,
                old_pair,
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
    fn every_step_reverts_to_the_state_before_it() {
        let (initial, events) = record(&[3, 41, 9, 1, 27, 30, 12, 17, 6, 21, -40]);
        crate::lesson::replay::assert_reverts(&initial, &events);
    }

    #[test]
    fn the_pair_is_the_first_of_the_largest_gaps() {
        // Sorted 1 4 7 8: gaps 3, 3, 1; the first 3 runs from 1 to 4.
        let (mut state, events) = record(&[8, 4, 1, 7]);
        for e in &events {
            state.apply(e);
        }
        let pair = state.pair.expect("a pair");
        assert_eq!((pair.lo, pair.hi, state.best), (1, 4, 3));
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
