//! Fuzz target `checklist_toml`: see [`kensa_fuzz::checklist_toml`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kensa_fuzz::checklist_toml(data));
