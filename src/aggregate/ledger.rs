//! The ledger of 公表用 editions: every edition written records the cells it showed (table, row
//! label, column, and the numbers behind the cell), one JSON line per edition, in a file beside
//! the output folders (never inside one). A new edition whose shown cell differs from a cell an
//! earlier edition showed by the contribution of 1 or 2 facilities would give those facilities
//! away by subtraction: its row is hidden and the run says so. The ledger holds no name, code or
//! hidden number: only what the editions themselves showed.

use super::table::{Cell, Table};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The ledger's file name, in the folder that holds the output folder.
pub const LEDGER_FILE: &str = "kensa-公表台帳.jsonl";

/// Largest ledger read.
const MAX_LEDGER_BYTES: u64 = 256 * 1024 * 1024;

/// A cell an edition showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    /// The table's title, the row's labels (its text cells joined by ｜) and the column's header.
    pub table: String,
    pub row: String,
    pub column: String,
    /// A count: the count; a rate: the facilities behind its numerator, behind the rest of its
    /// denominator, and behind its denominator.
    pub values: Vec<u64>,
}

/// One edition: when it was written, its title, its output folder, the 年度 it counted and the
/// cells it showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub written: String,
    pub title: String,
    pub folder: String,
    #[serde(default)]
    pub years: Vec<i32>,
    pub cells: Vec<Shown>,
}

impl Edition {
    /// Whether this edition counted a 年度 of `years` (or either does not know its 年度): only
    /// then can one be subtracted from the other. Editions of different 年度 count different
    /// facility-years, and their differences are a change between years, not a facility.
    pub fn overlaps(&self, years: &[i32]) -> bool {
        self.years.is_empty() || years.is_empty() || self.years.iter().any(|y| years.contains(y))
    }
}

/// The ledger beside an output folder.
pub fn default_path(out: &Path) -> PathBuf {
    crate::fs::parent(out).join(LEDGER_FILE)
}

/// The editions recorded (none where the file does not exist yet).
pub fn read(path: &Path) -> Result<Vec<Edition>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = crate::fs::read_text(path, MAX_LEDGER_BYTES)?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let e: Edition = serde_json::from_str(line).map_err(|e| Error::At {
            path: path.to_path_buf(),
            line: n + 1,
            column: e.column(),
            message: format!(
                "公表用の台帳の {} 行目が読めません（kensa が書いた台帳を手で直さないでください）{}",
                n + 1,
                crate::error::detail(&e.to_string())
            ),
        })?;
        out.push(e);
    }
    Ok(out)
}

/// The labels of a row: its text cells, joined.
fn row_label(cells: &[Cell]) -> String {
    cells
        .iter()
        .filter_map(|c| match c {
            Cell::Text(s) => Some(s.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("｜")
}

fn values(c: &Cell) -> Option<Vec<u64>> {
    match c {
        Cell::Count(n) => Some(vec![*n]),
        Cell::Rate { from_num, from_rest, den_facilities, .. } => Some(vec![*from_num, *from_rest, *den_facilities]),
        _ => None,
    }
}

/// The cells the tables show (counts and rates; never a hidden one).
pub fn shown(tables: &[Table]) -> Vec<Shown> {
    let mut out = Vec::new();
    for t in tables {
        for r in &t.rows {
            let row = row_label(&r.cells);
            for (c, cell) in r.cells.iter().enumerate() {
                if let Some(values) = values(cell) {
                    out.push(Shown {
                        table: t.title.clone(),
                        row: row.clone(),
                        column: t.headers.get(c).cloned().unwrap_or_default(),
                        values,
                    });
                }
            }
        }
    }
    out
}

/// The rows of `tables` (table, row) with a shown cell that differs from one an earlier edition
/// showed by 1 or 2 in any of its numbers.
pub fn differenced(tables: &[Table], earlier: &[Edition]) -> Vec<(usize, usize)> {
    let mut before: HashMap<(&str, &str, &str), Vec<&Vec<u64>>> = HashMap::new();
    for e in earlier {
        for s in &e.cells {
            before.entry((&s.table, &s.row, &s.column)).or_default().push(&s.values);
        }
    }
    let mut out = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            let row = row_label(&r.cells);
            let hit = r.cells.iter().enumerate().any(|(c, cell)| {
                let (Some(now), Some(header)) = (values(cell), t.headers.get(c)) else { return false };
                before.get(&(t.title.as_str(), row.as_str(), header.as_str())).is_some_and(|was| {
                    was.iter().any(|v| {
                        v.len() == now.len() && v.iter().zip(&now).any(|(a, b)| matches!(a.abs_diff(*b), 1 | 2))
                    })
                })
            });
            if hit {
                out.push((ti, ri));
            }
        }
    }
    out
}

/// Adds an edition to the ledger (the file rewritten whole through `fs`; an edition already
/// recorded with the same cells is not added again).
pub fn append(path: &Path, edition: &Edition) -> Result<()> {
    let mut editions = read(path)?;
    if editions.iter().any(|e| e.cells == edition.cells) {
        return Ok(());
    }
    editions.push(edition.clone());
    let mut text = String::new();
    for e in &editions {
        // Strings and numbers always serialize.
        text.push_str(&serde_json::to_string(e).unwrap_or_default());
        text.push('\n');
    }
    let dir = crate::fs::parent(path);
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    crate::fs::write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::table::Row;

    fn table(met: u64, not_met: u64) -> Table {
        let mut t = Table::new("項目別", "項目別", &["番号", "適", "否", "適合率"]);
        t.rows.push(Row::new(
            vec![Cell::Text("2-⑥".into()), Cell::Count(met), Cell::Count(not_met), Cell::rate(met, met + not_met)],
            met + not_met,
        ));
        t
    }

    #[test]
    fn a_row_one_facility_away_from_an_earlier_edition_is_found() {
        let earlier = Edition {
            written: "2026-03-31".into(),
            title: "t".into(),
            folder: "中間".into(),
            years: vec![2025],
            cells: shown(&[table(40, 10)]),
        };
        assert!(earlier.overlaps(&[2024, 2025]) && !earlier.overlaps(&[2026]));
        assert_eq!(differenced(&[table(41, 10)], std::slice::from_ref(&earlier)), vec![(0, 0)]);
        assert_eq!(differenced(&[table(40, 10)], std::slice::from_ref(&earlier)), vec![]);
        assert_eq!(differenced(&[table(50, 20)], std::slice::from_ref(&earlier)), vec![], "10 more: a group");
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(LEDGER_FILE);
        append(&p, &earlier).unwrap();
        append(&p, &earlier).unwrap();
        assert_eq!(read(&p).unwrap(), vec![earlier]);
        std::fs::write(&p, "{").unwrap();
        assert!(read(&p).unwrap_err().to_string().contains("台帳"));
    }
}
