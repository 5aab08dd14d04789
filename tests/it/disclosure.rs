//! A disclosure audit of the 公表用 edition, attacked as a journalist would: generated
//! prefectures (several seeds; one with a single hospital of 500床〜, one with a few incidents,
//! 開設者 written as persons' names, a 保健所 the roster does not know) run through the README's
//! command, then every file of the output searched for names, codes and addresses (the parts
//! of summary.xlsx included), every label checked against the closed vocabularies, no
//! record-level file, and every hidden cell's range solved by linear programming over the
//! additive relations of all the tables of the release: no `x` may be a single value. Two
//! editions that differ by one facility are compared: nothing about it may be read from them.

use crate::harness::cell_text as show;
use crate::harness::{kensa_in, Run};
use calamine::{Data, Reader, Xlsx};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A small deterministic generator (the tests need no randomness crate).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const SURNAMES: [&str; 8] = ["架空", "仮野", "試験", "見本", "模擬", "虚田", "空井", "例川"];
const GIVEN: [&str; 6] = ["太郎", "花子", "一郎", "直子", "健二", "由美"];
const OFFICES: [&str; 3] = ["東保健所", "西保健所", "北保健所"];
const ITEMS: [&str; 19] = [
    "1-01", "2-01", "2-02", "2-03", "2-04", "2-05", "2-06", "2-07", "2-08", "2-09", "2-10", "2-11", "2-12", "2-13",
    "3-01", "3-02", "3-03", "4-01", "0",
];

/// One generated facility: what the case says, and what must never be published.
struct Facility {
    code: String,
    name: String,
    case_id: String,
    founder: String,
    address: String,
    office: String,
    kind: &'static str,
    beds: u32,
}

/// The shape of a prefecture.
struct Shape {
    seed: u64,
    facilities: usize,
    /// Hospitals of 500床〜 (the rest of the hospitals below).
    large: usize,
    incidents: usize,
    /// Facilities (the first ones, the large hospitals among them) inspected in 令和6年度.
    r6: usize,
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

fn facilities(s: &Shape) -> Vec<Facility> {
    let mut rng = Rng(s.seed);
    let mut out = Vec::new();
    for n in 0..s.facilities {
        let r = rng.below(100);
        let (kind, beds) = if n < s.large {
            ("病院", 500 + rng.below(300) as u32)
        } else if r < 30 {
            ("病院", 20 + rng.below(380) as u32)
        } else if r < 70 {
            ("一般診療所", if rng.below(4) == 0 { 1 + rng.below(19) as u32 } else { 0 })
        } else if r < 96 {
            ("歯科診療所", 0)
        } else {
            ("助産所", 0)
        };
        let who = person(&mut rng);
        let founder = match rng.below(6) {
            0 => format!("医療法人社団 架空会 理事長 {who}"),
            1 => who.clone(),
            2 => format!("個人開設 {who}"),
            3 => "架空市".to_string(),
            4 => "社会福祉法人 架空福祉会".to_string(),
            _ => "医療法人".to_string(),
        };
        // One facility records a 保健所 the roster does not know: a person's name.
        let office = if n == 7 { format!("{} 方", person(&mut rng)) } else { rng.pick(&OFFICES).to_string() };
        out.push(Facility {
            code: format!("13{:08}", 40000 + n + s.seed as usize * 1000),
            name: format!("架空{}第{}{}", rng.pick(&SURNAMES), n, if kind == "病院" { "病院" } else { "医院" }),
            case_id: format!("G{}-{n:03}", s.seed),
            founder,
            address: format!("架空県架空郡{}町{}番地", rng.pick(&SURNAMES), n + 1),
            office,
            kind,
            beds,
        });
    }
    out
}

/// A facility's case file: an inspection of 令和7年度 with every item answered (and some
/// verified), guidance on some, and the incidents of the shape.
fn case_text(f: &Facility, n: usize, s: &Shape, rng: &mut Rng) -> String {
    let incident = n >= s.large && n < s.large + s.incidents;
    let month = 5 + rng.below(8);
    let year = if n < s.r6 { 2024 } else { 2025 };
    let mut t = format!(
        "case_id = \"{}\"\n[facility]\nname = \"{}\"\nkind = \"{}\"\ncode = \"{}\"\nfounder = \"{}\"\naddress = \"{}\"\nbeds = {}\n[facility.authority]\noffice = \"{}\"\n[inspection]\nkind = \"{}\"\ndates = [{year}-{month:02}-10]\nchecklists = [{}]\n[[inspection.inspectors]]\nname = \"監視 {}\"\n",
        f.case_id,
        f.name,
        f.kind,
        f.code,
        f.founder,
        f.address,
        f.beds,
        f.office,
        if incident { "事案に係る立入検査" } else { "定期の立入検査" },
        if incident { "\"mhlw-r7\", \"incident\"" } else { "\"mhlw-r7\"" },
        person(rng),
    );
    if incident {
        t.push_str(&format!(
            "[incident]\nsummary = \"{}のランサムウェア被害\"\noccurred_at = 2025-{month:02}-01T02:00:00\ndetected_at = 2025-{month:02}-01T07:30:00\nunlawful_intent = true\n[damage]\n[[damage.data]]\nkind = \"暗号化\"\nrecords = {}\n[response]\n[[response.notifications]]\nparty = \"厚生労働省\"\nat = 2025-{month:02}-02T15:00:00\n[recovery]\nfull_recovery_on = 2025-{month:02}-25\n",
            f.name,
            152_400 + n
        ));
    }
    let gate_no = f.kind != "病院" && rng.below(10) == 0;
    for item in ITEMS {
        if item == "0" {
            t.push_str(&format!(
                "[[answers]]\nitem = \"mhlw-r7:0\"\nanswer = \"{}\"\n",
                if gate_no { "いいえ" } else { "はい" }
            ));
            continue;
        }
        let r = rng.below(10);
        if r == 0 {
            continue;
        }
        let yes = r < 7;
        t.push_str(&format!(
            "[[answers]]\nitem = \"mhlw-r7:{item}\"\nanswer = \"{}\"\n",
            if yes { "はい" } else { "いいえ" }
        ));
        if !yes {
            t.push_str("target_on = 2026-03-31\n");
        }
        match rng.below(6) {
            0 => t.push_str("verification = \"適合\"\n"),
            1 => t.push_str("verification = \"不適合\"\n"),
            2 => t.push_str("verification = \"一部適合\"\n"),
            _ => {}
        }
    }
    if rng.below(5) == 0 {
        t.push_str(&format!(
            "[[guidance]]\nkind = \"{}\"\ntext = \"{}への指導\"\nitems = [\"mhlw-r7:2-06\"]\ngiven_on = 2025-{month:02}-10\n",
            if rng.below(2) == 0 { "文書指導" } else { "口頭指導" },
            f.name
        ));
    }
    t
}

/// Writes the prefecture's case folders (under `集計対象`, or `後から` for those in `later`) and
/// its roster; returns its facilities.
fn prefecture(dir: &Path, s: &Shape, later: &[usize]) -> Vec<Facility> {
    let fs = facilities(s);
    let mut rng = Rng(s.seed ^ 0x5eed);
    for (n, f) in fs.iter().enumerate() {
        let root = if later.contains(&n) { "後から" } else { "集計対象" };
        let d = dir.join(root).join(&f.case_id);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("case.toml"), case_text(f, n, s, &mut rng)).unwrap();
    }
    let mut roster = String::from("\u{feff}医療機関コード,施設名,種別,病床数,保健所\r\n");
    for f in &fs {
        let office = if OFFICES.contains(&f.office.as_str()) { f.office.as_str() } else { OFFICES[0] };
        roster.push_str(&format!("{},{},{},{},{}\r\n", f.code, f.name, f.kind, f.beds, office));
    }
    std::fs::write(dir.join("roster.csv"), roster).unwrap();
    fs
}

fn publish(dir: &Path, paths: &[&str], out: &str, extra: &[&str]) -> Run {
    let mut args = vec!["aggregate"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--out", out, "--publish", "--roster", "roster.csv", "--as-of", "2026-03-31", "--quiet"]);
    args.extend_from_slice(extra);
    kensa_in(dir, &args)
}

/// Every text of a file: its bytes as text and, for a workbook, every part of its zip.
fn texts(p: &Path) -> Vec<String> {
    use std::io::Read;
    let bytes = std::fs::read(p).unwrap();
    let mut out = vec![String::from_utf8_lossy(&bytes).into_owned()];
    if p.extension().is_some_and(|e| e == "xlsx") {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut buf = Vec::new();
            part.read_to_end(&mut buf).unwrap();
            out.push(String::from_utf8_lossy(&buf).into_owned());
        }
    }
    out
}

/// A table of the release as published: its title, headers and rows of cells as text.
#[derive(Debug, Clone)]
struct Published {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Every table of summary.xlsx whose title summary.md lists (the titles are the `###` lines).
fn tables(out: &Path) -> Vec<Published> {
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    let titles: Vec<String> = md.lines().filter_map(|l| l.strip_prefix("### ")).map(|t| t.replace("\\", "")).collect();
    let mut wb: Xlsx<_> = calamine::open_workbook(out.join("summary.xlsx")).unwrap();
    let mut found = Vec::new();
    for name in wb.sheet_names() {
        let grid: Vec<Vec<Data>> = wb.worksheet_range(&name).unwrap().rows().map(|r| r.to_vec()).collect();
        for (i, r) in grid.iter().enumerate() {
            let first = r.first().map(show).unwrap_or_default();
            if !titles.contains(&first) || found.iter().any(|t: &Published| t.title == first) {
                continue;
            }
            let Some(head) = grid.get(i + 1) else { continue };
            let rows: Vec<Vec<String>> = grid[i + 2..]
                .iter()
                .take_while(|r| !r.iter().all(|c| matches!(c, Data::Empty)) && !show(&r[0]).starts_with("注:"))
                .map(|r| r.iter().map(show).collect())
                .collect();
            found.push(Published { title: first, headers: head.iter().map(show).collect(), rows });
        }
    }
    found
}

/// A cell of the release: (table, row, column).
type At = (usize, usize, usize);

/// The additive relations between the published cells, as an attacker writes them from the
/// tables' titles and headers: each is a list of (cell, coefficient) summing to zero.
fn relations(ts: &[Published], single_year: bool) -> Vec<Vec<(At, f64)>> {
    let mut rel: Vec<Vec<(At, f64)>> = Vec::new();
    let col = |t: &Published, h: &str| t.headers.iter().position(|x| x == h);
    let row = |t: &Published, l: &str| t.rows.iter().position(|r| r.first().map(String::as_str) == Some(l));
    let is_total = |l: &str| l == "計" || l == "全体" || l.starts_with("計（");
    // Rows that add up to their total row, in the given columns.
    let add_up = |rel: &mut Vec<Vec<(At, f64)>>, ti: usize, cols: &[&str]| {
        let t = &ts[ti];
        let Some(total) = t.rows.iter().position(|r| is_total(&r[0])) else { return };
        if t.rows.len() < 2 {
            return;
        }
        for h in cols {
            let Some(c) = col(t, h) else { continue };
            let mut eq: Vec<(At, f64)> = vec![((ti, total, c), -1.0)];
            eq.extend((0..t.rows.len()).filter(|r| *r != total).map(|r| ((ti, r, c), 1.0)));
            rel.push(eq);
        }
    };
    let facilities = ts.iter().position(|t| t.title == "種別・病床規模別の施設数");
    let mut wholes: Vec<At> = Vec::new();
    for (ti, t) in ts.iter().enumerate() {
        let title = t.title.as_str();
        if title == "種別・病床規模別の施設数" {
            add_up(&mut rel, ti, &["施設数"]);
        } else if title.contains("別の遵守率（") || title.starts_with("遵守率（") {
            add_up(&mut rel, ti, &["施設数"]);
            if let (Some(r), Some(c)) = (row(t, "全体"), col(t, "施設数")) {
                wholes.push((ti, r, c));
            }
            let c = col(t, "施設数").unwrap();
            if title.starts_with("種別別") {
                // Kinds against the bands of the same scope.
                let scope = title.trim_start_matches("種別別の遵守率");
                let Some(bi) = ts.iter().position(|b| b.title == format!("病床規模別の遵守率{scope}")) else {
                    continue;
                };
                let b = &ts[bi];
                let groups: [(&[&str], Vec<&str>); 4] = [
                    (&["病院"], b.rows.iter().map(|r| r[0].as_str()).filter(|l| l.starts_with("病院 ")).collect()),
                    (
                        &["一般診療所", "歯科診療所"],
                        b.rows.iter().map(|r| r[0].as_str()).filter(|l| l.starts_with("診療所")).collect(),
                    ),
                    (&["助産所"], vec!["助産所"]),
                    (&["不明"], vec!["種別不明"]),
                ];
                for (kinds, bands) in groups {
                    let mut eq: Vec<(At, f64)> =
                        kinds.iter().filter_map(|k| row(t, k)).map(|r| ((ti, r, c), 1.0)).collect();
                    eq.extend(bands.iter().filter_map(|l| row(b, l)).map(|r| ((bi, r, 1), -1.0)));
                    if !eq.is_empty() {
                        rel.push(eq);
                    }
                }
                // A single 年度 and checklist: the bands are those of the facilities counted.
                if let (Some(fi), true) = (facilities, single_year) {
                    for (r, band) in b.rows.iter().enumerate() {
                        if let Some(fr) = row(&ts[fi], &band[0]) {
                            rel.push(vec![((bi, r, 1), 1.0), ((fi, fr, 1), -1.0)]);
                        }
                    }
                }
            }
        } else if title == "最も重い指導の別による施設数" {
            add_up(&mut rel, ti, &["施設数"]);
            if let Some(fi) = facilities {
                let (a, b) = (row(t, "計").unwrap(), row(&ts[fi], "計").unwrap());
                rel.push(vec![((ti, a, 1), 1.0), ((fi, b, 1), -1.0)]);
            }
        } else if title.starts_with("実施率（") {
            add_up(&mut rel, ti, &["名簿の施設数", "立入検査を実施", "自己点検票を回収"]);
        } else if title.starts_with("項目別の回答と確認結果（") {
            for r in 0..t.rows.len() {
                let c = |h: &str| (ti, r, col(t, h).unwrap());
                let eqs: [(&str, &[&str]); 4] = [
                    ("対象", &["はい", "いいえ", "未回答"]),
                    ("施設数", &["適合", "一部適合", "不適合", "該当なし", "未確認"]),
                    ("施設数", &["適", "否", "非対象", "未回答（判定）"]),
                    ("施設数", &["対象", "非対象"]),
                ];
                for (total, parts) in eqs {
                    let mut eq = vec![(c(total), -1.0)];
                    eq.extend(parts.iter().map(|p| (c(p), 1.0)));
                    rel.push(eq);
                }
            }
        } else if title.starts_with("適合率の低い項目（") {
            let year = title.split_once('、').map(|(_, y)| y.trim_end_matches('）').to_string());
            for (r, cells) in t.rows.iter().enumerate() {
                let Some((edition, number)) = cells[1].split_once(' ') else { continue };
                let items = ts.iter().position(|x| {
                    Some(&x.title)
                        == year.as_ref().map(|y| format!("項目別の回答と確認結果（{edition}・{y}）")).as_ref()
                        || x.title == format!("項目別の回答と確認結果（{edition}）")
                });
                let Some(ii) = items else { continue };
                let Some(ir) = row(&ts[ii], number) else { continue };
                let (met, not) = (col(&ts[ii], "適").unwrap(), col(&ts[ii], "否").unwrap());
                rel.push(vec![((ti, r, 4), 1.0), ((ii, ir, met), -1.0)]);
                rel.push(vec![((ti, r, 5), 1.0), ((ii, ir, met), -1.0), ((ii, ir, not), -1.0)]);
            }
        } else if title.starts_with("自己点検の回答と立入検査の確認結果（") {
            let parts = ["はい→適合", "はい→一部適合・不適合", "いいえ→適合", "いいえ→一部適合・不適合"];
            for r in 0..t.rows.len() {
                let mut eq = vec![((ti, r, col(t, "回答と確認結果のある施設").unwrap()), -1.0)];
                eq.extend(parts.iter().map(|p| ((ti, r, col(t, p).unwrap()), 1.0)));
                rel.push(eq);
            }
            let mut cols = vec!["回答と確認結果のある施設"];
            cols.extend(parts);
            add_up(&mut rel, ti, &cols);
        } else if title.starts_with("医療情報システムの有無") {
            for r in 0..t.rows.len() {
                let c = |h: &str| (ti, r, col(t, h).unwrap());
                rel.push(vec![
                    (c("計"), -1.0),
                    (c("はい（あり）"), 1.0),
                    (c("いいえ（なし）"), 1.0),
                    (c("未回答"), 1.0),
                ]);
            }
        } else if title == "改善計画書（報告）の提出状況" {
            let r = |l: &str| (ti, row(t, l).unwrap(), 1);
            rel.push(vec![
                (r("提出を求めたもの"), -1.0),
                (r("提出されたもの"), 1.0),
                (r("未提出（期限超過）"), 1.0),
                (r("未提出（期限前・期限の記録なし）"), 1.0),
            ]);
        }
    }
    // Several 年度, one checklist: each band of the facilities counted is the sum of that band
    // over the 年度.
    if let (Some(fi), false) = (facilities, single_year) {
        let per_year: Vec<usize> = (0..ts.len()).filter(|i| ts[*i].title.starts_with("病床規模別の遵守率（")).collect();
        for (r, band) in ts[fi].rows.iter().enumerate() {
            let mut eq = vec![((fi, r, 1), -1.0)];
            for &b in &per_year {
                let label = if band[0] == "計" { "全体" } else { band[0].as_str() };
                if let Some(br) = row(&ts[b], label) {
                    eq.push(((b, br, 1), 1.0));
                }
            }
            rel.push(eq);
        }
    }
    // The 全体 of every 遵守率 table of one scope is one number; the coverage tables share 計.
    for w in wholes.windows(2) {
        let same_scope = |a: &At| ts[a.0].title.split_once('（').map(|(_, s)| s.to_string());
        if same_scope(&w[0]) == same_scope(&w[1]) {
            rel.push(vec![(w[0], 1.0), (w[1], -1.0)]);
        }
    }
    let coverage: Vec<usize> = (0..ts.len()).filter(|i| ts[*i].title.starts_with("実施率（")).collect();
    let year_of = |i: usize| ts[i].title.split_once('、').map(|(_, y)| y.to_string());
    for pair in coverage.windows(2).filter(|p| year_of(p[0]) == year_of(p[1])) {
        let (a, b) = (pair[0], pair[1]);
        let (ra, rb) = (row(&ts[a], "計").unwrap(), row(&ts[b], "計").unwrap());
        for h in ["名簿の施設数", "立入検査を実施", "自己点検票を回収"] {
            rel.push(vec![((a, ra, col(&ts[a], h).unwrap()), 1.0), ((b, rb, col(&ts[b], h).unwrap()), -1.0)]);
        }
    }
    rel
}

/// A published cell as a number: `Some(value)`, `None` for `x`; "－" is 0.
fn value(s: &str) -> Option<f64> {
    match s {
        "x" => None,
        "－" | "" => Some(0.0),
        s => Some(s.replace(',', "").trim_end_matches('*').parse::<f64>().unwrap_or(0.0)),
    }
}

/// Each hidden cell that the relations pin to a single value, with that value.
fn determined(ts: &[Published], rel: &[Vec<(At, f64)>]) -> Vec<(String, String, String, f64)> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem};
    let cell = |(t, r, c): At| ts[t].rows.get(r).and_then(|row| row.get(c)).cloned().unwrap_or_default();
    // The relations hold for the cells shown (else the attacker's reading of a table is wrong).
    for eq in rel.iter().filter(|eq| eq.iter().all(|(a, _)| value(&cell(*a)).is_some())) {
        let sum: f64 = eq.iter().map(|(a, c)| c * value(&cell(*a)).unwrap()).sum();
        let show: Vec<String> = eq
            .iter()
            .map(|(a, c)| {
                format!("{c}×{}[{}|{}|{}]", cell(*a), ts[a.0].title, ts[a.0].rows[a.1][0], ts[a.0].headers[a.2])
            })
            .collect();
        assert!(sum.abs() < 1e-6, "a relation that does not hold: {show:?}");
    }
    let hidden: BTreeSet<At> = rel.iter().flatten().map(|(a, _)| *a).filter(|a| cell(*a) == "x").collect();
    // A relation over the hidden cells: their terms, and what the shown ones leave on the other side.
    let terms_of = |eq: &[(At, f64)], vars: &BTreeMap<At, microlp::Variable>| {
        let mut terms = Vec::new();
        let mut rhs = 0.0;
        for (a, coef) in eq {
            match value(&cell(*a)) {
                None => terms.push((vars[a], *coef)),
                Some(v) => rhs -= coef * v,
            }
        }
        (terms, rhs)
    };
    let mut out = Vec::new();
    // Where the relations cannot all hold, the first that breaks them is named.
    let diagnose = || {
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let vars: BTreeMap<At, microlp::Variable> = hidden.iter().map(|h| (*h, p.add_var(0.0, (0.0, 1e7)))).collect();
        for eq in rel {
            let (terms, rhs) = terms_of(eq, &vars);
            if !terms.is_empty() {
                p.add_constraint(terms.as_slice(), ComparisonOp::Eq, rhs);
                if p.solve().is_err() {
                    let show: Vec<String> = eq
                        .iter()
                        .map(|(a, c)| {
                            format!(
                                "{c}×{}[{}|{}|{}]",
                                cell(*a),
                                ts[a.0].title,
                                ts[a.0].rows[a.1][0],
                                ts[a.0].headers[a.2]
                            )
                        })
                        .collect();
                    panic!("infeasible at {show:?}");
                }
            }
        }
    };
    // A hidden part of a total shown as 0 is 0: the total said so, and no facility is in it.
    let zero_total = |target: &At| {
        rel.iter().any(|eq| {
            eq.iter().any(|(a, _)| a == target)
                && eq.iter().all(|(a, _)| value(&cell(*a)).is_none_or(|v| v == 0.0))
                && (eq.iter().filter(|(a, _)| value(&cell(*a)).is_none()).all(|(_, c)| *c > 0.0)
                    || eq.iter().filter(|(a, _)| value(&cell(*a)).is_none()).all(|(_, c)| *c < 0.0))
        })
    };
    for target in &hidden {
        let mut bounds = [0.0f64; 2];
        for (k, dir) in [OptimizationDirection::Minimize, OptimizationDirection::Maximize].into_iter().enumerate() {
            let mut p = Problem::new(dir);
            let vars: BTreeMap<At, microlp::Variable> =
                hidden.iter().map(|h| (*h, p.add_var(if h == target { 1.0 } else { 0.0 }, (0.0, 1e7)))).collect();
            for eq in rel {
                let (terms, rhs) = terms_of(eq, &vars);
                if !terms.is_empty() {
                    p.add_constraint(terms.as_slice(), ComparisonOp::Eq, rhs);
                }
            }
            let solution = match p.solve() {
                Ok(o) => o.into_solution().unwrap(),
                Err(e) => {
                    diagnose();
                    panic!("{e:?}");
                }
            };
            bounds[k] = solution.objective();
        }
        if bounds[1] - bounds[0] < 0.5 && !(bounds[1] < 0.5 && zero_total(target)) {
            let (t, r, c) = *target;
            out.push((ts[t].title.clone(), ts[t].rows[r][0].clone(), ts[t].headers[c].clone(), bounds[0]));
        }
    }
    out
}

/// The whole audit of one published folder.
fn audit(out: &Path, fs: &[Facility], single_year: bool) {
    // Tables only.
    let mut names: Vec<String> =
        std::fs::read_dir(out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["summary.html", "summary.md", "summary.xlsx"], "{}", out.display());
    // No name, code, case id, address, 開設者 or 保健所 text of a case, nor an inspector.
    for name in &names {
        let p = out.join(name);
        let all = texts(&p);
        for f in fs {
            for secret in [&f.name, &f.code, &f.case_id, &f.address, &f.founder, &f.office] {
                if OFFICES.contains(&secret.as_str()) || secret == "医療法人" || secret == "架空市" {
                    continue;
                }
                assert!(!all.iter().any(|t| t.contains(secret.as_str())), "{secret} in {}", p.display());
            }
        }
        for s in SURNAMES.iter().flat_map(|s| GIVEN.iter().map(move |g| format!("{s} {g}"))) {
            assert!(!all.iter().any(|t| t.contains(&s)), "a person's name {s} in {}", p.display());
        }
        assert!(!all.iter().any(|t| t.contains("監視 ")), "an inspector in {}", p.display());
        assert!(!all.iter().any(|t| t.contains("施設-")), "a pseudonym in {}", p.display());
        assert!(!all.iter().any(|t| t.contains("152,4") || t.contains("1524")), "persons affected in {}", p.display());
    }
    let ts = tables(out);
    assert!(ts.len() > 15, "{:?}", ts.iter().map(|t| &t.title).collect::<Vec<_>>());
    // Labels of groups only from the closed vocabularies.
    let mut allowed: BTreeSet<&str> = [
        "国",
        "公的医療機関",
        "社会保険関係団体",
        "医療法人",
        "個人",
        "その他",
        "不明",
        "全体",
        "計",
        "病院",
        "一般診療所",
        "歯科診療所",
        "助産所",
    ]
    .into();
    allowed.extend(OFFICES);
    let bands = [
        "病院 20〜99床",
        "病院 100〜199床",
        "病院 200〜299床",
        "病院 300〜399床",
        "病院 400〜499床",
        "病院 500床〜",
        "病院 病床数不明",
        "診療所（有床）",
        "診療所（無床）",
        "診療所（病床の有無不明）",
        "種別不明",
    ];
    allowed.extend(bands);
    for t in ts.iter().filter(|t| t.title.contains("別の遵守率") || t.title.starts_with("実施率（")) {
        for r in &t.rows {
            assert!(allowed.contains(r[0].as_str()), "{} in {}", r[0], t.title);
        }
    }
    let founders = ts.iter().find(|t| t.title.starts_with("開設者別の遵守率")).expect("開設者別");
    assert!(founders.rows.len() >= 3, "{:?}", founders.rows);
    // No hidden cell is a single value under every relation of the release.
    let rel = relations(&ts, single_year);
    assert!(rel.len() > 50, "{}", rel.len());
    let hidden = ts.iter().flat_map(|t| t.rows.iter().flatten()).filter(|c| *c == "x").count();
    assert!(hidden > 0, "a prefecture with small groups hides something");
    let solved = determined(&ts, &rel);
    assert!(solved.is_empty(), "hidden cells determined by the tables: {solved:?}");
}

const SHAPES: [Shape; 3] = [
    Shape { seed: 1, facilities: 120, large: 1, incidents: 0, r6: 0 },
    Shape { seed: 2, facilities: 90, large: 2, incidents: 2, r6: 0 },
    Shape { seed: 3, facilities: 60, large: 0, incidents: 1, r6: 0 },
];

#[test]
fn published_editions_of_generated_prefectures_disclose_no_facility() {
    for s in &SHAPES {
        let tmp = tempfile::tempdir().unwrap();
        let fs = prefecture(tmp.path(), s, &[]);
        let r = publish(tmp.path(), &["集計対象"], "公表/令和7年度", &[]);
        assert_eq!(r.code, 0, "seed {}: {}", s.seed, r.all());
        audit(&tmp.path().join("公表/令和7年度"), &fs, true);
    }
}

/// A single hospital of 500床〜: the 種別 table and the 病床規模 table must not give it back
/// between them (病院 minus the other bands).
#[test]
fn a_single_hospital_in_a_band_is_not_recovered_from_the_kind_table() {
    let tmp = tempfile::tempdir().unwrap();
    let fs = prefecture(tmp.path(), &Shape { seed: 4, facilities: 220, large: 1, incidents: 0, r6: 0 }, &[]);
    assert_eq!(fs.iter().filter(|f| f.beds >= 500).count(), 1);
    publish(tmp.path(), &["集計対象"], "公表", &[]);
    let ts = tables(&tmp.path().join("公表"));
    let kinds = ts.iter().find(|t| t.title.starts_with("種別別の遵守率")).unwrap();
    let bands = ts.iter().find(|t| t.title.starts_with("病床規模別の遵守率")).unwrap();
    let hospitals = value(&kinds.rows.iter().find(|r| r[0] == "病院").unwrap()[1]);
    let shown: Vec<Option<f64>> =
        bands.rows.iter().filter(|r| r[0].starts_with("病院 ")).map(|r| value(&r[1])).collect();
    assert!(shown.iter().any(Option::is_none), "{:?}", bands.rows);
    if let Some(h) = hospitals {
        let known: f64 = shown.iter().flatten().sum();
        let unknown = shown.iter().filter(|v| v.is_none()).count();
        assert!(unknown >= 2 || h - known > 2.0, "病院 {h} − the bands shown {known} gives the hidden one back");
    }
}

/// An interim edition and the final one with one more facility: the ledger beside the output
/// hides every row one or two facilities apart, and says so (exit 3).
#[test]
fn two_editions_one_facility_apart_disclose_nothing_about_it() {
    let tmp = tempfile::tempdir().unwrap();
    let s = &SHAPES[2];
    let fs = prefecture(tmp.path(), s, &[12]);
    let r = publish(tmp.path(), &["集計対象"], "公表/中間", &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(tmp.path().join("公表/kensa-公表台帳.jsonl").exists(), "{}", r.all());
    let r = publish(tmp.path(), &["集計対象", "後から"], "公表/確定", &[]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stderr.contains("台帳"), "{}", r.stderr);
    let (a, b) = (tables(&tmp.path().join("公表/中間")), tables(&tmp.path().join("公表/確定")));
    let mut compared = 0;
    for tb in &b {
        let Some(ta) = a.iter().find(|t| t.title == tb.title && t.headers == tb.headers) else { continue };
        for rb in &tb.rows {
            let Some(ra) = ta.rows.iter().find(|r| {
                r.iter()
                    .filter(|c| value(c).is_none_or(|_| c.parse::<f64>().is_err()))
                    .eq(rb.iter().filter(|c| value(c).is_none_or(|_| c.parse::<f64>().is_err())))
            }) else {
                continue;
            };
            for (c, (x, y)) in ra.iter().zip(rb).enumerate() {
                let counts = ["施設数", "適", "否", "はい", "いいえ", "対象", "非対象", "未回答", "適合", "不適合"];
                if !counts.contains(&tb.headers[c].as_str()) {
                    continue;
                }
                if let (Some(x), Some(y)) = (value(x), value(y)) {
                    compared += 1;
                    let d = (x - y).abs();
                    assert!(!(0.5..2.5).contains(&d), "{} {:?} {}: {x} → {y}", tb.title, rb[0], tb.headers[c]);
                }
            }
        }
    }
    assert!(compared > 20, "{compared}");
    audit(&tmp.path().join("公表/確定"), &fs, true);
    // The ledger holds no name or code.
    let ledger = std::fs::read_to_string(tmp.path().join("公表/kensa-公表台帳.jsonl")).unwrap();
    for f in &fs {
        assert!(!ledger.contains(&f.name) && !ledger.contains(&f.code), "{}", f.name);
    }
    // It is never put inside the output.
    let r = publish(tmp.path(), &["集計対象"], "公表/三", &["--ledger", "公表/三/台帳.jsonl"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(!tmp.path().join("公表/三").exists());
}

/// 開設者 written as persons' names never reaches a table; a 保健所 not on the roster is 不明.
#[test]
fn labels_are_only_from_the_closed_vocabularies() {
    let tmp = tempfile::tempdir().unwrap();
    let fs = prefecture(tmp.path(), &SHAPES[1], &[]);
    let r = publish(tmp.path(), &["集計対象"], "公表", &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let ts = tables(&tmp.path().join("公表"));
    let founders = ts.iter().find(|t| t.title.starts_with("開設者別の遵守率")).unwrap();
    let labels: Vec<&str> = founders.rows.iter().map(|r| r[0].as_str()).collect();
    assert!(labels.contains(&"医療法人") && labels.contains(&"不明") && labels.contains(&"公的医療機関"), "{labels:?}");
    let offices = ts.iter().find(|t| t.title.starts_with("保健所別の遵守率")).unwrap();
    assert!(offices.rows.iter().any(|r| r[0] == "不明"), "{:?}", offices.rows);
    assert!(fs.iter().any(|f| !OFFICES.contains(&f.office.as_str())));
    // Without a roster there is no list of 保健所: no 保健所 table.
    let r = kensa_in(
        tmp.path(),
        &["aggregate", "集計対象", "--out", "公表2", "--publish", "--as-of", "2026-03-31", "--quiet"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!tables(&tmp.path().join("公表2")).iter().any(|t| t.title.starts_with("保健所別")));
}

/// The opening sentences take their numbers from the cells: a rate of 1 or 2 facilities is x.
#[test]
fn numbers_in_the_text_are_those_of_the_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Shape { seed: 9, facilities: 2, large: 0, incidents: 0, r6: 0 };
    prefecture(tmp.path(), &s, &[]);
    let r = publish(tmp.path(), &["集計対象"], "公表", &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let md = std::fs::read_to_string(tmp.path().join("公表/summary.md")).unwrap();
    let lead: Vec<&str> = md.lines().filter(|l| l.contains("遵守率は") || l.contains("を集計しました")).collect();
    assert!(!lead.is_empty(), "{md}");
    for l in &lead {
        assert!(!l.contains("2 施設") && !l.contains("1 施設") && l.contains("x"), "{l}");
    }
    assert!(lead.iter().any(|l| l.contains("遵守率は x")), "{lead:?}");
}

/// A rate of a small group that is 0 % or 100 % says every member failed or met.
#[test]
fn all_or_none_of_a_small_group_is_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    prefecture(tmp.path(), &SHAPES[2], &[]);
    publish(tmp.path(), &["集計対象"], "公表", &[]).ok();
    for t in tables(&tmp.path().join("公表")) {
        let Some(n) = t.headers.iter().position(|h| h == "施設数") else { continue };
        for r in &t.rows {
            let Some(facilities) = value(&r[n]) else { continue };
            if facilities >= 10.0 {
                continue;
            }
            for (c, h) in t.headers.iter().enumerate() {
                if h.ends_with("率") || t.title.contains("遵守率") && c > n {
                    assert!(r[c] != "0" && r[c] != "100" && r[c] != "0.0*" && r[c] != "100.0*", "{} {:?}", t.title, r);
                }
            }
        }
    }
}

/// A prefecture of two 年度 whose single hospital of 500床〜 was inspected in 令和6年度: the
/// edition of all 年度 and the edition of 令和7年度 must not give it back by subtraction (the
/// ledger hides it in the second), and the edition of all 年度 holds on its own.
#[test]
fn an_edition_of_all_years_against_one_of_a_year_discloses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Shape { seed: 5, facilities: 160, large: 1, incidents: 0, r6: 50 };
    let fs = prefecture(tmp.path(), &s, &[]);
    let r = publish(tmp.path(), &["集計対象"], "公表/全年度", &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    audit(&tmp.path().join("公表/全年度"), &fs, false);
    let r = publish(tmp.path(), &["集計対象"], "公表/令和7年度", &["--fiscal-year", "令和7"]);
    assert_eq!(r.code, 3, "{}", r.all());
    let all = tables(&tmp.path().join("公表/全年度"));
    let r7 = tables(&tmp.path().join("公表/令和7年度"));
    let band = |ts: &[Published]| {
        let t = ts.iter().find(|t| t.title == "種別・病床規模別の施設数").unwrap();
        t.rows.iter().map(|r| (r[0].clone(), value(&r[1]))).collect::<BTreeMap<_, _>>()
    };
    let (a, b) = (band(&all), band(&r7));
    for (label, x) in &a {
        if let (Some(x), Some(Some(y))) = (x, b.get(label)) {
            assert!(!(0.5..2.5).contains(&(x - y)), "{label}: {x} − {y} is the 令和6年度 alone");
        }
    }
}
