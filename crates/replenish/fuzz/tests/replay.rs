//! Replays every seed and every saved regression input through the fuzz targets'
//! bodies on stable Rust, as ordinary tests: a crash the fuzzer once found stays
//! fixed. Save a crashing input as `regressions/<target>/<name>` (from
//! `artifacts/<target>/crash-*`) and it runs here from then on.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).unwrap_or_default();
            run(&data);
            n += 1;
        }
    }
    n
}

#[test]
fn ingest_csv() {
    assert!(replay("ingest_csv", replenish_fuzz::ingest_csv::run) > 0);
}

#[test]
fn rules() {
    assert!(replay("rules", replenish_fuzz::rules::run) > 0);
}

#[test]
fn documents() {
    assert!(replay("documents", replenish_fuzz::documents::run) > 0);
}

#[test]
fn workflow_events() {
    assert!(replay("workflow_events", replenish_fuzz::workflow_events::run) > 0);
}
