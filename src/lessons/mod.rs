//! The lesson registry: the one list the shell, `list`, `trace` and config read.

pub mod combsum;
pub mod heap;
pub mod knapsack;
pub mod map;
pub mod maxgap;
pub mod medusa;
pub mod mtp;
pub mod optim;
pub mod precision;
pub mod score;
pub mod sde;
pub mod sorts;

use std::sync::{Arc, OnceLock};

use crate::lesson::LessonEntry;
use crate::sim::decoding::ngram::{NGram, Vocab};

/// Every lesson, in tab order.
pub const REGISTRY: &[LessonEntry] = &[
    score::ENTRY,
    sde::ENTRY,
    optim::ENTRY,
    precision::ENTRY,
    medusa::ENTRY,
    mtp::ENTRY,
    map::ENTRY,
    knapsack::ENTRY,
    heap::ENTRY,
    sorts::ENTRY,
    maxgap::ENTRY,
    combsum::ENTRY,
];

/// The entry with this id.
pub fn find(id: &str) -> Option<&'static LessonEntry> {
    REGISTRY.iter().find(|entry| entry.id == id)
}

/// The ids, for messages that say what is allowed.
pub fn ids() -> String {
    REGISTRY
        .iter()
        .map(|entry| entry.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the decoding lessons' toy model is trained on: our own corpus, then
/// every lesson's explanation in id order (the order numbers the vocabulary,
/// so it is fixed; a new lesson's explanation joins by its registry line).
pub fn training_texts() -> Vec<&'static str> {
    let mut entries: Vec<&LessonEntry> = REGISTRY.iter().collect();
    entries.sort_by_key(|entry| entry.id);
    std::iter::once(crate::sim::decoding::CORPUS)
        .chain(entries.iter().map(|entry| entry.explanation))
        .collect()
}

/// Orders the toy model can be built with, 2 to 4: one trained model each.
const ORDERS: usize = 3;
static MODELS: [OnceLock<(Arc<NGram>, Arc<Vocab>)>; ORDERS] =
    [OnceLock::new(), OnceLock::new(), OnceLock::new()];

/// The toy model of `order` (clamped to 2..=4) on `training_texts()`,
/// trained the first time it is asked for and shared after: both decoding
/// lessons, and every rebuild on a parameter change, reuse it.
pub fn language_model(order: usize) -> (Arc<NGram>, Arc<Vocab>) {
    let order = order.clamp(2, ORDERS + 1);
    MODELS[order - 2]
        .get_or_init(|| crate::sim::decoding::train(&training_texts(), order))
        .clone()
}
