//! The `workflow_events` fuzz target: see `replenish_fuzz::workflow_events`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| replenish_fuzz::workflow_events::run(data));
