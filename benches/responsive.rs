//! How long the dashboard can go without reading a key (issue: responsive
//! under any load). While playing, the loop steps until the step budget
//! (`tui::STEP_BUDGET`) runs out, then draws a frame, then reads the input, so
//! the longest wait for a key is one such pass: a budgeted stretch of steps
//! plus a frame at 120×36. Measured here at each heavy lesson's heaviest
//! settings at the top speed; the target is 100 ms.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use learndeck::app::{App, SPEEDS};
use learndeck::config::Config;
use learndeck::tui::STEP_BUDGET;
use learndeck::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The heaviest settings of the lessons whose steps are slowest.
const HEAVIEST: &[(&str, &[&str])] = &[
    ("sde", &["particles=100000", "sampler=pc", "n_steps=10000"]),
    ("score", &["particles=100000", "levels=100"]),
    ("medusa", &["temperature=2", "length=1000", "order=4"]),
];

fn one_pass(c: &mut Criterion) {
    let config = Config::builtin().expect("built-in config");
    let area = Rect::new(0, 0, 120, 36);
    let top = SPEEDS[SPEEDS.len() - 1];
    for (lesson, settings) in HEAVIEST {
        let settings: Vec<String> = settings.iter().map(|s| s.to_string()).collect();
        let mut app =
            App::from_command_line(&config, Some(lesson), &settings, true).expect("valid settings");
        let mut buf = Buffer::empty(area);
        c.bench_function(&format!("key_wait_{lesson}_heaviest"), |b| {
            b.iter(|| {
                if app.lesson().is_finished() {
                    app.update(learndeck::action::Action::Reset);
                }
                app.playing = true;
                // A whole second's steps are due: the budget must cut them.
                let taken = app.advance_until(u64::from(top), Instant::now() + STEP_BUDGET);
                buf.reset();
                ui::render(&app, area, &mut buf);
                black_box((taken, &buf));
            });
        });
    }
}

/// Bytes in the pasted list: a long list copied from elsewhere.
const PASTE_BYTES: usize = 100_000;

/// A bracketed paste of 100 KB into the input line and the frame after it:
/// one event and one draw (the 9 KB paste took over 10 s when each
/// character was a key and a frame).
fn paste(c: &mut Criterion) {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let config = Config::builtin().expect("built-in config");
    let area = Rect::new(0, 0, 120, 36);
    let list = vec!["3"; PASTE_BYTES / 2].join(",");
    let mut app = App::new(&config, Some("knapsack"), true).expect("builds");
    let mut buf = Buffer::empty(area);
    c.bench_function("paste_100kb_into_the_input_line", |b| {
        b.iter(|| {
            app.handle_event(&Event::Key(KeyEvent::new(
                KeyCode::Enter,
                KeyModifiers::NONE,
            )));
            app.handle_event(&Event::Paste(list.clone()));
            buf.reset();
            ui::render(&app, area, &mut buf);
            app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
            black_box(&buf);
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = one_pass, paste
}
criterion_main!(benches);
