//! Speed targets of the score-based lessons:
//! - one annealed-Langevin step of 10,000 particles on ring8 with the analytic
//!   score, on one core, at least 20× faster than the same step in vectorised
//!   NumPy (benches/peer/langevin_numpy.py; run both under `taskset -c 0`,
//!   side by side), within 3× of the 86 µs hand-vectorised C roofline;
//! - the same step at 100,000 particles: under 1 ms on one core;
//! - each SDE sampler's step at 10k and 100k particles (report);
//! - a frame at 160×48 with 10,000 particles: at most 3 ms.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use learndeck::app::App;
use learndeck::config::Config;
use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::score::model::{Schedule, Settings, Smld};
use learndeck::lessons::sde::model::{Direction, Process, Sampler, SdeRun};
use learndeck::sim::diffusion::kernel::MixtureField;
use learndeck::sim::diffusion::learned::{LearnedScore, Levels};
use learndeck::sim::diffusion::normals::NormalStream;
use learndeck::sim::diffusion::sde::Sde;
use learndeck::sim::diffusion::target::Mixture;
use learndeck::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const PARTICLES: usize = 10_000;
/// The cloud sizes each step is measured at.
const SIZES: [usize; 2] = [10_000, 100_000];

/// One level at σ = 1 with step 0.01, as the NumPy peer and the roofline.
const LANGEVIN: Settings = Settings {
    sigma_max: 1.0,
    sigma_min: 1.0,
    levels: 1,
    steps_per_level: 1_000_000,
    epsilon: 0.01,
    plain_epsilon: 0.01,
    denoise: false,
    schedule: Schedule::Annealed,
};

fn langevin_step(c: &mut Criterion) {
    for size in SIZES {
        let model = Smld::new(Mixture::ring8(), LANGEVIN, size, 1);
        c.bench_function(
            &format!("langevin_step_{}k_particles_ring8", size / 1000),
            |b| {
                b.iter_batched(
                    || model.clone(),
                    |mut m| {
                        m.step();
                        black_box(m.particles[0])
                    },
                    BatchSize::LargeInput,
                );
            },
        );
    }
}

/// The two halves of a Langevin step, as the roofline figures split them:
/// the mixture score alone and the normal pairs alone, at 10,000 particles.
fn langevin_parts(c: &mut Criterion) {
    let points: Vec<[f64; 2]> = Smld::new(Mixture::ring8(), LANGEVIN, PARTICLES, 1).particles;
    let field = MixtureField::new(&Mixture::ring8(), 1.0, 1.0);
    let mut out = vec![[0.0; 2]; PARTICLES];
    c.bench_function("mixture_score_10k_points_ring8", |b| {
        b.iter(|| {
            field.scores(black_box(&points), &mut out);
            black_box(out[0])
        });
    });
    let mut stream = NormalStream::new(1);
    c.bench_function("normal_pairs_10k", |b| {
        b.iter(|| {
            stream.fill(&mut out);
            black_box(out[0])
        });
    });
}

/// The learned score's network at 10,000 points: point by point (as the
/// error map and training call it) against tiled (as the samplers do).
fn learned_score(c: &mut Criterion) {
    let mut net = LearnedScore::new(Mixture::ring8(), Levels::Sigmas(vec![0.5, 2.0]), 1e-2, 1);
    for _ in 0..100 {
        net.train_step();
    }
    let points: Vec<[f64; 2]> = (0..PARTICLES)
        .map(|i| {
            let a = i as f64 * 0.618;
            [6.0 * a.sin(), 6.0 * (1.3 * a).cos()]
        })
        .collect();
    let (level, s) = (0.5f64.ln(), 0.5);
    let mut out = vec![[0.0; 2]; PARTICLES];
    c.bench_function("learned_score_10k_points_one_by_one", |b| {
        b.iter(|| {
            for (p, g) in points.iter().zip(out.iter_mut()) {
                *g = net.score(*p, level, s);
            }
            black_box(out[0])
        });
    });
    c.bench_function("learned_score_10k_points_tiled", |b| {
        b.iter(|| {
            net.scores(&points, level, s, &mut out);
            black_box(out[0])
        });
    });
}

/// One step of each SDE sampler (VP, ring8, analytic score) from the middle
/// of the reverse run, and one forward step.
fn sde_steps(c: &mut Criterion) {
    let vp = Sde::Vp {
        beta_min: 0.1,
        beta_max: 20.0,
    };
    let runs = [
        ("forward", Sampler::Em, Direction::Forward),
        ("em", Sampler::Em, Direction::Reverse),
        ("pc", Sampler::Pc, Direction::Reverse),
        ("ode", Sampler::Ode, Direction::Reverse),
    ];
    for size in SIZES {
        for (name, sampler, direction) in runs {
            let process = Process {
                sde: vp,
                sampler,
                direction,
                snr: 0.16,
                n_steps: 1_000,
            };
            let mut run = SdeRun::new(Mixture::ring8(), process, size, 1);
            for _ in 0..500 {
                run.step();
            }
            c.bench_function(
                &format!("sde_{name}_step_{}k_particles", size / 1000),
                |b| {
                    b.iter_batched(
                        || run.clone(),
                        |mut r| {
                            r.step();
                            black_box(r.particles[0])
                        },
                        BatchSize::LargeInput,
                    );
                },
            );
        }
    }
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

criterion_group!(
    benches,
    langevin_step,
    langevin_parts,
    learned_score,
    sde_steps,
    frames
);
criterion_main!(benches);
