//! Drawing the Medusa lesson: the text by pass, the candidate tree, the
//! acceptance and head-accuracy bars, and (wide screens) the attention mask
//! and tokens per pass over time.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::MedusaLesson;
use crate::i18n::Said;
use crate::sim::decoding::tree::TreeBuffers;
use crate::theme::Look;
use crate::widgets::decoding::{self as decoding_view, Written};
use crate::widgets::panel;
use crate::widgets::words::{bar_line, render_status};
use crate::{said, tr};

/// The lesson area from which everything fits on one page (160×48's).
const ONE_PAGE: (u16, u16) = (120, 40);
/// Below one page: the tree and the mask; the bars and code; the drafters.
const PAGES: usize = 3;
/// Rows the text panel takes: enough for the default length.
const TEXT_ROWS: u16 = 5;

pub fn pages(area: Rect) -> usize {
    if area.width >= ONE_PAGE.0 && area.height >= ONE_PAGE.1 {
        1
    } else {
        PAGES
    }
}

pub fn render(lesson: &MedusaLesson, page: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
    let one_page = pages(area) == 1;
    let body = render_status(&[info_line(lesson, theme)], area, buf);
    if !one_page {
        match page % PAGES {
            1 => {
                let [bars, code] =
                    Layout::vertical([Constraint::Length(bars_rows(lesson)), Constraint::Min(0)])
                        .areas(body);
                render_bars(lesson, bars, buf, theme);
                decoding_view::render_code(lesson, code, buf, theme);
                return;
            }
            2 => {
                decoding_view::render_architectures(0, body, buf, theme);
                return;
            }
            _ => {}
        }
    }
    let [text, rest] =
        Layout::vertical([Constraint::Length(TEXT_ROWS), Constraint::Min(6)]).areas(body);
    render_text(lesson, text, buf, theme);
    let (top, bottom) = if one_page {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Min(6)]).areas(rest);
        (top, Some(bottom))
    } else {
        (rest, None)
    };
    let [tree, mask] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(top);
    render_tree(lesson, tree, buf, theme);
    render_mask(lesson, mask, buf, theme);
    if let Some(bottom) = bottom {
        let [bars, chart, code] = Layout::horizontal([
            Constraint::Percentage(30),
            Constraint::Percentage(25),
            Constraint::Percentage(45),
        ])
        .areas(bottom);
        render_bars(lesson, bars, buf, theme);
        render_chart(lesson, chart, buf, theme);
        decoding_view::render_code(lesson, code, buf, theme);
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

/// The tree's nodes in depth-first order (children by rank), each with its
/// depth, folding away the subtrees of nodes off the accepted path: what
/// the panel lists. Returns (node, folded descendants).
fn folded_order(tree: &TreeBuffers, accepted: &[usize]) -> Vec<(usize, usize)> {
    let nodes = tree.nodes();
    let children = |node: usize| -> Vec<usize> {
        (1..nodes)
            .filter(|&c| tree.parent(c) == Some(node))
            .collect()
    };
    let descendants = |node: usize| -> usize {
        (1..nodes)
            .filter(|&c| {
                std::iter::successors(tree.parent(c), |&n| tree.parent(n)).any(|a| a == node)
            })
            .count()
    };
    let mut order = Vec::with_capacity(nodes);
    let mut stack = vec![0usize];
    while let Some(node) = stack.pop() {
        // Open the root and the accepted nodes; fold every other subtree.
        let open = node == 0 || accepted.contains(&node);
        order.push((node, if open { 0 } else { descendants(node) }));
        if open {
            let mut below = children(node);
            below.reverse();
            stack.extend(below);
        }
    }
    order
}

fn render_tree(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let m = lesson.model();
    let block = panel(
        tr!(
            " tree (✓ accepted, +n folded) ",
            " 候选树（✓ 接受，+n 折叠） "
        )
        .get(lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let tree = m.tree();
    let pass = &m.last;
    let tokens = &pass.tokens;
    if tokens.is_empty() {
        Paragraph::new(Line::styled(
            tr!("n: run the first pass", "n：运行第一次前向").get(lang),
            theme.dim,
        ))
        .render(inner, buf);
        return;
    }
    // Each head's top-k beside the tree: one line per head below the list.
    let heads = pass.heads_top.len().min(usize::from(inner.height / 3));
    let [list, top] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(heads as u16 + u16::from(heads > 0)),
    ])
    .areas(inner);
    let accepted = pass.accepted_nodes(tree);
    let typical = !pass.bar.is_empty();
    let order = folded_order(tree, &accepted);
    let lines: Vec<Line> = order
        .iter()
        .map(|&(node, folded)| {
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
                tr!("root", "根").get(lang).to_string()
            } else {
                format!("#{}", tree.paths[node - 1][depth - 1])
            };
            let mut spans = vec![
                Span::styled("  ".repeat(depth), theme.dim),
                Span::styled(format!("{mark}{word} "), style),
                Span::styled(rank, theme.dim),
            ];
            if typical && node > 0 {
                let p = pass.p_candidate.get(node).copied().unwrap_or(0.0);
                let bar = tree
                    .parent(node)
                    .and_then(|up| pass.bar.get(up))
                    .copied()
                    .unwrap_or(0.0);
                let sign = if p > bar { '>' } else { '≤' };
                let style = if p > bar { theme.good } else { theme.other };
                spans.push(Span::styled(format!(" p={p:.3}{sign}{bar:.3}"), style));
            }
            if folded > 0 {
                spans.push(Span::styled(format!(" +{folded}"), theme.dim));
            }
            Line::from(spans)
        })
        .collect();
    // Scroll so the deepest accepted node is on screen.
    let last = accepted.last().copied().unwrap_or(0);
    let row = order.iter().position(|&(n, _)| n == last).unwrap_or(0);
    let height = usize::from(list.height);
    let skip = if row < height { 0 } else { row + 1 - height };
    Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(list, buf);
    if heads > 0 {
        let mut rows = vec![Line::styled(
            tr!(
                "head k top-k (guesses t+k+2):",
                "头 k 的前 k 名（猜第 t+k+2 位）："
            )
            .get(lang),
            theme.dim,
        )];
        for (k, list) in pass.heads_top.iter().take(heads).enumerate() {
            let words: Vec<&str> = list.iter().map(|&t| lesson.word(t)).collect();
            rows.push(Line::from(vec![
                Span::styled(format!("h{k} "), theme.series[2]),
                Span::styled(words.join(" "), theme.text),
            ]));
        }
        Paragraph::new(rows).render(top, buf);
    }
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

/// Width of a mask row's label: node number and a few letters of its token.
const MASK_LABEL: usize = 10;

fn render_mask(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let m = lesson.model();
    let tree = m.tree();
    let block = panel(
        tr!(
            " tree attention mask (row sees column) ",
            " 树注意力掩码（行能看见列） "
        )
        .get(lang),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let pass = &m.last;
    let accepted = pass.accepted_nodes(tree);
    // Header rows: tens and ones of each column's node; a note at the end.
    let room_rows = usize::from(inner.height).saturating_sub(3);
    let room_cols = usize::from(inner.width).saturating_sub(MASK_LABEL);
    let room = room_rows.min(room_cols);
    if room == 0 {
        return;
    }
    // Nodes shown: the accepted path first, then the others in order, as
    // many as fit; listed in node order so the staircase stays readable.
    let mut shown: Vec<usize> = accepted.clone();
    for node in 0..tree.nodes() {
        if shown.len() >= room {
            break;
        }
        if !shown.contains(&node) {
            shown.push(node);
        }
    }
    shown.truncate(room);
    shown.sort_unstable();
    let word = |node: usize| -> String {
        pass.tokens.get(node).map_or(String::new(), |&t| {
            lesson.word(t).chars().take(MASK_LABEL - 4).collect()
        })
    };
    let x0 = inner.x + MASK_LABEL as u16;
    for (row, digit) in [(0u16, 10usize), (1, 1)] {
        for (col, &node) in shown.iter().enumerate() {
            let on_path = accepted.contains(&node);
            let d = if digit == 10 && node < 10 {
                ' '
            } else {
                char::from_digit((node / digit % 10) as u32, 10).unwrap_or(' ')
            };
            let style = if on_path { theme.good } else { theme.dim };
            buf.set_stringn(x0 + col as u16, inner.y + row, d.to_string(), 1, style);
        }
    }
    for (row, &i) in shown.iter().enumerate() {
        let y = inner.y + 2 + row as u16;
        let on_path = accepted.contains(&i);
        let label = format!("{i:>2} {:<width$}", word(i), width = MASK_LABEL - 4);
        buf.set_stringn(
            inner.x,
            y,
            &label,
            MASK_LABEL,
            if on_path { theme.good } else { theme.dim },
        );
        for (col, &j) in shown.iter().enumerate() {
            let sees = tree.mask[i][j];
            let both = on_path && accepted.contains(&j);
            let (cell, style) = match (sees, both) {
                (true, true) => ("█", theme.good),
                (true, false) => ("█", theme.other),
                (false, _) => ("·", theme.dim),
            };
            buf.set_stringn(x0 + col as u16, y, cell, 1, style);
        }
    }
    let (count, nodes) = (shown.len(), tree.nodes());
    let note = if count < nodes {
        said!(
            "{count}/{nodes} nodes: ✓ path + first",
            "{count}/{nodes} 个节点：✓ 路径 + 最前面"
        )
    } else {
        said!("all {nodes} nodes", "全部 {nodes} 个节点")
    };
    let y = inner.y + inner.height - 1;
    buf.set_stringn(
        inner.x,
        y,
        note.get(lang),
        usize::from(inner.width),
        theme.dim,
    );
}

/// Rows the bars panel takes, border included.
fn bars_rows(lesson: &MedusaLesson) -> u16 {
    let m = lesson.model();
    (2 + m.tree().depth() + m.settings().heads + 2 + usize::from(m.settings().heads == 0)) as u16
}

fn render_chart(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let m = lesson.model();
    let most = m.settings().heads + 1;
    decoding_view::render_tokens_per_pass(&m.pass_of, m.passes, most, area, buf, theme);
}
