//! The text panel both decoding lessons draw: the prompt dim, then each
//! generated token coloured by the pass that wrote it, the latest pass
//! highlighted, the end always in view; and tokens per pass over the run.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::lesson::Lesson;
use crate::sim::decoding::ngram::{Token, Vocab};
use crate::theme::Look;
use crate::tr;
use crate::widgets::chart::{self, Axes, Series};
use crate::widgets::panel;
use crate::widgets::words::{MAX_STATUS_LINES, flow, flow_lines, owned_line};

/// What the text panel shows.
pub struct Written<'a> {
    pub vocab: &'a Vocab,
    pub prompt: &'a [Token],
    pub generated: &'a [Token],
    /// The pass (1-based) that wrote each generated token.
    pub pass_of: &'a [u64],
    pub passes: u64,
}

pub fn render_text(written: &Written, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let mut title = vec![
        Span::styled(tr!(" text ", " 文本 ").get(lang), theme.title),
        Span::styled(tr!("prompt", "提示词").get(lang), theme.dim),
        Span::raw(" "),
    ];
    title.extend(alternating(
        tr!("pass by pass", "逐次前向").get(lang),
        [theme.series[0], theme.series[1]],
    ));
    title.extend([
        Span::raw(" "),
        Span::styled(tr!("latest ", "最新 ").get(lang), theme.current),
    ]);
    let block = panel(Line::from(title), theme);
    let vocab = written.vocab;
    let mut words: Vec<(&str, Style)> = written
        .prompt
        .iter()
        .map(|&t| (vocab.word(t), theme.dim))
        .collect();
    for (&t, &pass) in written.generated.iter().zip(written.pass_of) {
        let style = if pass == written.passes {
            theme.current
        } else {
            theme.series[(pass % 2) as usize]
        };
        words.push((vocab.word(t), style));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let lines = flow(&words, usize::from(inner.width));
    // Keep the end in view: drop whole lines from the top when it overflows.
    let skip = lines.len().saturating_sub(usize::from(inner.height));
    Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(inner, buf);
}

/// `text` in the two pass colours by turns, as the passes take turns in the
/// panel: by word where it has spaces (English), else by character (Chinese
/// has no spaces to take turns at).
fn alternating(text: &'static str, styles: [Style; 2]) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    if text.contains(' ') {
        for (at, word) in text.split(' ').enumerate() {
            if at > 0 {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(word, styles[at % styles.len()]));
        }
    } else {
        for (at, (start, c)) in text.char_indices().enumerate() {
            let piece = &text[start..start + c.len_utf8()];
            spans.push(Span::styled(piece, styles[at % styles.len()]));
        }
    }
    spans
}

/// Between two parts of a decoding lesson's status line.
const PART: &str = " · ";

/// A status line of parts joined by " · " laid out at `width`: a line
/// breaks between parts, so "4 heads, 64 nodes" is never split between
/// two rows while a shorter break exists; only a part wider than a whole
/// line is broken at its spaces. When keeping the parts whole would need
/// more rows than a status may take, the text breaks at any space instead,
/// so nothing is cut off the end.
pub fn status_lines(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    let parts: Vec<&str> = text.split(PART).collect();
    let last = parts.len().saturating_sub(1);
    // Each part keeps its trailing "·", so no row starts with one.
    let parts: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i < last {
                format!("{part}{}", PART.trim_end())
            } else {
                (*part).to_string()
            }
        })
        .collect();
    let styled: Vec<(&str, Style)> = parts.iter().map(|p| (p.as_str(), style)).collect();
    let packed = flow(&styled, width);
    let whole_parts: Vec<Line<'static>> =
        flow_lines(&packed, width).iter().map(owned_line).collect();
    if whole_parts.len() <= MAX_STATUS_LINES {
        return whole_parts;
    }
    let plain = [Line::styled(text.to_string(), style)];
    let any_space: Vec<Line<'static>> = flow_lines(&plain, width).iter().map(owned_line).collect();
    if any_space.len() < whole_parts.len() {
        any_space
    } else {
        whole_parts
    }
}

/// The running mean of tokens per pass after each pass, beside plain
/// decoding's one; `most` tops the y axis (the most a pass can write).
pub fn render_tokens_per_pass(
    pass_of: &[u64],
    passes: u64,
    most: usize,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let lang = theme.lang;
    // `pass_of` never decreases, so one walk counts the tokens up to each pass.
    let mut points = Vec::with_capacity(passes as usize);
    let mut written = 0usize;
    for pass in 1..=passes {
        while written < pass_of.len() && pass_of[written] <= pass {
            written += 1;
        }
        points.push((pass as f64, written as f64 / pass as f64));
    }
    let per_pass = tr!("tokens/pass", "每次前向词数").get(lang);
    let series = [
        Series::line(per_pass, theme.series[0], points),
        Series::line(
            tr!("plain decoding", "普通解码").get(lang),
            theme.dim,
            vec![(1.0, 1.0), (passes.max(1) as f64, 1.0)],
        ),
    ];
    let axes = Axes {
        x_label: tr!("pass", "前向次数").get(lang),
        y_label: per_pass,
        log_y: false,
        x_range: None,
        y_range: Some([0.0, most as f64]),
    };
    chart::render_xy(
        tr!("tokens per pass", "每次前向词数").get(lang),
        &axes,
        &series,
        area,
        buf,
        theme,
    );
}

/// The decoding lessons' pseudocode: after the first pass, the lines one
/// pass runs through are marked, and the title says so.
pub fn render_code(lesson: &dyn Lesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let marked = if lesson.steps() == 0 {
        &[][..]
    } else {
        crate::sim::decoding::PASS_LINES
    };
    let title = tr!(
        " pseudocode (◆ ran in the last pass) ",
        " 伪代码（◆ 上次前向执行过） "
    )
    .get(theme.lang);
    if area.height < 3 {
        return;
    }
    let block = panel(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let lines = lesson.pseudocode(theme.lang);
    let rows = wrapped_code(lines, lesson.current_line(), marked, inner.width, theme);
    // Keep the current line in view: start it on screen when the listing overflows.
    let current_row = rows.iter().position(|(at, _)| *at == lesson.current_line());
    let skip = match current_row {
        Some(row) if row + 1 > usize::from(inner.height) => row + 1 - usize::from(inner.height),
        _ => 0,
    };
    let shown: Vec<Line> = rows.into_iter().skip(skip).map(|(_, l)| l).collect();
    Paragraph::new(shown).render(inner, buf);
}

/// The listing numbered and marked as `pseudocode` draws it, each line
/// wrapped to `width` (continuations indented under the text) instead of cut.
fn wrapped_code(
    lines: &[&str],
    current: usize,
    marked: &[usize],
    width: u16,
    theme: &Look,
) -> Vec<(usize, Line<'static>)> {
    let number_width = lines.len().to_string().len();
    let indent = number_width + 1;
    let room = usize::from(width).saturating_sub(indent).max(1);
    let mut rows = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let (style, marker) = match (at == current, marked.contains(&at)) {
            (true, _) => (theme.code_line, "▶"),
            (false, true) => (theme.other, "◆"),
            (false, false) => (theme.text, " "),
        };
        for (part, text) in crate::widgets::wrap::wrap(line, room)
            .into_iter()
            .enumerate()
        {
            let head = if part == 0 {
                format!("{:>number_width$}{marker}", at + 1)
            } else {
                " ".repeat(indent)
            };
            let number_style = if at == current { style } else { theme.dim };
            rows.push((
                at,
                Line::from(vec![
                    Span::styled(head, number_style),
                    Span::styled(text, style),
                ]),
            ));
        }
    }
    rows
}

/// The two drafters side by side: Medusa's heads all read the last hidden
/// state at once; MTP's modules run in a causal chain, module k reading
/// module k−1's representation and the embedding of the token before it.
/// t₁ is the root (the main model's own next token). Both columns are
/// `ARCH_WIDTH` wide; below twice that they stack.
pub fn architecture_lines(lang: crate::i18n::Lang) -> (Vec<String>, Vec<String>) {
    let medusa = vec![
        tr!("Medusa: K heads, in parallel", "Medusa：K 个头，并行")
            .get(lang)
            .to_string(),
        "             ┌▶ LM head ▶ t₁".to_string(),
        "h (last) ────┼▶ head 1  ▶ t₂".to_string(),
        "             ├▶ head 2  ▶ t₃".to_string(),
        "             └▶ head K  ▶ t_(K+1)".to_string(),
        tr!("every head reads h only", "每个头只读 h")
            .get(lang)
            .to_string(),
    ];
    let mtp = vec![
        tr!("MTP: D modules, a causal chain", "MTP：D 个模块，因果链")
            .get(lang)
            .to_string(),
        "h⁰ ─▶ module 1 ─▶ h¹ ─▶ module 2 ─▶ h²".to_string(),
        "      ▲      │         ▲      │".to_string(),
        "  Emb(t₁)    ▼ t₂  Emb(t₂)    ▼ t₃".to_string(),
        tr!(
            "module k reads h^(k−1), Emb(t_k)",
            "模块 k 读 h^(k−1) 与 Emb(t_k)"
        )
        .get(lang)
        .to_string(),
        tr!("and drafts t_(k+1)", "起草 t_(k+1)")
            .get(lang)
            .to_string(),
    ];
    (medusa, mtp)
}

/// Columns one architecture drawing takes.
pub const ARCH_WIDTH: u16 = 40;

/// The two architectures in a panel: side by side when there is room, else
/// one above the other; `highlight` is the one the lesson is about (0 Medusa,
/// 1 MTP).
pub fn render_architectures(highlight: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
    let block = panel(tr!(" two drafters ", " 两种草稿器 ").get(theme.lang), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let (medusa, mtp) = architecture_lines(theme.lang);
    let style = |which: usize| {
        if which == highlight {
            theme.text
        } else {
            theme.dim
        }
    };
    let side_by_side = inner.width >= 2 * ARCH_WIDTH;
    let mut y = inner.y;
    for (which, lines) in [medusa, mtp].iter().enumerate() {
        let x = if side_by_side && which == 1 {
            inner.x + ARCH_WIDTH
        } else {
            inner.x
        };
        if !side_by_side && which == 1 {
            y = inner.y + lines.len() as u16;
        }
        for (row, text) in lines.iter().enumerate() {
            let at = y + row as u16;
            if at >= inner.bottom() {
                break;
            }
            let room = inner.right().saturating_sub(x);
            buf.set_stringn(
                x,
                at,
                text,
                usize::from(room),
                if row == 0 { theme.title } else { style(which) },
            );
        }
    }
}

/// Rows the architecture panel needs at `width`, border included.
pub fn architectures_height(width: u16) -> u16 {
    let (medusa, mtp) = architecture_lines(crate::i18n::Lang::En);
    let rows = if width.saturating_sub(2) >= 2 * ARCH_WIDTH {
        medusa.len().max(mtp.len())
    } else {
        medusa.len() + mtp.len()
    };
    rows as u16 + 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, width: usize) -> Vec<String> {
        status_lines(text, width, Style::new())
            .iter()
            .map(|line| {
                line.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn a_status_breaks_between_parts_and_only_a_too_wide_part_inside() {
        let text = "pass 5 · saved 12 passes · 4 heads, 64 nodes · greedy";
        // "4 heads" would fit after "passes ·" at 32: it moves down whole.
        assert_eq!(
            rows(text, 32),
            ["pass 5 · saved 12 passes ·", "4 heads, 64 nodes · greedy"]
        );
        // Everything on one row when it fits.
        assert_eq!(rows(text, 80), [text]);
        // A part wider than a row is broken at its spaces.
        assert_eq!(
            rows("pass 5 · 4 heads, 64 nodes", 10),
            ["pass 5 ·", "4 heads,", "64 nodes"]
        );
        // Too many rows for a status: any space will do if that saves one.
        let long = "aa bb · cc dd · ee ff · gg hh · ii jj";
        assert_eq!(rows(long, 7).len(), 5);
        assert_eq!(rows(long, 8).len(), 5);
        assert_eq!(
            rows(long, 12),
            ["aa bb · cc", "dd · ee ff ·", "gg hh · ii", "jj"]
        );
        for row in rows(text, 12) {
            assert!(Line::raw(row.clone()).width() <= 12, "{row}");
        }
    }
}
