//! What the decoding lessons (medusa, mtp) promise about their text, checked
//! against a plain decoding loop written here: one token a pass, the base
//! model's argmax after the whole text, with the no-repeat n-gram rule as
//! Hugging Face's `no_repeat_ngram_size` states it (a token that would
//! complete an n-gram already in prompt + output is banned).

use std::sync::Arc;

use learndeck::lesson::ParamSet;
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons;
use learndeck::sim::decoding::accept;
use learndeck::sim::decoding::medusa::{self, Medusa};
use learndeck::sim::decoding::mtp::{self, Mtp};
use learndeck::sim::decoding::ngram::{NGram, Token, Vocab, tokenize_prompt};
use learndeck::sim::decoding::tree::{TreeBuffers, mc_sim_7b_63, parse_paths};
use proptest::prelude::*;

/// Tokens of the defaults' text scanned for repeats.
const SCANNED: usize = 60;
/// The repeat the defaults must not show.
const REPEAT: usize = 4;

/// Tokens that complete an n-gram seen earlier in `seq`, found by brute
/// force over every start.
fn banned_by_hand(seq: &[Token], n: usize) -> Vec<Token> {
    if n == 0 || seq.len() < n - 1 {
        return Vec::new();
    }
    let tail = &seq[seq.len() - (n - 1)..];
    let mut out = Vec::new();
    for start in 0..seq.len() {
        if start + n > seq.len() {
            break;
        }
        if (0..n - 1).all(|i| seq[start + i] == tail[i]) {
            out.push(seq[start + n - 1]);
        }
    }
    out
}

/// Plain greedy decoding: the dense distribution after the whole text, the
/// banned tokens out, the first largest of the rest (everything, should
/// nothing be left).
pub fn plain(lm: &NGram, prompt: &[Token], length: usize, n: usize) -> Vec<Token> {
    let mut seq = prompt.to_vec();
    let mut p = Vec::new();
    for _ in 0..length {
        lm.next_distribution(&seq, &mut p);
        let banned = banned_by_hand(&seq, n);
        let mut best: Option<usize> = None;
        for (t, &x) in p.iter().enumerate() {
            if banned.contains(&(t as Token)) {
                continue;
            }
            if best.is_none_or(|b| x > p[b]) {
                best = Some(t);
            }
        }
        seq.push(best.unwrap_or_else(|| accept::argmax(&p)) as Token);
    }
    seq[prompt.len()..].to_vec()
}

/// The first repeated `n`-gram of `tokens`, if any: every pair of starts.
fn first_repeat(tokens: &[Token], n: usize) -> Option<(usize, usize)> {
    let starts = tokens.len().saturating_sub(n - 1);
    for a in 0..starts {
        for b in a + 1..starts {
            if tokens[a..a + n] == tokens[b..b + n] {
                return Some((a, b));
            }
        }
    }
    None
}

fn defaults(id: &str) -> ParamSet {
    lessons::find(id).expect(id).defaults()
}

fn summary_tokens(id: &str) -> Vec<Token> {
    let lesson = lessons::find(id).expect(id);
    let mut built = (lesson.build)(&lesson.defaults(), 0).expect("builds");
    while built.step() {}
    let table = built.summary();
    table["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .map(|v| v.as_integer().expect("int") as Token)
        .collect()
}

#[test]
fn the_default_texts_repeat_no_four_gram_in_their_first_sixty_tokens() {
    for id in ["medusa", "mtp"] {
        let tokens = summary_tokens(id);
        assert!(tokens.len() >= SCANNED, "{id}: {} tokens", tokens.len());
        let scanned = &tokens[..SCANNED];
        assert_eq!(first_repeat(scanned, REPEAT), None, "{id}: {scanned:?}");
    }
}

#[test]
fn the_default_texts_are_plain_greedy_decoding_with_the_rule() {
    for id in ["medusa", "mtp"] {
        let params = defaults(id);
        let order = params.count("order").expect("order");
        let n = params.count("no_repeat_ngram").expect("rule");
        assert!(n > 0, "{id}: the rule is on by default");
        let length = params.count("length").expect("length");
        let (lm, vocab) = lessons::language_model(order);
        let prompt = vocab.encode(&tokenize_prompt(params.text("prompt").expect("prompt")));
        assert_eq!(summary_tokens(id), plain(&lm, &prompt, length, n), "{id}");
    }
}

#[test]
fn without_the_rule_the_default_medusa_text_loops() {
    // The reason for the rule: greedy decoding of this model repeats itself.
    let params = defaults("medusa");
    let (lm, vocab) = lessons::language_model(params.count("order").expect("order"));
    let prompt = vocab.encode(&tokenize_prompt(params.text("prompt").expect("prompt")));
    let text = plain(&lm, &prompt, SCANNED, 0);
    assert!(first_repeat(&text, REPEAT).is_some());
}

fn prompt_of(vocab: &Vocab, picks: &[usize]) -> Vec<Token> {
    picks.iter().map(|&i| (i % vocab.len()) as Token).collect()
}

/// Lengths short enough for many cases, long enough for the rule to bite.
const LENGTH: usize = 30;

fn tree_named(which: usize) -> Vec<Vec<usize>> {
    match which {
        0 => mc_sim_7b_63(),
        1 => parse_paths("0;1;0,0;0,1;0,0,0").expect("parses"),
        _ => parse_paths("0;0,0;0,0,0;0,0,0,0;0,0,0,0,0").expect("parses"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn greedy_medusa_with_the_rule_is_plain_decoding_with_it(
        order in 2usize..=4,
        picks in prop::collection::vec(0usize..10_000, 1..6),
        n in 0usize..=5,
        heads in 0usize..=5,
        quality in 0.0f64..=1.0,
        which in 0usize..3,
        seed in any::<u64>(),
    ) {
        let (lm, vocab) = lessons::language_model(order);
        let prompt = prompt_of(&vocab, &picks);
        let settings = medusa::Settings {
            heads,
            quality,
            temperature: 0.0,
            posterior_threshold: accept::POSTERIOR_THRESHOLD,
            posterior_alpha: accept::POSTERIOR_ALPHA,
            length: LENGTH,
            no_repeat: n,
        };
        let tree = TreeBuffers::new(&medusa::prune(&tree_named(which), heads)).expect("valid");
        let mut m = Medusa::new(Arc::clone(&lm), Arc::new(tree), settings, &prompt, seed);
        while m.step() {}
        prop_assert_eq!(m.generated(), &plain(&lm, &prompt, LENGTH, n)[..]);
    }

    #[test]
    fn greedy_mtp_with_the_rule_is_plain_decoding_with_it(
        order in 2usize..=4,
        picks in prop::collection::vec(0usize..10_000, 1..6),
        n in 0usize..=5,
        depth in 1usize..=4,
        quality in 0.0f64..=1.0,
        seed in any::<u64>(),
    ) {
        let (lm, vocab) = lessons::language_model(order);
        let prompt = prompt_of(&vocab, &picks);
        let settings = mtp::Settings { depth, quality, temperature: 0.0, length: LENGTH, no_repeat: n };
        let mut m = Mtp::new(Arc::clone(&lm), settings, &prompt, seed);
        while m.step() {}
        prop_assert_eq!(m.generated(), &plain(&lm, &prompt, LENGTH, n)[..]);
    }
}
