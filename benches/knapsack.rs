//! Speed targets of the knapsack lesson and the shell (issue: dashboard shell):
//! - filling a 40 × 10,001 table cell by cell through the lesson's step API,
//!   rewind log on: at most 50 ns per cell;
//! - drawing the knapsack tab at 160×48 mid-run: at most 1 ms per frame;
//! - start-up to the first drawn frame: measured and reported.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use learndeck::app::App;
use learndeck::config::Config;
use learndeck::lesson::{Lesson, ParamSet};
use learndeck::lessons::knapsack;
use learndeck::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const ITEMS: usize = 40;
const CAPACITY: usize = 10_000;

/// The largest instance the parameters allow: 40 items, capacity 10,000.
fn full_size(mode: &str) -> ParamSet {
    let mut params = knapsack::ENTRY.defaults();
    let weights: Vec<String> = (1..=ITEMS)
        .map(|k| (37 * k % 997 + 1).to_string())
        .collect();
    let values: Vec<String> = (1..=ITEMS)
        .map(|k| (k * k % 1_000 + 1).to_string())
        .collect();
    let set = |p: &mut ParamSet, key: &str, value: &str| {
        p.set_text(key, value)
            .expect("benchmark parameters are valid");
    };
    set(&mut params, "weights", &weights.join(","));
    set(&mut params, "values", &values.join(","));
    set(&mut params, "capacity", &CAPACITY.to_string());
    set(&mut params, "mode", mode);
    params
}

fn build(params: &ParamSet) -> Box<dyn Lesson> {
    (knapsack::ENTRY.build)(params, 1).expect("benchmark lesson builds")
}

fn fill_table(c: &mut Criterion) {
    let mut group = c.benchmark_group("knapsack_fill");
    let cells = (ITEMS * (CAPACITY + 1)) as u64;
    group.throughput(Throughput::Elements(cells));
    group.sample_size(20);
    for mode in ["2d", "1d"] {
        let params = full_size(mode);
        group.bench_function(format!("{mode}_40x10001_cells_via_step"), |b| {
            b.iter_batched(
                || build(&params),
                |mut lesson| {
                    while lesson.step() {}
                    black_box(lesson.steps())
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn draw(c: &mut Criterion) {
    let mut group = c.benchmark_group("knapsack_draw_160x48");
    let config = Config::builtin().expect("built-in config");
    let area = Rect::new(0, 0, 160, 48);
    let cases = [
        ("default_mid_run", None, 20u64),
        ("full_size_2d_mid_run", Some(full_size("2d")), 200_000),
        ("full_size_1d_mid_run", Some(full_size("1d")), 100_000),
    ];
    for (name, params, steps) in cases {
        let mut config = config.clone();
        if let Some(params) = params {
            config.lessons[0] = params;
        }
        let mut app = App::new(&config, Some("knapsack"), false).expect("app");
        app.advance(steps);
        let mut buf = Buffer::empty(area);
        group.bench_function(name, |b| {
            b.iter(|| {
                buf.reset();
                ui::render(&app, area, &mut buf);
                black_box(&buf);
            });
        });
    }
    group.finish();
}

/// What the binary does before the terminal shows anything: read the built-in
/// config, build every lesson, draw the first frame.
fn startup(c: &mut Criterion) {
    let area = Rect::new(0, 0, 160, 48);
    c.bench_function("startup_to_first_frame_160x48", |b| {
        b.iter(|| {
            let config = Config::load(None).expect("config");
            let app = App::new(&config, None, false).expect("app");
            let mut buf = Buffer::empty(area);
            ui::render(&app, area, &mut buf);
            black_box(buf)
        });
    });
}

criterion_group!(benches, fill_table, draw, startup);
criterion_main!(benches);
