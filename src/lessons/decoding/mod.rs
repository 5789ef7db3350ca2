//! What the `medusa` and `mtp` lessons (issue 4) will share: Medusa's tree
//! buffers and the rules that verify drafted tokens against the base model.
//! The `medusa` and `mtp` lessons are built on them.

use std::sync::Arc;

use ngram::{NGram, Vocab, tokenize};

pub mod accept;
pub mod medusa;
pub mod mtp;
pub mod ngram;
pub mod tree;

/// Add-k smoothing constant of the toy model: small, so counted successors
/// dominate, yet every word keeps some probability.
pub const SMOOTHING: f64 = 0.01;

/// What the toy model is trained on: the project's own corpus and every
/// lesson explanation (their English; tokenising drops other scripts).
pub const TRAINING_TEXTS: &[&str] = &[
    include_str!("../../../assets/data/corpus.txt"),
    include_str!("../../../assets/lessons/combsum.md"),
    include_str!("../../../assets/lessons/heap.md"),
    include_str!("../../../assets/lessons/knapsack.md"),
    include_str!("../../../assets/lessons/map.md"),
    include_str!("../../../assets/lessons/maxgap.md"),
    include_str!("../../../assets/lessons/medusa.md"),
    include_str!("../../../assets/lessons/mtp.md"),
    include_str!("../../../assets/lessons/optim.md"),
    include_str!("../../../assets/lessons/precision.md"),
    include_str!("../../../assets/lessons/score.md"),
    include_str!("../../../assets/lessons/sde.md"),
    include_str!("../../../assets/lessons/sorts.md"),
];

/// The vocabulary and the n-gram model of `order`, trained on `TRAINING_TEXTS`.
pub fn language_model(order: usize) -> (Arc<NGram>, Arc<Vocab>) {
    let words: Vec<String> = TRAINING_TEXTS.iter().flat_map(|t| tokenize(t)).collect();
    let vocab = Vocab::from_words(&words);
    let model = NGram::train(&vocab.encode(&words), vocab.len(), order, SMOOTHING);
    (Arc::new(model), Arc::new(vocab))
}
