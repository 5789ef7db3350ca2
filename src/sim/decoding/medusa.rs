//! Medusa decoding, one pass per step: heads guess, the tree is verified by
//! the base model in one pass, the longest accepted candidate is kept.
//!
//! ```text
//! candidates   root = the base model's next token; node p = rank p[d−1] of head d−1
//! tree decode  the base distribution after every node (one batched pass)
//! posterior    greedy (T = 0) or typical acceptance: best row, accept length
//! update       output += root + accepted; next root from the last accepted node
//! ```
//!
//! Head k guesses the token k + 2 places ahead from the context that ends at
//! the current position, without the tokens in between. A trained head is
//! simulated by blending the base model's exact (k + 2)-ahead marginal with a
//! seeded noise distribution: `quality` 1 is the marginal itself.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

use super::accept::{self, Verdict};
use super::blend_with_noise;
use super::ngram::{NGram, Token};
use super::norepeat;
use super::tree::{TreeBuffers, TreePath};
use crate::lesson::scratch::Scratch;
use crate::lesson::timeline::Replayable;

#[derive(Clone, Debug)]
pub struct Settings {
    pub heads: usize,
    pub quality: f64,
    /// 0 is greedy decoding with greedy acceptance.
    pub temperature: f64,
    pub posterior_threshold: f64,
    pub posterior_alpha: f64,
    /// Tokens to generate.
    pub length: usize,
    /// n of the no-repeat rule (0 = off), in drafting and verification alike.
    pub no_repeat: usize,
}

/// What one pass did, for the views and the trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pass {
    /// The candidate token on each tree node (node 0 is the root).
    pub tokens: Vec<Token>,
    pub verdict: Option<Verdict>,
    /// Tokens this pass added: the root and the accepted candidates.
    pub emitted: Vec<Token>,
    /// The base model's choice after each node (its argmax under the rule).
    pub base: Vec<Token>,
    /// Each head's top-k list, best first, before the rule filters it per node.
    pub heads_top: Vec<Vec<Token>>,
    /// Typical acceptance only: p(x) of each node's token under its parent's
    /// tempered distribution (the root's entry is unused), and each node's
    /// bar min(threshold, alpha·exp(−H)) for its children.
    pub p_candidate: Vec<f64>,
    pub bar: Vec<f64>,
}

impl Pass {
    /// The accepted nodes from the root down, the root first.
    pub fn accepted_nodes(&self, tree: &TreeBuffers) -> Vec<usize> {
        let Some(v) = self.verdict else {
            return Vec::new();
        };
        let mut nodes: Vec<usize> = tree
            .retrieve
            .get(v.row)
            .map(|row| {
                row.iter()
                    .take(v.accepted + 1)
                    .map(|&n| n.max(0) as usize)
                    .collect()
            })
            .unwrap_or_default();
        if nodes.is_empty() {
            nodes.push(0);
        }
        nodes
    }
}

#[derive(Clone, Debug)]
pub struct Medusa {
    lm: Arc<NGram>,
    settings: Settings,
    tree: Arc<TreeBuffers>,
    /// Prompt then generated tokens.
    pub history: Vec<Token>,
    pub prompt_len: usize,
    /// The next token, chosen by the pass before (or the prefill).
    root: Token,
    pub passes: u64,
    /// Per depth d (index d − 1): passes whose tree reached d, and accepted ≥ d.
    pub tried_by_depth: Vec<u64>,
    pub accepted_by_depth: Vec<u64>,
    /// The last pass, for the views.
    pub last: Pass,
    /// The pass (1-based) that wrote each generated token.
    pub pass_of: Vec<u64>,
    /// Per head: top-1 guesses checked against the text, and how many were right.
    pub head_checked: Vec<u64>,
    pub head_hits: Vec<u64>,
    /// Guesses waiting for their position to be written: (index, head, token).
    pending: Vec<(usize, usize, Token)>,
    rng: Xoshiro256PlusPlus,
    /// The base distribution after each tree node, reused pass to pass.
    dists: Scratch<Vec<Vec<f64>>>,
}

/// Keeps only the paths the heads can fill: a path of depth d needs head d − 1.
pub fn prune(paths: &[TreePath], heads: usize) -> Vec<TreePath> {
    paths.iter().filter(|p| p.len() <= heads).cloned().collect()
}

impl Medusa {
    /// Starts after the prefill pass over `prompt`, which picks the first root.
    pub fn new(
        lm: Arc<NGram>,
        tree: Arc<TreeBuffers>,
        settings: Settings,
        prompt: &[Token],
        seed: u64,
    ) -> Medusa {
        let depth = tree.depth();
        let heads = settings.heads;
        let mut model = Medusa {
            lm,
            settings,
            tree,
            history: prompt.to_vec(),
            prompt_len: prompt.len(),
            root: 0,
            passes: 0,
            tried_by_depth: vec![0; depth],
            accepted_by_depth: vec![0; depth],
            last: Pass::default(),
            pass_of: Vec::new(),
            head_checked: vec![0; heads],
            head_hits: vec![0; heads],
            pending: Vec::new(),
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            dists: Scratch::default(),
        };
        model.root = if model.settings.temperature <= 0.0 {
            norepeat::greedy(&model.lm, &model.history, model.settings.no_repeat)
        } else {
            let mut first = Vec::new();
            norepeat::distribution(
                &model.lm,
                &model.history,
                model.settings.no_repeat,
                &mut first,
            );
            model.choose(&first)
        };
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

    /// The next token from a base distribution: argmax, or a sample at T.
    fn choose(&mut self, p: &[f64]) -> Token {
        if self.settings.temperature <= 0.0 {
            accept::argmax(p) as Token
        } else {
            let tempered = accept::with_temperature(p, self.settings.temperature);
            accept::sample(&tempered, &mut self.rng) as Token
        }
    }

    /// Head k's distribution: quality·marginal + (1 − quality)·noise.
    fn head_guesses(&mut self) -> Vec<Vec<f64>> {
        let heads = self.settings.heads;
        if heads == 0 {
            return Vec::new();
        }
        let marginals = self.lm.marginals(&self.history, heads + 1);
        let q = self.settings.quality;
        marginals
            .into_iter()
            .skip(1)
            .map(|marginal| blend_with_noise(&marginal, q, &mut self.rng))
            .collect()
    }

    /// The top-k ranks a tree may name.
    fn width(&self) -> usize {
        self.tree.paths.iter().flatten().max().map_or(1, |&r| r + 1)
    }
}

impl Medusa {
    /// The text, then the tokens on the path from the root down to `node`
    /// (both included), written into `out`: what the base model reads after
    /// that node, and what the no-repeat rule looks back over.
    fn context_of(&self, tree: &TreeBuffers, tokens: &[Token], node: usize, out: &mut Vec<Token>) {
        out.clear();
        out.extend_from_slice(&self.history);
        let mut chain = vec![node];
        while let Some(up) = tree.parent(*chain.last().unwrap_or(&0)) {
            chain.push(up);
        }
        out.extend(chain.iter().rev().map(|&n| tokens[n]));
    }

    /// For the view: each node's p(x) under its parent's tempered
    /// distribution, and each node's typical-acceptance bar.
    fn typical_figures(
        &self,
        tree: &TreeBuffers,
        tokens: &[Token],
        dists: &[Vec<f64>],
    ) -> (Vec<f64>, Vec<f64>) {
        let s = &self.settings;
        let tempered: Vec<Vec<f64>> = dists
            .iter()
            .map(|p| accept::with_temperature(p, s.temperature))
            .collect();
        let bar = tempered
            .iter()
            .map(|p| accept::bar(p, s.posterior_threshold, s.posterior_alpha))
            .collect();
        let p_candidate = (0..tree.nodes())
            .map(|node| {
                tree.parent(node)
                    .map_or(0.0, |up| tempered[up][tokens[node] as usize])
            })
            .collect();
        (p_candidate, bar)
    }

    /// Checks the heads' guesses whose positions are now written.
    fn score_guesses(&mut self) {
        let written = self.history.len();
        let history = &self.history;
        let (checked, hits) = (&mut self.head_checked, &mut self.head_hits);
        self.pending.retain(|&(at, head, token)| {
            if at >= written {
                return true;
            }
            checked[head] += 1;
            if history[at] == token {
                hits[head] += 1;
            }
            false
        });
    }

    /// The same decoding from its prompt again, with another seed.
    pub fn restarted(&self, seed: u64) -> Medusa {
        Medusa::new(
            Arc::clone(&self.lm),
            Arc::clone(&self.tree),
            self.settings.clone(),
            &self.history[..self.prompt_len],
            seed,
        )
    }

    pub fn prompt(&self) -> &[Token] {
        &self.history[..self.prompt_len]
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn tree(&self) -> &TreeBuffers {
        &self.tree
    }

    pub fn lm(&self) -> &NGram {
        &self.lm
    }
}

/// Indices of the `k` largest values, largest first; ties to the lower index.
pub fn top_k(p: &[f64], k: usize) -> Vec<usize> {
    let by_rank = |a: &usize, b: &usize| p[*b].total_cmp(&p[*a]).then(a.cmp(b));
    let mut order: Vec<usize> = (0..p.len()).collect();
    // Selecting first keeps this linear in the vocabulary; the order is total,
    // so the result is the same as sorting everything.
    if k < order.len() {
        order.select_nth_unstable_by(k, by_rank);
        order.truncate(k);
    }
    order.sort_by(by_rank);
    order
}

impl Replayable for Medusa {
    fn step(&mut self) -> bool {
        if self.is_finished() {
            return false;
        }
        let guesses = self.head_guesses();
        let width = self.width();
        let heads_top: Vec<Vec<Token>> = guesses
            .iter()
            .map(|g| top_k(g, width).into_iter().map(|t| t as Token).collect())
            .collect();
        // Head k guesses the token k + 1 places after the root.
        let root_at = self.history.len();
        for (head, list) in heads_top.iter().enumerate() {
            if let Some(&top) = list.first() {
                self.pending.push((root_at + head + 1, head, top));
            }
        }
        let tree = Arc::clone(&self.tree);
        let n = self.settings.no_repeat;
        // Candidates: the root, then each path's rank in its depth's head,
        // among the tokens the rule allows after the path so far (parents
        // come first in the sorted order, so their tokens are known).
        let mut tokens = vec![self.root];
        let mut context = Vec::with_capacity(self.history.len() + tree.depth() + 1);
        for (at, path) in tree.paths.iter().enumerate() {
            let (head, rank) = (path.len() - 1, path[path.len() - 1]);
            let parent = tree.parent(at + 1).unwrap_or(0);
            self.context_of(&tree, &tokens, parent, &mut context);
            let banned = norepeat::banned(&context, n);
            let token = if banned.is_empty() {
                heads_top[head].get(rank).copied()
            } else {
                top_k(&guesses[head], width + banned.len())
                    .into_iter()
                    .map(|t| t as Token)
                    .filter(|t| banned.binary_search(t).is_err())
                    .nth(rank)
            };
            tokens.push(token.unwrap_or(0));
        }
        // Tree decoding: the base model after every node, in one pass. Greedy
        // verification needs only each node's most likely token; typical
        // acceptance needs the whole distribution.
        let greedy = self.settings.temperature <= 0.0;
        let mut dists = std::mem::take(&mut self.dists.0);
        let mut best = vec![0 as Token; tree.nodes()];
        if !greedy {
            dists.resize_with(tree.nodes(), Vec::new);
        }
        for node in 0..tree.nodes() {
            self.context_of(&tree, &tokens, node, &mut context);
            if greedy {
                best[node] = norepeat::greedy(&self.lm, &context, n);
            } else {
                norepeat::distribution(&self.lm, &context, n, &mut dists[node]);
                best[node] = accept::argmax(&dists[node]) as Token;
            }
        }
        let verdict = if greedy {
            accept::greedy(&tree.retrieve, &tokens, &best)
        } else {
            accept::typical(
                &tree.retrieve,
                &tokens,
                &dists,
                self.settings.temperature,
                self.settings.posterior_threshold,
                self.settings.posterior_alpha,
            )
        };
        // Update: the root and the accepted candidates join the output.
        let row = tree.retrieve.get(verdict.row).cloned().unwrap_or_default();
        // Every row starts at the root, so at least the root is kept.
        let mut kept: Vec<usize> = row
            .iter()
            .take(verdict.accepted + 1)
            .map(|&n| n.max(0) as usize)
            .collect();
        if kept.is_empty() {
            kept.push(0);
        }
        let emitted: Vec<Token> = kept.iter().map(|&n| tokens[n]).collect();
        let room = self.settings.length - self.generated().len();
        self.history.extend(emitted.iter().take(room).copied());
        self.pass_of.resize(self.generated().len(), self.passes + 1);
        self.score_guesses();
        let last = kept.last().copied().unwrap_or(0);
        self.root = if greedy {
            best[last]
        } else {
            self.choose(&dists[last])
        };
        for d in 1..=tree.depth() {
            self.tried_by_depth[d - 1] += 1;
            if verdict.accepted >= d {
                self.accepted_by_depth[d - 1] += 1;
            }
        }
        self.passes += 1;
        let (p_candidate, bar) = if greedy {
            (Vec::new(), Vec::new())
        } else {
            self.typical_figures(&tree, &tokens, &dists)
        };
        self.dists = Scratch(dists);
        self.last = Pass {
            tokens,
            verdict: Some(verdict),
            emitted,
            base: best,
            heads_top,
            p_candidate,
            bar,
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::decoding::ngram::{Vocab, tokenize};
    use crate::sim::decoding::tree::{mc_sim_7b_63, parse_paths};

    const TEXT: &str = "the heap keeps the smallest value at the root . \
        the root is popped and the last leaf moves up . the leaf sinks down \
        until both children are larger . the heap keeps its shape and the \
        smallest value stays at the root . a sorted list is a heap , but a \
        heap is not always sorted . the children of node i are at two i plus \
        one and two i plus two .";

    fn model(order: usize) -> (Arc<NGram>, Vocab) {
        let words = tokenize(TEXT);
        let vocab = Vocab::from_words(&words);
        let lm = NGram::train(&vocab.encode(&words), vocab.len(), order, 0.01);
        (Arc::new(lm), vocab)
    }

    fn settings(heads: usize, quality: f64) -> Settings {
        Settings {
            heads,
            quality,
            temperature: 0.0,
            posterior_threshold: accept::POSTERIOR_THRESHOLD,
            posterior_alpha: accept::POSTERIOR_ALPHA,
            length: 40,
            no_repeat: 0,
        }
    }

    fn run(
        lm: &Arc<NGram>,
        paths: &[TreePath],
        s: Settings,
        prompt: &[Token],
        seed: u64,
    ) -> Medusa {
        let tree = TreeBuffers::new(&prune(paths, s.heads)).expect("valid tree");
        let mut m = Medusa::new(Arc::clone(lm), Arc::new(tree), s, prompt, seed);
        while m.step() {}
        m
    }

    /// Plain greedy decoding, one token at a time, by the base model alone.
    fn greedy_text(lm: &NGram, prompt: &[Token], length: usize) -> Vec<Token> {
        let mut history = prompt.to_vec();
        let mut p = Vec::new();
        for _ in 0..length {
            lm.next_distribution(&history, &mut p);
            history.push(accept::argmax(&p) as Token);
        }
        history[prompt.len()..].to_vec()
    }

    #[test]
    fn greedy_medusa_is_lossless_for_any_heads_quality_and_tree() {
        for order in 2..=4 {
            let (lm, vocab) = model(order);
            let prompt = vocab.encode(&tokenize("the heap keeps"));
            let expected = greedy_text(&lm, &prompt, 40);
            let trees = [
                mc_sim_7b_63(),
                parse_paths("0;1;0,0;0,1;0,0,0").expect("parses"),
                parse_paths("0;0,0;0,0,0;0,0,0,0;0,0,0,0,0").expect("parses"),
            ];
            for tree in &trees {
                for heads in 0..=5 {
                    for quality in [0.0, 0.3, 1.0] {
                        let m = run(&lm, tree, settings(heads, quality), &prompt, 7);
                        assert_eq!(
                            m.generated(),
                            expected,
                            "order {order} heads {heads} q {quality}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn better_heads_accept_more_and_never_below_one_token_per_pass() {
        let (lm, vocab) = model(3);
        let prompt = vocab.encode(&tokenize("the root is"));
        let good = run(&lm, &mc_sim_7b_63(), settings(4, 1.0), &prompt, 3);
        let poor = run(&lm, &mc_sim_7b_63(), settings(4, 0.2), &prompt, 3);
        assert!(good.tokens_per_pass() > poor.tokens_per_pass());
        assert!(poor.tokens_per_pass() >= 1.0);
        let plain = run(&lm, &mc_sim_7b_63(), settings(0, 1.0), &prompt, 3);
        assert_eq!(plain.tokens_per_pass(), 1.0);
    }

    #[test]
    fn exact_heads_are_right_more_often_than_noisy_ones_and_later_heads_less() {
        let (lm, vocab) = model(3);
        let prompt = vocab.encode(&tokenize("the heap keeps"));
        let mut s = settings(3, 1.0);
        s.length = 200;
        let good = run(&lm, &mc_sim_7b_63(), s.clone(), &prompt, 5);
        s.quality = 0.0;
        let noise = run(&lm, &mc_sim_7b_63(), s, &prompt, 5);
        let rate = |m: &Medusa, h: usize| m.head_hits[h] as f64 / m.head_checked[h].max(1) as f64;
        assert!(good.head_checked[0] > 0);
        assert!(rate(&good, 0) > rate(&noise, 0));
        assert!(rate(&good, 0) >= rate(&good, 2));
        assert_eq!(good.pass_of.len(), good.generated().len());
        assert_eq!(good.pass_of.last().copied(), Some(good.passes));
    }

    #[test]
    fn top_k_orders_by_probability_then_index() {
        assert_eq!(top_k(&[0.1, 0.4, 0.1, 0.4], 3), [1, 3, 0]);
        assert_eq!(top_k(&[0.1, 0.4], 5), [1, 0]);
        assert_eq!(top_k(&[0.3, 0.3, 0.3], 0), Vec::<usize>::new());
    }
}
