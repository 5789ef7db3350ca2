//! Drawing the heap lesson: the tree, the array with its child arrows, the
//! popped values, comparison counters, and the sift pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::HeapLesson;
use super::model::{Event, HeapRun, Slot};
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::grid::follow;
use crate::widgets::{legend, pseudocode, tree};

/// Lesson width from which the pseudocode sits beside the tree.
const WIDE: u16 = 110;
const CODE_WIDTH: u16 = 60;

pub fn render(lesson: &HeapLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    let info = info_lines(lesson, theme);
    let [info_area, body] =
        Layout::vertical([Constraint::Length(info.len() as u16), Constraint::Fill(1)]).areas(area);
    Paragraph::new(info)
        .wrap(Wrap { trim: false })
        .render(info_area, buf);
    let (main, code_area) = if area.width >= WIDE {
        let [main, code] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(CODE_WIDTH)]).areas(body);
        (main, Some(code))
    } else {
        (body, None)
    };
    let array_height = 4;
    let [tree_area, array_area, legend_area, rest] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(array_height),
        Constraint::Length(1),
        Constraint::Length(if code_area.is_some() { 0 } else { 7 }),
    ])
    .areas(main);
    let marks = Marks::of(model);
    let node =
        |i: usize| -> (String, Style) { (model.heap()[i].to_string(), marks.style(i, theme)) };
    let drawn = tree::render(model.heap().len(), &node, theme.border, tree_area, buf);
    if drawn < levels_of(model.heap().len()) && tree_area.height > 0 {
        buf.set_stringn(
            tree_area.x,
            tree_area.bottom() - 1,
            format!(
                "… {} more levels: see the array",
                levels_of(model.heap().len()) - drawn
            ),
            usize::from(tree_area.width),
            theme.dim,
        );
    }
    render_array(model, &marks, array_area, buf, theme);
    legend(
        &[
            ("7", theme.read, "compared"),
            ("7", theme.current, "written"),
            ("7", theme.other, "hole (held item goes here)"),
        ],
        theme.dim,
    )
    .render(legend_area, buf);
    let code_box = code_area.unwrap_or(rest);
    pseudocode::render_lesson(" heapq sifts ", lesson, code_box, buf, theme);
}

/// Levels of a complete binary tree of `len` nodes.
fn levels_of(len: usize) -> usize {
    (usize::BITS - len.leading_zeros()) as usize
}

/// Which slots the last step touched.
struct Marks {
    read: Vec<usize>,
    written: Option<usize>,
    hole: Option<usize>,
}

impl Marks {
    fn of(model: &HeapRun) -> Marks {
        let slot = |s: Slot| s as usize;
        let (read, written) = match model.last() {
            Some(Event::Compare { i, j, .. }) => {
                (std::iter::once(i).chain(j).map(slot).collect(), None)
            }
            Some(Event::Move { to, from }) => (vec![slot(from)], Some(slot(to))),
            Some(Event::Place { i }) => (Vec::new(), Some(slot(i))),
            _ => (Vec::new(), None),
        };
        Marks {
            read,
            written,
            hole: model.held().map(|(_, at)| at),
        }
    }

    fn style(&self, i: usize, theme: &Theme) -> Style {
        if self.written == Some(i) {
            theme.current
        } else if self.read.contains(&i) {
            theme.read
        } else if self.hole == Some(i) {
            theme.other
        } else {
            theme.text
        }
    }
}

fn info_lines(lesson: &HeapLesson, theme: &Theme) -> Vec<Line<'static>> {
    let model = lesson.model();
    let ops = model.ops();
    let heap = model.heap();
    let value = |i: Slot| heap.get(i as usize).map_or("?".to_string(), i64::to_string);
    let op = model
        .current_op()
        .map_or_else(|| "all done".to_string(), |op| op.label());
    let what = match model.last() {
        None => "ready: the input is heapified first".to_string(),
        Some(Event::Compare {
            i,
            j: Some(j),
            less,
        }) => format!(
            "compare heap[{i}]={} < heap[{j}]={} → {}",
            value(i),
            value(j),
            if less { "yes" } else { "no" }
        ),
        Some(Event::Compare { i, j: None, less }) => format!(
            "pushpop: heap[{i}]={} < the new item → {}",
            value(i),
            if less {
                "yes: swap it in"
            } else {
                "no: return the new item"
            }
        ),
        Some(Event::Move { to, from }) => format!("heap[{to}] = heap[{from}] = {}", value(to)),
        Some(Event::Place { i }) => format!("heap[{i}] = {} (placed)", value(i)),
        Some(Event::Done { returned: Some(v) }) => format!("done, returned {v}"),
        Some(Event::Done { returned: None }) => "done".to_string(),
    };
    let held = model.held().map_or(String::new(), |(item, at)| {
        format!("holding {item} outside the list; hole at {at}")
    });
    let popped = model
        .popped()
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let (bottom_up, naive) = lesson.finished_comparisons();
    vec![
        Line::from(vec![
            Span::styled(
                format!(
                    "op {}/{} {op}: ",
                    (model.op_index() + 1).min(ops.len()),
                    ops.len()
                ),
                theme.title,
            ),
            Span::styled(what, theme.text),
        ]),
        Line::styled(held, theme.other),
        Line::from(vec![
            Span::styled(format!("comparisons {}", model.comparisons()), theme.good),
            Span::styled(
                format!(" · ops done: heapq {bottom_up}, textbook {naive}"),
                theme.dim,
            ),
        ]),
        Line::styled(format!("popped: [{popped}]"), theme.chosen),
    ]
}

/// The array: indices, values, and the child arrows of the slot in focus.
fn render_array(model: &HeapRun, marks: &Marks, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let heap = model.heap();
    if area.height < 3 || heap.is_empty() {
        if area.height > 0 {
            buf.set_stringn(
                area.x,
                area.y,
                "array: [] (empty)",
                usize::from(area.width),
                theme.dim,
            );
        }
        return;
    }
    let width = heap
        .iter()
        .map(|v| v.to_string().len())
        .max()
        .unwrap_or(1)
        .max(heap.len().to_string().len())
        + 1;
    let label = 6;
    let visible = (usize::from(area.width).saturating_sub(label)) / width;
    let focus = marks
        .written
        .or(marks.hole)
        .or(marks.read.first().copied())
        .unwrap_or(0);
    let first = follow(heap.len(), visible, focus);
    buf.set_string(area.x, area.y, "index", theme.dim);
    buf.set_string(area.x, area.y + 1, "heap", theme.dim);
    for (slot, i) in (first..heap.len()).take(visible).enumerate() {
        let x = area.x + (label + slot * width) as u16;
        buf.set_string(x, area.y, format!("{i:>w$}", w = width - 1), theme.dim);
        buf.set_string(
            x,
            area.y + 1,
            format!("{:>w$}", heap[i], w = width - 1),
            marks.style(i, theme),
        );
    }
    // The arrows: where the children of the focus slot live.
    let left = 2 * focus + 1;
    let text = if left < heap.len() {
        let right = left + 1;
        if right < heap.len() {
            format!("children of {focus}: 2·{focus}+1 = {left}, 2·{focus}+2 = {right}")
        } else {
            format!("children of {focus}: 2·{focus}+1 = {left} (no right child)")
        }
    } else {
        format!(
            "{focus} is a leaf (2·{focus}+1 = {left} ≥ n = {})",
            heap.len()
        )
    };
    let parent = if focus > 0 {
        format!(" · parent (i−1)>>1 = {}", (focus - 1) >> 1)
    } else {
        String::new()
    };
    buf.set_stringn(
        area.x,
        area.y + 2,
        format!("↳ {text}{parent}"),
        usize::from(area.width),
        theme.dim,
    );
}
