//! Comparing two inspections of one facility item by item — e.g. last year's check with the
//! 令和6年度版 and this year's with the 令和7年度版 — through the links between editions
//! (`successor` of an older item, `predecessors` of a newer one).

use crate::assess::{self, ItemStatus};
use crate::case::{Answer, Case, ItemRef};
use crate::checklist::{Checklist, ChecklistKind, Registry, Respondent};
use crate::text::{md_cell, md_inline};

/// How an item moved between the two inspections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Better,
    Worse,
    Same,
    /// The answer or the verification changed, but not in a way that is better or worse (e.g.
    /// はい → いいえ with the same verification, or 適合 → 未確認).
    Changed,
    /// No earlier answer maps to the item (new in this edition, or not checked before).
    New,
    /// Not answered this time.
    Unanswered,
}

impl Trend {
    pub fn label(self) -> &'static str {
        match self {
            Trend::Better => "改善",
            Trend::Worse => "悪化",
            Trend::Same => "変化なし",
            Trend::Changed => "変化あり",
            Trend::New => "前回なし",
            Trend::Unanswered => "今回未記入",
        }
    }
}

/// One item of the later checklist with the answers of both inspections.
#[derive(Debug, Clone)]
pub struct Line {
    pub item: ItemRef,
    /// The system whose vendor answered (empty: the facility).
    pub system: String,
    pub number: String,
    pub text: String,
    /// Earlier items that map to this one (`令和6年度版 医療機関確認用 2-(7)`), with their answers.
    pub before: Vec<(String, Option<Answer>)>,
    pub after: Option<Answer>,
    pub trend: Trend,
}

/// The comparison of two cases.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub before_case: String,
    pub after_case: String,
    pub lines: Vec<Line>,
    /// What may make the comparison wrong: two facilities, or the later inspection given first.
    pub warnings: Vec<String>,
    /// The two cases are of different facilities (another 医療機関コード, or another name where a
    /// code is missing): the command refuses unless told to compare them anyway.
    pub other_facility: bool,
}

/// Whether two cases are of different facilities: their 医療機関コード differ, or, where either
/// has none, their names.
pub fn other_facility(before: &Case, after: &Case) -> bool {
    let (b, a) = (&before.facility, &after.facility);
    let codes = !b.code.trim().is_empty() && !a.code.trim().is_empty();
    (codes && b.code.trim() != a.code.trim()) || (!codes && b.name.trim() != a.name.trim())
}

/// The facts that make two cases not comparable as given.
fn warnings(before: &Case, after: &Case) -> Vec<String> {
    let mut out = Vec::new();
    let (b, a) = (&before.facility, &after.facility);
    if other_facility(before, after) {
        out.push(format!(
            "前回と今回は別の施設の記録です（前回「{}」{}、今回「{}」{}）。同じ施設の検査を指定してください",
            b.name.trim(),
            if b.code.is_empty() { String::new() } else { format!("（{}）", b.code) },
            a.name.trim(),
            if a.code.is_empty() { String::new() } else { format!("（{}）", a.code) }
        ));
    }
    if let (Some(db), Some(da)) = (before.inspection.dates.first(), after.inspection.dates.first()) {
        if db > da {
            out.push(format!(
                "前回の実施日 {} が今回の実施日 {} より後です。前回・今回の順に指定してください",
                db.wareki(),
                da.wareki()
            ));
        }
    }
    out
}

/// How the later status compares with the earlier ones.
fn trend(before: &[(String, Option<Answer>)], after: Option<&Answer>) -> Trend {
    let Some(a) = after else { return Trend::Unanswered };
    let earlier: Vec<&Answer> = before.iter().filter_map(|(_, a)| a.as_ref()).collect();
    if earlier.is_empty() {
        return Trend::New;
    }
    let now = ItemStatus::of(a);
    let ranks: Vec<u8> = earlier.iter().filter_map(|e| ItemStatus::of(e).rank()).collect();
    match (now.rank(), ranks.iter().min()) {
        (Some(n), Some(b)) if n > *b => return Trend::Better,
        (Some(n), Some(b)) if n < *b => return Trend::Worse,
        _ => {}
    }
    let same = earlier.iter().all(|e| e.answer == a.answer && e.verification == a.verification);
    if same {
        Trend::Same
    } else {
        Trend::Changed
    }
}

/// Follows the links between editions from `item` (an older edition's `successor`, or a newer
/// edition's `predecessors`) until an item of checklist `target` is reached
/// (`Registry::lead_to`).
pub fn map_to(reg: &Registry, item: &ItemRef, target: &str) -> Option<ItemRef> {
    reg.lead_to(item, target).map(|(c, i)| c.item_ref(i))
}

/// Compares the MHLW checklist answers of `before` with those of `after`, item by item of the
/// MHLW checklist(s) `after` uses.
pub fn compare(reg: &Registry, before: &Case, after: &Case) -> Comparison {
    let targets: Vec<&Checklist> = after
        .inspection
        .checklists
        .iter()
        .filter_map(|id| reg.get(id))
        .filter(|c| c.kind == ChecklistKind::Mhlw)
        .collect();
    let per_vendor = assess::per_vendor(after);
    let systems = after.vendor_systems();
    let mut lines = Vec::new();
    for c in targets {
        for item in &c.items {
            let r = c.item_ref(item);
            // A vendor item answered per system gets one line per system.
            let whose: Vec<&str> =
                if per_vendor && item.respondent == Respondent::Vendor { systems.clone() } else { vec![""] };
            for system in whose {
                let before_answers: Vec<(String, Option<Answer>)> = before
                    .answers
                    .iter()
                    .filter(|a| map_to(reg, &a.item, &c.id).as_ref() == Some(&r))
                    .filter(|a| system.is_empty() || a.system.is_empty() || a.system == system)
                    .map(|a| {
                        let label = reg
                            .item(&a.item)
                            .map(|(bc, bi)| format!("{} {}", bc.edition, bc.item_name(bi)))
                            .unwrap_or_else(|| a.item.to_string());
                        let label = if a.system.is_empty() { label } else { format!("{label}（{}）", a.system) };
                        (label, ItemStatus::of(a).answered().then(|| a.clone()))
                    })
                    .collect();
                let after_answer = after.answer_for(&r, system).filter(|a| ItemStatus::of(a).answered()).cloned();
                let trend = trend(&before_answers, after_answer.as_ref());
                let number =
                    if system.is_empty() { c.item_name(item) } else { format!("{}（{system}）", c.item_name(item)) };
                lines.push(Line {
                    item: r.clone(),
                    system: system.to_string(),
                    number,
                    text: item.text.clone(),
                    before: before_answers,
                    after: after_answer,
                    trend,
                });
            }
        }
    }
    Comparison {
        before_case: before.case_id.clone(),
        after_case: after.case_id.clone(),
        lines,
        warnings: warnings(before, after),
        other_facility: other_facility(before, after),
    }
}

/// `はい／適合` for an answer.
pub fn state(a: Option<&Answer>) -> String {
    let Some(a) = a else { return "－".to_string() };
    let parts: Vec<&str> =
        [a.answer.map(|x| x.label()), a.verification.map(|x| x.label())].into_iter().flatten().collect();
    if parts.is_empty() {
        "－".to_string()
    } else {
        parts.join("／")
    }
}

fn before_text(l: &Line) -> String {
    if l.before.is_empty() {
        return "－".to_string();
    }
    l.before.iter().map(|(label, a)| format!("{label}: {}", state(a.as_ref()))).collect::<Vec<_>>().join("、")
}

impl Comparison {
    pub fn count(&self, t: Trend) -> usize {
        self.lines.iter().filter(|l| l.trend == t).count()
    }

    fn summary(&self) -> String {
        [Trend::Better, Trend::Worse, Trend::Changed, Trend::Same, Trend::New, Trend::Unanswered]
            .iter()
            .map(|t| format!("{} {} 件", t.label(), self.count(*t)))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Plain text, one item a line.
    pub fn to_text(&self) -> String {
        let mut out = format!("前回 {} → 今回 {}\n{}\n", self.before_case, self.after_case, self.summary());
        for w in &self.warnings {
            out.push_str(&format!("※{w}\n"));
        }
        out.push('\n');
        for l in &self.lines {
            out.push_str(&format!(
                "{}\t{}\t前回 {}\t今回 {}\t{}\n",
                l.item,
                l.number,
                before_text(l),
                state(l.after.as_ref()),
                l.trend.label()
            ));
        }
        out
    }

    /// A Markdown table (case text escaped).
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# チェックリストの比較\n\n前回 {} → 今回 {}\n\n{}\n\n| 番号 | 項目 | 前回 | 今回 | 変化 |\n|---|---|---|---|---|\n",
            md_inline(&self.before_case),
            md_inline(&self.after_case),
            md_inline(&self.summary())
        );
        if !self.warnings.is_empty() {
            let notes: String = self.warnings.iter().map(|w| format!("※{}  \n", md_inline(w))).collect();
            out = out.replacen("\n\n| 番号", &format!("\n\n{notes}\n| 番号"), 1);
        }
        for l in &self.lines {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md_cell(&l.number),
                md_cell(&l.text),
                md_cell(&before_text(l)),
                md_cell(&state(l.after.as_ref())),
                l.trend.label()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Date, Verification, YesNo};

    fn answer(item: &str, yes: Option<YesNo>, v: Option<Verification>) -> Answer {
        Answer { answer: yes, verification: v, ..Answer::unanswered(item.parse().unwrap()) }
    }

    #[test]
    fn r6_items_map_to_their_r7_successors() {
        let reg = Registry::load(None).unwrap();
        // R6 numbers 2-(6) アクセスログ, 2-(7) セキュリティパッチ, 2-(8) 接続元制限 (id 2-09).
        for (r6, r7) in [("2-06", "2-10"), ("2-07", "2-06"), ("2-08", "2-12"), ("2-09", "2-13")] {
            let r6: ItemRef = format!("mhlw-r6:{r6}").parse().unwrap();
            assert_eq!(map_to(&reg, &r6, "mhlw-r7").unwrap().as_str(), format!("mhlw-r7:{r7}"));
        }
        let r7: ItemRef = "mhlw-r7:2-13".parse().unwrap();
        assert_eq!(map_to(&reg, &r7, "mhlw-r7").unwrap(), r7);
        assert!(map_to(&reg, &"incident:d-01".parse().unwrap(), "mhlw-r7").is_none());
    }

    #[test]
    fn trends_follow_the_verification_then_the_answer() {
        let reg = Registry::load(None).unwrap();
        let before = Case {
            answers: vec![
                answer("mhlw-r6:2-07", Some(YesNo::No), Some(Verification::Nonconform)),
                answer("mhlw-r6:3-03", Some(YesNo::Yes), None),
                answer("mhlw-r6:2-02", Some(YesNo::Yes), Some(Verification::Conform)),
            ],
            ..Case::default()
        };
        let mut after = Case {
            answers: vec![
                answer("mhlw-r7:2-06", Some(YesNo::Yes), Some(Verification::Conform)),
                answer("mhlw-r7:3-03", Some(YesNo::No), None),
                answer("mhlw-r7:2-02", Some(YesNo::Yes), Some(Verification::Conform)),
                answer("mhlw-r7:2-07", Some(YesNo::Yes), None),
            ],
            ..Case::default()
        };
        after.inspection.checklists = vec!["mhlw-r7".into()];
        let cmp = compare(&reg, &before, &after);
        let trend = |id: &str| cmp.lines.iter().find(|l| l.item.as_str() == id).unwrap().trend;
        assert_eq!(trend("mhlw-r7:2-06"), Trend::Better);
        assert_eq!(trend("mhlw-r7:3-03"), Trend::Worse);
        assert_eq!(trend("mhlw-r7:2-02"), Trend::Same);
        assert_eq!(trend("mhlw-r7:2-07"), Trend::New, "no R6 item maps to the password item");
        assert_eq!(trend("mhlw-r7:4-01"), Trend::Unanswered);
        assert!(cmp.warnings.is_empty(), "{:?}", cmp.warnings);
        let text = cmp.to_text();
        assert!(
            text.contains("前回 令和6年度版 医療機関確認用 2-(7): いいえ／不適合\t今回 はい／適合\t改善"),
            "{text}"
        );
        let md = cmp.to_markdown();
        assert!(md.contains("令和6年度版 医療機関確認用 2-(7): いいえ／不適合 | はい／適合 | 改善 |"), "{md}");
    }

    #[test]
    fn changes_that_are_neither_better_nor_worse_are_not_same() {
        let reg = Registry::load(None).unwrap();
        let mk = |items: Vec<Answer>| {
            let mut c = Case { answers: items, ..Case::default() };
            c.inspection.checklists = vec!["mhlw-r7".into()];
            c
        };
        let before = mk(vec![
            answer("mhlw-r7:2-06", Some(YesNo::Yes), Some(Verification::Conform)),
            answer("mhlw-r7:2-13", Some(YesNo::Yes), Some(Verification::Conform)),
        ]);
        let after = mk(vec![
            answer("mhlw-r7:2-06", Some(YesNo::No), Some(Verification::Conform)),
            answer("mhlw-r7:2-13", Some(YesNo::Yes), Some(Verification::Unverified)),
        ]);
        let cmp = compare(&reg, &before, &after);
        let trend = |id: &str| cmp.lines.iter().find(|l| l.item.as_str() == id).unwrap().trend;
        assert_eq!(trend("mhlw-r7:2-06"), Trend::Changed, "はい → いいえ");
        assert_eq!(trend("mhlw-r7:2-13"), Trend::Changed, "適合 → 未確認");
    }

    #[test]
    fn other_facilities_and_the_wrong_order_are_warned() {
        let reg = Registry::load(None).unwrap();
        let mut before = Case::default();
        before.facility.name = "架空病院".into();
        before.inspection.dates = vec![Date::ymd(2025, 6, 1).unwrap()];
        before.inspection.checklists = vec!["mhlw-r7".into()];
        let mut after = before.clone();
        after.facility.name = "別の病院".into();
        after.inspection.dates = vec![Date::ymd(2024, 6, 1).unwrap()];
        let cmp = compare(&reg, &before, &after);
        assert_eq!(cmp.warnings.len(), 2, "{:?}", cmp.warnings);
        assert!(cmp.other_facility);
        after.facility.name = "架空病院".into();
        assert!(!compare(&reg, &before, &after).other_facility);
        assert!(cmp.to_text().contains("※前回と今回は別の施設の記録です"));
    }

    #[test]
    fn vendor_items_of_the_older_edition_name_their_sheet() {
        let reg = Registry::load(None).unwrap();
        let before = Case { answers: vec![answer("mhlw-r6:v1-01", Some(YesNo::Yes), None)], ..Case::default() };
        let mut after = Case::default();
        after.inspection.checklists = vec!["mhlw-r7".into()];
        let cmp = compare(&reg, &before, &after);
        let l = cmp.lines.iter().find(|l| l.item.as_str() == "mhlw-r7:v1-01").unwrap();
        assert_eq!(l.before[0].0, "令和6年度版 事業者確認用 1-(1)");
    }
}
