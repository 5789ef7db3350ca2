//! The SDE lesson's processes against closed forms and the target.

use learndeck::lesson::timeline::Replayable;
use learndeck::lessons::sde::model::{Direction, Process, Sampler, SdeRun};
use learndeck::sim::diffusion::cloud::{mode_weights, moments, weight_error};
use learndeck::sim::diffusion::sde::Sde;
use learndeck::sim::diffusion::target::Mixture;

fn process(sde: Sde, sampler: Sampler, direction: Direction, n_steps: u64) -> Process {
    Process {
        sde,
        sampler,
        direction,
        snr: 0.16,
        n_steps,
    }
}

const VP: Sde = Sde::Vp {
    beta_min: 0.1,
    beta_max: 20.0,
};
const VE: Sde = Sde::Ve {
    sigma_min: 0.01,
    sigma_max: 20.0,
};
const SUBVP: Sde = Sde::SubVp {
    beta_min: 0.1,
    beta_max: 20.0,
};

fn finish(mut run: SdeRun) -> SdeRun {
    while run.step() {}
    run
}

#[test]
fn vp_forward_ends_at_the_standard_normal() {
    let run = finish(SdeRun::new(
        Mixture::two(),
        process(VP, Sampler::Em, Direction::Forward, 1000),
        4000,
        1,
    ));
    let (mean, cov) = moments(&run.particles);
    assert!(mean[0].abs() < 0.08 && mean[1].abs() < 0.08, "{mean:?}");
    assert!(
        (cov[0][0].sqrt() - 1.0).abs() < 0.05 && (cov[1][1].sqrt() - 1.0).abs() < 0.05,
        "{cov:?}"
    );
}

#[test]
fn ve_forward_spreads_as_the_closed_form_says() {
    let single = Mixture::new(vec![[1.0, -2.0]], &[1.0], 0.5);
    let mut run = SdeRun::new(
        single,
        process(VE, Sampler::Em, Direction::Forward, 500),
        4000,
        2,
    );
    for _ in 0..250 {
        run.step();
    }
    let t = run.time();
    let (_, s) = VE.kernel(t);
    let expected = (0.25 + s * s).sqrt();
    let (_, cov) = moments(&run.particles);
    for (d, row) in cov.iter().enumerate() {
        let std = row[d].sqrt();
        assert!(
            (std - expected).abs() < 0.05 * expected,
            "t {t}: {std} vs {expected}"
        );
    }
}

fn reverse(sde: Sde, sampler: Sampler, seed: u64) -> Vec<f64> {
    let target = Mixture::ring8();
    let run = finish(SdeRun::new(
        target.clone(),
        process(sde, sampler, Direction::Reverse, 500),
        4000,
        seed,
    ));
    mode_weights(&target, &run.particles)
}

#[test]
fn every_reverse_sampler_recovers_ring8() {
    let target = Mixture::ring8();
    for sde in [VP, VE, SUBVP] {
        for sampler in [Sampler::Em, Sampler::Pc, Sampler::Ode] {
            let w = reverse(sde, sampler, 5);
            let e = weight_error(&w, &target.weights);
            assert!(e < 0.05, "{} {sampler:?}: {w:?}", sde.name());
        }
    }
}

#[test]
fn the_ode_sampler_is_deterministic() {
    let target = Mixture::ring8();
    let start = SdeRun::new(
        target.clone(),
        process(VP, Sampler::Ode, Direction::Reverse, 100),
        500,
        9,
    )
    .particles;
    let run = |seed| {
        finish(SdeRun::from_particles(
            target.clone(),
            process(VP, Sampler::Ode, Direction::Reverse, 100),
            start.clone(),
            seed,
        ))
        .particles
    };
    assert_eq!(run(1), run(2));
}
