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
use crate::theme::Theme;
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

pub fn render_text(written: &Written, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block = panel(
        Line::from(vec![
            Span::styled(" text ", theme.title),
            Span::styled("prompt", theme.dim),
            Span::raw(" "),
            Span::styled("pass", theme.series[0]),
            Span::raw(" "),
            Span::styled("by", theme.series[1]),
            Span::raw(" "),
            Span::styled("pass", theme.series[0]),
            Span::raw(" "),
            Span::styled("latest ", theme.current),
        ]),
        theme,
    );
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

/// The running mean of tokens per pass after each pass, beside plain
/// decoding's one; `most` tops the y axis (the most a pass can write).
pub fn render_tokens_per_pass(
    pass_of: &[u64],
    passes: u64,
    most: usize,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    // `pass_of` never decreases, so one walk counts the tokens up to each pass.
    let mut points = Vec::with_capacity(passes as usize);
    let mut written = 0usize;
    for pass in 1..=passes {
        while written < pass_of.len() && pass_of[written] <= pass {
            written += 1;
        }
        points.push((pass as f64, written as f64 / pass as f64));
    }
    let series = [
        Series::line("tokens/pass", theme.series[0], points),
        Series::line(
            "plain decoding",
            theme.dim,
            vec![(1.0, 1.0), (passes.max(1) as f64, 1.0)],
        ),
    ];
    let axes = Axes {
        x_label: "pass",
        y_label: "tokens/pass",
        log_y: false,
        x_range: None,
        y_range: Some([0.0, most as f64]),
    };
    chart::render_xy("tokens per pass", &axes, &series, area, buf, theme);
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
        " pseudocode (◆ ran in the last pass) ",
        lesson.pseudocode(theme.lang),
        lesson.current_line(),
        marked,
        area,
        buf,
        theme,
    );
}
