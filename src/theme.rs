//! Colour palettes. Every style the program draws with comes from here, so
//! `NO_COLOR` and `ui.theme` reach every pixel.

use crate::i18n::Lang;
use ratatui::style::{Color, Modifier, Style};

/// The names `ui.theme` accepts.
/// The palettes a user can choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
    Mono,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: &'static str,
    /// Ordinary text.
    pub text: Style,
    /// Secondary text: labels, units, untouched cells.
    pub dim: Style,
    /// Block titles and the shell's own headings (help); Markdown has `heading`.
    pub title: Style,
    /// Key names in hints and help.
    pub key: Style,
    /// The active tab, the selected parameter.
    pub selected: Style,
    /// The cell or node the last step wrote.
    pub current: Style,
    /// Cells the last step read.
    pub read: Style,
    /// A "take"/accepted outcome.
    pub good: Style,
    /// A "skip"/rejected outcome.
    pub other: Style,
    /// Items in the final answer.
    pub chosen: Style,
    /// The highlighted pseudocode line.
    pub code_line: Style,
    /// Headings in Markdown text (the explanation pane).
    pub heading: Style,
    /// Markdown `*emphasis*`.
    pub emphasis: Style,
    /// Markdown `**strong**`.
    pub strong: Style,
    /// Markdown inline `code` and code blocks.
    pub code: Style,
    /// A Markdown link's text.
    pub link: Style,
    /// List bullets and numbers.
    pub marker: Style,
    pub error: Style,
    pub border: Style,
    /// One style per data series (optimizer, mode), distinct from each other
    /// and from the ramp.
    pub series: [Style; 4],
    /// Sequential colours for heat maps, low to high; empty without colour.
    pub ramp: Vec<Color>,
}

impl Theme {
    /// The palette named `name`, or `mono` whenever `no_color` is set.
    pub fn named(name: &str, no_color: bool) -> Theme {
        if no_color {
            return Theme::mono();
        }
        match name {
            "light" => Theme::light(),
            "mono" => Theme::mono(),
            _ => Theme::dark(),
        }
    }

    /// False for the colourless palette: widgets then tell things apart by shape.
    pub fn has_colour(&self) -> bool {
        !self.ramp.is_empty()
    }

    /// True when the `NO_COLOR` convention asks for no colours (set and not empty).
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    pub fn dark() -> Theme {
        Theme {
            name: "dark",
            text: Style::new().fg(Color::Gray),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            selected: Style::new().fg(Color::Black).bg(Color::Cyan),
            current: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            read: Style::new().fg(Color::Black).bg(Color::Blue),
            good: Style::new().fg(Color::Green),
            other: Style::new().fg(Color::Magenta),
            chosen: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            code_line: Style::new().fg(Color::Black).bg(Color::Yellow),
            heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            emphasis: Style::new().fg(Color::White).add_modifier(Modifier::ITALIC),
            strong: Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
            // xterm-256 index 236: a grey just above the usual dark background.
            code: Style::new().fg(Color::LightYellow).bg(Color::Indexed(236)),
            link: Style::new()
                .fg(Color::LightBlue)
                .add_modifier(Modifier::UNDERLINED),
            marker: Style::new().fg(Color::Cyan),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            series: [
                Style::new().fg(Color::LightYellow),
                Style::new().fg(Color::LightMagenta),
                Style::new().fg(Color::LightRed),
                Style::new().fg(Color::White),
            ],
            // xterm-256 indices from deep blue through teal and green to pale yellow.
            ramp: [17, 18, 19, 25, 31, 37, 43, 78, 114, 150, 186, 229]
                .map(Color::Indexed)
                .to_vec(),
        }
    }

    pub fn light() -> Theme {
        Theme {
            name: "light",
            text: Style::new().fg(Color::Black),
            dim: Style::new().fg(Color::Gray),
            title: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            selected: Style::new().fg(Color::White).bg(Color::Blue),
            current: Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            read: Style::new().fg(Color::Black).bg(Color::LightCyan),
            good: Style::new().fg(Color::Green),
            other: Style::new().fg(Color::Red),
            chosen: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            code_line: Style::new().fg(Color::Black).bg(Color::LightYellow),
            heading: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            // xterm-256 index 90: a dark purple that reads on white.
            emphasis: Style::new()
                .fg(Color::Indexed(90))
                .add_modifier(Modifier::ITALIC),
            strong: Style::new().fg(Color::Black).add_modifier(Modifier::BOLD),
            // xterm-256 indices 88 and 254: dark red on a pale grey.
            code: Style::new().fg(Color::Indexed(88)).bg(Color::Indexed(254)),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            marker: Style::new().fg(Color::Blue),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::Gray),
            series: [
                Style::new().fg(Color::Yellow),
                Style::new().fg(Color::Magenta),
                Style::new().fg(Color::Red),
                Style::new().fg(Color::Black),
            ],
            // xterm-256 indices from near white through cyan to deep blue.
            ramp: [231, 195, 159, 123, 117, 111, 75, 69, 63, 33, 27, 21]
                .map(Color::Indexed)
                .to_vec(),
        }
    }

    /// No colours at all: emphasis by reverse video, bold and underline only.
    pub fn mono() -> Theme {
        let plain = Style::new();
        Theme {
            name: "mono",
            text: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: plain.add_modifier(Modifier::BOLD),
            key: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            current: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            read: plain.add_modifier(Modifier::UNDERLINED),
            good: plain.add_modifier(Modifier::BOLD),
            other: plain.add_modifier(Modifier::ITALIC),
            chosen: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            code_line: plain.add_modifier(Modifier::REVERSED),
            // Each Markdown style by its own modifiers: without colour they
            // must still differ from each other and from plain text.
            heading: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            // Underlined too, where a terminal draws no italics.
            emphasis: plain.add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
            strong: plain.add_modifier(Modifier::BOLD),
            code: plain.add_modifier(Modifier::REVERSED),
            link: plain.add_modifier(Modifier::UNDERLINED),
            marker: plain.add_modifier(Modifier::BOLD),
            error: plain.add_modifier(Modifier::BOLD),
            border: plain,
            series: [
                plain,
                plain.add_modifier(Modifier::ITALIC),
                plain.add_modifier(Modifier::BOLD),
                plain.add_modifier(Modifier::UNDERLINED),
            ],
            ramp: Vec::new(),
        }
    }
}

/// How the screen is drawn: the palette, and the language of its words. It
/// dereferences to the palette, so drawing code that only colours takes it
/// as a `&Theme`, and code with words reads `look.lang`.
#[derive(Clone, Copy, Debug)]
pub struct Look<'a> {
    pub theme: &'a Theme,
    pub lang: Lang,
}

impl std::ops::Deref for Look<'_> {
    type Target = Theme;
    fn deref(&self) -> &Theme {
        self.theme
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_over_the_configured_theme() {
        let theme = Theme::named("dark", true);
        for style in [theme.text, theme.current, theme.read, theme.error] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
    }

    #[test]
    fn markdown_styles_differ_from_text_and_each_other_in_every_palette() {
        for name in <ThemeName as crate::lesson::Choice>::NAMES {
            let theme = Theme::named(name, false);
            let styles = [
                theme.text,
                theme.heading,
                theme.emphasis,
                theme.strong,
                theme.code,
                theme.link,
            ];
            for (at, a) in styles.iter().enumerate() {
                for b in &styles[at + 1..] {
                    assert_ne!(a, b, "{name}");
                }
            }
        }
    }

    #[test]
    fn every_listed_name_has_its_own_palette() {
        for name in <ThemeName as crate::lesson::Choice>::NAMES {
            assert_eq!(Theme::named(name, false).name, *name);
        }
    }
}
