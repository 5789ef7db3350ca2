//! Drawing the Medusa lesson: the text by pass, the candidate tree, the
//! acceptance and head-accuracy bars, and (wide screens) the attention mask
//! and tokens per pass over time.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::MedusaLesson;
use crate::i18n::Said;
use crate::theme::Look;
use crate::widgets::decoding::{self as decoding_view, Written};
use crate::widgets::panel;
use crate::widgets::words::{bar_line, render_status};
use crate::{said, tr};

/// Below this size the mask and the chart are left out.
const WIDE: (u16, u16) = (120, 36);

pub fn render(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let wide = area.width >= WIDE.0 && area.height >= WIDE.1;
    let body = render_status(&[info_line(lesson, theme)], area, buf);
    let [text, rest] = Layout::vertical([
        Constraint::Percentage(if wide { 30 } else { 40 }),
        Constraint::Min(6),
    ])
    .areas(body);
    render_text(lesson, text, buf, theme);
    if wide {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Min(6)]).areas(rest);
        let [tree, bars, mask] = Layout::horizontal([
            Constraint::Percentage(35),
            Constraint::Percentage(30),
            Constraint::Percentage(35),
        ])
        .areas(top);
        render_tree(lesson, tree, buf, theme);
        render_bars(lesson, bars, buf, theme);
        render_mask(lesson, mask, buf, theme);
        let [plot, code] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(bottom);
        render_chart(lesson, plot, buf, theme);
        decoding_view::render_code(lesson, code, buf, theme);
    } else {
        // Narrow: the pseudocode lives in the explanation pane (e).
        let [tree, bars] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(rest);
        render_tree(lesson, tree, buf, theme);
        render_bars(lesson, bars, buf, theme);
    }
}

fn info_line(lesson: &MedusaLesson, theme: &Look) -> Line<'static> {
    let m = lesson.model();
    let s = m.settings();
    let temperature = s.temperature;
    let mode = if temperature > 0.0 {
        said!(
            "typical acceptance, T = {temperature}",
            "典型接受，T = {temperature}"
        )
    } else {
        Said::from(tr!("greedy", "贪心"))
    };
    let (mode_en, mode_zh) = (mode.en, mode.zh);
    let (passes, written, length) = (m.passes, m.generated().len(), s.length);
    let per_pass = m.tokens_per_pass();
    let saved = written as u64 - passes.min(written as u64);
    let (speed_up, heads, nodes) = (lesson.speed_up(), s.heads, m.tree().nodes());
    let line = said!(
        "pass {passes} · {written}/{length} tokens · {per_pass:.2} tokens/pass · saved {saved} passes · est. speed-up ×{speed_up:.2} · {heads} heads, {nodes} nodes · {mode_en}",
        "第 {passes} 次前向 · {written}/{length} 词 · 每次前向 {per_pass:.2} 词 · 省下 {saved} 次前向 · 估计加速 ×{speed_up:.2} · {heads} 个头、{nodes} 个节点 · {mode_zh}"
    );
    let mut text = line.get(theme.lang).to_string();
    if nodes - 1 < lesson.tree_paths_before_pruning() {
        text.push_str(
            tr!(" (tree cut to the heads' depth)", "（树已截到头数的深度）").get(theme.lang),
        );
    }
    Line::styled(text, theme.text)
}

fn render_text(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
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

fn render_tree(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let m = lesson.model();
    let block = panel(
        tr!(" candidate tree (✓ accepted) ", " 候选树（✓ 已接受） ").get(theme.lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let tree = m.tree();
    let tokens = &m.last.tokens;
    if tokens.is_empty() {
        Paragraph::new(Line::styled(
            tr!("n: run the first pass", "n：运行第一次前向").get(theme.lang),
            theme.dim,
        ))
        .render(inner, buf);
        return;
    }
    let accepted: Vec<usize> = m
        .last
        .verdict
        .and_then(|v| tree.retrieve.get(v.row).map(|row| (v, row)))
        .map(|(v, row)| {
            row.iter()
                .take(v.accepted + 1)
                .map(|&n| n.max(0) as usize)
                .collect()
        })
        .unwrap_or_default();
    // Depth-first order: children of a node follow it, by rank.
    let mut order = Vec::with_capacity(tree.nodes());
    let mut stack = vec![0usize];
    while let Some(node) = stack.pop() {
        order.push(node);
        let mut children: Vec<usize> = (1..tree.nodes())
            .filter(|&c| tree.parent(c) == Some(node))
            .collect();
        children.reverse();
        stack.extend(children);
    }
    let lines: Vec<Line> = order
        .iter()
        .take(usize::from(inner.height))
        .map(|&node| {
            let depth = tree.positions[node];
            let word = lesson.word(tokens[node]);
            let (mark, style) = if accepted.contains(&node) {
                ("✓ ", theme.good)
            } else if node == 0 {
                ("", theme.text)
            } else {
                ("", theme.dim)
            };
            let rank = if node == 0 {
                tr!("root", "根").get(theme.lang).to_string()
            } else {
                format!("#{}", tree.paths[node - 1][depth - 1])
            };
            Line::from(vec![
                Span::styled("  ".repeat(depth), theme.dim),
                Span::styled(format!("{mark}{word} "), style),
                Span::styled(rank, theme.dim),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

fn render_bars(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let m = lesson.model();
    let block = panel(
        tr!(" acceptance · head accuracy ", " 接受率 · 头准确率 ").get(lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = vec![Line::styled(
        tr!("accepted at depth d", "各深度 d 的接受率").get(lang),
        theme.dim,
    )];
    for (d, share) in lesson.acceptance_by_depth().into_iter().enumerate() {
        lines.push(bar_line(format!("d{} ", d + 1), share, theme.good, theme));
    }
    lines.push(Line::styled(
        tr!("head k top-1 right (k+2 ahead)", "头 k 首选猜中第 k+2 位").get(lang),
        theme.dim,
    ));
    for (k, (&hits, &checked)) in m.head_hits.iter().zip(&m.head_checked).enumerate() {
        let share = if checked == 0 {
            0.0
        } else {
            hits as f64 / checked as f64
        };
        lines.push(bar_line(format!("h{k} "), share, theme.series[2], theme));
    }
    if m.settings().heads == 0 {
        lines.push(Line::styled(
            tr!("no heads: plain decoding", "没有头：普通解码").get(lang),
            theme.dim,
        ));
    }
    Paragraph::new(lines).render(inner, buf);
}

fn render_mask(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let tree = lesson.model().tree();
    let block = panel(
        tr!(
            " tree attention mask (row sees column) ",
            " 树注意力掩码（行能看见列） "
        )
        .get(theme.lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let shown = tree
        .nodes()
        .min(usize::from(inner.height))
        .min(usize::from(inner.width));
    for (row, cells) in tree.mask.iter().take(shown).enumerate() {
        let text: String = cells
            .iter()
            .take(shown)
            .map(|&on| if on { '█' } else { '·' })
            .collect();
        buf.set_stringn(
            inner.x,
            inner.y + row as u16,
            text,
            usize::from(inner.width),
            theme.other,
        );
    }
    if shown < tree.nodes() && inner.height > 0 {
        let nodes = tree.nodes();
        let note = said!(
            "first {shown} of {nodes} nodes",
            "前 {shown} 个节点，共 {nodes} 个"
        );
        let note = note.get(theme.lang);
        let y = inner.y + inner.height - 1;
        buf.set_stringn(inner.x, y, note, usize::from(inner.width), theme.dim);
    }
}

fn render_chart(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let m = lesson.model();
    let most = m.settings().heads + 1;
    decoding_view::render_tokens_per_pass(&m.pass_of, m.passes, most, area, buf, theme);
}
