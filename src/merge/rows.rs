//! Merging the lists of the case (systems, timeline, measures, guidance, evidence, …).
//!
//! Three-way (format 2): each row of the case at export has a fingerprint per column, and each
//! row of the workbook says which export row it came from. The case's current rows are matched
//! to the export rows (equal rows first, then the most alike), so that each export row is known
//! as unchanged, changed or deleted on each side; rows with no export row are additions. Two-way
//! (format 1): rows of the workbook not in the case are added; a case row missing from the
//! workbook is a conflict.

use super::Merger;
use crate::case::fields::{Col, Table, Val, SUMMARY_CHARS};
use crate::case::Case;
use crate::workbook::read::{Base, ReadRow, TableRows};
use std::collections::BTreeMap;

fn summary(row: &[Val], columns: &[&Col]) -> String {
    let parts: Vec<String> =
        row.iter().zip(columns).filter(|(v, c)| !v.is_blank(c.kind)).map(|(v, _)| v.show()).collect();
    if parts.is_empty() {
        "（空の行）".into()
    } else {
        crate::text::short(&parts.join("／"), SUMMARY_CHARS)
    }
}

fn prints(row: &[Val]) -> Vec<String> {
    row.iter().map(Val::fingerprint).collect()
}

/// How the case's current rows relate to the rows at export: for each export row, the current
/// row it became (`None`: deleted); and the current rows that are new.
fn match_case_rows(
    base: &BTreeMap<usize, Vec<String>>,
    current: &[Vec<String>],
) -> (BTreeMap<usize, Option<usize>>, Vec<usize>) {
    let mut used = vec![false; current.len()];
    let mut of: BTreeMap<usize, Option<usize>> = base.keys().map(|b| (*b, None)).collect();
    // Unchanged rows: every fingerprint equal.
    for (b, bp) in base {
        if let Some(i) = (0..current.len()).find(|i| !used[*i] && current[*i] == *bp) {
            used[i] = true;
            of.insert(*b, Some(i));
        }
    }
    // Changed rows: the unused row sharing the most non-empty values (at least one, and at least
    // half of the row's values at export), in order.
    for (b, bp) in base {
        if of[b].is_some() {
            continue;
        }
        let score = |i: usize| bp.iter().zip(&current[i]).filter(|(x, y)| x == y && x.as_str() != "-").count();
        let best = (0..current.len())
            .filter(|i| !used[*i])
            .map(|i| (score(i), i))
            .max_by_key(|(s, i)| (*s, std::cmp::Reverse(*i)));
        let filled = bp.iter().filter(|x| x.as_str() != "-").count();
        if let Some((s, i)) = best {
            if s >= 1 && s * 2 >= filled {
                used[i] = true;
                of.insert(*b, Some(i));
            }
        }
    }
    let added = (0..current.len()).filter(|i| !used[*i]).collect();
    (of, added)
}

/// Merges one table.
pub(super) fn table(out: &mut Case, read: &TableRows, base: Option<&Base>, m: &mut Merger) {
    match base {
        Some(b) => three_way(out, read, b.rows.get(read.table.key()).cloned().unwrap_or_default(), m),
        None => two_way(out, read, m),
    }
}

fn three_way(out: &mut Case, read: &TableRows, base: BTreeMap<usize, Vec<String>>, m: &mut Merger) {
    let t: &dyn Table = read.table;
    let columns = t.columns();
    let place = format!("{} {}", read.sheet, t.title());
    let at = format!("{}（{}）", read.sheet, t.title());
    let current = t.rows(out);
    let current_prints: Vec<Vec<String>> = current.iter().map(|r| prints(r)).collect();
    let (case_of, case_added) = match_case_rows(&base, &current_prints);

    let mut sets: Vec<(usize, Vec<Val>)> = Vec::new();
    let mut removes: Vec<usize> = Vec::new();
    let mut adds: Vec<Vec<Val>> = Vec::new();
    for (b, bp) in &base {
        let wb = read.rows.iter().find(|r| r.origin == Some(*b));
        let wb_changed = wb.is_none_or(|r| prints(&r.vals) != *bp);
        if !wb_changed {
            continue; // unchanged in the workbook: the case's row stands (changed, deleted or not)
        }
        let case_row = case_of[b];
        match (wb, case_row) {
            // Deleted in the workbook.
            (None, Some(i)) if current_prints[i] == *bp => {
                m.change(|| (format!("{place}（行を削除）"), summary(&current[i], &columns), "（削除）".into()));
                removes.push(i);
            }
            (None, Some(i)) => {
                let take = m.conflict(
                    at.clone(),
                    format!("{place}（ワークブックで削除、事案ファイルで変更された行）"),
                    summary(&current[i], &columns),
                    "（削除）".into(),
                );
                if take {
                    removes.push(i);
                }
            }
            (None, None) => {} // deleted on both sides
            // Changed in the workbook.
            (Some(w), Some(i)) => {
                let mut row = current[i].clone();
                let mut conflict = false;
                for (c, ((wv, cv), bf)) in w.vals.iter().zip(&current[i]).zip(bp).enumerate() {
                    let wf = wv.fingerprint();
                    if wf == *bf || wv == cv {
                        continue;
                    }
                    if cv.fingerprint() == *bf {
                        row[c] = wv.clone();
                    } else {
                        conflict = true;
                    }
                }
                if conflict {
                    let take = m.conflict(
                        w.at.to_string(),
                        format!("{place}（両方で変更された行）"),
                        summary(&current[i], &columns),
                        summary(&w.vals, &columns),
                    );
                    if take {
                        row = w.vals.clone();
                    }
                }
                if row != current[i] {
                    if !conflict {
                        m.change(|| {
                            (format!("{place}（行を変更）"), summary(&current[i], &columns), summary(&row, &columns))
                        });
                    }
                    sets.push((i, row));
                }
            }
            (Some(w), None) => {
                let take = m.conflict(
                    w.at.to_string(),
                    format!("{place}（事案ファイルで削除、ワークブックで変更された行）"),
                    "（削除）".into(),
                    summary(&w.vals, &columns),
                );
                if take {
                    adds.push(w.vals.clone());
                }
            }
        }
    }
    // Rows added in the workbook (a row added identically in the case too is added once).
    let mut case_added: Vec<Option<&Vec<Val>>> = case_added.iter().map(|i| Some(&current[*i])).collect();
    for w in read.rows.iter().filter(|r| r.origin.is_none_or(|o| !base.contains_key(&o))) {
        if let Some(same) = case_added.iter_mut().find(|c| c.is_some_and(|c| *c == w.vals)) {
            *same = None;
            continue;
        }
        m.change(|| (format!("{place}（行を追加）"), "（なし）".into(), summary(&w.vals, &columns)));
        adds.push(w.vals.clone());
    }
    for (i, row) in sets {
        t.set_row(out, i, &row);
    }
    removes.sort_unstable();
    removes.dedup();
    for i in removes.into_iter().rev() {
        t.remove_row(out, i);
    }
    for row in adds {
        t.push_row(out, &row);
    }
}

fn two_way(out: &mut Case, read: &TableRows, m: &mut Merger) {
    let t = read.table;
    if read.rows.is_empty() {
        return; // an empty table says nothing (it never deletes)
    }
    let columns = t.columns();
    let case_rows = t.rows(out);
    let mut used = vec![false; read.rows.len()];
    let mut missing = Vec::new();
    for (i, cr) in case_rows.iter().enumerate() {
        match read.rows.iter().enumerate().position(|(j, r)| !used[j] && r.vals == *cr) {
            Some(j) => used[j] = true,
            None => missing.push(i),
        }
    }
    let additions: Vec<&ReadRow> = read.rows.iter().zip(&used).filter(|(_, u)| !**u).map(|(r, _)| r).collect();
    let place = format!("{} {}", read.sheet, t.title());
    if missing.is_empty() {
        for r in additions {
            m.change(|| (format!("{place}（行を追加）"), "（なし）".into(), summary(&r.vals, &columns)));
            t.push_row(out, &r.vals);
        }
        return;
    }
    let mut take = false;
    for i in &missing {
        take = m.conflict(
            format!("{}（{}）", read.sheet, t.title()),
            place.clone(),
            summary(&case_rows[*i], &columns),
            "（この行がありません。変更または削除されています）".into(),
        );
    }
    if take {
        let rows: Vec<Vec<Val>> = read.rows.iter().map(|r| r.vals.clone()).collect();
        t.set_rows(out, &rows);
    }
}
