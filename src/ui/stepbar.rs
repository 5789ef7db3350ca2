//! The step bar under the lesson: where the run is, how far back it can be
//! rewound, how far it has been, and a mark at each key moment seen.
//!
//! ```text
//! ──────━━━━━━━━━●──◆───◆┄┄┄┄┄┄┄┄  ◆ take  ◆ reuse  ◆ choose
//! ```

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::lesson::EventKind;

/// The bar keeps at least this many columns; the legend goes first.
const MIN_BAR: u16 = 20;
pub const CURRENT: &str = "●";
/// Steps reached, and those within the rewind window.
pub const REACHED: &str = "─";
pub const REWINDABLE: &str = "━";
/// Steps not reached yet.
pub const AHEAD: &str = "┄";

/// Each event kind's mark, by its place among the lesson's kinds: told
/// apart by shape, since a mono theme has no colours.
const MARKS: &[&str] = &["◆", "▲", "■", "▼", "★", "✚"];

/// The mark of the `k`-th event kind.
pub fn kind_mark(k: usize) -> &'static str {
    MARKS[k % MARKS.len()]
}

/// The mark of the event kind `id` among `kinds`.
pub fn mark_of(kinds: &[EventKind], id: &str) -> &'static str {
    kind_mark(kinds.iter().position(|kind| kind.id == id).unwrap_or(0))
}

/// The style of the marks of the `k`-th event kind.
pub fn kind_style(app: &App, k: usize) -> Style {
    app.theme.series[k % app.theme.series.len()]
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.width < MIN_BAR || area.height == 0 {
        return;
    }
    let theme = &app.theme;
    let lang = app.lang();
    let tab = app.tab();
    let lesson = app.lesson();
    let kinds = tab.entry.events;

    let mut legend = vec![Span::raw(" ")];
    for (k, kind) in kinds.iter().enumerate() {
        legend.push(Span::styled(
            format!(" {}", kind_mark(k)),
            kind_style(app, k),
        ));
        legend.push(Span::styled(
            format!(" {}", kind.label.get(lang)),
            theme.dim,
        ));
    }
    let legend_width: usize = legend.iter().map(Span::width).sum();
    // One column of air on the left, as the lesson has.
    let room = area.width - 1;
    let (bar_width, legend) =
        if kinds.is_empty() || room.saturating_sub(legend_width as u16) < MIN_BAR {
            (room, Vec::new())
        } else {
            (room - legend_width as u16, legend)
        };

    let now = lesson.steps();
    let furthest = tab.seen.furthest().max(now);
    let span = lesson
        .total_steps()
        .unwrap_or_else(|| furthest.max(lesson.headless_steps().unwrap_or(0)))
        .max(1);
    let last_column = u64::from(bar_width - 1);
    let column = |step: u64| -> usize {
        (u128::from(step.min(span)) * u128::from(last_column) / u128::from(span)) as usize
    };
    let oldest = now.saturating_sub(lesson.rewind_depth() as u64);

    let mut cells: Vec<(&str, Style)> = (0..=last_column)
        .map(|c| {
            // The first step this column stands for.
            let step = (u128::from(c) * u128::from(span)).div_ceil(u128::from(last_column.max(1)));
            let step = step as u64;
            if step > furthest {
                (AHEAD, theme.dim)
            } else if step >= oldest && step <= now {
                (REWINDABLE, theme.key)
            } else {
                (REACHED, theme.text)
            }
        })
        .collect();
    // Where marks share a column the rarer kind shows: it is the telling one
    // (one reuse among a hundred takes).
    let kind_of = |id: &str| kinds.iter().position(|kind| kind.id == id).unwrap_or(0);
    let mut counts = vec![0usize; kinds.len().max(1)];
    for mark in tab.seen.marks() {
        counts[kind_of(mark.event.kind)] += 1;
    }
    let mut shown: Vec<Option<usize>> = vec![None; cells.len()];
    for mark in tab.seen.marks() {
        let k = kind_of(mark.event.kind);
        let at = column(mark.step);
        if shown[at].is_none_or(|other| counts[k] < counts[other]) {
            shown[at] = Some(k);
            cells[at] = (kind_mark(k), kind_style(app, k));
        }
    }
    if let Some(cell) = cells.get_mut(column(now)) {
        *cell = (CURRENT, theme.current);
    }
    let mut spans = vec![Span::raw(" ")];
    spans.extend(
        cells
            .into_iter()
            .map(|(text, style)| Span::styled(text, style)),
    );
    spans.extend(legend);
    let line = Line::from(spans);
    debug_assert!(line.width() <= usize::from(area.width));
    buf.set_line(area.x, area.y, &line, area.width);
}
