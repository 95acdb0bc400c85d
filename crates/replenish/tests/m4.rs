//! The M4 scorer and the baselines against the published M4 results: Naive,
//! seasonal naive and Naive2 must reproduce the competition's rows to 3 decimals.
//! Reads `../shared/data/m4` beside the repository; skips with a message when absent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use replenish::forecast::{forecast_batch, ForecastRequest, ModelConfig, Panel};
use replenish::metrics::{mase, naive2, owa, smape};
use std::path::PathBuf;

fn m4_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/m4");
    if dir.join("Hourly-train.csv").is_file() {
        Some(dir)
    } else {
        eprintln!("skipping: M4 data not found at {} (it lives in ../shared/data/m4)", dir.display());
        None
    }
}

/// The wide M4 files: one row per series, id then values, trailing empty cells.
fn read_wide(path: &std::path::Path) -> Vec<(String, Vec<f64>)> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_path(path).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let id = r[0].to_string();
            let values = r.iter().skip(1).filter(|v| !v.is_empty()).map(|v| v.parse::<f64>().unwrap()).collect();
            (id, values)
        })
        .collect()
}

struct Scores {
    smape: f64,
    mase: f64,
}

fn score(train: &[(String, Vec<f64>)], test: &[(String, Vec<f64>)], fc: &[Vec<f64>], m: usize) -> Scores {
    let n = train.len() as f64;
    let s = train.iter().zip(test).zip(fc).map(|((_, y), f)| smape(&y.1, f)).sum::<f64>() / n;
    let ms = train.iter().zip(test).zip(fc).map(|((tr, y), f)| mase(&y.1, f, &tr.1, m)).sum::<f64>() / n;
    Scores { smape: s, mase: ms }
}

/// The series as one panel (values plus offsets).
fn panel_of(train: &[(String, Vec<f64>)]) -> Panel {
    let mut offsets = vec![0];
    let mut values = Vec::new();
    for (_, y) in train {
        values.extend(y);
        offsets.push(values.len());
    }
    Panel::new(train.iter().map(|(id, _)| id.clone()).collect(), offsets, values).unwrap()
}

fn run_model(train: &[(String, Vec<f64>)], h: usize, model: ModelConfig) -> Vec<Vec<f64>> {
    let req = ForecastRequest { h, models: vec![model], ..Default::default() };
    let panel = panel_of(train);
    let out = forecast_batch(&panel, &req).unwrap();
    out.models[0].mean.chunks(h).map(<[f64]>::to_vec).collect()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[test]
fn baselines_reproduce_the_published_m4_rows() {
    let Some(dir) = m4_dir() else { return };
    // (frequency, h, m, [(model, published sMAPE, published MASE)])
    type Published = [(&'static str, f64, f64); 3];
    let cases: [(&str, usize, usize, Published); 2] = [
        ("Hourly", 48, 24, [("Naive", 43.003, 11.608), ("sNaive", 13.912, 1.193), ("Naive2", 18.383, 2.395)]),
        ("Weekly", 13, 1, [("Naive", 9.161, 2.777), ("sNaive", 9.161, 2.777), ("Naive2", 9.161, 2.777)]),
    ];
    for (freq, h, m, rows) in cases {
        let train = read_wide(&dir.join(format!("{freq}-train.csv")));
        let test = read_wide(&dir.join(format!("{freq}-test.csv")));
        assert_eq!(train.len(), test.len());
        assert!(test.iter().all(|(_, v)| v.len() == h));
        let naive = run_model(&train, h, ModelConfig::Naive);
        let snaive = run_model(&train, h, ModelConfig::SeasonalNaive { season_length: m });
        let n2: Vec<Vec<f64>> = train.iter().map(|(_, y)| naive2(y, h, m)).collect();
        let n2_scores = score(&train, &test, &n2, m);
        for ((name, want_smape, want_mase), fc) in rows.iter().zip([&naive, &snaive, &n2]) {
            let s = score(&train, &test, fc, m);
            eprintln!(
                "M4 {freq} {name}: sMAPE {:.3} MASE {:.3} OWA {:.3}",
                s.smape,
                s.mase,
                owa(s.smape, s.mase, n2_scores.smape, n2_scores.mase)
            );
            assert_eq!(round3(s.smape), *want_smape, "{freq} {name} sMAPE");
            assert_eq!(round3(s.mase), *want_mase, "{freq} {name} MASE");
        }
    }
}

/// The Theta family, AutoSelect and the default Ensemble on M4 Hourly and Weekly: accuracy (sMAPE, MASE, OWA against
/// Naive2) and time, printed for the record next to M4's published Theta row.
#[test]
fn theta_family_on_m4() {
    let Some(dir) = m4_dir() else { return };
    for (freq, h, m, published_owa) in [("Hourly", 48, 24, 1.006), ("Weekly", 13, 1, 0.971)] {
        let train = read_wide(&dir.join(format!("{freq}-train.csv")));
        let test = read_wide(&dir.join(format!("{freq}-test.csv")));
        let n2: Vec<Vec<f64>> = train.iter().map(|(_, y)| naive2(y, h, m)).collect();
        let base = score(&train, &test, &n2, m);
        for name in
            ["Theta", "OptimizedTheta", "DynamicTheta", "DynamicOptimizedTheta", "AutoTheta", "AutoSelect", "Ensemble"]
        {
            let t = std::time::Instant::now();
            let fc = run_model(&train, h, ModelConfig::from_name(name, m).unwrap());
            let secs = t.elapsed().as_secs_f64();
            let s = score(&train, &test, &fc, m);
            let o = owa(s.smape, s.mase, base.smape, base.mase);
            eprintln!("M4 {freq} {name:<22} sMAPE {:.3} MASE {:.3} OWA {o:.3} ({secs:.2} s) [published Theta OWA {published_owa}]", s.smape, s.mase);
            assert!(o < published_owa * 1.15, "{freq} {name}: OWA {o}");
        }
    }
}

/// Coverage of 80% and 95% intervals on the M4 test points, printed for the record.
#[test]
fn interval_coverage_on_m4() {
    let Some(dir) = m4_dir() else { return };
    for (freq, h, m) in [("Hourly", 48, 24), ("Weekly", 13, 1)] {
        let train = read_wide(&dir.join(format!("{freq}-train.csv")));
        let test = read_wide(&dir.join(format!("{freq}-test.csv")));
        let panel = panel_of(&train);
        let models: Vec<ModelConfig> = ["Naive", "SeasonalNaive", "AutoTheta", "DynamicOptimizedTheta"]
            .iter()
            .map(|n| ModelConfig::from_name(n, m).unwrap())
            .collect();
        let req = ForecastRequest {
            h,
            models,
            levels: vec![80.0, 95.0],
            options: replenish::forecast::FitOptions { n_paths: 500, ..Default::default() },
            ..Default::default()
        };
        let out = forecast_batch(&panel, &req).unwrap();
        let actual: Vec<f64> = test.iter().flat_map(|(_, v)| v.clone()).collect();
        for mf in &out.models {
            let c80 = replenish::metrics::coverage(&actual, &mf.lo[0], &mf.hi[0]);
            let c95 = replenish::metrics::coverage(&actual, &mf.lo[1], &mf.hi[1]);
            eprintln!("M4 {freq} {:<22} 80% interval covers {c80:.3}, 95% covers {c95:.3}", mf.model);
            assert!(c80 > 0.5 && c95 > 0.7, "{freq} {}: {c80} {c95}", mf.model);
        }
    }
}

/// AutoETS on M4 Hourly and Weekly, printed for the record (slow: release builds only).
#[test]
fn auto_ets_on_m4() {
    let Some(dir) = m4_dir() else { return };
    if cfg!(debug_assertions) {
        eprintln!("skipping AutoETS on M4 in a debug build");
        return;
    }
    for (freq, h, m) in [("Hourly", 48, 24), ("Weekly", 13, 1)] {
        let train = read_wide(&dir.join(format!("{freq}-train.csv")));
        let test = read_wide(&dir.join(format!("{freq}-test.csv")));
        let n2: Vec<Vec<f64>> = train.iter().map(|(_, y)| naive2(y, h, m)).collect();
        let base = score(&train, &test, &n2, m);
        let limit: usize = std::env::var("M4_SERIES").ok().and_then(|v| v.parse().ok()).unwrap_or(train.len());
        let (train, test) = (&train[..limit.min(train.len())], &test[..limit.min(test.len())]);
        let t = std::time::Instant::now();
        let fc = run_model(train, h, ModelConfig::AutoEts { season_length: m });
        let secs = t.elapsed().as_secs_f64();
        let s = score(train, test, &fc, m);
        // Intervals from 500 simulated paths of each series' chosen structure.
        let panel = panel_of(train);
        let req = ForecastRequest {
            h,
            models: vec![ModelConfig::AutoEts { season_length: m }],
            levels: vec![80.0, 95.0],
            options: replenish::forecast::FitOptions { n_paths: 500, ..Default::default() },
            ..Default::default()
        };
        let out = forecast_batch(&panel, &req).unwrap();
        let actual: Vec<f64> = test.iter().flat_map(|(_, v)| v.clone()).collect();
        let mf = &out.models[0];
        let (c80, c95) = (
            replenish::metrics::coverage(&actual, &mf.lo[0], &mf.hi[0]),
            replenish::metrics::coverage(&actual, &mf.lo[1], &mf.hi[1]),
        );
        eprintln!("M4 {freq} AutoETS 80% interval covers {c80:.3}, 95% covers {c95:.3}");
        assert!(c80 > 0.6 && c95 > 0.8, "{freq}: {c80} {c95}");
        eprintln!(
            "M4 {freq} AutoETS ({} series) sMAPE {:.3} MASE {:.3} OWA {:.3} ({secs:.2} s)",
            train.len(),
            s.smape,
            s.mase,
            owa(s.smape, s.mase, base.smape, base.mase)
        );
    }
}

/// SES, Holt and damped Holt on M4 Weekly against the published rows (SES 0.975,
/// Holt 0.966, Damped 0.917), printed for the record.
#[test]
fn exponential_smoothing_on_m4_weekly() {
    let Some(dir) = m4_dir() else { return };
    if cfg!(debug_assertions) {
        return;
    }
    let (h, m) = (13, 1);
    let train = read_wide(&dir.join("Weekly-train.csv"));
    let test = read_wide(&dir.join("Weekly-test.csv"));
    let n2: Vec<Vec<f64>> = train.iter().map(|(_, y)| naive2(y, h, m)).collect();
    let base = score(&train, &test, &n2, m);
    for (name, published) in [("SES", 0.975), ("Holt", 0.966), ("HoltDamped", 0.917)] {
        let t = std::time::Instant::now();
        let fc = run_model(&train, h, ModelConfig::from_name(name, m).unwrap());
        let s = score(&train, &test, &fc, m);
        eprintln!(
            "M4 Weekly {name:<10} sMAPE {:.3} MASE {:.3} OWA {:.3} ({:.2} s) [published {published}]",
            s.smape,
            s.mase,
            owa(s.smape, s.mase, base.smape, base.mase),
            t.elapsed().as_secs_f64()
        );
    }
}
