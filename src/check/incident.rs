//! Rules on an incident: dates in their order, and the reports to MHLW and 個人情報保護委員会
//! against their deadlines (computed by [`crate::assess::deadlines`]).

use crate::assess::deadlines::{self, Limit};
use crate::case::{Case, DataImpactKind, Party};
use crate::diag::Diagnostic;

/// Dates that cannot be: detection before occurrence, recovery before detection, periods
/// ending before they start, notifications before detection.
pub fn dates(case: &Case, out: &mut Vec<Diagnostic>) {
    let detected = deadlines::detected(case);
    if let Some(inc) = &case.incident {
        if let (Some(o), Some(d)) = (inc.occurred_at, inc.detected_at) {
            if d < o {
                out.push(Diagnostic::error(
                    "detected-before-occurred",
                    "incident.detected_at",
                    format!(
                        "覚知日時 {} が発生日時 {} より前です。発生と覚知を確認してください",
                        d.wareki(),
                        o.wareki()
                    ),
                ));
            }
        }
    }
    if let (Some(rec), Some(d)) = (&case.recovery, detected) {
        if let Some(full) = rec.full_recovery_on {
            if full.0 < d.date {
                out.push(Diagnostic::error(
                    "recovered-before-detected",
                    "recovery.full_recovery_on",
                    format!("全面復旧日 {} が覚知日 {} より前です", full.wareki(), d.wareki()),
                ));
            }
        }
        for (i, s) in rec.systems.iter().enumerate() {
            if let Some(r) = s.restored_on {
                if r.0 < d.date {
                    out.push(Diagnostic::error(
                        "recovered-before-detected",
                        format!("recovery.systems.{i}.restored_on"),
                        format!("「{}」の復旧日 {} が覚知日 {} より前です", s.name, r.wareki(), d.wareki()),
                    ));
                }
            }
        }
    }
    if let Some(dmg) = &case.damage {
        for (i, c) in dmg.clinical.iter().enumerate() {
            if let (Some(f), Some(t)) = (c.from, c.to) {
                if t < f {
                    out.push(Diagnostic::error(
                        "period-reversed",
                        format!("damage.clinical.{i}.to"),
                        format!("{}の再開日 {} が停止日 {} より前です", c.service, t.wareki(), f.wareki()),
                    ));
                }
            }
        }
        if let Some(p) = &dmg.paper_operation {
            if let (Some(f), Some(t)) = (p.from, p.to) {
                if t < f {
                    out.push(Diagnostic::error(
                        "period-reversed",
                        "damage.paper_operation.to",
                        format!("紙運用の終了日 {} が開始日 {} より前です", t.wareki(), f.wareki()),
                    ));
                }
            }
        }
    }
    if let (Some(resp), Some(d)) = (&case.response, detected) {
        for (i, n) in resp.notifications.iter().enumerate() {
            if n.at.date < d.date {
                out.push(Diagnostic::warning(
                    "notified-before-detected",
                    format!("response.notifications.{i}.at"),
                    format!("{}への連絡 {} が覚知日 {} より前です", n.party, n.at.wareki(), d.wareki()),
                ));
            }
        }
    }
}

/// The reports an incident calls for: to MHLW, and to 個人情報保護委員会 within its limits.
pub fn reporting(case: &Case, out: &mut Vec<Diagnostic>) {
    if !case.is_incident() {
        return;
    }
    let reports = deadlines::reporting(case);
    let of = |party: Party| reports.iter().find(|d| d.party == party);
    if of(Party::Mhlw).is_none_or(|d| d.recorded.is_none()) {
        out.push(Diagnostic::warning(
            "no-mhlw-report",
            if case.response.is_some() { "response" } else { "inspection.kind" },
            "事案に係る調査ですが、厚生労働省への報告（response.notifications の party = \"厚生労働省\"）がありません（平成30年10月29日通知 記2）",
        ));
    }
    if deadlines::detected(case).is_none() {
        out.push(Diagnostic::warning(
            "no-detection-date",
            "incident",
            "事案の覚知日時（incident.detected_at）がありません",
        ));
        return;
    }
    for d in &reports {
        let (Some((i, _)), Some(days), true) = (d.recorded, d.days, d.late) else { continue };
        let path = format!("response.notifications.{i}.at");
        match (d.party, d.limit) {
            (Party::PpcPreliminary, Limit::Guide(limit)) => out.push(Diagnostic::warning(
                "appi-preliminary-late",
                path,
                format!(
                    "個人情報保護委員会への速報が覚知から{days}日後です（目安は{limit}日以内。個人情報保護法第26条、施行規則第7・8条）"
                ),
            )),
            (Party::PpcFinal, Limit::Legal(limit)) => out.push(Diagnostic::warning(
                "appi-final-late",
                path,
                format!(
                    "個人情報保護委員会への確報が覚知から{days}日後です（期限は{limit}日以内{}）",
                    if deadlines::unlawful(case) { "。不正の目的による事案" } else { "" }
                ),
            )),
            _ => {}
        }
    }
    let leak = case.damage.as_ref().is_some_and(|d| {
        d.data.iter().any(|x| matches!(x.kind, DataImpactKind::Leaked | DataImpactKind::PossiblyLeaked))
    });
    if (leak || deadlines::unlawful(case)) && of(Party::PpcPreliminary).is_none_or(|d| d.recorded.is_none()) {
        out.push(Diagnostic::warning(
            "appi-preliminary-missing",
            if case.response.is_some() { "response" } else { "incident" },
            "漏えい（そのおそれ）または不正の目的による事案ですが、個人情報保護委員会への速報の記録がありません",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{case, codes};

    const BASE: &str = "case_id = \"T\"\n[facility]\nname = \"A\"\n[inspection]\nkind = \"事案に係る立入検査\"\n";

    fn run(f: fn(&Case, &mut Vec<Diagnostic>), text: &str) -> Vec<String> {
        let mut out = Vec::new();
        f(&case(&format!("{BASE}{text}")), &mut out);
        codes(&out)
    }

    #[test]
    fn dates_in_order() {
        let t = "[incident]\noccurred_at = 2025-06-02\ndetected_at = 2025-06-01\n[recovery]\nfull_recovery_on = 2025-05-30\n[[recovery.systems]]\nname = \"x\"\nstatus = \"復旧済\"\nrestored_on = 2025-05-31\n[damage]\n[[damage.clinical]]\nservice = \"外来\"\nfrom = 2025-06-05\nto = 2025-06-04\n[damage.paper_operation]\nfrom = 2025-06-05\nto = 2025-06-04\n[[response.notifications]]\nparty = \"警察\"\nat = 2025-05-31\n";
        assert_eq!(
            run(dates, t),
            [
                "E:detected-before-occurred",
                "E:recovered-before-detected",
                "E:recovered-before-detected",
                "E:period-reversed",
                "E:period-reversed",
                "W:notified-before-detected"
            ]
        );
    }

    #[test]
    fn reports_of_an_incident() {
        assert_eq!(run(reporting, ""), ["W:no-mhlw-report", "W:no-detection-date"]);
        let t = "[incident]\ndetected_at = 2025-06-01\nunlawful_intent = true\n[[response.notifications]]\nparty = \"厚生労働省\"\nat = 2025-06-01\n";
        assert_eq!(run(reporting, t), ["W:appi-preliminary-missing"]);
        let late = "[incident]\ndetected_at = 2025-06-01\n[[response.notifications]]\nparty = \"厚生労働省\"\nat = 2025-06-01\n[[response.notifications]]\nparty = \"個人情報保護委員会（速報）\"\nat = 2025-06-07\n[[response.notifications]]\nparty = \"個人情報保護委員会（確報）\"\nat = 2025-07-20\n";
        assert_eq!(run(reporting, late), ["W:appi-preliminary-late", "W:appi-final-late"]);
        let unlawful = late.replace("detected_at = 2025-06-01\n", "detected_at = 2025-06-01\nunlawful_intent = true\n");
        assert_eq!(run(reporting, &unlawful), ["W:appi-preliminary-late"], "60 days where unlawful intent");
    }

    #[test]
    fn routine_inspections_need_no_reports() {
        let mut out = Vec::new();
        reporting(
            &case("case_id = \"T\"\n[facility]\nname = \"A\"\n[inspection]\nkind = \"定期の立入検査\"\n"),
            &mut out,
        );
        assert!(out.is_empty());
    }
}
