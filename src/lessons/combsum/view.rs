//! Drawing the combination sum lesson: what the step did, the sorted
//! candidates with the one the loop is looking at, the combinations found,
//! the counters with pruning on and off, the search tree as an outline that
//! follows the current node (skipped, pruned and overshooting branches
//! marked and said), and the pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::CombSumLesson;
use super::model::{Event, SearchState, Status, Variant};
use crate::i18n::{Lang, Said};
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::widgets::grid::follow;
use crate::widgets::words::wrapped_lines;
use crate::widgets::{legend, pseudocode};
use crate::{said, tr};

/// Lesson width from which the pseudocode sits beside the tree.
const WIDE: u16 = 110;
const CODE_WIDTH: u16 = 60;
/// The share of the rows below the status the tree keeps when the
/// pseudocode sits under it: the pseudocode scrolls to its current line.
const TREE_SHARE_DIVISOR: u16 = 2;
/// Status rows at most, so a long list of finds cannot push the tree away.
const MAX_INFO_ROWS: usize = 6;

pub fn render(lesson: &CombSumLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let mut info = wrapped_lines(&info_lines(lesson, theme), area.width);
    info.truncate(MAX_INFO_ROWS);
    let [info_area, body] =
        Layout::vertical([Constraint::Length(info.len() as u16), Constraint::Fill(1)]).areas(area);
    Paragraph::new(info).render(info_area, buf);
    let code = lesson.pseudocode(theme.lang);
    let full_code = code.len() as u16 + 2;
    let (tree_area, code_area) = if area.width >= WIDE {
        let [tree, code] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(CODE_WIDTH)]).areas(body);
        (
            tree,
            Rect {
                height: code.height.min(full_code),
                ..code
            },
        )
    } else {
        let room = body.height - body.height / TREE_SHARE_DIVISOR;
        let [tree, code] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(full_code.min(room))])
                .areas(body);
        (tree, code)
    };
    let [tree_area, legend_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(tree_area);
    let state = lesson.state();
    render_outline(state, tree_area, buf, theme);
    legend(&legend_entries(state, theme), theme.dim).render(legend_area, buf);
    let title = tr!(" backtracking ", " 回溯 ").get(theme.lang);
    pseudocode::render_lesson(title, lesson, code_area, buf, theme);
}

/// The marks this run can show (a skip only with once, a prune only with
/// pruning on, an overshoot only with it off).
fn legend_entries<'a>(state: &SearchState, theme: &'a Look) -> Vec<(&'a str, Style, &'a str)> {
    let lang = theme.lang;
    let mut entries = vec![
        ("▸", theme.current, tr!("on the path", "在路径上").get(lang)),
        ("✓", theme.good, tr!("found", "找到").get(lang)),
    ];
    if state.variant == Variant::Once {
        entries.push(("↷", theme.chosen, tr!("skipped", "跳过").get(lang)));
    }
    if state.prune {
        entries.push(("✗", theme.other, tr!("pruned", "剪枝").get(lang)));
    } else {
        entries.push(("↑", theme.other, tr!("overshoot", "超出").get(lang)));
    }
    entries.push(("·", theme.dim, tr!("done", "已完成").get(lang)));
    entries
}

fn spaced(values: &[i64]) -> String {
    super::questions::spaced(values)
}

/// What the step just taken did, in words.
fn what(lesson: &CombSumLesson) -> Said {
    let state = lesson.state();
    let (sum, target) = (state.sum, state.target);
    let path = spaced(&state.path);
    if lesson.last().is_some() && lesson.is_finished() {
        let n = state.found.len();
        return said!("search done: {n} combination(s)", "搜索结束：共 {n} 个组合");
    }
    match lesson.last() {
        None => tr!(
            "ready: sort the candidates, start at the empty path",
            "就绪：先把候选数排序，从空路径开始"
        )
        .into(),
        Some(&Event::Enter { index, value }) => {
            said!("take c[{index}] = {value}", "选 c[{index}] = {value}")
        }
        Some(Event::Found) => said!(
            "sum = {target}: record [{path}], return",
            "和 = {target}：记录 [{path}]，返回"
        ),
        Some(Event::Overshoot) => said!(
            "{sum} > {target}: overshot, return",
            "{sum} > {target}：超出目标，返回"
        ),
        Some(&Event::Skip { index, value }) => {
            let before = index.saturating_sub(1);
            said!(
                "c[{index}] = c[{before}] = {value} at this level: skip",
                "本层 c[{index}] = c[{before}] = {value}：跳过"
            )
        }
        Some(&Event::Prune { value, .. }) => said!(
            "{sum} + {value} > {target}: break, the later candidates are larger",
            "{sum} + {value} > {target}：break，后面的候选数更大"
        ),
        Some(Event::Back { .. }) if state.current == 0 => {
            tr!("back at the root", "回到根节点").into()
        }
        Some(Event::Back { .. }) => said!("back up to [{path}]", "回退到 [{path}]"),
    }
}

/// The candidate index the step looked at, if any.
fn looked_at(lesson: &CombSumLesson) -> Option<usize> {
    let state = lesson.state();
    match *lesson.last()? {
        Event::Enter { index, .. } | Event::Skip { index, .. } | Event::Prune { index, .. } => {
            Some(index)
        }
        Event::Back { node, .. } => Some(state.nodes[node].index),
        Event::Found | Event::Overshoot => {
            (state.current != 0).then(|| state.nodes[state.current].index)
        }
    }
}

fn info_lines(lesson: &CombSumLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let state = lesson.state();
    let (sum, target) = (state.sum, state.target);
    let path = spaced(&state.path);
    let done = lesson.last().is_some() && lesson.is_finished();
    let mut lines = vec![Line::from(vec![
        Span::styled(
            said!(
                "path [{path}] sum {sum}/{target} · ",
                "路径 [{path}] 和 {sum}/{target} · "
            )
            .get(lang)
            .to_string(),
            theme.title,
        ),
        Span::styled(what(lesson).get(lang).to_string(), theme.text),
    ])];
    lines.push(candidates_line(lesson, done, theme));
    let found = if state.found.is_empty() {
        "—".to_string()
    } else {
        state
            .found
            .iter()
            .map(|c| format!("[{}]", spaced(c)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    lines.push(Line::styled(
        said!("found: {found}", "已找到：{found}")
            .get(lang)
            .to_string(),
        theme.chosen,
    ));
    lines.push(counters_line(lesson, theme));
    lines
}

/// The sorted candidates, the one the step looked at in brackets, those
/// before this level's start dimmed.
fn candidates_line(lesson: &CombSumLesson, done: bool, theme: &Look) -> Line<'static> {
    let lang = theme.lang;
    let state = lesson.state();
    let focus = if done { None } else { looked_at(lesson) };
    let start = state.start_of(state.current);
    // A node that found the target or passed it runs no loop.
    let looping = !done && state.sum < state.target;
    let mut spans = vec![Span::styled(
        tr!("sorted c:", "排序后 c：").get(lang).to_string(),
        theme.dim,
    )];
    for (i, value) in state.candidates.iter().enumerate() {
        let (text, style) = if focus == Some(i) {
            (format!(" [{value}]"), theme.current)
        } else if i < start && looping {
            (format!(" {value}"), theme.dim)
        } else {
            (format!(" {value}"), theme.text)
        };
        spans.push(Span::styled(text, style));
    }
    if looping {
        spans.push(Span::styled(
            said!(" · this level: i from {start}", " · 本层 i 从 {start} 起")
                .get(lang)
                .to_string(),
            theme.dim,
        ));
    }
    Line::from(spans)
}

/// Nodes entered and cut, and the same search with pruning flipped.
fn counters_line(lesson: &CombSumLesson, theme: &Look) -> Line<'static> {
    let lang = theme.lang;
    let state = lesson.state();
    let visited = state.visited;
    let mut parts = vec![said!("entered {visited}", "进入 {visited}")];
    if lesson.prune() {
        let pruned = state.pruned;
        parts.push(said!("pruned {pruned}", "剪枝 {pruned}"));
    } else {
        let overshot = state.overshot;
        parts.push(said!("overshot {overshot}", "超出 {overshot}"));
    }
    if state.variant == Variant::Once {
        let skipped = state.skipped;
        parts.push(said!("skipped {skipped}", "跳过 {skipped}"));
    }
    let ours = parts
        .iter()
        .map(|part| part.get(lang).to_string())
        .collect::<Vec<_>>()
        .join(" · ");
    let other = match (lesson.other(), lesson.prune()) {
        (Some((nodes, _)), true) => said!(
            " · prune off: {nodes} entered in all",
            " · 不剪枝：共进入 {nodes}"
        ),
        (Some((nodes, _)), false) => said!(
            " · prune on: {nodes} entered in all",
            " · 剪枝：共进入 {nodes}"
        ),
        (None, _) => tr!(" · other prune: too large", " · 切换剪枝：规模过大").into(),
    };
    Line::from(vec![
        Span::styled(ours, theme.good),
        Span::styled(other.get(lang).to_string(), theme.dim),
    ])
}

/// What a node that was never entered, or returned from at once, says.
fn note(node_status: Status, value: i64, target: i64, lang: Lang) -> Option<String> {
    let said = match node_status {
        Status::Skipped => said!(
            "same as the {value} before: skip",
            "与前一个 {value} 相同：跳过"
        ),
        Status::Pruned => said!("> {target}: break", "> {target}：break"),
        Status::Overshoot => said!("> {target}: return", "> {target}：返回"),
        _ => return None,
    };
    Some(said.get(lang).to_string())
}

/// The tree in preorder, indented by depth, scrolled to keep the newest node in view.
fn render_outline(state: &SearchState, area: Rect, buf: &mut Buffer, theme: &Look) {
    let rows = usize::from(area.height);
    // The newest node is where the search just was (or the current one
    // after backing up, which comes before it in preorder).
    let focus = state.nodes.len().saturating_sub(1);
    let first = follow(state.nodes.len(), rows, focus);
    for (row, (id, node)) in state
        .nodes
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .enumerate()
    {
        let y = area.y + row as u16;
        let indent = "  ".repeat(node.depth);
        let (mark, style): (&str, Style) = match node.status {
            Status::Found => ("✓", theme.good),
            Status::Pruned => ("✗", theme.other),
            Status::Skipped => ("↷", theme.chosen),
            Status::Overshoot => ("↑", theme.other),
            Status::Exhausted => ("·", theme.dim),
            Status::Exploring if id == state.current => ("▸", theme.current),
            Status::Exploring => ("▸", theme.text),
        };
        let mut text = if id == 0 {
            said!("{mark} root (sum 0)", "{mark} 根（和为 0）")
                .get(theme.lang)
                .to_string()
        } else {
            format!("{indent}{mark} +{} = {}", node.value, node.sum)
        };
        if let Some(note) = note(node.status, node.value, state.target, theme.lang) {
            text.push_str("  ");
            text.push_str(&note);
        }
        buf.set_stringn(area.x, y, text, usize::from(area.width), style);
    }
}
