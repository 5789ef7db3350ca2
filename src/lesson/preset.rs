//! Input data by shape, as VisuAlgo offers it: random, sorted, reversed and
//! few-unique lists drawn from a seed, so a lesson can be tried on a new
//! input of a familiar kind without typing one. A lesson adds its own
//! telling case (duplicates, clusters) beside these.

use std::ops::RangeInclusive;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// A familiar shape of input list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Different values in no order.
    Random,
    /// Different values, ascending.
    Sorted,
    /// Different values, descending.
    Reversed,
    /// Values drawn from only [`FEW`] different ones, so most repeat.
    FewUnique,
}

/// How many different values a few-unique list holds.
pub const FEW: usize = 3;

/// `count` values of `shape` within `range`, the same for the same seed.
/// Random, sorted and reversed lists hold different values (as many as the
/// range allows: a range narrower than `count` gives fewer).
pub fn values(shape: Shape, count: usize, range: RangeInclusive<i64>, seed: u64) -> Vec<i64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let (lo, hi) = range.into_inner();
    let width = usize::try_from(hi.saturating_sub(lo)).map_or(usize::MAX, |w| w + 1);
    let distinct = |rng: &mut Xoshiro256PlusPlus, k: usize| -> Vec<i64> {
        // Rejection keeps it plain; callers ask for a handful of values
        // from a range many times wider.
        let mut chosen: Vec<i64> = Vec::new();
        while chosen.len() < k.min(width) {
            let x = rng.random_range(lo..=hi);
            if !chosen.contains(&x) {
                chosen.push(x);
            }
        }
        chosen
    };
    match shape {
        Shape::Random => distinct(&mut rng, count),
        Shape::Sorted => {
            let mut v = distinct(&mut rng, count);
            v.sort_unstable();
            v
        }
        Shape::Reversed => {
            let mut v = distinct(&mut rng, count);
            v.sort_unstable_by(|a, b| b.cmp(a));
            v
        }
        Shape::FewUnique => {
            let pool = distinct(&mut rng, FEW);
            (0..count)
                .map(|_| pool[rng.random_range(0..pool.len())])
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shape_is_what_it_says() {
        for seed in 0..20 {
            let random = values(Shape::Random, 8, 1..=50, seed);
            let mut unique = random.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!((random.len(), unique.len()), (8, 8));
            assert!(random.iter().all(|x| (1..=50).contains(x)));

            let sorted = values(Shape::Sorted, 8, 1..=50, seed);
            assert!(sorted.windows(2).all(|w| w[0] < w[1]));
            let reversed = values(Shape::Reversed, 8, 1..=50, seed);
            assert!(reversed.windows(2).all(|w| w[0] > w[1]));

            let few = values(Shape::FewUnique, 10, 1..=50, seed);
            let mut kinds = few.clone();
            kinds.sort_unstable();
            kinds.dedup();
            assert_eq!(few.len(), 10);
            assert!(kinds.len() <= FEW);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_list_and_a_narrow_range_fewer() {
        assert_eq!(
            values(Shape::Random, 5, 0..=9, 7),
            values(Shape::Random, 5, 0..=9, 7)
        );
        assert_eq!(values(Shape::Sorted, 5, 3..=4, 1), vec![3, 4]);
    }
}
