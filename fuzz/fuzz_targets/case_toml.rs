//! Fuzz target `case_toml`: see [`kensa_fuzz::case_toml`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kensa_fuzz::case_toml(data));
