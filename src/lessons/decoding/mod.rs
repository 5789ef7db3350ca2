//! What the `medusa` and `mtp` lessons (issue 4) will share: Medusa's tree
//! buffers and the rules that verify drafted tokens against the base model.
//! The lessons themselves, their toy language model and their views are not
//! built yet; these parts are complete and tested on their own.

pub mod accept;
pub mod medusa;
pub mod ngram;
pub mod tree;
