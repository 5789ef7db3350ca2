//! The help overlay, generated from the key table: one column when it fits,
//! two when the terminal is short.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::action::{Binding, EDIT_KEYS, GOTO_KEYS, KEYS, keys_label};
use crate::app::App;

/// Widest one column grows.
const COLUMN_WIDTH: u16 = 48;

/// Each binding's keys and what they do.
fn labels<A>(table: &[Binding<A>]) -> Vec<(String, &'static str)> {
    table.iter().map(|b| (keys_label(b), b.help)).collect()
}

/// All help lines: every binding, then the input line's and the go-to
/// prompt's keys, each table under its heading.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let sections = [
        (None, labels(KEYS)),
        (Some(" While typing a value:"), labels(EDIT_KEYS)),
        (Some(" After g (go to a lesson):"), labels(GOTO_KEYS)),
    ];
    let width = sections
        .iter()
        .flat_map(|(_, entries)| entries.iter().map(|(label, _)| label.chars().count()))
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (heading, entries) in sections {
        if let Some(heading) = heading {
            lines.push(Line::styled(heading, theme.title));
        }
        lines.extend(entries.into_iter().map(|(label, what)| {
            Line::from(vec![
                Span::styled(format!(" {label:<width$}  "), theme.key),
                Span::styled(what, theme.text),
            ])
        }));
    }
    lines
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let mut lines = lines(app);
    let fits_one = lines.len() as u16 + 2 <= area.height;
    let columns: u16 = if fits_one { 1 } else { 2 };
    let width = (COLUMN_WIDTH * columns + 2).min(area.width);
    let rows = (lines.len() as u16).div_ceil(columns);
    let height = (rows + 2).min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(" keys — any key closes ")
        .title_style(theme.title)
        .border_style(theme.key);
    let inner = block.inner(popup);
    block.render(popup, buf);
    if columns == 1 {
        Paragraph::new(lines).render(inner, buf);
        return;
    }
    let right = lines.split_off(usize::from(rows));
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
    Paragraph::new(lines).render(left_area, buf);
    Paragraph::new(right).render(right_area, buf);
}
