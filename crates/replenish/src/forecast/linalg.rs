//! Small dense linear algebra for the models (systems of a few dozen unknowns).

/// Solves the symmetric positive-definite system `a·x = b` (row-major k×k) by
/// Cholesky, with a tiny ridge when it is numerically singular.
pub(crate) fn cholesky_solve(a: &[f64], b: &[f64], k: usize) -> Option<Vec<f64>> {
    let trace: f64 = (0..k).map(|i| a[i * k + i]).sum();
    for ridge in [0.0, 1e-10, 1e-6] {
        let mut l = a.to_vec();
        let mut ok = true;
        for j in 0..k {
            let mut d = l[j * k + j] + ridge * trace / k as f64 - (0..j).map(|p| l[j * k + p].powi(2)).sum::<f64>();
            if d <= 1e-12 * trace.max(1e-300) || !d.is_finite() {
                ok = false;
                break;
            }
            d = d.sqrt();
            l[j * k + j] = d;
            for i in j + 1..k {
                let s = l[i * k + j] - (0..j).map(|p| l[i * k + p] * l[j * k + p]).sum::<f64>();
                l[i * k + j] = s / d;
            }
        }
        if !ok {
            continue;
        }
        let mut z = b.to_vec();
        for i in 0..k {
            z[i] = (z[i] - (0..i).map(|p| l[i * k + p] * z[p]).sum::<f64>()) / l[i * k + i];
        }
        for i in (0..k).rev() {
            z[i] = (z[i] - (i + 1..k).map(|p| l[p * k + i] * z[p]).sum::<f64>()) / l[i * k + i];
        }
        if z.iter().all(|v| v.is_finite()) {
            return Some(z);
        }
    }
    None
}
