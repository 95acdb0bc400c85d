//! The `documents` fuzz target: see `replenish_fuzz::documents`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| replenish_fuzz::documents::run(data));
