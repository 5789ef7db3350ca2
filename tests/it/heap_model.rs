//! The stepped heap against a plain port of CPython's heapq, and its invariants.

use learndeck::lesson::timeline::Undoable;
use learndeck::lessons::heap::model::{Event, HeapRun, Op, naive_comparisons};
use proptest::prelude::*;

/// CPython's `heapq`, written straight from `Lib/heapq.py` without stepping.
mod reference {
    pub fn siftdown(heap: &mut [i64], start: usize, mut pos: usize) {
        let item = heap[pos];
        while pos > start {
            let parent = (pos - 1) >> 1;
            if item < heap[parent] {
                heap[pos] = heap[parent];
                pos = parent;
                continue;
            }
            break;
        }
        heap[pos] = item;
    }

    // `not a < b`, as Lib/heapq.py writes it: the only comparison heapq uses is `<`.
    #[allow(clippy::nonminimal_bool)]
    pub fn siftup(heap: &mut [i64], mut pos: usize) {
        let end = heap.len();
        let start = pos;
        let item = heap[pos];
        let mut child = 2 * pos + 1;
        while child < end {
            let right = child + 1;
            if right < end && !(heap[child] < heap[right]) {
                child = right;
            }
            heap[pos] = heap[child];
            pos = child;
            child = 2 * pos + 1;
        }
        heap[pos] = item;
        siftdown(heap, start, pos);
    }

    pub fn heapify(heap: &mut [i64]) {
        for i in (0..heap.len() / 2).rev() {
            siftup(heap, i);
        }
    }

    pub fn push(heap: &mut Vec<i64>, x: i64) {
        heap.push(x);
        let at = heap.len() - 1;
        siftdown(heap, 0, at);
    }

    pub fn pop(heap: &mut Vec<i64>) -> Option<i64> {
        let last = heap.pop()?;
        if heap.is_empty() {
            return Some(last);
        }
        let root = heap[0];
        heap[0] = last;
        siftup(heap, 0);
        Some(root)
    }

    pub fn pushpop(heap: &mut [i64], x: i64) -> i64 {
        if !heap.is_empty() && heap[0] < x {
            let root = heap[0];
            heap[0] = x;
            siftup(heap, 0);
            return root;
        }
        x
    }

    pub fn replace(heap: &mut [i64], x: i64) -> i64 {
        let root = heap[0];
        heap[0] = x;
        siftup(heap, 0);
        root
    }
}

/// The heap after each operation and the values returned, by the reference.
fn reference_run(input: &[i64], ops: &[Op]) -> (Vec<Vec<i64>>, Vec<i64>) {
    let mut heap = input.to_vec();
    reference::heapify(&mut heap);
    let mut states = vec![heap.clone()];
    let mut returned = Vec::new();
    for op in ops {
        match *op {
            Op::Heapify => {}
            Op::Push(x) => reference::push(&mut heap, x),
            Op::Pop => returned.extend(reference::pop(&mut heap)),
            Op::PushPop(x) => returned.push(reference::pushpop(&mut heap, x)),
            Op::Replace(x) => returned.push(reference::replace(&mut heap, x)),
            Op::Sort => {
                while let Some(v) = reference::pop(&mut heap) {
                    returned.push(v);
                }
            }
        }
        states.push(heap.clone());
    }
    (states, returned)
}

fn is_heap(heap: &[i64]) -> bool {
    (1..heap.len()).all(|c| heap[(c - 1) / 2] <= heap[c])
}

/// A random script that never pops or replaces on an empty heap.
fn script(start_len: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec((0u8..5, -50i64..50), 0..25).prop_map(move |raw| {
        let mut len = start_len;
        let mut ops = Vec::new();
        for (kind, x) in raw {
            let op = match kind {
                0 => Op::Push(x),
                1 if len > 0 => Op::Pop,
                2 => Op::PushPop(x),
                3 if len > 0 => Op::Replace(x),
                4 if ops.len() % 7 == 6 => Op::Sort,
                _ => Op::Push(x),
            };
            len = match op {
                Op::Push(_) => len + 1,
                Op::Pop => len - 1,
                Op::Sort => 0,
                _ => len,
            };
            ops.push(op);
        }
        ops
    })
}

fn input() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(-50i64..50, 0..40)
}

proptest! {
    #[test]
    fn every_operation_ends_where_cpython_ends(
        (input, ops) in input().prop_flat_map(|input| { let n = input.len(); (Just(input), script(n)) })
    ) {
        let (states, returned) = reference_run(&input, &ops);
        let mut model = HeapRun::new(input.clone(), &ops);
        let mut done = 0;
        while model.step().is_some() {
            if let Some(Event::Done { .. }) = model.last() {
                let finished_op = model.op_index();
                // A heap sort reports a done per pop; compare once it is over.
                if finished_op > done {
                    done = finished_op;
                    prop_assert_eq!(model.heap(), states[done - 1].as_slice(), "after op {}", done);
                    prop_assert!(is_heap(model.heap()));
                }
            }
        }
        prop_assert_eq!(model.popped(), returned.as_slice());
    }

    #[test]
    fn between_events_only_the_hole_breaks_heap_order(
        (input, ops) in input().prop_flat_map(|input| { let n = input.len(); (Just(input), script(n)) })
    ) {
        let mut model = HeapRun::new(input, &ops);
        while model.step().is_some() {
            // Heapify works on subtrees not yet in order; check once it is done.
            if model.op_index() == 0 {
                continue;
            }
            let hole = model.held().map(|(_, at)| at);
            let heap = model.heap();
            for c in 1..heap.len() {
                let p = (c - 1) / 2;
                if Some(c) != hole && Some(p) != hole {
                    prop_assert!(heap[p] <= heap[c], "{:?} at {}, hole {:?}", heap, c, hole);
                }
            }
        }
    }

    #[test]
    fn sort_pops_in_ascending_order(input in prop::collection::vec(-1000i64..1000, 0..120)) {
        let mut model = HeapRun::new(input.clone(), &[Op::Sort]);
        while model.step().is_some() {}
        let mut sorted = input;
        sorted.sort_unstable();
        prop_assert_eq!(model.popped(), sorted.as_slice());
        prop_assert!(model.heap().is_empty());
    }
}

#[test]
fn bottom_up_saves_comparisons_when_popping_random_data() {
    // Heap sort of shuffled data: the moved-up last item sinks back to the
    // bottom, which is where _siftup's one-comparison-per-level descent wins.
    let mut state = 12345u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as i64 % 10_000
    };
    for n in [64, 500, 3000] {
        let input: Vec<i64> = (0..n).map(|_| next()).collect();
        let mut model = HeapRun::new(input.clone(), &[Op::Sort]);
        while model.step().is_some() {}
        let naive = naive_comparisons(&input, &[Op::Sort]);
        let naive_sort = naive[1] - naive[0];
        let mut heapify_only = HeapRun::new(input.clone(), &[]);
        while heapify_only.step().is_some() {}
        let bottom_up_sort = model.comparisons() - heapify_only.comparisons();
        assert!(
            bottom_up_sort < naive_sort,
            "n = {n}: bottom-up {bottom_up_sort} vs naive {naive_sort}"
        );
    }
}

#[test]
fn on_sorted_input_heapify_the_textbook_sift_is_cheaper() {
    // The other side of the trade: items that belong at the top walk to a
    // leaf and all the way back. This is why the lesson shows both counts
    // rather than claiming bottom-up always wins.
    let input: Vec<i64> = (0..63).collect();
    let mut model = HeapRun::new(input.clone(), &[]);
    while model.step().is_some() {}
    let naive = naive_comparisons(&input, &[]);
    assert!(
        model.comparisons() > naive[0],
        "{} vs {}",
        model.comparisons(),
        naive[0]
    );
}
