//! The `rules` fuzz target: see `replenish_fuzz::rules`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| replenish_fuzz::rules::run(data));
