//! Windows (run under Wine in CI, `.ci/windows.sh`): the README's workflow through kensa.exe in a
//! folder with a Japanese name and a space, the wildcard passed as cmd.exe passes it (`samples\*`,
//! unexpanded), and outputs held open the way Excel holds a workbook (opened without sharing):
//! `aggregate --force` and `report` then fail with the Japanese message and leave every previous
//! output as it was.

use crate::harness::{copy_dir, kensa_in, root, Run};
use std::collections::BTreeMap;
use std::os::windows::fs::OpenOptionsExt;
use std::path::Path;

/// A file opened as Excel opens a workbook it edits: no other program may read, write or
/// replace it until it is closed.
fn hold(path: &Path) -> std::fs::File {
    std::fs::OpenOptions::new().read(true).write(true).share_mode(0).open(path).unwrap()
}

/// Every file under a folder with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn says_close_it(r: &Run, file: &str) {
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains(file), "{}", r.all());
    assert!(r.stderr.contains("別のプログラム（Excel など）で開かれている"), "{}", r.all());
    assert!(r.stderr.contains("閉じてから、もう一度実行してください"), "{}", r.all());
}

#[test]
fn the_readme_workflow_runs_in_a_japanese_folder_with_a_space_and_an_open_file_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("県 医務課");
    copy_dir(&root().join("samples"), &base.join("samples"));
    let run = |args: &[&str]| kensa_in(&base, args);

    // The README's first command, with the wildcard unexpanded as cmd.exe passes it.
    let r = run(&["report", r"samples\*", "--out", "out"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for sample in ["clinic-routine", "ransomware-hospital", "routine-hospital", "routine-hospital-r6"] {
        for file in ["report.xlsx", "report.md", "report.html", "kensa-report.toml"] {
            assert!(base.join("out").join(sample).join(file).is_file(), "{sample}/{file}: {}", r.all());
        }
    }

    // A new case, its field workbook, the import, evidence, the check, the report; the case
    // folder's name has a space, so the argument reaches kensa quoted.
    let case = r"2025\みなと 中央病院";
    run(&["new", case, "--facility", "みなと中央病院", "--kind", "定期", "--checklist", "mhlw-r7,onsite"]).ok();
    run(&["workbook", case, "--out", "現地記入用.xlsx"]).ok();
    let r = run(&["import", case, "現地記入用.xlsx"]);
    assert!(matches!(r.code, 0 | 3), "{}", r.all());
    std::fs::write(base.join("連絡体制図.pdf"), b"%PDF-1.4 test").unwrap();
    run(&["evidence", "add", case, "連絡体制図.pdf"]).ok();
    assert!(base.join(case).join("evidence").join("連絡体制図.pdf").is_file());
    let r = run(&["check", case]);
    assert!(matches!(r.code, 0 | 3), "{}", r.all());
    run(&["report", case, "--out", r"報告書\みなと 中央病院"]).ok();
    assert!(base.join("報告書").join("みなと 中央病院").join("report.xlsx").is_file());
    run(&["verify", case]).ok();

    // Lists into files without redirection; the deadlines across the samples (exit 3: overdue).
    let r = run(&["followup", "samples", "--as-of", "2025-11-01", "--format", "csv", "--out", "期限一覧.csv"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(std::fs::read(base.join("期限一覧.csv")).unwrap().starts_with("\u{feff}".as_bytes()));

    // Aggregation, the wildcard again; then the same with findings.csv open in "Excel".
    let aggregate = ["aggregate", r"samples\*", "--out", "集計", "--as-of", "2026-03-31"];
    let r = run(&aggregate);
    assert!(matches!(r.code, 0 | 3), "{}", r.all());
    let before = contents(&base.join("集計"));
    assert!(before.contains_key("findings.csv") && before.contains_key("summary.xlsx"), "{before:?}");
    let held = hold(&base.join("集計").join("findings.csv"));
    let r = run(&[&aggregate[..], &["--force"]].concat());
    says_close_it(&r, "findings.csv");
    drop(held);
    assert_eq!(contents(&base.join("集計")), before, "every previous output is as it was");
    let left: Vec<String> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kensa"))
        .collect();
    assert!(left.is_empty(), "no staging folder is left: {left:?}");
    let r = run(&[&aggregate[..], &["--force"]].concat());
    assert!(matches!(r.code, 0 | 3), "closed, the run goes through: {}", r.all());

    // A report whose report.xlsx is open: nothing of the report changes, nor the case folder.
    let out = base.join("out").join("routine-hospital");
    let before = contents(&out);
    let case_before = contents(&base.join("samples").join("routine-hospital"));
    let held = hold(&out.join("report.xlsx"));
    let r = run(&["report", r"samples\routine-hospital", "--out", r"out\routine-hospital"]);
    says_close_it(&r, "report.xlsx");
    drop(held);
    assert_eq!(contents(&out), before);
    assert_eq!(contents(&base.join("samples").join("routine-hospital")), case_before);
    run(&["report", r"samples\routine-hospital", "--out", r"out\routine-hospital"]).ok();
}

/// A quoted wildcard is a name, not a pattern (as on Windows' own programs).
#[test]
fn a_quoted_wildcard_is_not_expanded() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("samples"), &tmp.path().join("samples"));
    // Command quotes an argument that has a space: the wildcard inside stays as typed.
    let r = kensa_in(tmp.path(), &["check", r"samples\* "]);
    assert_ne!(r.code, 0, "{}", r.all());
    let r = kensa_in(tmp.path(), &["check", r"samples\*"]);
    assert!(matches!(r.code, 0 | 3), "{}", r.all());
}
