//! The integration tests: one binary, run through one harness ([`harness`]).

mod cli;
mod corpus;
mod fixtures;
mod fuzz_replay;
mod harness;
mod offline;
mod report;
mod robustness;
mod workbook;
