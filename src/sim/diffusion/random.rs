//! Randomness for particle clouds: standard normal pairs, and work split
//! over threads with one reproducible generator per chunk.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

/// Below this many particles one thread does the work; above, both cores.
const PARALLEL_FROM: usize = 4_096;

/// Runs `work(chunk, rng)` over `items` (particles, or per-particle work)
/// split between two threads when there are enough of them to pay for it.
/// Each chunk has its own random generator, derived from `seed` and the chunk
/// index, so the result does not depend on thread timing; slices of equal
/// length are cut into the same chunks with the same generators.
pub fn for_each_chunk<T: Send>(
    items: &mut [T],
    seed: u64,
    work: impl Fn(&mut [T], &mut Xoshiro256PlusPlus) + Sync,
) {
    let chunks = if items.len() >= PARALLEL_FROM { 2 } else { 1 };
    let size = items.len().div_ceil(chunks).max(1);
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for (k, chunk) in items.chunks_mut(size).enumerate() {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                seed ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let work = &work;
            if chunks == 1 {
                work(chunk, &mut rng);
            } else {
                handles.push(scope.spawn(move || work(chunk, &mut rng)));
            }
        }
        for handle in handles {
            // A panic in a worker is a bug; re-raise it on this thread.
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// A standard normal pair.
pub fn normal2(rng: &mut Xoshiro256PlusPlus) -> [f64; 2] {
    [StandardNormal.sample(rng), StandardNormal.sample(rng)]
}
