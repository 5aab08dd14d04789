//! The reporting deadlines of an incident: the report to MHLW (速やかに, counted from detection)
//! and the APPI preliminary (速報) and final (確報) reports to 個人情報保護委員会 (counted from
//! the day the facility knew of the leak), with the date each is due, whether the law required
//! it at the time, whether it was recorded, late, missing at a given date, or out of order.
//! `check` warns from these; every report output prints them.

use crate::case::{Case, DataImpactKind, Party, Stamp};
use chrono::NaiveDate;

/// How days after detection are counted (every output that prints them says so).
pub const DAYS_NOTE: &str = "覚知からの日数は、覚知日を0日目として数えた暦日数です。";

/// Days after the facility knew of a leak by which the APPI preliminary report (速報) is
/// expected (guidance: 概ね3～5日以内).
pub const APPI_PRELIMINARY_DAYS: i64 = 5;
/// Days for the final report (確報); 60 where unlawful intent (個人情報保護法施行規則第8条).
pub const APPI_FINAL_DAYS: i64 = 30;
pub const APPI_FINAL_DAYS_UNLAWFUL: i64 = 60;

/// A rule that depends on the law, with the day it took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LawRule {
    pub name: &'static str,
    pub citation: &'static str,
    /// (year, month, day) the rule took effect.
    pub effective: (i32, u32, u32),
}

impl LawRule {
    pub fn effective_date(&self) -> NaiveDate {
        let (y, m, d) = self.effective;
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }
    /// Whether the rule was in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        date >= self.effective_date()
    }
}

/// The duty to report a leak to 個人情報保護委員会 (速報・確報), in force from 2022-04-01.
pub const APPI_REPORTING: LawRule = LawRule {
    name: "個人情報保護委員会への漏えい等の報告義務",
    citation: "個人情報保護法第26条、同法施行規則第7条・第8条",
    effective: (2022, 4, 1),
};

/// The manager's duty to secure cybersecurity, in force from 2023-04-01.
pub const CYBER_DUTY: LawRule = LawRule {
    name: "サイバーセキュリティ確保のための措置",
    citation: "医療法施行規則第14条第2項",
    effective: (2023, 4, 1),
};

/// Calendar days from the start date to `date` (the start date is day 0).
pub fn days_after(start: Option<Stamp>, date: Option<Stamp>) -> Option<i64> {
    Some((date?.date - start?.date).num_days())
}

/// The time limit of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// 速やかに: no number of days is set (the report to MHLW).
    Promptly,
    /// A guide (目安), not a legal limit.
    Guide(i64),
    /// A legal limit (期限).
    Legal(i64),
}

impl Limit {
    pub fn days(self) -> Option<i64> {
        match self {
            Limit::Promptly => None,
            Limit::Guide(d) | Limit::Legal(d) => Some(d),
        }
    }
    /// `目安は5日以内`, `期限は60日以内`, or empty (速やかに).
    pub fn text(self) -> String {
        match self {
            Limit::Promptly => String::new(),
            Limit::Guide(d) => format!("目安は{d}日以内"),
            Limit::Legal(d) => format!("期限は{d}日以内"),
        }
    }
    /// `目安` or `期限`: what the due date is called.
    pub fn word(self) -> &'static str {
        match self {
            Limit::Legal(_) => "期限",
            _ => "目安",
        }
    }
}

/// One report with a deadline, as the case records it.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub party: Party,
    pub limit: Limit,
    /// What the days are counted from (detection, or the day the leak became known).
    pub start: Option<Stamp>,
    /// The last day it is due (start + limit); `None` for 速やかに or without a start.
    pub due: Option<NaiveDate>,
    /// Whether the law (or the MHLW notice) calls for this report in this case.
    pub required: bool,
    /// The first notification to the party: its index in `response.notifications` and time.
    pub recorded: Option<(usize, Stamp)>,
    /// Days from the start to the report.
    pub days: Option<i64>,
    /// Whether the report came after its due date.
    pub late: bool,
}

impl Deadline {
    /// Whether the report is required, not recorded, and its due date has passed at `as_of`.
    pub fn missing_at(&self, as_of: NaiveDate) -> bool {
        self.required && self.recorded.is_none() && self.due.is_some_and(|d| d < as_of)
    }
}

/// Whether the incident was one of unlawful intent (確報 within 60 days).
pub fn unlawful(case: &Case) -> bool {
    case.incident.as_ref().is_some_and(|i| i.unlawful_intent)
}

/// The detection time of the incident.
pub fn detected(case: &Case) -> Option<Stamp> {
    case.incident.as_ref().and_then(|i| i.detected_at)
}

/// When the facility knew of the leak (or its possibility): the APPI clock starts here;
/// without a record of it, at detection.
pub fn leak_known(case: &Case) -> Option<Stamp> {
    case.incident.as_ref().and_then(|i| i.leak_confirmed_at).or_else(|| detected(case))
}

/// Whether personal data leaked or may have leaked.
pub fn leak(case: &Case) -> bool {
    case.damage.as_ref().is_some_and(|d| {
        d.data.iter().any(|x| matches!(x.kind, DataImpactKind::Leaked | DataImpactKind::PossiblyLeaked))
    })
}

/// Whether the APPI reports (速報・確報) are required: a leak or unlawful intent, known on or
/// after the day the duty took effect.
pub fn appi_required(case: &Case) -> bool {
    (leak(case) || unlawful(case)) && leak_known(case).is_none_or(|s| APPI_REPORTING.in_force(s.date))
}

/// The first notification to `party`, by time, with its index.
pub fn first(case: &Case, party: Party) -> Option<(usize, Stamp)> {
    case.response.as_ref().and_then(|r| {
        r.notifications
            .iter()
            .enumerate()
            .filter(|(_, n)| n.party == party)
            .min_by_key(|(_, n)| n.at)
            .map(|(i, n)| (i, n.at))
    })
}

/// The reports with deadlines, in the order MHLW, 速報, 確報.
pub fn reporting(case: &Case) -> Vec<Deadline> {
    let final_days = if unlawful(case) { APPI_FINAL_DAYS_UNLAWFUL } else { APPI_FINAL_DAYS };
    let appi = appi_required(case);
    [
        (Party::Mhlw, Limit::Promptly, detected(case), case.is_incident()),
        (Party::PpcPreliminary, Limit::Guide(APPI_PRELIMINARY_DAYS), leak_known(case), appi),
        (Party::PpcFinal, Limit::Legal(final_days), leak_known(case), appi),
    ]
    .into_iter()
    .map(|(party, limit, start, required)| {
        let recorded = first(case, party);
        let days = days_after(start, recorded.map(|(_, at)| at));
        let due = match (start, limit.days()) {
            (Some(s), Some(d)) => s.date.checked_add_signed(chrono::Duration::days(d)),
            _ => None,
        };
        let late = matches!((recorded, due), (Some((_, at)), Some(due)) if at.date > due);
        Deadline { party, limit, start, due, required, recorded, days, late }
    })
    .collect()
}

/// Whether a final report (確報) is recorded before the preliminary one (速報).
pub fn final_before_preliminary(case: &Case) -> Option<(usize, Stamp, Stamp)> {
    let (_, pre) = first(case, Party::PpcPreliminary)?;
    let (i, fin) = first(case, Party::PpcFinal)?;
    (fin < pre).then_some((i, fin, pre))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str) -> Case {
        toml::from_str(&format!(
            "case_id = \"X\"\n[facility]\nname = \"A\"\n[inspection]\nkind = \"事案に係る立入検査\"\n{text}"
        ))
        .unwrap()
    }

    #[test]
    fn days_count_from_the_start_date() {
        let d: Stamp = "2024-05-19 23:50".parse().unwrap();
        assert_eq!(days_after(Some(d), Some("2024-05-19".parse().unwrap())), Some(0));
        assert_eq!(days_after(Some(d), Some("2024-05-22 00:10".parse().unwrap())), Some(3));
        assert_eq!(days_after(Some(d), Some("2024-05-18".parse().unwrap())), Some(-1));
        assert_eq!(days_after(None, Some(d)), None);
    }

    #[test]
    fn lateness_follows_the_limit() {
        let c = case(
            "[incident]\ndetected_at = 2025-06-01T07:30:00\nunlawful_intent = true\n[[response.notifications]]\nparty = \"個人情報保護委員会（速報）\"\nat = 2025-06-07\n[[response.notifications]]\nparty = \"個人情報保護委員会（確報）\"\nat = 2025-07-20\n",
        );
        let d = reporting(&c);
        assert_eq!((d[0].recorded, d[0].required, d[0].due), (None, true, None));
        assert_eq!((d[1].days, d[1].late, d[1].limit.text()), (Some(6), true, "目安は5日以内".to_string()));
        assert_eq!((d[2].days, d[2].late, d[2].limit), (Some(49), false, Limit::Legal(60)));
        assert_eq!(d[2].due, NaiveDate::from_ymd_opt(2025, 7, 31));
    }

    #[test]
    fn the_final_report_of_a_real_incident_is_due_on_day_60() {
        // Detected 2024-05-19 (ransomware, unlawful intent): 確報 due 令和6年7月18日.
        let c = case(
            "[incident]\ndetected_at = 2024-05-19T07:00:00\nunlawful_intent = true\n[[response.notifications]]\nparty = \"個人情報保護委員会（速報）\"\nat = 2024-05-22\n",
        );
        let d = reporting(&c);
        assert!(!d[1].late, "速報 on day 3 is in time");
        assert_eq!(d[2].due, NaiveDate::from_ymd_opt(2024, 7, 18));
        assert!(!d[2].missing_at(NaiveDate::from_ymd_opt(2024, 7, 18).unwrap()));
        assert!(d[2].missing_at(NaiveDate::from_ymd_opt(2024, 7, 19).unwrap()));
    }

    #[test]
    fn the_leak_clock_starts_when_the_leak_became_known() {
        let c = case(
            "[incident]\ndetected_at = 2025-06-01\nleak_confirmed_at = 2025-06-20\n[[damage.data]]\nkind = \"漏えい\"\n",
        );
        let d = reporting(&c);
        assert_eq!(d[1].due, NaiveDate::from_ymd_opt(2025, 6, 25));
        assert_eq!(d[2].due, NaiveDate::from_ymd_opt(2025, 7, 20));
    }

    #[test]
    fn no_appi_duty_before_it_took_effect() {
        let c = case("[incident]\ndetected_at = 2019-06-01\n[[damage.data]]\nkind = \"漏えい\"\n");
        assert!(!appi_required(&c));
        let c = case("[incident]\ndetected_at = 2022-04-01\n[[damage.data]]\nkind = \"漏えい\"\n");
        assert!(appi_required(&c));
        assert!(APPI_REPORTING.in_force(NaiveDate::from_ymd_opt(2022, 4, 1).unwrap()));
        assert!(!CYBER_DUTY.in_force(NaiveDate::from_ymd_opt(2023, 3, 31).unwrap()));
    }

    #[test]
    fn final_before_preliminary_is_found() {
        let c = case(
            "[incident]\ndetected_at = 2025-06-01\n[[response.notifications]]\nparty = \"個人情報保護委員会（確報）\"\nat = 2025-06-02\n[[response.notifications]]\nparty = \"個人情報保護委員会（速報）\"\nat = 2025-06-03\n",
        );
        assert!(final_before_preliminary(&c).is_some());
    }
}
