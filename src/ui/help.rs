//! The help overlay, generated from the key table: one column when it fits,
//! two when the terminal is short.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::action::{ANSWER_KEYS, Binding, EDIT_KEYS, GOTO_KEYS, KEYS, STEP_KEYS, keys_label};
use crate::app::App;
use crate::i18n::Lang;
use crate::{said, tr};
use unicode_width::UnicodeWidthStr;

/// Widest one column grows.
const COLUMN_WIDTH: u16 = 56;
/// Most columns the help spreads over on a short terminal.
const MAX_COLUMNS: u16 = 3;

/// Each binding's keys and what they do.
fn labels<A>(table: &[Binding<A>], lang: Lang) -> Vec<(String, &'static str)> {
    table
        .iter()
        .map(|b| (keys_label(b, lang), b.help.get(lang)))
        .collect()
}

/// All help lines: every binding, then the input line's and the go-to
/// prompt's keys, each table under its heading.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let lang = app.lang();
    let sections = [
        (None, labels(KEYS, lang)),
        (
            Some(tr!(" While typing a value:", " 输入数值时：")),
            labels(EDIT_KEYS, lang),
        ),
        (
            Some(tr!(" After g (go to a lesson):", " 按 g（跳到课程）之后：")),
            labels(GOTO_KEYS, lang),
        ),
        (
            Some(tr!(" After G (go to a step):", " 按 G（跳到某一步）之后：")),
            labels(STEP_KEYS, lang),
        ),
        (
            Some(tr!(" Answering a question:", " 回答问题时：")),
            labels(ANSWER_KEYS, lang),
        ),
    ];
    let width = sections
        .iter()
        .flat_map(|(_, entries)| entries.iter().map(|(label, _)| label.width()))
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (heading, entries) in sections {
        if let Some(heading) = heading {
            lines.push(Line::styled(heading.get(lang), theme.title));
        }
        lines.extend(entries.into_iter().map(|(label, what)| {
            // Padded by display width: a Chinese key name takes two columns a character.
            let pad = " ".repeat(width.saturating_sub(label.width()));
            Line::from(vec![
                Span::styled(format!(" {label}{pad}  "), theme.key),
                Span::styled(what, theme.text),
            ])
        }));
    }
    // What the tab bar's progress marks mean, and where progress is kept
    // (or why it is not), so a learner can find it.
    // The step bar's own marks, so the legend cannot drift from the drawing.
    use super::stepbar::{AHEAD, CURRENT, REACHED, REWINDABLE};
    lines.push(Line::styled(
        said!(
            " Step bar: {CURRENT} now · {REWINDABLE} can step back · {REACHED} passed · {AHEAD} ahead",
            " 步骤条：{CURRENT} 当前 · {REWINDABLE} 可后退 · {REACHED} 已走过 · {AHEAD} 未到"
        )
        .get(lang)
        .to_string(),
        theme.dim,
    ));
    lines.push(Line::styled(
        tr!(
            " Tab bar: ✓ tour walked to its end · N% answered right",
            " 标签栏：✓ 导览已走完 · N% 为答对的比例"
        )
        .get(lang),
        theme.dim,
    ));
    lines.push(Line::styled(
        format!(" {}", app.progress.describe().get(lang)),
        theme.dim,
    ));
    lines
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang();
    let all = lines(app);
    let count = all.len() as u16;
    // As many columns as it takes for every line to show, up to three, and
    // no more than fit whole: a narrower column would cut what keys do.
    let room = area.height.saturating_sub(2).max(1);
    let fit = (area.width.saturating_sub(2) / COLUMN_WIDTH).clamp(1, MAX_COLUMNS);
    let columns = count.div_ceil(room).clamp(1, fit);
    let width = (COLUMN_WIDTH * columns + 2).min(area.width);
    let rows = count.div_ceil(columns).min(room);
    let height = (rows + 2).min(area.height);
    // Where it still does not fit, PgUp/PgDn page through it, a screen of
    // columns at a time.
    let per_screen = usize::from(rows) * usize::from(columns);
    let top = app.help_scroll.fit(all.len(), per_screen);
    let mut lines: Vec<Line<'static>> = all.into_iter().skip(top).collect();
    let title = if usize::from(count) > per_screen {
        let shown = (top + per_screen).min(usize::from(count));
        said!(
            " keys {shown}/{count} · PgDn PgUp · other keys close ",
            " 按键 {shown}/{count} · PgDn PgUp 翻页 · 其他键关闭 "
        )
    } else {
        said!(" keys — any key closes ", " 按键 —— 按任意键关闭 ")
    };
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    crate::widgets::clear_for_popup(popup, buf);
    let block = Block::bordered()
        .title(title.get(lang).to_string())
        .title_style(theme.title)
        .border_style(theme.key);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let areas = Layout::horizontal(vec![Constraint::Fill(1); usize::from(columns)]).split(inner);
    for area in areas.iter() {
        let rest = lines.split_off(usize::from(rows).min(lines.len()));
        Paragraph::new(std::mem::replace(&mut lines, rest)).render(*area, buf);
    }
}
