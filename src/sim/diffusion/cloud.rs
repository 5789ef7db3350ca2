//! Statistics of a particle cloud: its moments, how its particles share out
//! among a mixture's components, and how many diverged.

use super::target::Mixture;

/// Mean and covariance of a cloud.
pub fn moments(particles: &[[f64; 2]]) -> ([f64; 2], [[f64; 2]; 2]) {
    let n = particles.len().max(1) as f64;
    let mean = particles
        .iter()
        .fold([0.0; 2], |a, p| [a[0] + p[0], a[1] + p[1]])
        .map(|s| s / n);
    let mut cov = [[0.0; 2]; 2];
    for p in particles {
        let d = [p[0] - mean[0], p[1] - mean[1]];
        cov[0][0] += d[0] * d[0];
        cov[0][1] += d[0] * d[1];
        cov[1][1] += d[1] * d[1];
    }
    let denominator = (particles.len().max(2) - 1) as f64;
    cov[0][0] /= denominator;
    cov[0][1] /= denominator;
    cov[1][1] /= denominator;
    cov[1][0] = cov[0][1];
    (mean, cov)
}

/// Fraction of particles whose highest responsibility under the clean target
/// is each component, in component order. A particle that diverged (a
/// coordinate turned infinite or NaN) is near no component and counts for
/// none, so the shares then sum to less than 1.
pub fn mode_weights(target: &Mixture, particles: &[[f64; 2]]) -> Vec<f64> {
    let mut counts = vec![0usize; target.means.len()];
    for p in particles.iter().filter(|p| is_finite(p)) {
        if let Some(k) = target.nearest_component(*p) {
            counts[k] += 1;
        }
    }
    let n = particles.len().max(1) as f64;
    counts.into_iter().map(|c| c as f64 / n).collect()
}

fn is_finite(p: &[f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

/// Particles that diverged: a coordinate is no longer a finite number (a step
/// size too large for the score, say). Their mean and spread are then NaN.
pub fn diverged(particles: &[[f64; 2]]) -> usize {
    particles.iter().filter(|p| !is_finite(p)).count()
}

/// Largest absolute difference between two weight vectors.
pub fn weight_error(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}
