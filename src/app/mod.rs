//! The dashboard's state and everything a key press can do to it. Nothing here
//! draws or touches the terminal: `ui` draws an `&App`, `tui` feeds it events.

mod ask;
mod asking;
mod jump;
mod tour;
mod touring;

pub use asking::Asking;

pub use touring::TourRun;

use std::time::Instant;

use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::{Rect, Size};

use crate::action::{self, Action, EditAction, GotoAction};
use crate::config::{Config, MAX_SPEED};
pub use crate::editor::Editor;
use crate::error::UserError;
use crate::i18n::{Lang, Said, Tr};
use crate::lesson::{Lesson, LessonEntry, ParamError, ParamSet};
use crate::lessons::REGISTRY;
use crate::seen::Seen;
use crate::theme::Theme;
use crate::ui::layout as shell;
use crate::widgets::scroll::Scroll;
use crate::{said, tr};

/// The speeds `+` and `-` move between, in steps per second.
pub const SPEEDS: &[u32] = &[
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000,
];

/// What a paste outside the input line says: it goes nowhere, and no key
/// in it is read as a command.
pub const PASTE_NOWHERE: Tr = tr!(
    "paste: press Enter on a parameter first",
    "粘贴：请先在某个参数上按 Enter"
);

/// The go-to prompt opened by `g`: a lesson chosen by a prefix of its id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Goto {
    /// What has been typed, lower-case.
    pub typed: String,
    /// The lesson a unique prefix has already opened; the rest of its id
    /// may still be typed (`g` `c` opens combsum, `o` `m` … are absorbed),
    /// so that typing the whole id fires no commands.
    pub opened: Option<usize>,
    /// The last letter matched no lesson and was not added.
    pub no_match: Option<char>,
}

/// A message on the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: Said,
    pub is_error: bool,
}

/// One tab: a lesson, the parameters and seed it was built from, and the
/// parameter edits not yet applied. The parameters and seed live here, once:
/// a reset or a change is a rebuild through the entry.
pub struct Tab {
    pub entry: &'static LessonEntry,
    /// The values the lesson was built with.
    pub params: ParamSet,
    pub seed: u64,
    pub lesson: Box<dyn Lesson>,
    /// Values that are each valid but not yet consistent together (a weights
    /// list longer than the values list); applied as soon as they agree.
    pub pending: Option<ParamSet>,
    /// Why the pending values cannot be applied yet.
    pub pending_error: Option<Said>,
    /// The key moments this run has raised so far.
    pub seen: Seen,
    /// What the last step forward raised (empty after a step back).
    pub raised: Vec<crate::lesson::Event>,
    /// The step quiz mode last stopped before in this run, so that playing
    /// on does not ask about it again; a new run forgets it.
    pub quizzed_at: Option<u64>,
}

impl Tab {
    /// The values the panel shows: pending edits where there are any.
    pub fn shown_params(&self) -> &ParamSet {
        self.pending.as_ref().unwrap_or(&self.params)
    }

    /// Back to step 0 with `seed`: in place where the lesson offers it and
    /// the seed is unchanged, else rebuilt from the tab's parameters. A
    /// failed rebuild (a data file gone since) keeps the old run.
    fn reset(&mut self, seed: u64) -> Result<(), ParamError> {
        if seed == self.seed && self.lesson.restart() {
            self.forget_run();
            return Ok(());
        }
        self.lesson = (self.entry.build)(&self.params, seed)?;
        self.seed = seed;
        self.forget_run();
        Ok(())
    }

    /// One step forward, noting the events it raised; `false` at the end.
    pub fn step(&mut self) -> bool {
        if !self.lesson.step() {
            return false;
        }
        self.raised.clear();
        self.lesson.events(&mut self.raised);
        self.seen.record(self.lesson.steps(), &self.raised);
        true
    }

    /// One step back; the events of the step undone are no longer current.
    pub fn step_back(&mut self) -> bool {
        let moved = self.lesson.step_back();
        if moved {
            self.raised.clear();
        }
        moved
    }

    /// What the step that reached the current one raised: from this run's
    /// marks, so stepping back onto a key moment names it again.
    pub fn events_now(&self) -> Vec<&crate::lesson::Event> {
        let marks = self.seen.at(self.lesson.steps());
        if marks.is_empty() {
            // Past the marks' cap the last step's own events still show.
            self.raised.iter().collect()
        } else {
            marks.iter().map(|mark| &mark.event).collect()
        }
    }

    /// A new run starts: nothing seen yet.
    pub(crate) fn forget_run(&mut self) {
        self.seen = Seen::default();
        self.raised.clear();
        self.quizzed_at = None;
    }
}

pub struct App {
    pub tabs: Vec<Tab>,
    pub active: usize,
    pub playing: bool,
    /// Steps per second while playing.
    pub speed: u32,
    /// The speed actually reached while playing, when it falls short of
    /// `speed` (steps slower than the time a frame leaves them).
    pub reached_speed: Option<u32>,
    pub fps: u32,
    /// Selected row of the parameter panel.
    pub param_cursor: usize,
    pub editor: Option<Editor>,
    pub goto: Option<Goto>,
    /// The question on screen, waiting for its answer or showing its reply.
    pub asking: Option<Asking>,
    /// Quiz mode (`A`): playing stops before marked moments to ask.
    pub quiz_mode: bool,
    /// Questions asked so far: the next one's kind takes its turn from it.
    questions_asked: u64,
    /// Tour stops seen and answers given, kept between runs.
    pub progress: crate::progress::Store,
    /// The guided tour under way, on the tab it belongs to.
    pub tour: Option<TourRun>,
    /// The step number typed after `G`, while its prompt is open.
    pub step_prompt: Option<String>,
    pub show_help: bool,
    /// Where the help stands when it takes more than one screen.
    pub help_scroll: Scroll,
    pub show_explain: bool,
    /// The page of the lesson's view shown, for a lesson that spreads its
    /// panels over pages on a small screen (`v` turns them).
    pub page: usize,
    pub language: Lang,
    /// The explanation pane's position; its renderer keeps it within the text.
    pub explain_scroll: Scroll,
    pub notice: Option<Notice>,
    pub theme: Theme,
    pub should_quit: bool,
    /// The last terminal size drawn, for mouse hit-testing.
    pub size: Size,
    /// Text for the terminal's clipboard, sent by `tui` with OSC 52 and cleared.
    pub clipboard: Option<String>,
    /// Seed for the next `R`: a fresh sequence derived from the configured seed.
    next_seed: u64,
}

impl App {
    /// Builds every lesson from the configuration, showing `start` (or the
    /// configured start lesson).
    pub fn new(config: &Config, start: Option<&str>, no_color: bool) -> Result<App, UserError> {
        let mut tabs = Vec::with_capacity(REGISTRY.len());
        for entry in REGISTRY {
            let params = config
                .lesson(entry.id)
                .cloned()
                .unwrap_or_else(|| entry.defaults());
            let lesson = (entry.build)(&params, config.seed)?;
            tabs.push(Tab {
                entry,
                params,
                seed: config.seed,
                lesson,
                pending: None,
                pending_error: None,
                seen: Seen::default(),
                raised: Vec::new(),
                quizzed_at: None,
            });
        }
        let start = start.unwrap_or(config.ui.start_lesson);
        let active = REGISTRY
            .iter()
            .position(|entry| entry.id == start)
            .ok_or_else(|| {
                UserError::new(format!(
                    "unknown lesson '{}'; known lessons are {}",
                    crate::error::echo(start),
                    crate::lessons::ids()
                ))
            })?;
        Ok(App {
            tabs,
            active,
            playing: false,
            speed: config.ui.speed.clamp(1, MAX_SPEED as u32),
            reached_speed: None,
            fps: config.ui.fps.max(1),
            param_cursor: 0,
            editor: None,
            goto: None,
            step_prompt: None,
            tour: None,
            asking: None,
            quiz_mode: false,
            questions_asked: 0,
            // In memory only until `main` hands over the file's store.
            progress: crate::progress::Store::at(None, true).0,
            show_help: false,
            help_scroll: Scroll::default(),
            show_explain: false,
            page: 0,
            language: config.ui.language.resolve(),
            explain_scroll: Scroll::default(),
            notice: None,
            theme: Theme::named(config.ui.theme, no_color),
            should_quit: false,
            size: Size::new(0, 0),
            clipboard: None,
            next_seed: config.seed,
        })
    }

    /// The dashboard the command line asks for: opened on `lesson` (or the
    /// configured start lesson) with `settings` (`--set KEY=VALUE`) applied to it.
    pub fn from_command_line(
        config: &Config,
        lesson: Option<&str>,
        settings: &[String],
        no_color: bool,
    ) -> Result<App, UserError> {
        let start = lesson.unwrap_or(config.ui.start_lesson);
        let mut config = config.clone();
        config.apply_settings(start, settings)?;
        App::new(&config, Some(start), no_color)
    }

    pub fn tab(&self) -> &Tab {
        &self.tabs[self.active]
    }

    pub(crate) fn tab_mut(&mut self) -> &mut Tab {
        &mut self.tabs[self.active]
    }

    /// The interface language.
    pub fn lang(&self) -> Lang {
        self.language
    }

    pub fn lesson(&self) -> &dyn Lesson {
        self.tab().lesson.as_ref()
    }

    /// Handles one terminal event; `true` when the screen must be redrawn.
    pub fn handle_event(&mut self, event: &Event) -> bool {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(key),
            // The input line is modal for the mouse as for keys: a click on a
            // tab would leave it editing a parameter index of another lesson.
            Event::Mouse(_) if self.editor.is_some() => false,
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => {
                    let closed = self.goto.take().is_some();
                    self.click(mouse.column, mouse.row) || closed
                }
                _ => false,
            },
            Event::Resize(width, height) => {
                self.size = Size::new(*width, *height);
                true
            }
            // A paste is one event and one redraw: in the input line it is
            // inserted whole; anywhere else it changes nothing, and none of
            // its characters is read as a key.
            Event::Paste(text) => {
                match (self.editor.as_mut(), action::lookup_edit_event(event)) {
                    (Some(editor), Some(EditAction::Paste)) => editor.paste(text),
                    _ => self.notify(PASTE_NOWHERE),
                }
                true
            }
            _ => false,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if self.editor.is_some() {
            return match action::lookup_edit(key) {
                Some(edit) => {
                    self.edit(edit);
                    true
                }
                None => false,
            };
        }
        if self.goto.is_some() {
            return self.goto_key(key);
        }
        if self.step_prompt.is_some() {
            return self.step_prompt_key(key);
        }
        if self.asking.as_ref().is_some_and(Asking::is_open) {
            return self.answer_key(key);
        }
        if self.show_help {
            // Help is modal: PgUp/PgDn page through it where it does not fit
            // on one screen; anything else closes it, Ctrl-C and q still quit.
            match action::lookup(key) {
                Some(Action::Quit) => self.should_quit = true,
                Some(Action::ScrollDown) if !self.help_scroll.fits() => {
                    self.help_scroll.page_down();
                    return true;
                }
                Some(Action::ScrollUp) if !self.help_scroll.fits() => {
                    self.help_scroll.page_up();
                    return true;
                }
                _ => {}
            }
            self.show_help = false;
            return true;
        }
        match action::lookup(key) {
            Some(action) => {
                self.update(action);
                true
            }
            None => false,
        }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.should_quit = true,
            Action::NextLesson => self.switch_to((self.active + 1) % self.tabs.len()),
            Action::PrevLesson => {
                self.switch_to((self.active + self.tabs.len() - 1) % self.tabs.len());
            }
            Action::GotoLesson(index) => {
                if index < self.tabs.len() {
                    self.switch_to(index);
                } else {
                    let (n, count) = (index + 1, self.tabs.len());
                    self.notify_error(said!(
                        "there is no lesson {n}; there are {count}",
                        "没有第 {n} 课；一共 {count} 课"
                    ));
                }
            }
            Action::GotoPrompt => self.goto = Some(Goto::default()),
            Action::PlayPause => self.play_pause(),
            Action::NextEvent => self.next_event(),
            Action::TourNext => self.tour_next(),
            Action::Ask => self.ask(),
            Action::QuizMode => self.toggle_quiz_mode(),
            Action::TourPrevious => self.tour_previous(),
            Action::PrevEvent => self.previous_event(),
            Action::StepPrompt => {
                self.playing = false;
                self.step_prompt = Some(String::new());
            }
            Action::StepForward => {
                self.playing = false;
                if !self.tab_mut().step() {
                    self.notify(tr!(
                        "finished: r resets, p steps back",
                        "已结束：r 重置，p 后退"
                    ));
                }
            }
            Action::StepBack => {
                self.playing = false;
                if !self.tab_mut().step_back() {
                    let at_start = self.lesson().steps() == 0;
                    self.notify(if at_start {
                        tr!("already at step 0", "已经在第 0 步")
                    } else {
                        tr!(
                            "no older history is kept: r resets to step 0",
                            "没有保留更早的历史：r 可重置到第 0 步"
                        )
                    });
                }
            }
            Action::Reset => {
                let seed = self.tab().seed;
                match self.tab_mut().reset(seed) {
                    Ok(()) => self.notify(tr!("reset to step 0", "已重置到第 0 步")),
                    Err(err) => self.notify_error(err.said()),
                }
            }
            Action::Reseed => {
                let seed = self.fresh_seed();
                match self.tab_mut().reset(seed) {
                    Ok(()) => self.notify(said!("reset with seed {seed}", "已用种子 {seed} 重置")),
                    Err(err) => self.notify_error(err.said()),
                }
            }
            Action::CopyCommand => {
                let command = self.reproduce_command();
                self.notify(said!(
                    "copied (OSC 52, where the terminal allows): {command}",
                    "已复制（OSC 52，终端支持时）：{command}"
                ));
                self.clipboard = Some(command);
            }
            Action::Faster => self.change_speed(1),
            Action::Slower => self.change_speed(-1),
            Action::PrevParam => self.move_param(-1),
            Action::NextParam => self.move_param(1),
            Action::DecreaseParam => self.nudge_param(-1),
            Action::IncreaseParam => self.nudge_param(1),
            Action::EditParam => self.open_editor(),
            // The view reduces it modulo its pages at the size it is drawn.
            Action::NextPage => self.page = self.page.wrapping_add(1),
            Action::ToggleExplain => {
                self.show_explain = !self.show_explain;
                self.explain_scroll.to_top();
            }
            Action::ToggleLanguage => {
                self.language = self.language.other();
                // The other language wraps to other lines: its top is the
                // only place that corresponds.
                self.explain_scroll.to_top();
                if !self.show_explain {
                    self.notify(tr!(
                        "language: English · e shows the explanation",
                        "语言：中文 · e 打开讲解"
                    ));
                }
            }
            Action::ToggleHelp => {
                self.show_help = !self.show_help;
                self.help_scroll.to_top();
            }
            Action::ScrollUp | Action::ScrollDown | Action::ScrollTop | Action::ScrollEnd => {
                self.scroll_explanation(action)
            }
            Action::Cancel => {
                if self.asking.take().is_some() || self.leave_tour() {
                    return;
                }
                if self.tab().pending.is_some() {
                    let tab = self.tab_mut();
                    tab.pending = None;
                    tab.pending_error = None;
                    self.notify(tr!("pending edits dropped", "已丢弃待定的修改"));
                } else if self.show_explain {
                    self.show_explain = false;
                }
            }
        }
    }

    /// Runs up to `steps` steps of the active lesson while playing; stops and
    /// pauses when the lesson finishes. Returns the steps taken.
    pub fn advance(&mut self, steps: u64) -> u64 {
        self.run_steps(steps, None)
    }

    /// As `advance`, but starts no step once `deadline` has passed (the first
    /// always runs), so that keys are read again soon however slow a step is.
    pub fn advance_until(&mut self, steps: u64, deadline: Instant) -> u64 {
        self.run_steps(steps, Some(deadline))
    }

    fn run_steps(&mut self, steps: u64, deadline: Option<Instant>) -> u64 {
        let mut taken = 0;
        while taken < steps {
            if taken > 0 && deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            if !self.tab_mut().step() {
                self.playing = false;
                self.notify(tr!(
                    "finished: r resets, Space replays",
                    "已结束：r 重置，Space 重放"
                ));
                break;
            }
            taken += 1;
            if self.quiz_before_moment() {
                // The step is taken back: the learner predicts it first.
                taken -= 1;
                break;
            }
        }
        taken
    }

    /// The command line that starts the dashboard on this run again: the
    /// lesson, its seed and every parameter that differs from the built-in
    /// defaults. `trace` with the same seed and settings gives the same numbers.
    pub fn reproduce_command(&self) -> String {
        let tab = self.tab();
        let mut words = vec![
            "learndeck".to_string(),
            "--lesson".to_string(),
            tab.entry.id.to_string(),
            "--seed".to_string(),
            tab.seed.to_string(),
        ];
        for (key, value) in tab.params.changed() {
            words.push("--set".to_string());
            words.push(shell_quote(&format!("{key}={value}")));
        }
        words.join(" ")
    }

    fn switch_to(&mut self, index: usize) {
        if index != self.active {
            self.asking = None;
            self.active = index;
            self.playing = false;
            self.param_cursor = 0;
            self.page = 0;
            self.explain_scroll.to_top();
            self.notice = None;
        }
    }

    /// Moves the explanation by a page or to an end; only while it is shown,
    /// since the keys mean nothing to the rest of the screen.
    fn scroll_explanation(&mut self, action: Action) {
        if !self.show_explain && self.active_tour().is_none() {
            self.notify(tr!(
                "e opens the explanation; PgUp/PgDn and Home/End move through it",
                "e 打开讲解；PgUp/PgDn 与 Home/End 在其中翻页"
            ));
            return;
        }
        let scroll = &mut self.explain_scroll;
        match action {
            Action::ScrollUp => scroll.page_up(),
            Action::ScrollDown => scroll.page_down(),
            Action::ScrollTop => scroll.to_top(),
            Action::ScrollEnd => scroll.to_end(),
            _ => {}
        }
    }

    fn play_pause(&mut self) {
        if self.playing {
            self.playing = false;
            return;
        }
        if self.lesson().is_finished() {
            let seed = self.tab().seed;
            if let Err(err) = self.tab_mut().reset(seed) {
                self.notify_error(err.said());
                return;
            }
        }
        self.playing = true;
        self.notice = None;
    }

    fn change_speed(&mut self, dir: i32) {
        let next = if dir > 0 {
            SPEEDS.iter().copied().find(|&s| s > self.speed)
        } else {
            SPEEDS.iter().rev().copied().find(|&s| s < self.speed)
        };
        if let Some(speed) = next {
            self.speed = speed;
        }
        let speed = self.speed;
        self.notify(said!("{speed} steps per second", "每秒 {speed} 步"));
    }

    fn fresh_seed(&mut self) -> u64 {
        // SplitMix64's increment and mix: distinct, well-spread seeds in sequence.
        self.next_seed = self.next_seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.next_seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % 1_000_000
    }

    fn move_param(&mut self, dir: i32) {
        let count = self.tab().shown_params().specs().len();
        if count == 0 {
            return;
        }
        self.param_cursor = if dir > 0 {
            (self.param_cursor + 1) % count
        } else {
            (self.param_cursor + count - 1) % count
        };
    }

    fn nudge_param(&mut self, dir: i32) {
        let params = self.tab().shown_params();
        let Some(spec) = params.specs().get(self.param_cursor) else {
            return;
        };
        let current = &params.values()[self.param_cursor];
        match spec.nudge(current, dir) {
            Some(value) if value == *current => {
                let key = spec.key;
                let Said {
                    en: allowed_en,
                    zh: allowed_zh,
                } = spec.allowed();
                self.notify(said!(
                    "{key}: already at the limit ({allowed_en})",
                    "{key}：已到边界（{allowed_zh}）"
                ));
            }
            Some(value) => {
                let mut next = params.clone();
                next.set_index(self.param_cursor, value);
                self.apply_params(next);
            }
            None => {
                let key = spec.key;
                self.notify(said!(
                    "{key}: press Enter to type a new value",
                    "{key}：按 Enter 输入新值"
                ));
            }
        }
    }

    fn open_editor(&mut self) {
        let params = self.tab().shown_params();
        if let Some(value) = params.values().get(self.param_cursor) {
            self.editor = Some(Editor::new(self.param_cursor, value.to_string()));
        }
    }

    fn edit(&mut self, edit: EditAction) {
        let Some(editor) = self.editor.as_mut() else {
            return;
        };
        match edit {
            EditAction::Cancel => self.editor = None,
            EditAction::Quit => self.should_quit = true,
            EditAction::Apply => self.apply_editor(),
            // A paste arrives as its own event, with its text (`paste`).
            EditAction::Paste => {}
            other => editor.edit(other),
        }
    }

    /// Enter in the input line. A value wrong on its own stays in the line
    /// with its reason; one that only disagrees with another parameter
    /// becomes a pending edit (see `wrong_on_its_own`).
    fn apply_editor(&mut self) {
        let Some(editor) = self.editor.as_ref() else {
            return;
        };
        let mut next = self.tab().shown_params().clone();
        let Some(key) = next.specs().get(editor.param).map(|spec| spec.key) else {
            self.editor = None;
            return;
        };
        // A value its own parameter refuses (not a number, out of range, too
        // many entries) is wrong on its own by definition.
        if let Err(err) = next.set_text(key, editor.text()) {
            if let Some(editor) = self.editor.as_mut() {
                editor.error = Some(err.said());
            }
            return;
        }
        match (self.tab().entry.build)(&next, self.tab().seed) {
            Ok(lesson) => {
                self.editor = None;
                self.install(next, lesson);
            }
            Err(err) if wrong_on_its_own(&next, key, &err) => {
                if let Some(editor) = self.editor.as_mut() {
                    editor.error = Some(err.said());
                }
            }
            Err(err) => {
                self.editor = None;
                self.keep_pending(next, &err);
            }
        }
    }

    /// Rebuilds the lesson with `params` from step 0; values that disagree with
    /// each other are kept as pending edits, and the running lesson is untouched.
    fn apply_params(&mut self, params: ParamSet) {
        let seed = self.tab().seed;
        let entry = self.tab().entry;
        match (entry.build)(&params, seed) {
            Ok(lesson) => self.install(params, lesson),
            Err(err) => self.keep_pending(params, &err),
        }
    }

    fn install(&mut self, params: ParamSet, lesson: Box<dyn Lesson>) {
        let tab = self.tab_mut();
        tab.lesson = lesson;
        tab.forget_run();
        tab.params = params;
        tab.pending = None;
        tab.pending_error = None;
        self.playing = false;
        self.notify(tr!(
            "parameters applied: restarted at step 0",
            "参数已生效：从第 0 步重新开始"
        ));
    }

    fn keep_pending(&mut self, params: ParamSet, err: &ParamError) {
        let tab = self.tab_mut();
        tab.pending = Some(params);
        tab.pending_error = Some(err.said());
        self.notify_error(tr!(
            "not applied yet: see the parameter panel (Esc drops the edits)",
            "尚未生效：见参数面板（Esc 丢弃这些修改）"
        ));
    }

    /// The lessons whose id starts with `prefix`, in tab order.
    pub fn lessons_starting(&self, prefix: &str) -> Vec<usize> {
        (0..self.tabs.len())
            .filter(|&at| self.tabs[at].entry.id.starts_with(prefix))
            .collect()
    }

    /// A key in the go-to prompt. Keys the prompt does not read close it and
    /// then act as they always do (Tab, Ctrl-C, …).
    fn goto_key(&mut self, key: &KeyEvent) -> bool {
        let Some(mut goto) = self.goto.take() else {
            return false;
        };
        let mut keep = true;
        let mut pass_on = false;
        match (action::lookup_goto(key), goto.opened) {
            (Some(GotoAction::Type(c)), Some(opened)) => {
                let typed = format!("{}{}", goto.typed, c.to_ascii_lowercase());
                let id = self.tabs[opened].entry.id;
                if id.starts_with(&typed) {
                    keep = typed != id;
                    goto.typed = typed;
                } else {
                    (keep, pass_on) = (false, true);
                }
            }
            (Some(GotoAction::Type(c)), None) => {
                let typed = format!("{}{}", goto.typed, c.to_ascii_lowercase());
                match self.lessons_starting(&typed).as_slice() {
                    [] => goto.no_match = Some(c),
                    [only] => {
                        keep = self.tabs[*only].entry.id != typed;
                        goto = Goto {
                            typed,
                            opened: Some(*only),
                            no_match: None,
                        };
                        self.switch_to(*only);
                    }
                    _ => {
                        goto.typed = typed;
                        goto.no_match = None;
                    }
                }
            }
            (Some(GotoAction::Open), opened) => {
                keep = false;
                let first = self.lessons_starting(&goto.typed).first().copied();
                if let (None, false, Some(first)) = (opened, goto.typed.is_empty(), first) {
                    self.switch_to(first);
                }
            }
            (Some(GotoAction::DeleteBack), None) => {
                goto.typed.pop();
                goto.no_match = None;
            }
            (Some(GotoAction::Cancel), _) => keep = false,
            (Some(GotoAction::DeleteBack), Some(_)) | (None, _) => (keep, pass_on) = (false, true),
        }
        if keep {
            self.goto = Some(goto);
        }
        if pass_on {
            self.handle_key(key);
        }
        true
    }

    /// A left click: on a tab, opens it; on the `‹` or `›` mark, opens the
    /// nearest lesson hidden on that side (which scrolls the bar to it).
    pub fn click(&mut self, column: u16, row: u16) -> bool {
        let Some(layout) =
            shell::ShellLayout::new(Rect::new(0, 0, self.size.width, self.size.height))
        else {
            return false;
        };
        if row != layout.tabs.y || column < layout.tabs.x {
            return false;
        }
        let titles = self.tab_titles();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let hit = shell::hit(
            &titles,
            self.active,
            layout.tabs.width,
            column - layout.tabs.x,
        );
        match hit {
            Some(index) => {
                self.switch_to(index);
                true
            }
            None => false,
        }
    }

    /// Each tab's title as the bar shows it: the lesson's title, then ✓ once
    /// its tour has been walked to the end, and the share of its questions
    /// answered right.
    pub fn tab_titles(&self) -> Vec<String> {
        let progress = self.progress.progress();
        self.tabs
            .iter()
            .map(|tab| {
                let id = tab.entry.id;
                let mut title = tab.entry.title.get(self.lang()).to_string();
                if progress.tour_finished(id) {
                    title.push_str(" ✓");
                }
                if let Some((right, asked)) = progress.accuracy(id).filter(|&(_, a)| a > 0) {
                    title.push_str(&format!(" {}%", right * 100 / asked));
                }
                title
            })
            .collect()
    }

    pub fn notify(&mut self, text: impl Into<Said>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: false,
        });
    }

    pub fn notify_error(&mut self, text: impl Into<Said>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: true,
        });
    }
}

/// Whether `err`, the refusal of `params` after `key` was typed, is about
/// that value alone rather than its disagreement with another parameter.
///
/// The set is checked as it would be applied: pending edits of the other
/// parameters included, so that the second of two matching list edits
/// applies both. The error's path names the parameter the lesson blames:
/// another one means a disagreement. The path alone is not enough, though:
/// a rule between two parameters blames one of them whichever was edited
/// (the knapsack always names `values` for "4 values for 5 weights"). Its
/// message tells: a refusal that depends on another parameter has to name
/// it, for the user to know what else to change, while one about this value
/// alone names none (heap `ops = frob:3`: "'frob:3' is not an operation").
/// Quoted text is the user's own input repeated, and is not read for names.
pub fn wrong_on_its_own(params: &ParamSet, key: &str, err: &ParamError) -> bool {
    if err.path != params.path(key) {
        return false;
    }
    let unquoted: String = err
        .message
        .en
        .split('\'')
        .step_by(2)
        .collect::<Vec<_>>()
        .join(" ");
    let others: Vec<&str> = params
        .specs()
        .iter()
        .map(|spec| spec.key)
        .filter(|other| *other != key)
        .collect();
    !unquoted
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| others.contains(&word))
}

/// `word` as one POSIX shell word: bare when it holds only characters no shell
/// treats specially, otherwise in single quotes.
pub fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-.,=:+/@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_stops_at_the_deadline_but_always_takes_one_step() {
        let config = Config::builtin().expect("built-in config");
        let mut app = App::new(&config, Some("optim"), true).expect("app");
        app.playing = true;
        // A deadline already past: one step, then back to the keys.
        assert_eq!(app.advance_until(1_000_000, Instant::now()), 1);
        // A generous one: every due step runs.
        let later = Instant::now() + std::time::Duration::from_secs(60);
        assert_eq!(app.advance_until(50, later), 50);
        assert_eq!(app.lesson().steps(), 51);
    }

    /// The refusal of `lesson`'s defaults with `key` set to `text`, and
    /// whether it is about that value alone.
    fn judged(lesson: &str, key: &str, text: &str) -> (String, bool) {
        judged_with(lesson, &[], key, text)
    }

    fn judged_with(lesson: &str, before: &[(&str, &str)], key: &str, text: &str) -> (String, bool) {
        let entry = REGISTRY
            .iter()
            .find(|entry| entry.id == lesson)
            .expect("a lesson");
        let mut params = entry.defaults();
        for (key, text) in before.iter().chain([&(key, text)]) {
            params
                .set_text(key, text)
                .expect("each value is fine alone");
        }
        let err = match (entry.build)(&params, 1) {
            Ok(_) => panic!("{lesson}.{key} = {text} builds"),
            Err(err) => err,
        };
        let own = wrong_on_its_own(&params, key, &err);
        (err.to_string(), own)
    }

    #[test]
    fn a_value_is_wrong_on_its_own_when_its_refusal_names_no_other_parameter() {
        let (why, own) = judged("heap", "ops", "frob:3");
        assert!(own, "{why}");
        // The user's own text, quoted back, is not read for names.
        let (why, own) = judged("heap", "ops", "input:3");
        assert!(own, "{why}");
        // Disagreements: blamed on this value but naming the other one…
        let (why, own) = judged("knapsack", "values", "5,8,7,10");
        assert!(!own, "{why}");
        let (why, own) = judged_with("score", &[("target", "custom")], "means", "-3,0,3");
        assert!(why.contains("2 weights"), "{why}");
        assert!(!own, "{why}");
        // …or blamed on the other one.
        let (why, own) = judged("knapsack", "weights", "2,4,5,6");
        assert!(why.starts_with("lesson.knapsack.values"), "{why}");
        assert!(!own, "{why}");
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_quote("lr=0.01"), "lr=0.01");
        assert_eq!(shell_quote("values=1,2,3"), "values=1,2,3");
        assert_eq!(shell_quote("path=my file"), "'path=my file'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
