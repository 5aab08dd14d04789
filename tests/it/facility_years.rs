//! `kensa aggregate` on a prefecture's year-end tree, shaped as officers have it: two 年度 (令和6年度版
//! and 令和7年度版), every facility's returned self-check beside the blank case folder its form was
//! made from, some facilities also inspected (a case folder of its own, another case id, the same
//! 医療機関コード, typed as inspectors type it: full-width digits and hyphens, or 9 digits where a
//! spreadsheet dropped the leading 0), in 保健所 subfolders. What is expected is computed here from the answers the
//! test itself wrote, not by kensa: a facility counts once per 年度, its answer from its
//! self-check, its result from the inspection.

use crate::harness::cell_text as text;
use crate::harness::kensa_in;
use calamine::{Reader, Xlsx};
use kensa::case::Case;
use kensa::checklist::{AnswerKind, Registry, Respondent};
use kensa::workbook::{write::build_as_filled, Audience};
use std::path::Path;

const FACILITIES: usize = 12;
const OFFICES: [&str; 2] = ["東保健所", "西保健所"];

/// The two 年度 of the tree: (fiscal year, checklist id, edition as titles show it).
const YEARS: [(i32, &str, &str); 2] = [(2024, "mhlw-r6", "令和6年度版"), (2025, "mhlw-r7", "令和7年度版")];

/// Facilities of a prefecture 01–09 too, whose code a spreadsheet may write with 9 digits.
fn code(i: usize) -> String {
    if i % 4 == 3 {
        format!("01{:08}", i + 1)
    } else {
        format!("13{:08}", i + 1)
    }
}

fn inspected(i: usize, year: i32) -> bool {
    (i + year as usize) % 3 == 0
}

/// The facility's own answer to the k-th item: はい or いいえ.
fn says_yes(i: usize, k: usize, year: i32) -> bool {
    (i * 7 + k * 3 + year as usize) % 5 != 0
}

/// The inspector's result on the k-th item of an inspected facility.
fn verification(i: usize, k: usize) -> &'static str {
    match (i + k) % 4 {
        0 => "不適合",
        1 => "一部適合",
        _ => "適合",
    }
}

/// The facility's own items of a checklist that take はい／いいえ (the gate item apart).
fn own_items<'r>(reg: &'r Registry, id: &str) -> Vec<&'r kensa::checklist::Item> {
    reg.get(id)
        .unwrap()
        .items
        .iter()
        .filter(|i| i.answer == AnswerKind::Yesno && !i.gate && i.respondent != Respondent::Vendor)
        .collect()
}

/// A facility's table; `as_typed`: its code as an inspector may have typed it (full-width digits
/// with hyphens, or without the leading 0).
fn facility_toml(i: usize, as_typed: bool) -> String {
    let (kind, beds) = if i % 2 == 0 { ("病院", 120 + i * 10) } else { ("一般診療所", 0) };
    let code = match (as_typed, code(i)) {
        (true, c) if c.starts_with('0') => c[1..].to_string(),
        (true, c) => {
            let wide: String =
                c.chars().map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32).unwrap()).collect();
            format!("{}－{}", &wide[..6], &wide[6..])
        }
        (false, c) => c,
    };
    format!(
        "[facility]\nname = \"架空施設{i}\"\nkind = \"{kind}\"\ncode = \"{code}\"\nbeds = {beds}\n[facility.authority]\noffice = \"{}\"\n",
        OFFICES[i % 2]
    )
}

/// Writes the tree; with `blank_folders`, the case folders the self-check forms were made from.
fn tree(root: &Path, blank_folders: bool) {
    let reg = Registry::load(None).unwrap();
    for (year, id, _) in YEARS {
        let items = own_items(&reg, id);
        let gate = reg.get(id).unwrap().items.iter().find(|i| i.gate).map(|i| i.id.clone());
        for i in 0..FACILITIES {
            let office = OFFICES[i % 2];
            let case_id = format!("{id}-F{i}");
            let blank_text =
                format!("case_id = \"{case_id}\"\n{}[inspection]\nchecklists = [\"{id}\"]\n", facility_toml(i, false));
            let blank: Case = toml::from_str(&blank_text).unwrap();
            if blank_folders {
                let dir = root.join(office).join(year.to_string()).join("事案").join(format!("施設{i}"));
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("case.toml"), &blank_text).unwrap();
            }
            // The returned self-check: every own item answered, 確認日 in the 年度.
            let mut answers = String::new();
            if let Some(g) = &gate {
                answers.push_str(&format!("[[answers]]\nitem = \"{id}:{g}\"\nanswer = \"はい\"\n"));
            }
            for (k, item) in items.iter().enumerate() {
                let yes = says_yes(i, k, year);
                answers.push_str(&format!(
                    "[[answers]]\nitem = \"{id}:{}\"\nanswer = \"{}\"\nconfirmed_on = {year}-0{}-1{}\n",
                    item.id,
                    if yes { "はい" } else { "いいえ" },
                    5 + k % 4,
                    k % 10
                ));
            }
            let filled: Case = toml::from_str(&format!("{blank_text}{answers}")).unwrap();
            let bytes = build_as_filled(&blank, &filled, &reg, Audience::Facility).unwrap();
            let dir = root.join(office).join(year.to_string()).join("回収");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("{case_id}_自己点検.xlsx")), bytes).unwrap();
            // The inspection: a case of its own, the inspector's results only.
            if inspected(i, year) {
                let mut text = format!(
                    "case_id = \"{id}-立入-{i}\"\n{}[inspection]\nkind = \"定期の立入検査\"\ndates = [{year}-10-01]\nchecklists = [\"{id}\"]\n",
                    facility_toml(i, true)
                );
                for (k, item) in items.iter().enumerate() {
                    text.push_str(&format!(
                        "[[answers]]\nitem = \"{id}:{}\"\nverification = \"{}\"\n",
                        item.id,
                        verification(i, k)
                    ));
                }
                let dir = root.join(office).join(year.to_string()).join("立入検査").join(format!("施設{i}"));
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("case.toml"), text).unwrap();
            }
        }
    }
}

/// What a facility-year is, counted by hand: (適, 否) of item k in a year, and the answers the
/// inspector checked: (はい→適合, はい→否, いいえ→適合, いいえ→否).
fn expected(year: i32, k: usize) -> ((u64, u64), [u64; 4]) {
    let (mut met, mut not_met) = (0, 0);
    let mut trust = [0u64; 4];
    for i in 0..FACILITIES {
        let yes = says_yes(i, k, year);
        let ok = if inspected(i, year) {
            let v = verification(i, k) == "適合";
            trust[match (yes, v) {
                (true, true) => 0,
                (true, false) => 1,
                (false, true) => 2,
                (false, false) => 3,
            }] += 1;
            v
        } else {
            yes
        };
        if ok {
            met += 1;
        } else {
            not_met += 1;
        }
    }
    ((met, not_met), trust)
}

/// The rows of the table under `title` in a sheet (header first, to the first empty row).
fn table(xlsx: &Path, sheet: &str, title: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(xlsx).unwrap();
    let grid: Vec<Vec<String>> =
        wb.worksheet_range(sheet).unwrap().rows().map(|r| r.iter().map(text).collect()).collect();
    let start = grid.iter().position(|r| r[0] == title).unwrap_or_else(|| panic!("no table {title}"));
    grid[start + 1..]
        .iter()
        .take_while(|r| !r.iter().all(String::is_empty) && !r[0].starts_with("注:"))
        .cloned()
        .collect()
}

fn col(t: &[Vec<String>], r: &[String], name: &str) -> String {
    let i = t[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    r[i].clone()
}

/// The roster as Excel on Japanese Windows saves it: CP932, a title above the header, the headers
/// offices use, blank lines, codes of prefecture 01 without their leading 0, a 合計 row.
fn roster(dir: &Path) {
    let mut text = String::from("医療機関名簿\r\n\r\n医療機関番号,医療機関名称,区分,許可病床数,保健所名\r\n");
    for i in 0..FACILITIES {
        let (kind, beds) = if i % 2 == 0 { ("病院", 120 + i * 10) } else { ("一般診療所", 0) };
        let c = code(i);
        let c = c.strip_prefix('0').unwrap_or(&c);
        text.push_str(&format!("{c},架空施設{i},{kind},{beds},{}\r\n", OFFICES[i % 2]));
        if i == 4 {
            text.push_str("\r\n");
        }
    }
    text.push_str(&format!(
        "合計,,,{},\r\n",
        (0..FACILITIES).map(|i| if i % 2 == 0 { 120 + i * 10 } else { 0 }).sum::<usize>()
    ));
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    std::fs::write(dir.join("名簿.csv"), &bytes).unwrap();
}

fn check_counts(dir: &Path, out: &str, files: usize) {
    let reg = Registry::load(None).unwrap();
    let r = kensa_in(
        dir,
        &["aggregate", "集計対象", "--out", out, "--roster", "名簿.csv", "--as-of", "2026-03-31", "--quiet"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let inspections: usize = YEARS.iter().map(|(y, _, _)| (0..FACILITIES).filter(|i| inspected(*i, *y)).count()).sum();
    let files = files + inspections;
    assert!(
        r.stdout.contains(&format!(
            "ファイル {files} 件から、施設 {FACILITIES}（施設・年度 {}）を集計しました",
            2 * FACILITIES
        )),
        "{}",
        r.stdout
    );
    let xlsx = dir.join(out).join("summary.xlsx");
    for (year, id, edition) in YEARS {
        let t = table(&xlsx, "項目別", &format!("項目別の回答と確認結果（{edition}）"));
        let trust = table(&xlsx, "自己点検の確かさ", &format!("自己点検の回答と立入検査の確認結果（{edition}）"));
        for (k, item) in own_items(&reg, id).iter().enumerate() {
            let row = t.iter().find(|r| r.last() == Some(&format!("{id}:{}", item.id))).unwrap();
            let ((met, not_met), [ym, yn, nm, nn]) = expected(year, k);
            assert_eq!(
                [col(&t, row, "施設数"), col(&t, row, "適"), col(&t, row, "否"), col(&t, row, "未回答（判定）")],
                [FACILITIES.to_string(), met.to_string(), not_met.to_string(), "0".to_string()],
                "{edition} {}",
                item.number
            );
            let tr = trust.iter().find(|r| r[0] == row[0]).unwrap_or_else(|| panic!("{edition} {}", item.number));
            assert_eq!(
                [&tr[3], &tr[4], &tr[6], &tr[7]],
                [&ym.to_string(), &yn.to_string(), &nm.to_string(), &nn.to_string()],
                "{edition} {}",
                item.number
            );
        }
        // 実施率 and 回収率 of the 年度 alone.
        let y = if year == 2024 { "令和6年度" } else { "令和7年度" };
        let cover = table(&xlsx, "実施率", &format!("実施率（種別、{y}）"));
        let total = cover.iter().find(|r| r[0] == "計").unwrap();
        let n = (0..FACILITIES).filter(|i| inspected(*i, year)).count();
        assert_eq!(
            total[1..6],
            [
                FACILITIES.to_string(),
                n.to_string(),
                format!("{:.1}", 100.0 * n as f64 / FACILITIES as f64).trim_end_matches(".0").to_string(),
                FACILITIES.to_string(),
                "100".to_string()
            ]
        );
    }
    // Two 年度: the table counts facility-years, and says so; the opening sentence the facilities.
    let bands = table(&xlsx, "概要", "種別・病床規模別の施設数");
    assert_eq!(bands.iter().find(|r| r[0] == "計").unwrap()[1], (2 * FACILITIES).to_string());
    let md = std::fs::read_to_string(dir.join(out).join("summary.md")).unwrap();
    assert!(md.contains("年度ごとの延べ数"), "{md}");
    assert!(md.contains(&format!("{FACILITIES} 施設（施設・年度ごとに数えて {}）", 2 * FACILITIES)), "{md}");
}

#[test]
fn a_facility_counts_once_a_year_whatever_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    tree(&tmp.path().join("集計対象"), true);
    roster(tmp.path());
    check_counts(tmp.path(), "out", 4 * FACILITIES);
}

#[test]
fn blank_case_folders_hide_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    tree(&tmp.path().join("集計対象"), false);
    roster(tmp.path());
    check_counts(tmp.path(), "out", 2 * FACILITIES);
}

#[test]
fn a_self_check_has_the_year_it_was_checked_in() {
    let tmp = tempfile::tempdir().unwrap();
    tree(&tmp.path().join("集計対象"), true);
    let r = kensa_in(
        tmp.path(),
        &["aggregate", "集計対象", "--out", "r7", "--fiscal-year", "令和7", "--as-of", "2026-03-31", "--quiet"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains(&format!("施設 {FACILITIES}（施設・年度 {FACILITIES}）")), "{}", r.stdout);
    let md = std::fs::read_to_string(tmp.path().join("r7/summary.md")).unwrap();
    assert!(md.starts_with("# 令和7年度 "), "{md}");
    assert!(!md.contains("令和6年度版"), "only 令和7年度 counted");
}

/// `followup` over the same tree reads the returned workbooks as aggregate does: a self-check's
/// passed target dates are overdue, merged into its blank case folder or on their own; an .xlsx
/// that is not kensa's is named with why it was not read.
#[test]
fn followup_reads_the_returned_workbooks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("集計対象");
    let reg = Registry::load(None).unwrap();
    let blank_text =
        format!("case_id = \"R7-X\"\n{}[inspection]\nchecklists = [\"mhlw-r7\"]\n", facility_toml(0, false));
    let blank: Case = toml::from_str(&blank_text).unwrap();
    std::fs::create_dir_all(root.join("事案/X")).unwrap();
    std::fs::write(root.join("事案/X/case.toml"), &blank_text).unwrap();
    let answers = "[[answers]]\nitem = \"mhlw-r7:2-01\"\nanswer = \"いいえ\"\ntarget_on = 2025-12-31\n[[answers]]\nitem = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"\ntarget_on = 2026-06-30\n";
    let filled: Case = toml::from_str(&format!("{blank_text}{answers}")).unwrap();
    std::fs::create_dir_all(root.join("回収")).unwrap();
    let bytes = build_as_filled(&blank, &filled, &reg, Audience::Facility).unwrap();
    std::fs::write(root.join("回収/R7-X.xlsx"), &bytes).unwrap();
    // A self-check whose case folder is not in the tree.
    let other_text = blank_text.replace("R7-X", "R7-Y");
    let other: Case = toml::from_str(&other_text).unwrap();
    let filled: Case = toml::from_str(&format!("{other_text}{answers}")).unwrap();
    std::fs::write(root.join("回収/R7-Y.xlsx"), build_as_filled(&other, &filled, &reg, Audience::Facility).unwrap())
        .unwrap();
    let mut foreign = rust_xlsxwriter::Workbook::new();
    foreign.add_worksheet().write(0, 0, "メモ").unwrap();
    foreign.save(root.join("回収/メモ.xlsx")).unwrap();

    let r = kensa_in(tmp.path(), &["followup", "集計対象", "--as-of", "2026-03-31", "--format", "json"]);
    assert_eq!(r.code, 3, "overdue: {}", r.all());
    let rows: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    let overdue: Vec<&serde_json::Value> = rows.iter().filter(|r| r["overdue"] == true).collect();
    assert_eq!(overdue.len(), 2, "2-01 of X and of Y: {rows:?}");
    assert_eq!(rows.len(), 2, "2-06 due after the window: {rows:?}");
    assert!(r.stderr.contains("メモ.xlsx: kensa のワークブックではありません"), "{}", r.stderr);
    let r = kensa_in(tmp.path(), &["followup", "集計対象", "--as-of", "2026-03-31"]);
    assert!(
        r.stdout.contains("（事案 2 件、ワークブック 2 件（うち事案ファイルに合わせて読んだもの 1 件））"),
        "{}",
        r.stdout
    );
}
