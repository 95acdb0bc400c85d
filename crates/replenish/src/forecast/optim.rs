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
