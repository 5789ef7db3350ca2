//! Drawing the MTP lesson: the text by pass, the last pass's drafts and
//! verdicts, one MTP module's data flow, acceptance per drafted position
//! beside DeepSeek-V3's report, and the comparison with Medusa.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{MtpLesson, REPORTED_ACCEPTANCE, REPORTED_SPEED_UP};
use crate::i18n::{Lang, Said};
use crate::theme::Look;
use crate::widgets::decoding::{self as decoding_view, Written};
use crate::widgets::words::{bar_line, flow_lines, render_status};
use crate::widgets::wrap::wrap;
use crate::widgets::{fitting_title, panel};
use crate::{said, tr};

/// A share as a percentage.
const PERCENT: f64 = 100.0;

/// Below this size the pseudocode moves to the explanation pane.
const WIDE: (u16, u16) = (120, 36);

/// One MTP module, as DeepSeek-V3 describes it; `*` marks the parts shared
/// with the main model. The Chinese words take the columns the English ones
/// do (`（共享）` is as wide as `(shared)`), so the arrows still meet.
fn diagram(lang: Lang) -> [&'static str; DIAGRAM_ROWS] {
    [
        "h(k−1) ──▶ RMSNorm ─┐",
        "                    ├─▶ concat ─▶ M_k ─▶ TRM_k ─▶ h_k",
        "t(k) ─▶ Emb* ─▶ RMSNorm ┘                         │",
        tr!(
            "        (shared)                                   ▼",
            "        （共享）                                   ▼"
        )
        .get(lang),
        tr!(
            "                                 OutHead* (shared) ─▶ t(k+1)",
            "                                 OutHead* （共享） ─▶ t(k+1)"
        )
        .get(lang),
    ]
}

/// Rows of the module drawing.
const DIAGRAM_ROWS: usize = 5;

/// The same module as a list of steps, for panels too narrow for the drawing.
fn diagram_narrow(lang: Lang) -> [&'static str; DIAGRAM_ROWS] {
    [
        "1 h(k−1) → RMSNorm",
        "2 t(k) → Emb* → RMSNorm",
        "3 concat → M_k → TRM_k → h_k",
        "4 h_k → OutHead* → t(k+1)",
        tr!("* shared with the main model", "* 与主模型共享").get(lang),
    ]
}

pub fn render(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let wide = area.width >= WIDE.0 && area.height >= WIDE.1;
    let body = render_status(&info_lines(lesson, theme), area, buf);
    let [text, rest] = Layout::vertical([
        Constraint::Percentage(if wide { 30 } else { 35 }),
        Constraint::Min(6),
    ])
    .areas(body);
    render_text(lesson, text, buf, theme);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(rest);
    // Wide screens give the bars their height and the chart the rest.
    let (bars_height, plot_height) = if wide {
        (
            Constraint::Length(lesson.model().settings().depth as u16 + 3),
            Constraint::Min(0),
        )
    } else {
        (Constraint::Min(3), Constraint::Length(0))
    };
    // The drafts and a sentence on what happened, as many lines as they wrap to.
    let inside = usize::from(left.width.saturating_sub(2));
    let last_lines = last_pass_lines(lesson, theme, inside);
    let last_lines = flow_lines(&last_lines, inside);
    let last_height = (last_lines.len() + 2) as u16;
    let [last, bars, plot] =
        Layout::vertical([Constraint::Length(last_height), bars_height, plot_height]).areas(left);
    render_last_pass(last_lines, last, buf, theme);
    render_bars(lesson, bars, buf, theme);
    if wide && plot.height >= 6 {
        let m = lesson.model();
        let most = m.settings().depth + 1;
        decoding_view::render_tokens_per_pass(&m.pass_of, m.passes, most, plot, buf, theme);
    }
    if wide {
        let [diagram, code] = Layout::vertical([
            Constraint::Length(DIAGRAM_ROWS as u16 + 2),
            Constraint::Min(3),
        ])
        .areas(right);
        render_diagram(lesson, diagram, buf, theme);
        decoding_view::render_code(lesson, code, buf, theme);
    } else {
        render_diagram(lesson, right, buf, theme);
    }
}

fn info_lines(lesson: &MtpLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let m = lesson.model();
    let s = m.settings();
    let temperature = s.temperature;
    let mode = if temperature > 0.0 {
        said!(
            "speculative sampling, T = {temperature}",
            "投机采样，T = {temperature}"
        )
    } else {
        Said::from(tr!("greedy", "贪心"))
    };
    let (mode_en, mode_zh) = (mode.en, mode.zh);
    let (passes, written, length, depth) = (m.passes, m.generated().len(), s.length, s.depth);
    let mtp = m.tokens_per_pass();
    let medusa = lesson.medusa_tokens_per_pass();
    vec![
        Line::styled(
            said!(
                "pass {passes} · {written}/{length} tokens · {depth} module(s) · {mode_en}",
                "第 {passes} 次前向 · {written}/{length} 词 · {depth} 个模块 · {mode_zh}"
            )
            .get(lang)
            .to_string(),
            theme.text,
        ),
        Line::from(vec![
            Span::styled(tr!("tokens/pass: ", "每次前向词数 ").get(lang), theme.dim),
            Span::styled(format!("MTP {mtp:.2}"), theme.series[0]),
            Span::styled(
                said!(
                    " · Medusa, {depth} head(s), same quality, whole run {medusa:.2}",
                    " · 同等质量、{depth} 个头的 Medusa 全程 {medusa:.2}"
                )
                .get(lang)
                .to_string(),
                theme.series[1],
            ),
            Span::styled(
                said!(
                    " · DeepSeek-V3 reports ≈{REPORTED_SPEED_UP}× tokens/s",
                    " · DeepSeek-V3 报告每秒词数 ≈{REPORTED_SPEED_UP}×"
                )
                .get(lang)
                .to_string(),
                theme.dim,
            ),
        ]),
    ]
}

fn render_text(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let m = lesson.model();
    let written = Written {
        vocab: lesson.vocab(),
        prompt: m.prompt(),
        generated: m.generated(),
        pass_of: &m.pass_of,
        passes: m.passes,
    };
    decoding_view::render_text(&written, area, buf, theme);
}

/// The last pass: the root and each draft with its verdict, then a sentence
/// on what the base model adds, wrapped to `width` here: the word flow
/// breaks only at spaces, and a Chinese sentence has none.
fn last_pass_lines(lesson: &MtpLesson, theme: &Look, width: usize) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let m = lesson.model();
    if m.passes == 0 {
        return vec![Line::styled(
            tr!("n: run the first pass", "n：运行第一次前向").get(lang),
            theme.dim,
        )];
    }
    let last = &m.last;
    let mut spans = vec![Span::styled(lesson.word(last.root).to_string(), theme.text)];
    for (k, &t) in last.drafts.iter().enumerate() {
        let (mark, style) = if k < last.accepted {
            ("✓", theme.good)
        } else if k == last.accepted {
            ("✗", theme.other)
        } else {
            ("·", theme.dim)
        };
        spans.push(Span::styled(format!(" {}{mark}", lesson.word(t)), style));
    }
    let follow = if last.accepted < last.drafts.len() {
        tr!(
            "the base model's own token replaces the first rejected draft",
            "主模型自己的词替换第一个被拒的草稿"
        )
    } else {
        tr!(
            "every draft kept; the base model adds the next token",
            "草稿全部保留，主模型再添下一个词"
        )
    };
    let mut lines = vec![Line::from(spans)];
    lines.extend(
        wrap(follow.get(lang), width)
            .into_iter()
            .map(|l| Line::styled(l, theme.dim)),
    );
    lines
}

fn render_last_pass(lines: Vec<Line>, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let title = fitting_title(
        tr!(
            " last pass: root, drafts (✓ kept, ✗ rejected) ",
            " 上次前向：根与草稿（✓ 保留，✗ 被拒） "
        )
        .get(lang),
        tr!(
            " last pass: ✓ kept, ✗ rejected ",
            " 上次前向 ✓ 保留 ✗ 被拒 "
        )
        .get(lang),
        area.width,
    );
    let block = panel(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    Paragraph::new(lines).render(inner, buf);
}

fn render_bars(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let block = panel(
        tr!(" drafts kept, by position ", " 各位置草稿保留率 ").get(theme.lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = Vec::new();
    for (k, share) in lesson.acceptance_by_depth().into_iter().enumerate() {
        lines.push(bar_line(format!("t+{} ", k + 2), share, theme.good, theme));
    }
    let (low, high) = (
        REPORTED_ACCEPTANCE.0 * PERCENT,
        REPORTED_ACCEPTANCE.1 * PERCENT,
    );
    let reported = said!(
        "DeepSeek-V3: {low:.0}–{high:.0}% for the second token",
        "DeepSeek-V3：第二个词 {low:.0}–{high:.0}%"
    );
    lines.push(Line::styled(
        reported.get(theme.lang).to_string(),
        theme.dim,
    ));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

fn render_diagram(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let block = panel(
        tr!(" one MTP module (k) ", " 一个 MTP 模块（k） ").get(theme.lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    // After a pass, the whole chain has run: highlight it; before, dim.
    let style = if lesson.model().passes > 0 {
        theme.current
    } else {
        theme.dim
    };
    let fits = |lines: &[&str]| {
        lines
            .iter()
            .all(|l| Line::from(*l).width() <= usize::from(inner.width))
    };
    let drawing = diagram(theme.lang);
    if !fits(&drawing) {
        let steps: Vec<Line> = diagram_narrow(theme.lang)
            .iter()
            .map(|l| Line::styled(*l, style))
            .collect();
        Paragraph::new(steps)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        return;
    }
    for (row, text) in drawing.iter().enumerate().take(usize::from(inner.height)) {
        buf.set_stringn(
            inner.x,
            inner.y + row as u16,
            text,
            usize::from(inner.width),
            style,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chinese_drawing_keeps_the_arrows_in_their_columns() {
        for (en, zh) in diagram(Lang::En).iter().zip(diagram(Lang::Zh)) {
            assert_eq!(Line::from(*en).width(), Line::from(zh).width(), "{zh}");
        }
    }
}
