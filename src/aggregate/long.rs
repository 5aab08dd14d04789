//! The long files for BI tools and databases: findings (one row per facility × item check),
//! incidents and actions (guidance and measures), each as CSV (UTF-8 with a BOM, CRLF, no cell a
//! spreadsheet would run as a formula) and JSON Lines with the same fields. In the 公表用
//! edition, facilities are pseudonyms and every name, code, address, person, date of a single
//! facility and free text is left out.

use super::facts::Facility;
use super::pseudonym::Pseudonyms;
use crate::text::formula_safe;
use chrono::NaiveDate;

/// A value of a long file.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    S(String),
    I(i64),
    N,
}

fn s(v: impl Into<String>) -> V {
    V::S(v.into())
}
fn date(d: Option<NaiveDate>) -> V {
    d.map(|d| V::S(d.format("%Y-%m-%d").to_string())).unwrap_or(V::N)
}
fn int(v: Option<i64>) -> V {
    v.map(V::I).unwrap_or(V::N)
}

/// Which edition writes a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vis {
    Both,
    /// Identifies a facility or holds free text: left out of the 公表用 edition.
    Internal,
    /// The pseudonym: 公表用 only.
    Publish,
}

impl Vis {
    fn shown(self, publish: bool) -> bool {
        match self {
            Vis::Both => true,
            Vis::Internal => !publish,
            Vis::Publish => publish,
        }
    }
}

/// A column: its name and the editions that write it.
pub type Column = (&'static str, Vis);

/// The file stems and their columns.
pub const FINDINGS: &str = "findings";
pub const INCIDENTS: &str = "incidents";
pub const ACTIONS: &str = "actions";

/// The columns naming the facility, first in every file.
const FACILITY_COLUMNS: [Column; 14] = [
    ("施設（仮名）", Vis::Publish),
    ("事案ID", Vis::Internal),
    ("施設名", Vis::Internal),
    ("医療機関コード", Vis::Internal),
    ("種別", Vis::Both),
    ("病床数", Vis::Internal),
    ("病床規模", Vis::Both),
    ("保健所", Vis::Internal),
    ("開設者", Vis::Internal),
    ("実施日", Vis::Internal),
    ("年度", Vis::Both),
    ("年度（和暦）", Vis::Both),
    ("読込元", Vis::Both),
    ("ファイル", Vis::Internal),
];

pub const FINDING_COLUMNS: [Column; 15] = [
    ("チェックリスト", Vis::Both),
    ("版", Vis::Both),
    ("項目ID", Vis::Both),
    ("項目番号", Vis::Both),
    ("区分", Vis::Both),
    ("様式", Vis::Both),
    ("システム", Vis::Internal),
    ("事業者", Vis::Internal),
    ("回答", Vis::Both),
    ("確認日", Vis::Internal),
    ("目標日", Vis::Internal),
    ("確認結果", Vis::Both),
    ("厚労省様式", Vis::Both),
    ("集計上の項目", Vis::Both),
    ("最新版の項目", Vis::Both),
];

pub const INCIDENT_COLUMNS: [Column; 13] = [
    ("覚知日", Vis::Internal),
    ("攻撃の種類", Vis::Internal),
    ("侵入経路", Vis::Internal),
    ("原因と項目", Vis::Internal),
    ("厚労省への報告までの日数", Vis::Both),
    ("個人情報保護委員会への報告が必要", Vis::Both),
    ("速報までの日数", Vis::Both),
    ("確報までの日数", Vis::Both),
    ("期限を過ぎて未提出の報告", Vis::Both),
    ("本人の数", Vis::Both),
    ("本人の数（概数等）", Vis::Both),
    ("診療の停止・制限の日数", Vis::Both),
    ("全面復旧までの日数", Vis::Both),
];

pub const ACTION_COLUMNS: [Column; 12] = [
    ("区分", Vis::Both),
    ("指導の種別・対策の区分", Vis::Both),
    ("内容", Vis::Internal),
    ("関係する項目", Vis::Both),
    ("指導日", Vis::Internal),
    ("期限", Vis::Internal),
    ("状況", Vis::Both),
    ("完了・回答日", Vis::Internal),
    ("担当", Vis::Internal),
    ("改善計画書", Vis::Both),
    ("期限超過", Vis::Both),
    ("期限超過日数", Vis::Both),
];

/// The columns of a file as written (private ones left out of the 公表用 edition).
pub fn header(columns: &[Column], publish: bool) -> Vec<&'static str> {
    FACILITY_COLUMNS.iter().chain(columns).filter(|(_, v)| v.shown(publish)).map(|(n, _)| *n).collect()
}

fn facility_values(f: &Facility, pseudo: Option<&Pseudonyms>) -> Vec<V> {
    let who = match pseudo {
        Some(p) => s(p.of(if f.code.is_empty() { &f.case_id } else { &f.code })),
        None => V::N,
    };
    vec![
        who,
        s(f.case_id.clone()),
        s(f.name.clone()),
        s(f.code.clone()),
        s(f.kind_label()),
        f.beds.map(|b| V::I(b.into())).unwrap_or(V::N),
        s(f.band.label()),
        s(f.office.clone()),
        s(f.founder.clone()),
        s(f.dates.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect::<Vec<_>>().join(";")),
        f.fiscal_year.map(|y| V::I(y.into())).unwrap_or(V::N),
        f.fiscal_year.map(|y| s(crate::wareki::format_fiscal_year(y))).unwrap_or(V::N),
        s(f.source.label()),
        s(f.source.path().display().to_string()),
    ]
}

/// The rows of one file for a facility, full width (every column).
pub fn rows(file: &str, f: &Facility, pseudo: Option<&Pseudonyms>, as_of: NaiveDate) -> Vec<Vec<V>> {
    let base = facility_values(f, pseudo);
    let with = |rest: Vec<V>| base.iter().cloned().chain(rest).collect::<Vec<V>>();
    match file {
        FINDINGS => f
            .checks
            .iter()
            .map(|c| {
                let section = c.checklist.section(&c.item.section);
                with(vec![
                    s(c.checklist.id.clone()),
                    s(c.checklist.edition.clone()),
                    s(c.item.id.clone()),
                    s(c.item.number.clone()),
                    s(section.map(|x| x.title.clone()).unwrap_or_default()),
                    s(section.map(|x| x.sheet.clone()).unwrap_or_default()),
                    s(c.system.clone()),
                    s(c.vendor.clone()),
                    // The answer as recorded, also where the gate item makes the item 非対象
                    // (the 厚労省様式 column says so): the long file keeps what was written.
                    s(c.status.answer.map(|a| a.label()).unwrap_or("")),
                    date(c.confirmed_on),
                    date(c.target_on),
                    s(c.status.verification_label()),
                    s(c.mhlw().label()),
                    s(format!("{}:{}", c.counted_as.0.id, c.counted_as.1.id)),
                    c.newest.map(|(nc, ni)| s(format!("{}:{}", nc.id, ni.id))).unwrap_or(V::N),
                ])
            })
            .collect(),
        INCIDENTS => f
            .incident
            .iter()
            .map(|i| {
                let causes: Vec<String> = i
                    .causes
                    .iter()
                    .map(|(c, items)| if items.is_empty() { c.clone() } else { format!("{c}（{}）", items.join("、")) })
                    .collect();
                with(vec![
                    date(i.detected),
                    s(i.attack_type.clone()),
                    s(i.entry_vector.clone()),
                    s(causes.join("／")),
                    int(i.days_to_mhlw),
                    s(if i.appi_required { "必要" } else { "不要" }),
                    int(i.days_to_preliminary),
                    int(i.days_to_final),
                    s(i.reports_missing.join("、")),
                    i.persons.and_then(|a| a.value).map(|v| V::I(v as i64)).unwrap_or(V::N),
                    i.persons.map(|a| s(a.to_string())).unwrap_or(V::N),
                    int(i.service_days),
                    int(i.recovery_days),
                ])
            })
            .collect(),
        _ => f
            .actions
            .iter()
            .map(|a| {
                with(vec![
                    s(a.kind),
                    s(a.class.clone()),
                    s(a.text.clone()),
                    s(a.items.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(";")),
                    date(a.given_on),
                    date(a.due),
                    s(a.status.clone()),
                    date(a.done_on),
                    s(a.owner.clone()),
                    s(if a.plan_requested { "求めた" } else { "" }),
                    s(if a.overdue { "超過" } else { "" }),
                    if a.overdue { int(a.due.map(|d| (as_of - d).num_days())) } else { V::N },
                ])
            })
            .collect(),
    }
}

/// The columns of a file.
pub fn columns(file: &str) -> &'static [Column] {
    match file {
        FINDINGS => &FINDING_COLUMNS,
        INCIDENTS => &INCIDENT_COLUMNS,
        _ => &ACTION_COLUMNS,
    }
}

/// Keeps the columns written in the edition.
fn kept<'a>(file: &str, row: &'a [V], publish: bool) -> impl Iterator<Item = &'a V> {
    let vis = FACILITY_COLUMNS.iter().chain(columns(file)).map(|(_, v)| *v);
    row.iter().zip(vis).filter(move |(_, v)| v.shown(publish)).map(|(v, _)| v)
}

/// Appends a row as one CSV line (CRLF).
pub fn csv_line(out: &mut Vec<u8>, file: &str, row: &[V], publish: bool) {
    for (k, v) in kept(file, row, publish).enumerate() {
        if k > 0 {
            out.push(b',');
        }
        match v {
            V::N => {}
            V::I(n) => out.extend_from_slice(itoa(*n, &mut [0; 20])),
            V::S(t) => {
                let t = formula_safe(t);
                if t.contains([',', '"', '\n', '\r']) {
                    out.push(b'"');
                    out.extend_from_slice(t.replace('"', "\"\"").as_bytes());
                    out.push(b'"');
                } else {
                    out.extend_from_slice(t.as_bytes());
                }
            }
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends a row as one JSON line.
pub fn json_line(out: &mut Vec<u8>, file: &str, row: &[V], publish: bool) {
    let names = FACILITY_COLUMNS.iter().chain(columns(file)).filter(|(_, v)| v.shown(publish)).map(|(n, _)| *n);
    out.push(b'{');
    for (k, (name, v)) in names.zip(kept(file, row, publish)).enumerate() {
        if k > 0 {
            out.push(b',');
        }
        json_string(out, name);
        out.push(b':');
        match v {
            V::N => out.extend_from_slice(b"null"),
            V::I(n) => out.extend_from_slice(itoa(*n, &mut [0; 20])),
            V::S(t) => json_string(out, t),
        }
    }
    out.extend_from_slice(b"}\n");
}

/// Appends `s` as a JSON string.
fn json_string(out: &mut Vec<u8>, s: &str) {
    // Writing a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The decimal digits of `n`, written into `buf`.
fn itoa(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// The first line of a CSV file: the BOM and the header.
pub fn csv_header(file: &str, publish: bool) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let names: Vec<V> = header(columns(file), publish).into_iter().map(|n| V::S(n.to_string())).collect();
    // The header is already filtered: write it as it is.
    let mut first = true;
    for v in &names {
        if !first {
            out.push(b',');
        }
        first = false;
        if let V::S(t) = v {
            out.extend_from_slice(t.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_unique_in_each_file() {
        for f in [FINDINGS, INCIDENTS, ACTIONS] {
            for publish in [false, true] {
                let h = header(columns(f), publish);
                let set: std::collections::HashSet<_> = h.iter().collect();
                assert_eq!(set.len(), h.len(), "{f}: {h:?}");
            }
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_disarmed() {
        let mut out = Vec::new();
        let mut row: Vec<V> = FACILITY_COLUMNS.iter().map(|_| V::N).collect();
        row.extend(ACTION_COLUMNS.iter().map(|_| V::N));
        row[1] = s("=HYPERLINK(\"x\")");
        row[2] = s("a,b");
        row[10] = V::I(2025);
        csv_line(&mut out, ACTIONS, &row, false);
        let line = String::from_utf8(out).unwrap();
        assert!(line.starts_with("\"'=HYPERLINK(\"\"x\"\")\",\"a,b\","), "{line}");
        assert!(line.ends_with("\r\n"));
        let mut out = Vec::new();
        json_line(&mut out, ACTIONS, &row, true);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["年度"], 2025);
        assert!(v.get("施設名").is_none(), "names are left out of 公表用");
        assert_eq!(v.as_object().unwrap().len(), header(&ACTION_COLUMNS, true).len());
    }
}
