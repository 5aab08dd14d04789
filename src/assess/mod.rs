//! The facts that check, report, compare, aggregate and follow-up all read, computed here and
//! nowhere else: the state of each checklist item and the counts per result (here), the
//! reporting deadlines of an incident ([`deadlines`]), the state of evidence files
//! ([`evidence`]), what the facility still owes by a due date ([`followup`]), the 年度 of a
//! returned self-check ([`self_check`]) and the record of an incident in the words the outputs
//! share ([`record`]).

pub mod deadlines;
pub mod evidence;
pub mod followup;
pub mod record;
pub mod self_check;

pub use self_check::{self_check_year, SelfCheckYear, YearSource};

use crate::case::{Answer, Case, Done, ItemRef, Verification, YesNo};
use crate::checklist::{AnswerKind, Checklist, Item, Registry, Respondent};
use std::collections::HashSet;

/// Shown where a はい／いいえ item has no answer.
pub const UNANSWERED: &str = "未回答";
/// Shown where a procedure step has no record.
pub const UNRECORDED: &str = "未記録";

/// What is recorded for one item: the facility's answer, the inspector's verification and (for
/// a procedure step) whether it was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemStatus {
    pub answer: Option<YesNo>,
    pub verification: Option<Verification>,
    pub done: Option<Done>,
}

impl ItemStatus {
    pub fn of(a: &Answer) -> ItemStatus {
        ItemStatus { answer: a.answer, verification: a.verification, done: a.done }
    }

    /// Whether the facility answered or the inspector verified.
    pub fn answered(&self) -> bool {
        self.answer.is_some() || self.verification.is_some()
    }

    /// Whether the item failed: answered いいえ (the gate item excepted) or verified 不適合.
    pub fn failed(&self, gate: bool) -> bool {
        (self.answer == Some(YesNo::No) && !gate) || self.verification == Some(Verification::Nonconform)
    }

    /// Whether the inspector verified the item 一部適合 (MHLW's form counts it as 否).
    pub fn partial(&self) -> bool {
        self.verification == Some(Verification::Partial)
    }

    /// Whether the report lists the item among those to put right: failed, or verified 一部適合.
    pub fn to_put_right(&self, gate: bool) -> bool {
        self.failed(gate) || self.partial()
    }

    /// Whether the inspector's verification contradicts the facility's answer (はい but
    /// 不適合／一部適合, or いいえ but 適合).
    pub fn answer_contradicted(&self) -> bool {
        match (self.answer, self.verification) {
            (Some(YesNo::Yes), Some(v)) => matches!(v, Verification::Nonconform | Verification::Partial),
            (Some(YesNo::No), Some(v)) => v == Verification::Conform,
            _ => false,
        }
    }

    /// A rank of how well the item is met, higher is better: the inspector's verification where
    /// it says 適合／一部適合／不適合, otherwise the facility's answer; `None` where neither tells.
    pub fn rank(&self) -> Option<u8> {
        match self.verification {
            Some(Verification::Conform) => Some(3),
            Some(Verification::Partial) => Some(2),
            Some(Verification::Nonconform) => Some(1),
            Some(Verification::NotApplicable | Verification::Unverified) => None,
            None => match self.answer {
                Some(YesNo::Yes) => Some(3),
                Some(YesNo::No) => Some(1),
                None => None,
            },
        }
    }

    /// The item as MHLW's inspection form records it: 適／否／非対象 (or 未回答). `gated`: the
    /// gate item of its checklist is answered いいえ, so the item needs no check. The
    /// inspector's verification decides where it says 適合／一部適合／不適合／該当なし; otherwise
    /// the facility's answer (はい 適, いいえ 否). 一部適合 counts as 否: the form has no column
    /// for it (it is counted apart in [`ItemStatus::verification`]).
    pub fn mhlw(&self, gated: bool) -> Mhlw {
        if gated {
            return Mhlw::NotApplicable;
        }
        match self.verification {
            Some(Verification::Conform) => Mhlw::Met,
            Some(Verification::Partial | Verification::Nonconform) => Mhlw::NotMet,
            Some(Verification::NotApplicable) => Mhlw::NotApplicable,
            Some(Verification::Unverified) | None => match self.answer {
                Some(YesNo::Yes) => Mhlw::Met,
                Some(YesNo::No) => Mhlw::NotMet,
                None => Mhlw::Unanswered,
            },
        }
    }

    /// The verification as counted (no record counts as 未確認).
    pub fn verification_label(&self) -> &'static str {
        self.verification.unwrap_or(Verification::Unverified).label()
    }

    /// The answer as counted (no answer counts as 未回答).
    pub fn answer_label(&self) -> &'static str {
        self.answer.map(|y| y.label()).unwrap_or(UNANSWERED)
    }

    /// The procedure step as counted (no record counts as 未記録).
    pub fn done_label(&self) -> &'static str {
        self.done.map(|d| d.label()).unwrap_or(UNRECORDED)
    }
}

/// An item as MHLW's form records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mhlw {
    /// 適
    Met,
    /// 否 (一部適合 included)
    NotMet,
    /// 非対象 (該当なし, or no information system: gate item いいえ)
    NotApplicable,
    /// Nothing recorded.
    Unanswered,
}

impl Mhlw {
    pub const ALL: [Mhlw; 4] = [Mhlw::Met, Mhlw::NotMet, Mhlw::NotApplicable, Mhlw::Unanswered];
    pub fn label(self) -> &'static str {
        match self {
            Mhlw::Met => "適",
            Mhlw::NotMet => "否",
            Mhlw::NotApplicable => "非対象",
            Mhlw::Unanswered => "未回答",
        }
    }
}

/// Checklists whose gate item (0 医療情報システムの有無) is answered いいえ: their other items need
/// no check.
pub fn gated_checklists<'a>(case: &Case, reg: &'a Registry) -> HashSet<&'a str> {
    case.answers
        .iter()
        .filter(|a| a.answer == Some(YesNo::No))
        .filter_map(|a| reg.item(&a.item).filter(|(_, it)| it.gate).map(|(c, _)| c.id.as_str()))
        .collect()
}

/// Whether any gate item of the case is answered いいえ.
pub fn gate_no(case: &Case, reg: &Registry) -> bool {
    !gated_checklists(case, reg).is_empty()
}

/// Whether the inspectors showed their identification (医療法第25条第5項), by both records
/// that say so: each inspector's `id_shown`, and the procedure step citing 第25条第5項.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdShown {
    /// Every inspector is recorded as having shown the card (and there is at least one).
    pub inspectors: bool,
    /// The procedure step for it, with what was recorded there.
    pub step: Option<(ItemRef, Option<Done>)>,
}

impl IdShown {
    /// Whether the report may say the card was shown: the inspectors say so and the procedure
    /// step, where recorded, does not say 未実施.
    pub fn shown(&self) -> bool {
        self.inspectors && !matches!(self.step, Some((_, Some(Done::NotDone))))
    }
    /// Whether the two records contradict each other.
    pub fn contradicts(&self) -> bool {
        matches!(
            (&self.step, self.inspectors),
            (Some((_, Some(Done::NotDone))), true) | (Some((_, Some(Done::Done))), false)
        )
    }
}

/// The law the identification step cites.
pub const ID_CARD_LAW: &str = "医療法第25条第5項";

/// What the case records about showing identification.
pub fn id_shown(case: &Case, reg: &Registry) -> IdShown {
    let i = &case.inspection;
    let inspectors = !i.inspectors.is_empty() && i.inspectors.iter().all(|p| p.id_shown);
    let step = i.checklists.iter().filter_map(|id| reg.get(id)).find_map(|c| {
        c.items.iter().find(|it| it.answer == AnswerKind::Done && it.legal_refs.iter().any(|r| r == ID_CARD_LAW)).map(
            |it| {
                let r = c.item_ref(it);
                let done = case.answer(&r).and_then(|a| a.done);
                (r, done)
            },
        )
    });
    IdShown { inspectors, step }
}

/// Whether the case answers the 事業者確認用 per vendor (some answer names a system).
pub fn per_vendor(case: &Case) -> bool {
    case.answers.iter().any(|a| !a.system.is_empty())
}

/// A number of items with one result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    pub label: &'static str,
    pub count: u64,
}

/// Counts `values` against `labels`, in label order.
pub fn counts(labels: &[&'static str], values: impl Iterator<Item = &'static str>) -> Vec<Count> {
    let mut out: Vec<Count> = labels.iter().map(|l| Count { label: l, count: 0 }).collect();
    for v in values {
        if let Some(c) = out.iter_mut().find(|c| c.label == v) {
            c.count += 1;
        }
    }
    out
}

/// The labels counted for verifications: 適合／一部適合／不適合／該当なし／未確認.
pub fn verification_labels() -> Vec<&'static str> {
    Verification::labels()
}

/// The labels counted for answers: はい／いいえ／未回答.
pub fn answer_labels() -> Vec<&'static str> {
    YesNo::ALL.iter().map(|y| y.label()).chain([UNANSWERED]).collect()
}

/// The labels counted for procedure steps: 実施／未実施／該当なし／未記録.
pub fn done_labels() -> Vec<&'static str> {
    Done::ALL.iter().map(|d| d.label()).chain([UNRECORDED]).collect()
}

/// The results of one checklist in a case, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistCounts {
    /// Items a verification applies to (answered はい／いいえ or verified).
    pub verified_items: u64,
    pub verification: Vec<Count>,
    /// はい／いいえ items.
    pub yesno_items: u64,
    pub answers: Vec<Count>,
    /// Procedure steps.
    pub done_items: u64,
    pub done: Vec<Count>,
}

/// One check of an item: the item, the system whose vendor answers it (`""` for the
/// facility), and what is recorded.
#[derive(Debug, Clone)]
pub struct ItemCheck<'a> {
    pub item: &'a Item,
    pub system: &'a str,
    pub status: ItemStatus,
    /// The answer row of the item for `system` (`Case::answer_for`), with its dates.
    pub answer: Option<&'a Answer>,
}

/// Every check of a checklist's items in a case: each item once, and, where the case answers
/// the 事業者確認用 per vendor, each vendor item once per system.
pub fn item_checks<'a>(case: &'a Case, c: &'a Checklist) -> Vec<ItemCheck<'a>> {
    let per_vendor = per_vendor(case);
    let systems = case.vendor_systems();
    let mut out = Vec::with_capacity(c.items.len());
    for item in &c.items {
        let r = c.item_ref(item);
        if per_vendor && item.respondent == Respondent::Vendor {
            for s in &systems {
                let answer = case.answer_for(&r, s);
                out.push(ItemCheck { item, system: s, status: answer.map(ItemStatus::of).unwrap_or_default(), answer });
            }
        } else {
            // The status is the item's first answer, whichever system (where no vendor answers
            // apart, that is the facility's answer).
            let first = case.answer(&r);
            let answer = if per_vendor { case.answer_for(&r, "") } else { first };
            out.push(ItemCheck { item, system: "", status: first.map(ItemStatus::of).unwrap_or_default(), answer });
        }
    }
    out
}

impl ItemCheck<'_> {
    /// Whether the item is one of the 事業者確認用, answered by a vendor rather than the facility.
    pub fn is_vendor(&self) -> bool {
        self.item.respondent == Respondent::Vendor
    }
}

/// Who answers a check: the facility itself, or the vendor of a system (`""` where the
/// 事業者確認用 is not answered per vendor but for the facility as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side<'a> {
    Own,
    Vendor(&'a str),
}

impl<'a> ItemCheck<'a> {
    /// The side the check counts for: the facility's own items apart from the 事業者確認用.
    pub fn side(&self) -> Side<'a> {
        if self.is_vendor() {
            Side::Vendor(self.system)
        } else {
            Side::Own
        }
    }
}

/// The results of one checklist in a case, the facility's own items apart from each vendor's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitCounts {
    /// The facility's own items (医療機関確認用 and the other items it answers).
    pub own: ChecklistCounts,
    /// The 事業者確認用, one entry per system whose vendor answers them (in the order of
    /// [`Case::vendor_systems`]), or one entry for `""` where they are not answered per vendor.
    /// Empty where the checklist has no 事業者確認用.
    pub vendors: Vec<(String, ChecklistCounts)>,
}

/// Counts the results of a checklist in a case with the 事業者確認用 apart: an inspector does not
/// verify them on the facility, so they must not pad its 対象項目 and 未確認.
pub fn split_counts(case: &Case, c: &Checklist) -> SplitCounts {
    let checks = item_checks(case, c);
    let own = count_checks(checks.iter().filter(|k| k.side() == Side::Own));
    let mut sides: Vec<&str> = Vec::new();
    for k in &checks {
        if let Side::Vendor(s) = k.side() {
            if !sides.contains(&s) {
                sides.push(s);
            }
        }
    }
    let vendors = sides
        .into_iter()
        .map(|s| (s.to_string(), count_checks(checks.iter().filter(|k| k.side() == Side::Vendor(s)))))
        .collect();
    SplitCounts { own, vendors }
}

/// Counts the results of every item of a checklist in a case (per vendor where answered so).
pub fn checklist_counts(case: &Case, c: &Checklist) -> ChecklistCounts {
    count_checks(item_checks(case, c).iter())
}

fn count_checks<'a, 'b: 'a>(checks: impl Iterator<Item = &'a ItemCheck<'b>> + Clone) -> ChecklistCounts {
    let of_kind =
        |kinds: &'static [AnswerKind]| checks.clone().filter(move |k| kinds.contains(&k.item.answer)).map(|k| k.status);
    let verified: Vec<&'static str> =
        of_kind(&[AnswerKind::Yesno, AnswerKind::Verify]).map(|s| s.verification_label()).collect();
    let answered: Vec<&'static str> = of_kind(&[AnswerKind::Yesno]).map(|s| s.answer_label()).collect();
    let done: Vec<&'static str> = of_kind(&[AnswerKind::Done]).map(|s| s.done_label()).collect();
    ChecklistCounts {
        verified_items: verified.len() as u64,
        verification: counts(&verification_labels(), verified.into_iter()),
        yesno_items: answered.len() as u64,
        answers: counts(&answer_labels(), answered.into_iter()),
        done_items: done.len() as u64,
        done: counts(&done_labels(), done.into_iter()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(answer: Option<YesNo>, verification: Option<Verification>) -> ItemStatus {
        ItemStatus { answer, verification, done: None }
    }

    #[test]
    fn the_mhlw_form_reads_three_ways() {
        assert_eq!(status(Some(YesNo::Yes), None).mhlw(false), Mhlw::Met);
        assert_eq!(status(Some(YesNo::Yes), Some(Verification::Partial)).mhlw(false), Mhlw::NotMet);
        assert_eq!(status(Some(YesNo::No), Some(Verification::Conform)).mhlw(false), Mhlw::Met);
        assert_eq!(status(Some(YesNo::No), Some(Verification::Unverified)).mhlw(false), Mhlw::NotMet);
        assert_eq!(status(None, Some(Verification::NotApplicable)).mhlw(false), Mhlw::NotApplicable);
        assert_eq!(status(Some(YesNo::No), None).mhlw(true), Mhlw::NotApplicable);
        assert_eq!(status(None, None).mhlw(false), Mhlw::Unanswered);
    }

    #[test]
    fn failed_items() {
        assert!(status(Some(YesNo::No), None).failed(false));
        assert!(!status(Some(YesNo::No), None).failed(true), "the gate item answered いいえ is not a failure");
        assert!(status(Some(YesNo::Yes), Some(Verification::Nonconform)).failed(false));
        assert!(!status(Some(YesNo::Yes), Some(Verification::Partial)).failed(false));
    }

    #[test]
    fn contradictions_and_ranks() {
        assert!(status(Some(YesNo::Yes), Some(Verification::Partial)).answer_contradicted());
        assert!(status(Some(YesNo::No), Some(Verification::Conform)).answer_contradicted());
        assert!(!status(Some(YesNo::Yes), Some(Verification::Conform)).answer_contradicted());
        assert!(!status(None, Some(Verification::Nonconform)).answer_contradicted());
        assert_eq!(status(Some(YesNo::No), Some(Verification::Conform)).rank(), Some(3));
        assert_eq!(status(Some(YesNo::No), None).rank(), Some(1));
        assert_eq!(status(Some(YesNo::Yes), Some(Verification::NotApplicable)).rank(), None);
    }

    #[test]
    fn counts_follow_the_labels() {
        let c = counts(&answer_labels(), ["はい", "未回答", "はい"].into_iter());
        assert_eq!(c.iter().map(|c| c.count).collect::<Vec<_>>(), vec![2, 0, 1]);
    }

    #[test]
    fn checklist_counts_cover_every_item() {
        let reg = Registry::load(None).unwrap();
        let r7 = reg.get("mhlw-r7").unwrap();
        let mut case = Case::default();
        case.answers.push(Answer {
            answer: Some(YesNo::No),
            verification: Some(Verification::Nonconform),
            ..Answer::unanswered("mhlw-r7:2-06".parse().unwrap())
        });
        let n = checklist_counts(&case, r7);
        let get = |v: &[Count], l: &str| v.iter().find(|c| c.label == l).unwrap().count;
        assert_eq!(get(&n.verification, "不適合"), 1);
        assert_eq!(get(&n.verification, "未確認"), n.verified_items - 1);
        assert_eq!(get(&n.answers, "いいえ"), 1);
        assert_eq!(get(&n.answers, UNANSWERED), n.yesno_items - 1);
    }

    #[test]
    fn vendor_items_are_counted_apart_from_the_facilitys() {
        let reg = Registry::load(None).unwrap();
        let r7 = reg.get("mhlw-r7").unwrap();
        let vendor_items = r7.items.iter().filter(|i| i.respondent == Respondent::Vendor).count() as u64;
        assert!(vendor_items > 0);
        let get = |v: &[Count], l: &str| v.iter().find(|c| c.label == l).unwrap().count;
        // Answered for the facility as a whole: one group of vendor items, named "".
        let case = Case::default();
        let n = split_counts(&case, r7);
        assert_eq!(n.own.verified_items + vendor_items, checklist_counts(&case, r7).verified_items);
        assert_eq!(get(&n.own.verification, "未確認"), n.own.verified_items);
        assert_eq!(n.vendors.len(), 1);
        assert_eq!((n.vendors[0].0.as_str(), n.vendors[0].1.verified_items), ("", vendor_items));
        // Answered per vendor: one group per system.
        let mut case = Case::default();
        for name in ["電子カルテ", "PACS"] {
            case.facility.systems.push(crate::case::InfoSystem { name: name.into(), ..Default::default() });
        }
        let vendor = r7.items.iter().find(|i| i.respondent == Respondent::Vendor).unwrap();
        case.answers.push(Answer {
            system: "PACS".into(),
            answer: Some(YesNo::No),
            ..Answer::unanswered(r7.item_ref(vendor))
        });
        let n = split_counts(&case, r7);
        let names: Vec<&str> = n.vendors.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, ["電子カルテ", "PACS"]);
        assert_eq!(get(&n.vendors[1].1.answers, "いいえ"), 1);
        assert_eq!(get(&n.vendors[0].1.answers, "いいえ"), 0);
        assert_eq!(get(&n.own.answers, "いいえ"), 0);
    }
}
