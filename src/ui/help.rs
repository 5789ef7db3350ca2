//! The help overlay, generated from the key table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::action::{EDIT_KEYS, KEYS, keys_label};
use crate::app::App;

/// Widest the popup grows.
const MAX_WIDTH: u16 = 72;

/// All help lines: every binding, then the input line's keys.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let labels: Vec<String> = KEYS.iter().map(keys_label).collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .chain(EDIT_KEYS.iter().map(|(k, _)| k.chars().count()))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line<'static>> = KEYS
        .iter()
        .zip(labels)
        .map(|(binding, label)| {
            Line::from(vec![
                Span::styled(format!(" {label:<width$}  "), theme.key),
                Span::styled(binding.help, theme.text),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(" While typing a value:", theme.title));
    for (key, what) in EDIT_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!(" {key:<width$}  "), theme.key),
            Span::styled(*what, theme.text),
        ]));
    }
    lines
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lines = lines(app);
    let width = MAX_WIDTH.min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
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
    Paragraph::new(lines).block(block).render(popup, buf);
}
