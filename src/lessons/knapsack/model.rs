//! 0/1 knapsack by dynamic programming, one table cell per step.
//!
//! ```text
//! 2-D:  f[0][j] = 0
//!       f[i][j] = max(f[i-1][j], f[i-1][j-w_i] + v_i   if j >= w_i)
//! 1-D:  for j = C down to w_i:  dp[j] = max(dp[j], dp[j-w_i] + v_i)
//! ```
//! The take branch wins only when strictly better, so a tie keeps the item out.
//! After the table is full, each further step walks the traceback from
//! (n, C) one decision at a time. In 1-D a `keep` bit per (item, capacity)
//! remembers each decision, since the row itself forgets them.
//!
//! `Volume::Exact` asks for the best value at total weight *exactly* j: only
//! f[0][0] = 0 starts reachable, every other cell of row 0 is −∞, and the
//! answer is the largest value in the last row (the smallest such j on ties,
//! where the traceback then starts).
//!
//! `Order::Forward` runs the 1-D loop upward. Then dp[j - w_i] may already count
//! item i, so an item can be taken again and again: the table solves the
//! *unbounded* knapsack, and the traceback lists an item once per use.

use crate::lesson::timeline::Undoable;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub weight: usize,
    pub value: u64,
}

/// Which total weights count at capacity j.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Volume {
    /// Weight at most j: every cell of row 0 starts at 0.
    AtMost,
    /// Weight exactly j: row 0 is 0 at j = 0 and −∞ elsewhere.
    Exact,
}

/// A cell's value. With an exact fill a weight no packing adds up to is −∞:
/// it sorts below every real value, so `max` and the strict "take wins" test
/// need no special case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    NegInf,
    Finite(u64),
}

impl Value {
    /// This value with an item of value `v` added (−∞ stays −∞).
    fn plus(self, v: u64) -> Value {
        match self {
            Value::NegInf => Value::NegInf,
            Value::Finite(x) => Value::Finite(x + v),
        }
    }

    pub fn finite(self) -> Option<u64> {
        match self {
            Value::NegInf => None,
            Value::Finite(x) => Some(x),
        }
    }
}

/// How −∞ is written, in the table and its legend.
pub const NEG_INF: &str = "−∞";

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::NegInf => f.pad(NEG_INF),
            Value::Finite(x) => f.pad(&x.to_string()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The full (n+1) × (C+1) table.
    TwoD,
    /// One row, overwritten item by item.
    OneD,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// j runs from C down to w_i: each item at most once (0/1).
    Reverse,
    /// j runs from w_i up to C: items may repeat (unbounded).
    Forward,
}

/// Where the run stands: the next thing a step will do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// Fill the cell of item `i` (1-based) at capacity `j`.
    Fill {
        i: usize,
        j: usize,
    },
    /// Examine item `i` during traceback, with capacity `j` left.
    Trace {
        i: usize,
        j: usize,
    },
    Done,
}

/// What one fill step computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    pub i: usize,
    pub j: usize,
    /// The value without item i: f[i-1][j] (2-D) or dp[j] as read (1-D).
    pub skip: Value,
    /// The value with item i, when it fits: f[i-1][j-w] + v or dp[j-w] + v as read.
    pub take: Option<Value>,
    pub took: bool,
}

impl Fill {
    pub fn value(&self) -> Value {
        match self.take {
            Some(take) if self.took => take,
            _ => self.skip,
        }
    }
}

/// What the last step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Last {
    Start,
    Fill(Fill),
    /// Traceback looked at item `i` with capacity `j` left, and took it or not.
    Trace {
        i: usize,
        j: usize,
        took: bool,
    },
}

/// What a step overwrote, so that it can be undone.
#[derive(Clone, Copy, Debug)]
pub struct Undo {
    cursor: Cursor,
    last: Last,
    change: Change,
}

#[derive(Clone, Copy, Debug)]
enum Change {
    Cell {
        table_at: usize,
        old_value: Value,
        old_before: Value,
        old_took: bool,
    },
    Traced {
        chose: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Knapsack {
    items: Vec<Item>,
    capacity: usize,
    mode: Mode,
    order: Order,
    volume: Volume,
    /// 2-D: rows 0..=n of C+1 cells; 1-D: one row of C+1 cells.
    table: Vec<Value>,
    /// 1-D only: what each cell held before the current item's pass overwrote it.
    before: Vec<Value>,
    /// took[(i-1)(C+1) + j]: item i won at capacity j.
    took: Vec<bool>,
    cursor: Cursor,
    last: Last,
    /// 1-based item indices in the order the traceback found them.
    chosen: Vec<usize>,
    filled: u64,
}

impl Knapsack {
    pub fn new(
        items: Vec<Item>,
        capacity: usize,
        mode: Mode,
        order: Order,
        volume: Volume,
    ) -> Knapsack {
        let row = capacity + 1;
        let rows = match mode {
            Mode::TwoD => items.len() + 1,
            Mode::OneD => 1,
        };
        let start = match volume {
            Volume::AtMost => Value::Finite(0),
            Volume::Exact => Value::NegInf,
        };
        let mut table = vec![start; rows * row];
        // f[0][0] (or dp[0]): the empty packing weighs exactly 0.
        table[0] = Value::Finite(0);
        let mut model = Knapsack {
            before: if mode == Mode::OneD {
                table.clone()
            } else {
                Vec::new()
            },
            table,
            took: vec![false; items.len() * row],
            items,
            capacity,
            mode,
            order,
            volume,
            cursor: Cursor::Done,
            last: Last::Start,
            chosen: Vec::new(),
            filled: 0,
        };
        model.cursor = model.first_cell_from(1);
        model
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }
    pub fn capacity(&self) -> usize {
        self.capacity
    }
    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn order(&self) -> Order {
        self.order
    }
    pub fn volume(&self) -> Volume {
        self.volume
    }
    pub fn cursor(&self) -> Cursor {
        self.cursor
    }
    pub fn last(&self) -> Last {
        self.last
    }
    pub fn cells_filled(&self) -> u64 {
        self.filled
    }

    /// The problem the table actually solves.
    pub fn is_unbounded(&self) -> bool {
        self.mode == Mode::OneD && self.order == Order::Forward
    }

    /// The optimum as far as the table has got: f[n][C] or dp[C] when the
    /// weight may stay under C; the largest value of the last row when it
    /// must be exact (never −∞: the empty packing fills exactly 0).
    pub fn best(&self) -> u64 {
        self.last_row(self.answer_volume()).finite().unwrap_or(0)
    }

    /// The capacity the answer is read at, and the traceback starts from: C,
    /// or with an exact fill the lightest j holding the last row's largest value.
    pub fn answer_volume(&self) -> usize {
        match self.volume {
            Volume::AtMost => self.capacity,
            Volume::Exact => (0..=self.capacity)
                .rev()
                .max_by_key(|&j| self.last_row(j))
                .unwrap_or(0),
        }
    }

    /// f[n][j] in 2-D, dp[j] in 1-D: final once the table is full.
    pub fn last_row(&self, j: usize) -> Value {
        let row = match self.mode {
            Mode::TwoD => self.items.len(),
            Mode::OneD => 0,
        };
        self.table[row * (self.capacity + 1) + j]
    }

    /// Chosen items, 1-based and ascending (repeated once per use when unbounded).
    pub fn chosen(&self) -> Vec<usize> {
        let mut chosen = self.chosen.clone();
        chosen.sort_unstable();
        chosen
    }

    /// 2-D: f[i][j] once filled (row 0 always is).
    pub fn cell(&self, i: usize, j: usize) -> Option<Value> {
        (self.mode == Mode::TwoD && i <= self.items.len() && j <= self.capacity)
            .then(|| self.is_filled(i, j))
            .and_then(|filled| filled.then(|| self.table[i * (self.capacity + 1) + j]))
    }

    /// 1-D: dp[j] as it stands now.
    pub fn dp(&self, j: usize) -> Value {
        match self.mode {
            Mode::OneD => self.table[j],
            Mode::TwoD => Value::Finite(0),
        }
    }

    /// 1-D: dp[j] as it was before the pass of the item the last step worked on,
    /// i.e. the previous item's row, which reverse order reads and forward order
    /// may already have overwritten.
    pub fn dp_before_pass(&self, j: usize) -> Value {
        if self.visited_in_pass(j) {
            self.before[j]
        } else {
            self.dp(j)
        }
    }

    /// 1-D: has the current pass (the item of the last fill) written cell j?
    pub fn visited_in_pass(&self, j: usize) -> bool {
        let Last::Fill(fill) = self.last else {
            return false;
        };
        let w = self.items[fill.i - 1].weight;
        match self.order {
            Order::Reverse => j >= fill.j && j <= self.capacity,
            Order::Forward => j >= w && j <= fill.j,
        }
    }

    /// Did `fill` read, as dp[j − w], a cell that already holds its own item?
    /// Only one row filled left to right can: that cell was written earlier
    /// in the same pass, and taking the item there put it in the value read,
    /// so taking it again counts it twice (the unbounded knapsack's step).
    pub fn reused(&self, fill: Fill) -> bool {
        let weight = self.items[fill.i - 1].weight;
        self.mode == Mode::OneD
            && self.order == Order::Forward
            && fill.take.is_some()
            && fill.j >= weight
            && self.took(fill.i, fill.j - weight)
    }

    /// Did item i (1-based) win at capacity j, as decided so far?
    pub fn took(&self, i: usize, j: usize) -> bool {
        i >= 1
            && i <= self.items.len()
            && j <= self.capacity
            && self.took[(i - 1) * (self.capacity + 1) + j]
    }

    /// Has the loop written cell (i, j) yet? In 2-D row 0 always counts as
    /// filled; in 1-D cells lighter than the item's weight are never visited.
    pub fn is_filled(&self, i: usize, j: usize) -> bool {
        if i == 0 {
            return self.mode == Mode::TwoD;
        }
        let reached = match self.cursor {
            Cursor::Fill { i: ci, j: cj } => {
                i < ci
                    || (i == ci
                        && match (self.mode, self.order) {
                            (Mode::OneD, Order::Reverse) => j > cj,
                            _ => j < cj,
                        })
            }
            Cursor::Trace { .. } | Cursor::Done => true,
        };
        reached
            && (self.mode == Mode::TwoD
                || self.items.get(i - 1).is_some_and(|item| j >= item.weight))
    }

    /// Number of cells a complete run fills.
    pub fn cells_total(&self) -> u64 {
        match self.mode {
            Mode::TwoD => (self.items.len() * (self.capacity + 1)) as u64,
            Mode::OneD => self
                .items
                .iter()
                .map(|item| (self.capacity + 1).saturating_sub(item.weight) as u64)
                .sum(),
        }
    }

    /// Steps of a complete run: every cell, then every traceback decision.
    /// For the unbounded table the traceback's length is known once the table is full.
    pub fn total_steps(&self) -> Option<u64> {
        if !self.is_unbounded() {
            return Some(self.cells_total() + self.items.len() as u64);
        }
        // Decisions made so far plus those the walk from the cursor will make.
        let (mut i, mut j) = match self.cursor {
            Cursor::Fill { .. } => return None,
            Cursor::Trace { i, j } => (i, j),
            Cursor::Done => (0, 0),
        };
        let mut decisions = self.trace_path().len() as u64;
        while i > 0 {
            (_, i, j) = self.decide(i, j);
            decisions += 1;
        }
        Some(self.cells_total() + decisions)
    }

    /// The traceback decisions made so far, in order: (item, capacity left, took).
    pub fn trace_path(&self) -> Vec<(usize, usize, bool)> {
        let mut path = Vec::new();
        if matches!(self.cursor, Cursor::Fill { .. }) {
            return path;
        }
        let (mut i, mut j) = (self.items.len(), self.answer_volume());
        while i > 0 && self.cursor != (Cursor::Trace { i, j }) {
            let (took, next_i, next_j) = self.decide(i, j);
            path.push((i, j, took));
            (i, j) = (next_i, next_j);
        }
        path
    }

    /// The first cell to fill for items i, i+1, …; the traceback when none is left.
    fn first_cell_from(&self, i: usize) -> Cursor {
        let n = self.items.len();
        // Called once the last item's pass is over, so the last row is final.
        let start = || Cursor::Trace {
            i: n,
            j: self.answer_volume(),
        };
        if n == 0 {
            return Cursor::Done;
        }
        match self.mode {
            Mode::TwoD if i <= n => Cursor::Fill { i, j: 0 },
            Mode::TwoD => start(),
            Mode::OneD => (i..=n)
                .find(|&k| self.items[k - 1].weight <= self.capacity)
                .map_or_else(start, |k| Cursor::Fill {
                    i: k,
                    j: match self.order {
                        Order::Reverse => self.capacity,
                        Order::Forward => self.items[k - 1].weight,
                    },
                }),
        }
    }

    fn next_cell(&self, i: usize, j: usize) -> Cursor {
        let w = self.items[i - 1].weight;
        let more_in_row = match (self.mode, self.order) {
            (Mode::OneD, Order::Reverse) => (j > w).then(|| j - 1),
            _ => (j < self.capacity).then(|| j + 1),
        };
        match more_in_row {
            Some(j) => Cursor::Fill { i, j },
            None => self.first_cell_from(i + 1),
        }
    }

    fn fill(&mut self, i: usize, j: usize) -> Change {
        let row = self.capacity + 1;
        let Item { weight, value } = self.items[i - 1];
        // Where the previous item's values are read from, and where this one is written.
        let (read_row, write_at) = match self.mode {
            Mode::TwoD => ((i - 1) * row, i * row + j),
            Mode::OneD => (0, j),
        };
        let skip = self.table[read_row + j];
        let take = (j >= weight).then(|| self.table[read_row + j - weight].plus(value));
        let took = take.is_some_and(|take| take > skip);
        let fill = Fill {
            i,
            j,
            skip,
            take,
            took,
        };
        let took_at = (i - 1) * row + j;
        let change = Change::Cell {
            table_at: write_at,
            old_value: self.table[write_at],
            old_before: self.before.get(j).copied().unwrap_or(Value::NegInf),
            old_took: self.took[took_at],
        };
        if self.mode == Mode::OneD {
            self.before[j] = self.table[j];
        }
        self.table[write_at] = fill.value();
        self.took[took_at] = took;
        self.filled += 1;
        self.last = Last::Fill(fill);
        change
    }

    /// One traceback decision at (i, j): was item i taken, and where the walk goes next.
    fn decide(&self, i: usize, j: usize) -> (bool, usize, usize) {
        let took = self.took(i, j);
        let weight = self.items[i - 1].weight;
        match (took, self.is_unbounded()) {
            // Unbounded: the same item may have been taken again at the smaller capacity.
            (true, true) => (true, i, j - weight),
            (true, false) => (true, i - 1, j - weight),
            (false, _) => (false, i - 1, j),
        }
    }

    fn trace(&mut self, i: usize, j: usize) -> Change {
        let (took, next_i, next_j) = self.decide(i, j);
        if took {
            self.chosen.push(i);
        }
        self.last = Last::Trace { i, j, took };
        self.cursor = if next_i == 0 {
            Cursor::Done
        } else {
            Cursor::Trace {
                i: next_i,
                j: next_j,
            }
        };
        Change::Traced { chose: took }
    }
}

/// The tempting shortcut the DP beats: take items by value per unit of weight,
/// best first (ties by index), while they fit. Returns the 1-based items
/// taken, ascending, and their total value.
pub fn greedy_by_ratio(items: &[Item], capacity: usize) -> (Vec<usize>, u64) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Compare v_a / w_a with v_b / w_b as v_a·w_b against v_b·w_a: exact in integers.
    order.sort_by(|&a, &b| {
        let left = u128::from(items[b].value) * items[a].weight as u128;
        let right = u128::from(items[a].value) * items[b].weight as u128;
        left.cmp(&right)
    });
    let (mut room, mut value, mut taken) = (capacity, 0, Vec::new());
    for at in order {
        if items[at].weight <= room {
            room -= items[at].weight;
            value += items[at].value;
            taken.push(at + 1);
        }
    }
    taken.sort_unstable();
    (taken, value)
}

impl Default for Undo {
    fn default() -> Undo {
        Undo {
            cursor: Cursor::Done,
            last: Last::Start,
            change: Change::Traced { chose: false },
        }
    }
}

impl Undoable for Knapsack {
    type Undo = Undo;

    fn step_into(&mut self, record: &mut Undo) -> bool {
        let (cursor, last) = (self.cursor, self.last);
        let change = match cursor {
            Cursor::Fill { i, j } => {
                let change = self.fill(i, j);
                self.cursor = self.next_cell(i, j);
                change
            }
            Cursor::Trace { i, j } => self.trace(i, j),
            Cursor::Done => return false,
        };
        *record = Undo {
            cursor,
            last,
            change,
        };
        true
    }

    fn undo(&mut self, undo: Undo) {
        match undo.change {
            Change::Cell {
                table_at,
                old_value,
                old_before,
                old_took,
            } => {
                if let Cursor::Fill { i, j } = undo.cursor {
                    self.table[table_at] = old_value;
                    if let Some(before) = self.before.get_mut(j) {
                        *before = old_before;
                    }
                    self.took[(i - 1) * (self.capacity + 1) + j] = old_took;
                    self.filled -= 1;
                }
            }
            Change::Traced { chose } => {
                if chose {
                    self.chosen.pop();
                }
            }
        }
        self.cursor = undo.cursor;
        self.last = undo.last;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(pairs: &[(usize, u64)]) -> Vec<Item> {
        pairs
            .iter()
            .map(|&(weight, value)| Item { weight, value })
            .collect()
    }

    fn run(mut model: Knapsack) -> Knapsack {
        while model.step().is_some() {}
        model
    }

    #[test]
    fn textbook_example_fills_the_known_table() {
        // Weights 1,3,4,5 / values 1,4,5,7 / capacity 7: the last row, worked by
        // hand from the recurrence, is 0 1 1 4 5 7 8 9.
        let model = run(Knapsack::new(
            items(&[(1, 1), (3, 4), (4, 5), (5, 7)]),
            7,
            Mode::TwoD,
            Order::Reverse,
            Volume::AtMost,
        ));
        let last_row: Vec<u64> = (0..=7)
            .map(|j| model.cell(4, j).and_then(Value::finite).unwrap_or(u64::MAX))
            .collect();
        assert_eq!(last_row, vec![0, 1, 1, 4, 5, 7, 8, 9]);
        assert_eq!(model.best(), 9);
        assert_eq!(model.chosen(), vec![2, 3]);
        assert_eq!(model.cells_filled(), 32);
    }

    #[test]
    fn greedy_takes_the_best_ratio_first() {
        // Ratios 2.5, 2, 1.4, 1.67, 1.29: items 1 and 2 go in, then nothing else fits.
        let shop = items(&[(2, 5), (4, 8), (5, 7), (6, 10), (7, 9)]);
        assert_eq!(greedy_by_ratio(&shop, 10), (vec![1, 2], 13));
        assert_eq!(greedy_by_ratio(&shop, 0), (vec![], 0));
    }

    #[test]
    fn reverse_row_visits_capacities_downward_and_skips_small_ones() {
        let mut model = Knapsack::new(
            items(&[(3, 4)]),
            5,
            Mode::OneD,
            Order::Reverse,
            Volume::AtMost,
        );
        let mut visited = Vec::new();
        while model.step().is_some() {
            if let Last::Fill(fill) = model.last() {
                visited.push(fill.j);
            }
        }
        assert_eq!(visited, vec![5, 4, 3]);
    }

    #[test]
    fn forward_order_reuses_items() {
        // One item of weight 2, value 3, capacity 7: unbounded takes it three times.
        let model = run(Knapsack::new(
            items(&[(2, 3)]),
            7,
            Mode::OneD,
            Order::Forward,
            Volume::AtMost,
        ));
        assert_eq!(model.best(), 9);
        assert_eq!(model.chosen(), vec![1, 1, 1]);
        assert_eq!(model.total_steps(), Some(6 + 1 + 3));
    }

    #[test]
    fn items_heavier_than_the_capacity_take_no_step_in_1d() {
        let model = run(Knapsack::new(
            items(&[(9, 5), (2, 1)]),
            3,
            Mode::OneD,
            Order::Reverse,
            Volume::AtMost,
        ));
        assert_eq!(model.cells_filled(), 2);
        assert_eq!(model.best(), 1);
    }

    #[test]
    fn ties_keep_the_item_out() {
        let model = run(Knapsack::new(
            items(&[(1, 5), (1, 5)]),
            1,
            Mode::TwoD,
            Order::Reverse,
            Volume::AtMost,
        ));
        assert_eq!(model.chosen(), vec![1]);
    }

    #[test]
    fn zero_capacity_fills_one_column() {
        let model = run(Knapsack::new(
            items(&[(1, 5), (2, 5)]),
            0,
            Mode::TwoD,
            Order::Reverse,
            Volume::AtMost,
        ));
        assert_eq!(model.best(), 0);
        assert!(model.chosen().is_empty());
        assert_eq!(model.cells_filled(), 2);
    }

    #[test]
    fn undo_restores_every_field() {
        for (mode, order) in [
            (Mode::TwoD, Order::Reverse),
            (Mode::OneD, Order::Reverse),
            (Mode::OneD, Order::Forward),
        ] {
            let fresh = Knapsack::new(
                items(&[(2, 3), (3, 4), (1, 2)]),
                6,
                mode,
                order,
                Volume::AtMost,
            );
            let mut model = fresh.clone();
            let mut undos = Vec::new();
            let mut states = vec![model.clone()];
            while let Some(undo) = model.step() {
                undos.push(undo);
                states.push(model.clone());
            }
            states.pop();
            while let Some(undo) = undos.pop() {
                model.undo(undo);
                let expect = states.pop().expect("one state per undo");
                assert_eq!(model, expect);
            }
        }
    }
}
