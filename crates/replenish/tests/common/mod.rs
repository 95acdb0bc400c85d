//! Helpers shared by the integration tests: paths to the repository's fixtures.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use replenish::ingest::{Inputs, TableInput};
use std::path::PathBuf;

/// `tests/` at the repository root.
pub fn repo_tests() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

pub fn fixture(name: &str) -> PathBuf {
    repo_tests().join("fixtures").join(name)
}

/// The small fixture's tables with one table replaced by `text`.
pub fn small_with(table: &str, text: &str) -> Inputs {
    let mut inputs = replenish::ingest::read_inputs(fixture("small")).unwrap();
    inputs.set(table, TableInput::new(format!("{table}.csv"), text.as_bytes().to_vec())).unwrap();
    inputs
}
