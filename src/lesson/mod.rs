//! What the shell knows of a lesson: the [`Lesson`] trait, its registry entry,
//! its parameters and its rewindable timeline.

pub mod event;
pub mod history;
pub mod param;
pub mod preset;
pub mod question;
pub mod replay;
pub mod scratch;
pub mod shape;
pub mod timeline;
pub mod trace;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub use event::{Event, EventKind};
pub(crate) use param::choices;
pub use param::{Choice, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue};
pub use question::{Answer, Question, QuestionKind};
pub use timeline::Timeline;
pub use trace::Field;

use crate::i18n::{Lang, Tr};
use crate::theme::Look;

/// Builds a lesson from checked parameters and a seed.
pub type BuildFn = fn(&ParamSet, u64) -> Result<Box<dyn Lesson>, ParamError>;

/// How a lesson is found and built: one line per lesson in `lessons::REGISTRY`.
pub struct LessonEntry {
    /// The id used on the command line and in config.toml (`knapsack`).
    pub id: &'static str,
    /// The tab title.
    pub title: Tr,
    /// A one-line description for `learndeck list`.
    pub summary: &'static str,
    /// The lesson's parameters with their defaults.
    pub specs: fn() -> Vec<ParamSpec>,
    /// Cross-parameter checks (each value is already valid on its own):
    /// `validate::<Setup>`, the lesson's typed read.
    pub validate: fn(&ParamSet) -> Result<(), ParamError>,
    /// Builds the lesson at its first step; fails as `validate` does.
    pub build: BuildFn,
    /// `assets/lessons/<id>.md`: an `## en` and a `## zh` section.
    pub explanation: &'static str,
    /// The key moments a run can raise (`Lesson::events`), in the order
    /// `learndeck list` shows them.
    pub events: &'static [EventKind],
    /// `assets/tours/<id>.toml`, the lesson's guided tour (`tour::Tour`).
    pub tour: Option<&'static str>,
    /// The kinds of question `Lesson::question` can ask, in the order
    /// `learndeck list` shows them; empty for a lesson that asks none.
    pub questions: &'static [QuestionKind],
}

impl LessonEntry {
    pub fn defaults(&self) -> ParamSet {
        ParamSet::defaults(self.id, (self.specs)())
    }
}

/// A lesson's parameters read once into a typed value (enums for choices,
/// `Vec`s for lists), with the checks that involve several parameters. The
/// only place a lesson looks a parameter up by its key; every lesson calls
/// its reading `Setup`.
pub trait FromParams: Sized {
    fn from_params(params: &ParamSet) -> Result<Self, ParamError>;
}

/// `LessonEntry::validate` for a lesson whose setup is `S`: the same read.
pub fn validate<S: FromParams>(params: &ParamSet) -> Result<(), ParamError> {
    S::from_params(params).map(|_| ())
}

/// A running lesson: a model on a timeline, plus how to show and report it.
///
/// Its parameters and seed are the shell's (`app::Tab`): a lesson is built
/// from them by its entry, and a reset is a rebuild. Views only read:
/// `render` takes `&self`.
pub trait Lesson {
    /// The run: stepped forward and back by the shell.
    fn timeline(&self) -> &dyn Timeline;
    fn timeline_mut(&mut self) -> &mut dyn Timeline;
    /// The number of steps of a complete run, for lessons that finish.
    fn total_steps(&self) -> Option<u64> {
        None
    }
    fn is_finished(&self) -> bool;
    /// Back to step 0 in place, for a lesson whose rebuild is costly (it
    /// reads a file, say); `false` (the default) lets the shell rebuild it.
    fn restart(&mut self) -> bool {
        false
    }

    /// The pseudocode shown in the explanation pane and the view, its
    /// comments in `lang` (the code itself is the same in both).
    fn pseudocode(&self, lang: Lang) -> &'static [&'static str];
    /// The pseudocode line (0-based) the model is at.
    fn current_line(&self) -> usize;
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look);
    /// How many pages the view needs at `area`: a lesson whose panels do
    /// not all fit a small terminal puts some on further pages, which one
    /// key (named in the footer) turns.
    fn pages(&self, _area: Rect) -> usize {
        1
    }
    /// Page `page` (below `pages(area)`) of the view.
    fn render_page(&self, _page: usize, area: Rect, buf: &mut Buffer, look: &Look) {
        self.render(area, buf, look);
    }

    /// The CSV columns of `learndeck trace`.
    fn trace_columns(&self) -> &'static [&'static str];
    /// Rows describing the state before the first step (most lessons: none).
    fn trace_start(&self, _rows: &mut Vec<Vec<Field>>) {}
    /// Rows describing the step just taken (zero or more).
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>);
    /// The current state for `learndeck trace --summary`.
    fn summary(&self) -> toml::Table;
    /// Steps of a headless run without `--steps`: `None` runs to the end.
    fn headless_steps(&self) -> Option<u64> {
        None
    }
    /// The key moments the step just taken raised (kinds from the entry's
    /// `events`); most steps raise none.
    fn events(&self, _out: &mut Vec<Event>) {}
    /// A question about the current state or the step(s) right after it,
    /// its kind one of the entry's `questions`; `None` when nothing worth
    /// asking applies here (most lessons ask nothing). `pick` chooses among
    /// the kinds that apply: any number, reduced by the lesson, so a caller
    /// counting or drawing from a seed gets the same question again. The
    /// answer comes from the model (a copy stepped, or its state read),
    /// never from a formula of the question's own.
    fn question(&self, _pick: u64) -> Option<Question> {
        None
    }
}

/// The timeline's moves, said of the lesson.
impl dyn Lesson + '_ {
    /// One step forward; `false` when the run has finished.
    pub fn step(&mut self) -> bool {
        self.timeline_mut().step()
    }
    /// One step back; `false` at the start or past the rewind depth.
    pub fn step_back(&mut self) -> bool {
        self.timeline_mut().back()
    }
    /// Steps taken since the start.
    pub fn steps(&self) -> u64 {
        self.timeline().steps()
    }
    /// How many steps can be undone now.
    pub fn rewind_depth(&self) -> usize {
        self.timeline().depth()
    }
}

/// The `## en` or `## zh` part of an explanation file.
pub fn explanation_section<'a>(text: &'a str, language: &str) -> &'a str {
    let heading = format!("## {language}");
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let next = offset + line.len();
        match start {
            None if line.trim_end() == heading => start = Some(next),
            Some(from) if line.starts_with("## ") => return text[from..offset].trim(),
            _ => {}
        }
        offset = next;
    }
    start.map_or("", |from| text[from..].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_on_level_two_headings() {
        let text = "# T\n## en\nHello\n### sub\nmore\n## zh\n你好\n";
        assert_eq!(explanation_section(text, "en"), "Hello\n### sub\nmore");
        assert_eq!(explanation_section(text, "zh"), "你好");
        assert_eq!(explanation_section(text, "fr"), "");
    }
}
