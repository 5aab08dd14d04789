//! Fuzz target `workbook`: see [`kensa_fuzz::workbook`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kensa_fuzz::workbook(data));
