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
use crate::theme::Theme;
use crate::widgets::grid::follow;
use crate::widgets::{legend, pseudocode};

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
    legend(
        &[
            ("▸", theme.current, "exploring"),
            ("✓", theme.good, "found"),
            ("✗", theme.other, "pruned"),
            ("·", theme.dim, "exhausted"),
        ],
        theme.dim,
    )
    .render(legend_area, buf);
    let code_area = Rect {
        height: code_area.height.min(code.len() as u16 + 2),
        ..code_area
    };
    pseudocode::render_lesson(" backtracking ", lesson, code_area, buf, theme);
}

fn list(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn info_lines(lesson: &CombSumLesson, theme: &Theme) -> Vec<Line<'static>> {
    let state = lesson.state();
    let what = match lesson.last() {
        None => "ready: start at the empty path".to_string(),
        Some(Event::Enter { value }) => format!("take {value}"),
        Some(Event::Found) => "sum reaches the target: record the path".to_string(),
        Some(Event::Prune { value }) => {
            format!(
                "{} + {value} > {}: stop this level",
                state.sum, state.target
            )
        }
        Some(Event::Back { .. }) => "back up one level".to_string(),
    };
    let found = state
        .found
        .iter()
        .map(|c| format!("[{}]", list(c)))
        .collect::<Vec<_>>()
        .join(" ");
    let (on, off) = if lesson.prune() {
        ("on", "off")
    } else {
        ("off", "on")
    };
    let other = match lesson.other() {
        Some((nodes, pruned)) => format!("prune {off}: {nodes}/{pruned}"),
        None => format!("prune {off}: too large"),
    };
    vec![
        Line::from(vec![
            Span::styled(
                format!(
                    "path [{}] sum {}/{} · ",
                    list(&state.path),
                    state.sum,
                    state.target
                ),
                theme.title,
            ),
            Span::styled(what, theme.text),
        ]),
        Line::styled(format!("found: {found}"), theme.chosen),
        Line::from(vec![
            Span::styled(
                format!(
                    "nodes/pruned {}/{} (prune {on})",
                    state.visited, state.pruned
                ),
                theme.good,
            ),
            Span::styled(format!(" · {other}"), theme.dim),
        ]),
    ]
}

/// The tree in preorder, indented by depth, scrolled to keep the current node in view.
fn render_outline(state: &SearchState, area: Rect, buf: &mut Buffer, theme: &Theme) {
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
            format!("{mark} root (sum 0)")
        } else {
            format!("{indent}{mark} +{} = {}", node.value, node.sum)
        };
        buf.set_stringn(area.x, y, text, usize::from(area.width), style);
    }
}
