//! The decoding lessons' building blocks (issue 4): the n-gram model's exact
//! ahead-marginals that simulated Medusa heads need, once per pass, and the
//! 63-node tree's buffers. Trained on the lesson explanations the project ships.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;

use criterion::BatchSize;
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::decoding::SMOOTHING;
use learndeck::lessons::decoding::accept::{POSTERIOR_ALPHA, POSTERIOR_THRESHOLD};
use learndeck::lessons::decoding::medusa::{Medusa, Settings};
use learndeck::lessons::decoding::ngram::{NGram, Vocab, tokenize};
use learndeck::lessons::decoding::tree::{TreeBuffers, mc_sim_7b_63};

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
    for order in 2..=4 {
        let lm = Arc::new(NGram::train(&tokens, vocab.len(), order, SMOOTHING));
        let tree = Arc::new(TreeBuffers::new(&mc_sim_7b_63()).expect("valid"));
        let settings = Settings {
            heads: 4,
            quality: 0.8,
            temperature: 0.0,
            posterior_threshold: POSTERIOR_THRESHOLD,
            posterior_alpha: POSTERIOR_ALPHA,
            length: usize::MAX,
        };
        let start = Medusa::new(lm, tree, settings, &history, 1);
        group.bench_function(format!("medusa_pass_63_nodes_order{order}"), |b| {
            b.iter_batched_ref(|| start.clone(), |m| m.step(), BatchSize::SmallInput);
        });
    }
    group.bench_function("buffers_mc_sim_7b_63", |b| {
        let paths = mc_sim_7b_63();
        b.iter(|| black_box(TreeBuffers::new(black_box(&paths))));
    });
    group.finish();
}

criterion_group!(benches, decoding);
criterion_main!(benches);
