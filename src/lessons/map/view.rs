//! Drawing the mAP lesson: the ranked table with the rows where the rules
//! judge differently marked, the image with its boxes and the detection being
//! judged, the PR curve with its envelope and sample points, and AP per class
//! by each method (VOC07 under both rule sets when they differ).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Context, Line as Segment, Points};
use ratatui::widgets::{Paragraph, Widget};

use super::eval::{
    ClassResult, Judged, Outcome, Rules, VOC07_LEVELS, ap_voc07, ap_voc10, aps_differ,
    coco101_points, envelope, voc07_points,
};
use super::{MapLesson, Method, Stage};
use crate::i18n::{Lang, Said, Tr};
use crate::lesson::Choice;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::grid::follow;
use crate::widgets::pad;
use crate::widgets::panel;
use crate::widgets::words::wrap_styled;
use crate::widgets::wrap::Run as WrapRun;
use crate::{said, tr};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Below this size the view takes two pages: table and curve, then image and APs.
const FULL_WIDTH: u16 = 84;
const FULL_HEIGHT: u16 = 30;
const SMALL_PAGES: usize = 2;
/// Rows of the header: the class, the detection and its verdict, and why.
const HEADER_ROWS: u16 = 3;
/// Columns a header row leaves free at its right: a row that ran up to the
/// next panel could not be told from one cut there.
const HEADER_MARGIN: u16 = 1;
/// Columns of the table beside the curve on the full page.
const TABLE_COLUMNS: u16 = 40;
/// Columns of the table on a small page: the minimal layout and its ≠ mark.
const SMALL_TABLE_COLUMNS: u16 = 29;
/// Rows of the image panel on the full page.
const IMAGE_ROWS: u16 = 10;
/// Columns of the positives count in the AP table.
const POSITIVES_COLUMNS: usize = 4;
/// Columns of each AP in the AP table.
const AP_COLUMNS: usize = 8;
/// Narrower columns for a small page.
const NARROW_AP_COLUMNS: usize = 7;
const NARROW_CLASS_COLUMNS: usize = 7;
/// Letters of a rule set's name in a narrow AP table's header.
const NARROW_NAME: usize = 4;
/// Width from which the AP table names both rule sets in full.
const WIDE_AP_TABLE: usize = 72;

/// Where the lesson stands within the class being shown.
struct Focus<'a> {
    class: usize,
    result: &'a ClassResult,
    /// The judgement compared with it (other rules, or VOC for coco101).
    compared: &'a ClassResult,
    /// Detections judged so far in this class.
    judged: usize,
    envelope: bool,
    area: bool,
}

fn focus(lesson: &MapLesson) -> Option<Focus<'_>> {
    let count = |class: usize| lesson.result(class).map(|r| r.judged.len());
    let (class, judged, envelope, area) = match lesson.stage() {
        None => (0, 0, false, false),
        Some(Stage::Rank { class }) => (class, 0, false, false),
        Some(Stage::Judge { class, k }) => (class, k + 1, false, false),
        Some(Stage::Envelope { class }) => (class, count(class)?, true, false),
        Some(Stage::Area { class }) => (class, count(class)?, true, true),
    };
    Some(Focus {
        class,
        result: lesson.result(class)?,
        compared: lesson.compared(class)?,
        judged,
        envelope,
        area,
    })
}

impl Focus<'_> {
    /// The detection just judged, while detections are being judged.
    fn current(&self) -> Option<(usize, &Judged)> {
        if self.envelope {
            return None;
        }
        let k = self.judged.checked_sub(1)?;
        Some((k, self.result.judged.get(k)?))
    }
}

fn outcome_style(outcome: Outcome, theme: &Theme) -> Style {
    match outcome {
        Outcome::Tp => theme.good,
        Outcome::Fp => theme.error,
        Outcome::Ignored => theme.dim,
    }
}

pub fn pages(area: Rect) -> usize {
    if area.width >= FULL_WIDTH && area.height >= FULL_HEIGHT {
        1
    } else {
        SMALL_PAGES
    }
}

pub fn render(lesson: &MapLesson, page: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
    let Some(f) = focus(lesson) else {
        let nothing = tr!(
            "no classes in the data: nothing to evaluate",
            "数据中没有类别：无可评价"
        );
        Paragraph::new(nothing.get(theme.lang)).render(area, buf);
        return;
    };
    // Wrapped here (never cut), so the header takes exactly its rows: at
    // least HEADER_ROWS, one more where a narrow screen breaks a line.
    let room = area.width.saturating_sub(HEADER_MARGIN);
    let header = wrapped(&header_lines(lesson, &f, room, theme), room);
    let rows = (header.len() as u16).max(HEADER_ROWS);
    let [header_area, body] =
        Layout::vertical([Constraint::Length(rows), Constraint::Fill(1)]).areas(area);
    Paragraph::new(header).render(header_area, buf);
    let ap_lines = ap_lines(lesson, area.width, theme);
    if pages(area) == 1 {
        let [top, aps] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(ap_lines.len() as u16),
        ])
        .areas(body);
        let [left, curve] =
            Layout::horizontal([Constraint::Length(TABLE_COLUMNS), Constraint::Fill(1)]).areas(top);
        // The image grows with the screen: two fifths of the column, at least IMAGE_ROWS.
        let image_rows = IMAGE_ROWS.max(left.height * 2 / 5);
        let [table, image] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(image_rows)]).areas(left);
        render_table(&f, lesson.method() != Method::Coco101, table, buf, theme);
        render_image(lesson, &f, image, buf, theme);
        render_curve(lesson, &f, curve, buf, theme);
        Paragraph::new(ap_lines).render(aps, buf);
        return;
    }
    if page.is_multiple_of(SMALL_PAGES) {
        let [table, curve] =
            Layout::horizontal([Constraint::Length(SMALL_TABLE_COLUMNS), Constraint::Fill(1)])
                .areas(body);
        render_table(&f, lesson.method() != Method::Coco101, table, buf, theme);
        render_curve(lesson, &f, curve, buf, theme);
    } else {
        let [image, aps] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(ap_lines.len() as u16),
        ])
        .areas(body);
        render_image(lesson, &f, image, buf, theme);
        Paragraph::new(ap_lines).render(aps, buf);
    }
}

/// `>` or `≥`: how the rules compare an overlap with the threshold, and the
/// sign of a miss.
fn signs(rules: Option<Rules>) -> (&'static str, &'static str) {
    match rules {
        Some(Rules::Devkit) => (">", "≤"),
        // The textbook and COCO both match at IoU ≥ t.
        Some(Rules::Textbook) | None => ("≥", "<"),
    }
}

/// One side's verdict and its reason: `FP (IoU 0.4737 < 0.5)`; `short`
/// words the reasons without numbers more tersely, for a narrow screen.
fn verdict(j: &Judged, rules: Option<Rules>, t: f64, short: bool, lang: Lang) -> String {
    let said = |full: Tr, terse: Tr| if short { terse } else { full }.get(lang).to_string();
    let (hit, miss) = signs(rules);
    let word = outcome_word(j.outcome, lang);
    let o = j.iou;
    let reason = match j.outcome {
        Outcome::Tp => format!("IoU {o:.4} {hit} {t}"),
        Outcome::Ignored if j.gt.is_none() => said(
            tr!("beyond 100 per image", "超出每图 100 个"),
            tr!("over 100/image", "超出每图 100 个"),
        ),
        Outcome::Ignored => said(
            tr!("difficult or crowd box", "困难或人群框"),
            tr!("difficult/crowd", "困难或人群框"),
        ),
        Outcome::Fp => {
            let reached = match rules {
                Some(r) => r.reaches(o, t),
                None => o >= t,
            };
            if reached && j.gt.is_some() {
                let taken = said(
                    tr!("box already taken", "框已被认领"),
                    tr!("box taken", "框已被认领"),
                );
                format!("IoU {o:.4}, {taken}")
            } else {
                format!("IoU {o:.4} {miss} {t}")
            }
        }
    };
    format!("{word} ({reason})")
}

/// Names of the rule stepped and the one compared with.
fn rule_names(lesson: &MapLesson) -> (String, String, Option<Rules>, Option<Rules>) {
    let rules = lesson.rules();
    match lesson.method() {
        Method::Coco101 => (
            "COCO".to_string(),
            format!("VOC {}", rules.name()),
            None,
            Some(rules),
        ),
        Method::Voc07 | Method::Voc10 => (
            rules.name().to_string(),
            rules.other().name().to_string(),
            Some(rules),
            Some(rules.other()),
        ),
    }
}

/// The level the devkit's `np.arange` puts just above recall `r`, when `r`
/// lands exactly on a tenth that the textbook counts and the devkit does not.
fn landing(r: f64) -> Option<(f64, f64)> {
    let (devkit, textbook) = (Rules::Devkit.levels(), Rules::Textbook.levels());
    (0..VOC07_LEVELS)
        .find(|&i| r >= textbook[i] && r < devkit[i])
        .map(|i| (textbook[i], devkit[i]))
}

/// A stretch of a header line: its text, its style, and whether it must
/// stay whole on one row (a rule such as `IoU > 0.5`, a verdict).
struct Piece {
    text: String,
    style: Style,
    glued: bool,
}

fn piece(text: impl Into<String>, style: Style) -> Piece {
    Piece {
        text: text.into(),
        style,
        glued: false,
    }
}

fn glued(text: impl Into<String>, style: Style) -> Piece {
    Piece {
        glued: true,
        ..piece(text, style)
    }
}

/// The header's lines wrapped at `width` columns: English at spaces, Chinese
/// also between characters, glued pieces moved whole; each keeps its style.
fn wrapped(lines: &[Vec<Piece>], width: u16) -> Vec<Line<'static>> {
    wrap_styled(
        lines.iter().map(|line| {
            line.iter()
                .map(|p| WrapRun {
                    text: &p.text,
                    tag: p.style,
                    glued: p.glued,
                })
                .collect()
        }),
        width,
    )
}

/// The first of `options` (widest first) that fits in `width` columns in
/// `lang`, else the last: a narrow screen gets the shorter wording.
fn first_fitting(options: &[Said], width: u16, lang: Lang) -> String {
    options
        .iter()
        .find(|o| o.get(lang).width() <= usize::from(width))
        .or(options.last())
        .map(|o| o.get(lang).to_string())
        .unwrap_or_default()
}

fn header_lines(lesson: &MapLesson, f: &Focus, width: u16, theme: &Look) -> Vec<Vec<Piece>> {
    let lang = theme.lang;
    let classes = lesson.stepped().len();
    let (class, number, positives) = (&f.result.class, f.class + 1, f.result.positives);
    let (judged, total) = (f.judged, f.result.judged.len());
    let (mine, theirs, my_rules, their_rules) = rule_names(lesson);
    let t = lesson.threshold();
    let hit = signs(my_rules).0;
    // The rule set and its threshold stay together: on a narrow screen they
    // move to the next row whole rather than being cut.
    let first = vec![
        piece(
            said!(
                "{class} ({number}/{classes}) · {positives} positives · {judged}/{total} judged · ",
                "{class}（{number}/{classes}）· {positives} 个正例 · 已判定 {judged}/{total} · "
            )
            .get(lang),
            theme.title,
        ),
        glued(
            said!("{mine}: IoU {hit} {t}", "{mine}：IoU {hit} {t}").get(lang),
            theme.title,
        ),
    ];
    let (second, third) = if let Some((k, j)) = f.current() {
        let image = &lesson.data().images[j.image].name;
        let score = j.score;
        let said_score = said!("{image} score {score:.3} → ", "{image} 分数 {score:.3} → ");
        let lead = said_score.get(lang);
        // The full reason when the line fits, else the terse one (a long
        // image name may still wrap it).
        let mine_said = |short| verdict(j, my_rules, t, short, lang);
        let short = lead.width() + mine_said(false).width() > usize::from(width);
        let second = vec![
            piece(lead, theme.text),
            glued(mine_said(short), outcome_style(j.outcome, theme)),
        ];
        let third = match f.compared.judged.get(k) {
            Some(o) if o.outcome != j.outcome => {
                let lead = format!("≠ {theirs}: ");
                let theirs_said = |short| verdict(o, their_rules, t, short, lang);
                let short = lead.width() + theirs_said(false).width() > usize::from(width);
                vec![
                    piece(lead, theme.other),
                    glued(theirs_said(short), theme.other),
                ]
            }
            _ => {
                let r = f.result.recall(j);
                match landing(r) {
                    Some((level, devkit)) if my_rules.is_some() => vec![piece(
                        first_fitting(&exact_level(level, devkit), width, lang),
                        theme.other,
                    )],
                    _ => vec![piece(
                        said!("{theirs} agrees", "{theirs} 判定相同").get(lang),
                        theme.dim,
                    )],
                }
            }
        };
        (second, third)
    } else {
        area_lines(lesson, f, width, theme)
    };
    vec![first, second, third]
}

/// Why recall exactly the tenth `level` misses the devkit's level `devkit`
/// (`np.arange`'s 0.6000000000000001 for 0.6): in full, then short enough
/// for 80 columns with the number whole.
fn exact_level(level: f64, devkit: f64) -> [Said; 2] {
    [
        said!(
            "recall exactly {level} is below the devkit's level {devkit} (np.arange)",
            "召回率恰为 {level}，低于 devkit 的召回点 {devkit}（np.arange）"
        ),
        said!(
            "recall {level} < np.arange level {devkit}",
            "召回率 {level} < np.arange 召回点 {devkit}"
        ),
    ]
}

/// The header's last two lines away from a detection: ranking, the
/// envelope, or the AP read off (both rule sets' when they differ); each in
/// a shorter wording where the full one would not fit `width`.
fn area_lines(lesson: &MapLesson, f: &Focus, width: u16, theme: &Look) -> (Vec<Piece>, Vec<Piece>) {
    let lang = theme.lang;
    let differ = f
        .result
        .judged
        .iter()
        .zip(&f.compared.judged)
        .filter(|(a, b)| a.outcome != b.outcome)
        .count();
    let (_, theirs, _, _) = rule_names(lesson);
    let counted = vec![piece(
        first_fitting(
            &[
                said!(
                    "{theirs} judges {differ} of these detections differently (marked ≠)",
                    "{theirs} 对其中 {differ} 个检测判定不同（标 ≠）"
                ),
                said!(
                    "{theirs} judges {differ} of these differently (≠)",
                    "{theirs} 判定不同的有 {differ} 个（≠）"
                ),
            ],
            width,
            lang,
        ),
        if differ > 0 { theme.other } else { theme.dim },
    )];
    let said_line = |options: &[Tr]| {
        let options: Vec<Said> = options.iter().map(|&t| Said::from(t)).collect();
        vec![piece(first_fitting(&options, width, lang), theme.text)]
    };
    if !f.envelope {
        let ranked = said_line(&[
            tr!(
                "ranked by score, best first: judged from the top down",
                "按分数从高到低排好：从上往下逐个判定"
            ),
            tr!(
                "ranked by score: judged from the top down",
                "按分数从高到低排好：从上往下逐个判定"
            ),
        ]);
        return (ranked, counted);
    }
    let mine = lesson.rules();
    let both = lesson.voc07_both(f.class);
    let second = match both {
        _ if !f.area => said_line(&[
            tr!(
                "envelope: each precision raised to the best one at higher recall",
                "包络线：每个精确率提升为更高召回处的最大值"
            ),
            tr!(
                "envelope: max precision at this recall or beyond",
                "包络线：每个精确率提升为更高召回处的最大值"
            ),
        ]),
        Some((a, b)) if aps_differ(a, b) && lesson.method() != Method::Coco101 => vec![piece(
            format!(
                "VOC07 AP: {} {a:.4} · {} {b:.4}",
                mine.name(),
                mine.other().name()
            ),
            theme.other,
        )],
        _ => said_line(&match lesson.method() {
            Method::Voc07 => [
                tr!(
                    "VOC07: at 11 recall levels, the best precision there or beyond, averaged",
                    "VOC07：在 11 个召回点各取该处及以后的最高精确率，求平均"
                ),
                tr!(
                    "VOC07: mean of the envelope at 11 recall levels",
                    "VOC07：包络线在 11 个召回点处的平均"
                ),
            ],
            Method::Voc10 => [
                tr!(
                    "VOC10: the area under the envelope, summed where recall changes",
                    "VOC10：包络线下的面积，在召回率变化处逐段相加"
                ),
                tr!(
                    "VOC10: the area under the envelope, step by step",
                    "VOC10：包络线下的面积，逐段相加"
                ),
            ],
            Method::Coco101 => [
                tr!(
                    "COCO: the envelope read at 101 recall levels (np.linspace), averaged",
                    "COCO：在 101 个召回点（np.linspace）读包络线，求平均"
                ),
                tr!(
                    "COCO: envelope mean at 101 levels (np.linspace)",
                    "COCO：包络线在 101 个召回点（np.linspace）处的平均"
                ),
            ],
        }),
    };
    let (recall, _) = f.result.curve();
    let third = match recall.iter().find_map(|&r| landing(r)) {
        Some((level, devkit)) if f.area && lesson.method() != Method::Coco101 => vec![piece(
            first_fitting(&exact_level(level, devkit), width, lang),
            theme.other,
        )],
        _ => counted,
    };
    (second, third)
}

/// How the header names an outcome: TP and FP as they are, in capitals.
fn outcome_word(outcome: Outcome, lang: Lang) -> String {
    match outcome {
        Outcome::Ignored => tr!("IGNORED", "忽略").get(lang).to_string(),
        Outcome::Tp | Outcome::Fp => outcome.name().to_uppercase(),
    }
}

/// Boxes of the current image, scaled into the area: ground truth, and the
/// detection being judged coloured by its outcome.
fn render_image(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Look) {
    let Some((_, j)) = f.current() else {
        let block = panel(tr!(" image ", " 图像 ").get(theme.lang), theme);
        block.render(area, buf);
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
        let fx = (x / extent.0).clamp(0.0, 1.0);
        let fy = (y / extent.1).clamp(0.0, 1.0);
        let cx = f64::from(inner.x) + fx * f64::from(inner.width - 1);
        let cy = f64::from(inner.y) + fy * f64::from(inner.height - 1);
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
        let label = match (gt.crowd, gt.difficult) {
            (true, _) if lesson.method() == Method::Coco101 => tr!("crowd", "人群"),
            (_, true) => tr!("difficult", "困难"),
            _ => tr!("gt", "真值"),
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
        Some(format!("{:.2}", det.score)),
    );
}

/// The ranking table's columns, widest first: a narrow pane drops the rank
/// and IoU, but keeps what the curve is made of (score, outcome, cumulative
/// TP/FP, precision, recall) and the ≠ mark. Each Chinese header is as wide
/// as its English one, its words over the same columns.
const TABLE_LAYOUTS: [(Tr, Columns); 2] = [
    (
        tr!(
            "rank score  IoU  out  TP FP prec  rec",
            "排名 分数   IoU  结果 TP FP 精确 召回"
        ),
        Columns::Full,
    ),
    (
        tr!("score out  TP FP prec  rec", "分数  结果 TP FP 精确 召回"),
        Columns::Minimal,
    ),
];

/// How the PR chart draws the precision curve, and the glyph its legend shows.
const CURVE_MARKER: Marker = Marker::Braille;
const CURVE_GLYPH: &str = "⠒";
/// How it draws the envelope: a coarser, solid glyph than the curve's dots.
const ENVELOPE_MARKER: Marker = Marker::HalfBlock;
const ENVELOPE_GLYPH: &str = "▀";

/// Columns of the class name in the AP table.
const CLASS_COLUMNS: usize = 10;
/// The outcome column of the table.
const OUTCOME_COLUMNS: usize = 4;

#[derive(Clone, Copy)]
enum Columns {
    Full,
    Minimal,
}

fn render_table(f: &Focus, voc: bool, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let (header, columns) = TABLE_LAYOUTS
        .iter()
        .find(|(header, _)| header.get(lang).width() + 2 <= usize::from(area.width))
        .unwrap_or(&TABLE_LAYOUTS[TABLE_LAYOUTS.len() - 1]);
    let header = header.get(lang);
    buf.set_stringn(area.x, area.y, header, usize::from(area.width), theme.dim);
    let rows = usize::from(area.height.saturating_sub(1));
    let current = f.judged.saturating_sub(1);
    // Once every detection is judged, keep in view the row whose recall lands
    // exactly on a tenth the devkit's level misses (the header explains it).
    let landed = f
        .result
        .judged
        .iter()
        .position(|j| j.outcome != Outcome::Ignored && landing(f.result.recall(j)).is_some())
        .filter(|_| f.envelope && voc);
    let first = follow(f.result.judged.len(), rows, landed.unwrap_or(current));
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
        // Judged differently by the rule compared with: marked once judged.
        let differs = judged
            && f.compared
                .judged
                .get(k)
                .is_some_and(|o| o.outcome != j.outcome);
        let mark = if differs { " ≠" } else { "" };
        let iou = j.iou;
        let text = match (columns, judged) {
            (Columns::Full, true) => format!("{rank:>4} {score:.3} {iou:.2} {counts}{mark}"),
            (Columns::Full, false) => format!("{rank:>4} {score:.3}"),
            (Columns::Minimal, true) => format!("{score:.3} {counts}{mark}"),
            (Columns::Minimal, false) => format!("{score:.3}"),
        };
        let style = match (judged, k == current && f.current().is_some()) {
            (true, true) => theme.current,
            (true, false) if differs || landed == Some(k) => theme.other,
            (true, false) => outcome_style(j.outcome, theme),
            (false, _) => theme.dim,
        };
        buf.set_stringn(area.x, y, text, usize::from(area.width), style);
    }
}

/// The table's outcome column: `tp`/`fp`/`ign` in English; in Chinese TP and
/// FP in capitals, as the explanation and the header name them, beside 忽略,
/// so the column does not mix lower-case English with Chinese.
fn short_outcome(outcome: Outcome, lang: Lang) -> &'static str {
    match outcome {
        Outcome::Tp => tr!("tp", "TP").get(lang),
        Outcome::Fp => tr!("fp", "FP").get(lang),
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

/// The sample points of the method drawn and its AP, over the curve so far.
fn samples(lesson: &MapLesson, recall: &[f64], precision: &[f64]) -> (Vec<(f64, f64)>, f64) {
    let rules = lesson.rules();
    match lesson.method() {
        Method::Voc07 => (
            voc07_points(recall, precision, rules).to_vec(),
            ap_voc07(recall, precision, rules),
        ),
        Method::Coco101 => {
            let points = coco101_points(recall, precision);
            let ap = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
            (points, ap)
        }
        Method::Voc10 => {
            // The corners of the area rectangles under the envelope.
            let env = envelope(precision);
            let mut corners = Vec::new();
            let mut previous = 0.0;
            for (r, p) in recall.iter().zip(&env) {
                if *r != previous {
                    corners.push((previous, *p));
                    corners.push((*r, *p));
                    previous = *r;
                }
            }
            (corners, ap_voc10(recall, precision, rules))
        }
    }
}

/// The PR curve so far: the raw zig-zag, then the envelope and the method's
/// points. Drawn on a canvas with its labels outside the plot, so nothing
/// covers the points at precision 1 or recall 0.
fn render_curve(lesson: &MapLesson, f: &Focus, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let counted: Vec<(f64, f64)> = f.result.judged[..f.judged]
        .iter()
        .filter(|j| j.outcome != Outcome::Ignored)
        .map(|j| (f.result.recall(j), j.precision()))
        .collect();
    let (recall, precision): (Vec<f64>, Vec<f64>) = counted.iter().copied().unzip();
    let class = &f.result.class;
    let method = lesson.method().name();
    let (points, ap) = if f.area {
        let (points, ap) = samples(lesson, &recall, &precision);
        (points, Some(ap))
    } else {
        (Vec::new(), None)
    };
    // The full title, or a shorter one when the panel is narrow.
    let titles = match ap {
        Some(ap) => vec![
            said!(
                " PR curve, {class}: {method} AP = {ap:.4} ",
                " PR 曲线，{class}：{method} AP = {ap:.4} "
            ),
            said!(" {class}: AP = {ap:.4} ", " {class}：AP = {ap:.4} "),
            Said::plain(format!(" AP = {ap:.4} ")),
        ],
        None => vec![
            said!(" PR curve, {class} ", " PR 曲线，{class} "),
            Said::plain(format!(" {class} ")),
        ],
    };
    let room = usize::from(area.width.saturating_sub(2));
    let title = titles
        .iter()
        .find(|t| t.get(lang).width() <= room)
        .or(titles.last())
        .cloned()
        .unwrap_or_else(|| Said::plain(""));
    let block = panel(title.get(lang).to_string(), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width < 8 || inner.height < 5 {
        return;
    }
    let (line_style, env_style, point_style) = (theme.series[2], theme.series[3], theme.key);
    // Legend and the y label on the first row, x labels on the last, the
    // y ticks in a gutter: all outside the plot.
    // Each series named with the glyph it is drawn in (braille dots for the
    // curve, half blocks for the envelope), so they differ without colour.
    let mut legend = vec![
        Span::styled(tr!("↑ precision  ", "↑ 精确率  ").get(lang), theme.dim),
        Span::styled(
            said!("{CURVE_GLYPH} curve ", "{CURVE_GLYPH} 曲线 ")
                .get(lang)
                .to_string(),
            line_style,
        ),
    ];
    if f.envelope {
        legend.push(Span::styled(
            said!("{ENVELOPE_GLYPH} envelope ", "{ENVELOPE_GLYPH} 包络线 ")
                .get(lang)
                .to_string(),
            env_style,
        ));
    }
    match lesson.method() {
        _ if !f.area => {}
        Method::Voc07 => legend.push(Span::styled(format!("● {method}"), point_style)),
        Method::Coco101 => legend.push(Span::styled(format!("· {method}"), point_style)),
        Method::Voc10 => {}
    }
    // The legend's entries packed into as few rows as the width allows.
    let room = usize::from(inner.width);
    let mut rows: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0;
    for span in legend {
        let w = span.width();
        if used > 0 && used + w > room {
            rows.push(Vec::new());
            used = 0;
        }
        used += w;
        if let Some(row) = rows.last_mut() {
            row.push(span);
        }
    }
    let [top, middle, axis, bottom] = Layout::vertical([
        Constraint::Length(rows.len() as u16),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    Paragraph::new(rows.into_iter().map(Line::from).collect::<Vec<_>>()).render(top, buf);
    let [gutter, plot] =
        Layout::horizontal([Constraint::Length(2), Constraint::Fill(1)]).areas(middle);
    for y in gutter.top()..gutter.bottom() {
        buf.set_string(gutter.x + 1, y, "│", theme.dim);
    }
    buf.set_string(gutter.x, gutter.y, "1", theme.dim);
    buf.set_string(gutter.x, gutter.bottom().saturating_sub(1), "0", theme.dim);
    buf.set_string(axis.x + 1, axis.y, "└", theme.dim);
    buf.set_string(
        plot.x,
        axis.y,
        "─".repeat(usize::from(plot.width)),
        theme.dim,
    );
    let recall_word = tr!("recall →", "召回率 →").get(lang);
    let x_labels = format!(
        "0{}1",
        pad_left(
            &format!("{recall_word}{}", " ".repeat(usize::from(plot.width) / 3)),
            usize::from(plot.width.saturating_sub(2)),
        )
    );
    buf.set_stringn(
        plot.x,
        bottom.y,
        x_labels,
        usize::from(plot.width),
        theme.dim,
    );
    let env = if f.envelope {
        envelope(&precision)
    } else {
        Vec::new()
    };
    let big_points = lesson.method() != Method::Coco101;
    let draw = |ctx: &mut Context| {
        // The curve from (0, its first precision) on, point to point.
        let mut previous: Option<(f64, f64)> = None;
        for &(r, p) in &counted {
            if let Some((r0, p0)) = previous {
                ctx.draw(&Segment::new(
                    r0,
                    p0,
                    r,
                    p,
                    line_style.fg.unwrap_or_default(),
                ));
            }
            previous = Some((r, p));
        }
        if counted.len() == 1 {
            ctx.draw(&Points {
                coords: &counted,
                color: line_style.fg.unwrap_or_default(),
            });
        }
        // The envelope as steps: flat along each run, down at each drop. In
        // half blocks over the braille curve, so the two read apart (where
        // they coincide the envelope is the one seen; the curve shows in
        // its dips below it).
        ctx.marker(ENVELOPE_MARKER);
        let mut from: Option<(f64, f64)> = None;
        for (&r, &p) in recall.iter().zip(&env) {
            let (r0, p0) = from.unwrap_or((0.0, p));
            let colour = env_style.fg.unwrap_or_default();
            ctx.draw(&Segment::new(r0, p0, r0, p, colour));
            ctx.draw(&Segment::new(r0, p, r, p, colour));
            from = Some((r, p));
        }
        // The method's points above both, back in fine braille dots.
        ctx.marker(CURVE_MARKER);
        if big_points {
            for &(r, p) in &points {
                ctx.print(r, p, Span::styled("●", point_style));
            }
        } else {
            ctx.draw(&Points {
                coords: &points,
                color: point_style.fg.unwrap_or_default(),
            });
        }
    };
    Canvas::default()
        .marker(CURVE_MARKER)
        .x_bounds([0.0, 1.0])
        .y_bounds([0.0, 1.0])
        .paint(draw)
        .render(plot, buf);
}

fn ap_lines(lesson: &MapLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let other = lesson.rules().other();
    // Both rule sets' VOC07 side by side, when they differ anywhere.
    let side_by_side = lesson
        .rows()
        .iter()
        .any(|r| r.positives > 0 && aps_differ(r.aps.voc07, r.aps_other.voc07));
    let mine = lesson.rules();
    // Wide: named headers; narrow (a small page): short ones in tighter cells.
    let wide = usize::from(width) >= WIDE_AP_TABLE;
    let (class_columns, cell) = if wide {
        (CLASS_COLUMNS, AP_COLUMNS)
    } else {
        (NARROW_CLASS_COLUMNS, NARROW_AP_COLUMNS)
    };
    // "voc07/devkit" when wide, "07 devk" when narrow.
    let voc07 = |rules: Rules| {
        if wide {
            format!("voc07/{}", rules.name())
        } else {
            format!("07 {}", rules.name().get(..NARROW_NAME).unwrap_or(""))
        }
    };
    let mut names = vec![if side_by_side {
        voc07(mine)
    } else {
        "voc07".to_string()
    }];
    if side_by_side {
        names.push(voc07(other));
    }
    names.extend(["voc10", "coco101", "coco"].map(String::from));
    let widths: Vec<usize> = names.iter().map(|n| n.width().max(cell)).collect();
    // One row of the table: the name and the positives aligned by display
    // columns (a class, or the header, may be Chinese), then the APs.
    let row = |name: &str, positives: &str, aps: Vec<String>| {
        let cells: String = aps
            .iter()
            .zip(&widths)
            .map(|(a, w)| pad_left(a, *w))
            .collect::<Vec<_>>()
            .join(" ");
        format!(
            "{} {} {cells}",
            fit(name, class_columns),
            pad_left(positives, POSITIVES_COLUMNS),
        )
    };
    let value = |ap: f64| format!("{ap:.4}");
    let pick = |aps: [f64; 5]| -> Vec<String> {
        let mut out = vec![value(aps[0])];
        if side_by_side {
            out.push(value(aps[4]));
        }
        out.extend(aps[1..4].iter().map(|&a| value(a)));
        out
    };
    let mut lines = vec![Line::styled(
        row(
            if wide { "AP @ IoU" } else { "AP" },
            tr!("pos", "正例").get(lang),
            names,
        ),
        theme.dim,
    )];
    let mut excluded = Vec::new();
    for r in lesson.rows() {
        if r.positives == 0 {
            excluded.push(r.class.clone());
            continue;
        }
        let differs = aps_differ(r.aps.voc07, r.aps_other.voc07);
        lines.push(Line::styled(
            row(
                &r.class,
                &r.positives.to_string(),
                pick([
                    r.aps.voc07,
                    r.aps.voc10,
                    r.aps.coco101,
                    r.aps.coco,
                    r.aps_other.voc07,
                ]),
            ),
            if differs { theme.other } else { theme.text },
        ));
    }
    lines.push(Line::styled(
        row(
            "mAP",
            "",
            pick([
                lesson.map_of(|r| r.aps.voc07),
                lesson.map_of(|r| r.aps.voc10),
                lesson.map_of(|r| r.aps.coco101),
                lesson.map_of(|r| r.aps.coco),
                lesson.map_of(|r| r.aps_other.voc07),
            ]),
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
        assert_eq!(fit("a-very-long-name", CLASS_COLUMNS), "a-very-lon");
        // Five wide characters fill ten columns; a sixth would not fit.
        assert_eq!(fit("自行车与行人和狗", CLASS_COLUMNS), "自行车与行");
        assert_eq!(fit("自行车", CLASS_COLUMNS).width(), CLASS_COLUMNS);
        assert_eq!(pad_left("正例", POSITIVES_COLUMNS), "正例");
        assert_eq!(pad_left("13", POSITIVES_COLUMNS), "  13");
    }

    #[test]
    fn recall_on_a_tenth_lands_below_the_devkits_level() {
        assert_eq!(landing(3.0 / 10.0).map(|l| l.0), Some(0.3));
        assert_eq!(landing(6.0 / 20.0).map(|l| l.0), Some(0.3));
        assert_eq!(landing(0.5), None);
        assert_eq!(landing(0.35), None);
    }
}
