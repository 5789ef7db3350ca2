//! The linear sorts against the standard sort, stability, and pass counts.

use learndeck::lesson::replay::Tape;
use learndeck::lessons::sorts::model::{Algo, Item, SortState, radix_passes, record, sorted};
use proptest::prelude::*;

fn run(data: &[i64], algo: Algo) -> (SortState, usize) {
    let (mut state, events) = record(data, algo);
    for event in &events {
        state.apply(event);
    }
    (state, events.len())
}

fn algos() -> impl Strategy<Value = Algo> {
    prop_oneof![
        Just(Algo::Counting),
        (2u32..=16).prop_map(|base| Algo::Radix { base }),
        (1usize..=20).prop_map(|buckets| Algo::Bucket { buckets }),
    ]
}

proptest! {
    #[test]
    fn every_algorithm_agrees_with_the_standard_sort(
        data in prop::collection::vec(-9999i64..=9999, 1..200),
        algo in algos(),
    ) {
        let mut expected = data.clone();
        expected.sort();
        prop_assert_eq!(sorted(&run(&data, algo).0), expected);
    }

    #[test]
    fn equal_keys_keep_their_input_order(
        // Few distinct keys, so there are many ties to keep in order.
        data in prop::collection::vec(-3i64..=3, 1..100),
        algo in algos(),
    ) {
        let (state, _) = run(&data, algo);
        let items: Vec<Item> = state.src.iter().flatten().copied().collect();
        prop_assert_eq!(items.len(), data.len());
        for pair in items.windows(2) {
            if pair[0].key == pair[1].key {
                prop_assert!(pair[0].id < pair[1].id, "{:?} before {:?}", pair[0], pair[1]);
            }
            // Each item is the input value at its id: nothing was invented or lost.
            prop_assert_eq!(data[pair[0].id], pair[0].key);
        }
    }

    #[test]
    fn reverting_every_event_gives_back_the_input(
        data in prop::collection::vec(-500i64..=500, 1..60),
        algo in algos(),
    ) {
        let (initial, events) = record(&data, algo);
        let mut state = initial.clone();
        for e in &events {
            state.apply(e);
        }
        for e in events.iter().rev() {
            state.revert(e);
        }
        prop_assert_eq!(state, initial);
    }
}

#[test]
fn radix_makes_one_pass_per_base_digit_of_the_span() {
    // Span 802 − (−90) = 892: three decimal digits, ten binary digits.
    let data = [170, 45, 75, -90, 802, 24, 2, 66, 45];
    assert_eq!(radix_passes(892, 10), 3);
    assert_eq!(radix_passes(892, 2), 10);
    let (state, _) = run(&data, Algo::Radix { base: 10 });
    assert_eq!(state.pass, 2, "passes 0, 1 and 2");
    // No negatives: the digits are the values' own, so 7 takes three binary passes
    // even though every value is the same; all zeros still take one.
    let (state, _) = run(&[7, 7, 7], Algo::Radix { base: 2 });
    assert_eq!(state.pass, 2);
    let (state, _) = run(&[0, 0, 0], Algo::Radix { base: 2 });
    assert_eq!(state.pass, 0);
}

#[test]
fn counting_sort_work_grows_with_the_range_not_just_n() {
    // The same five values, then one far away: k jumps from 5 to 9001.
    let (_, near) = run(&[1, 2, 3, 4, 5], Algo::Counting);
    let (_, far) = run(&[1, 2, 3, 4, 9001], Algo::Counting);
    assert!(far > near + 8_000, "{near} vs {far} steps");
}
