//! Japanese era (和暦) dates: formatting, parsing and fiscal years (年度).
//!
//! Era start dates follow the public calendar: 明治 1868-01-25 (retroactive), 大正 1912-07-30,
//! 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01. The first year of an era is written 元年.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use std::fmt;

/// One era of the Japanese calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    pub name: &'static str,
    pub letter: char,
    pub start: (i32, u32, u32),
}

impl Era {
    pub fn start_date(&self) -> NaiveDate {
        let (y, m, d) = self.start;
        NaiveDate::from_ymd_opt(y, m, d).expect("era table holds valid dates")
    }
}

/// Eras, oldest first.
pub const ERAS: [Era; 5] = [
    Era { name: "明治", letter: 'M', start: (1868, 1, 25) },
    Era { name: "大正", letter: 'T', start: (1912, 7, 30) },
    Era { name: "昭和", letter: 'S', start: (1926, 12, 25) },
    Era { name: "平成", letter: 'H', start: (1989, 1, 8) },
    Era { name: "令和", letter: 'R', start: (2019, 5, 1) },
];

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

/// The era a date falls in, or `None` before 明治.
pub fn era_of(date: NaiveDate) -> Option<(&'static Era, i32)> {
    ERAS.iter().rev().find(|e| date >= e.start_date()).map(|e| (e, date.year() - e.start.0 + 1))
}

fn year_label(era_year: i32) -> String {
    if era_year == 1 {
        "元".to_string()
    } else {
        era_year.to_string()
    }
}

/// `令和7年6月1日`; dates before 明治 fall back to the Western form `1850年1月1日`, the year in
/// four digits (`0522年6月1日`) as [`parse`] reads it.
pub fn format(date: NaiveDate) -> String {
    match era_of(date) {
        Some((era, y)) => format!("{}{}年{}月{}日", era.name, year_label(y), date.month(), date.day()),
        None => format!("{:04}年{}月{}日", date.year(), date.month(), date.day()),
    }
}

/// `令和4年10月31日（月）`.
pub fn format_with_weekday(date: NaiveDate) -> String {
    format!("{}（{}）", format(date), weekday_ja(date.weekday()))
}

/// One-character weekday name.
pub fn weekday_ja(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "月",
        Weekday::Tue => "火",
        Weekday::Wed => "水",
        Weekday::Thu => "木",
        Weekday::Fri => "金",
        Weekday::Sat => "土",
        Weekday::Sun => "日",
    }
}

/// The fiscal year (年度, April to March) a date falls in, as the Western year of its April.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// First and last day of a fiscal year (`None` outside the calendar chrono can hold).
pub fn fiscal_year_range(fy: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(fy, 4, 1)?, NaiveDate::from_ymd_opt(fy.checked_add(1)?, 3, 31)?))
}

/// `令和7年度` for 2025. The era is the one in force on April 1 of that year, except that
/// fiscal 2019 (平成31年度, 令和元年度) is written 令和元年度 as MHLW does.
pub fn format_fiscal_year(fy: i32) -> String {
    let probe = if fy == 2019 { NaiveDate::from_ymd_opt(2019, 5, 1) } else { NaiveDate::from_ymd_opt(fy, 4, 1) };
    match probe.and_then(era_of) {
        Some((era, y)) => format!("{}{}年度", era.name, year_label(y)),
        None => format!("{fy}年度"),
    }
}

/// Parses `令和7年度`, `R7年度`, `2025年度` into the Western year of its April.
pub fn parse_fiscal_year(input: &str) -> Result<i32, DateError> {
    let s = normalize(input);
    let body = s
        .strip_suffix("年度")
        .ok_or_else(|| DateError(format!("「{input}」は年度として読めません（例: 令和7年度）")))?;
    if let Ok(y) = body.parse::<i32>() {
        return Ok(y);
    }
    let (era, rest) =
        split_era(body).ok_or_else(|| DateError(format!("「{input}」は年度として読めません（例: 令和7年度）")))?;
    let n = era_number(rest).ok_or_else(|| DateError(format!("「{input}」の年が読めません")))?;
    era.start.0.checked_add(n - 1).ok_or_else(|| DateError(format!("「{input}」の年が大きすぎます")))
}

/// Full-width digits and punctuation to ASCII, spaces trimmed.
pub fn normalize(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'A' as u32).unwrap_or(c),
            'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or(c),
            '／' => '/',
            '．' => '.',
            '－' | '‐' | '−' => '-',
            '：' => ':',
            '　' => ' ',
            _ => c,
        })
        .collect()
}

fn split_era(s: &str) -> Option<(&'static Era, &str)> {
    for era in &ERAS {
        if let Some(rest) = s.strip_prefix(era.name) {
            return Some((era, rest));
        }
        let first = era.name.chars().next().unwrap_or(' ');
        if let Some(rest) = s.strip_prefix(first) {
            if rest.starts_with(|c: char| c.is_ascii_digit() || c == '元') {
                return Some((era, rest));
            }
        }
        let mut chars = s.chars();
        if let Some(c) = chars.next() {
            if c.to_ascii_uppercase() == era.letter {
                let rest = chars.as_str();
                if rest.starts_with(|c: char| c.is_ascii_digit() || c == '元') {
                    return Some((era, rest));
                }
            }
        }
    }
    None
}

fn era_number(s: &str) -> Option<i32> {
    if s == "元" {
        Some(1)
    } else {
        s.parse::<i32>().ok().filter(|n| *n >= 1)
    }
}

/// Splits `2025年6月1日`, `2025/6/1`, `2025-06-01`, `7.6.1` into three numeric parts.
fn three_parts(s: &str) -> Option<(String, u32, u32)> {
    let s = s.strip_suffix('日').unwrap_or(s);
    let parts: Vec<&str> = if s.contains('年') {
        let (y, rest) = s.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else {
        let sep = ['/', '-', '.'].into_iter().find(|c| s.contains(*c))?;
        s.split(sep).collect()
    };
    if parts.len() != 3 {
        return None;
    }
    let m = parts[1].trim().parse().ok()?;
    let d = parts[2].trim().parse().ok()?;
    Some((parts[0].trim().to_string(), m, d))
}

fn example() -> &'static str {
    "（例: 令和7年6月1日、R7.6.1、2025-06-01、2025/6/1）"
}

/// Parses a date written as 令和7年6月1日, 令和元年5月1日, R7.6.1, H31/4/30, 2025-06-01,
/// 2025/6/1 or 2025年6月1日 (full-width digits allowed).
pub fn parse(input: &str) -> Result<NaiveDate, DateError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(DateError("日付が空です".into()));
    }
    let unreadable = || DateError(format!("「{input}」は日付として読めません{}", example()));
    if let Some((era, rest)) = split_era(&s) {
        let (y, m, d) = three_parts(rest).ok_or_else(unreadable)?;
        let n = era_number(&y).ok_or_else(unreadable)?;
        let year = era.start.0.checked_add(n - 1).ok_or_else(unreadable)?;
        let date = NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| no_such_date(input, year, m, d))?;
        if date < era.start_date() {
            return Err(DateError(format!(
                "「{input}」は存在しない日付です（{}は{}から始まります）",
                era.name,
                format(era.start_date())
            )));
        }
        if let Some(next) = ERAS.iter().find(|e| e.start_date() > era.start_date()) {
            if date >= next.start_date() {
                let last = next.start_date().pred_opt().unwrap_or(date);
                return Err(DateError(format!(
                    "「{input}」は存在しない日付です（{}は{}まで。この日は{}です）",
                    era.name,
                    format(last),
                    format(date)
                )));
            }
        }
        return Ok(date);
    }
    let (y, m, d) = three_parts(&s).ok_or_else(unreadable)?;
    // Four digits and nothing else (`+522` would read as the year 522).
    if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unreadable());
    }
    let year: i32 = y.parse().map_err(|_| unreadable())?;
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| no_such_date(input, year, m, d))
}

/// Why a date with these parts does not exist: no such month, or no such day in the month.
fn no_such_date(input: &str, year: i32, m: u32, d: u32) -> DateError {
    if !(1..=12).contains(&m) {
        DateError(format!("「{input}」は存在しない日付です（{m}月はありません。月は1から12です）"))
    } else {
        DateError(format!("「{input}」は存在しない日付です（{year}年{m}月に{d}日はありません）"))
    }
}

/// Parses a time written as `9:05`, `09:05:00` or `9時5分`.
pub fn parse_time(input: &str) -> Result<NaiveTime, DateError> {
    let s = normalize(input);
    let bad = || DateError(format!("「{input}」は時刻として読めません（例: 9:05、9時5分）"));
    let (h, rest) = if let Some((h, r)) = s.split_once('時') {
        (h.to_string(), r.trim_end_matches('分').to_string())
    } else {
        let (h, r) = s.split_once(':').ok_or_else(bad)?;
        (h.to_string(), r.to_string())
    };
    let mut mins = rest.split(':');
    let m: u32 = match mins.next() {
        Some("") | None => 0,
        Some(v) => v.trim().parse().map_err(|_| bad())?,
    };
    let sec: u32 = match mins.next() {
        Some(v) => v.trim().parse().map_err(|_| bad())?,
        None => 0,
    };
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    NaiveTime::from_hms_opt(h, m, sec).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Checks one boundary: the last day of the old era and the first day of the new one,
    /// formatted and parsed both ways, and the impossible dates on each side refused.
    fn boundary(last: NaiveDate, last_text: &str, first_text: &str, impossible_old: &str, impossible_new: &str) {
        let first = last.succ_opt().unwrap();
        assert_eq!(format(last), last_text);
        assert_eq!(format(first), first_text);
        assert_eq!(parse(last_text).unwrap(), last);
        assert_eq!(parse(first_text).unwrap(), first);
        assert!(parse(impossible_old).is_err(), "{impossible_old}");
        assert!(parse(impossible_new).is_err(), "{impossible_new}");
    }

    #[test]
    fn boundary_before_meiji() {
        assert_eq!(format(d(1868, 1, 24)), "1868年1月24日");
        assert_eq!(format(d(1868, 1, 25)), "明治元年1月25日");
        assert_eq!(parse("明治元年1月25日").unwrap(), d(1868, 1, 25));
        assert!(parse("明治元年1月24日").is_err());
        // Found by fuzzing: a year below 1000 read, but was written back in a form not read.
        assert_eq!(format(d(522, 6, 1)), "0522年6月1日");
        assert_eq!(parse("0522/6/1").unwrap(), d(522, 6, 1));
        assert_eq!(parse(&format(d(522, 6, 1))).unwrap(), d(522, 6, 1));
    }

    #[test]
    fn boundary_meiji_taisho() {
        boundary(d(1912, 7, 29), "明治45年7月29日", "大正元年7月30日", "明治45年7月30日", "大正元年7月29日");
    }

    #[test]
    fn boundary_taisho_showa() {
        boundary(d(1926, 12, 24), "大正15年12月24日", "昭和元年12月25日", "大正15年12月25日", "昭和元年12月24日");
    }

    #[test]
    fn boundary_showa_heisei() {
        boundary(d(1989, 1, 7), "昭和64年1月7日", "平成元年1月8日", "昭和64年1月8日", "平成元年1月7日");
    }

    #[test]
    fn boundary_heisei_reiwa() {
        boundary(d(2019, 4, 30), "平成31年4月30日", "令和元年5月1日", "平成31年5月1日", "令和元年4月30日");
        assert_eq!(format(d(2020, 1, 1)), "令和2年1月1日");
        assert_eq!(format(d(2025, 6, 1)), "令和7年6月1日");
    }

    #[test]
    fn heisei_31_may_does_not_exist() {
        let e = parse("平成31年5月1日").unwrap_err();
        assert!(e.0.contains("平成31年4月30日まで"), "{e}");
        assert!(e.0.contains("令和元年5月1日"), "{e}");
    }

    #[test]
    fn month_13_is_no_month() {
        for s in ["2025/13/1", "令和7年13月1日", "2025-00-10"] {
            let e = parse(s).unwrap_err();
            assert!(e.0.contains("月はありません。月は1から12です"), "{e}");
            assert!(!e.0.contains("日はありません"), "{e}");
        }
        assert!(parse("2025年2月30日").unwrap_err().0.contains("2025年2月に30日はありません"));
    }

    #[test]
    fn february_30_does_not_exist() {
        let e = parse("2025年2月30日").unwrap_err();
        assert!(e.0.contains("存在しない日付"), "{e}");
        assert!(parse("令和7年2月30日").is_err());
        assert!(parse("2025-02-29").is_err());
        assert_eq!(parse("2024-02-29").unwrap(), d(2024, 2, 29));
    }

    #[test]
    fn parses_common_forms() {
        let want = d(2025, 6, 1);
        for s in [
            "令和7年6月1日",
            "R7.6.1",
            "r7.6.1",
            "R7/6/1",
            "令7.6.1",
            "2025-06-01",
            "2025/6/1",
            "2025年6月1日",
            "２０２５／６／１",
            "令和７年６月１日",
            " R7.06.01 ",
        ] {
            assert_eq!(parse(s).unwrap(), want, "{s}");
        }
        assert_eq!(parse("H31.4.30").unwrap(), d(2019, 4, 30));
        assert_eq!(parse("令和元年5月1日").unwrap(), d(2019, 5, 1));
        assert_eq!(parse("R1.5.1").unwrap(), d(2019, 5, 1));
        assert_eq!(parse("S64.1.7").unwrap(), d(1989, 1, 7));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "たぶん",
            "令和",
            "R7",
            "25/6/1",
            "令和0年1月1日",
            "2025-13-01",
            "令和2147483647年1月1日",
            "R2147483000.1.1",
            "+522/6/1",
            "-522/6/1",
        ] {
            assert!(parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn fiscal_years() {
        assert_eq!(fiscal_year(d(2025, 4, 1)), 2025);
        assert_eq!(fiscal_year(d(2026, 3, 31)), 2025);
        assert_eq!(fiscal_year(d(2025, 3, 31)), 2024);
        assert_eq!(fiscal_year_range(2025), Some((d(2025, 4, 1), d(2026, 3, 31))));
        assert_eq!(fiscal_year_range(i32::MAX), None);
        assert_eq!(format_fiscal_year(i32::MAX), format!("{}年度", i32::MAX));
        assert_eq!(format_fiscal_year(1800), "1800年度");
        assert_eq!(format_fiscal_year(2025), "令和7年度");
        assert_eq!(format_fiscal_year(2019), "令和元年度");
        assert_eq!(format_fiscal_year(2018), "平成30年度");
        assert_eq!(format_fiscal_year(1989), "平成元年度");
        assert_eq!(parse_fiscal_year("令和7年度").unwrap(), 2025);
        assert_eq!(parse_fiscal_year("R9年度").unwrap(), 2027);
        assert_eq!(parse_fiscal_year("2025年度").unwrap(), 2025);
        assert_eq!(parse_fiscal_year("令和元年度").unwrap(), 2019);
        assert!(parse_fiscal_year("来年").is_err());
        assert!(parse_fiscal_year("令和2147483647年度").is_err());
    }

    #[test]
    fn weekday_and_time() {
        assert_eq!(format_with_weekday(d(2022, 10, 31)), "令和4年10月31日（月）");
        assert_eq!(parse_time("9:05").unwrap(), NaiveTime::from_hms_opt(9, 5, 0).unwrap());
        assert_eq!(parse_time("9時5分").unwrap(), NaiveTime::from_hms_opt(9, 5, 0).unwrap());
        assert_eq!(parse_time("23:59:30").unwrap(), NaiveTime::from_hms_opt(23, 59, 30).unwrap());
        assert!(parse_time("25:00").is_err());
    }
}
