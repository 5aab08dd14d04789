//! Integration tests of `kensa checklist`, `new`, `check` and `schema`, running the real binary.

use crate::harness::{kensa_in, root, write_case, Run, INCIDENT};
use std::path::PathBuf;
use std::process::Command;

/// Runs `kensa check` on a variant of the valid case.
fn check_variant(text: &str) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), text);
    kensa_in(tmp.path(), &["check", "case"])
}

#[test]
fn valid_case_is_clean() {
    let r = check_variant(INCIDENT);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("問題は見つかりませんでした"), "{}", r.stdout);
}

/// One way of breaking the valid incident case, and what `kensa check` must then say.
struct Variant {
    what: &'static str,
    from: &'static str,
    to: &'static str,
    code: i32,
    says: &'static [&'static str],
    not: &'static [&'static str],
}

const VARIANTS: &[Variant] = &[
    Variant {
        what: "TOML syntax",
        from: "name = \"架空病院\"",
        to: "name = \"架空病院",
        code: 1,
        says: &["case.toml:5:", "エラー[parse]"],
        not: &[],
    },
    Variant {
        what: "unknown field",
        from: "kind = \"病院\"",
        to: "kind = \"病院\"\nbedz = 10",
        code: 1,
        says: &["「bedz」という項目はありません", "case.toml:7:1"],
        not: &[],
    },
    Variant {
        what: "unknown choice",
        from: "verification = \"不適合\"",
        to: "verification = \"たぶん\"",
        code: 1,
        says: &["「たぶん」は選べる値ではありません", "適合、一部適合、不適合"],
        not: &[],
    },
    Variant {
        what: "newer format",
        from: "case_id = \"T-1\"",
        to: "format = 2\ncase_id = \"T-1\"",
        code: 1,
        says: &["case.toml:2:1: エラー[format-version]: ファイル形式の版 2 はこの kensa"],
        not: &[],
    },
    Variant {
        what: "unknown item",
        from: "item = \"mhlw-r7:2-06\"",
        to: "item = \"mhlw-r7:9-99\"",
        code: 1,
        says: &["エラー[unknown-item]", "「mhlw-r7:9-99」は mhlw-r7（令和7年度版）にありません"],
        not: &[],
    },
    Variant {
        what: "unknown checklist of an item",
        from: "text = \"パッチ適用の体制を整備すること\"\nitems = [\"mhlw-r7:2-06\"]",
        to: "text = \"パッチ適用の体制を整備すること\"\nitems = [\"mhlw-r5:2-06\"]",
        code: 1,
        says: &["チェックリスト「mhlw-r5」はありません"],
        not: &[],
    },
    Variant {
        what: "duplicate item",
        from: "[[measures]]",
        to: "[[answers]]\nitem = \"mhlw-r7:2-06\"\nanswer = \"はい\"\n\n[[measures]]",
        code: 1,
        says: &["エラー[duplicate-item]", "項目「mhlw-r7:2-06」の回答が二つあります"],
        not: &[],
    },
    Variant {
        what: "detection before occurrence",
        from: "detected_at = 2025-06-01T07:30:00",
        to: "detected_at = 2025-05-31T07:30:00",
        code: 1,
        says: &[
            "エラー[detected-before-occurred]",
            "覚知日時 令和7年5月31日 07:30 が発生日時 令和7年6月1日 02:00 より前です",
        ],
        not: &[],
    },
    Variant {
        what: "system recovered before detection",
        from: "restored_on = 2025-06-20",
        to: "restored_on = 2025-05-20",
        code: 1,
        says: &["「電子カルテ」の復旧日 令和7年5月20日 が覚知日 令和7年6月1日 07:30 より前です"],
        not: &[],
    },
    Variant {
        what: "full recovery before detection",
        from: "full_recovery_on = 2025-07-15",
        to: "full_recovery_on = 2025-05-15",
        code: 1,
        says: &["全面復旧日 令和7年5月15日 が覚知日"],
        not: &[],
    },
    Variant {
        what: "平成31年5月1日",
        from: "confirmed_on = 2025-06-10",
        to: "confirmed_on = \"平成31年5月1日\"",
        code: 1,
        says: &["「平成31年5月1日」は存在しない日付です（平成は平成31年4月30日まで", "case.toml:"],
        not: &[],
    },
    Variant {
        what: "February 30 as text",
        from: "target_on = 2025-09-30",
        to: "target_on = \"2025/2/30\"",
        code: 1,
        says: &["「2025/2/30」は存在しない日付です（2025年2月に30日はありません）"],
        not: &[],
    },
    Variant {
        what: "February 30 as a TOML date",
        from: "target_on = 2025-09-30",
        to: "target_on = 2025-02-30",
        code: 1,
        says: &["エラー[parse]"],
        not: &[],
    },
    Variant {
        what: "和暦 text date",
        from: "target_on = 2025-09-30",
        to: "target_on = \"令和7年9月30日\"",
        code: 0,
        says: &["問題は見つかりませんでした"],
        not: &[],
    },
    Variant {
        what: "R7.9.30",
        from: "target_on = 2025-09-30",
        to: "target_on = \"R7.9.30\"",
        code: 0,
        says: &[],
        not: &[],
    },
    Variant {
        what: "いいえ without a target date",
        from: "target_on = 2025-09-30\n",
        to: "",
        code: 3,
        says: &["警告[no-target-date]", "mhlw-r7 2-⑥", "目標日（target_on）がありません"],
        not: &[],
    },
    Variant {
        what: "gate item いいえ",
        from: "target_on = 2025-09-30\nverification = \"不適合\"\n",
        to: "verification = \"不適合\"\n\n[[answers]]\nitem = \"mhlw-r7:0\"\nanswer = \"いいえ\"\n",
        code: 0,
        says: &[],
        not: &["no-target-date"],
    },
    Variant {
        what: "不適合 without guidance",
        from: "items = [\"mhlw-r7:2-06\"]\n\n[[incident",
        to: "items = []\n\n[[incident",
        code: 3,
        says: &["警告[nonconform-without-guidance]", "不適合ですが、この項目への指導"],
        not: &[],
    },
    Variant {
        what: "measure without owner",
        from: "owner = \"情報システム課長\"\n",
        to: "",
        code: 3,
        says: &["再発防止策「VPN機器の更新」に担当（owner）がありません"],
        not: &[],
    },
    Variant {
        what: "measure without due date",
        from: "due = 2025-09-30\nstatus",
        to: "status",
        code: 3,
        says: &["再発防止策「VPN機器の更新」に期限（due）がありません"],
        not: &[],
    },
    Variant {
        what: "no report to MHLW",
        from: "party = \"厚生労働省\"",
        to: "party = \"警察\"",
        code: 3,
        says: &["警告[no-mhlw-report]", "厚生労働省への報告"],
        not: &[],
    },
    Variant {
        what: "速報 after 8 days",
        from: "at = 2025-06-03",
        to: "at = 2025-06-09",
        code: 3,
        says: &["個人情報保護委員会への速報が覚知から8日後です"],
        not: &[],
    },
    Variant {
        what: "速報 after 5 days", from: "at = 2025-06-03", to: "at = 2025-06-06", code: 0, says: &[], not: &[]
    },
    Variant {
        what: "確報 after 49 days, unlawful intent",
        from: "",
        to: "",
        code: 0,
        says: &[],
        not: &["appi-final-late"],
    },
    Variant {
        what: "確報 after 49 days without unlawful intent",
        from: "unlawful_intent = true\n",
        to: "",
        code: 3,
        says: &["個人情報保護委員会への確報が覚知から49日後です（期限は30日以内、令和7年7月1日まで）"],
        not: &[],
    },
    Variant {
        what: "確報 after 61 days, unlawful intent",
        from: "at = 2025-07-20",
        to: "at = 2025-08-01",
        code: 3,
        says: &["覚知から61日後です（期限は60日以内、令和7年7月31日まで。不正の目的による事案）"],
        not: &[],
    },
];

#[test]
fn check_finds_each_broken_thing() {
    for v in VARIANTS {
        assert!(v.from.is_empty() || INCIDENT.contains(v.from), "{}: {} is not in the fixture", v.what, v.from);
        let text = if v.from.is_empty() { INCIDENT.to_string() } else { INCIDENT.replacen(v.from, v.to, 1) };
        let r = check_variant(&text);
        assert_eq!(r.code, v.code, "{}: {}", v.what, r.all());
        for s in v.says {
            assert!(r.stdout.contains(s), "{}: {s} in {}", v.what, r.stdout);
        }
        for s in v.not {
            assert!(!r.stdout.contains(s), "{}: not {s} in {}", v.what, r.stdout);
        }
    }
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
    let r = kensa_in(&root(), &args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn compare_last_year_r6_with_this_year_r7() {
    let r = kensa_in(&root(), &["compare", "samples/routine-hospital-r6", "samples/routine-hospital"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("前回 2024-定期-0041 → 今回 2025-定期-0037"), "{}", r.stdout);
    // R6 2-(8) 接続元制限 (id 2-09) maps to R7 2-⑬; still 不適合.
    assert!(
        r.stdout.contains(
            "mhlw-r7:2-13\t医療機関確認用 2-⑬\t前回 令和6年度版 医療機関確認用 2-(8): はい／不適合\t今回 はい／不適合\t変化なし"
        ),
        "{}",
        r.stdout
    );
    // R6 2-(7) セキュリティパッチ maps to R7 2-⑥, R6 2-(6) アクセスログ to R7 2-⑩.
    assert!(
        r.stdout.contains(
            "mhlw-r7:2-06\t医療機関確認用 2-⑥\t前回 令和6年度版 医療機関確認用 2-(7): はい／一部適合\t今回 はい／適合\t改善"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("mhlw-r7:2-10\t医療機関確認用 2-⑩\t前回 令和6年度版 医療機関確認用 2-(6): はい／適合\t"),
        "{}",
        r.stdout
    );
    // Items new in R7 (passwords) have no earlier answer.
    assert!(r.stdout.contains("mhlw-r7:2-07\t医療機関確認用 2-⑦\t前回 －"), "{}", r.stdout);
    let r =
        kensa_in(&root(), &["compare", "samples/routine-hospital-r6", "samples/routine-hospital", "--format", "md"]);
    assert!(r.stdout.contains("| 番号 | 項目 | 前回 | 今回 | 変化 |"), "{}", r.stdout);
    // A case without a MHLW checklist has nothing to compare.
    let tmp = tempfile::tempdir().unwrap();
    let case = write_case(
        tmp.path(),
        &INCIDENT.replace("checklists = [\"mhlw-r7\", \"incident\"]", "checklists = [\"incident\"]"),
    );
    let r = kensa_in(tmp.path(), &["compare", case.to_str().unwrap(), case.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("比較する項目がありません"), "{}", r.stderr);
    let r = kensa_in(tmp.path(), &["compare", "nowhere", case.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("nowhere") && r.stderr.contains("事案ファイルがありません"), "{}", r.stderr);
}

/// Issue 23 (4): two different facilities are an error (exit 1) unless asked for.
#[test]
fn compare_of_two_facilities_is_an_error_unless_allowed() {
    let r = kensa_in(&root(), &["compare", "samples/routine-hospital", "samples/clinic-routine"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "nothing compared: {}", r.stdout);
    assert!(r.stderr.contains("別の施設の記録です") && r.stderr.contains("--allow-other-facility"), "{}", r.stderr);
    assert!(r.stderr.contains("clinic-routine"), "names the file: {}", r.stderr);
    let r =
        kensa_in(&root(), &["compare", "samples/routine-hospital", "samples/clinic-routine", "--allow-other-facility"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("※前回と今回は別の施設の記録です"), "{}", r.stdout);
}

#[test]
fn workbook_of_a_case_with_an_unknown_checklist_names_the_place() {
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), &INCIDENT.replace("checklists = [\"mhlw-r7\", \"incident\"]", "checklists = [\"mhlw-r5\"]"));
    let r = kensa_in(tmp.path(), &["workbook", "case"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("case.toml:10:15: チェックリスト「mhlw-r5」はありません"), "{}", r.stderr);
    assert!(!tmp.path().join("case/T-1-workbook.xlsx").exists());
}

#[test]
fn json_output_for_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), &INCIDENT.replace("owner = \"情報システム課長\"\n", ""));
    let r = kensa_in(tmp.path(), &["check", "--format", "json", "case"]);
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
    let r = kensa_in(tmp.path(), &["check", "nowhere"]);
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
    let r = kensa_in(tmp.path(), &["check", "case"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("case.toml:3:9") && r.stdout.contains("UTF-8"), "{}", r.stdout);
}

#[test]
fn checklist_list_and_show() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa_in(tmp.path(), &["checklist", "list"]);
    assert_eq!(r.code, 0);
    for id in ["mhlw-r7", "mhlw-r6", "incident", "onsite"] {
        assert!(r.stdout.contains(id), "{}", r.stdout);
    }
    let r = kensa_in(tmp.path(), &["checklist", "show", "mhlw-r7"]);
    assert!(r.stdout.contains("2-⑬ 接続元制限を実施している。"), "{}", r.stdout);
    assert!(r.stdout.contains("▶システム運用編 13⑪"), "{}", r.stdout);
    assert!(r.stdout.contains("前提項目"), "{}", r.stdout);
    let r = kensa_in(tmp.path(), &["checklist", "show", "mhlw-r7", "--format", "md"]);
    assert!(r.stdout.contains("| 番号 | 項目 |"), "{}", r.stdout);
    let r = kensa_in(tmp.path(), &["checklist", "show", "mhlw-r7", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["id"], "mhlw-r7");
    assert!(v["items"].as_array().unwrap().len() >= 19);
    let r = kensa_in(tmp.path(), &["checklist", "show", "mhlw-r5"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("チェックリスト「mhlw-r5」はありません"), "{}", r.stderr);
}

#[test]
fn new_writes_every_item_unanswered_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa_in(tmp.path(), &["new", "c1", "--checklist", "mhlw-r7,onsite", "--facility", "架空クリニック"]);
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
    // A new case has no errors, and check names what a report to MHLW cannot go without.
    let r = kensa_in(tmp.path(), &["check", "c1"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    for code in ["no-inspection-date", "no-inspectors", "nothing-answered"] {
        assert!(r.stdout.contains(code), "{code}: {}", r.stdout);
    }
    // Never overwrites.
    let r = kensa_in(tmp.path(), &["new", "c1", "--facility", "別"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("既に事案ファイルがあります"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(tmp.path().join("c1/case.toml")).unwrap(), text);
}

#[test]
fn new_incident_case_has_the_four_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa_in(tmp.path(), &["new", "c2", "--facility", "架空病院", "--kind", "事案"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(tmp.path().join("c2/case.toml")).unwrap();
    for t in ["[incident]", "[damage]", "[response]", "[recovery]", "incident:"] {
        assert!(text.contains(t), "{t}");
    }
    let r = kensa_in(tmp.path(), &["new", "c3", "--facility", "x", "--kind", "臨時"]);
    assert_eq!(r.code, 2, "a bad option value is a command-line error");
    assert!(r.stderr.contains("検査の種別「臨時」は使えません"), "{}", r.stderr);
    let r = kensa_in(tmp.path(), &["new", "c4", "--facility", "x", "--checklist", "nope"]);
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
    let r = kensa_in(tmp.path(), &["--checklists", &d, "checklist", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("local") && r.stdout.contains("独自確認表"), "{}", r.stdout);
    let r = kensa_in(tmp.path(), &["--checklists", &d, "checklist", "show", "mhlw-r7"]);
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
    let r = kensa_in(tmp.path(), &["check", "bad.toml"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let line = bad.lines().position(|l| l.contains("システム運用編 99")).unwrap() + 1;
    assert!(r.stdout.contains(&format!("bad.toml:{line}:")), "{}", r.stdout);
    assert!(r.stdout.contains("ガイドライン参照「システム運用編 99」"), "{}", r.stdout);
    // A broken override folder stops every command with the place named.
    let dir = tmp.path().join("lists");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mhlw-r7.toml"), &bad).unwrap();
    let r = kensa_in(tmp.path(), &["--checklists", &dir.display().to_string(), "checklist", "list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(&format!("mhlw-r7.toml:{line}:")), "{}", r.stderr);
}

#[test]
fn shipped_checklists_check_clean() {
    let r = kensa_in(
        &root(),
        &[
            "check",
            "checklists/mhlw-r7.toml",
            "checklists/mhlw-r6.toml",
            "checklists/incident.toml",
            "checklists/onsite.toml",
            "checklists/guideline-sections.toml",
            "checklists/editions.toml",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    // A broken editions list is found as one (not taken for a case file).
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("editions.toml"),
        "[[editions]]\nedition = \"令和9年度版\"\nfiscal_year = 2027\ntitle = \"t\"\npublished = \"2027年6月\"\n",
    )
    .unwrap();
    let r = kensa_in(tmp.path(), &["check", "editions.toml"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("公表日「2027年6月」を読めません"), "{}", r.all());
}

#[test]
fn schema_is_json_schema_of_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa_in(tmp.path(), &["schema"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["properties"]["facility"].is_object(), "{}", r.stdout);
    assert!(r.stdout.contains("不適合") && r.stdout.contains("個人情報保護委員会（速報）"));
}

#[test]
fn help_and_usage_errors_are_japanese() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa_in(tmp.path(), &["check", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("使い方:") && r.stdout.contains("事案フォルダ"), "{}", r.stdout);
    let r = kensa_in(tmp.path(), &["chek"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("知らないコマンドです") && r.stderr.contains("もしかして: "), "{}", r.stderr);
    assert!(r.stderr.contains("check"), "{}", r.stderr);
    let r = kensa_in(tmp.path(), &["check", "--format", "xml", "x"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("指定された値: xml") && r.stderr.contains("選べる値: text、json"), "{}", r.stderr);
    let r = kensa_in(tmp.path(), &["import", "x"]);
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

/// The commands whose lists README once redirected with `>` write them with `--out` instead
/// (Windows PowerShell 5.1 re-encodes redirected output and garbles Japanese): the file holds
/// exactly what the screen would have shown, a second run replaces it, and the exit code stays.
#[test]
fn lists_go_to_a_file_with_out_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("集計 結果");
    std::fs::create_dir_all(&dir).unwrap();
    crate::harness::copy_dir(&root().join("samples"), &tmp.path().join("samples"));
    let before = "samples/routine-hospital-r6";
    let after = "samples/routine-hospital";
    let runs: [(&[&str], &str); 5] = [
        (&["followup", "samples", "--as-of", "2025-11-01", "--format", "csv"], "期限一覧.csv"),
        (&["followup", "samples", "--as-of", "2025-11-01", "--format", "md"], "期限一覧.md"),
        (&["compare", before, after, "--format", "md"], "比較.md"),
        (&["schema"], "case.schema.json"),
        (&["checklist", "show", "mhlw-r7", "--format", "md"], "mhlw-r7.md"),
    ];
    for (args, name) in runs {
        let shown = Command::new(env!("CARGO_BIN_EXE_kensa")).args(args).current_dir(tmp.path()).output().unwrap();
        let file = dir.join(name);
        for _ in 0..2 {
            let mut with_out: Vec<&str> = args.to_vec();
            let target = file.to_string_lossy().into_owned();
            with_out.extend(["--out", target.as_str()]);
            let r = kensa_in(tmp.path(), &with_out);
            assert_eq!(r.status.code(), shown.status.code(), "{args:?}: {}", r.all());
            let written = std::fs::read(&file).unwrap();
            // compare prints a note after its table; the table itself is what goes to the file.
            assert!(!written.is_empty() && shown.stdout.starts_with(&written), "{args:?}: {}", r.all());
            assert!(r.stderr.contains("に書き出しました"), "{args:?}: {}", r.all());
        }
    }
    let csv = std::fs::read(dir.join("期限一覧.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()) && csv.windows(2).any(|w| w == b"\r\n"));
}
