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
use crate::widgets::words::flow;
use crate::widgets::{panel, pseudocode};

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
    pseudocode::render_panel(
        tr!(
            " pseudocode (◆ ran in the last pass) ",
            " 伪代码（◆ 上次前向执行过） "
        )
        .get(theme.lang),
        lesson.pseudocode(theme.lang),
        lesson.current_line(),
        marked,
        area,
        buf,
        theme,
    );
}
