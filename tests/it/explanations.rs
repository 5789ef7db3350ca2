//! Every lesson's explanation, in both languages, reads as clean text at the
//! widths the pane has: no Markdown syntax left over, every list item on a
//! line of its own with its number, and nothing wider than the pane.

use learndeck::lesson::explanation_section;
use learndeck::lessons::REGISTRY;
use learndeck::theme::Theme;
use learndeck::widgets::markdown;
use ratatui::text::Line;

/// Widths of the pane's text at 80, 120 and 160 columns, and beyond.
const WIDTHS: [usize; 3] = [40, 80, 120];
/// Chinese punctuation that must never start a line.
const NO_LINE_START: &[char] = &['，', '。', '、', '；', '：', '？', '！', '）'];

/// The list markers the source writes, in order: `"3."` for a numbered item,
/// `"-"` for a bullet.
fn source_markers(text: &str) -> Vec<String> {
    let mut markers = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if in_code {
            continue;
        }
        if line.starts_with("- ") {
            markers.push("-".to_string());
        } else if let Some((number, _)) = line.split_once(". ")
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
        {
            markers.push(format!("{number}."));
        }
    }
    markers
}

/// The markers drawn, in order, with bullets of any depth as `"-"`.
fn drawn_markers(lines: &[Line], theme: &Theme) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| line.spans.iter())
        .filter(|span| span.style == theme.marker)
        .map(|span| {
            let marker = span.content.trim();
            if marker.ends_with('.') {
                marker.to_string()
            } else {
                "-".to_string()
            }
        })
        .collect()
}

#[test]
fn every_explanation_converts_without_leftover_markdown() {
    let theme = Theme::dark();
    for entry in REGISTRY {
        for language in ["en", "zh"] {
            let text = explanation_section(entry.explanation, language);
            let place = format!("{} ({language})", entry.id);
            assert!(!text.is_empty(), "{place}: no section");
            let expected = source_markers(text);
            for width in WIDTHS {
                let lines = markdown::lines(text, width, &theme);
                assert_eq!(
                    drawn_markers(&lines, &theme),
                    expected,
                    "{place} at {width}: a list item ran into a paragraph"
                );
                for line in &lines {
                    let shown = line.to_string();
                    assert!(line.width() <= width, "{place} at {width}: {shown:?}");
                    for syntax in ["**", "`", "](", "###"] {
                        assert!(
                            !shown.contains(syntax),
                            "{place} at {width}: {syntax} in {shown:?}"
                        );
                    }
                    let body = shown.trim_start();
                    // Emphasis left open shows as a star before a word.
                    assert!(
                        !shown.split_whitespace().any(|word| word.starts_with('*')),
                        "{place} at {width}: {shown:?}"
                    );
                    assert!(
                        !body.starts_with(NO_LINE_START),
                        "{place} at {width}: {shown:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_explanation_keeps_all_its_words() {
    let theme = Theme::dark();
    // The text without Markdown's own marks, and without spaces, which
    // wrapping moves; what the lessons' Markdown uses and nothing more.
    let strip = |text: &str| -> String {
        let unmarked: String = text
            .lines()
            .map(|line| {
                let line = line.trim_start();
                let line = line.strip_prefix("### ").unwrap_or(line);
                line.strip_prefix("- ").unwrap_or(line)
            })
            .collect();
        unmarked
            .replace(['*', '`'], "")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    for entry in REGISTRY {
        for language in ["en", "zh"] {
            let text = explanation_section(entry.explanation, language);
            let shown: String = markdown::lines(text, WIDTHS[0], &theme)
                .iter()
                .map(|line| line.to_string())
                .collect::<String>()
                .chars()
                .filter(|c| !c.is_whitespace() && !"•◦▪".contains(*c))
                .collect();
            assert_eq!(shown, strip(text), "{} ({language})", entry.id);
        }
    }
}
