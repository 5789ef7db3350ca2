//! The toy language model the decoding lessons will verify drafts against: a
//! word-level n-gram model with add-k smoothing,
//!
//!   P(w | s) = (c(s, w) + k) / (c(s) + k·V),
//!
//! where s is the last `order − 1` tokens, c counts what the training text
//! holds and V is the vocabulary size. An unseen context gives the uniform
//! distribution.
//!
//! Medusa's heads guess tokens several positions ahead without seeing the
//! tokens in between, so a simulated head needs the exact j-ahead marginal of
//! this model. Enumerating the V^(order−1) states is out of the question;
//! instead a state distribution is kept as a sum of prefix functions,
//!
//!   p(x₁ … x_m) = f₀ + f₁(x₁) + f₂(x₁, x₂) + … + f_m(x₁ … x_m),
//!
//! each stored sparsely. Smoothing writes P(w | s) = a_s·c(s, w) + b_s with
//! b_s = 1/V for every unseen context, so one step of the chain maps this form
//! to itself: the uniform part sums a leading coordinate away (f_l becomes an
//! f_(l−1) term), seen contexts add a correction and their counted successors.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

pub type Token = u32;

/// Token 0 stands for any word the training text does not hold.
pub const UNKNOWN: Token = 0;
pub const UNKNOWN_WORD: &str = "<unk>";
/// Punctuation kept as tokens of its own; other symbols only separate words.
const PUNCTUATION: &str = ".,;:?!";

/// Splits text into lower-case words, numbers and punctuation marks. Anything
/// else (spaces, symbols, non-ASCII script) separates tokens and is dropped:
/// the training text is read this way.
pub fn tokenize(text: &str) -> Vec<String> {
    split_words(text, false)
}

/// Splits a prompt as `tokenize` does, but a run of letters of another script
/// (`漢字`, `naïve`'s ï) is a word too: the model has never seen it, so it
/// becomes `<unk>` instead of vanishing.
pub fn tokenize_prompt(text: &str) -> Vec<String> {
    split_words(text, true)
}

fn split_words(text: &str, keep_other_scripts: bool) -> Vec<String> {
    let mut words = Vec::new();

    let mut word = String::new();
    for c in text.chars() {
        let other_script = keep_other_scripts && !c.is_ascii() && c.is_alphanumeric();
        let inner_apostrophe = c == '\'' && !word.is_empty();
        if c.is_ascii_alphanumeric() || inner_apostrophe || other_script {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word).trim_end_matches('\'').to_string());
        }
        if PUNCTUATION.contains(c) {
            words.push(c.to_string());
        }
    }
    if !word.is_empty() {
        words.push(word.trim_end_matches('\'').to_string());
    }
    words
}

/// Words and their token ids, in order of first appearance after `<unk>`.
#[derive(Clone, Debug, Default)]
pub struct Vocab {
    words: Vec<String>,
    ids: HashMap<String, Token>,
}

impl Vocab {
    pub fn from_words(words: &[String]) -> Vocab {
        let mut vocab = Vocab {
            words: vec![UNKNOWN_WORD.to_string()],
            ids: HashMap::new(),
        };
        vocab.ids.insert(UNKNOWN_WORD.to_string(), UNKNOWN);
        for word in words {
            if !vocab.ids.contains_key(word) {
                vocab.ids.insert(word.clone(), vocab.words.len() as Token);
                vocab.words.push(word.clone());
            }
        }
        vocab
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn id(&self, word: &str) -> Token {
        self.ids.get(word).copied().unwrap_or(UNKNOWN)
    }

    pub fn word(&self, token: Token) -> &str {
        self.words
            .get(token as usize)
            .map_or(UNKNOWN_WORD, String::as_str)
    }

    pub fn encode(&self, words: &[String]) -> Vec<Token> {
        words.iter().map(|w| self.id(w)).collect()
    }
}

/// Bits per token in a packed state key: three tokens (order 4) fit in a u64.
const TOKEN_BITS: u32 = 21;
/// The largest vocabulary a packed key can hold.
pub const MAX_VOCAB: usize = 1 << TOKEN_BITS;

/// Tokens x₁…x_l packed into one integer, x₁ in the highest bits, so that a
/// prefix is a right shift and dropping x₁ is a mask.
fn pack(tokens: &[Token]) -> u64 {
    tokens
        .iter()
        .fold(0, |key, &t| (key << TOKEN_BITS) | u64::from(t))
}

/// The low `len` tokens of a key.
fn keep_last(key: u64, len: usize) -> u64 {
    key & ((1u64 << (TOKEN_BITS as usize * len)) - 1)
}

/// One context of the training text and what followed it.
#[derive(Clone, Debug)]
struct Context {
    key: u64,
    total: u32,
    next: Vec<(Token, u32)>,
    /// What the chain does from this context, with the arithmetic that does
    /// not depend on the state's probability done once at training.
    moves: Vec<Move>,
    /// b_s − 1/V: how much more (or less) than an unseen context this one
    /// gives every word.
    excess: f64,
}

/// One counted successor of a context.
#[derive(Clone, Debug)]
struct Move {
    token: Token,
    /// The context the state becomes after this token, or `NO_CONTEXT`.
    next_context: u32,
    /// a_s·c(s, w): the counted part of P(w | s).
    weight: f64,
}

/// (a_s, b_s) with P(w | s) = a_s·c(s, w) + b_s, for a context counted
/// `total` times under add-k smoothing over `vocab_size` words.
fn affine(k: f64, vocab_size: usize, total: u32) -> (f64, f64) {
    let z = f64::from(total) + k * vocab_size as f64;
    (1.0 / z, k / z)
}

/// `next_context` of a successor whose state was never seen as a context.
const NO_CONTEXT: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub struct NGram {
    order: usize,
    k: f64,
    vocab_size: usize,
    contexts: Vec<Context>,
    index: FxHashMap<u64, usize>,
}

impl NGram {
    /// Counts every (order−1)-token context of `tokens` and what follows it.
    /// `vocab_size` is clamped to `MAX_VOCAB`; larger ids are never produced
    /// by a `Vocab` that small.
    pub fn train(tokens: &[Token], vocab_size: usize, order: usize, k: f64) -> NGram {
        let width = order.max(2) - 1;
        let mut index: FxHashMap<u64, usize> = FxHashMap::default();
        let mut contexts: Vec<Context> = Vec::new();
        for window in tokens.windows(width + 1) {
            let (context, next) = window.split_at(width);
            let key = pack(context);
            let at = *index.entry(key).or_insert_with(|| {
                contexts.push(Context {
                    key,
                    total: 0,
                    next: Vec::new(),
                    moves: Vec::new(),
                    excess: 0.0,
                });
                contexts.len() - 1
            });
            let entry = &mut contexts[at];
            entry.total += 1;
            match entry.next.iter_mut().find(|(t, _)| *t == next[0]) {
                Some((_, count)) => *count += 1,
                None => entry.next.push((next[0], 1)),
            }
        }
        // Never smaller than the ids the text holds: dense rows index by them.
        let vocab_size = vocab_size
            .max(tokens.iter().max().map_or(0, |&t| t as usize + 1))
            .clamp(1, MAX_VOCAB);
        for context in &mut contexts {
            context.next.sort_unstable();
            let (a, b) = affine(k, vocab_size, context.total);
            context.excess = b - 1.0 / vocab_size as f64;
            let tail = keep_last(context.key, width - 1);
            context.moves = context
                .next
                .iter()
                .map(|&(token, count)| {
                    let state = (tail << TOKEN_BITS) | u64::from(token);
                    Move {
                        token,
                        next_context: index.get(&state).map_or(NO_CONTEXT, |&at| at as u32),
                        weight: a * f64::from(count),
                    }
                })
                .collect();
        }
        NGram {
            order: width + 1,
            k,
            vocab_size,
            contexts,
            index,
        }
    }

    pub fn order(&self) -> usize {
        self.order
    }

    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    /// The state: the last order−1 tokens, padded on the left with `UNKNOWN`.
    pub fn state_of(&self, history: &[Token]) -> Vec<Token> {
        let width = self.order - 1;
        let mut state = vec![UNKNOWN; width.saturating_sub(history.len())];
        state.extend_from_slice(&history[history.len().saturating_sub(width)..]);
        state
    }

    /// P(· | history) over the whole vocabulary, written into `out`.
    pub fn next_distribution(&self, history: &[Token], out: &mut Vec<f64>) {
        let key = pack(&self.state_of(history));
        out.clear();
        match self.index.get(&key).map(|&at| &self.contexts[at]) {
            Some(context) => {
                let (a, b) = affine(self.k, self.vocab_size, context.total);
                out.resize(self.vocab_size, b);
                for &(token, count) in &context.next {
                    out[token as usize] += a * f64::from(count);
                }
            }
            None => out.resize(self.vocab_size, 1.0 / self.vocab_size as f64),
        }
    }

    /// The argmax of P(· | history), ties to the lowest id, without filling the
    /// dense row: a seen context's most counted successor (a_s·c + b_s grows
    /// with c, and every counted word beats every uncounted one), or token 0
    /// after an unseen context, whose distribution is uniform.
    pub fn most_likely_next(&self, history: &[Token]) -> Token {
        let key = pack(&self.state_of(history));
        let Some(context) = self.index.get(&key).map(|&at| &self.contexts[at]) else {
            return UNKNOWN;
        };
        // `next` is sorted by token, so the first of equal counts is the lowest id.
        let mut best = (UNKNOWN, 0);
        for &(token, count) in &context.next {
            if count > best.1 {
                best = (token, count);
            }
        }
        best.0
    }

    /// `most_likely_next` with the `banned` tokens (sorted) out of the race:
    /// the most counted successor not banned; failing that every remaining
    /// word has the same smoothed probability, so the lowest id not banned.
    /// When every word is banned, the unconstrained choice (as
    /// `norepeat::zero_banned` leaves such a row alone).
    pub fn most_likely_next_avoiding(&self, history: &[Token], banned: &[Token]) -> Token {
        if banned.is_empty() {
            return self.most_likely_next(history);
        }
        let is_banned = |t: Token| banned.binary_search(&t).is_ok();
        let key = pack(&self.state_of(history));
        if let Some(context) = self.index.get(&key).map(|&at| &self.contexts[at]) {
            let mut best: Option<(Token, u32)> = None;
            for &(token, count) in &context.next {
                if !is_banned(token) && best.is_none_or(|(_, top)| count > top) {
                    best = Some((token, count));
                }
            }
            if let Some((token, _)) = best {
                return token;
            }
        }
        // Counted successors (if any) are all banned: the rest tie at the
        // smoothing floor. Ids below the vocabulary size only.
        (0..self.vocab_size as Token)
            .find(|&t| !is_banned(t))
            .unwrap_or_else(|| self.most_likely_next(history))
    }

    /// The exact distributions of the tokens 1, 2, …, `ahead` positions after
    /// `history`, each summing the model's chain over every path between.
    pub fn marginals(&self, history: &[Token], ahead: usize) -> Vec<Vec<f64>> {
        let mut dist = self.empty_dist();
        let start = pack(&self.state_of(history));
        let seen = self.index.get(&start).map_or(NO_CONTEXT, |&at| at as u32);
        dist.add_top(start, seen, 1.0);
        let mut out = Vec::with_capacity(ahead);
        for _ in 0..ahead {
            let (marginal, next) = self.advance(&dist);
            out.push(marginal);
            dist = next;
        }
        out
    }

    fn empty_dist(&self) -> StateDist {
        StateDist::empty(self.order - 1, self.vocab_size, self.contexts.len())
    }

    /// One step of the chain: the next token's marginal and the next state
    /// distribution, both from the prefix-function form.
    fn advance(&self, dist: &StateDist) -> (Vec<f64>, StateDist) {
        let v = self.vocab_size as f64;
        let m = self.order - 1;
        let mut marginal = vec![1.0 / v; self.vocab_size];
        let mut next = self.empty_dist();
        // Uniform part: Σ over the leading coordinate of p, divided by V;
        // f_l becomes an f_(l−1) term.
        next.f0 += dist.f0 + dist.f1.iter().sum::<f64>() / v;
        for (at, term) in dist.mid.iter().enumerate() {
            let l = at + 2;
            for (&key, &value) in term {
                next.add(l - 1, keep_last(key, l - 1), value / v);
            }
        }
        dist.top_grouped
            .for_each(|group, value| next.add(m - 1, group, value / v));
        // Seen contexts: their b_s differs from 1/V, and their successors
        // carry the counted mass a_s·c(s, w).
        let mut offset = 0.0;
        for (at, context) in self.contexts.iter().enumerate() {
            let p = dist.at_context(at, context.key);
            if p == 0.0 {
                continue;
            }
            let correction = p * context.excess;
            offset += correction;
            let tail = keep_last(context.key, m - 1);
            next.add(m - 1, tail, correction);
            for step in &context.moves {
                let mass = p * step.weight;
                marginal[step.token as usize] += mass;
                next.add_top(
                    (tail << TOKEN_BITS) | u64::from(step.token),
                    step.next_context,
                    mass,
                );
            }
        }
        for x in &mut marginal {
            *x += offset;
        }
        (marginal, next)
    }
}

/// A distribution over states x₁…x_m as Σ_l f_l(x₁…x_l). f₀ is a number
/// and f₁ dense over the vocabulary; f₂ … f_(m−1) are sparse, keyed by their
/// packed tokens. The full-length term f_m is only ever read in two ways —
/// at seen contexts, and summed over its first token for the next step — so
/// it is kept as exactly those: dense by context index, and grouped by its
/// last m − 1 tokens. At orders 2 and 3 nothing is hashed in a step.
#[derive(Clone, Debug)]
struct StateDist {
    m: usize,
    f0: f64,
    f1: Vec<f64>,
    /// f₂ … f_(m−1).
    mid: Vec<FxHashMap<u64, f64>>,
    /// f_m at each seen context.
    top_seen: Vec<f64>,
    /// f_m summed by its last m − 1 tokens.
    top_grouped: Grouped,
}

/// Values summed by a key of `len` tokens: a number, a dense row, or a map.
#[derive(Clone, Debug)]
enum Grouped {
    Scalar(f64),
    Dense(Vec<f64>),
    Sparse(FxHashMap<u64, f64>),
}

impl Grouped {
    fn new(len: usize, vocab_size: usize) -> Grouped {
        match len {
            0 => Grouped::Scalar(0.0),
            1 => Grouped::Dense(vec![0.0; vocab_size]),
            _ => Grouped::Sparse(FxHashMap::default()),
        }
    }

    fn add(&mut self, key: u64, value: f64) {
        match self {
            Grouped::Scalar(x) => *x += value,
            Grouped::Dense(row) => row[key as usize] += value,
            Grouped::Sparse(map) => *map.entry(key).or_insert(0.0) += value,
        }
    }

    fn for_each(&self, mut visit: impl FnMut(u64, f64)) {
        match self {
            Grouped::Scalar(x) => visit(0, *x),
            Grouped::Dense(row) => {
                for (key, &x) in row.iter().enumerate() {
                    if x != 0.0 {
                        visit(key as u64, x);
                    }
                }
            }
            Grouped::Sparse(map) => {
                for (&key, &x) in map {
                    visit(key, x);
                }
            }
        }
    }
}

impl StateDist {
    fn empty(m: usize, vocab_size: usize, contexts: usize) -> StateDist {
        StateDist {
            m,
            f0: 0.0,
            // At order 2 the only one-token term is f_m itself.
            f1: vec![0.0; if m >= 2 { vocab_size } else { 0 }],
            mid: vec![FxHashMap::default(); m.saturating_sub(2)],
            top_seen: vec![0.0; contexts],
            top_grouped: Grouped::new(m - 1, vocab_size),
        }
    }

    /// Adds to the term of a prefix shorter than a state.
    fn add(&mut self, len: usize, key: u64, value: f64) {
        match len {
            0 => self.f0 += value,
            // Keys of one token are token ids below the vocabulary size.
            1 => self.f1[key as usize] += value,
            _ => *self.mid[len - 2].entry(key).or_insert(0.0) += value,
        }
    }

    /// Adds to f_m at a whole state, `seen` its context index or `NO_CONTEXT`.
    fn add_top(&mut self, state: u64, seen: u32, value: f64) {
        if seen != NO_CONTEXT {
            self.top_seen[seen as usize] += value;
        }
        self.top_grouped.add(keep_last(state, self.m - 1), value);
    }

    /// p(state) for the seen context `at` with packed tokens `key`.
    fn at_context(&self, at: usize, key: u64) -> f64 {
        let prefix = |l: usize| key >> (TOKEN_BITS as usize * (self.m - l));
        let mut p = self.f0 + self.top_seen[at];
        if self.m >= 2 {
            p += self.f1[prefix(1) as usize];
        }
        for (i, term) in self.mid.iter().enumerate() {
            p += term.get(&prefix(i + 2)).copied().unwrap_or(0.0);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lessons' add-k constant, so ties and near-ties are as the lessons see them.
    const SMOOTHING_FOR_TESTS: f64 = crate::sim::decoding::SMOOTHING;

    #[test]
    fn words_numbers_and_punctuation_are_tokens() {
        assert_eq!(
            tokenize("The heap's root, at 2 — is 最小. Done!"),
            [
                "the", "heap's", "root", ",", "at", "2", "is", ".", "done", "!"
            ]
        );
    }

    #[test]
    fn a_prompt_keeps_words_of_other_scripts_as_unknown_words() {
        assert_eq!(tokenize_prompt("漢字"), ["漢字"]);
        assert_eq!(
            tokenize_prompt("the 最小 heap."),
            ["the", "最小", "heap", "."]
        );
        assert_eq!(tokenize("the 最小 heap."), ["the", "heap", "."]);
        let vocab = Vocab::from_words(&tokenize("the heap"));
        assert_eq!(vocab.encode(&tokenize_prompt("漢字 heap")), [UNKNOWN, 2]);
    }

    #[test]
    fn unknown_words_map_to_the_unknown_token() {
        let vocab = Vocab::from_words(&tokenize("a b a c"));
        assert_eq!(vocab.len(), 4);
        assert_eq!(vocab.encode(&tokenize("c z a")), [3, UNKNOWN, 1]);
        assert_eq!(vocab.word(99), UNKNOWN_WORD);
    }

    #[test]
    fn add_k_probabilities_by_hand() {
        // Bigram counts after "a": b twice, c once; V = 4, k = 0.5.
        let vocab = Vocab::from_words(&tokenize("a b a b a c"));
        let tokens = vocab.encode(&tokenize("a b a b a c"));
        let model = NGram::train(&tokens, vocab.len(), 2, 0.5);
        let mut p = Vec::new();
        model.next_distribution(&[vocab.id("a")], &mut p);
        let z = 3.0 + 0.5 * 4.0;
        assert!((p[vocab.id("b") as usize] - 2.5 / z).abs() < 1e-15);
        assert!((p[vocab.id("c") as usize] - 1.5 / z).abs() < 1e-15);
        assert!((p[UNKNOWN as usize] - 0.5 / z).abs() < 1e-15);
        // "c" is never followed by anything: uniform.
        model.next_distribution(&[vocab.id("c")], &mut p);
        assert!(p.iter().all(|&x| (x - 0.25).abs() < 1e-15));
    }

    /// Brute force: every one of the V^(order−1) states held explicitly and
    /// pushed through P(w | s) one step at a time.
    fn brute_marginals(model: &NGram, history: &[Token], ahead: usize) -> Vec<Vec<f64>> {
        let v = model.vocab_size();
        let m = model.order() - 1;
        let states = v.pow(m as u32);
        let decode = |mut index: usize| -> Vec<Token> {
            let mut state = vec![0; m];
            for slot in state.iter_mut().rev() {
                *slot = (index % v) as Token;
                index /= v;
            }
            state
        };
        let encode = |state: &[Token]| state.iter().fold(0, |acc, &t| acc * v + t as usize);
        let mut p = vec![0.0; states];
        p[encode(&model.state_of(history))] = 1.0;
        let mut out = Vec::new();
        let mut next_p = Vec::new();
        for _ in 0..ahead {
            let mut marginal = vec![0.0; v];
            let mut moved = vec![0.0; states];
            for (index, &mass) in p.iter().enumerate() {
                if mass == 0.0 {
                    continue;
                }
                let state = decode(index);
                model.next_distribution(&state, &mut next_p);
                for (w, &q) in next_p.iter().enumerate() {
                    marginal[w] += mass * q;
                    let mut after = state[1..].to_vec();
                    after.push(w as Token);
                    moved[encode(&after)] += mass * q;
                }
            }
            out.push(marginal);
            p = moved;
        }
        out
    }

    #[test]
    fn marginals_match_brute_force_at_every_order() {
        let text = "the cat sat . the cat ran . a dog sat on the mat . the dog ran on .";
        let vocab = Vocab::from_words(&tokenize(text));
        let tokens = vocab.encode(&tokenize(text));
        for order in 2..=4 {
            for k in [0.01, 1.0] {
                let model = NGram::train(&tokens, vocab.len(), order, k);
                let history = vocab.encode(&tokenize("on the cat"));
                let fast = model.marginals(&history, 5);
                let slow = brute_marginals(&model, &history, 5);
                for (j, (a, b)) in fast.iter().zip(&slow).enumerate() {
                    let total: f64 = a.iter().sum();
                    assert!(
                        (total - 1.0).abs() < 1e-12,
                        "order {order} step {j}: {total}"
                    );
                    for (x, y) in a.iter().zip(b) {
                        assert!(
                            (x - y).abs() < 1e-12,
                            "order {order} k {k} step {j}: {x} vs {y}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_sparse_argmax_is_the_dense_one_after_every_history() {
        let text = "the cat sat . the cat ran . a dog sat on the mat . the dog ran on .";
        let vocab = Vocab::from_words(&tokenize(text));
        let tokens = vocab.encode(&tokenize(text));
        let v = vocab.len() as Token;
        let mut p = Vec::new();
        for order in 2..=4 {
            let model = NGram::train(&tokens, vocab.len(), order, SMOOTHING_FOR_TESTS);
            // Every history of up to three tokens, seen in the text or not.
            for a in 0..v {
                for b in 0..v {
                    for c in 0..v {
                        for history in [&[a][..], &[a, b], &[a, b, c]] {
                            model.next_distribution(history, &mut p);
                            assert_eq!(
                                model.most_likely_next(history) as usize,
                                crate::sim::decoding::accept::argmax(&p),
                                "order {order} history {history:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_first_marginal_is_the_next_token_distribution() {
        let text = "one two three one two four one two three .";
        let vocab = Vocab::from_words(&tokenize(text));
        let tokens = vocab.encode(&tokenize(text));
        let model = NGram::train(&tokens, vocab.len(), 3, 0.1);
        let history = vocab.encode(&tokenize("one two"));
        let mut p = Vec::new();
        model.next_distribution(&history, &mut p);
        let first = &model.marginals(&history, 1)[0];
        for (x, y) in first.iter().zip(&p) {
            assert!((x - y).abs() < 1e-15);
        }
    }
}
