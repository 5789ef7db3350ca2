//! The text panel both decoding lessons draw: the prompt dim, then each
//! generated token coloured by the pass that wrote it, the latest pass
//! highlighted, the end always in view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::ngram::{Token, Vocab};
use crate::theme::Theme;
use crate::widgets::panel;
use crate::widgets::words::flow;

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
