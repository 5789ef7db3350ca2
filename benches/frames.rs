//! For every lesson, in one run: one step through the lesson's own step API
//! (model, rewind log, chart history) and one full dashboard frame at 160×48
//! mid-run, with default parameters (frame targets: at most 2 ms; 1 ms for
//! knapsack).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use learndeck::app::App;
use learndeck::config::Config;
use learndeck::lessons::REGISTRY;
use learndeck::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Steps into an open-ended run at which a frame is measured.
const OPEN_ENDED_STEPS: u64 = 1_000;

fn frames(c: &mut Criterion) {
    let config = Config::builtin().expect("built-in config");
    let area = Rect::new(0, 0, 160, 48);
    let mut group = c.benchmark_group("frame_160x48");
    for entry in REGISTRY {
        let mut app = App::new(&config, Some(entry.id), false).expect("app");
        let mid = app
            .lesson()
            .total_steps()
            .map_or(OPEN_ENDED_STEPS, |total| total / 2);
        app.advance(mid);
        let mut buf = Buffer::empty(area);
        group.bench_function(entry.id, |b| {
            b.iter(|| {
                buf.reset();
                ui::render(&app, area, &mut buf);
                black_box(&buf);
            });
        });
    }
    group.finish();
}

fn steps(c: &mut Criterion) {
    let config = Config::builtin().expect("built-in config");
    let mut group = c.benchmark_group("step");
    for entry in REGISTRY {
        let params = config.lesson(entry.id).expect("every lesson is configured");
        group.bench_function(entry.id, |b| {
            // A lesson that finishes is rebuilt, untimed, and stepping goes on.
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                let mut taken = 0;
                while taken < iters {
                    let mut lesson = (entry.build)(params, config.seed).expect("lesson");
                    let start = Instant::now();
                    let before = taken;
                    while taken < iters && lesson.step() {
                        taken += 1;
                    }
                    timed += start.elapsed();
                    assert!(taken > before, "{} takes no step", entry.id);
                }
                timed
            });
        });
    }
    group.finish();
}

criterion_group!(benches, steps, frames);
criterion_main!(benches);
