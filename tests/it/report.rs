//! `kensa report` and `kensa templates export`, run as the real binary on copies of the samples.

use crate::harness::{kensa, root, TempCase as Case};
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::{Path, PathBuf};

const GENERATED_AT: &str = "2025-11-01T10:00:00";

/// The reports of a copied case.
trait Reports {
    fn out(&self) -> PathBuf;
    fn report(&self, extra: &[&str]) -> PathBuf;
    fn read(&self, name: &str) -> String;
}

impl Reports for Case {
    fn out(&self) -> PathBuf {
        self.dir.join("report")
    }

    /// Runs `kensa report` with a fixed generation time; panics unless it succeeds.
    fn report(&self, extra: &[&str]) -> PathBuf {
        let dir = self.dir.to_string_lossy().to_string();
        let mut args = vec!["report", dir.as_str(), "--generated-at", GENERATED_AT];
        args.extend_from_slice(extra);
        kensa(&args).ok();
        self.out()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join(name)).unwrap()
    }
}

const SAMPLES: [&str; 3] = ["routine-hospital", "ransomware-hospital", "clinic-routine"];

#[test]
fn report_md_iso_dates() {
    let case = Case::sample("ransomware-hospital");
    case.report(&["--format", "md", "--date-style", "iso", "--addressee", "厚生労働省医政局（テスト宛先）"]);
    let md = case.read("report.md");
    assert!(md.starts_with("2025-11-01\n"), "{}", &md[..200.min(md.len())]);
    assert!(md.contains("厚生労働省医政局（テスト宛先）　御中"));
    assert!(md.contains("| 2025-06-22 06:20 | 当日 |"), "timeline in ISO");
    assert!(!md.contains("| 令和"), "no 和暦 dates in tables with --date-style iso");
    assert!(!case.out().join("report.xlsx").exists() && !case.out().join("report.html").exists());
}

#[test]
fn routine_case_has_no_incident_sections() {
    for s in ["routine-hospital", "clinic-routine"] {
        let case = Case::sample(s);
        case.report(&[]);
        let md = case.read("report.md");
        for h in ["被害状況", "対応状況", "復旧状況", "事案の概要", "再発防止策"] {
            assert!(!md.lines().any(|l| l.starts_with("## ") && l.contains(h)), "{s}: heading {h}");
        }
        // Sections are numbered without gaps.
        let numbers: Vec<String> = md
            .lines()
            .filter_map(|l| l.strip_prefix("## 第"))
            .map(|l| l.split(' ').next().unwrap_or("").to_string())
            .collect();
        let expected: Vec<String> = (1..=numbers.len()).map(|n| n.to_string()).collect();
        assert_eq!(numbers, expected, "{s}");
        let html = case.read("report.html");
        assert!(!html.contains("被害状況"), "{s}");
        let wb: Xlsx<_> = open_workbook(case.out().join("report.xlsx")).unwrap();
        let names = wb.sheet_names();
        for sheet in ["時系列", "被害状況", "対応状況", "復旧状況"] {
            assert!(!names.iter().any(|n| n == sheet), "{s}: {names:?}");
        }
    }
}

#[test]
fn incident_report_has_every_section() {
    let case = Case::sample("ransomware-hospital");
    case.report(&[]);
    let md = case.read("report.md");
    let html = case.read("report.html");
    let titles = [
        "施設の概要",
        "調査（立入検査）の概要",
        "事案の概要",
        "被害状況",
        "対応状況",
        "復旧状況",
        "再発防止策",
        "チェックリストの確認結果",
        "指導事項",
        "証跡一覧",
    ];
    for (i, t) in titles.iter().enumerate() {
        let heading = format!("第{} {}", i + 1, t);
        assert!(md.contains(&format!("\n## {heading}\n")), "md: {heading}");
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "html: {heading}");
    }
    assert!(md.contains("覚知日を0日目"), "days are explained");
    assert!(md.contains(env!("CARGO_PKG_VERSION")) && md.contains("SHA-256"));
    let sha = kensa_sha256(&case.dir.join("case.toml"));
    assert!(md.contains(&sha), "closing line carries the case file's SHA-256");
}

fn kensa_sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn html_contains_every_section_and_no_raw_markup() {
    for s in SAMPLES {
        let case = Case::sample(s);
        case.report(&[]);
        let md = case.read("report.md");
        let html = case.read("report.html");
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("@page { size: A4"), "{s}");
        for line in md.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                assert!(html.contains(&format!("<h2>{h}</h2>")), "{s}: {h}");
            }
        }
        // Self-contained and inert.
        for bad in ["<script", "<img", "<link", "<iframe", "javascript:", " src="] {
            assert!(!html.contains(bad), "{s}: {bad}");
        }
    }
}

#[test]
fn xlsx_reads_back_with_dates_and_values() {
    let case = Case::sample("ransomware-hospital");
    case.report(&[]);
    let mut wb: Xlsx<_> = open_workbook(case.out().join("report.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![
            "概要",
            "時系列",
            "被害状況",
            "対応状況",
            "復旧状況",
            "再発防止策",
            "チェックリスト結果",
            "指導事項",
            "証跡"
        ]
    );
    let overview = wb.worksheet_range("概要").unwrap();
    assert_eq!(
        overview.get_value((0, 0)),
        Some(&Data::String("医療機関等におけるサイバー攻撃事案に係る調査の結果について（報告）".into()))
    );
    let find = |r: &calamine::Range<Data>, label: &str| -> Option<(u32, u32)> {
        r.used_cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == label))
            .map(|(r, c, _)| (r as u32, c as u32))
    };
    let (row, _) = find(&overview, "報告日").expect("報告日 row");
    match overview.get_value((row, 1)) {
        Some(Data::DateTime(d)) => {
            assert_eq!(d.as_datetime().unwrap().date().to_string(), "2025-11-01");
        }
        other => panic!("報告日 is not a date cell: {other:?}"),
    }
    let (row, _) = find(&overview, "施設名").unwrap();
    assert_eq!(overview.get_value((row, 1)), Some(&Data::String("社会医療法人 架空記念会 かもめ総合病院".into())));

    let timeline = wb.worksheet_range("時系列").unwrap();
    let dates = timeline.used_cells().filter(|(_, c, v)| *c == 0 && matches!(v, Data::DateTime(_))).count();
    assert!(dates >= 20, "timeline dates are date cells ({dates})");
    let detected = timeline
        .used_cells()
        .find(|(_, _, v)| matches!(v, Data::String(s) if s.contains("（覚知）")))
        .map(|(r, _, _)| r)
        .unwrap();
    match timeline.get((detected, 0)) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_datetime().unwrap().to_string(), "2025-06-22 06:20:00"),
        other => panic!("{other:?}"),
    }
    assert_eq!(timeline.get((detected, 1)), Some(&Data::Float(0.0)), "days after detection as a number");

    let recovery = wb.worksheet_range("復旧状況").unwrap();
    let (row, _) = find(&recovery, "全面復旧日").unwrap();
    assert!(matches!(recovery.get_value((row, 1)), Some(Data::DateTime(_))));
    assert_eq!(recovery.get_value((row + 1, 1)), Some(&Data::Float(64.0)));

    let results = wb.worksheet_range("チェックリスト結果").unwrap();
    let (row, _) = find(&results, "合計").unwrap();
    // The facility's own items (the 事業者確認用 are counted apart): 適合 4+3, 一部適合 8+1,
    // 不適合 7 (see the snapshot); the list of every item still has the vendors' 不適合 too.
    assert_eq!(results.get_value((row, 2)), Some(&Data::Float(7.0)));
    assert_eq!(results.get_value((row, 4)), Some(&Data::Float(7.0)));
    let nonconform =
        results.used_cells().filter(|(_, c, v)| *c == 6 && matches!(v, Data::String(s) if s == "不適合")).count();
    assert_eq!(nonconform, 10);

    let evidence = wb.worksheet_range("証跡").unwrap();
    assert!(evidence.used_cells().any(|(_, _, v)| matches!(v,
        Data::String(s) if s == "2d0284f1c75faf67df76b00bad4b95004c9fe87a27f5a7b838d734f04a893d75")));
    assert!(evidence.used_cells().any(|(_, c, v)| c == 3 && matches!(v, Data::DateTime(_))));

    // Document properties: title and author (the authority).
    let zip = std::fs::read(case.out().join("report.xlsx")).unwrap();
    let core = unzip_entry(&zip, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>医療機関等におけるサイバー攻撃事案に係る調査の結果について（報告）</dc:title>"),
        "{core}"
    );
    assert!(core.contains("<dc:creator>架空県</dc:creator>"), "{core}");
    assert!(core.contains("2025-11-01T10:00:00Z"), "{core}");
}

/// One file of a zip archive (the xlsx package) as text.
fn unzip_entry(zip: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut file = archive.by_name(name).unwrap_or_else(|_| panic!("{name} not in archive"));
    let mut out = String::new();
    file.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn output_is_deterministic() {
    for s in SAMPLES {
        let a = Case::sample(s);
        let b = Case::sample(s);
        a.report(&[]);
        b.report(&[]);
        for f in ["report.md", "report.html", "report.xlsx"] {
            let x = std::fs::read(a.out().join(f)).unwrap();
            let y = std::fs::read(b.out().join(f)).unwrap();
            assert!(x == y, "{s}: {f} differs between two runs");
        }
    }
}

#[test]
fn templates_export_writes_the_defaults_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tpl");
    let o = kensa(&["templates", "export", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", o.stderr);
    let mut names: Vec<String> = std::fs::read_dir(root().join("report-templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.contains(&"report.md".to_string()));
    for n in &names {
        let exported = std::fs::read(dir.join(n)).unwrap_or_else(|_| panic!("{n} exported"));
        assert_eq!(exported, std::fs::read(root().join("report-templates").join(n)).unwrap(), "{n}");
    }
    std::fs::write(dir.join("closing.md"), "編集済み").unwrap();
    let o = kensa(&["templates", "export", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.contains("--force"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("closing.md")).unwrap(), "編集済み", "kept without --force");
    let o = kensa(&["templates", "export", dir.to_str().unwrap(), "--force"]);
    assert!(o.status.success());
    assert_ne!(std::fs::read_to_string(dir.join("closing.md")).unwrap(), "編集済み");
}

#[test]
fn template_override_changes_the_output() {
    let case = Case::sample("routine-hospital");
    let tpl = case.dir.parent().unwrap().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("closing.md"),
        "\n以上\n\n担当：{{ office }}（作成 {{ closing.generated_at }}、{{ 1234567 | thousands }}件）\n",
    )
    .unwrap();
    case.report(&["--templates", tpl.to_str().unwrap()]);
    let md = case.read("report.md");
    assert!(
        md.ends_with("担当：架空県健康福祉部医療政策課（中央保健所）（作成 令和7年11月1日 10:00:00、1,234,567件）\n"),
        "{md}"
    );
    assert!(!md.contains("kensa 0.1.0 により"), "the default closing is replaced");
    assert!(md.contains("## 第1 施設の概要"), "other templates stay the defaults");
    assert!(case.read("report.html").contains("担当：架空県"));
}

#[test]
fn failed_run_leaves_earlier_reports_untouched() {
    let case = Case::sample("routine-hospital");
    case.report(&[]);
    let before: Vec<Vec<u8>> = ["report.md", "report.html", "report.xlsx"]
        .iter()
        .map(|f| std::fs::read(case.out().join(f)).unwrap())
        .collect();
    let tpl = case.dir.parent().unwrap().join("broken");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("facility.md"), "## {{ no.facility }}\n{% for x in %}\n").unwrap();
    let dir = case.dir.to_string_lossy().to_string();
    let o = kensa(&["report", &dir, "--generated-at", "2030-01-01T00:00:00", "--templates", tpl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", o.stdout);
    let err = o.stderr;
    assert!(err.contains(&tpl.join("facility.md").display().to_string()), "names the template file: {err}");
    let after: Vec<Vec<u8>> = ["report.md", "report.html", "report.xlsx"]
        .iter()
        .map(|f| std::fs::read(case.out().join(f)).unwrap())
        .collect();
    assert!(before == after, "reports unchanged after a failed run");
    // A template that parses but fails while rendering is caught the same way.
    std::fs::write(tpl.join("facility.md"), "{{ no_such_value }}\n").unwrap();
    let o = kensa(&["report", &dir, "--generated-at", "2030-01-01T00:00:00", "--templates", tpl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.contains("facility.md"), "{}", o.stderr);
    let again: Vec<Vec<u8>> = ["report.md", "report.html", "report.xlsx"]
        .iter()
        .map(|f| std::fs::read(case.out().join(f)).unwrap())
        .collect();
    assert!(before == again);
    let leftovers = std::fs::read_dir(case.out())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"));
    assert_eq!(leftovers.count(), 0);
}

#[test]
fn bad_options_are_refused() {
    let case = Case::sample("routine-hospital");
    let dir = case.dir.to_string_lossy().to_string();
    // Command-line errors exit 2, as the README says.
    let o = kensa(&["report", &dir, "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stderr.contains("pdf"));
    let o = kensa(&["report", &dir, "--generated-at", "昨日"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stderr.contains("--generated-at の作成日時「昨日」が読めません"), "{}", o.stderr);
    assert!(!case.out().exists(), "nothing written");
}

/// Counts `|` not escaped by a backslash.
fn unescaped_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            n += 1;
        }
    }
    n
}

#[test]
fn injection_stays_text() {
    let case = Case::copy("tests/fixtures/cases/injection");
    case.report(&[]);
    let md = case.read("report.md");
    let html = case.read("report.html");

    // HTML: nothing runs, nothing loads.
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script tag");
    assert!(!lower.contains("<img"), "img tag");
    assert!(!lower.contains("href=\"javascript"), "javascript link");
    assert!(!lower.contains("<a "), "no links from case text");
    assert!(!lower.contains("<!--"), "no comments");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "shown as text");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "shown as text");
    assert!(html.contains("[x](javascript:alert(1))"), "link syntax shown as text");

    // Markdown: tables keep their column count, headings are only the report's own.
    let mut header_cols = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = unescaped_pipes(line);
            match header_cols {
                None => header_cols = Some(n),
                Some(h) => assert_eq!(n, h, "table row breaks its columns: {line}"),
            }
        } else {
            header_cols = None;
        }
        if line.starts_with('#') {
            let ok = line.starts_with("# 医療機関等における")
                || line.starts_with("## 第")
                || line.chars().nth(4).is_some_and(|c| c.is_ascii_digit()) && line.starts_with("### ")
                || line.starts_with("#### (")
                || line.starts_with("##### ") && line.chars().nth(6).is_some_and(|c| ('ア'..='ン').contains(&c));
            assert!(ok, "unexpected heading: {line}");
        }
    }
    assert!(
        !md.lines().any(|l| l.starts_with("# 見出し") || l.trim_start().starts_with("<")),
        "no heading or HTML from case text"
    );
    // HTML headings are exactly the Markdown headings.
    assert_eq!(html.matches("<h2>").count(), md.lines().filter(|l| l.starts_with("## ")).count());
    assert_eq!(html.matches("<h1>").count(), 1);

    // Excel: case text is a string, never a formula.
    let mut wb: Xlsx<_> = open_workbook(case.out().join("report.xlsx")).unwrap();
    let mut starts = std::collections::BTreeSet::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for (_, _, v) in range.used_cells() {
            if let Data::String(s) = v {
                for p in ["=HYPERLINK", "+1 ", "-1 ", "@SUM"] {
                    if s.starts_with(p) {
                        starts.insert(p);
                    }
                }
            }
        }
        let formulas = wb.worksheet_formula(&name).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "{name}: no formulas");
    }
    assert_eq!(starts.len(), 4, "every formula-like start was written as a string: {starts:?}");
}

#[test]
fn several_cases_go_to_one_folder_each() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // Copies: a report records itself in its case folder, and the repository is never written.
    let copies: Vec<std::path::PathBuf> = ["routine-hospital", "ransomware-hospital", "clinic-routine"]
        .iter()
        .map(|n| {
            let dir = tmp.path().join("cases").join(n);
            crate::harness::copy_dir(&root().join("samples").join(n), &dir);
            dir
        })
        .collect();
    let samples: Vec<String> = copies.iter().map(|d| d.display().to_string()).collect();
    let out_s = out.display().to_string();
    let mut args = vec!["report"];
    args.extend(samples.iter().map(|s| s.as_str()));
    args.extend(["--out", out_s.as_str(), "--generated-at", GENERATED_AT, "--format", "md"]);
    let o = kensa(&args);
    assert!(o.status.success(), "{}", o.stderr);
    for n in ["routine-hospital", "ransomware-hospital", "clinic-routine"] {
        let md = std::fs::read_to_string(out.join(n).join("report.md")).unwrap();
        assert!(md.contains("第1 施設の概要"), "{n}");
    }
    // One missing case fails that case only, with a non-zero exit.
    let missing = tmp.path().join("nowhere").display().to_string();
    let o = kensa(&["report", samples[0].as_str(), missing.as_str(), "--out", out_s.as_str(), "--format", "md"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.contains("2 件中 1 件の報告書を作成できませんでした"), "{}", o.stderr);
}

#[test]
fn zenkaku_digits_setting() {
    let case = Case::sample("clinic-routine");
    let out = case.report(&["--format", "md,html", "--zenkaku-digits"]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## 第１ 施設の概要"), "{md}");
    assert!(md.contains("令和７年11月20日"), "{md}");
    // The hash of the case file keeps its form.
    let hash = kensa_sha256(&case.dir.join("case.toml"));
    assert!(md.contains(&hash), "{md}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("第１ 施設の概要"));
    // Half-width is the default.
    let out = case.report(&["--format", "md"]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## 第1 施設の概要") && !md.contains("第１"), "{md}");
}

#[test]
fn xlsx_rows_fit_wrapped_text_and_columns_stay_printable() {
    let case = Case::sample("ransomware-hospital");
    let out = case.report(&["--format", "xlsx"]);
    let bytes = std::fs::read(out.join("report.xlsx")).unwrap();
    let wb: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    let index = wb.sheet_names().iter().position(|n| n == "チェックリスト結果").expect("sheet") + 1;
    let xml = unzip_entry(&bytes, &format!("xl/worksheets/sheet{index}.xml"));
    // Every column stays narrow enough for A4 landscape.
    let widths: Vec<f64> = xml
        .split("<col ")
        .skip(1)
        .filter_map(|c| c.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect();
    assert!(!widths.is_empty());
    assert!(widths.iter().all(|w| *w <= 51.0), "{widths:?}");
    // Rows holding long, wrapped text are given the height it needs.
    let tall = xml.matches("customHeight=\"1\"").count();
    assert!(tall > 20, "{tall} rows with a set height");
}

#[test]
fn two_cases_of_the_same_folder_name_get_a_folder_each() {
    // The README's own layout: last year's and this year's inspection of one hospital.
    let tmp = tempfile::tempdir().unwrap();
    for year in ["2024", "2025"] {
        crate::harness::copy_dir(&root().join("samples/routine-hospital"), &tmp.path().join(year).join("minato"));
    }
    let o = crate::harness::kensa_in(
        tmp.path(),
        &["report", "2024/minato", "2025/minato", "--out", "col", "--format", "md", "--generated-at", GENERATED_AT],
    )
    .ok();
    for name in ["2024_minato", "2025_minato"] {
        assert!(tmp.path().join("col").join(name).join("report.md").is_file(), "{name}: {}", o.all());
    }
    assert!(!tmp.path().join("col/minato").exists());
}

/// Issue 23 (1): items verified 一部適合 are listed in 「第N 2」 with the inspector's memo and
/// the guidance, as report.xlsx lists them; (2): the 事業者確認用 are counted apart, per vendor,
/// not in the facility's 対象項目; (3): numbers and names are not backslash-escaped.
#[test]
fn partial_items_listed_vendor_items_apart_and_numbers_unescaped() {
    let case = Case::sample("routine-hospital");
    case.report(&[]);
    let md = case.read("report.md");
    let section =
        md.split("### 2 「いいえ」と回答された項目及び不適合・一部適合と確認した項目").nth(1).expect("section 2");
    let section = section.split("## 第").next().unwrap();
    // 2-⑦ is verified 一部適合 on the facility's sheet, with a memo and guidance.
    assert!(section.contains("##### ウ 医療機関確認用 2-⑦"), "{section}");
    assert!(section.contains("確認結果：一部適合"));
    assert!(section.contains("共用アカウント7件はパスワードが令和5年から変更されていない"));
    assert!(section.contains("（うち一部適合と確認した項目3件）"));
    let html = case.read("report.html");
    assert!(html.contains("共用アカウント7件はパスワードが令和5年から変更されていない"));
    // The facility's counts leave the 事業者確認用 out; they are counted apart.
    let counts = md.split("### 1 確認結果の件数").nth(1).unwrap();
    assert!(
        counts.contains(
            "| 医療機関におけるサイバーセキュリティ対策チェックリスト（令和7年度版） | 19 | 13 | 3 | 3 | 0 | 0 |"
        ),
        "{counts}"
    );
    assert!(counts.contains("| （事業者ごとの回答なし） | － | 10 | 7 | 3 | 0 | 0 | 0 |"), "{counts}");
    // Numbers, item ids and file names as typed.
    assert!(
        !md.contains("\\-") && !md.contains("\\."),
        "{}",
        md.lines().filter(|l| l.contains("\\-") || l.contains("\\.")).collect::<Vec<_>>().join("\n")
    );
}

/// Issue 23 (2): answered per vendor, each system's vendor has its own counts.
#[test]
fn vendor_items_counted_per_system() {
    let case = Case::sample("routine-hospital");
    let path = case.dir.join("case.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The first 事業者確認用 answer given for one system only.
    let text =
        text.replacen("item = \"mhlw-r7:v2-01\"", "item = \"mhlw-r7:v2-01\"\nsystem = \"電子カルテシステム\"", 1);
    std::fs::write(&path, text).unwrap();
    case.report(&["--format", "md"]);
    let md = case.read("report.md");
    let rows = |system: &str| -> Vec<String> {
        md.lines()
            .filter(|l| l.starts_with(&format!("| {system} |")) && l.contains("| 10 |"))
            .map(String::from)
            .collect()
    };
    // Verified 適合 for the EHR's vendor, nothing yet for the others; each has its two rows.
    assert_eq!(
        rows("電子カルテシステム"),
        [
            "| 電子カルテシステム | 架空メディカルシステムズ株式会社 | 10 | 1 | 0 | 0 | 0 | 9 |",
            "| 電子カルテシステム | 架空メディカルシステムズ株式会社 | 10 | 1 | 0 | 9 | － |",
        ]
    );
    assert_eq!(rows("PACS（医用画像管理システム）").len(), 2, "{md}");
    assert!(!md.contains("（事業者ごとの回答なし）"));
}
