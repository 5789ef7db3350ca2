//! Drawing the optimizer lesson: the contour map with every path, charts over
//! steps, the per-optimizer state table, and Adam beside AdamW in pseudocode.

use crate::i18n::Lang;
use crate::lesson::Choice;
use crate::theme::Look;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::model::{Hyper, Kind, Optimizers, Run};
use super::surface::Surface;
use super::{History, OptimLesson, series as run_series};
use crate::theme::Theme;
use crate::widgets::chart::{self, Series, short_number, thin};
use crate::widgets::field::{DotLayer, Window, band_count, bands, render_bands};
use crate::widgets::{pad, panel, pseudocode};
use crate::{said, tr};

/// Lesson width from which charts and pseudocode sit beside the map.
const WIDE: u16 = 100;
/// Added to f − f* before its logarithm, so the minimum itself has a colour.
const LOG_FLOOR: f64 = 1e-3;
/// Plane margin around the start point when it lies outside a surface's window.
const START_MARGIN: f64 = 0.5;
/// Plane margin around the bowl's center and the origin.
const BOWL_MARGIN: f64 = 1.0;
/// Terminal cells are about twice as tall as wide.
const CELL_ASPECT: f64 = 2.0;
const MIN_MARK: &str = "★";
const DECAYED_MIN_MARK: &str = "◆";
const START_MARK: &str = "○";
const POINT_MARK: &str = "●";

/// The contour map last drawn, and what it was drawn for.
#[derive(Clone, Debug, PartialEq)]
pub struct ContourCache {
    surface: Surface,
    window: Window,
    size: (u16, u16),
    band_count: usize,
    bands: Vec<u8>,
    lo: f64,
    hi: f64,
}

/// The style of an optimizer: fixed per kind so colours never swap between runs.
fn run_style(kind: Kind, theme: &Theme) -> Style {
    let at = match kind {
        Kind::Sgd => 0,
        Kind::Momentum => 1,
        Kind::Adam => 2,
        Kind::AdamW => 3,
    };
    theme.series[at]
}

/// The part of the plane shown for a surface, grown to include the start.
fn window(surface: &Surface, start: [f64; 2]) -> Window {
    let (x, y): ((f64, f64), (f64, f64)) = match surface {
        Surface::Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
        // The bowl's center and the origin decay pulls toward, with room
        // around them: ★ and ◆ a few cells apart rather than one.
        Surface::Bowl { center: [a, b], .. } => (
            (a.min(0.0) - BOWL_MARGIN, a.max(0.0) + BOWL_MARGIN),
            (b.min(0.0) - BOWL_MARGIN, b.max(0.0) + BOWL_MARGIN),
        ),
        Surface::Himmelblau => ((-5.5, 5.5), (-5.5, 5.5)),
        Surface::Saddle => ((-3.0, 3.0), (-3.0, 3.0)),
    };
    Window {
        x: (
            x.0.min(start[0] - START_MARGIN),
            x.1.max(start[0] + START_MARGIN),
        ),
        y: (
            y.0.min(start[1] - START_MARGIN),
            y.1.max(start[1] + START_MARGIN),
        ),
    }
}

pub fn render(lesson: &OptimLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    let header = header_lines(lesson, theme);
    // Narrow screens keep the table to what the lesson is about: θ, the
    // gradients, m̂, v̂, the step size and the decay each coordinate gets.
    let table = state_lines(model, area.width < WIDE, theme.lang, theme);
    let [header_area, body, table_area] = Layout::vertical([
        Constraint::Length(header.len() as u16),
        Constraint::Fill(1),
        Constraint::Length(table.len() as u16),
    ])
    .areas(area);
    Paragraph::new(header).render(header_area, buf);
    // The table spans the whole width below the pictures, so four
    // optimizers' columns fit wherever the lesson is at least 84 wide.
    Paragraph::new(table).render(table_area, buf);
    if area.width >= WIDE {
        let [map_area, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(body);
        render_map(lesson, map_area, buf, theme);
        let code_height = code_height(right.width);
        let [loss, norm, lr, code] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(code_height),
        ])
        .areas(right);
        render_loss(lesson.history(), model, loss, buf, theme);
        render_norm(lesson.history(), model, norm, buf, theme);
        render_effective_lr(lesson.history(), model, lr, buf, theme);
        render_code(lesson, code, buf, theme);
    } else {
        // Adam beside AdamW in code below the pictures when there is room for
        // both and a map of at least MIN_MAP_ROWS rows; else the pictures.
        let code_height = code_height(area.width);
        let with_code = body.height >= code_height + MIN_MAP_ROWS;
        let [top, code] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(if with_code { code_height } else { 0 }),
        ])
        .areas(body);
        let [map_area, loss] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(top);
        render_map(lesson, map_area, buf, theme);
        render_loss(lesson.history(), model, loss, buf, theme);
        if with_code {
            render_code(lesson, code, buf, theme);
        }
    }
}

/// Rows the map and loss chart keep before the code panels get room.
const MIN_MAP_ROWS: u16 = 8;

/// The surface, the marks on the map, and each optimizer's standing.
fn header_lines(lesson: &OptimLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let model = lesson.model();
    let mut marks = vec![
        Span::styled(model.surface.formula(), theme.title),
        Span::styled(format!("   {MIN_MARK} min f"), theme.text),
    ];
    if model.hyper.weight_decay > 0.0 {
        marks.push(Span::styled(
            format!("  {DECAYED_MIN_MARK} min f + (wd/2)‖θ‖²"),
            theme.text,
        ));
    }
    marks.push(Span::styled(
        said!("  {START_MARK} start", "  {START_MARK} 起点")
            .get(lang)
            .to_string(),
        theme.dim,
    ));
    let mut runs = Vec::new();
    for run in &model.runs {
        let style = run_style(run.kind, theme);
        let name = run.kind.name();
        let text = match run.diverged_at {
            Some(step) => said!(
                "{POINT_MARK} {name} diverged at step {step}  ",
                "{POINT_MARK} {name} 在第 {step} 步发散  "
            )
            .get(lang)
            .to_string(),
            None => format!(
                "{POINT_MARK} {} f−f* {}  ",
                run.kind.name(),
                short_number(model.surface.value(run.theta) - model.surface.min_value())
            ),
        };
        runs.push(Span::styled(text, style));
    }
    vec![Line::from(marks), Line::from(runs)]
}

fn render_map(lesson: &OptimLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    if area.height < 4 || area.width < 8 {
        return;
    }
    let title = tr!(" contour of log(f − f*) ", " log(f − f*) 等高线 ");
    let block = panel(title.get(theme.lang), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    // One line under the map for the colour scale.
    let map_height = inner.height.saturating_sub(1);
    let window = window(
        &model.surface,
        [lesson.setup.start[0], lesson.setup.start[1]],
    );
    // Keep the plane's aspect: a square window wants twice as many columns as rows.
    let plane_ratio = (window.x.1 - window.x.0) / (window.y.1 - window.y.0);
    let want_width = (f64::from(map_height) * CELL_ASPECT * plane_ratio).round() as u16;
    let map = Rect::new(
        inner.x,
        inner.y,
        want_width.clamp(1, inner.width),
        map_height,
    );
    if map.is_empty() {
        return;
    }
    let cache = cached_bands(lesson, window, map, theme);
    render_bands(&cache.bands, map, buf, theme);

    let history = lesson.history();
    for (at, run) in model.runs.iter().enumerate() {
        let mut layer = DotLayer::new(map);
        let path = run_series(history, at)
            .map(|(_, s)| s.theta)
            .chain(std::iter::once(run.theta));
        layer.polyline(&window, path);
        layer.render(map, buf, run_style(run.kind, theme).fg);
    }
    let mut mark = |p: [f64; 2], symbol: &str, style: Style| {
        if let Some((col, row)) = window.cell(p, map) {
            let cell = &mut buf[(map.x + col, map.y + row)];
            cell.set_symbol(symbol);
            if let Some(fg) = style.fg {
                cell.set_fg(fg);
            }
            cell.modifier = cell.modifier.union(style.add_modifier);
        }
    };
    mark(lesson.setup.start, START_MARK, theme.text);
    for m in model.surface.minima() {
        mark(m, MIN_MARK, theme.key);
    }
    if model.hyper.weight_decay > 0.0 {
        for m in model.surface.decayed_minima(model.hyper.weight_decay) {
            mark(m, DECAYED_MIN_MARK, theme.key);
        }
    }
    for run in &model.runs {
        mark(run.theta, POINT_MARK, run_style(run.kind, theme));
    }
    // The scale: each band's colour, then the values at its ends.
    let scale_y = inner.y + map_height;
    let label = format!(
        " f−f* {} … {}  x {}…{}, y {}…{}",
        short_number(10f64.powf(cache.lo)),
        short_number(10f64.powf(cache.hi)),
        short_number(window.x.0),
        short_number(window.x.1),
        short_number(window.y.0),
        short_number(window.y.1),
    );
    let count = band_count(theme);
    let swatch: Vec<u8> = (0..count as u8).collect();
    let swatch_area = Rect::new(inner.x, scale_y, (count as u16).min(inner.width), 1);
    render_bands(&swatch, swatch_area, buf, theme);
    buf.set_stringn(
        swatch_area.right(),
        scale_y,
        label,
        usize::from(inner.right().saturating_sub(swatch_area.right())),
        theme.dim,
    );
}

/// The bands for this surface, window and size: reused while they stay the same.
fn cached_bands(lesson: &OptimLesson, window: Window, map: Rect, theme: &Theme) -> ContourCache {
    let surface = lesson.model().surface;
    let count = band_count(theme);
    let size = (map.width, map.height);
    let mut slot = lesson.contour.borrow_mut();
    let fresh = slot.as_ref().is_some_and(|c| {
        c.surface == surface && c.window == window && c.size == size && c.band_count == count
    });
    if !fresh {
        let min = surface.min_value();
        let (banded, lo, hi) = bands(
            |p| (surface.value(p) - min + LOG_FLOOR).log10(),
            &window,
            map,
            count,
        );
        *slot = Some(ContourCache {
            surface,
            window,
            size,
            band_count: count,
            bands: banded,
            lo,
            hi,
        });
    }
    slot.clone().unwrap_or_else(|| ContourCache {
        surface,
        window,
        size,
        band_count: count,
        bands: Vec::new(),
        lo: 0.0,
        hi: 0.0,
    })
}

/// Points of one run's series for a chart at most `width` cells wide.
fn series_points(
    history: &History,
    run: usize,
    width: u16,
    value: impl Fn(&super::Sample) -> f64,
) -> Vec<(f64, f64)> {
    let all: Vec<(f64, f64)> = run_series(history, run)
        .map(|(step, s)| (step as f64, value(s)))
        .collect();
    // Braille draws two points per cell column.
    thin(&all, usize::from(width) * 2)
}

/// One line per optimizer of a value from its history.
fn per_run_chart(
    what: (&str, &str, bool),
    value: fn(&super::Sample) -> f64,
    history: &History,
    model: &Optimizers,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let series = model
        .runs
        .iter()
        .enumerate()
        .map(|(at, run)| {
            Series::line(
                run.kind.name(),
                run_style(run.kind, theme),
                series_points(history, at, area.width, value),
            )
        })
        .collect::<Vec<_>>();
    let (title, label, log) = what;
    chart::render(title, label, &series, log, area, buf, theme);
}

fn render_loss(history: &History, model: &Optimizers, area: Rect, buf: &mut Buffer, theme: &Look) {
    let title = tr!("loss: f − f* (log)", "损失：f − f*（对数）");
    let what = (title.get(theme.lang), "f−f*", true);
    per_run_chart(what, |s| s.gap, history, model, area, buf, theme);
}

fn render_norm(history: &History, model: &Optimizers, area: Rect, buf: &mut Buffer, theme: &Look) {
    per_run_chart(
        ("‖θ‖", "‖θ‖", false),
        |s| s.norm,
        history,
        model,
        area,
        buf,
        theme,
    );
}

/// lr/(√v̂ + ε) per coordinate: where L2-in-Adam's weakness shows, since the
/// decay term is divided by the same large √v̂ as a steep coordinate's gradient.
fn render_effective_lr(
    history: &History,
    model: &Optimizers,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let mut series = Vec::new();
    for (at, run) in model.runs.iter().enumerate() {
        if !run.kind.is_adaptive() {
            continue;
        }
        for (c, axis) in ["x", "y"].iter().enumerate() {
            let mut style = run_style(run.kind, theme);
            if c == 1 {
                style = style.add_modifier(ratatui::style::Modifier::DIM);
            }
            series.push(Series::line(
                format!("{} {axis}", run.kind.name()),
                style,
                series_points(history, at, area.width, |s| s.effective_lr[c]),
            ));
        }
    }
    let title = tr!("step size lr/(√v̂+ε) (log)", "步长 lr/(√v̂+ε)（对数）");
    let title = title.get(theme.lang);
    chart::render(title, "lr/(√v̂+ε)", &series, true, area, buf, theme);
}

/// Width of the row labels, in display columns.
const LABEL: usize = 12;
/// Width of one number in the table.
const NUMBER: usize = 8;
/// The decay row's id (its label is said in each language).
const DECAY_ROW: &str = "decay";
/// One optimizer's column: a space, then x and y.
const COLUMN: usize = 2 * NUMBER + 2;

/// The state table: one column per optimizer, one row per quantity, then a
/// line saying what the decay row holds for each kind.
fn state_lines(
    model: &Optimizers,
    compact_rows: bool,
    lang: Lang,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let hyper = &model.hyper;
    let pair = |p: [f64; 2]| format!(" {:>NUMBER$} {:>NUMBER$}", compact(p[0]), compact(p[1]));
    let none = || format!("{:>COLUMN$}", "—");
    /// What a row shows for one run, or None for "—" (not this kind's).
    type Row = (&'static str, fn(&Run, &Hyper) -> Option<[f64; 2]>);
    let rows: [Row; 9] = [
        ("θ", |r, _| Some(r.theta)),
        ("∇f(θ)", |r, _| (r.t > 0).then_some(r.loss_grad)),
        // Only L2 kinds add wd·θ; AdamW's g is ∇f itself, the row above.
        ("g=∇f+wd·θ", |r, _| {
            (r.t > 0 && r.kind != Kind::AdamW).then_some(r.grad)
        }),
        ("m", |r, _| r.kind.is_adaptive().then_some(r.m)),
        ("v", |r, h| {
            r.kind
                .is_adaptive()
                .then_some(if h.amsgrad { r.v_max } else { r.v })
        }),
        ("m̂", |r, h| r.kind.is_adaptive().then(|| r.m_hat(h))),
        ("v̂", |r, h| r.kind.is_adaptive().then(|| r.v_hat(h))),
        ("lr/(√v̂+ε)", |r, h| {
            (r.kind.is_adaptive() && r.t > 0).then(|| r.effective_lr(h))
        }),
        (DECAY_ROW, |r, h| (r.t > 0).then(|| r.decay(h))),
    ];
    // Padded by display columns: the Chinese labels are wide characters.
    let step = tr!("step", "步").get(lang);
    let mut header = vec![Span::styled(pad(step, LABEL), theme.dim)];
    for run in &model.runs {
        header.push(Span::styled(
            format!("{:>COLUMN$}", format!("{} t={}", run.kind.name(), run.t)),
            run_style(run.kind, theme),
        ));
    }
    let mut lines = vec![Line::from(header)];
    for (id, value) in rows {
        if compact_rows && matches!(id, "m" | "v") {
            continue;
        }
        let shown = if id == DECAY_ROW {
            tr!("decay", "衰减量").get(lang)
        } else {
            id
        };
        let mut spans = vec![Span::styled(pad(shown, LABEL), theme.dim)];
        for run in &model.runs {
            let text = match value(run, hyper) {
                Some(p) => pair(p),
                None if id.starts_with('g') && run.kind == Kind::AdamW && run.t > 0 => {
                    format!(
                        "{:>COLUMN$}",
                        tr!("= ∇f, no wd·θ", "= ∇f，无 wd·θ").get(lang)
                    )
                }
                None => none(),
            };
            let style = if id == DECAY_ROW {
                run_style(run.kind, theme)
            } else {
                theme.text
            };
            spans.push(Span::styled(text, style));
        }
        lines.push(Line::from(spans));
    }
    if model.runs.iter().any(|r| r.kind == Kind::Momentum) {
        let label = tr!("b (moment.)", "b（动量）").get(lang);
        let mut spans = vec![Span::styled(pad(label, LABEL), theme.dim)];
        for run in &model.runs {
            let text = if run.kind == Kind::Momentum {
                pair(run.buffer)
            } else {
                none()
            };
            spans.push(Span::styled(text, theme.text));
        }
        lines.push(Line::from(spans));
    }
    if hyper.weight_decay > 0.0 {
        let legend = tr!(
            "decay: adam lr·wd·θ/(√v̂+ε), adamw lr·wd·θ",
            "衰减量：adam 为 lr·wd·θ/(√v̂+ε)，adamw 为 lr·wd·θ"
        );
        lines.push(Line::from(Span::styled(legend.get(lang), theme.dim)));
    }
    lines
}

/// A number in at most [`NUMBER`] characters, as many digits as fit.
fn compact(x: f64) -> String {
    if !x.is_finite() {
        return crate::lesson::param::format_float(x);
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let fits = |text: &String| text.chars().count() <= NUMBER;
    if (1e-2..1e4).contains(&x.abs()) {
        // Four decimals where they fit, fewer for large values.
        if let Some(text) = (0..=4).rev().map(|d| format!("{x:.d$}")).find(fits) {
            return text;
        }
    }
    (0..=2)
        .rev()
        .map(|d| format!("{x:.d$e}"))
        .find(fits)
        .unwrap_or_else(|| format!("{x:.0e}"))
}

/// Adam and AdamW side by side: each update in PyTorch's order, the one
/// differing line marked. Narrow panels write m̂ and v̂ on lines of their own.
const ADAM_CODE: &[&str] = &[
    "g = ∇f(θ)",
    "g = g + wd·θ",
    "m = β1·m + (1−β1)·g",
    "v = β2·v + (1−β2)·g²",
    "m̂ = m/(1−β1^t); v̂ = v/(1−β2^t)",
    "θ = θ − lr·m̂/(√v̂+ε)",
];
const ADAMW_CODE: &[&str] = &[
    "g = ∇f(θ)",
    "θ = θ·(1 − lr·wd)",
    "m = β1·m + (1−β1)·g",
    "v = β2·v + (1−β2)·g²",
    "m̂ = m/(1−β1^t); v̂ = v/(1−β2^t)",
    "θ = θ − lr·m̂/(√v̂+ε)",
];
const ADAM_CODE_SPLIT: &[&str] = &[
    "g = ∇f(θ)",
    "g = g + wd·θ",
    "m = β1·m + (1−β1)·g",
    "v = β2·v + (1−β2)·g²",
    "m̂ = m/(1−β1^t)",
    "v̂ = v/(1−β2^t)",
    "θ = θ − lr·m̂/(√v̂+ε)",
];
const ADAMW_CODE_SPLIT: &[&str] = &[
    "g = ∇f(θ)",
    "θ = θ·(1 − lr·wd)",
    "m = β1·m + (1−β1)·g",
    "v = β2·v + (1−β2)·g²",
    "m̂ = m/(1−β1^t)",
    "v̂ = v/(1−β2^t)",
    "θ = θ − lr·m̂/(√v̂+ε)",
];
/// The one line where the listings differ.
const DIFFERING_LINE: usize = 1;
/// Columns a panel's border and current-line marker take beside the code.
const CODE_FRAME: usize = 4;

/// The two listings for panels sharing `width`: joined lines where they fit.
fn listings(width: u16) -> (&'static [&'static str], &'static [&'static str]) {
    let half = usize::from(width / 2);
    let widest = ADAM_CODE
        .iter()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0);
    if half >= widest + CODE_FRAME {
        (ADAM_CODE, ADAMW_CODE)
    } else {
        (ADAM_CODE_SPLIT, ADAMW_CODE_SPLIT)
    }
}

/// Rows the code panels take at `width`: their lines and two borders.
fn code_height(width: u16) -> u16 {
    listings(width).0.len() as u16 + 2
}

fn render_code(lesson: &OptimLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let (adam_code, adamw_code) = listings(area.width);
    let [adam, adamw] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(area);
    // After a step the whole update has run: its last line is where the model is.
    let current = if lesson.steps() == 0 {
        usize::MAX
    } else {
        adam_code.len() - 1
    };
    for (title, code, area) in [
        (
            tr!(" Adam (L2 in g) ", " Adam（L2 在 g 里） "),
            adam_code,
            adam,
        ),
        (
            tr!(" AdamW (decoupled) ", " AdamW（解耦） "),
            adamw_code,
            adamw,
        ),
    ] {
        let title = title.get(theme.lang);
        pseudocode::render_panel(title, code, current, &[DIFFERING_LINE], area, buf, theme);
    }
}
