//! Drawing the heap lesson: the tree, the array with its child arrows, the
//! popped values, comparison counters, and the sift pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::HeapLesson;
use super::model::{Event, HeapRun, Op, Slot};
use crate::i18n::Said;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::grid::{follow, follow_range};
use crate::widgets::words::wrapped_lines;
use crate::widgets::{legend, pseudocode, tree};
use crate::{said, tr};

/// Lesson width from which the pseudocode sits beside the tree.
const WIDE: u16 = 110;
const CODE_WIDTH: u16 = 60;
/// Rows of the array: indices, values, the child arrows.
const ARRAY_HEIGHT: u16 = 3;
/// Rows the pseudocode box keeps below the tree when it cannot sit beside
/// it: its border and three lines around the one running.
const MIN_CODE_ROWS: u16 = 5;

pub fn render(lesson: &HeapLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    // Wrapped here, so the block's height is exactly its rows.
    let info = wrapped_lines(&info_lines(lesson, area.width, theme), area.width);
    let [info_area, body] =
        Layout::vertical([Constraint::Length(info.len() as u16), Constraint::Fill(1)]).areas(area);
    Paragraph::new(info).render(info_area, buf);
    let (main, code_area) = if area.width >= WIDE {
        let [main, code] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(CODE_WIDTH)]).areas(body);
        (main, Some(code))
    } else {
        (body, None)
    };
    // The tree takes the rows it needs, the array and legend theirs; below
    // them the pseudocode box gets every row left.
    let len = model.heap().len();
    let tree_need = (2 * levels_of(len)).saturating_sub(1).max(1) as u16;
    let fixed = ARRAY_HEIGHT + 1;
    let tree_rows = match code_area {
        Some(_) => main.height.saturating_sub(fixed),
        None => tree_need.min(main.height.saturating_sub(fixed + MIN_CODE_ROWS)),
    };
    let [tree_area, array_area, legend_area, rest] = Layout::vertical([
        Constraint::Length(tree_rows),
        Constraint::Length(ARRAY_HEIGHT),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(main);
    let marks = Marks::of(model);
    render_tree(model, &marks, tree_area, buf, theme);
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

/// The tree, whole when it fits; else the subtree around the slots the
/// last step touched, with a line saying which part is shown.
fn render_tree(model: &HeapRun, marks: &Marks, area: Rect, buf: &mut Buffer, theme: &Look) {
    let heap = model.heap();
    let len = heap.len();
    if area.height == 0 || len == 0 {
        return;
    }
    let node = |i: usize| -> (String, Style) { (heap[i].to_string(), marks.style(i, theme)) };
    let label_width = heap.iter().map(|v| v.to_string().len()).max().unwrap_or(1) as u16;
    let total = levels_of(len);
    if tree::levels_that_fit(len, area, label_width) >= total {
        tree::render(len, &node, theme.border, area, buf);
        return;
    }
    // One row for the note; the levels that fit in the rest.
    let [drawn_area, note_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let fit = tree::levels_that_fit(len, drawn_area, label_width).max(1);
    let deepest = marks.deepest(len).unwrap_or(0);
    let up = (levels_of(deepest + 1) - 1).min(fit - 1);
    let root = (0..up).fold(deepest, |i, _| i.saturating_sub(1) >> 1);
    let drawn = tree::render_subtree(root, len, &node, theme.border, drawn_area, buf);
    let first = levels_of(root + 1);
    let last = first + drawn.saturating_sub(1);
    buf.set_stringn(
        note_area.x,
        note_area.y,
        said!(
            "subtree under slot {root}: levels {first}–{last} of {total}",
            "以下标 {root} 为根的子树：第 {first}–{last} 层，共 {total} 层"
        )
        .get(theme.lang),
        usize::from(note_area.width),
        theme.dim,
    );
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

    /// Every marked slot inside a list of `len`, ascending.
    fn slots(&self, len: usize) -> Vec<usize> {
        let mut slots: Vec<usize> = self
            .read
            .iter()
            .copied()
            .chain(self.written)
            .chain(self.hole)
            .filter(|&i| i < len)
            .collect();
        slots.sort_unstable();
        slots.dedup();
        slots
    }

    /// The deepest marked slot (the largest index) inside a list of `len`.
    fn deepest(&self, len: usize) -> Option<usize> {
        self.slots(len).last().copied()
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

fn info_lines(lesson: &HeapLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let model = lesson.model();
    let ops = model.ops();
    let heap = model.heap();
    let value = |i: Slot| heap.get(i as usize).map_or("?".to_string(), i64::to_string);
    let op = ops
        .get(model.shown_op_index())
        .map_or_else(String::new, Op::label);
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
            let x = match model.ops().get(model.shown_op_index()) {
                Some(Op::PushPop(x)) => x.to_string(),
                _ => "x".to_string(),
            };
            said!(
                "heap[{i}]={a} < new item {x} → {answer}",
                "heap[{i}]={a} < 新元素 {x} → {answer}"
            )
            .get(lang)
            .to_string()
        }
        // A pop's first step: the last slot is gone, its item now at the root.
        Some(Event::Move { to: 0, from }) if from as usize == heap.len() => {
            let (last, root) = (value(0), model.returning().unwrap_or_default());
            said!(
                "the last item {last} moves to the root; {root} leaves the heap",
                "最后一个元素 {last} 移到根上；{root} 离开了堆"
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
        Some(Event::Done {
            returned: Some(v), ..
        }) => said!("done, returned {v}", "完成，返回 {v}")
            .get(lang)
            .to_string(),
        Some(Event::Done { returned: None, .. }) => tr!("done", "完成").get(lang).to_string(),
    };
    let held = model.held().map(|(item, at)| {
        said!(
            "holding {item} outside the list; hole at {at}",
            "{item} 暂存在列表外；空位在 {at}"
        )
    });
    let returning = model.returning().map(|v| {
        said!(
            "returning {v}: it has left the heap",
            "将返回 {v}：它已离开堆"
        )
    });
    let state_line = match (held, returning) {
        (Some(held), Some(returning)) => {
            let (held_en, held_zh, ret_en, ret_zh) = (held.en, held.zh, returning.en, returning.zh);
            said!("{held_en} · {ret_en}", "{held_zh}；{ret_zh}")
        }
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => Said::plain(""),
    };
    let returned = |from: usize| {
        model.popped()[from.min(model.popped().len())..]
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (heapq, textbook) = lesson.op_comparisons();
    let op_done = matches!(model.last(), Some(Event::Done { .. }));
    let so_far = if op_done || model.last().is_none() {
        Said::plain("")
    } else {
        tr!(" so far", "（目前）").into()
    };
    let so_far = so_far.get(lang);
    let (total_heapq, total_textbook) = lesson.comparisons_before_op();
    let (at, total) = (model.shown_op_index() + 1, ops.len());
    let this_op = Span::styled(
        said!(
            "comparisons this op: heapq {heapq}{so_far}, textbook {textbook}",
            "本操作的比较次数：heapq {heapq}{so_far}，教科书版 {textbook}"
        )
        .get(lang)
        .to_string(),
        theme.good,
    );
    let earlier = Span::styled(
        said!(
            " · earlier ops: heapq {total_heapq}, textbook {total_textbook}",
            " · 之前的操作：heapq {total_heapq}，教科书版 {total_textbook}"
        )
        .get(lang)
        .to_string(),
        theme.dim,
    );
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                said!("op {at}/{total} {op}: ", "操作 {at}/{total} {op}：")
                    .get(lang)
                    .to_string(),
                theme.title,
            ),
            Span::styled(what, theme.text),
        ]),
        Line::styled(state_line.get(lang).to_string(), theme.other),
    ];
    lines.push(Line::from(vec![this_op, earlier]));
    // The newest values matter most: drop the oldest until the line fits
    // (the frame, the brackets and an ellipsis take ROOM columns).
    const ROOM: usize = 20;
    let popped = model.popped();
    let mut used = 0;
    let from = popped
        .iter()
        .rposition(|v| {
            used += v.to_string().len() + 2;
            used + ROOM > usize::from(width)
        })
        .map_or(0, |at| at + 1);
    let shown = if from == 0 {
        returned(0)
    } else {
        format!("…, {}", returned(from))
    };
    let returned_line = said!("returned: [{shown}]", "已返回：[{shown}]")
        .get(lang)
        .to_string();
    lines.push(Line::styled(returned_line, theme.chosen));
    lines
}

/// The slots shown in `visible` columns of a list of `len`, so that every
/// `marked` slot (ascending) is among them: one run when they fit together,
/// else a run around the first and one around the last with a gap (`None`)
/// between.
fn columns(len: usize, visible: usize, marked: &[usize]) -> Vec<Option<usize>> {
    let run = |first: usize, count: usize| (first..len).take(count).map(Some);
    let (Some(&lo), Some(&hi)) = (marked.first(), marked.last()) else {
        return run(0, visible).collect();
    };
    if hi - lo < visible || visible < 3 {
        return run(follow_range(len, visible, lo, hi), visible).collect();
    }
    // Marks come in pairs at most a level apart (a parent and a child, two
    // siblings, the hole): lo is the parent side, hi the child side.
    let left = (visible - 1) / 2;
    let right = visible - 1 - left;
    let left_first = follow(hi, left, lo);
    let near_hi = marked.get(1).copied().unwrap_or(hi);
    let right_first = follow_range(len, right, near_hi, hi).max(left_first + left);
    run(left_first, left)
        .chain(std::iter::once(None))
        .chain(run(right_first, right))
        .collect()
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
    buf.set_string(area.x, area.y, tr!("index", "下标").get(lang), theme.dim);
    buf.set_string(area.x, area.y + 1, tr!("heap", "堆").get(lang), theme.dim);
    for (slot, column) in columns(heap.len(), visible, &marks.slots(heap.len()))
        .into_iter()
        .enumerate()
    {
        let x = area.x + (label + slot * width) as u16;
        let Some(i) = column else {
            // A gap in the window: the marked slots are too far apart to show in one run.
            buf.set_string(
                x,
                area.y + 1,
                format!("{:>w$}", "…", w = width - 1),
                theme.dim,
            );
            continue;
        };
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
