//! The long files for BI tools and databases: findings (one row per facility × item check),
//! incidents and actions (guidance and measures), each as CSV (UTF-8 with a BOM, CRLF, no cell a
//! spreadsheet would run as a formula) and JSON Lines with the same fields. In the 公表用
//! edition, facilities are pseudonyms and every name, code, address, person, date of a single
//! facility and free text is left out.

use super::facts::{Check, Counting, Facility, Planned};
use super::pseudonym::Pseudonyms;
use crate::checklist::{Checklist, Item};
use crate::text::formula_safe;
use chrono::NaiveDate;
use std::borrow::Cow;

/// A value of a long file (text borrowed from the facility where it can be).
#[derive(Debug, Clone, PartialEq)]
pub enum V<'a> {
    S(Cow<'a, str>),
    I(i64),
    N,
}

fn s<'a>(v: impl Into<Cow<'a, str>>) -> V<'a> {
    V::S(v.into())
}
fn date<'a>(d: Option<NaiveDate>) -> V<'a> {
    // chrono's Display of a date is ISO 8601 (`%Y-%m-%d`), without parsing a format string.
    d.map(|d| s(d.to_string())).unwrap_or(V::N)
}
fn int<'a>(v: Option<i64>) -> V<'a> {
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

pub const INCIDENT_COLUMNS: [Column; 29] = [
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
    // The record as investigation reports state it (assess::record).
    ("身代金の要求", Vis::Both),
    ("身代金の額", Vis::Internal),
    ("身代金の支払", Vis::Internal),
    ("侵入経路の委託先・事業者", Vis::Internal),
    ("同じ経路で被害を受けた他の施設数", Vis::Both),
    ("影響を受けた人（区分別）", Vis::Internal),
    ("影響を受けた人数", Vis::Internal),
    ("影響を受けた人数（概数等）", Vis::Internal),
    ("暗号化された機器の台数（概数等）", Vis::Internal),
    ("調査・復旧費", Vis::Internal),
    ("逸失利益", Vis::Internal),
    ("賠償・和解", Vis::Internal),
    ("公表の回数", Vis::Both),
    ("調査体制", Vis::Internal),
    ("調査報告書の公表日", Vis::Internal),
    ("原因の区分", Vis::Both),
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

fn facility_values<'a>(f: &'a Facility, pseudo: Option<&Pseudonyms>) -> Vec<V<'a>> {
    let who = match pseudo {
        Some(p) => s(p.of(if f.code.is_empty() { &f.case_id } else { &f.code })),
        None => V::N,
    };
    vec![
        who,
        s(f.case_id.as_str()),
        s(f.name.as_str()),
        s(f.code.as_str()),
        s(f.kind_label()),
        f.beds.map(|b| V::I(b.into())).unwrap_or(V::N),
        s(f.band.label()),
        s(f.office.as_str()),
        s(f.founder.as_str()),
        s(f.dates.iter().map(NaiveDate::to_string).collect::<Vec<_>>().join(";")),
        f.fiscal_year.map(|y| V::I(y.into())).unwrap_or(V::N),
        f.fiscal_year.map(|y| s(crate::wareki::format_fiscal_year(y))).unwrap_or(V::N),
        s(f.source_label()),
        s(f.paths_label()),
    ]
}

/// The rows of one file for a facility, without the facility's columns (every column of the
/// file's own).
fn own_rows<'a>(file: &str, f: &'a Facility, as_of: NaiveDate) -> Vec<Vec<V<'a>>> {
    match file {
        FINDINGS => f
            .checks
            .iter()
            .map(|c| {
                let [lead, tail] = item_values(c.checklist, c.item, c.counted_as, c.newest);
                lead.into_iter().chain(check_values(c)).chain(tail).collect()
            })
            .collect(),
        INCIDENTS => f
            .incidents
            .iter()
            .map(|i| {
                let causes: Vec<String> = i
                    .causes
                    .iter()
                    .map(|(c, items)| if items.is_empty() { c.clone() } else { format!("{c}（{}）", items.join("、")) })
                    .collect();
                vec![
                    date(i.detected),
                    s(i.attack_type.as_str()),
                    s(i.entry_vector.as_str()),
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
                    s(i.record.ransom_demanded),
                    s(i.record.ransom_amount.as_str()),
                    s(i.record.ransom_paid),
                    s(i.record.contractor.as_str()),
                    V::I(i.record.same_route as i64),
                    s(i.record.persons.as_str()),
                    i.record.persons_total.and_then(|a| a.value).map(|v| V::I(v as i64)).unwrap_or(V::N),
                    i.record.persons_total.map(|a| s(a.to_string())).unwrap_or(V::N),
                    i.record.devices_encrypted.map(|a| s(a.to_string())).unwrap_or(V::N),
                    s(i.record.cost_recovery.as_str()),
                    s(i.record.cost_lost_revenue.as_str()),
                    s(i.record.cost_settlement.as_str()),
                    V::I(i.record.publications as i64),
                    s(i.record.investigation.as_str()),
                    s(i.record.investigation_reported.as_str()),
                    s(i.record.cause_categories.as_str()),
                ]
            })
            .collect(),
        _ => f
            .actions
            .iter()
            .map(|a| {
                vec![
                    s(a.kind),
                    s(a.class.as_str()),
                    s(a.text.as_str()),
                    s(a.items.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(";")),
                    date(a.given_on),
                    date(a.due),
                    s(a.status.as_str()),
                    date(a.done_on),
                    s(a.owner.as_str()),
                    s(if a.plan_requested { "求めた" } else { "" }),
                    s(if a.overdue { "超過" } else { "" }),
                    if a.overdue { int(a.due.map(|d| (as_of - d).num_days())) } else { V::N },
                ]
            })
            .collect(),
    }
}

/// A findings row is the item's cells ([`FINDING_COLUMNS`] up to `OWN.start`), the check's own
/// (`OWN`), then the item's again: what it is counted as and the newest item it leads to.
const OWN: std::ops::Range<usize> = 6..13;

/// The cells of a findings row that follow from its item alone, before and after the check's own.
fn item_values<'a>(
    checklist: &'a Checklist,
    item: &'a Item,
    counted_as: (&'a Checklist, &'a Item),
    newest: Option<(&'a Checklist, &'a Item)>,
) -> [Vec<V<'a>>; 2] {
    let section = checklist.section(&item.section);
    [
        vec![
            s(checklist.id.as_str()),
            s(checklist.edition.as_str()),
            s(item.id.as_str()),
            s(item.number.as_str()),
            s(section.map(|x| x.title.as_str()).unwrap_or_default()),
            s(section.map(|x| x.sheet.as_str()).unwrap_or_default()),
        ],
        vec![
            s(format!("{}:{}", counted_as.0.id, counted_as.1.id)),
            newest.map(|(nc, ni)| s(format!("{}:{}", nc.id, ni.id))).unwrap_or(V::N),
        ],
    ]
}

/// The check's own cells of a findings row (`OWN`).
fn check_values<'a>(c: &'a Check<'_>) -> [V<'a>; OWN.end - OWN.start] {
    [
        s(c.system.as_str()),
        s(c.vendor.as_str()),
        // The answer as recorded, also where the gate item makes the item 非対象 (the 厚労省様式
        // column says so): the long file keeps what was written.
        s(c.status.answer.map(|a| a.label()).unwrap_or("")),
        date(c.confirmed_on),
        date(c.target_on),
        s(c.status.verification_label()),
        s(c.mhlw().label()),
    ]
}

/// The item's cells of findings rows ([`item_values`]) rendered once per run for every item of
/// the plan ([`Counting::planned`]), in CSV and JSON: most of a row's text, the same for every
/// facility, found by the check's place in the plan.
#[derive(Default)]
pub struct ItemCells {
    rendered: Vec<Rendered>,
}

/// CSV and JSON of the cells before and after the check's own.
struct Rendered {
    before: [Vec<u8>; 2],
    after: [Vec<u8>; 2],
}

impl Rendered {
    fn of(p: &Planned<'_>, publish: bool) -> Rendered {
        let [lead, tail] = item_values(p.checklist, p.item, p.counted_as, p.newest);
        let (mut before, mut after) = (<[Vec<u8>; 2]>::default(), <[Vec<u8>; 2]>::default());
        let [bc, bj] = &mut before;
        cells(&FINDING_COLUMNS[..OWN.start], &lead, publish, false, bc, bj);
        let [ac, aj] = &mut after;
        cells(&FINDING_COLUMNS[OWN.end..], &tail, publish, false, ac, aj);
        Rendered { before, after }
    }
}

impl ItemCells {
    /// The cells of every item of the plan.
    pub fn plan(counting: &Counting<'_>, publish: bool) -> ItemCells {
        ItemCells { rendered: counting.planned().iter().map(|p| Rendered::of(p, publish)).collect() }
    }

    /// Appends the findings rows of `checks`, each after `start` (the facility's cells).
    fn rows(&self, checks: &[Check<'_>], publish: bool, start: [&[u8]; 2], csv: &mut Vec<u8>, jsonl: &mut Vec<u8>) {
        let at = [csv.len(), jsonl.len()];
        for (n, c) in checks.iter().enumerate() {
            let Some(item) = self.rendered.get(c.ix) else { continue };
            line(start, csv, jsonl, |csv, jsonl| {
                csv.extend_from_slice(&item.before[0]);
                jsonl.extend_from_slice(&item.before[1]);
                cells(&FINDING_COLUMNS[OWN], &check_values(c), publish, false, csv, jsonl);
                csv.extend_from_slice(&item.after[0]);
                jsonl.extend_from_slice(&item.after[1]);
            });
            if n == 0 {
                // Room for the other rows at once, taking them as long as the first (and a
                // little more): the buffers are not grown and copied row after row.
                let rest = checks.len() - 1;
                csv.reserve((csv.len() - at[0] + 16) * rest);
                jsonl.reserve((jsonl.len() - at[1] + 16) * rest);
            }
        }
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

/// Appends a facility's rows of one file as CSV lines (CRLF) to `csv` and JSON lines to
/// `jsonl`, the columns of the edition only. The facility's cells are rendered once and begin
/// each of its lines.
#[allow(clippy::too_many_arguments)]
pub fn render(
    file: &str,
    f: &Facility,
    pseudo: Option<&Pseudonyms>,
    as_of: NaiveDate,
    publish: bool,
    items: &ItemCells,
    csv: &mut Vec<u8>,
    jsonl: &mut Vec<u8>,
) {
    let empty = match file {
        FINDINGS => f.checks.is_empty(),
        INCIDENTS => f.incidents.is_empty(),
        _ => f.actions.is_empty(),
    };
    if empty {
        return;
    }
    let (mut csv_start, mut json_start) = (Vec::new(), Vec::new());
    let base = facility_values(f, pseudo);
    cells(&FACILITY_COLUMNS, &base, publish, true, &mut csv_start, &mut json_start);
    if file == FINDINGS {
        // The item's cells come rendered; only the check's own are rendered here.
        items.rows(&f.checks, publish, [&csv_start, &json_start], csv, jsonl);
        return;
    }
    for row in own_rows(file, f, as_of) {
        line([&csv_start, &json_start], csv, jsonl, |csv, jsonl| {
            cells(columns(file), &row, publish, false, csv, jsonl)
        });
    }
}

/// Appends one line to each file: `start` (the facility's cells), what `rest` appends, the end.
fn line(start: [&[u8]; 2], csv: &mut Vec<u8>, jsonl: &mut Vec<u8>, rest: impl FnOnce(&mut Vec<u8>, &mut Vec<u8>)) {
    csv.extend_from_slice(start[0]);
    jsonl.push(b'{');
    jsonl.extend_from_slice(start[1]);
    rest(csv, jsonl);
    csv.extend_from_slice(b"\r\n");
    jsonl.extend_from_slice(b"}\n");
}

/// Appends the cells of the columns written in the edition: to `csv` separated by commas, to
/// `json` as `"name":value` pairs separated likewise; `first` when nothing of the line precedes.
fn cells(columns: &[Column], row: &[V], publish: bool, mut first: bool, csv: &mut Vec<u8>, json: &mut Vec<u8>) {
    for ((name, vis), v) in columns.iter().zip(row) {
        if !vis.shown(publish) {
            continue;
        }
        if !first {
            csv.push(b',');
            json.push(b',');
        }
        first = false;
        csv_cell(csv, v);
        // Column names are plain text that JSON writes as it is (a test keeps them so).
        json.push(b'"');
        json.extend_from_slice(name.as_bytes());
        json.extend_from_slice(b"\":");
        json_value(json, v);
    }
}

/// Appends one value as a CSV cell (quoted where needed, never a formula).
fn csv_cell(out: &mut Vec<u8>, v: &V) {
    match v {
        V::N => {}
        V::I(n) => out.extend_from_slice(itoa(*n, &mut [0; 20])),
        V::S(t) => {
            let t = formula_safe(t);
            if t.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
                out.push(b'"');
                out.extend_from_slice(t.replace('"', "\"\"").as_bytes());
                out.push(b'"');
            } else {
                out.extend_from_slice(t.as_bytes());
            }
        }
    }
}

/// Appends one value as JSON.
fn json_value(out: &mut Vec<u8>, v: &V) {
    match v {
        V::N => out.extend_from_slice(b"null"),
        V::I(n) => out.extend_from_slice(itoa(*n, &mut [0; 20])),
        V::S(t) => json_string(out, t),
    }
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
    let names: Vec<V> = header(columns(file), publish).into_iter().map(|n| V::S(n.into())).collect();
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

    /// One line of a file from a full-width row, composed as `render` composes it.
    fn line(file: &str, row: &[V], publish: bool) -> (String, serde_json::Value) {
        let n = FACILITY_COLUMNS.len();
        let (mut csv, mut json) = (Vec::new(), vec![b'{']);
        cells(&FACILITY_COLUMNS, &row[..n], publish, true, &mut csv, &mut json);
        cells(columns(file), &row[n..], publish, false, &mut csv, &mut json);
        csv.extend_from_slice(b"\r\n");
        json.push(b'}');
        (String::from_utf8(csv).unwrap(), serde_json::from_slice(&json).unwrap())
    }

    /// The findings of the shipped samples rendered with the item cells kept between facilities
    /// (and between editions: the R6 sample is counted as R7 too) equal the rows composed cell
    /// by cell.
    #[test]
    fn item_cells_rendered_once_read_as_composed() {
        use crate::aggregate::facts::{of_case, Counting, Source};
        let reg = crate::checklist::Registry::load(None).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        for edition in [None, reg.get("mhlw-r7")] {
            let counting = Counting::new(&reg, edition, as_of);
            for publish in [false, true] {
                let items = ItemCells::plan(&counting, publish);
                for sample in ["routine-hospital", "routine-hospital-r6", "clinic-routine", "routine-hospital"] {
                    let case = crate::case::store::load(&root.join(sample)).unwrap().case;
                    let f = of_case(&case, Source::Case(root.join(sample)), &reg, &counting);
                    assert!(!f.checks.is_empty(), "{sample}");
                    let (mut csv, mut json) = (Vec::new(), Vec::new());
                    render(FINDINGS, &f, None, as_of, publish, &items, &mut csv, &mut json);
                    let (mut want_csv, mut want_json) = (Vec::new(), Vec::new());
                    let base = facility_values(&f, None);
                    for row in own_rows(FINDINGS, &f, as_of) {
                        let values: Vec<V> = base.iter().cloned().chain(row).collect();
                        let (c, j) = line(FINDINGS, &values, publish);
                        want_csv.extend_from_slice(c.as_bytes());
                        want_json.push(j);
                    }
                    assert_eq!(String::from_utf8(csv).unwrap(), String::from_utf8(want_csv).unwrap(), "{sample}");
                    let got: Vec<serde_json::Value> =
                        String::from_utf8(json).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
                    assert_eq!(got, want_json, "{sample}");
                }
            }
        }
    }

    #[test]
    fn column_names_need_no_json_escape() {
        for (name, _) in FACILITY_COLUMNS.iter().chain(&FINDING_COLUMNS).chain(&INCIDENT_COLUMNS).chain(&ACTION_COLUMNS)
        {
            assert_eq!(serde_json::to_string(name).unwrap(), format!("\"{name}\""));
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_disarmed() {
        let mut row: Vec<V> = FACILITY_COLUMNS.iter().map(|_| V::N).collect();
        row.extend(ACTION_COLUMNS.iter().map(|_| V::N));
        row[1] = s("=HYPERLINK(\"x\")");
        row[2] = s("a,b");
        row[10] = V::I(2025);
        let (csv, _) = line(ACTIONS, &row, false);
        assert!(csv.starts_with("\"'=HYPERLINK(\"\"x\"\")\",\"a,b\","), "{csv}");
        assert!(csv.ends_with("\r\n"));
        let (_, v) = line(ACTIONS, &row, true);
        assert_eq!(v["年度"], 2025);
        assert!(v.get("施設名").is_none(), "names are left out of 公表用");
        assert_eq!(v.as_object().unwrap().len(), header(&ACTION_COLUMNS, true).len());
    }

    #[test]
    fn empty_cells_keep_their_place() {
        // Every cell empty, the first ones too: as many separators as the header has.
        for publish in [false, true] {
            for file in [FINDINGS, INCIDENTS, ACTIONS] {
                let row: Vec<V> = FACILITY_COLUMNS.iter().chain(columns(file)).map(|_| V::N).collect();
                let (csv, json) = line(file, &row, publish);
                let names = header(columns(file), publish);
                assert_eq!(csv.matches(',').count(), names.len() - 1, "{file} {publish}: {csv}");
                let keys: Vec<&str> = json.as_object().unwrap().keys().map(|k| k.as_str()).collect();
                assert_eq!(keys.len(), names.len());
                assert!(json.as_object().unwrap().values().all(|v| v.is_null()));
            }
        }
    }
}
