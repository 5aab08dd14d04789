//! The record of an incident as investigation reports state it, in the words the outputs share:
//! the ransom, the contractor the attacker came through and the facilities reached the same way,
//! the persons and devices affected, the costs, the publications (第N報), the investigation, the
//! causes by 組織／人／技術 and the authority's own actions.

use crate::case::{Amount, Case, CauseCategory, DeviceCount, DeviceEffect, PersonCount, Presence};

/// The persons of every category added up: a count not recorded makes the sum a lower bound
/// (以上), an approximate one makes it approximate. `None` where no category is recorded.
pub fn persons_total(persons: &[PersonCount]) -> Option<Amount> {
    Amount::sum(&persons.iter().map(|p| p.count.unwrap_or_else(Amount::unknown)).collect::<Vec<_>>())
}

/// The devices of one kind of effect added up over their kinds (the effects overlap: a device
/// encrypted also shows traces, so sums are never taken across effects). `None` where no device
/// has that effect.
pub fn devices_total(devices: &[DeviceCount], effect: Option<DeviceEffect>) -> Option<Amount> {
    let parts: Vec<Amount> =
        devices.iter().filter(|d| d.effect == effect).map(|d| d.count.unwrap_or_else(Amount::unknown)).collect();
    Amount::sum(&parts)
}

/// The incident record of a case, each part in words (empty where the case records nothing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentRecord {
    /// 身代金の要求 (あり／なし／不明), empty where not recorded.
    pub ransom_demanded: &'static str,
    /// The amount demanded in words (`約100,000,000円`).
    pub ransom_amount: String,
    /// 身代金の支払 (あり／なし／不明).
    pub ransom_paid: &'static str,
    /// The contractor on the other end of the connection named as the way in.
    pub contractor: String,
    /// Other facilities reached through the same contractor.
    pub same_route: usize,
    /// Persons affected by category (`患者 約130,000／職員 約1,500`).
    pub persons: String,
    /// All the persons affected, added up (約, 以上 where the parts are so).
    pub persons_total: Option<Amount>,
    /// Devices encrypted, added up over their kinds.
    pub devices_encrypted: Option<Amount>,
    /// 調査・復旧費, 逸失利益, 賠償・和解 in words (`約400,000,000円`).
    pub cost_recovery: String,
    pub cost_lost_revenue: String,
    pub cost_settlement: String,
    /// Publications (第N報) recorded: their number.
    pub publications: usize,
    /// 調査体制, and its report's date (ISO).
    pub investigation: String,
    pub investigation_reported: String,
    /// 概要版のみ／全文, empty where not recorded.
    pub investigation_published: &'static str,
    /// The causes counted by 組織／人／技術 (`組織 1、人 1、技術 1`).
    pub cause_categories: String,
    /// The authority's actions (`報告徴収 2025-11-04；立入検査 2025-11-07`).
    pub authority_actions: String,
}

fn yen(a: Option<Amount>) -> String {
    a.map(|a| a.with_unit("円")).unwrap_or_default()
}

/// The incident record of a case.
pub fn incident_record(case: &Case) -> IncidentRecord {
    let inc = case.incident.as_ref();
    let dmg = case.damage.as_ref();
    let presence = |p: Option<Presence>| p.map(|p| p.label()).unwrap_or("");
    let contractor = inc
        .filter(|i| !i.entry_via.trim().is_empty())
        .and_then(|i| case.facility.connections.iter().find(|c| c.name.trim() == i.entry_via.trim()))
        .map(|c| c.party.trim().to_string())
        .unwrap_or_default();
    let persons = dmg.map(|d| d.persons.as_slice()).unwrap_or_default();
    let unknown_if_none = |a: Option<Amount>| a.unwrap_or_else(Amount::unknown);
    let causes: Vec<String> = CauseCategory::ALL
        .iter()
        .filter_map(|k| {
            let n = case.causes.iter().filter(|c| c.category == Some(*k)).count();
            (n > 0).then(|| format!("{} {n}", k.label()))
        })
        .collect();
    let inv = case.investigation.as_ref();
    IncidentRecord {
        ransom_demanded: presence(inc.and_then(|i| i.ransom_demanded)),
        ransom_amount: yen(inc.and_then(|i| i.ransom_amount_yen)),
        ransom_paid: presence(inc.and_then(|i| i.ransom_paid)),
        contractor,
        same_route: inc.map(|i| i.same_route.len()).unwrap_or(0),
        persons: persons
            .iter()
            .map(|p| format!("{} {}", p.category.label(), unknown_if_none(p.count).text()))
            .collect::<Vec<_>>()
            .join("／"),
        persons_total: persons_total(persons),
        devices_encrypted: dmg.and_then(|d| devices_total(&d.devices, Some(DeviceEffect::Encrypted))),
        cost_recovery: yen(dmg.and_then(|d| d.cost_recovery_yen)),
        cost_lost_revenue: yen(dmg.and_then(|d| d.cost_lost_revenue_yen)),
        cost_settlement: yen(dmg.and_then(|d| d.cost_settlement_yen)),
        publications: case.response.as_ref().map(|r| r.publications.len()).unwrap_or(0),
        investigation: inv.map(|i| i.body.trim().to_string()).unwrap_or_default(),
        investigation_reported: inv.and_then(|i| i.reported_on).map(|d| d.iso()).unwrap_or_default(),
        investigation_published: match inv.and_then(|i| i.summary_only) {
            Some(true) => "概要版のみ",
            Some(false) => "全文",
            None => "",
        },
        cause_categories: causes.join("、"),
        authority_actions: case
            .authority_actions
            .iter()
            .map(|a| format!("{} {}", a.kind.label(), a.on.iso()))
            .collect::<Vec<_>>()
            .join("；"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_in_words() {
        let case: Case = toml::from_str(
            r#"case_id = "T"
[facility]
name = "A"
[[facility.connections]]
name = "給食VPN"
party = "架空フード株式会社"
[inspection]
[incident]
entry_via = "給食VPN"
ransom_demanded = "あり"
ransom_amount_yen = "約1億"
ransom_paid = "不明"
[[incident.same_route]]
name = "B病院"
[damage]
cost_recovery_yen = "約4億"
cost_settlement_yen = "不明"
[[damage.persons]]
category = "患者"
count = "約13万"
[[damage.persons]]
category = "職員"
count = 1500
[[damage.devices]]
kind = "サーバ"
effect = "暗号化"
count = 24
[[damage.devices]]
kind = "端末PC"
effect = "暗号化"
count = "約1,300"
[[damage.devices]]
kind = "端末PC"
effect = "侵入の痕跡"
count = "約2,200"
[[causes]]
text = "x"
category = "技術"
[[causes]]
text = "y"
category = "組織"
[investigation]
body = "調査委員会"
reported_on = 2026-01-30
summary_only = true
[[authority_actions]]
kind = "報告徴収"
on = 2025-11-04
"#,
        )
        .unwrap();
        let r = incident_record(&case);
        assert_eq!((r.ransom_demanded, r.ransom_amount.as_str(), r.ransom_paid), ("あり", "約100,000,000円", "不明"));
        assert_eq!((r.contractor.as_str(), r.same_route), ("架空フード株式会社", 1));
        assert_eq!(r.persons, "患者 約130,000／職員 1,500");
        assert_eq!(r.persons_total.map(|a| a.text()).as_deref(), Some("約131,500"));
        assert_eq!(r.devices_encrypted.map(|a| a.text()).as_deref(), Some("約1,324"), "traces are not added");
        assert_eq!(
            (r.cost_recovery.as_str(), r.cost_lost_revenue.as_str(), r.cost_settlement.as_str()),
            ("約400,000,000円", "", "不明")
        );
        assert_eq!(r.cause_categories, "組織 1、技術 1");
        assert_eq!((r.investigation_reported.as_str(), r.investigation_published), ("2026-01-30", "概要版のみ"));
        assert_eq!(r.authority_actions, "報告徴収 2025-11-04");
        assert_eq!(incident_record(&Case::default()), IncidentRecord::default());
    }
}
