//! The lesson registry: the one list the shell, `list`, `trace` and config read.

pub mod combsum;
pub mod decoding;
pub mod diffusion;
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

use crate::lesson::LessonEntry;

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
