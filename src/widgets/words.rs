//! Text laid out word by word with a style per word, and one-line share bars:
//! what the decoding lessons draw their text and acceptance rates with.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::theme::Theme;

/// Width of a share bar, in cells.
const BAR: usize = 12;

/// Words laid out in lines of at most `width` columns, a space between.
pub fn flow<'a>(words: &[(&'a str, Style)], width: usize) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut used = 0;
    for &(word, style) in words {
        let len = word.chars().count();
        if used > 0 && used + 1 + len > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        if used > 0 {
            line.push(Span::raw(" "));
            used += 1;
        }
        line.push(Span::styled(word, style));
        used += len;
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    lines
}

/// `label`, a bar filled to `share` (0..=1) and the share as a percentage.
pub fn bar_line(label: String, share: f64, style: Style, theme: &Theme) -> Line<'static> {
    let filled = (share.clamp(0.0, 1.0) * BAR as f64).round() as usize;
    Line::from(vec![
        Span::styled(label, theme.text),
        Span::styled("█".repeat(filled), style),
        Span::styled("·".repeat(BAR - filled), theme.dim),
        Span::styled(format!(" {:>3.0}%", share * 100.0), theme.text),
    ])
}
