//! A new edition as a data change: a prefecture's checklist folder holding a made-up 令和8年度版
//! that names the embedded 令和7年度版 as its `predecessor`, used by every command as it is.

use crate::harness::{kensa_in, root, Run};
use std::path::Path;

/// A small, made-up 令和8年度版: it links back to 令和7年度版 item by item (one item carried
/// over, two merged into one, one new) without touching the embedded mhlw-r7.toml.
const R8: &str = r#"# 試験用の架空の令和8年度版（実在の様式ではありません）
id = "mhlw-r8"
title = "医療機関におけるサイバーセキュリティ対策チェックリスト（令和8年度版・試験用の架空の版）"
edition = "令和8年度版"
published = 2026-05-15
fiscal_year = 2026
kind = "mhlw"
predecessor = "mhlw-r7"
description = "kensa の試験のための架空の版です。"

[[sections]]
id = "f0"
title = "0 医療情報システムの有無"
sheet = "医療機関確認用"
respondent = "医療機関"

[[sections]]
id = "f2"
title = "2 医療情報システムの管理・運用"
sheet = "医療機関確認用"
respondent = "医療機関"

[[items]]
id = "0"
number = "0"
section = "f0"
text = "医療情報システムを導入、運用している。"
respondent = "医療機関"
answer = "yesno"
gate = true
verified = true
source = "架空の令和8年度版マニュアル p.1（試験用）"
predecessors = ["0"]

[[items]]
id = "2-01"
number = "2-①"
section = "f2"
text = "セキュリティパッチ（最新ファームウェアや更新プログラム）を適用している。"
scope = ["医療情報システム全般"]
respondent = "医療機関"
guideline_refs = ["システム運用編 8.2"]
method = ["書類確認", "聞き取り"]
answer = "yesno"
verified = false
note = "試験用の架空の項目です。"
predecessors = ["2-06"]

[[items]]
id = "2-02"
number = "2-②"
section = "f2"
text = "パスワードは十分な長さとし、使い回しを禁止している。"
scope = ["医療情報システム全般"]
respondent = "医療機関"
answer = "yesno"
verified = false
note = "試験用の架空の項目です（令和7年度版の2-⑦と2-⑧をまとめたもの）。"
predecessors = ["2-07", "2-08"]

[[items]]
id = "2-03"
number = "2-③"
section = "f2"
text = "接続元制限を実施している。"
scope = ["ネットワーク機器"]
respondent = "医療機関"
guideline_refs = ["システム運用編 13⑪"]
answer = "yesno"
verified = false
note = "試験用の架空の項目です。"
predecessors = ["2-13"]

[[items]]
id = "2-04"
number = "2-④"
section = "f2"
text = "クラウドサービスの設定を定期的に点検している。"
respondent = "医療機関"
answer = "yesno"
verified = false
note = "試験用の架空の新設項目です。"
"#;

/// Runs kensa in `dir` with `--checklists lists` (the prefecture's folder).
fn kensa_with_folder(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--checklists", "lists"];
    all.extend_from_slice(args);
    kensa_in(dir, &all)
}

/// Fills the answer to `item` in a case.toml written by `kensa new`.
fn fill(text: &str, item: &str, fields: &str) -> String {
    let line = format!("item = \"{item}\"\n");
    assert!(text.contains(&line), "{item} in {text}");
    text.replacen(&line, &format!("{line}{fields}\n"), 1)
}

#[test]
fn a_new_edition_in_the_users_folder_works_with_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("lists")).unwrap();
    std::fs::write(dir.join("lists/mhlw-r8.toml"), R8).unwrap();

    // The file checks clean on its own, and the folder adds it beside the embedded editions.
    let r = kensa_in(dir, &["check", "lists/mhlw-r8.toml"]).ok();
    assert!(!r.stdout.contains("警告"), "{}", r.all());
    let r = kensa_with_folder(dir, &["checklist", "list"]).ok();
    for id in ["mhlw-r8", "mhlw-r7", "mhlw-r6"] {
        assert!(r.stdout.contains(id), "{}", r.stdout);
    }
    let r = kensa_with_folder(dir, &["checklist", "show", "mhlw-r8"]).ok();
    assert!(r.stdout.contains("前の版 2-07、2-08"), "{}", r.stdout);
    assert!(r.stdout.contains("文言の出典: 架空の令和8年度版マニュアル p.1（試験用）"), "{}", r.stdout);

    // new: with no --checklist, the newest MHLW edition (now 令和8年度版) is used.
    let r = kensa_with_folder(dir, &["new", "r8", "--facility", "架空中央病院", "--case-id", "2026-定期-0001"]).ok();
    assert!(r.stdout.contains("mhlw-r8・onsite"), "{}", r.stdout);
    let blank = std::fs::read_to_string(dir.join("r8/case.toml")).unwrap();
    assert!(blank.contains("checklists = [\"mhlw-r8\", \"onsite\"]"), "{blank}");
    // A new case has no errors (only warnings about what it still lacks).
    assert_eq!(kensa_with_folder(dir, &["check", "r8"]).code, 3);

    // The inspector's answers, carried by a workbook and imported into the new case.
    let mut filled = blank.clone();
    filled = filled.replacen("[inspection]\n", "[inspection]\ndates = [2026-10-15]\n", 1);
    filled.push_str("\n[[inspection.inspectors]]\nname = \"検査 二郎\"\n");
    let yes = "answer = \"はい\"\nconfirmed_on = 2026-09-24\nverification = \"適合\"\nmethod = [\"書類確認\"]";
    for item in ["mhlw-r8:0", "mhlw-r8:2-01", "mhlw-r8:2-02"] {
        filled = fill(&filled, item, yes);
    }
    filled = fill(
        &filled,
        "mhlw-r8:2-03",
        "answer = \"いいえ\"\nconfirmed_on = 2026-09-24\ntarget_on = 2027-03-31\nverification = \"不適合\"\nmethod = [\"聞き取り\"]",
    );
    filled.push_str(
        "\n[[guidance]]\nkind = \"文書指導\"\ntext = \"保守用VPN装置の接続元を限定すること。\"\nitems = [\"mhlw-r8:2-03\"]\ngiven_on = 2026-10-15\n",
    );
    std::fs::create_dir_all(dir.join("filled")).unwrap();
    std::fs::write(dir.join("filled/case.toml"), &filled).unwrap();
    // The new case's workbook as the inspector returns it, filled.
    let reg = kensa::checklist::Registry::load(Some(&dir.join("lists"))).unwrap();
    let exported = kensa::case::load(&dir.join("r8")).unwrap().case;
    let filled_case = kensa::case::load(&dir.join("filled")).unwrap().case;
    let bytes =
        kensa::workbook::write::build_as_filled(&exported, &filled_case, &reg, kensa::workbook::Audience::Inspector)
            .unwrap();
    std::fs::write(dir.join("w.xlsx"), bytes).unwrap();
    let r = kensa_with_folder(dir, &["import", "r8", "w.xlsx"]).ok();
    assert!(r.stdout.contains("mhlw-r8 2-③"), "{}", r.stdout);
    let imported = kensa::case::load(&dir.join("r8")).unwrap().case;
    assert_eq!(imported, filled_case);
    let r = kensa_with_folder(dir, &["check", "r8"]);
    assert_eq!(r.code, 0, "{}", r.all());

    // The report names the edition and the failed item by its sheet and number.
    let r = kensa_with_folder(
        dir,
        &["report", "r8", "--out", "out", "--format", "md", "--generated-at", "2026-11-01T10:00:00"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let md = std::fs::read_to_string(dir.join("out/report.md")).unwrap();
    assert!(md.contains("令和8年度版"), "{md}");
    assert!(md.contains("医療機関確認用 2-③"), "{md}");

    // Last year's 令和7年度版 inspection beside this year's 令和8年度版, item by item.
    let r7 = root().join("samples/routine-hospital").display().to_string();
    let r = kensa_with_folder(dir, &["compare", &r7, "r8", "--allow-other-facility"]).ok();
    let out = &r.stdout;
    assert!(out.starts_with("前回 2025-定期-0037 → 今回 2026-定期-0001"), "{out}");
    assert!(
        out.contains("mhlw-r8:2-01\t医療機関確認用 2-①\t前回 令和7年度版 医療機関確認用 2-⑥: はい／適合\t今回 はい／適合\t変化なし"),
        "{out}"
    );
    // Two items merged into one: both earlier answers shown, the worse one counts.
    assert!(
        out.contains(
            "mhlw-r8:2-02\t医療機関確認用 2-②\t前回 令和7年度版 医療機関確認用 2-⑦: はい／一部適合、令和7年度版 医療機関確認用 2-⑧: はい／適合\t今回 はい／適合\t改善"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "mhlw-r8:2-03\t医療機関確認用 2-③\t前回 令和7年度版 医療機関確認用 2-⑬: はい／不適合\t今回 いいえ／不適合"
        ),
        "{out}"
    );
    assert!(out.contains("mhlw-r8:2-04\t医療機関確認用 2-④\t前回 －\t今回 －\t今回未記入"), "{out}");

    // Two years back: 令和6年度版 → (successor) 令和7年度版 → (predecessors) 令和8年度版.
    let r6 = root().join("samples/routine-hospital-r6").display().to_string();
    let r = kensa_with_folder(dir, &["compare", &r6, "r8", "--allow-other-facility"]).ok();
    assert!(
        r.stdout.contains(
            "mhlw-r8:2-01\t医療機関確認用 2-①\t前回 令和6年度版 医療機関確認用 2-(7): はい／一部適合\t今回 はい／適合\t改善"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("mhlw-r8:2-03\t医療機関確認用 2-③\t前回 令和6年度版 医療機関確認用 2-(8): はい／不適合"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_broken_link_back_stops_the_folder_with_the_place_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("lists")).unwrap();
    let bad = R8.replacen("predecessors = [\"2-13\"]", "predecessors = [\"2-99\"]", 1);
    std::fs::write(dir.join("lists/mhlw-r8.toml"), &bad).unwrap();
    let line = bad.lines().position(|l| l.contains("2-99")).unwrap() + 1;
    let r = kensa_with_folder(dir, &["checklist", "list"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains(&format!("mhlw-r8.toml:{line}:")), "{}", r.stderr);
    assert!(r.stderr.contains("前の版の項目「2-99」は mhlw-r7 にありません"), "{}", r.stderr);
    // An unsourced `verified = true` is only a warning: the folder still loads.
    let unsourced = R8.replacen("source = \"架空の令和8年度版マニュアル p.1（試験用）\"\n", "", 1);
    std::fs::write(dir.join("lists/mhlw-r8.toml"), &unsourced).unwrap();
    kensa_with_folder(dir, &["checklist", "show", "mhlw-r8"]).ok();
    let r = kensa_in(dir, &["check", "lists/mhlw-r8.toml"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stdout.contains("unsourced-verified"), "{}", r.stdout);
}

/// 令和8年度版 is published (editions.toml) but not installed: `new` and `check` say so when the
/// inspection is after its publication, and the default stays the newest installed edition.
#[test]
fn a_published_edition_not_installed_is_named_by_new_and_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let notice = "令和8年度版（令和8年6月公表）が出ています。`kensa checklist import` で取り込めます";
    let r = kensa_in(dir, &["new", "c", "--facility", "架空病院", "--date", "2026-07-15"]).ok();
    assert!(r.stdout.contains("mhlw-r7・onsite"), "{}", r.all());
    assert!(r.stdout.contains(&format!("お知らせ: {notice}")), "{}", r.all());
    assert!(r.stdout.contains("001716187.xlsx、001716188.xlsx"), "{}", r.all());
    let text = std::fs::read_to_string(dir.join("c/case.toml")).unwrap();
    assert!(text.contains("dates = [2026-07-15]"), "{text}");
    let r = kensa_in(dir, &["check", "c"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stdout.contains(notice) && r.stdout.contains("edition-not-installed"), "{}", r.all());

    // Before its publication: nothing to say.
    let r = kensa_in(dir, &["new", "d", "--facility", "架空病院", "--date", "令和8年5月1日"]).ok();
    assert!(!r.stdout.contains("お知らせ"), "{}", r.all());
    let r = kensa_in(dir, &["check", "d"]);
    assert!(!r.stdout.contains("edition-not-installed"), "{}", r.all());

    // Installed (a made-up 令和8年度版 in the folder): nothing to say either.
    std::fs::create_dir_all(dir.join("lists")).unwrap();
    std::fs::write(dir.join("lists/mhlw-r8.toml"), R8).unwrap();
    let r = kensa_with_folder(dir, &["new", "e", "--facility", "架空病院", "--date", "2026-07-15"]).ok();
    assert!(r.stdout.contains("mhlw-r8・onsite") && !r.stdout.contains("お知らせ"), "{}", r.all());

    // The folder's editions.toml adds a later edition (and is not read as a checklist).
    std::fs::write(
        dir.join("lists/editions.toml"),
        "[[editions]]\nedition = \"令和9年度版\"\nfiscal_year = 2027\ntitle = \"架空\"\npublished = \"2027-06\"\n",
    )
    .unwrap();
    let r = kensa_with_folder(dir, &["new", "f", "--facility", "架空病院", "--date", "2027-07-01"]).ok();
    assert!(r.stdout.contains("お知らせ: 令和9年度版（令和9年6月公表）が出ています"), "{}", r.all());
}
