//! What the shell knows of a lesson: the [`Lesson`] trait, its registry entry,
//! its parameters and its rewindable timeline.

pub mod history;
pub mod param;
pub mod replay;
pub mod scratch;
pub mod timeline;
pub mod trace;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub use param::{ParamError, ParamKind, ParamSet, ParamSpec, ParamValue};
pub use trace::Field;

use crate::theme::Theme;

/// Builds a lesson from checked parameters and a seed.
pub type BuildFn = fn(&ParamSet, u64) -> Result<Box<dyn Lesson>, ParamError>;

/// How a lesson is found and built: one line per lesson in `lessons::REGISTRY`.
pub struct LessonEntry {
    /// The id used on the command line and in config.toml (`knapsack`).
    pub id: &'static str,
    /// The tab title.
    pub title: &'static str,
    /// A one-line description for `learndeck list`.
    pub summary: &'static str,
    /// The lesson's parameters with their defaults.
    pub specs: fn() -> Vec<ParamSpec>,
    /// Cross-parameter checks (each value is already valid on its own).
    pub validate: fn(&ParamSet) -> Result<(), ParamError>,
    /// Builds the lesson at its first step; fails as `validate` does.
    pub build: BuildFn,
    /// `assets/lessons/<id>.md`: an `## en` and a `## zh` section.
    pub explanation: &'static str,
}

impl LessonEntry {
    pub fn defaults(&self) -> ParamSet {
        ParamSet::defaults(self.id, (self.specs)())
    }
}

/// A running lesson: a model on a timeline, plus how to show and report it.
///
/// Views only read: `render` takes `&self`.
pub trait Lesson {
    /// The parameters it was built with.
    fn params(&self) -> &ParamSet;
    fn seed(&self) -> u64;

    /// One step forward; `false` when the run has finished.
    fn step(&mut self) -> bool;
    /// One step back; `false` at the start or past the rewind depth.
    fn step_back(&mut self) -> bool;
    /// Steps taken since the start.
    fn steps(&self) -> u64;
    /// The number of steps of a complete run, for lessons that finish.
    fn total_steps(&self) -> Option<u64>;
    fn is_finished(&self) -> bool;
    /// How many steps can be undone now.
    fn rewind_depth(&self) -> usize;
    /// Back to step 0 with this seed, same parameters.
    fn reset(&mut self, seed: u64);

    /// The pseudocode shown in the explanation pane and the view.
    fn pseudocode(&self) -> &'static [&'static str];
    /// The pseudocode line (0-based) the model is at.
    fn current_line(&self) -> usize;
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme);

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
}

/// The `Lesson` methods that only hand over to a timeline (`UndoLog`,
/// `Checkpoints` or `Replay`) held in field `$timeline`, for lessons that
/// keep `params` and `seed` fields and do nothing else on a step.
macro_rules! delegate_timeline {
    ($timeline:ident) => {
        fn params(&self) -> &$crate::lesson::ParamSet {
            &self.params
        }
        fn seed(&self) -> u64 {
            self.seed
        }
        fn step(&mut self) -> bool {
            self.$timeline.step()
        }
        fn step_back(&mut self) -> bool {
            self.$timeline.back()
        }
        fn steps(&self) -> u64 {
            self.$timeline.steps()
        }
        fn rewind_depth(&self) -> usize {
            self.$timeline.depth()
        }
    };
}
pub(crate) use delegate_timeline;

/// For lessons that are a recorded `Replay` in field `$replay`: the timeline
/// methods, plus the run's length and end, and a reset that rewinds (a
/// recording does not depend on the seed).
macro_rules! delegate_replay {
    ($replay:ident) => {
        $crate::lesson::delegate_timeline!($replay);
        fn total_steps(&self) -> Option<u64> {
            Some(self.$replay.total())
        }
        fn is_finished(&self) -> bool {
            self.$replay.is_finished()
        }
        fn reset(&mut self, seed: u64) {
            self.seed = seed;
            self.$replay.rewind();
        }
    };
}
pub(crate) use delegate_replay;

/// For lessons on `Checkpoints` in field `$timeline` that keep a chart
/// history in field `$history`: a step records into the history (the
/// lesson's own `fn record(&mut self)`), a step back forgets what lies ahead.
macro_rules! delegate_recorded {
    ($timeline:ident, $history:ident) => {
        fn params(&self) -> &$crate::lesson::ParamSet {
            &self.params
        }
        fn seed(&self) -> u64 {
            self.seed
        }
        fn step(&mut self) -> bool {
            if !self.$timeline.step() {
                return false;
            }
            self.record();
            true
        }
        fn step_back(&mut self) -> bool {
            if !self.$timeline.back() {
                return false;
            }
            self.$history.truncate_after(self.$timeline.steps());
            true
        }
        fn steps(&self) -> u64 {
            self.$timeline.steps()
        }
        fn rewind_depth(&self) -> usize {
            self.$timeline.depth()
        }
    };
}
pub(crate) use delegate_recorded;

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
