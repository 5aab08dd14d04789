//! The roster of facilities in a jurisdiction (`--roster`, CSV as Excel saves it, UTF-8 or
//! CP932: 医療機関コード, 施設名, 種別, 病床数, 保健所, 開設者 under the headers offices use) and
//! the coverage it gives: 実施率 (facilities inspected ÷ facilities on the
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
    /// 医療機関コード, 10 digits.
    pub code: String,
    pub name: String,
    pub kind: String,
    pub beds: Option<u32>,
    pub office: String,
    /// 開設者 (or its class: 国, 都道府県, 医療法人, 個人 …) as the roster writes it.
    pub founder: String,
}

/// A column of the roster kensa reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Code,
    Name,
    Kind,
    Beds,
    Office,
    Founder,
}

impl Column {
    pub const ALL: [Column; 6] =
        [Column::Code, Column::Name, Column::Kind, Column::Beds, Column::Office, Column::Founder];

    /// What the column is read as.
    pub fn label(self) -> &'static str {
        match self {
            Column::Code => "医療機関コード",
            Column::Name => "施設名",
            Column::Kind => "種別",
            Column::Beds => "病床数",
            Column::Office => "保健所",
            Column::Founder => "開設者",
        }
    }

    /// The headers accepted for the column (compared without spaces and without a note in
    /// parentheses after them: `医療機関コード（10桁）`).
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Code => &["医療機関コード", "医療機関番号", "コード", "code"],
            Column::Name => &["施設名", "医療機関名", "医療機関名称", "名称", "医療機関の名称", "name"],
            Column::Kind => &["種別", "区分", "施設の種別", "kind"],
            Column::Beds => &["病床数", "許可病床数", "病床数合計", "beds"],
            Column::Office => &["保健所", "保健所名", "所管保健所", "office"],
            Column::Founder => &["開設者", "開設者区分", "founder"],
        }
    }

    /// The column a header names.
    fn of_header(header: &str) -> Option<Column> {
        let h = header_key(header);
        Column::ALL.into_iter().find(|c| c.headers().iter().any(|n| n.eq_ignore_ascii_case(&h)))
    }
}

/// A header without spaces (of any width) and without a note in parentheses at its end.
fn header_key(header: &str) -> String {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    let cut = ['（', '(']
        .iter()
        .filter_map(|p| h.find(*p))
        .min()
        .filter(|&i| i > 0 && (h.ends_with('）') || h.ends_with(')')));
    match cut {
        Some(i) => h[..i].to_string(),
        None => h,
    }
}

/// How the roster's text was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    /// Shift_JIS as Windows writes it (CP932): Excel's 「CSV（コンマ区切り）」 on Japanese Windows.
    Cp932,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8（BOM付き）",
            Encoding::Cp932 => "Shift_JIS（CP932）",
        }
    }
}

/// Rows named in the notes, at most.
const NOTED_ROWS: usize = 20;

/// What reading a roster used and noticed, for the caller to show ([`RosterNotes::lines`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterNotes {
    pub encoding: Encoding,
    /// Line of the header row.
    pub header_line: u64,
    /// Each column read: what it is read as, its header as written, its 1-based column.
    pub used: Vec<(Column, String, usize)>,
    /// The other columns: 1-based column and header as written (a second column of a kind
    /// already read is among them).
    pub ignored: Vec<(usize, String)>,
    /// Rows before the header skipped (a title above the table): their lines.
    pub above_header: Vec<u64>,
    /// Footer rows without a code (合計, 計, 小計, 総計) skipped: line and first cell.
    pub footers: Vec<(u64, String)>,
    /// Codes of 9 digits given their leading 0 back: line, code as written, code as read.
    pub padded: Vec<(u64, String, String)>,
}

impl RosterNotes {
    /// The notes as lines for a person (Japanese), the file named in the first.
    pub fn lines(&self, path: &Path, facilities: usize) -> Vec<String> {
        let mut out = vec![format!(
            "名簿 {}: {} として読みました（{} 施設、見出しは {} 行目）",
            path.display(),
            self.encoding.label(),
            facilities,
            self.header_line
        )];
        let used: Vec<String> =
            self.used.iter().map(|(c, h, n)| format!("{}＝「{h}」（{n}列目）", c.label())).collect();
        out.push(format!("  使った列: {}", used.join("、")));
        let unread: Vec<&str> =
            Column::ALL.iter().filter(|c| !self.used.iter().any(|(u, _, _)| u == *c)).map(|c| c.label()).collect();
        if !unread.is_empty() {
            out.push(format!("  名簿にない列: {}（空として扱います）", unread.join("、")));
        }
        if !self.ignored.is_empty() {
            let ignored: Vec<String> = self
                .ignored
                .iter()
                .map(|(n, h)| {
                    if h.is_empty() {
                        format!("（見出しなし）（{n}列目）")
                    } else {
                        format!("「{h}」（{n}列目）")
                    }
                })
                .collect();
            out.push(format!("  使わなかった列: {}", ignored.join("、")));
        }
        if !self.above_header.is_empty() {
            out.push(format!("  見出しの前の行を読み飛ばしました: {}", lines_text(&self.above_header)));
        }
        if !self.footers.is_empty() {
            let rows: Vec<String> =
                self.footers.iter().take(NOTED_ROWS).map(|(l, cell)| format!("{l}行目「{cell}」")).collect();
            out.push(format!(
                "  医療機関コードのない合計などの行を読み飛ばしました: {}{}",
                rows.join("、"),
                more(self.footers.len())
            ));
        }
        if !self.padded.is_empty() {
            let rows: Vec<String> = self
                .padded
                .iter()
                .take(NOTED_ROWS)
                .map(|(l, written, code)| format!("{l}行目 {written}→{code}"))
                .collect();
            out.push(format!(
                "  警告: 9桁の医療機関コード {} 件の先頭に0を補いました（Excel で数として扱われ、先頭の0が落ちたものと見なします）: {}{}",
                self.padded.len(),
                rows.join("、"),
                more(self.padded.len())
            ));
        }
        out
    }
}

fn lines_text(lines: &[u64]) -> String {
    let shown: Vec<String> = lines.iter().take(NOTED_ROWS).map(|l| format!("{l}行目")).collect();
    format!("{}{}", shown.join("、"), more(lines.len()))
}

fn more(n: usize) -> String {
    if n > NOTED_ROWS {
        format!(" ほか {} 件", n - NOTED_ROWS)
    } else {
        String::new()
    }
}

/// A roster as read: its facilities and what reading it used and noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub entries: Vec<Entry>,
    pub notes: RosterNotes,
}

/// First cells of footer rows (合計 and the like), read without spaces.
const FOOTERS: [&str; 4] = ["合計", "計", "小計", "総計"];
/// Rows searched for the header (a title may stand above it).
const HEADER_SEARCH_ROWS: usize = 10;

/// The roster's bytes as text, with the encoding they were in. Valid UTF-8 is UTF-8 (a BOM
/// dropped); anything else is read as CP932 and refused where it is not that either.
fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return match std::str::from_utf8(rest) {
            Ok(t) => Ok((t.to_string(), Encoding::Utf8Bom)),
            Err(e) => {
                let line = 1 + rest[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count();
                Err(Error::At {
                    path: path.to_path_buf(),
                    line,
                    column: 1,
                    message: "名簿は UTF-8（BOM付き）のはずですが、UTF-8 ではない文字があります。Excel で「CSV UTF-8（コンマ区切り）」として保存し直してください".into(),
                })
            }
        };
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Err(Error::file(
            path,
            "名簿が UTF-16（Excel の「Unicode テキスト」）で保存されています。Excel で「CSV UTF-8（コンマ区切り）」または「CSV（コンマ区切り）」として保存してください",
        ));
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Ok((t.to_string(), Encoding::Utf8));
    }
    if let Some(t) = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok((t.into_owned(), Encoding::Cp932));
    }
    let (lossy, _) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    let at = lossy.find('\u{fffd}').unwrap_or(0);
    let line = 1 + lossy[..at].matches('\n').count();
    Err(Error::At {
        path: path.to_path_buf(),
        line,
        column: 1,
        message: "名簿の文字コードが読めません（UTF-8 でも Shift_JIS（CP932）でもない文字があります）。Excel で「CSV UTF-8（コンマ区切り）」または「CSV（コンマ区切り）」として保存してください".into(),
    })
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::file(path, "フォルダです。名簿の CSV ファイルを指定してください"));
    }
    if meta.len() > MAX_ROSTER_BYTES {
        return Err(Error::file(
            path,
            format!("名簿が大きすぎます（{} バイト。上限は {} バイト）", meta.len(), MAX_ROSTER_BYTES),
        ));
    }
    std::fs::read(path).map_err(|e| Error::read(path, e))
}

/// A count written in a roster (`120`, `１２０`, `1,200`, `120床`).
fn count(text: &str) -> Option<u32> {
    let t = crate::wareki::normalize(text).replace([',', '，'], "");
    let t = t.trim().trim_end_matches('床').trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Line numbers of byte offsets in a text (the csv crate's own line count drifts where it skips
/// blank lines; its byte offsets do not).
struct Lines<'t> {
    text: &'t [u8],
    /// Byte offset of each line's first byte.
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let text = text.as_bytes();
        let starts =
            std::iter::once(0).chain(text.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1));
        Lines { text, starts: starts.collect() }
    }

    /// The 1-based line of the record starting at `byte` (line ends before it skipped).
    fn of(&self, pos: Option<&csv::Position>) -> u64 {
        let Some(pos) = pos else { return 1 };
        let mut at = pos.byte() as usize;
        while self.text.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            at += 1;
        }
        self.starts.partition_point(|s| *s <= at) as u64
    }
}

/// Reads a roster; every problem is reported with its line (the line in the file, blank lines
/// counted).
pub fn read(path: &Path) -> Result<Roster> {
    let (text, encoding) = decode(path, &read_bytes(path)?)?;
    let lines = Lines::new(&text);
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let at = |line: u64, column: usize, message: String| Error::At {
        path: path.to_path_buf(),
        line: line as usize,
        column,
        message,
    };
    let mut records = r.records();
    // The header: the first row with a column of 医療機関コード, among the first rows.
    let mut above_header = Vec::new();
    let mut first_row: Option<Vec<String>> = None;
    let (header_line, headers) = loop {
        let rec = match records.next() {
            Some(Ok(rec)) => rec,
            Some(Err(e)) => {
                let line = lines.of(e.position());
                return Err(at(line, 1, format!("名簿の行が読めません: {}", csv_detail(&e))));
            }
            None => return Err(no_code_column(path, first_row.as_deref().unwrap_or_default())),
        };
        let line = lines.of(rec.position());
        let cells: Vec<String> = rec.iter().map(|h| h.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if cells.iter().any(|c| Column::of_header(c) == Some(Column::Code)) {
            break (line, cells);
        }
        if first_row.is_none() {
            first_row = Some(cells);
        }
        above_header.push(line);
        if above_header.len() >= HEADER_SEARCH_ROWS {
            return Err(no_code_column(path, first_row.as_deref().unwrap_or_default()));
        }
    };
    let mut used: Vec<(Column, String, usize)> = Vec::new();
    let mut ignored = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match Column::of_header(h) {
            Some(c) if !used.iter().any(|(u, _, _)| *u == c) => used.push((c, h.clone(), i)),
            _ => ignored.push((i + 1, h.clone())),
        }
    }
    let col = |c: Column| used.iter().find(|(u, _, _)| *u == c).map(|(_, _, i)| *i);
    let code_col = col(Column::Code).unwrap_or(0);
    let mut notes = RosterNotes {
        encoding,
        header_line,
        used: used.iter().map(|(c, h, i)| (*c, h.clone(), i + 1)).collect(),
        ignored,
        above_header,
        footers: Vec::new(),
        padded: Vec::new(),
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    // Columns without a header that hold something (Excel's empty trailing columns do not).
    let mut filled = vec![false; headers.len()];
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = lines.of(e.position());
                errors.push(at(line, 1, format!("行が読めません: {}", csv_detail(&e))));
                continue;
            }
        };
        let line = lines.of(rec.position());
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(|s| s.trim().to_string()).unwrap_or_default();
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        for (i, f) in rec.iter().enumerate().take(filled.len()) {
            filled[i] |= !f.trim().is_empty();
        }
        let written = get(Some(code_col));
        // A footer (合計 …): no code, and its first filled cell one of the footer words (which
        // may be in the code's own column).
        let first: &str = rec.iter().map(str::trim).find(|c| !c.is_empty()).unwrap_or_default();
        let footer = FOOTERS.contains(&first.chars().filter(|c| !c.is_whitespace()).collect::<String>().as_str());
        if footer && (written.is_empty() || written == first) {
            notes.footers.push((line, first.to_string()));
            continue;
        }
        let code = match crate::values::parse_facility_code(&written) {
            Ok(c) => {
                if c.padded {
                    notes.padded.push((line, written.clone(), c.code.clone()));
                }
                c.code
            }
            Err(crate::values::CodeError::Empty) => {
                errors.push(at(line, code_col + 1, "医療機関コードが空です".into()));
                continue;
            }
            Err(e) => {
                errors.push(at(line, code_col + 1, e.to_string()));
                continue;
            }
        };
        if let Some(first) = seen.get(&code) {
            errors.push(at(
                line,
                code_col + 1,
                format!("医療機関コード {code} が名簿に2回以上あります（{first}行目にもあります）"),
            ));
            continue;
        }
        seen.insert(code.clone(), line);
        let beds_text = get(col(Column::Beds));
        let beds = if beds_text.is_empty() {
            None
        } else {
            match count(&beds_text) {
                Some(b) => Some(b),
                None => {
                    errors.push(at(
                        line,
                        col(Column::Beds).map(|c| c + 1).unwrap_or(1),
                        format!("病床数「{beds_text}」が数として読めません"),
                    ));
                    continue;
                }
            }
        };
        let kind = get(col(Column::Kind));
        if !kind.is_empty() && FacilityKind::from_label(&kind).is_none() {
            errors.push(at(
                line,
                col(Column::Kind).map(|c| c + 1).unwrap_or(1),
                format!("種別「{kind}」は使えません（{}のいずれか）", FacilityKind::labels().join("、")),
            ));
            continue;
        }
        out.push(Entry {
            code,
            name: get(col(Column::Name)),
            kind,
            beds,
            office: get(col(Column::Office)),
            founder: get(col(Column::Founder)),
        });
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    if out.is_empty() {
        return Err(Error::file(path, "名簿に施設がありません"));
    }
    notes.ignored.retain(|(n, h)| !h.is_empty() || filled[n - 1]);
    Ok(Roster { entries: out, notes })
}

/// The error of a roster whose first rows have no column of 医療機関コード.
fn no_code_column(path: &Path, first_row: &[String]) -> Error {
    Error::At {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!(
            "名簿の見出しに「医療機関コード」の列がありません（最初の行: {}）。見出しの行を 医療機関コード,施設名,種別,病床数,保健所 としてください（医療機関コードの列は「{}」の見出しも読めます）",
            first_row.join(","),
            Column::Code.headers()[1..3].join("」「")
        ),
    }
}

/// A CSV error in Japanese (the csv crate's English kept as 詳細).
fn csv_detail(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "文字コードが読めません".into(),
        _ => crate::error::detail(&e.to_string()),
    }
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

    fn read_bytes_as_roster(bytes: &[u8]) -> Result<Roster> {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("roster.csv");
        std::fs::write(&p, bytes).unwrap();
        read(&p)
    }

    fn roster(text: &str) -> Result<Vec<Entry>> {
        read_bytes_as_roster(text.as_bytes()).map(|r| r.entries)
    }

    fn cp932(text: &str) -> Vec<u8> {
        let (bytes, _, errors) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!errors);
        bytes.into_owned()
    }

    #[test]
    fn reads_a_roster_with_a_bom_and_full_width_digits() {
        let r = read_bytes_as_roster("\u{feff}医療機関コード,施設名,種別,病床数,保健所\r\n１３１２３４５６７８,架空病院,病院,120,中央保健所\r\n1300000002,架空診療所,一般診療所,,\r\n".as_bytes()).unwrap();
        assert_eq!(r.notes.encoding, Encoding::Utf8Bom);
        let r = r.entries;
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].code, "1312345678");
        assert_eq!(r[0].beds, Some(120));
        assert_eq!(r[1].beds, None);
        let plain = read_bytes_as_roster(b"code,name\n1312345678,a\n").unwrap();
        assert_eq!(plain.notes.encoding, Encoding::Utf8);
    }

    #[test]
    fn a_cp932_roster_from_excel_is_read() {
        let text = "医療機関番号,医療機関名称,区分,許可病床数,保健所名,開設者区分,所在地\r\n1312345678,架空病院,病院,120,中央保健所,医療法人,架空市1-1\r\n";
        let r = read_bytes_as_roster(&cp932(text)).unwrap();
        assert_eq!(r.notes.encoding, Encoding::Cp932);
        assert_eq!(
            r.entries,
            vec![Entry {
                code: "1312345678".into(),
                name: "架空病院".into(),
                kind: "病院".into(),
                beds: Some(120),
                office: "中央保健所".into(),
                founder: "医療法人".into(),
            }]
        );
        // Neither UTF-8 nor CP932: refused, naming the line.
        let mut bad = cp932("医療機関コード,施設名\r\n1312345678,架空病院\r\n");
        bad.extend_from_slice(b"1312345679,\x85\x40\r\n");
        let e = read_bytes_as_roster(&bad).unwrap_err().to_string();
        assert!(e.contains(":3:") && e.contains("UTF-8 でも Shift_JIS（CP932）でもない"), "{e}");
        let e = read_bytes_as_roster(b"\xff\xfea\x00").unwrap_err().to_string();
        assert!(e.contains("UTF-16"), "{e}");
    }

    #[test]
    fn every_listed_header_is_read() {
        let cases: [(&str, Column); 18] = [
            ("医療機関コード", Column::Code),
            ("医療機関番号", Column::Code),
            ("コード", Column::Code),
            ("施設名", Column::Name),
            ("医療機関名", Column::Name),
            ("医療機関名称", Column::Name),
            ("名称", Column::Name),
            ("種別", Column::Kind),
            ("区分", Column::Kind),
            ("病床数", Column::Beds),
            ("許可病床数", Column::Beds),
            ("病床数合計", Column::Beds),
            ("保健所", Column::Office),
            ("保健所名", Column::Office),
            ("所管保健所", Column::Office),
            ("開設者", Column::Founder),
            ("開設者区分", Column::Founder),
            (" 医療機関コード（10桁） ", Column::Code),
        ];
        for (h, c) in cases {
            assert_eq!(Column::of_header(h), Some(c), "{h}");
        }
        assert_eq!(Column::of_header("所在地"), None);
        assert_eq!(Column::of_header("（注）"), None);
    }

    #[test]
    fn notes_say_which_columns_were_used_and_which_ignored() {
        let r = read_bytes_as_roster(
            "医療機関番号,医療機関名称,所在地,名称,保健所名,,,\n1312345678,架空病院,架空市,別名,東保健所,,メモ,\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(r.entries[0].name, "架空病院", "the first column of a kind is read");
        assert_eq!(r.entries[0].office, "東保健所");
        // An empty column without a header (Excel's trailing columns) is not worth a note.
        assert_eq!(r.notes.ignored, vec![(3, "所在地".to_string()), (4, "名称".to_string()), (7, String::new())]);
        let lines = r.notes.lines(Path::new("r.csv"), r.entries.len()).join("\n");
        for want in [
            "名簿 r.csv: UTF-8 として読みました（1 施設、見出しは 1 行目）",
            "使った列: 医療機関コード＝「医療機関番号」（1列目）、施設名＝「医療機関名称」（2列目）、保健所＝「保健所名」（5列目）",
            "名簿にない列: 種別、病床数、開設者",
            "使わなかった列: 「所在地」（3列目）、「名称」（4列目）、（見出しなし）（7列目）",
        ] {
            assert!(lines.contains(want), "{want}\n{lines}");
        }
    }

    #[test]
    fn lines_are_the_file_s_lines_blank_lines_counted() {
        let text = "県内医療機関名簿（令和7年4月1日現在）\n\n医療機関コード,施設名,種別,病床数\n\n1312345678,a,病院,百\n\n\n1312345678,b,病院,1\n,,,\n1312345679,c,病棟,1\n1312345670,d,病院,1\n";
        let e = roster(text).unwrap_err().to_string();
        assert!(e.contains(":5:") && e.contains("病床数「百」"), "{e}");
        assert!(e.contains(":8:") && e.contains("2回以上あります（5行目にもあります）"), "{e}");
        assert!(e.contains(":10:") && e.contains("種別「病棟」"), "{e}");
        let r = read_bytes_as_roster("県内医療機関名簿\n\n医療機関コード,施設名\n\n1312345678,a\n".as_bytes()).unwrap();
        assert_eq!((r.notes.header_line, r.notes.above_header.clone()), (3, vec![1]));
        let e = roster("名前,種別\na,病院\n").unwrap_err().to_string();
        assert!(e.contains("医療機関コード") && e.contains("医療機関番号"), "{e}");
    }

    #[test]
    fn footer_rows_are_skipped_with_a_note_and_other_rows_without_a_code_are_errors() {
        // In the code's column, or the first filled cell of a row without a code.
        let r = read_bytes_as_roster(
            "医療機関コード,施設名,病床数\n1312345678,a,120\n1312345679,b,80\n合計,,200\n,計,200\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(r.entries.len(), 2);
        assert_eq!(r.notes.footers, vec![(4, "合計".to_string()), (5, "計".to_string())]);
        let r = read_bytes_as_roster(
            "施設名,医療機関コード,病床数\na,1312345678,120\nb,1312345679,80\n合　計,,200\n小計,,1\n計,,1\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(r.entries.len(), 2);
        assert_eq!(r.notes.footers.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![4, 5, 6]);
        let lines = r.notes.lines(Path::new("r.csv"), 2).join("\n");
        assert!(
            lines.contains("合計などの行を読み飛ばしました: 4行目「合　計」、5行目「小計」、6行目「計」"),
            "{lines}"
        );
        let e = roster("施設名,医療機関コード\na,1312345678\n備考,\n合計,1312345679\n").unwrap_err().to_string();
        assert!(e.contains(":3:2:") && e.contains("医療機関コードが空です"), "{e}");
        assert!(!e.contains(":4:"), "a row with a code is a facility: {e}");
    }

    #[test]
    fn codes_are_normalised_nine_digits_completed_others_refused() {
        let r = read_bytes_as_roster(
            "医療機関コード,施設名\n13-1234-5678,a\n１１２３４５６７８,b\n 112345679 ,c\n".as_bytes(),
        )
        .unwrap();
        let codes: Vec<&str> = r.entries.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["1312345678", "0112345678", "0112345679"]);
        assert_eq!(r.notes.padded[0], (3, "１１２３４５６７８".to_string(), "0112345678".to_string()));
        let lines = r.notes.lines(Path::new("r.csv"), 3).join("\n");
        assert!(lines.contains("警告: 9桁の医療機関コード 2 件の先頭に0を補いました"), "{lines}");
        assert!(lines.contains("3行目 １１２３４５６７８→0112345678、4行目 112345679→0112345679"), "{lines}");
        let e = roster("医療機関コード,施設名\n1312345678,a\n13123,b\n13A2345678,c\n").unwrap_err().to_string();
        assert!(e.contains(":3:1: 医療機関コード「13123」は5桁です"), "{e}");
        assert!(e.contains(":4:1: 医療機関コード「13A2345678」に数字ではない文字「A」"), "{e}");
        // The same code written two ways is the same facility.
        let e = roster("医療機関コード\n1312345678\n13-1234-5678\n").unwrap_err().to_string();
        assert!(e.contains(":3:") && e.contains("2回以上"), "{e}");
    }

    #[test]
    fn coverage_counts_inspections_and_self_checks_apart() {
        let r = roster(
            "医療機関コード,施設名,種別,病床数,保健所\n1300000001,a,病院,120,東\n1300000002,b,病院,50,東\n1300000003,c,一般診療所,0,西\n",
        )
        .unwrap();
        let (mut inspected, mut returned) = (KeySet::default(), KeySet::default());
        let mut unmatched = Unmatched::default();
        let listed = codes(&r);
        for (on_site, code) in
            [(true, "1300000001"), (true, "1300000009"), (false, "1300000001"), (false, "1300000003")]
        {
            if on_site {
                inspected.insert(code)
            } else {
                returned.insert(code)
            };
            unmatched.note(&listed, code);
        }
        unmatched.note(&listed, "1300000009");
        let c = coverage(&r, &inspected, &returned, &unmatched);
        assert_eq!(c.total, Group { due: 3, inspected: 1, returned: 2 });
        assert_eq!(c.by_office[0], ("東".to_string(), Group { due: 2, inspected: 1, returned: 1 }));
        assert_eq!(c.missing.len(), 2);
        assert_eq!((c.unmatched, c.unmatched_first), (1, vec!["1300000009".to_string()]));
    }
}
