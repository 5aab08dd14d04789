//! Integration tests of `kensa aggregate` on a tree of cases and workbooks with known answers:
//! every count of summary.xlsx, summary.md and the long files checked against what the cases
//! say, 適合率 and 遵守率 apart, the roster's coverage, edition mapping, overdue marking at a
//! date, files that are not counted, `--strict`, a symbolic-link loop, the 公表用 edition, and
//! DuckDB reading the long files.

use crate::harness::cell_text as text;
use crate::harness::{kensa_in, Run};
use calamine::{Data, Reader, Xlsx};
use kensa::case::Case;
use kensa::checklist::Registry;
use kensa::workbook::{write::build_as_filled, Audience};
use std::path::{Path, PathBuf};

const AS_OF: &str = "2025-11-01";

/// Facility A: a hospital of 150 beds inspected in 令和7年度 with the 令和7年度版. 1-01 met;
/// 2-01 answered はい but verified 不適合; 2-02 いいえ with a target passed at AS_OF; 2-03
/// 一部適合; 2-04 該当なし; 2-06 はい; the rest blank. A 文書指導 on 2-02 whose reply is overdue.
const A: &str = r#"
case_id = "R7-A"
[facility]
name = "架空中央病院"
kind = "病院"
code = "1300000001"
founder = "医療法人"
address = "架空県架空市1-1"
beds = 150
[facility.authority]
office = "東保健所"
[inspection]
kind = "定期の立入検査"
dates = [2025-06-10]
checklists = ["mhlw-r7"]
[[inspection.inspectors]]
name = "監視 太郎"
[[answers]]
item = "mhlw-r7:0"
answer = "はい"
[[answers]]
item = "mhlw-r7:1-01"
answer = "はい"
verification = "適合"
[[answers]]
item = "mhlw-r7:2-01"
answer = "はい"
verification = "不適合"
note = "秘密のメモ"
[[answers]]
item = "mhlw-r7:2-02"
answer = "いいえ"
target_on = 2025-09-30
[[answers]]
item = "mhlw-r7:2-03"
answer = "はい"
verification = "一部適合"
[[answers]]
item = "mhlw-r7:2-04"
answer = "はい"
verification = "該当なし"
[[answers]]
item = "mhlw-r7:2-06"
answer = "はい"
[[guidance]]
kind = "文書指導"
text = "架空の指導文"
items = ["mhlw-r7:2-02"]
given_on = 2025-06-10
reply_due = 2025-10-01
plan_requested = true
"#;

/// Facility B: a clinic without beds and without any information system (gate いいえ).
const B: &str = r#"
case_id = "R7-B"
[facility]
name = "架空西診療所"
kind = "一般診療所"
code = "1300000002"
founder = "個人"
beds = 0
[facility.authority]
office = "西保健所"
[inspection]
kind = "定期の立入検査"
dates = [2025-07-01]
checklists = ["mhlw-r7"]
[[answers]]
item = "mhlw-r7:0"
answer = "いいえ"
[[answers]]
item = "mhlw-r7:1-01"
answer = "はい"
"#;

/// Facility C: a hospital of 450 beds inspected in 令和6年度 with the 令和6年度版: 1-01 met,
/// 2-07 (令和7年度版 2-06) いいえ. A 口頭指導.
const C: &str = r#"
case_id = "R6-C"
[facility]
name = "架空東病院"
kind = "病院"
code = "1300000003"
founder = "自治体"
beds = 450
[facility.authority]
office = "東保健所"
[inspection]
kind = "定期の立入検査"
dates = [2024-07-01]
checklists = ["mhlw-r6"]
[[answers]]
item = "mhlw-r6:0"
answer = "はい"
[[answers]]
item = "mhlw-r6:1-01"
answer = "はい"
[[answers]]
item = "mhlw-r6:2-07"
answer = "いいえ"
target_on = 2025-03-31
[[guidance]]
kind = "口頭指導"
text = "架空の口頭指導"
items = ["mhlw-r6:2-07"]
"#;

/// Facility D, known only from its returned self-check: a clinic with 5 beds. 1-01 はい; 2-01
/// いいえ (target 令和8年3月31日); 2-06 いいえ (target passed at AS_OF).
const D: &str = r#"
case_id = "R7-D"
[facility]
name = "架空南診療所"
kind = "一般診療所"
code = "1300000004"
founder = "医療法人"
beds = 5
[facility.authority]
office = "西保健所"
[inspection]
kind = "定期の立入検査"
dates = [2025-05-20]
checklists = ["mhlw-r7"]
[[answers]]
item = "mhlw-r7:0"
answer = "はい"
[[answers]]
item = "mhlw-r7:1-01"
answer = "はい"
[[answers]]
item = "mhlw-r7:2-01"
answer = "いいえ"
target_on = 2026-03-31
[[answers]]
item = "mhlw-r7:2-06"
answer = "いいえ"
target_on = 2025-10-15
"#;

const ROSTER: &str = "\u{feff}医療機関コード,施設名,種別,病床数,保健所\r\n1300000001,架空中央病院,病院,150,東保健所\r\n1300000002,架空西診療所,一般診療所,0,西保健所\r\n1300000003,架空東病院,病院,450,東保健所\r\n1300000004,架空南診療所,一般診療所,5,西保健所\r\n1300000005,架空北病院,病院,80,東保健所\r\n";

fn case(text: &str) -> Case {
    toml::from_str(text).unwrap()
}

/// The tree: case folders A, B, C (A with its field workbook beside it), D's returned
/// self-check, an .xlsx of another program, and a symbolic link back up (a loop).
fn tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("集計対象");
    for (name, text) in [("A", A), ("B", B), ("C", C)] {
        let dir = root.join("cases").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("case.toml"), text).unwrap();
    }
    let r = kensa_in(&root, &["workbook", "cases/A"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let reg = Registry::load(None).unwrap();
    let filled = case(D);
    let exported = Case { answers: Vec::new(), ..filled.clone() };
    let bytes = build_as_filled(&exported, &filled, &reg, Audience::Facility).unwrap();
    std::fs::create_dir_all(root.join("returned")).unwrap();
    std::fs::write(root.join("returned/R7-D-selfcheck.xlsx"), bytes).unwrap();
    let mut other = rust_xlsxwriter::Workbook::new();
    other.add_worksheet().write(0, 0, "別のソフトの表").unwrap();
    other.save(root.join("returned/名簿メモ.xlsx")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", root.join("cases/loop")).unwrap();
    std::fs::write(tmp.path().join("roster.csv"), ROSTER).unwrap();
    tmp
}

/// Runs kensa in `dir` with these environment variables set.
fn kensa_in_env(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Run {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kensa"));
    cmd.args(args).current_dir(dir).env_remove("KENSA_CHECKLISTS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("kensa runs");
    Run {
        status: out.status,
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn aggregate(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["aggregate", "集計対象", "--as-of", AS_OF, "--quiet"];
    all.extend_from_slice(args);
    kensa_in(dir, &all)
}

type Grid = Vec<Vec<Data>>;

fn sheet(path: &Path, name: &str) -> Grid {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    range.rows().map(|r| r.to_vec()).collect()
}

/// The rows under a table's title in a sheet (to the first empty row), as text, with the header.
fn table(grid: &Grid, title: &str) -> Vec<Vec<String>> {
    let start = grid.iter().position(|r| r.first().map(text).as_deref() == Some(title)).unwrap_or_else(|| {
        panic!("no table {title}: {:?}", grid.iter().map(|r| r.first().map(text)).collect::<Vec<_>>())
    });
    grid[start + 1..]
        .iter()
        .take_while(|r| !r.iter().all(|c| matches!(c, Data::Empty)) && !text(&r[0]).starts_with("注:"))
        .map(|r| r.iter().map(text).collect())
        .collect()
}

fn row<'a>(t: &'a [Vec<String>], first: &str) -> &'a Vec<String> {
    t.iter().find(|r| r[0] == first).unwrap_or_else(|| panic!("no row {first}: {t:?}"))
}

/// Picks columns of a row by header.
fn cols(t: &[Vec<String>], r: &[String], names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| {
            let i = t[0].iter().position(|h| h == n).unwrap_or_else(|| panic!("no column {n}: {:?}", t[0]));
            r[i].clone()
        })
        .collect()
}

const MHLW: [&str; 6] = ["施設数", "適", "否", "非対象", "未回答（判定）", "適合率"];

#[test]
fn every_count_agrees_with_the_cases() {
    let tmp = tree();
    let r = aggregate(tmp.path(), &["--out", "out", "--roster", "roster.csv"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("ファイル 5 件から、施設 4（施設・年度 4）を集計しました"), "{}", r.stdout);
    assert!(r.stdout.contains("事案フォルダ等と同じ事案IDのワークブック: 1 件"), "{}", r.stdout);
    assert!(r.stdout.contains("kensa のワークブックではない .xlsx: 1 件"), "{}", r.stdout);
    let out = tmp.path().join("out");
    let xlsx = out.join("summary.xlsx");

    let overview = sheet(&xlsx, "概要");
    let read = table(&overview, "読み込んだファイル");
    assert_eq!(row(&read, "事案ファイル")[1], "3");
    assert_eq!(row(&read, "自己点検票")[1], "1");
    assert_eq!(row(&read, "現地用ワークブック")[1], "1");
    assert_eq!(row(&read, "事案フォルダ等と同じ事案IDで、合わせて一つの施設として数えたワークブック")[1], "1");
    assert_eq!(row(&read, "kensa のワークブックではない .xlsx")[1], "1");
    assert_eq!(row(&read, "読めなかったファイル")[1], "0");
    // The link is made on Unix only (Windows needs a privilege for it).
    assert_eq!(row(&read, "シンボリックリンク（辿りません）")[1], if cfg!(unix) { "1" } else { "0" });
    // Two 年度 read: facility-years, said so under the table.
    let bands = table(&overview, "種別・病床規模別の施設数");
    assert_eq!(row(&bands, "病院 100〜199床")[1], "1");
    assert_eq!(row(&bands, "病院 400〜499床")[1], "1");
    assert_eq!(row(&bands, "診療所（有床）")[1], "1");
    assert_eq!(row(&bands, "診療所（無床）")[1], "1");
    assert_eq!(row(&bands, "計")[1], "4");
    assert!(overview.iter().any(|r| text(&r[0]).contains("年度ごとの延べ数")), "{overview:?}");

    // 適合率 per item (令和7年度版: A, B, D; B's items 非対象 through the gate).
    let items = sheet(&xlsx, "項目別");
    // Two 年度 read: the tables that give rates are made per 年度.
    let gate = table(&items, "医療情報システムの有無（各チェックリストの 0 の項目、令和7年度）");
    assert_eq!(row(&gate, "令和7年度版")[1..5], ["2", "1", "0", "3"]);
    let gate = table(&items, "医療情報システムの有無（各チェックリストの 0 の項目、令和6年度）");
    assert_eq!(row(&gate, "令和6年度版")[1..5], ["1", "0", "0", "1"]);
    let r7 = table(&items, "項目別の回答と確認結果（令和7年度版）");
    assert_eq!(cols(&r7, row(&r7, "1-①"), &MHLW), ["3", "2", "0", "1", "0", "100"]);
    assert_eq!(cols(&r7, row(&r7, "2-①"), &MHLW), ["3", "0", "2", "1", "0", "0"]);
    assert_eq!(cols(&r7, row(&r7, "2-①"), &["はい", "いいえ", "未回答", "はいのうち不適合"]), ["1", "1", "0", "1"]);
    assert_eq!(cols(&r7, row(&r7, "2-②"), &MHLW), ["3", "0", "1", "1", "1", "0"]);
    assert_eq!(cols(&r7, row(&r7, "2-②"), &["指導した施設"]), ["1"]);
    assert_eq!(cols(&r7, row(&r7, "2-③"), &MHLW[..5]), ["3", "0", "1", "1", "1"]);
    assert_eq!(cols(&r7, row(&r7, "2-③"), &["一部適合", "不適合", "該当なし", "未確認"]), ["1", "0", "1", "1"]);
    assert_eq!(cols(&r7, row(&r7, "2-④"), &MHLW[..5]), ["3", "0", "0", "2", "1"]);
    assert_eq!(cols(&r7, row(&r7, "2-⑥"), &MHLW), ["3", "1", "1", "1", "0", "50"]);
    let r6 = table(&items, "項目別の回答と確認結果（令和6年度版）");
    assert_eq!(cols(&r6, row(&r6, "2-(7)"), &MHLW), ["1", "0", "1", "0", "0", "0"]);

    // 遵守率, pooled: 令和7年度版 met A 2 + D 1, not met A 3 + D 2 → 3 ÷ 8.
    let groups = sheet(&xlsx, "区分別");
    let all = table(&groups, "遵守率（令和7年度版）");
    assert_eq!(row(&all, "全体").last().unwrap(), "37.5");
    let kinds = table(&groups, "種別別の遵守率（令和7年度版）");
    assert_eq!(row(&kinds, "病院").last().unwrap(), "40", "A: 2 ÷ 5");
    assert_eq!(row(&kinds, "一般診療所")[1], "2");
    assert_eq!(row(&kinds, "一般診療所").last().unwrap(), "33.3", "D: 1 ÷ 3, B has none");
    let offices = table(&groups, "保健所別の遵守率（令和7年度版）");
    assert_eq!(row(&offices, "東保健所")[1], "1");

    // 実施率 from the roster: A, B, C inspected, D's self-check returned, E neither.
    // Per 年度: 令和7年度 A and B inspected, D's self-check returned; 令和6年度 C inspected.
    let cover = table(&sheet(&xlsx, "実施率"), "実施率（種別、令和7年度）");
    assert_eq!(row(&cover, "計")[1..6], ["5", "2", "40", "1", "20"]);
    assert_eq!(row(&cover, "病院")[1..4], ["3", "1", "33.3"]);
    let cover = table(&sheet(&xlsx, "実施率"), "実施率（種別、令和6年度）");
    assert_eq!(row(&cover, "計")[1..6], ["5", "1", "20", "0", "0"]);
    let missing = table(&sheet(&xlsx, "未実施"), "立入検査・自己点検票のない施設（名簿による、令和7年度）");
    assert_eq!(missing.len(), 1 + 5, "every facility lacks one of the two: {missing:?}");
    assert_eq!(row(&missing, "1300000005")[5..7], ["未実施", "未回収"]);

    // Two 年度: the trend maps 令和6年度版 2-(7) to 令和7年度版 2-⑥.
    let trend = table(&sheet(&xlsx, "推移"), "適合率の推移（各年度の項目を最新の版の項目に対応づけて集計）");
    let t26 = row(&trend, "令和7年度版 2-⑥");
    assert_eq!(t26[2..5], ["0", "50", "+50.0"], "{trend:?}");

    // Guidance, overdue records.
    let g = table(&sheet(&xlsx, "指導"), "最も重い指導の別による施設数");
    assert_eq!([&row(&g, "文書指導")[1], &row(&g, "口頭指導")[1], &row(&g, "指導なし")[1]], ["1", "1", "2"]);
    let plans = table(&sheet(&xlsx, "指導"), "改善計画書（報告）の提出状況");
    assert_eq!(row(&plans, "未提出（期限超過）")[1], "1");
    let due = table(&sheet(&xlsx, "期限"), "期限のある未了の事項");
    assert_eq!(
        row(&due, "チェックリスト項目の目標日")[1..4],
        ["4", "3", "3"],
        "A 2-02, C 2-07, D 2-06 overdue; D 2-01 not"
    );
    assert_eq!(row(&due, "指導への回答")[1..4], ["1", "1", "1"]);
    let open = sheet(&xlsx, "期限一覧");
    assert_eq!(open.len(), 1 + 5);
    assert!(open.iter().any(|r| text(&r[4]) == "R7-D" && text(&r[1]) == "17日超過"), "{open:?}");
    // The cells take their column's format: the due dates are date cells (not bare numbers),
    // the overdue marks red and bold.
    assert!(open[1..].iter().all(|r| matches!(r[0], Data::DateTime(_))), "{open:?}");
    let styles = calamine::open_workbook::<Xlsx<_>, _>(&xlsx).unwrap().worksheet_style("期限一覧").unwrap();
    let marks: Vec<usize> = (1..open.len()).filter(|&r| text(&open[r][1]).ends_with("日超過")).collect();
    assert!(!marks.is_empty(), "{open:?}");
    for r in marks {
        let font = styles.get((r as u32, 1)).and_then(|s| s.font.clone()).expect("the overdue mark has a font");
        assert!(font.is_bold(), "row {r}");
        assert_eq!(font.color.map(|c| (c.red, c.green, c.blue)), Some((0xC0, 0, 0)), "row {r}");
    }

    // The matrix: one row per facility, coloured results.
    let matrix = sheet(&xlsx, "一覧");
    assert_eq!(matrix.len(), 1 + 4);
    let head: Vec<String> = matrix[0].iter().map(text).collect();
    let col = head.iter().position(|h| h == "令和7年度版\n2-③").unwrap();
    let a = matrix.iter().find(|r| text(&r[0]) == "R7-A").unwrap();
    assert_eq!(text(&a[col]), "一部適合");
    // Coloured by one conditional format per result over the item columns (no format per cell),
    // and the charts print one page wide.
    let names = Xlsx::new(std::io::Cursor::new(std::fs::read(&xlsx).unwrap())).unwrap().sheet_names();
    let sheet_xml = |name: &str| {
        let n = names.iter().position(|s| s == name).unwrap() + 1;
        part(&xlsx, &format!("xl/worksheets/sheet{n}.xml"))
    };
    let colours = sheet_xml("一覧");
    for result in ["適", "一部適合", "否", "非対象"] {
        assert!(colours.contains(&format!("operator=\"equal\"><formula>\"{result}\"</formula>")), "{result}");
    }
    assert!(sheet_xml("グラフ").contains("fitToPage=\"1\""), "the chart sheet is fitted to the page width");

    // The Markdown says the same.
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("| 2-⑥ | "), "{md}");
    assert!(md.contains("令和7年度版の遵守率は 37.5% です"), "{md}");
    let line = md.lines().find(|l| l.starts_with("| 2-⑥ |")).unwrap();
    let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
    assert_eq!(cells[2..9], ["2", "1", "1", "1", "－", "50.0*", "－"], "{line}");
    assert!(md.contains("| 計 | 5 | 2 | 40.0* | 1 | 20.0* |"), "令和7年度: {md}");
    assert!(md.contains("| 計 | 5 | 1 | 20.0* | － | 0.0* |"), "令和6年度: {md}");
    let html = std::fs::read_to_string(out.join("summary.html")).unwrap();
    assert!(
        html.contains("<svg") && !html.contains("<script") && !html.contains("http://"),
        "charts inline, nothing loaded"
    );

    // The long files: one row per item check.
    let reg = Registry::load(None).unwrap();
    let counted = |id: &str| {
        reg.get(id)
            .unwrap()
            .items
            .iter()
            .filter(|i| {
                i.answer != kensa::checklist::AnswerKind::Done && i.answer != kensa::checklist::AnswerKind::Text
            })
            .count()
    };
    let csv = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("\r\n"));
    assert_eq!(csv.lines().count(), 1 + 3 * counted("mhlw-r7") + counted("mhlw-r6"));
    let jsonl = std::fs::read_to_string(out.join("findings.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), 3 * counted("mhlw-r7") + counted("mhlw-r6"));
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["事案ID"], "R7-A");
    // B answered 1-01 although its gate item says no system: the answer is kept as written and
    // the item is 非対象.
    let b_101: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["事案ID"] == "R7-B" && v["項目ID"] == "1-01")
        .collect();
    assert_eq!(b_101.len(), 1);
    assert_eq!((&b_101[0]["回答"], &b_101[0]["厚労省様式"]), (&"はい".into(), &"非対象".into()));
    let actions = std::fs::read_to_string(out.join("actions.csv")).unwrap();
    assert_eq!(actions.lines().count(), 1 + 2);
    assert!(actions.contains(",超過,31\r\n"), "{actions}");
}

#[test]
fn older_editions_are_counted_as_the_newer_items_when_asked() {
    let tmp = tree();
    let r = aggregate(tmp.path(), &["--out", "out", "--edition", "mhlw-r7"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let items = sheet(&tmp.path().join("out/summary.xlsx"), "項目別");
    // One table per 年度 all the same: the years are never added together.
    let r7 = table(&items, "項目別の回答と確認結果（令和7年度版・令和7年度）");
    assert_eq!(cols(&r7, row(&r7, "2-⑥"), &MHLW), ["3", "1", "1", "1", "0", "50"]);
    assert_eq!(cols(&r7, row(&r7, "1-①"), &MHLW), ["3", "2", "0", "1", "0", "100"]);
    let r6 = table(&items, "項目別の回答と確認結果（令和7年度版・令和6年度）");
    assert_eq!(cols(&r6, row(&r6, "2-⑥"), &MHLW), ["1", "0", "1", "0", "0", "0"], "C's 2-(7) as 2-⑥");
    assert_eq!(cols(&r6, row(&r6, "1-①"), &MHLW), ["1", "1", "0", "0", "0", "100"]);
    assert!(!items.iter().any(|r| text(&r[0]).contains("（令和6年度版")), "no separate 令和6年度版 table");
    // A fiscal year keeps only its facilities.
    let r = aggregate(tmp.path(), &["--out", "fy", "--fiscal-year", "令和6"]);
    assert_eq!(r.code, 3, "every self-check left out is said: {}", r.all());
    assert!(r.stdout.contains("施設 1（施設・年度 1）を集計しました"), "{}", r.stdout);
    assert!(r.stdout.contains("数えなかったファイル: 4 件"), "A, its workbook, B, D: {}", r.stdout);
    assert!(r.stderr.contains("自己点検票（1 件）") && r.stderr.contains("一つも数えていません"), "{}", r.stderr);
}

#[test]
fn overdue_is_judged_at_the_date_given() {
    let tmp = tree();
    let r = kensa_in(tmp.path(), &["aggregate", "集計対象", "--out", "out", "--as-of", "2025-09-01", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let due = table(&sheet(&tmp.path().join("out/summary.xlsx"), "期限"), "期限のある未了の事項");
    assert_eq!(row(&due, "チェックリスト項目の目標日")[1..3], ["4", "1"], "only C's 令和7年3月31日 has passed");
    assert_eq!(row(&due, "指導への回答")[1..3], ["1", "0"]);
}

#[test]
fn unreadable_files_are_listed_and_strict_stops() {
    let tmp = tree();
    let bad = tmp.path().join("集計対象/cases/壊れた事案");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("case.toml"), "case_id = \n[[[").unwrap();
    std::fs::write(tmp.path().join("集計対象/returned/壊れた.xlsx"), b"PK\x03\x04 not a zip").unwrap();
    let r = aggregate(tmp.path(), &["--out", "out"]);
    assert_eq!(r.code, 3, "partial: {}", r.all());
    assert!(r.stderr.contains("壊れた事案") && r.stderr.contains("壊れた.xlsx"), "{}", r.stderr);
    assert!(r.stdout.contains("施設 4（施設・年度 4）を集計しました"), "{}", r.stdout);
    let files = sheet(&tmp.path().join("out/summary.xlsx"), "読み込み");
    assert_eq!(files.iter().filter(|r| text(&r[0]) == "読めなかったファイル").count(), 2, "{files:?}");

    let r = aggregate(tmp.path(), &["--out", "strict", "--strict"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(!tmp.path().join("strict").exists(), "nothing written");
    // An output folder is not replaced without --force, and a failed run leaves it as it was.
    let before = std::fs::read(tmp.path().join("out/summary.xlsx")).unwrap();
    let r = aggregate(tmp.path(), &["--out", "out"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    let r = aggregate(tmp.path(), &["--out", "out", "--strict", "--force"]);
    assert_eq!(r.code, 1);
    assert_eq!(std::fs::read(tmp.path().join("out/summary.xlsx")).unwrap(), before);
    let r = aggregate(tmp.path(), &["--out", "out", "--force"]);
    assert_eq!(r.code, 3, "{}", r.all());
    let leftovers: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".kensa"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_published_edition_names_nobody_and_hides_small_cells() {
    let tmp = tree();
    let config = tmp.path().join("設定");
    let r = kensa_in_env(
        tmp.path(),
        &["aggregate", "集計対象", "--as-of", AS_OF, "--quiet", "--out", "pub", "--publish", "--roster", "roster.csv"],
        &[("XDG_CONFIG_HOME", config.as_os_str()), ("APPDATA", config.as_os_str())],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!config.exists(), "公表用は仮名も鍵も使いません");
    let out = tmp.path().join("pub");
    // Tables only: no record-level file.
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["summary.html", "summary.md", "summary.xlsx"]);
    let secrets = [
        "架空中央病院",
        "架空西診療所",
        "架空東病院",
        "架空南診療所",
        "架空北病院",
        "1300000001",
        "1300000004",
        "R7-A",
        "R6-C",
        "架空県架空市",
        "監視 太郎",
        "架空の指導文",
        "架空の口頭指導",
        "秘密のメモ",
        "集計対象",
    ];
    for f in std::fs::read_dir(&out).unwrap() {
        let p = f.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        let mut texts = vec![String::from_utf8_lossy(&bytes).into_owned()];
        if p.extension().is_some_and(|e| e == "xlsx") {
            // The cells of every sheet, as another program reads them.
            let mut wb: Xlsx<_> = calamine::open_workbook(&p).unwrap();
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).unwrap();
                texts.push(range.rows().flat_map(|r| r.iter().map(text)).collect::<Vec<_>>().join("\n"));
            }
        }
        for s in secrets {
            assert!(!texts.iter().any(|t| t.contains(s)), "{s} in {}", p.display());
        }
    }
    let xlsx = out.join("summary.xlsx");
    let wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert!(
        !wb.sheet_names().iter().any(|n| n == "一覧" || n == "未実施" || n == "期限一覧"),
        "{:?}",
        wb.sheet_names()
    );
    let items = sheet(&xlsx, "項目別");
    let r7 = table(&items, "項目別の回答と確認結果（令和7年度版）");
    // 3 facilities: 1 and 2 are hidden, and so is what they could be recovered from.
    let r26 = cols(&r7, row(&r7, "2-⑥"), &MHLW);
    assert_eq!(r26, ["3", "x", "x", "x", "0", "x"], "{r7:?}");
    for r in &r7[1..] {
        for p in [["対象", "はい", "いいえ", "未回答"].as_slice(), &["施設数", "適", "否", "非対象", "未回答（判定）"]]
        {
            let hidden = cols(&r7, r, p).iter().filter(|c| *c == "x").count();
            assert!(hidden != 1, "a lone hidden part of a sum can be recovered: {r:?}");
        }
    }
    let bands = table(&sheet(&xlsx, "概要"), "種別・病床規模別の施設数");
    assert!(bands[1..].iter().all(|r| r[1] == "x" || r[0] == "計"), "{bands:?}");
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("（公表用）") && md.contains("「x」秘匿"), "{md}");
    // An earlier internal output in the folder: its record-level files go with --force.
    let r = aggregate(tmp.path(), &["--out", "pub3"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(tmp.path().join("pub3/findings.csv").exists());
    let r = aggregate(tmp.path(), &["--out", "pub3", "--publish"]);
    assert_eq!(r.code, 1, "without --force the earlier output stays: {}", r.all());
    let r = aggregate(tmp.path(), &["--out", "pub3", "--publish", "--force"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for f in ["findings", "incidents", "actions"] {
        for ext in ["csv", "jsonl"] {
            assert!(!tmp.path().join(format!("pub3/{f}.{ext}")).exists(), "{f}.{ext}");
        }
    }
    // There is no key to give.
    let r = aggregate(tmp.path(), &["--out", "pub4", "--publish", "--key", "k"]);
    assert_eq!(r.code, 2, "{}", r.all());
}

#[test]
fn duckdb_reads_the_long_files_and_counts_as_the_summary() {
    let has_duckdb = std::process::Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_duckdb {
        // .ci/run installs it; a developer's machine may not have it.
        crate::harness::tool_missing("python3 と duckdb がありません（pip install duckdb）");
        return;
    }
    let tmp = tree();
    let r = aggregate(tmp.path(), &["--out", "out", "--edition", "mhlw-r7"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let out = tmp.path().join("out");
    let script = r#"
import duckdb, json, sys
out = sys.argv[1]
res = {}
for kind, src in [("csv", f"read_csv('{out}/findings.csv', header=true, all_varchar=true)"), ("jsonl", f"read_json('{out}/findings.jsonl', format='newline_delimited')")]:
    rows = duckdb.sql(f'SELECT CAST("年度" AS VARCHAR), "集計上の項目", "厚労省様式", count(*) FROM {src} GROUP BY ALL ORDER BY ALL').fetchall()
    res[kind] = [[y, a, b, int(c)] for y, a, b, c in rows]
    res[kind + "_facilities"] = duckdb.sql(f'SELECT count(DISTINCT "事案ID") FROM {src}').fetchall()[0][0]
print(json.dumps(res, ensure_ascii=False))
"#;
    let py = std::process::Command::new("python3").arg("-c").arg(script).arg(&out).output().unwrap();
    assert!(py.status.success(), "duckdb (pip install duckdb): {}", String::from_utf8_lossy(&py.stderr));
    let res: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(res["csv"], res["jsonl"], "CSV and JSON Lines hold the same");
    assert_eq!(res["csv_facilities"], 4);
    // The long files hold every facility-year; the per-item tables are one per 年度 (rates are
    // never taken across 年度): their counts add up to the long files' counts.
    let items = sheet(&out.join("summary.xlsx"), "項目別");
    // The summary's tables are per 年度: each against the rows of its 年度.
    let mut checked = 0;
    for (year, label_of_year) in [("2024", "令和6年度"), ("2025", "令和7年度")] {
        let r7 = table(&items, &format!("項目別の回答と確認結果（令和7年度版・{label_of_year}）"));
        for r in &r7[1..] {
            let id = cols(&r7, r, &["項目ID"])[0].clone();
            for (label, col) in [("適", "適"), ("否", "否"), ("非対象", "非対象"), ("未回答", "未回答（判定）")]
            {
                let want: i64 = cols(&r7, r, &[col])[0].parse().unwrap_or(0);
                let got = res["csv"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|g| g[0] == year && g[1] == id.as_str() && g[2] == label)
                    .map(|g| g[3].as_i64().unwrap())
                    .unwrap_or(0);
                assert_eq!(got, want, "{year} {id} {label}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 18, "{checked}");
}

#[test]
fn a_path_that_holds_nothing_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("空")).unwrap();
    let r = kensa_in(tmp.path(), &["aggregate", "空", "--out", "out", "--quiet"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("集計できる"), "{}", r.stderr);
    let r = kensa_in(tmp.path(), &["aggregate", "ない", "--out", "out", "--quiet", "--fiscal-year", "来年度"]);
    assert_eq!(r.code, 2, "{}", r.all());
}

/// One part of a workbook's zip as text.
fn part(xlsx: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The roster as an office has it: saved by Excel on Japanese Windows (CP932), under other
/// headers, with a title above the header, blank lines, a 合計 row and codes of prefectures
/// 01–09 that lost their leading 0. 実施率 and 回収率 are those of the UTF-8 roster, and what was
/// read is said.
#[test]
fn a_roster_saved_by_excel_is_read_as_it_comes() {
    let tmp = tree();
    for (name, from, to) in [("B", "1300000002", "0100000002"), ("C", "1300000003", "0100000003")] {
        let p = tmp.path().join("集計対象/cases").join(name).join("case.toml");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replace(from, to)).unwrap();
    }
    let roster = "県内医療機関名簿（令和7年4月1日現在）\r\n\r\n医療機関番号,医療機関名称,区分,許可病床数,保健所名,開設者区分,所在地\r\n13-0000-0001,架空中央病院,病院,150,東保健所,医療法人,架空市1-1\r\n\r\n100000002,架空西診療所,一般診療所,0,西保健所,個人,架空市2-2\r\n100000003,架空東病院,病院,450,東保健所,公立,架空市3-3\r\n１３０００００００４,架空南診療所,一般診療所,5,西保健所,個人,架空市4-4\r\n1300000005,架空北病院,病院,80,東保健所,医療法人,架空市5-5\r\n\r\n合計,,,685,,,\r\n";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(roster);
    assert!(!unmappable);
    std::fs::write(tmp.path().join("roster-sjis.csv"), &bytes).unwrap();
    let r = aggregate(tmp.path(), &["--out", "out", "--roster", "roster-sjis.csv"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for want in [
        "名簿 roster-sjis.csv: Shift_JIS（CP932） として読みました（5 施設、見出しは 3 行目）",
        "使った列: 医療機関コード＝「医療機関番号」（1列目）、施設名＝「医療機関名称」（2列目）、種別＝「区分」（3列目）、病床数＝「許可病床数」（4列目）、保健所＝「保健所名」（5列目）、開設者＝「開設者区分」（6列目）",
        "使わなかった列: 「所在地」（7列目）",
        "見出しの前の行を読み飛ばしました: 1行目",
        "合計などの行を読み飛ばしました: 11行目「合計」",
        "警告: 9桁の医療機関コード 2 件の先頭に0を補いました",
        "6行目 100000002→0100000002、7行目 100000003→0100000003",
    ] {
        assert!(r.stderr.contains(want), "{want}\n{}", r.stderr);
    }
    let xlsx = tmp.path().join("out/summary.xlsx");
    // As with the UTF-8 roster, per 年度: 令和7年度 A and B inspected, D's self-check returned, E
    // neither; 令和6年度 C inspected.
    let cover = table(&sheet(&xlsx, "実施率"), "実施率（種別、令和7年度）");
    assert_eq!(row(&cover, "計")[1..6], ["5", "2", "40", "1", "20"]);
    assert_eq!(row(&cover, "病院")[1..4], ["3", "1", "33.3"]);
    let offices = table(&sheet(&xlsx, "実施率"), "実施率（保健所、令和7年度）");
    assert_eq!(row(&offices, "東保健所")[1..3], ["3", "1"], "{offices:?}");
    let cover = table(&sheet(&xlsx, "実施率"), "実施率（種別、令和6年度）");
    assert_eq!(row(&cover, "計")[1..6], ["5", "1", "20", "0", "0"]);
    let missing = table(&sheet(&xlsx, "未実施"), "立入検査・自己点検票のない施設（名簿による、令和6年度）");
    assert_eq!(row(&missing, "0100000003")[5..7], ["実施", "未回収"], "{missing:?}");
}

/// Issue 23: the wide sheets of summary.xlsx (項目別, 一覧) print landscape across several
/// pages, with the header row and the label columns on every page, not squeezed into one A4 width.
#[test]
fn wide_sheets_print_across_pages_with_titles_repeated() {
    use std::io::Read;
    let tmp = tree();
    let r = aggregate(tmp.path(), &["--out", "out"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let path = tmp.path().join("out/summary.xlsx");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let book = read("xl/workbook.xml");
    let names: Vec<&str> = book.split("<sheet name=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    for wide in ["項目別", "一覧"] {
        let n = names.iter().position(|s| *s == wide).unwrap_or_else(|| panic!("{wide} in {names:?}"));
        let xml = read(&format!("xl/worksheets/sheet{}.xml", n + 1));
        let setup = xml.split("<pageSetup").nth(1).unwrap().split("/>").next().unwrap();
        assert!(setup.contains("orientation=\"landscape\""), "{wide}: {setup}");
        let across: u32 =
            setup.split("fitToWidth=\"").nth(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).unwrap_or(1);
        assert!(across >= 2, "{wide} printed {across} page(s) wide: {setup}");
        assert!(setup.contains("fitToHeight=\"0\""), "{wide}: as many pages down as needed: {setup}");
        // Print titles: the header row and the first two columns.
        let titles = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{n}\">");
        let def = book.split(titles.as_str()).nth(1).unwrap_or_else(|| panic!("{wide}: no print titles in {book}"));
        let def = def.split("</definedName>").next().unwrap();
        assert!(def.contains("$A:$B") && def.contains("$"), "{wide}: {def}");
    }
}

/// Issue 23: aggregate's incidents file carries the incident record as investigation reports
/// state it (ransom, contractor, persons, costs, publications, investigation, causes by kind).
#[test]
fn incidents_file_carries_the_incident_record() {
    let tmp = tempfile::tempdir().unwrap();
    let r = kensa_in(
        tmp.path(),
        &["aggregate", &crate::harness::root().join("samples").display().to_string(), "--out", "out", "--quiet"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let text = std::fs::read_to_string(tmp.path().join("out/incidents.jsonl")).unwrap();
    let row: serde_json::Value = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["事案ID"] == "2025-事案-0007")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(row["身代金の要求"], "あり");
    assert_eq!(row["身代金の額"], "約100,000,000円");
    assert_eq!(row["侵入経路の委託先・事業者"], "架空フードサービス株式会社");
    assert_eq!(row["同じ経路で被害を受けた他の施設数"], 2);
    assert_eq!(row["影響を受けた人数（概数等）"], "約131,700");
    assert_eq!(row["暗号化された機器の台数（概数等）"], "約1,324");
    assert_eq!(row["逸失利益"], "約1,400,000,000円");
    assert_eq!(row["公表の回数"], 4);
    assert_eq!(row["原因の区分"], "組織 1、人 1、技術 1");
    let csv = std::fs::read_to_string(tmp.path().join("out/incidents.csv")).unwrap();
    assert!(csv.lines().next().unwrap().contains("身代金の要求"), "{csv}");
}
