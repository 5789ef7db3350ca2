//! Randomness and work-sharing for particle clouds. A cloud is cut into
//! blocks of `BLOCK` particles and each block draws from its own streams,
//! derived from the seed and the block's index alone: a run's numbers do not
//! depend on how many threads stepped it, and replay from a checkpoint draws
//! the same. Large clouds spread their blocks over every core through rayon's
//! pool, which is started once, so a step pays no thread start-up.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::normals::NormalStream;

/// Particles per block: each block's streams are its own.
pub const BLOCK: usize = 2_048;
/// From this many particles the blocks are shared among the cores; below, a
/// step is too short to pay for waking them.
const PARALLEL_FROM: usize = 20_000;

/// A block's random streams: normal pairs many at a time for the samplers'
/// noise, and a scalar generator for anything else (drawing from the target).
pub struct BlockRandom {
    pub normals: NormalStream,
    pub scalar: Xoshiro256PlusPlus,
}

impl BlockRandom {
    fn new(seed: u64, block: usize) -> BlockRandom {
        let block_seed = seed ^ (block as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        BlockRandom {
            normals: NormalStream::new(block_seed),
            scalar: Xoshiro256PlusPlus::seed_from_u64(block_seed ^ SCALAR_STREAM),
        }
    }
}

/// Sets the scalar stream of a block apart from its normal stream.
const SCALAR_STREAM: u64 = 0xD1B5_4A32_D192_ED03;

/// Runs `work(block, random)` on every block of `items` and returns the
/// results in block order (so sums over them are added in one fixed order).
pub fn for_each_block<T: Send, R: Send>(
    items: &mut [T],
    seed: u64,
    work: impl Fn(&mut [T], &mut BlockRandom) -> R + Sync,
) -> Vec<R> {
    let run = |(index, block): (usize, &mut [T])| work(block, &mut BlockRandom::new(seed, index));
    if items.len() >= PARALLEL_FROM {
        items.par_chunks_mut(BLOCK).enumerate().map(run).collect()
    } else {
        items.chunks_mut(BLOCK).enumerate().map(run).collect()
    }
}

/// `for_each_block` over `items` with the matching block of `extra` (the
/// same length), for work that keeps something per particle for later.
pub fn for_each_block_with<T: Send, U: Send, R: Send>(
    items: &mut [T],
    extra: &mut [U],
    seed: u64,
    work: impl Fn(&mut [T], &mut [U], &mut BlockRandom) -> R + Sync,
) -> Vec<R> {
    let run = |(index, (block, kept)): (usize, (&mut [T], &mut [U]))| {
        work(block, kept, &mut BlockRandom::new(seed, index))
    };
    if items.len() >= PARALLEL_FROM {
        items
            .par_chunks_mut(BLOCK)
            .zip(extra.par_chunks_mut(BLOCK))
            .enumerate()
            .map(run)
            .collect()
    } else {
        items
            .chunks_mut(BLOCK)
            .zip(extra.chunks_mut(BLOCK))
            .enumerate()
            .map(run)
            .collect()
    }
}

/// A standard normal pair, one at a time (training batches, target samples).
pub fn normal2(rng: &mut Xoshiro256PlusPlus) -> [f64; 2] {
    [StandardNormal.sample(rng), StandardNormal.sample(rng)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noisy(count: usize) -> Vec<[f64; 2]> {
        let mut points = vec![[0.0; 2]; count];
        for_each_block(&mut points, 5, |block, random| random.normals.fill(block));
        points
    }

    #[test]
    fn one_thread_and_many_give_the_same_numbers() {
        let count = PARALLEL_FROM + 3 * BLOCK + 17;
        let alone = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .map(|pool| pool.install(|| noisy(count)))
            .unwrap_or_else(|e| panic!("a one-thread pool: {e}"));
        let shared = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .map(|pool| pool.install(|| noisy(count)))
            .unwrap_or_else(|e| panic!("a three-thread pool: {e}"));
        assert_eq!(alone, shared);
    }

    #[test]
    fn a_cloud_below_the_threshold_draws_what_its_blocks_would_alone() {
        let points = noisy(3 * BLOCK + 5);
        for (index, block) in points.chunks(BLOCK).enumerate() {
            let mut expected = vec![[0.0; 2]; block.len()];
            BlockRandom::new(5, index).normals.fill(&mut expected);
            assert_eq!(block, &expected[..]);
        }
        assert_ne!(points[0], points[BLOCK], "blocks draw different numbers");
    }
}
