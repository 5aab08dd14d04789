//! The floor of `kensa aggregate` on workbooks, for bench/aggregate.py: reads every cell of
//! every sheet of every .xlsx under the folders through kensa's guarded reader (calamine), on
//! all cores, with kensa's allocator and memory settings, and does nothing else. kensa's own
//! work (checking the layout, counting, writing the outputs) comes on top of reading; kensa
//! reads a little less than this, as it stops reading the hidden sheet at its fingerprints,
//! which counting does not use.
//!
//!     cargo run --release --example read_floor -- FOLDER [FOLDER ...]
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    kensa::small_pages();
    let mut paths: Vec<PathBuf> = Vec::new();
    for dir in std::env::args().skip(1) {
        for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
            match e {
                Ok(e) if e.path().extension().is_some_and(|x| x == "xlsx") => paths.push(e.into_path()),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let read = |p: &PathBuf| -> kensa::Result<usize> {
        let mut wb = kensa::xlsx::read::Guarded::open(p)?;
        let mut cells = 0;
        for name in wb.sheet_names() {
            cells += wb.sheet(&name)?.values().map(|r| r.len()).sum::<usize>();
        }
        Ok(cells)
    };
    match paths.par_iter().map(read).sum::<kensa::Result<usize>>() {
        Ok(cells) => {
            eprintln!("{} files, {cells} cells", paths.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
