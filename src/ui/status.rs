//! The status line and the footer of key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::truncate;
use unicode_width::UnicodeWidthStr;

use crate::action::{ANSWER_KEYS, Action, Binding, EDIT_KEYS, GOTO_KEYS, KEYS, STEP_KEYS};
use crate::app::{App, Goto};
use crate::i18n::{Lang, Tr};
use crate::{said, tr};

/// Separator between status fields.
const SEP: &str = " │ ";
/// Shown where the command that reproduces the run does not fit.
const COPY_HINT: Tr = tr!("y: copy command", "y：复制命令");

pub fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang();
    let lesson = app.lesson();
    let step = lesson.steps();
    let steps = match lesson.total_steps() {
        Some(total) => said!("step {step}/{total}", "第 {step}/{total} 步"),
        None => said!("step {step}", "第 {step} 步"),
    };
    let state = if lesson.is_finished() {
        Span::styled(tr!("■ finished", "■ 已结束").get(lang), theme.good)
    } else if app.playing {
        Span::styled(tr!("▶ playing", "▶ 播放中").get(lang), theme.good)
    } else {
        Span::styled(tr!("⏸ paused", "⏸ 已暂停").get(lang), theme.key)
    };
    let speed = app.speed;
    let speed = match app.reached_speed {
        Some(reached) => Span::styled(
            said!(
                "≈ {reached} steps/s of {speed}",
                "≈ {reached}/{speed} 步/秒"
            )
            .get(lang)
            .to_string(),
            theme.error,
        ),
        None => Span::styled(
            said!("{speed} steps/s", "{speed} 步/秒")
                .get(lang)
                .to_string(),
            theme.text,
        ),
    };
    let (seed, depth) = (app.tab().seed, lesson.rewind_depth());
    let mut spans = vec![
        Span::styled(format!(" {}", app.tab().entry.id), theme.title),
        Span::styled(SEP, theme.dim),
        Span::styled(steps.get(lang).to_string(), theme.text),
        Span::styled(SEP, theme.dim),
        state,
        Span::styled(SEP, theme.dim),
        speed,
        Span::styled(SEP, theme.dim),
        Span::styled(
            said!("seed {seed}", "种子 {seed}").get(lang).to_string(),
            theme.text,
        ),
        Span::styled(SEP, theme.dim),
        Span::styled(
            said!("rewind {depth}", "可回退 {depth}")
                .get(lang)
                .to_string(),
            theme.dim,
        ),
    ];
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + SEP.width());
    // A notice outranks the reproducing command, which `y` can copy any time;
    // a command cut short would mislead, so a narrow line offers `y` instead.
    let tail = match &app.notice {
        Some(notice) if notice.is_error => Some((notice.text.get(lang).to_string(), theme.error)),
        Some(notice) => Some((notice.text.get(lang).to_string(), theme.key)),
        None if !app.tab().events_now().is_empty() => Some((events_said(app), theme.current)),
        None => {
            let command = app.reproduce_command();
            [command, COPY_HINT.get(lang).to_string()]
                .into_iter()
                .find(|text| text.width() <= room)
                .map(|text| (text, theme.dim))
        }
    };
    if let Some((tail, style)) = tail.filter(|_| room > 0) {
        spans.push(Span::styled(SEP, theme.dim));
        spans.push(Span::styled(truncate(&tail, room), style));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// What the current step raised: `◆ take i=2,j=4`, each event's label in
/// the interface language and its detail.
pub fn events_said(app: &App) -> String {
    let lang = app.lang();
    let kinds = app.tab().entry.events;
    app.tab()
        .events_now()
        .into_iter()
        .map(|event| {
            let label = crate::lesson::event::kind(kinds, event.kind)
                .map_or(event.kind, |kind| kind.label.get(lang));
            let mark = super::stepbar::mark_of(kinds, event.kind);
            format!("{mark} {label} {}", event.detail)
        })
        .collect::<Vec<_>>()
        .join("  ")
}

/// Key hints: the bindings the table marks for the footer, or the input line's keys.
/// A footer hint's spaces: one between key and word, two after the word.
const HINT_PADDING: usize = 3;

/// `pages`: how many pages the lesson's view has at this size; with more
/// than one, the key that turns them keeps its place in the footer, with
/// the page shown.
pub fn render_footer(app: &App, pages: usize, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    // (key, word, always shown): the explanation (where narrow lessons put
    // their pseudocode), help and quit keep their place however narrow the
    // footer, since help lists everything else.
    let mut spans = vec![Span::raw(" ")];
    let lang = app.lang();
    let page_word;
    let hints: Vec<(String, &str, bool)> = if app.editor.is_some() {
        footer_words(EDIT_KEYS, lang)
    } else if let Some(goto) = &app.goto {
        spans = goto_spans(app, goto);
        footer_words(GOTO_KEYS, lang)
    } else if let Some(asking) = app.asking.as_ref().filter(|a| a.is_open()) {
        spans = vec![
            Span::styled(tr!(" answer: ", " 答案：").get(lang), theme.key),
            Span::styled(format!("{}▏ ", asking.typed), theme.text),
        ];
        footer_words(ANSWER_KEYS, lang)
    } else if let Some(typed) = &app.step_prompt {
        spans = step_prompt_spans(app, typed);
        footer_words(STEP_KEYS, lang)
    } else {
        let (page, word) = (app.page % pages.max(1) + 1, tr!("page", "翻页").get(lang));
        page_word = format!("{word} {page}/{pages}");
        KEYS.iter()
            .filter_map(|binding| {
                let paging = binding.action == Action::NextPage;
                if paging && pages < 2 {
                    return None;
                }
                let word = if paging {
                    page_word.as_str()
                } else {
                    binding.footer?.get(lang)
                };
                let key = binding.keys.first().map(|k| k.label(lang))?;
                let essential = matches!(
                    binding.action,
                    Action::NextPage | Action::ToggleExplain | Action::ToggleHelp | Action::Quit
                );
                Some((key, word, essential))
            })
            .collect()
    };
    let width_of = |key: &str, word: &str| key.width() + word.width() + HINT_PADDING;
    let reserved: usize = hints
        .iter()
        .filter(|h| h.2)
        .map(|(key, word, _)| width_of(key, word))
        .sum();
    let mut used = spans.iter().map(Span::width).sum::<usize>() + reserved;
    let mut tail = Vec::new();
    let mut full = false;
    for (key, word, essential) in hints {
        let width = width_of(&key, word);
        let hint = [
            Span::styled(key, theme.key),
            Span::styled(format!(" {word}  "), theme.dim),
        ];
        if essential {
            tail.extend(hint);
        } else if !full && used + width <= usize::from(area.width) {
            used += width;
            spans.extend(hint);
        } else {
            // The first hint that does not fit ends the row: no gaps.
            full = true;
        }
    }
    spans.extend(tail);
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// The footer words a table gives some of its bindings, keyed by each one's
/// first key.
fn footer_words<A>(table: &[Binding<A>], lang: Lang) -> Vec<(String, &'static str, bool)> {
    table
        .iter()
        .filter_map(|binding| {
            let word = binding.footer?.get(lang);
            let key = binding.keys.first().map(|k| k.label(lang))?;
            Some((key, word, false))
        })
        .collect()
}

/// The go-to prompt: what has been typed and the lessons it matches, the
/// first (what Enter opens) marked.
/// The step prompt: what has been typed, and how far the run can go back.
fn step_prompt_spans(app: &App, typed: &str) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let lang = app.lang();
    let lesson = app.lesson();
    let range = match lesson.total_steps() {
        Some(total) => said!("(0–{total})  ", "（0–{total}）  "),
        None => said!("(0 or more)  ", "（0 或更多）  "),
    };
    vec![
        Span::styled(tr!(" go to step: ", " 跳到第几步：").get(lang), theme.key),
        Span::styled(format!("{typed}▏ "), theme.text),
        Span::styled(range.get(lang).to_string(), theme.dim),
    ]
}

fn goto_spans(app: &App, goto: &Goto) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let lang = app.lang();
    let mut spans = vec![
        Span::styled(tr!(" go to: ", " 跳到：").get(lang), theme.key),
        Span::styled(format!("{}▏ ", goto.typed), theme.text),
    ];
    if let Some(opened) = goto.opened {
        let id = app.tabs[opened].entry.id;
        spans.push(Span::styled(
            said!("opened {id}  ", "已打开 {id}  ")
                .get(lang)
                .to_string(),
            theme.good,
        ));
    } else if let Some(c) = goto.no_match {
        let typed = &goto.typed;
        spans.push(Span::styled(
            said!(
                "no lesson id starts with {typed}{c}  ",
                "没有以 {typed}{c} 开头的课程 id  "
            )
            .get(lang)
            .to_string(),
            theme.error,
        ));
    } else {
        for (n, at) in app.lessons_starting(&goto.typed).into_iter().enumerate() {
            let style = if n == 0 { theme.selected } else { theme.dim };
            spans.push(Span::styled(app.tabs[at].entry.id, style));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::raw(" "));
    }
    spans
}
