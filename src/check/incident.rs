//! Rules on an incident: dates in their order, and the reports to MHLW and 個人情報保護委員会
//! against their deadlines (computed by [`crate::assess::deadlines`]).

use crate::assess::deadlines::{self, Limit, APPI_REPORTING};
use crate::case::{Case, Party, Presence};
use crate::diag::Diagnostic;
use crate::wareki;
use chrono::NaiveDate;

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

/// The entry vector names a listed connection or system.
pub fn entry_via(case: &Case, out: &mut Vec<Diagnostic>) {
    let Some(via) = case.incident.as_ref().map(|i| i.entry_via.trim()).filter(|v| !v.is_empty()) else { return };
    let f = &case.facility;
    let names: Vec<&str> =
        f.connections.iter().map(|c| c.name.trim()).chain(f.systems.iter().map(|s| s.name.trim())).collect();
    if !names.contains(&via) {
        out.push(Diagnostic::warning(
            "unknown-entry-via",
            "incident.entry_via",
            format!(
                "侵入経路の「{via}」が外部との接続（[[facility.connections]]）にもシステム（[[facility.systems]]）にもありません（あるもの: {}）",
                if names.is_empty() { "なし".to_string() } else { names.join("、") }
            ),
        ));
    }
}

/// The reports an incident calls for, as of a date: to MHLW promptly, and to 個人情報保護委員会
/// within their limits (where the law required them when the leak became known).
pub fn reporting(case: &Case, as_of: NaiveDate, out: &mut Vec<Diagnostic>) {
    if !case.is_incident() {
        return;
    }
    let reports = deadlines::reporting(case);
    let of = |party: Party| reports.iter().find(|d| d.party == party);
    let where_ = if case.response.is_some() { "response" } else { "inspection.kind" };
    if of(Party::Mhlw).is_none_or(|d| d.recorded.is_none()) {
        let since = match deadlines::detected(case) {
            Some(d) if as_of >= d.date => format!(
                "覚知（{}）から{}日を経た{}の時点で、",
                wareki::format(d.date),
                (as_of - d.date).num_days(),
                wareki::format(as_of)
            ),
            _ => String::new(),
        };
        out.push(Diagnostic::warning(
            "no-mhlw-report",
            where_,
            format!("事案に係る調査ですが、{since}厚生労働省への報告（response.notifications の party = \"厚生労働省\"）の記録がありません（速やかに報告することとされています。平成30年10月29日通知 記1・記2）"),
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
    let from = if case.incident.as_ref().is_some_and(|i| i.leak_confirmed_at.is_some()) {
        "漏えい等を知った日"
    } else {
        "覚知"
    };
    for d in &reports {
        let due = d.due.map(wareki::format).unwrap_or_default();
        if let (Some((i, _)), Some(days), true) = (d.recorded, d.days, d.late) {
            let path = format!("response.notifications.{i}.at");
            match (d.party, d.limit) {
                (Party::PpcPreliminary, Limit::Guide(limit)) => out.push(Diagnostic::warning(
                    "appi-preliminary-late",
                    path,
                    format!(
                        "個人情報保護委員会への速報が{from}から{days}日後です（目安は{limit}日以内、{due}まで。{}）",
                        APPI_REPORTING.citation
                    ),
                )),
                (Party::PpcFinal, Limit::Legal(limit)) => out.push(Diagnostic::warning(
                    "appi-final-late",
                    path,
                    format!(
                        "個人情報保護委員会への確報が{from}から{days}日後です（期限は{limit}日以内、{due}まで{}）",
                        if deadlines::unlawful(case) { "。不正の目的による事案" } else { "" }
                    ),
                )),
                _ => {}
            }
        }
        if d.missing_at(as_of) {
            let (code, what) = match d.party {
                Party::PpcPreliminary => ("appi-preliminary-missing", "速報"),
                Party::PpcFinal => ("appi-final-missing", "確報"),
                _ => continue,
            };
            out.push(Diagnostic::warning(
                code,
                if case.response.is_some() { "response" } else { "incident" },
                format!(
                    "漏えい（そのおそれ）または不正の目的による事案ですが、{}の時点で個人情報保護委員会への{what}の記録がありません（{}は{due}。{}）",
                    wareki::format(as_of),
                    d.limit.word(),
                    APPI_REPORTING.citation
                ),
            ));
        }
    }
    if let Some((i, fin, pre)) = deadlines::final_before_preliminary(case) {
        out.push(Diagnostic::warning(
            "appi-order",
            format!("response.notifications.{i}.at"),
            format!(
                "個人情報保護委員会への確報（{}）が速報（{}）より前の日時です。日時を確認してください",
                fin.wareki(),
                pre.wareki()
            ),
        ));
    }
}

/// The record of the incident as investigation reports state it: a ransom paid but never
/// demanded, an investigation reporting before it was set up, publications (第N報) out of order,
/// guidance linked to an authority action that is not recorded.
pub fn record(case: &Case, out: &mut Vec<Diagnostic>) {
    if let Some(inc) = &case.incident {
        if inc.ransom_paid == Some(Presence::Yes) && inc.ransom_demanded == Some(Presence::No) {
            out.push(Diagnostic::warning(
                "ransom-paid-not-demanded",
                "incident.ransom_paid",
                "身代金の支払が「あり」ですが、要求が「なし」です。要求の有無を確認してください",
            ));
        }
    }
    if let Some(inv) = &case.investigation {
        if let (Some(s), Some(r)) = (inv.set_up_on, inv.reported_on) {
            if r < s {
                out.push(Diagnostic::error(
                    "investigation-reported-before-set-up",
                    "investigation.reported_on",
                    format!("調査報告書の公表日 {} が調査体制の設置日 {} より前です", r.wareki(), s.wareki()),
                ));
            }
        }
    }
    if let Some(resp) = &case.response {
        // A later 第N報 dated before an earlier one.
        for (i, p) in resp.publications.iter().enumerate() {
            let Some(n) = p.number else { continue };
            if let Some(q) = resp.publications.iter().find(|q| q.number.is_some_and(|m| m < n) && q.on > p.on) {
                out.push(Diagnostic::warning(
                    "publication-order",
                    format!("response.publications.{i}.on"),
                    format!(
                        "第{n}報の公表日 {} が第{}報の公表日 {} より前です",
                        p.on.wareki(),
                        q.number.unwrap_or(0),
                        q.on.wareki()
                    ),
                ));
            }
        }
    }
    let actions = case.authority_actions.len();
    for (i, g) in case.guidance.iter().enumerate() {
        if let Some(n) = g.action {
            if n == 0 || n as usize > actions {
                out.push(Diagnostic::error(
                    "unknown-authority-action",
                    format!("guidance.{i}.action"),
                    format!(
                        "指導事項の所管庁の対応の番号 {n} に当たる [[authority_actions]] がありません（記録は{actions}件。1から数えます）"
                    ),
                ));
            }
        }
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

    fn run_at(text: &str, as_of: &str) -> (Vec<String>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        reporting(&case(&format!("{BASE}{text}")), as_of.parse().unwrap(), &mut out);
        (codes(&out), out)
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
    fn the_record_of_the_incident_holds_together() {
        let t = "[incident]\nransom_demanded = \"なし\"\nransom_paid = \"あり\"\n[investigation]\nset_up_on = 2025-11-14\nreported_on = 2025-11-01\n[[response.publications]]\nnumber = 1\non = 2025-11-06\n[[response.publications]]\nnumber = 2\non = 2025-11-01\n[[guidance]]\nkind = \"文書指導\"\ntext = \"x\"\naction = 2\n[[authority_actions]]\nkind = \"行政指導\"\non = 2025-11-07\n";
        assert_eq!(
            run(record, t),
            [
                "W:ransom-paid-not-demanded",
                "E:investigation-reported-before-set-up",
                "W:publication-order",
                "E:unknown-authority-action"
            ]
        );
        let fine = "[incident]\nransom_demanded = \"あり\"\nransom_paid = \"不明\"\n[investigation]\nset_up_on = 2025-11-14\nreported_on = 2026-01-30\n[[response.publications]]\nnumber = 1\non = 2025-11-01\n[[response.publications]]\nnumber = 2\non = 2025-11-06\n[[guidance]]\nkind = \"文書指導\"\ntext = \"x\"\naction = 1\n[[authority_actions]]\nkind = \"行政指導\"\non = 2025-11-07\n";
        assert!(run(record, fine).is_empty(), "{:?}", run(record, fine));
    }

    #[test]
    fn entry_via_names_a_connection() {
        let t = "[incident]\nentry_via = \"給食委託業者VPN\"\n";
        assert_eq!(run(entry_via, t), ["W:unknown-entry-via"]);
        let listed = format!("{t}[[facility.connections]]\nname = \"給食委託業者VPN\"\nkind = \"VPN\"\n");
        assert!(run(entry_via, &listed).is_empty());
    }

    #[test]
    fn reports_of_an_incident() {
        assert_eq!(run_at("", "2025-07-01").0, ["W:no-mhlw-report", "W:no-detection-date"]);
        let t = "[incident]\ndetected_at = 2025-06-01\nunlawful_intent = true\n[[response.notifications]]\nparty = \"厚生労働省\"\nat = 2025-06-01\n";
        assert!(run_at(t, "2025-06-06").0.is_empty(), "the 速報 is not yet due");
        assert_eq!(run_at(t, "2025-06-07").0, ["W:appi-preliminary-missing"]);
        let (codes, d) = run_at(t, "2025-08-01");
        assert_eq!(codes, ["W:appi-preliminary-missing", "W:appi-final-missing"]);
        assert!(d[1].message.contains("期限は令和7年7月31日"), "{}", d[1].message);
        let late = "[incident]\ndetected_at = 2025-06-01\n[[response.notifications]]\nparty = \"厚生労働省\"\nat = 2025-06-01\n[[response.notifications]]\nparty = \"個人情報保護委員会（速報）\"\nat = 2025-06-07\n[[response.notifications]]\nparty = \"個人情報保護委員会（確報）\"\nat = 2025-07-20\n[[damage.data]]\nkind = \"漏えいのおそれ\"\n";
        assert_eq!(run_at(late, "2025-09-01").0, ["W:appi-preliminary-late", "W:appi-final-late"]);
        let unlawful = late.replace("detected_at = 2025-06-01\n", "detected_at = 2025-06-01\nunlawful_intent = true\n");
        assert_eq!(run_at(&unlawful, "2025-09-01").0, ["W:appi-preliminary-late"], "60 days where unlawful intent");
        let (_, d) = run_at("[incident]\ndetected_at = 2025-06-01\n", "2025-06-04");
        assert!(d[0].message.contains("覚知（令和7年6月1日）から3日を経た令和7年6月4日の時点で"), "{}", d[0].message);
    }

    #[test]
    fn a_final_report_before_the_preliminary_one_is_warned() {
        let t = "[incident]\ndetected_at = 2025-06-01\nunlawful_intent = true\n[[response.notifications]]\nparty = \"厚生労働省\"\nat = 2025-06-01\n[[response.notifications]]\nparty = \"個人情報保護委員会（確報）\"\nat = 2025-06-02\n[[response.notifications]]\nparty = \"個人情報保護委員会（速報）\"\nat = 2025-06-03\n";
        assert_eq!(run_at(t, "2025-09-01").0, ["W:appi-order"]);
    }

    #[test]
    fn leaks_before_the_duty_took_effect_need_no_appi_report() {
        let t = "[incident]\ndetected_at = 2019-06-01\n[[response.notifications]]\nparty = \"厚生労働省\"\nat = 2019-06-01\n[[damage.data]]\nkind = \"漏えい\"\n";
        assert!(run_at(t, "2025-01-01").0.is_empty());
        let t = t.replace("2019-06-01", "2022-06-01");
        assert_eq!(run_at(&t, "2025-01-01").0, ["W:appi-preliminary-missing", "W:appi-final-missing"]);
    }

    #[test]
    fn routine_inspections_need_no_reports() {
        let mut out = Vec::new();
        reporting(
            &case("case_id = \"T\"\n[facility]\nname = \"A\"\n[inspection]\nkind = \"定期の立入検査\"\n"),
            "2025-01-01".parse().unwrap(),
            &mut out,
        );
        assert!(out.is_empty());
    }
}
