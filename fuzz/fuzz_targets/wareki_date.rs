//! Fuzz target `wareki_date`: see [`kensa_fuzz::wareki_date`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kensa_fuzz::wareki_date(data));
