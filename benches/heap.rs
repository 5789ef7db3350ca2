//! Speed target of the heap lesson (issue: algorithm lessons): heapify plus
//! popping 100,000 values through the step API, within 10× of the same
//! operations on `std::collections::BinaryHeap`, both in one group.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use learndeck::lesson::Timeline;
use learndeck::lesson::timeline::UndoLog;
use learndeck::lessons::heap::model::{HeapRun, Op};

const N: usize = 100_000;
/// The lesson's own history length.
const UNDO: usize = learndeck::lessons::heap::UNDO_CAPACITY;

fn values() -> Vec<i64> {
    // A fixed LCG: the same shuffled values for both contenders.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..N)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as i64
        })
        .collect()
}

fn heapify_and_pop_all(c: &mut Criterion) {
    let input = values();
    let mut group = c.benchmark_group("heapify_and_pop_100k");
    group.sample_size(20);
    group.bench_function("lesson_step_api_with_undo_log", |b| {
        b.iter_batched(
            || UndoLog::new(HeapRun::new(input.clone(), &[Op::Sort]), UNDO),
            |mut line| {
                while line.step() {}
                black_box(line.model().popped().len())
            },
            BatchSize::LargeInput,
        );
    });
    group.bench_function("std_binary_heap", |b| {
        b.iter_batched(
            || input.iter().map(|&v| Reverse(v)).collect::<Vec<_>>(),
            |values| {
                let mut heap = BinaryHeap::from(values);
                let mut popped = Vec::with_capacity(N);
                while let Some(Reverse(v)) = heap.pop() {
                    popped.push(v);
                }
                black_box(popped.len())
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, heapify_and_pop_all);
criterion_main!(benches);
