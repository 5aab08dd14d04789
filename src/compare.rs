//! Comparing two inspections of one facility item by item — e.g. last year's check with the
//! 令和6年度版 and this year's with the 令和7年度版 — through the links between editions
//! (`successor` of an older item, `predecessors` of a newer one).

use crate::assess::ItemStatus;
use crate::case::{Answer, Case, ItemRef};
use crate::checklist::{Checklist, ChecklistKind, Registry};
use crate::text::{md_cell, md_inline};

/// How an item moved between the two inspections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Better,
    Worse,
    Same,
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
            Trend::New => "前回なし",
            Trend::Unanswered => "今回未記入",
        }
    }
}

/// One item of the later checklist with the answers of both inspections.
#[derive(Debug, Clone)]
pub struct Line {
    pub item: ItemRef,
    pub number: String,
    pub text: String,
    /// Earlier items that map to this one (`令和6年度版 2-(7)`), with their answers.
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
}

/// Follows the links between editions from `item` (an older edition's `successor`, or a newer
/// edition's `predecessors`) until an item of checklist `target` is reached.
pub fn map_to(reg: &Registry, item: &ItemRef, target: &str) -> Option<ItemRef> {
    let mut current = item.clone();
    for _ in 0..8 {
        if current.checklist() == target {
            return reg.item(&current).map(|_| current);
        }
        current = reg.next_item(&current)?;
    }
    None
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
    let mut lines = Vec::new();
    for c in targets {
        for item in &c.items {
            let r = c.item_ref(item);
            let before_answers: Vec<(String, Option<Answer>)> = before
                .answers
                .iter()
                .filter(|a| map_to(reg, &a.item, &c.id).as_ref() == Some(&r))
                .map(|a| {
                    let label = reg
                        .item(&a.item)
                        .map(|(bc, bi)| format!("{} {}", bc.edition, bi.number))
                        .unwrap_or_else(|| a.item.to_string());
                    (label, ItemStatus::of(a).answered().then(|| a.clone()))
                })
                .collect();
            let after_answer = after.answer(&r).filter(|a| ItemStatus::of(a).answered()).cloned();
            let before_rank =
                before_answers.iter().filter_map(|(_, a)| a.as_ref().and_then(|a| ItemStatus::of(a).rank())).min();
            let trend = match (&after_answer, before_rank) {
                (None, _) => Trend::Unanswered,
                (Some(_), None) => Trend::New,
                (Some(a), Some(b)) => match ItemStatus::of(a).rank() {
                    Some(n) if n > b => Trend::Better,
                    Some(n) if n < b => Trend::Worse,
                    _ => Trend::Same,
                },
            };
            lines.push(Line {
                item: r,
                number: c.item_name(item),
                text: item.text.clone(),
                before: before_answers,
                after: after_answer,
                trend,
            });
        }
    }
    Comparison { before_case: before.case_id.clone(), after_case: after.case_id.clone(), lines }
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
        [Trend::Better, Trend::Worse, Trend::Same, Trend::New, Trend::Unanswered]
            .iter()
            .map(|t| format!("{} {} 件", t.label(), self.count(*t)))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Plain text, one item a line.
    pub fn to_text(&self) -> String {
        let mut out = format!("前回 {} → 今回 {}\n{}\n\n", self.before_case, self.after_case, self.summary());
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
    use crate::case::{Verification, YesNo};

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
        let text = cmp.to_text();
        assert!(text.contains("前回 令和6年度版 2-(7): いいえ／不適合\t今回 はい／適合\t改善"), "{text}");
        let md = cmp.to_markdown();
        assert!(md.contains("令和6年度版 2\\-\\(7\\): いいえ／不適合 | はい／適合 | 改善 |"), "{md}");
    }
}
