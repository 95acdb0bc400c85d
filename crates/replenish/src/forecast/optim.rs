//! Small bounded optimisers used to fit smoothing parameters.

/// The coarsest tolerance on a smoothing weight α that line searches use: finer
/// digits of α do not move a forecast of demand, and each costs evaluations.
pub(crate) const SMOOTHING_TOLERANCE: f64 = 1e-5;

/// Minimises `f` on `[lo, hi]` by Brent's method (golden-section steps, and
/// parabolic steps through the three best points where they are safe; Brent 1973,
/// as scipy's `fminbound`). Stops when the best point is known to within
/// `tol` + √ε·|x| or after `max_iter` evaluations. Returns the best point found;
/// the ends of the interval are tried too, since a monotone objective is optimal there.
pub(crate) fn brent_min(f: impl Fn(f64) -> f64, lo: f64, hi: f64, tol: f64, max_iter: usize) -> f64 {
    let sqrt_eps = f64::EPSILON.sqrt();
    let golden = 0.5 * (3.0 - 5f64.sqrt());
    let (mut a, mut b) = (lo, hi);
    // x: best so far; w: second best; v: previous w.
    let mut x = a + golden * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = f(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    for _ in 1..max_iter.max(1) {
        let m = 0.5 * (a + b);
        let tol1 = sqrt_eps * x.abs() + tol.max(1e-12) / 3.0;
        let tol2 = 2.0 * tol1;
        if (x - m).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut parabolic = false;
        if e.abs() > tol1 {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            let e_prev = e;
            e = d;
            if p.abs() < (0.5 * q * e_prev).abs() && p > q * (a - x) && p < q * (b - x) {
                parabolic = true;
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = if m >= x { tol1 } else { -tol1 };
                }
            }
        }
        if !parabolic {
            e = if x >= m { a - x } else { b - x };
            d = golden * e;
        }
        let u = x + if d.abs() >= tol1 { d } else { tol1.copysign(d) };
        let fu = f(u);
        if fu <= fx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    // The ends of the interval can be optimal (a monotone objective).
    [(f(lo), lo), (f(hi), hi), (fx, x)].into_iter().min_by(|p, q| p.0.total_cmp(&q.0)).map_or(x, |p| p.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_interior_and_boundary_minima() {
        let x = brent_min(|a| (a - 0.21).powi(2), 0.1, 0.3, 1e-9, 200);
        assert!((x - 0.21).abs() < 1e-6, "{x}");
        assert_eq!(brent_min(|a| a, 0.1, 0.3, 1e-9, 200), 0.1);
        assert_eq!(brent_min(|a| -a, 0.1, 0.3, 1e-9, 200), 0.3);
        // Not smooth: golden-section steps still close in on the minimum.
        let x = brent_min(|a| (a - 0.137).abs(), 0.01, 0.5, 1e-9, 200);
        assert!((x - 0.137).abs() < 1e-6, "{x}");
    }

    #[test]
    fn parabolic_steps_need_few_evaluations() {
        let calls = std::cell::Cell::new(0);
        let f = |a: f64| {
            calls.set(calls.get() + 1);
            (a - 0.3).powi(2) * (1.0 + a)
        };
        let x = brent_min(f, 0.01, 0.5, 1e-8, 200);
        assert!((x - 0.3).abs() < 1e-6, "{x}");
        // Golden-section search alone needs about 40 for this bracket and tolerance.
        assert!(calls.get() < 20, "{} evaluations", calls.get());
    }
}

/// Whether every root of Σ c_k z^k (constant term first) lies strictly inside the
/// circle of the given radius, by the Schur–Cohn recursion: p has all its roots
/// inside iff |c_0| < |c_d| and (c_d·p − c_0·p*)/z does, p* being p reversed.
pub(crate) fn roots_within(c: &[f64], radius: f64) -> bool {
    let mut a: Vec<f64> = c.iter().enumerate().map(|(k, v)| v * radius.powi(k as i32)).collect();
    while a.len() > 1 {
        let d = a.len() - 1;
        let (a0, ad) = (a[0], a[d]);
        if a0.abs() >= ad.abs() || !a0.is_finite() {
            return false;
        }
        let next: Vec<f64> = (1..=d).map(|k| ad * a[k] - a0 * a[d - k]).collect();
        // Keep the numbers in range: the test is invariant to scaling.
        let scale = next.iter().fold(0.0f64, |s, v| s.max(v.abs()));
        if scale == 0.0 || !scale.is_finite() {
            return false;
        }
        a = next.into_iter().map(|v| v / scale).collect();
    }
    true
}

/// The result of a Nelder–Mead run.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    /// Whether the tolerance was met (rather than the iteration limit reached).
    pub converged: bool,
}

/// Bounded Nelder–Mead minimisation (adaptive coefficients of Gao & Han 2012; every
/// candidate is clamped to `[lower, upper]`), from an initial simplex with the given
/// step per coordinate (`None`: 5% of each non-zero coordinate, 1e-4 for zeros).
/// Stops when the standard deviation of the simplex's values falls below `tol` or
/// after `max_iter` iterations.
pub(crate) fn nelder_mead_steps(
    mut f: impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    steps: Option<&[f64]>,
    lower: &[f64],
    upper: &[f64],
    tol: f64,
    max_iter: usize,
) -> Minimum {
    let n = x0.len();
    let clamp = |x: &mut Vec<f64>| {
        for i in 0..n {
            x[i] = x[i].clamp(lower[i], upper[i]);
        }
    };
    let mut eval = |x: &[f64]| {
        let v = f(x);
        if v.is_nan() {
            f64::INFINITY
        } else {
            v
        }
    };
    let nf = n as f64;
    let (alpha, gamma, rho, sigma) = (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf);
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    let mut start = x0.to_vec();
    clamp(&mut start);
    simplex.push((start.clone(), eval(&start)));
    for i in 0..n {
        let mut x = start.clone();
        x[i] = match steps {
            Some(steps) => x[i] + steps[i],
            None if x[i] != 0.0 => x[i] * 1.05,
            None => 1e-4,
        };
        if x[i] > upper[i] {
            x[i] = start[i] - (x[i] - start[i]);
        }
        clamp(&mut x);
        let v = eval(&x);
        simplex.push((x, v));
    }
    let mut converged = false;
    for _ in 0..max_iter {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let finite: Vec<f64> = simplex.iter().map(|s| s.1).filter(|v| v.is_finite()).collect();
        if finite.len() == simplex.len() {
            let mean = finite.iter().sum::<f64>() / finite.len() as f64;
            let sd = (finite.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / finite.len() as f64).sqrt();
            if sd < tol {
                converged = true;
                break;
            }
        }
        let centroid: Vec<f64> = (0..n).map(|j| simplex[..n].iter().map(|s| s.0[j]).sum::<f64>() / nf).collect();
        let along = |t: f64| -> Vec<f64> {
            let mut x: Vec<f64> = (0..n).map(|j| centroid[j] + t * (simplex[n].0[j] - centroid[j])).collect();
            clamp(&mut x);
            x
        };
        let xr = along(-alpha);
        let fr = eval(&xr);
        if fr < simplex[0].1 {
            let xe = along(-alpha * gamma);
            let fe = eval(&xe);
            simplex[n] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (xr, fr);
        } else {
            let (xc, fc) = if fr < simplex[n].1 {
                let x = along(-alpha * rho);
                let v = eval(&x);
                (x, v)
            } else {
                let x = along(rho);
                let v = eval(&x);
                (x, v)
            };
            if fc < simplex[n].1.min(fr) {
                simplex[n] = (xc, fc);
            } else {
                let best = simplex[0].0.clone();
                for s in simplex.iter_mut().skip(1) {
                    let mut x: Vec<f64> = (0..n).map(|j| best[j] + sigma * (s.0[j] - best[j])).collect();
                    clamp(&mut x);
                    s.1 = eval(&x);
                    s.0 = x;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (x, value) = simplex.swap_remove(0);
    Minimum { x, value, converged }
}

#[cfg(test)]
mod nm_tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_a_bounded_minimum() {
        let rosen = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let Minimum { x, value: v, .. } =
            nelder_mead_steps(rosen, &[-1.0, 2.0], None, &[-5.0, -5.0], &[5.0, 5.0], 1e-14, 5000);
        assert!((x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3 && v < 1e-6, "{x:?} {v}");
        // the minimum of (x-3)^2 on [0, 2] is at the bound
        let x = nelder_mead_steps(|x| (x[0] - 3.0).powi(2), &[1.0], None, &[0.0], &[2.0], 1e-12, 500).x;
        assert!((x[0] - 2.0).abs() < 1e-6, "{x:?}");
    }
}
