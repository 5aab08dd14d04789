//! The summary of a run as tables ([`Table`]): what was read, 実施率 against the roster, 適合率
//! per item, 遵守率 per section and group, the items with the lowest 適合率, the trend across
//! 年度, guidance, incidents and what is overdue. Built once from the tally; summary.xlsx,
//! summary.md and summary.html render the same tables. The 公表用 edition leaves out every
//! table of single facilities and applies suppression.

use super::facts::NOT_RECORDED;
use super::facts::{Band, Severity};
use super::roster::Coverage;
use super::table::{At, Cell, Links, Parts, Row, Table, LEGEND, ROUNDING};
use super::tally::{mhlw_index, Counts, Dimension, GroupTally, ItemTally, Pooled, Tally};
use super::Listing;
use crate::assess::followup::DueKind;
use crate::assess::Mhlw;
use crate::checklist::{Checklist, Item, Registry};
use crate::wareki;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Characters of an item's text in tables.
pub const ITEM_CHARS: usize = 40;
/// Items listed as those with the lowest 適合率.
pub const WORST: usize = 10;

/// The formulas, printed under the tables that use them.
pub const RATE_NOTE: &str = "適合率 ＝ 適 ÷（適 ＋ 否）。厚生労働省の様式に合わせ、医療監視員の確認結果があればそれにより（適合→適、一部適合・不適合→否、該当なし→非対象）、なければ医療機関の回答により（はい→適、いいえ→否）判定しています。「0 医療情報システムの有無」が「いいえ」の施設では他の項目を非対象とし、未回答は分母に含めません。";
pub const PARTIAL_NOTE: &str = "一部適合は、厚生労働省の様式（適／否／非対象）には欄がないため「否」に数えています（一部適合の施設数は別の欄に示しています）。";
pub const COMPLIANCE_NOTE: &str = "遵守率 ＝ 適である項目の数 ÷（適 ＋ 否である項目の数）。施設ごとの項目を区分内ですべて合算して算出しています（項目ごとの適合率の平均ではありません）。";
pub const YES_NOTE: &str =
    "はい率 ＝ はい ÷（はい ＋ いいえ）。医療機関の自己点検の回答によります（未回答は分母に含めません）。";
pub const COVERAGE_NOTE: &str = "実施率 ＝ 立入検査を実施した施設数 ÷ 名簿の施設数。回収率 ＝ 自己点検票を回収した施設数 ÷ 名簿の施設数。名簿と医療機関コードで照合しています。";

/// A bar of a chart (drawn in summary.html, and in summary.xlsx from the table it comes from).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Tenths of a percent; `None` where the value is hidden or has no denominator.
    pub tenths: Option<u64>,
    pub shown: String,
}

/// A chart of rates.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// The table (sheet) and the columns of its labels and values.
    pub sheet: String,
    pub table_title: String,
    pub label_col: usize,
    pub value_col: usize,
    pub bars: Vec<Bar>,
}

/// The summary of a run.
#[derive(Debug, Clone)]
pub struct Summary {
    pub title: String,
    pub publish: bool,
    pub as_of: NaiveDate,
    /// `令和7年度`, `令和6年度〜令和7年度`, or empty where no inspection date is known.
    pub years: String,
    /// Sentences of the opening paragraph.
    pub lead: Vec<String>,
    pub tables: Vec<Table>,
    pub charts: Vec<Chart>,
    /// Notes at the end: symbols, rounding.
    pub notes: Vec<String>,
    /// Rows hidden because an earlier 公表用 edition differs from them by 1 or 2 facilities.
    pub differenced: usize,
}

/// An item's number as tables show it: `2-⑥`, or `事業者 2-⑥` for an item of another form
/// than the facility's own (the 事業者確認用 repeats the facility's numbers).
pub fn item_number(c: &Checklist, i: &Item) -> String {
    match c.section(&i.section) {
        Some(s) if !s.sheet.is_empty() && s.sheet != "医療機関確認用" => {
            format!("{} {}", s.sheet.trim_end_matches("確認用"), i.number)
        }
        _ => i.number.clone(),
    }
}

/// `令和7年度版 2-⑥`.
pub fn item_label(c: &Checklist, i: &Item) -> String {
    format!("{} {}", c.edition, item_number(c, i))
}

/// A section's title, with its sheet where it is not the facility's own (`1 体制構築（事業者確認用）`).
fn section_title(s: &crate::checklist::Section) -> String {
    if s.sheet.is_empty() || s.sheet == "医療機関確認用" {
        s.title.clone()
    } else {
        format!("{}（{}）", s.title, s.sheet)
    }
}

fn pooled_rate(p: &Pooled, facilities: u64) -> Cell {
    Cell::Rate {
        num: p.met,
        den: p.applicable(),
        from_num: p.from_met,
        from_rest: p.from_not_met,
        den_facilities: facilities,
    }
}

/// `令和7年度`, or 年度不明.
pub fn year_label(y: Option<i32>) -> String {
    y.map(wareki::format_fiscal_year).unwrap_or_else(|| "年度不明".into())
}

/// A checklist's edition, with the 年度 where its tables are made per 年度: `令和7年度版・令和7年度`.
fn scope_label(c: &Checklist, year: Option<Option<i32>>) -> String {
    match year {
        Some(y) => format!("{}・{}", c.edition, year_label(y)),
        None => c.edition.clone(),
    }
}

/// The range of 年度 read, as a heading.
pub fn years_label(tally: &Tally, fiscal_year: Option<i32>) -> String {
    if let Some(y) = fiscal_year {
        return wareki::format_fiscal_year(y);
    }
    match (tally.by_year.keys().next(), tally.by_year.keys().next_back()) {
        (Some(a), Some(b)) if a == b => wareki::format_fiscal_year(*a),
        (Some(a), Some(b)) => format!("{}〜{}", wareki::format_fiscal_year(*a), wareki::format_fiscal_year(*b)),
        _ => String::new(),
    }
}

/// What the 公表用 edition is built against: the 保健所 a table may name (the roster's) and the
/// editions published before (the ledger).
pub struct Publication<'a> {
    pub offices: Option<&'a BTreeSet<String>>,
    pub earlier: &'a [super::ledger::Edition],
}

/// Builds the summary (the 公表用 edition where `publication` is given).
pub fn build(
    counts: &Counts,
    reg: &Registry,
    listing: &Listing,
    coverage: &[(Option<i32>, Coverage)],
    publication: Option<&Publication<'_>>,
    as_of: NaiveDate,
    fiscal_year: Option<i32>,
) -> Summary {
    let publish = publication.is_some();
    let offices = publication.and_then(|p| p.offices);
    let earlier = publication.map(|p| p.earlier).unwrap_or_default();
    let (tally, years_counted) = (&counts.all, &counts.years);
    let years = years_label(tally, fiscal_year);
    let edition = if publish { "公表用" } else { "内部用" };
    let title = format!(
        "{}医療機関のサイバーセキュリティ対策に関する立入検査等の集計結果（{edition}）",
        if years.is_empty() { String::new() } else { format!("{years} ") }
    );
    let mut tables =
        vec![read_table(tally, listing, publish), facilities_table(tally, publish, years_counted.len() > 1)];
    // The opening sentences are written once the tables are final (after suppression), from
    // their cells: a number of the text is never one the tables hide.
    let mut lead = vec![Lead::Opening];
    // Rates are never taken across 年度: where several are read, each table is made per 年度.
    let several = years_counted.len() > 1;
    let mut families: Vec<Family> = Vec::new();
    for (y, c) in coverage {
        let scope = if several { Some(*y) } else { None };
        let made = coverage_tables(c, publish, scope);
        lead.push(Lead::Coverage {
            title: made[0].title.clone(),
            scope: scope.map(|y| format!("{}は、", year_label(y))),
        });
        tables.extend(made);
    }
    // Each checklist's tables from the tally of its 年度, or of each 年度 it was used in.
    let items = tally.items_in_order(reg);
    let counted = checklists_counted(&items);
    let spans = |c: &Checklist| -> Vec<(Option<Option<i32>>, &Tally)> {
        let ys: Vec<(Option<i32>, &Tally)> =
            years_counted.iter().filter(|(_, t)| t.all.editions.contains_key(&c.id)).map(|(y, t)| (*y, t)).collect();
        if ys.len() > 1 {
            ys.into_iter().map(|(y, t)| (Some(y), t)).collect()
        } else {
            vec![(None, tally)]
        }
    };
    if several {
        for (y, t) in years_counted {
            if !t.gate.is_empty() {
                tables.push(gate_table(t, reg, Some(*y)));
            }
        }
    } else {
        tables.push(gate_table(tally, reg, None));
    }
    for c in &counted {
        for (y, t) in spans(c) {
            tables.push(items_table(c, &t.items_in_order(reg), y));
        }
    }
    if several {
        for (y, t) in years_counted {
            let items = t.items_in_order(reg);
            if !items.is_empty() {
                tables.push(worst_table(&items, Some(*y)));
            }
        }
    } else {
        tables.push(worst_table(&items, None));
    }
    for c in &counted {
        for (y, t) in spans(c) {
            let overall = t.all.overall_of.get(&c.id).copied().unwrap_or_default();
            let whole = compliance_table(t, c, None, y, None);
            if overall.applicable() > 0 {
                lead.push(Lead::Compliance { title: whole.title.clone(), scope: scope_label(c, y) });
            }
            let mut family = vec![whole.title.clone()];
            tables.push(whole);
            for d in Dimension::ALL {
                if publish && d == Dimension::Office && offices.is_none() {
                    continue;
                }
                let table = compliance_table(t, c, Some(d), y, if publish { offices } else { None });
                family.push(table.title.clone());
                tables.push(table);
            }
            families.push(Family {
                titles: family,
                year: y,
                facilities: t.all.editions.get(&c.id).copied().unwrap_or(0),
            });
        }
    }
    for c in &counted {
        for (y, t) in spans(c) {
            let items = t.items_in_order(reg);
            if items.iter().any(|(ic, _, x)| ic.id == c.id && x.trust.total() > 0) {
                tables.push(trust_table(c, &items, y));
            }
        }
    }
    if tally.years.len() > 1 {
        tables.push(trend_table(tally, reg));
    }
    tables.extend(guidance_tables(tally, reg, publish, years_counted.len() > 1));
    tables.push(incident_table(tally, publish));
    tables.push(open_table(tally));
    if !publish {
        tables.push(vendor_table(tally));
        let vendor_items = tally.vendor_items_in_order(reg);
        for c in checklists_counted(&vendor_items) {
            let mut t = items_table(c, &vendor_items, None);
            t.sheet = "事業者別".into();
            t.title = format!("事業者確認用の項目別の回答と確認結果（{}）", c.edition);
            t.per_facility = true;
            t.notes.insert(0, "事業者確認用の項目は、回答のあるシステム（事業者）ごとに数えています。医療機関自身の項目の集計・グラフには含めていません。".into());
            tables.push(t);
        }
    }

    let mut notes = vec![LEGEND.to_string(), ROUNDING.to_string()];
    let mut differenced = 0;
    if publish {
        tables.retain(|t| !t.per_facility);
        let links = links(&tables, &families, tally);
        super::table::suppress_release(&mut tables, &links);
        // Against the editions published before: a row 1 or 2 facilities away from one of them
        // is hidden whole, and what it could be recovered from with it.
        let rows = super::ledger::differenced(&tables, earlier);
        if !rows.is_empty() {
            for (t, r) in &rows {
                tables[*t].hide_row(*r);
            }
            super::table::suppress_release(&mut tables, &links);
            differenced = rows.len();
            notes.push(format!(
                "以前の公表用（台帳に記録したもの）と比べると差が1又は2施設になる行 {} 行を x にしています。",
                crate::text::thousands(differenced as u64)
            ));
        }
        if offices.is_none() {
            notes.push(
                "保健所別の表は、名簿（--roster）の保健所の列で保健所の名称を確かめられるときにだけ作ります。".into(),
            );
        }
    }
    let lead = lead.iter().filter_map(|l| l.sentence(&tables, tally, as_of, publish)).collect();
    let charts = charts(&tables);
    Summary { title, publish, as_of, years, lead, tables, charts, notes, differenced }
}

/// A sentence of the opening paragraph, written from the cells of a table.
enum Lead {
    /// The facilities counted (the 計 of 種別・病床規模別の施設数).
    Opening,
    /// 実施率 and 回収率 (the 計 of the coverage table of this title).
    Coverage { title: String, scope: Option<String> },
    /// 遵守率 of a checklist (the table of this title).
    Compliance { title: String, scope: String },
}

impl Lead {
    fn sentence(&self, tables: &[Table], tally: &Tally, as_of: NaiveDate, publish: bool) -> Option<String> {
        let find = |title: &str| tables.iter().find(|t| t.title == title);
        let shown = |c: &Cell| c.show().trim_end_matches('*').to_string();
        let pct = |c: &Cell| if *c == Cell::Secret { "x（秘匿）".to_string() } else { format!("{}%", shown(c)) };
        match self {
            Lead::Opening => {
                let t = find(FACILITIES_TITLE)?;
                let total = t.rows.last()?.cells.get(1)?;
                let facilities = tally.identities.len() as u64;
                if facilities == tally.facilities {
                    Some(format!(
                        "{}現在で、{} 施設の検査結果・自己点検票を集計しました。",
                        wareki::format(as_of),
                        shown(total)
                    ))
                } else {
                    let distinct = if publish && facilities <= 2 {
                        super::table::SECRET.to_string()
                    } else {
                        crate::text::thousands(facilities)
                    };
                    Some(format!(
                        "{}現在で、{} 施設（施設・年度ごとに数えて {}）の検査結果・自己点検票を集計しました。同じ施設の同じ年度の記録（事案ファイル・自己点検票・現地用ワークブック）は一つにまとめて数えています。",
                        wareki::format(as_of),
                        distinct,
                        shown(total)
                    ))
                }
            }
            Lead::Coverage { title, scope } => {
                let r = find(title)?.rows.last()?;
                Some(format!(
                    "{}名簿の {} 施設のうち、立入検査の実施は {} 施設（実施率 {}）、自己点検票の回収は {} 施設（回収率 {}）です。",
                    scope.clone().unwrap_or_default(),
                    shown(&r.cells[1]),
                    shown(&r.cells[2]),
                    pct(&r.cells[3]),
                    shown(&r.cells[4]),
                    pct(&r.cells[5]),
                ))
            }
            Lead::Compliance { title, scope } => {
                let r = find(title)?.rows.first()?;
                Some(format!(
                    "{scope}の遵守率は {} です（適である項目の数 ÷ 適又は否である項目の数、{} 施設）。",
                    pct(r.cells.last()?),
                    shown(&r.cells[1])
                ))
            }
        }
    }
}

/// The 遵守率 tables of one checklist in one scope (全体 and each 区分), by title, and the
/// facility-years they count.
struct Family {
    titles: Vec<String>,
    year: Option<Option<i32>>,
    facilities: u64,
}

/// The title of the table of facilities per 種別・病床規模.
const FACILITIES_TITLE: &str = "種別・病床規模別の施設数";

/// The numbers that tables of a release share: the 全体 of the 遵守率 tables of one checklist
/// (one number in five tables), the 病院 of the 種別 table against the hospital bands of the
/// 病床規模 table (and the clinics likewise), the bands of the facilities counted against those
/// of the 遵守率 tables, the facility-years of each 年度 against their total, the 計 of the
/// guidance table and of the coverage tables.
fn links(tables: &[Table], families: &[Family], tally: &Tally) -> Links {
    let mut l = Links::default();
    let index = |title: &str| tables.iter().position(|t| t.title == title);
    let row_of = |t: usize, label: &str| {
        tables[t].rows.iter().position(|r| r.cells.first().map(Cell::show).as_deref() == Some(label))
    };
    let total_row = |t: usize| tables[t].rows.iter().position(|r| r.total);
    let facilities = index(FACILITIES_TITLE);
    let kind_label = |k: crate::case::FacilityKind| k.label();
    // Kinds and the bands they are made of.
    use crate::case::FacilityKind as K;
    let kinds_bands: [(Vec<&str>, Vec<Band>); 4] = [
        (vec![kind_label(K::Hospital)], Band::ALL.iter().copied().filter(|b| b.label().starts_with("病院")).collect()),
        (
            vec![kind_label(K::Clinic), kind_label(K::DentalClinic)],
            vec![Band::ClinicWithBeds, Band::ClinicWithoutBeds, Band::ClinicUnknown],
        ),
        (vec![kind_label(K::Midwifery)], vec![Band::Midwifery]),
        (vec![NOT_RECORDED], vec![Band::Unknown]),
    ];
    let mut single_year_families: BTreeMap<Option<Option<i32>>, Vec<usize>> = BTreeMap::new();
    for (n, f) in families.iter().enumerate() {
        let ts: Vec<usize> = f.titles.iter().filter_map(|t| index(t)).collect();
        // The 全体 施設数 of the family, one number in each of its tables.
        let whole: Vec<At> = ts.iter().filter_map(|&t| total_row(t).or(Some(0)).map(|r| (t, r, 1))).collect();
        l.same.push(whole);
        let by = |d: Dimension| {
            ts.iter().copied().find(|&t| tables[t].headers.first().map(String::as_str) == Some(d.label()))
        };
        if let (Some(k), Some(b)) = (by(Dimension::Kind), by(Dimension::Band)) {
            for (ks, bs) in &kinds_bands {
                let mut members: Vec<(At, i64)> =
                    ks.iter().filter_map(|x| row_of(k, x)).map(|r| ((k, r, 1), 1)).collect();
                members.extend(bs.iter().filter_map(|x| row_of(b, x.label())).map(|r| ((b, r, 1), -1)));
                l.sums.push(members);
            }
            // The facilities table counts every facility-year: where the family does too, its
            // bands are the same numbers.
            if let Some(ft) = facilities.filter(|_| f.facilities == tally.facilities) {
                for band in Band::ALL {
                    if let (Some(a), Some(c)) = (row_of(ft, band.label()), row_of(b, band.label())) {
                        l.same.push(vec![(ft, a, 1), (b, c, 1)]);
                    }
                }
            }
            single_year_families.entry(f.year).or_default().push(n);
        }
    }
    // One family per 年度, together counting every facility-year: each band of the facilities
    // table is the sum of that band over the 年度.
    let per_year: Vec<usize> = single_year_families.values().filter(|v| v.len() == 1).map(|v| v[0]).collect();
    if let Some(ft) = facilities {
        if per_year.len() > 1
            && single_year_families.values().all(|v| v.len() == 1)
            && per_year.iter().map(|&n| families[n].facilities).sum::<u64>() == tally.facilities
        {
            for band in Band::ALL {
                let mut members: Vec<(At, i64)> =
                    row_of(ft, band.label()).map(|r| vec![((ft, r, 1), -1)]).unwrap_or_default();
                for &n in &per_year {
                    let f = &families[n];
                    let b = f
                        .titles
                        .iter()
                        .filter_map(|t| index(t))
                        .find(|&t| tables[t].headers.first().map(String::as_str) == Some(Dimension::Band.label()));
                    if let Some(b) = b {
                        members.extend(row_of(b, band.label()).map(|r| ((b, r, 1), 1)));
                    }
                }
                if members.len() > 1 {
                    l.sums.push(members);
                }
            }
        }
    }
    // The facility-years of each 年度 (trend table) against the total counted.
    if let (Some(ft), Some(tr)) = (facilities, tables.iter().position(|t| t.sheet == "推移")) {
        if let (Some(total), Some(r)) = (total_row(ft), row_of(tr, "施設数")) {
            let width = tables[tr].headers.len();
            let mut members: Vec<(At, i64)> = (2..width.saturating_sub(1)).map(|c| ((tr, r, c), 1)).collect();
            members.push(((ft, total, 1), -1));
            if tally.year_unknown == 0 {
                l.sums.push(members);
            }
        }
    }
    // The items with the lowest 適合率 repeat the 適 and 適＋否 of the per-item table.
    for (w, wt) in tables.iter().enumerate().filter(|(_, t)| t.sheet == "適合率の低い項目") {
        let year = wt.title.split_once('、').map(|(_, y)| y.trim_end_matches('）').to_string());
        for (r, row) in wt.rows.iter().enumerate() {
            let Some(Cell::Text(label)) = row.cells.get(1) else { continue };
            let Some((edition, number)) = label.split_once(' ') else { continue };
            let mut titles = Vec::new();
            if let Some(y) = &year {
                titles.push(format!("{ITEMS_TITLE}（{edition}・{y}）"));
            }
            titles.push(format!("{ITEMS_TITLE}（{edition}）"));
            let Some(it) = titles.iter().find_map(|t| index(t)) else { continue };
            let Some(ir) = row_of(it, number) else { continue };
            let met = ITEM_RATE_COL - 4;
            l.same.push(vec![(w, r, 4), (it, ir, met)]);
            l.sums.push(vec![((w, r, 5), 1), ((it, ir, met), -1), ((it, ir, met + 1), -1)]);
        }
    }
    // The 計 of the guidance table is the facility-years counted.
    if let (Some(ft), Some(g)) = (facilities, index(GUIDANCE_TITLE)) {
        if let (Some(a), Some(b)) = (total_row(ft), total_row(g)) {
            l.same.push(vec![(ft, a, 1), (g, b, 1)]);
        }
    }
    // The coverage tables of one scope share their 計.
    let coverage: Vec<usize> = tables.iter().enumerate().filter(|(_, t)| t.sheet == "実施率").map(|(n, _)| n).collect();
    for pair in coverage.chunks(2) {
        if let [a, b] = pair {
            if let (Some(ra), Some(rb)) = (total_row(*a), total_row(*b)) {
                for c in [1, 2, 4] {
                    l.same.push(vec![(*a, ra, c), (*b, rb, c)]);
                }
            }
        }
    }
    l
}

/// The title of the table of facilities per most severe guidance.
const GUIDANCE_TITLE: &str = "最も重い指導の別による施設数";

/// Adds one group's counts to another's (groups of facilities that do not overlap).
fn merge_group(into: &mut GroupTally, g: &GroupTally) {
    let add = |a: &mut Pooled, b: &Pooled| {
        a.met += b.met;
        a.not_met += b.not_met;
        a.from_met += b.from_met;
        a.from_not_met += b.from_not_met;
    };
    into.facilities += g.facilities;
    for (k, p) in &g.sections {
        add(into.sections.entry(k.clone()).or_default(), p);
    }
    add(&mut into.overall, &g.overall);
    for (k, n) in &g.editions {
        *into.editions.entry(k.clone()).or_default() += n;
    }
    for (k, p) in &g.overall_of {
        add(into.overall_of.entry(k.clone()).or_default(), p);
    }
}

fn count(n: u64) -> Cell {
    Cell::Count(n)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn read_table(tally: &Tally, listing: &Listing, publish: bool) -> Table {
    let _ = tally;
    let mut t = Table::new("概要", "読み込んだファイル", &["区分", "件数"]);
    // Numbers of files, not of facilities: never hidden.
    for (label, n) in &listing.files {
        t.rows.push(Row { cells: vec![text(*label), Cell::Number(*n)], facilities: u64::MAX, total: false });
    }
    let rows: [(&str, u64); 6] = [
        ("事案フォルダ等と同じ事案IDで、合わせて一つの施設として数えたワークブック", listing.joined.len() as u64),
        ("年度が対象外のため数えなかったもの", listing.other_year.values().sum()),
        ("年度の分からないもの", listing.year_unknown.len() as u64),
        ("kensa のワークブックではない .xlsx", listing.skipped.len() as u64),
        ("読めなかったファイル", listing.unreadable.len() as u64),
        ("シンボリックリンク（辿りません）", listing.links),
    ];
    for (label, n) in rows {
        t.rows.push(Row { cells: vec![text(label), Cell::Number(n)], facilities: u64::MAX, total: false });
    }
    if !publish && !listing.unreadable.is_empty() {
        t.notes.push("読めなかったファイルは「読み込み」のシートに、理由とともに一覧にしています。".into());
    }
    t
}

/// Said under the tables that count facility-years where several 年度 are read.
pub const SEVERAL_YEARS_NOTE: &str = "複数の年度を集計しているため、この表の施設数は年度ごとの延べ数です（同じ施設を年度ごとに一つと数えています。施設の実数は冒頭の文のとおりです）。";

/// `several`: several 年度 read, so that the table counts facility-years, not facilities.
fn facilities_table(tally: &Tally, publish: bool, several: bool) -> Table {
    let mut t = Table::new("概要", FACILITIES_TITLE, &["種別・病床規模", "施設数"]);
    if several {
        t.notes.push(SEVERAL_YEARS_NOTE.into());
    }
    for b in Band::ALL {
        let n = tally.by_band.get(&b).copied().unwrap_or(0);
        if n > 0 {
            t.rows.push(Row::new(vec![text(b.label()), count(n)], n));
        }
    }
    t.rows.push(Row { cells: vec![text("計"), count(tally.facilities)], facilities: tally.facilities, total: true });
    t.rows_add_up = true;
    let years: Vec<String> = tally
        .by_year
        .iter()
        .map(|(y, n)| format!("{} {} 施設", wareki::format_fiscal_year(*y), crate::text::thousands(*n)))
        .collect();
    // 公表用: the 年度 without their numbers (the tables of each 年度 show them, suppressed).
    let years: Vec<String> =
        if publish { tally.by_year.keys().map(|y| wareki::format_fiscal_year(*y)).collect() } else { years };
    if !years.is_empty() {
        t.notes.push(format!("年度（最初の実施日による）: {}", years.join("、")));
    }
    if tally.year_unknown > 0 {
        t.notes.push(if publish {
            "実施日の記録がなく年度の分からないものを含みます。".into()
        } else {
            format!("実施日の記録がなく年度の分からないもの: {} 件", tally.year_unknown)
        });
    }
    // A count outside the table's cells, so not suppressed: the internal edition only.
    if !publish && tally.maintenance_entrusted > 0 {
        t.notes.push(format!(
            "保守委託機関（セキュリティ更新をすべて契約により事業者に委託。ガイドライン第7.0版 保守委託機関編）: {} 施設",
            crate::text::thousands(tally.maintenance_entrusted)
        ));
    }
    t
}

fn coverage_tables(c: &Coverage, publish: bool, year: Option<Option<i32>>) -> Vec<Table> {
    let mut out = Vec::new();
    let headers = ["区分", "名簿の施設数", "立入検査を実施", "実施率", "自己点検票を回収", "回収率"];
    let within = |by: &str| match year {
        Some(y) => format!("実施率（{by}、{}）", year_label(y)),
        None => format!("実施率（{by}）"),
    };
    // 公表用: a 種別 the roster spells otherwise is counted as 不明 (the roster's 保健所 are the
    // list of 保健所 itself).
    let by_kind: Vec<(String, super::roster::Group)> = if publish {
        let mut merged: Vec<(String, super::roster::Group)> = Vec::new();
        for (label, g) in &c.by_kind {
            let label = if crate::case::FacilityKind::labels().contains(&label.as_str()) {
                label.clone()
            } else {
                NOT_RECORDED.to_string()
            };
            match merged.iter_mut().find(|(l, _)| *l == label) {
                Some((_, m)) => {
                    m.due += g.due;
                    m.inspected += g.inspected;
                    m.returned += g.returned;
                }
                None => merged.push((label, *g)),
            }
        }
        merged
    } else {
        c.by_kind.clone()
    };
    for (title, groups) in [(within("種別"), &by_kind), (within("保健所"), &c.by_office)] {
        let mut t = Table::new("実施率", title, &headers);
        t.data_labels = vec![0];
        for (label, g) in groups {
            t.rows.push(Row::new(
                vec![
                    text(label.clone()),
                    count(g.due),
                    count(g.inspected),
                    Cell::rate(g.inspected, g.due),
                    count(g.returned),
                    Cell::rate(g.returned, g.due),
                ],
                g.due,
            ));
        }
        let g = &c.total;
        t.rows.push(Row {
            cells: vec![
                text("計"),
                count(g.due),
                count(g.inspected),
                Cell::rate(g.inspected, g.due),
                count(g.returned),
                Cell::rate(g.returned, g.due),
            ],
            facilities: g.due,
            total: true,
        });
        t.rows_add_up = true;
        t.derived = vec![(3, vec![1, 2]), (5, vec![1, 4])];
        t.notes.push(super::summary::COVERAGE_NOTE.into());
        out.push(t);
    }
    let mut missing = Table::new(
        "未実施",
        match year {
            Some(y) => format!("立入検査・自己点検票のない施設（名簿による、{}）", year_label(y)),
            None => "立入検査・自己点検票のない施設（名簿による）".into(),
        },
        &["医療機関コード", "施設名", "種別", "病床数", "保健所", "立入検査", "自己点検票"],
    );
    missing.per_facility = true;
    for m in &c.missing {
        missing.rows.push(Row::new(
            vec![
                text(m.code.clone()),
                text(m.name.clone()),
                text(m.kind.clone()),
                m.beds.map(|b| count(u64::from(b))).unwrap_or(text("")),
                text(m.office.clone()),
                text(if m.inspected { "実施" } else { "未実施" }),
                text(if m.returned { "回収" } else { "未回収" }),
            ],
            1,
        ));
    }
    if c.unmatched > 0 {
        let more = if c.unmatched > c.unmatched_first.len() as u64 { "ほか" } else { "" };
        missing.notes.push(format!(
            "名簿にない医療機関コードの施設: {} 施設（{}{more}）",
            crate::text::thousands(c.unmatched),
            c.unmatched_first.join("、")
        ));
    }
    if !publish {
        out.push(missing);
    }
    out
}

fn gate_table(tally: &Tally, reg: &Registry, year: Option<Option<i32>>) -> Table {
    let title = match year {
        Some(y) => format!("医療情報システムの有無（各チェックリストの 0 の項目、{}）", year_label(y)),
        None => "医療情報システムの有無（各チェックリストの 0 の項目）".into(),
    };
    let mut t = Table::new("項目別", title, &["チェックリスト", "はい（あり）", "いいえ（なし）", "未回答", "計"]);
    for (id, g) in &tally.gate {
        let name = reg.get(id).map(|c| c.edition.clone()).unwrap_or(id.clone());
        let total = g.iter().sum();
        t.rows.push(Row::new(vec![text(name), count(g[0]), count(g[1]), count(g[2]), count(total)], total));
    }
    t.parts.push(Parts { parts: vec![1, 2, 3], total: 4 });
    t.notes.push(
        "「いいえ」（医療情報システムなし）の施設では、そのチェックリストの他の項目を非対象としています。".into(),
    );
    t
}

/// The columns of the per-item table.
pub const ITEM_HEADERS: [&str; 22] = [
    "番号",
    "項目",
    "区分",
    "施設数",
    "対象",
    "はい",
    "いいえ",
    "未回答",
    "はい率",
    "適合",
    "一部適合",
    "不適合",
    "該当なし",
    "未確認",
    "適",
    "否",
    "非対象",
    "未回答（判定）",
    "適合率",
    "はいのうち不適合",
    "指導した施設",
    "項目ID",
];

/// The title of the per-item table, before its scope.
const ITEMS_TITLE: &str = "項目別の回答と確認結果";

/// The column of 適合率 in the per-item table.
pub const ITEM_RATE_COL: usize = 18;

fn items_table(c: &Checklist, items: &[(&Checklist, &Item, &ItemTally)], year: Option<Option<i32>>) -> Table {
    let mut t = Table::new("項目別", format!("{ITEMS_TITLE}（{}）", scope_label(c, year)), &ITEM_HEADERS);
    for (_, i, x) in items.iter().filter(|(ic, _, _)| ic.id == c.id) {
        let mut cells = vec![
            text(item_number(c, i)),
            text(crate::text::short(&i.text, ITEM_CHARS)),
            text(c.section(&i.section).map(section_title).unwrap_or_default()),
            count(x.facilities),
            count(x.applicable()),
            count(x.answers[0]),
            count(x.answers[1]),
            count(x.answers[2]),
            Cell::rate(x.answers[0], x.answers[0] + x.answers[1]),
        ];
        cells.extend(x.verification.iter().map(|n| count(*n)));
        cells.extend(Mhlw::ALL.iter().map(|m| count(x.get(*m))));
        cells.push(Cell::rate(x.get(Mhlw::Met), x.get(Mhlw::Met) + x.get(Mhlw::NotMet)));
        cells.push(count(x.yes_but_nonconform));
        cells.push(count(x.guided));
        cells.push(text(format!("{}:{}", c.id, i.id)));
        t.rows.push(Row::new(cells, x.facilities));
    }
    t.parts = vec![
        Parts { parts: vec![5, 6, 7], total: 4 },
        Parts { parts: vec![9, 10, 11, 12, 13], total: 3 },
        Parts { parts: vec![14, 15, 16, 17], total: 3 },
        Parts { parts: vec![4, 16], total: 3 },
    ];
    t.derived = vec![(8, vec![5, 6]), (ITEM_RATE_COL, vec![14, 15])];
    t.notes = vec![RATE_NOTE.into(), PARTIAL_NOTE.into(), YES_NOTE.into()];
    debug_assert_eq!(mhlw_index(Mhlw::Met), 0);
    t
}

/// The checklists counted, in registry order.
fn checklists_counted<'r>(items: &[(&'r Checklist, &'r Item, &ItemTally)]) -> Vec<&'r Checklist> {
    let mut out: Vec<&Checklist> = Vec::new();
    for (c, _, _) in items {
        if !out.iter().any(|o| o.id == c.id) {
            out.push(c);
        }
    }
    out
}

fn worst_table(items: &[(&Checklist, &Item, &ItemTally)], year: Option<Option<i32>>) -> Table {
    let mut ranked: Vec<(u64, usize, &(&Checklist, &Item, &ItemTally))> = items
        .iter()
        .enumerate()
        .filter_map(|(n, e)| {
            let x = e.2;
            let den = x.get(Mhlw::Met) + x.get(Mhlw::NotMet);
            Cell::tenths(x.get(Mhlw::Met), den).map(|r| (r, n, e))
        })
        .collect();
    ranked.sort_by_key(|(r, n, _)| (*r, *n));
    let mut t = Table::new(
        "適合率の低い項目",
        match year {
            Some(y) => format!("適合率の低い項目（下位{WORST}項目、{}）", year_label(y)),
            None => format!("適合率の低い項目（下位{WORST}項目）"),
        },
        &["順位", "項目", "内容", "適合率", "適の施設数", "判定のある施設数（適＋否）"],
    );
    for (rank, (_, _, (c, i, x))) in ranked.into_iter().take(WORST).enumerate() {
        let den = x.get(Mhlw::Met) + x.get(Mhlw::NotMet);
        t.rows.push(Row::new(
            vec![
                text((rank + 1).to_string()),
                text(item_label(c, i)),
                text(crate::text::short(&i.text, ITEM_CHARS)),
                Cell::rate(x.get(Mhlw::Met), den),
                count(x.get(Mhlw::Met)),
                count(den),
            ],
            den,
        ));
    }
    t.derived = vec![(3, vec![4, 5])];
    t.notes.push(
        "「適の施設数」の施設が「判定のある施設数」の施設のうち適である、と読みます（例: 40施設中12施設）。".into(),
    );
    t.notes.push(RATE_NOTE.into());
    t
}

/// A 遵守率 table: all facilities, or one row per group of a dimension. With `offices` (公表用),
/// a 保健所 not on that list is counted as 不明.
fn compliance_table(
    tally: &Tally,
    c: &Checklist,
    d: Option<Dimension>,
    year: Option<Option<i32>>,
    offices: Option<&BTreeSet<String>>,
) -> Table {
    // Sections with something to count (the gate item's section has no 適 or 否).
    let sections: Vec<&crate::checklist::Section> = c
        .sections
        .iter()
        .filter(|s| tally.all.sections.get(&(c.id.clone(), s.id.clone())).is_some_and(|p| p.applicable() > 0))
        .collect();
    let mut headers: Vec<String> = vec![d.map(|d| d.label()).unwrap_or("区分").to_string(), "施設数".into()];
    headers.extend(sections.iter().map(|s| section_title(s)));
    headers.push("全体".into());
    let title = match d {
        None => format!("遵守率（{}）", scope_label(c, year)),
        Some(d) => format!("{}別の遵守率（{}）", d.label(), scope_label(c, year)),
    };
    let mut t = Table::new("区分別", title, &[]);
    t.headers = headers;
    let row_of = |label: String, g: &super::tally::GroupTally, total: bool| {
        let facilities = g.editions.get(&c.id).copied().unwrap_or_default();
        let mut cells = vec![text(label), count(facilities)];
        for s in &sections {
            let p = g.sections.get(&(c.id.clone(), s.id.clone())).copied().unwrap_or_default();
            cells.push(pooled_rate(&p, facilities));
        }
        let overall = g.overall_of.get(&c.id).copied().unwrap_or_default();
        cells.push(pooled_rate(&overall, facilities));
        Row { cells, facilities, total }
    };
    match d {
        None => t.rows.push(row_of("全体".into(), &tally.all, true)),
        Some(d) => {
            t.data_labels = vec![0];
            let merged: Option<BTreeMap<(u32, String), GroupTally>> = match (d, offices, tally.groups.get(&d)) {
                (Dimension::Office, Some(list), Some(groups)) => {
                    let mut m: BTreeMap<(u32, String), GroupTally> = BTreeMap::new();
                    for ((_, label), g) in groups {
                        let key = if list.contains(label) { (0, label.clone()) } else { (1, NOT_RECORDED.to_string()) };
                        merge_group(m.entry(key).or_default(), g);
                    }
                    Some(m)
                }
                _ => None,
            };
            if let Some(groups) = merged.as_ref().or(tally.groups.get(&d)) {
                for ((_, label), g) in groups {
                    if g.editions.contains_key(&c.id) {
                        t.rows.push(row_of(label.clone(), g, false));
                    }
                }
            }
            t.rows.push(row_of("全体".into(), &tally.all, true));
            t.rows_add_up = true;
        }
    }
    if d.is_none() {
        t.notes.push(COMPLIANCE_NOTE.into());
    }
    t
}

/// The columns of the table of how far self-checks held.
pub const TRUST_HEADERS: [&str; 9] = [
    "番号",
    "項目",
    "回答と確認結果のある施設",
    "はい→適合",
    "はい→一部適合・不適合",
    "「はい」のうち否と確認した割合",
    "いいえ→適合",
    "いいえ→一部適合・不適合",
    "「いいえ」のうち適合と確認した割合",
];

/// How far the facilities' own answers held where the inspector verified them, item by item
/// and in total: what a prefecture weighs in choosing where to inspect next.
fn trust_table(c: &Checklist, items: &[(&Checklist, &Item, &ItemTally)], year: Option<Option<i32>>) -> Table {
    let mut t = Table::new(
        "自己点検の確かさ",
        format!("自己点検の回答と立入検査の確認結果（{}）", scope_label(c, year)),
        &TRUST_HEADERS,
    );
    let row = |label: String, text_: String, x: &super::tally::Trust, total: bool| {
        let n = x.total();
        Row {
            cells: vec![
                text(label),
                text(text_),
                count(n),
                count(x.yes_met),
                count(x.yes_not),
                Cell::rate(x.yes_not, x.yes_met + x.yes_not),
                count(x.no_met),
                count(x.no_not),
                Cell::rate(x.no_met, x.no_met + x.no_not),
            ],
            facilities: n,
            total,
        }
    };
    let mut all = super::tally::Trust::default();
    for (_, i, x) in items.iter().filter(|(ic, _, x)| ic.id == c.id && x.trust.total() > 0) {
        all.merge(&x.trust);
        t.rows.push(row(item_number(c, i), crate::text::short(&i.text, ITEM_CHARS), &x.trust, false));
    }
    let mut total = row("計（項目の延べ数）".into(), String::new(), &all, true);
    total.facilities = u64::MAX;
    t.rows.push(total);
    t.parts = vec![Parts { parts: vec![3, 4, 6, 7], total: 2 }];
    // The 計 is the sum of the items: a column with one hidden cell would give it back.
    t.rows_add_up = true;
    t.derived = vec![(5, vec![3, 4]), (8, vec![6, 7])];
    t.notes.push("同じ年度に立入検査をした施設のうち、医療機関の回答（はい／いいえ）と医療監視員の確認結果（適合・一部適合・不適合）の両方がある項目を数えています。「はい」のうち否と確認した割合が高い項目ほど、自己点検の回答だけでは確かめられないことを示します。".into());
    t
}

fn trend_table(tally: &Tally, reg: &Registry) -> Table {
    let years: Vec<i32> = tally.years.keys().copied().collect();
    let mut headers = vec!["項目".to_string(), "内容".to_string()];
    headers.extend(years.iter().map(|y| format!("{} 適合率", wareki::format_fiscal_year(*y))));
    headers.push("前年度からの増減（ポイント）".into());
    let mut t = Table::new("推移", "適合率の推移（各年度の項目を最新の版の項目に対応づけて集計）", &[]);
    t.headers = headers;
    let rate = |x: Option<&ItemTally>| match x {
        Some(x) => Cell::rate(x.get(Mhlw::Met), x.get(Mhlw::Met) + x.get(Mhlw::NotMet)),
        None => Cell::rate(0, 0),
    };
    let change = |cells: &[Cell]| -> Cell {
        let tenths = |c: &Cell| match c {
            Cell::Rate { num, den, .. } => Cell::tenths(*num, *den),
            _ => None,
        };
        match cells {
            [.., a, b] => match (tenths(a), tenths(b)) {
                (Some(a), Some(b)) => Cell::Points(Some(b as i64 - a as i64)),
                _ => Cell::Points(None),
            },
            _ => Cell::Points(None),
        }
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    for id in reg.ids() {
        let Some(c) = reg.get(id) else { continue };
        for i in &c.items {
            let key = (c.id.clone(), i.id.clone());
            if i.gate || seen.contains(&key) || !tally.years.values().any(|y| y.items.contains_key(&key)) {
                continue;
            }
            seen.push(key.clone());
            let rates: Vec<Cell> = years.iter().map(|y| rate(tally.years[y].items.get(&key))).collect();
            let facilities = years.iter().filter_map(|y| tally.years[y].items.get(&key)).map(|x| x.facilities).min();
            let mut cells = vec![text(item_label(c, i)), text(crate::text::short(&i.text, ITEM_CHARS))];
            let ch = change(&rates);
            cells.extend(rates);
            cells.push(ch);
            t.rows.push(Row::new(cells, facilities.unwrap_or(0)));
        }
    }
    let overall: Vec<Cell> =
        years.iter().map(|y| pooled_rate(&tally.years[y].overall, tally.years[y].facilities)).collect();
    let facilities: Vec<Cell> = years.iter().map(|y| count(tally.years[y].facilities)).collect();
    let mut cells = vec![text("遵守率（全体）"), text("")];
    let ch = change(&overall);
    cells.extend(overall);
    cells.push(ch);
    t.rows.push(Row::new(cells, years.iter().map(|y| tally.years[y].facilities).min().unwrap_or(0)));
    let mut cells = vec![text("施設数"), text("")];
    cells.extend(facilities);
    cells.push(text(""));
    t.rows.push(Row::new(cells, u64::MAX));
    t.notes.push("令和6年度版の項目は、令和7年度版の対応する項目（後継の項目）として集計しています。増減は、最後の年度とその前の年度の適合率の差（ポイント、△は減少）です。".into());
    t.notes.push(RATE_NOTE.into());
    t
}

/// `several`: several 年度 read, so that the tables count facility-years, not facilities.
fn guidance_tables(tally: &Tally, reg: &Registry, publish: bool, several: bool) -> Vec<Table> {
    let mut by = Table::new("指導", GUIDANCE_TITLE, &["指導", "施設数"]);
    if several {
        by.notes.push(SEVERAL_YEARS_NOTE.into());
    }
    for (k, s) in Severity::ALL.iter().enumerate() {
        by.rows.push(Row::new(vec![text(s.label()), count(tally.severity[k])], tally.severity[k]));
    }
    by.rows.push(Row { cells: vec![text("計"), count(tally.facilities)], facilities: tally.facilities, total: true });
    by.rows_add_up = true;
    by.notes.push("施設ごとに、受けた指導のうち最も重いもの（文書指導＞口頭指導＞助言）で数えています。".into());

    let mut items = Table::new("指導", "指導の対象となった項目", &["項目", "内容", "指導した施設数"]);
    items.data_labels = vec![0];
    let mut unknown = 0u64;
    for (r, n) in &tally.guidance_items {
        let (label, body) = match r.parse().ok().and_then(|r| reg.item(&r)) {
            Some((c, i)) => (item_label(c, i), crate::text::short(&i.text, ITEM_CHARS)),
            // 公表用: an item no checklist knows is the case's own text; it is not shown.
            None if publish => {
                unknown += 1;
                continue;
            }
            None => (r.clone(), String::new()),
        };
        items.rows.push(Row::new(vec![text(label), text(body), count(*n)], *n));
    }

    if unknown > 0 {
        items.notes.push(format!(
            "チェックリストにない項目への指導（{} 項目）は表に含めていません。",
            crate::text::thousands(unknown)
        ));
    }
    let mut plans = Table::new("指導", "改善計画書（報告）の提出状況", &["区分", "件数"]);
    let pending = tally.plans_requested - tally.plans_received.min(tally.plans_requested);
    for (label, n) in [
        ("提出を求めたもの", tally.plans_requested),
        ("提出されたもの", tally.plans_received),
        ("未提出（期限超過）", tally.plans_overdue),
        ("未提出（期限前・期限の記録なし）", pending - tally.plans_overdue.min(pending)),
    ] {
        plans.rows.push(Row::new(vec![text(label), count(n)], n));
    }
    plans.rows_add_up = true;
    let asked = tally.facilities_with_plan;
    plans.notes.push(format!(
        "提出を求めた施設: {} 施設。提出の有無は指導事項の回答日（replied_on）の記録によります。",
        if publish && (asked == 1 || asked == 2) { super::table::SECRET.to_string() } else { asked.to_string() }
    ));
    vec![by, items, plans]
}

fn days(v: Option<i64>) -> Cell {
    Cell::Days(v)
}

fn incident_table(tally: &Tally, publish: bool) -> Table {
    if publish {
        let mut t = Table::new("事案", "サイバー攻撃事案", &["区分", "件数"]);
        let n = |f: &dyn Fn(&super::tally::IncidentRow) -> bool| tally.incidents.iter().filter(|i| f(i)).count() as u64;
        for (label, v) in [
            ("事案に係る立入検査等", tally.incidents.len() as u64),
            ("厚生労働省への報告の記録あり", n(&|i| i.facts.days_to_mhlw.is_some())),
            ("個人情報保護委員会への報告が必要", n(&|i| i.facts.appi_required)),
            ("同 速報の記録あり", n(&|i| i.facts.days_to_preliminary.is_some())),
            ("同 確報の記録あり", n(&|i| i.facts.days_to_final.is_some())),
            ("期限を過ぎて未提出の報告がある", n(&|i| !i.facts.reports_missing.is_empty())),
        ] {
            t.rows.push(Row::new(vec![text(label), count(v)], v));
        }
        return t;
    }
    let mut t = Table::new(
        "事案",
        "サイバー攻撃事案",
        &[
            "事案ID",
            "施設名",
            "種別",
            "覚知日",
            "攻撃の種類",
            "侵入経路",
            "原因と関係する項目",
            "厚生労働省への報告（覚知から日数）",
            "個人情報保護委員会 速報（日数）",
            "同 確報（日数）",
            "期限を過ぎて未提出",
            "影響を受けた本人の数",
            "診療の停止・制限（日数、最長）",
            "全面復旧まで（日数）",
        ],
    );
    t.per_facility = true;
    for i in &tally.incidents {
        let f = &i.facts;
        let causes: Vec<String> = f
            .causes
            .iter()
            .map(|(c, items)| if items.is_empty() { c.clone() } else { format!("{c}（{}）", items.join("、")) })
            .collect();
        let appi = |d: Option<i64>| if f.appi_required { days(d) } else { text("不要") };
        t.rows.push(Row::new(
            vec![
                text(i.case_id.clone()),
                text(i.facility.clone()),
                text(i.kind),
                Cell::Date(f.detected),
                text(f.attack_type.clone()),
                text(f.entry_vector.clone()),
                text(causes.join("／")),
                days(f.days_to_mhlw),
                appi(f.days_to_preliminary),
                appi(f.days_to_final),
                text(f.reports_missing.join("、")),
                text(f.persons.map(|a| a.to_string()).unwrap_or_else(|| super::table::UNKNOWN.into())),
                days(f.service_days),
                days(f.recovery_days),
            ],
            1,
        ));
    }
    t.notes.push(crate::assess::deadlines::DAYS_NOTE.into());
    t
}

fn open_table(tally: &Tally) -> Table {
    let mut t = Table::new("期限", "期限のある未了の事項", &["区分", "未了", "うち期限超過", "期限超過のある施設"]);
    for k in [DueKind::Guidance, DueKind::Measure, DueKind::Target] {
        let c = tally.open.get(&k).copied().unwrap_or_default();
        t.rows.push(Row::new(
            vec![text(k.label()), count(c.open), count(c.overdue), count(c.facilities_overdue)],
            c.open,
        ));
    }
    t.notes.push("指導への回答は回答日の記録まで、再発防止策は完了まで、「いいえ」と回答した項目の目標日は確認結果が適合又は該当なしになるまで未了です。".into());
    t
}

fn vendor_table(tally: &Tally) -> Table {
    let mut t = Table::new(
        "事業者別",
        "事業者別の遵守率（事業者確認用の項目）",
        &["事業者", "施設数", "システム数", "適", "否", "遵守率"],
    );
    t.per_facility = true;
    for (v, x) in &tally.vendors {
        t.rows.push(Row::new(
            vec![
                text(v.clone()),
                count(x.facilities),
                count(x.systems),
                count(x.pooled.met),
                count(x.pooled.not_met),
                pooled_rate(&x.pooled, x.facilities),
            ],
            x.facilities,
        ));
    }
    t.notes.push(
        "事業者確認用の項目をシステムごとに回答している事案について、システムの事業者ごとに合算しています。".into(),
    );
    t
}

/// The charts: 適合率 per item and 遵守率 per section, from the tables (after suppression).
fn charts(tables: &[Table]) -> Vec<Chart> {
    let tenths = |c: &Cell| match c {
        Cell::Rate { num, den, .. } => Cell::tenths(*num, *den),
        _ => None,
    };
    let mut out = Vec::new();
    for t in tables.iter().filter(|t| t.sheet == "項目別" && t.headers.len() == ITEM_HEADERS.len()) {
        let bars = t
            .rows
            .iter()
            .map(|r| Bar {
                label: r.cells[0].show(),
                tenths: tenths(&r.cells[ITEM_RATE_COL]),
                shown: r.cells[ITEM_RATE_COL].show(),
            })
            .collect();
        let edition = t.title.rsplit_once('（').map(|(_, e)| e.trim_end_matches('）')).unwrap_or("");
        out.push(Chart {
            title: format!("項目別の適合率（{edition}、%）"),
            sheet: t.sheet.clone(),
            table_title: t.title.clone(),
            label_col: 0,
            value_col: ITEM_RATE_COL,
            bars,
        });
    }
    for t in tables.iter().filter(|t| t.sheet == "区分別" && t.title.starts_with("遵守率（")) {
        let Some(row) = t.rows.first() else { continue };
        let bars = t.headers[2..]
            .iter()
            .zip(&row.cells[2..])
            .map(|(h, c)| Bar { label: h.clone(), tenths: tenths(c), shown: c.show() })
            .collect();
        let edition = t.title.trim_start_matches("遵守率（").trim_end_matches('）');
        out.push(Chart {
            title: format!("区分ごとの遵守率（{edition}、%）"),
            sheet: t.sheet.clone(),
            table_title: t.title.clone(),
            label_col: 0,
            value_col: 2,
            bars,
        });
    }
    out
}
