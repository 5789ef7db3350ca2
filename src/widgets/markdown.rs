//! Markdown as styled lines for a text pane: the lesson explanations, and any
//! other prose the program shows (tour narration). CommonMark is read by
//! pulldown-cmark; prose is wrapped by `wrap` (CJK-aware), list items hang
//! under their markers, and code blocks keep their lines as written.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::wrap::{Run, wrap_runs};
use crate::theme::Theme;

/// Bullets by nesting depth; deeper lists repeat the last.
const BULLETS: [&str; 3] = ["•", "◦", "▪"];
/// Columns between a list marker and its item's text.
const MARKER_GAP: usize = 1;
/// Columns a code block is indented by, so it stands apart from prose.
const CODE_INDENT: usize = 2;
/// A tab in a code block advances to the next multiple of this column.
const TAB_STOP: usize = 4;
/// The start of every line inside a block quote.
const QUOTE_BAR: &str = "│ ";
/// A thematic break (`---`) is this, repeated across the width.
const RULE: &str = "─";

/// `text` (Markdown) as lines at most `width` columns wide (wider only where
/// nesting leaves less than a column), styled from `theme`.
pub fn lines(text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut writer = Writer::new(width, theme);
    // Plain CommonMark: GitHub's extensions would read a lone `~` as
    // strikethrough and straight quotes as curly ones, which lessons do not want.
    for event in Parser::new_ext(text, Options::empty()) {
        writer.event(event);
    }
    writer.flush_text();
    writer.lines
}

/// What the current line sits inside.
enum Frame {
    /// A list item: its marker starts its first line only, and every other
    /// line is indented by the marker's width (a hanging indent).
    Item {
        marker: Option<String>,
        width: usize,
    },
    Quote,
}

/// A link being read: where it points, and where its text starts in `runs`.
struct OpenLink {
    url: String,
    text_from: usize,
}

struct Writer<'t> {
    theme: &'t Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    frames: Vec<Frame>,
    /// For each open list, its next number; `None` for a bulleted list.
    lists: Vec<Option<u64>>,
    /// The inline text of the block being read: text, style, glued (code).
    runs: Vec<(String, Style, bool)>,
    /// The style of the block's plain text (body text or a heading).
    block_style: Style,
    /// Inline styles open now, innermost last.
    inline: Vec<Style>,
    /// The source broke the line here: the next text decides whether that is
    /// a space (between Latin words) or nothing (between CJK characters).
    soft_break: bool,
    links: Vec<OpenLink>,
    /// The text of the code (or HTML) block being read, and its style.
    verbatim: Option<(String, Style)>,
    /// A blank line is due before the next block.
    gap: bool,
}

impl<'t> Writer<'t> {
    fn new(width: usize, theme: &'t Theme) -> Writer<'t> {
        Writer {
            theme,
            width,
            lines: Vec::new(),
            frames: Vec::new(),
            lists: Vec::new(),
            runs: Vec::new(),
            block_style: theme.text,
            inline: Vec::new(),
            soft_break: false,
            links: Vec::new(),
            verbatim: None,
            gap: false,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => match self.verbatim.as_mut() {
                Some((code, _)) => code.push_str(&text),
                None => self.push_text(&text, self.style(), false),
            },
            Event::Code(code) => {
                let style = self.style().patch(self.theme.code);
                self.push_text(&code, style, true);
            }
            Event::Html(html) => match self.verbatim.as_mut() {
                Some((code, _)) => code.push_str(&html),
                None => self.push_text(&html, self.theme.dim, false),
            },
            // Shown as written: `a <b> c` in a lesson is more likely prose
            // than markup, and a terminal cannot render HTML anyway.
            Event::InlineHtml(html) => self.push_text(&html, self.style(), false),
            Event::SoftBreak => self.soft_break = true,
            Event::HardBreak => {
                self.soft_break = false;
                self.flush_text();
            }
            Event::Rule => {
                self.start_block();
                let room = self.room();
                let rule = Span::styled(RULE.repeat(room), self.theme.dim);
                self.push_line(vec![rule]);
                self.gap = true;
            }
            // Footnotes, math and task lists are off in `Options::empty()`.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.start_block(),
            Tag::Heading { .. } => {
                self.start_block();
                self.block_style = self.theme.heading;
            }
            Tag::BlockQuote(_) => {
                self.start_block();
                self.frames.push(Frame::Quote);
            }
            Tag::CodeBlock(_) => {
                self.start_block();
                self.verbatim = Some((String::new(), self.theme.code));
            }
            Tag::HtmlBlock => {
                self.start_block();
                self.verbatim = Some((String::new(), self.theme.dim));
            }
            Tag::List(first) => {
                // The text of a tight item comes before its nested list.
                self.flush_text();
                self.start_block();
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush_text();
                self.start_block();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}.");
                        *number += 1;
                        marker
                    }
                    _ => BULLETS[depth.min(BULLETS.len() - 1)].to_string(),
                };
                let width = marker.width() + MARKER_GAP;
                self.frames.push(Frame::Item {
                    marker: Some(format!("{marker:<width$}")),
                    width,
                });
            }
            Tag::Emphasis => self.inline.push(self.theme.emphasis),
            Tag::Strong => self.inline.push(self.theme.strong),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.inline.push(self.theme.link);
                self.links.push(OpenLink {
                    url: dest_url.to_string(),
                    text_from: self.runs.len(),
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush_text();
                self.gap = true;
            }
            TagEnd::Heading(_) => {
                self.flush_text();
                self.block_style = self.theme.text;
                self.gap = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_text();
                self.frames.pop();
                self.gap = true;
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                if let Some((code, style)) = self.verbatim.take() {
                    self.push_verbatim(&code, style);
                }
                self.gap = true;
            }
            TagEnd::List(_) => {
                self.flush_text();
                self.lists.pop();
                // Items of a tight list follow each other without a gap, and
                // so does the item after a nested list.
                self.gap = self.lists.is_empty();
            }
            TagEnd::Item => {
                self.flush_text();
                if let Some(Frame::Item {
                    marker: Some(_), ..
                }) = self.frames.last()
                {
                    // An empty item still shows its marker.
                    self.push_line(Vec::new());
                }
                self.frames.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong => {
                self.inline.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                self.inline.pop();
                if let Some(link) = self.links.pop() {
                    self.link_target(link);
                }
            }
            _ => {}
        }
    }

    /// The link's address after its text, muted, unless the text says it
    /// already or it points inside the document.
    fn link_target(&mut self, link: OpenLink) {
        let text: String = self.runs[link.text_from.min(self.runs.len())..]
            .iter()
            .map(|(text, _, _)| text.as_str())
            .collect();
        if link.url.is_empty() || link.url.starts_with('#') || text.trim() == link.url {
            return;
        }
        self.push_text(&format!(" ({})", link.url), self.theme.dim, false);
    }

    /// The style of inline text here: the block's, with every open inline
    /// style laid over it in order.
    fn style(&self) -> Style {
        self.inline
            .iter()
            .fold(self.block_style, |style, inner| style.patch(*inner))
    }

    fn push_text(&mut self, text: &str, style: Style, glued: bool) {
        if text.is_empty() {
            return;
        }
        if std::mem::take(&mut self.soft_break) {
            let before = self
                .runs
                .last()
                .and_then(|(text, _, _)| text.chars().last());
            let after = text.chars().next();
            if let (Some(before), Some(after)) = (before, after)
                && !joins_without_space(before, after)
            {
                self.runs.push((" ".to_string(), self.block_style, false));
            }
        }
        self.runs.push((text.to_string(), style, glued));
    }

    /// A blank line if one is due, before a block starts.
    fn start_block(&mut self) {
        if std::mem::take(&mut self.gap) && !self.lines.is_empty() {
            // Inside a quote the blank line keeps its bar.
            let bars = self
                .frames
                .iter()
                .filter(|frame| matches!(frame, Frame::Quote))
                .map(|_| Span::styled(QUOTE_BAR, self.theme.dim))
                .collect::<Vec<_>>();
            self.lines.push(Line::from(bars));
        }
    }

    /// Columns the containers take at the start of every line.
    fn indent(&self) -> usize {
        self.frames
            .iter()
            .map(|frame| match frame {
                Frame::Item { width, .. } => *width,
                Frame::Quote => QUOTE_BAR.width(),
            })
            .sum()
    }

    /// Columns left for text after the containers' indent.
    fn room(&self) -> usize {
        self.width.saturating_sub(self.indent()).max(1)
    }

    /// Emits a line after the containers' prefix: markers waiting for their
    /// item's first line, indentation under the markers already shown, bars.
    fn push_line(&mut self, content: Vec<Span<'static>>) {
        let mut spans = Vec::with_capacity(self.frames.len() + content.len());
        for frame in &mut self.frames {
            match frame {
                Frame::Item { marker, width } => match marker.take() {
                    Some(marker) => spans.push(Span::styled(marker, self.theme.marker)),
                    None => spans.push(Span::raw(" ".repeat(*width))),
                },
                Frame::Quote => spans.push(Span::styled(QUOTE_BAR, self.theme.dim)),
            }
        }
        spans.extend(content);
        self.lines.push(Line::from(spans));
    }

    /// The inline text read so far, wrapped to the room left and emitted.
    fn flush_text(&mut self) {
        self.soft_break = false;
        if self.runs.is_empty() {
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        let borrowed: Vec<Run<'_, Style>> = runs
            .iter()
            .map(|(text, style, glued)| Run {
                text,
                tag: *style,
                glued: *glued,
            })
            .collect();
        for line in wrap_runs(&borrowed, self.room()) {
            let spans = line
                .into_iter()
                .map(|(text, style)| Span::styled(text, style))
                .collect();
            self.push_line(spans);
        }
    }

    /// A code block's lines as written: never re-flowed, and a line longer
    /// than the room continues on the next row (cut by character), so no
    /// code is hidden from a pane that cannot scroll sideways.
    fn push_verbatim(&mut self, code: &str, style: Style) {
        let room = self.room().saturating_sub(CODE_INDENT).max(1);
        for line in code.lines() {
            let line = expand_tabs(line);
            for piece in cut(&line, room) {
                let indent = Span::raw(" ".repeat(CODE_INDENT));
                self.push_line(vec![indent, Span::styled(piece, style)]);
            }
        }
    }
}

/// True where a line break in the source is no space in the text: between
/// two CJK characters, and next to CJK punctuation, as Chinese is written;
/// Latin words and numbers beside Chinese keep their space.
fn joins_without_space(before: char, after: char) -> bool {
    let wide = |c: char| c.width().unwrap_or(0) > 1;
    (wide(before) && wide(after))
        || (wide(before) && !before.is_alphanumeric())
        || (wide(after) && !after.is_alphanumeric())
}

/// `line` with its tabs replaced by spaces up to the next tab stop.
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = TAB_STOP - column % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += c.width().unwrap_or(0);
        }
    }
    out
}

/// `line` in pieces of at most `width` columns (a wide character alone may
/// exceed a width of 1); an empty line stays one empty piece.
fn cut(line: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push(c);
        }
        used += w;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|line| line.to_string()).collect()
    }

    /// The spans of `lines` whose text contains `needle`.
    fn spans_with<'a>(lines: &'a [Line<'static>], needle: &str) -> Vec<&'a Span<'static>> {
        lines
            .iter()
            .flat_map(|line| line.spans.iter())
            .filter(|span| span.content.contains(needle))
            .collect()
    }

    #[test]
    fn a_numbered_list_keeps_its_numbers_on_lines_of_their_own() {
        let theme = Theme::dark();
        let text = "Steps:\n\n1. Find lo and hi.\n2. Drop each value into its bucket.\n";
        let lines = super::lines(text, 40, &theme);
        assert_eq!(
            texts(&lines),
            vec![
                "Steps:",
                "",
                "1. Find lo and hi.",
                "2. Drop each value into its bucket."
            ]
        );
        assert_eq!(lines[2].spans[0].style, theme.marker);
        // A list that starts elsewhere keeps its numbers.
        let lines = super::lines("3. c\n4. d", 40, &theme);
        assert_eq!(texts(&lines), vec!["3. c", "4. d"]);
    }

    #[test]
    fn list_items_hang_under_their_marker_and_nest() {
        let theme = Theme::mono();
        let text = "- outer item that wraps\n  - inner item that wraps too\n- next";
        let lines = super::lines(text, 16, &theme);
        assert_eq!(
            texts(&lines),
            vec![
                "• outer item",
                "  that wraps",
                "  ◦ inner item",
                "    that wraps",
                "    too",
                "• next",
            ]
        );
        let text = "1. one\n\n   more of one\n2. two";
        assert_eq!(
            texts(&super::lines(text, 40, &theme)),
            vec!["1. one", "", "   more of one", "", "2. two"]
        );
    }

    #[test]
    fn emphasis_and_strong_lose_their_asterisks_and_keep_their_style() {
        let theme = Theme::mono();
        let lines = super::lines("a *tree of candidates* in **one** pass", 80, &theme);
        assert_eq!(texts(&lines), vec!["a tree of candidates in one pass"]);
        let emphasis = spans_with(&lines, "tree");
        assert_eq!(emphasis[0].style, theme.text.patch(theme.emphasis));
        assert_eq!(
            spans_with(&lines, "one")[0].style,
            theme.text.patch(theme.strong)
        );
        assert_eq!(spans_with(&lines, " in ")[0].style, theme.text);
    }

    #[test]
    fn inline_code_is_styled_and_moves_to_the_next_line_whole() {
        let theme = Theme::dark();
        let lines = super::lines("then set `order = forward` and run", 20, &theme);
        assert_eq!(
            texts(&lines),
            vec!["then set", "order = forward and", "run"]
        );
        let code = spans_with(&lines, "order");
        assert_eq!(code[0].content, "order = forward");
        assert_eq!(code[0].style, theme.text.patch(theme.code));
    }

    #[test]
    fn code_blocks_keep_their_lines_and_spaces() {
        let theme = Theme::dark();
        let text = "Before:\n\n```\nfor j in   (w..=c).rev():\n\tdp[j] = max(dp[j], x)\n```\nafter";
        let lines = super::lines(text, 40, &theme);
        assert_eq!(
            texts(&lines),
            vec![
                "Before:",
                "",
                "  for j in   (w..=c).rev():",
                "      dp[j] = max(dp[j], x)",
                "",
                "after",
            ]
        );
        assert_eq!(lines[2].spans[1].style, theme.code);
        // Too long for the pane: continued by character, never re-flowed.
        let lines = super::lines("```\nabcdefgh ij\n```", 8, &theme);
        assert_eq!(texts(&lines), vec!["  abcdef", "  gh ij"]);
    }

    #[test]
    fn headings_are_styled_and_followed_by_a_gap() {
        let theme = Theme::mono();
        let lines = super::lines("### The table\nLet f be", 40, &theme);
        assert_eq!(texts(&lines), vec!["The table", "", "Let f be"]);
        assert_eq!(lines[0].spans[0].style, theme.heading);
    }

    #[test]
    fn chinese_wraps_inside_the_width_and_keeps_punctuation_off_line_starts() {
        let theme = Theme::dark();
        let text = "有 n 件物品，每件有重量和价值；背包最多能装总重量 C。怎样挑选物品，\n让总价值最大？每件物品要么装一次，要么不装。";
        for width in [6, 9, 10, 13, 20] {
            let lines = super::lines(text, width, &theme);
            for line in &lines {
                let shown = line.to_string();
                assert!(line.width() <= width, "{width}: {shown:?}");
                assert!(
                    !shown.starts_with(['，', '。', '；', '？']),
                    "{width}: {:?}",
                    texts(&lines)
                );
            }
            // The source's line break is no space between CJK characters.
            let joined = texts(&lines).concat();
            assert!(joined.contains("，让总价值"), "{joined}");
        }
    }

    #[test]
    fn a_line_break_is_a_space_only_between_latin_words() {
        let theme = Theme::dark();
        let text = "one\ntwo 中\n文，\nword 个\n7 位";
        assert_eq!(
            texts(&super::lines(text, 80, &theme)),
            vec!["one two 中文，word 个 7 位"]
        );
    }

    #[test]
    fn links_show_their_text_and_the_address_muted() {
        let theme = Theme::dark();
        let lines = super::lines(
            "see [the paper](https://example.org/p) or <https://example.org>",
            80,
            &theme,
        );
        assert_eq!(
            texts(&lines),
            vec!["see the paper (https://example.org/p) or https://example.org"]
        );
        assert_eq!(
            spans_with(&lines, "paper")[0].style,
            theme.text.patch(theme.link)
        );
        assert_eq!(spans_with(&lines, "(https")[0].style, theme.dim);
    }

    #[test]
    fn quotes_and_rules_are_marked() {
        let theme = Theme::mono();
        let lines = super::lines("> quoted\n\n---\n\nafter", 10, &theme);
        assert_eq!(
            texts(&lines),
            vec!["│ quoted", "", "──────────", "", "after"]
        );
    }

    #[test]
    fn tiny_widths_and_empty_text_do_not_panic() {
        let theme = Theme::dark();
        assert!(super::lines("", 10, &theme).is_empty());
        for width in 0..4 {
            super::lines("- - 1. deep `code` 中文，\n\n```\n\tx\n```", width, &theme);
        }
    }
}
