//! A new case: every item of the chosen checklists present and unanswered.

use super::*;
use crate::checklist::Registry;
use crate::error::{Error, Place, Result};

/// The checklists a new case uses when none are named: the MHLW checklist in force (the newest
/// edition, so an edition added to the user's folder is used at once), then the incident
/// questionnaire for an incident, then the on-site procedure.
pub fn default_checklists(reg: &Registry, kind: InspectionKind) -> Vec<String> {
    let mhlw = reg.current_mhlw().map(|c| c.id.clone()).unwrap_or_else(|| "mhlw-r7".into());
    match kind {
        InspectionKind::Incident => vec![mhlw, "incident".into(), "onsite".into()],
        _ => vec![mhlw, "onsite".into()],
    }
}

/// Reads the inspection kind from its short or full Japanese name.
pub fn parse_kind(s: &str) -> Option<InspectionKind> {
    match s.trim() {
        "定期" | "定期の立入検査" | "routine" => Some(InspectionKind::Routine),
        "事案" | "事案に係る立入検査" | "incident" => Some(InspectionKind::Incident),
        "報告徴収" | "報告" | "report" => Some(InspectionKind::ReportRequest),
        _ => None,
    }
}

/// A new case with every item of `checklists` present and unanswered.
pub fn new_case(
    reg: &Registry,
    case_id: &str,
    facility: &str,
    kind: InspectionKind,
    checklists: &[String],
) -> Result<Case> {
    let mut answers = Vec::new();
    for id in checklists {
        let c = reg.require(id, Place::Nowhere)?;
        answers.extend(c.items.iter().map(|i| Answer::unanswered(c.item_ref(i))));
    }
    if facility.trim().is_empty() {
        return Err(Error::Usage("施設名（--facility）が空です".into()));
    }
    let incident = kind == InspectionKind::Incident;
    Ok(Case {
        format: model::FORMAT_VERSION,
        case_id: case_id.to_string(),
        facility: Facility { name: facility.trim().to_string(), ..Facility::default() },
        inspection: Inspection {
            kind: Some(kind),
            legal_basis: vec![legal_basis_for(None).to_string()],
            checklists: checklists.to_vec(),
            ..Inspection::default()
        },
        incident: incident.then(Incident::default),
        damage: incident.then(Damage::default),
        response: incident.then(Response::default),
        recovery: incident.then(Recovery::default),
        answers,
        ..Case::default()
    })
}

/// The legal basis of an on-site inspection of a facility of `kind`: 医薬品医療機器等法第69条 for
/// a 薬局, else 医療法第25条第1項.
pub fn legal_basis_for(kind: Option<FacilityKind>) -> &'static str {
    match kind {
        Some(FacilityKind::Pharmacy) => "医薬品医療機器等法第69条",
        _ => "医療法第25条第1項",
    }
}

/// Sets the kind of facility of a new case, with the legal basis that goes with it.
pub fn set_facility_kind(case: &mut Case, kind: FacilityKind) {
    case.facility.kind = Some(kind);
    case.inspection.legal_basis = vec![legal_basis_for(Some(kind)).to_string()];
}

/// A case id from today's date and the folder name.
pub fn default_case_id(dir: &std::path::Path, today: chrono::NaiveDate) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "case".to_string());
    format!("{}-{}", today.format("%Y%m%d"), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_cases_hold_every_item() {
        let reg = Registry::load(None).unwrap();
        let c = new_case(
            &reg,
            "X-1",
            " 架空病院 ",
            InspectionKind::Incident,
            &default_checklists(&reg, InspectionKind::Incident),
        )
        .unwrap();
        let n: usize = ["mhlw-r7", "incident", "onsite"].iter().map(|id| reg.get(id).unwrap().items.len()).sum();
        assert_eq!(c.answers.len(), n);
        assert_eq!(c.facility.name, "架空病院");
        assert!(c.incident.is_some() && c.damage.is_some() && c.response.is_some() && c.recovery.is_some());
        let e = new_case(&reg, "X", "A", InspectionKind::Routine, &["mhlw-r9".into()]).unwrap_err();
        assert!(matches!(e, Error::UnknownChecklist { .. }), "{e}");
    }

    #[test]
    fn kinds_and_ids() {
        assert_eq!(parse_kind("事案"), Some(InspectionKind::Incident));
        assert_eq!(parse_kind("定期検査"), None);
        let d = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        assert_eq!(default_case_id(std::path::Path::new("2025/みなと"), d), "20250601-みなと");
        assert_eq!(default_case_id(std::path::Path::new(".."), d), "20250601-case");
    }
}
