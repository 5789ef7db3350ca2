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
    legend(
        &[
            ("│", theme.border, "bucket boundary"),
            ("•", theme.good, "dropped"),
            ("·", theme.dim, "not yet"),
            ("7", theme.current, "this step"),
        ],
        theme.dim,
    )
    .render(legend_area, buf);
    pseudocode::render_lesson(" pseudocode ", lesson, code_area, buf, theme);
}

fn info_lines(lesson: &MaxGapLesson, theme: &Theme) -> Vec<Line<'static>> {
    let state = lesson.state();
    let n = state.values.len();
    if n < 2 {
        return vec![Line::styled(
            format!("{n} value(s): fewer than two, so the answer is 0"),
            theme.text,
        )];
    }
    let what = match lesson.last() {
        None => "ready: first find lo and hi".to_string(),
        Some(Event::Range { index, .. }) => {
            format!(
                "a[{index}] = {}: lo {} hi {}",
                state.values[*index], state.lo, state.hi
            )
        }
        Some(Event::Drop { index, bucket, .. }) => format!(
            "a[{index}] = {} → bucket ({} − {}) ÷ {} = {bucket}",
            state.values[*index], state.values[*index], state.lo, state.bucket_size
        ),
        Some(Event::Scan {
            bucket, gap: None, ..
        }) => match state.buckets[*bucket] {
            None => format!("bucket {bucket} is empty: skip it"),
            Some((_, hi)) => format!("bucket {bucket}: first non-empty, prev = {hi}"),
        },
        Some(Event::Scan {
            bucket,
            gap: Some(gap),
            ..
        }) => format!("bucket {bucket}: gap = its min − prev = {gap}"),
    };
    let average = (state.hi - state.lo) as f64 / (n - 1) as f64;
    let mut lines = vec![
        Line::styled(what, theme.text),
        Line::from(vec![
            Span::styled(format!("best gap {}", state.best), theme.good),
            Span::styled(
                format!(" · sort-and-scan says {}", lesson.sorted_answer()),
                theme.dim,
            ),
        ]),
    ];
    if lesson.steps() >= n as u64 {
        lines.push(Line::styled(
            format!(
                "bucket size b = {} ≤ average gap {average:.2} ≤ largest gap: \
                 the largest gap never fits inside a bucket",
                state.bucket_size
            ),
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
    theme: &Theme,
) {
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
    let labels = ["min", "max", "gap"];
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
        corner: Some(Line::styled("bucket", theme.dim)),
        col_label: &|k| (k.to_string(), theme.dim),
        row_label: &|row| Line::styled(labels[row], theme.dim),
        cell: &cell,
    }
    .render(area, buf);
}
