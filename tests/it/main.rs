//! The integration tests: one binary, run through one harness ([`harness`]).

mod aggregate;
mod checklist_import;
mod cli;
mod concurrency;
mod corpus;
#[cfg(unix)]
mod crash;
mod disclosure;
mod edition;
mod edition7;
mod evidence;
mod facility_years;
mod fixtures;
mod followup;
mod fuzz_replay;
mod harness;
mod messages;
mod offline;
mod report;
mod robustness;
mod tidy;
#[cfg(windows)]
mod windows;
mod workbook;
