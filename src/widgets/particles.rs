//! Drawing a particle cloud over the density of the (noised) target, with
//! the score field as arrows, and the share of particles per component.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::i18n::Tr;
use crate::sim::diffusion::cloud::{mode_weights, moments};
use crate::sim::diffusion::learned::LearnedScore;
use crate::sim::diffusion::target::Mixture;
use crate::theme::{Look, Theme};
use crate::widgets::chart::{self, Series, thin};
use crate::widgets::field::{DotLayer, Window, band_count, bands, render_bands};
use crate::widgets::{fitting_title, panel};
use crate::{said, tr};

/// Margin around the target's means shown on the map.
const MAP_MARGIN: f64 = 4.0;
/// Cells between score arrows, across and down.
const ARROW_EVERY: (u16, u16) = (6, 3);
/// Arrow glyphs by direction, counter-clockwise from east.
const ARROWS: [&str; 8] = ["→", "↗", "↑", "↖", "←", "↙", "↓", "↘"];
/// Terminal cells are about twice as tall as wide.
const CELL_ASPECT: f64 = 2.0;

/// The narrowest map worth drawing beside a side column; below it the side
/// content goes under the map instead.
const MAP_MIN_WIDTH: u16 = 50;
/// Columns left of the plane for the y axis' labels (`-12 `).
const Y_LABELS: u16 = 4;
/// Rows under the plane for the x axis' labels.
const X_LABELS: u16 = 1;
/// The side column's least width: a share bar with its numbers, a chart.
pub const SIDE_MIN: u16 = 30;

/// Columns of a map panel `height` rows tall whose plane is square, with
/// its axes' labels.
fn square_panel_width(height: u16) -> u16 {
    let plane_rows = height.saturating_sub(2 + X_LABELS);
    let inner = (f64::from(plane_rows) * CELL_ASPECT).round() as u16;
    inner.saturating_add(Y_LABELS + 2)
}

/// Rows a map panel `width` columns wide needs for its square plane and
/// axes: more would stay empty.
pub fn map_rows_for(width: u16) -> u16 {
    let plane_cols = width.saturating_sub(Y_LABELS + 2);
    (f64::from(plane_cols) / CELL_ASPECT).floor() as u16 + X_LABELS + 2
}

/// The body split into a map panel and a side column at least `side_min`
/// wide: the map as wide as a square plane needs and no wider, the side
/// column everything else. `None` when a useful map and the side column do
/// not fit side by side.
pub fn beside_map(body: Rect, side_min: u16) -> Option<[Rect; 2]> {
    let map = square_panel_width(body.height).min(body.width.saturating_sub(side_min));
    (map >= MAP_MIN_WIDTH)
        .then(|| Layout::horizontal([Constraint::Length(map), Constraint::Fill(1)]).areas(body))
}

/// The square plane inside a map panel's `inner` area, right of the y
/// labels and above the x labels, centred across what is left: as tall as
/// the rows allow and as wide as twice that (cells are twice as tall as
/// wide), shorter when the columns run out first.
fn square_plane(inner: Rect) -> Rect {
    let room = inner.width.saturating_sub(Y_LABELS);
    let rows = inner.height.saturating_sub(X_LABELS);
    let height = rows
        .min((f64::from(room) / CELL_ASPECT).floor() as u16)
        .max(1);
    let width = ((f64::from(height) * CELL_ASPECT).round() as u16).clamp(1, room.max(1));
    Rect::new(
        inner.x + Y_LABELS.min(inner.width) + room.saturating_sub(width) / 2,
        inner.y,
        width,
        height,
    )
}

/// Tick labels on the plane's edges: y top, centre and bottom on the left,
/// x left, centre and right underneath, so a point's place reads off the
/// map.
fn render_axes(window: &Window, plane: Rect, buf: &mut Buffer, theme: &Theme) {
    let label = |v: f64| {
        let text = format!("{v:.0}");
        // "-0" reads as a typo on an axis.
        if text == "-0" { "0".to_string() } else { text }
    };
    let centre = |(lo, hi): (f64, f64)| (lo + hi) / 2.0;
    let left = plane.x.saturating_sub(Y_LABELS);
    let rows = [
        (plane.y, window.y.1),
        (plane.y + plane.height / 2, centre(window.y)),
        (plane.bottom().saturating_sub(1), window.y.0),
    ];
    for (row, v) in rows {
        let text = format!("{:>w$} ", label(v), w = usize::from(Y_LABELS - 1));
        buf.set_stringn(left, row, text, usize::from(Y_LABELS), theme.dim);
    }
    let row = plane.bottom();
    let (lo, mid, hi) = (
        label(window.x.0),
        label(centre(window.x)),
        label(window.x.1),
    );
    buf.set_string(plane.x, row, &lo, theme.dim);
    let mid_at = (plane.x + plane.width / 2).saturating_sub(mid.len() as u16 / 2);
    buf.set_string(mid_at, row, &mid, theme.dim);
    let hi_at = plane.right().saturating_sub(hi.len() as u16);
    buf.set_string(hi_at, row, &hi, theme.dim);
}

/// Each target mean as its component's number (the share bars' labels), so
/// the bars and the modes on the map are matched at a glance.
fn render_means(target: &Mixture, window: &Window, plane: Rect, buf: &mut Buffer, theme: &Theme) {
    for (k, mean) in target.means.iter().enumerate() {
        let Some((col, row)) = window.cell(*mean, plane) else {
            continue;
        };
        let mark = char::from_digit(k as u32, 10).unwrap_or('+');
        let cell = &mut buf[(plane.x + col, plane.y + row)];
        cell.set_char(mark).set_style(theme.current);
    }
}

/// The title of the panel of [`weight_lines`], in both particle lessons.
pub const SHARE_TITLE: Tr = tr!(
    " share of particles per component │ target ",
    " 各分量的粒子占比 │ 目标 "
);
/// [`SHARE_TITLE`] for a narrow panel.
const SHARE_TITLE_SHORT: Tr = tr!(" share/target ", " 占比/目标 ");

/// Rows a share panel of `components` bars takes, borders included.
pub fn share_rows(components: usize) -> u16 {
    u16::try_from(components)
        .unwrap_or(u16::MAX)
        .saturating_add(2)
}

/// The share bars in a panel titled `title` (the cloud's name, when there
/// are two) or [`SHARE_TITLE`], with `extra` lines under the bars.
pub fn render_shares(
    title: Option<&str>,
    target: &Mixture,
    particles: &[[f64; 2]],
    extra: Vec<Line<'static>>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let named = |shares: &str| match title {
        Some(name) => format!(" {name} ·{shares}"),
        None => shares.to_string(),
    };
    let (full, short) = (
        named(SHARE_TITLE.get(theme.lang)),
        named(SHARE_TITLE_SHORT.get(theme.lang)),
    );
    let title = fitting_title(&full, &short, area.width).to_string();
    let block = panel(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = weight_lines(target, particles, inner.width, theme);
    lines.extend(extra);
    Paragraph::new(lines).render(inner, buf);
}

/// The cloud's mean and covariance, as the status line shows them.
pub fn moments_line(particles: &[[f64; 2]], theme: &Look) -> Line<'static> {
    // No particle (all diverged): there is no mean to show, not a mean of 0.
    if particles.is_empty() {
        let text = tr!(
            "mean — · cov — (no finite particle)",
            "均值 — · 协方差 —（没有有限值的粒子）"
        );
        return Line::styled(text.get(theme.lang), theme.dim);
    }
    let (mean, cov) = moments(particles);
    let ([mx, my], [[cxx, cxy], [cyx, cyy]]) = (mean, cov);
    let text = said!(
        "mean ({mx:.2}, {my:.2}) · cov [[{cxx:.2}, {cxy:.2}], [{cyx:.2}, {cyy:.2}]]",
        "均值 ({mx:.2}, {my:.2}) · 协方差 [[{cxx:.2}, {cxy:.2}], [{cyx:.2}, {cyy:.2}]]"
    );
    Line::styled(text.get(theme.lang).to_string(), theme.dim)
}

/// The plane shown for a target: its means with a margin, made square.
pub fn window(target: &Mixture) -> Window {
    let (lo, hi) = target.means.iter().fold(
        ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
        |(lo, hi), m| {
            (
                [lo[0].min(m[0]), lo[1].min(m[1])],
                [hi[0].max(m[0]), hi[1].max(m[1])],
            )
        },
    );
    let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0 + MAP_MARGIN).max(1.0);
    let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    Window {
        x: (centre[0] - half, centre[0] + half),
        y: (centre[1] - half, centre[1] + half),
    }
}

/// The map: density of p_t for kernel (m, s) as a heat map, score arrows,
/// particles as Braille dots, and `trails` as lines.
#[allow(clippy::too_many_arguments)]
pub fn render_map(
    title: &str,
    target: &Mixture,
    (m, s): (f64, f64),
    particles: &[[f64; 2]],
    trails: &[Vec<[f64; 2]>],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let block = panel(title.to_string(), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width < 4 || inner.height < 2 {
        return;
    }
    let window = window(target);
    let map = square_plane(inner);
    render_axes(&window, map, buf, theme);
    let (banded, _, _) = bands(
        |p| target.log_density(p, m, s),
        &window,
        map,
        band_count(theme),
    );
    render_bands(&banded, map, buf, theme);
    for row in (ARROW_EVERY.1 / 2..map.height).step_by(usize::from(ARROW_EVERY.1)) {
        for col in (ARROW_EVERY.0 / 2..map.width).step_by(usize::from(ARROW_EVERY.0)) {
            let p = window.point(col, row, map);
            let g = target.score(p, m, s);
            let angle = g[1].atan2(g[0]);
            let octant = ((angle / (std::f64::consts::TAU / 8.0)).round() as i32).rem_euclid(8);
            let cell = &mut buf[(map.x + col, map.y + row)];
            cell.set_symbol(ARROWS[octant as usize]);
            cell.set_fg(theme.dim.fg.unwrap_or_default());
        }
    }
    let mut dots = DotLayer::new(map);
    for p in particles {
        dots.polyline(&window, std::iter::once(*p));
    }
    dots.render(map, buf, theme.key.fg);
    let mut lines = DotLayer::new(map);
    for trail in trails {
        lines.polyline(&window, trail.iter().copied());
    }
    lines.render(map, buf, theme.series[2].fg);
    render_means(target, &window, map, buf, theme);
}

/// While a learned score trains: its error against the analytic score,
/// s²·‖s_θ − ∇log p‖² (s the noise's std, which each lesson names its own
/// way: `noise` is "σ" in score, "s(t)" in sde), as a heat map at one noise
/// level, with the learned field's arrows on top.
pub fn render_error_map(
    net: &LearnedScore,
    c: f64,
    (m, s): (f64, f64),
    noise: &str,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let loss = net.last_loss;
    // The Chinese writes the error short (Δs = s_θ − ∇log p): so the title
    // fits the map panel at 80 columns, loss included.
    let title = said!(
        " learned score: error {noise}²·‖s_θ − ∇log p‖² at this level (brighter: worse), loss {loss:.4} ",
        " 学到的分数：本级误差 {noise}²‖Δs‖²（越亮越差），损失 {loss:.4} "
    );
    let block = panel(title.get(theme.lang).to_string(), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width < 4 || inner.height < 2 {
        return;
    }
    let target = &net.target;
    let window = window(target);
    let map = square_plane(inner);
    render_axes(&window, map, buf, theme);
    let error = |p: [f64; 2]| {
        let learned = net.score(p, c, s);
        let exact = target.score(p, m, s);
        (s * s * ((learned[0] - exact[0]).powi(2) + (learned[1] - exact[1]).powi(2)) + 1e-6).log10()
    };
    let (banded, _, _) = bands(error, &window, map, band_count(theme));
    render_bands(&banded, map, buf, theme);
    for row in (ARROW_EVERY.1 / 2..map.height).step_by(usize::from(ARROW_EVERY.1)) {
        for col in (ARROW_EVERY.0 / 2..map.width).step_by(usize::from(ARROW_EVERY.0)) {
            let g = net.score(window.point(col, row, map), c, s);
            let octant =
                ((g[1].atan2(g[0]) / (std::f64::consts::TAU / 8.0)).round() as i32).rem_euclid(8);
            let cell = &mut buf[(map.x + col, map.y + row)];
            cell.set_symbol(ARROWS[octant as usize]);
            cell.set_fg(theme.key.fg.unwrap_or_default());
        }
    }
}

/// The learned score's training loss over its steps.
pub fn render_loss(net: &LearnedScore, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let points: Vec<(f64, f64)> = net.losses.iter().map(|(t, l)| (t as f64, *l)).collect();
    let series = vec![Series::line(
        tr!("DSM loss", "DSM 损失").get(lang),
        theme.series[2],
        thin(&points, usize::from(area.width) * 2),
    )];
    chart::render(
        tr!("training loss (log)", "训练损失（对数）").get(lang),
        tr!("loss", "损失").get(lang),
        &series,
        true,
        area,
        buf,
        theme,
    );
}

/// Below this width a share line drops "(target …)" for "share/target".
const WIDE_SHARES: u16 = 40;
/// Columns of a share line besides its bar: long and compact form.
const SHARE_TEXT: (u16, u16) = (26, 15);

/// One line per component: the share of particles nearest it, as a bar,
/// beside the target weight; compact ("0.808/0.800") when narrow.
pub fn weight_lines(
    target: &Mixture,
    particles: &[[f64; 2]],
    width: u16,
    theme: &Look,
) -> Vec<Line<'static>> {
    let got = mode_weights(target, particles);
    let wide = width >= WIDE_SHARES;
    let text = if wide { SHARE_TEXT.0 } else { SHARE_TEXT.1 };
    let bar_width = usize::from(width.saturating_sub(text)).max(4);
    // A full bar is the largest share or weight, not 1: nine shares near
    // 0.1 would otherwise differ by less than a cell.
    let full = got
        .iter()
        .chain(&target.weights)
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    got.iter()
        .zip(&target.weights)
        .enumerate()
        .map(|(k, (g, w))| {
            let filled = ((g / full * bar_width as f64).round() as usize).min(bar_width);
            let mark = ((w / full * bar_width as f64).round() as usize).min(bar_width - 1);
            let mut bar: Vec<char> = "█".repeat(filled).chars().collect();
            bar.resize(bar_width, ' ');
            if mark < bar.len() {
                bar[mark] = '│';
            }
            let style: Style = if (g - w).abs() > 0.05 {
                theme.error
            } else {
                theme.good
            };
            Line::from(vec![
                Span::styled(format!("{k:>2} "), theme.dim),
                Span::styled(bar.into_iter().collect::<String>(), style),
                Span::styled(
                    if wide {
                        said!(" {g:.3} (target {w:.3})", " {g:.3}（目标 {w:.3}）")
                            .get(theme.lang)
                            .to_string()
                    } else {
                        format!(" {g:.3}/{w:.3}")
                    },
                    theme.text,
                ),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn an_empty_cloud_has_no_moments_to_show() {
        let look = Look {
            theme: &Theme::dark(),
            lang: Lang::En,
        };
        let text = |particles: &[[f64; 2]]| moments_line(particles, &look).to_string();
        assert!(text(&[]).contains("mean —"), "{}", text(&[]));
        assert!(text(&[[1.0, 3.0]]).contains("mean (1.00, 3.00)"));
    }
}
