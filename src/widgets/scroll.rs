//! The scroll position of a pane of wrapped text.

use std::cell::Cell;

/// Lines of the previous page still shown after a page down (and of the next
/// page after a page up), so the reader keeps their place.
const PAGE_OVERLAP: usize = 1;

/// Where a scrolled pane of text stands.
///
/// Keys move it in the App, but only the drawing knows how many lines the
/// text wraps to and how many rows the pane has; both change with the
/// terminal's size and the language. So the renderer reports them on every
/// frame through [`Scroll::fit`], which also clamps the position to them,
/// and the moves use the last report. A resize is thus clamped on the frame
/// it causes, before any key can act on the old position; the last page ends
/// with the text's last line and never scrolls on into a blank pane. The
/// fields are cells because drawing only gets `&App`.
#[derive(Debug, Default)]
pub struct Scroll {
    /// The first line shown.
    top: Cell<usize>,
    /// Lines of the text, as last drawn.
    lines: Cell<usize>,
    /// Rows of the pane, as last drawn.
    rows: Cell<usize>,
}

impl Scroll {
    /// The first line shown.
    pub fn top(&self) -> usize {
        self.top.get()
    }

    /// Records the text's length and the pane's height as drawn now, and
    /// returns the first line to show, clamped so the pane stays full.
    pub fn fit(&self, lines: usize, rows: usize) -> usize {
        self.lines.set(lines);
        self.rows.set(rows);
        self.top.set(self.top.get().min(self.last_top()));
        self.top.get()
    }

    /// The first line shown when the text's last line is on the last row.
    fn last_top(&self) -> usize {
        self.lines.get().saturating_sub(self.rows.get())
    }

    /// Lines one page moves.
    fn page(&self) -> usize {
        self.rows.get().saturating_sub(PAGE_OVERLAP).max(1)
    }

    /// Whether the whole text fitted the pane, as last drawn.
    pub fn fits(&self) -> bool {
        self.lines.get() <= self.rows.get()
    }

    pub fn page_down(&mut self) {
        let top = self.top.get().saturating_add(self.page());
        self.top.set(top.min(self.last_top()));
    }

    pub fn page_up(&mut self) {
        self.top.set(self.top.get().saturating_sub(self.page()));
    }

    pub fn to_top(&mut self) {
        self.top.set(0);
    }

    pub fn to_end(&mut self) {
        self.top.set(self.last_top());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_overlap_by_a_line_and_stop_at_the_last_full_page() {
        let mut scroll = Scroll::default();
        assert_eq!(scroll.fit(25, 10), 0);
        scroll.page_down();
        assert_eq!(scroll.top(), 9);
        scroll.page_down();
        assert_eq!(scroll.top(), 15, "lines 15..25: the last on the last row");
        scroll.page_down();
        assert_eq!(scroll.top(), 15);
        scroll.page_up();
        assert_eq!(scroll.top(), 6);
        scroll.page_up();
        assert_eq!(scroll.top(), 0);
        scroll.to_end();
        assert_eq!(scroll.top(), 15);
        scroll.to_top();
        assert_eq!(scroll.top(), 0);
    }

    #[test]
    fn a_taller_pane_clamps_the_position_and_short_text_never_scrolls() {
        let mut scroll = Scroll::default();
        scroll.fit(25, 10);
        scroll.to_end();
        assert_eq!(scroll.fit(25, 20), 5);
        assert_eq!(scroll.fit(8, 20), 0);
        scroll.page_down();
        assert_eq!(scroll.top(), 0);
        // A pane of one row still moves a line at a time.
        scroll.fit(3, 1);
        scroll.page_down();
        assert_eq!(scroll.top(), 1);
    }
}
