//! Rules for what guideline 第7.0版 and the 令和8年度版 checklist add to a record: a 保守委託機関
//! and its basis, the 責任分界 of vendor items, and the legal basis of a 薬局's inspection.

use super::quote;
use crate::case::{Case, FacilityKind};
use crate::checklist::Registry;
use crate::diag::Diagnostic;

/// The legal basis of an on-site inspection of a 薬局.
pub const PHARMACY_LEGAL_BASIS: &str = "医薬品医療機器等法第69条";

/// A 保守委託機関 names its basis (the contract).
pub fn maintenance(case: &Case, out: &mut Vec<Diagnostic>) {
    if case.facility.maintenance_entrusted == Some(true) && case.facility.maintenance_basis.trim().is_empty() {
        out.push(Diagnostic::warning(
            "maintenance-basis",
            "facility.maintenance_entrusted",
            "保守委託機関とされていますが、その根拠（maintenance_basis: セキュリティ更新を事業者に委託する契約書の名称・条項など）がありません",
        ));
    }
}

/// 責任分界 is answered on the items that ask for it, and only there.
pub fn responsibility(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    for (i, a) in case.answers.iter().enumerate() {
        let Some((c, item)) = reg.item(&a.item) else { continue };
        let name = c.item_name(item);
        if a.responsibility.is_some() && !item.responsibility {
            out.push(Diagnostic::warning(
                "responsibility-not-asked",
                format!("answers.{i}.responsibility"),
                format!("{name}「{}」は責任分界を問う項目ではありません（責任分界は事業者確認用の責任分界の項目に記入します）", quote(&item.text)),
            ));
        }
        if item.responsibility && a.answer.is_some() && a.responsibility.is_none() {
            out.push(Diagnostic::warning(
                "responsibility-missing",
                format!("answers.{i}.responsibility"),
                format!(
                    "{name}「{}」は回答されていますが、責任分界（医療機関／事業者／共同）がありません",
                    quote(&item.text)
                ),
            ));
        }
    }
}

/// A 薬局 is inspected under 医薬品医療機器等法第69条, a hospital, clinic or 助産所 under 医療法第25条.
pub fn legal_basis(case: &Case, out: &mut Vec<Diagnostic>) {
    let pharmacy = case.facility.kind == Some(FacilityKind::Pharmacy);
    for (i, b) in case.inspection.legal_basis.iter().enumerate() {
        let b2 = crate::wareki::normalize(b);
        let medical_care_act = b2.contains("医療法第25条") || b2.contains("医療法 第25条");
        let pmd_act = b2.contains("第69条") && (b2.contains("医薬品医療機器等法") || b2.contains("薬機法"));
        let message = if pharmacy && medical_care_act {
            format!("薬局の立入検査の根拠は{PHARMACY_LEGAL_BASIS}です（医療法第25条は病院・診療所・助産所の立入検査の根拠です）")
        } else if !pharmacy && case.facility.kind.is_some() && pmd_act {
            format!("{PHARMACY_LEGAL_BASIS}は薬局の立入検査の根拠です（病院・診療所・助産所は医療法第25条）")
        } else {
            continue;
        };
        out.push(Diagnostic::warning("legal-basis-kind", format!("inspection.legal_basis.{i}"), message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{case, codes, run_with_checklists as run, MINIMAL};

    fn on(f: fn(&Case, &mut Vec<Diagnostic>), text: &str) -> Vec<String> {
        let mut out = Vec::new();
        f(&case(text), &mut out);
        codes(&out)
    }

    #[test]
    fn a_maintenance_entrusted_facility_names_its_basis() {
        let t = |extra: &str| {
            MINIMAL.replace("[inspection]", &format!("maintenance_entrusted = true\n{extra}[inspection]"))
        };
        assert_eq!(on(maintenance, &t("")), ["W:maintenance-basis"]);
        assert!(on(maintenance, &t("maintenance_basis = \"保守契約書 第5条\"\n")).is_empty());
        assert!(on(maintenance, MINIMAL).is_empty());
    }

    #[test]
    fn the_legal_basis_fits_the_kind_of_facility() {
        let t = |kind: &str, basis: &str| {
            MINIMAL.replace("name = \"架空病院\"\n", &format!("name = \"架空\"\nkind = \"{kind}\"\n"))
                + &format!("legal_basis = [\"{basis}\"]\n")
        };
        assert_eq!(on(legal_basis, &t("薬局", "医療法第25条第1項")), ["W:legal-basis-kind"]);
        assert!(on(legal_basis, &t("薬局", "医薬品医療機器等法第69条")).is_empty());
        assert_eq!(on(legal_basis, &t("病院", "医薬品医療機器等法第69条")), ["W:legal-basis-kind"]);
        assert!(on(legal_basis, &t("病院", "医療法第25条第1項")).is_empty());
    }

    #[test]
    fn responsibility_only_where_asked() {
        let t = "case_id = \"T\"\n[facility]\nname = \"A\"\n[inspection]\nchecklists = [\"mhlw-r7\"]\n[[answers]]\nitem = \"mhlw-r7:v1-01\"\nanswer = \"はい\"\nresponsibility = \"事業者\"\n";
        assert_eq!(run(responsibility, t), ["W:responsibility-not-asked"]);
        assert!(run(responsibility, &t.replace("responsibility = \"事業者\"\n", "")).is_empty());
        // An item that asks for it (as `checklist import` marks the items of a 責任分界 column).
        let mut reg = Registry::load(None).unwrap();
        let (c, _) = reg.checklists.get_mut("mhlw-r7").unwrap();
        c.items.iter_mut().filter(|i| i.id == "v1-01").for_each(|i| i.responsibility = true);
        let found = |text: &str| {
            let mut out = Vec::new();
            responsibility(&case(text), &reg, &mut out);
            codes(&out)
        };
        assert!(found(t).is_empty());
        assert_eq!(found(&t.replace("responsibility = \"事業者\"\n", "")), ["W:responsibility-missing"]);
    }
}
