//! The MHLW editions kensa knows of, shipped or not (`editions.toml`): when each was published
//! and the names of its official files, so that `new` and `check` can say a newer one is out.

use crate::error::{toml_error, Error, Result};
use serde::{Deserialize, Deserializer};
use std::path::Path;

pub const EDITIONS_FILE: &str = "editions.toml";
pub const EMBEDDED_EDITIONS: &str = include_str!("../../checklists/editions.toml");

/// When an edition was published: a day, or only its month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

impl Published {
    /// Reads `2025-05-16` or `2026-06`.
    pub fn parse(s: &str) -> Option<Published> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str| p.parse::<u32>().ok();
        let (year, month, day) = match parts.as_slice() {
            [y, m] => (y.parse::<i32>().ok()?, num(m)?, None),
            [y, m, d] => (y.parse::<i32>().ok()?, num(m)?, Some(num(d)?)),
            _ => return None,
        };
        chrono::NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1))?;
        Some(Published { year, month, day })
    }

    /// The last day the publication may have fallen on.
    fn last_day(&self) -> chrono::NaiveDate {
        let first = |y: i32, m: u32| chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        match self.day {
            Some(d) => chrono::NaiveDate::from_ymd_opt(self.year, self.month, d).unwrap_or_default(),
            None if self.month == 12 => first(self.year + 1, 1).pred_opt().unwrap_or_default(),
            None => first(self.year, self.month + 1).pred_opt().unwrap_or_default(),
        }
    }

    /// Whether `date` is after the publication (after its whole month where only the month is
    /// known).
    pub fn is_before(&self, date: chrono::NaiveDate) -> bool {
        self.last_day() < date
    }

    /// 令和8年6月, or 令和7年5月16日.
    pub fn label(&self) -> String {
        let day = chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1)).unwrap_or_default();
        let full = crate::wareki::format(day);
        match self.day {
            Some(_) => full,
            None => full.split_once('月').map(|(ym, _)| format!("{ym}月")).unwrap_or(full),
        }
    }
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Published, D::Error> {
        let s = String::deserialize(d)?;
        Published::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "公表日「{s}」を読めません（\"2025-05-16\" のような日付か、\"2026-06\" のような年月で書いてください）"
            ))
        })
    }
}

/// One MHLW edition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownEdition {
    /// 版（例: 令和8年度版）。
    pub edition: String,
    pub fiscal_year: i32,
    pub title: String,
    pub published: Published,
    /// 引用するガイドラインの版（例: 第7.0版）。
    #[serde(default)]
    pub guideline: Option<String>,
    /// 厚生労働省が掲載した公式ファイルの名前。
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionsFile {
    editions: Vec<KnownEdition>,
}

/// Reads an editions file.
pub fn parse(path: &Path, text: &str) -> Result<Vec<KnownEdition>> {
    let f = toml::from_str::<EditionsFile>(text).map_err(|e| toml_error(path, text, &e))?;
    let mut seen = std::collections::HashSet::new();
    for e in &f.editions {
        if !seen.insert(e.edition.as_str()) {
            return Err(Error::file(path, format!("版「{}」が二度書かれています", e.edition)));
        }
    }
    Ok(f.editions)
}

/// `base` with the editions of `over` put in place of those of the same name, or added.
pub fn layered(mut base: Vec<KnownEdition>, over: Vec<KnownEdition>) -> Vec<KnownEdition> {
    for e in over {
        match base.iter_mut().find(|b| b.edition == e.edition) {
            Some(b) => *b = e,
            None => base.push(e),
        }
    }
    base
}

/// The notice that `e` is out and how to add it.
pub fn notice(e: &KnownEdition) -> String {
    let mut s =
        format!("{}（{}公表）が出ています。`kensa checklist import` で取り込めます", e.edition, e.published.label());
    if !e.files.is_empty() {
        s.push_str(&format!("（厚生労働省の公式ファイル: {}）", e.files.join("、")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_knows_r8_with_its_files() {
        let list = parse(Path::new(EDITIONS_FILE), EMBEDDED_EDITIONS).unwrap();
        let r8 = list.iter().find(|e| e.edition == "令和8年度版").expect("令和8年度版");
        assert_eq!(r8.published, Published { year: 2026, month: 6, day: None });
        assert_eq!(r8.files, ["001716187.xlsx", "001716188.xlsx"]);
        assert_eq!(r8.guideline.as_deref(), Some("第7.0版"));
        assert_eq!(
            notice(r8),
            "令和8年度版（令和8年6月公表）が出ています。`kensa checklist import` で取り込めます（厚生労働省の公式ファイル: 001716187.xlsx、001716188.xlsx）"
        );
    }

    #[test]
    fn a_month_is_after_its_last_day_a_day_after_itself() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let june = Published::parse("2026-06").unwrap();
        assert!(!june.is_before(d(2026, 6, 30)));
        assert!(june.is_before(d(2026, 7, 1)));
        let dec = Published::parse("2026-12").unwrap();
        assert!(!dec.is_before(d(2026, 12, 31)) && dec.is_before(d(2027, 1, 1)));
        let day = Published::parse("2025-05-16").unwrap();
        assert!(!day.is_before(d(2025, 5, 16)) && day.is_before(d(2025, 5, 17)));
        assert_eq!(day.label(), "令和7年5月16日");
        for bad in ["2026", "2026-13", "2026-02-30", "令和8年6月", ""] {
            assert!(Published::parse(bad).is_none(), "{bad}");
        }
        let e = parse(
            Path::new("e.toml"),
            "[[editions]]\nedition = \"x\"\nfiscal_year = 2026\ntitle = \"t\"\npublished = \"2026-6月\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("e.toml") && e.contains("公表日「2026-6月」"), "{e}");
    }

    #[test]
    fn a_users_list_replaces_editions_by_name() {
        let base = parse(Path::new(EDITIONS_FILE), EMBEDDED_EDITIONS).unwrap();
        let mine = parse(
            Path::new("e.toml"),
            "[[editions]]\nedition = \"令和8年度版\"\nfiscal_year = 2026\ntitle = \"t\"\npublished = \"2026-06-30\"\n\n[[editions]]\nedition = \"令和9年度版\"\nfiscal_year = 2027\ntitle = \"t\"\npublished = \"2027-06\"\n",
        )
        .unwrap();
        let all = layered(base.clone(), mine);
        assert_eq!(all.len(), base.len() + 1);
        assert_eq!(all.iter().find(|e| e.edition == "令和8年度版").unwrap().published.day, Some(30));
    }
}
