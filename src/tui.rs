//! The terminal: setup, guaranteed restore (quit, error, panic), and the event
//! loop that blocks on input while paused and paces steps while playing.

use std::io::{self, Stdout, stdout};
use std::time::{Duration, Instant};

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::App;
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

fn setup() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Puts the terminal back as we found it; safe to call more than once.
pub fn restore() {
    // Each step is tried even if an earlier one fails: a half-restored terminal is worse.
    let _ = execute!(
        stdout(),
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

fn event_loop(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &mut App) -> io::Result<()> {
    let size = terminal.size()?;
    app.size = size;
    let frame_interval = Duration::from_secs_f64(1.0 / f64::from(app.fps.max(1)));
    let mut pacer = Pacer::default();
    let mut dirty = true;
    let mut next_frame = Instant::now();
    loop {
        if dirty {
            terminal.draw(|frame| ui::draw(app, frame))?;
            dirty = false;
        }
        if app.should_quit {
            return Ok(());
        }
        // Paused: block until the user does something; no timer, no CPU.
        let event = if app.playing {
            let wait = next_frame.saturating_duration_since(Instant::now());
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
            (false, true) => pacer.stop(),
            _ => {}
        }
        if app.playing {
            let due = pacer.due(now, app.speed);
            if due > 0 && app.advance(due) > 0 {
                dirty = true;
            }
            // Draw no more often than the frame rate, and sleep until the next
            // step when steps are rarer than frames.
            next_frame = now + frame_interval.max(pacer.until_next(app.speed));
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
    fn a_stopped_pacer_owes_nothing() {
        let mut pacer = Pacer::default();
        assert_eq!(pacer.due(Instant::now(), 100), 0);
    }
}
