//! Questions in the dashboard: `a` asks one about the live state; the
//! learner types an answer; the reply says right or wrong with the answer
//! and why, and then the step(s) the question was about run, so the learner
//! sees it happen. `A` (quiz mode) stops before each key moment the lesson
//! marks and asks first.

use std::time::SystemTime;

use crossterm::event::KeyEvent;

use super::App;
use super::asking::Asking;
use crate::action::{self, GotoAction};
use crate::tr;

/// Most characters an answer may have: a list of a few dozen numbers.
const MAX_ANSWER_CHARS: usize = 200;

impl App {
    /// `a`: a question about the current state, the kinds taking turns.
    pub(super) fn ask(&mut self) {
        let pick = self.questions_asked;
        self.ask_with(pick);
    }

    /// Asks the question `pick` selects; says so when the lesson has none here.
    pub(super) fn ask_with(&mut self, pick: u64) -> bool {
        self.playing = false;
        match self.lesson().question(pick) {
            Some(question) => {
                self.questions_asked += 1;
                self.asking = Some(Asking {
                    question,
                    typed: String::new(),
                    right: None,
                    unreadable: None,
                });
                self.notice = None;
                true
            }
            None => {
                let has_any = !self.tab().entry.questions.is_empty();
                self.notify(if has_any {
                    tr!(
                        "nothing to ask at this step: step on and press a again",
                        "这一步没有可问的：往前走几步再按 a"
                    )
                } else {
                    tr!("this lesson asks no questions yet", "这一课还没有问题")
                });
                false
            }
        }
    }

    /// `A`: quiz mode on or off.
    pub(super) fn toggle_quiz_mode(&mut self) {
        self.quiz_mode = !self.quiz_mode;
        self.notify(if self.quiz_mode {
            tr!(
                "quiz mode: playing stops before each marked moment and asks first",
                "测验模式：播放时在每个标记的时刻之前停下来先提问"
            )
        } else {
            tr!("quiz mode off", "测验模式已关闭")
        });
    }

    /// Quiz mode, after a step while playing: when the step raised a moment
    /// the lesson asks about, it is taken back and the question asked first.
    /// `true` when it stopped to ask.
    pub(super) fn quiz_before_moment(&mut self) -> bool {
        // A reply still on screen does not hold quiz mode back; a question
        // waiting for its answer cannot be under way while playing.
        if !self.quiz_mode || self.asking.as_ref().is_some_and(Asking::is_open) {
            return false;
        }
        let tab = self.tab();
        let step = tab.lesson.steps();
        if tab.quizzed_at == Some(step) {
            return false;
        }
        let ask = tab.raised.iter().find_map(|event| {
            let kind = crate::lesson::event::kind(tab.entry.events, event.kind)?;
            kind.ask
        });
        let Some(kind) = ask else {
            return false;
        };
        let Some(pick) = tab.entry.questions.iter().position(|q| q.id == kind) else {
            return false;
        };
        if !self.tab_mut().step_back() {
            return false;
        }
        self.tab_mut().quizzed_at = Some(step);
        self.ask_with(pick as u64)
    }

    /// A key while a question waits for its answer.
    pub(super) fn answer_key(&mut self, key: &KeyEvent) -> bool {
        let Some(asking) = self.asking.as_mut() else {
            return false;
        };
        match action::lookup_answer(key) {
            Some(GotoAction::Type(c)) => {
                // After a refusal the next character starts a new answer.
                if asking.unreadable.is_some() {
                    asking.typed.clear();
                }
                if asking.typed.chars().count() < MAX_ANSWER_CHARS {
                    asking.typed.push(c);
                }
                asking.unreadable = None;
            }
            Some(GotoAction::DeleteBack) => {
                asking.typed.pop();
            }
            Some(GotoAction::Cancel) => self.asking = None,
            Some(GotoAction::Open) => self.reply(),
            // Ctrl-C still quits; other keys wait for the answer.
            None => {
                if let Some(crate::action::Action::Quit) = action::lookup(key)
                    && key
                        .modifiers
                        .contains(crossterm::event::KeyModifiers::CONTROL)
                {
                    self.should_quit = true;
                }
            }
        }
        true
    }

    /// Grades the typed answer, records it, and runs the steps it was about.
    fn reply(&mut self) {
        let Some(asking) = self.asking.as_mut() else {
            return;
        };
        let right = match asking.question.check(&asking.typed) {
            Ok(right) => right,
            Err(why) => {
                asking.unreadable = Some(why);
                return;
            }
        };
        asking.right = Some(right);
        let (kind, steps) = (asking.question.kind, asking.question.steps);
        let id = self.tab().entry.id;
        if let Some(trouble) = self
            .progress
            .record_answer(id, kind, right, SystemTime::now())
        {
            self.notify_error(trouble);
        }
        let target = self.lesson().steps().saturating_add(steps);
        self.run_to(target);
    }
}
