//! Rules on the answers: checklists and items that exist, one answer per item, the kind of
//! answer an item takes, target dates, evidence references and guidance for failed items.

use super::quote;
use crate::assess::gated_checklists;
use crate::case::{Case, ItemRef, Verification, YesNo};
use crate::checklist::{AnswerKind, Registry};
use crate::diag::Diagnostic;
use crate::error::unknown_checklist;
use crate::wareki;
use std::collections::HashMap;

/// Every checklist of the inspection exists.
pub fn checklists_listed(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    for (i, id) in case.inspection.checklists.iter().enumerate() {
        if reg.get(id).is_none() {
            out.push(Diagnostic::error(
                "unknown-checklist",
                format!("inspection.checklists.{i}"),
                unknown_checklist(id, &reg.known()),
            ));
        }
    }
}

/// Each answer: a known item, once, of a listed checklist, in the form the item takes, with a
/// target date where it is いいえ, dates in order, evidence that exists, guidance where 不適合.
pub fn answers(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    // Facilities that use no information system (gate answered いいえ) need no further check.
    let gated = gated_checklists(case, reg);
    let mut seen: HashMap<&ItemRef, usize> = HashMap::new();
    for (i, a) in case.answers.iter().enumerate() {
        let at = |f: &str| format!("answers.{i}.{f}");
        if let Some(first) = seen.insert(&a.item, i) {
            out.push(Diagnostic::error(
                "duplicate-item",
                at("item"),
                format!("項目「{}」の回答が二つあります（{}番目と{}番目の [[answers]]）", a.item, first + 1, i + 1),
            ));
            continue;
        }
        let Some((c, item)) = reg.item(&a.item) else {
            out.push(unknown_item(reg, &a.item, at("item")));
            continue;
        };
        if !case.inspection.checklists.iter().any(|id| id == &c.id) {
            out.push(Diagnostic::warning(
                "checklist-not-listed",
                at("item"),
                format!("項目「{}」のチェックリスト {} が inspection.checklists にありません", a.item, c.id),
            ));
        }
        let label = format!("{} {}", c.id, item.number);
        if item.answer != AnswerKind::Yesno && (a.answer.is_some() || a.target_on.is_some()) {
            out.push(Diagnostic::warning(
                "answer-kind",
                at("answer"),
                format!("{label} は{}で答える項目です。はい／いいえ・目標日は書きません", item.answer.label()),
            ));
        }
        let exempt = gated.contains(c.id.as_str()) && !item.gate;
        if a.answer == Some(YesNo::No) && a.target_on.is_none() && !item.gate && !exempt {
            out.push(Diagnostic::warning(
                "no-target-date",
                at("answer"),
                format!("{label}「{}」が「いいえ」ですが、目標日（target_on）がありません。年度内の目標日を記入してもらってください", quote(&item.text)),
            ));
        }
        if let (Some(t), Some(base)) = (a.target_on, a.confirmed_on.or(case.inspection.dates.first().copied())) {
            if t < base {
                out.push(Diagnostic::warning(
                    "target-before-confirmation",
                    at("target_on"),
                    format!("{label} の目標日 {} が確認日 {} より前です", t.wareki(), base.wareki()),
                ));
            }
            // The MHLW form asks for a target within the fiscal year, or within the 年度 the
            // edition sets for the item (e.g. 二要素認証 by 令和9年度).
            let fy =
                item.target_fiscal_year.unwrap_or_else(|| wareki::fiscal_year(base.0)).max(wareki::fiscal_year(base.0));
            if let Some((_, end)) = wareki::fiscal_year_range(fy) {
                if t.0 > end {
                    out.push(Diagnostic::warning(
                        "target-after-fiscal-year",
                        at("target_on"),
                        format!(
                            "{label} の目標日 {} が{}の末日（{}）より後です。目標日は{}内で記入してもらってください",
                            t.wareki(),
                            wareki::format_fiscal_year(fy),
                            wareki::format(end),
                            wareki::format_fiscal_year(fy)
                        ),
                    ));
                }
            }
        }
        for (j, e) in a.evidence.iter().enumerate() {
            if !case.evidence.iter().any(|x| &x.id == e) {
                out.push(Diagnostic::error(
                    "unknown-evidence",
                    format!("answers.{i}.evidence.{j}"),
                    format!("{label} の証跡「{e}」が [[evidence]] にありません"),
                ));
            }
        }
        if a.verification == Some(Verification::Nonconform) && !case.guidance.iter().any(|g| g.items.contains(&a.item))
        {
            out.push(Diagnostic::warning(
                "nonconform-without-guidance",
                at("verification"),
                format!(
                    "{label}「{}」が不適合ですが、この項目への指導（[[guidance]] の items）がありません",
                    quote(&item.text)
                ),
            ));
        }
    }
}

fn unknown_item(reg: &Registry, r: &ItemRef, path: String) -> Diagnostic {
    match reg.get(r.checklist()) {
        None => Diagnostic::error(
            "unknown-item",
            path,
            format!("項目「{r}」の{}", unknown_checklist(r.checklist(), &reg.known())),
        ),
        Some(c) => Diagnostic::error(
            "unknown-item",
            path,
            format!(
                "項目「{r}」は {}（{}）にありません。kensa checklist show {} で項目IDを確認してください",
                c.id, c.edition, c.id
            ),
        ),
    }
}

/// Items named by causes, measures and guidance exist.
pub fn links(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    let lists: [(&str, Vec<&Vec<ItemRef>>); 3] = [
        ("causes", case.causes.iter().map(|c| &c.items).collect()),
        ("measures", case.measures.iter().map(|m| &m.items).collect()),
        ("guidance", case.guidance.iter().map(|g| &g.items).collect()),
    ];
    for (name, entries) in lists {
        for (i, items) in entries.iter().enumerate() {
            for (j, r) in items.iter().enumerate() {
                if reg.item(r).is_none() {
                    out.push(unknown_item(reg, r, format!("{name}.{i}.items.{j}")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{case, codes, MINIMAL};

    fn run(f: fn(&Case, &Registry, &mut Vec<Diagnostic>), text: &str) -> Vec<String> {
        let reg = Registry::load(None).unwrap();
        let mut out = Vec::new();
        f(&case(text), &reg, &mut out);
        codes(&out)
    }

    fn with_answer(answer: &str) -> String {
        format!("case_id = \"T\"\n[facility]\nname = \"A\"\n[inspection]\nchecklists = [\"mhlw-r7\"]\ndates = [2025-06-10]\n[[answers]]\n{answer}\n")
    }

    #[test]
    fn checklists_listed_rule() {
        assert!(run(checklists_listed, &with_answer("item = \"mhlw-r7:2-06\"")).is_empty());
        let t = format!("{MINIMAL}checklists = [\"mhlw-r9\"]\n");
        assert_eq!(run(checklists_listed, &t), ["E:unknown-checklist"]);
    }

    #[test]
    fn unknown_and_duplicate_items() {
        assert_eq!(run(answers, &with_answer("item = \"mhlw-r7:9-99\"")), ["E:unknown-item"]);
        assert_eq!(run(answers, &with_answer("item = \"nothing:1\"")), ["E:unknown-item"]);
        let t = with_answer("item = \"mhlw-r7:2-06\"\n[[answers]]\nitem = \"mhlw-r7:2-06\"");
        assert_eq!(run(answers, &t), ["E:duplicate-item"]);
    }

    #[test]
    fn answers_of_unlisted_checklists_and_wrong_kind() {
        assert_eq!(
            run(answers, &with_answer("item = \"incident:d-01\"\nanswer = \"はい\"")),
            ["W:checklist-not-listed", "W:answer-kind"]
        );
    }

    #[test]
    fn no_without_target_date_unless_gated() {
        assert_eq!(run(answers, &with_answer("item = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"")), ["W:no-target-date"]);
        let gated = with_answer(
            "item = \"mhlw-r7:0\"\nanswer = \"いいえ\"\n[[answers]]\nitem = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"",
        );
        assert!(run(answers, &gated).is_empty());
    }

    #[test]
    fn target_dates() {
        let before = with_answer("item = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"\ntarget_on = 2025-06-01");
        assert_eq!(run(answers, &before), ["W:target-before-confirmation"]);
        let after = with_answer("item = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"\ntarget_on = 2026-04-01");
        assert_eq!(run(answers, &after), ["W:target-after-fiscal-year"]);
        // Two-factor authentication may be planned up to 令和9年度.
        let later = with_answer("item = \"mhlw-r7:2-11\"\nanswer = \"いいえ\"\ntarget_on = 2027-06-01");
        assert!(run(answers, &later).is_empty());
    }

    #[test]
    fn evidence_and_guidance() {
        assert_eq!(run(answers, &with_answer("item = \"mhlw-r7:2-06\"\nevidence = [\"E9\"]")), ["E:unknown-evidence"]);
        assert_eq!(
            run(answers, &with_answer("item = \"mhlw-r7:2-06\"\nverification = \"不適合\"")),
            ["W:nonconform-without-guidance"]
        );
    }

    #[test]
    fn links_rule() {
        let t = format!("{MINIMAL}[[causes]]\ntext = \"x\"\nitems = [\"mhlw-r7:2-06\", \"mhlw-r7:7-77\"]\n");
        assert_eq!(run(links, &t), ["E:unknown-item"]);
    }
}
