//! 2-D loss surfaces with analytic gradients.

/// Newton iterations when locating minima; quadratic convergence needs few.
const NEWTON_ITERATIONS: usize = 60;
/// Step for the finite-difference Hessian (of the analytic gradient).
const HESSIAN_STEP: f64 = 1e-6;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surface {
    /// (1 − x)² + 100·(y − x²)²: a curved valley, minimum (1, 1).
    Rosenbrock,
    /// ½·((x − a)² + κ·(y − b)²): an ill-conditioned bowl with its minimum
    /// at `center` (a, b). Off the origin, decay toward 0 moves where a run ends.
    Bowl { condition: f64, center: [f64; 2] },
    /// (x² + y − 11)² + (x + y² − 7)²: four minima of value 0.
    Himmelblau,
    /// x² − y² + ¼·y⁴: a saddle at the origin, minima (0, ±√2) of value −1.
    Saddle,
}

/// Rough positions of Himmelblau's minima; [`Surface::minima`] polishes them.
const HIMMELBLAU_GUESSES: [[f64; 2]; 4] = [
    [3.0, 2.0],
    [-2.805, 3.131],
    [-3.779, -3.283],
    [3.584, -1.848],
];

impl Surface {
    pub fn value(&self, [x, y]: [f64; 2]) -> f64 {
        match *self {
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Surface::Bowl {
                condition,
                center: [a, b],
            } => 0.5 * ((x - a).powi(2) + condition * (y - b).powi(2)),
            Surface::Himmelblau => (x * x + y - 11.0).powi(2) + (x + y * y - 7.0).powi(2),
            Surface::Saddle => x * x - y * y + 0.25 * y.powi(4),
        }
    }

    pub fn gradient(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        match *self {
            Surface::Rosenbrock => [
                -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                200.0 * (y - x * x),
            ],
            Surface::Bowl {
                condition,
                center: [a, b],
            } => [x - a, condition * (y - b)],
            Surface::Himmelblau => {
                let a = x * x + y - 11.0;
                let b = x + y * y - 7.0;
                [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
            }
            Surface::Saddle => [2.0 * x, -2.0 * y + y * y * y],
        }
    }

    /// The formula, as the view prints it.
    pub fn formula(&self) -> String {
        match *self {
            Surface::Rosenbrock => "f = (1−x)² + 100·(y−x²)²".to_string(),
            Surface::Bowl {
                condition,
                center: [a, b],
            } => {
                // `x − 2`, `x + 1.5` or plain `x`: the shift as a reader writes it.
                let shifted = |name: &str, at: f64| {
                    if at == 0.0 {
                        name.to_string()
                    } else if at < 0.0 {
                        format!("({name}+{})", -at)
                    } else {
                        format!("({name}−{at})")
                    }
                };
                format!(
                    "f = ½·({}² + {condition}·{}²)",
                    shifted("x", a),
                    shifted("y", b)
                )
            }
            Surface::Himmelblau => "f = (x²+y−11)² + (x+y²−7)²".to_string(),
            Surface::Saddle => "f = x² − y² + ¼·y⁴".to_string(),
        }
    }

    /// The global minimum value f*.
    pub fn min_value(&self) -> f64 {
        match self {
            Surface::Saddle => -1.0,
            _ => 0.0,
        }
    }

    /// Every minimum of f (all global here).
    pub fn minima(&self) -> Vec<[f64; 2]> {
        match self {
            Surface::Rosenbrock => vec![[1.0, 1.0]],
            Surface::Bowl { center, .. } => vec![*center],
            Surface::Saddle => vec![[0.0, 2f64.sqrt()], [0.0, -(2f64.sqrt())]],
            Surface::Himmelblau => HIMMELBLAU_GUESSES
                .iter()
                .map(|&guess| self.newton(guess, 0.0))
                .collect(),
        }
    }

    /// Minima of f + (wd/2)·‖θ‖², followed from each minimum of f by Newton's
    /// method; a start that fails to converge to a finite point is dropped.
    pub fn decayed_minima(&self, weight_decay: f64) -> Vec<[f64; 2]> {
        self.minima()
            .into_iter()
            .map(|start| self.newton(start, weight_decay))
            .filter(|p| p.iter().all(|c| c.is_finite()))
            .collect()
    }

    /// Newton's method on ∇f + wd·θ = 0, with a finite-difference Hessian of
    /// the analytic gradient.
    fn newton(&self, start: [f64; 2], weight_decay: f64) -> [f64; 2] {
        let grad = |p: [f64; 2]| {
            let g = self.gradient(p);
            [g[0] + weight_decay * p[0], g[1] + weight_decay * p[1]]
        };
        let mut p = start;
        for _ in 0..NEWTON_ITERATIONS {
            let g = grad(p);
            let gx = grad([p[0] + HESSIAN_STEP, p[1]]);
            let gy = grad([p[0], p[1] + HESSIAN_STEP]);
            let h = [
                [(gx[0] - g[0]) / HESSIAN_STEP, (gy[0] - g[0]) / HESSIAN_STEP],
                [(gx[1] - g[1]) / HESSIAN_STEP, (gy[1] - g[1]) / HESSIAN_STEP],
            ];
            let det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
            if det == 0.0 || !det.is_finite() {
                break;
            }
            let dx = (h[1][1] * g[0] - h[0][1] * g[1]) / det;
            let dy = (h[0][0] * g[1] - h[1][0] * g[0]) / det;
            p = [p[0] - dx, p[1] - dy];
            if dx.abs() + dy.abs() < 1e-14 {
                break;
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minima_have_zero_gradient_and_the_stated_value() {
        for surface in [
            Surface::Rosenbrock,
            Surface::Bowl {
                condition: 50.0,
                center: [2.0, -1.0],
            },
            Surface::Himmelblau,
            Surface::Saddle,
        ] {
            for m in surface.minima() {
                let g = surface.gradient(m);
                assert!(
                    g[0].abs() < 1e-8 && g[1].abs() < 1e-8,
                    "{surface:?} {m:?} {g:?}"
                );
                assert!((surface.value(m) - surface.min_value()).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn decay_pulls_minima_toward_zero_by_the_closed_form() {
        // At the origin there is nowhere for decay to pull.
        let bowl = Surface::Bowl {
            condition: 10.0,
            center: [0.0, 0.0],
        };
        let m = bowl.decayed_minima(0.5)[0];
        assert!(m[0].abs() < 1e-12 && m[1].abs() < 1e-12);
        // Off it, ∇f + wd·θ = 0 gives x = a/(1 + wd), y = κ·b/(κ + wd): the
        // flat coordinate gives way to decay, the steep one hardly does.
        let (kappa, wd, a, b) = (10.0, 0.3, 2.0, -1.0);
        let bowl = Surface::Bowl {
            condition: kappa,
            center: [a, b],
        };
        let m = bowl.decayed_minima(wd)[0];
        assert!((m[0] - a / (1.0 + wd)).abs() < 1e-9, "{m:?}");
        assert!((m[1] - kappa * b / (kappa + wd)).abs() < 1e-9, "{m:?}");
        let r = Surface::Rosenbrock.decayed_minima(0.1)[0];
        // Stationary point of f + 0.05‖θ‖²: ∇f = −0.1·θ there.
        let g = Surface::Rosenbrock.gradient(r);
        assert!((g[0] + 0.1 * r[0]).abs() < 1e-8 && (g[1] + 0.1 * r[1]).abs() < 1e-8);
        assert!(r[0] < 1.0 && r[1] < 1.0);
    }
}
