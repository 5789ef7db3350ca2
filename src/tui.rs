//! The terminal: setup, guaranteed restore (quit, error, panic), and the event
//! loop that blocks on input while paused and paces steps while playing.

use std::io::{self, IsTerminal, Stdout, stdout};
use std::time::{Duration, Instant};

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::App;
use crate::error::UserError;
use crate::ui;

/// Runs the dashboard until the user quits; the terminal is restored however it ends.
pub fn run(app: &mut App) -> io::Result<()> {
    install_panic_hook();
    install_signal_handler()?;
    let mut terminal = match setup() {
        Ok(terminal) => terminal,
        Err(err) => {
            restore();
            return Err(err);
        }
    };
    let result = event_loop(&mut terminal, app);
    restore();
    result
}

/// What the dashboard says when it has no terminal to draw on.
pub const NEEDS_TERMINAL: &str =
    "the dashboard needs a terminal; `learndeck trace` runs without one";

/// Refuses to start without a terminal, before anything is written: the
/// screen is drawn on stdout and keys are read in raw mode, so both must work.
pub fn ensure_terminal() -> Result<(), UserError> {
    if !stdout().is_terminal() {
        return Err(UserError::new(format!(
            "{NEEDS_TERMINAL} (standard output is not a terminal)"
        )));
    }
    // Raw mode is a setting of the terminal device, not output: trying it
    // writes nothing, and fails without a controlling terminal (setsid, cron).
    enable_raw_mode().map_err(|err| UserError::new(format!("{NEEDS_TERMINAL} ({err})")))?;
    disable_raw_mode().map_err(|err| UserError::new(format!("{NEEDS_TERMINAL} ({err})")))
}

fn setup() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    enable_raw_mode()?;
    // Bracketed paste: a paste arrives as one event, its text never read as
    // keys (a pasted `q` would quit) and drawn once, not once per character.
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Puts the terminal back as we found it; safe to call more than once.
pub fn restore() {
    // Each step is tried even if an earlier one fails: a half-restored terminal is worse.
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT from outside (a `kill`, a closed SSH
/// session) would otherwise end the process with the terminal still raw. A
/// thread waits for them, restores the terminal and exits with 128 + signal,
/// the shell's convention; the event loop is never woken for it.
#[cfg(unix)]
fn install_signal_handler() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    use signal_hook::iterator::Signals;
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn install_signal_handler() -> io::Result<()> {
    Ok(())
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Decides how many steps are due, so that steps per second do not depend on
/// how often frames are drawn. Counts in nanosecond-steps, exactly: polling
/// often or rarely gives the same number of steps.
#[derive(Clone, Debug, Default)]
pub struct Pacer {
    last: Option<Instant>,
    /// Owed fraction of a step, in units of 1/NANOS_PER_SECOND step.
    carry: u128,
}

const NANOS_PER_SECOND: u128 = 1_000_000_000;

impl Pacer {
    /// Starts (or restarts) pacing: the first step is due at once.
    pub fn start(&mut self, now: Instant) {
        self.last = Some(now);
        self.carry = NANOS_PER_SECOND;
    }

    pub fn stop(&mut self) {
        self.last = None;
    }

    pub fn is_running(&self) -> bool {
        self.last.is_some()
    }

    /// Whole steps due at `now` at `rate` steps per second.
    pub fn due(&mut self, now: Instant, rate: u32) -> u64 {
        let Some(last) = self.last else {
            return 0;
        };
        let rate = u128::from(rate.max(1));
        let owed = self.carry + now.saturating_duration_since(last).as_nanos() * rate;
        // After a stall (a suspended process) catch up one second's worth, not the backlog.
        let cap = (rate + 1) * NANOS_PER_SECOND;
        let owed = owed.min(cap);
        self.carry = owed % NANOS_PER_SECOND;
        self.last = Some(now);
        u64::try_from(owed / NANOS_PER_SECOND).unwrap_or(u64::MAX)
    }

    /// How long until the next step is due at `rate`.
    pub fn until_next(&self, rate: u32) -> Duration {
        let rate = u128::from(rate.max(1));
        let missing = NANOS_PER_SECOND - self.carry.min(NANOS_PER_SECOND);
        Duration::from_nanos(u64::try_from(missing.div_ceil(rate)).unwrap_or(u64::MAX))
    }
}

/// The longest stretch of stepping between two looks at the input: a key is
/// answered within this plus one step and one frame, however slow the steps.
pub const STEP_BUDGET: Duration = Duration::from_millis(8);

/// Measures the speed actually reached, over windows of about a second, when
/// the budget cut stepping short: the status line then says what the asked
/// speed became ("≈ 340 steps/s of 10,000").
#[derive(Clone, Debug, Default)]
pub struct RateMeter {
    window_start: Option<Instant>,
    steps: u64,
    cut_short: bool,
}

/// How long the reached speed is averaged over.
const RATE_WINDOW: Duration = Duration::from_secs(1);

impl RateMeter {
    /// Counts one pass of `taken` steps, `cut_short` when the budget ended it
    /// before every due step ran. Returns the reached speed at the end of a
    /// window where some pass was cut short, `Some(None)` at the end of a
    /// window that kept up, and `None` between ends of windows.
    pub fn record(&mut self, now: Instant, taken: u64, cut_short: bool) -> Option<Option<u32>> {
        let start = *self.window_start.get_or_insert(now);
        self.steps += taken;
        self.cut_short |= cut_short;
        let elapsed = now.saturating_duration_since(start);
        if elapsed < RATE_WINDOW {
            return None;
        }
        let rate = self.steps as f64 / elapsed.as_secs_f64();
        let reached = self.cut_short.then(|| rate.round() as u32);
        *self = RateMeter {
            window_start: Some(now),
            ..RateMeter::default()
        };
        Some(reached)
    }

    pub fn reset(&mut self) {
        *self = RateMeter::default();
    }
}

fn event_loop(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &mut App) -> io::Result<()> {
    let size = terminal.size()?;
    app.size = size;
    let frame_interval = Duration::from_secs_f64(1.0 / f64::from(app.fps.max(1)));
    let mut pacer = Pacer::default();
    let mut meter = RateMeter::default();
    let mut dirty = true;
    let mut next_frame = Instant::now();
    // Whether the last pass of stepping was cut short by the budget: then
    // steps are owed at once, and the loop only glances at the input.
    let mut behind = false;
    loop {
        // Playing, frames come at the frame rate; after a key, at once.
        if dirty && (!app.playing || Instant::now() >= next_frame) {
            terminal.draw(|frame| ui::draw(app, frame))?;
            dirty = false;
            next_frame = Instant::now() + frame_interval;
        }
        if app.should_quit {
            return Ok(());
        }
        // Paused: block until the user does something; no timer, no CPU.
        let event = if app.playing {
            let wait = if behind {
                Duration::ZERO
            } else {
                let next_step = pacer.until_next(app.speed);
                let next_draw = next_frame.saturating_duration_since(Instant::now());
                if dirty {
                    next_step.min(next_draw)
                } else {
                    next_step
                }
            };
            if event::poll(wait)? {
                Some(event::read()?)
            } else {
                None
            }
        } else {
            Some(event::read()?)
        };
        if let Some(event) = event {
            dirty |= app.handle_event(&event);
        }
        if let Some(text) = app.clipboard.take() {
            // Terminals without OSC 52 ignore the sequence; nothing else to do.
            execute!(
                terminal.backend_mut(),
                CopyToClipboard::to_clipboard_from(text)
            )?;
        }
        let now = Instant::now();
        match (app.playing, pacer.is_running()) {
            (true, false) => pacer.start(now),
            (false, true) => {
                pacer.stop();
                meter.reset();
                behind = false;
                if app.reached_speed.take().is_some() {
                    dirty = true;
                }
            }
            _ => {}
        }
        if app.playing {
            // Steps the budget could not fit are dropped, not owed: a speed
            // the machine cannot reach becomes the speed it can.
            let due = pacer.due(now, app.speed);
            let taken = if due > 0 {
                app.advance_until(due, now + STEP_BUDGET)
            } else {
                0
            };
            behind = app.playing && taken < due;
            // A run that stopped itself (finished, or quiz mode stopped to
            // ask, taking its step back) changed the screen even with no
            // step to show for it.
            dirty |= taken > 0 || !app.playing;
            if let Some(reached) = meter.record(Instant::now(), taken, behind) {
                dirty |= app.reached_speed != reached;
                app.reached_speed = reached;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_rate_not_the_polling() {
        let t0 = Instant::now();
        let mut pacer = Pacer::default();
        pacer.start(t0);
        // First step at once, then 10 per second whether polled often or rarely.
        assert_eq!(pacer.due(t0, 10), 1);
        let mut total = 0;
        for ms in (10..=1000).step_by(10) {
            total += pacer.due(t0 + Duration::from_millis(ms), 10);
        }
        assert_eq!(total, 10);
        let mut other = Pacer::default();
        other.start(t0);
        other.due(t0, 10);
        assert_eq!(other.due(t0 + Duration::from_millis(1000), 10), 10);
    }

    #[test]
    fn a_long_stall_catches_up_only_a_little() {
        let t0 = Instant::now();
        let mut pacer = Pacer::default();
        pacer.start(t0);
        let due = pacer.due(t0 + Duration::from_secs(60), 1000);
        assert_eq!(due, 1001);
    }

    #[test]
    fn the_meter_reports_a_speed_only_when_passes_were_cut_short() {
        let t0 = Instant::now();
        let mut meter = RateMeter::default();
        assert_eq!(meter.record(t0, 5, false), None);
        assert_eq!(
            meter.record(t0 + Duration::from_millis(500), 5, false),
            None
        );
        // A window that kept up reports nothing to show.
        assert_eq!(
            meter.record(t0 + Duration::from_secs(1), 0, false),
            Some(None)
        );
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(
            meter.record(t1 + Duration::from_millis(300), 100, true),
            None
        );
        assert_eq!(
            meter.record(t1 + Duration::from_secs(2), 240, true),
            Some(Some(170))
        );
    }

    #[test]
    fn a_stopped_pacer_owes_nothing() {
        let mut pacer = Pacer::default();
        assert_eq!(pacer.due(Instant::now(), 100), 0);
    }
}
