//! The parameter panel and the input line for typing a value.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::truncate;
use crate::app::App;
use crate::editor::{Editor, scroll_start};
use crate::i18n::{Said, Tr};
use crate::theme::Theme;
use crate::widgets::panel;
use crate::widgets::wrap::wrap;
use crate::{said, tr};

/// Height of the input box with a one-line message: border, allowed values,
/// input, message, border. A longer refusal makes it taller.
const EDITOR_HEIGHT: u16 = 5;
/// Marks a value that is edited but not yet applied.
const PENDING_MARK: &str = "*";

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang();
    let tab = app.tab();
    let params = tab.shown_params();
    let title = if tab.pending.is_some() {
        tr!(" parameters (pending) ", " 参数（待定） ").get(lang)
    } else {
        tr!(" parameters ", " 参数 ").get(lang)
    };
    let block = panel(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let rows = params.specs().len() as u16;
    let [list, help] = Layout::vertical([
        Constraint::Length(rows.min(inner.height)),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let key_width = params.longest_key();
    let applied = &tab.params;
    for (at, (spec, value)) in params.specs().iter().zip(params.values()).enumerate() {
        let y = list.y + at as u16;
        if y >= list.bottom() {
            break;
        }
        let pending = applied.values().get(at) != Some(value);
        let marker = if pending { PENDING_MARK } else { " " };
        let text = format!("{marker}{:<key_width$} ", spec.key);
        let value_width = usize::from(list.width).saturating_sub(text.chars().count());
        // A parameter the other values make irrelevant says so instead of
        // showing a value that looks applied; chosen, it shows its value.
        let unused = !params.in_use(spec) && at != app.param_cursor;
        let shown = if unused {
            NOT_IN_USE.get(lang).to_string()
        } else {
            value.to_string()
        };
        let line = Line::from(vec![
            Span::raw(text),
            Span::raw(truncate(&shown, value_width)),
        ]);
        let style = if at == app.param_cursor {
            theme.selected
        } else if pending {
            theme.key
        } else if unused {
            theme.dim
        } else {
            theme.text
        };
        buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        buf.set_line(list.x, y, &line, list.width);
    }
    if let Some(spec) = params.specs().get(app.param_cursor) {
        let hint = if spec.nudge(&params.values()[app.param_cursor], 1).is_some() {
            tr!("←→ change · Enter type", "←→ 调整 · Enter 输入")
        } else {
            tr!("Enter to type", "Enter 输入")
        };
        let mut text = vec![Line::raw("")];
        if let Some(error) = &tab.pending_error {
            text.push(Line::styled(error.get(lang).to_string(), theme.error));
            text.push(Line::styled(
                tr!("Esc drops the pending edits", "Esc 丢弃待定的修改").get(lang),
                theme.dim,
            ));
            text.push(Line::raw(""));
        }
        let Said {
            en: allowed_en,
            zh: allowed_zh,
        } = spec.allowed();
        text.extend([
            Line::styled(spec.help.get(lang), theme.text),
            Line::styled(
                said!("allowed: {allowed_en}", "允许：{allowed_zh}")
                    .get(lang)
                    .to_string(),
                theme.dim,
            ),
            Line::styled(hint.get(lang), theme.key),
        ]);
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .render(help, buf);
    }
}

/// The input line, over the bottom of the lesson area.
pub fn render_editor(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(editor) = &app.editor else {
        return;
    };
    let theme = &app.theme;
    let lang = app.lang();
    let Some(spec) = app.tab().shown_params().specs().get(editor.param) else {
        return;
    };
    // A refusal is wrapped whole, however narrow the box: it is the one
    // line that says what to fix.
    let width = usize::from(area.width.saturating_sub(2));
    let last = match &editor.error {
        Some(error) => wrap(error.get(lang), width)
            .into_iter()
            .map(|l| Line::styled(l, theme.error))
            .collect(),
        None if editor.is_selected() => vec![Line::styled(SELECTED_HINT.get(lang), theme.dim)],
        None => vec![Line::styled(EDITING_HINT.get(lang), theme.dim)],
    };
    let wanted = EDITOR_HEIGHT - 1 + u16::try_from(last.len()).unwrap_or(u16::MAX);
    let height = wanted.min(area.height);
    let box_area = Rect::new(area.x, area.bottom() - height, area.width, height);
    crate::widgets::clear_for_popup(box_area, buf);
    let block = Block::bordered()
        .title({
            let key = spec.key;
            said!(" set {key} ", " 设置 {key} ").get(lang).to_string()
        })
        .title_style(theme.title)
        .border_style(theme.key);
    let inner = block.inner(box_area);
    block.render(box_area, buf);
    let mut lines = vec![
        Line::styled(truncate(spec.allowed().get(lang), width), theme.dim),
        input_line(editor, width, theme),
    ];
    lines.extend(last);
    Paragraph::new(lines).render(inner, buf);
}

/// In place of the value of a parameter not in use with the others' values.
const NOT_IN_USE: Tr = tr!("unused", "未使用");

/// The prompt before the value.
const PROMPT: &str = "> ";
/// Under a value that opened selected.
const SELECTED_HINT: Tr = tr!(
    "typing replaces it · ← → Home End edit it",
    "输入即替换 · ← → Home End 可修改"
);
const EDITING_HINT: Tr = tr!("Enter applies · Esc cancels", "Enter 应用 · Esc 取消");

/// `> ` and the part of the value that fits in `width` columns around the
/// cursor, which is drawn reversed where it is (on a space past the end);
/// a value still selected whole is drawn in the selection style.
fn input_line(editor: &Editor, width: usize, theme: &Theme) -> Line<'static> {
    let room = width.saturating_sub(PROMPT.len());
    let (text, cursor) = (editor.text(), editor.cursor());
    let start = scroll_start(text, cursor, room);
    let style = if editor.is_selected() {
        theme.selected
    } else {
        theme.text
    };
    let mut shown = text.chars().skip(start);
    let before: String = shown.by_ref().take(cursor.saturating_sub(start)).collect();
    let under = shown.next().map_or_else(|| " ".to_string(), String::from);
    // Nothing past the box's width is drawn; a long tail need not be copied.
    let after: String = shown.take(room).collect();
    Line::from(vec![
        Span::styled(PROMPT, theme.key),
        Span::styled(before, style),
        Span::styled(under, theme.text.add_modifier(Modifier::REVERSED)),
        Span::styled(after, style),
    ])
}
