//! Linear-time sorts, one read-and-write per step: counting sort, LSD radix
//! sort and bucket sort. Items carry their original position so stability
//! can be checked and shown.
//!
//! ```text
//! counting sort (one pass, k = max − min + 1 counters):
//!   count[x − min] += 1 for each x          # count
//!   count[d] += count[d − 1] for d = 1..k   # prefix sums: count[d] = items ≤ d
//!   for x from the back: count[d] −= 1; out[count[d]] = x   # place, stable
//! radix sort, base b: the same pass on digit p of x, p = 0, 1, …, for as
//!   many passes as max has base-b digits (at least one); with negative
//!   values, on digit p of x − min instead (never negative)
//! bucket sort, B buckets: x goes to bucket ⌊(x − min)·B / (max − min + 1)⌋,
//!   each bucket is insertion-sorted, the buckets are concatenated
//! ```

use crate::lesson::replay::Tape;

/// A value and its position in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub key: i64,
    pub id: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    Counting,
    Radix { base: u32 },
    Bucket { buckets: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Count,
    Prefix,
    Place,
    Scatter,
    Insert,
    Gather,
    /// A pass is over and its output becomes the array: `a = out`.
    PassDone,
    /// The last pass is over: the array is sorted.
    Done,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Count => "count",
            Phase::Prefix => "prefix",
            Phase::Place => "place",
            Phase::Scatter => "scatter",
            Phase::Insert => "insert",
            Phase::Gather => "gather",
            Phase::PassDone => "pass-done",
            Phase::Done => "done",
        }
    }
}

/// One step of a sort, with what it overwrites.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A pass begins: counters and the output cleared (old contents kept for undo).
    StartPass {
        pass: u32,
        old_counts: Vec<usize>,
        old_dst: Vec<Option<Item>>,
    },
    /// `count[digit] += 1` for `src[index]`.
    Count { index: usize, digit: usize },
    /// `count[digit] += count[digit − 1]`.
    Prefix { digit: usize },
    /// `count[digit] −= 1; dst[count[digit]] = src[index]`.
    Place {
        index: usize,
        digit: usize,
        old: Option<Item>,
    },
    /// End of a pass: `a = out`, the output copied over the array read
    /// (its old contents kept for undo); `last` for the sort's last pass.
    Swap {
        old_src: Vec<Option<Item>>,
        last: bool,
    },
    /// `buckets[bucket].push(src[index])`.
    Scatter { index: usize, bucket: usize },
    /// Insertion sort compares `bucket[at − 1]` with `bucket[at]`.
    Compare {
        bucket: usize,
        at: usize,
        swap: bool,
    },
    /// …and swaps them when the left one is larger.
    Shift { bucket: usize, at: usize },
    /// `dst[dest] = buckets[bucket][at]`.
    Gather {
        bucket: usize,
        at: usize,
        dest: usize,
        old: Option<Item>,
    },
}

impl Event {
    pub fn phase(&self) -> Phase {
        match self {
            Event::StartPass { .. } | Event::Count { .. } => Phase::Count,
            Event::Prefix { .. } => Phase::Prefix,
            Event::Place { .. } => Phase::Place,
            Event::Swap { last: false, .. } => Phase::PassDone,
            Event::Swap { last: true, .. } => Phase::Done,
            Event::Scatter { .. } => Phase::Scatter,
            Event::Compare { .. } | Event::Shift { .. } => Phase::Insert,
            Event::Gather { .. } => Phase::Gather,
        }
    }

    /// Array writes this event makes (counters included).
    fn writes(&self) -> u64 {
        match self {
            Event::StartPass { .. } | Event::Compare { .. } | Event::Swap { .. } => 0,
            Event::Count { .. } | Event::Prefix { .. } | Event::Scatter { .. } => 1,
            Event::Gather { .. } => 1,
            Event::Place { .. } | Event::Shift { .. } => 2,
        }
    }

    /// Array reads this event makes.
    fn reads(&self) -> u64 {
        match self {
            Event::StartPass { .. } | Event::Swap { .. } => 0,
            Event::Count { .. } | Event::Scatter { .. } | Event::Gather { .. } => 1,
            Event::Prefix { .. } | Event::Compare { .. } | Event::Shift { .. } => 2,
            Event::Place { .. } => 2,
        }
    }

    /// The main-array index the event works on, for the trace and the view.
    pub fn index(&self) -> Option<usize> {
        match self {
            Event::Count { index, .. }
            | Event::Place { index, .. }
            | Event::Scatter { index, .. } => Some(*index),
            Event::Gather { dest, .. } => Some(*dest),
            Event::Prefix { digit } => Some(*digit),
            Event::Compare { at, .. } | Event::Shift { at, .. } => Some(*at),
            Event::StartPass { .. } | Event::Swap { .. } => None,
        }
    }
}

/// What the view shows: the arrays as they stand.
#[derive(Clone, Debug, PartialEq)]
pub struct SortState {
    pub algo: Algo,
    pub min: i64,
    pub max: i64,
    /// What radix sort subtracts before taking digits: `min` when a value
    /// is negative, else 0 (the digits are the values' own). Counting sort
    /// always keys by x − min; bucket sort measures from min.
    pub offset: i64,
    /// The array read in this pass (the input, then each pass's result).
    pub src: Vec<Option<Item>>,
    /// The array being written in this pass.
    pub dst: Vec<Option<Item>>,
    pub counts: Vec<usize>,
    pub buckets: Vec<Vec<Item>>,
    pub pass: u32,
    pub reads: u64,
    pub writes: u64,
}

impl SortState {
    /// The digit (counting: key − min) an item is sorted by in pass `pass`.
    pub fn digit(&self, key: i64, pass: u32) -> usize {
        match self.algo {
            Algo::Counting => (key - self.min).unsigned_abs() as usize,
            Algo::Radix { base } => {
                let v = (key - self.offset).unsigned_abs();
                let place = u64::from(base).pow(pass);
                ((v / place) % u64::from(base)) as usize
            }
            Algo::Bucket { .. } => self.bucket(key),
        }
    }

    /// Bucket ⌊(key − min)·B / (max − min + 1)⌋ of bucket sort (0 otherwise).
    pub fn bucket(&self, key: i64) -> usize {
        let Algo::Bucket { buckets } = self.algo else {
            return 0;
        };
        let width = u128::from((self.max - self.min).unsigned_abs()) + 1;
        let offset = u128::from((key - self.min).unsigned_abs());
        ((offset * buckets as u128) / width) as usize
    }
}

impl Tape for SortState {
    type Event = Event;

    fn apply(&mut self, event: &Event) {
        self.reads += event.reads();
        self.writes += event.writes();
        match event {
            Event::StartPass { pass, .. } => {
                self.pass = *pass;
                self.counts.iter_mut().for_each(|c| *c = 0);
                self.dst.iter_mut().for_each(|slot| *slot = None);
            }
            Event::Count { digit, .. } => self.counts[*digit] += 1,
            Event::Prefix { digit } => self.counts[*digit] += self.counts[*digit - 1],
            Event::Place { index, digit, .. } => {
                self.counts[*digit] -= 1;
                self.dst[self.counts[*digit]] = self.src[*index];
            }
            Event::Swap { .. } => self.src.clone_from(&self.dst),
            Event::Scatter { index, bucket } => {
                if let Some(item) = self.src[*index] {
                    self.buckets[*bucket].push(item);
                }
            }
            Event::Compare { .. } => {}
            Event::Shift { bucket, at } => self.buckets[*bucket].swap(*at - 1, *at),
            Event::Gather {
                bucket, at, dest, ..
            } => self.dst[*dest] = Some(self.buckets[*bucket][*at]),
        }
    }

    fn revert(&mut self, event: &Event) {
        self.reads -= event.reads();
        self.writes -= event.writes();
        match event {
            Event::StartPass {
                old_counts,
                old_dst,
                ..
            } => {
                self.counts.clone_from(old_counts);
                self.dst.clone_from(old_dst);
                self.pass = self.pass.saturating_sub(1);
            }
            Event::Count { digit, .. } => self.counts[*digit] -= 1,
            Event::Prefix { digit } => self.counts[*digit] -= self.counts[*digit - 1],
            Event::Place { digit, old, .. } => {
                self.dst[self.counts[*digit]] = *old;
                self.counts[*digit] += 1;
            }
            Event::Swap { old_src, .. } => self.src.clone_from(old_src),
            Event::Scatter { bucket, .. } => {
                self.buckets[*bucket].pop();
            }
            Event::Compare { .. } => {}
            Event::Shift { bucket, at } => self.buckets[*bucket].swap(*at - 1, *at),
            Event::Gather { dest, old, .. } => self.dst[*dest] = *old,
        }
    }
}

/// What radix sort subtracts from every value before taking its digits:
/// nothing when no value is negative, else the minimum.
pub fn radix_offset(min: i64) -> i64 {
    min.min(0)
}

/// Number of base-`base` digits of `span` (at least one).
pub fn radix_passes(span: u64, base: u32) -> u32 {
    let mut passes = 1;
    let mut rest = span / u64::from(base);
    while rest > 0 {
        passes += 1;
        rest /= u64::from(base);
    }
    passes
}

/// The initial state and every event of sorting `data` with `algo`.
pub fn record(data: &[i64], algo: Algo) -> (SortState, Vec<Event>) {
    let items: Vec<Option<Item>> = data
        .iter()
        .enumerate()
        .map(|(id, &key)| Some(Item { key, id }))
        .collect();
    let min = data.iter().copied().min().unwrap_or(0);
    let max = data.iter().copied().max().unwrap_or(0);
    let offset = radix_offset(min);
    let span = (max - min).unsigned_abs();
    let counters = match algo {
        Algo::Counting => span as usize + 1,
        Algo::Radix { base } => base as usize,
        Algo::Bucket { .. } => 0,
    };
    let buckets = match algo {
        Algo::Bucket { buckets } => buckets,
        _ => 0,
    };
    let initial = SortState {
        algo,
        min,
        max,
        offset,
        src: items.clone(),
        dst: vec![None; data.len()],
        counts: vec![0; counters],
        buckets: vec![Vec::new(); buckets],
        pass: 0,
        reads: 0,
        writes: 0,
    };
    // Record by running the events on a scratch copy, so each event's "old"
    // values are exactly what the replay will overwrite.
    let mut scratch = initial.clone();
    let mut events = Vec::new();
    let mut emit = |scratch: &mut SortState, event: Event| {
        scratch.apply(&event);
        events.push(event);
    };
    match algo {
        Algo::Counting | Algo::Radix { .. } => {
            let passes = match algo {
                Algo::Radix { base } => radix_passes((max - offset).unsigned_abs(), base),
                _ => 1,
            };
            for pass in 0..passes {
                let old_counts = scratch.counts.clone();
                let old_dst = scratch.dst.clone();
                emit(
                    &mut scratch,
                    Event::StartPass {
                        pass,
                        old_counts,
                        old_dst,
                    },
                );
                for index in 0..data.len() {
                    let key = scratch.src[index].map_or(0, |item| item.key);
                    let digit = scratch.digit(key, pass);
                    emit(&mut scratch, Event::Count { index, digit });
                }
                for digit in 1..counters {
                    emit(&mut scratch, Event::Prefix { digit });
                }
                for index in (0..data.len()).rev() {
                    let key = scratch.src[index].map_or(0, |item| item.key);
                    let digit = scratch.digit(key, pass);
                    let old = scratch.dst[scratch.counts[digit] - 1];
                    emit(&mut scratch, Event::Place { index, digit, old });
                }
                let old_src = scratch.src.clone();
                let last = pass + 1 == passes;
                emit(&mut scratch, Event::Swap { old_src, last });
            }
        }
        Algo::Bucket { buckets } => {
            for index in 0..data.len() {
                let key = scratch.src[index].map_or(0, |item| item.key);
                let bucket = scratch.bucket(key);
                emit(&mut scratch, Event::Scatter { index, bucket });
            }
            for bucket in 0..buckets {
                // Insertion sort: carry each new item left while its neighbour is larger.
                for start in 1..scratch.buckets[bucket].len() {
                    let mut at = start;
                    while at > 0 {
                        let b = &scratch.buckets[bucket];
                        let swap = b[at - 1].key > b[at].key;
                        emit(&mut scratch, Event::Compare { bucket, at, swap });
                        if !swap {
                            break;
                        }
                        emit(&mut scratch, Event::Shift { bucket, at });
                        at -= 1;
                    }
                }
            }
            let mut dest = 0;
            for bucket in 0..buckets {
                for at in 0..scratch.buckets[bucket].len() {
                    let old = scratch.dst[dest];
                    emit(
                        &mut scratch,
                        Event::Gather {
                            bucket,
                            at,
                            dest,
                            old,
                        },
                    );
                    dest += 1;
                }
            }
            let old_src = scratch.src.clone();
            emit(
                &mut scratch,
                Event::Swap {
                    old_src,
                    last: true,
                },
            );
        }
    }
    (initial, events)
}

/// The sorted result once every event is applied.
pub fn sorted(state: &SortState) -> Vec<i64> {
    state.src.iter().flatten().map(|item| item.key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(data: &[i64], algo: Algo) -> SortState {
        let (mut state, events) = record(data, algo);
        for e in &events {
            state.apply(e);
        }
        state
    }

    #[test]
    fn each_algorithm_sorts_a_small_example() {
        let data = [5, -3, 9, 0, 5, 2, -3];
        for algo in [
            Algo::Counting,
            Algo::Radix { base: 2 },
            Algo::Radix { base: 10 },
            Algo::Bucket { buckets: 3 },
        ] {
            assert_eq!(
                sorted(&run(&data, algo)),
                vec![-3, -3, 0, 2, 5, 5, 9],
                "{algo:?}"
            );
        }
    }

    #[test]
    fn radix_passes_count_base_digits_of_the_span() {
        assert_eq!(radix_passes(0, 10), 1);
        assert_eq!(radix_passes(9, 10), 1);
        assert_eq!(radix_passes(10, 10), 2);
        assert_eq!(radix_passes(255, 2), 8);
        assert_eq!(radix_passes(256, 16), 3);
    }
}
