//! Backtracking against brute-force enumeration.

use std::collections::BTreeSet;

use learndeck::lesson::replay::Tape;
use learndeck::lessons::combsum::model::{SearchState, Variant, record};
use proptest::prelude::*;

fn search(candidates: &[i64], target: i64, variant: Variant, prune: bool) -> SearchState {
    let (mut state, events) =
        record(candidates, target, variant, prune, 2_000_000).expect("small search records");
    for e in &events {
        state.apply(e);
    }
    state
}

/// Every multiset of the (distinct) candidates adding up to `target`.
fn brute_reuse(candidates: &[i64], target: i64) -> BTreeSet<Vec<i64>> {
    fn go(c: &[i64], target: i64, chosen: &mut Vec<i64>, out: &mut BTreeSet<Vec<i64>>) {
        let Some((&first, rest)) = c.split_first() else {
            if target == 0 {
                let mut combo = chosen.clone();
                combo.sort_unstable();
                out.insert(combo);
            }
            return;
        };
        let mut copies = 0;
        loop {
            go(rest, target - copies * first, chosen, out);
            copies += 1;
            if copies * first > target {
                break;
            }
            chosen.push(first);
        }
        for _ in 1..copies {
            chosen.pop();
        }
    }
    let mut out = BTreeSet::new();
    go(candidates, target, &mut Vec::new(), &mut out);
    out
}

/// Every subset of positions adding up to `target`, as sorted value lists.
fn brute_once(candidates: &[i64], target: i64) -> BTreeSet<Vec<i64>> {
    let mut out = BTreeSet::new();
    for mask in 0u32..(1 << candidates.len()) {
        let mut combo: Vec<i64> = (0..candidates.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| candidates[i])
            .collect();
        if combo.iter().sum::<i64>() == target {
            combo.sort_unstable();
            out.insert(combo);
        }
    }
    out
}

fn as_set(found: &[Vec<i64>]) -> BTreeSet<Vec<i64>> {
    found.iter().cloned().collect()
}

proptest! {
    #[test]
    fn reuse_finds_exactly_the_brute_force_set(
        candidates in prop::collection::btree_set(1i64..12, 1..5),
        target in 1i64..25,
        prune in any::<bool>(),
    ) {
        let candidates: Vec<i64> = candidates.into_iter().collect();
        let state = search(&candidates, target, Variant::Reuse, prune);
        prop_assert_eq!(as_set(&state.found), brute_reuse(&candidates, target));
        prop_assert_eq!(as_set(&state.found).len(), state.found.len(), "no duplicates");
        for combo in &state.found {
            prop_assert!(combo.windows(2).all(|w| w[0] <= w[1]), "ascending: {:?}", combo);
        }
    }

    #[test]
    fn once_finds_each_combination_once(
        candidates in prop::collection::vec(1i64..8, 1..11),
        target in 1i64..20,
        prune in any::<bool>(),
    ) {
        let state = search(&candidates, target, Variant::Once, prune);
        prop_assert_eq!(as_set(&state.found), brute_once(&candidates, target));
        prop_assert_eq!(as_set(&state.found).len(), state.found.len(), "no duplicates");
    }

    #[test]
    fn pruning_changes_the_work_not_the_answer(
        candidates in prop::collection::btree_set(1i64..10, 1..5),
        target in 1i64..20,
    ) {
        let candidates: Vec<i64> = candidates.into_iter().collect();
        let on = search(&candidates, target, Variant::Reuse, true);
        let off = search(&candidates, target, Variant::Reuse, false);
        prop_assert_eq!(&on.found, &off.found, "same combinations, same order");
        prop_assert!(on.visited <= off.visited);
        prop_assert_eq!(off.pruned, 0);
    }
}

#[test]
fn pruning_saves_nodes_on_the_default_example() {
    let on = search(&[2, 3, 6, 7], 7, Variant::Reuse, true);
    let off = search(&[2, 3, 6, 7], 7, Variant::Reuse, false);
    assert!(
        on.visited < off.visited,
        "{} vs {}",
        on.visited,
        off.visited
    );
}
