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

/// Turns transparent huge pages off for this process (Linux; elsewhere nothing), for the
/// binaries that use mimalloc. mimalloc asks Linux for huge pages where the system allows them
/// on request ("madvise", Debian's default): every thread's first allocations then fault in and
/// zero a whole huge page. kensa's allocations are small and short-lived, so huge pages only
/// add to its memory and its time (measured in bench/RESULTS.md). Nothing is lost where the call
/// fails (an old kernel): the process runs as before.
pub fn small_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}
