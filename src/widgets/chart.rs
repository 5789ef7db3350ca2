//! Line charts over steps with labelled axes, a legend, and an optional log
//! scale, for any lesson's time series.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget};

use super::words::{flow, owned_line};
use super::{BORDER_COLUMNS, panel};
use crate::theme::{Look, Theme};
use crate::tr;

/// Rows a plot needs (data, axis, labels) before a legend may take a row from it.
const MIN_PLOT_ROWS: u16 = 4;

/// One named line.
pub struct Series {
    pub name: String,
    pub style: Style,
    /// (x, y) in data units; non-finite points (and, on a log axis, y ≤ 0) are skipped.
    pub points: Vec<(f64, f64)>,
    /// Marks at the points rather than a line through them (events, not a curve).
    pub scatter: bool,
}

impl Series {
    pub fn line(name: impl Into<String>, style: Style, points: Vec<(f64, f64)>) -> Series {
        Series {
            name: name.into(),
            style,
            points,
            scatter: false,
        }
    }
}

/// At most `max` points, evenly spread, always keeping the last.
pub fn thin<T: Copy>(points: &[T], max: usize) -> Vec<T> {
    if points.len() <= max || max < 2 {
        return points.to_vec();
    }
    let step = points.len().div_ceil(max - 1);
    let mut out: Vec<T> = points.iter().step_by(step).copied().collect();
    if let Some(&last) = points.last() {
        out.push(last);
    }
    out
}

/// Compact number for axis labels: `1e-3`, `0.25`, `1200`.
pub fn short_number(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs();
    if (1e-2..1e4).contains(&magnitude) {
        let text = format!("{x:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{x:.0e}")
    }
}

/// Markers by series index when there is no colour to tell the lines apart.
const MONO_MARKERS: [(Marker, &str); 5] = [
    (Marker::Braille, "⣿"),
    (Marker::Dot, "•"),
    (Marker::Block, "█"),
    (Marker::Bar, "▄"),
    (Marker::Quadrant, "▚"),
];

/// A line chart over steps, the step axis named in the interface language:
/// the common case of [`render_xy`].
pub fn render(
    title: &str,
    y_label: &str,
    series: &[Series],
    log_y: bool,
    area: Rect,
    buf: &mut Buffer,
    look: &Look,
) {
    let axes = Axes {
        x_label: tr!("step", "步").get(look.lang),
        y_label,
        log_y,
        x_range: None,
        y_range: None,
    };
    render_xy(title, &axes, series, area, buf, look);
}

/// How a chart's axes are labelled and bounded.
pub struct Axes<'a> {
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Plot log10(y), labelled at powers of ten.
    pub log_y: bool,
    /// Fixed bounds; `None` fits the data.
    pub x_range: Option<[f64; 2]>,
    pub y_range: Option<[f64; 2]>,
}

/// Draws `series` in a titled box whose title doubles as the legend (the
/// names in their colours), so the legend never hides behind the lines.
pub fn render_xy(
    title: &str,
    axes: &Axes,
    series: &[Series],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let (y_label, log_y) = (axes.y_label, axes.log_y);
    let coloured = theme.has_colour();
    let heading = Span::styled(format!(" {title} "), theme.title);
    let legend: Vec<Span> = series
        .iter()
        .enumerate()
        .map(|(at, s)| {
            let sample = if coloured {
                "━".to_string()
            } else {
                MONO_MARKERS[at % MONO_MARKERS.len()].1.to_string()
            };
            Span::styled(format!("{sample} {} ", s.name), s.style)
        })
        .collect();
    // The legend rides in the title when both fit on the border; otherwise
    // it gets rows of its own at the top of the panel, never cut off, when
    // the plot can spare them (else it stays in the title, cut as it must).
    let legend_width: usize = legend.iter().map(Span::width).sum();
    let in_title = heading.width() + legend_width + BORDER_COLUMNS <= usize::from(area.width);
    let rows: Vec<Line<'static>> = if in_title {
        Vec::new()
    } else {
        // Each entry (sample and name) is kept whole on one row.
        let entries: Vec<(&str, Style)> = legend
            .iter()
            .map(|span| (span.content.trim_end(), span.style))
            .collect();
        flow(&entries, usize::from(area.width.saturating_sub(2)))
            .iter()
            .map(owned_line)
            .collect()
    };
    // Inside the border: the panel's height less its top and bottom.
    let room = area.height.saturating_sub(2);
    let legend_rows = if !in_title && room >= MIN_PLOT_ROWS + rows.len() as u16 {
        rows
    } else {
        Vec::new()
    };
    let mut title = vec![heading];
    if legend_rows.is_empty() {
        title.extend(legend);
    }
    let block = panel(Line::from(title), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let [legend_area, plot_area] = Layout::vertical([
        Constraint::Length(legend_rows.len() as u16),
        Constraint::Fill(1),
    ])
    .areas(inner);
    Paragraph::new(legend_rows).render(legend_area, buf);
    let transformed: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .filter(|(x, y)| x.is_finite() && y.is_finite() && (!log_y || *y > 0.0))
                .map(|&(x, y)| (x, if log_y { y.log10() } else { y }))
                .collect()
        })
        .collect();
    let all = transformed.iter().flatten();
    let [x_min, x_max] = axes
        .x_range
        .unwrap_or_else(|| bounds(all.clone().map(|p| p.0)).into());
    let [mut y_min, mut y_max] = axes
        .y_range
        .unwrap_or_else(|| bounds(all.map(|p| p.1)).into());
    if log_y {
        y_min = y_min.floor();
        y_max = y_max.ceil().max(y_min + 1.0);
    }
    let y_labels = if log_y {
        vec![
            Span::styled(format!("1e{y_min}"), theme.dim),
            Span::styled(format!("1e{y_max}"), theme.dim),
        ]
    } else {
        vec![
            Span::styled(short_number(y_min), theme.dim),
            Span::styled(short_number(y_max), theme.dim),
        ]
    };
    let datasets: Vec<Dataset> = series
        .iter()
        .zip(&transformed)
        .enumerate()
        .map(|(at, (s, points))| {
            let marker = if coloured {
                Marker::Braille
            } else {
                MONO_MARKERS[at % MONO_MARKERS.len()].0
            };
            Dataset::default()
                .marker(marker)
                .graph_type(if s.scatter {
                    GraphType::Scatter
                } else {
                    GraphType::Line
                })
                .style(s.style)
                .data(points)
        })
        .collect();
    Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .title(Span::styled(axes.x_label.to_string(), theme.dim))
                .bounds([x_min, x_max])
                .labels([
                    Span::styled(short_number(x_min), theme.dim),
                    Span::styled(short_number(x_max), theme.dim),
                ]),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled(y_label.to_string(), theme.dim))
                .bounds([y_min, y_max])
                .labels(y_labels),
        )
        .render(plot_area, buf);
}

/// Smallest and largest of the values, widened when equal; (0, 1) when empty.
fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thin_keeps_ends_and_bounds_the_count() {
        let points: Vec<u32> = (0..1000).collect();
        let thinned = thin(&points, 100);
        assert!(thinned.len() <= 101);
        assert_eq!(thinned.first(), Some(&0));
        assert_eq!(thinned.last(), Some(&999));
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(1200.0), "1200");
        assert_eq!(short_number(0.0001), "1e-4");
        assert_eq!(short_number(3.0), "3");
    }

    #[test]
    fn bounds_survive_empty_and_flat_data() {
        assert_eq!(bounds(std::iter::empty()), (0.0, 1.0));
        assert_eq!(bounds([2.0, 2.0].into_iter()), (1.8, 2.2));
    }

    fn drawn(width: u16, height: u16) -> String {
        let theme = Theme::mono();
        let series: Vec<Series> = ["adam x", "adam y", "adamw x", "adamw y"]
            .iter()
            .map(|name| Series::line(*name, theme.text, vec![(0.0, 1.0), (1.0, 2.0)]))
            .collect();
        let axes = Axes {
            x_label: "step",
            y_label: "size",
            log_y: false,
            x_range: None,
            y_range: None,
        };
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        render_xy("step size", &axes, &series, area, &mut buf, &theme);
        (0..height)
            .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_legend_is_never_cut_when_the_plot_can_spare_a_row() {
        // Wide: all in the title. Narrow: on rows of its own, every name whole.
        for width in [80, 30, 20] {
            let screen = drawn(width, 14);
            for name in ["adam x", "adam y", "adamw x", "adamw y"] {
                assert!(
                    screen.contains(name),
                    "{name} missing at {width}:\n{screen}"
                );
            }
        }
    }
}
