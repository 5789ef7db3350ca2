//! The integration tests, one crate: each module was once a crate of its own
//! and linked the whole program again. One link, one binary, one run.
//!
//! - models against independent facts: `*_model`;
//! - the command line and its output: `cli`, `golden`, `reproduce`;
//! - what persists between runs: `progress`;
//! - the dashboard as drawn: `ui`, `explanations`, `i18n`; in a real
//!   terminal: `pty`;
//! - hostile and long inputs: `extremes`, `fuzz_input`, `long_runs`;
//! - the house rules: `architecture`.

/// Parameter values at and beyond each bound, shared with `benches/extremes.rs`.
#[path = "support/extremes.rs"]
mod support;

mod architecture;
mod asking;
mod cli;
mod combsum_model;
mod combsum_teach;
mod dashboard;
mod decoding_teach;
mod diffusion_screens;
mod events;
mod explanations;
mod extremes;
mod fuzz_input;
mod golden;
mod heap_model;
mod heap_teach;
mod i18n;
mod knapsack_model;
mod long_runs;
mod map_model;
mod map_teach;
mod maxgap_model;
mod maxgap_teach;
mod medusa_teach;
mod mtp_teach;
mod optim_model;
mod optim_teach;
mod precision_model;
mod precision_teach;
mod progress;
mod pty;
mod questions;
mod reproduce;
mod score_model;
mod score_teach;
mod sde_model;
mod sde_teach;
mod sorts_model;
mod sorts_teach;
mod tours;
mod ui;
