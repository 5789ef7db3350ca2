//! The explanation pane: the lesson's pseudocode with the current line, and
//! its explanation in the chosen language.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::app::App;
use crate::lesson::explanation_section;
use crate::theme::Theme;
use crate::widgets::wrap::wrap;
use crate::widgets::{fitting_title, panel, pseudocode};

/// How list items start; continuation lines are indented to match.
const BULLET: &str = "• ";
/// Most of the pane the pseudocode may take, in percent.
const CODE_MAX_PERCENT: u16 = 50;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lesson = app.lesson();
    let other = if app.language == "en" {
        "中文"
    } else {
        "English"
    };
    // The scroll keys are also in help: dropped first when the pane is narrow.
    let full = format!(" explanation · L: {other} · PgUp/PgDn scroll ");
    let short = format!(" explanation · L: {other} ");
    let title = fitting_title(&full, &short, area.width);
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
    let text = explanation_section(app.tab().entry.explanation, app.language);
    Paragraph::new(markdown_lines(text, usize::from(text_area.width), theme))
        .scroll((app.explain_scroll, 0))
        .render(text_area, buf);
}

/// Just enough Markdown for the lesson files: headings, bullets, bold and code
/// markers dropped, and hard-wrapped paragraphs joined, then wrapped to `width`.
pub fn markdown_lines(text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut paragraph: Option<String> = None;
    let flush = |paragraph: &mut Option<String>, lines: &mut Vec<Line<'static>>| {
        if let Some(text) = paragraph.take() {
            // Bullet items hang: their continuation lines start under the text.
            let (first, rest, body) = match text.strip_prefix(BULLET) {
                Some(body) => (BULLET, "  ", body.to_string()),
                None => ("", "", text),
            };
            let room = width.saturating_sub(rest.len());
            for (at, piece) in wrap(&body, room).into_iter().enumerate() {
                let indent = if at == 0 { first } else { rest };
                lines.push(Line::styled(format!("{indent}{piece}"), theme.text));
            }
        }
    };
    for raw in text.lines() {
        let plain = raw.replace("**", "").replace('`', "");
        let trimmed = plain.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut lines);
            lines.push(Line::raw(""));
        } else if let Some(heading) = trimmed.strip_prefix("### ").or(trimmed.strip_prefix("# ")) {
            flush(&mut paragraph, &mut lines);
            lines.push(Line::styled(heading.to_string(), theme.title));
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            flush(&mut paragraph, &mut lines);
            paragraph = Some(format!("{BULLET}{item}"));
        } else if let Some(text) = paragraph.as_mut() {
            // Latin words need a space where the source broke the line; CJK text does not.
            let ascii_seam = text.ends_with(|c: char| c.is_ascii())
                && trimmed.starts_with(|c: char| c.is_ascii());
            if ascii_seam {
                text.push(' ');
            }
            text.push_str(trimmed);
        } else {
            paragraph = Some(trimmed.to_string());
        }
    }
    flush(&mut paragraph, &mut lines);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_join_and_bullets_start_fresh() {
        let theme = Theme::mono();
        let lines = markdown_lines("### Head\none\ntwo\n- a\n  b\n\n中\n文", 40, &theme);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, vec!["Head", "one two", "• a b", "", "中文"]);
        let narrow = markdown_lines("- aaa bbb", 6, &theme);
        let text: Vec<String> = narrow.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, vec!["• aaa", "  bbb"]);
    }
}
