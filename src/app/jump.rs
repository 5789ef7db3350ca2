//! Moving through a run by its key moments and by step number: `]` and `[`
//! jump to the next and previous event, `G` types a step to go to.

use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;

use super::App;
use crate::action::{self, GotoAction};
use crate::{said, tr};

/// The most steps one jump runs forward looking for an event or a step.
pub const MAX_JUMP_STEPS: u64 = 100_000;
/// The longest one jump may run (slow steps: 100k particles), so the
/// dashboard answers keys again soon; the message says how far it got.
const JUMP_BUDGET: Duration = Duration::from_secs(2);
/// Digits a step number may have (`MAX_JUMP_STEPS` ahead of any run fits).
const MAX_STEP_DIGITS: usize = 12;

/// How a run forward ended.
enum Ran {
    /// Stopped where it was asked to.
    Arrived,
    /// The run finished first.
    Finished,
    /// `MAX_JUMP_STEPS` or `JUMP_BUDGET` ran out first.
    OutOfRoom,
}

impl App {
    /// `]`: the next step that raises an event, from the marks of this run
    /// when it has been there already, else by running forward.
    pub(super) fn next_event(&mut self) {
        self.playing = false;
        let now = self.lesson().steps();
        if let Some(step) = self.tab().seen.next_after(now) {
            self.go_to(step);
            return;
        }
        let ran = self.run_forward(|tab| !tab.raised.is_empty(), u64::MAX);
        let taken = self.lesson().steps() - now;
        match ran {
            Ran::Arrived => self.show_current_events(),
            Ran::Finished => self.notify(tr!(
                "no later key moment: the run has ended",
                "后面没有关键时刻了：运行已结束"
            )),
            Ran::OutOfRoom => self.notify(said!(
                "no key moment in the next {taken} steps; ] looks further",
                "之后 {taken} 步里没有关键时刻；再按 ] 继续找"
            )),
        }
    }

    /// `[`: the last step before this one that raised an event in this run.
    pub(super) fn previous_event(&mut self) {
        self.playing = false;
        let now = self.lesson().steps();
        match self.tab().seen.last_before(now) {
            Some(step) => self.go_to(step),
            None => self.notify(tr!(
                "no earlier key moment in this run",
                "这次运行里前面没有关键时刻"
            )),
        }
    }

    /// Goes to `target`: back through the rewind history when it reaches,
    /// else by rebuilding the run (same parameters and seed, so the same
    /// run) and stepping forward; forward by stepping.
    pub fn go_to(&mut self, target: u64) {
        self.playing = false;
        let now = self.lesson().steps();
        if target < now {
            let back = now - target;
            if back <= self.lesson().rewind_depth() as u64 {
                for _ in 0..back {
                    self.tab_mut().step_back();
                }
            } else if let Err(err) = self.replay_from_start() {
                self.notify_error(err);
                return;
            }
        }
        let ran = self.run_forward(|_| false, target);
        let at = self.lesson().steps();
        match ran {
            Ran::Arrived => self.show_current_events(),
            Ran::Finished => {
                self.notify(said!("the run ends at step {at}", "运行在第 {at} 步结束"))
            }
            Ran::OutOfRoom => self.notify(said!(
                "stopped at step {at} on the way to {target}; G again goes on",
                "去第 {target} 步的路上停在第 {at} 步；再按 G 继续"
            )),
        }
    }

    /// Runs forward to `target` within the jump's limits, quietly: what the
    /// steps were about is already on screen.
    pub(super) fn run_to(&mut self, target: u64) {
        if let Ran::OutOfRoom = self.run_forward(|_| false, target) {
            let at = self.lesson().steps();
            self.notify(said!(
                "stopped at step {at} on the way to {target}; G goes on",
                "去第 {target} 步的路上停在第 {at} 步；按 G 继续"
            ));
        }
    }

    /// The same run from step 0, keeping what it has already seen.
    fn replay_from_start(&mut self) -> Result<(), crate::i18n::Said> {
        let tab = self.tab_mut();
        tab.lesson = (tab.entry.build)(&tab.params, tab.seed).map_err(|err| err.said())?;
        tab.raised.clear();
        Ok(())
    }

    /// Steps until `stop` holds after a step or step `target` is reached,
    /// within the jump's limits.
    fn run_forward(&mut self, stop: impl Fn(&super::Tab) -> bool, target: u64) -> Ran {
        let deadline = Instant::now() + JUMP_BUDGET;
        for _ in 0..MAX_JUMP_STEPS {
            if self.lesson().steps() >= target {
                return Ran::Arrived;
            }
            if !self.tab_mut().step() {
                return Ran::Finished;
            }
            if stop(self.tab()) {
                return Ran::Arrived;
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        if self.lesson().steps() >= target {
            Ran::Arrived
        } else {
            Ran::OutOfRoom
        }
    }

    /// The status line names what the current step raised, if anything.
    fn show_current_events(&mut self) {
        self.notice = None;
    }

    /// A key in the step prompt: digits, Enter to go, Backspace, Esc.
    pub(super) fn step_prompt_key(&mut self, key: &KeyEvent) -> bool {
        let Some(mut typed) = self.step_prompt.take() else {
            return false;
        };
        match action::lookup_step(key) {
            Some(GotoAction::Type(digit)) => {
                if typed.len() < MAX_STEP_DIGITS {
                    typed.push(digit);
                }
                self.step_prompt = Some(typed);
            }
            Some(GotoAction::DeleteBack) => {
                typed.pop();
                self.step_prompt = Some(typed);
            }
            Some(GotoAction::Open) => match typed.parse::<u64>() {
                Ok(step) => self.go_to(step),
                Err(_) => self.notify(tr!("no step typed", "没有输入步数")),
            },
            Some(GotoAction::Cancel) => {}
            // Any other key closes the prompt and does what it always does.
            None => {
                self.handle_key(key);
            }
        }
        true
    }
}
