//! A learned score: a small MLP trained live by denoising score matching.
//!
//! ```text
//! x0 ~ target,  (c, m, s) ~ noise levels,  z ~ N(0, I),  x̃ = m·x0 + s·z
//! s_θ(x̃, c) = net(x̃, c) / s                    (NCSNv2's s_θ(x)/σ form)
//! ℓ = ½·s²·‖s_θ(x̃, c) + z/s‖² = ½·‖net(x̃, c) + z‖²   (weighting λ = s²)
//! ```
//! Trained with Adam — the optim lesson's update, through `adam_move`.

use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use super::fastmath::tanh;
use super::kernel::{MixtureField, TILE};
use super::random::normal2;
use super::target::Mixture;
use crate::lesson::history::Decimated;
use crate::sim::adam::{Hyper, Moments, StepConstants, adam_move};
use crate::sim::diffusion::sde::Sde;

/// Hidden units per layer.
const HIDDEN: usize = 32;
const INPUTS: usize = 3;
/// Samples per training step.
pub const BATCH: usize = 64;

/// Where a noise level comes from: the score lesson's σ list, or an SDE's t.
#[derive(Clone, Debug, PartialEq)]
pub enum Levels {
    /// Condition on ln σ; the kernel is (1, σ).
    Sigmas(Vec<f64>),
    /// Condition on t ∈ [ε, 1]; the kernel is the SDE's.
    Times { eps: f64, sde: Sde },
}

impl Levels {
    /// A random level: (conditioning value, m, s).
    fn draw(&self, rng: &mut Xoshiro256PlusPlus) -> (f64, f64, f64) {
        match self {
            Levels::Sigmas(sigmas) => {
                let sigma = sigmas[rng.random_range(0..sigmas.len())];
                (sigma.ln(), 1.0, sigma)
            }
            Levels::Times { eps, sde } => {
                let t = eps + (1.0 - eps) * rng.random::<f64>();
                let (m, s) = sde.kernel(t);
                (t, m, s)
            }
        }
    }
}

/// Which score a sampler follows.
#[derive(Clone, Debug, PartialEq)]
pub enum ScoreSource {
    Analytic,
    /// Trained for `train_steps` lesson steps before sampling starts.
    Learned {
        net: Box<LearnedScore>,
        train_steps: u64,
    },
}

impl ScoreSource {
    pub fn training_steps(&self) -> u64 {
        match self {
            ScoreSource::Analytic => 0,
            ScoreSource::Learned { train_steps, .. } => *train_steps,
        }
    }

    /// The score at x for conditioning c and kernel (m, s).
    pub fn score(&self, target: &Mixture, x: [f64; 2], c: f64, (m, s): (f64, f64)) -> [f64; 2] {
        match self {
            ScoreSource::Analytic => target.score(x, m, s),
            ScoreSource::Learned { net, .. } => net.score(x, c, s),
        }
    }

    /// The score at one noise level, for many points at a time.
    pub fn field<'a>(&'a self, target: &Mixture, c: f64, (m, s): (f64, f64)) -> Field<'a> {
        match self {
            ScoreSource::Analytic => Field::Exact(Box::new(MixtureField::new(target, m, s))),
            ScoreSource::Learned { net, .. } => Field::Learned { net, c, s },
        }
    }

    pub fn net(&self) -> Option<&LearnedScore> {
        match self {
            ScoreSource::Analytic => None,
            ScoreSource::Learned { net, .. } => Some(net),
        }
    }

    /// One training step, if still training; `false` once sampling may start.
    pub fn train(&mut self) -> bool {
        match self {
            ScoreSource::Learned { net, train_steps } if net.steps() < *train_steps => {
                net.train_step();
                true
            }
            _ => false,
        }
    }
}

/// A score frozen at one noise level: the mixture's, computed in tiles, or
/// the network's, point by point.
pub enum Field<'a> {
    Exact(Box<MixtureField>),
    Learned {
        net: &'a LearnedScore,
        c: f64,
        s: f64,
    },
}

impl Field<'_> {
    /// The score at each of `points`, into `out` (the same length).
    pub fn scores(&self, points: &[[f64; 2]], out: &mut [[f64; 2]]) {
        match self {
            Field::Exact(field) => field.scores(points, out),
            Field::Learned { net, c, s } => net.scores(points, *c, *s, out),
        }
    }
}

/// Offsets of each weight block in the flat parameter vector.
const W1: usize = 0;
const B1: usize = W1 + HIDDEN * INPUTS;
const W2: usize = B1 + HIDDEN;
const B2: usize = W2 + HIDDEN * HIDDEN;
const W3: usize = B2 + HIDDEN;
const B3: usize = W3 + 2 * HIDDEN;
const PARAMS: usize = B3 + 2;

#[derive(Clone, Debug, PartialEq)]
pub struct LearnedScore {
    params: Vec<f64>,
    m: Vec<f64>,
    v: Vec<f64>,
    v_max: Vec<f64>,
    t: u64,
    hyper: Hyper,
    /// Positions are divided by this before entering the net.
    scale: f64,
    pub levels: Levels,
    pub target: Mixture,
    pub last_loss: f64,
    /// Training loss per step, thinned as it grows.
    pub losses: Decimated<f64>,
    rng: Xoshiro256PlusPlus,
}

/// Activations of one forward pass, kept for the backward pass.
struct Trace {
    input: [f64; INPUTS],
    h1: [f64; HIDDEN],
    h2: [f64; HIDDEN],
    out: [f64; 2],
}

impl LearnedScore {
    pub fn new(target: Mixture, levels: Levels, lr: f64, seed: u64) -> LearnedScore {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut params = vec![0.0; PARAMS];
        // Glorot-style scale per layer: weights ~ N(0, 1/fan_in).
        for (start, count, fan_in) in [
            (W1, HIDDEN * INPUTS, INPUTS),
            (W2, HIDDEN * HIDDEN, HIDDEN),
            (W3, 2 * HIDDEN, HIDDEN),
        ] {
            let scale = 1.0 / (fan_in as f64).sqrt();
            for w in &mut params[start..start + count] {
                let z: f64 = StandardNormal.sample(&mut rng);
                *w = z * scale;
            }
        }
        let scale = target
            .means
            .iter()
            .map(|m| m[0].abs().max(m[1].abs()))
            .fold(1.0, f64::max);
        LearnedScore {
            params,
            m: vec![0.0; PARAMS],
            v: vec![0.0; PARAMS],
            v_max: vec![0.0; PARAMS],
            t: 0,
            hyper: Hyper {
                lr,
                momentum: 0.0,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.0,
                amsgrad: false,
            },
            scale,
            levels,
            target,
            last_loss: f64::NAN,
            losses: Decimated::default(),
            rng,
        }
    }

    pub fn steps(&self) -> u64 {
        self.t
    }

    fn forward(&self, x: [f64; 2], c: f64) -> Trace {
        let p = &self.params;
        let input = [x[0] / self.scale, x[1] / self.scale, c];
        let mut h1 = [0.0; HIDDEN];
        for (j, h) in h1.iter_mut().enumerate() {
            let mut a = p[B1 + j];
            for (i, v) in input.iter().enumerate() {
                a += p[W1 + j * INPUTS + i] * v;
            }
            *h = a.tanh();
        }
        let mut h2 = [0.0; HIDDEN];
        for (j, h) in h2.iter_mut().enumerate() {
            let row = &p[W2 + j * HIDDEN..W2 + (j + 1) * HIDDEN];
            let a = p[B2 + j] + row.iter().zip(&h1).map(|(w, v)| w * v).sum::<f64>();
            *h = a.tanh();
        }
        let mut out = [0.0; 2];
        for (k, o) in out.iter_mut().enumerate() {
            let row = &p[W3 + k * HIDDEN..W3 + (k + 1) * HIDDEN];
            *o = p[B3 + k] + row.iter().zip(&h2).map(|(w, v)| w * v).sum::<f64>();
        }
        Trace { input, h1, h2, out }
    }

    /// s_θ(x, c) with kernel std s: the net's output over s.
    pub fn score(&self, x: [f64; 2], c: f64, s: f64) -> [f64; 2] {
        let out = self.forward(x, c).out;
        [out[0] / s, out[1] / s]
    }

    /// `score` at each of `points`, into `out`: the same network run over
    /// tiles of `TILE` points, each layer's sums one vector register per
    /// four points. Sums are added in another order than `forward`'s and
    /// tanh is `fastmath`'s, so results agree with `score` to rounding.
    pub fn scores(&self, points: &[[f64; 2]], c: f64, s: f64, out: &mut [[f64; 2]]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the processor has AVX2 and FMA; both were checked just above.
            unsafe { self.scores_avx2(points, c, s, out) };
            return;
        }
        self.scores_portable(points, c, s, out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn scores_avx2(&self, points: &[[f64; 2]], c: f64, s: f64, out: &mut [[f64; 2]]) {
        self.scores_portable(points, c, s, out);
    }

    #[inline(always)]
    fn scores_portable(&self, points: &[[f64; 2]], c: f64, s: f64, out: &mut [[f64; 2]]) {
        for (points, out) in points.chunks(TILE).zip(out.chunks_mut(TILE)) {
            let mut x = [0.0; TILE];
            let mut y = [0.0; TILE];
            for (i, p) in points.iter().enumerate() {
                x[i] = p[0] / self.scale;
                y[i] = p[1] / self.scale;
            }
            let [gx, gy] = self.forward_tile(&x, &y, c);
            for (i, g) in out.iter_mut().enumerate() {
                *g = [gx[i] / s, gy[i] / s];
            }
        }
    }

    // Index loops over lanes: the shape the loop vectoriser takes.
    #[allow(clippy::needless_range_loop)]
    #[inline(always)]
    fn forward_tile(&self, x: &[f64; TILE], y: &[f64; TILE], c: f64) -> [[f64; TILE]; 2] {
        let p = &self.params;
        let mut h1 = [[0.0; TILE]; HIDDEN];
        for j in 0..HIDDEN {
            let w = &p[W1 + j * INPUTS..W1 + (j + 1) * INPUTS];
            let bias = w[2].mul_add(c, p[B1 + j]);
            for i in 0..TILE {
                h1[j][i] = tanh(w[1].mul_add(y[i], w[0].mul_add(x[i], bias)));
            }
        }
        let mut h2 = [[0.0; TILE]; HIDDEN];
        for j in 0..HIDDEN {
            let mut a = [p[B2 + j]; TILE];
            for (m, h) in h1.iter().enumerate() {
                let w = p[W2 + j * HIDDEN + m];
                for i in 0..TILE {
                    a[i] = w.mul_add(h[i], a[i]);
                }
            }
            for i in 0..TILE {
                h2[j][i] = tanh(a[i]);
            }
        }
        let mut out = [[0.0; TILE]; 2];
        for (k, o) in out.iter_mut().enumerate() {
            *o = [p[B3 + k]; TILE];
            for (m, h) in h2.iter().enumerate() {
                let w = p[W3 + k * HIDDEN + m];
                for i in 0..TILE {
                    o[i] = w.mul_add(h[i], o[i]);
                }
            }
        }
        out
    }

    /// One Adam step on a fresh batch; returns the batch's mean loss.
    pub fn train_step(&mut self) -> f64 {
        let mut grad = vec![0.0; PARAMS];
        let mut loss = 0.0;
        for _ in 0..BATCH {
            let x0 = self.target.sample(&mut self.rng);
            let (c, m, s) = self.levels.draw(&mut self.rng);
            let z = normal2(&mut self.rng);
            let noisy = [m * x0[0] + s * z[0], m * x0[1] + s * z[1]];
            let tr = self.forward(noisy, c);
            // ℓ = ½‖out + z‖²: dℓ/dout = out + z.
            let d_out = [tr.out[0] + z[0], tr.out[1] + z[1]];
            loss += 0.5 * (d_out[0] * d_out[0] + d_out[1] * d_out[1]);
            self.backward(&tr, d_out, &mut grad);
        }
        let n = BATCH as f64;
        grad.iter_mut().for_each(|g| *g /= n);
        self.t += 1;
        let at = StepConstants::at_step(&self.hyper, self.t);
        let state = self.params.iter_mut().zip(&grad).zip(
            self.m
                .iter_mut()
                .zip(self.v.iter_mut().zip(self.v_max.iter_mut())),
        );
        for ((param, g), (m, (v, v_max))) in state {
            let moments = Moments { m, v, v_max };
            *param = adam_move(*param, *g, moments, &self.hyper, at);
        }
        self.last_loss = loss / n;
        let last = self.last_loss;
        self.losses.record(self.t, || last);
        self.last_loss
    }

    /// Adds dℓ/dθ for one sample to `grad`.
    fn backward(&self, tr: &Trace, d_out: [f64; 2], grad: &mut [f64]) {
        let p = &self.params;
        let mut d_h2 = [0.0; HIDDEN];
        for k in 0..2 {
            grad[B3 + k] += d_out[k];
            for j in 0..HIDDEN {
                grad[W3 + k * HIDDEN + j] += d_out[k] * tr.h2[j];
                d_h2[j] += d_out[k] * p[W3 + k * HIDDEN + j];
            }
        }
        let mut d_h1 = [0.0; HIDDEN];
        for j in 0..HIDDEN {
            let d_a = d_h2[j] * (1.0 - tr.h2[j] * tr.h2[j]);
            grad[B2 + j] += d_a;
            for i in 0..HIDDEN {
                grad[W2 + j * HIDDEN + i] += d_a * tr.h1[i];
                d_h1[i] += d_a * p[W2 + j * HIDDEN + i];
            }
        }
        for j in 0..HIDDEN {
            let d_a = d_h1[j] * (1.0 - tr.h1[j] * tr.h1[j]);
            grad[B1 + j] += d_a;
            for i in 0..INPUTS {
                grad[W1 + j * INPUTS + i] += d_a * tr.input[i];
            }
        }
    }

    /// Mean over `samples` noisy points of s²·‖s_θ − ∇log p‖², at random levels:
    /// the error the DSM loss bounds, measured against the analytic score.
    pub fn error_against_analytic(&self, samples: usize, seed: u64) -> f64 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut total = 0.0;
        for _ in 0..samples {
            let x0 = self.target.sample(&mut rng);
            let (c, m, s) = self.levels.draw(&mut rng);
            let z = normal2(&mut rng);
            let x = [m * x0[0] + s * z[0], m * x0[1] + s * z[1]];
            let learned = self.score(x, c, s);
            let exact = self.target.score(x, m, s);
            total += s * s * ((learned[0] - exact[0]).powi(2) + (learned[1] - exact[1]).powi(2));
        }
        total / samples as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_match_finite_differences() {
        let mut net = LearnedScore::new(Mixture::two(), Levels::Sigmas(vec![1.0]), 1e-3, 4);
        let x = [0.7, -1.3];
        let z = [0.4, -0.2];
        let loss = |net: &LearnedScore| {
            let out = net.forward(x, 0.3).out;
            0.5 * ((out[0] + z[0]).powi(2) + (out[1] + z[1]).powi(2))
        };
        let tr = net.forward(x, 0.3);
        let mut grad = vec![0.0; PARAMS];
        net.backward(&tr, [tr.out[0] + z[0], tr.out[1] + z[1]], &mut grad);
        for i in [W1, W1 + 5, B1 + 3, W2 + 77, B2 + 1, W3 + 40, B3 + 1] {
            let h = 1e-6;
            let keep = net.params[i];
            net.params[i] = keep + h;
            let up = loss(&net);
            net.params[i] = keep - h;
            let down = loss(&net);
            net.params[i] = keep;
            let numeric = (up - down) / (2.0 * h);
            assert!(
                (numeric - grad[i]).abs() < 1e-6 * (1.0 + numeric.abs()),
                "param {i}: {numeric} vs {}",
                grad[i]
            );
        }
    }

    #[test]
    fn the_tiled_network_gives_the_pointwise_score_to_rounding() {
        let mut net = LearnedScore::new(Mixture::ring8(), Levels::Sigmas(vec![0.5, 2.0]), 1e-2, 9);
        for _ in 0..50 {
            net.train_step();
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let points: Vec<[f64; 2]> = (0..37)
            .map(|_| [rng.random_range(-9.0..9.0), rng.random_range(-9.0..9.0)])
            .collect();
        let (c, s) = (0.5f64.ln(), 0.5);
        let mut tiled = vec![[0.0; 2]; points.len()];
        net.scores(&points, c, s, &mut tiled);
        let mut portable = vec![[0.0; 2]; points.len()];
        net.scores_portable(&points, c, s, &mut portable);
        assert_eq!(
            tiled, portable,
            "vector and portable paths give the same bits"
        );
        for (p, got) in points.iter().zip(&tiled) {
            let want = net.score(*p, c, s);
            for d in 0..2 {
                // Rounding in 32-term sums of terms up to about 1 in size.
                assert!(
                    (got[d] - want[d]).abs() < 1e-12 * (1.0 + want[d].abs()),
                    "{p:?}: {got:?} vs {want:?}"
                );
            }
        }
    }
}
