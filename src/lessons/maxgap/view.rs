//! Drawing the maximum gap lesson: a number line with bucket boundaries,
//! the bucket min/max table, the scan, and why no gap hides in a bucket.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::MaxGapLesson;
use super::model::{Event, GapState};
use super::questions::parenthesised;
use crate::i18n::Said;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::grid::{Grid, follow, visible_cells};
use crate::widgets::words::wrapped_lines;
use crate::widgets::{legend, pseudocode};
use crate::{said, tr};

const LABEL_WIDTH: u16 = 7;
/// Status rows at most, so the number line and the buckets keep their room.
const MAX_INFO_ROWS: usize = 6;

pub fn render(lesson: &MaxGapLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let state = lesson.state();
    let code = lesson.pseudocode(theme.lang);
    let mut info_text = wrapped_lines(&info_lines(lesson, theme), area.width);
    info_text.truncate(MAX_INFO_ROWS);
    let [info, line_area, table, legend_area, code_area] = Layout::vertical([
        Constraint::Length(info_text.len() as u16),
        Constraint::Length(3),
        Constraint::Length(4),
        Constraint::Length(1),
        Constraint::Max(code.len() as u16 + 2),
    ])
    .areas(area);
    Paragraph::new(info_text).render(info, buf);
    render_number_line(state, lesson.last(), line_area, buf, theme);
    render_table(state, lesson.last(), table, buf, theme);
    let lang = theme.lang;
    legend(
        &[
            ("│", theme.border, tr!("bucket edge", "桶边界").get(lang)),
            ("•", theme.good, tr!("dropped", "已入桶").get(lang)),
            ("·", theme.dim, tr!("waiting", "未入桶").get(lang)),
            (
                "◆",
                theme.chosen,
                tr!("best pair", "最大间距两端").get(lang),
            ),
        ],
        theme.dim,
    )
    .render(legend_area, buf);
    let title = tr!(" pseudocode ", " 伪代码 ").get(lang);
    pseudocode::render_lesson(title, lesson, code_area, buf, theme);
}

fn info_lines(lesson: &MaxGapLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let state = lesson.state();
    let n = state.values.len();
    if n < 2 {
        return vec![Line::styled(
            said!(
                "{n} value(s): fewer than two, so the answer is 0",
                "{n} 个值：不到两个，答案为 0"
            )
            .get(lang)
            .to_string(),
            theme.text,
        )];
    }
    let p = parenthesised;
    let what = match lesson.last() {
        None => tr!("ready: first find lo and hi", "就绪：先找出 lo 和 hi").into(),
        Some(Event::Range { index, .. }) => {
            let (x, lo, hi) = (state.values[*index], state.lo, state.hi);
            said!(
                "a[{index}] = {x}: lo {lo}, hi {hi}",
                "a[{index}] = {x}：lo {lo}，hi {hi}"
            )
        }
        Some(Event::Drop { index, bucket, .. }) => {
            let (x, lo, b) = (p(state.values[*index]), p(state.lo), state.bucket_size);
            said!(
                "a[{index}] = {x} → bucket ({x} − {lo}) ÷ {b} = {bucket}",
                "a[{index}] = {x} → 桶 ({x} − {lo}) ÷ {b} = {bucket}"
            )
        }
        Some(&Event::Scan { bucket, gap, .. }) => match (state.buckets[bucket], gap) {
            (None, _) => said!(
                "bucket {bucket} is empty: skip it",
                "桶 {bucket} 为空：跳过"
            ),
            (Some((_, hi)), None) => said!(
                "bucket {bucket}: the first non-empty one, prev = its max {hi}",
                "桶 {bucket}：第一个非空桶，prev = 它的最大值 {hi}"
            ),
            (Some((min, hi)), Some(gap)) => {
                let prev = p(min - gap);
                let min = p(min);
                said!(
                    "bucket {bucket}: gap = min − prev = {min} − {prev} = {gap}; prev = {hi}",
                    "桶 {bucket}：间距 = 桶内最小值 − prev = {min} − {prev} = {gap}；prev = {hi}"
                )
            }
        },
    };
    let (best, sorted) = (state.best, lesson.sorted_answer());
    let done = lesson.last().is_some() && lesson.is_finished();
    let best_text = match state.pair {
        Some(pair) if done => {
            let (lo, hi) = (pair.lo, pair.hi);
            said!(
                "answer: the largest gap is {best}, from {lo} to {hi}",
                "答案：最大间距是 {best}，从 {lo} 到 {hi}"
            )
        }
        Some(pair) => {
            let (lo, hi) = (pair.lo, pair.hi);
            said!(
                "best so far {best}, from {lo} to {hi}",
                "目前最大间距 {best}，从 {lo} 到 {hi}"
            )
        }
        None => said!("best so far {best}", "目前最大间距 {best}"),
    };
    let mut lines = vec![
        Line::styled(what.get(lang).to_string(), theme.text),
        Line::from(vec![
            Span::styled(best_text.get(lang).to_string(), theme.chosen),
            Span::styled(
                said!(" · sort-and-scan: {sorted}", " · 排序后扫描得 {sorted}")
                    .get(lang)
                    .to_string(),
                theme.dim,
            ),
        ]),
    ];
    if lesson.steps() >= n as u64 {
        lines.push(Line::styled(
            size_rule(state).get(lang).to_string(),
            theme.dim,
        ));
    }
    lines
}

/// Why no gap inside a bucket can win, said only as far as it holds: the
/// inequality b ≤ average gap needs the average to be at least 1, else the
/// max(1, …) floor makes b = 1 and the reason is a different one.
fn size_rule(state: &GapState) -> Said {
    let n = state.values.len();
    let (lo, hi, b) = (state.lo, state.hi, state.bucket_size);
    let range = hi - lo;
    let gaps = n - 1;
    let average = range as f64 / gaps as f64;
    if range >= gaps as i64 {
        let inside = b - 1;
        said!(
            "b = {range} ÷ {gaps} = {b} ≤ average gap {average:.2} ≤ largest gap; a bucket \
             spans at most {inside}, so the largest gap is between buckets",
            "b = {range} ÷ {gaps} = {b} ≤ 平均间距 {average:.2} ≤ 最大间距；同一桶内两数最多差 \
             {inside}，所以最大间距一定跨桶"
        )
    } else {
        said!(
            "average gap {average:.2} < 1, so b = max(1, {range} ÷ {gaps}) = 1: one value \
             (maybe repeated) per bucket, so every gap above 0 is between buckets",
            "平均间距 {average:.2} < 1，所以 b = max(1, {range} ÷ {gaps}) = 1：每个桶只装一个值\
             （可能重复），所以大于 0 的间距都跨桶"
        )
    }
}

/// The values on a line from lo to hi, bucket boundaries as bars.
fn render_number_line(
    state: &GapState,
    last: Option<&Event>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let n = state.values.len();
    if area.height < 3 || area.width < 4 || n < 2 {
        return;
    }
    let (lo, hi) = match (state.values.iter().min(), state.values.iter().max()) {
        (Some(&lo), Some(&hi)) => (lo, hi),
        _ => return,
    };
    let span = (hi - lo).max(1) as f64;
    let width = f64::from(area.width - 1);
    let column = |x: i64| area.x + (((x - lo) as f64 / span) * width).round() as u16;
    if state.dropped > 0 || matches!(last, Some(Event::Drop { .. } | Event::Scan { .. })) {
        for k in 0..=state.bucket_count {
            let edge = lo + k as i64 * state.bucket_size;
            if edge > hi + state.bucket_size {
                break;
            }
            let x = column(edge.min(hi)).min(area.right() - 1);
            buf.set_string(x, area.y, "│", theme.border);
        }
    }
    let current = match last {
        Some(Event::Range { index, .. } | Event::Drop { index, .. }) => Some(*index),
        _ => None,
    };
    let in_pair = |x: i64| state.pair.is_some_and(|p| x == p.lo || x == p.hi);
    for (i, &x) in state.values.iter().enumerate() {
        let (mark, style) = if current == Some(i) {
            ("•", theme.current)
        } else if in_pair(x) {
            ("◆", theme.chosen)
        } else if i < state.dropped {
            ("•", theme.good)
        } else {
            ("·", theme.dim)
        };
        buf.set_string(column(x), area.y + 1, mark, style);
    }
    buf.set_stringn(
        area.x,
        area.y + 2,
        lo.to_string(),
        usize::from(area.width),
        theme.dim,
    );
    let hi_label = hi.to_string();
    let hi_x = area.right().saturating_sub(hi_label.len() as u16);
    buf.set_string(hi_x, area.y + 2, &hi_label, theme.dim);
    // The best pair's span under the line, between the lo and hi labels.
    if let Some(pair) = state.pair {
        let from = (column(pair.lo) + 1).max(area.x + lo.to_string().len() as u16 + 1);
        let to = column(pair.hi).min(hi_x.saturating_sub(1));
        if to > from {
            let width = usize::from(to - from);
            let label = format!(" {} ", state.best);
            let text = if label.len() + 2 <= width {
                let left = (width - label.len()) / 2;
                format!(
                    "{}{label}{}",
                    "─".repeat(left),
                    "─".repeat(width - left - label.len())
                )
            } else {
                "─".repeat(width)
            };
            buf.set_string(from, area.y + 2, text, theme.chosen);
        }
    }
}

fn render_table(
    state: &GapState,
    last: Option<&Event>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let lang = theme.lang;
    let count = state.bucket_count;
    if count == 0 {
        return;
    }
    let width = state
        .values
        .iter()
        .map(|v| v.to_string().len())
        .max()
        .unwrap_or(1)
        .max(count.to_string().len()) as u16
        + 1;
    let focus = match last {
        Some(Event::Drop { bucket, .. } | Event::Scan { bucket, .. }) => *bucket,
        _ => 0,
    };
    let scanned = match last {
        Some(Event::Scan { bucket, .. }) => Some(*bucket),
        _ => None,
    };
    let visible = visible_cells(area.width, LABEL_WIDTH, width);
    let labels = [
        tr!("min", "最小").get(lang),
        tr!("max", "最大").get(lang),
        tr!("gap", "间距").get(lang),
    ];
    // The best pair: the max of one bucket and the min of a later one.
    let pair = state.pair;
    let cell = |row: usize, k: usize| -> (String, Style) {
        let in_pair = pair.is_some_and(|p| {
            (row == 1 && k == p.from_bucket) || ((row == 0 || row == 2) && k == p.to_bucket)
        });
        let style = if in_pair {
            theme.chosen
        } else if focus == k && last.is_some() {
            theme.current
        } else if scanned.is_some_and(|s| k < s) {
            theme.dim
        } else {
            theme.text
        };
        let text = match (row, state.buckets[k]) {
            (0, Some((lo, _))) => lo.to_string(),
            (1, Some((_, hi))) => hi.to_string(),
            (2, _) => match state.gaps[k] {
                Some(g) => g.to_string(),
                None if scanned == Some(k) => "—".to_string(),
                None => String::new(),
            },
            _ => "·".to_string(),
        };
        (text, style)
    };
    Grid {
        rows: 3,
        cols: count,
        first_row: 0,
        first_col: follow(count, visible, focus),
        cell_width: width,
        label_width: LABEL_WIDTH,
        corner: Some(Line::styled(tr!("bucket", "桶").get(lang), theme.dim)),
        col_label: &|k| (k.to_string(), theme.dim),
        row_label: &|row| Line::styled(labels[row], theme.dim),
        cell: &cell,
    }
    .render(area, buf);
}
