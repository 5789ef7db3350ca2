//! Drawing the heap lesson: the tree, the array with its child arrows, the
//! popped values, comparison counters, and the sift pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::HeapLesson;
use super::model::{Event, HeapRun, Slot};
use crate::i18n::Said;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::grid::follow;
use crate::widgets::{legend, pseudocode, tree};
use crate::{said, tr};

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
        let more = levels_of(model.heap().len()) - drawn;
        buf.set_stringn(
            tree_area.x,
            tree_area.bottom() - 1,
            said!(
                "… {more} more levels: see the array",
                "… 还有 {more} 层：见下方数组"
            )
            .get(theme.lang),
            usize::from(tree_area.width),
            theme.dim,
        );
    }
    render_array(model, &marks, array_area, buf, theme);
    let lang = theme.lang;
    legend(
        &[
            ("7", theme.read, tr!("compared", "比较").get(lang)),
            ("7", theme.current, tr!("written", "写入").get(lang)),
            (
                "7",
                theme.other,
                tr!("hole (held item goes here)", "空位（暂存的元素将放回这里）").get(lang),
            ),
        ],
        theme.dim,
    )
    .render(legend_area, buf);
    let code_box = code_area.unwrap_or(rest);
    let title = tr!(" heapq sifts ", " heapq 的筛选 ").get(lang);
    pseudocode::render_lesson(title, lesson, code_box, buf, theme);
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

fn info_lines(lesson: &HeapLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let model = lesson.model();
    let ops = model.ops();
    let heap = model.heap();
    let value = |i: Slot| heap.get(i as usize).map_or("?".to_string(), i64::to_string);
    let op = model.current_op().map_or_else(
        || tr!("all done", "全部完成").get(lang).to_string(),
        |op| op.label(),
    );
    let what = match model.last() {
        None => tr!(
            "ready: the input is heapified first",
            "就绪：先把输入整理成堆"
        )
        .get(lang)
        .to_string(),
        Some(Event::Compare {
            i,
            j: Some(j),
            less,
        }) => {
            let (a, b) = (value(i), value(j));
            let answer = if less {
                tr!("yes", "是")
            } else {
                tr!("no", "否")
            }
            .get(lang);
            said!(
                "compare heap[{i}]={a} < heap[{j}]={b} → {answer}",
                "比较 heap[{i}]={a} < heap[{j}]={b} → {answer}"
            )
            .get(lang)
            .to_string()
        }
        Some(Event::Compare { i, j: None, less }) => {
            let a = value(i);
            let answer = if less {
                tr!("yes: swap it in", "是：把新元素换进去")
            } else {
                tr!("no: return the new item", "否：直接返回新元素")
            }
            .get(lang);
            said!(
                "pushpop: heap[{i}]={a} < the new item → {answer}",
                "pushpop：heap[{i}]={a} < 新元素 → {answer}"
            )
            .get(lang)
            .to_string()
        }
        Some(Event::Move { to, from }) => format!("heap[{to}] = heap[{from}] = {}", value(to)),
        Some(Event::Place { i }) => {
            let v = value(i);
            said!("heap[{i}] = {v} (placed)", "heap[{i}] = {v}（放回）")
                .get(lang)
                .to_string()
        }
        Some(Event::Done { returned: Some(v) }) => said!("done, returned {v}", "完成，返回 {v}")
            .get(lang)
            .to_string(),
        Some(Event::Done { returned: None }) => tr!("done", "完成").get(lang).to_string(),
    };
    let held = model.held().map_or(String::new(), |(item, at)| {
        said!(
            "holding {item} outside the list; hole at {at}",
            "{item} 暂存在列表外；空位在 {at}"
        )
        .get(lang)
        .to_string()
    });
    let popped = model
        .popped()
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let (bottom_up, naive) = lesson.finished_comparisons();
    let (at, total) = ((model.op_index() + 1).min(ops.len()), ops.len());
    let comparisons = model.comparisons();
    vec![
        Line::from(vec![
            Span::styled(
                said!("op {at}/{total} {op}: ", "操作 {at}/{total} {op}：")
                    .get(lang)
                    .to_string(),
                theme.title,
            ),
            Span::styled(what, theme.text),
        ]),
        Line::styled(held, theme.other),
        Line::from(vec![
            Span::styled(
                said!("comparisons {comparisons}", "比较 {comparisons} 次")
                    .get(lang)
                    .to_string(),
                theme.good,
            ),
            Span::styled(
                said!(
                    " · ops done: heapq {bottom_up}, textbook {naive}",
                    " · 已完成操作：heapq {bottom_up}，教科书版 {naive}"
                )
                .get(lang)
                .to_string(),
                theme.dim,
            ),
        ]),
        Line::styled(
            said!("popped: [{popped}]", "已弹出：[{popped}]")
                .get(lang)
                .to_string(),
            theme.chosen,
        ),
    ]
}

/// The array: indices, values, and the child arrows of the slot in focus.
fn render_array(model: &HeapRun, marks: &Marks, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let heap = model.heap();
    if area.height < 3 || heap.is_empty() {
        if area.height > 0 {
            buf.set_stringn(
                area.x,
                area.y,
                tr!("array: [] (empty)", "数组：[]（空）").get(lang),
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
    buf.set_string(area.x, area.y, tr!("index", "下标").get(lang), theme.dim);
    buf.set_string(area.x, area.y + 1, tr!("heap", "堆").get(lang), theme.dim);
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
            said!(
                "children of {focus}: 2·{focus}+1 = {left}, 2·{focus}+2 = {right}",
                "{focus} 的子节点：2·{focus}+1 = {left}，2·{focus}+2 = {right}"
            )
        } else {
            said!(
                "children of {focus}: 2·{focus}+1 = {left} (no right child)",
                "{focus} 的子节点：2·{focus}+1 = {left}（没有右子节点）"
            )
        }
    } else {
        let n = heap.len();
        said!(
            "{focus} is a leaf (2·{focus}+1 = {left} ≥ n = {n})",
            "{focus} 是叶子（2·{focus}+1 = {left} ≥ n = {n}）"
        )
    };
    let parent = if focus > 0 {
        let up = (focus - 1) >> 1;
        said!(" · parent (i−1)>>1 = {up}", " · 父节点 (i−1)>>1 = {up}")
    } else {
        Said::plain("")
    };
    let (text, parent) = (text.get(lang), parent.get(lang));
    buf.set_stringn(
        area.x,
        area.y + 2,
        format!("↳ {text}{parent}"),
        usize::from(area.width),
        theme.dim,
    );
}
