//! One facility's inspection as aggregation counts it, derived once from its case through
//! `assess`: who and what it is (kind, bed band, 保健所, 開設者, 年度), every check of an MHLW
//! checklist item with its state, the item each maps to in the edition counted, the most severe
//! guidance, the open items with due dates, and the incident's days. The tallies, the long files
//! and the matrix all read these facts; none looks at the case again.

use crate::assess::deadlines::{self, days_after};
use crate::assess::followup::{open_items, OpenItem};
use crate::assess::{gated_checklists, item_checks, ItemStatus, Mhlw};
use crate::case::{
    Amount, Case, ClinicalImpact, FacilityKind, GuidanceKind, InspectionKind, ItemRef, MeasureStatus, Party,
    Verification, YesNo,
};
use crate::checklist::{AnswerKind, Checklist, ChecklistKind, Item, Registry};
use crate::wareki;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::PathBuf;

/// Where a facility's record was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A case folder's case.toml.
    Case(PathBuf),
    /// A kensa workbook read on its own (a returned self-check or a field workbook).
    Workbook { path: PathBuf, selfcheck: bool },
}

impl Source {
    pub fn path(&self) -> &std::path::Path {
        match self {
            Source::Case(p) => p,
            Source::Workbook { path, .. } => path,
        }
    }
    /// 事案ファイル／自己点検票／現地用ワークブック.
    pub fn label(&self) -> &'static str {
        match self {
            Source::Case(_) => "事案ファイル",
            Source::Workbook { selfcheck: true, .. } => "自己点検票",
            Source::Workbook { selfcheck: false, .. } => "現地用ワークブック",
        }
    }
}

/// The bed-size bands of MHLW's hospital cyber survey, with clinics (有床・無床) and 助産所 apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Beds20,
    Beds100,
    Beds200,
    Beds300,
    Beds400,
    Beds500,
    /// A hospital whose number of beds is not recorded (or under 20).
    HospitalUnknown,
    ClinicWithBeds,
    ClinicWithoutBeds,
    /// A clinic whose number of beds is not recorded.
    ClinicUnknown,
    Midwifery,
    /// The kind of facility is not recorded.
    Unknown,
}

impl Band {
    pub const ALL: [Band; 12] = [
        Band::Beds20,
        Band::Beds100,
        Band::Beds200,
        Band::Beds300,
        Band::Beds400,
        Band::Beds500,
        Band::HospitalUnknown,
        Band::ClinicWithBeds,
        Band::ClinicWithoutBeds,
        Band::ClinicUnknown,
        Band::Midwifery,
        Band::Unknown,
    ];

    pub fn of(kind: Option<FacilityKind>, beds: Option<u32>) -> Band {
        match (kind, beds) {
            (Some(FacilityKind::Hospital), Some(b)) => match b {
                0..=19 => Band::HospitalUnknown,
                20..=99 => Band::Beds20,
                100..=199 => Band::Beds100,
                200..=299 => Band::Beds200,
                300..=399 => Band::Beds300,
                400..=499 => Band::Beds400,
                _ => Band::Beds500,
            },
            (Some(FacilityKind::Hospital), None) => Band::HospitalUnknown,
            (Some(FacilityKind::Clinic | FacilityKind::DentalClinic), Some(0)) => Band::ClinicWithoutBeds,
            (Some(FacilityKind::Clinic | FacilityKind::DentalClinic), Some(_)) => Band::ClinicWithBeds,
            (Some(FacilityKind::Clinic | FacilityKind::DentalClinic), None) => Band::ClinicUnknown,
            (Some(FacilityKind::Midwifery), _) => Band::Midwifery,
            (None, _) => Band::Unknown,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Beds20 => "病院 20〜99床",
            Band::Beds100 => "病院 100〜199床",
            Band::Beds200 => "病院 200〜299床",
            Band::Beds300 => "病院 300〜399床",
            Band::Beds400 => "病院 400〜499床",
            Band::Beds500 => "病院 500床〜",
            Band::HospitalUnknown => "病院 病床数不明",
            Band::ClinicWithBeds => "診療所（有床）",
            Band::ClinicWithoutBeds => "診療所（無床）",
            Band::ClinicUnknown => "診療所（病床の有無不明）",
            Band::Midwifery => "助産所",
            Band::Unknown => "種別不明",
        }
    }
}

/// Shown where a facility's kind, 保健所 or 開設者 is not recorded.
pub const NOT_RECORDED: &str = "不明";

/// The most severe guidance a facility received: 文書指導 > 口頭指導 > 助言 > なし.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    None,
    Advice,
    Oral,
    Written,
}

impl Severity {
    /// Most severe first.
    pub const ALL: [Severity; 4] = [Severity::Written, Severity::Oral, Severity::Advice, Severity::None];
    pub fn of(k: GuidanceKind) -> Severity {
        match k {
            GuidanceKind::Written => Severity::Written,
            GuidanceKind::Oral => Severity::Oral,
            GuidanceKind::Advice => Severity::Advice,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Severity::Written => "文書指導",
            Severity::Oral => "口頭指導",
            Severity::Advice => "助言",
            Severity::None => "指導なし",
        }
    }
}

/// One check of an MHLW checklist item (each vendor's system apart where the case answers so).
#[derive(Debug, Clone)]
pub struct Check<'r> {
    pub checklist: &'r Checklist,
    pub item: &'r Item,
    /// The system whose vendor answered (`""`: the facility).
    pub system: String,
    /// That system's vendor (事業者), as the case lists it.
    pub vendor: String,
    pub status: ItemStatus,
    /// Whether the checklist's gate item (0 医療情報システムの有無) is answered いいえ.
    pub gated: bool,
    pub confirmed_on: Option<NaiveDate>,
    pub target_on: Option<NaiveDate>,
    /// The item this one is counted as: itself, or its successor in the edition counted.
    pub counted_as: (&'r Checklist, &'r Item),
    /// The item in the newest edition it leads to (for the trend across 年度).
    pub newest: Option<(&'r Checklist, &'r Item)>,
}

impl Check<'_> {
    pub fn mhlw(&self) -> Mhlw {
        if self.item.gate {
            // The gate item (医療情報システムの有無) asks a fact, not a measure: answered, it is
            // neither 適 nor 否.
            return match self.status.answer {
                Some(_) => Mhlw::NotApplicable,
                None => Mhlw::Unanswered,
            };
        }
        self.status.mhlw(self.gated)
    }
}

/// A facility's result for one item, its checks (per vendor, or items merged into one in a
/// newer edition) combined: the worst of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemResult {
    pub mhlw: Mhlw,
    /// はい／いいえ, or `None` (未回答); `None` too where the item does not apply.
    pub answer: Option<YesNo>,
    pub verification: Verification,
    /// The facility answered はい and the inspector verified 不適合.
    pub yes_but_nonconform: bool,
}

impl ItemResult {
    fn of(c: &Check) -> ItemResult {
        let m = c.mhlw();
        ItemResult {
            mhlw: m,
            answer: if c.gated && !c.item.gate { None } else { c.status.answer },
            verification: if c.gated {
                Verification::NotApplicable
            } else {
                c.status.verification.unwrap_or(Verification::Unverified)
            },
            yes_but_nonconform: c.status.answer == Some(YesNo::Yes)
                && c.status.verification == Some(Verification::Nonconform),
        }
    }

    /// The worse of two results of one facility for one item.
    fn worst(self, o: ItemResult) -> ItemResult {
        let mhlw_rank = |m: Mhlw| match m {
            Mhlw::NotMet => 3,
            Mhlw::Unanswered => 2,
            Mhlw::Met => 1,
            Mhlw::NotApplicable => 0,
        };
        let ver_rank = |v: Verification| match v {
            Verification::Nonconform => 4,
            Verification::Partial => 3,
            Verification::Unverified => 2,
            Verification::Conform => 1,
            Verification::NotApplicable => 0,
        };
        // いいえ, then no answer where one was due, then はい; nothing due ranks lowest.
        let answer_rank = |r: &ItemResult| match (r.answer, r.mhlw) {
            (Some(YesNo::No), _) => 3,
            (None, Mhlw::NotApplicable) => 0,
            (None, _) => 2,
            (Some(YesNo::Yes), _) => 1,
        };
        let answer = if answer_rank(&o) > answer_rank(&self) { o.answer } else { self.answer };
        ItemResult {
            mhlw: if mhlw_rank(o.mhlw) > mhlw_rank(self.mhlw) { o.mhlw } else { self.mhlw },
            answer,
            verification: if ver_rank(o.verification) > ver_rank(self.verification) {
                o.verification
            } else {
                self.verification
            },
            yes_but_nonconform: self.yes_but_nonconform || o.yes_but_nonconform,
        }
    }
}

/// A guidance given or a measure, with its state at the date counted.
#[derive(Debug, Clone)]
pub struct Action {
    /// 指導 or 再発防止策.
    pub kind: &'static str,
    /// 文書指導／口頭指導／助言 or the measure's category.
    pub class: String,
    pub text: String,
    pub items: Vec<ItemRef>,
    pub given_on: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// 回答済／未回答 (guidance), the measure's status.
    pub status: String,
    pub done_on: Option<NaiveDate>,
    pub owner: String,
    pub plan_requested: bool,
    /// Open and its due date passed at the date counted.
    pub overdue: bool,
}

/// The incident of a case, in days.
#[derive(Debug, Clone, Default)]
pub struct IncidentFacts {
    pub detected: Option<NaiveDate>,
    pub attack_type: String,
    pub entry_vector: String,
    /// Each cause with the items it names (`2-⑥`).
    pub causes: Vec<(String, Vec<String>)>,
    /// Days from detection to the first report to MHLW.
    pub days_to_mhlw: Option<i64>,
    /// Days from knowing of the leak to the APPI 速報 and 確報; whether they were required.
    pub days_to_preliminary: Option<i64>,
    pub days_to_final: Option<i64>,
    pub appi_required: bool,
    /// A required report not made by its due date at the date counted.
    pub reports_missing: Vec<&'static str>,
    /// Persons whose data leaked or may have leaked (the largest figure recorded).
    pub persons: Option<Amount>,
    /// The longest stop or restriction of a clinical service, in days (to the date counted when
    /// not resumed).
    pub service_days: Option<i64>,
    /// Days from detection to full recovery.
    pub recovery_days: Option<i64>,
    /// The record as investigation reports state it (ransom, contractor, persons, costs, …).
    pub record: crate::assess::record::IncidentRecord,
}

/// Everything aggregation counts of one facility's inspection.
#[derive(Debug, Clone)]
pub struct Facility<'r> {
    pub source: Source,
    pub case_id: String,
    pub name: String,
    /// 医療機関コード, digits only.
    pub code: String,
    pub kind: Option<FacilityKind>,
    pub beds: Option<u32>,
    pub band: Band,
    /// 保健所 (or the office recorded as 担当部署・保健所).
    pub office: String,
    pub founder: String,
    pub address: String,
    pub inspection_kind: Option<InspectionKind>,
    pub dates: Vec<NaiveDate>,
    /// 年度 of the first inspection date.
    pub fiscal_year: Option<i32>,
    pub checks: Vec<Check<'r>>,
    /// Results per item counted, checks combined, in checklist order.
    pub results: Vec<((&'r Checklist, &'r Item), ItemResult)>,
    /// Results per item of the newest edition (for the trend across 年度).
    pub newest_results: Vec<((&'r Checklist, &'r Item), ItemResult)>,
    pub severity: Severity,
    /// Items named in guidance (each once per facility).
    pub guidance_items: Vec<ItemRef>,
    pub plan_requested: u32,
    pub plan_received: u32,
    pub plan_overdue: u32,
    pub actions: Vec<Action>,
    /// Open records with a due date and days left at the date counted (negative: overdue).
    pub open: Vec<(OpenItem, i64)>,
    pub incident: Option<IncidentFacts>,
    /// Whether it is an on-site inspection (立入検査) rather than a returned self-check only.
    pub inspected: bool,
}

impl<'r> Facility<'r> {
    /// The kind as a label (不明 where not recorded).
    pub fn kind_label(&self) -> &'static str {
        self.kind.map(|k| k.label()).unwrap_or(NOT_RECORDED)
    }
    pub fn office_label(&self) -> &str {
        if self.office.is_empty() {
            NOT_RECORDED
        } else {
            &self.office
        }
    }
    pub fn founder_label(&self) -> &str {
        if self.founder.is_empty() {
            NOT_RECORDED
        } else {
            &self.founder
        }
    }
}

/// How items of older editions are counted.
#[derive(Debug, Clone)]
pub struct Counting<'r> {
    /// Count the items of older editions of this checklist as the items they lead to in it.
    pub edition: Option<&'r Checklist>,
    pub as_of: NaiveDate,
    /// Where each item of the registry leads, followed once per run, not once per facility.
    links: HashMap<usize, Link<'r>>,
}

/// What an item is counted as ([`lead_to`] the `--edition`, or itself) and the newest item it
/// leads to ([`newest`]).
#[derive(Debug, Clone, Copy)]
struct Link<'r> {
    counted_as: (&'r Checklist, &'r Item),
    newest: Option<(&'r Checklist, &'r Item)>,
}

impl<'r> Counting<'r> {
    pub fn new(reg: &'r Registry, edition: Option<&'r Checklist>, as_of: NaiveDate) -> Counting<'r> {
        let mut links = HashMap::new();
        for (c, _) in reg.checklists.values() {
            for item in &c.items {
                links.insert(Self::key(item), Self::follow(reg, edition, c, item));
            }
        }
        Counting { edition, as_of, links }
    }

    /// An item is known by its place in the registry, which the run borrows.
    fn key(item: &Item) -> usize {
        std::ptr::from_ref(item) as usize
    }

    fn follow(reg: &'r Registry, edition: Option<&'r Checklist>, c: &'r Checklist, item: &'r Item) -> Link<'r> {
        let r = c.item_ref(item);
        Link { counted_as: edition.and_then(|t| lead_to(reg, &r, &t.id)).unwrap_or((c, item)), newest: newest(reg, &r) }
    }

    /// The links of an item of checklist `c` of the registry.
    fn link(&self, reg: &'r Registry, c: &'r Checklist, item: &'r Item) -> Link<'r> {
        match self.links.get(&Self::key(item)) {
            Some(l) => *l,
            None => Self::follow(reg, self.edition, c, item),
        }
    }
}

/// The item `r` leads to in checklist `target`, following the links between editions.
pub fn lead_to<'r>(reg: &'r Registry, r: &ItemRef, target: &str) -> Option<(&'r Checklist, &'r Item)> {
    let mut cur = r.clone();
    for _ in 0..32 {
        if cur.checklist() == target {
            return reg.item(&cur);
        }
        cur = reg.next_item(&cur)?;
    }
    None
}

/// The newest item `r` leads to through the links between editions (itself if none newer).
pub fn newest<'r>(reg: &'r Registry, r: &ItemRef) -> Option<(&'r Checklist, &'r Item)> {
    let mut cur = r.clone();
    for _ in 0..32 {
        match reg.next_item(&cur) {
            Some(n) => cur = n,
            None => return reg.item(&cur),
        }
    }
    reg.item(&cur)
}

/// The checklists of a case that aggregation counts: the MHLW checklists it names or answers.
fn mhlw_checklists<'r>(case: &Case, reg: &'r Registry) -> Vec<&'r Checklist> {
    let mut ids: Vec<&str> = case.inspection.checklists.iter().map(|s| s.trim()).collect();
    for a in &case.answers {
        if !ids.contains(&a.item.checklist()) {
            ids.push(a.item.checklist());
        }
    }
    let mut out: Vec<&Checklist> = Vec::new();
    for id in ids {
        if let Some(c) = reg.get(id) {
            if c.kind == ChecklistKind::Mhlw && !out.iter().any(|o| o.id == c.id) {
                out.push(c);
            }
        }
    }
    out
}

fn digits(s: &str) -> String {
    crate::wareki::normalize(s).chars().filter(|c| c.is_ascii_digit()).collect()
}

/// The longest stop of a clinical service in days, counted to `as_of` when not resumed.
fn service_days(clinical: &[ClinicalImpact], as_of: NaiveDate) -> Option<i64> {
    clinical.iter().filter_map(|c| Some((c.to.map(|d| d.0).unwrap_or(as_of) - c.from?.0).num_days())).max()
}

fn incident_facts(case: &Case, reg: &Registry, as_of: NaiveDate) -> Option<IncidentFacts> {
    if !case.is_incident() {
        return None;
    }
    let inc = case.incident.clone().unwrap_or_default();
    let detected = deadlines::detected(case);
    let reporting = deadlines::reporting(case);
    let days = |p: Party| reporting.iter().find(|d| d.party == p).and_then(|d| d.days);
    let missing = reporting.iter().filter(|d| d.missing_at(as_of)).map(|d| d.party.label()).collect();
    let persons = case.damage.as_ref().and_then(|d| d.data.iter().filter_map(|x| x.persons).max_by_key(|a| a.value));
    let recovery_days = days_after(
        detected,
        case.recovery.as_ref().and_then(|r| r.full_recovery_on).map(|d| crate::case::Stamp::day(d.0)),
    );
    let causes = case
        .causes
        .iter()
        .map(|c| {
            let items = c
                .items
                .iter()
                .map(|r| match reg.item(r) {
                    Some((ch, it)) => format!("{} {}", ch.id, it.number),
                    None => r.to_string(),
                })
                .collect();
            (c.text.trim().to_string(), items)
        })
        .collect();
    Some(IncidentFacts {
        detected: detected.map(|s| s.date),
        attack_type: inc.attack_type.trim().to_string(),
        entry_vector: inc.entry_vector.trim().to_string(),
        causes,
        days_to_mhlw: days(Party::Mhlw),
        days_to_preliminary: days(Party::PpcPreliminary),
        days_to_final: days(Party::PpcFinal),
        appi_required: deadlines::appi_required(case),
        reports_missing: missing,
        persons,
        service_days: case.damage.as_ref().and_then(|d| service_days(&d.clinical, as_of)),
        recovery_days,
        record: crate::assess::record::incident_record(case),
    })
}

/// The facts of one case.
pub fn of_case<'r>(case: &Case, source: Source, reg: &'r Registry, counting: &Counting<'r>) -> Facility<'r> {
    let as_of = counting.as_of;
    let gated = gated_checklists(case, reg);
    let systems = &case.facility.systems;
    let vendor_of = |s: &str| systems.iter().find(|x| x.name.trim() == s).map(|x| x.vendor.trim().to_string());
    let mut checks = Vec::new();
    for c in mhlw_checklists(case, reg) {
        // The checks come in the order of the items: each item is looked for from the last.
        let mut from = 0;
        for k in item_checks(case, c) {
            // The item as the registry holds it (it outlives the case).
            let Some(at) = c.items[from..].iter().position(|i| std::ptr::eq(i, k.item)) else { continue };
            from += at;
            let item = &c.items[from];
            if !matches!(item.answer, AnswerKind::Yesno | AnswerKind::Verify) {
                continue;
            }
            let answer = k.answer;
            let link = counting.link(reg, c, item);
            checks.push(Check {
                checklist: c,
                item,
                system: k.system.to_string(),
                vendor: vendor_of(k.system).unwrap_or_default(),
                status: k.status,
                gated: gated.contains(c.id.as_str()),
                confirmed_on: answer.and_then(|a| a.confirmed_on).map(|d| d.0),
                target_on: answer.and_then(|a| a.target_on).map(|d| d.0),
                counted_as: link.counted_as,
                newest: link.newest,
            });
        }
    }
    let results = combine(checks.iter().map(|c| (c.counted_as, ItemResult::of(c))));
    let newest_results = combine(checks.iter().filter_map(|c| Some((c.newest?, ItemResult::of(c)))));

    let severity = case.guidance.iter().map(|g| Severity::of(g.kind)).max().unwrap_or(Severity::None);
    let mut guidance_items: Vec<ItemRef> = Vec::new();
    for g in &case.guidance {
        for r in &g.items {
            let r =
                counting.edition.and_then(|t| lead_to(reg, r, &t.id)).map(|(c, i)| c.item_ref(i)).unwrap_or(r.clone());
            if !guidance_items.contains(&r) {
                guidance_items.push(r);
            }
        }
    }
    let plans = case.guidance.iter().filter(|g| g.plan_requested);
    let plan_requested = plans.clone().count() as u32;
    let plan_received = plans.clone().filter(|g| g.replied_on.is_some()).count() as u32;
    let plan_overdue =
        plans.filter(|g| g.replied_on.is_none() && g.reply_due.is_some_and(|d| d.0 < as_of)).count() as u32;

    let mut actions = Vec::new();
    for g in &case.guidance {
        let open = g.replied_on.is_none();
        actions.push(Action {
            kind: "指導",
            class: g.kind.label().to_string(),
            text: g.text.trim().to_string(),
            items: g.items.clone(),
            given_on: g.given_on.map(|d| d.0),
            due: g.reply_due.map(|d| d.0),
            status: if open { "未回答".into() } else { "回答済".into() },
            done_on: g.replied_on.map(|d| d.0),
            owner: crate::assess::followup::FACILITY.to_string(),
            plan_requested: g.plan_requested,
            overdue: open && g.reply_due.is_some_and(|d| d.0 < as_of),
        });
    }
    for m in &case.measures {
        let done = m.status == Some(MeasureStatus::Completed) || m.completed_on.is_some();
        actions.push(Action {
            kind: "再発防止策",
            class: m.category.map(|c| c.label().to_string()).unwrap_or_default(),
            text: m.text.trim().to_string(),
            items: m.items.clone(),
            given_on: None,
            due: m.due.map(|d| d.0),
            status: m.status.map(|s| s.label().to_string()).unwrap_or_else(|| crate::assess::UNRECORDED.to_string()),
            done_on: m.completed_on.map(|d| d.0),
            owner: m.owner.trim().to_string(),
            plan_requested: false,
            overdue: !done && m.due.is_some_and(|d| d.0 < as_of),
        });
    }
    let open = open_items(case, reg).into_iter().map(|it| {
        let left = (it.due - as_of).num_days();
        (it, left)
    });
    let dates: Vec<NaiveDate> = {
        let mut d: Vec<NaiveDate> = case.inspection.dates.iter().map(|d| d.0).collect();
        d.sort();
        d
    };
    let f = &case.facility;
    Facility {
        case_id: case.case_id.trim().to_string(),
        name: f.name.trim().to_string(),
        code: digits(&f.code),
        kind: f.kind,
        beds: f.beds,
        band: Band::of(f.kind, f.beds),
        office: f.authority.office.trim().to_string(),
        founder: f.founder.trim().to_string(),
        address: f.address.trim().to_string(),
        inspection_kind: case.inspection.kind,
        fiscal_year: dates.first().map(|d| wareki::fiscal_year(*d)),
        dates,
        results,
        newest_results,
        checks,
        severity,
        guidance_items,
        plan_requested,
        plan_received,
        plan_overdue,
        actions,
        open: open.collect(),
        incident: incident_facts(case, reg, as_of),
        inspected: matches!(&source, Source::Case(_) | Source::Workbook { selfcheck: false, .. })
            && !case.inspection.dates.is_empty(),
        source,
    }
}

/// Results per item, each facility's checks of one item combined, in the order first seen.
fn combine<'r>(
    it: impl Iterator<Item = ((&'r Checklist, &'r Item), ItemResult)>,
) -> Vec<((&'r Checklist, &'r Item), ItemResult)> {
    let mut out: Vec<((&Checklist, &Item), ItemResult)> = Vec::new();
    for (k, r) in it {
        match out.iter_mut().find(|(o, _)| std::ptr::eq(o.1, k.1)) {
            Some((_, cur)) => *cur = cur.worst(r),
            None => out.push((k, r)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_survey() {
        let h = Some(FacilityKind::Hospital);
        assert_eq!(Band::of(h, Some(20)), Band::Beds20);
        assert_eq!(Band::of(h, Some(99)), Band::Beds20);
        assert_eq!(Band::of(h, Some(100)), Band::Beds100);
        assert_eq!(Band::of(h, Some(499)), Band::Beds400);
        assert_eq!(Band::of(h, Some(500)), Band::Beds500);
        assert_eq!(Band::of(h, None), Band::HospitalUnknown);
        assert_eq!(Band::of(Some(FacilityKind::Clinic), Some(19)), Band::ClinicWithBeds);
        assert_eq!(Band::of(Some(FacilityKind::DentalClinic), Some(0)), Band::ClinicWithoutBeds);
        assert_eq!(Band::of(Some(FacilityKind::Midwifery), Some(3)), Band::Midwifery);
        assert_eq!(Band::of(None, Some(300)), Band::Unknown);
    }

    fn res(mhlw: Mhlw, answer: Option<YesNo>, v: Verification) -> ItemResult {
        ItemResult { mhlw, answer, verification: v, yes_but_nonconform: false }
    }

    #[test]
    fn the_worst_check_decides() {
        let met = res(Mhlw::Met, Some(YesNo::Yes), Verification::Conform);
        let not = res(Mhlw::NotMet, Some(YesNo::No), Verification::Unverified);
        let blank = res(Mhlw::Unanswered, None, Verification::Unverified);
        assert_eq!(met.worst(not).mhlw, Mhlw::NotMet);
        assert_eq!(not.worst(met).answer, Some(YesNo::No));
        assert_eq!(met.worst(blank).mhlw, Mhlw::Unanswered);
        assert_eq!(met.worst(blank).answer, None);
        assert_eq!(met.worst(not).verification, Verification::Unverified);
        let na = res(Mhlw::NotApplicable, None, Verification::NotApplicable);
        assert_eq!(na.worst(met), met);
    }

    /// The links followed once per run are those followed item by item.
    #[test]
    fn links_of_a_run_are_the_links_of_each_item() {
        let reg = Registry::load(None).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut old = 0;
        for edition in [None, reg.get("mhlw-r7")] {
            let counting = Counting::new(&reg, edition, as_of);
            for (c, _) in reg.checklists.values() {
                for item in &c.items {
                    let r = c.item_ref(item);
                    let link = counting.link(&reg, c, item);
                    let want = edition.and_then(|t| lead_to(&reg, &r, &t.id)).unwrap_or((c, item));
                    assert!(std::ptr::eq(link.counted_as.1, want.1), "{r}");
                    let newest_item = newest(&reg, &r).map(|(_, i)| std::ptr::from_ref(i));
                    assert_eq!(link.newest.map(|(_, i)| std::ptr::from_ref(i)), newest_item, "{r}");
                    if reg.next_edition(&c.id).is_none() {
                        assert_eq!(newest_item, Some(std::ptr::from_ref(item)), "{r} is its own newest item");
                    }
                    old += usize::from(!std::ptr::eq(link.counted_as.1, item));
                }
            }
        }
        assert!(old > 0, "with --edition mhlw-r7, R6 items are counted as R7 items");
    }

    #[test]
    fn r6_items_lead_to_r7() {
        let reg = Registry::load(None).unwrap();
        let r6 = reg.get("mhlw-r6").unwrap();
        let mapped = r6.items.iter().filter(|i| lead_to(&reg, &r6.item_ref(i), "mhlw-r7").is_some()).count();
        assert!(mapped > 0 && mapped <= r6.items.len());
        let (c, _) = newest(&reg, &r6.item_ref(&r6.items[1])).unwrap();
        assert_eq!(c.id, "mhlw-r7");
    }
}
