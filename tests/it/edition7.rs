//! What guideline 第7.0版 and the 令和8年度版 checklist add to a record, through the real binary:
//! a 薬局 inspected under 医薬品医療機器等法第69条, a 保守委託機関 with its basis, and 責任分界 on
//! vendor items.

use crate::harness::kensa_in;

#[test]
fn a_pharmacy_entrusting_its_maintenance_is_recorded_checked_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let r =
        kensa_in(dir, &["new", "p", "--facility", "架空薬局", "--facility-kind", "薬局", "--date", "2026-05-10"]).ok();
    assert!(r.stdout.contains("（医薬品医療機器等法第69条）"), "{}", r.all());
    let path = dir.join("p/case.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("kind = \"薬局\"") && text.contains("legal_basis = [\"医薬品医療機器等法第69条\"]"),
        "{text}"
    );

    // 保守委託機関 without its basis, 責任分界 on an item that does not ask for it, and the
    // legal basis of a hospital: each a warning.
    let mut bad = text.replacen("kind = \"薬局\"\n", "kind = \"薬局\"\nmaintenance_entrusted = true\n", 1);
    bad = bad.replacen("legal_basis = [\"医薬品医療機器等法第69条\"]", "legal_basis = [\"医療法第25条第1項\"]", 1);
    bad = bad.replacen(
        "item = \"mhlw-r7:v1-01\"\n",
        "item = \"mhlw-r7:v1-01\"\nanswer = \"はい\"\nresponsibility = \"事業者\"\n",
        1,
    );
    std::fs::write(&path, &bad).unwrap();
    let r = kensa_in(dir, &["check", "p"]);
    assert_eq!(r.code, 3, "{}", r.all());
    for code in ["maintenance-basis", "legal-basis-kind", "responsibility-not-asked"] {
        assert!(r.stdout.contains(code), "{code}: {}", r.all());
    }
    assert!(r.stdout.contains("薬局の立入検査の根拠は医薬品医療機器等法第69条です"), "{}", r.all());

    let good = text.replacen(
        "kind = \"薬局\"\n",
        "kind = \"薬局\"\nmaintenance_entrusted = true\nmaintenance_basis = \"保守契約書 第5条\"\n",
        1,
    );
    std::fs::write(&path, &good).unwrap();
    let r = kensa_in(dir, &["check", "p"]);
    for code in ["maintenance-basis", "legal-basis-kind", "responsibility"] {
        assert!(!r.stdout.contains(code), "{code}: {}", r.all());
    }
    kensa_in(dir, &["report", "p"]).ok();
    let md = std::fs::read_to_string(dir.join("p/report/report.md")).unwrap();
    assert!(md.contains("架空薬局に対し、医薬品医療機器等法第69条に基づき実施した定期の立入検査において、サイバーセキュリティの確保"), "{md}");
    assert!(!md.contains("医療法施行規則第14条第2項"), "{md}");
    assert!(md.contains("| 保守委託機関 | はい |") && md.contains("| 保守委託機関の根拠 | 保守契約書 第5条 |"), "{md}");

    // The field workbook carries them (its round trip: tests/it/workbook.rs, whose cases fill
    // every field).
}

#[test]
fn the_responsibility_of_a_vendor_item_is_shown_in_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    kensa_in(dir, &["new", "c", "--facility", "架空病院", "--date", "2026-05-10"]).ok();
    let path = dir.join("c/case.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "item = \"mhlw-r7:v1-01\"\n",
        "item = \"mhlw-r7:v1-01\"\nanswer = \"いいえ\"\ntarget_on = 2027-03-31\nresponsibility = \"共同\"\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
    kensa_in(dir, &["report", "c"]).ok();
    let md = std::fs::read_to_string(dir.join("c/report/report.md")).unwrap();
    // Among the items answered いいえ.
    assert!(md.contains("事業者確認用 1-①［責任分界: 共同］"), "{md}");
}

#[test]
fn pharmacies_and_maintenance_entrusted_facilities_are_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let root = dir.join("対象");
    std::fs::create_dir(&root).unwrap();
    kensa_in(&root, &["new", "p", "--facility", "架空薬局", "--facility-kind", "薬局", "--date", "2026-05-10"]).ok();
    kensa_in(&root, &["new", "h", "--facility", "架空病院", "--date", "2026-05-11"]).ok();
    let path = root.join("p/case.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "kind = \"薬局\"\n",
        "kind = \"薬局\"\nmaintenance_entrusted = true\nmaintenance_basis = \"保守契約書 第5条\"\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
    kensa_in(dir, &["aggregate", "対象", "--out", "out", "--quiet", "--as-of", "2026-06-01"]).ok();
    let md = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(md.contains("| 薬局 | 1 |"), "{md}");
    assert!(md.contains("保守委託機関（セキュリティ更新をすべて契約により事業者に委託。ガイドライン第7.0版 保守委託機関編）: 1 施設"), "{md}");
}

#[test]
fn a_target_may_be_a_fiscal_year_or_the_next_system_renewal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    kensa_in(dir, &["new", "c", "--facility", "架空病院", "--date", "2026-05-10"]).ok();
    let path = dir.join("c/case.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen(
            "item = \"mhlw-r7:2-06\"\n",
            "item = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"\ntarget_on = \"令和8年度\"\n",
            1,
        )
        .replacen(
            "item = \"mhlw-r7:2-11\"\n",
            "item = \"mhlw-r7:2-11\"\nanswer = \"いいえ\"\ntarget_on = \"次期システム更改時\"\n",
            1,
        )
        .replacen(
            "item = \"mhlw-r7:2-13\"\n",
            "item = \"mhlw-r7:2-13\"\nanswer = \"いいえ\"\ntarget_on = 2026-09-30\n",
            1,
        );
    std::fs::write(&path, text).unwrap();
    let r = kensa_in(dir, &["check", "c"]);
    assert!(!r.stdout.contains("target") && !r.stdout.contains("[parse]"), "{}", r.all());
    kensa_in(dir, &["report", "c"]).ok();
    let md = std::fs::read_to_string(dir.join("c/report/report.md")).unwrap();
    for t in ["目標日：令和8年度", "目標日：次期システム更改時", "目標日：令和8年9月30日"]
    {
        assert!(md.contains(t), "{t}: {md}");
    }
    // followup: the 年度 falls due on its last day; the next renewal has no day.
    let r = kensa_in(dir, &["followup", "c", "--as-of", "2027-03-01", "--within", "60"]);
    assert_eq!(r.code, 3, "one overdue: {}", r.all());
    assert!(r.stdout.contains("令和9年3月31日  あと30日") && r.stdout.contains("2-⑥"), "{}", r.all());
    assert!(!r.stdout.contains("二要素"), "{}", r.all());
    // The field workbook reads the words back.
    kensa_in(dir, &["workbook", "c", "--out", "c.xlsx"]).ok();
    let r = kensa_in(dir, &["import", "c", "c.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let back = std::fs::read_to_string(&path).unwrap();
    assert!(
        back.contains("target_on = \"令和8年度\"") && back.contains("target_on = \"次期システム更改時\""),
        "{back}"
    );
}
