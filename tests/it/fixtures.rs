//! Whole-run fixtures: every sample and every case under `tests/fixtures/cases` is checked
//! (text and JSON) and reported (report.md, and for an incident report.xlsx as text); the
//! outputs are compared with the snapshots in `tests/fixtures/expected/<name>/`.

use crate::harness::{kensa_in, root, TempCase};
use calamine::{Data, Reader, Xlsx};

/// Fixed generation time, so that the reports are the same on every run.
const GENERATED_AT: &str = "2025-11-01T10:00:00";
/// The date `check` judges deadlines at (the reports' date).
const AS_OF: &str = "2025-11-01";

/// (name, repository folder) of every fixture.
fn fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (base, dir) in
        [("samples", root().join("samples")), ("tests/fixtures/cases", root().join("tests/fixtures/cases"))]
    {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("case.toml").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| (n.clone(), format!("{base}/{n}"))));
    }
    out
}

fn snapshot(name: &str, what: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests/fixtures/expected").join(name));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    // The case file's path as a path in check's output: `case\case.toml` on Windows
    // (`case\\case.toml` in JSON). The report names the file alone.
    let text = if cfg!(windows) && what.starts_with("check") {
        crate::harness::slashes(&text.replace("case\\\\", "case/"))
    } else {
        text.into()
    };
    settings.bind(|| insta::assert_snapshot!(what.to_string(), text));
}

#[test]
fn every_fixture_matches_its_expected_outputs() {
    let all = fixtures();
    assert!(all.len() >= 6, "{all:?}");
    for (name, rel) in all {
        let case = TempCase::copy(&rel);
        let check = kensa_in(case.parent(), &["check", "case", "--as-of", AS_OF]);
        assert_ne!(check.code, 1, "{name}: {}", check.all());
        snapshot(&name, "check", &format!("終了コード {}\n{}", check.code, check.stdout));
        let json = kensa_in(case.parent(), &["check", "case", "--format", "json", "--as-of", AS_OF]);
        snapshot(&name, "check-json", &json.stdout);
        kensa_in(case.parent(), &["report", "case", "--format", "md", "--generated-at", GENERATED_AT]).ok();
        let md = std::fs::read_to_string(case.dir.join("report/report.md")).unwrap();
        snapshot(&name, "report-md", &md);
        // The incident sheets of report.xlsx, cell by cell.
        let text = std::fs::read_to_string(case.dir.join("case.toml")).unwrap();
        if text.contains("[incident]") {
            kensa_in(case.parent(), &["report", "case", "--format", "xlsx", "--generated-at", GENERATED_AT]).ok();
            snapshot(&name, "report-xlsx", &xlsx_text(&case.dir.join("report/report.xlsx")));
        }
    }
}

/// Every sheet of a workbook as text: its name, then each row with a value, its cells joined by
/// ` | ` (dates as the serial numbers Excel stores, so a change of date shows).
fn xlsx_text(path: &std::path::Path) -> String {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        out.push_str(&format!("## {name}\n"));
        let range = wb.worksheet_range(&name).unwrap();
        for (r, row) in range.rows().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::DateTime(d) => format!("日付{}", d.as_f64()),
                    other => other.to_string().replace('\n', "⏎"),
                })
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                out.push_str(&format!("{}: {}\n", r + 1, cells.join(" | ").trim_end_matches([' ', '|'])));
            }
        }
    }
    out
}
