//! Speed of the precision lesson (issue: mixed precision): one training step
//! of all five modes together on the default model, measured and reported.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::precision::training::{Mode, Regime, Training};

fn all_modes_step(c: &mut Criterion) {
    let setup = Regime {
        grad_scale: 1e-6,
        lr: 0.1,
        init_scale: 65536.0,
        growth_factor: 2.0,
        backoff_factor: 0.5,
        growth_interval: 2000,
    };
    let modes = [
        Mode::Fp32,
        Mode::Fp16,
        Mode::Fp16Master,
        Mode::Amp,
        Mode::Bf16,
    ];
    let mut training = Training::new(setup, &modes, 1);
    c.bench_function("precision_step_all_five_modes", |b| {
        b.iter(|| {
            training.step();
            black_box(training.steps)
        });
    });
}

criterion_group!(benches, all_modes_step);
criterion_main!(benches);
