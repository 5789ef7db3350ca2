//! Drawing the Medusa lesson: the text by pass, the candidate tree, the
//! acceptance and head-accuracy bars, and (wide screens) the attention mask
//! and tokens per pass over time.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::MedusaLesson;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::decoding::{self as decoding_view, Written};
use crate::widgets::panel;
use crate::widgets::words::{bar_line, render_status};

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

fn info_line(lesson: &MedusaLesson, theme: &Theme) -> Line<'static> {
    let m = lesson.model();
    let s = m.settings();
    let mode = if s.temperature > 0.0 {
        format!("typical acceptance, T = {}", s.temperature)
    } else {
        "greedy".to_string()
    };
    let mut text = format!(
        "pass {} · {}/{} tokens · {:.2} tokens/pass · saved {} passes · est. speed-up ×{:.2} · {} heads, {} nodes · {mode}",
        m.passes,
        m.generated().len(),
        s.length,
        m.tokens_per_pass(),
        m.generated().len() as u64 - m.passes.min(m.generated().len() as u64),
        lesson.speed_up(),
        s.heads,
        m.tree().nodes(),
    );
    if m.tree().nodes() - 1 < lesson.tree_paths_before_pruning() {
        text.push_str(" (tree cut to the heads' depth)");
    }
    Line::styled(text, theme.text)
}

fn render_text(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
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

fn render_tree(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let m = lesson.model();
    let block = panel(" candidate tree (✓ accepted) ", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let tree = m.tree();
    let tokens = &m.last.tokens;
    if tokens.is_empty() {
        Paragraph::new(Line::styled("n: run the first pass", theme.dim)).render(inner, buf);
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
                "root".to_string()
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

fn render_bars(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let m = lesson.model();
    let block = panel(" acceptance · head accuracy ", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = vec![Line::styled("accepted at depth d", theme.dim)];
    for (d, share) in lesson.acceptance_by_depth().into_iter().enumerate() {
        lines.push(bar_line(format!("d{} ", d + 1), share, theme.good, theme));
    }
    lines.push(Line::styled("head k top-1 right (k+2 ahead)", theme.dim));
    for (k, (&hits, &checked)) in m.head_hits.iter().zip(&m.head_checked).enumerate() {
        let share = if checked == 0 {
            0.0
        } else {
            hits as f64 / checked as f64
        };
        lines.push(bar_line(format!("h{k} "), share, theme.series[2], theme));
    }
    if m.settings().heads == 0 {
        lines.push(Line::styled("no heads: plain decoding", theme.dim));
    }
    Paragraph::new(lines).render(inner, buf);
}

fn render_mask(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let tree = lesson.model().tree();
    let block = panel(" tree attention mask (row sees column) ", theme);
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
        let note = format!("first {shown} of {} nodes", tree.nodes());
        let y = inner.y + inner.height - 1;
        buf.set_stringn(inner.x, y, note, usize::from(inner.width), theme.dim);
    }
}

fn render_chart(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let m = lesson.model();
    let most = m.settings().heads + 1;
    decoding_view::render_tokens_per_pass(&m.pass_of, m.passes, most, area, buf, theme);
}
