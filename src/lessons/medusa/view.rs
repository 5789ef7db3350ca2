//! Drawing the Medusa lesson: the text by pass, the candidate tree, the
//! acceptance and head-accuracy bars, and (wide screens) the attention mask
//! and tokens per pass over time.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};
use std::collections::BTreeSet;

use super::MedusaLesson;
use crate::i18n::{Lang, Said, count_en};
use crate::sim::decoding::tree::TreeBuffers;
use crate::theme::Look;
use crate::widgets::decoding::{self as decoding_view, Written};
use crate::widgets::words::{MAX_STATUS_LINES, bar_line, render_status};
use crate::widgets::{digits, pad, panel};
use crate::{said, tr};

/// The lesson area from which everything fits on one page (160×48's).
const ONE_PAGE: (u16, u16) = (120, 40);
/// Below one page: the tree and a compact mask; the bars and code; the
/// drafters (and the whole mask's pages after the first, when it needs them).
const PAGES: usize = 3;
/// Rows the text panel takes: enough for the default length.
const TEXT_ROWS: u16 = 5;

/// The lesson's pages at `area`: the first (text, tree, a compact mask),
/// then, when the compact mask cannot list every node, the whole mask a
/// window of rows at a time, then (below one page) the bars and code and
/// the drafters.
pub fn pages(lesson: &MedusaLesson, area: Rect) -> usize {
    base_pages(area) + mask_windows(lesson, area).len()
}

fn base_pages(area: Rect) -> usize {
    if area.width >= ONE_PAGE.0 && area.height >= ONE_PAGE.1 {
        1
    } else {
        PAGES
    }
}

/// What the `v` cycle shows on one page.
enum Page {
    First,
    /// One window of the whole mask.
    Mask(MaskWindow),
    BarsAndCode,
    Drafters,
}

fn page_at(lesson: &MedusaLesson, page: usize, area: Rect) -> Page {
    let mut windows = mask_windows(lesson, area);
    let total = base_pages(area) + windows.len();
    match page % total {
        0 => Page::First,
        p if p <= windows.len() => Page::Mask(windows.swap_remove(p - 1)),
        p => match p - windows.len() {
            1 => Page::BarsAndCode,
            _ => Page::Drafters,
        },
    }
}

pub fn render(lesson: &MedusaLesson, page: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
    let one_page = base_pages(area) == 1;
    let body = render_status(&info_lines(lesson, area, theme), area, buf);
    match page_at(lesson, page, area) {
        Page::BarsAndCode => {
            let [bars, code] =
                Layout::vertical([Constraint::Length(bars_rows(lesson)), Constraint::Min(0)])
                    .areas(body);
            render_bars(lesson, bars, buf, theme);
            decoding_view::render_code(lesson, code, buf, theme);
        }
        Page::Drafters => decoding_view::render_architectures(0, body, buf, theme),
        // The windows were cut for the body below the longer status line.
        Page::Mask(window) => {
            render_mask_page(lesson, &window, lesson_body(lesson, area), buf, theme);
        }
        Page::First => {
            let first = first_page(body, one_page);
            render_text(lesson, first.text, buf, theme);
            render_tree(lesson, first.tree, buf, theme);
            render_mask(lesson, first.mask, buf, theme);
            if let Some(bottom) = first.bottom {
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
    }
}

/// The first page's panels.
struct FirstPage {
    text: Rect,
    tree: Rect,
    mask: Rect,
    /// The bars, chart and code, when everything fits on one page.
    bottom: Option<Rect>,
}

fn first_page(body: Rect, one_page: bool) -> FirstPage {
    let [text, rest] =
        Layout::vertical([Constraint::Length(TEXT_ROWS), Constraint::Min(6)]).areas(body);
    let (top, bottom) = if one_page {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Min(6)]).areas(rest);
        (top, Some(bottom))
    } else {
        (rest, None)
    };
    let [tree, mask] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(top);
    FirstPage {
        text,
        tree,
        mask,
        bottom,
    }
}

/// The area below the status line when the status takes the rows the longer
/// of its two languages needs: what the page count is worked out for, so it
/// does not change with the language.
fn lesson_body(lesson: &MedusaLesson, area: Rect) -> Rect {
    let width = usize::from(area.width);
    let rows = [Lang::En, Lang::Zh]
        .map(|lang| {
            decoding_view::status_lines(&info_text(lesson, lang), width, Style::new()).len()
        })
        .into_iter()
        .max()
        .unwrap_or(1)
        .min(MAX_STATUS_LINES) as u16;
    let rows = rows.min(area.height);
    Rect {
        y: area.y + rows,
        height: area.height - rows,
        ..area
    }
}

/// The status laid out at the area's width, breaking between its parts.
fn info_lines(lesson: &MedusaLesson, area: Rect, theme: &Look) -> Vec<Line<'static>> {
    let text = info_text(lesson, theme.lang);
    decoding_view::status_lines(&text, usize::from(area.width), theme.text)
}

fn info_text(lesson: &MedusaLesson, lang: Lang) -> String {
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
    let saved_en = count_en(saved, "pass", "passes");
    let heads_en = count_en(heads, "head", "heads");
    let nodes_en = count_en(nodes, "node", "nodes");
    let line = said!(
        "pass {passes} · {written}/{length} tokens · {per_pass:.2} tokens/pass · saved {saved_en} · est. speed-up ×{speed_up:.2} · {heads_en}, {nodes_en} · {mode_en}",
        "第 {passes} 次前向 · {written}/{length} 词 · 每次前向 {per_pass:.2} 词 · 省下 {saved} 次前向 · 估计加速 ×{speed_up:.2} · {heads} 个头、{nodes} 个节点 · {mode_zh}"
    );
    let mut text = line.get(lang).to_string();
    if nodes - 1 < lesson.tree_paths_before_pruning() {
        // A part of its own, so a narrow status can break before it.
        text.push_str(tr!(" · tree cut to the heads' depth", " · 树已截到头数的深度").get(lang));
    }
    text
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
                "head k top-k (guesses t+k+1):",
                "头 k 的前 k 名（猜第 t+k+1 位）："
            )
            .get(lang),
            theme.dim,
        )];
        // Heads numbered from 1, as in the Medusa paper and the drafters
        // picture: the LM head writes t+1, head k guesses t+k+1.
        for (k, list) in (1..).zip(pass.heads_top.iter().take(heads)) {
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
        tr!("head k top-1 right (t+k+1)", "头 k 首选猜中第 t+k+1 位").get(lang),
        theme.dim,
    ));
    for (k, (&hits, &checked)) in (1..).zip(m.head_hits.iter().zip(&m.head_checked)) {
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

/// A window of the whole mask: the rows listed (consecutive nodes) and the
/// columns drawn (every node when they fit the width, else only the nodes
/// these rows see: the other columns are all `·` for them).
struct MaskWindow {
    rows: Vec<usize>,
    cols: Vec<usize>,
    every_column: bool,
}

/// Header rows above a mask: one per digit of the largest node number.
fn header_rows(nodes: usize) -> usize {
    usize::from(digits(nodes.saturating_sub(1) as u64))
}

/// Nodes the compact mask (inside `inner`) lists: as many rows as fit below
/// the header and above its note, and as many columns.
fn compact_room(inner: Rect, nodes: usize) -> usize {
    let rows = usize::from(inner.height).saturating_sub(header_rows(nodes) + 1);
    let cols = usize::from(inner.width).saturating_sub(MASK_LABEL);
    rows.min(cols)
}

/// The whole mask's windows at `area`, one page each: none when the first
/// page's compact mask already lists every node.
fn mask_windows(lesson: &MedusaLesson, area: Rect) -> Vec<MaskWindow> {
    let tree = lesson.model().tree();
    let nodes = tree.nodes();
    let body = lesson_body(lesson, area);
    let first = first_page(body, base_pages(area) == 1);
    // (The first page is drawn below the status of the language shown, so
    // its compact mask may list a row more than this: never fewer.)
    if compact_room(Block::bordered().inner(first.mask), nodes) >= nodes {
        return Vec::new();
    }
    let inner = Block::bordered().inner(body);
    let room_cols = usize::from(inner.width).saturating_sub(MASK_LABEL);
    let every_column = room_cols >= nodes;
    // One note line, and a second when the columns are windowed too.
    let notes = if every_column { 1 } else { 2 };
    let room_rows = usize::from(inner.height).saturating_sub(header_rows(nodes) + notes);
    if room_rows == 0 || room_cols == 0 {
        return Vec::new();
    }
    let seen = |i: usize| (0..nodes).filter(move |&j| tree.mask[i][j]);
    let window = |rows: Vec<usize>, cols: BTreeSet<usize>| MaskWindow {
        rows,
        cols: if every_column {
            (0..nodes).collect()
        } else {
            cols.into_iter().collect()
        },
        every_column,
    };
    let mut windows = Vec::new();
    let (mut rows, mut cols) = (Vec::new(), BTreeSet::new());
    for i in 0..nodes {
        // Only windowed columns need the set of nodes the rows see.
        let mut wider = if every_column {
            BTreeSet::new()
        } else {
            cols.clone()
        };
        wider.extend(seen(i).filter(|_| !every_column));
        let full = rows.len() >= room_rows || wider.len() > room_cols;
        if full && !rows.is_empty() {
            windows.push(window(std::mem::take(&mut rows), std::mem::take(&mut cols)));
            cols = seen(i).collect();
        } else {
            cols = wider;
        }
        rows.push(i);
    }
    if !rows.is_empty() {
        windows.push(window(rows, cols));
    }
    windows
}

fn mask_block(theme: &Look) -> Block<'static> {
    panel(
        tr!(
            " tree attention mask (row sees column) ",
            " 树注意力掩码（行能看见列） "
        )
        .get(theme.lang),
        theme,
    )
}

/// The first page's mask: the accepted path plus the first nodes that fit.
fn render_mask(lesson: &MedusaLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let m = lesson.model();
    let tree = m.tree();
    let block = mask_block(theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let accepted = m.last.accepted_nodes(tree);
    let nodes = tree.nodes();
    let room = compact_room(inner, nodes);
    if room == 0 {
        return;
    }
    // Nodes shown: the accepted path first, then the others in order, as
    // many as fit; listed in node order so the staircase stays readable.
    let mut shown: Vec<usize> = accepted.clone();
    for node in 0..nodes {
        if shown.len() >= room {
            break;
        }
        if !shown.contains(&node) {
            shown.push(node);
        }
    }
    shown.truncate(room);
    shown.sort_unstable();
    draw_mask(lesson, &shown, &shown, inner, buf, theme);
    let count = shown.len();
    let note = if count < nodes {
        let full = said!(
            "{count}/{nodes}: ✓ path + first · v: all {nodes}",
            "{count}/{nodes}：✓ 路径 + 最前面 · v：全部 {nodes} 个"
        );
        // A narrow panel keeps the key and drops the explanation.
        if Line::raw(full.get(lang)).width() <= usize::from(inner.width) {
            full
        } else {
            said!("{count}/{nodes} · v: all", "{count}/{nodes} · v：全部")
        }
    } else {
        let nodes_en = count_en(nodes, "node", "nodes");
        said!("all {nodes_en}", "全部 {nodes} 个节点")
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

/// A page of the whole mask: one window of rows over the lesson area.
fn render_mask_page(
    lesson: &MedusaLesson,
    window: &MaskWindow,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let lang = theme.lang;
    let block = mask_block(theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let nodes = lesson.model().tree().nodes();
    let (first, last) = (
        window.rows.first().copied().unwrap_or(0),
        window.rows.last().copied().unwrap_or(0),
    );
    let mut notes = vec![said!(
        "rows: nodes {first}–{last} of {nodes} · v: next page",
        "行：节点 {first}–{last}（共 {nodes} 个）· v：下一页"
    )];
    if !window.every_column {
        notes.push(Said::from(tr!(
            "columns: just the nodes these rows see",
            "列：只列出这些行看得见的节点"
        )));
    }
    let notes_rows = notes.len() as u16;
    let grid = Rect {
        height: inner.height.saturating_sub(notes_rows),
        ..inner
    };
    draw_mask(lesson, &window.rows, &window.cols, grid, buf, theme);
    for (at, note) in notes.iter().enumerate() {
        let y = inner.y + grid.height + at as u16;
        if y < inner.y + inner.height {
            buf.set_stringn(
                inner.x,
                y,
                note.get(lang),
                usize::from(inner.width),
                theme.dim,
            );
        }
    }
}

/// `text` cut to `width` display columns.
fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= width
        })
        .collect()
}

/// The mask's `rows` × `cols` at the top of `area`: a header with each
/// column's node number (one row per digit), then one row per node labelled
/// with its number and token; the accepted path ✓ and in the good colour.
fn draw_mask(
    lesson: &MedusaLesson,
    rows: &[usize],
    cols: &[usize],
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let m = lesson.model();
    let tree = m.tree();
    let pass = &m.last;
    let accepted = pass.accepted_nodes(tree);
    let header = header_rows(tree.nodes());
    let room_cols = usize::from(area.width).saturating_sub(MASK_LABEL);
    let room_rows = usize::from(area.height).saturating_sub(header);
    let cols = &cols[..cols.len().min(room_cols)];
    let rows = &rows[..rows.len().min(room_rows)];
    let number = header;
    let word = |node: usize| -> String {
        pass.tokens.get(node).map_or(String::new(), |&t| {
            pad(
                &fit(lesson.word(t), MASK_LABEL - number - 2),
                MASK_LABEL - number - 1,
            )
        })
    };
    let x0 = area.x + MASK_LABEL as u16;
    for row in 0..header {
        let unit = 10usize.pow((header - 1 - row) as u32);
        for (col, &node) in cols.iter().enumerate() {
            // Leading zeros blank, so each column reads as its number.
            let d = if node < unit && unit > 1 {
                ' '
            } else {
                char::from_digit((node / unit % 10) as u32, 10).unwrap_or(' ')
            };
            let style = if accepted.contains(&node) {
                theme.good
            } else {
                theme.dim
            };
            buf.set_stringn(
                x0 + col as u16,
                area.y + row as u16,
                d.to_string(),
                1,
                style,
            );
        }
    }
    for (row, &i) in rows.iter().enumerate() {
        let y = area.y + (header + row) as u16;
        let on_path = accepted.contains(&i);
        // ✓ after the number marks the accepted path without colour too.
        let mark = if on_path { '✓' } else { ' ' };
        let label = format!("{i:>number$}{mark}{}", word(i));
        buf.set_stringn(
            area.x,
            y,
            &label,
            MASK_LABEL,
            if on_path { theme.good } else { theme.dim },
        );
        for (col, &j) in cols.iter().enumerate() {
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
