/* One annealed-Langevin step on ring8 (radius 4, tau 0.3, sigma 1, step 0.01),
 * the same step as benches/peer/langevin_numpy.py and learndeck's
 * langevin_step bench, written as plain C loops for GCC to vectorise for the
 * machine it runs on (-O3 -march=native -fopenmp-simd), with glibc's libmvec
 * supplying the vector exp, log, sin and cos. An independent measure of what
 * this machine's vector units do with this step: none of learndeck's code.
 *
 * Build: gcc -O3 -march=native -fopenmp-simd -ffast-math \
 *          benches/peer/langevin_c.c -o /tmp/langevin_c -lmvec -lm
 * Run:   taskset -c 0 /tmp/langevin_c 10000
 * Prints the median of one step, and of the score and the normals alone. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define K 8
#define LANES 8
#define REPEATS 200

static double a[K], bx[K], by[K], cx[K], cy[K], inv_c;

static uint64_t s[4][LANES];

static uint64_t splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniforms in (0, 1] and [0, 1) from eight xoshiro256+ lanes. */
static void uniforms(double *u1, double *u2, size_t n) {
    for (size_t i = 0; i + LANES <= n; i += LANES) {
        for (int pass = 0; pass < 2; pass++) {
            double *out = pass ? u2 : u1;
#pragma omp simd
            for (int l = 0; l < LANES; l++) {
                uint64_t r = s[0][l] + s[3][l];
                uint64_t t = s[1][l] << 17;
                s[2][l] ^= s[0][l];
                s[3][l] ^= s[1][l];
                s[1][l] ^= s[2][l];
                s[0][l] ^= s[3][l];
                s[2][l] ^= t;
                s[3][l] = (s[3][l] << 45) | (s[3][l] >> 19);
                union { uint64_t u; double d; } v = {(r >> 12) | 0x3FF0000000000000ull};
                out[i + l] = pass ? v.d - 1.0 : 2.0 - v.d;
            }
        }
    }
}

static void normals(double *zx, double *zy, double *u1, double *u2, size_t n) {
    uniforms(u1, u2, n);
#pragma omp simd
    for (size_t i = 0; i < n; i++) u1[i] = sqrt(-2.0 * log(u1[i]));
    /* Sine and cosine in loops of their own: in one loop GCC fuses them into
     * a scalar sincos call. */
#pragma omp simd
    for (size_t i = 0; i < n; i++) zx[i] = u1[i] * cos(2.0 * M_PI * u2[i]);
#pragma omp simd
    for (size_t i = 0; i < n; i++) zy[i] = u1[i] * sin(2.0 * M_PI * u2[i]);
}

static void scores(const double *x, const double *y, double *gx, double *gy, size_t n) {
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
        double l[K], top = -INFINITY;
        for (int k = 0; k < K; k++) {
            l[k] = a[k] + bx[k] * x[i] + by[k] * y[i];
            top = l[k] > top ? l[k] : top;
        }
        double total = 0, sx = 0, sy = 0;
        for (int k = 0; k < K; k++) {
            double e = exp(l[k] - top);
            total += e;
            sx += e * cx[k];
            sy += e * cy[k];
        }
        gx[i] = (sx / total - x[i]) * inv_c;
        gy[i] = (sy / total - y[i]) * inv_c;
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp(const void *p, const void *q) {
    double d = *(const double *)p - *(const double *)q;
    return (d > 0) - (d < 0);
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoul(argv[1], 0, 10) : 10000;
    n -= n % LANES;
    double sigma = 1.0, tau = 0.3, alpha = 0.01, radius = 4.0;
    double c = tau * tau + sigma * sigma;
    inv_c = 1.0 / c;
    for (int k = 0; k < K; k++) {
        double angle = 2 * M_PI * k / K;
        cx[k] = radius * cos(angle);
        cy[k] = radius * sin(angle);
        a[k] = log(1.0 / K) - (cx[k] * cx[k] + cy[k] * cy[k]) / (2 * c);
        bx[k] = cx[k] / c;
        by[k] = cy[k] / c;
    }
    uint64_t seed = 1;
    for (int l = 0; l < LANES; l++)
        for (int w = 0; w < 4; w++) s[w][l] = splitmix(&seed);
    double *x = aligned_alloc(64, n * 8), *y = aligned_alloc(64, n * 8);
    double *gx = aligned_alloc(64, n * 8), *gy = aligned_alloc(64, n * 8);
    double *zx = aligned_alloc(64, n * 8), *zy = aligned_alloc(64, n * 8);
    double *u1 = aligned_alloc(64, n * 8), *u2 = aligned_alloc(64, n * 8);
    normals(x, y, u1, u2, n);
    for (size_t i = 0; i < n; i++) { x[i] *= 3; y[i] *= 3; }
    double step[REPEATS], score[REPEATS], noise[REPEATS], root = sqrt(alpha);
    for (int r = 0; r < REPEATS; r++) {
        double t0 = now();
        scores(x, y, gx, gy, n);
        double t1 = now();
        normals(zx, zy, u1, u2, n);
        double t2 = now();
#pragma omp simd
        for (size_t i = 0; i < n; i++) {
            x[i] += 0.5 * alpha * gx[i] + root * zx[i];
            y[i] += 0.5 * alpha * gy[i] + root * zy[i];
        }
        double t3 = now();
        step[r] = t3 - t0;
        score[r] = t1 - t0;
        noise[r] = t2 - t1;
    }
    qsort(step, REPEATS, 8, cmp);
    qsort(score, REPEATS, 8, cmp);
    qsort(noise, REPEATS, 8, cmp);
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    printf("C (gcc, libmvec): one Langevin step, %zu particles, ring8: median %.0f us "
           "(score %.0f us, normals %.0f us); mean (%.3f, %.3f)\n",
           n, 1e6 * step[REPEATS / 2], 1e6 * score[REPEATS / 2], 1e6 * noise[REPEATS / 2],
           mx / n, my / n);
    return 0;
}
