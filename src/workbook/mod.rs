//! The on-site field workbook (現地用ワークブック): [`write`] turns a case and the checklists
//! into an .xlsx that inspectors and facilities fill on site or on paper; [`read`] reads a filled
//! one back into a typed result ([`cells`] interprets each cell). Both follow the form schema of
//! [`crate::case::fields`], so that merging `read(write(case))` into an empty case gives the case.

pub mod cells;
pub mod read;
pub mod write;

/// Name of the hidden sheet that maps cells to the case, the checklists and their items.
pub const META_SHEET: &str = "_kensa";
/// Version of the workbook layout written by this kensa. Version 2 records, in the hidden
/// sheet, a fingerprint of every value and list row at export (for the three-way merge) and
/// gives list rows their identity in column A (`measures#2`).
pub const WORKBOOK_FORMAT: &str = "2";
/// Versions kensa reads (version 1 has no fingerprints: its import merges two ways).
pub const READABLE_FORMATS: [&str; 2] = ["1", "2"];
/// First cell of the hidden sheet, identifying a kensa workbook.
pub const META_MAGIC: &str = "kensa-workbook";
/// Keys (column A) of the hidden sheet's fingerprint rows: a field's, a table row's and an
/// answer row's values at export. They are the sheet's last rows: counting stops reading the
/// sheet at the first (`read::Purpose::Count`).
pub const FIELD_BASE_KEY: &str = "field";
pub const ROW_BASE_KEY: &str = "row";
pub const ANSWER_BASE_KEY: &str = "abase";
pub const FINGERPRINT_KEYS: [&str; 3] = [FIELD_BASE_KEY, ROW_BASE_KEY, ANSWER_BASE_KEY];
/// The fields of the facility and the inspection recorded on the hidden sheet as they were at
/// export (`about` rows), so that a workbook read without its case — a facility's returned
/// self-check, which has no 概要 sheet — still tells whose it is (`kensa aggregate`).
pub const ABOUT_FIELDS: [&str; 8] = [
    "facility.name",
    "facility.kind",
    "facility.code",
    "facility.founder",
    "facility.beds",
    "facility.authority.name",
    "facility.authority.office",
    "inspection.kind",
];
/// The fields the facility fills on its self-check besides the answers: a row each above the
/// items of the first checklist sheet (key in column A, label in B, value in
/// [`SHEET_FIELD_COL`]). In the inspector's workbook they stand on their form sheet.
pub const SELF_CHECK_FIELDS: [(&str, &str); 1] = [("self_check.filled_on", "記入日（この票を記入した日）")];
/// Column (0-based) of a field's value on a checklist sheet.
pub const SHEET_FIELD_COL: u16 = 3;
/// Key of the hidden sheet's row holding the 年度 a facility's self-check was made for
/// (`kensa workbook --for facility --fiscal-year`, else the 年度 of the case's first date), as
/// the Western year of its April.
pub const FISCAL_YEAR_KEY: &str = "fiscal_year";

/// Blank bordered rows offered under every table for new entries.
pub const EXTRA_ROWS: usize = 20;
/// Key written in column A of a header row (`#header` or `#header:<table key>`).
pub const HEADER_KEY: &str = "#header";
/// First row (0-based) of the groups and tables of a form sheet.
pub const FORM_FIRST_ROW: u32 = 3;
/// Key written in column A of a group or table title row.
pub const TITLE_KEY: &str = "#title";

/// Who the workbook is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The inspector's field workbook: every field of the case.
    Inspector,
    /// The facility's pre-visit self-check: only the facility's answers.
    Facility,
}

impl Audience {
    pub fn id(self) -> &'static str {
        match self {
            Audience::Inspector => "inspector",
            Audience::Facility => "facility",
        }
    }
    pub fn from_id(s: &str) -> Option<Audience> {
        match s.trim() {
            "inspector" => Some(Audience::Inspector),
            "facility" => Some(Audience::Facility),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Audience::Inspector => "検査員用",
            Audience::Facility => "医療機関の事前記入用（自己点検）",
        }
    }
}

/// The column-A key of a list row that was row `index` of `table` at export.
pub fn row_key(table: &str, index: usize) -> String {
    format!("{table}#{index}")
}

/// The table and export index of a column-A key (`measures#2`), or the table alone.
pub fn parse_row_key(key: &str) -> (&str, Option<usize>) {
    match key.rsplit_once('#') {
        Some((t, i)) => match i.parse() {
            Ok(n) => (t, Some(n)),
            Err(_) => (key, None),
        },
        None => (key, None),
    }
}

/// The column-A key of an answer row: the item, and for a vendor's answer `@system`.
pub fn answer_key(item: &crate::case::ItemRef, system: &str) -> String {
    if system.is_empty() {
        item.to_string()
    } else {
        format!("{item}@{system}")
    }
}

/// The item and system of an answer row's key.
pub fn parse_answer_key(key: &str) -> (&str, &str) {
    key.split_once('@').unwrap_or((key, ""))
}

/// A case id made safe for a file name.
pub fn file_stem(case_id: &str) -> String {
    let s: String =
        case_id
            .trim()
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
    if s.is_empty() || s.starts_with('.') {
        format!("case{s}")
    } else {
        s
    }
}

/// Where a workbook goes when no file is named: `<case folder>/<case id>-workbook.xlsx`, or
/// `-selfcheck.xlsx` for the facility's self-check.
pub fn default_path(case_dir: &std::path::Path, case_id: &str, audience: Audience) -> std::path::PathBuf {
    let suffix = match audience {
        Audience::Inspector => "workbook",
        Audience::Facility => "selfcheck",
    };
    case_dir.join(format!("{}-{suffix}.xlsx", file_stem(case_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_rows_and_answers() {
        assert_eq!(parse_row_key(&row_key("measures", 2)), ("measures", Some(2)));
        assert_eq!(parse_row_key("measures"), ("measures", None));
        let item: crate::case::ItemRef = "mhlw-r7:v2-01".parse().unwrap();
        assert_eq!(parse_answer_key(&answer_key(&item, "電子カルテ@本館")), ("mhlw-r7:v2-01", "電子カルテ@本館"));
        assert_eq!(parse_answer_key("mhlw-r7:2-06"), ("mhlw-r7:2-06", ""));
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("2025-定期-0037"), "2025-定期-0037");
        assert_eq!(file_stem("a/b:c"), "a_b_c");
        assert_eq!(file_stem(".."), "case..");
        assert_eq!(file_stem(""), "case");
        assert_eq!(
            default_path(std::path::Path::new("d"), "X-1", Audience::Facility),
            std::path::Path::new("d/X-1-selfcheck.xlsx")
        );
    }
}
