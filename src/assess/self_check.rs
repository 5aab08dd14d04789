//! The 年度 of a facility's returned self-check: the year it was handed out for, else the day
//! it was filled, else its latest 確認日; unknown otherwise (counted and listed, never guessed).

use crate::case::{Case, Date};
use crate::wareki::{fiscal_year, format_fiscal_year};

/// Where a self-check's 年度 came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSource {
    /// Recorded in the workbook when it was made (`kensa workbook --for facility
    /// --fiscal-year`, or the 年度 of the case's planned date).
    Recorded,
    /// The 記入日 the facility wrote.
    FilledOn(Date),
    /// The latest 確認日 of its answers.
    Confirmed(Date),
}

impl YearSource {
    /// How the 年度 was found, in a few words (for lists and notes).
    pub fn label(&self) -> String {
        match self {
            YearSource::Recorded => "配布時に記録した年度".into(),
            YearSource::FilledOn(d) => format!("記入日 {}", d.wareki()),
            YearSource::Confirmed(d) => format!("最新の確認日 {}", d.wareki()),
        }
    }
}

/// The 年度 of a returned self-check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfCheckYear {
    /// The Western year of the 年度's April, and where it came from.
    Known { year: i32, from: YearSource },
    /// No recorded year, no 記入日 and no 確認日.
    Unknown,
}

impl SelfCheckYear {
    pub fn year(&self) -> Option<i32> {
        match self {
            SelfCheckYear::Known { year, .. } => Some(*year),
            SelfCheckYear::Unknown => None,
        }
    }

    /// `令和7年度（記入日 令和7年6月1日）`, or why there is none.
    pub fn describe(&self) -> String {
        match self {
            SelfCheckYear::Known { year, from } => format!("{}（{}）", format_fiscal_year(*year), from.label()),
            SelfCheckYear::Unknown => "年度不明（配布時の年度の記録・記入日・確認日のいずれもありません）".into(),
        }
    }
}

/// The 年度 of a returned self-check: `recorded` (the workbook's record of the year it was made
/// for, `WorkbookData::fiscal_year`), else the 年度 of the case's 記入日
/// (`self_check.filled_on`), else that of the latest 確認日 of its answers, else unknown.
pub fn self_check_year(recorded: Option<i32>, case: &Case) -> SelfCheckYear {
    if let Some(year) = recorded {
        return SelfCheckYear::Known { year, from: YearSource::Recorded };
    }
    if let Some(d) = case.self_check.filled_on {
        return SelfCheckYear::Known { year: fiscal_year(d.0), from: YearSource::FilledOn(d) };
    }
    match case.answers.iter().filter_map(|a| a.confirmed_on).max() {
        Some(d) => SelfCheckYear::Known { year: fiscal_year(d.0), from: YearSource::Confirmed(d) },
        None => SelfCheckYear::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Answer, ItemRef, SelfCheck};

    fn case(filled_on: Option<Date>, confirmed: &[Option<Date>]) -> Case {
        let answers = confirmed
            .iter()
            .enumerate()
            .map(|(i, d)| Answer {
                confirmed_on: *d,
                ..Answer::unanswered(format!("mhlw-r7:1-0{}", i + 1).parse::<ItemRef>().unwrap())
            })
            .collect();
        Case { self_check: SelfCheck { filled_on }, answers, ..Case::default() }
    }

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::ymd(y, m, day).unwrap()
    }

    #[test]
    fn the_recorded_year_comes_first() {
        let c = case(Some(d(2025, 6, 1)), &[Some(d(2025, 6, 1))]);
        assert_eq!(self_check_year(Some(2026), &c), SelfCheckYear::Known { year: 2026, from: YearSource::Recorded });
        assert_eq!(self_check_year(Some(2026), &c).describe(), "令和8年度（配布時に記録した年度）");
    }

    #[test]
    fn else_the_day_it_was_filled() {
        // 令和7年3月31日 is still 令和6年度, although answers were confirmed in April.
        let c = case(Some(d(2025, 3, 31)), &[Some(d(2025, 4, 2))]);
        let y = self_check_year(None, &c);
        assert_eq!(y, SelfCheckYear::Known { year: 2024, from: YearSource::FilledOn(d(2025, 3, 31)) });
        assert_eq!(y.describe(), "令和6年度（記入日 令和7年3月31日）");
    }

    #[test]
    fn else_the_latest_confirmation() {
        let c = case(None, &[Some(d(2025, 3, 20)), None, Some(d(2025, 4, 1)), Some(d(2024, 4, 1))]);
        let y = self_check_year(None, &c);
        assert_eq!(y, SelfCheckYear::Known { year: 2025, from: YearSource::Confirmed(d(2025, 4, 1)) });
        assert_eq!(y.year(), Some(2025));
    }

    #[test]
    fn else_unknown() {
        let y = self_check_year(None, &case(None, &[None, None]));
        assert_eq!(y, SelfCheckYear::Unknown);
        assert_eq!(y.year(), None);
        assert!(y.describe().starts_with("年度不明"));
    }
}
