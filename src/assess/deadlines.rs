//! The reporting deadlines of an incident, counted from its detection: the report to MHLW and
//! the APPI preliminary (速報) and final (確報) reports to 個人情報保護委員会, with their time
//! limits and whether each was late. `check` warns from these, the reports print them.

use crate::case::{Case, Party, Stamp};

/// Days after detection by which the APPI preliminary report (速報) is due (guidance: 3–5 days).
pub const APPI_PRELIMINARY_DAYS: i64 = 5;
/// Days after detection for the final report (確報); 60 where unlawful intent.
pub const APPI_FINAL_DAYS: i64 = 30;
pub const APPI_FINAL_DAYS_UNLAWFUL: i64 = 60;

/// Calendar days from the detection date to `date` (the detection date is day 0).
pub fn days_after(detected: Option<Stamp>, date: Option<Stamp>) -> Option<i64> {
    Some((date?.date - detected?.date).num_days())
}

/// The time limit of a report, counted in days from detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// No number of days is set (the MHLW report: 速やかに).
    None,
    /// A guide (目安), not a legal limit.
    Guide(i64),
    /// A legal limit (期限).
    Legal(i64),
}

impl Limit {
    pub fn days(self) -> Option<i64> {
        match self {
            Limit::None => None,
            Limit::Guide(d) | Limit::Legal(d) => Some(d),
        }
    }
    /// `目安は5日以内`, `期限は60日以内`, or empty.
    pub fn text(self) -> String {
        match self {
            Limit::None => String::new(),
            Limit::Guide(d) => format!("目安は{d}日以内"),
            Limit::Legal(d) => format!("期限は{d}日以内"),
        }
    }
}

/// One report with a deadline, as recorded in the case.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub party: Party,
    pub limit: Limit,
    /// The first notification to the party: its index in `response.notifications` and time.
    pub recorded: Option<(usize, Stamp)>,
    /// Days from detection to the report.
    pub days: Option<i64>,
    /// Whether the report came after its limit.
    pub late: bool,
}

/// Whether the incident was one of unlawful intent (確報 within 60 days).
pub fn unlawful(case: &Case) -> bool {
    case.incident.as_ref().is_some_and(|i| i.unlawful_intent)
}

/// The detection time of the incident.
pub fn detected(case: &Case) -> Option<Stamp> {
    case.incident.as_ref().and_then(|i| i.detected_at)
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
    let detected = detected(case);
    let final_days = if unlawful(case) { APPI_FINAL_DAYS_UNLAWFUL } else { APPI_FINAL_DAYS };
    [
        (Party::Mhlw, Limit::None),
        (Party::PpcPreliminary, Limit::Guide(APPI_PRELIMINARY_DAYS)),
        (Party::PpcFinal, Limit::Legal(final_days)),
    ]
    .into_iter()
    .map(|(party, limit)| {
        let recorded = first(case, party);
        let days = days_after(detected, recorded.map(|(_, at)| at));
        let late = matches!((days, limit.days()), (Some(d), Some(l)) if d > l);
        Deadline { party, limit, recorded, days, late }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_detection_date() {
        let d: Stamp = "2024-05-19 23:50".parse().unwrap();
        assert_eq!(days_after(Some(d), Some("2024-05-19".parse().unwrap())), Some(0));
        assert_eq!(days_after(Some(d), Some("2024-05-22 00:10".parse().unwrap())), Some(3));
        assert_eq!(days_after(Some(d), Some("2024-05-18".parse().unwrap())), Some(-1));
        assert_eq!(days_after(None, Some(d)), None);
    }

    #[test]
    fn lateness_follows_the_limit() {
        let text = r#"
case_id = "X"
[facility]
name = "A"
[inspection]
[incident]
detected_at = 2025-06-01T07:30:00
unlawful_intent = true
[[response.notifications]]
party = "個人情報保護委員会（速報）"
at = 2025-06-07
[[response.notifications]]
party = "個人情報保護委員会（確報）"
at = 2025-07-20
"#;
        let case: Case = toml::from_str(text).unwrap();
        let d = reporting(&case);
        assert_eq!(d[0].recorded, None);
        assert_eq!((d[1].days, d[1].late, d[1].limit.text()), (Some(6), true, "目安は5日以内".to_string()));
        assert_eq!((d[2].days, d[2].late, d[2].limit), (Some(49), false, Limit::Legal(60)));
    }
}
