//! What the score-based lessons share: Gaussian-mixture targets with their
//! analytic (noised) scores, the learned score, the SDEs, particle clouds and
//! their statistics, and parallel stepping. Each part lives in its own file;
//! this one only names them.

pub mod cloud;
pub mod fastmath;
pub mod kernel;
pub mod learned;
pub mod normals;
pub mod random;
pub mod sde;
pub mod setup;
pub mod step;
pub mod target;
