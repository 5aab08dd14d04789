//! Rules on the inspection record itself: what a report to MHLW cannot go without, and the
//! identification the inspectors showed.

use crate::assess;
use crate::case::Case;
use crate::checklist::Registry;
use crate::diag::Diagnostic;

/// The inspection date, the inspectors and at least one answer: a report to MHLW names them.
pub fn essentials(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    if case.inspection.dates.is_empty() {
        out.push(Diagnostic::warning(
            "no-inspection-date",
            "inspection",
            "実施日（inspection.dates）がありません。厚生労働省への報告書には実施日を記載します",
        ));
    }
    if case.inspection.inspectors.is_empty() {
        out.push(Diagnostic::warning(
            "no-inspectors",
            "inspection",
            "医療監視員（[[inspection.inspectors]]）の記録がありません。立入検査を行った医療監視員の氏名を記録してください",
        ));
    }
    let uses_checklists = case.inspection.checklists.iter().any(|id| reg.get(id).is_some());
    let answered = case
        .answers
        .iter()
        .any(|a| assess::ItemStatus::of(a).answered() || a.done.is_some() || !a.text.trim().is_empty());
    if uses_checklists && !answered {
        out.push(Diagnostic::warning(
            "nothing-answered",
            if case.answers.is_empty() { "inspection.checklists" } else { "answers" },
            "チェックリストの項目に回答・確認結果が一つも記録されていません",
        ));
    }
    // Only the 事業者確認用 answered: the facility's own items, the ones an inspector verifies
    // on the facility, are still empty (the report counts the two apart).
    if answered {
        let mut own = false;
        let mut vendor = false;
        for c in case.inspection.checklists.iter().filter_map(|id| reg.get(id)) {
            for k in assess::item_checks(case, c) {
                if k.status.answered() || k.answer.is_some_and(|a| a.done.is_some()) {
                    match k.side() {
                        assess::Side::Own => own = true,
                        assess::Side::Vendor(_) => vendor = true,
                    }
                }
            }
        }
        if vendor && !own {
            out.push(Diagnostic::warning(
                "only-vendor-answered",
                "answers",
                "事業者確認用の項目にしか回答・確認結果がありません。医療機関確認用の項目（医療機関自身の対策）を記録してください",
            ));
        }
    }
}

/// The inspectors' identification and the procedure step that records showing it agree.
pub fn id_shown(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    let f = assess::id_shown(case, reg);
    if !f.contradicts() {
        return;
    }
    let Some((item, done)) = &f.step else { return };
    let number = reg.item(item).map(|(c, i)| c.item_name(i)).unwrap_or_else(|| item.to_string());
    let step = done.map(|d| d.label()).unwrap_or("未記録");
    let path =
        case.answers.iter().position(|a| &a.item == item).map(|i| format!("answers.{i}.done")).unwrap_or_default();
    let message = if f.inspectors {
        format!("医療監視員は全員「証明書を提示」と記録されていますが、手順 {number}（身分を示す証明書の提示）は「{step}」です。どちらかを直してください（{}）", assess::ID_CARD_LAW)
    } else {
        format!("手順 {number}（身分を示す証明書の提示）は「{step}」ですが、証明書の提示が記録されていない医療監視員がいます（{}）", assess::ID_CARD_LAW)
    };
    out.push(Diagnostic::warning("id-shown-mismatch", path, message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{run_with_checklists as run, MINIMAL};

    #[test]
    fn a_new_case_lacks_what_a_report_needs() {
        let t = MINIMAL.replace(
            "[inspection]\n",
            "[inspection]\nchecklists = [\"mhlw-r7\"]\n[[answers]]\nitem = \"mhlw-r7:2-06\"\n",
        );
        assert_eq!(run(essentials, &t), ["W:no-inspection-date", "W:no-inspectors", "W:nothing-answered"]);
        let t = t
            .replace("[inspection]\n", "[inspection]\ndates = [2025-06-10]\n")
            .replace("item = \"mhlw-r7:2-06\"\n", "item = \"mhlw-r7:2-06\"\nanswer = \"はい\"\n")
            + "[[inspection.inspectors]]\nname = \"検査 一郎\"\n";
        assert!(run(essentials, &t).is_empty(), "{:?}", run(essentials, &t));
        // The 事業者確認用 alone do not stand for the facility's own items.
        let vendor_only = t.replace("item = \"mhlw-r7:2-06\"", "item = \"mhlw-r7:v2-06\"");
        assert_eq!(run(essentials, &vendor_only), ["W:only-vendor-answered"]);
    }

    #[test]
    fn identification_records_agree() {
        let base = "case_id = \"T\"\n[facility]\nname = \"A\"\n[inspection]\nchecklists = [\"onsite\"]\n[[inspection.inspectors]]\nname = \"検査 一郎\"\nid_shown = true\n";
        let not_done = format!("{base}[[answers]]\nitem = \"onsite:s-03\"\ndone = \"未実施\"\n");
        assert_eq!(run(id_shown, &not_done), ["W:id-shown-mismatch"]);
        let done = format!("{base}[[answers]]\nitem = \"onsite:s-03\"\ndone = \"実施\"\n");
        assert!(run(id_shown, &done).is_empty());
        let unshown = done.replace("id_shown = true\n", "");
        assert_eq!(run(id_shown, &unshown), ["W:id-shown-mismatch"]);
        assert!(run(id_shown, base).is_empty(), "no step recorded: nothing to compare");
    }
}
