//! The roster of facilities in a jurisdiction (`--roster`, CSV: 医療機関コード, 施設名, 種別,
//! 病床数, 保健所) and the coverage it gives: 実施率 (facilities inspected ÷ facilities on the
//! roster), 回収率 (self-checks returned ÷ facilities on the roster), and the facilities with no
//! inspection or no returned self-check.

use super::facts::NOT_RECORDED;
use super::tally::KeySet;
use crate::case::FacilityKind;
use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Largest roster read.
pub const MAX_ROSTER_BYTES: u64 = 64 * 1024 * 1024;

/// One facility of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub beds: Option<u32>,
    pub office: String,
}

/// The accepted headers of each column.
const CODE: [&str; 3] = ["医療機関コード", "コード", "code"];
const NAME: [&str; 5] = ["施設名", "名称", "医療機関名", "医療機関の名称", "name"];
const KIND: [&str; 3] = ["種別", "施設の種別", "kind"];
const BEDS: [&str; 3] = ["病床数", "許可病床数", "beds"];
const OFFICE: [&str; 3] = ["保健所", "所管保健所", "office"];

fn digits(s: &str) -> String {
    crate::wareki::normalize(s).chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Reads a roster; every problem is reported with its line.
pub fn read(path: &Path) -> Result<Vec<Entry>> {
    let text = crate::error::read_text(path, MAX_ROSTER_BYTES).map_err(|e| match e {
        Error::At { path, line, column, .. } => Error::At {
            path,
            line,
            column,
            message: "名簿が UTF-8 ではありません（Excel では「CSV UTF-8（コンマ区切り）」で保存してください）".into(),
        },
        e => e,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| Error::file(path, format!("名簿の見出しの行が読めません: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
    let Some(code_col) = col(&CODE) else {
        return Err(Error::At {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!(
                "名簿の見出しに「医療機関コード」の列がありません（見出し: {}）。1行目を 医療機関コード,施設名,種別,病床数,保健所 としてください",
                headers.join(",")
            ),
        });
    };
    let (name_col, kind_col, beds_col, office_col) = (col(&NAME), col(&KIND), col(&BEDS), col(&OFFICE));
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(Error::At {
                    path: path.to_path_buf(),
                    line,
                    column: 1,
                    message: format!("行が読めません: {e}"),
                });
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(|s| s.trim().to_string()).unwrap_or_default();
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let code = digits(&get(Some(code_col)));
        if code.is_empty() {
            errors.push(Error::At {
                path: path.to_path_buf(),
                line,
                column: code_col + 1,
                message: "医療機関コードが空です".into(),
            });
            continue;
        }
        if !seen.insert(code.clone()) {
            errors.push(Error::At {
                path: path.to_path_buf(),
                line,
                column: code_col + 1,
                message: format!("医療機関コード {code} が名簿に2回以上あります"),
            });
            continue;
        }
        let beds_text = get(beds_col);
        let beds = if beds_text.is_empty() {
            None
        } else {
            match digits(&beds_text).parse::<u32>() {
                Ok(b) if digits(&beds_text).len() == crate::wareki::normalize(&beds_text).replace(',', "").len() => {
                    Some(b)
                }
                _ => {
                    errors.push(Error::At {
                        path: path.to_path_buf(),
                        line,
                        column: beds_col.map(|c| c + 1).unwrap_or(1),
                        message: format!("病床数「{beds_text}」が数として読めません"),
                    });
                    continue;
                }
            }
        };
        let kind = get(kind_col);
        if !kind.is_empty() && FacilityKind::from_label(&kind).is_none() {
            errors.push(Error::At {
                path: path.to_path_buf(),
                line,
                column: kind_col.map(|c| c + 1).unwrap_or(1),
                message: format!("種別「{kind}」は使えません（{}のいずれか）", FacilityKind::labels().join("、")),
            });
            continue;
        }
        out.push(Entry { code, name: get(name_col), kind, beds, office: get(office_col) });
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    if out.is_empty() {
        return Err(Error::file(path, "名簿に施設がありません"));
    }
    Ok(out)
}

/// Facilities due, inspected and returning a self-check, in one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Group {
    pub due: u64,
    pub inspected: u64,
    pub returned: u64,
}

/// A facility of the roster with no inspection or no returned self-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub beds: Option<u32>,
    pub office: String,
    pub inspected: bool,
    pub returned: bool,
}

/// What the roster says of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub total: Group,
    pub by_kind: Vec<(String, Group)>,
    pub by_office: Vec<(String, Group)>,
    pub missing: Vec<Missing>,
    /// How many codes read the roster does not list, and the first of them in code order.
    pub unmatched: u64,
    pub unmatched_first: Vec<String>,
}

/// The codes read that the roster does not list: counted once each, the first
/// [`Unmatched::SHOWN`] kept (in code order) to be named.
#[derive(Debug, Default)]
pub struct Unmatched {
    seen: KeySet,
    pub count: u64,
    pub first: std::collections::BTreeSet<String>,
}

impl Unmatched {
    pub const SHOWN: usize = 20;

    /// Notes a facility's code if the roster (`listed`) does not have it.
    pub fn note(&mut self, listed: &HashSet<String>, code: &str) {
        if code.is_empty() || listed.contains(code) || !self.seen.insert(code) {
            return;
        }
        self.count += 1;
        self.first.insert(code.to_string());
        if self.first.len() > Self::SHOWN {
            self.first.pop_last();
        }
    }
}

/// The codes a roster lists.
pub fn codes(roster: &[Entry]) -> HashSet<String> {
    roster.iter().map(|e| e.code.clone()).collect()
}

/// The coverage of the facilities read (`inspected` on site, `returned` a self-check).
pub fn coverage(roster: &[Entry], inspected: &KeySet, returned: &KeySet, unmatched: &Unmatched) -> Coverage {
    let mut c = Coverage::default();
    let mut kinds: BTreeMap<(usize, String), Group> = BTreeMap::new();
    let mut offices: BTreeMap<(u8, String), Group> = BTreeMap::new();
    for e in roster {
        let i = inspected.contains(&e.code);
        let r = returned.contains(&e.code);
        let add = |g: &mut Group| {
            g.due += 1;
            g.inspected += u64::from(i);
            g.returned += u64::from(r);
        };
        add(&mut c.total);
        let kind_order = FacilityKind::labels().iter().position(|k| *k == e.kind).unwrap_or(99);
        let kind = if e.kind.is_empty() { NOT_RECORDED.to_string() } else { e.kind.clone() };
        add(kinds.entry((kind_order, kind)).or_default());
        let office = if e.office.is_empty() { (1, NOT_RECORDED.to_string()) } else { (0, e.office.clone()) };
        add(offices.entry(office).or_default());
        if !i || !r {
            c.missing.push(Missing {
                code: e.code.clone(),
                name: e.name.clone(),
                kind: e.kind.clone(),
                beds: e.beds,
                office: e.office.clone(),
                inspected: i,
                returned: r,
            });
        }
    }
    c.by_kind = kinds.into_iter().map(|((_, k), g)| (k, g)).collect();
    c.by_office = offices.into_iter().map(|((_, k), g)| (k, g)).collect();
    c.unmatched = unmatched.count;
    c.unmatched_first = unmatched.first.iter().cloned().collect();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(text: &str) -> Result<Vec<Entry>> {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("roster.csv");
        std::fs::write(&p, text).unwrap();
        read(&p)
    }

    #[test]
    fn reads_a_roster_with_a_bom_and_full_width_digits() {
        let r = roster("\u{feff}医療機関コード,施設名,種別,病床数,保健所\r\n１３１２３４５６７８,架空病院,病院,120,中央保健所\r\n1300000002,架空診療所,一般診療所,,\r\n").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].code, "1312345678");
        assert_eq!(r[0].beds, Some(120));
        assert_eq!(r[1].beds, None);
    }

    #[test]
    fn problems_name_the_line() {
        let e =
            roster("医療機関コード,施設名,種別,病床数\n1,a,病院,百\n1,b,病院,1\n2,c,病棟,1\n").unwrap_err().to_string();
        assert!(e.contains(":2:") && e.contains("病床数「百」"), "{e}");
        assert!(e.contains(":3:") && e.contains("2回以上"), "{e}");
        assert!(e.contains(":4:") && e.contains("種別「病棟」"), "{e}");
        let e = roster("名前,種別\na,病院\n").unwrap_err().to_string();
        assert!(e.contains("医療機関コード"), "{e}");
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sjis.csv");
        std::fs::write(&p, b"\x88\xe3\x97\xc3,a\n").unwrap();
        assert!(read(&p).unwrap_err().to_string().contains("UTF-8"));
    }

    #[test]
    fn coverage_counts_inspections_and_self_checks_apart() {
        let r =
            roster("医療機関コード,施設名,種別,病床数,保健所\n1,a,病院,120,東\n2,b,病院,50,東\n3,c,一般診療所,0,西\n")
                .unwrap();
        let (mut inspected, mut returned) = (KeySet::default(), KeySet::default());
        let mut unmatched = Unmatched::default();
        let listed = codes(&r);
        for (on_site, code) in [(true, "1"), (true, "9"), (false, "1"), (false, "3")] {
            if on_site {
                inspected.insert(code)
            } else {
                returned.insert(code)
            };
            unmatched.note(&listed, code);
        }
        unmatched.note(&listed, "9");
        let c = coverage(&r, &inspected, &returned, &unmatched);
        assert_eq!(c.total, Group { due: 3, inspected: 1, returned: 2 });
        assert_eq!(c.by_office[0], ("東".to_string(), Group { due: 2, inspected: 1, returned: 1 }));
        assert_eq!(c.missing.len(), 2);
        assert_eq!((c.unmatched, c.unmatched_first), (1, vec!["9".to_string()]));
    }
}
