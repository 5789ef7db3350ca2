//! Drawing the sorts lesson: the array and its digits, the output being
//! filled, the counters (or buckets), the values as bars, and the pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::SortsLesson;
use super::model::{Algo, Event, Item, Phase, SortState};
use crate::i18n::Tr;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::widgets::grid::{Grid, follow, visible_cells};
use crate::widgets::{legend, pseudocode};
use crate::{said, tr};

const LABEL_WIDTH: u16 = 7;
const BARS_HEIGHT: u16 = 3;
/// Buckets shown at once; the view scrolls to the active one.
const MAX_BUCKET_ROWS: u16 = 6;

pub fn render(lesson: &SortsLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let state = lesson.state();
    let last = lesson.last();
    let code = lesson.pseudocode(theme.lang);
    // Counters take a header and one row; buckets one row each, up to a few.
    let aux_height = match state.algo {
        Algo::Bucket { buckets } => (buckets as u16).min(MAX_BUCKET_ROWS),
        _ => 2,
    };
    // A header row, then a, (x − min), the key row and out.
    let array_rows = 4 + u16::from(shows_offset(state));
    let [info, arrays, aux, bars, legend_area, code_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(array_rows),
        Constraint::Length(aux_height),
        Constraint::Length(BARS_HEIGHT),
        Constraint::Length(1),
        Constraint::Max(code.len() as u16 + 2),
    ])
    .areas(area);
    Paragraph::new(info_lines(lesson, theme)).render(info, buf);
    render_arrays(state, last, arrays, buf, theme);
    match state.algo {
        Algo::Bucket { .. } => render_buckets(state, last, aux, buf, theme),
        _ => render_counts(state, last, aux, buf, theme),
    }
    render_bars(state, last, bars, buf, theme);
    let lang = theme.lang;
    legend(
        &[
            ("7", theme.read, tr!("read", "读取").get(lang)),
            ("7", theme.current, tr!("written", "写入").get(lang)),
            ("_", theme.dim, tr!("empty slot", "空位").get(lang)),
        ],
        theme.dim,
    )
    .render(legend_area, buf);
    let title = tr!(" pseudocode ", " 伪代码 ").get(lang);
    pseudocode::render_lesson(title, lesson, code_area, buf, theme);
}

/// A phase as the info line says it; the trace keeps `Phase::name`.
fn phase_words(phase: Phase) -> Tr {
    match phase {
        Phase::Count => tr!("count", "计数"),
        Phase::Prefix => tr!("prefix", "前缀和"),
        Phase::Place => tr!("place", "放置"),
        Phase::Scatter => tr!("scatter", "分桶"),
        Phase::Insert => tr!("insert", "插入排序"),
        Phase::Gather => tr!("gather", "收集"),
        Phase::PassDone => tr!("pass done: a = out", "本趟完成：a = out"),
        Phase::Done => tr!("done: a is sorted", "完成：a 已有序"),
    }
}

/// Whether radix sort takes its digits of x − min (some value is negative):
/// the view then shows that row, labelled.
fn shows_offset(state: &SortState) -> bool {
    matches!(state.algo, Algo::Radix { .. }) && state.offset != 0
}

fn info_lines(lesson: &SortsLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let state = lesson.state();
    let n = state.src.len();
    let (name, k) = match state.algo {
        Algo::Counting => (tr!("counting sort", "计数排序").into(), state.counts.len()),
        Algo::Radix { base } => (
            said!("LSD radix sort, base {base}", "LSD 基数排序，基数 {base}"),
            base as usize,
        ),
        Algo::Bucket { buckets } => (
            said!("bucket sort, {buckets} buckets", "桶排序，{buckets} 个桶"),
            buckets,
        ),
    };
    let phase = lesson
        .last()
        .map_or(tr!("ready", "就绪"), |event| phase_words(event.phase()))
        .get(lang);
    let (pass, passes) = ((state.pass + 1).min(lesson.passes()), lesson.passes());
    let (reads, writes) = (state.reads, state.writes);
    let offset_note = if shows_offset(state) {
        let min = state.min;
        said!(
            " · min = {min} < 0: digits of x − min",
            " · min = {min} < 0：取 x − min 的各位"
        )
    } else {
        crate::i18n::Said::plain("")
    };
    vec![
        Line::from(vec![
            Span::styled(name.get(lang).to_string(), theme.title),
            Span::styled(
                said!(
                    " · pass {pass}/{passes} · {phase}",
                    " · 第 {pass}/{passes} 趟 · {phase}"
                )
                .get(lang)
                .to_string(),
                theme.text,
            ),
            Span::styled(offset_note.get(lang).to_string(), theme.other),
        ]),
        Line::from(vec![
            Span::styled(
                said!(
                    "reads {reads} · writes {writes}",
                    "读 {reads} 次 · 写 {writes} 次"
                )
                .get(lang)
                .to_string(),
                theme.good,
            ),
            Span::styled(
                said!(
                    " · each pass O(n + k): n = {n}, k = {k}",
                    " · 每趟 O(n + k)：n = {n}，k = {k}"
                )
                .get(lang)
                .to_string(),
                theme.dim,
            ),
        ]),
    ]
}

/// Which slots of which array the last event read and wrote.
struct Touched {
    src_read: Option<usize>,
    dst_written: Option<usize>,
    count: Option<usize>,
    bucket: Option<(usize, usize)>,
}

fn touched(state: &SortState, last: Option<&Event>) -> Touched {
    let mut t = Touched {
        src_read: None,
        dst_written: None,
        count: None,
        bucket: None,
    };
    match last {
        Some(Event::Count { index, digit }) => {
            t.src_read = Some(*index);
            t.count = Some(*digit);
        }
        Some(Event::Prefix { digit }) => t.count = Some(*digit),
        Some(Event::Place { index, digit, .. }) => {
            t.src_read = Some(*index);
            t.count = Some(*digit);
            t.dst_written = state.counts.get(*digit).copied();
        }
        Some(Event::Scatter { index, bucket }) => {
            t.src_read = Some(*index);
            t.bucket = Some((*bucket, state.buckets[*bucket].len().saturating_sub(1)));
        }
        Some(Event::Compare { bucket, at, .. } | Event::Shift { bucket, at }) => {
            t.bucket = Some((*bucket, *at));
        }
        Some(Event::Gather {
            bucket, at, dest, ..
        }) => {
            t.bucket = Some((*bucket, *at));
            t.dst_written = Some(*dest);
        }
        _ => {}
    }
    t
}

fn render_arrays(
    state: &SortState,
    last: Option<&Event>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let lang = theme.lang;
    let t = touched(state, last);
    let n = state.src.len();
    let width = cell_width(state);
    let pass = state.pass;
    let key_label = match state.algo {
        Algo::Counting => tr!("key", "键").get(lang).to_string(),
        Algo::Radix { .. } => {
            let p = pass + 1;
            said!("digit {p}", "第 {p} 位").get(lang).to_string()
        }
        Algo::Bucket { .. } => tr!("bucket", "桶号").get(lang).to_string(),
    };
    let digit_of = |key: i64| state.digit(key, state.pass);
    let offset = shows_offset(state);
    let mut labels = vec!["a".to_string()];
    if offset {
        labels.push("x−min".to_string());
    }
    labels.push(key_label);
    labels.push(tr!("out", "输出").get(lang).to_string());
    let key_row = usize::from(offset) + 1;
    let out_row = key_row + 1;
    let row_label = |row: usize| Line::styled(labels[row].clone(), theme.dim);
    let cell = |row: usize, col: usize| -> (String, Style) {
        if row == 0 {
            let style = if t.src_read == Some(col) {
                theme.read
            } else {
                theme.text
            };
            (show(state.src[col]), style)
        } else if row == key_row {
            (
                state.src[col].map_or(String::new(), |item| digit_of(item.key).to_string()),
                theme.dim,
            )
        } else if row == out_row {
            let style = if t.dst_written == Some(col) {
                theme.current
            } else if state.dst[col].is_none() {
                theme.dim
            } else {
                theme.text
            };
            (show(state.dst[col]), style)
        } else {
            // x − min, what radix takes digits of when a value is negative.
            (
                state.src[col].map_or(String::new(), |item| (item.key - state.offset).to_string()),
                theme.dim,
            )
        }
    };
    Grid {
        rows: labels.len(),
        cols: n,
        first_row: 0,
        first_col: first_col(state, last, area.width),
        cell_width: width,
        label_width: LABEL_WIDTH,
        corner: Some(Line::styled(tr!("index", "下标").get(lang), theme.dim)),
        col_label: &|j| (j.to_string(), theme.dim),
        row_label: &row_label,
        cell: &cell,
    }
    .render(area, buf);
}

/// The first array column shown, the same for every row keyed by index
/// (the arrays and the bars), so they stay aligned as they scroll.
fn first_col(state: &SortState, last: Option<&Event>, width: u16) -> usize {
    let t = touched(state, last);
    let visible = visible_cells(width, LABEL_WIDTH, cell_width(state));
    follow(
        state.src.len(),
        visible,
        t.dst_written.or(t.src_read).unwrap_or(0),
    )
}

fn show(slot: Option<Item>) -> String {
    slot.map_or("_".to_string(), |item| item.key.to_string())
}

fn cell_width(state: &SortState) -> u16 {
    let widest = state
        .src
        .iter()
        .flatten()
        .map(|item| item.key.to_string().len())
        .max()
        .unwrap_or(1)
        .max(state.src.len().to_string().len());
    widest as u16 + 1
}

fn render_counts(
    state: &SortState,
    last: Option<&Event>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let lang = theme.lang;
    let t = touched(state, last);
    let k = state.counts.len();
    let width = (state.src.len().to_string().len().max(k.to_string().len()) + 1) as u16;
    let visible = visible_cells(area.width, LABEL_WIDTH, width);
    let label = match last {
        Some(Event::Prefix { .. } | Event::Place { .. } | Event::Swap { .. }) => {
            tr!("prefix", "前缀和")
        }
        _ => tr!("count", "计数"),
    }
    .get(lang);
    Grid {
        rows: 1,
        cols: k,
        first_row: 0,
        first_col: follow(k, visible, t.count.unwrap_or(0)),
        cell_width: width,
        label_width: LABEL_WIDTH,
        corner: Some(Line::styled(
            match state.algo {
                Algo::Counting => tr!("key", "键"),
                _ => tr!("digit", "数位"),
            }
            .get(lang),
            theme.dim,
        )),
        col_label: &|d| (d.to_string(), theme.dim),
        row_label: &|_| Line::styled(label, theme.dim),
        cell: &|_, d| {
            let style = if t.count == Some(d) {
                theme.current
            } else {
                theme.text
            };
            (state.counts[d].to_string(), style)
        },
    }
    .render(area, buf);
}

fn render_buckets(
    state: &SortState,
    last: Option<&Event>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let t = touched(state, last);
    let rows = usize::from(area.height);
    let focus = t.bucket.map_or(0, |(b, _)| b);
    let first = follow(state.buckets.len(), rows, focus);
    for (row, (b, items)) in state
        .buckets
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .enumerate()
    {
        let label = said!("bucket {b:<3}", "桶 {b:<3}")
            .get(theme.lang)
            .to_string();
        let mut spans = vec![Span::styled(label, theme.dim)];
        for (at, item) in items.iter().enumerate() {
            let style = if t.bucket == Some((b, at)) {
                theme.current
            } else {
                theme.text
            };
            spans.push(Span::styled(format!(" {}", item.key), style));
        }
        buf.set_line(area.x, area.y + row as u16, &Line::from(spans), area.width);
    }
}

/// Eighths of a cell a bar grows by.
const BAR_EIGHTHS: &[&str] = &[" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// The array `a` as bars under its own columns (same width, same scroll),
/// the smallest value one eighth high, the largest the full height.
fn render_bars(
    state: &SortState,
    last: Option<&Event>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    if area.height == 0 {
        return;
    }
    let width = cell_width(state);
    let visible = visible_cells(area.width, LABEL_WIDTH, width);
    let first = first_col(state, last, area.width);
    buf.set_stringn(
        area.x,
        area.bottom() - 1,
        tr!("bars", "柱状").get(theme.lang),
        usize::from(LABEL_WIDTH),
        theme.dim,
    );
    let full = u64::from(area.height) * 8;
    let span = (state.max - state.min).unsigned_abs();
    for (slot, col) in (first..state.src.len()).take(visible).enumerate() {
        let Some(item) = state.src[col] else {
            continue;
        };
        // 1 eighth for the minimum up to `full` for the maximum.
        let height = 1 + (item.key - state.min).unsigned_abs() * (full - 1) / span.max(1);
        // Right-aligned under the cell's number, one column wide bars.
        let x = area.x + LABEL_WIDTH + (slot as u16 + 1) * width - 1;
        for row in 0..area.height {
            let below = u64::from(row) * 8;
            let fill = height.saturating_sub(below).min(8) as usize;
            let y = area.bottom() - 1 - row;
            buf.set_string(x, y, BAR_EIGHTHS[fill], theme.good);
        }
    }
}
