//! Walking a lesson's tour in the dashboard: `t` starts it or goes on, `T`
//! goes back a stop, Esc leaves it with the lesson where it is.

use super::App;
use super::touring::TourRun;
use crate::tour::{self, Tour};
use crate::{said, tr};

impl App {
    /// The tour under way on the active tab, if any.
    pub fn active_tour(&self) -> Option<&TourRun> {
        self.tour.as_ref().filter(|run| run.tab == self.active)
    }

    /// `t`: the first stop of this lesson's tour, or the next one.
    pub(super) fn tour_next(&mut self) {
        let next = match self.active_tour() {
            Some(run) if run.stop + 1 >= run.tour.stops.len() => {
                self.tour = None;
                self.notify(tr!(
                    "tour finished: the lesson stays where it is; t starts it again",
                    "导览结束：课程停在这里；按 t 重新开始"
                ));
                return;
            }
            Some(run) => run.stop + 1,
            None => 0,
        };
        if next == 0 && !self.begin_tour() {
            return;
        }
        self.go_to_stop(next);
    }

    /// `T`: the previous stop.
    pub(super) fn tour_previous(&mut self) {
        match self.active_tour().map(|run| run.stop) {
            Some(0) => self.notify(tr!("this is the first stop", "这已经是第一站")),
            Some(stop) => self.go_to_stop(stop - 1),
            None => self.notify(tr!("t starts the tour", "按 t 开始导览")),
        }
    }

    /// Esc during a tour: the panel closes, the lesson stays.
    pub(super) fn leave_tour(&mut self) -> bool {
        if self.active_tour().is_none() {
            return false;
        }
        self.tour = None;
        self.notify(tr!(
            "left the tour; the lesson stays where it is",
            "已离开导览；课程停在这里"
        ));
        true
    }

    /// Loads the active lesson's tour; `false` (with a notice) when it has none.
    fn begin_tour(&mut self) -> bool {
        let entry = self.tab().entry;
        match Tour::of(entry) {
            Some(Ok(tour)) => {
                self.tour = Some(TourRun {
                    tab: self.active,
                    tour,
                    stop: 0,
                });
                true
            }
            Some(Err(why)) => {
                self.notify_error(said!(
                    "this tour cannot be read: {why}",
                    "导览文件读不了：{why}"
                ));
                false
            }
            None => {
                self.notify(tr!("this lesson has no tour yet", "这一课还没有导览"));
                false
            }
        }
    }

    /// Prepares stop `k`: its parameters and seed, from step 0, run to its
    /// `until`.
    pub fn go_to_stop(&mut self, k: usize) {
        let Some(run) = self.tour.as_mut() else {
            return;
        };
        let Some(stop) = run.tour.stops.get(k).cloned() else {
            return;
        };
        run.stop = k;
        self.playing = false;
        self.explain_scroll.to_top();
        self.notice = None;
        let tab = self.tab_mut();
        match stop.build(tab.entry) {
            Ok(lesson) => {
                tab.lesson = lesson;
                tab.params = stop.params.clone();
                tab.seed = stop.seed;
                tab.pending = None;
                tab.pending_error = None;
                tab.forget_run();
            }
            Err(err) => {
                self.notify_error(err.said());
                return;
            }
        }
        let reached = tour::run_until(&stop.until, |out| {
            let moved = tab.step();
            out.extend(tab.raised.iter().cloned());
            moved
        });
        if let Err(why) = reached {
            self.notify_error(said!(
                "this stop was not reached: {why}",
                "没有到达这一站：{why}"
            ));
            return;
        }
        let (id, count) = (
            self.tab().entry.id,
            self.tour.as_ref().map_or(0, |r| r.tour.stops.len()),
        );
        let (stop_index, stops) = (
            u32::try_from(k).unwrap_or(u32::MAX),
            u32::try_from(count).unwrap_or(u32::MAX),
        );
        if let Some(trouble) = self.progress.record_stop(id, stop_index, stops) {
            self.notify_error(trouble);
        }
        if stop.ask {
            self.ask();
        }
    }
}
