//! The explanation pane: the lesson's pseudocode with the current line, and
//! its explanation in the chosen language.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Widget};

use crate::app::App;
use crate::i18n::Lang;
use crate::lesson::explanation_section;
use crate::said;
use crate::widgets::{fitting_title, markdown, panel, pseudocode};

/// Most of the pane the pseudocode may take, in percent.
const CODE_MAX_PERCENT: u16 = 50;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lesson = app.lesson();
    let other = if app.language == Lang::En {
        "中文"
    } else {
        "English"
    };
    // The scroll keys are also in help: dropped first when the pane is narrow.
    let full = said!(
        " explanation · L: {other} · PgUp/PgDn scroll ",
        " 讲解 · L：{other} · PgUp/PgDn 翻页 "
    );
    let short = said!(" explanation · L: {other} ", " 讲解 · L：{other} ");
    let (full, short) = (full.get(app.lang()), short.get(app.lang()));
    let title = fitting_title(full, short, area.width);
    let block = panel(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let code = lesson.pseudocode(app.lang());
    let code_height = (code.len() as u16).min(inner.height * CODE_MAX_PERCENT / 100);
    let [code_area, gap, text_area] = Layout::vertical([
        Constraint::Length(code_height),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    pseudocode::render(code, lesson.current_line(), code_area, buf, theme);
    buf.set_stringn(
        gap.x,
        gap.y,
        "─".repeat(usize::from(gap.width)),
        usize::from(gap.width),
        theme.border,
    );
    let text = explanation_section(
        app.tab().entry.explanation,
        match app.language {
            Lang::En => "en",
            Lang::Zh => "zh",
        },
    );
    let lines = markdown::lines(text, usize::from(text_area.width), theme);
    // Only here are both the text's wrapped length and the pane's height
    // known: reported to the App's scroll state, which clamps its position.
    let top = app
        .explain_scroll
        .fit(lines.len(), usize::from(text_area.height));
    Paragraph::new(lines.into_iter().skip(top).collect::<Vec<_>>()).render(text_area, buf);
}
