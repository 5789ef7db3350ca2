//! A tour under way, as the App keeps it (`tour.rs` moves it on).

use crate::tour::Tour;

/// A tour under way on one tab.
pub struct TourRun {
    /// The tab whose lesson the tour walks.
    pub tab: usize,
    pub tour: Tour,
    /// The stop shown (0-based).
    pub stop: usize,
}
