//! Moving a whole cloud: a span of particles at a time, their scores come
//! from the field in tiles and their noise from the block's normal stream in
//! rounds, then `update` moves each particle. The samplers' update rules stay
//! one line each in their own files; this is the loop they share.

use super::learned::Field;
use super::random::{BlockRandom, for_each_block};

/// Particles handled together: a whole number of the kernel's tiles and of
/// the normal stream's rounds, small enough to stay in the first-level cache.
pub const SPAN: usize = 256;

/// What one particle's move may read besides its position.
#[derive(Clone, Copy, Debug, Default)]
pub struct Draw {
    /// The score at the particle (zero when no field was given).
    pub score: [f64; 2],
    /// A standard normal pair (zero when no noise was asked for).
    pub noise: [f64; 2],
}

/// Moves every particle by `update(x, draw)`; `field` gives the scores and
/// `noisy` asks for a normal pair per particle, both from `seed`.
pub fn move_cloud(
    particles: &mut [[f64; 2]],
    seed: u64,
    field: Option<&Field>,
    noisy: bool,
    update: impl Fn(&mut [f64; 2], Draw) + Sync,
) {
    for_each_block(particles, seed, |block, random| {
        for_each_span(block, random, field, noisy, |span, scores, noise| {
            for ((x, &score), &noise) in span.iter_mut().zip(scores).zip(noise) {
                update(x, Draw { score, noise });
            }
        });
    });
}

/// Calls `visit(span, scores, noise)` for each span of `block`, one score
/// and one normal pair per particle (zeros where not asked for); the shared part of `move_cloud` and of samplers that
/// need more than one pass.
pub fn for_each_span(
    block: &mut [[f64; 2]],
    random: &mut BlockRandom,
    field: Option<&Field>,
    noisy: bool,
    mut visit: impl FnMut(&mut [[f64; 2]], &[[f64; 2]], &[[f64; 2]]),
) {
    let mut scores = [[0.0; 2]; SPAN];
    let mut noise = [[0.0; 2]; SPAN];
    for span in block.chunks_mut(SPAN) {
        let n = span.len();
        if let Some(field) = field {
            field.scores(span, &mut scores[..n]);
        }
        if noisy {
            random.normals.fill(&mut noise[..n]);
        }
        visit(span, &scores[..n], &noise[..n]);
    }
}
