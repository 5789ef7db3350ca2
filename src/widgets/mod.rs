//! Drawing shared by lessons.

pub mod chart;
pub mod decoding;
pub mod field;
pub mod grid;
pub mod markdown;
pub mod particles;
pub mod pseudocode;
pub mod scroll;
pub mod tree;
pub mod words;
pub mod wrap;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::theme::Theme;

/// A bordered box with a title, in the theme's panel colours.
/// Clears `area` for a popup, including the left half of any two-column
/// character that the popup's left edge would cut: left in place, it would
/// still claim the edge's column, and the popup's border would not show.
pub fn clear_for_popup(area: ratatui::layout::Rect, buf: &mut ratatui::buffer::Buffer) {
    use ratatui::widgets::Widget;
    ratatui::widgets::Clear.render(area, buf);
    if area.x == 0 {
        return;
    }
    for y in area.top()..area.bottom() {
        if let Some(cell) = buf.cell_mut((area.x - 1, y))
            && unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

pub fn panel<'a>(title: impl Into<Line<'a>>, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .title(title)
        .title_style(theme.title)
        .border_style(theme.border)
}

/// Columns a panel's left and right border take (a title sits between them too).
pub const BORDER_COLUMNS: usize = 2;

/// `full` when it fits on the top border of a panel `width` columns wide,
/// else `short`: a title cut mid-word says less than a shorter one.
pub fn fitting_title<'a>(full: &'a str, short: &'a str, width: u16) -> &'a str {
    if Line::from(full).width() + BORDER_COLUMNS <= usize::from(width) {
        full
    } else {
        short
    }
}

/// A legend line: each entry is a sample drawn in its style, then its meaning.
pub fn legend<'a>(entries: &[(&'a str, Style, &'a str)], label_style: Style) -> Line<'a> {
    let mut spans = Vec::with_capacity(entries.len() * 3);
    for (at, (sample, style, meaning)) in entries.iter().enumerate() {
        if at > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(*sample, *style));
        spans.push(Span::styled(format!(" {meaning}"), label_style));
    }
    Line::from(spans)
}

/// Number of decimal digits of `n` (1 for 0).
pub fn digits(n: u64) -> u16 {
    n.checked_ilog10().map_or(1, |d| d as u16 + 1)
}

/// `text` padded with spaces to `width` display columns (combining marks and
/// wide characters counted as the terminal shows them).
pub fn pad(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let shown = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}
