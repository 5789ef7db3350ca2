//! Chart history with bounded memory: one record per step until a cap, then
//! every other record is dropped and the recording stride doubles.

/// Most records kept before thinning.
pub const HISTORY_CAP: usize = 4_096;

#[derive(Clone, Debug, PartialEq)]
pub struct Decimated<T> {
    stride: u64,
    steps: Vec<u64>,
    records: Vec<T>,
}

impl<T: Clone> Default for Decimated<T> {
    fn default() -> Self {
        Decimated {
            stride: 1,
            steps: Vec::new(),
            records: Vec::new(),
        }
    }
}

impl<T: Clone> Decimated<T> {
    /// Records `make()` for `step` if the step is on the grid; `make` runs only then.
    pub fn record(&mut self, step: u64, make: impl FnOnce() -> T) {
        // The stride is a power of two: a mask instead of a division per step.
        if step & (self.stride - 1) != 0 {
            return;
        }
        if self.steps.len() == HISTORY_CAP {
            self.stride *= 2;
            let stride = self.stride;
            let mut kept = 0;
            for at in 0..self.steps.len() {
                if self.steps[at] & (stride - 1) == 0 {
                    self.steps[kept] = self.steps[at];
                    self.records.swap(kept, at);
                    kept += 1;
                }
            }
            self.steps.truncate(kept);
            self.records.truncate(kept);
            if step & (self.stride - 1) != 0 {
                return;
            }
        }
        self.steps.push(step);
        self.records.push(make());
    }

    /// Forgets records after `step` (stepping back).
    pub fn truncate_after(&mut self, step: u64) {
        let keep = self.steps.partition_point(|&s| s <= step);
        self.steps.truncate(keep);
        self.records.truncate(keep);
    }

    /// (step, record), oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> + '_ {
        self.steps.iter().copied().zip(&self.records)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_bounded_and_evenly_spaced() {
        let mut h = Decimated::default();
        for step in 0..100_000u64 {
            h.record(step, || step);
            assert!(h.len() <= HISTORY_CAP);
        }
        let steps: Vec<u64> = h.iter().map(|(s, _)| s).collect();
        let gap = steps[1] - steps[0];
        assert!(steps.windows(2).all(|w| w[1] - w[0] == gap));
        assert!(h.iter().all(|(s, &v)| s == v));
    }

    #[test]
    fn truncation_forgets_the_future() {
        let mut h = Decimated::default();
        for step in 0..10u64 {
            h.record(step, || step);
        }
        h.truncate_after(4);
        assert_eq!(
            h.iter().map(|(s, _)| s).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 4]
        );
    }
}
