//! `kensa evidence add`, `kensa evidence list` and `kensa verify`, run as the real binary on
//! cases in temporary folders.

use crate::harness::{kensa_in, write_case, Run, TempCase, INCIDENT};
use std::path::{Path, PathBuf};

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The incident fixture with a hand-written comment, in `tmp/case`, and two files to add.
fn setup(tmp: &Path) -> (PathBuf, String) {
    let text = format!("{INCIDENT}\n# 証跡は kensa evidence add で追加する（手書きのメモ）\n");
    let case = write_case(tmp, &text);
    std::fs::create_dir_all(tmp.join("持ち帰り")).unwrap();
    std::fs::write(tmp.join("持ち帰り/vpn-log.txt"), "2025-06-20 03:10 login admin\n").unwrap();
    std::fs::write(tmp.join("持ち帰り/scan.pdf"), b"%PDF-1.4 \x00\x01\x02 binary").unwrap();
    (case, text)
}

fn case_text(case: &Path) -> String {
    std::fs::read_to_string(case.join("case.toml")).unwrap()
}

fn evidence_files(case: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(case.join("evidence")) else { return Vec::new() };
    let mut names: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn backups(case: &Path) -> usize {
    std::fs::read_dir(case.join("backup")).map(|d| d.count()).unwrap_or(0)
}

fn records(case: &Path) -> Vec<toml::Table> {
    let t: toml::Table = case_text(case).parse().unwrap();
    t.get("evidence")
        .and_then(|e| e.as_array())
        .map(|a| a.iter().map(|v| v.as_table().unwrap().clone()).collect())
        .unwrap_or_default()
}

/// A case file's text without its `[[evidence]]` tables (each up to the blank line after it).
fn without_evidence_tables(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line == "[[evidence]]" {
            skipping = true;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
        if line.is_empty() {
            skipping = false;
        }
    }
    out
}

fn add(tmp: &Path, args: &[&str]) -> Run {
    let mut all = vec!["evidence", "add", "case"];
    all.extend_from_slice(args);
    kensa_in(tmp, &all)
}

#[test]
fn added_files_are_copied_and_recorded_in_one_write() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, before) = setup(tmp.path());
    let r = add(
        tmp.path(),
        &["持ち帰り/vpn-log.txt", "持ち帰り/scan.pdf", "--by", "森下 理恵", "--description", "VPN装置"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(evidence_files(&case), ["scan.pdf", "vpn-log.txt"]);
    for (name, src) in [("vpn-log.txt", "持ち帰り/vpn-log.txt"), ("scan.pdf", "持ち帰り/scan.pdf")] {
        assert_eq!(
            std::fs::read(case.join("evidence").join(name)).unwrap(),
            std::fs::read(tmp.path().join(src)).unwrap()
        );
    }
    let recs = records(&case);
    assert_eq!(recs.len(), 2);
    let field = |i: usize, k: &str| recs[i][k].as_str().unwrap_or_default().to_string();
    assert_eq!((field(0, "id"), field(0, "file")), ("E1".into(), "evidence/vpn-log.txt".into()));
    assert_eq!((field(1, "id"), field(1, "file")), ("E2".into(), "evidence/scan.pdf".into()));
    assert_eq!(field(0, "sha256"), sha256(&std::fs::read(tmp.path().join("持ち帰り/vpn-log.txt")).unwrap()));
    assert_eq!(field(1, "sha256"), sha256(&std::fs::read(tmp.path().join("持ち帰り/scan.pdf")).unwrap()));
    assert_eq!(field(1, "collected_by"), "森下 理恵");
    assert_eq!(field(1, "description"), "VPN装置");
    assert!(recs[0]["collected_at"].is_datetime(), "{:?}", recs[0]);
    assert!(r.stdout.contains(&field(0, "sha256")), "the full hash is shown: {}", r.stdout);
    // The rest of case.toml as it was, comments and all; one write, one backup of the old text.
    let after = case_text(&case);
    assert_eq!(after.matches("[[evidence]]").count(), 2, "{after}");
    assert_eq!(without_evidence_tables(&after), before, "only the records were added:\n{after}");
    assert_eq!(backups(&case), 1);
    let backup = std::fs::read_dir(case.join("backup")).unwrap().next().unwrap().unwrap().path();
    assert_eq!(std::fs::read_to_string(backup).unwrap(), before);
    // What was added checks clean.
    let v = kensa_in(tmp.path(), &["verify", "case"]);
    assert_eq!(v.code, 0, "{}", v.all());
    assert!(v.stdout.contains("相違はありません（証跡 2 件を確認"), "{}", v.stdout);
}

#[test]
fn a_name_already_there_is_numbered_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, _) = setup(tmp.path());
    add(tmp.path(), &["持ち帰り/vpn-log.txt"]).ok();
    let first = std::fs::read(case.join("evidence/vpn-log.txt")).unwrap();
    std::fs::write(tmp.path().join("持ち帰り/vpn-log.txt"), "別の日のログ\n").unwrap();
    let r = add(tmp.path(), &["持ち帰り/vpn-log.txt", "--id", "E-ログ2"]).ok();
    assert!(r.stdout.contains("vpn-log-2.txt") && r.stdout.contains("同じ名前のファイルが既にある"), "{}", r.stdout);
    assert_eq!(std::fs::read(case.join("evidence/vpn-log.txt")).unwrap(), first, "the first copy is untouched");
    assert_eq!(std::fs::read_to_string(case.join("evidence/vpn-log-2.txt")).unwrap(), "別の日のログ\n");
    let recs = records(&case);
    assert_eq!(recs[1]["id"].as_str(), Some("E-ログ2"));
    assert_eq!(recs[1]["file"].as_str(), Some("evidence/vpn-log-2.txt"));
    // A hidden file's name loses its dot; the next id follows the highest E<n>.
    std::fs::write(tmp.path().join(".secret"), "x").unwrap();
    add(tmp.path(), &[".secret"]).ok();
    let recs = records(&case);
    assert_eq!((recs[2]["id"].as_str(), recs[2]["file"].as_str()), (Some("E2"), Some("evidence/secret")));
    assert_eq!(evidence_files(&case), ["secret", "vpn-log-2.txt", "vpn-log.txt"]);
}

#[test]
fn refused_sources_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, before) = setup(tmp.path());
    for (args, code, says) in [
        (vec!["持ち帰り"], 1, "フォルダです"),
        (vec!["持ち帰り/vpn-log.txt", "ない.txt"], 1, "ない.txt: ファイルがありません"),
        (vec!["持ち帰り/vpn-log.txt", "持ち帰り/scan.pdf", "--id", "X1"], 2, "--id はファイルを一つだけ"),
        (vec!["持ち帰り/vpn-log.txt", "持ち帰り/vpn-log.txt"], 1, "同じファイルが2回"),
    ] {
        let r = add(tmp.path(), &args);
        assert_eq!(r.code, code, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert_eq!(case_text(&case), before, "{args:?}");
        assert!(evidence_files(&case).is_empty(), "{args:?}: {:?}", evidence_files(&case));
        assert_eq!(backups(&case), 0, "{args:?}");
    }
    // An id already in use.
    add(tmp.path(), &["持ち帰り/scan.pdf"]).ok();
    let text = case_text(&case);
    let r = add(tmp.path(), &["持ち帰り/vpn-log.txt", "--id", "E1"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("証跡ID「E1」は既に"), "{}", r.stderr);
    assert_eq!(case_text(&case), text);
    assert_eq!(evidence_files(&case), ["scan.pdf"]);
}

#[test]
fn a_case_write_that_fails_takes_the_copies_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, before) = setup(tmp.path());
    // A backup folder that is a file: the old case.toml cannot be kept, so case.toml is not written.
    std::fs::write(case.join("backup"), "not a folder").unwrap();
    let r = add(tmp.path(), &["持ち帰り/vpn-log.txt", "持ち帰り/scan.pdf"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert_eq!(case_text(&case), before);
    assert!(evidence_files(&case).is_empty(), "{:?}", evidence_files(&case));
}

#[test]
fn list_shows_the_state_of_each_file() {
    let case = TempCase::sample("clinic-routine");
    let dir = case.dir.to_string_lossy().to_string();
    let r = kensa_in(case.parent(), &["evidence", "list", &dir]).ok();
    assert!(r.stdout.contains("E1  evidence/backup-check-memo.txt"), "{}", r.stdout);
    assert!(
        r.stdout.contains("1,402 バイト  5a765f9bddb2  令和7年11月20日 10:35  原田 真由美  確認済み"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("証跡 2 件\n"), "{}", r.stdout);
    std::fs::write(case.dir.join("evidence/backup-check-memo.txt"), "書き換え").unwrap();
    std::fs::remove_file(case.dir.join("evidence/cloud-ehr-sds-excerpt.txt")).unwrap();
    std::fs::write(case.dir.join("evidence/photo.jpg"), "jpeg").unwrap();
    let r = kensa_in(case.parent(), &["evidence", "list", &dir]).ok();
    let line = |id: &str| r.stdout.lines().find(|l| l.starts_with(id)).unwrap_or_default().to_string();
    assert!(line("E1").ends_with("※変更あり"), "{}", r.stdout);
    assert!(line("E2").ends_with("※ファイルなし") && line("E2").contains("－"), "{}", r.stdout);
    let stray = r.stdout.lines().find(|l| l.contains("evidence/photo.jpg")).unwrap();
    assert!(stray.starts_with("－") && stray.ends_with("※記録なし") && stray.contains("4 バイト"), "{}", r.stdout);
    assert!(
        r.stdout.contains("記録どおりでないもの 2 件") && r.stdout.contains("記録のないファイル 1 件"),
        "{}",
        r.stdout
    );
    let j = kensa_in(case.parent(), &["evidence", "list", &dir, "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["records"][0]["state"], "変更あり");
    assert_eq!(v["records"][0]["now"], sha256("書き換え".as_bytes()));
    assert_eq!(v["records"][1]["state"], "ファイルなし");
    assert_eq!(v["unrecorded"][0]["file"], "evidence/photo.jpg");
}

#[test]
fn verify_names_each_file_that_differs() {
    let case = TempCase::sample("ransomware-hospital");
    let dir = case.dir.to_string_lossy().to_string();
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", dir.as_str()];
        args.extend_from_slice(extra);
        kensa_in(case.parent(), &args)
    };
    let r = verify(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("相違はありません（証跡 5 件を確認）"), "{}", r.stdout);
    // An evidence file edited.
    let vpn = case.dir.join("evidence/vpn-log-excerpt.txt");
    let mut bytes = std::fs::read(&vpn).unwrap();
    bytes.extend_from_slice("\n追記".as_bytes());
    std::fs::write(&vpn, &bytes).unwrap();
    let r = verify(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    let line = r.stdout.lines().find(|l| l.contains("vpn-log-excerpt.txt")).unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(line.contains("変更あり[evidence-changed]") && line.contains(&sha256(&bytes)), "{line}");
    // One deleted.
    std::fs::remove_file(case.dir.join("evidence/ransom-note-transcript.txt")).unwrap();
    let r = verify(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.contains("ransom-note-transcript.txt") && l.contains("ファイルなし[evidence-missing]")),
        "{}",
        r.stdout
    );
    // One nobody recorded (in a subfolder too); what file managers leave is not evidence.
    std::fs::create_dir_all(case.dir.join("evidence/追加")).unwrap();
    std::fs::write(case.dir.join("evidence/追加/memo.txt"), "x").unwrap();
    std::fs::write(case.dir.join("evidence/.DS_Store"), "x").unwrap();
    let r = verify(&["--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["differences"], 3, "{}", r.stdout);
    let findings = v["cases"][0]["findings"].as_array().unwrap();
    let codes: Vec<&str> = findings.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["evidence-changed", "evidence-missing", "evidence-unrecorded"], "{}", r.stdout);
    assert!(findings[2]["file"].as_str().unwrap().ends_with("evidence/追加/memo.txt"), "{}", r.stdout);
    // kensa check still reports the changed and the missing file as errors.
    let c = kensa_in(case.parent(), &["check", &dir]);
    assert_eq!(c.code, 1);
    assert!(c.stdout.contains("evidence-hash-mismatch") && c.stdout.contains("evidence-missing"), "{}", c.stdout);
}

#[test]
fn verify_checks_the_case_against_its_report() {
    let case = TempCase::sample("routine-hospital");
    let dir = case.dir.to_string_lossy().to_string();
    let out = case.parent().join("提出用");
    let out_s = out.to_string_lossy().to_string();
    kensa_in(case.parent(), &["report", &dir, "--out", &out_s, "--generated-at", "2025-11-01T10:00:00"]).ok();
    // The record beside the report, and the case's list of reports.
    let record: toml::Table = std::fs::read_to_string(out.join("kensa-report.toml")).unwrap().parse().unwrap();
    let case_sha = sha256(&std::fs::read(case.dir.join("case.toml")).unwrap());
    assert_eq!(record["case"]["sha256"].as_str(), Some(case_sha.as_str()));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains(&format!("SHA-256: {case_sha}")));
    let names: Vec<&str> = record["files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["report.xlsx", "report.md", "report.html"]);
    let log: toml::Table = std::fs::read_to_string(case.dir.join("reports.toml")).unwrap().parse().unwrap();
    let last = log["reports"].as_array().unwrap().last().unwrap();
    assert_eq!(last["dir"].as_str().map(std::path::Path::new), Some(out.as_path()), "{log}");

    // Without --report, the last report written is the one checked.
    let r = kensa_in(case.parent(), &["verify", &dir]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains(&format!("報告書 {out_s} と照合（kensa-report.toml）")), "{}", r.stdout);
    let r = kensa_in(case.parent(), &["verify", &dir, "--report", &out_s]).ok();
    assert!(r.stdout.contains("相違はありません"), "{}", r.stdout);

    // case.toml edited after the report: the report no longer matches it.
    let text = std::fs::read_to_string(case.dir.join("case.toml")).unwrap();
    std::fs::write(case.dir.join("case.toml"), format!("{text}\n# 報告後のメモ\n")).unwrap();
    let r = kensa_in(case.parent(), &["verify", &dir]);
    assert_eq!(r.code, 1, "{}", r.all());
    let line = r.stdout.lines().find(|l| l.contains("[report-mismatch]")).unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(line.contains("case.toml") && line.contains(&case_sha), "{line}");
    // A report that has only report.md (made by hand-copying it) is checked by the hash it prints.
    let copy = case.parent().join("写し");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(out.join("report.md"), copy.join("report.md")).unwrap();
    let r = kensa_in(case.parent(), &["verify", &dir, "--report", copy.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("[report-mismatch]") && r.stdout.contains("（report.md）"), "{}", r.stdout);
    std::fs::write(case.dir.join("case.toml"), &text).unwrap();
    kensa_in(case.parent(), &["verify", &dir, "--report", copy.to_str().unwrap()]).ok();

    // A report file changed after kensa wrote it.
    std::fs::write(out.join("report.html"), "<p>差し替え</p>").unwrap();
    let r = kensa_in(case.parent(), &["verify", &dir]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.lines().any(|l| l.contains("report.html") && l.contains("[report-file-changed]")), "{}", r.stdout);
    // A report of another case.
    let other = TempCase::sample("clinic-routine");
    let r = kensa_in(case.parent(), &["verify", other.dir.to_str().unwrap(), "--report", &out_s]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("[report-other-case]"), "{}", r.stdout);
    // Its case.toml is not blamed: it is not the case this report was made from.
    assert!(!r.stdout.contains("[report-mismatch]"), "{}", r.stdout);
    // A folder without any report.
    let r = kensa_in(case.parent(), &["verify", &dir, "--report", case.dir.join("evidence").to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("[report-no-record]"), "{}", r.stdout);
}

#[test]
fn reports_list_every_evidence_record_with_its_hash_and_state() {
    let case = TempCase::sample("clinic-routine");
    // A third record on paper (no hash), and one whose file was changed.
    let text = std::fs::read_to_string(case.dir.join("case.toml")).unwrap();
    std::fs::write(
        case.dir.join("case.toml"),
        format!("{text}\n[[evidence]]\nid = \"E3\"\nfile = \"紙の記録（院内保管）\"\ndescription = \"紙\"\n"),
    )
    .unwrap();
    std::fs::write(case.dir.join("evidence/cloud-ehr-sds-excerpt.txt"), "changed").unwrap();
    let dir = case.dir.to_string_lossy().to_string();
    kensa_in(case.parent(), &["report", &dir, "--generated-at", "2025-11-01T10:00:00"]).ok();
    let out = case.dir.join("report");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let e1 = "5a765f9bddb2cd69fd0bce75a09544bbcbd2191833772f3eac79afd5390c871d";
    let e2 = "d7b844e1f459869a7058c884d7e19aed75df4ae4acbb5cd027b17dc7f1fee3c3";
    for (id, hash, state) in [("E1", e1, "確認済み"), ("E2", e2, "※変更あり"), ("E3", "記録なし", "ハッシュなし")]
    {
        let row = md.lines().find(|l| l.starts_with(&format!("| {id} |"))).unwrap_or_else(|| panic!("{id}: {md}"));
        assert!(row.contains(&format!("| {hash} |")) && row.ends_with(&format!("| {state} |")), "{row}");
        let row = format!("<td>{id}</td>");
        let at = html.find(&row).unwrap_or_else(|| panic!("{id} in html"));
        let tr = &html[at..at + html[at..].find("</tr>").unwrap()];
        assert!(tr.contains(&format!("<td>{hash}</td>")) && tr.contains(&format!("<td>{state}</td>")), "{tr}");
    }
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("証跡").unwrap();
    let row_of = |id: &str| {
        sheet
            .rows()
            .find(|r| matches!(r.first(), Some(Data::String(s)) if s == id))
            .unwrap_or_else(|| panic!("{id} in 証跡"))
            .to_vec()
    };
    for (id, hash, state) in [("E1", e1, "確認済み"), ("E2", e2, "変更あり"), ("E3", "記録なし", "ハッシュなし")]
    {
        let row = row_of(id);
        assert_eq!(row[2], Data::String(hash.into()), "{id}");
        assert_eq!(row[6], Data::String(state.into()), "{id}");
    }
}

#[test]
fn several_cases_are_verified_against_their_folders_of_one_report_run() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: Vec<String> = ["routine-hospital", "clinic-routine"]
        .iter()
        .map(|n| {
            let dir = tmp.path().join(n);
            crate::harness::copy_dir(&crate::harness::root().join("samples").join(n), &dir);
            dir.to_string_lossy().into_owned()
        })
        .collect();
    let out = tmp.path().join("提出").to_string_lossy().into_owned();
    let mut args = vec!["report"];
    args.extend(cases.iter().map(String::as_str));
    args.extend(["--out", &out, "--format", "md,html"]);
    kensa_in(tmp.path(), &args).ok();
    let r = kensa_in(tmp.path(), &["verify", &cases[0], &cases[1], "--report", &out]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("相違はありません（2 件の事案を確認）"), "{}", r.stdout);
    // One case edited: only it differs.
    let file = Path::new(&cases[1]).join("case.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("原田 真由美", "原田 真由実")).unwrap();
    let r = kensa_in(tmp.path(), &["verify", &cases[0], &cases[1]]);
    assert_eq!(r.code, 1, "{}", r.all());
    let mismatches: Vec<&str> = r.stdout.lines().filter(|l| l.contains("[report-mismatch]")).collect();
    assert_eq!(mismatches.len(), 1, "{}", r.stdout);
    assert!(mismatches[0].contains("clinic-routine"), "{}", r.stdout);
}

#[test]
fn a_report_is_written_even_where_its_case_folder_cannot_list_it() {
    let case = TempCase::sample("clinic-routine");
    // Where the list of reports goes there is a folder: it cannot be written.
    std::fs::create_dir_all(case.dir.join("reports.toml")).unwrap();
    let dir = case.dir.to_string_lossy().to_string();
    let out = case.parent().join("out").to_string_lossy().to_string();
    let r = kensa_in(case.parent(), &["report", &dir, "--out", &out, "--format", "md"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("作成の記録を事案フォルダに書けませんでした"), "{}", r.stderr);
    assert!(Path::new(&out).join("report.md").is_file() && Path::new(&out).join("kensa-report.toml").is_file());
    kensa_in(case.parent(), &["verify", &dir, "--report", &out]).ok();
}
