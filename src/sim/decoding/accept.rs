//! Deciding how much of a draft the base model accepts, in one pass.
//!
//! Medusa verifies a tree: every node carries a candidate token and the base
//! model's next-token distribution after it. Greedy acceptance keeps a
//! candidate while it equals the base argmax at its parent; typical acceptance
//! (temperature > 0) keeps it while its probability clears an entropy-scaled
//! threshold. MTP verifies a chain by speculative sampling, which keeps the
//! output distributed exactly as the base model's.

use rand::RngExt;

use super::ngram::Token;
use super::tree::PAD;

/// Medusa's floor inside the entropy's logarithm, so that p = 0 terms vanish.
const ENTROPY_FLOOR: f64 = 1e-5;
/// Default hard probability threshold of typical acceptance.
pub const POSTERIOR_THRESHOLD: f64 = 0.09;
/// Default entropy scale of typical acceptance.
pub const POSTERIOR_ALPHA: f64 = 0.3;

/// The outcome of verifying a tree: the row (retrieve index) kept and how
/// many candidates below the root it accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub row: usize,
    pub accepted: usize,
}

/// Index of the largest probability; the first one on ties, as `argmax` does.
pub fn argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (at, &x) in p.iter().enumerate() {
        if x > p[best] {
            best = at;
        }
    }
    best
}

/// `p` at temperature `t`: p^(1/t), normalised (softmax of logits / t).
pub fn with_temperature(p: &[f64], t: f64) -> Vec<f64> {
    let logs: Vec<f64> = p.iter().map(|&x| x.ln() / t).collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let scaled: Vec<f64> = logs.iter().map(|&l| (l - top).exp()).collect();
    let total: f64 = scaled.iter().sum();
    scaled.iter().map(|&x| x / total).collect()
}

/// −Σ p·ln(p + 1e−5), Medusa's entropy.
pub fn entropy(p: &[f64]) -> f64 {
    -p.iter().map(|&x| x * (x + ENTROPY_FLOOR).ln()).sum::<f64>()
}

/// Typical acceptance's bar under a (tempered) distribution `p`:
/// min(threshold, alpha·exp(−H(p))).
pub fn bar(p: &[f64], threshold: f64, alpha: f64) -> f64 {
    threshold.min(alpha * (-entropy(p)).exp())
}

/// Walks each retrieve row from the root, calling `accept(parent, node)`
/// while it says yes; returns, per row, the accepted count.
fn accepted_per_row(
    retrieve: &[Vec<i64>],
    mut accept: impl FnMut(usize, usize) -> bool,
) -> Vec<usize> {
    retrieve
        .iter()
        .map(|row| {
            let mut count = 0;
            for pair in row.windows(2) {
                if pair[1] == PAD || !accept(pair[0] as usize, pair[1] as usize) {
                    break;
                }
                count += 1;
            }
            count
        })
        .collect()
}

/// Greedy verification. `tokens[n]` is node n's candidate and `best[n]` the
/// base model's most likely token after it (the argmax of its distribution).
/// The best row is the first with the longest accepted prefix (row 0 when
/// nothing is accepted).
pub fn greedy(retrieve: &[Vec<i64>], tokens: &[Token], best: &[Token]) -> Verdict {
    let counts = accepted_per_row(retrieve, |parent, node| tokens[node] == best[parent]);
    let longest = counts.iter().copied().max().unwrap_or(0);
    let row = counts
        .iter()
        .position(|&c| c == longest)
        .filter(|_| longest > 0);
    Verdict {
        row: row.unwrap_or(0),
        accepted: longest,
    }
}

/// Typical acceptance at temperature `t`: a candidate x passes when
/// p(x) > min(threshold, alpha·exp(−H)) under its parent's distribution at
/// temperature `t`. Among rows tied at the longest length, the one whose
/// accepted tokens have the largest Σ ln p wins (the first on ties).
pub fn typical(
    retrieve: &[Vec<i64>],
    tokens: &[Token],
    dists: &[Vec<f64>],
    t: f64,
    threshold: f64,
    alpha: f64,
) -> Verdict {
    let tempered: Vec<Vec<f64>> = dists.iter().map(|p| with_temperature(p, t)).collect();
    let bars: Vec<f64> = tempered.iter().map(|p| bar(p, threshold, alpha)).collect();
    let counts = accepted_per_row(retrieve, |parent, node| {
        tempered[parent][tokens[node] as usize] > bars[parent]
    });
    let longest = counts.iter().copied().max().unwrap_or(0);
    if longest == 0 {
        return Verdict {
            row: 0,
            accepted: 0,
        };
    }
    let likelihood = |row: &Vec<i64>| -> f64 {
        row.windows(2)
            .take(longest)
            .map(|pair| tempered[pair[0] as usize][tokens[pair[1] as usize] as usize].ln())
            .sum()
    };
    let mut best: Option<(usize, f64)> = None;
    for (at, row) in retrieve.iter().enumerate() {
        if counts[at] != longest {
            continue;
        }
        let score = likelihood(row);
        if best.is_none_or(|(_, top)| score > top) {
            best = Some((at, score));
        }
    }
    Verdict {
        row: best.map_or(0, |(at, _)| at),
        accepted: longest,
    }
}

/// One drafted token judged by speculative sampling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Judged {
    /// Kept: the draft stands and the next draft is judged.
    Accepted,
    /// Rejected and replaced by this token, drawn from normalise(max(0, p − q)); drafting stops.
    Replaced(usize),
}

/// Judges draft `x` drawn from `q` against the base distribution `p`: kept
/// with probability min(1, p(x)/q(x)); otherwise replaced by a draw from the
/// leftover mass normalise(max(0, p − q)). The token emitted is then
/// distributed exactly as `p`.
pub fn speculative(p: &[f64], q: &[f64], x: usize, rng: &mut impl RngExt) -> Judged {
    let keep = if q[x] > 0.0 {
        (p[x] / q[x]).min(1.0)
    } else {
        0.0
    };
    if rng.random::<f64>() < keep {
        return Judged::Accepted;
    }
    let leftover: Vec<f64> = p.iter().zip(q).map(|(&a, &b)| (a - b).max(0.0)).collect();
    Judged::Replaced(sample(&leftover, rng))
}

/// A draw from unnormalised non-negative weights; the last index with weight
/// when rounding leaves the walk short.
pub fn sample(weights: &[f64], rng: &mut impl RngExt) -> usize {
    let total: f64 = weights.iter().sum();
    let mut left = rng.random::<f64>() * total;
    let mut last = 0;
    for (at, &w) in weights.iter().enumerate() {
        if w <= 0.0 {
            continue;
        }
        last = at;
        if left < w {
            return at;
        }
        left -= w;
    }
    last
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    use super::*;
    use crate::sim::decoding::tree::{TreeBuffers, parse_paths};

    /// The worked example's tree, with a 4-token vocabulary.
    fn example() -> TreeBuffers {
        TreeBuffers::new(&parse_paths("0;1;0,0;0,1").expect("parses")).expect("valid")
    }

    /// Typical acceptance at temperature 1 with Medusa's defaults.
    fn typical_at_one(tree: &TreeBuffers, tokens: &[Token], dists: &[Vec<f64>]) -> Verdict {
        typical(
            &tree.retrieve,
            tokens,
            dists,
            1.0,
            POSTERIOR_THRESHOLD,
            POSTERIOR_ALPHA,
        )
    }

    fn argmaxes(dists: &[Vec<f64>]) -> Vec<Token> {
        dists.iter().map(|p| argmax(p) as Token).collect()
    }

    fn one_hot(at: usize) -> Vec<f64> {
        let mut p = vec![0.01; 4];
        p[at] = 0.97;
        p
    }

    #[test]
    fn greedy_takes_the_first_longest_row() {
        let tree = example();
        // Node 0 root; 1 = [0], 2 = [1], 3 = [0,0], 4 = [0,1].
        let tokens = [1, 2, 3, 1, 1];
        // The base wants 2 after the root and 1 after node 1: rows [0,1,4] and
        // [0,1,3] both accept two tokens; the first of them wins.
        let dists = vec![one_hot(2), one_hot(1), one_hot(0), one_hot(0), one_hot(0)];
        assert_eq!(
            greedy(&tree.retrieve, &tokens, &argmaxes(&dists)),
            Verdict {
                row: 0,
                accepted: 2
            }
        );
        // Nothing matches the root's argmax: row 0, nothing accepted.
        let dists = vec![one_hot(0); 5];
        let tokens = [0, 3, 3, 3, 3];
        assert_eq!(
            greedy(&tree.retrieve, &tokens, &argmaxes(&dists)),
            Verdict {
                row: 0,
                accepted: 0
            }
        );
        // Only node 2 (rank 1) matches: row 2 with one token.
        let dists = vec![one_hot(3), one_hot(0), one_hot(0), one_hot(0), one_hot(0)];
        let tokens = [0, 1, 3, 2, 2];
        assert_eq!(
            greedy(&tree.retrieve, &tokens, &argmaxes(&dists)),
            Verdict {
                row: 2,
                accepted: 1
            }
        );
    }

    #[test]
    fn argmax_breaks_ties_to_the_first() {
        assert_eq!(argmax(&[0.2, 0.4, 0.4]), 1);
    }

    #[test]
    fn temperature_one_is_the_identity_and_low_temperature_sharpens() {
        let p = [0.5, 0.3, 0.2];
        for (a, b) in with_temperature(&p, 1.0).iter().zip(p) {
            assert!((a - b).abs() < 1e-12);
        }
        let cold = with_temperature(&p, 0.1);
        assert!(cold[0] > 0.99);
    }

    #[test]
    fn typical_acceptance_uses_the_entropy_scaled_threshold() {
        let tree = example();
        // A flat parent (H = ln 4 ≈ 1.386): bar = min(0.09, 0.3·e^−1.386 ≈ 0.075).
        let flat = vec![0.25; 4];
        // By hand: H = −ln(0.25 + 1e−5) ≈ 1.38625, so alpha·e^−H ≈ 0.3 × 0.25001.
        assert!((entropy(&flat) - 1.386_254).abs() < 1e-6);
        let bar: f64 = POSTERIOR_THRESHOLD.min(POSTERIOR_ALPHA * (-entropy(&flat)).exp());
        assert!((bar - 0.075_003).abs() < 1e-6);
        // Every token has 0.25 > bar: all rows accept fully; the tie on length
        // goes to the largest likelihood, all equal here, so the first row.
        let dists = vec![flat.clone(); 5];
        let tokens = [0, 1, 2, 3, 0];
        let verdict = typical_at_one(&tree, &tokens, &dists);
        assert_eq!(
            verdict,
            Verdict {
                row: 0,
                accepted: 2
            }
        );
        // Make node 3's token likelier than node 4's under node 1: row 1 wins the tie.
        let mut dists = dists;
        dists[1] = vec![0.1, 0.2, 0.3, 0.4];
        let tokens = [0, 1, 2, 3, 2];
        let verdict = typical_at_one(&tree, &tokens, &dists);
        assert_eq!(
            verdict,
            Verdict {
                row: 1,
                accepted: 2
            }
        );
    }

    #[test]
    fn typical_rejects_below_the_hard_threshold() {
        let tree = example();
        // A peaked root: H small, so alpha·e^−H ≈ 0.3 and the bar is 0.09.
        let peaked = vec![0.9, 0.08, 0.01, 0.01];
        let dists = vec![peaked; 5];
        // Nodes 1 and 2 carry tokens 1 (0.08 < 0.09) and 2: nothing passes.
        let tokens = [0, 1, 2, 0, 0];
        let verdict = typical_at_one(&tree, &tokens, &dists);
        assert_eq!(
            verdict,
            Verdict {
                row: 0,
                accepted: 0
            }
        );
    }

    /// Pearson's chi-square statistic of `counts` against probabilities `p`.
    fn chi_square(counts: &[u64], p: &[f64]) -> f64 {
        let n: u64 = counts.iter().sum();
        counts
            .iter()
            .zip(p)
            .map(|(&c, &pi)| {
                let expected = n as f64 * pi;
                (c as f64 - expected).powi(2) / expected
            })
            .sum()
    }

    #[test]
    fn speculative_sampling_emits_the_base_distribution() {
        // A drafter that disagrees with the base model on purpose.
        let p = [0.5, 0.25, 0.15, 0.1];
        let q = [0.1, 0.2, 0.3, 0.4];
        const DRAWS: usize = 200_000;
        // 99.9th percentile of chi-square with 3 degrees of freedom.
        const CRITICAL: f64 = 16.27;
        let mut counts = [0u64; 4];
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for _ in 0..DRAWS {
            let x = sample(&q, &mut rng);
            let emitted = match speculative(&p, &q, x, &mut rng) {
                Judged::Accepted => x,
                Judged::Replaced(y) => y,
            };
            counts[emitted] += 1;
        }
        let stat = chi_square(&counts, &p);
        assert!(stat < CRITICAL, "chi-square {stat} for {counts:?}");
        // And the drafter's own distribution is clearly rejected by the same test.
        assert!(chi_square(&counts, &q) > 1_000.0);
    }

    #[test]
    fn a_draft_the_base_likes_more_is_always_kept() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let p = [0.7, 0.3];
        let q = [0.5, 0.5];
        for _ in 0..1_000 {
            assert_eq!(speculative(&p, &q, 0, &mut rng), Judged::Accepted);
        }
    }
}
