//! The integration tests: one binary, run through one harness ([`harness`]).

mod cli;
mod fixtures;
mod harness;
mod report;
mod robustness;
mod workbook;
