//! Drawing the MTP lesson: the text by pass, the last pass's drafts and
//! verdicts, one MTP module's data flow, acceptance per drafted position
//! beside DeepSeek-V3's report, and the comparison with Medusa.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{MtpLesson, REPORTED_ACCEPTANCE, REPORTED_SPEED_UP};
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::decoding::{self as decoding_view, Written};
use crate::widgets::words::{bar_line, flow_lines, render_status};
use crate::widgets::{fitting_title, panel};

/// Below this size the pseudocode moves to the explanation pane.
const WIDE: (u16, u16) = (120, 36);

/// One MTP module, as DeepSeek-V3 describes it; `*` marks the parts shared
/// with the main model.
const DIAGRAM: &[&str] = &[
    "h(k−1) ──▶ RMSNorm ─┐",
    "                    ├─▶ concat ─▶ M_k ─▶ TRM_k ─▶ h_k",
    "t(k) ─▶ Emb* ─▶ RMSNorm ┘                         │",
    "        (shared)                                   ▼",
    "                                 OutHead* (shared) ─▶ t(k+1)",
];

/// The same module as a list of steps, for panels too narrow for the drawing.
const DIAGRAM_NARROW: &[&str] = &[
    "1 h(k−1) → RMSNorm",
    "2 t(k) → Emb* → RMSNorm",
    "3 concat → M_k → TRM_k → h_k",
    "4 h_k → OutHead* → t(k+1)",
    "* shared with the main model",
];

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
    let last_lines = last_pass_lines(lesson, theme);
    let last_lines = flow_lines(&last_lines, usize::from(left.width.saturating_sub(2)));
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
            Constraint::Length(DIAGRAM.len() as u16 + 2),
            Constraint::Min(3),
        ])
        .areas(right);
        render_diagram(lesson, diagram, buf, theme);
        decoding_view::render_code(lesson, code, buf, theme);
    } else {
        render_diagram(lesson, right, buf, theme);
    }
}

fn info_lines(lesson: &MtpLesson, theme: &Theme) -> Vec<Line<'static>> {
    let m = lesson.model();
    let s = m.settings();
    let mode = if s.temperature > 0.0 {
        format!("speculative sampling, T = {}", s.temperature)
    } else {
        "greedy".to_string()
    };
    vec![
        Line::styled(
            format!(
                "pass {} · {}/{} tokens · {} module(s) · {mode}",
                m.passes,
                m.generated().len(),
                s.length,
                s.depth
            ),
            theme.text,
        ),
        Line::from(vec![
            Span::styled("tokens/pass: ", theme.dim),
            Span::styled(format!("MTP {:.2}", m.tokens_per_pass()), theme.series[0]),
            Span::styled(
                format!(
                    " · Medusa, {} head(s), same quality, whole run {:.2}",
                    s.depth,
                    lesson.medusa_tokens_per_pass()
                ),
                theme.series[1],
            ),
            Span::styled(
                format!(" · DeepSeek-V3 reports ≈{REPORTED_SPEED_UP}× tokens/s"),
                theme.dim,
            ),
        ]),
    ]
}

fn render_text(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
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
/// on what the base model adds.
fn last_pass_lines(lesson: &MtpLesson, theme: &Theme) -> Vec<Line<'static>> {
    let m = lesson.model();
    if m.passes == 0 {
        return vec![Line::styled("n: run the first pass", theme.dim)];
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
        "the base model's own token replaces the first rejected draft"
    } else {
        "every draft kept; the base model adds the next token"
    };
    vec![Line::from(spans), Line::styled(follow, theme.dim)]
}

fn render_last_pass(lines: Vec<Line>, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let title = fitting_title(
        " last pass: root, drafts (✓ kept, ✗ rejected) ",
        " last pass: ✓ kept, ✗ rejected ",
        area.width,
    );
    let block = panel(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    Paragraph::new(lines).render(inner, buf);
}

fn render_bars(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block = panel(" drafts kept, by position ", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = Vec::new();
    for (k, share) in lesson.acceptance_by_depth().into_iter().enumerate() {
        lines.push(bar_line(format!("t+{} ", k + 2), share, theme.good, theme));
    }
    lines.push(Line::styled(
        format!(
            "DeepSeek-V3: {:.0}–{:.0}% for the second token",
            REPORTED_ACCEPTANCE.0 * 100.0,
            REPORTED_ACCEPTANCE.1 * 100.0
        ),
        theme.dim,
    ));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

fn render_diagram(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block = panel(" one MTP module (k) ", theme);
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
    if !fits(DIAGRAM) {
        let steps: Vec<Line> = DIAGRAM_NARROW
            .iter()
            .map(|l| Line::styled(*l, style))
            .collect();
        Paragraph::new(steps)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        return;
    }
    for (row, text) in DIAGRAM.iter().enumerate().take(usize::from(inner.height)) {
        buf.set_stringn(
            inner.x,
            inner.y + row as u16,
            text,
            usize::from(inner.width),
            style,
        );
    }
}
