//! The `ingest_csv` fuzz target: see `replenish_fuzz::ingest_csv`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| replenish_fuzz::ingest_csv::run(data));
