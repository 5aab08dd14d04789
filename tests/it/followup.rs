//! Integration tests of `kensa followup` on copies of the samples: each output format, the exit
//! codes (0 nothing overdue, 3 overdue, 1 failure, 2 command line) and CSV for Excel.

use crate::harness::{copy_dir, kensa_in, root, Run};
use std::path::Path;

/// The date the samples are judged at: guidance of the ransomware case due 令和7年10月31日 is
/// one day overdue, a measure is due in 27 days, and last year's targets have long passed.
const AS_OF: &str = "2025-11-01";

/// A temporary folder holding a copy of `samples/` as `samples/`.
fn samples_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("samples"), &tmp.path().join("samples"));
    tmp
}

fn followup(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["followup"];
    all.extend_from_slice(args);
    let mut r = kensa_in(dir, &all);
    (r.stdout, r.stderr) = (crate::harness::slashes(&r.stdout), crate::harness::slashes(&r.stderr));
    r
}

#[test]
fn text_lists_what_is_overdue_and_due_soon_across_the_samples() {
    let tmp = samples_copy();
    // A previous version kept in backup/ is not a case of its own.
    let backup = tmp.path().join("samples/routine-hospital/backup");
    std::fs::create_dir_all(&backup).unwrap();
    std::fs::copy(root().join("samples/ransomware-hospital/case.toml"), backup.join("case.toml")).unwrap();

    let r = followup(tmp.path(), &["samples", "--as-of", AS_OF]);
    assert_eq!(r.code, 3, "{}", r.all());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "令和7年11月1日現在　期限超過 8 件、30日以内 1 件（事案 5 件）", "{}", r.stdout);
    assert!(lines[2].starts_with("期限") && lines[2].contains("超過・残り") && lines[2].contains("事案フォルダ"));
    let rows = &lines[3..];
    assert_eq!(rows.len(), 9, "{}", r.stdout);
    // By due date: last year's targets first, the measure due in 27 days last.
    assert!(rows[0].starts_with("令和7年1月31日") && rows[0].contains("274日超過"), "{}", rows[0]);
    assert!(rows[0].contains("チェックリスト項目の目標日") && rows[0].contains("いいえ・一部適合"), "{}", rows[0]);
    assert!(rows[0].ends_with("samples/routine-hospital-r6"), "{}", rows[0]);
    assert!(rows[5].starts_with("令和7年10月31日") && rows[5].contains("1日超過") && rows[5].contains("指導への回答"));
    assert!(rows[5].contains("未回答") && rows[5].contains("かもめ総合病院"), "{}", rows[5]);
    let last = rows[8];
    assert!(last.starts_with("令和7年11月28日") && last.contains("あと27日") && last.contains("再発防止策"), "{last}");
    assert!(last.contains("情報システム課長") && last.contains("実施中"), "{last}");
    // Guidance whose reply was received (replied_on) is not listed, nor are measures 完了.
    assert!(!r.stdout.contains("医療法第25条第1項に基づき"), "{}", r.stdout);
    assert!(!r.stdout.contains("保守用VPN装置を更新し"), "{}", r.stdout);
    // Long texts are cut to a readable length.
    assert!(rows[5].contains('…'), "{}", rows[5]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn nothing_overdue_exits_zero_and_the_window_is_adjustable() {
    let tmp = samples_copy();
    let r = followup(tmp.path(), &["samples/routine-hospital", "--as-of", AS_OF]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.starts_with("令和7年11月1日現在　期限超過 0 件、30日以内 0 件（事案 1 件）\n"), "{}", r.stdout);
    assert!(r.stdout.contains("期限を過ぎたもの、30日以内に期限が来るものはありません"), "{}", r.stdout);

    // Within 60 days: the guidance replies due 令和7年12月19日 (a case file given by name too).
    let r =
        followup(tmp.path(), &["samples/routine-hospital/case.toml", "--as-of", "令和7年11月1日", "--within", "60"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("60日以内 4 件"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("あと48日").count(), 2, "{}", r.stdout);

    // After the due date the same replies are overdue: exit code 3.
    let r = followup(tmp.path(), &["samples/routine-hospital", "--as-of", "2025-12-20", "--within", "0"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stdout.contains("期限超過 2 件、0日以内 0 件"), "{}", r.stdout);
}

#[test]
fn markdown_is_a_table_with_escaped_text() {
    let tmp = samples_copy();
    let r = followup(tmp.path(), &["samples", "--as-of", AS_OF, "--format", "md"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stdout.starts_with("# 期限の一覧（令和7年11月1日現在）\n\n期限超過 8 件、30日以内 1 件（事案 5 件）\n"));
    assert!(r.stdout.contains("| 期限 | 超過・残り | 種別 | 施設名 | 事案ID | 内容 | 担当 | 状況 | 事案フォルダ |"));
    let rows: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("| 令和")).collect();
    assert_eq!(rows.len(), 9, "{}", r.stdout);
    // Case text is not cut, and escaped only where Markdown would read it (a `-` inside a
    // name is not markup).
    assert!(r.stdout.contains("| samples/routine-hospital-r6 |"), "{}", r.stdout);
    assert!(r.stdout.contains("（BCP）を策定し、連絡体制図を最新の状態に改めること。"), "{}", r.stdout);
}

#[test]
fn json_is_an_array_of_records() {
    let tmp = samples_copy();
    let r = followup(tmp.path(), &["samples", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(r.code, 3, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 9);
    assert_eq!(a[0]["due"], "2025-01-31");
    assert_eq!(a[0]["overdue"], true);
    assert_eq!(a[0]["days_overdue"], 274);
    assert!(a[0]["days_left"].is_null());
    assert_eq!(a[0]["kind"], "チェックリスト項目の目標日");
    assert_eq!(a[8]["due"], "2025-11-28");
    assert_eq!((a[8]["days_left"].as_i64(), a[8]["days_overdue"].is_null()), (Some(27), true));
    for o in a {
        for k in ["facility", "case_id", "folder", "what", "owner", "status"] {
            assert!(o[k].as_str().is_some_and(|s| !s.is_empty()), "{k}: {o}");
        }
    }
}

#[test]
fn csv_opens_in_excel_and_runs_no_formula() {
    let tmp = samples_copy();
    // Case text that a spreadsheet would run as a formula.
    let p = tmp.path().join("samples/ransomware-hospital/case.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text
        .replacen(
            "owner = \"情報システム課長\"\ndue = 2025-11-28",
            "owner = \"=HYPERLINK(\\\"http://x\\\",\\\"x\\\")\"\ndue = 2025-11-28",
            1,
        )
        .replacen("name = \"社会医療法人", "name = \"@社会医療法人", 1);
    assert!(text.contains("=HYPERLINK") && text.contains("@社会医療法人"));
    std::fs::write(&p, text).unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(["followup", "samples", "--as-of", AS_OF, "--format", "csv"])
        .current_dir(tmp.path())
        .env_remove("KENSA_CHECKLISTS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let bytes = out.stdout;
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "a line end without CR");
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines[0], "期限,超過日数,残り日数,種別,施設名,事案ID,事案フォルダ,内容,担当,状況");
    assert_eq!(lines.len(), 10, "{text}");
    assert!(lines[1].starts_with("2025-01-31,274,,チェックリスト項目の目標日,"), "{}", lines[1]);
    assert!(
        lines[9].starts_with("2025-11-28,,27,再発防止策,'@社会医療法人 架空記念会 かもめ総合病院,"),
        "{}",
        lines[9]
    );
    assert!(lines[9].contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\",実施中"), "{}", lines[9]);
    // No cell starts with a formula character.
    for l in &lines {
        for cell in l.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t']), "{cell} in {l}");
        }
    }
}

#[test]
fn unreadable_cases_are_named_and_the_run_goes_on() {
    let tmp = samples_copy();
    let broken = tmp.path().join("samples/broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("case.toml"), "case_id = \"X\"\n[facility\n").unwrap();

    // Something is overdue: 3, with the broken file named on stderr.
    let r = followup(tmp.path(), &["samples", "--as-of", AS_OF]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stdout.contains("期限超過 8 件"), "{}", r.stdout);
    assert!(r.stderr.contains("エラー: samples/broken/case.toml:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("読めなかったファイル・フォルダが 1 件あります"), "{}", r.stderr);

    // Nothing overdue among the cases read: the failure decides (1).
    let r = followup(tmp.path(), &["samples/routine-hospital", "samples/broken", "--as-of", AS_OF]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("期限超過 0 件"), "{}", r.stdout);
    assert!(r.stderr.contains("samples/broken/case.toml"), "{}", r.stderr);
}

#[test]
fn no_case_found_is_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("empty/sub")).unwrap();
    let r = followup(tmp.path(), &["empty", "--as-of", AS_OF]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("empty: このフォルダの下に事案ファイル（case.toml）もワークブック（.xlsx）もありません"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let r = followup(tmp.path(), &["missing", "--as-of", AS_OF]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("missing: ファイルまたはフォルダがありません"), "{}", r.stderr);
}

#[test]
fn command_line_errors_exit_two() {
    let tmp = samples_copy();
    for (args, says) in [
        (&["samples", "--as-of", "明日"][..], "--as-of"),
        (&["samples", "--as-of", "2025-13-01"][..], "--as-of"),
        (&["samples", "--within", "-1"][..], "--within の日数「-1」が読めません"),
        (&["samples", "--within", "三十"][..], "--within"),
        (&["samples", "--format", "xls"][..], "値が正しくありません"),
        (&[][..], "必要な引数がありません"),
    ] {
        let r = followup(tmp.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn help_is_japanese() {
    let r = crate::harness::kensa(&["followup", "--help"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("使い方: kensa followup [オプション] <パス>..."), "{}", r.stdout);
    assert!(r.stdout.contains("--within") && r.stdout.contains("json: スクリプト向け"), "{}", r.stdout);
    assert!(!r.stdout.contains("[default:") && !r.stdout.contains("possible values"), "{}", r.stdout);
}
