//! The decoding lessons' building blocks (issue 4): the n-gram model's exact
//! ahead-marginals that simulated Medusa heads need, once per pass, and the
//! 63-node tree's buffers. With the lessons' own model (trained on the corpus
//! and explanations the project ships), and, for the issue's "vocabulary of a
//! few thousand words", on a synthetic Markov text over 3,000 token ids.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;

use criterion::BatchSize;
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::language_model;
use learndeck::sim::decoding::SMOOTHING;
use learndeck::sim::decoding::accept::{POSTERIOR_ALPHA, POSTERIOR_THRESHOLD};
use learndeck::sim::decoding::medusa::{Medusa, Settings};
use learndeck::sim::decoding::ngram::{NGram, Token, tokenize};
use learndeck::sim::decoding::tree::{TreeBuffers, mc_sim_7b_63};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// Medusa's five heads look 2 to 6 tokens ahead.
const AHEAD: usize = 6;

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
fn pass_start(lm: Arc<NGram>, history: &[Token]) -> Medusa {
    let tree = Arc::new(TreeBuffers::new(&mc_sim_7b_63()).expect("valid"));
    let settings = Settings {
        heads: 4,
        quality: 0.8,
        temperature: 0.0,
        posterior_threshold: POSTERIOR_THRESHOLD,
        posterior_alpha: POSTERIOR_ALPHA,
        length: usize::MAX,
        // The lessons' default rule, so the bench times what they run.
        no_repeat: learndeck::sim::decoding::norepeat::DEFAULT_N,
    };
    Medusa::new(lm, tree, settings, history, 1)
}

fn decoding(c: &mut Criterion) {
    let (_, vocab) = language_model(2);
    let history = vocab.encode(&tokenize("the model takes a step and"));
    let mut group = c.benchmark_group("decoding");
    for order in 2..=4 {
        let (model, _) = language_model(order);
        group.bench_function(format!("marginals_order{order}_V{}", vocab.len()), |b| {
            b.iter(|| black_box(model.marginals(black_box(&history), AHEAD)));
        });
    }
    // One whole Medusa pass: four simulated heads (each an exact marginal),
    // the 63-node tree's candidates, the base distribution at all 64 nodes,
    // greedy verification and the update.
    let synthetic = synthetic_tokens(LARGE_VOCAB);
    for order in 2..=4 {
        let shipped = pass_start(language_model(order).0, &history);
        let large = pass_start(
            Arc::new(NGram::train(&synthetic, LARGE_VOCAB, order, SMOOTHING)),
            &synthetic[..8],
        );
        for (start, label) in [
            (shipped, String::new()),
            (large, format!("_V{LARGE_VOCAB}")),
        ] {
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
