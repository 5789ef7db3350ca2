//! The bucket solution against sort-and-scan.

use learndeck::lesson::replay::Tape;
use learndeck::lessons::maxgap::model::{record, sort_and_scan};
use proptest::prelude::*;

fn bucket_answer(values: &[i64]) -> i64 {
    let (mut state, events) = record(values);
    for e in &events {
        state.apply(e);
    }
    state.best
}

proptest! {
    #[test]
    fn buckets_agree_with_sort_and_scan(values in prop::collection::vec(-1_000_000_000i64..=1_000_000_000, 0..300)) {
        prop_assert_eq!(bucket_answer(&values), sort_and_scan(&values));
    }

    #[test]
    fn clustered_values_agree_too(values in prop::collection::vec(-20i64..=20, 0..100)) {
        prop_assert_eq!(bucket_answer(&values), sort_and_scan(&values));
    }

    #[test]
    fn all_equal_values_have_no_gap(x in -1000i64..1000, n in 1usize..50) {
        prop_assert_eq!(bucket_answer(&vec![x; n]), 0);
    }

    #[test]
    fn two_values_gap_by_their_distance(a in -1_000_000i64..1_000_000, b in -1_000_000i64..1_000_000) {
        prop_assert_eq!(bucket_answer(&[a, b]), (a - b).abs());
    }
}

#[test]
fn fewer_than_two_values_give_zero_and_take_no_steps() {
    for values in [vec![], vec![42]] {
        let (_, events) = record(&values);
        assert!(events.is_empty());
        assert_eq!(bucket_answer(&values), 0);
    }
}
