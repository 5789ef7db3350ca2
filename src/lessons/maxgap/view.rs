//! Drawing the maximum gap lesson: a number line with bucket boundaries,
//! the bucket min/max table, the scan, and why no gap hides in a bucket.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::MaxGapLesson;
use super::model::{Event, GapState};
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::grid::{Grid, follow, visible_cells};
use crate::widgets::{legend, pseudocode};
use crate::{said, tr};

const LABEL_WIDTH: u16 = 7;

pub fn render(lesson: &MaxGapLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let state = lesson.state();
    let code = lesson.pseudocode(theme.lang);
    let [info, line_area, table, legend_area, code_area] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(3),
        Constraint::Length(4),
        Constraint::Length(1),
        Constraint::Max(code.len() as u16 + 2),
    ])
    .areas(area);
    Paragraph::new(info_lines(lesson, theme))
        .wrap(Wrap { trim: false })
        .render(info, buf);
    render_number_line(state, lesson.last(), line_area, buf, theme);
    render_table(state, lesson.last(), table, buf, theme);
    let lang = theme.lang;
    legend(
        &[
            (
                "│",
                theme.border,
                tr!("bucket boundary", "桶边界").get(lang),
            ),
            ("•", theme.good, tr!("dropped", "已入桶").get(lang)),
            ("·", theme.dim, tr!("not yet", "未入桶").get(lang)),
            ("7", theme.current, tr!("this step", "本步").get(lang)),
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
    let what = match lesson.last() {
        None => tr!("ready: first find lo and hi", "就绪：先找出 lo 和 hi")
            .get(lang)
            .to_string(),
        Some(Event::Range { index, .. }) => {
            format!(
                "a[{index}] = {}: lo {} hi {}",
                state.values[*index], state.lo, state.hi
            )
        }
        Some(Event::Drop { index, bucket, .. }) => {
            let (x, lo, b) = (state.values[*index], state.lo, state.bucket_size);
            said!(
                "a[{index}] = {x} → bucket ({x} − {lo}) ÷ {b} = {bucket}",
                "a[{index}] = {x} → 桶 ({x} − {lo}) ÷ {b} = {bucket}"
            )
            .get(lang)
            .to_string()
        }
        Some(Event::Scan {
            bucket, gap: None, ..
        }) => match state.buckets[*bucket] {
            None => said!(
                "bucket {bucket} is empty: skip it",
                "桶 {bucket} 为空：跳过"
            )
            .get(lang)
            .to_string(),
            Some((_, hi)) => said!(
                "bucket {bucket}: first non-empty, prev = {hi}",
                "桶 {bucket}：第一个非空桶，prev = {hi}"
            )
            .get(lang)
            .to_string(),
        },
        Some(Event::Scan {
            bucket,
            gap: Some(gap),
            ..
        }) => said!(
            "bucket {bucket}: gap = its min − prev = {gap}",
            "桶 {bucket}：间距 = 桶内 min − prev = {gap}"
        )
        .get(lang)
        .to_string(),
    };
    let average = (state.hi - state.lo) as f64 / (n - 1) as f64;
    let (best, sorted) = (state.best, lesson.sorted_answer());
    let mut lines = vec![
        Line::styled(what, theme.text),
        Line::from(vec![
            Span::styled(
                said!("best gap {best}", "最大间距 {best}")
                    .get(lang)
                    .to_string(),
                theme.good,
            ),
            Span::styled(
                said!(" · sort-and-scan says {sorted}", " · 排序后扫描得 {sorted}")
                    .get(lang)
                    .to_string(),
                theme.dim,
            ),
        ]),
    ];
    if lesson.steps() >= n as u64 {
        let b = state.bucket_size;
        lines.push(Line::styled(
            said!(
                "bucket size b = {b} ≤ average gap {average:.2} ≤ largest gap: \
                 the largest gap never fits inside a bucket",
                "桶宽 b = {b} ≤ 平均间距 {average:.2} ≤ 最大间距 → \
                 最大间距不可能落在同一个桶内"
            )
            .get(lang)
            .to_string(),
            theme.dim,
        ));
    }
    lines
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
    for (i, &x) in state.values.iter().enumerate() {
        let (mark, style) = if current == Some(i) {
            ("•", theme.current)
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
    buf.set_string(hi_x, area.y + 2, hi_label, theme.dim);
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
    let cell = |row: usize, k: usize| -> (String, Style) {
        let style = if focus == k && last.is_some() {
            theme.current
        } else if scanned.is_some_and(|s| k < s) {
            theme.dim
        } else {
            theme.text
        };
        let text = match (row, state.buckets[k]) {
            (0, Some((lo, _))) => lo.to_string(),
            (1, Some((_, hi))) => hi.to_string(),
            (2, _) if scanned == Some(k) => match last {
                Some(Event::Scan { gap: Some(g), .. }) => g.to_string(),
                _ => "—".to_string(),
            },
            (2, _) => String::new(),
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
