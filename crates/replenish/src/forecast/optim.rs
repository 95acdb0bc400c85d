//! Small bounded optimisers used to fit smoothing parameters.

/// Minimises `f` on `[lo, hi]` by golden-section search, stopping when the bracket
/// is narrower than `tol` or after `max_iter` steps. Returns the best point found.
pub(crate) fn golden_section(f: impl Fn(f64) -> f64, lo: f64, hi: f64, tol: f64, max_iter: usize) -> f64 {
    let inv_phi = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (lo, hi);
    let mut c = b - inv_phi * (b - a);
    let mut d = a + inv_phi * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..max_iter {
        if (b - a).abs() <= tol.max(1e-12) {
            break;
        }
        if fc <= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - inv_phi * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + inv_phi * (b - a);
            fd = f(d);
        }
    }
    let mid = (a + b) / 2.0;
    // The ends of the interval can be optimal (a monotone objective).
    [(f(lo), lo), (f(hi), hi), (f(mid), mid)].into_iter().min_by(|x, y| x.0.total_cmp(&y.0)).map_or(mid, |p| p.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_interior_and_boundary_minima() {
        let x = golden_section(|a| (a - 0.21).powi(2), 0.1, 0.3, 1e-9, 200);
        assert!((x - 0.21).abs() < 1e-6, "{x}");
        assert_eq!(golden_section(|a| a, 0.1, 0.3, 1e-9, 200), 0.1);
        assert_eq!(golden_section(|a| -a, 0.1, 0.3, 1e-9, 200), 0.3);
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

/// Bounded Nelder–Mead minimisation (adaptive coefficients of Gao & Han 2012; every
/// candidate is clamped to `[lower, upper]`). Stops when the standard deviation of
/// the simplex's values falls below `tol` or after `max_iter` iterations. Returns the
/// best point and its value.
pub(crate) fn nelder_mead(
    f: impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    tol: f64,
    max_iter: usize,
) -> (Vec<f64>, f64) {
    let m = nelder_mead_steps(f, x0, None, lower, upper, tol, max_iter);
    (m.x, m.value)
}

/// The result of a Nelder–Mead run.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    /// Whether the tolerance was met (rather than the iteration limit reached).
    pub converged: bool,
}

/// [`nelder_mead`] with the initial simplex's step per coordinate given (`None`:
/// 5% of each non-zero coordinate, 1e-4 for zeros).
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
        let (x, v) = nelder_mead(rosen, &[-1.0, 2.0], &[-5.0, -5.0], &[5.0, 5.0], 1e-14, 5000);
        assert!((x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3 && v < 1e-6, "{x:?} {v}");
        // the minimum of (x-3)^2 on [0, 2] is at the bound
        let (x, _) = nelder_mead(|x| (x[0] - 3.0).powi(2), &[1.0], &[0.0], &[2.0], 1e-12, 500);
        assert!((x[0] - 2.0).abs() < 1e-6, "{x:?}");
    }
}
