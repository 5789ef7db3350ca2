//! Data presets for lessons that take a list, as VisuAlgo offers them:
//! random, sorted, reversed, and few unique values. They are drawn from the
//! run's seed, so a preset is reproducible and `R` (a new seed) draws again.

use std::ops::RangeInclusive;

use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// How a preset list is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Random,
    /// Random values, ascending.
    Sorted,
    /// Random values, descending.
    Reversed,
    /// Random draws from only [`FEW_DISTINCT`] values: many ties.
    FewUnique,
}

/// Distinct values a few-unique list draws from.
pub const FEW_DISTINCT: usize = 3;

/// `len` values from `range`, laid out as `shape`, drawn from `seed`.
pub fn generate(shape: Shape, len: usize, range: RangeInclusive<i64>, seed: u64) -> Vec<i64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut draw = |range: RangeInclusive<i64>| rng.random_range(range);
    match shape {
        Shape::FewUnique => {
            let pool: Vec<i64> = (0..FEW_DISTINCT).map(|_| draw(range.clone())).collect();
            (0..len)
                .map(|_| {
                    let last = i64::try_from(pool.len() - 1).unwrap_or(0);
                    let at = usize::try_from(draw(0..=last)).unwrap_or(0);
                    pool.get(at).copied().unwrap_or(0)
                })
                .collect()
        }
        _ => {
            let mut values: Vec<i64> = (0..len).map(|_| draw(range.clone())).collect();
            match shape {
                Shape::Sorted => values.sort_unstable(),
                Shape::Reversed => values.sort_unstable_by(|a, b| b.cmp(a)),
                _ => {}
            }
            values
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shape_has_its_order_and_stays_in_range() {
        let range = -20..=20;
        for seed in 0..20 {
            let sorted = generate(Shape::Sorted, 30, range.clone(), seed);
            assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
            let reversed = generate(Shape::Reversed, 30, range.clone(), seed);
            assert!(reversed.windows(2).all(|w| w[0] >= w[1]));
            let mut few = generate(Shape::FewUnique, 30, range.clone(), seed);
            assert_eq!(few.len(), 30);
            few.sort_unstable();
            few.dedup();
            assert!(few.len() <= FEW_DISTINCT);
            let random = generate(Shape::Random, 30, range.clone(), seed);
            assert!(random.iter().all(|x| range.contains(x)));
            assert_eq!(random, generate(Shape::Random, 30, range.clone(), seed));
        }
    }
}
