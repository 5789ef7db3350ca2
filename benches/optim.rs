//! Speed targets of the optimizer lesson (issue: Adam vs AdamW):
//! - at least 20 million optimizer steps per second per optimizer on
//!   Rosenbrock, with rewind checkpoints on (at most 50 ns per optimizer step);
//! - drawing the tab at 160×48 with 10,000-step paths: at most 2 ms per frame.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use learndeck::app::App;
use learndeck::config::Config;
use learndeck::lesson::Choice;
use learndeck::lesson::Timeline;
use learndeck::lesson::timeline::Checkpoints;
use learndeck::lesson::{Lesson, ParamSet};
use learndeck::lessons::optim;
use learndeck::lessons::optim::model::{Hyper, Kind, Optimizers};
use learndeck::lessons::optim::surface::Surface;
use learndeck::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const STEPS: u64 = 100_000;
/// The lesson's own checkpoint spacing and count.
const EVERY: u64 = 256;
const KEEP: usize = 64;

const HYPER: Hyper = Hyper {
    lr: 0.001,
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.1,
    amsgrad: false,
};

fn model_steps(c: &mut Criterion) {
    let mut group = c.benchmark_group("optim_model_rosenbrock");
    group.throughput(Throughput::Elements(STEPS));
    for kind in [Kind::Sgd, Kind::Momentum, Kind::Adam, Kind::AdamW] {
        group.bench_function(format!("{}_steps_with_checkpoints", kind.name()), |b| {
            b.iter_batched(
                || {
                    let model =
                        Optimizers::new(Surface::Rosenbrock, HYPER, 0.0, &[kind], [-1.5, 2.0], 1);
                    Checkpoints::new(model, EVERY, KEEP)
                },
                |mut line| {
                    for _ in 0..STEPS {
                        line.step();
                    }
                    black_box(line.model().runs[0].theta)
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

fn params(optimizers: &str) -> ParamSet {
    let mut params = optim::ENTRY.defaults();
    params
        .set_text("optimizers", optimizers)
        .expect("valid optimizers");
    params
}

/// The lesson's own step: model, checkpoints and the chart history.
fn lesson_steps(c: &mut Criterion) {
    let mut group = c.benchmark_group("optim_lesson_step");
    for optimizers in ["adam", "adam,adamw"] {
        let runs = optimizers.split(',').count() as u64;
        group.throughput(Throughput::Elements(STEPS * runs));
        let params = params(optimizers);
        group.bench_function(format!("{optimizers}_optimizer_steps"), |b| {
            b.iter_batched(
                || (optim::ENTRY.build)(&params, 1).expect("builds"),
                |mut lesson| {
                    for _ in 0..STEPS {
                        lesson.step();
                    }
                    black_box(lesson.steps())
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

fn draw(c: &mut Criterion) {
    let area = Rect::new(0, 0, 160, 48);
    let mut config = Config::builtin().expect("built-in config");
    if let Some(slot) = config.lessons.iter_mut().find(|s| s.lesson() == "optim") {
        *slot = params("sgd,momentum,adam,adamw");
        slot.set_text("lr", "0.001").expect("valid lr");
    }
    let mut app = App::new(&config, Some("optim"), false).expect("app");
    app.advance(10_000);
    let mut buf = Buffer::empty(area);
    c.bench_function("optim_draw_160x48_four_10k_step_paths", |b| {
        b.iter(|| {
            buf.reset();
            ui::render(&app, area, &mut buf);
            black_box(&buf);
        });
    });
    let lesson: &dyn Lesson = app.lesson();
    assert_eq!(lesson.steps(), 10_000);
}

criterion_group!(benches, model_steps, lesson_steps, draw);
criterion_main!(benches);
