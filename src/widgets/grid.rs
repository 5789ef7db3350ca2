//! A scrolling table of fixed-width cells with row and column labels: DP
//! tables, decision bits, anything indexed by (row, column).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

/// Marks drawn in the header when columns are hidden to either side.
const MORE_LEFT: &str = "◀";
const MORE_RIGHT: &str = "▶";

/// The first index to show so that `focus` is visible, centred where possible.
pub fn follow(total: usize, visible: usize, focus: usize) -> usize {
    if visible == 0 || total <= visible {
        return 0;
    }
    focus.saturating_sub(visible / 2).min(total - visible)
}

/// The first index to show so that both `lo` and `hi` are visible when they
/// fit together (centred on their middle), else so that `hi` is.
pub fn follow_range(total: usize, visible: usize, lo: usize, hi: usize) -> usize {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if hi - lo < visible {
        follow(total, visible, lo + (hi - lo) / 2)
    } else {
        follow(total, visible, hi)
    }
}

/// How many cells of `cell_width` fit beside a label column.
pub fn visible_cells(width: u16, label_width: u16, cell_width: u16) -> usize {
    (width.saturating_sub(label_width) / cell_width.max(1)) as usize
}

/// Text and style of one cell.
pub type CellFn<'a> = &'a dyn Fn(usize, usize) -> (String, Style);

pub struct Grid<'a> {
    pub rows: usize,
    pub cols: usize,
    pub first_row: usize,
    pub first_col: usize,
    /// Width of one cell including the one-space gap on its left.
    pub cell_width: u16,
    pub label_width: u16,
    /// Text over the label column, when a header row is drawn.
    pub corner: Option<Line<'a>>,
    pub col_label: &'a dyn Fn(usize) -> (String, Style),
    pub row_label: &'a dyn Fn(usize) -> Line<'a>,
    pub cell: CellFn<'a>,
}

impl Grid<'_> {
    /// Draws the header row (when `corner` is set) and as many rows as fit.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let visible = visible_cells(area.width, self.label_width, self.cell_width);
        let last_col = (self.first_col + visible).min(self.cols);
        let text_width = usize::from(self.cell_width.saturating_sub(1));
        let mut y = area.y;
        let cell_x = |col: usize| {
            area.x + self.label_width + (col - self.first_col) as u16 * self.cell_width + 1
        };
        if let Some(corner) = &self.corner {
            buf.set_line(area.x, y, corner, self.label_width);
            for col in self.first_col..last_col {
                let (text, style) = (self.col_label)(col);
                buf.set_stringn(
                    cell_x(col),
                    y,
                    format!("{text:>text_width$}"),
                    text_width,
                    style,
                );
            }
            if self.first_col > 0 && self.label_width > 0 {
                buf.set_string(area.x + self.label_width - 1, y, MORE_LEFT, Style::new());
            }
            if last_col < self.cols {
                buf.set_string(area.right() - 1, y, MORE_RIGHT, Style::new());
            }
            y += 1;
        }
        for row in self.first_row..self.rows {
            if y >= area.bottom() {
                break;
            }
            buf.set_line(area.x, y, &(self.row_label)(row), self.label_width);
            for col in self.first_col..last_col {
                let (text, style) = (self.cell)(row, col);
                buf.set_stringn(
                    cell_x(col),
                    y,
                    format!("{text:>text_width$}"),
                    text_width,
                    style,
                );
            }
            y += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_keeps_the_focus_visible_and_stays_in_range() {
        assert_eq!(follow(10, 20, 9), 0);
        assert_eq!(follow(100, 10, 0), 0);
        assert_eq!(follow(100, 10, 50), 45);
        assert_eq!(follow(100, 10, 99), 90);
        for focus in 0..100 {
            let first = follow(100, 7, focus);
            assert!(first <= focus && focus < first + 7);
        }
    }

    #[test]
    fn follow_range_shows_both_ends_when_they_fit() {
        for (lo, hi) in [(0, 5), (40, 46), (93, 99), (10, 10)] {
            let first = follow_range(100, 7, lo, hi);
            assert!(first <= lo && hi < first + 7, "{lo}..{hi} from {first}");
        }
        let first = follow_range(100, 7, 10, 50);
        assert!(first <= 50 && 50 < first + 7);
    }
}
