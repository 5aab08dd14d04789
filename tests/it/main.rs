//! The integration tests: one binary, run through one harness ([`harness`]).

mod aggregate;
mod cli;
mod corpus;
#[cfg(unix)]
mod crash;
mod edition;
mod evidence;
mod fixtures;
mod followup;
mod fuzz_replay;
mod harness;
mod messages;
mod offline;
mod report;
mod robustness;
#[cfg(windows)]
mod windows;
mod workbook;
