//! Rules on the answers: checklists and items that exist, one answer per item, the kind of
//! answer an item takes, target dates, evidence references and guidance for failed items.

use super::quote;
use crate::assess::{self, gated_checklists};
use crate::case::{Case, ItemRef, Verification, YesNo};
use crate::checklist::{AnswerKind, ChecklistKind, Registry, Respondent};
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
    let mut seen: HashMap<(&ItemRef, &str), usize> = HashMap::new();
    for (i, a) in case.answers.iter().enumerate() {
        let at = |f: &str| format!("answers.{i}.{f}");
        if let Some(first) = seen.insert((&a.item, a.system.as_str()), i) {
            let whose = if a.system.is_empty() { String::new() } else { format!("（{}）", a.system) };
            out.push(Diagnostic::error(
                "duplicate-item",
                at("item"),
                format!(
                    "項目「{}」{whose}の回答が二つあります（{}番目と{}番目の [[answers]]）",
                    a.item,
                    first + 1,
                    i + 1
                ),
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
        // A 年度 is judged by its last day; 「次期システム更改時」 has no day to judge.
        let target = a.target_on.and_then(|t| t.due().map(|d| (t, d)));
        if let (Some((target, t)), Some(base)) = (target, a.confirmed_on.or(case.inspection.dates.first().copied())) {
            if t < base {
                out.push(Diagnostic::warning(
                    "target-before-confirmation",
                    at("target_on"),
                    format!("{label} の目標日 {} が確認日 {} より前です", target.label(false), base.wareki()),
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
                            target.label(false),
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
        let guided = case.guidance.iter().any(|g| g.items.contains(&a.item));
        if a.verification == Some(Verification::Nonconform) && !guided {
            out.push(Diagnostic::warning(
                "nonconform-without-guidance",
                at("verification"),
                format!(
                    "{label}「{}」が不適合ですが、この項目への指導（[[guidance]] の items）がありません",
                    quote(&item.text)
                ),
            ));
        }
        // MHLW's form counts 一部適合 as 否: the report lists it with what the facility was told
        // (a measure the facility answers for; a step of the investigation itself is not guided).
        if a.verification == Some(Verification::Partial) && item.answer == AnswerKind::Yesno && !guided {
            out.push(Diagnostic::warning(
                "partial-without-guidance",
                at("verification"),
                format!(
                    "{label}「{}」が一部適合ですが、この項目への指導（[[guidance]] の items）がありません。厚生労働省の様式では「否」に数えられます",
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

/// The MHLW checklist edition fits the inspection's date: published by then, and not an older
/// edition where a newer one for the inspection's 年度 exists.
pub fn editions(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    let Some(date) = case.inspection.dates.first().map(|d| d.0) else { return };
    let fy = wareki::fiscal_year(date);
    for (i, id) in case.inspection.checklists.iter().enumerate() {
        let Some(c) = reg.get(id) else { continue };
        if c.kind != ChecklistKind::Mhlw {
            continue;
        }
        let path = format!("inspection.checklists.{i}");
        if let Some(p) = c.published.filter(|p| p.0 > date) {
            out.push(Diagnostic::warning(
                "edition-year",
                path,
                format!(
                    "{}（{}公表）は実施日 {} より後に公表された版です。実施日の時点の版を使ってください",
                    c.edition,
                    p.wareki(),
                    wareki::format(date)
                ),
            ));
            continue;
        }
        // A newer edition meant for the inspection's 年度 (or an earlier one) exists.
        let mut next = reg.next_edition(&c.id);
        while let Some(n) = next {
            if n.fiscal_year.is_some_and(|y| y <= fy) && n.published.is_none_or(|p| p.0 <= date) {
                out.push(Diagnostic::warning(
                    "edition-year",
                    path,
                    format!(
                        "実施日は{}ですが、{}を使っています（{}があります）",
                        wareki::format_fiscal_year(fy),
                        c.edition,
                        n.edition
                    ),
                ));
                break;
            }
            next = reg.next_edition(&n.id);
        }
    }
    // An edition MHLW has published that kensa does not have yet (editions.toml).
    if let Some(i) =
        case.inspection.checklists.iter().position(|id| reg.get(id).is_some_and(|c| c.kind == ChecklistKind::Mhlw))
    {
        if let Some(e) = reg.newer_edition(date) {
            out.push(Diagnostic::warning(
                "edition-not-installed",
                format!("inspection.checklists.{i}"),
                crate::checklist::editions::notice(e),
            ));
        }
    }
}

/// Per-vendor answers (事業者確認用): each names a listed system, and, once the case answers
/// per vendor, every vendor item is answered for every listed system.
pub fn vendors(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    let listed: Vec<&str> = case.facility.systems.iter().map(|s| s.name.trim()).filter(|n| !n.is_empty()).collect();
    for (i, a) in case.answers.iter().enumerate() {
        if !a.system.is_empty() && !listed.contains(&a.system.trim()) {
            out.push(Diagnostic::error(
                "unknown-system",
                format!("answers.{i}.system"),
                format!(
                    "回答のシステム「{}」が [[facility.systems]] にありません（あるもの: {}）",
                    a.system,
                    if listed.is_empty() { "なし".to_string() } else { listed.join("、") }
                ),
            ));
        }
    }
    if !assess::per_vendor(case) {
        return;
    }
    for id in &case.inspection.checklists {
        let Some(c) = reg.get(id) else { continue };
        for item in c.items.iter().filter(|i| i.respondent == Respondent::Vendor) {
            let r = c.item_ref(item);
            for s in &case.facility.systems {
                let name = s.name.trim();
                if name.is_empty() {
                    continue;
                }
                let answered = case
                    .answers
                    .iter()
                    .any(|a| a.item == r && a.system.trim() == name && assess::ItemStatus::of(a).answered());
                if !answered {
                    let vendor =
                        if s.vendor.trim().is_empty() { String::new() } else { format!("、{}", s.vendor.trim()) };
                    out.push(Diagnostic::warning(
                        "vendor-unanswered",
                        "facility.systems",
                        format!(
                            "{}「{}」が「{name}」（事業者確認用{vendor}）について未回答です",
                            c.item_name(item),
                            quote(&item.text)
                        ),
                    ));
                }
            }
        }
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
    use crate::check::testing::{run_with_checklists as run, MINIMAL};

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
        // A 年度 is judged by its last day; 「次期システム更改時」 is a target without a day.
        let fy = |t: &str| with_answer(&format!("item = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"\ntarget_on = \"{t}\""));
        assert!(run(answers, &fy("令和7年度")).is_empty());
        assert_eq!(run(answers, &fy("令和8年度")), ["W:target-after-fiscal-year"]);
        assert!(run(answers, &fy("次期システム更改時")).is_empty());
    }

    #[test]
    fn evidence_and_guidance() {
        assert_eq!(run(answers, &with_answer("item = \"mhlw-r7:2-06\"\nevidence = [\"E9\"]")), ["E:unknown-evidence"]);
        assert_eq!(
            run(answers, &with_answer("item = \"mhlw-r7:2-06\"\nverification = \"不適合\"")),
            ["W:nonconform-without-guidance"]
        );
        assert_eq!(
            run(answers, &with_answer("item = \"mhlw-r7:2-06\"\nverification = \"一部適合\"")),
            ["W:partial-without-guidance"]
        );
        let guided = with_answer(
            "item = \"mhlw-r7:2-06\"\nverification = \"一部適合\"\n[[guidance]]\nkind = \"助言\"\ntext = \"手順を定めること\"\nitems = [\"mhlw-r7:2-06\"]",
        );
        assert!(run(answers, &guided).is_empty());
    }

    #[test]
    fn editions_fit_the_inspection_year() {
        let t = |list: &str, date: &str| {
            format!("case_id = \"T\"\n[facility]\nname = \"A\"\n[inspection]\nchecklists = [\"{list}\"]\ndates = [{date}]\n")
        };
        assert_eq!(run(editions, &t("mhlw-r7", "2019-06-01")), ["W:edition-year"]);
        assert_eq!(run(editions, &t("mhlw-r6", "2025-09-01")), ["W:edition-year"]);
        assert!(run(editions, &t("mhlw-r7", "2025-09-01")).is_empty());
        assert!(run(editions, &t("mhlw-r6", "2024-09-01")).is_empty());
        // 令和8年度版 (published 令和8年6月) is known but not installed.
        assert!(run(editions, &t("mhlw-r7", "2026-06-30")).is_empty());
        assert_eq!(run(editions, &t("mhlw-r7", "2026-07-01")), ["W:edition-not-installed"]);
        assert!(run(editions, &t("onsite", "2026-07-01")).is_empty(), "no MHLW checklist: nothing to say");
    }

    #[test]
    fn vendors_rule() {
        let base = "case_id = \"T\"\n[facility]\nname = \"A\"\n[[facility.systems]]\nname = \"電子カルテ\"\nvendor = \"架空メディカル\"\n[inspection]\nchecklists = [\"mhlw-r7\"]\n";
        assert!(run(vendors, base).is_empty(), "no per-vendor answers: nothing asked");
        let one = format!("{base}[[answers]]\nitem = \"mhlw-r7:v1-01\"\nsystem = \"電子カルテ\"\nanswer = \"はい\"\n");
        let found = run(vendors, &one);
        assert!(!found.is_empty() && found.iter().all(|c| c == "W:vendor-unanswered"), "{found:?}");
        let wrong = format!("{base}[[answers]]\nitem = \"mhlw-r7:v1-01\"\nsystem = \"レセコン\"\n");
        assert!(run(vendors, &wrong).contains(&"E:unknown-system".to_string()));
        let twice = format!("{one}[[answers]]\nitem = \"mhlw-r7:v1-01\"\nsystem = \"電子カルテ\"\n");
        assert_eq!(run(answers, &twice), ["E:duplicate-item"]);
    }

    #[test]
    fn links_rule() {
        let t = format!("{MINIMAL}[[causes]]\ntext = \"x\"\nitems = [\"mhlw-r7:2-06\", \"mhlw-r7:7-77\"]\n");
        assert_eq!(run(links, &t), ["E:unknown-item"]);
    }
}
