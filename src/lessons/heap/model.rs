//! CPython's `heapq`, one comparison or one write per step.
//!
//! ```text
//! _siftdown(start, pos):            # toward the root
//!     item = heap[pos]
//!     while pos > start:
//!         parent = (pos - 1) >> 1
//!         if item < heap[parent]: heap[pos] = heap[parent]; pos = parent
//!         else: break
//!     heap[pos] = item
//! _siftup(pos):                     # to a leaf, then back up
//!     end, start, item = len(heap), pos, heap[pos]
//!     child = 2*pos + 1
//!     while child < end:
//!         if child + 1 < end and not heap[child] < heap[child + 1]: child += 1
//!         heap[pos] = heap[child]; pos = child; child = 2*pos + 1
//!     heap[pos] = item
//!     _siftdown(start, pos)
//! ```
//! `_siftup` never compares the item on the way down: the item that replaces
//! the root after a pop came from the bottom, so it usually belongs near the
//! bottom again, and walking down by one comparison per level, then up the
//! few levels it must rise, beats testing it against both children at every
//! level. The array passes through exactly the states CPython's does,
//! including the duplicated value where the hole is.

use crate::error::echo;
use crate::i18n::Said;
use crate::lesson::timeline::Undoable;
use crate::said;

/// An array index inside events and phases: u32 keeps undo records small
/// (input lists are far shorter than 4 billion values).
pub type Slot = u32;

/// One operation of a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// The implicit first operation: heapify the input.
    Heapify,
    Push(i64),
    Pop,
    PushPop(i64),
    Replace(i64),
    /// Pop until empty: heap sort.
    Sort,
}

impl Op {
    pub fn label(&self) -> String {
        match self {
            Op::Heapify => "heapify".to_string(),
            Op::Push(x) => format!("push:{x}"),
            Op::Pop => "pop".to_string(),
            Op::PushPop(x) => format!("pushpop:{x}"),
            Op::Replace(x) => format!("replace:{x}"),
            Op::Sort => "sort".to_string(),
        }
    }
}

/// What one step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// `heap[i] < heap[j]` evaluated; `j` is `None` when the right side is the
    /// held item (or the pushpop argument) rather than an array slot.
    Compare {
        i: Slot,
        j: Option<Slot>,
        less: bool,
    },
    /// `heap[to] = heap[from]` (or, for pop, the last item moved to the root).
    Move { to: Slot, from: Slot },
    /// The held item written at `i` (also an append or a root overwrite).
    Place { i: Slot },
    /// Operation `op` (an index into [`HeapRun::ops`]) finished, returning
    /// this value if it returns one. For heap sort every pop is a `Done` of
    /// the same op.
    Done { returned: Option<i64>, op: Slot },
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::Compare { .. } => "compare",
            Event::Move { .. } => "move",
            Event::Place { .. } => "place",
            Event::Done { .. } => "done",
        }
    }
}

/// Pseudocode lines (0-based) of the lesson's listing, by what an event did.
pub mod line {
    /// Operation-level work: append, last-to-root, the pushpop test, done.
    pub const OP: usize = 0;
    pub const DOWN_TEST: usize = 5;
    pub const DOWN_MOVE: usize = 6;
    pub const DOWN_PLACE: usize = 8;
    pub const UP_CHOOSE: usize = 14;
    pub const UP_MOVE: usize = 15;
    pub const UP_PLACE: usize = 17;
}

/// Where the interpreter stands inside an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The next step starts the next operation.
    NextOp,
    /// `_siftdown`: compare the item with its parent next.
    DownCompare { start: Slot, pos: Slot, item: i64 },
    /// `_siftdown`: the item was smaller; move the parent down next.
    DownMove { start: Slot, pos: Slot, item: i64 },
    /// `_siftup`: choose between the children of `pos` next.
    UpChoose { start: Slot, pos: Slot, item: i64 },
    /// `_siftup`: move the chosen child up next.
    UpMove {
        start: Slot,
        pos: Slot,
        child: Slot,
        item: i64,
    },
    /// `heappushpop`: the item beat the root; overwrite the root next.
    PushPopPlace { item: i64 },
    /// Report the operation's result next.
    Finish,
}

/// What a finished sift returns to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Then {
    /// Heapify: `_siftup` the next index down, if any.
    Heapify {
        next: Option<Slot>,
    },
    Finish,
}

/// The array change a step made, for undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    None,
    Set {
        at: Slot,
        old: i64,
    },
    Appended,
    /// Pop: the last item (`last`) was removed and written over the root (`root`).
    LastToRoot {
        root: i64,
        last: i64,
    },
    /// Pop of the only item.
    Removed {
        value: i64,
    },
}

#[derive(Clone, Debug)]
pub struct Undo {
    phase: Phase,
    last: Option<Event>,
    change: Change,
    last_line: u8,
    compared: bool,
    left_root: bool,
    /// Operation-level state, saved only by the few steps that change it:
    /// records stay small, and a 100k-value heap sort makes millions of them.
    op: Option<Box<OpUndo>>,
}

impl Default for Undo {
    fn default() -> Undo {
        Undo {
            phase: Phase::NextOp,
            last: None,
            change: Change::None,
            last_line: 0,
            compared: false,
            left_root: false,
            op: None,
        }
    }
}

/// What a step at an operation boundary changed besides the array.
#[derive(Clone, Copy, Debug)]
struct OpUndo {
    then: Then,
    op_at: usize,
    returning: Option<i64>,
    popped: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HeapRun {
    heap: Vec<i64>,
    ops: Vec<Op>,
    /// Index of the operation under way (or next, in `NextOp`).
    op_at: usize,
    phase: Phase,
    then: Then,
    /// What the operation under way will return.
    returning: Option<i64>,
    /// Whether the last step settled what its op returns (the value left
    /// the root, or pushpop kept its argument out).
    left_root: bool,
    popped: Vec<i64>,
    comparisons: u64,
    last: Option<Event>,
    /// Pseudocode line of the last event.
    last_line: usize,
    /// The array change of the step under way, for its undo record; always
    /// `None` between steps.
    change: Change,
}

/// Why a script cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    /// 1-based position in the script (not counting the implicit heapify).
    pub op: usize,
    pub message: Said,
}

/// Parses `push:5,pop,pushpop:3,replace:7,sort`.
pub fn parse_ops(script: &str) -> Result<Vec<Op>, ScriptError> {
    let mut ops = Vec::new();
    for (at, word) in script
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let bad = |message: Said| ScriptError {
            op: at + 1,
            message,
        };
        let (name, arg) = match word.split_once(':') {
            Some((name, arg)) => (name.trim(), Some(arg.trim())),
            None => (word, None),
        };
        let number = |arg: Option<&str>| -> Result<i64, ScriptError> {
            let (w, n) = (echo(word), echo(name));
            let text = arg.ok_or_else(|| {
                bad(said!(
                    "'{w}' needs a value, as {n}:5",
                    "“{w}”需要一个值，例如 {n}:5"
                ))
            })?;
            text.parse().map_err(|_| {
                let t = echo(text);
                bad(said!(
                    "'{t}' in '{w}' is not a whole number",
                    "“{w}”中的“{t}”不是整数"
                ))
            })
        };
        let op = match (name.to_ascii_lowercase().as_str(), arg) {
            ("push", _) => Op::Push(number(arg)?),
            ("pushpop", _) => Op::PushPop(number(arg)?),
            ("replace", _) => Op::Replace(number(arg)?),
            ("pop", None) => Op::Pop,
            ("sort", None) => Op::Sort,
            ("pop" | "sort", Some(_)) => {
                let w = echo(word);
                return Err(bad(said!(
                    "'{w}': {name} takes no value",
                    "“{w}”：{name} 不带值"
                )));
            }
            _ => {
                let w = echo(word);
                return Err(bad(said!(
                    "'{w}' is not an operation; use push:N, pop, pushpop:N, replace:N or sort",
                    "“{w}”不是操作；可用 push:N、pop、pushpop:N、replace:N 或 sort"
                )));
            }
        };
        ops.push(op);
    }
    Ok(ops)
}

/// Checks that no `pop` or `replace` meets an empty heap, by following sizes.
pub fn check_sizes(start_len: usize, ops: &[Op]) -> Result<(), ScriptError> {
    let mut len = start_len;
    for (at, op) in ops.iter().enumerate() {
        len = match op {
            Op::Heapify => len,
            Op::Push(_) => len + 1,
            Op::PushPop(_) => len,
            Op::Sort => 0,
            Op::Pop | Op::Replace(_) if len == 0 => {
                return Err(ScriptError {
                    op: at + 1,
                    message: {
                        let label = op.label();
                        said!(
                            "'{label}' on an empty heap (IndexError in Python)",
                            "对空堆做“{label}”（Python 会抛出 IndexError）"
                        )
                    },
                });
            }
            Op::Pop => len - 1,
            Op::Replace(_) => len,
        };
    }
    Ok(())
}

impl HeapRun {
    /// `input` is heapified first, then `ops` run in order. The caller has
    /// checked the script with [`check_sizes`]; an op that still meets an empty
    /// heap finishes at once without changing anything.
    pub fn new(input: Vec<i64>, ops: &[Op]) -> HeapRun {
        let mut all = vec![Op::Heapify];
        all.extend_from_slice(ops);
        HeapRun {
            heap: input,
            ops: all,
            op_at: 0,
            phase: Phase::NextOp,
            then: Then::Finish,
            returning: None,
            left_root: false,
            popped: Vec::new(),
            comparisons: 0,
            last: None,
            last_line: line::OP,
            change: Change::None,
        }
    }

    pub fn heap(&self) -> &[i64] {
        &self.heap
    }
    pub fn popped(&self) -> &[i64] {
        &self.popped
    }
    pub fn comparisons(&self) -> u64 {
        self.comparisons
    }
    pub fn last(&self) -> Option<Event> {
        self.last
    }
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The operation under way, or the one just finished.
    pub fn current_op(&self) -> Option<Op> {
        self.ops.get(self.op_at).copied()
    }

    /// Index into [`ops`](Self::ops) of the operation under way.
    pub fn op_index(&self) -> usize {
        self.op_at
    }

    pub fn is_finished(&self) -> bool {
        self.phase == Phase::NextOp && self.op_at >= self.ops.len()
    }

    /// What the op under way returns, once known: from the step the value
    /// leaves the root (or pushpop keeps its argument out) until the op ends.
    pub fn returning(&self) -> Option<i64> {
        if self.phase == Phase::NextOp || !self.returns_value(self.op_at) {
            return None;
        }
        self.returning
    }

    /// The value the last step settled as its op's result, if it did:
    /// the moment a value leaves the heap.
    pub fn returned_now(&self) -> Option<i64> {
        let op = match self.last {
            Some(Event::Done { op, .. }) => op as usize,
            _ => self.op_at,
        };
        if self.left_root && self.returns_value(op) {
            self.returning
        } else {
            None
        }
    }

    /// The op the last step belongs to: after a `done`, the op that finished.
    pub fn shown_op_index(&self) -> usize {
        match self.last {
            Some(Event::Done { op, .. }) => op as usize,
            _ => self.op_at.min(self.ops.len().saturating_sub(1)),
        }
    }

    /// Whether the run stands between two ops (or pops of a heap sort):
    /// the heap is whole, with no item held outside it.
    pub fn at_op_boundary(&self) -> bool {
        self.phase == Phase::NextOp && !self.is_finished()
    }

    /// The value held outside the array during a sift, with the slot it is headed for.
    pub fn held(&self) -> Option<(i64, usize)> {
        match self.phase {
            Phase::DownCompare { pos, item, .. }
            | Phase::DownMove { pos, item, .. }
            | Phase::UpChoose { pos, item, .. }
            | Phase::UpMove { pos, item, .. } => Some((item, pos as usize)),
            _ => None,
        }
    }

    /// Pseudocode line (0-based) of the last event.
    pub fn line(&self) -> usize {
        self.last_line
    }

    /// Notes what the op under way returns, and that this step settled it.
    fn set_returning(&mut self, value: i64) {
        self.returning = Some(value);
        self.left_root = true;
    }

    fn compare(&mut self, a: i64, b: i64) -> bool {
        self.comparisons += 1;
        a < b
    }

    fn at(&self, i: Slot) -> i64 {
        self.heap[i as usize]
    }

    fn len(&self) -> Slot {
        Slot::try_from(self.heap.len()).unwrap_or(Slot::MAX)
    }

    /// Writes one slot, noting the old value for this step's undo record.
    fn set(&mut self, at: Slot, value: i64) {
        let old = self.at(at);
        self.heap[at as usize] = value;
        self.change = Change::Set { at, old };
    }

    /// Starts `_siftup(pos)`; it needs a step of its own.
    fn start_siftup(&mut self, pos: Slot) {
        self.phase = Phase::UpChoose {
            start: pos,
            pos,
            item: self.at(pos),
        };
    }

    /// Where a finished sift goes next.
    fn after_sift(&mut self) {
        match self.then {
            Then::Heapify { next: Some(i) } => {
                self.then = Then::Heapify {
                    next: i.checked_sub(1),
                };
                self.start_siftup(i);
            }
            Then::Heapify { next: None } | Then::Finish => self.phase = Phase::Finish,
        }
    }

    /// Begins operation `op`: its first event, or a phase that yields one.
    fn begin(&mut self, op: Op) -> Option<Event> {
        self.last_line = line::OP;
        let n = self.len();
        self.returning = None;
        self.then = Then::Finish;
        match op {
            Op::Heapify => {
                match (n / 2).checked_sub(1) {
                    Some(first) => {
                        self.then = Then::Heapify {
                            next: first.checked_sub(1),
                        };
                        self.start_siftup(first);
                    }
                    None => self.phase = Phase::Finish,
                }
                None
            }
            Op::Push(x) => {
                self.heap.push(x);
                self.phase = Phase::DownCompare {
                    start: 0,
                    pos: n,
                    item: x,
                };
                self.change = Change::Appended;
                Some(Event::Place { i: n })
            }
            Op::Pop | Op::Sort => self.pop_begin(),
            Op::PushPop(x) => {
                if n == 0 {
                    self.set_returning(x);
                    self.phase = Phase::Finish;
                    return None;
                }
                let less = self.compare(self.at(0), x);
                if less {
                    self.set_returning(self.at(0));
                    self.phase = Phase::PushPopPlace { item: x };
                } else {
                    self.set_returning(x);
                    self.phase = Phase::Finish;
                }
                Some(Event::Compare {
                    i: 0,
                    j: None,
                    less,
                })
            }
            Op::Replace(x) => {
                if n == 0 {
                    self.phase = Phase::Finish;
                    return None;
                }
                self.set_returning(self.at(0));
                self.set(0, x);
                self.start_siftup(0);
                Some(Event::Place { i: 0 })
            }
        }
    }

    /// `heappop`: the last item leaves the array and, if any remain, takes the root.
    fn pop_begin(&mut self) -> Option<Event> {
        let Some(last) = self.heap.pop() else {
            self.phase = Phase::Finish;
            return None;
        };
        if self.heap.is_empty() {
            self.set_returning(last);
            self.phase = Phase::Finish;
            self.change = Change::Removed { value: last };
            return None;
        }
        let root = self.at(0);
        self.set_returning(root);
        self.heap[0] = last;
        self.start_siftup(0);
        let from = self.len();
        self.change = Change::LastToRoot { root, last };
        Some(Event::Move { to: 0, from })
    }

    /// One micro-step of the phase; `None` when the phase only hands over.
    fn advance(&mut self) -> Option<Event> {
        match self.phase {
            Phase::NextOp => match self.ops.get(self.op_at).copied() {
                Some(op) => self.begin(op),
                None => None,
            },
            Phase::DownCompare { start, pos, item } => {
                if pos <= start {
                    self.set(pos, item);
                    self.after_sift();
                    self.last_line = line::DOWN_PLACE;
                    return Some(Event::Place { i: pos });
                }
                let parent = (pos - 1) >> 1;
                let less = self.compare(item, self.at(parent));
                self.last_line = line::DOWN_TEST;
                self.phase = if less {
                    Phase::DownMove { start, pos, item }
                } else {
                    // `break`: the item goes here; placing it is the next step.
                    Phase::DownCompare {
                        start: pos,
                        pos,
                        item,
                    }
                };
                Some(Event::Compare {
                    i: pos,
                    j: Some(parent),
                    less,
                })
            }
            Phase::DownMove { start, pos, item } => {
                self.last_line = line::DOWN_MOVE;
                let parent = (pos - 1) >> 1;
                self.set(pos, self.at(parent));
                self.phase = Phase::DownCompare {
                    start,
                    pos: parent,
                    item,
                };
                Some(Event::Move {
                    to: pos,
                    from: parent,
                })
            }
            Phase::UpChoose { start, pos, item } => {
                let end = self.len();
                let child = 2 * pos + 1;
                if child >= end {
                    // At a leaf: place the item, then `_siftdown(start, pos)`.
                    self.set(pos, item);
                    self.phase = Phase::DownCompare { start, pos, item };
                    self.last_line = line::UP_PLACE;
                    return Some(Event::Place { i: pos });
                }
                let right = child + 1;
                if right < end {
                    // `not heap[child] < heap[right]` picks the right child.
                    let less = self.compare(self.at(child), self.at(right));
                    self.last_line = line::UP_CHOOSE;
                    self.phase = Phase::UpMove {
                        start,
                        pos,
                        child: if less { child } else { right },
                        item,
                    };
                    return Some(Event::Compare {
                        i: child,
                        j: Some(right),
                        less,
                    });
                }
                self.phase = Phase::UpMove {
                    start,
                    pos,
                    child,
                    item,
                };
                self.advance()
            }
            Phase::UpMove {
                start,
                pos,
                child,
                item,
            } => {
                self.last_line = line::UP_MOVE;
                self.set(pos, self.at(child));
                self.phase = Phase::UpChoose {
                    start,
                    pos: child,
                    item,
                };
                Some(Event::Move {
                    to: pos,
                    from: child,
                })
            }
            Phase::PushPopPlace { item } => {
                self.last_line = line::OP;
                self.set(0, item);
                self.start_siftup(0);
                Some(Event::Place { i: 0 })
            }
            Phase::Finish => {
                self.last_line = line::OP;
                let returned = self.returning;
                let op = Slot::try_from(self.op_at).unwrap_or(Slot::MAX);
                let sorting = self.ops.get(self.op_at) == Some(&Op::Sort);
                if sorting && !self.heap.is_empty() {
                    // Heap sort: this pop is done; the next pop of the same op follows.
                    self.phase = Phase::NextOp;
                } else {
                    self.op_at += 1;
                    self.phase = Phase::NextOp;
                }
                Some(Event::Done { returned, op })
            }
        }
    }
}

impl Undoable for HeapRun {
    type Undo = Undo;

    fn step_into(&mut self, record: &mut Undo) -> bool {
        let (phase, last, last_line) = (self.phase, self.last, self.last_line);
        let (then, op_at, returning) = (self.then, self.op_at, self.returning);
        let comparisons = self.comparisons;
        if self.is_finished() {
            return false;
        }
        let left_root = std::mem::replace(&mut self.left_root, false);
        let mut popped = false;
        // Hand-over phases produce no event; loop until one does. A pop that
        // removes the only item changes the array without an event of its own:
        // its removal shows at the `done` that follows.
        let event = loop {
            if self.is_finished() {
                return false;
            }
            if let Some(event) = self.advance() {
                break event;
            }
        };
        if let Event::Done {
            returned: Some(value),
            ..
        } = event
            && self.returns_value(op_at)
        {
            self.popped.push(value);
            popped = true;
        }
        self.last = Some(event);
        let op_changed =
            popped || self.then != then || self.op_at != op_at || self.returning != returning;
        // Field by field, straight into the log's slot: building the record
        // whole and copying it in stalled the CPU on store forwarding.
        record.phase = phase;
        record.last = last;
        record.change = std::mem::replace(&mut self.change, Change::None);
        record.last_line = last_line as u8;
        record.compared = self.comparisons != comparisons;
        record.left_root = left_root;
        record.op = op_changed.then(|| {
            Box::new(OpUndo {
                then,
                op_at,
                returning,
                popped,
            })
        });
        true
    }

    fn undo(&mut self, undo: Undo) {
        match undo.change {
            Change::None => {}
            Change::Set { at, old } => self.heap[at as usize] = old,
            Change::Appended => {
                self.heap.pop();
            }
            Change::LastToRoot { root, last } => {
                self.heap[0] = root;
                self.heap.push(last);
            }
            Change::Removed { value } => self.heap.push(value),
        }
        if let Some(op) = undo.op {
            if op.popped {
                self.popped.pop();
            }
            self.then = op.then;
            self.op_at = op.op_at;
            self.returning = op.returning;
        }
        self.phase = undo.phase;
        self.last = undo.last;
        self.last_line = usize::from(undo.last_line);
        self.left_root = undo.left_root;
        if undo.compared {
            self.comparisons -= 1;
        }
    }
}

impl HeapRun {
    /// Ops whose result counts as popped: pop, pushpop, replace and sort.
    fn returns_value(&self, op_at: usize) -> bool {
        matches!(
            self.ops.get(op_at),
            Some(Op::Pop | Op::PushPop(_) | Op::Replace(_) | Op::Sort)
        )
    }
}

/// The textbook top-down sift, for comparison: at each level compare the two
/// children (one `<`), then the item with the smaller child (one more), and
/// stop as soon as the item is not larger. Runs the same script and returns
/// the comparisons used after each operation (index 0: heapify).
pub fn naive_comparisons(input: &[i64], ops: &[Op]) -> Vec<u64> {
    fn sift_down(heap: &mut [i64], mut pos: usize, count: &mut u64) {
        let n = heap.len();
        loop {
            let left = 2 * pos + 1;
            if left >= n {
                return;
            }
            let mut child = left;
            if left + 1 < n {
                *count += 1;
                if heap[left + 1] < heap[left] {
                    child = left + 1;
                }
            }
            *count += 1;
            if heap[child] < heap[pos] {
                heap.swap(child, pos);
                pos = child;
            } else {
                return;
            }
        }
    }
    fn sift_up(heap: &mut [i64], mut pos: usize, count: &mut u64) {
        while pos > 0 {
            let parent = (pos - 1) / 2;
            *count += 1;
            if heap[pos] < heap[parent] {
                heap.swap(pos, parent);
                pos = parent;
            } else {
                return;
            }
        }
    }
    let mut heap = input.to_vec();
    let mut count = 0;
    let mut after = Vec::with_capacity(ops.len() + 1);
    for i in (0..heap.len() / 2).rev() {
        sift_down(&mut heap, i, &mut count);
    }
    after.push(count);
    let pop = |heap: &mut Vec<i64>, count: &mut u64| {
        let last = heap.pop();
        if let (Some(last), false) = (last, heap.is_empty()) {
            heap[0] = last;
            sift_down(heap, 0, count);
        }
    };
    for op in ops {
        match *op {
            Op::Heapify => {}
            Op::Push(x) => {
                heap.push(x);
                let at = heap.len() - 1;
                sift_up(&mut heap, at, &mut count);
            }
            Op::Pop => pop(&mut heap, &mut count),
            Op::PushPop(x) => {
                if !heap.is_empty() {
                    count += 1;
                    if heap[0] < x {
                        heap[0] = x;
                        sift_down(&mut heap, 0, &mut count);
                    }
                }
            }
            Op::Replace(x) => {
                if !heap.is_empty() {
                    heap[0] = x;
                    sift_down(&mut heap, 0, &mut count);
                }
            }
            Op::Sort => {
                while !heap.is_empty() {
                    pop(&mut heap, &mut count);
                }
            }
        }
        after.push(count);
    }
    after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[i64], script: &str) -> HeapRun {
        let ops = parse_ops(script).expect("valid script");
        let mut model = HeapRun::new(input.to_vec(), &ops);
        while model.step().is_some() {}
        model
    }

    #[test]
    fn the_worked_example() {
        // heapify [5,3,8,1,9,2] → [1,3,2,5,9,8]; pop → 1 leaving [2,3,8,5,9];
        // push 0 → [0,3,2,5,9,8] (as CPython's heapq gives).
        assert_eq!(run(&[5, 3, 8, 1, 9, 2], "").heap(), &[1, 3, 2, 5, 9, 8]);
        let popped = run(&[5, 3, 8, 1, 9, 2], "pop");
        assert_eq!(popped.heap(), &[2, 3, 8, 5, 9]);
        assert_eq!(popped.popped(), &[1]);
        assert_eq!(
            run(&[5, 3, 8, 1, 9, 2], "pop,push:0").heap(),
            &[0, 3, 2, 5, 9, 8]
        );
    }

    #[test]
    fn scripts_parse_and_report_their_mistakes() {
        assert_eq!(
            parse_ops("push:5, pop,pushpop:-3,replace:7,sort"),
            Ok(vec![
                Op::Push(5),
                Op::Pop,
                Op::PushPop(-3),
                Op::Replace(7),
                Op::Sort
            ])
        );
        assert_eq!(parse_ops("pop,psh:5").unwrap_err().op, 2);
        assert!(
            parse_ops("push")
                .unwrap_err()
                .message
                .en
                .contains("needs a value")
        );
        assert!(
            parse_ops("push:x")
                .unwrap_err()
                .message
                .en
                .contains("not a whole number")
        );
        assert!(
            parse_ops("pop:3")
                .unwrap_err()
                .message
                .en
                .contains("takes no value")
        );
        let err = check_sizes(1, &parse_ops("pop,replace:3").unwrap_or_default()).unwrap_err();
        assert_eq!(err.op, 2);
    }

    #[test]
    fn pop_of_the_last_item_and_ops_on_a_tiny_heap() {
        let model = run(&[4], "pop,push:2,pushpop:1,pushpop:9,replace:3");
        // pop → 4; push 2; pushpop 1 returns 1 (not above the root);
        // pushpop 9 returns the root 2 and keeps 9; replace 3 returns 9.
        assert_eq!(model.popped(), &[4, 1, 2, 9]);
        assert_eq!(model.heap(), &[3]);
    }

    #[test]
    fn undo_restores_every_state() {
        let ops = parse_ops("push:4,pop,pushpop:7,replace:0,push:-1,sort").unwrap_or_default();
        let mut model = HeapRun::new(vec![9, 4, 7, 1, 8, 2, 6, 3], &ops);
        let mut states = vec![model.clone()];
        let mut undos = Vec::new();
        while let Some(undo) = model.step() {
            undos.push(undo);
            states.push(model.clone());
        }
        states.pop();
        while let Some(undo) = undos.pop() {
            model.undo(undo);
            assert_eq!(Some(&model), states.last());
            states.pop();
        }
    }
}
