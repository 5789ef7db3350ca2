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
use crate::i18n::{Lang, Tr};
use crate::lesson::Choice;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::chart::{self, Axes, Series};
use crate::widgets::grid::follow;
use crate::widgets::pad;
use crate::widgets::{panel, pseudocode};
use crate::{said, tr};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const WIDE: u16 = 110;
/// Columns of the positives count in the AP table.
const POSITIVES_COLUMNS: usize = 4;

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
        let nothing = tr!(
            "no classes in the data: nothing to evaluate",
            "数据中没有类别：无可评价"
        );
        Paragraph::new(nothing.get(theme.lang)).render(area, buf);
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

fn info_lines(lesson: &MapLesson, f: &Focus, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let classes = lesson.results().len();
    let (class, number, positives) = (&f.result.class, f.class + 1, f.result.positives);
    let (judged, total) = (f.judged, f.result.judged.len());
    let mut head = vec![Span::styled(
        said!(
            "{class} ({number}/{classes}) · {positives} positives · {judged}/{total} judged",
            "{class}（{number}/{classes}）· {positives} 个正例 · 已判定 {judged}/{total}"
        )
        .get(lang)
        .to_string(),
        theme.title,
    )];
    if let Some(j) = f.judged.checked_sub(1).and_then(|k| f.result.judged.get(k))
        && !f.envelope
    {
        let (image, score, iou) = (&lesson.data().images[j.image].name, j.score, j.iou);
        head.push(Span::styled(
            said!(
                " · {image} score {score:.3} IoU {iou:.2} → ",
                " · {image} 分数 {score:.3} IoU {iou:.2} → "
            )
            .get(lang)
            .to_string(),
            theme.text,
        ));
        head.push(Span::styled(
            outcome_word(j.outcome, lang),
            outcome_style(j.outcome, theme),
        ));
    }
    let rule = match lesson.rule() {
        Rule::Voc => tr!(
            "VOC rule: the best box, matched or not; no fall-back",
            "VOC 规则：取最佳框，不论是否已匹配"
        ),
        Rule::Coco => tr!(
            "COCO rule: the best still-unmatched box above the threshold",
            "COCO 规则：取阈值以上尚未匹配的最佳框"
        ),
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
            Span::styled(
                format!("{} · IoU ≥ {}", rule.get(lang), lesson.threshold()),
                theme.dim,
            ),
            Span::styled(
                said!(
                    " · the other rule judges {differ} of these differently",
                    " · 另一规则有 {differ} 处判定不同"
                )
                .get(lang)
                .to_string(),
                if differ > 0 { theme.other } else { theme.dim },
            ),
        ]),
    ]
}

/// How the status line names an outcome: TP and FP as they are, in capitals.
fn outcome_word(outcome: Outcome, lang: Lang) -> String {
    match outcome {
        Outcome::Ignored => tr!("IGNORED", "忽略").get(lang).to_string(),
        Outcome::Tp | Outcome::Fp => outcome.name().to_uppercase(),
    }
}

/// Boxes of the current image, scaled into the area: ground truth, and the
/// detection being judged coloured by its outcome.
fn render_image(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Look) {
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
        let label = if gt.difficult {
            tr!("difficult", "困难")
        } else {
            tr!("gt", "真值")
        };
        let style = if j.gt == Some(g) {
            style.patch(theme.key)
        } else {
            style
        };
        rect(gt.bbox, style, Some(label.get(theme.lang).to_string()));
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
/// outcome, cumulative TP/FP, precision, recall). Each Chinese header is as
/// wide as its English one, its words over the same columns.
const TABLE_LAYOUTS: [(Tr, Columns); 3] = [
    (
        tr!(
            "rank image       score  IoU out  TP FP prec  rec",
            "排名 图像        分数   IoU 结果 TP FP 精确 召回"
        ),
        Columns::Full,
    ),
    (
        tr!(
            "rank score  IoU out  TP FP prec  rec",
            "排名 分数   IoU 结果 TP FP 精确 召回"
        ),
        Columns::NoImage,
    ),
    (
        tr!("score out  TP FP prec  rec", "分数  结果 TP FP 精确 召回"),
        Columns::Minimal,
    ),
];

/// Columns of the image name in the table, and of the class name in the AP table.
const IMAGE_COLUMNS: usize = 11;
const CLASS_COLUMNS: usize = 10;
/// The outcome column of the table.
const OUTCOME_COLUMNS: usize = 4;

#[derive(Clone, Copy)]
enum Columns {
    Full,
    NoImage,
    Minimal,
}

fn render_table(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let (header, columns) = TABLE_LAYOUTS
        .iter()
        .find(|(header, _)| header.get(lang).width() <= usize::from(area.width))
        .unwrap_or(&TABLE_LAYOUTS[TABLE_LAYOUTS.len() - 1]);
    let header = header.get(lang);
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
        let name = fit(&lesson.data().images[j.image].name, IMAGE_COLUMNS);
        let judged = k < f.judged;
        let (rank, score) = (k + 1, j.score);
        // The columns the curve is made of, shared by every layout.
        let counts = format!(
            "{} {:>2} {:>2} {:.2} {:.2}",
            pad(short_outcome(j.outcome, lang), OUTCOME_COLUMNS),
            j.cum_tp,
            j.cum_fp,
            j.precision(),
            f.result.recall(j)
        );
        let iou = j.iou;
        let text = match (columns, judged) {
            (Columns::Full, true) => format!("{rank:>4} {name} {score:.3} {iou:.2} {counts}"),
            (Columns::Full, false) => format!("{rank:>4} {name} {score:.3}"),
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

fn short_outcome(outcome: Outcome, lang: Lang) -> &'static str {
    match outcome {
        Outcome::Tp => "tp",
        Outcome::Fp => "fp",
        Outcome::Ignored => tr!("ign", "忽略").get(lang),
    }
}

/// `text` cut to at most `width` display columns, then padded to exactly
/// that many: names from the data (an image, a class) may be Chinese, and a
/// wide character takes two columns.
fn fit(text: &str, width: usize) -> String {
    let mut used = 0;
    let cut: String = text
        .chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= width
        })
        .collect();
    pad(&cut, width)
}

/// `text` right-aligned in `width` display columns.
fn pad_left(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(text.width())))
}

/// The PR curve so far: the raw zig-zag, then the envelope and the method's points.
fn render_curve(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let precision_word = tr!("precision", "精确率").get(lang);
    let counted: Vec<(f64, f64)> = f.result.judged[..f.judged]
        .iter()
        .filter(|j| j.outcome != Outcome::Ignored)
        .map(|j| (f.result.recall(j), j.precision()))
        .collect();
    let (recall, precision): (Vec<f64>, Vec<f64>) = counted.iter().copied().unzip();
    let mut series = vec![Series::line(
        precision_word,
        theme.series[2],
        counted.clone(),
    )];
    if f.envelope {
        let env = envelope(&precision);
        series.push(Series::line(
            tr!("envelope", "包络线").get(lang),
            theme.series[3],
            recall.iter().copied().zip(env.iter().copied()).collect(),
        ));
    }
    let class = &f.result.class;
    let mut title = said!("PR curve, {class}", "PR 曲线，{class}");
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
        let method = lesson.method().name();
        title = said!(
            "PR curve, {class}: {method} AP = {ap:.4}",
            "PR 曲线，{class}：{method} AP = {ap:.4}"
        );
        series.push(Series {
            name: lesson.method().name().to_string(),
            style: theme.key,
            points,
            scatter: true,
        });
    }
    let axes = Axes {
        x_label: tr!("recall", "召回率").get(lang),
        y_label: precision_word,
        log_y: false,
        x_range: Some([0.0, 1.0]),
        y_range: Some([0.0, 1.0]),
    };
    chart::render_xy(title.get(lang), &axes, &series, area, buf, theme);
}

fn ap_lines(lesson: &MapLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    // One row of the table: the name and the positives aligned by display
    // columns (a class, or the header, may be Chinese), then four APs.
    let row = |name: &str, positives: &str, aps: [String; 4]| {
        format!(
            "{} {}  {:>7} {:>7} {:>7} {:>7}",
            fit(name, CLASS_COLUMNS),
            pad_left(positives, POSITIVES_COLUMNS),
            aps[0],
            aps[1],
            aps[2],
            aps[3]
        )
    };
    let value = |ap: f64| format!("{ap:.4}");
    let mut lines = vec![Line::styled(
        row(
            "AP @ IoU",
            tr!("pos", "正例").get(lang),
            ["voc07", "voc10", "coco101", "coco"].map(String::from),
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
            row(
                class,
                &positives.to_string(),
                [ap.voc07, ap.voc10, ap.coco101, ap.coco].map(value),
            ),
            theme.text,
        ));
    }
    lines.push(Line::styled(
        row(
            "mAP",
            "",
            [
                lesson.map_of(|a| a.voc07),
                lesson.map_of(|a| a.voc10),
                lesson.map_of(|a| a.coco101),
                lesson.map_of(|a| a.coco),
            ]
            .map(value),
        ),
        theme.chosen,
    ));
    if !excluded.is_empty() {
        let names = excluded.join(", ");
        lines.push(Line::styled(
            said!(
                "left out of the mean (no positives): {names}",
                "未计入平均（无正例）：{names}"
            )
            .get(lang)
            .to_string(),
            theme.dim,
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_table_headers_are_as_wide_as_the_english_rows() {
        for (header, _) in TABLE_LAYOUTS {
            assert_eq!(header.en.width(), header.zh.width(), "{}", header.zh);
        }
        assert_eq!(
            pad(short_outcome(Outcome::Ignored, Lang::Zh), OUTCOME_COLUMNS).width(),
            OUTCOME_COLUMNS
        );
    }

    #[test]
    fn names_fit_their_columns_however_wide_their_characters() {
        assert_eq!(fit("street-005", IMAGE_COLUMNS), "street-005 ");
        assert_eq!(fit("a-very-long-name", CLASS_COLUMNS), "a-very-lon");
        // Five wide characters fill ten columns; a sixth would not fit.
        assert_eq!(fit("自行车与行人和狗", CLASS_COLUMNS), "自行车与行");
        assert_eq!(fit("自行车", CLASS_COLUMNS).width(), CLASS_COLUMNS);
        assert_eq!(pad_left("正例", POSITIVES_COLUMNS), "正例");
        assert_eq!(pad_left("13", POSITIVES_COLUMNS), "  13");
    }
}
