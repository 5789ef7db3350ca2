//! Drawing the precision lesson: the studied number in three formats (bits by
//! field, value, error, ULP), the double-rounding trap, landmarks, the FP16
//! neighbourhood; then training: loss per mode, the loss scale, and gradient
//! magnitudes against FP16's ranges before and after scaling.

use crate::i18n::Lang;
use crate::lesson::Choice;
use crate::theme::Look;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::PrecisionLesson;
use super::formats::{BF16, Class, FP16, FP32, Format, bf16_double_rounded, fp16_double_rounded};
use super::training::{Mode, Run};
use crate::lesson::Lesson;
use crate::lesson::param::format_float;
use crate::theme::Theme;
use crate::widgets::chart::{self, Series, short_number, thin};
use crate::widgets::words::{flow_lines, owned_line};
use crate::widgets::wrap::{Run as WrapRun, wrap_runs};
use crate::widgets::{legend, pad, panel, pseudocode};
use crate::{said, tr};
use unicode_width::UnicodeWidthStr;

/// Lesson width from which explorer and training sit side by side.
const WIDE: u16 = 110;
/// Histogram range, in powers of two.
const LOG2_LOW: i32 = -40;
const LOG2_HIGH: i32 = 2;
/// FP16: smallest normal and smallest subnormal, as powers of two.
const FP16_MIN_NORMAL_LOG2: i32 = -14;
const FP16_MIN_SUBNORMAL_LOG2: i32 = -24;
/// Columns of the landmarks table (format, max, min normal, min subnormal).
const FORMAT_COLUMN: usize = 7;
const MAX_COLUMN: usize = 10;
const MIN_NORMAL_COLUMN: usize = 11;
const MIN_SUBNORMAL_COLUMN: usize = 14;
/// Columns of the counters table: the mode, loss and skipped count, and the
/// underflow share (its number, then `%`).
const MODE_COLUMN: usize = 11;
const NUMBER_COLUMN: usize = 8;
const PERCENT_COLUMN: usize = 8;
const UNDERFLOW_COLUMN: usize = PERCENT_COLUMN + 1;

fn mode_style(mode: Mode, theme: &Theme) -> Style {
    match mode {
        Mode::Fp32 => theme.text,
        Mode::Fp16 => theme.series[1],
        Mode::Fp16Master => theme.series[0],
        Mode::Amp => theme.series[2],
        Mode::Bf16 => theme.series[3],
    }
}

pub fn render(lesson: &PrecisionLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    if area.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(area);
        let explorer = explorer_lines(lesson, true, left.width, theme);
        let [top, line_area] = Layout::vertical([
            Constraint::Length(explorer.len() as u16),
            Constraint::Fill(1),
        ])
        .areas(left);
        Paragraph::new(explorer).render(top, buf);
        render_neighbours(lesson.studied(), line_area, buf, theme);
        let code_height = lesson.pseudocode(theme.lang).len() as u16 + 2;
        let [loss, scale, hist, code] = Layout::vertical([
            Constraint::Fill(2),
            Constraint::Fill(1),
            Constraint::Length(8),
            Constraint::Length(code_height),
        ])
        .areas(right);
        render_loss(lesson, loss, buf, theme);
        render_scale(lesson, scale, buf, theme);
        render_histograms(lesson, hist, buf, theme);
        let title = tr!(" GradScaler step (amp) ", " GradScaler 的一步（amp） ");
        pseudocode::render_lesson(title.get(theme.lang), lesson, code, buf, theme);
    } else {
        let explorer = explorer_lines(lesson, false, area.width, theme);
        let counters = counter_lines(lesson, theme);
        let [top, loss, bottom] = Layout::vertical([
            Constraint::Length(explorer.len() as u16),
            Constraint::Fill(1),
            Constraint::Length(counters.len() as u16),
        ])
        .areas(area);
        Paragraph::new(explorer).render(top, buf);
        render_loss(lesson, loss, buf, theme);
        Paragraph::new(counters).render(bottom, buf);
    }
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
    let width = usize::from(width);
    match lang {
        Lang::En => flow_lines(lines, width).iter().map(owned_line).collect(),
        Lang::Zh => lines
            .iter()
            .flat_map(|line| {
                let runs: Vec<WrapRun<'_, Style>> = line
                    .spans
                    .iter()
                    .map(|span| WrapRun {
                        text: &span.content,
                        tag: line.style.patch(span.style),
                        glued: false,
                    })
                    .collect();
                wrap_runs(&runs, width)
            })
            .map(|pieces| {
                Line::from(
                    pieces
                        .into_iter()
                        .map(|(text, style)| Span::styled(text, style))
                        .collect::<Vec<_>>(),
                )
            })
            .collect(),
    }
}

/// The studied number in each format, the double-rounding check (flowed to
/// `width`), and with `full` the formats' landmarks.
fn explorer_lines(
    lesson: &PrecisionLesson,
    full: bool,
    width: u16,
    theme: &Look,
) -> Vec<Line<'static>> {
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
        let relative = if x == 0.0 { 0.0 } else { error / x };
        let mut spans = vec![Span::styled(format!("{:<5}", format.name), theme.title)];
        if full {
            spans.extend(bit_spans(&format, bits, theme));
            spans.push(Span::styled(format!(" {}", format.hex(bits)), theme.dim));
        } else {
            spans.push(Span::styled(format.hex(bits), theme.dim));
        }
        let value = format_float(value);
        let class = format.class(bits);
        let (class_en, class_zh) = (class_name(class, Lang::En), class_name(class, Lang::Zh));
        spans.push(Span::styled(
            said!(" = {value} ({class_en})", " = {value}（{class_zh}）")
                .get(lang)
                .to_string(),
            theme.text,
        ));
        // Bits, hex and value do not all fit a narrow pane: wrapped, not cut.
        lines.extend(flowed(&[Line::from(spans)], width, lang));
        let (error, relative, ulp) = (sci(error), sci(relative), sci(format.ulp(bits)));
        lines.push(Line::styled(
            said!(
                "      error {error} (rel {relative}) · ulp {ulp}",
                "      误差 {error}（相对 {relative}）· ulp {ulp}"
            )
            .get(lang)
            .to_string(),
            theme.dim,
        ));
    }
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
    lines.extend(flowed(&[note], width, lang));
    if full {
        lines.push(Line::raw(""));
        // Padded by display columns: the Chinese headings are wide characters.
        let heading = [
            (tr!("format", "格式"), FORMAT_COLUMN),
            (tr!("max", "最大值"), MAX_COLUMN),
            (tr!("min normal", "最小正规数"), MIN_NORMAL_COLUMN),
            (tr!("min subnormal", "最小次正规数"), MIN_SUBNORMAL_COLUMN),
        ]
        .iter()
        .map(|(name, width)| pad(name.get(lang), *width))
        .chain(std::iter::once(
            tr!("epsilon", "机器 ε").get(lang).to_string(),
        ))
        .collect::<Vec<_>>()
        .join(" ");
        lines.push(Line::styled(heading, theme.dim));
        for format in [FP32, FP16, BF16] {
            lines.push(Line::styled(
                format!(
                    "{:<FORMAT_COLUMN$} {:<MAX_COLUMN$} {:<MIN_NORMAL_COLUMN$} \
                     {:<MIN_SUBNORMAL_COLUMN$} {}",
                    format.name,
                    sci(format.max()),
                    sci(format.min_normal()),
                    sci(format.min_subnormal()),
                    sci(format.epsilon())
                ),
                theme.text,
            ));
        }
        lines.push(Line::raw(""));
        lines.extend(counter_lines(lesson, theme));
        let how = Line::styled(
            tr!(
                "FP16/BF16 emulated: each op's f32 result rounded to the format; \
                 sums over samples accumulate in f32, as real kernels' reductions do",
                "FP16/BF16 为模拟：每个运算的 f32 结果都舍入到该格式；\
                 对样本的求和在 f32 中累加，与真实内核的归约一样"
            )
            .get(lang),
            theme.dim,
        );
        lines.extend(flowed(&[how], width, lang));
    }
    lines
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
    for (y, k) in (inner.y..inner.bottom()).zip(-3i64..=3) {
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

/// Each mode's counters as a table under one header line.
fn counter_lines(lesson: &PrecisionLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let model = lesson.model();
    // Padded by display columns: the Chinese headings are wide characters.
    let underflow = tr!("underflow", "下溢").get(lang);
    let header = Line::styled(
        format!(
            "{} {} {} {}{underflow}  {}",
            pad(tr!("mode", "模式").get(lang), MODE_COLUMN),
            pad(tr!("loss", "损失").get(lang), NUMBER_COLUMN),
            pad(tr!("skipped", "跳过").get(lang), NUMBER_COLUMN),
            " ".repeat(UNDERFLOW_COLUMN.saturating_sub(underflow.width())),
            tr!("scale", "缩放值").get(lang),
        ),
        theme.dim,
    );
    let rows = model.runs.iter().map(|run: &Run| {
        let scale = run
            .scaler
            .map_or(String::new(), |s| short_number(f64::from(s.scale)));
        Line::styled(
            format!(
                "{:<MODE_COLUMN$} {:<NUMBER_COLUMN$} {:<NUMBER_COLUMN$} {:>PERCENT_COLUMN$.1}%  {scale}",
                run.mode.name(),
                short_number(model.mse(&run.weights)),
                run.skipped,
                100.0 * run.underflow_frac
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
    chart::render(
        tr!("loss scale (log)", "损失缩放（对数）").get(lang),
        tr!("scale", "缩放值").get(lang),
        &series,
        true,
        area,
        buf,
        theme,
    );
}

/// Gradient magnitudes by power of two, against FP16's normal, subnormal and
/// flush-to-zero ranges: the amp run's terms as computed, then times the scale.
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
    let terms = model.gradient_terms(&run.weights);
    let scale = run.scaler.map_or(1.0, |s| s.scale);
    let title = tr!(
        " |gradient| by power of two vs FP16 ",
        " 按 2 的幂分布的 |梯度|，对照 FP16 "
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
    bars(
        &terms,
        1.0,
        tr!("raw", "原始").get(lang),
        before,
        buf,
        theme,
    );
    let scaled = tr!("×scale", "×缩放").get(lang);
    bars(&terms, scale, scaled, after, buf, theme);
    let label = format!("2^{LOG2_LOW}");
    buf.set_stringn(
        axis.x + 7,
        axis.y,
        &label,
        usize::from(axis.width),
        theme.dim,
    );
    let high = format!("2^{LOG2_HIGH}");
    let bins = (LOG2_HIGH - LOG2_LOW + 1) as u16;
    buf.set_string(
        axis.x + 7 + bins.saturating_sub(high.len() as u16),
        axis.y,
        high,
        theme.dim,
    );
    legend(
        &[
            ("▇", theme.error, tr!("flushed to 0", "舍入为 0").get(lang)),
            ("▇", theme.other, class_name(Class::Subnormal, lang)),
            ("▇", theme.good, class_name(Class::Normal, lang)),
        ],
        theme.dim,
    )
    .render(key, buf);
}

const BAR_GLYPHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

fn bars(terms: &[f32], scale: f32, label: &str, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let bins = (LOG2_HIGH - LOG2_LOW + 1) as usize;
    let mut counts = vec![0u32; bins];
    for &t in terms {
        let m = f64::from(t.abs()) * f64::from(scale);
        if m == 0.0 || !m.is_finite() {
            continue;
        }
        let bin = (m.log2().floor() as i32).clamp(LOG2_LOW, LOG2_HIGH) - LOG2_LOW;
        counts[bin as usize] += 1;
    }
    let peak = counts.iter().copied().max().unwrap_or(0).max(1);
    buf.set_stringn(area.x, area.y, label, 6, theme.dim);
    let height = u32::from(area.height);
    for (bin, &count) in counts.iter().enumerate() {
        let x = area.x + 7 + bin as u16;
        if x >= area.right() {
            break;
        }
        let power = LOG2_LOW + bin as i32;
        let style = if power < FP16_MIN_SUBNORMAL_LOG2 {
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
