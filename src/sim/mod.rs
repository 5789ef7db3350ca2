//! Simulations shared by several lessons. Nothing here imports `lessons`,
//! `ui` or ratatui (a test checks it): a lesson builds on these, never the
//! other way round.
//!
//! - [`adam`]: Adam's update of one coordinate (optim, and the learned score).
//! - [`diffusion`]: Gaussian-mixture targets and their scores, the three
//!   SDEs, the learned score, particle clouds (score, sde).
//! - [`decoding`]: the n-gram language model, Medusa's tree buffers,
//!   acceptance rules, and the Medusa and MTP decoders (medusa, mtp).

pub mod adam;
pub mod decoding;
pub mod diffusion;
