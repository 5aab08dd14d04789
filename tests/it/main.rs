//! The integration tests: one binary, run through one harness ([`harness`]).

mod cli;
#[cfg(unix)]
mod crash;
mod edition;
mod evidence;
mod fixtures;
mod followup;
mod harness;
mod report;
mod robustness;
mod workbook;
