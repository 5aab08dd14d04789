//! The list of `kensa followup`: the cases and returned workbooks under some paths (read as
//! `kensa aggregate` reads them), what each still owes that is
//! overdue or comes due soon (the facts from [`crate::assess::followup`]), as text, Markdown,
//! CSV (for Excel) or JSON.

use crate::assess::followup::{self, DueItem, Window};
use crate::case::store::{self, CASE_FILE};
use crate::case::Case;
use crate::checklist::Registry;
use crate::error::Error;
use crate::text::{formula_safe, md_cell, pad, short, width};
use crate::wareki;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Characters of the text of a record shown in the text output.
pub const WHAT_CHARS: usize = 36;
/// Characters of a facility name shown in the text output.
pub const FACILITY_CHARS: usize = 24;
/// Characters of a case id or an owner shown in the text output.
pub const NAME_CHARS: usize = 16;

/// One line of the list: an open item of a case with the case it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub due: DueItem,
    pub facility: String,
    pub case_id: String,
    /// The case folder (as found under the path given).
    pub folder: PathBuf,
}

/// What `kensa followup` found.
#[derive(Debug)]
pub struct List {
    pub window: Window,
    /// Open items overdue or due within the window, by due date.
    pub rows: Vec<Row>,
    /// Records read: case files, and returned workbooks without a case file of their case id.
    pub cases: usize,
    /// kensa workbooks read (returned self-checks, field workbooks).
    pub workbooks: usize,
    /// Workbooks merged into the case file of their case id, as `kensa import` would.
    pub merged: usize,
    /// .xlsx files not read, each with why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Paths and case files that could not be read (the run went on without them).
    pub failures: Vec<Error>,
}

impl List {
    /// Items whose due date has passed.
    pub fn overdue(&self) -> usize {
        self.rows.iter().filter(|r| r.due.overdue()).count()
    }
    /// Items due today or within the window.
    pub fn upcoming(&self) -> usize {
        self.rows.len() - self.overdue()
    }
    /// `令和7年11月1日現在　期限超過 2 件、30日以内 3 件（事案 4 件）`, with the workbooks read
    /// where there were any.
    pub fn heading(&self) -> String {
        let books = if self.workbooks > 0 {
            format!("、ワークブック {} 件（うち事案ファイルに合わせて読んだもの {} 件）", self.workbooks, self.merged)
        } else {
            String::new()
        };
        format!(
            "{}現在　期限超過 {} 件、{}日以内 {} 件（事案 {} 件{books}）",
            wareki::format(self.window.as_of),
            self.overdue(),
            self.window.within,
            self.upcoming(),
            self.cases
        )
    }
}

/// The case files and workbooks under the paths, in the order given and, under a folder, sorted
/// by name; each file once. A path may be a case file (of any name) or a workbook, a case folder
/// or a folder tree holding case folders and returned workbooks; `backup/` folders are skipped
/// and symbolic links inside a folder are not followed. A path that cannot be read, or under
/// which there is neither, is a failure.
pub fn record_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Error>) {
    let mut files = Vec::new();
    let mut books = Vec::new();
    let mut failures = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |files: &mut Vec<PathBuf>, p: PathBuf| {
        let id = p.canonicalize().unwrap_or_else(|_| p.clone());
        if seen.insert(id) {
            files.push(p);
        }
    };
    for path in paths {
        let mut found = false;
        let named_file = !path.is_dir();
        for entry in crate::walk::under(path, &[]) {
            match entry {
                crate::walk::Entry::File(p) if is_workbook(&p) => {
                    found = true;
                    add(&mut books, p);
                }
                // A file named on the command line is taken whatever its name.
                crate::walk::Entry::File(p) if named_file || p.file_name().is_some_and(|n| n == CASE_FILE) => {
                    found = true;
                    add(&mut files, p);
                }
                crate::walk::Entry::Failed(e) => {
                    found = true;
                    failures.push(e);
                }
                _ => {}
            }
        }
        if !found {
            failures.push(Error::file(
                path,
                "このフォルダの下に事案ファイル（case.toml）もワークブック（.xlsx）もありません",
            ));
        }
    }
    (files, books, failures)
}

/// An .xlsx file that is not Excel's lock file of an open workbook (`~$…`).
fn is_workbook(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.to_ascii_lowercase().ends_with(".xlsx") && !name.starts_with("~$")
}

/// Reads every case under the paths, and the returned workbooks as `kensa aggregate` reads them
/// (merged into the case file of their case id as `kensa import` would, else as the case they
/// hold on their own), and lists what is overdue or due within the window. A file that cannot
/// be read is a failure, an .xlsx that is not kensa's is skipped and named; the others are
/// listed all the same.
pub fn collect(reg: &Registry, paths: &[PathBuf], window: Window) -> List {
    let (files, books, mut failures) = record_files(paths);
    let mut records: Vec<(Case, PathBuf)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for file in files {
        match store::load(&file) {
            Ok(l) => {
                by_id.entry(l.case.case_id.trim().to_string()).or_insert(records.len());
                let folder = folder_of(&l.path);
                records.push((l.case, folder));
            }
            Err(e) => failures.push(e),
        }
    }
    let (mut workbooks, mut merged, mut skipped) = (0, 0, Vec::new());
    for book in books {
        let data =
            match crate::workbook::read::read(&book, reg, crate::workbook::read::Purpose::Merge { case_id: None }) {
                Ok(d) => d,
                Err(Error::Workbook { path, problem }) if problem.is_foreign() => {
                    skipped.push((path, "kensa のワークブックではありません（読みませんでした）".to_string()));
                    continue;
                }
                Err(e) => {
                    failures.push(e);
                    continue;
                }
            };
        workbooks += 1;
        let id = data.case_id.trim().to_string();
        match by_id.get(&id) {
            Some(&i) => {
                let outcome = crate::merge::merge(&records[i].0, &data, reg, None);
                for c in &outcome.conflicts {
                    skipped.push((
                        book.clone(),
                        format!("{} {}: 事案ファイル「{}」／ワークブック「{}」が食い違うため、事案ファイルの値で判断しました", c.at, c.place, c.case, c.workbook),
                    ));
                }
                records[i].0 = outcome.case;
                merged += 1;
            }
            None => {
                by_id.insert(id, records.len());
                records.push((crate::merge::standalone(&data, reg), book.clone()));
            }
        }
    }
    let mut rows = Vec::new();
    for (case, folder) in &records {
        for due in followup::due_items(case, reg, window) {
            rows.push(Row {
                due,
                facility: case.facility.name.trim().to_string(),
                case_id: case.case_id.trim().to_string(),
                folder: folder.clone(),
            });
        }
    }
    followup::sort(&mut rows, |r| &r.due.item);
    List { window, rows, cases: records.len(), workbooks, merged, skipped, failures }
}

/// The column headers (text, Markdown and CSV).
const HEADERS: [&str; 10] =
    ["期限", "超過日数", "残り日数", "種別", "施設名", "事案ID", "事案フォルダ", "内容", "担当", "状況"];

/// A row as JSON and CSV give it (dates in ISO form).
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub due: String,
    pub overdue: bool,
    /// Days past the due date; `None` when not overdue.
    pub days_overdue: Option<i64>,
    /// Days to the due date (0: due today); `None` when overdue.
    pub days_left: Option<i64>,
    pub kind: &'static str,
    pub facility: String,
    pub case_id: String,
    pub folder: String,
    pub what: String,
    pub owner: String,
    pub status: String,
}

impl Record {
    pub fn of(r: &Row) -> Record {
        let d = &r.due;
        Record {
            due: d.item.due.format("%Y-%m-%d").to_string(),
            overdue: d.overdue(),
            days_overdue: d.overdue().then(|| d.days_overdue()),
            days_left: (!d.overdue()).then_some(d.days_left),
            kind: d.item.kind.label(),
            facility: r.facility.clone(),
            case_id: r.case_id.clone(),
            folder: r.folder.display().to_string(),
            what: d.item.what.clone(),
            owner: d.item.owner.clone(),
            status: d.item.status.clone(),
        }
    }

    fn cells(&self) -> [String; 10] {
        let n = |v: Option<i64>| v.map(|d| d.to_string()).unwrap_or_default();
        [
            self.due.clone(),
            n(self.days_overdue),
            n(self.days_left),
            self.kind.to_string(),
            self.facility.clone(),
            self.case_id.clone(),
            self.folder.clone(),
            self.what.clone(),
            self.owner.clone(),
            self.status.clone(),
        ]
    }
}

/// The list for a terminal: a heading with the counts, then aligned columns (due date in 和暦,
/// days past or left, kind, facility, case id, text cut short, owner, status, case folder).
pub fn to_text(list: &List) -> String {
    let mut out = format!("{}\n", list.heading());
    if list.rows.is_empty() {
        out.push_str(&format!("期限を過ぎたもの、{}日以内に期限が来るものはありません\n", list.window.within));
        return out;
    }
    let head = ["期限", "超過・残り", "種別", "施設名", "事案ID", "内容", "担当", "状況", "事案フォルダ"];
    let lines: Vec<[String; 9]> = list
        .rows
        .iter()
        .map(|r| {
            let it = &r.due.item;
            [
                wareki::format(it.due),
                r.due.days_text(),
                it.kind.label().to_string(),
                short(&r.facility, FACILITY_CHARS),
                short(&r.case_id, NAME_CHARS),
                short(&it.what, WHAT_CHARS),
                short(&it.owner, NAME_CHARS),
                it.status.clone(),
                r.folder.display().to_string(),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = head.iter().map(|h| width(h)).collect();
    for l in &lines {
        for (w, c) in widths.iter_mut().zip(l) {
            *w = (*w).max(width(c));
        }
    }
    let line = |cells: &[String]| {
        let last = cells.len() - 1;
        let s: Vec<String> =
            cells.iter().enumerate().map(|(i, c)| if i == last { c.clone() } else { pad(c, widths[i]) }).collect();
        format!("{}\n", s.join("  ").trim_end())
    };
    out.push('\n');
    out.push_str(&line(&head.map(String::from)));
    for l in &lines {
        out.push_str(&line(l));
    }
    out
}

/// The list as a Markdown table (case text escaped, dates in 和暦).
pub fn to_markdown(list: &List) -> String {
    let mut out = format!("# 期限の一覧（{}現在）\n\n", wareki::format(list.window.as_of));
    out.push_str(&format!(
        "期限超過 {} 件、{}日以内 {} 件（事案 {} 件）\n",
        list.overdue(),
        list.window.within,
        list.upcoming(),
        list.cases
    ));
    if list.rows.is_empty() {
        return out;
    }
    out.push_str("\n| 期限 | 超過・残り | 種別 | 施設名 | 事案ID | 内容 | 担当 | 状況 | 事案フォルダ |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for r in &list.rows {
        let it = &r.due.item;
        let cells = [
            md_cell(&wareki::format(it.due)),
            md_cell(&r.due.days_text()),
            md_cell(it.kind.label()),
            md_cell(&r.facility),
            md_cell(&r.case_id),
            md_cell(&it.what),
            md_cell(&it.owner),
            md_cell(&it.status),
            md_cell(&r.folder.display().to_string()),
        ];
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The list as CSV for Japanese Excel: UTF-8 with a BOM, CRLF line ends, a header row, ISO
/// dates, and no cell a spreadsheet would run as a formula.
pub fn to_csv(list: &List) -> crate::Result<String> {
    let build = |e: &dyn std::fmt::Display| Error::Build { what: "CSV", detail: e.to_string() };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(HEADERS).map_err(|e| build(&e))?;
    for r in &list.rows {
        w.write_record(Record::of(r).cells().iter().map(|c| formula_safe(c).into_owned())).map_err(|e| build(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| build(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| build(&e))?;
    Ok(format!("\u{feff}{text}"))
}

/// The list as a JSON array of objects (the fields of [`Record`]).
pub fn to_json(list: &List) -> crate::Result<String> {
    let records: Vec<Record> = list.rows.iter().map(Record::of).collect();
    serde_json::to_string_pretty(&records).map_err(|e| Error::Build { what: "JSON", detail: e.to_string() })
}

/// The folder a case file's rows name (`.` for a file in the current folder).
pub fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::followup::{DueKind, OpenItem};

    fn row(kind: DueKind, due: &str, days_left: i64, what: &str) -> Row {
        Row {
            due: DueItem {
                item: OpenItem {
                    kind,
                    due: due.parse().unwrap(),
                    key: "guidance.0".into(),
                    what: what.into(),
                    owner: "=HYPERLINK(\"x\")".into(),
                    status: "未回答".into(),
                },
                days_left,
            },
            facility: "架空病院".into(),
            case_id: "2025-定期-0012".into(),
            folder: PathBuf::from("2025/架空病院"),
        }
    }

    fn list(rows: Vec<Row>) -> List {
        List {
            window: Window { as_of: "2025-11-01".parse().unwrap(), within: 30 },
            rows,
            cases: 1,
            workbooks: 0,
            merged: 0,
            skipped: vec![],
            failures: vec![],
        }
    }

    #[test]
    fn formula_cells_are_disarmed() {
        for s in ["=1+1", "+81", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(formula_safe(s), format!("'{s}"));
        }
        assert_eq!(formula_safe("令和7年"), "令和7年");
        assert_eq!(formula_safe(""), "");
    }

    #[test]
    fn csv_has_a_bom_crlf_and_safe_cells() {
        let l = list(vec![row(DueKind::Guidance, "2025-10-31", -1, "-計画書を提出\n2行目")]);
        let csv = to_csv(&l).unwrap();
        assert!(csv.starts_with("\u{feff}期限,超過日数,残り日数,種別,"), "{csv}");
        assert!(csv.contains("\r\n2025-10-31,1,,指導への回答,架空病院,"), "{csv}");
        assert!(csv.contains(",\"'-計画書を提出\n2行目\",\"'=HYPERLINK(\"\"x\"\")\",未回答\r\n"), "{csv}");
    }

    #[test]
    fn text_columns_line_up() {
        let l = list(vec![
            row(DueKind::Guidance, "2025-10-31", -1, "短い"),
            row(DueKind::Target, "2025-11-20", 19, &"長い内容".repeat(20)),
        ]);
        let t = to_text(&l);
        assert!(t.starts_with("令和7年11月1日現在　期限超過 1 件、30日以内 1 件（事案 1 件）\n\n期限"), "{t}");
        let lines: Vec<&str> = t.lines().skip(2).collect();
        let col = |l: &str, s: &str| width(&l[..l.find(s).unwrap()]);
        assert_eq!(col(lines[1], "1日超過"), col(lines[2], "あと19日"));
        assert_eq!(col(lines[1], "架空病院"), col(lines[2], "架空病院"));
        assert!(lines[2].contains(&format!("{}…", "長い内容".repeat(9))), "{t}");
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn markdown_escapes_case_text() {
        let md = to_markdown(&list(vec![row(DueKind::Measure, "2025-11-20", 19, "<b>|</b> *x*")]));
        assert!(md.contains("| 令和7年11月20日 | あと19日 | 再発防止策 | 架空病院 |"), "{md}");
        assert!(md.contains("&lt;b>\\|&lt;/b> \\*x\\*"), "{md}");
        assert!(to_markdown(&list(vec![])).ends_with("期限超過 0 件、30日以内 0 件（事案 1 件）\n"));
    }

    #[test]
    fn json_gives_every_field() {
        let j = to_json(&list(vec![row(DueKind::Guidance, "2025-10-31", -1, "x")])).unwrap();
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        let o = &v[0];
        assert_eq!(o["due"], "2025-10-31");
        assert_eq!(
            (o["overdue"].as_bool(), o["days_overdue"].as_i64(), o["days_left"].is_null()),
            (Some(true), Some(1), true)
        );
        assert_eq!(o["kind"], "指導への回答");
        assert_eq!(o["folder"], "2025/架空病院");
    }

    #[test]
    fn paths_are_walked_in_order_without_backups() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for d in ["b/x", "a", "a/backup", "c"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        for f in ["b/x/case.toml", "a/case.toml", "a/backup/case.toml", "c/other.toml"] {
            std::fs::write(root.join(f), "").unwrap();
        }
        std::fs::write(root.join("b/x/返送.xlsx"), "").unwrap();
        std::fs::write(root.join("b/x/~$返送.xlsx"), "").unwrap();
        let (files, books, failures) =
            record_files(&[root.to_path_buf(), root.join("a"), root.join("c"), root.join("none")]);
        assert_eq!(files, [root.join("a/case.toml"), root.join("b/x/case.toml")]);
        assert_eq!(books, [root.join("b/x/返送.xlsx")], "Excel's lock file is not a workbook");
        assert_eq!(failures.len(), 2, "{failures:?}");
        assert!(failures[0].to_string().contains("事案ファイル（case.toml）もワークブック（.xlsx）もありません"));
        assert!(failures[1].to_string().contains("ファイルまたはフォルダがありません"));
        // A case file given by name is taken whatever its name.
        let (files, _, _) = record_files(&[root.join("c/other.toml")]);
        assert_eq!(files, [root.join("c/other.toml")]);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_not_followed_out_of_the_path() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(outside.join("case")).unwrap();
        std::fs::write(outside.join("case/case.toml"), "").unwrap();
        let tree = tmp.path().join("tree");
        std::fs::create_dir_all(&tree).unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
        std::os::unix::fs::symlink(outside.join("case/case.toml"), tree.join("case.toml")).unwrap();
        let (files, _, failures) = record_files(std::slice::from_ref(&tree));
        assert!(files.is_empty(), "{files:?}");
        assert_eq!(failures.len(), 1);
    }

    #[test]
    fn folders() {
        assert_eq!(folder_of(Path::new("case.toml")), PathBuf::from("."));
        assert_eq!(folder_of(Path::new("a/case.toml")), PathBuf::from("a"));
    }
}
