//! Integration tests of `kensa checklist`, `new`, `check` and `schema`, running the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kensa(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .current_dir(dir)
        .env_remove("KENSA_CHECKLISTS")
        .output()
        .expect("kensa runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A valid incident case; each test breaks one thing.
const INCIDENT: &str = r#"
case_id = "T-1"

[facility]
name = "架空病院"
kind = "病院"

[inspection]
kind = "事案に係る立入検査"
checklists = ["mhlw-r7", "incident"]
dates = [2025-06-10]

[incident]
summary = "ランサムウェアによる電子カルテの暗号化"
occurred_at = 2025-06-01T02:00:00
detected_at = 2025-06-01T07:30:00
unlawful_intent = true

[damage]

[[damage.data]]
kind = "暗号化"
records = 1000

[response]

[[response.notifications]]
party = "厚生労働省"
at = 2025-06-01T15:00:00

[[response.notifications]]
party = "個人情報保護委員会（速報）"
at = 2025-06-03

[[response.notifications]]
party = "個人情報保護委員会（確報）"
at = 2025-07-20

[recovery]
full_recovery_on = 2025-07-15

[[recovery.systems]]
name = "電子カルテ"
status = "復旧済"
restored_on = 2025-06-20

[[answers]]
item = "mhlw-r7:2-06"
answer = "いいえ"
confirmed_on = 2025-06-10
target_on = 2025-09-30
verification = "不適合"

[[measures]]
text = "VPN機器の更新"
owner = "情報システム課長"
due = 2025-09-30
status = "実施中"

[[guidance]]
kind = "文書指導"
text = "パッチ適用の体制を整備すること"
items = ["mhlw-r7:2-06"]
"#;

fn write_case(dir: &Path, text: &str) -> PathBuf {
    let case = dir.join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join("case.toml"), text).unwrap();
    case
}

/// Runs `kensa check` on a variant of the valid case.
fn check_variant(text: &str) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), text);
    kensa(tmp.path(), &["check", "case"])
}

#[test]
fn valid_case_is_clean() {
    let r = check_variant(INCIDENT);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("問題は見つかりませんでした"), "{}", r.stdout);
}

#[test]
fn shipped_samples_are_clean() {
    let samples: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    assert!(samples.len() >= 3, "{samples:?}");
    let mut args = vec!["check".to_string()];
    args.extend(samples.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let r = kensa(&root(), &args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn invalid_toml_names_line_and_column() {
    let r = check_variant(&INCIDENT.replace("name = \"架空病院\"", "name = \"架空病院"));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("case.toml:5:"), "{}", r.stdout);
    assert!(r.stdout.contains("エラー[parse]"), "{}", r.stdout);
}

#[test]
fn unknown_field_is_named_in_japanese() {
    let r = check_variant(&INCIDENT.replace("kind = \"病院\"", "kind = \"病院\"\nbedz = 10"));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("「bedz」という項目はありません"), "{}", r.stdout);
    assert!(r.stdout.contains("case.toml:7:1"), "{}", r.stdout);
}

#[test]
fn unknown_choice_lists_the_choices() {
    let r = check_variant(&INCIDENT.replace("verification = \"不適合\"", "verification = \"たぶん\""));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("「たぶん」は選べる値ではありません"), "{}", r.stdout);
    assert!(r.stdout.contains("適合、一部適合、不適合"), "{}", r.stdout);
}

#[test]
fn compare_last_year_r6_with_this_year_r7() {
    let r = kensa(&root(), &["compare", "samples/routine-hospital-r6", "samples/routine-hospital"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("前回 2024-定期-0041 → 今回 2025-定期-0037"), "{}", r.stdout);
    // R6 2-(9) 接続元制限 maps to R7 2-⑬; still 不適合.
    assert!(
        r.stdout.contains(
            "mhlw-r7:2-13\t医療機関等確認用 2-⑬\t前回 令和6年度版 2-(9): はい／不適合\t今回 はい／不適合\t変化なし"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("前回 令和6年度版 2-(6): はい／一部適合\t今回 はい／適合\t改善"), "{}", r.stdout);
    // Items new in R7 (passwords) have no earlier answer.
    assert!(r.stdout.contains("mhlw-r7:2-07\t医療機関等確認用 2-⑦\t前回 －"), "{}", r.stdout);
    let r = kensa(&root(), &["compare", "samples/routine-hospital-r6", "samples/routine-hospital", "--format", "md"]);
    assert!(r.stdout.contains("| 番号 | 項目 | 前回 | 今回 | 変化 |"), "{}", r.stdout);
    // A case without a MHLW checklist has nothing to compare.
    let tmp = tempfile::tempdir().unwrap();
    let case = write_case(
        tmp.path(),
        &INCIDENT.replace("checklists = [\"mhlw-r7\", \"incident\"]", "checklists = [\"incident\"]"),
    );
    let r = kensa(tmp.path(), &["compare", case.to_str().unwrap(), case.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("比較する項目がありません"), "{}", r.stderr);
    let r = kensa(tmp.path(), &["compare", "nowhere", case.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("nowhere") && r.stderr.contains("事案ファイルがありません"), "{}", r.stderr);
}

#[test]
fn workbook_of_a_case_with_an_unknown_checklist_names_the_place() {
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), &INCIDENT.replace("checklists = [\"mhlw-r7\", \"incident\"]", "checklists = [\"mhlw-r5\"]"));
    let r = kensa(tmp.path(), &["workbook", "case"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("case.toml:10:15: チェックリスト「mhlw-r5」はありません"), "{}", r.stderr);
    assert!(!tmp.path().join("case/T-1-workbook.xlsx").exists());
}

#[test]
fn newer_file_format_is_refused() {
    let r = check_variant(&format!("format = 2\n{INCIDENT}"));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("case.toml:1:1: エラー[format-version]: ファイル形式の版 2 はこの kensa"),
        "{}",
        r.stdout
    );
}

#[test]
fn unknown_item_id() {
    let r = check_variant(&INCIDENT.replace("item = \"mhlw-r7:2-06\"", "item = \"mhlw-r7:9-99\""));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("エラー[unknown-item]"), "{}", r.stdout);
    assert!(r.stdout.contains("「mhlw-r7:9-99」は mhlw-r7（令和7年度版）にありません"), "{}", r.stdout);
}

#[test]
fn unknown_checklist_in_item() {
    let r = check_variant(&INCIDENT.replace("items = [\"mhlw-r7:2-06\"]", "items = [\"mhlw-r5:2-06\"]"));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("チェックリスト「mhlw-r5」はありません"), "{}", r.stdout);
}

#[test]
fn duplicate_item_id() {
    let dup = format!("{INCIDENT}\n[[answers]]\nitem = \"mhlw-r7:2-06\"\nanswer = \"はい\"\n");
    let r = check_variant(&dup);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("エラー[duplicate-item]"), "{}", r.stdout);
    assert!(r.stdout.contains("項目「mhlw-r7:2-06」の回答が二つあります"), "{}", r.stdout);
}

#[test]
fn detection_before_occurrence() {
    let r = check_variant(&INCIDENT.replace("detected_at = 2025-06-01T07:30:00", "detected_at = 2025-05-31T07:30:00"));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("エラー[detected-before-occurred]"), "{}", r.stdout);
    assert!(
        r.stdout.contains("覚知日時 令和7年5月31日 07:30 が発生日時 令和7年6月1日 02:00 より前です"),
        "{}",
        r.stdout
    );
}

#[test]
fn recovery_before_detection() {
    let r = check_variant(&INCIDENT.replace("restored_on = 2025-06-20", "restored_on = 2025-05-20"));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("「電子カルテ」の復旧日 令和7年5月20日 が覚知日 令和7年6月1日 07:30 より前です"),
        "{}",
        r.stdout
    );
    let r = check_variant(&INCIDENT.replace("full_recovery_on = 2025-07-15", "full_recovery_on = 2025-05-15"));
    assert!(r.stdout.contains("全面復旧日 令和7年5月15日 が覚知日"), "{}", r.stdout);
}

#[test]
fn heisei_31_may_is_refused() {
    let r = check_variant(&INCIDENT.replace("confirmed_on = 2025-06-10", "confirmed_on = \"平成31年5月1日\""));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("「平成31年5月1日」は存在しない日付です（平成は平成31年4月30日まで"), "{}", r.stdout);
    assert!(r.stdout.contains("case.toml:"), "{}", r.stdout);
}

#[test]
fn february_30_is_refused() {
    let r = check_variant(&INCIDENT.replace("target_on = 2025-09-30", "target_on = \"2025/2/30\""));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("「2025/2/30」は存在しない日付です（2025年2月に30日はありません）"), "{}", r.stdout);
    // A TOML date that cannot be is refused by the TOML reader itself.
    let r = check_variant(&INCIDENT.replace("target_on = 2025-09-30", "target_on = 2025-02-30"));
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn wareki_text_dates_are_accepted() {
    let r = check_variant(&INCIDENT.replace("target_on = 2025-09-30", "target_on = \"令和7年9月30日\""));
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = check_variant(&INCIDENT.replace("target_on = 2025-09-30", "target_on = \"R7.9.30\""));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn no_without_target_date() {
    let r = check_variant(&INCIDENT.replace("target_on = 2025-09-30\n", ""));
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.stdout.contains("警告[no-target-date]"), "{}", r.stdout);
    assert!(r.stdout.contains("mhlw-r7 2-⑥"), "{}", r.stdout);
    assert!(r.stdout.contains("目標日（target_on）がありません"), "{}", r.stdout);
}

#[test]
fn gate_no_exempts_other_items() {
    let text =
        INCIDENT.replace("target_on = 2025-09-30\n", "") + "\n[[answers]]\nitem = \"mhlw-r7:0\"\nanswer = \"いいえ\"\n";
    let r = check_variant(&text);
    assert!(!r.stdout.contains("no-target-date"), "{}", r.stdout);
}

#[test]
fn nonconform_without_guidance() {
    let r = check_variant(&INCIDENT.replace("items = [\"mhlw-r7:2-06\"]", "items = []"));
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.stdout.contains("警告[nonconform-without-guidance]"), "{}", r.stdout);
    assert!(r.stdout.contains("不適合ですが、この項目への指導"), "{}", r.stdout);
}

#[test]
fn measure_without_owner_or_due() {
    let r = check_variant(&INCIDENT.replace("owner = \"情報システム課長\"\n", ""));
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("再発防止策「VPN機器の更新」に担当（owner）がありません"), "{}", r.stdout);
    let r = check_variant(&INCIDENT.replace("due = 2025-09-30\nstatus", "status"));
    assert!(r.stdout.contains("再発防止策「VPN機器の更新」に期限（due）がありません"), "{}", r.stdout);
}

#[test]
fn incident_without_mhlw_report() {
    let r = check_variant(&INCIDENT.replace("party = \"厚生労働省\"", "party = \"警察\""));
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("警告[no-mhlw-report]"), "{}", r.stdout);
    assert!(r.stdout.contains("厚生労働省への報告"), "{}", r.stdout);
}

#[test]
fn appi_preliminary_later_than_five_days() {
    let r = check_variant(&INCIDENT.replace("at = 2025-06-03", "at = 2025-06-09"));
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("個人情報保護委員会への速報が覚知から8日後です"), "{}", r.stdout);
    let r = check_variant(&INCIDENT.replace("at = 2025-06-03", "at = 2025-06-06"));
    assert_eq!(r.code, 0, "5 days is in time: {}", r.stdout);
}

#[test]
fn appi_final_30_or_60_days() {
    // With unlawful intent 60 days: 49 days is in time.
    let r = check_variant(INCIDENT);
    assert!(!r.stdout.contains("appi-final-late"), "{}", r.stdout);
    // Without unlawful intent the limit is 30 days.
    let r = check_variant(&INCIDENT.replace("unlawful_intent = true\n", ""));
    assert!(r.stdout.contains("個人情報保護委員会への確報が覚知から49日後です（期限は30日以内）"), "{}", r.stdout);
    // With unlawful intent, 61 days is late.
    let r = check_variant(&INCIDENT.replace("at = 2025-07-20", "at = 2025-08-01"));
    assert!(r.stdout.contains("覚知から61日後です（期限は60日以内。不正の目的による事案）"), "{}", r.stdout);
}

#[test]
fn json_output_for_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), &INCIDENT.replace("owner = \"情報システム課長\"\n", ""));
    let r = kensa(tmp.path(), &["check", "--format", "json", "case"]);
    assert_eq!(r.code, 3);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "measure-without-owner");
    assert_eq!(d["severity"], "warning");
    assert!(d["line"].as_u64().unwrap() > 1);
}

#[test]
fn missing_path_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa(tmp.path(), &["check", "nowhere"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("nowhere") && r.stdout.contains("ありません"), "{}", r.stdout);
}

#[test]
fn non_utf8_case_is_refused_with_position() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    std::fs::create_dir_all(&case).unwrap();
    let mut bytes = b"case_id = \"x\"\n[facility]\nname = \"".to_vec();
    bytes.extend([0x82, 0xa0, b'"', b'\n']); // Shift_JIS
    std::fs::write(case.join("case.toml"), bytes).unwrap();
    let r = kensa(tmp.path(), &["check", "case"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("case.toml:3:9") && r.stdout.contains("UTF-8"), "{}", r.stdout);
}

#[test]
fn checklist_list_and_show() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa(tmp.path(), &["checklist", "list"]);
    assert_eq!(r.code, 0);
    for id in ["mhlw-r7", "mhlw-r6", "incident", "onsite"] {
        assert!(r.stdout.contains(id), "{}", r.stdout);
    }
    let r = kensa(tmp.path(), &["checklist", "show", "mhlw-r7"]);
    assert!(r.stdout.contains("2-⑬ 接続元制限を実施している。"), "{}", r.stdout);
    assert!(r.stdout.contains("▶システム運用編 13⑪"), "{}", r.stdout);
    assert!(r.stdout.contains("前提項目"), "{}", r.stdout);
    let r = kensa(tmp.path(), &["checklist", "show", "mhlw-r7", "--format", "md"]);
    assert!(r.stdout.contains("| 番号 | 項目 |"), "{}", r.stdout);
    let r = kensa(tmp.path(), &["checklist", "show", "mhlw-r7", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["id"], "mhlw-r7");
    assert!(v["items"].as_array().unwrap().len() >= 19);
    let r = kensa(tmp.path(), &["checklist", "show", "mhlw-r5"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("チェックリスト「mhlw-r5」はありません"), "{}", r.stderr);
}

#[test]
fn new_writes_every_item_unanswered_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa(tmp.path(), &["new", "c1", "--checklist", "mhlw-r7,onsite", "--facility", "架空クリニック"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(tmp.path().join("c1/case.toml")).unwrap();
    let v: toml::Table = text.parse().unwrap();
    let answers = v["answers"].as_array().unwrap();
    let reg = kensa::checklist::Registry::load(None).unwrap();
    let want = reg.get("mhlw-r7").unwrap().items.len() + reg.get("onsite").unwrap().items.len();
    assert_eq!(answers.len(), want);
    assert!(answers.iter().all(|a| a.as_table().unwrap().len() == 1), "only the item key");
    assert!(text.contains("# mhlw-r7 2-⑥"), "annotated: {text}");
    assert_eq!(v["inspection"]["kind"].as_str(), Some("定期の立入検査"));
    // The new case passes check.
    let r = kensa(tmp.path(), &["check", "c1"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Never overwrites.
    let r = kensa(tmp.path(), &["new", "c1", "--facility", "別"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("既に事案ファイルがあります"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(tmp.path().join("c1/case.toml")).unwrap(), text);
}

#[test]
fn new_incident_case_has_the_four_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa(tmp.path(), &["new", "c2", "--facility", "架空病院", "--kind", "事案"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(tmp.path().join("c2/case.toml")).unwrap();
    for t in ["[incident]", "[damage]", "[response]", "[recovery]", "incident:"] {
        assert!(text.contains(t), "{t}");
    }
    let r = kensa(tmp.path(), &["new", "c3", "--facility", "x", "--kind", "臨時"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("検査の種別「臨時」は使えません"), "{}", r.stderr);
    let r = kensa(tmp.path(), &["new", "c4", "--facility", "x", "--checklist", "nope"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("チェックリスト「nope」はありません"), "{}", r.stderr);
    assert!(!tmp.path().join("c4/case.toml").exists());
}

#[test]
fn checklist_override_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lists");
    std::fs::create_dir_all(&dir).unwrap();
    let r7 = std::fs::read_to_string(root().join("checklists/mhlw-r7.toml")).unwrap();
    std::fs::write(
        dir.join("mhlw-r7.toml"),
        r7.replace("接続元制限を実施している。", "接続元を制限している。（自治体版）"),
    )
    .unwrap();
    std::fs::write(
        dir.join("local.toml"),
        r#"id = "local"
title = "独自確認表"
edition = "第1版"
kind = "onsite"
[[sections]]
id = "a"
title = "独自"
respondent = "検査員"
[[items]]
id = "a-01"
number = "独-1"
section = "a"
text = "独自の確認項目"
respondent = "検査員"
answer = "done"
verified = true
"#,
    )
    .unwrap();
    let d = dir.display().to_string();
    let r = kensa(tmp.path(), &["--checklists", &d, "checklist", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("local") && r.stdout.contains("独自確認表"), "{}", r.stdout);
    let r = kensa(tmp.path(), &["--checklists", &d, "checklist", "show", "mhlw-r7"]);
    assert!(r.stdout.contains("（自治体版）"), "{}", r.stdout);
    // The environment variable works too.
    let out = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(["checklist", "show", "local"])
        .env("KENSA_CHECKLISTS", &dir)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("独自の確認項目"));
}

#[test]
fn checklist_file_with_unknown_guideline_ref() {
    let tmp = tempfile::tempdir().unwrap();
    let r7 = std::fs::read_to_string(root().join("checklists/mhlw-r7.toml")).unwrap();
    let bad = r7.replacen("\"システム運用編 13⑪\"", "\"システム運用編 99\"", 1);
    assert_ne!(bad, r7);
    std::fs::write(tmp.path().join("bad.toml"), &bad).unwrap();
    let r = kensa(tmp.path(), &["check", "bad.toml"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let line = bad.lines().position(|l| l.contains("システム運用編 99")).unwrap() + 1;
    assert!(r.stdout.contains(&format!("bad.toml:{line}:")), "{}", r.stdout);
    assert!(r.stdout.contains("ガイドライン参照「システム運用編 99」"), "{}", r.stdout);
    // A broken override folder stops every command with the place named.
    let dir = tmp.path().join("lists");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mhlw-r7.toml"), &bad).unwrap();
    let r = kensa(tmp.path(), &["--checklists", &dir.display().to_string(), "checklist", "list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(&format!("mhlw-r7.toml:{line}:")), "{}", r.stderr);
}

#[test]
fn shipped_checklists_check_clean() {
    let r = kensa(
        &root(),
        &[
            "check",
            "checklists/mhlw-r7.toml",
            "checklists/mhlw-r6.toml",
            "checklists/incident.toml",
            "checklists/onsite.toml",
            "checklists/guideline-sections.toml",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn schema_is_json_schema_of_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa(tmp.path(), &["schema"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["properties"]["facility"].is_object(), "{}", r.stdout);
    assert!(r.stdout.contains("不適合") && r.stdout.contains("個人情報保護委員会（速報）"));
}

#[test]
fn help_and_usage_errors_are_japanese() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa(tmp.path(), &["check", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("使い方:") && r.stdout.contains("事案フォルダ"), "{}", r.stdout);
    let r = kensa(tmp.path(), &["chek"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("知らないコマンドです") && r.stderr.contains("もしかして: "), "{}", r.stderr);
    assert!(r.stderr.contains("check"), "{}", r.stderr);
    let r = kensa(tmp.path(), &["check", "--format", "xml", "x"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("指定された値: xml") && r.stderr.contains("選べる値: text、json"), "{}", r.stderr);
    let r = kensa(tmp.path(), &["import", "x"]);
    assert!(r.stderr.contains("必要な引数がありません") && r.stderr.contains("<ワークブック>"), "{}", r.stderr);
    assert!(!r.stderr.contains("error:") && !r.stderr.contains("Usage:"), "{}", r.stderr);
}

#[test]
fn closed_pipe_is_not_a_panic() {
    use std::process::Stdio;
    // Far more output than a pipe buffers (64 KiB): one line for each missing path.
    let paths: Vec<String> = (0..3000).map(|i| format!("存在しないフォルダ-{i:05}")).collect();
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .arg("check")
        .args(&paths)
        .current_dir(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, as `| head` does
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "errors were found: {stderr}");
}

#[test]
fn target_date_after_the_fiscal_year() {
    // Confirmed in 令和7年度 (to 2026-03-31): a target in April 2026 is too late.
    let r = check_variant(&INCIDENT.replace("target_on = 2025-09-30", "target_on = 2026-04-01"));
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(
        r.stdout.contains("mhlw-r7 2-⑥ の目標日 令和8年4月1日 が令和7年度の末日（令和8年3月31日）より後です"),
        "{}",
        r.stdout
    );
    // 2-⑪ 二要素認証 has its own target 年度 (令和9年度): a target in 令和9年度 is in time.
    let two_factor =
        INCIDENT.replace("mhlw-r7:2-06", "mhlw-r7:2-11").replace("target_on = 2025-09-30", "target_on = 2028-03-31");
    let r = check_variant(&two_factor);
    assert!(!r.stdout.contains("target-after-fiscal-year"), "{}", r.stdout);
}
