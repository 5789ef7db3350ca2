//! The status line and the footer of key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::truncate;
use crate::action::{EDIT_KEYS, KEYS, Key};
use crate::app::App;

/// Separator between status fields.
const SEP: &str = " │ ";
/// Shown where the command that reproduces the run does not fit.
const COPY_HINT: &str = "y: copy command";

pub fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lesson = app.lesson();
    let steps = match lesson.total_steps() {
        Some(total) => format!("step {}/{total}", lesson.steps()),
        None => format!("step {}", lesson.steps()),
    };
    let state = if lesson.is_finished() {
        Span::styled("■ finished", theme.good)
    } else if app.playing {
        Span::styled("▶ playing", theme.good)
    } else {
        Span::styled("⏸ paused", theme.key)
    };
    let mut spans = vec![
        Span::styled(format!(" {}", app.tab().entry.id), theme.title),
        Span::styled(SEP, theme.dim),
        Span::styled(steps, theme.text),
        Span::styled(SEP, theme.dim),
        state,
        Span::styled(SEP, theme.dim),
        Span::styled(format!("{} steps/s", app.speed), theme.text),
        Span::styled(SEP, theme.dim),
        Span::styled(format!("seed {}", lesson.seed()), theme.text),
        Span::styled(SEP, theme.dim),
        Span::styled(format!("rewind {}", lesson.rewind_depth()), theme.dim),
    ];
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + SEP.chars().count());
    // A notice outranks the reproducing command, which `y` can copy any time;
    // a command cut short would mislead, so a narrow line offers `y` instead.
    let tail = match &app.notice {
        Some(notice) if notice.is_error => Some((notice.text.clone(), theme.error)),
        Some(notice) => Some((notice.text.clone(), theme.key)),
        None => {
            let command = app.reproduce_command();
            [command, COPY_HINT.to_string()]
                .into_iter()
                .find(|text| text.chars().count() <= room)
                .map(|text| (text, theme.dim))
        }
    };
    if let Some((tail, style)) = tail.filter(|_| room > 0) {
        spans.push(Span::styled(SEP, theme.dim));
        spans.push(Span::styled(truncate(&tail, room), style));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// Key hints: the bindings the table marks for the footer, or the input line's keys.
pub fn render_footer(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let hints: Vec<(String, &str)> = if app.editor.is_some() {
        EDIT_KEYS
            .iter()
            .map(|(key, what)| ((*key).to_string(), *what))
            .collect()
    } else {
        KEYS.iter()
            .filter_map(|binding| {
                let word = binding.footer?;
                let key = binding.keys.first().map(Key::label)?;
                Some((key, word))
            })
            .collect()
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, word) in hints {
        let width = key.chars().count() + word.chars().count() + 3;
        if used + width > usize::from(area.width) {
            break;
        }
        used += width;
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {word}  "), theme.dim));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}
