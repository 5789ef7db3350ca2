//! Text laid out word by word with a style per word, and one-line share bars:
//! what the decoding lessons draw their text and acceptance rates with.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::wrap::{Run, wrap_runs};
use crate::theme::Theme;

/// Width of a share bar, in cells.
const BAR: usize = 12;

/// Words laid out in lines of at most `width` columns, a space between.
pub fn flow<'a>(words: &[(&'a str, Style)], width: usize) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut used = 0;
    for &(word, style) in words {
        let len = word.width();
        if used > 0 && used + 1 + len > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        if used > 0 {
            line.push(Span::raw(" "));
            used += 1;
        }
        line.push(Span::styled(word, style));
        used += len;
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    lines
}

/// Each of `lines` wrapped at spaces into lines of at most `width` columns,
/// every word keeping its span's style: a status line that says more than a
/// narrow screen holds.
pub fn flow_lines<'a>(lines: &'a [Line<'_>], width: usize) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for line in lines {
        let words: Vec<(&str, Style)> = line
            .spans
            .iter()
            .flat_map(|span| {
                let style = line.style.patch(span.style);
                span.content
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(move |w| (w, style))
            })
            .collect();
        out.extend(flow(&words, width));
    }
    out
}

/// Most rows a lesson's status lines may take above its panels.
pub const MAX_STATUS_LINES: usize = 4;

/// Draws a lesson's status `lines` at the top of `area`, flowed to its width
/// (at most [`MAX_STATUS_LINES`] rows), and returns the area below them.
pub fn render_status(lines: &[Line], area: Rect, buf: &mut Buffer) -> Rect {
    let flowed = flow_lines(lines, usize::from(area.width));
    let rows = flowed.len().min(MAX_STATUS_LINES) as u16;
    let rows = rows.min(area.height);
    Paragraph::new(flowed).render(
        Rect {
            height: rows,
            ..area
        },
        buf,
    );
    Rect {
        y: area.y + rows,
        height: area.height - rows,
        ..area
    }
}

/// A line that owns its text, so it can outlive what it was flowed from.
pub fn owned_line(line: &Line) -> Line<'static> {
    Line::from(
        line.spans
            .iter()
            .map(|span| Span::styled(span.content.to_string(), span.style))
            .collect::<Vec<_>>(),
    )
}

/// `label`, a bar filled to `share` (0..=1) and the share as a percentage.
pub fn bar_line(label: String, share: f64, style: Style, theme: &Theme) -> Line<'static> {
    let filled = (share.clamp(0.0, 1.0) * BAR as f64).round() as usize;
    Line::from(vec![
        Span::styled(label, theme.text),
        Span::styled("█".repeat(filled), style),
        Span::styled("·".repeat(BAR - filled), theme.dim),
        Span::styled(format!(" {:>3.0}%", share * 100.0), theme.text),
    ])
}

/// Each of `lines` wrapped to `width` columns with each span keeping its
/// style: Latin text at spaces, Chinese also between two Chinese characters.
/// An empty line stays as an empty row.
pub fn wrapped_lines(lines: &[Line<'_>], width: u16) -> Vec<Line<'static>> {
    wrap_styled(
        lines.iter().map(|line| {
            line.spans
                .iter()
                .map(|span| Run {
                    text: &span.content,
                    tag: line.style.patch(span.style),
                    glued: false,
                })
                .collect()
        }),
        width,
    )
}

/// Lines given as styled runs (a glued run moves whole), each wrapped to
/// `width` columns, every run keeping its style; an empty line stays as an
/// empty row.
pub fn wrap_styled<'r>(
    lines: impl IntoIterator<Item = Vec<Run<'r, Style>>>,
    width: u16,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for runs in lines {
        let rows = wrap_runs(&runs, usize::from(width));
        if rows.is_empty() {
            out.push(Line::default());
        }
        out.extend(rows.into_iter().map(|row| {
            Line::from(
                row.into_iter()
                    .map(|(text, style)| Span::styled(text, style))
                    .collect::<Vec<_>>(),
            )
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn flowed_lines_fit_and_keep_every_word_in_its_style() {
        let dim = Style::new().fg(Color::DarkGray);
        let red = Style::new().fg(Color::Red);
        let lines = vec![
            Line::from(vec![
                Span::styled("tokens/pass: ", dim),
                Span::styled("MTP 1.75", red),
                Span::styled(" · Medusa, 1 head, whole run 1.80", dim),
            ]),
            Line::styled("pass 8 · 14/60 tokens", red),
        ];
        let flowed = flow_lines(&lines, 16);
        let mut words = Vec::new();
        for line in &flowed {
            assert!(line.width() <= 16, "{line:?}");
            for span in &line.spans {
                if span.content.trim().is_empty() {
                    continue;
                }
                words.push((span.content.to_string(), span.style));
            }
        }
        let expected: Vec<(String, Style)> = [
            ("tokens/pass:", dim),
            ("MTP", red),
            ("1.75", red),
            ("·", dim),
            ("Medusa,", dim),
            ("1", dim),
            ("head,", dim),
            ("whole", dim),
            ("run", dim),
            ("1.80", dim),
            ("pass", red),
            ("8", red),
            ("·", red),
            ("14/60", red),
            ("tokens", red),
        ]
        .iter()
        .map(|&(w, s)| (w.to_string(), s))
        .collect();
        assert_eq!(words, expected);
        // The second source line starts a line of its own.
        assert_eq!(
            flowed
                .iter()
                .filter(|l| l.spans[0].content == "pass")
                .count(),
            1
        );
    }
}
