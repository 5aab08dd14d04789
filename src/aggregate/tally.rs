//! The counts of a run, added one facility at a time (so that memory stays flat however many
//! facilities there are): per item, per section and group, per 年度, guidance, incidents, open
//! items and vendors. Rates are computed from these counts when the tables are made.

use super::facts::{Band, Facility, IncidentFacts, ItemResult, Severity, NOT_RECORDED};
use crate::assess::followup::DueKind;
use crate::assess::Mhlw;
use crate::case::{FacilityKind, Verification, YesNo};
use crate::checklist::{Checklist, Item, Registry, Respondent};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A facility's item counted by: the checklist and item ids.
pub type ItemId = (String, String);

fn id_of(c: &Checklist, i: &Item) -> ItemId {
    (c.id.clone(), i.id.clone())
}

/// The results of one item across facilities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemTally {
    /// Facilities whose inspection has the item.
    pub facilities: u64,
    /// 適／否／非対象／未回答 (in the order of [`Mhlw::ALL`]).
    pub mhlw: [u64; 4],
    /// はい／いいえ／未回答 of the facilities the item applies to.
    pub answers: [u64; 3],
    /// 適合／一部適合／不適合／該当なし／未確認.
    pub verification: [u64; 5],
    /// Facilities that answered はい where the inspector verified 不適合.
    pub yes_but_nonconform: u64,
    /// Facilities given guidance on the item.
    pub guided: u64,
    /// Facilities inspected whose answer the inspector verified: how far a self-check can be
    /// trusted.
    pub trust: Trust,
}

/// The facility's answer against the inspector's result, of the facilities whose item was both
/// answered and verified (適合, 一部適合 or 不適合) in one facility-year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trust {
    /// はい, verified 適合.
    pub yes_met: u64,
    /// はい, verified 一部適合 or 不適合.
    pub yes_not: u64,
    /// いいえ, verified 適合.
    pub no_met: u64,
    /// いいえ, verified 一部適合 or 不適合.
    pub no_not: u64,
}

impl Trust {
    fn add(&mut self, answer: Option<YesNo>, v: Verification) {
        let met = match v {
            Verification::Conform => true,
            Verification::Partial | Verification::Nonconform => false,
            _ => return,
        };
        match (answer, met) {
            (Some(YesNo::Yes), true) => self.yes_met += 1,
            (Some(YesNo::Yes), false) => self.yes_not += 1,
            (Some(YesNo::No), true) => self.no_met += 1,
            (Some(YesNo::No), false) => self.no_not += 1,
            (None, _) => {}
        }
    }
    pub fn merge(&mut self, o: &Trust) {
        self.yes_met += o.yes_met;
        self.yes_not += o.yes_not;
        self.no_met += o.no_met;
        self.no_not += o.no_not;
    }
    /// Answers verified.
    pub fn total(&self) -> u64 {
        self.yes_met + self.yes_not + self.no_met + self.no_not
    }
}

impl ItemTally {
    pub fn get(&self, m: Mhlw) -> u64 {
        self.mhlw[mhlw_index(m)]
    }
    /// Facilities the item applies to (適 + 否 + 未回答).
    pub fn applicable(&self) -> u64 {
        self.facilities - self.get(Mhlw::NotApplicable)
    }
    fn add(&mut self, r: &ItemResult, inspected: bool) {
        if inspected && r.mhlw != Mhlw::NotApplicable {
            self.trust.add(r.answer, r.verification);
        }
        self.facilities += 1;
        self.mhlw[mhlw_index(r.mhlw)] += 1;
        if r.mhlw != Mhlw::NotApplicable {
            self.answers[match r.answer {
                Some(YesNo::Yes) => 0,
                Some(YesNo::No) => 1,
                None => 2,
            }] += 1;
        }
        self.verification[verification_index(r.verification)] += 1;
        self.yes_but_nonconform += u64::from(r.yes_but_nonconform);
    }
}

pub fn mhlw_index(m: Mhlw) -> usize {
    match m {
        Mhlw::Met => 0,
        Mhlw::NotMet => 1,
        Mhlw::NotApplicable => 2,
        Mhlw::Unanswered => 3,
    }
}

pub fn verification_index(v: Verification) -> usize {
    match v {
        Verification::Conform => 0,
        Verification::Partial => 1,
        Verification::Nonconform => 2,
        Verification::NotApplicable => 3,
        Verification::Unverified => 4,
    }
}

/// Met and applicable item-checks pooled over facilities (遵守率), with how many facilities
/// gave each part (for suppression).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pooled {
    pub met: u64,
    pub not_met: u64,
    /// Facilities with at least one met, one not-met item-check.
    pub from_met: u64,
    pub from_not_met: u64,
}

impl Pooled {
    pub fn applicable(&self) -> u64 {
        self.met + self.not_met
    }
    fn add_facility(&mut self, met: u64, not_met: u64) {
        self.met += met;
        self.not_met += not_met;
        self.from_met += u64::from(met > 0);
        self.from_not_met += u64::from(not_met > 0);
    }
}

/// A section of a checklist: the checklist id and the section id.
pub type SectionId = (String, String);

/// The counts of one group of facilities (a kind, a bed band, a 保健所, a 開設者, or all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupTally {
    pub facilities: u64,
    pub sections: BTreeMap<SectionId, Pooled>,
    pub overall: Pooled,
    /// Facilities with items of each checklist, and the pooled counts of each checklist.
    pub editions: BTreeMap<String, u64>,
    pub overall_of: BTreeMap<String, Pooled>,
}

/// The ways facilities are grouped (区分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    Kind,
    Band,
    Office,
    Founder,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [Dimension::Kind, Dimension::Band, Dimension::Office, Dimension::Founder];
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Kind => "種別",
            Dimension::Band => "病床規模",
            Dimension::Office => "保健所",
            Dimension::Founder => "開設者",
        }
    }
    /// The facility's group, with a key that orders groups (fixed order for kinds, bands and
    /// 開設者 classes, names in order for 保健所, 不明 last).
    pub fn group_of(self, f: &Facility) -> (u32, String) {
        let named = |s: &str| if s.is_empty() { (1, NOT_RECORDED.to_string()) } else { (0, s.to_string()) };
        match self {
            Dimension::Kind => match f.kind {
                Some(k) => (FacilityKind::ALL.iter().position(|x| *x == k).unwrap_or(0) as u32, k.label().to_string()),
                None => (99, NOT_RECORDED.to_string()),
            },
            Dimension::Band => (Band::ALL.iter().position(|b| *b == f.band).unwrap_or(0) as u32, f.band.label().into()),
            Dimension::Office => named(&f.office),
            // 開設者 as the classes of 医療施設調査, never the case's own text (it may be a name).
            Dimension::Founder => {
                let class = super::vocab::founder_class(&f.founder);
                (super::vocab::founder_order(class), class.to_string())
            }
        }
    }
}

/// The counts of one 年度, items taken in their newest edition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearTally {
    pub facilities: u64,
    pub items: HashMap<ItemId, ItemTally>,
    pub overall: Pooled,
}

/// An incident as the run lists it.
#[derive(Debug, Clone)]
pub struct IncidentRow {
    pub case_id: String,
    pub facility: String,
    pub kind: &'static str,
    pub band: Band,
    pub fiscal_year: Option<i32>,
    pub facts: IncidentFacts,
}

/// Open records with a due date, counted by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenCount {
    pub open: u64,
    pub overdue: u64,
    /// Facilities with at least one overdue record of the kind.
    pub facilities_overdue: u64,
}

/// One vendor's systems across facilities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorTally {
    pub facilities: u64,
    pub systems: u64,
    pub pooled: Pooled,
}

/// The most overdue records kept for the short report.
pub const MOST_OVERDUE: usize = 20;

/// A record overdue at the date counted, for the short report's list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Overdue {
    pub days: i64,
    pub kind: DueKind,
    pub case_id: String,
    pub facility: String,
    pub what: String,
}

/// Everything counted in a run.
#[derive(Debug, Default)]
pub struct Tally {
    /// Facility-years counted.
    pub facilities: u64,
    /// The facilities among them (医療機関コード, else case id), each once whatever its years.
    pub identities: HashSet<String>,
    /// Facility-years per the records they were read from (事案ファイル, 自己点検票, 現地用ワークブック,
    /// or several joined: 事案ファイル＋自己点検票).
    pub by_source: BTreeMap<String, u64>,
    pub by_kind: BTreeMap<(u32, String), u64>,
    pub by_band: BTreeMap<Band, u64>,
    /// Facilities recorded as 保守委託機関 (ガイドライン第7.0版).
    pub maintenance_entrusted: u64,
    pub by_year: BTreeMap<i32, u64>,
    pub year_unknown: u64,
    pub items: HashMap<ItemId, ItemTally>,
    /// The items of the 事業者確認用, counted per vendor's system where answered, never among the
    /// facility's own.
    pub vendor_items: HashMap<ItemId, ItemTally>,
    /// Answers to the gate item (0 医療情報システムの有無) per checklist: はい／いいえ／未回答.
    pub gate: BTreeMap<String, [u64; 3]>,
    pub groups: BTreeMap<Dimension, BTreeMap<(u32, String), GroupTally>>,
    pub all: GroupTally,
    pub years: BTreeMap<i32, YearTally>,
    pub severity: [u64; 4],
    pub guidance_items: BTreeMap<String, u64>,
    pub plans_requested: u64,
    pub plans_received: u64,
    pub plans_overdue: u64,
    pub facilities_with_plan: u64,
    pub incidents: Vec<IncidentRow>,
    pub open: BTreeMap<DueKind, OpenCount>,
    pub most_overdue: Vec<Overdue>,
    pub vendors: BTreeMap<String, VendorTally>,
    /// 医療機関コード of facilities inspected on site and of facilities that returned a self-check.
    pub inspected_codes: KeySet,
    pub selfcheck_codes: KeySet,
    /// Facilities with no 医療機関コード (they cannot be matched with the roster).
    pub without_code: u64,
    /// The facilities already counted with an overdue record of a kind, and with a vendor: a
    /// facility counts once, whatever its years.
    seen_overdue: HashSet<(DueKind, String)>,
    seen_vendor: HashSet<(String, String)>,
}

/// The counts of a run: of all its facility-years, and of each 年度 apart (rates are never taken
/// across 年度).
#[derive(Debug, Default)]
pub struct Counts {
    pub all: Tally,
    pub years: BTreeMap<Option<i32>, Tally>,
}

impl Counts {
    pub fn add(&mut self, f: &Facility) {
        self.all.add(f);
        self.years.entry(f.fiscal_year).or_default().add(f);
    }
}

/// A set of keys (case ids, 医療機関コード), kept whole: an official count must not lose a
/// facility to two keys sharing a hash.
#[derive(Debug, Default)]
pub struct KeySet(HashSet<String>);

impl KeySet {
    /// Adds a key; false when it was there already.
    pub fn insert(&mut self, key: &str) -> bool {
        !self.0.contains(key) && self.0.insert(key.to_string())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.contains(key)
    }
}

fn section_of(c: &Checklist, i: &Item) -> SectionId {
    (c.id.clone(), i.section.clone())
}

impl Tally {
    /// Adds one facility.
    pub fn add(&mut self, f: &Facility) {
        self.facilities += 1;
        self.identities.insert(super::facts::identity(&f.code, &f.case_id));
        *self.by_source.entry(f.source_label()).or_default() += 1;
        *self.by_kind.entry(Dimension::Kind.group_of(f)).or_default() += 1;
        *self.by_band.entry(f.band).or_default() += 1;
        self.maintenance_entrusted += u64::from(f.maintenance_entrusted);
        match f.fiscal_year {
            Some(y) => *self.by_year.entry(y).or_default() += 1,
            None => self.year_unknown += 1,
        }
        for ((c, i), r) in f.own_results() {
            if i.gate {
                let g = self.gate.entry(c.id.clone()).or_default();
                g[match r.answer {
                    Some(YesNo::Yes) => 0,
                    Some(YesNo::No) => 1,
                    None => 2,
                }] += 1;
            } else {
                self.items.entry(id_of(c, i)).or_default().add(r, f.inspected);
            }
        }
        for c in f.checks.iter().filter(|c| c.item.respondent == Respondent::Vendor && c.status.answered()) {
            self.vendor_items
                .entry(id_of(c.counted_as.0, c.counted_as.1))
                .or_default()
                .add(&ItemResult::of(c), f.inspected);
        }
        for g in &f.guidance_items {
            *self.guidance_items.entry(g.to_string()).or_default() += 1;
            if let Some(t) = self.items.get_mut(&(g.checklist().to_string(), g.item().to_string())) {
                t.guided += 1;
            }
        }

        // Pooled per section and overall, for every group the facility is in.
        let mut sections: BTreeMap<SectionId, (u64, u64)> = BTreeMap::new();
        for ((c, i), r) in f.own_results() {
            let e = sections.entry(section_of(c, i)).or_default();
            match r.mhlw {
                Mhlw::Met => e.0 += 1,
                Mhlw::NotMet => e.1 += 1,
                _ => {}
            }
        }
        let (met, not_met) = sections.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        let mut per_edition: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for ((c, _), (m, n)) in &sections {
            let e = per_edition.entry(c.as_str()).or_default();
            e.0 += m;
            e.1 += n;
        }
        for ((c, _), _) in f.own_results() {
            per_edition.entry(c.id.as_str()).or_default();
        }
        let add_group = |g: &mut GroupTally| {
            g.facilities += 1;
            for (s, (m, n)) in &sections {
                g.sections.entry(s.clone()).or_default().add_facility(*m, *n);
            }
            g.overall.add_facility(met, not_met);
            for (c, (m, n)) in &per_edition {
                *g.editions.entry(c.to_string()).or_default() += 1;
                g.overall_of.entry(c.to_string()).or_default().add_facility(*m, *n);
            }
        };
        add_group(&mut self.all);
        for d in Dimension::ALL {
            add_group(self.groups.entry(d).or_default().entry(d.group_of(f)).or_default());
        }

        if let Some(y) = f.fiscal_year {
            let yt = self.years.entry(y).or_default();
            yt.facilities += 1;
            let (mut m, mut n) = (0, 0);
            let own = f.newest_results.iter().filter(|((_, i), _)| !i.gate && i.respondent != Respondent::Vendor);
            for ((c, i), r) in own {
                yt.items.entry(id_of(c, i)).or_default().add(r, f.inspected);
                m += u64::from(r.mhlw == Mhlw::Met);
                n += u64::from(r.mhlw == Mhlw::NotMet);
            }
            yt.overall.add_facility(m, n);
        }

        self.severity[Severity::ALL.iter().position(|s| *s == f.severity).unwrap_or(3)] += 1;
        self.plans_requested += u64::from(f.plan_requested);
        self.plans_received += u64::from(f.plan_received);
        self.plans_overdue += u64::from(f.plan_overdue);
        self.facilities_with_plan += u64::from(f.plan_requested > 0);

        for inc in &f.incidents {
            self.incidents.push(IncidentRow {
                case_id: f.case_id.clone(),
                facility: f.name.clone(),
                kind: f.kind_label(),
                band: f.band,
                fiscal_year: f.fiscal_year,
                facts: inc.clone(),
            });
        }

        let who = super::facts::identity(&f.code, &f.case_id);
        for (it, left) in &f.open {
            let c = self.open.entry(it.kind).or_default();
            c.open += 1;
            if *left < 0 {
                c.overdue += 1;
                // A facility once, whatever its years and records.
                if self.seen_overdue.insert((it.kind, who.clone())) {
                    c.facilities_overdue += 1;
                }
                self.keep_overdue(-left, &f.case_id, || Overdue {
                    days: -left,
                    kind: it.kind,
                    case_id: f.case_id.clone(),
                    facility: f.name.clone(),
                    what: it.what.clone(),
                });
            }
        }

        let mut vendors: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
        for c in f.checks.iter().filter(|c| c.is_vendors()) {
            let key = if c.vendor.is_empty() { NOT_RECORDED.to_string() } else { c.vendor.clone() };
            let e = vendors.entry(key).or_default();
            match c.mhlw() {
                Mhlw::Met => e.0 += 1,
                Mhlw::NotMet => e.1 += 1,
                _ => {}
            }
        }
        for (v, (m, n, _)) in vendors {
            let systems = f
                .checks
                .iter()
                .filter(|c| !c.system.is_empty() && (c.vendor == v || (c.vendor.is_empty() && v == NOT_RECORDED)))
                .map(|c| c.system.as_str())
                .collect::<HashSet<_>>()
                .len() as u64;
            if self.seen_vendor.insert((v.clone(), who.clone())) {
                self.vendors.entry(v.clone()).or_default().facilities += 1;
            }
            let t = self.vendors.entry(v).or_default();
            t.systems += systems;
            t.pooled.add_facility(m, n);
        }

        let code = super::facts::identity(&f.code, "");
        if f.code.is_empty() || code.starts_with(super::facts::BY_CASE_ID) {
            self.without_code += 1;
        } else {
            if f.inspected {
                self.inspected_codes.insert(&code);
            }
            if f.sources.iter().any(|s| s.is_selfcheck()) || !f.inspected {
                self.selfcheck_codes.insert(&code);
            }
        }
    }

    /// Keeps an overdue item of `days` in case `case_id` in the list of the most overdue, made by
    /// `make` only where the list keeps it (nothing is copied for one it would not).
    fn keep_overdue(&mut self, days: i64, case_id: &str, make: impl FnOnce() -> Overdue) {
        // Most days first; a bounded list, so memory stays flat.
        let pos = self
            .most_overdue
            .partition_point(|x| (x.days, std::cmp::Reverse(x.case_id.as_str())) >= (days, std::cmp::Reverse(case_id)));
        if pos < MOST_OVERDUE {
            self.most_overdue.insert(pos, make());
            self.most_overdue.truncate(MOST_OVERDUE);
        }
    }

    /// The items counted, in registry order (checklist by checklist, item by item).
    pub fn items_in_order<'r>(&self, reg: &'r Registry) -> Vec<(&'r Checklist, &'r Item, &ItemTally)> {
        let mut out = Vec::new();
        for id in reg.ids() {
            let Some(c) = reg.get(id) else { continue };
            for i in &c.items {
                if let Some(t) = self.items.get(&id_of(c, i)) {
                    out.push((c, i, t));
                }
            }
        }
        out
    }

    /// The 事業者確認用 items counted, in registry order.
    pub fn vendor_items_in_order<'r>(&self, reg: &'r Registry) -> Vec<(&'r Checklist, &'r Item, &ItemTally)> {
        let mut out = Vec::new();
        for id in reg.ids() {
            let Some(c) = reg.get(id) else { continue };
            for i in &c.items {
                if let Some(t) = self.vendor_items.get(&id_of(c, i)) {
                    out.push((c, i, t));
                }
            }
        }
        out
    }

    /// The sections counted, in registry order.
    pub fn sections_in_order<'r>(&self, reg: &'r Registry) -> Vec<(&'r Checklist, &'r crate::checklist::Section)> {
        let mut out = Vec::new();
        for id in reg.ids() {
            let Some(c) = reg.get(id) else { continue };
            for s in &c.sections {
                if self.all.sections.contains_key(&(c.id.clone(), s.id.clone())) {
                    out.push((c, s));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooled_counts_facilities_apart() {
        let mut p = Pooled::default();
        p.add_facility(3, 0);
        p.add_facility(1, 2);
        assert_eq!((p.met, p.not_met, p.from_met, p.from_not_met), (4, 2, 2, 1));
        assert_eq!(p.applicable(), 6);
    }

    #[test]
    fn item_tally_counts_the_four_mhlw_columns() {
        let mut t = ItemTally::default();
        let r = |mhlw, answer| ItemResult {
            mhlw,
            answer,
            verification: Verification::Unverified,
            yes_but_nonconform: false,
        };
        t.add(&r(Mhlw::Met, Some(YesNo::Yes)), false);
        t.add(&r(Mhlw::NotMet, Some(YesNo::No)), false);
        t.add(&r(Mhlw::NotApplicable, None), false);
        t.add(&r(Mhlw::Unanswered, None), false);
        assert_eq!(t.mhlw, [1, 1, 1, 1]);
        assert_eq!(t.answers, [1, 1, 1], "非対象 is not counted among the answers");
        assert_eq!(t.applicable(), 3);
    }
}
