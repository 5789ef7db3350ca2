//! Drawing the precision lesson: the studied number in three formats (bits by
//! field, value, error, ULP), the double-rounding trap, the formats' limits,
//! the FP16 neighbourhood; then training: loss per mode, the loss scale's
//! history, and gradient magnitudes against FP16's ranges before and after
//! scaling. All on one page from 120×36; on two below that.

use crate::i18n::{Lang, Tr};
use crate::lesson::Choice;
use crate::theme::Look;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::formats::{BF16, Class, FP16, FP32, Format, bf16_double_rounded, fp16_double_rounded};
use super::training::{Mode, Run, SAMPLES};
use super::{PrecisionLesson, scale_text};
use crate::lesson::Lesson;
use crate::lesson::param::format_float;
use crate::theme::Theme;
use crate::widgets::chart::{self, Series, thin};
use crate::widgets::words::{flow_lines, owned_line, wrapped_lines};
use crate::widgets::{legend, pad, panel, pseudocode};
use crate::{said, tr};

/// The size from which every panel fits on one page: 120×36's lesson area.
const FULL_WIDTH: u16 = 80;
const FULL_HEIGHT: u16 = 30;
/// Histogram range, in powers of two: from below FP16's flush-to-zero line
/// to above its overflow line, where this model's gradients live.
const LOG2_LOW: i32 = -32;
const LOG2_HIGH: i32 = 17;
/// FP16: smallest normal and smallest subnormal, as powers of two, and the
/// power of two from which values overflow (65520 and up round to inf).
const FP16_MIN_NORMAL_LOG2: i32 = -14;
const FP16_MIN_SUBNORMAL_LOG2: i32 = -24;
const FP16_OVERFLOW_LOG2: i32 = 16;
/// Columns of the limits table: the row label, then one per format.
const LIMIT_LABEL_COLUMN: usize = 11;
const LIMIT_COLUMN: usize = 10;
/// Width of the limits block beside the bits (the table is 40 wide).
const LIMITS_WIDTH: u16 = 40;
/// Columns of the counters table.
const MODE_COLUMN: usize = 12;
const LOSS_COLUMN: usize = 9;
const COUNT_COLUMN: usize = 9;
/// Below this width the counters leave out the skipped steps (the scale
/// chart's legend counts them).
const COUNTERS_FULL_WIDTH: u16 = 60;
/// Rows of the histogram panel: border, two bar rows, the axis and the key.
const HISTOGRAM_HEIGHT: u16 = 6;
/// Columns an axis label needs before the next may start.
const AXIS_LABEL_GAP: i32 = 6;
/// Label width in front of the histogram's bars.
const BAR_LABEL: u16 = 7;

fn mode_style(mode: Mode, theme: &Theme) -> Style {
    match mode {
        Mode::Fp32 => theme.text,
        Mode::Fp16 => theme.series[1],
        Mode::Fp16Master => theme.series[0],
        Mode::Amp => theme.series[2],
        Mode::Bf16 => theme.series[3],
    }
}

/// Pages below the full size: the numbers, training, loss scaling.
const SMALL_PAGES: usize = 3;

/// One page when everything fits; otherwise the numbers, training, scaling.
pub fn pages(area: Rect) -> usize {
    if area.width >= FULL_WIDTH && area.height >= FULL_HEIGHT {
        1
    } else {
        SMALL_PAGES
    }
}

pub fn render(lesson: &PrecisionLesson, page: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
    if pages(area) == 1 {
        render_full(lesson, area, buf, theme);
        return;
    }
    match page % SMALL_PAGES {
        0 => render_numbers(lesson, area, buf, theme),
        1 => render_training(lesson, area, buf, theme),
        _ => render_scaling(lesson, area, buf, theme),
    }
}

/// Everything at once: the bits and limits on top, then the loss and the
/// scale, the gradient histogram and each mode's counters.
fn render_full(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let explorer = explorer_lines(lesson, area.width.saturating_sub(LIMITS_WIDTH + 1), theme);
    let mut limits = limit_lines(theme);
    limits.extend(rounding_note(lesson, LIMITS_WIDTH, theme));
    let counters = counter_lines(lesson, area.width, theme);
    let top_height = explorer.len().max(limits.len()) as u16;
    let [top, charts, hist, bottom] = Layout::vertical([
        Constraint::Length(top_height),
        Constraint::Fill(1),
        Constraint::Length(HISTOGRAM_HEIGHT),
        Constraint::Length(counters.len() as u16),
    ])
    .areas(area);
    let [bits, limits_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(LIMITS_WIDTH)]).areas(top);
    Paragraph::new(explorer).render(bits, buf);
    Paragraph::new(limits).render(limits_area, buf);
    let [loss, scale] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(charts);
    render_loss(lesson, loss, buf, theme);
    render_scale(lesson, scale, buf, theme);
    render_histograms(lesson, hist, buf, theme);
    Paragraph::new(counters).render(bottom, buf);
}

/// Page 1 of a small screen: the studied number, the formats' limits and
/// the FP16 values around it.
fn render_numbers(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let mut lines = explorer_lines(lesson, area.width, theme);
    lines.extend(rounding_note(lesson, area.width, theme));
    lines.extend(limit_lines(theme));
    let [top, rest] =
        Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Fill(1)]).areas(area);
    Paragraph::new(lines).render(top, buf);
    render_neighbours(lesson.studied(), rest, buf, theme);
}

/// Page 2 of a small screen: the loss, the gradient histogram, the counters.
fn render_training(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let counters = counter_lines(lesson, area.width, theme);
    let [loss, hist, bottom] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(HISTOGRAM_HEIGHT),
        Constraint::Length(counters.len() as u16),
    ])
    .areas(area);
    render_loss(lesson, loss, buf, theme);
    render_histograms(lesson, hist, buf, theme);
    Paragraph::new(counters).render(bottom, buf);
}

/// Page 3 of a small screen: the loss scale's history and GradScaler's step.
fn render_scaling(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let code_height = lesson.pseudocode(theme.lang).len() as u16 + 2;
    let [scale, code] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(code_height)]).areas(area);
    render_scale(lesson, scale, buf, theme);
    let title = tr!(" GradScaler step (amp) ", " GradScaler 的一步（amp） ");
    pseudocode::render_lesson(title.get(theme.lang), lesson, code, buf, theme);
}

/// Bits of `bits` in `format`, coloured by field.
fn bit_spans(format: &Format, bits: u32, theme: &Theme) -> Vec<Span<'static>> {
    let (sign, exp, man) = format.fields(bits);
    vec![
        Span::styled(sign, theme.other),
        Span::raw(" "),
        Span::styled(exp, theme.key),
        Span::raw(" "),
        Span::styled(man, theme.good),
    ]
}

/// A number's class, as the explorer names it.
fn class_name(class: Class, lang: Lang) -> &'static str {
    let name = match class {
        Class::Zero => tr!("zero", "零"),
        Class::Subnormal => tr!("subnormal", "次正规数"),
        Class::Normal => tr!("normal", "正规数"),
        // Written the same in both languages.
        Class::Infinite | Class::Nan => return class.name(),
    };
    name.get(lang)
}

/// `lines` wrapped to `width`: the English at spaces, as it always was; the
/// Chinese also between two Chinese characters, which have no space between
/// them to break at.
fn flowed(lines: &[Line<'_>], width: u16, lang: Lang) -> Vec<Line<'static>> {
    match lang {
        Lang::En => flow_lines(lines, usize::from(width))
            .iter()
            .map(owned_line)
            .collect(),
        Lang::Zh => wrapped_lines(lines, width),
    }
}

/// The studied number in each format: its bits by field, then its hex,
/// value and class, then the rounding error and the spacing there.
fn explorer_lines(lesson: &PrecisionLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let x = lesson.studied();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("x = {}", format_float(x)), theme.title),
        Span::styled(
            tr!(
                "   bits: sign exponent significand",
                "   比特：符号 指数 尾数"
            )
            .get(lang),
            theme.dim,
        ),
    ])];
    for format in [FP32, FP16, BF16] {
        let bits = format.encode(x);
        let value = format.decode(bits);
        let error = value - x;
        let relative = if x == 0.0 || !error.is_finite() {
            0.0
        } else {
            error / x
        };
        let mut spans = vec![Span::styled(format!("{:<5}", format.name), theme.title)];
        spans.extend(bit_spans(&format, bits, theme));
        lines.extend(flowed(&[Line::from(spans)], width, lang));
        let value = format_float(value);
        let class = format.class(bits);
        let (class_en, class_zh) = (class_name(class, Lang::En), class_name(class, Lang::Zh));
        let hex = format.hex(bits);
        let described = Line::styled(
            said!(
                " {hex} = {value} ({class_en})",
                " {hex} = {value}（{class_zh}）"
            )
            .get(lang)
            .to_string(),
            theme.text,
        );
        // A long value does not fit a narrow pane: wrapped, not cut.
        lines.extend(flowed(&[described], width, lang));
        let (error, relative) = (short_sci(error), short_sci(relative));
        // The spacing is a power of two: said as one.
        let ulp = format.ulp(bits).log2();
        let measured = Line::styled(
            said!(
                " error {error} · rel {relative} · ulp 2^{ulp}",
                " 误差 {error} · 相对 {relative} · ulp 2^{ulp}"
            )
            .get(lang)
            .to_string(),
            theme.dim,
        );
        lines.extend(flowed(&[measured], width, lang));
    }
    lines
}

/// Whether rounding by way of f32 gets the studied value wrong, flowed to `width`.
fn rounding_note(lesson: &PrecisionLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let x = lesson.studied();
    let twice16 = fp16_double_rounded(x);
    let once16 = FP16.encode(x);
    let twice_bf = bf16_double_rounded(x);
    let once_bf = BF16.encode(x);
    let note = if twice16 != once16 || twice_bf != once_bf {
        let (fp16_twice, bf16_twice) = (FP16.hex(twice16), BF16.hex(twice_bf));
        let (fp16_once, bf16_once) = (FP16.hex(once16), BF16.hex(once_bf));
        Line::styled(
            said!(
                "via f32 (PyTorch's f64 casts, half's f64 paths): FP16 {fp16_twice} BF16 \
                 {bf16_twice} — rounded twice, wrong; once: {fp16_once} {bf16_once}",
                "经 f32 中转（PyTorch 的 f64 转换、half 库的 f64 路径）：FP16 {fp16_twice} \
                 BF16 {bf16_twice} —— 两次舍入，结果错误；一次舍入：{fp16_once} {bf16_once}"
            )
            .get(lang)
            .to_string(),
            theme.error,
        )
    } else {
        Line::styled(
            tr!(
                "via f32 (rounded twice) gives the same here; try 1.0004882812509095",
                "经 f32 中转（两次舍入）在这里结果相同；试试 1.0004882812509095"
            )
            .get(lang),
            theme.dim,
        )
    };
    flowed(&[note], width, lang)
}

/// One of a format's limits, read off the format.
type Limit = fn(&Format) -> f64;

/// The formats' limits, one column per format: largest finite value,
/// smallest normal, smallest subnormal, epsilon.
fn limit_lines(theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let formats = [FP32, FP16, BF16];
    let header = std::iter::once(pad("", LIMIT_LABEL_COLUMN))
        .chain(formats.iter().map(|f| pad(f.name, LIMIT_COLUMN)))
        .collect::<String>();
    let mut lines = vec![Line::styled(header.trim_end().to_string(), theme.dim)];
    let rows: [(Tr, Limit); 4] = [
        (tr!("max", "最大值"), Format::max),
        (tr!("min normal", "最小正规数"), Format::min_normal),
        (tr!("min subn.", "最小次正规"), Format::min_subnormal),
        (tr!("epsilon", "机器 ε"), Format::epsilon),
    ];
    for (label, limit) in rows {
        let mut spans = vec![Span::styled(
            pad(label.get(lang), LIMIT_LABEL_COLUMN),
            theme.dim,
        )];
        spans.extend(formats.iter().map(|format| {
            let style = if *format == FP16 {
                theme.title
            } else {
                theme.text
            };
            Span::styled(pad(&limit_text(limit(format)), LIMIT_COLUMN), style)
        }));
        lines.push(Line::from(spans));
    }
    lines
}

/// Three significant digits in exponent form, for errors beside the exact values.
fn short_sci(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format_float(x);
    }
    format!("{x:.2e}")
}

/// FP16 values listed each side of x.
const NEIGHBOURS: i64 = 3;

/// Whole numbers below this print in full.
const WHOLE_LIMIT: f64 = 1e6;

/// A limit: a whole number below a million in full (FP16's 65504 exactly),
/// anything else to four significant digits.
fn limit_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < WHOLE_LIMIT {
        format!("{x:.0}")
    } else {
        sci(x)
    }
}

/// Four significant digits in exponent form: `6.104e-5`; exact zero and
/// non-finite values by name.
fn sci(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format_float(x);
    }
    format!("{x:.3e}")
}

/// FP16 values around x on a line: the spacing is what the ULP means.
fn render_neighbours(x: f64, area: Rect, buf: &mut Buffer, theme: &Look) {
    if area.height < 3 || x.is_nan() {
        return;
    }
    let title = tr!(" FP16 values around x ", " x 附近的 FP16 值 ");
    let block = panel(title.get(theme.lang), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    // As many neighbours as there are rows, up to three each side, x in the middle.
    let below = i64::from(inner.height.saturating_sub(1) / 2).min(NEIGHBOURS);
    for (y, k) in (inner.y..inner.bottom()).zip(-below..=NEIGHBOURS) {
        let v = FP16.step(x, k);
        let gap = FP16.step(x, k + 1) - v;
        let style = if k == 0 { theme.current } else { theme.text };
        let (v, gap) = (format_float(v), sci(gap));
        let text = said!(
            "{k:>3} {v:<24} next one {gap} up",
            "{k:>3} {v:<24} 向上间距 {gap}"
        );
        let text = text.get(theme.lang);
        buf.set_stringn(inner.x, y, text, usize::from(inner.width), style);
    }
}

/// Each mode's counters as a table under one header line: the loss to four
/// significant digits, the per-sample gradients the last step flushed to
/// zero, the weight updates it lost, the steps skipped, and the loss scale.
fn counter_lines(lesson: &PrecisionLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let model = lesson.model();
    let with_skipped = width >= COUNTERS_FULL_WIDTH;
    // Padded by display columns: the Chinese headings are wide characters.
    let mut header = vec![
        pad(tr!("mode", "模式").get(lang), MODE_COLUMN),
        pad(tr!("loss", "损失").get(lang), LOSS_COLUMN),
        pad(tr!("flushed", "清零").get(lang), COUNT_COLUMN),
        pad(tr!("absorbed", "被吞").get(lang), COUNT_COLUMN),
    ];
    if with_skipped {
        header.push(pad(tr!("skipped", "跳过").get(lang), COUNT_COLUMN));
    }
    header.push(tr!("scale", "缩放值").get(lang).to_string());
    let header = Line::styled(header.concat(), theme.dim);
    let rows = model.runs.iter().map(|run: &Run| {
        let scale = run.scaler.map_or(String::new(), |s| scale_text(s.scale));
        let flushed = format!("{}/{}", run.flushed, SAMPLES);
        let skipped = if with_skipped {
            format!("{:<COUNT_COLUMN$}", run.skipped)
        } else {
            String::new()
        };
        Line::styled(
            format!(
                "{:<MODE_COLUMN$}{:<LOSS_COLUMN$}{:<COUNT_COLUMN$}{:<COUNT_COLUMN$}{skipped}{scale}",
                run.mode.name(),
                sci(model.mse(&run.weights)),
                flushed,
                run.absorbed,
            ),
            mode_style(run.mode, theme),
        )
    });
    std::iter::once(header).chain(rows).collect()
}

fn render_loss(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    let history = lesson.history();
    let series: Vec<Series> = model
        .runs
        .iter()
        .enumerate()
        .map(|(at, run)| {
            let points: Vec<(f64, f64)> = history
                .iter()
                .filter_map(|(step, samples)| samples.get(at).map(|s| (step as f64, s.loss)))
                .collect();
            Series::line(
                run.mode.name().to_string(),
                mode_style(run.mode, theme),
                thin(&points, usize::from(area.width) * 2),
            )
        })
        .collect();
    let lang = theme.lang;
    chart::render(
        tr!("loss (MSE, log)", "对数 MSE 损失").get(lang),
        tr!("loss", "损失").get(lang),
        &series,
        true,
        area,
        buf,
        theme,
    );
}

fn render_scale(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let model = lesson.model();
    let Some(at) = model.runs.iter().position(|r| r.mode == Mode::Amp) else {
        return;
    };
    let history = lesson.history();
    let points: Vec<(f64, f64)> = history
        .iter()
        .filter_map(|(step, samples)| samples.get(at).map(|s| (step as f64, f64::from(s.scale))))
        .collect();
    let skipped = model.runs[at].skipped;
    let marks: Vec<(f64, f64)> = history
        .iter()
        .filter_map(|(step, samples)| {
            samples
                .get(at)
                .filter(|s| s.skipped)
                .map(|s| (step as f64, f64::from(s.scale)))
        })
        .collect();
    let series = vec![
        Series::line(
            tr!("amp scale", "amp 缩放值").get(lang),
            mode_style(Mode::Amp, theme),
            thin(&points, usize::from(area.width) * 2),
        ),
        Series {
            name: said!("skipped steps ({skipped})", "跳过的步（{skipped}）")
                .get(lang)
                .to_string(),
            style: theme.error,
            points: marks,
            scatter: true,
        },
    ];
    let now = model.runs[at]
        .scaler
        .map_or(String::new(), |s| scale_text(s.scale));
    chart::render(
        said!(
            "loss scale (log) · now {now}",
            "损失缩放（对数）· 当前 {now}"
        )
        .get(lang),
        tr!("scale", "缩放值").get(lang),
        &series,
        true,
        area,
        buf,
        theme,
    );
}

/// The per-sample gradients dL/dp by power of two, against FP16's
/// flush-to-zero, subnormal, normal and overflow ranges: as they are (what
/// fp16 without scaling must hold), then times amp's loss scale.
fn render_histograms(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let model = lesson.model();
    let Some(run) = model
        .runs
        .iter()
        .find(|r| r.mode == Mode::Amp)
        .or(model.runs.first())
    else {
        return;
    };
    let terms = model.output_gradients(&run.weights);
    let scale = run.scaler.map_or(1.0, |s| s.scale);
    let title = tr!(
        " |dL/dp| per sample, by power of two, against FP16's ranges ",
        " 逐样本 |dL/dp|，按 2 的幂分桶，对照 FP16 的范围 "
    );
    let block = panel(title.get(lang), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 4 {
        return;
    }
    let [before, after, axis, key] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    // A narrow panel drops powers from the low end, where everything is
    // flushed anyway: the lowest bin then holds all that lies below it.
    let room = i32::from(inner.width.saturating_sub(BAR_LABEL));
    let low = LOG2_LOW.max(LOG2_HIGH + 1 - room);
    let raw = tr!("raw", "原始").get(lang);
    bars(&terms, 1.0, low, raw, before, buf, theme);
    let scaled = tr!("×scale", "×缩放").get(lang);
    bars(&terms, scale, low, scaled, after, buf, theme);
    // The axis names the range's low end and FP16's three boundaries.
    for power in [
        low,
        FP16_MIN_SUBNORMAL_LOG2,
        FP16_MIN_NORMAL_LOG2,
        FP16_OVERFLOW_LOG2,
    ] {
        if power < low || (power > low && power - low < AXIS_LABEL_GAP) {
            continue;
        }
        let x = axis.x + BAR_LABEL + (power - low) as u16;
        let label = format!("2^{power}");
        // A label that would be cut is left out rather than misread.
        if x + label.len() as u16 <= axis.right() {
            buf.set_string(x, axis.y, label, theme.dim);
        }
    }
    legend(
        &[
            ("▇", theme.error, tr!("to 0 / inf", "变 0 / inf").get(lang)),
            ("▇", theme.other, class_name(Class::Subnormal, lang)),
            ("▇", theme.good, class_name(Class::Normal, lang)),
        ],
        theme.dim,
    )
    .render(key, buf);
}

const BAR_GLYPHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// One row of bars: powers of two from `low` to LOG2_HIGH, one column each.
fn bars(
    terms: &[f32],
    scale: f32,
    low: i32,
    label: &str,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let bins = (LOG2_HIGH - low + 1).max(1) as usize;
    let mut counts = vec![0u32; bins];
    for &t in terms {
        let m = f64::from(t.abs()) * f64::from(scale);
        if m == 0.0 || !m.is_finite() {
            continue;
        }
        let bin = (m.log2().floor() as i32).clamp(low, LOG2_HIGH) - low;
        counts[bin as usize] += 1;
    }
    let peak = counts.iter().copied().max().unwrap_or(0).max(1);
    buf.set_stringn(area.x, area.y, label, usize::from(BAR_LABEL - 1), theme.dim);
    let height = u32::from(area.height);
    for (bin, &count) in counts.iter().enumerate() {
        let x = area.x + BAR_LABEL + bin as u16;
        if x >= area.right() {
            break;
        }
        let power = low + bin as i32;
        let style = if !(FP16_MIN_SUBNORMAL_LOG2..FP16_OVERFLOW_LOG2).contains(&power) {
            theme.error
        } else if power < FP16_MIN_NORMAL_LOG2 {
            theme.other
        } else {
            theme.good
        };
        // Eighths of a row, filled from the bottom.
        let mut eighths = (count * height * 8).div_ceil(peak);
        for row in (0..area.height).rev() {
            let glyph = BAR_GLYPHS[eighths.min(8) as usize];
            eighths = eighths.saturating_sub(8);
            buf.set_string(x, area.y + row, glyph, style);
        }
    }
}
