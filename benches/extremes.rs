//! The slowest of 2,000 headless steps with each parameter of each lesson at
//! either end of its range (target: no step over 10 ms).
//!
//! A scan runs every setting once and prints each lesson's slowest setting,
//! and every setting over the target. Criterion then measures, for each
//! lesson's slowest setting, the slowest step of a whole run, over repeated
//! runs. Building the lesson (e.g. training a learned score) is not a step and
//! is not timed.

#[path = "../tests/it/support/extremes.rs"]
mod support;

use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use learndeck::lesson::Lesson;
use learndeck::lessons;
use support::{Case, cases};

/// Headless steps per run, as the hardening issue asks.
const STEPS: usize = 2_000;
/// The limit on any single step.
const STEP_TARGET: Duration = Duration::from_millis(10);
const SEED: u64 = 1;
/// Runs per measured setting: each is up to 2,000 steps, some of 100k particles.
const SAMPLES: usize = 10;

/// The lesson at this setting, or `None` when the lesson refuses it.
fn build(case: &Case) -> Option<Box<dyn Lesson>> {
    let entry = lessons::find(case.lesson)?;
    let mut params = entry.defaults();
    params.set_text(case.key, &case.text).ok()?;
    (entry.build)(&params, SEED).ok()
}

/// The slowest single step of one run of up to `STEPS` steps.
fn slowest_step(lesson: &mut dyn Lesson) -> Duration {
    let mut slowest = Duration::ZERO;
    for _ in 0..STEPS {
        let start = Instant::now();
        let stepped = lesson.step();
        slowest = slowest.max(start.elapsed());
        if !stepped {
            break;
        }
    }
    slowest
}

/// Each lesson's slowest setting in one pass over them all.
fn scan() -> Vec<(Case, Duration)> {
    let mut worst: Vec<(Case, Duration)> = Vec::new();
    for case in cases().into_iter().filter(|c| !c.outside) {
        let Some(mut lesson) = build(&case) else {
            continue;
        };
        let slowest = slowest_step(lesson.as_mut());
        if slowest > STEP_TARGET {
            println!("over the target: {} took {slowest:?}", case.name());
        }
        match worst.iter_mut().find(|(w, _)| w.lesson == case.lesson) {
            Some(entry) if entry.1 < slowest => *entry = (case, slowest),
            Some(_) => {}
            None => worst.push((case, slowest)),
        }
    }
    for (case, slowest) in &worst {
        println!("scan: slowest setting {} ({slowest:?})", case.name());
    }
    worst
}

fn extremes(c: &mut Criterion) {
    let mut group = c.benchmark_group("slowest_step_of_2000");
    group.sampling_mode(SamplingMode::Flat).sample_size(SAMPLES);
    for (case, _) in scan() {
        group.bench_function(case.name(), |b| {
            // One iteration is one whole run; what it reports is its slowest step.
            b.iter_custom(|iters| {
                (0..iters)
                    .filter_map(|_| build(&case))
                    .map(|mut lesson| slowest_step(lesson.as_mut()))
                    .sum()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, extremes);
criterion_main!(benches);
