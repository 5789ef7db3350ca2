//! Drawing the mAP lesson: the image with its boxes and the detection being
//! judged, the ranked table, the PR curve with its envelope and sample
//! points, and AP per class by each method.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::eval::{ClassResult, Outcome, Rule, ap_coco101, ap_voc07, ap_voc10, envelope};
use super::{MapLesson, Method, Stage};
use crate::lesson::Choice;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::chart::{self, Axes, Series};
use crate::widgets::grid::follow;
use crate::widgets::{panel, pseudocode};

const WIDE: u16 = 110;

/// Where the lesson stands within the class being shown.
struct Focus<'a> {
    class: usize,
    result: &'a ClassResult,
    /// Detections judged so far in this class.
    judged: usize,
    envelope: bool,
    area: bool,
}

fn focus(lesson: &MapLesson) -> Option<Focus<'_>> {
    let results = lesson.results();
    let (class, judged, envelope, area) = match lesson.stage() {
        None => (0, 0, false, false),
        Some(Stage::Judge { class, k }) => (class, k + 1, false, false),
        Some(Stage::Envelope { class }) => (class, results.get(class)?.judged.len(), true, false),
        Some(Stage::Area { class }) => (class, results.get(class)?.judged.len(), true, true),
    };
    Some(Focus {
        class,
        result: results.get(class)?,
        judged,
        envelope,
        area,
    })
}

fn outcome_style(outcome: Outcome, theme: &Theme) -> Style {
    match outcome {
        Outcome::Tp => theme.good,
        Outcome::Fp => theme.error,
        Outcome::Ignored => theme.dim,
    }
}

pub fn render(lesson: &MapLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let Some(f) = focus(lesson) else {
        Paragraph::new("no classes in the data: nothing to evaluate").render(area, buf);
        return;
    };
    let info = info_lines(lesson, &f, theme);
    let [info_area, body] =
        Layout::vertical([Constraint::Length(info.len() as u16), Constraint::Fill(1)]).areas(area);
    Paragraph::new(info).render(info_area, buf);
    let ap_lines = ap_lines(lesson, theme);
    if area.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)]).areas(body);
        let [canvas, table] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Fill(1)]).areas(left);
        render_image(lesson, &f, canvas, buf, theme);
        render_table(lesson, &f, table, buf, theme);
        let code = lesson.pseudocode(theme.lang);
        let [curve, aps, code_area] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(ap_lines.len() as u16),
            Constraint::Length(code.len() as u16 + 2),
        ])
        .areas(right);
        render_curve(lesson, &f, curve, buf, theme);
        Paragraph::new(ap_lines).render(aps, buf);
        pseudocode::render_lesson(" AP ", lesson, code_area, buf, theme);
    } else {
        let [top, aps] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(ap_lines.len() as u16),
        ])
        .areas(body);
        let [table, curve] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(top);
        render_table(lesson, &f, table, buf, theme);
        render_curve(lesson, &f, curve, buf, theme);
        Paragraph::new(ap_lines).render(aps, buf);
    }
}

fn info_lines(lesson: &MapLesson, f: &Focus, theme: &Theme) -> Vec<Line<'static>> {
    let classes = lesson.results().len();
    let mut head = vec![Span::styled(
        format!(
            "{} ({}/{classes}) · {} positives · {}/{} judged",
            f.result.class,
            f.class + 1,
            f.result.positives,
            f.judged,
            f.result.judged.len()
        ),
        theme.title,
    )];
    if let Some(j) = f.judged.checked_sub(1).and_then(|k| f.result.judged.get(k))
        && !f.envelope
    {
        head.push(Span::styled(
            format!(
                " · {} score {:.3} IoU {:.2} → ",
                lesson.data().images[j.image].name,
                j.score,
                j.iou
            ),
            theme.text,
        ));
        head.push(Span::styled(
            j.outcome.name().to_uppercase(),
            outcome_style(j.outcome, theme),
        ));
    }
    let rule = match lesson.rule() {
        Rule::Voc => "VOC rule: the best box, matched or not; no fall-back",
        Rule::Coco => "COCO rule: the best still-unmatched box above the threshold",
    };
    let other = &lesson.other_rule()[f.class];
    let differ = f
        .result
        .judged
        .iter()
        .zip(&other.judged)
        .filter(|(a, b)| a.outcome != b.outcome)
        .count();
    vec![
        Line::from(head),
        Line::from(vec![
            Span::styled(format!("{rule} · IoU ≥ {}", lesson.threshold()), theme.dim),
            Span::styled(
                format!(" · the other rule judges {differ} of these differently"),
                if differ > 0 { theme.other } else { theme.dim },
            ),
        ]),
    ]
}

/// Boxes of the current image, scaled into the area: ground truth, and the
/// detection being judged coloured by its outcome.
fn render_image(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let Some(j) = f.judged.checked_sub(1).and_then(|k| f.result.judged.get(k)) else {
        return;
    };
    let image = &lesson.data().images[j.image];
    let block = panel(format!(" {} ", image.name), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width < 4 || inner.height < 3 {
        return;
    }
    // One scale for every image of the set, so boxes keep their sizes between images.
    let extent = lesson
        .data()
        .images
        .iter()
        .flat_map(|im| {
            im.gt
                .iter()
                .map(|g| g.bbox)
                .chain(im.det.iter().map(|d| d.bbox))
        })
        .fold((1.0f64, 1.0f64), |(w, h), b| (w.max(b[2]), h.max(b[3])));
    let to_cell = |x: f64, y: f64| {
        let cx = inner.x as f64 + (x / extent.0) * f64::from(inner.width - 1);
        let cy = inner.y as f64 + (y / extent.1) * f64::from(inner.height - 1);
        (cx.round() as u16, cy.round() as u16)
    };
    let mut rect = |b: [f64; 4], style: Style, label: Option<String>| {
        let (x1, y1) = to_cell(b[0], b[1]);
        let (x2, y2) = to_cell(b[2], b[3]);
        for x in x1..=x2 {
            buf.set_string(x, y1, "─", style);
            buf.set_string(x, y2, "─", style);
        }
        for y in y1..=y2 {
            buf.set_string(x1, y, "│", style);
            buf.set_string(x2, y, "│", style);
        }
        buf.set_string(x1, y1, "┌", style);
        buf.set_string(x2, y1, "┐", style);
        buf.set_string(x1, y2, "└", style);
        buf.set_string(x2, y2, "┘", style);
        if let Some(label) = label {
            let room = usize::from(inner.right().saturating_sub(x1 + 1));
            buf.set_stringn(x1 + 1, y1, label, room, style);
        }
    };
    for (g, gt) in image.gt.iter().enumerate() {
        if gt.class != f.result.class {
            continue;
        }
        let style = if gt.difficult { theme.dim } else { theme.text };
        let label = if gt.difficult { "difficult" } else { "gt" };
        let style = if j.gt == Some(g) {
            style.patch(theme.key)
        } else {
            style
        };
        rect(gt.bbox, style, Some(label.to_string()));
    }
    let det = &image.det[j.det];
    rect(
        det.bbox,
        outcome_style(j.outcome, theme),
        Some(format!("{:.2} IoU {:.2}", det.score, j.iou)),
    );
}

/// The ranked detections of the class, following the one being judged.
/// The ranking table's columns, widest first: a narrow pane drops the image
/// name, then the rank and IoU, but keeps what the curve is made of (score,
/// outcome, cumulative TP/FP, precision, recall).
const TABLE_LAYOUTS: [(&str, Columns); 3] = [
    (
        "rank image       score  IoU out  TP FP prec  rec",
        Columns::Full,
    ),
    ("rank score  IoU out  TP FP prec  rec", Columns::NoImage),
    ("score out  TP FP prec  rec", Columns::Minimal),
];

#[derive(Clone, Copy)]
enum Columns {
    Full,
    NoImage,
    Minimal,
}

fn render_table(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let (header, columns) = TABLE_LAYOUTS
        .iter()
        .find(|(header, _)| header.len() <= usize::from(area.width))
        .unwrap_or(&TABLE_LAYOUTS[TABLE_LAYOUTS.len() - 1]);
    buf.set_stringn(area.x, area.y, header, usize::from(area.width), theme.dim);
    let rows = usize::from(area.height.saturating_sub(1));
    let current = f.judged.saturating_sub(1);
    let first = follow(f.result.judged.len(), rows, current);
    for (row, (k, j)) in f
        .result
        .judged
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .enumerate()
    {
        let y = area.y + 1 + row as u16;
        let name = truncate(&lesson.data().images[j.image].name, 11);
        let judged = k < f.judged;
        let (rank, score) = (k + 1, j.score);
        // The columns the curve is made of, shared by every layout.
        let counts = format!(
            "{:<4} {:>2} {:>2} {:.2} {:.2}",
            short_outcome(j.outcome),
            j.cum_tp,
            j.cum_fp,
            j.precision(),
            f.result.recall(j)
        );
        let iou = j.iou;
        let text = match (columns, judged) {
            (Columns::Full, true) => format!("{rank:>4} {name:<11} {score:.3} {iou:.2} {counts}"),
            (Columns::Full, false) => format!("{rank:>4} {name:<11} {score:.3}"),
            (Columns::NoImage, true) => format!("{rank:>4} {score:.3} {iou:.2} {counts}"),
            (Columns::NoImage, false) => format!("{rank:>4} {score:.3}"),
            (Columns::Minimal, true) => format!("{score:.3} {counts}"),
            (Columns::Minimal, false) => format!("{score:.3}"),
        };
        let style = match (k < f.judged, k == current && !f.envelope) {
            (true, true) => theme.current,
            (true, false) => outcome_style(j.outcome, theme),
            (false, _) => theme.dim,
        };
        buf.set_stringn(area.x, y, text, usize::from(area.width), style);
    }
}

fn short_outcome(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Tp => "tp",
        Outcome::Fp => "fp",
        Outcome::Ignored => "ign",
    }
}

fn truncate(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

/// The PR curve so far: the raw zig-zag, then the envelope and the method's points.
fn render_curve(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let counted: Vec<(f64, f64)> = f.result.judged[..f.judged]
        .iter()
        .filter(|j| j.outcome != Outcome::Ignored)
        .map(|j| (f.result.recall(j), j.precision()))
        .collect();
    let (recall, precision): (Vec<f64>, Vec<f64>) = counted.iter().copied().unzip();
    let mut series = vec![Series::line("precision", theme.series[2], counted.clone())];
    if f.envelope {
        let env = envelope(&precision);
        series.push(Series::line(
            "envelope",
            theme.series[3],
            recall.iter().copied().zip(env.iter().copied()).collect(),
        ));
    }
    let mut title = format!("PR curve, {}", f.result.class);
    if f.area {
        let (points, ap): (Vec<(f64, f64)>, f64) = match lesson.method() {
            Method::Voc07 => (
                (0..=10)
                    .map(|i| {
                        let t = f64::from(i) / 10.0;
                        let p = recall
                            .iter()
                            .zip(&precision)
                            .filter(|(r, _)| **r >= t)
                            .map(|(_, p)| *p)
                            .fold(0.0, f64::max);
                        (t, p)
                    })
                    .collect(),
                ap_voc07(&recall, &precision),
            ),
            Method::Coco101 => {
                let env = envelope(&precision);
                (
                    (0..=100)
                        .map(|i| {
                            let t = f64::from(i) * 0.01;
                            let at = recall.partition_point(|&r| r < t);
                            (t, env.get(at).copied().unwrap_or(0.0))
                        })
                        .collect(),
                    ap_coco101(&recall, &precision),
                )
            }
            Method::Voc10 => {
                // The corners of the area rectangles under the envelope.
                let env = envelope(&precision);
                let mut corners = Vec::new();
                let mut previous = 0.0;
                for (r, p) in recall.iter().zip(&env) {
                    if *r != previous {
                        corners.push((previous, *p));
                        corners.push((*r, *p));
                        previous = *r;
                    }
                }
                (corners, ap_voc10(&recall, &precision))
            }
        };
        title = format!(
            "PR curve, {}: {} AP = {ap:.4}",
            f.result.class,
            lesson.method().name()
        );
        series.push(Series {
            name: lesson.method().name().to_string(),
            style: theme.key,
            points,
            scatter: true,
        });
    }
    let axes = Axes {
        x_label: "recall",
        y_label: "precision",
        log_y: false,
        x_range: Some([0.0, 1.0]),
        y_range: Some([0.0, 1.0]),
    };
    chart::render_xy(&title, &axes, &series, area, buf, theme);
}

fn ap_lines(lesson: &MapLesson, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!(
            "{:<10} {:>4}  {:>7} {:>7} {:>7} {:>7}",
            "AP @ IoU", "pos", "voc07", "voc10", "coco101", "coco"
        ),
        theme.dim,
    )];
    let mut excluded = Vec::new();
    for (class, positives, ap) in lesson.aps() {
        if *positives == 0 {
            excluded.push(class.clone());
            continue;
        }
        lines.push(Line::styled(
            format!(
                "{:<10} {:>4}  {:>7.4} {:>7.4} {:>7.4} {:>7.4}",
                truncate(class, 10),
                positives,
                ap.voc07,
                ap.voc10,
                ap.coco101,
                ap.coco
            ),
            theme.text,
        ));
    }
    lines.push(Line::styled(
        format!(
            "{:<10} {:>4}  {:>7.4} {:>7.4} {:>7.4} {:>7.4}",
            "mAP",
            "",
            lesson.map_of(|a| a.voc07),
            lesson.map_of(|a| a.voc10),
            lesson.map_of(|a| a.coco101),
            lesson.map_of(|a| a.coco)
        ),
        theme.chosen,
    ));
    if !excluded.is_empty() {
        lines.push(Line::styled(
            format!(
                "left out of the mean (no positives): {}",
                excluded.join(", ")
            ),
            theme.dim,
        ));
    }
    lines
}
