//! The tour's narration, in the side panel's place so the lesson's picture
//! keeps its room: the stop's title in the border, its text below, scrolled
//! with PgUp/PgDn like the explanation.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget};

use crate::app::{App, TourRun};
use ratatui::text::Line;

use crate::said;
use crate::widgets::{fitting_title, markdown, panel};

/// The keys alone, where their words do not fit: names, the same in both
/// languages.
const SHORT_KEYS: &str = " t · T · Esc ";

/// Rows the narration of the current stop takes at `width`, borders included.
pub fn height(app: &App, run: &TourRun, width: u16) -> u16 {
    let Some(stop) = run.tour.stops.get(run.stop) else {
        return 0;
    };
    let inner = usize::from(width.saturating_sub(2));
    let lines = markdown::lines(stop.text(app.lang()), inner, &app.theme).len();
    u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2)
}

pub fn render(app: &App, run: &TourRun, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang();
    let Some(stop) = run.tour.stops.get(run.stop) else {
        return;
    };
    let (k, n) = (run.stop + 1, run.tour.stops.len());
    // The stop's title is the narration's first line, drawn as a heading.
    let title = said!(" tour {k}/{n} ", " 导览 {k}/{n} ");
    // The keys in the bottom border, so the narration keeps every row.
    let keys = if k < n {
        said!(" t next · T back · Esc ", " t 下一站 · T 上一站 · Esc ")
    } else {
        said!(" t ends · T back ", " t 结束 · T 上一站 ")
    };
    let keys = fitting_title(keys.get(lang), SHORT_KEYS, area.width);
    let block = panel(title.get(lang), theme)
        .title_bottom(Line::styled(keys.to_string(), theme.key).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let lines = markdown::lines(stop.text(lang), usize::from(inner.width), theme);
    let top = app
        .explain_scroll
        .fit(lines.len(), usize::from(inner.height));
    Paragraph::new(lines.into_iter().skip(top).collect::<Vec<_>>()).render(inner, buf);
}
