//! Drawing the dashboard shell around the active lesson: tab bar, parameter
//! panel, status line, footer, and the help, explanation and input overlays.

pub mod explain;
pub mod help;
pub mod layout;
pub mod params;
pub mod question;
pub mod status;
pub mod stepbar;
pub mod tabs;
pub mod tour;

pub use layout::{MIN_HEIGHT, MIN_WIDTH, ShellLayout};

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::App;
use crate::said;
use crate::theme::Look;

/// Width of the parameter panel: a third of the screen within these bounds.
const PANEL_MIN_WIDTH: u16 = 24;
const PANEL_MAX_WIDTH: u16 = 34;
/// During a tour the parameters get at most this fraction (1/N) of the side.
const TOUR_PARAMS_SHARE: u16 = 3;
/// Share of the width the explanation pane takes, in percent.
const EXPLAIN_PERCENT: u16 = 45;

/// Draws the whole dashboard.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    render(app, area, frame.buffer_mut());
}

/// Draws the whole dashboard into a buffer (also used by `snapshot`).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let Some(layout) = ShellLayout::new(area) else {
        too_small(area, buf, app);
        return;
    };
    let theme = &app.theme;
    tabs::render(app, layout.tabs, buf);

    let side_width = if app.show_explain {
        area.width * EXPLAIN_PERCENT / 100
    } else {
        (area.width / 3).clamp(PANEL_MIN_WIDTH, PANEL_MAX_WIDTH)
    };
    let [main, side] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(side_width)])
        .areas(layout.body);
    // One column of air between the lesson and the screen edge.
    let lesson_area = Rect {
        x: main.x + 1,
        width: main.width.saturating_sub(2),
        ..main
    };
    let look = Look {
        theme,
        lang: app.lang(),
    };
    let lesson = app.lesson();
    let pages = lesson.pages(lesson_area);
    if pages > 1 {
        lesson.render_page(app.page % pages, lesson_area, buf, &look);
    } else {
        lesson.render(lesson_area, buf, &look);
    }
    if app.show_explain {
        explain::render(app, side, buf);
    } else if let Some(asking) = &app.asking {
        question::render(app, asking, side, buf);
    } else if let Some(run) = app.active_tour() {
        // The narration first: it gets the rows it needs, the parameters what
        // is left (all of them if they fit), but never less than a share of
        // the side, since a learner may change them inside a stop.
        let whole = app.tab().shown_params().specs().len() as u16 + 2;
        let left = side
            .height
            .saturating_sub(tour::height(app, run, side.width));
        let params_height = whole.min(left.max(side.height / TOUR_PARAMS_SHARE));
        let [narration, params_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(params_height)]).areas(side);
        tour::render(app, run, narration, buf);
        params::render(app, params_area, buf);
    } else {
        params::render(app, side, buf);
    }
    if app.editor.is_some() {
        params::render_editor(app, main, buf);
    }
    stepbar::render(app, layout.step_bar, buf);
    status::render_status(app, layout.status, buf);
    status::render_footer(app, pages, layout.footer, buf);
    if app.show_help {
        help::render(app, area, buf);
    }
}

fn too_small(area: Rect, buf: &mut Buffer, app: &App) {
    let (width, height) = (area.width, area.height);
    let text = said!(
        "learndeck needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this terminal is {width}×{height}. \
         Enlarge it, or press q to quit.",
        "learndeck 至少需要 {MIN_WIDTH}×{MIN_HEIGHT}；这个终端只有 {width}×{height}。\
         请放大窗口，或按 q 退出。"
    )
    .get(app.lang())
    .to_string();
    // Our own wrapper, not Paragraph's: in a terminal one or two columns wide
    // a two-column character cannot fit, and Paragraph then centres it
    // outside the buffer (a panic in ratatui 0.30).
    let lines = crate::widgets::wrap::wrap(&text, usize::from(width));
    for (row, line) in (area.y..area.bottom()).zip(lines) {
        let line_width = unicode_width::UnicodeWidthStr::width(line.as_str()) as u16;
        if line_width > width {
            continue;
        }
        let x = area.x + (width - line_width) / 2;
        buf.set_stringn(x, row, &line, usize::from(width), app.theme.text);
    }
}

/// `text` cut to `width` display columns, with an ellipsis when cut.
pub fn truncate(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Plain text of a buffer, one line per row, trailing spaces removed; the
/// columns hidden behind wide characters are skipped.
pub fn buffer_to_text(buf: &Buffer) -> String {
    use unicode_width::UnicodeWidthStr;
    let width = usize::from(buf.area.width);
    let mut out = String::new();
    for row in buf.content().chunks(width.max(1)) {
        let mut line = String::new();
        let mut skip = 0;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(cell.symbol());
            skip = cell.symbol().width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_respects_display_width() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello", 4), "hel…");
        assert_eq!(truncate("中文字", 4), "中…");
        assert_eq!(truncate("abc", 0), "");
    }
}
