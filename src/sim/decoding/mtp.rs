//! Multi-token prediction used as a drafter, one verification pass per step.
//!
//! ```text
//! draft     module k drafts the token k + 1 after the root, seeing the
//!           drafts before it (the causal chain Medusa's heads lack)
//! verify    the base distribution after the root and after each draft (one pass)
//! accept    greedy: while draft = base argmax; sampling: keep x with
//!           probability min(1, p(x)/q(x)), else emit a draw from
//!           normalise(max(0, p − q)) and stop
//! update    text += root + kept drafts; next root = the replacement, or the
//!           base choice after the last draft when all were kept
//! ```
//!
//! A trained module is simulated as the base model's next-token distribution
//! given the context extended by the earlier drafts, blended with seeded
//! noise by `quality`.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

use super::accept::{self, Judged};
use super::blend_with_noise;
use super::ngram::{NGram, Token};
use super::norepeat;
use crate::lesson::timeline::Replayable;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Sequential modules, 1 to 4.
    pub depth: usize,
    pub quality: f64,
    /// 0 is greedy drafting and verification; above 0, speculative sampling.
    pub temperature: f64,
    pub length: usize,
    /// n of the no-repeat rule (0 = off), in drafting and verification alike.
    pub no_repeat: usize,
}

/// What one pass did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pass {
    pub root: Token,
    pub drafts: Vec<Token>,
    /// Drafts kept, from the first.
    pub accepted: usize,
    pub emitted: Vec<Token>,
    /// The base model's choice after the root and after each draft (its
    /// argmax under the rule): what greedy verification compares with.
    pub base: Vec<Token>,
}

#[derive(Clone, Debug)]
pub struct Mtp {
    lm: Arc<NGram>,
    settings: Settings,
    pub history: Vec<Token>,
    pub prompt_len: usize,
    root: Token,
    pub passes: u64,
    /// Per drafted position k: passes that drafted it, and passes that kept it.
    pub drafted: Vec<u64>,
    pub kept: Vec<u64>,
    pub pass_of: Vec<u64>,
    pub last: Pass,
    rng: Xoshiro256PlusPlus,
}

impl Mtp {
    /// Starts after the prefill pass over `prompt`, which picks the first root.
    pub fn new(lm: Arc<NGram>, settings: Settings, prompt: &[Token], seed: u64) -> Mtp {
        let depth = settings.depth;
        let mut model = Mtp {
            lm,
            settings,
            history: prompt.to_vec(),
            prompt_len: prompt.len(),
            root: 0,
            passes: 0,
            drafted: vec![0; depth],
            kept: vec![0; depth],
            pass_of: Vec::new(),
            last: Pass::default(),
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        };
        let p = model.base_after(&[]);
        model.root = model.choose(&p);
        model
    }

    pub fn generated(&self) -> &[Token] {
        &self.history[self.prompt_len..]
    }

    pub fn is_finished(&self) -> bool {
        self.generated().len() >= self.settings.length
    }

    pub fn tokens_per_pass(&self) -> f64 {
        super::tokens_per_pass(self.generated().len(), self.passes)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn lm(&self) -> &Arc<NGram> {
        &self.lm
    }

    pub fn prompt(&self) -> &[Token] {
        &self.history[..self.prompt_len]
    }

    /// The base distribution after the text plus `extra`, under the
    /// no-repeat rule, at the temperature decoding uses (unchanged when greedy).
    fn base_after(&self, extra: &[Token]) -> Vec<f64> {
        let context = self.context(extra);
        let mut p = Vec::new();
        norepeat::distribution(&self.lm, &context, self.settings.no_repeat, &mut p);
        if self.settings.temperature > 0.0 {
            p = accept::with_temperature(&p, self.settings.temperature);
        }
        p
    }

    /// The whole text plus `extra`: the rule looks back over all of it.
    fn context(&self, extra: &[Token]) -> Vec<Token> {
        let mut context = self.history.clone();
        context.extend_from_slice(extra);
        context
    }

    /// A module's proposal: the base distribution blended with noise, with
    /// the tokens the rule bans after `extra` taken out as well.
    fn proposal(&mut self, p: &[f64], extra: &[Token]) -> Vec<f64> {
        let mut q = blend_with_noise(p, self.settings.quality, &mut self.rng);
        let banned = norepeat::banned(&self.context(extra), self.settings.no_repeat);
        norepeat::zero_banned(&mut q, &banned);
        q
    }

    fn choose(&mut self, p: &[f64]) -> Token {
        if self.settings.temperature <= 0.0 {
            accept::argmax(p) as Token
        } else {
            accept::sample(p, &mut self.rng) as Token
        }
    }
}

impl Replayable for Mtp {
    fn step(&mut self) -> bool {
        if self.is_finished() {
            return false;
        }
        let depth = self.settings.depth;
        // Draft: module k sees the root and the drafts before it.
        let mut chain = vec![self.root];
        let mut drafts = Vec::with_capacity(depth);
        let mut proposals = Vec::with_capacity(depth);
        for _ in 0..depth {
            let p = self.base_after(&chain);
            let q = self.proposal(&p, &chain);
            let x = self.choose(&q);
            drafts.push(x);
            chain.push(x);
            proposals.push(q);
        }
        // Verify: the base distribution after the root and after each draft.
        let verified: Vec<Vec<f64>> = (0..=depth).map(|k| self.base_after(&chain[..=k])).collect();
        let mut accepted = 0;
        let mut replacement = None;
        for k in 0..depth {
            let x = drafts[k] as usize;
            let keep = if self.settings.temperature <= 0.0 {
                x == accept::argmax(&verified[k])
            } else {
                match accept::speculative(&verified[k], &proposals[k], x, &mut self.rng) {
                    Judged::Accepted => true,
                    Judged::Replaced(y) => {
                        replacement = Some(y as Token);
                        false
                    }
                }
            };
            self.drafted[k] += 1;
            if !keep {
                break;
            }
            self.kept[k] += 1;
            accepted += 1;
        }
        let emitted: Vec<Token> = chain[..=accepted].to_vec();
        let room = self.settings.length - self.generated().len();
        self.history.extend(emitted.iter().take(room).copied());
        self.pass_of.resize(self.generated().len(), self.passes + 1);
        // Greedy: the base argmax after the last kept token is the correction
        // (or the bonus token when every draft was kept).
        self.root = match replacement {
            Some(y) => y,
            None => {
                let p = verified[accepted].clone();
                self.choose(&p)
            }
        };
        self.passes += 1;
        self.last = Pass {
            root: emitted[0],
            drafts,
            accepted,
            emitted,
            base: verified
                .iter()
                .map(|p| accept::argmax(p) as Token)
                .collect(),
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::decoding::ngram::{Vocab, tokenize};

    const TEXT: &str = "a heap keeps the smallest value at the root . the root \
        is popped and the last leaf moves up . a good guess is cheap and a \
        checked guess is safe . the table remembers so we do not think twice .";

    fn model(order: usize) -> (Arc<NGram>, Vocab) {
        let words = tokenize(TEXT);
        let vocab = Vocab::from_words(&words);
        let lm = NGram::train(&vocab.encode(&words), vocab.len(), order, 0.5);
        (Arc::new(lm), vocab)
    }

    fn run(lm: &Arc<NGram>, settings: Settings, prompt: &[Token], seed: u64) -> Mtp {
        let mut m = Mtp::new(Arc::clone(lm), settings, prompt, seed);
        while m.step() {}
        m
    }

    fn settings(depth: usize, quality: f64, temperature: f64, length: usize) -> Settings {
        Settings {
            depth,
            quality,
            temperature,
            length,
            no_repeat: 0,
        }
    }

    #[test]
    fn greedy_mtp_is_lossless_for_any_depth_and_quality() {
        for order in 2..=4 {
            let (lm, vocab) = model(order);
            let prompt = vocab.encode(&tokenize("the root"));
            let plain = run(&lm, settings(1, 0.0, 0.0, 40), &prompt, 1);
            // Depth 1 at quality 0 still emits plain greedy text; check it
            // against a token-by-token loop too.
            let mut history = prompt.clone();
            let mut p = Vec::new();
            for _ in 0..40 {
                lm.next_distribution(&history, &mut p);
                history.push(accept::argmax(&p) as Token);
            }
            assert_eq!(plain.generated(), &history[prompt.len()..]);
            for depth in 1..=4 {
                for quality in [0.0, 0.5, 1.0] {
                    let m = run(&lm, settings(depth, quality, 0.0, 40), &prompt, 9);
                    assert_eq!(
                        m.generated(),
                        plain.generated(),
                        "order {order} depth {depth} q {quality}"
                    );
                }
            }
        }
    }

    #[test]
    fn exact_modules_have_every_draft_kept() {
        let (lm, vocab) = model(3);
        let prompt = vocab.encode(&tokenize("a good"));
        for temperature in [0.0, 0.8] {
            let m = run(&lm, settings(3, 1.0, temperature, 41), &prompt, 4);
            assert_eq!(m.kept, m.drafted, "T = {temperature}");
            // Four tokens a pass until the last one runs into the length.
            assert_eq!(m.passes, 11);
        }
    }

    /// The token after the root is drawn from the base model however poor
    /// the drafter: counts over many seeds against P(· | text + root).
    #[test]
    fn speculative_drafting_keeps_the_base_distribution() {
        let (lm, vocab) = model(2);
        let prompt = vocab.encode(&tokenize("the"));
        const RUNS: u64 = 20_000;
        // 99.9th percentile of chi-square, for the degrees of freedom used below.
        let critical = |df: usize| -> f64 {
            // Wilson–Hilferty approximation of the quantile at z = 3.09.
            let k = df as f64;
            k * (1.0 - 2.0 / (9.0 * k) + 3.09 * (2.0 / (9.0 * k)).sqrt()).powi(3)
        };
        let mut counts: std::collections::HashMap<(Token, Token), u64> = Default::default();
        for seed in 0..RUNS {
            let m = run(&lm, settings(2, 0.3, 1.0, 2), &prompt, seed);
            let g = m.generated();
            *counts.entry((g[0], g[1])).or_default() += 1;
        }
        // Condition on the commonest root.
        let mut by_root: std::collections::HashMap<Token, u64> = Default::default();
        for (&(r, _), &c) in &counts {
            *by_root.entry(r).or_default() += c;
        }
        let (&root, &n) = by_root.iter().max_by_key(|(_, c)| **c).expect("runs");
        let mut p = Vec::new();
        let mut history = prompt.clone();
        history.push(root);
        lm.next_distribution(&history, &mut p);
        // Pool tokens expected fewer than 5 times into one cell.
        let (mut stat, mut cells, mut rest_obs, mut rest_exp) = (0.0, 0, 0.0, 0.0);
        for (token, &pt) in p.iter().enumerate() {
            let expected = n as f64 * pt;
            let observed = counts.get(&(root, token as Token)).copied().unwrap_or(0) as f64;
            if expected >= 5.0 {
                stat += (observed - expected).powi(2) / expected;
                cells += 1;
            } else {
                rest_obs += observed;
                rest_exp += expected;
            }
        }
        if rest_exp > 0.0 {
            stat += (rest_obs - rest_exp).powi(2) / rest_exp;
            cells += 1;
        }
        assert!(cells >= 3, "too few cells: {cells}");
        assert!(
            stat < critical(cells - 1),
            "chi-square {stat} over {cells} cells"
        );
    }
}
