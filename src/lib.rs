//! kensa: a toolkit for 医療監視員 who inspect hospitals and clinics for cybersecurity and
//! investigate them after a cyberattack.
//!
//! Data flows one way: load (checklists, case files, workbooks) → model (typed structs,
//! validated once; the facts derived from them computed in `assess`) → outputs (workbooks,
//! reports). See ARCHITECTURE.md for the map.

pub mod aggregate;
pub mod assess;
pub mod case;
pub mod check;
pub mod checklist;
pub mod cli;
pub mod compare;
pub mod diag;
pub mod error;
pub mod evidence;
pub mod followup;
pub mod fs;
pub mod merge;
pub mod render;
pub mod report;
pub mod text;
pub mod values;
pub mod verify;
pub mod walk;
pub mod wareki;
pub mod workbook;
pub mod xlsx;

pub use error::{Error, Result};
