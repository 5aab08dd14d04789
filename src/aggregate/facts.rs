//! One facility's inspection as aggregation counts it, derived once from its case through
//! `assess`: who and what it is (kind, bed band, 保健所, 開設者, 年度), every check of an MHLW
//! checklist item with its state, the item each maps to in the edition counted, the most severe
//! guidance, the open items with due dates, and the incident's days. The tallies, the long files
//! and the matrix all read these facts; none looks at the case again.

use crate::assess::deadlines::{self, days_after};
use crate::assess::followup::{open_items, OpenItem};
use crate::assess::{gated_checklists, item_checks, ItemStatus, Mhlw};
use crate::case::{
    Amount, Case, ClinicalImpact, FacilityKind, GuidanceKind, InspectionKind, ItemRef, Party, Verification, YesNo,
};
use crate::checklist::{AnswerKind, Checklist, ChecklistKind, Item, Registry, Respondent};
use crate::wareki;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::PathBuf;

/// Where a facility's record was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A case folder's case.toml.
    Case(PathBuf),
    /// A kensa workbook read on its own (a returned self-check or a field workbook), with the 年度
    /// it recorded when it was made (`kensa workbook --for facility --fiscal-year`).
    Workbook { path: PathBuf, selfcheck: bool, recorded_year: Option<i32> },
}

impl Source {
    pub fn path(&self) -> &std::path::Path {
        match self {
            Source::Case(p) => p,
            Source::Workbook { path, .. } => path,
        }
    }
    /// Whether the record is a facility's returned self-check (its own answers, no inspection).
    pub fn is_selfcheck(&self) -> bool {
        matches!(self, Source::Workbook { selfcheck: true, .. })
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
    Pharmacy,
    /// The kind of facility is not recorded.
    Unknown,
}

impl Band {
    pub const ALL: [Band; 13] = [
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
        Band::Pharmacy,
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
            (Some(FacilityKind::Pharmacy), _) => Band::Pharmacy,
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
            Band::Pharmacy => "薬局",
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
    /// The item's place in the run's plan ([`Counting::planned`]).
    pub ix: usize,
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
    /// Whether the check is a vendor's: answered per system, or an item of the 事業者確認用
    /// answered at all.
    pub fn is_vendors(&self) -> bool {
        !self.system.is_empty() || (self.item.respondent == Respondent::Vendor && self.status.answered())
    }

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
    pub fn of(c: &Check) -> ItemResult {
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
    /// The files of the facility-year, the record counted first (an inspection's) first.
    pub sources: Vec<Source>,
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
    /// The 年度 counted: of the first inspection date; for a returned self-check without one,
    /// of its latest 確認日.
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
    /// The incidents investigated (one per incident case of the facility-year).
    pub incidents: Vec<IncidentFacts>,
    /// Whether it is an on-site inspection (立入検査) rather than a returned self-check only.
    pub inspected: bool,
    /// 保守委託機関 (ガイドライン第7.0版): all security updates entrusted to vendors by contract.
    pub maintenance_entrusted: bool,
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

/// How items of older editions are counted, planned once per run: every item of the registry
/// in one row (checklist by checklist, in registry order), with what it is counted as and the
/// newest item it leads to. A check carries its item's place in the row (`Check::ix`), so that
/// what is known of an item is found by index, never looked up by name or address.
#[derive(Debug, Clone)]
pub struct Counting<'r> {
    /// Count the items of older editions of this checklist as the items they lead to in it.
    pub edition: Option<&'r Checklist>,
    pub as_of: NaiveDate,
    items: Vec<Planned<'r>>,
    /// Where each checklist's items begin in `items`.
    starts: HashMap<&'r str, usize>,
}

/// One item of the registry as a run counts it.
#[derive(Debug, Clone, Copy)]
pub struct Planned<'r> {
    pub checklist: &'r Checklist,
    pub item: &'r Item,
    /// What it is counted as (`Registry::lead_to` the `--edition`, or itself).
    pub counted_as: (&'r Checklist, &'r Item),
    /// The newest item it leads to (`Registry::newest`).
    pub newest: Option<(&'r Checklist, &'r Item)>,
}

impl<'r> Counting<'r> {
    pub fn new(reg: &'r Registry, edition: Option<&'r Checklist>, as_of: NaiveDate) -> Counting<'r> {
        let mut items = Vec::new();
        let mut starts = HashMap::new();
        for id in reg.ids() {
            let Some(c) = reg.get(id) else { continue };
            starts.insert(c.id.as_str(), items.len());
            for item in &c.items {
                let r = c.item_ref(item);
                items.push(Planned {
                    checklist: c,
                    item,
                    counted_as: edition.and_then(|t| reg.lead_to(&r, &t.id)).unwrap_or((c, item)),
                    newest: reg.newest(&r),
                });
            }
        }
        Counting { edition, as_of, items, starts }
    }

    /// Every item of the registry, in the order of [`Check::ix`].
    pub fn planned(&self) -> &[Planned<'r>] {
        &self.items
    }

    /// The place in the plan of the `at`-th item of checklist `c`.
    fn index(&self, c: &Checklist, at: usize) -> Option<usize> {
        self.starts.get(c.id.as_str()).map(|s| s + at).filter(|i| *i < self.items.len())
    }
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
            let Some(ix) = counting.index(c, from) else { continue };
            let link = counting.items[ix];
            checks.push(Check {
                ix,
                checklist: c,
                item,
                system: k.system.to_string(),
                vendor: vendor_of(k.system).unwrap_or_default(),
                status: k.status,
                gated: gated.contains(c.id.as_str()),
                confirmed_on: answer.and_then(|a| a.confirmed_on).map(|d| d.0),
                // A 年度 counts as its last day; 「次期システム更改時」 as no date.
                target_on: answer.and_then(|a| a.target_on).and_then(|t| t.due()).map(|d| d.0),
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
                counting.edition.and_then(|t| reg.lead_to(r, &t.id)).map(|(c, i)| c.item_ref(i)).unwrap_or(r.clone());
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
            overdue: crate::assess::followup::guidance_overdue(g, as_of),
        });
    }
    for m in &case.measures {
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
            overdue: crate::assess::followup::measure_overdue(m, as_of),
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
    let fiscal_year = record_year(case, &source);
    let f = &case.facility;
    Facility {
        case_id: case.case_id.trim().to_string(),
        name: f.name.trim().to_string(),
        code: digits(&f.code),
        kind: f.kind,
        beds: f.beds,
        band: Band::of(f.kind, f.beds),
        maintenance_entrusted: f.maintenance_entrusted == Some(true),
        office: f.authority.office.trim().to_string(),
        founder: f.founder.trim().to_string(),
        address: f.address.trim().to_string(),
        inspection_kind: case.inspection.kind,
        fiscal_year,
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
        incidents: incident_facts(case, reg, as_of).into_iter().collect(),
        inspected: matches!(&source, Source::Case(_) | Source::Workbook { selfcheck: false, .. })
            && !case.inspection.dates.is_empty(),
        sources: vec![source],
    }
}

/// What a facility-year is counted under: the facility (its 医療機関コード, else its case id)
/// and the 年度 (`None`: not known).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FacilityYear {
    pub facility: String,
    pub year: Option<i32>,
}

/// The 年度 of one record: for a returned self-check, the 年度 it was made for (recorded in the
/// workbook, else that of the case's first date at export), else its 記入日, else its latest
/// 確認日 (`assess::self_check_year`); for an inspection, that of its first inspection date.
pub fn record_year(case: &Case, source: &Source) -> Option<i32> {
    let first = case.inspection.dates.iter().map(|d| d.0).min().map(wareki::fiscal_year);
    match source {
        Source::Workbook { selfcheck: true, recorded_year, .. } => {
            crate::assess::self_check_year(recorded_year.or(first), case).year()
        }
        _ => first,
    }
}

/// The facility-year a record belongs to.
pub fn record_key(case: &Case, source: &Source) -> FacilityYear {
    FacilityYear { facility: identity(&digits(&case.facility.code), &case.case_id), year: record_year(case, source) }
}

/// The start of the key of a facility known by its case id alone.
pub const BY_CASE_ID: &str = "事案ID:";

/// The key a facility is known by: its 医療機関コード as `values::identity` reads it (a 9-digit
/// code given back the leading 0 a spreadsheet drops), else `事案ID:<case id>`.
pub fn identity(code: &str, case_id: &str) -> String {
    match crate::values::identity(code, case_id) {
        crate::values::Identity::Code(c) => c,
        crate::values::Identity::Case(id) => format!("{BY_CASE_ID}{id}"),
    }
}

impl<'r> Facility<'r> {
    /// The results of the facility's own items (the 事業者確認用's are its vendors').
    pub fn own_results(&self) -> impl Iterator<Item = &((&'r Checklist, &'r Item), ItemResult)> {
        self.results.iter().filter(|((_, i), _)| i.respondent != Respondent::Vendor)
    }

    /// The facility-year this record belongs to.
    pub fn facility_year(&self) -> FacilityYear {
        FacilityYear { facility: identity(&self.code, &self.case_id), year: self.fiscal_year }
    }

    /// 事案ファイル, 自己点検票, or several joined: `事案ファイル＋自己点検票`.
    pub fn source_label(&self) -> String {
        let mut labels: Vec<&str> = Vec::new();
        for s in &self.sources {
            if !labels.contains(&s.label()) {
                labels.push(s.label());
            }
        }
        labels.join("＋")
    }

    /// The files read, separated by `; `.
    pub fn paths_label(&self) -> String {
        self.sources.iter().map(|s| s.path().display().to_string()).collect::<Vec<_>>().join("; ")
    }

    /// Joins another record of the same facility-year into this one (the record counted first,
    /// an inspection where there is one). Item by item, the facility's answer comes from its
    /// self-check where it returned one (else from whichever record has one) and the inspector's
    /// result from the inspection, so that 適／否 follows the inspector where both exist; an item
    /// only the other record has is added. Where both records hold different values, this one's
    /// stand (a self-check's answer excepted) and the difference is returned, one line each.
    pub fn join(&mut self, other: Facility<'r>) -> Vec<String> {
        let mut differences = Vec::new();
        let own_answers = other.sources.iter().all(Source::is_selfcheck);
        for o in other.checks {
            let same =
                self.checks.iter_mut().find(|p| std::ptr::eq(p.counted_as.1, o.counted_as.1) && p.system == o.system);
            let Some(p) = same else {
                self.checks.push(o);
                continue;
            };
            let place = || {
                let whose = if o.system.is_empty() { String::new() } else { format!("（{}）", o.system) };
                format!("{} {}{whose}", o.counted_as.0.edition, o.counted_as.1.number)
            };
            match (p.status.answer, o.status.answer) {
                (_, None) => {}
                (None, Some(a)) => {
                    p.status.answer = Some(a);
                    p.confirmed_on = o.confirmed_on.or(p.confirmed_on);
                    p.target_on = o.target_on.or(p.target_on);
                }
                (Some(a), Some(b)) if a != b => {
                    differences.push(format!("{} 医療機関の回答: 「{}」／「{}」", place(), a.label(), b.label()));
                    if own_answers {
                        p.status.answer = Some(b);
                        p.confirmed_on = o.confirmed_on;
                        p.target_on = o.target_on;
                    }
                }
                _ => {
                    p.confirmed_on = p.confirmed_on.or(o.confirmed_on);
                    p.target_on = p.target_on.or(o.target_on);
                }
            }
            let verified = |v: Option<Verification>| v.filter(|v| *v != Verification::Unverified);
            match (verified(p.status.verification), verified(o.status.verification)) {
                (_, None) => {}
                (None, Some(v)) => p.status.verification = Some(v),
                (Some(a), Some(b)) if a != b => {
                    differences.push(format!("{} 確認結果: 「{}」／「{}」", place(), a.label(), b.label()));
                }
                _ => {}
            }
            if p.status.done.is_none() {
                p.status.done = o.status.done;
            }
            p.gated = p.gated || o.gated;
            if p.vendor.is_empty() {
                p.vendor = o.vendor;
            }
        }
        self.results = combine(self.checks.iter().map(|c| (c.counted_as, ItemResult::of(c))));
        self.newest_results = combine(self.checks.iter().filter_map(|c| Some((c.newest?, ItemResult::of(c)))));

        let fill = |mine: &mut String, theirs: String| {
            if mine.is_empty() {
                *mine = theirs;
            }
        };
        fill(&mut self.name, other.name);
        fill(&mut self.code, other.code);
        fill(&mut self.office, other.office);
        fill(&mut self.founder, other.founder);
        fill(&mut self.address, other.address);
        if self.kind.is_none() {
            self.kind = other.kind;
        }
        if self.beds.is_none() {
            self.beds = other.beds;
        }
        self.band = Band::of(self.kind, self.beds);
        if self.inspection_kind.is_none() {
            self.inspection_kind = other.inspection_kind;
        }
        self.fiscal_year = self.fiscal_year.or(other.fiscal_year);
        for d in other.dates {
            if !self.dates.contains(&d) {
                self.dates.push(d);
            }
        }
        self.dates.sort();
        self.severity = self.severity.max(other.severity);
        for r in other.guidance_items {
            if !self.guidance_items.contains(&r) {
                self.guidance_items.push(r);
            }
        }
        self.plan_requested += other.plan_requested;
        self.plan_received += other.plan_received;
        self.plan_overdue += other.plan_overdue;
        self.actions.extend(other.actions);
        self.open.extend(other.open);
        self.incidents.extend(other.incidents);
        self.inspected |= other.inspected;
        self.sources.extend(other.sources);
        differences
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
        assert_eq!(Band::of(Some(FacilityKind::Pharmacy), None), Band::Pharmacy);
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

    /// The plan holds every item of the registry once, at the place a check of it carries, and
    /// with --edition mhlw-r7 the 令和6年度版 items that have a successor are counted as it.
    #[test]
    fn the_plan_holds_each_item_where_its_checks_point() {
        let reg = Registry::load(None).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let counting = Counting::new(&reg, reg.get("mhlw-r7"), as_of);
        let all: usize = reg.ids().iter().filter_map(|id| reg.get(id)).map(|c| c.items.len()).sum();
        assert_eq!(counting.planned().len(), all);
        let r6 = reg.get("mhlw-r6").unwrap();
        let counted_as_r7 = (0..r6.items.len())
            .filter(|at| counting.planned()[counting.index(r6, *at).unwrap()].counted_as.0.id == "mhlw-r7")
            .count();
        assert!(counted_as_r7 > r6.items.len() / 2, "{counted_as_r7} of {}", r6.items.len());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/routine-hospital-r6");
        let case = crate::case::store::load(&root).unwrap().case;
        let f = of_case(&case, Source::Case(root), &reg, &counting);
        assert!(!f.checks.is_empty());
        for c in &f.checks {
            let p = &counting.planned()[c.ix];
            assert!(std::ptr::eq(p.item, c.item) && std::ptr::eq(p.counted_as.1, c.counted_as.1), "{}", c.item.id);
            assert_eq!(p.counted_as.0.id, "mhlw-r7", "{}", c.item.id);
        }
    }

    #[test]
    fn r6_items_lead_to_r7() {
        let reg = Registry::load(None).unwrap();
        let r6 = reg.get("mhlw-r6").unwrap();
        let mapped = r6.items.iter().filter(|i| reg.lead_to(&r6.item_ref(i), "mhlw-r7").is_some()).count();
        assert!(mapped > 0 && mapped <= r6.items.len());
        let (c, _) = reg.newest(&r6.item_ref(&r6.items[1])).unwrap();
        assert_eq!(c.id, "mhlw-r7");
    }
}
