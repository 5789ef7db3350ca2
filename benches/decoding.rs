//! The decoding lessons' building blocks (issue 4): the n-gram model's exact
//! ahead-marginals that simulated Medusa heads need, once per pass, and the
//! 63-node tree's buffers. Trained on the lesson explanations the project ships
//! (about a thousand distinct words), and, for the issue's "vocabulary of a
//! few thousand words", on a synthetic Markov text over 3,000 token ids.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;

use criterion::BatchSize;
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::decoding::SMOOTHING;
use learndeck::lessons::decoding::accept::{POSTERIOR_ALPHA, POSTERIOR_THRESHOLD};
use learndeck::lessons::decoding::medusa::{Medusa, Settings};
use learndeck::lessons::decoding::ngram::{NGram, Token, Vocab, tokenize};
use learndeck::lessons::decoding::tree::{TreeBuffers, mc_sim_7b_63};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// Medusa's five heads look 2 to 6 tokens ahead.
const AHEAD: usize = 6;

fn shipped_text() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/lessons");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("assets/lessons") {
        let path = entry.expect("entry").path();
        text.push_str(&std::fs::read_to_string(&path).expect("readable"));
        text.push('\n');
    }
    text
}

/// The vocabulary size for the pass target.
const LARGE_VOCAB: usize = 3_000;
/// Tokens of synthetic text. Natural text needs about this many to show 3,000
/// different words: the shipped text shows 1,053 in about 7,000, and the count
/// of different words grows roughly as the square root of the length.
const SYNTHETIC_LENGTH: usize = 60_000;
/// Each id's usual successors, and how often one of them follows.
const FAVOURITES: u64 = 4;
const FAVOURITE_SHARE: f64 = 0.6;

/// A text with a real next-word structure over `vocab` ids: a favourite
/// successor of the previous id most of the time, else an id drawn with
/// Zipf-like (log-uniform rank) frequency, as words are.
fn synthetic_tokens(vocab: usize) -> Vec<Token> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let v = vocab as u64;
    let mut tokens = vec![0 as Token];
    for _ in 1..SYNTHETIC_LENGTH {
        let previous = u64::from(*tokens.last().unwrap_or(&0));
        let next = if rng.random::<f64>() < FAVOURITE_SHARE {
            let j = rng.random_range(0..FAVOURITES);
            (previous * 7_919 + j * 104_729 + 1) % v
        } else {
            ((v as f64).powf(rng.random::<f64>()) as u64).saturating_sub(1) % v
        };
        tokens.push(next as Token);
    }
    tokens
}

/// Medusa with four heads of quality 0.8 over the 63-node tree, greedy, about
/// to take its first pass after `history`.
fn pass_start(text: &[Token], vocab: usize, order: usize, history: &[Token]) -> Medusa {
    let lm = Arc::new(NGram::train(text, vocab, order, SMOOTHING));
    let tree = Arc::new(TreeBuffers::new(&mc_sim_7b_63()).expect("valid"));
    let settings = Settings {
        heads: 4,
        quality: 0.8,
        temperature: 0.0,
        posterior_threshold: POSTERIOR_THRESHOLD,
        posterior_alpha: POSTERIOR_ALPHA,
        length: usize::MAX,
    };
    Medusa::new(lm, tree, settings, history, 1)
}

fn decoding(c: &mut Criterion) {
    let words = tokenize(&shipped_text());
    let vocab = Vocab::from_words(&words);
    let tokens = vocab.encode(&words);
    let history = vocab.encode(&tokenize("the model takes a step and"));
    let mut group = c.benchmark_group("decoding");
    for order in 2..=4 {
        let model = NGram::train(&tokens, vocab.len(), order, SMOOTHING);
        group.bench_function(format!("marginals_order{order}_V{}", vocab.len()), |b| {
            b.iter(|| black_box(model.marginals(black_box(&history), AHEAD)));
        });
    }
    // One whole Medusa pass: four simulated heads (each an exact marginal),
    // the 63-node tree's candidates, the base distribution at all 64 nodes,
    // greedy verification and the update.
    let synthetic = synthetic_tokens(LARGE_VOCAB);
    let texts = [
        (
            tokens.as_slice(),
            vocab.len(),
            history.as_slice(),
            String::new(),
        ),
        (
            synthetic.as_slice(),
            LARGE_VOCAB,
            &synthetic[..8],
            format!("_V{LARGE_VOCAB}"),
        ),
    ];
    for (text, size, start_history, label) in texts {
        for order in 2..=4 {
            let start = pass_start(text, size, order, start_history);
            group.bench_function(format!("medusa_pass_63_nodes_order{order}{label}"), |b| {
                b.iter_batched_ref(|| start.clone(), |m| m.step(), BatchSize::SmallInput);
            });
        }
    }
    group.bench_function("buffers_mc_sim_7b_63", |b| {
        let paths = mc_sim_7b_63();
        b.iter(|| black_box(TreeBuffers::new(black_box(&paths))));
    });
    group.finish();
}

criterion_group!(benches, decoding);
criterion_main!(benches);
