//! `kensa checklist import`: workbooks built here in the shapes the official 令和8年度版 files
//! are known to have (one sheet, title rows above the header, merged section rows, circled
//! numbers, a 責任分界 column on the vendor sheet) and hostile ones, imported through the real
//! binary. Every wording here is made up for the test or taken from the embedded 令和7年度版.

use crate::harness::{copy_dir, kensa_in, root, Run};
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use std::path::Path;

/// The text of an item of the embedded 令和7年度版.
fn r7(id: &str) -> String {
    let text = std::fs::read_to_string(root().join("checklists/mhlw-r7.toml")).unwrap();
    let t: toml::Table = text.parse().unwrap();
    t["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"].as_str() == Some(id))
        .and_then(|i| i["text"].as_str())
        .unwrap_or_else(|| panic!("mhlw-r7 {id}"))
        .to_string()
}

const TITLE: &str = "医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（令和8年度版・試験用の架空の様式）";
/// A new item, made up.
const NEW_ITEM: &str = "試験用の架空の項目です。端末の画面ロックを設定している。";
/// Close to 令和7年度版 2-⑧ but not close enough to be proposed.
const UNSURE_ITEM: &str = "職員のパスワードの使い回しを確認する手順を定めている。";
/// An item in a hidden row, made up.
const HIDDEN_ITEM: &str = "試験用の架空の項目（非表示の行）。";

/// The texts of the facility sheet by the number kensa gives them.
fn facility_items() -> Vec<(&'static str, String)> {
    vec![
        ("0", r7("0")),
        ("1-①", r7("1-01")),
        ("2-①", r7("2-01")),
        // Changed: the same wording with a line break and a full-width space inside the cell.
        ("2-②", r7("2-02").replacen('、', "、\n", 1).replacen("を", "を　", 1)),
        ("2-③", r7("2-06")),
        ("2-④", NEW_ITEM.to_string()),
        ("2-⑤", UNSURE_ITEM.to_string()),
        // In two rows under a number cell merged over both.
        ("2-⑥", format!("{}\n※試験用の注記", r7("2-13"))),
        ("2-⑦", HIDDEN_ITEM.to_string()),
        ("3-①", r7("3-01")),
    ]
}

/// The facility workbook: title rows, a header with a merged はい／いいえ over two heading rows,
/// merged section rows, circled numbers, a merged number cell, a hidden row and a note below.
fn facility_book(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("医療機関・薬局確認用").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 8, TITLE, &f).unwrap();
    ws.write_string(1, 0, "医療機関・薬局確認用").unwrap();
    // An instruction naming the other form does not make this sheet the vendor's.
    ws.write_string(2, 0, "試験用の注記: 事業者確認用は事業者に記入を依頼してください。").unwrap();
    ws.write_string(3, 0, "医療機関名").unwrap();
    // Header (row 6) in its own order, はい／いいえ over はい | いいえ (row 7).
    ws.write_string(5, 0, "番号").unwrap();
    ws.merge_range(5, 1, 5, 2, "確認項目", &f).unwrap();
    ws.write_string(5, 3, "対象").unwrap();
    ws.merge_range(5, 4, 5, 5, "はい／いいえ", &f).unwrap();
    ws.write_string(6, 4, "はい").unwrap();
    ws.write_string(6, 5, "いいえ").unwrap();
    ws.write_string(5, 6, "確認日").unwrap();
    ws.write_string(5, 7, "目標日\n（いいえの場合）").unwrap();
    ws.write_string(5, 8, "備考").unwrap();
    let items = facility_items();
    let text = |n: &str| items.iter().find(|(k, _)| *k == n).unwrap().1.clone();
    let item = |ws: &mut Worksheet, r: u32, num: &str, t: &str, scope: &str| {
        ws.write_string(r, 0, num).unwrap();
        ws.merge_range(r, 1, r, 2, t, &Format::new()).unwrap();
        if !scope.is_empty() {
            ws.write_string(r, 3, scope).unwrap();
        }
    };
    item(ws, 7, "0", &text("0"), "");
    ws.merge_range(8, 0, 8, 8, "1 体制構築", &f).unwrap();
    item(ws, 9, "①", &text("1-①"), "");
    // A blank row between sections.
    ws.merge_range(11, 0, 11, 8, "2 医療情報システムの管理・運用", &f).unwrap();
    item(ws, 12, "①", &text("2-①"), "医療情報システム全般");
    item(ws, 13, "②", &text("2-②"), "医療情報システム全般");
    item(ws, 14, "③", &text("2-③"), "サーバ、端末PC・ネットワーク機器");
    item(ws, 15, "④", &text("2-④"), "端末PC");
    item(ws, 16, "⑤", &text("2-⑤"), "");
    let six = text("2-⑥");
    let (first, second) = six.split_once('\n').unwrap();
    ws.merge_range(17, 0, 18, 0, "⑥", &f).unwrap();
    ws.merge_range(17, 1, 17, 2, first, &f).unwrap();
    ws.merge_range(18, 1, 18, 2, second, &f).unwrap();
    ws.write_string(17, 3, "ネットワーク機器").unwrap();
    item(ws, 19, "⑦", &text("2-⑦"), "");
    ws.set_row_hidden(19).unwrap();
    ws.merge_range(20, 0, 20, 8, "3 インシデント発生に備えた対応", &f).unwrap();
    item(ws, 21, "①", &text("3-①"), "");
    ws.write_string(24, 0, "※ 試験用の架空の注記です。").unwrap();
    wb.save(path).unwrap();
}

/// The vendor workbook: the 責任分界 column first, numbers with their section (1-①, 2-(1)).
fn vendor_book(path: &Path) -> Vec<(&'static str, String)> {
    let items =
        vec![("1-①", r7("v1-01")), ("2-(1)", r7("v2-01")), ("2-(2)", "試験用の架空の事業者の項目です。".to_string())];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("事業者確認用").unwrap();
    ws.write_string(0, 0, "医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（令和8年度版・試験用）")
        .unwrap();
    ws.write_string(1, 0, "事業者確認用").unwrap();
    for (c, h) in ["責任分界", "No.", "チェック項目", "はい・いいえ", "確認日", "目標日", "備考"].iter().enumerate()
    {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    ws.write_string(4, 0, "１．体制構築").unwrap();
    let mut r = 5;
    for (n, t) in &items {
        if *n == "2-(1)" {
            // A heading written as a number and a title in the item columns.
            ws.write_string(r, 1, "2").unwrap();
            ws.write_string(r, 2, "医療情報システムの管理・運用").unwrap();
            r += 1;
        }
        ws.write_string(r, 1, *n).unwrap();
        ws.write_string(r, 2, t).unwrap();
        r += 1;
    }
    wb.save(path).unwrap();
    items
}

fn import(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["checklist", "import"];
    all.extend_from_slice(args);
    kensa_in(dir, &all)
}

/// The items of a checklist as `kensa checklist show --format json` prints them.
fn shown(dir: &Path, folder: &str, id: &str) -> Vec<serde_json::Value> {
    let r = kensa_in(dir, &["--checklists", folder, "checklist", "show", id, "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["items"].as_array().unwrap().clone()
}

#[test]
fn the_official_shapes_are_imported_word_for_word_with_predecessors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    facility_book(&dir.join("001716187.xlsx"));
    let vendor = vendor_book(&dir.join("001716188.xlsx"));
    // The folder of --out is made when missing.
    let r = import(
        dir,
        &[
            "001716187.xlsx",
            "001716188.xlsx",
            "--id",
            "mhlw-r8",
            "--predecessor",
            "mhlw-r7",
            "--out",
            "lists/mhlw-r8.toml",
        ],
    )
    .ok();
    let out = &r.stdout;
    assert!(out.contains("lists/mhlw-r8.toml を書き出しました（mhlw-r8、令和8年度版、項目 13 件"), "{out}");
    assert!(out.contains("番号 A列") && out.contains("確認項目（チェック項目） B列"), "{out}");
    // The comparison with 令和7年度版 (columns aligned; compared with single spaces).
    let table: Vec<String> = out.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    for line in [
        "同文 0 0 1.00",
        "同文 2-① 2-① 1.00",
        "変更 2-② 2-② 1.00",
        "同文 2-③ 2-⑥ 1.00",
        "新規 2-④ － －",
        "要確認 2-⑤ （2-⑧） 0.54",
        "変更 2-⑥ 2-⑬ 0.67",
        "新規 2-⑦ － －",
        "廃止 － 2-⑧ －",
        "同文 事業者確認用 1-① 事業者確認用 1-① 1.00",
        "同文 事業者確認用 2-(1) 事業者確認用 2-① 1.00",
        "新規 事業者確認用 2-(2) － －",
        "廃止 － 事業者確認用 2-⑨ －",
        "同文 7 件、変更 2 件、新規 3 件、要確認 1 件、廃止 20 件",
    ] {
        assert!(table.iter().any(|l| l == line), "{line} in\n{out}");
    }
    assert!(out.contains("人が確かめること:"), "{out}");
    assert!(out.contains("2-⑤: 前の版に十分に近い項目がありません（最も近いのは 2-⑧、一致度 0.54）"), "{out}");
    assert!(out.contains("2-⑦ 医療機関・薬局確認用!B20: 非表示の行にある項目です"), "{out}");
    assert!(
        out.contains(
            "001716187.xlsx 医療機関・薬局確認用!A25: 項目として読まなかった行です（「※ 試験用の架空の注記です。」）"
        ),
        "{out}"
    );

    // Round trip: the text as kensa shows it is the text of the cell, byte for byte.
    let items = shown(dir, "lists", "mhlw-r8");
    let by_number = |n: &str| {
        items
            .iter()
            .find(|i| i["number"] == n && i["respondent"] == "医療機関")
            .unwrap_or_else(|| panic!("{n} in {items:?}"))
    };
    let by_id = |n: &str| items.iter().find(|i| i["id"] == n).unwrap_or_else(|| panic!("{n} in {items:?}"));
    for (n, text) in facility_items() {
        let i = by_number(n);
        assert_eq!(i["text"].as_str().unwrap(), text, "{n}");
        assert_eq!(i["verified"], false);
        assert_eq!(i["respondent"], "医療機関");
    }
    for ((n, text), id) in vendor.iter().zip(["v1-01", "v2-01", "v2-02"]) {
        let i = by_id(id);
        assert_eq!(i["number"].as_str(), Some(*n));
        assert_eq!(i["text"].as_str().unwrap(), text, "{n}");
        assert_eq!(i["respondent"], "事業者");
        assert_eq!(i["responsibility"], true, "{n}");
    }
    let i = by_number("0");
    assert_eq!((i["id"].as_str(), i["gate"].as_bool(), i["section"].as_str()), (Some("0"), Some(true), Some("f0")));
    let i = by_number("2-③");
    assert_eq!(i["id"], "2-03");
    assert_eq!(i["section"], "f2");
    assert_eq!(i["source"], "001716187.xlsx 医療機関・薬局確認用!B15");
    assert_eq!(i["scope"], serde_json::json!(["サーバ", "端末PC", "ネットワーク機器"]));
    assert_eq!(i["predecessors"], serde_json::json!(["2-06"]));
    assert_eq!(by_number("2-⑤")["predecessors"], serde_json::json!([]));
    assert!(by_number("2-⑦")["note"].as_str().unwrap().contains("非表示の行"));
    assert_eq!(by_id("v2-01")["predecessors"], serde_json::json!(["v2-01"]));
    assert_eq!(by_id("v2-01")["section"], "v2");

    let text = std::fs::read_to_string(dir.join("lists/mhlw-r8.toml")).unwrap();
    assert!(text.contains("title = \"医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（令和8年度版・試験用の架空の様式）\""), "{text}");
    assert!(text.contains("guideline = \"第7.0版\""), "{text}");
    assert!(text.contains("title = \"1 体制構築\""), "{text}");
    assert!(text.contains("title = \"１．体制構築\""), "{text}");
    assert!(text.contains("title = \"2 医療情報システムの管理・運用\""), "{text}");
    assert!(text.contains("sheet = \"事業者確認用\""), "{text}");
    let r = kensa_in(dir, &["--checklists", "lists", "checklist", "show", "mhlw-r8"]).ok();
    assert!(r.stdout.contains("引用するガイドライン: 第7.0版") && r.stdout.contains("責任分界を回答"), "{}", r.stdout);
    assert!(r.stdout.contains("※文言要確認"), "{}", r.stdout);
    // The file checks clean, and with it in the folder 令和8年度版 is the default of `new`.
    let r = kensa_in(dir, &["check", "lists/mhlw-r8.toml"]).ok();
    assert!(r.stdout.contains("問題は見つかりませんでした"), "{}", r.all());
    let r = kensa_in(dir, &["--checklists", "lists", "new", "c", "--facility", "架空薬局"]).ok();
    assert!(r.stdout.contains("mhlw-r8・onsite"), "{}", r.all());
    // Not written again over itself.
    let again = import(dir, &["001716187.xlsx", "--id", "mhlw-r8", "--out", "lists/mhlw-r8.toml"]);
    assert_eq!(again.code, 1, "{}", again.all());
    assert!(again.stderr.contains("--force"), "{}", again.all());
}

/// Runs an import expected to fail and checks that nothing was written.
fn refused(dir: &Path, book: &str, extra: &[&str]) -> Run {
    let mut args = vec![book, "--id", "mhlw-r8", "--out", "out.toml"];
    args.extend_from_slice(extra);
    let r = import(dir, &args);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains(book), "names the file: {}", r.all());
    assert!(!dir.join("out.toml").exists(), "nothing written: {}", r.all());
    r
}

#[test]
fn hostile_workbooks_are_refused_with_what_was_not_found() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // No header.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, TITLE).unwrap();
    ws.write_string(2, 0, "①").unwrap();
    ws.write_string(2, 1, "試験用の項目。").unwrap();
    wb.save(dir.join("noheader.xlsx")).unwrap();
    let r = refused(dir, "noheader.xlsx", &[]);
    assert!(
        r.stderr.contains("見出し行が見つかりません") && r.stderr.contains("「番号」と「確認項目」"),
        "{}",
        r.all()
    );

    // Two tables on one sheet.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, TITLE).unwrap();
    for top in [2, 8] {
        ws.write_string(top, 0, "番号").unwrap();
        ws.write_string(top, 1, "確認項目").unwrap();
        ws.write_string(top + 1, 0, "1-①").unwrap();
        ws.write_string(top + 1, 1, "試験用の項目。").unwrap();
    }
    wb.save(dir.join("two.xlsx")).unwrap();
    let r = refused(dir, "two.xlsx", &[]);
    assert!(r.stderr.contains("見出し行が2つあります（3行目と9行目）"), "{}", r.all());

    // A header with no items under it.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, TITLE).unwrap();
    ws.write_string(2, 0, "番号").unwrap();
    ws.write_string(2, 1, "確認項目").unwrap();
    wb.save(dir.join("empty.xlsx")).unwrap();
    let r = refused(dir, "empty.xlsx", &[]);
    assert!(r.stderr.contains("見出し行（3行目）の下に項目がありません"), "{}", r.all());

    // No edition in the title and none given.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "番号").unwrap();
    ws.write_string(0, 1, "確認項目").unwrap();
    ws.write_string(1, 0, "1-①").unwrap();
    ws.write_string(1, 1, "試験用の項目。").unwrap();
    wb.save(dir.join("noedition.xlsx")).unwrap();
    let r = import(dir, &["noedition.xlsx", "--id", "mhlw-r8", "--out", "out.toml"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("--edition"), "{}", r.all());
    assert!(!dir.join("out.toml").exists());
    import(dir, &["noedition.xlsx", "--id", "mhlw-r8", "--out", "out.toml", "--edition", "令和8年度版"]).ok();
    std::fs::remove_file(dir.join("out.toml")).unwrap();

    // Two sheets each with a table: the sheet must be named.
    let mut wb = Workbook::new();
    for name in ["A", "B"] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(0, 0, TITLE).unwrap();
        ws.write_string(1, 0, "番号").unwrap();
        ws.write_string(1, 1, "確認項目").unwrap();
        ws.write_string(2, 0, "1-①").unwrap();
        ws.write_string(2, 1, format!("試験用の項目（{name}）。")).unwrap();
    }
    wb.save(dir.join("sheets.xlsx")).unwrap();
    let r = refused(dir, "sheets.xlsx", &[]);
    assert!(r.stderr.contains("複数あります（A、B）") && r.stderr.contains("--sheet"), "{}", r.all());
    import(dir, &["sheets.xlsx", "--id", "mhlw-r8", "--out", "out.toml", "--sheet", "B"]).ok();
    let text = std::fs::read_to_string(dir.join("out.toml")).unwrap();
    assert!(text.contains("試験用の項目（B）。") && !text.contains("試験用の項目（A）。"), "{text}");
    std::fs::remove_file(dir.join("out.toml")).unwrap();
}

/// Writes a workbook with formula cells, then takes the calculated value out of the cells whose
/// formula is `uncalculated` (as a program that does not calculate saves them).
fn formula_book(path: &Path, uncalculated: bool) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("S").unwrap();
    ws.write_string(0, 0, TITLE).unwrap();
    ws.write_string(1, 0, "番号").unwrap();
    ws.write_string(1, 1, "確認項目").unwrap();
    ws.write_string(2, 0, "1-①").unwrap();
    ws.write_formula(2, 1, Formula::new(r#"="試験用の"&"数式の項目。""#).set_result("試験用の数式の項目。")).unwrap();
    wb.save(path).unwrap();
    if uncalculated {
        use std::io::{Read, Write};
        let bytes = std::fs::read(path).unwrap();
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut zout = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = String::new();
            f.read_to_string(&mut data).unwrap();
            if name.contains("worksheets/") {
                let t = data.find("<f>").unwrap();
                let v = data[t..].find("<v>").unwrap() + t;
                let end = data[v..].find("</v>").unwrap() + v + "</v>".len();
                data.replace_range(v..end, "");
                data = data.replace(r#" t="str""#, "");
            }
            zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            zout.write_all(data.as_bytes()).unwrap();
        }
        zout.finish().unwrap();
    }
}

#[test]
fn formulas_give_their_saved_value_or_a_clear_refusal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    formula_book(&dir.join("calc.xlsx"), false);
    import(dir, &["calc.xlsx", "--id", "mhlw-r8", "--out", "out.toml"]).ok();
    let text = std::fs::read_to_string(dir.join("out.toml")).unwrap();
    assert!(text.contains("text = \"試験用の数式の項目。\""), "{text}");

    std::fs::remove_file(dir.join("out.toml")).unwrap();
    formula_book(&dir.join("nocalc.xlsx"), true);
    let r = refused(dir, "nocalc.xlsx", &[]);
    assert!(r.stderr.contains("S!B3: 数式") && r.stderr.contains("計算結果が保存されていません"), "{}", r.all());
}

#[test]
fn a_field_workbook_is_not_a_checklist() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(&root().join("samples/routine-hospital"), &dir.join("case"));
    kensa_in(dir, &["workbook", "case", "--out", "field.xlsx"]).ok();
    let r = refused(dir, "field.xlsx", &[]);
    assert!(
        r.stderr.contains("現地用ワークブック") && r.stderr.contains("チェックリストではありません"),
        "{}",
        r.all()
    );
}
