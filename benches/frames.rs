//! One full dashboard frame at 160×48 for every lesson, mid-run with its
//! default parameters (targets: at most 2 ms a frame; 1 ms for knapsack).

use std::hint::black_box;

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

criterion_group!(benches, frames);
criterion_main!(benches);
