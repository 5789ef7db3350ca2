//! The no-repeat n-gram rule, as Hugging Face's `no_repeat_ngram_size` applies
//! it: a token that would complete an n-gram already present in the sequence
//! (prompt and output alike) gets probability 0.
//!
//! Plain decoding, the drafters and the verifiers all ask the base model
//! through `distribution` and `greedy` here, so the rule is one rule
//! everywhere and greedy Medusa and MTP still write exactly the plain text.

use super::ngram::{NGram, Token};

/// The default n. Any n ≤ 4 forbids a repeated 4-gram; at 4 the order-3
/// model soon runs out of seen contexts at the defaults and drifts into
/// `<unk>`, while 3 keeps it on text it knows (and is what Hugging Face
/// examples commonly use).
pub const DEFAULT_N: usize = 3;
/// The largest n the parameter takes.
pub const MAX_N: usize = 8;

/// The tokens that would complete an n-gram already in `seq` (none when n is
/// 0 or `seq` is shorter than n − 1), sorted, without repeats.
pub fn banned(seq: &[Token], n: usize) -> Vec<Token> {
    if n == 0 || seq.len() + 1 < n {
        return Vec::new();
    }
    let prefix = &seq[seq.len() + 1 - n..];
    let mut out: Vec<Token> = seq
        .windows(n)
        .filter(|w| w[..n - 1] == *prefix)
        .map(|w| w[n - 1])
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// P(· | seq) under the rule, written into `out`: banned tokens get 0 and the
/// rest is renormalised. Should the rule ban every token, the model's own
/// distribution stands (Hugging Face would have nothing left to pick).
pub fn distribution(lm: &NGram, seq: &[Token], n: usize, out: &mut Vec<f64>) {
    lm.next_distribution(seq, out);
    zero_banned(out, &banned(seq, n));
}

/// Sets the `banned` entries of `p` to 0 and renormalises; leaves `p` alone
/// when that would leave nothing.
pub fn zero_banned(p: &mut [f64], banned: &[Token]) {
    if banned.is_empty() {
        return;
    }
    let gone: f64 = banned
        .iter()
        .filter_map(|&t| p.get(t as usize))
        .sum::<f64>();
    let left: f64 = p.iter().sum::<f64>() - gone;
    if left <= 0.0 {
        return;
    }
    for &t in banned {
        if let Some(x) = p.get_mut(t as usize) {
            *x = 0.0;
        }
    }
    let total: f64 = p.iter().sum();
    for x in p.iter_mut() {
        *x /= total;
    }
}

/// The argmax of `distribution` (ties to the lowest id) without filling the
/// dense row.
pub fn greedy(lm: &NGram, seq: &[Token], n: usize) -> Token {
    lm.most_likely_next_avoiding(seq, &banned(seq, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bans_what_completes_an_earlier_ngram() {
        // "a b c a b": the 3-grams starting "a b" are followed by c.
        assert_eq!(banned(&[1, 2, 3, 1, 2], 3), [3]);
        assert_eq!(banned(&[1, 2, 3, 1, 2], 2), [3]);
        assert_eq!(banned(&[1, 2, 3, 1, 2], 4), Vec::<Token>::new());
        assert_eq!(banned(&[1, 2, 3, 1, 2], 0), Vec::<Token>::new());
        // n = 1 bans every token already written.
        assert_eq!(banned(&[3, 1, 3], 1), [1, 3]);
        // Shorter than n − 1: nothing to match.
        assert_eq!(banned(&[1], 3), Vec::<Token>::new());
        // Overlapping matches: "x x x" with n = 2 bans x after x.
        assert_eq!(banned(&[5, 5, 5], 2), [5]);
    }

    /// The sparse choice is the argmax of the dense row with the rule, after
    /// every short history over a small vocabulary, at every n.
    #[test]
    fn greedy_is_the_argmax_of_the_ruled_distribution() {
        use crate::sim::decoding::accept::argmax;
        use crate::sim::decoding::ngram::{Vocab, tokenize};
        let text = "the cat sat . the cat ran . a dog sat on the mat . the dog ran on .";
        let vocab = Vocab::from_words(&tokenize(text));
        let model = NGram::train(&vocab.encode(&tokenize(text)), vocab.len(), 3, 0.001);
        let v = vocab.len() as Token;
        let mut p = Vec::new();
        for n in 0..=4 {
            for a in 0..v {
                for b in 0..v {
                    // A history that repeats itself, so the rule has work.
                    let history = [a, b, a, b, a];
                    distribution(&model, &history, n, &mut p);
                    assert_eq!(
                        greedy(&model, &history, n) as usize,
                        argmax(&p),
                        "{history:?} n={n}"
                    );
                }
            }
        }
    }

    #[test]
    fn zeroing_renormalises_and_never_empties() {
        let mut p = vec![0.5, 0.25, 0.25];
        zero_banned(&mut p, &[0]);
        assert_eq!(p, [0.0, 0.5, 0.5]);
        let mut all = vec![0.5, 0.5];
        zero_banned(&mut all, &[0, 1]);
        assert_eq!(all, [0.5, 0.5]);
    }
}
