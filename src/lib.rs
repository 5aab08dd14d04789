//! kensa: a toolkit for 医療監視員 who inspect hospitals and clinics for cybersecurity and
//! investigate them after a cyberattack.
//!
//! Data flows one way: load (checklists, case files, workbooks) → model (typed structs,
//! validated once) → outputs (workbooks, reports).

pub mod case;
pub mod check;
pub mod checklist;
pub mod cli;
pub mod compare;
pub mod error;
pub mod report;
pub mod text;
pub mod wareki;
pub mod workbook;
pub mod xlsx;

pub use error::{Error, Result};

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
