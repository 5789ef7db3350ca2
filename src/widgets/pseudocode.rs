//! Pseudocode with the line being executed highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::BORDER_COLUMNS;
use super::grid::follow;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::theme::Theme;

/// Draws `lines` numbered from 1, keeping `current` (0-based) in view and
/// highlighted across the full width.
pub fn render(lines: &[&str], current: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
    render_marked(lines, current, &[], area, buf, theme);
}

/// Columns a [`render_panel`] box needs to show `lines` whole: the longest
/// line, its number and marker, and the border.
pub fn panel_width(lines: &[&str]) -> u16 {
    let number_width = lines.len().to_string().len();
    let longest = lines
        .iter()
        .map(|l| ratatui::text::Line::from(*l).width())
        .max()
        .unwrap_or(0);
    u16::try_from(longest + number_width + MARKER_WIDTH + BORDER_COLUMNS).unwrap_or(u16::MAX)
}

/// The `▶`/`◆` column after the line number.
const MARKER_WIDTH: usize = 1;

/// Pseudocode in a titled box, as every lesson shows it: nothing when the
/// area cannot hold a line inside its border.
pub fn render_panel(
    title: &str,
    lines: &[&str],
    current: usize,
    marked: &[usize],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    if area.height < 3 {
        return;
    }
    let block = super::panel(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    render_marked(lines, current, marked, inner, buf, theme);
}

/// A lesson's own pseudocode in a titled box, its current line highlighted.
pub fn render_lesson(title: &str, lesson: &dyn Lesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    render_panel(
        title,
        lesson.pseudocode(theme.lang),
        lesson.current_line(),
        &[],
        area,
        buf,
        theme,
    );
}

/// As [`render`], with the `marked` lines (0-based) drawn in the theme's
/// contrast style and flagged with `◆`: lines that differ from a listing beside it.
pub fn render_marked(
    lines: &[&str],
    current: usize,
    marked: &[usize],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    if area.is_empty() {
        return;
    }
    let number_width = lines.len().to_string().len();
    let first = follow(lines.len(), usize::from(area.height), current);
    for (row, (at, line)) in lines
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(area.height))
        .enumerate()
    {
        let y = area.y + row as u16;
        let (style, marker) = match (at == current, marked.contains(&at)) {
            (true, _) => (theme.code_line, "▶"),
            (false, true) => (theme.other, "◆"),
            (false, false) => (theme.text, " "),
        };
        if at == current {
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        }
        let number = format!("{:>number_width$}", at + 1);
        let x = buf
            .set_stringn(
                area.x,
                y,
                &number,
                usize::from(area.width),
                if at == current { style } else { theme.dim },
            )
            .0;
        let x = buf
            .set_stringn(x, y, marker, usize::from(area.right() - x), style)
            .0;
        buf.set_stringn(
            x,
            y,
            line,
            usize::from(area.right().saturating_sub(x)),
            Style::new().patch(style),
        );
    }
}
