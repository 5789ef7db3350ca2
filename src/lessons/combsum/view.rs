//! Drawing the combination sum lesson: the search tree as an outline that
//! follows the current node, the path, the combinations found, the counters
//! with pruning on and off, and the pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::CombSumLesson;
use super::model::{Event, SearchState, Status};
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::widgets::grid::follow;
use crate::widgets::{legend, pseudocode};
use crate::{said, tr};

/// Lesson width from which the pseudocode sits beside the tree.
const WIDE: u16 = 110;
const CODE_WIDTH: u16 = 60;

pub fn render(lesson: &CombSumLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let info = info_lines(lesson, theme);
    let [info_area, body] =
        Layout::vertical([Constraint::Length(info.len() as u16), Constraint::Fill(1)]).areas(area);
    Paragraph::new(info)
        .wrap(Wrap { trim: false })
        .render(info_area, buf);
    let code = lesson.pseudocode(theme.lang);
    let (tree_area, code_area) = if area.width >= WIDE {
        let [tree, code] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(CODE_WIDTH)]).areas(body);
        (tree, code)
    } else {
        let [tree, code] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(code.len() as u16 + 2),
        ])
        .areas(body);
        (tree, code)
    };
    let [tree_area, legend_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(tree_area);
    render_outline(lesson.state(), tree_area, buf, theme);
    let lang = theme.lang;
    legend(
        &[
            ("▸", theme.current, tr!("exploring", "探索中").get(lang)),
            ("✓", theme.good, tr!("found", "找到").get(lang)),
            ("✗", theme.other, tr!("pruned", "剪枝").get(lang)),
            ("·", theme.dim, tr!("exhausted", "已穷尽").get(lang)),
        ],
        theme.dim,
    )
    .render(legend_area, buf);
    let code_area = Rect {
        height: code_area.height.min(code.len() as u16 + 2),
        ..code_area
    };
    let title = tr!(" backtracking ", " 回溯 ").get(lang);
    pseudocode::render_lesson(title, lesson, code_area, buf, theme);
}

fn list(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn info_lines(lesson: &CombSumLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let state = lesson.state();
    let (sum, target) = (state.sum, state.target);
    let what = match lesson.last() {
        None => tr!("ready: start at the empty path", "就绪：从空路径开始").into(),
        Some(Event::Enter { value }) => said!("take {value}", "选 {value}"),
        Some(Event::Found) => tr!(
            "sum reaches the target: record the path",
            "和达到目标：记录这条路径"
        )
        .into(),
        Some(Event::Prune { value }) => said!(
            "{sum} + {value} > {target}: stop this level",
            "{sum} + {value} > {target}：结束这一层"
        ),
        Some(Event::Back { .. }) => tr!("back up one level", "回退一层").into(),
    };
    let what = what.get(lang).to_string();
    let found = state
        .found
        .iter()
        .map(|c| format!("[{}]", list(c)))
        .collect::<Vec<_>>()
        .join(" ");
    let (on, off) = if lesson.prune() {
        (tr!("on", "开"), tr!("off", "关"))
    } else {
        (tr!("off", "关"), tr!("on", "开"))
    };
    let (on_en, on_zh, off_en, off_zh) = (on.en, on.zh, off.en, off.zh);
    let other = match lesson.other() {
        Some((nodes, pruned)) => said!(
            "prune {off_en}: {nodes}/{pruned}",
            "剪枝{off_zh}：{nodes}/{pruned}"
        ),
        None => said!("prune {off_en}: too large", "剪枝{off_zh}：规模过大"),
    };
    let other = other.get(lang);
    let path = list(&state.path);
    let (visited, pruned) = (state.visited, state.pruned);
    vec![
        Line::from(vec![
            Span::styled(
                said!(
                    "path [{path}] sum {sum}/{target} · ",
                    "路径 [{path}] 和 {sum}/{target} · "
                )
                .get(lang)
                .to_string(),
                theme.title,
            ),
            Span::styled(what, theme.text),
        ]),
        Line::styled(
            said!("found: {found}", "已找到：{found}")
                .get(lang)
                .to_string(),
            theme.chosen,
        ),
        Line::from(vec![
            Span::styled(
                said!(
                    "nodes/pruned {visited}/{pruned} (prune {on_en})",
                    "节点/剪枝 {visited}/{pruned}（剪枝{on_zh}）"
                )
                .get(lang)
                .to_string(),
                theme.good,
            ),
            Span::styled(format!(" · {other}"), theme.dim),
        ]),
    ]
}

/// The tree in preorder, indented by depth, scrolled to keep the current node in view.
fn render_outline(state: &SearchState, area: Rect, buf: &mut Buffer, theme: &Look) {
    let rows = usize::from(area.height);
    let focus = state.nodes.len().saturating_sub(1).min(
        // The newest node is where the search just was, unless it backed up.
        state.current.max(state.nodes.len().saturating_sub(1)),
    );
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
            Status::Exhausted => ("·", theme.dim),
            Status::Exploring if id == state.current => ("▸", theme.current),
            Status::Exploring => ("▸", theme.text),
        };
        let text = if id == 0 {
            said!("{mark} root (sum 0)", "{mark} 根（和为 0）")
                .get(theme.lang)
                .to_string()
        } else {
            format!("{indent}{mark} +{} = {}", node.value, node.sum)
        };
        buf.set_stringn(area.x, y, text, usize::from(area.width), style);
    }
}
