//! Drawing the knapsack lesson: the DP table (or the 1-D row with the row it
//! overwrites), what the last step compared, and the pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::KnapsackLesson;
use super::model::{
    Cursor, Fill, Knapsack, Last, Mode, NEG_INF, Order, Value, Volume, greedy_by_ratio,
};
use crate::i18n::Tr;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::grid::{Grid, follow, follow_range, visible_cells};
use crate::widgets::{digits, legend, panel, pseudocode};
use crate::{said, tr};

/// Lesson width from which the pseudocode moves beside the table.
const SIDE_BY_SIDE_WIDTH: u16 = 110;
/// Width of the pseudocode column when side by side.
const CODE_WIDTH: u16 = 58;
/// Cells never narrower than this (a gap and two digits).
const MIN_CELL_WIDTH: u16 = 3;
/// Marks a chosen item in the row labels.
const CHOSEN_MARK: &str = "✓";

pub fn render(lesson: &KnapsackLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    let explain = explain_lines(model, theme);
    let [info, body] = Layout::vertical([
        Constraint::Length(explain.len() as u16 + 1),
        Constraint::Fill(1),
    ])
    .areas(area);
    Paragraph::new(explain)
        .wrap(Wrap { trim: false })
        .render(info, buf);

    let code = lesson.pseudocode(theme.lang);
    let (table_area, code_area) = if body.width >= SIDE_BY_SIDE_WIDTH {
        let [table, side] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(CODE_WIDTH)]).areas(body);
        let [code, items] = Layout::vertical([
            Constraint::Length(code.len() as u16 + 2),
            Constraint::Fill(1),
        ])
        .areas(side);
        render_items(model, items, buf, theme);
        (table, code)
    } else {
        let table_height = table_height(model).min(body.height);
        let [table, code] =
            Layout::vertical([Constraint::Length(table_height), Constraint::Fill(1)]).areas(body);
        (table, code)
    };
    match model.mode() {
        Mode::TwoD => render_2d(model, table_area, buf, theme),
        Mode::OneD => render_1d(model, table_area, buf, theme),
    }
    // The box hugs the code: lines plus its border.
    let code_area = Rect {
        height: code_area.height.min(code.len() as u16 + 2),
        ..code_area
    };
    let title = tr!(" pseudocode ", " 伪代码 ").get(theme.lang);
    pseudocode::render_lesson(title, lesson, code_area, buf, theme);
}

/// The item list with value per weight, and what greedy-by-ratio would pack.
fn render_items(model: &Knapsack, area: Rect, buf: &mut Buffer, theme: &Look) {
    if area.height < 3 {
        return;
    }
    let lang = theme.lang;
    let block = panel(tr!(" items ", " 物品 ").get(lang), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let labels = ItemLabels::new(model);
    let (greedy, greedy_value) = greedy_by_ratio(model.items(), model.capacity());
    let list = |items: &[usize]| {
        items
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut header = labels.corner(theme);
    header.spans.push(Span::styled("    v/w", theme.dim));
    let mut lines = vec![header];
    for (at, item) in model.items().iter().enumerate() {
        let ratio = item.value as f64 / item.weight as f64;
        let mut line = labels.row(model, at + 1, false, theme);
        line.spans
            .insert(1, Span::styled(format!(" {ratio:>6.2}"), theme.dim));
        lines.push(line);
    }
    lines.push(Line::raw(""));
    let greedy = list(&greedy);
    lines.push(Line::styled(
        said!(
            "greedy by v/w packs [{greedy}] = {greedy_value}",
            "按 v/w 贪心装入 [{greedy}] = {greedy_value}"
        )
        .get(lang)
        .to_string(),
        theme.other,
    ));
    if model.cursor() == Cursor::Done && !model.is_unbounded() {
        let (chosen, best) = (list(&model.chosen()), model.best());
        lines.push(Line::styled(
            said!(
                "the table finds [{chosen}] = {best}",
                "DP 表得出 [{chosen}] = {best}"
            )
            .get(lang)
            .to_string(),
            theme.chosen,
        ));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// Rows the table part wants: header, rows, legend (and the 1-D row strip).
fn table_height(model: &Knapsack) -> u16 {
    let n = model.items().len() as u16;
    match model.mode() {
        Mode::TwoD => n + 2 + legend_rows(model),
        // Strip (header and two rows), note, keep header, n rows, legend.
        Mode::OneD => 3 + 1 + 1 + n + legend_rows(model),
    }
}

/// The legend's rows: an exact fill explains −∞ on a line of its own.
fn legend_rows(model: &Knapsack) -> u16 {
    1 + u16::from(model.volume() == Volume::Exact)
}

/// What the last step did, in words, plus the run's state.
fn explain_lines(model: &Knapsack, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let what = match model.last() {
        Last::Start => match model.cursor() {
            Cursor::Fill { i, j } => Line::styled(
                said!(
                    "ready: the first step fills cell i={i}, j={j}",
                    "就绪：第一步填格子 i={i}, j={j}"
                )
                .get(lang)
                .to_string(),
                theme.text,
            ),
            _ => Line::styled(
                tr!(
                    "ready: no item fits, nothing to fill",
                    "就绪：没有物品放得下，无需填表"
                )
                .get(lang),
                theme.text,
            ),
        },
        Last::Fill(fill) => fill_sentence(model, fill, theme),
        Last::Trace { i, j, took: true } => {
            let rest = j - model.items()[i - 1].weight;
            Line::styled(
                said!(
                    "traceback: item {i} won at j={j} → choose it, j = {rest}",
                    "回溯：物品 {i} 在 j={j} 处胜出 → 选它，j = {rest}"
                )
                .get(lang)
                .to_string(),
                theme.good,
            )
        }
        Last::Trace { i, j, took: false } => Line::styled(
            said!(
                "traceback: item {i} lost at j={j} → leave it out",
                "回溯：物品 {i} 在 j={j} 处落败 → 不选"
            )
            .get(lang)
            .to_string(),
            theme.other,
        ),
    };
    let problem = if model.is_unbounded() {
        Span::styled(
            tr!("forward order = UNBOUNDED knapsack", "正序即完全背包").get(lang),
            theme.error,
        )
    } else {
        Span::styled(tr!("0/1 knapsack", "0/1 背包").get(lang), theme.dim)
    };
    let state = if model.cursor() == Cursor::Done {
        let chosen = model.chosen();
        let weight: usize = chosen.iter().map(|&i| model.items()[i - 1].weight).sum();
        let list = chosen
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let (best, capacity) = (model.best(), model.capacity());
        let found = match model.volume() {
            Volume::AtMost => said!(
                "best {best} = items [{list}], weight {weight}/{capacity} · ",
                "最优 {best} = 物品 [{list}]，重量 {weight}/{capacity} · "
            ),
            Volume::Exact => said!(
                "best {best} = items [{list}], weight exactly {weight} (of at most {capacity}) · ",
                "最优 {best} = 物品 [{list}]，重量恰好 {weight}（上限 {capacity}）· "
            ),
        };
        Line::from(vec![
            Span::styled(found.get(lang).to_string(), theme.chosen),
            problem,
        ])
    } else {
        let (filled, total) = (model.cells_filled(), model.cells_total());
        Line::from(vec![
            Span::styled(
                said!("cells {filled}/{total} · ", "已填 {filled}/{total} 格 · ")
                    .get(lang)
                    .to_string(),
                theme.dim,
            ),
            problem,
        ])
    };
    vec![what, state]
}

/// `f[2][8] = max(f[1][8]=5, f[1][4]+8=13) = 13 → take 2`, coloured by the winner.
fn fill_sentence(model: &Knapsack, fill: Fill, theme: &Look) -> Line<'static> {
    let item = model.items()[fill.i - 1];
    let (i, j, j_take) = (fill.i, fill.j, fill.j.saturating_sub(item.weight));
    let (cell, skip, take) = match model.mode() {
        Mode::TwoD => (
            format!("f[{i}][{j}]"),
            format!("f[{}][{j}]", i - 1),
            format!("f[{}][{j_take}]", i - 1),
        ),
        Mode::OneD => (
            format!("dp[{j}]"),
            format!("dp[{j}]"),
            format!("dp[{j_take}]"),
        ),
    };
    let (skip_style, take_style) = if fill.took {
        (theme.dim, theme.good)
    } else {
        (theme.other, theme.dim)
    };
    let mut spans = vec![
        Span::styled(format!("{cell} = max("), theme.text),
        Span::styled(format!("{skip}={}", fill.skip), skip_style),
        Span::styled(", ", theme.text),
    ];
    match fill.take {
        Some(value) => spans.push(Span::styled(
            format!("{take}+{}={value}", item.value),
            take_style,
        )),
        None => {
            let w = item.weight;
            spans.push(Span::styled(
                said!("does not fit: w{i}={w} > j={j}", "放不下：w{i}={w} > j={j}")
                    .get(theme.lang)
                    .to_string(),
                theme.dim,
            ));
        }
    }
    spans.push(Span::styled(format!(") = {}", fill.value()), theme.text));
    spans.push(if fill.value() == Value::NegInf {
        Span::styled(
            said!(" → no way to fill exactly {j}", " → 凑不出恰好 {j} 的重量")
                .get(theme.lang)
                .to_string(),
            theme.other,
        )
    } else if fill.took {
        Span::styled(
            said!(" → take {i}", " → 选 {i}")
                .get(theme.lang)
                .to_string(),
            theme.good,
        )
    } else {
        Span::styled(
            said!(" → skip {i}", " → 不选 {i}")
                .get(theme.lang)
                .to_string(),
            theme.other,
        )
    });
    Line::from(spans)
}

/// Cell width that fits every value the table can hold and every capacity label.
fn cell_width(model: &Knapsack) -> u16 {
    let largest_value = if model.is_unbounded() {
        model.best().max(1)
    } else {
        model.items().iter().map(|item| item.value).sum()
    };
    (digits(largest_value).max(digits(model.capacity() as u64)) + 1).max(MIN_CELL_WIDTH)
}

/// Row labels "i   w   v ✓": widths from the largest item.
struct ItemLabels {
    i_width: usize,
    w_width: usize,
    v_width: usize,
}

impl ItemLabels {
    fn new(model: &Knapsack) -> ItemLabels {
        let items = model.items();
        ItemLabels {
            i_width: usize::from(digits(items.len() as u64)),
            w_width: usize::from(digits(
                items.iter().map(|it| it.weight as u64).max().unwrap_or(0),
            )),
            v_width: usize::from(digits(items.iter().map(|it| it.value).max().unwrap_or(0))),
        }
    }

    fn width(&self) -> u16 {
        (self.i_width + self.w_width + self.v_width + 4 + CHOSEN_MARK.len().min(2)) as u16
    }

    fn corner(&self, theme: &Theme) -> Line<'static> {
        let (iw, ww, vw) = (self.i_width, self.w_width, self.v_width);
        Line::styled(format!("{:>iw$} {:>ww$} {:>vw$}", "i", "w", "v"), theme.dim)
    }

    fn row(&self, model: &Knapsack, i: usize, active: bool, theme: &Theme) -> Line<'static> {
        let (iw, ww, vw) = (self.i_width, self.w_width, self.v_width);
        if i == 0 {
            return Line::styled(format!("{:>iw$} {:>ww$} {:>vw$}", 0, "", ""), theme.dim);
        }
        let item = model.items()[i - 1];
        let uses = model.chosen().iter().filter(|&&c| c == i).count();
        let style = if active { theme.title } else { theme.text };
        let mut spans = vec![Span::styled(
            format!("{i:>iw$} {:>ww$} {:>vw$}", item.weight, item.value),
            style,
        )];
        match uses {
            0 => {}
            1 => spans.push(Span::styled(format!(" {CHOSEN_MARK}"), theme.chosen)),
            _ => spans.push(Span::styled(format!(" {uses}"), theme.chosen)),
        }
        Line::from(spans)
    }
}

fn render_2d(model: &Knapsack, area: Rect, buf: &mut Buffer, theme: &Look) {
    let n = model.items().len();
    let capacity = model.capacity();
    let labels = ItemLabels::new(model);
    let width = cell_width(model);
    let path = model.trace_path();
    let fill = match model.last() {
        Last::Fill(fill) => Some(fill),
        _ => None,
    };
    // The cells the last step read: f[i-1][j] and, when the item fits, f[i-1][j-w].
    let reads = fill.map(|f| {
        let w = model.items()[f.i - 1].weight;
        ((f.i - 1, f.j), f.take.map(|_| (f.i - 1, f.j - w)))
    });
    let focus = match (model.last(), model.cursor()) {
        (Last::Fill(f), _) => (f.i, f.j),
        (Last::Trace { i, j, .. }, _) => (i, j),
        (Last::Start, Cursor::Fill { i, j }) => (i, j),
        _ => (n, capacity),
    };
    let active_row = focus.0;

    let legend_height = legend_rows(model);
    let grid_area = Rect {
        height: area.height.saturating_sub(legend_height),
        ..area
    };
    let visible_cols = visible_cells(grid_area.width, labels.width(), width);
    let visible_rows = usize::from(grid_area.height.saturating_sub(1));
    let cell = |i: usize, j: usize| -> (String, Style) {
        let Some(value) = model.cell(i, j) else {
            return ("·".to_string(), theme.dim);
        };
        let style = if fill.is_some_and(|f| (f.i, f.j) == (i, j)) {
            theme.current
        } else if reads.is_some_and(|(a, b)| a == (i, j) || b == Some((i, j))) {
            theme.read
        } else if path
            .iter()
            .any(|&(pi, pj, took)| (pi, pj) == (i, j) && took)
        {
            theme.chosen.patch(theme.read)
        } else if path.iter().any(|&(pi, pj, _)| (pi, pj) == (i, j)) {
            theme.read
        } else if model.took(i, j) {
            theme.good
        } else if i == 0 {
            theme.dim
        } else {
            theme.text
        };
        (value.to_string(), style)
    };
    let col_label = |j: usize| (j.to_string(), theme.dim);
    let row_label = |i: usize| labels.row(model, i, i == active_row, theme);
    Grid {
        rows: n + 1,
        cols: capacity + 1,
        first_row: follow(n + 1, visible_rows, focus.0),
        first_col: follow_range(
            capacity + 1,
            visible_cols,
            reads.and_then(|(_, take)| take).map_or(focus.1, |(_, j)| j),
            focus.1,
        ),
        cell_width: width,
        label_width: labels.width(),
        corner: Some(labels.corner(theme)),
        col_label: &col_label,
        row_label: &row_label,
        cell: &cell,
    }
    .render(grid_area, buf);

    let rows_drawn = (n + 2).min(usize::from(grid_area.height)) as u16;
    let legend_area = Rect::new(area.x, area.y + rows_drawn, area.width, legend_height);
    render_legend(
        model,
        ("12", tr!("take won", "选入更优")),
        tr!("empty", "未填"),
        legend_area.intersection(area),
        buf,
        theme,
    );
}

/// The legend under a table: how a written, read, winning and untouched cell look.
fn render_legend(
    model: &Knapsack,
    won: (&'static str, Tr),
    untouched: Tr,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let lang = theme.lang;
    let entries = [
        ("12", theme.current, tr!("written", "写入").get(lang)),
        ("12", theme.read, tr!("read", "读取").get(lang)),
        (won.0, theme.good, won.1.get(lang)),
        ("·", theme.dim, untouched.get(lang)),
        (CHOSEN_MARK, theme.chosen, tr!("chosen", "选中").get(lang)),
    ];
    legend(&entries, theme.dim).render(area, buf);
    if model.volume() == Volume::Exact && area.height > 1 {
        let text = tr!(
            "no set of items weighs exactly j",
            "没有哪些物品的重量之和恰好是 j"
        )
        .get(lang);
        legend(&[(NEG_INF, theme.text, text)], theme.dim).render(
            Rect {
                y: area.y + 1,
                height: 1,
                ..area
            },
            buf,
        );
    }
}

fn render_1d(model: &Knapsack, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let n = model.items().len();
    let capacity = model.capacity();
    let labels = ItemLabels::new(model);
    let width = cell_width(model);
    let fill = match model.last() {
        Last::Fill(fill) => Some(fill),
        _ => None,
    };
    let pass_item = fill.map(|f| f.i);
    // The cell the last step read besides its own: dp[j - w].
    let read = fill.and_then(|f| f.take.map(|_| f.j - model.items()[f.i - 1].weight));
    // Forward order reads a cell this very pass already rewrote: item i counted twice.
    let reused = read.is_some_and(|j| model.visited_in_pass(j));
    let focus_row = match (model.last(), model.cursor()) {
        (Last::Fill(f), _) => f.i,
        (Last::Trace { i, .. }, _) => i,
        (Last::Start, Cursor::Fill { i, .. }) => i,
        _ => n,
    };
    let focus_col = match (model.last(), model.cursor()) {
        (Last::Fill(f), _) => f.j,
        (Last::Trace { j, .. }, _) => j,
        (Last::Start, Cursor::Fill { j, .. }) => j,
        _ => capacity,
    };
    // The row strip: the row the comparison reads (the previous item's,
    // row i−1 of the 2-D table) above the one being overwritten.
    let read_row = match (pass_item, model.last()) {
        (Some(i), _) => i - 1,
        (None, Last::Trace { .. }) => n,
        (None, _) => 0,
    };
    let before_label = said!("row {read_row}", "第 {read_row} 行")
        .get(lang)
        .to_string();
    let now_label = tr!("dp now", "当前 dp").get(lang);
    let strip_row_label = |row: usize| {
        let text = if row == 0 {
            before_label.clone()
        } else {
            now_label.to_string()
        };
        Line::styled(text, theme.dim)
    };
    // One label column for the strip and the keep grid, so their cells line up.
    let keep_corner = Line::styled("keep[i][j]", theme.dim);
    let label_width = [
        labels.width(),
        keep_corner.width() as u16,
        Line::raw(before_label.as_str()).width() as u16,
        Line::raw(now_label).width() as u16,
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    let visible_cols = visible_cells(area.width, label_width, width);
    let first_col = follow_range(
        capacity + 1,
        visible_cols,
        read.unwrap_or(focus_col),
        focus_col,
    );
    let col_label = |j: usize| (j.to_string(), theme.dim);

    let strip_cell = |row: usize, j: usize| -> (String, Style) {
        if row == 0 {
            let style = if model.visited_in_pass(j) {
                theme.dim
            } else {
                theme.text
            };
            return (model.dp_before_pass(j).to_string(), style);
        }
        let style = if fill.is_some_and(|f| f.j == j) {
            theme.current
        } else if read == Some(j) && reused {
            theme.error.patch(theme.read)
        } else if read == Some(j) {
            theme.read
        } else if model.visited_in_pass(j) {
            theme.good
        } else {
            theme.text
        };
        (model.dp(j).to_string(), style)
    };
    let strip_height = 3.min(area.height);
    Grid {
        rows: 2,
        cols: capacity + 1,
        first_row: 0,
        first_col,
        cell_width: width,
        label_width,
        corner: Some(Line::styled("j", theme.dim)),
        col_label: &col_label,
        row_label: &strip_row_label,
        cell: &strip_cell,
    }
    .render(
        Rect {
            height: strip_height,
            ..area
        },
        buf,
    );

    let mut y = area.y + strip_height;
    let note = match (reused, model.order()) {
        (true, _) => Line::styled(
            tr!(
                "dp[j-w] already holds item i: it is counted twice",
                "dp[j-w] 已含物品 i：它被算了两次"
            )
            .get(lang),
            theme.error,
        ),
        (false, Order::Reverse) => Line::styled(
            tr!(
                "right to left: dp[j-w] still holds row i−1",
                "从右到左：dp[j-w] 仍是第 i−1 行的值"
            )
            .get(lang),
            theme.dim,
        ),
        (false, Order::Forward) => Line::styled(
            tr!(
                "left to right: dp[j-w] may already include item i",
                "从左到右：dp[j-w] 可能已含物品 i"
            )
            .get(lang),
            theme.dim,
        ),
    };
    if y < area.bottom() {
        note.render(Rect::new(area.x, y, area.width, 1), buf);
        y += 1;
    }

    // keep[i][j]: each decision, which the traceback walks.
    let path = model.trace_path();
    let keep_area = Rect::new(area.x, y, area.width, area.bottom().saturating_sub(y));
    let keep_rows = usize::from(keep_area.height.saturating_sub(1 + legend_rows(model)));
    let keep_cell = |row: usize, j: usize| -> (String, Style) {
        let i = row + 1;
        let on_path = path.iter().find(|&&(pi, pj, _)| (pi, pj) == (i, j));
        let text = match (model.is_filled(i, j), model.took(i, j)) {
            (false, _) => "·",
            (true, true) => "1",
            (true, false) => "0",
        };
        let style = match on_path {
            Some(&(_, _, true)) => theme.chosen.patch(theme.read),
            Some(_) => theme.read,
            None if fill.is_some_and(|f| (f.i, f.j) == (i, j)) => theme.current,
            None if model.took(i, j) => theme.good,
            None => theme.dim,
        };
        (text.to_string(), style)
    };
    let row_label = |row: usize| labels.row(model, row + 1, row + 1 == focus_row, theme);
    Grid {
        rows: n,
        cols: capacity + 1,
        first_row: follow(n, keep_rows, focus_row.saturating_sub(1)),
        first_col,
        cell_width: width,
        label_width,
        corner: Some(keep_corner),
        col_label: &|_| (String::new(), Style::new()),
        row_label: &row_label,
        cell: &keep_cell,
    }
    .render(
        Rect {
            height: keep_area.height.saturating_sub(legend_rows(model)),
            ..keep_area
        },
        buf,
    );
    let rows_drawn = (n + 1).min(usize::from(
        keep_area.height.saturating_sub(legend_rows(model)),
    )) as u16;
    if keep_area.height > 0 {
        let legend_area = Rect::new(
            area.x,
            keep_area.y + rows_drawn,
            area.width,
            legend_rows(model),
        );
        render_legend(
            model,
            ("1", tr!("kept", "选入")),
            tr!("not reached", "未到达"),
            legend_area.intersection(area),
            buf,
            theme,
        );
    }
}
