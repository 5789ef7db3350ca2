//! Speed targets of the score-based lessons (issue: score and sde):
//! - one annealed-Langevin step of 10,000 particles on ring8 with the analytic
//!   score, at least 10× faster than the same step in vectorised NumPy
//!   (benches/peer/langevin_numpy.py, run beside this for the comparison);
//! - a frame at 160×48 with 10,000 particles: at most 3 ms.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use learndeck::app::App;
use learndeck::config::Config;
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::score::model::{Schedule, Settings, Smld};
use learndeck::sim::diffusion::target::Mixture;
use learndeck::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const PARTICLES: usize = 10_000;

fn langevin_step(c: &mut Criterion) {
    let settings = Settings {
        sigma_max: 1.0,
        sigma_min: 1.0,
        levels: 1,
        steps_per_level: 1_000_000,
        epsilon: 0.01,
        plain_epsilon: 0.01,
        denoise: false,
        schedule: Schedule::Annealed,
    };
    let model = Smld::new(Mixture::ring8(), settings, PARTICLES, 1);
    c.bench_function("langevin_step_10k_particles_ring8", |b| {
        b.iter_batched(
            || model.clone(),
            |mut m| {
                m.step();
                black_box(m.particles[0])
            },
            BatchSize::LargeInput,
        );
    });
}

fn frames(c: &mut Criterion) {
    let mut config = Config::builtin().expect("built-in config");
    for set in config
        .lessons
        .iter_mut()
        .filter(|s| ["score", "sde"].contains(&s.lesson()))
    {
        set.set_text("particles", &PARTICLES.to_string())
            .expect("valid");
        set.set_text("target", "ring8").expect("valid");
    }
    let area = Rect::new(0, 0, 160, 48);
    for lesson in ["score", "sde"] {
        let mut app = App::new(&config, Some(lesson), false).expect("app");
        app.advance(100);
        let mut buf = Buffer::empty(area);
        c.bench_function(&format!("frame_160x48_{lesson}_10k_particles"), |b| {
            b.iter(|| {
                buf.reset();
                ui::render(&app, area, &mut buf);
                black_box(&buf);
            });
        });
    }
}

criterion_group!(benches, langevin_step, frames);
criterion_main!(benches);
