"""One annealed-Langevin step for 10,000 particles on ring8 with the analytic
score, written as vectorised NumPy (N x K x 2 broadcasting, log-sum-exp): the
peer the Rust step in benches/diffusion.rs is measured against.

Run: python3 benches/peer/langevin_numpy.py   (needs numpy: pip install numpy)
Prints the median time of one step in microseconds.
"""

import time

import numpy as np

PARTICLES = 10_000
RADIUS, TAU = 4.0, 0.3
SIGMA = 1.0
ALPHA = 0.01
REPEATS = 200

angles = 2 * np.pi * np.arange(8) / 8
means = RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # K x 2
log_weights = np.log(np.full(8, 1 / 8))


def score(x, sigma):
    c = TAU**2 + sigma**2
    diff = means[None, :, :] - x[:, None, :]  # N x K x 2
    logits = log_weights[None, :] - (diff**2).sum(axis=2) / (2 * c)  # N x K
    logits -= logits.max(axis=1, keepdims=True)
    r = np.exp(logits)
    r /= r.sum(axis=1, keepdims=True)
    return (r[:, :, None] * diff).sum(axis=1) / c  # N x 2


def step(x, rng):
    z = rng.standard_normal(x.shape)
    return x + 0.5 * ALPHA * score(x, SIGMA) + np.sqrt(ALPHA) * z


rng = np.random.default_rng(1)
x = rng.uniform(-6, 6, size=(PARTICLES, 2))
times = []
for _ in range(REPEATS):
    start = time.perf_counter()
    x = step(x, rng)
    times.append(time.perf_counter() - start)
times.sort()
print(f"numpy {np.__version__}: one Langevin step, {PARTICLES} particles, ring8: "
      f"median {times[len(times) // 2] * 1e6:.0f} us")
