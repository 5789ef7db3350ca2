//! Drawing the MTP lesson: the text by pass, the last pass's drafts and
//! verdicts, one MTP module's data flow, acceptance per drafted position
//! beside DeepSeek-V3's report, and the comparison with Medusa.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{MtpLesson, REPORTED_ACCEPTANCE};
use crate::i18n::{Said, count_en};
use crate::theme::Look;
use crate::widgets::decoding::{self as decoding_view, Written};
use crate::widgets::words::{bar_line, flow_lines, render_status};
use crate::widgets::wrap::wrap;
use crate::widgets::{fitting_title, panel};
use crate::{said, tr};

/// A share as a percentage.
const PERCENT: f64 = 100.0;

/// The lesson area from which everything fits on one page (120×36's).
const ONE_PAGE: (u16, u16) = (80, 28);
/// Below one page: the run, the comparison with the pseudocode, the drafters.
const PAGES: usize = 3;

pub fn pages(area: Rect) -> usize {
    if area.width >= ONE_PAGE.0 && area.height >= ONE_PAGE.1 {
        1
    } else {
        PAGES
    }
}

/// Rows the text panel takes: enough for the default length, no more.
const TEXT_ROWS: u16 = 6;

pub fn render(lesson: &MtpLesson, page: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
    let one_page = pages(area) == 1;
    let body = render_status(&info_lines(lesson, area, theme), area, buf);
    if !one_page {
        match page % PAGES {
            1 => {
                let rows = comparison_rows(lesson, body.width, theme);
                let [comparison, code] =
                    Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(body);
                render_comparison(lesson, comparison, buf, theme);
                decoding_view::render_code(lesson, code, buf, theme);
                return;
            }
            2 => {
                decoding_view::render_architectures(1, body, buf, theme);
                return;
            }
            _ => {}
        }
    }
    let [text, rest] =
        Layout::vertical([Constraint::Length(TEXT_ROWS), Constraint::Min(6)]).areas(body);
    render_text(lesson, text, buf, theme);
    let [left, right] = if one_page {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(rest)
    } else {
        // One column: the right one is left empty (its panels are a page away).
        Layout::horizontal([Constraint::Percentage(100), Constraint::Length(0)]).areas(rest)
    };
    // The drafts and a sentence on what happened, as many lines as they wrap to.
    let inside = usize::from(left.width.saturating_sub(2));
    let last_lines = last_pass_lines(lesson, theme, inside);
    let last_lines = flow_lines(&last_lines, inside);
    let last_height = (last_lines.len() + 2) as u16;
    let bars_height = bars_rows(lesson, left.width, theme) + 2;
    let [last, bars, plot] = Layout::vertical([
        Constraint::Length(last_height),
        Constraint::Length(bars_height),
        Constraint::Min(0),
    ])
    .areas(left);
    render_last_pass(last_lines, last, buf, theme);
    render_bars(lesson, bars, buf, theme);
    if plot.height >= 6 {
        let m = lesson.model();
        let most = m.settings().depth + 1;
        decoding_view::render_tokens_per_pass(&m.pass_of, m.passes, most, plot, buf, theme);
    }
    if one_page {
        let rows = comparison_rows(lesson, right.width, theme);
        let [comparison, below] =
            Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(right);
        render_comparison(lesson, comparison, buf, theme);
        let height = decoding_view::architectures_height(below.width);
        let [arch, code] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(below);
        decoding_view::render_architectures(1, arch, buf, theme);
        decoding_view::render_code(lesson, code, buf, theme);
    }
}

/// The status laid out at the area's width, breaking between its parts.
fn info_lines(lesson: &MtpLesson, area: Rect, theme: &Look) -> Vec<Line<'static>> {
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
    let per_pass = m.tokens_per_pass();
    let depth_en = count_en(depth, "module", "modules");
    let text = said!(
        "pass {passes} · {written}/{length} tokens · {per_pass:.2} tokens/pass · {depth_en} · {mode_en}",
        "第 {passes} 次前向 · {written}/{length} 词 · 每次前向 {per_pass:.2} 词 · {depth} 个模块 · {mode_zh}"
    );
    decoding_view::status_lines(text.get(lang), usize::from(area.width), theme.text)
}

/// MTP's chain against Medusa's chain and Medusa's tree, each row naming
/// how many candidates it verifies per pass.
fn render_comparison(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let block = panel(
        tr!(" tokens per pass, whole run ", " 每次前向词数（全程） ").get(theme.lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    Paragraph::new(comparison_lines(lesson, inner.width, theme)).render(inner, buf);
}

/// Rows the comparison panel needs at `width`, border included.
fn comparison_rows(lesson: &MtpLesson, width: u16, theme: &Look) -> u16 {
    comparison_lines(lesson, width.saturating_sub(2), theme).len() as u16 + 2
}

/// The header wrapped to `width`; the rows as they are (aligned columns).
fn comparison_lines(lesson: &MtpLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let c = lesson.comparison();
    let quality = lesson.model().settings().quality;
    // Each row's count, and the same with its English noun.
    let (drafts, chain, tree) = (c.depth, c.depth, c.tree_candidates);
    let (drafts_en, chain_en, tree_en) = (
        count_en(drafts, "draft/pass", "drafts/pass"),
        count_en(chain, "candidate/pass", "candidates/pass"),
        count_en(tree, "candidate/pass", "candidates/pass"),
    );
    let rows = [
        (
            said!("MTP chain, {drafts_en}", "MTP 链，每次 {drafts} 个草稿"),
            c.mtp_chain,
            theme.series[0],
        ),
        (
            said!("Medusa chain, {chain_en}", "Medusa 链，每次 {chain} 个候选"),
            c.medusa_chain,
            theme.series[1],
        ),
        (
            said!("Medusa tree, {tree_en}", "Medusa 树，每次 {tree} 个候选"),
            c.medusa_tree,
            theme.series[2],
        ),
    ];
    let header = said!(
        "all greedy, quality {quality}:",
        "均为贪心，质量 {quality}："
    );
    let mut lines: Vec<Line> = wrap(header.get(lang), usize::from(width))
        .into_iter()
        .map(|l| Line::styled(l, theme.dim))
        .collect();
    let label_width = rows
        .iter()
        .map(|(l, _, _)| Line::from(l.get(lang)).width())
        .max()
        .unwrap_or(0);
    for (label, value, style) in rows {
        let label = label.get(lang);
        let pad = " ".repeat(label_width - Line::from(label).width());
        lines.push(Line::from(vec![
            Span::styled(format!("{label}{pad} "), theme.text),
            Span::styled(format!("{value:.2}"), style),
        ]));
    }
    lines
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

/// Lines of the acceptance panel at `width` (border excluded).
fn bars_rows(lesson: &MtpLesson, width: u16, theme: &Look) -> u16 {
    bars_lines(lesson, width.saturating_sub(2), theme).len() as u16
}

/// Columns two bars side by side need.
const TWO_BARS: usize = 40;

fn render_bars(lesson: &MtpLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let block = panel(
        tr!(" drafts kept, by position ", " 各位置草稿保留率 ").get(theme.lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    Paragraph::new(bars_lines(lesson, inner.width, theme)).render(inner, buf);
}

/// Acceptance at each drafted position both ways, then DeepSeek-V3's report
/// with its condition beside ours at the same position.
fn bars_lines(lesson: &MtpLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let wide = usize::from(width) >= TWO_BARS;
    let mut lines = vec![Line::styled(
        if wide {
            tr!(
                "    given reached        of all passes",
                "    到达该位置时         占全部前向"
            )
        } else {
            tr!(
                "    given reached · of all passes",
                "    到达该位置时 · 占全部前向"
            )
        }
        .get(lang),
        theme.dim,
    )];
    let given = lesson.acceptance_by_depth();
    let all = lesson.unconditional_acceptance();
    for (k, (&g, &a)) in given.iter().zip(&all).enumerate() {
        let label = format!("t+{} ", k + 2);
        if wide {
            let mut line = bar_line(label, g, theme.good, theme);
            line.spans.push(Span::raw(" "));
            line.spans
                .extend(bar_line(String::new(), a, theme.series[2], theme).spans);
            lines.push(line);
        } else {
            let (g, a) = (g * PERCENT, a * PERCENT);
            lines.push(Line::styled(
                format!("{label}{g:>3.0}% · {a:>3.0}%"),
                theme.text,
            ));
        }
    }
    let (low, high) = (
        REPORTED_ACCEPTANCE.0 * PERCENT,
        REPORTED_ACCEPTANCE.1 * PERCENT,
    );
    // Before the first pass no draft has been checked: a dash, not 0 %.
    let ours = given
        .first()
        .filter(|_| lesson.model().passes > 0)
        .map_or_else(|| "—".to_string(), |g| format!("{:.0}%", g * PERCENT));
    let quality = lesson.model().settings().quality;
    let reported = said!(
        "DeepSeek-V3, 1 trained module: {low:.0}–{high:.0}% at t+2",
        "DeepSeek-V3，1 个训练好的模块：t+2 处 {low:.0}–{high:.0}%"
    );
    let ours = said!(
        "ours at t+2: {ours}, set by module_quality {quality}",
        "我们在 t+2 处：{ours}，由 module_quality {quality} 决定"
    );
    for (text, style) in [(reported, theme.dim), (ours, theme.text)] {
        lines.extend(
            wrap(text.get(lang), usize::from(width))
                .into_iter()
                .map(|l| Line::styled(l, style)),
        );
    }
    lines
}
