//! The integration tests: one binary, run through one harness ([`harness`]).

mod aggregate;
mod cli;
mod edition;
mod evidence;
mod fixtures;
mod followup;
mod harness;
mod messages;
mod report;
mod robustness;
mod workbook;
