//! The form schema of the case: every field and list the workbook shows, with its Japanese
//! label, how it is filled and how it is read from and written to the model. The workbook, the
//! import and the reports read labels and values from here and define none of their own.
//!
//! One file per form sheet ([`overview`], [`incident`], [`damage`], [`response`],
//! [`recovery`], [`follow_up`]); [`answers`] holds the answer columns of the checklist sheets.

pub mod answers;
pub mod damage;
pub mod follow_up;
pub mod incident;
pub mod overview;
pub mod recovery;
pub mod response;
mod val;

pub use answers::{AnswerCol, ANSWER_COLS, LABEL_HEADERS};
pub use val::{Cell, Kind, Val, SUMMARY_CHARS};

use crate::case::Case;

/// A single field of a form sheet: label in column B, value in column C.
pub struct Field {
    pub key: &'static str,
    /// The label on the form.
    pub label: &'static str,
    /// The label in reports and tables (the form's label where no shorter one is set).
    pub short: &'static str,
    /// The unit a report writes after a number (`床`).
    pub unit: &'static str,
    pub kind: Kind,
    pub get: fn(&Case) -> Val,
    pub set: fn(&mut Case, &Val),
}

impl Field {
    /// The same field with a shorter label for reports.
    pub const fn short(self, short: &'static str) -> Field {
        Field { short, ..self }
    }
    /// The same field with a unit for reports.
    pub const fn unit(self, unit: &'static str) -> Field {
        Field { unit, ..self }
    }
}

/// A field: `field!("facility.name", "施設名", Kind::Text, facility.name)`, or inside an
/// optional section of the case: `field!("incident.summary", "事案の概要", Kind::Text, incident => summary)`.
macro_rules! field {
    ($key:literal, $label:literal, $kind:expr, $sec:ident => $($p:ident).+) => {
        $crate::case::fields::field!(@ $key, $label, $kind,
            |c| $crate::case::fields::in_section(&c.$sec, |s| &s.$($p).+),
            |c| &mut c.$sec.get_or_insert_with(Default::default).$($p).+)
    };
    ($key:literal, $label:literal, $kind:expr, $($p:ident).+) => {
        $crate::case::fields::field!(@ $key, $label, $kind,
            |c| $crate::case::fields::Cell::to_val(&c.$($p).+),
            |c| &mut c.$($p).+)
    };
    (@ $key:literal, $label:literal, $kind:expr, $get:expr, |$c:ident| $place:expr) => {
        $crate::case::fields::Field {
            key: $key,
            label: $label,
            short: $label,
            unit: "",
            kind: $kind,
            get: $get,
            set: |$c, v| {
                $crate::case::fields::Cell::set_from($place, v);
            },
        }
    };
}
pub(crate) use field;

/// The value of a field inside an optional section (its default where the section is absent).
pub fn in_section<S: Default, T: Cell>(section: &Option<S>, f: impl Fn(&S) -> &T) -> Val {
    match section {
        Some(s) => f(s).to_val(),
        None => f(&S::default()).to_val(),
    }
}

/// What a column of a list is.
pub struct Col {
    /// The field of the row it holds (`name`); empty where the row is the value itself.
    pub field: &'static str,
    /// The header on the form.
    pub header: &'static str,
    /// The header in reports (the form's header where no shorter one is set).
    pub short: &'static str,
    pub kind: Kind,
    /// A row with other values must fill this column (the model has no empty value for it).
    pub required: bool,
    pub width: f64,
}

/// A column of a list of `R`, with its accessors.
pub struct Column<R: 'static> {
    pub spec: Col,
    pub get: fn(&R) -> Val,
    pub set: fn(&mut R, &Val) -> bool,
}

/// A column: `col!("システム名" => "システム", Kind::Text, 26.0, name)` (the header on the form,
/// optionally a shorter one for reports); `col!(required "日時", …)` for a column every row must
/// fill; without a field name, the row is the value itself.
macro_rules! col {
    (required $header:literal $(=> $short:literal)?, $kind:expr, $width:expr $(, $($p:ident).+)?) => {
        $crate::case::fields::col!(@ true, $header, [$($short)? $header], $kind, $width $(, $($p).+)?)
    };
    ($header:literal $(=> $short:literal)?, $kind:expr, $width:expr $(, $($p:ident).+)?) => {
        $crate::case::fields::col!(@ false, $header, [$($short)? $header], $kind, $width $(, $($p).+)?)
    };
    (@ $req:expr, $header:literal, [$short:literal $($rest:literal)?], $kind:expr, $width:expr, $($p:ident).+) => {
        $crate::case::fields::Column {
            spec: $crate::case::fields::Col {
                field: stringify!($($p).+),
                header: $header,
                short: $short,
                kind: $kind,
                required: $req,
                width: $width,
            },
            get: |r| $crate::case::fields::Cell::to_val(&r.$($p).+),
            set: |r, v| $crate::case::fields::Cell::set_from(&mut r.$($p).+, v),
        }
    };
    (@ $req:expr, $header:literal, [$short:literal $($rest:literal)?], $kind:expr, $width:expr) => {
        $crate::case::fields::Column {
            spec: $crate::case::fields::Col {
                field: "",
                header: $header,
                short: $short,
                kind: $kind,
                required: $req,
                width: $width,
            },
            get: |r| $crate::case::fields::Cell::to_val(r),
            set: |r, v| $crate::case::fields::Cell::set_from(r, v),
        }
    };
}
pub(crate) use col;

/// A list of the case shown as a table with blank rows for additions.
pub struct ListTable<R: 'static> {
    pub key: &'static str,
    pub title: &'static str,
    pub columns: &'static [Column<R>],
    pub list: fn(&Case) -> Option<&Vec<R>>,
    pub list_mut: fn(&mut Case) -> &mut Vec<R>,
}

/// A table: `table!("facility.systems", "医療情報システム", facility.systems, [col!(…), …])`, or a
/// list inside an optional section: `table!(key, title, damage => systems, [...])`.
macro_rules! table {
    ($key:literal, $title:literal, $sec:ident => $f:ident, [$($c:expr),+ $(,)?]) => {
        $crate::case::fields::ListTable {
            key: $key,
            title: $title,
            columns: &[$($c),+],
            list: |c| c.$sec.as_ref().map(|s| &s.$f),
            list_mut: |c| &mut c.$sec.get_or_insert_with(Default::default).$f,
        }
    };
    ($key:literal, $title:literal, $($p:ident).+, [$($c:expr),+ $(,)?]) => {
        $crate::case::fields::ListTable {
            key: $key,
            title: $title,
            columns: &[$($c),+],
            list: |c| Some(&c.$($p).+),
            list_mut: |c| &mut c.$($p).+,
        }
    };
}
pub(crate) use table;

/// The report headers of a table's columns.
pub fn shorts(t: &dyn Table) -> Vec<&'static str> {
    t.columns().iter().map(|c| c.short).collect()
}

/// A list of the case, whatever the type of its rows.
pub trait Table: Sync {
    fn key(&self) -> &'static str;
    fn title(&self) -> &'static str;
    fn columns(&self) -> Vec<&'static Col>;
    /// Every row as values, in case order.
    fn rows(&self, c: &Case) -> Vec<Vec<Val>>;
    /// Replaces the list; rows without a required value are left out.
    fn set_rows(&self, c: &mut Case, rows: &[Vec<Val>]);
    /// Sets the values of row `index` (fields not shown as columns stay as they are).
    fn set_row(&self, c: &mut Case, index: usize, vals: &[Val]);
    /// Appends a row; false where a required value is missing (nothing added).
    fn push_row(&self, c: &mut Case, vals: &[Val]) -> bool;
    /// Removes row `index`.
    fn remove_row(&self, c: &mut Case, index: usize);
}

impl<R: Default + Sync + 'static> ListTable<R> {
    /// A row built from values, or `None` where a required value is missing.
    fn build(&self, vals: &[Val]) -> Option<R> {
        let mut row = R::default();
        for (i, col) in self.columns.iter().enumerate() {
            let v = vals.get(i).unwrap_or(&Val::Empty);
            let taken = (col.set)(&mut row, v);
            if col.spec.required && (!taken || v.is_blank(col.spec.kind)) {
                return None;
            }
        }
        Some(row)
    }
}

impl<R: Default + Sync + 'static> Table for ListTable<R> {
    fn key(&self) -> &'static str {
        self.key
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn columns(&self) -> Vec<&'static Col> {
        self.columns.iter().map(|c| &c.spec).collect()
    }
    fn rows(&self, c: &Case) -> Vec<Vec<Val>> {
        (self.list)(c)
            .map(|list| list.iter().map(|r| self.columns.iter().map(|col| (col.get)(r)).collect()).collect())
            .unwrap_or_default()
    }
    fn set_rows(&self, c: &mut Case, rows: &[Vec<Val>]) {
        let built: Vec<R> = rows.iter().filter_map(|r| self.build(r)).collect();
        *(self.list_mut)(c) = built;
    }
    fn set_row(&self, c: &mut Case, index: usize, vals: &[Val]) {
        if let Some(row) = (self.list_mut)(c).get_mut(index) {
            for (col, v) in self.columns.iter().zip(vals) {
                (col.set)(row, v);
            }
        }
    }
    fn push_row(&self, c: &mut Case, vals: &[Val]) -> bool {
        match self.build(vals) {
            Some(r) => {
                (self.list_mut)(c).push(r);
                true
            }
            None => false,
        }
    }
    fn remove_row(&self, c: &mut Case, index: usize) {
        let list = (self.list_mut)(c);
        if index < list.len() {
            list.remove(index);
        }
    }
}

/// Part of a form sheet.
pub enum Part {
    Group(&'static str, &'static [Field]),
    Table(&'static dyn Table),
}

/// A form sheet (概要, 時系列, 被害状況, …).
pub struct FormSheet {
    pub name: &'static str,
    pub title: &'static str,
    pub landscape: bool,
    pub parts: &'static [Part],
    /// Whether the sheet belongs in the workbook of this case.
    pub wanted: fn(&Case) -> bool,
}

/// The form sheets, in workbook order (checklist sheets come after the first).
pub static FORM_SHEETS: [&FormSheet; 8] = [
    &overview::SHEET,
    &incident::SHEET,
    &damage::SHEET,
    &response::SHEET,
    &recovery::SHEET,
    &follow_up::MEASURES_SHEET,
    &follow_up::GUIDANCE_SHEET,
    &follow_up::EVIDENCE_SHEET,
];

/// Whether the incident sheets belong in the workbook of a case.
pub fn incident_sheets(c: &Case) -> bool {
    c.is_incident()
        || c.incident.is_some()
        || c.damage.is_some()
        || c.response.is_some()
        || c.recovery.is_some()
        || !c.causes.is_empty()
        || !c.measures.is_empty()
        || c.investigation.is_some()
}

/// Every scalar field of the form sheets.
pub fn fields() -> impl Iterator<Item = &'static Field> {
    FORM_SHEETS.iter().flat_map(|s| s.parts.iter()).flat_map(|p| match p {
        Part::Group(_, f) => f.iter(),
        Part::Table(_) => [].iter(),
    })
}

/// Every table of the form sheets.
pub fn tables() -> impl Iterator<Item = &'static dyn Table> {
    FORM_SHEETS.iter().flat_map(|s| s.parts.iter()).filter_map(|p| match p {
        Part::Table(t) => Some(*t),
        Part::Group(..) => None,
    })
}

/// The sheet a field or table key lives on.
pub fn sheet_of(key: &str) -> Option<&'static FormSheet> {
    FORM_SHEETS.iter().copied().find(|s| {
        s.parts.iter().any(|p| match p {
            Part::Group(_, f) => f.iter().any(|f| f.key == key),
            Part::Table(t) => t.key() == key,
        })
    })
}

/// Optional sections of the case whose presence the workbook records.
pub const OPTIONAL_SECTIONS: [(&str, &str); 6] = [
    ("incident", "事案の概要"),
    ("damage", "被害状況"),
    ("response", "対応状況"),
    ("recovery", "復旧状況"),
    ("damage.paper_operation", "紙運用"),
    ("investigation", "調査体制"),
];

/// Whether an optional section is present.
pub fn section_present(c: &Case, name: &str) -> bool {
    match name {
        "incident" => c.incident.is_some(),
        "damage" => c.damage.is_some(),
        "response" => c.response.is_some(),
        "recovery" => c.recovery.is_some(),
        "damage.paper_operation" => c.damage.as_ref().is_some_and(|d| d.paper_operation.is_some()),
        "investigation" => c.investigation.is_some(),
        _ => false,
    }
}

/// Creates an optional section; returns whether it was missing.
pub fn ensure_section(c: &mut Case, name: &str) -> bool {
    let missing = !section_present(c, name);
    match name {
        "incident" => {
            c.incident.get_or_insert_with(Default::default);
        }
        "damage" => {
            c.damage.get_or_insert_with(Default::default);
        }
        "response" => {
            c.response.get_or_insert_with(Default::default);
        }
        "recovery" => {
            c.recovery.get_or_insert_with(Default::default);
        }
        "damage.paper_operation" => {
            damage::paper_mut(c);
        }
        "investigation" => {
            c.investigation.get_or_insert_with(Default::default);
        }
        _ => {}
    }
    missing
}

/// The Japanese name of an optional section.
pub fn section_label(name: &str) -> &'static str {
    OPTIONAL_SECTIONS.iter().find(|(k, _)| *k == name).map(|(_, l)| *l).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Date;

    #[test]
    fn every_field_round_trips_through_its_setter() {
        let mut c = Case::default();
        for f in fields() {
            let val = match f.kind {
                Kind::Text => Val::Text(format!("{}の値", f.label)),
                Kind::Code => Val::Text("1312345678".into()),
                Kind::Date => Val::Date(Date::ymd(2025, 6, 1).unwrap()),
                Kind::Stamp => Val::Stamp("2024-05-19 03:10".parse().unwrap()),
                Kind::Num32 | Kind::Amount => Val::Num(85_000),
                Kind::YesNo | Kind::Flag => Val::Bool(true),
                Kind::Choice(l) => Val::Text(l()[1].to_string()),
                _ => continue,
            };
            (f.set)(&mut c, &val);
            assert_eq!((f.get)(&c), val, "{}", f.key);
        }
        assert!(c.incident.is_some() && c.damage.as_ref().is_some_and(|d| d.paper_operation.is_some()));
        assert!(c.investigation.is_some(), "the investigation's fields create its section");
    }

    #[test]
    fn every_table_round_trips_its_rows() {
        for t in tables() {
            let row: Vec<Val> = t
                .columns()
                .iter()
                .map(|c| match c.kind {
                    Kind::Text => Val::Text(format!("{}の値", c.header)),
                    Kind::Words => Val::List(vec!["氏名".into(), "病名".into()]),
                    Kind::Hash => Val::Text("ab".repeat(32)),
                    Kind::Code => Val::Text("1312345678".into()),
                    Kind::Date => Val::Date(Date::ymd(2025, 6, 1).unwrap()),
                    Kind::Target => Val::Text("令和8年度".into()),
                    Kind::Stamp => Val::Stamp("2024-05-19 03:10".parse().unwrap()),
                    Kind::Num32 => Val::Num(12),
                    Kind::Amount => Val::Text("約2,200".into()),
                    Kind::YesNo | Kind::Flag => Val::Bool(true),
                    Kind::Choice(l) => Val::Text(l()[1].to_string()),
                    Kind::Methods => Val::List(vec!["聞き取り".into()]),
                    Kind::ItemRefs => Val::List(vec!["mhlw-r7:2-06".into()]),
                })
                .collect();
            let mut c = Case::default();
            t.set_rows(&mut c, std::slice::from_ref(&row));
            assert_eq!(t.rows(&c), vec![row], "{}", t.key());
        }
    }

    #[test]
    fn rows_without_a_required_value_are_left_out() {
        let t = tables().find(|t| t.key() == "response.notifications").unwrap();
        let mut c = Case::default();
        t.set_rows(&mut c, &[vec![Val::Text("警察".into()), Val::Empty, Val::Text("x".into())]]);
        assert!(t.rows(&c).is_empty());
    }

    #[test]
    fn keys_are_unique_and_sheets_found() {
        let mut keys: Vec<&str> = fields().map(|f| f.key).chain(tables().map(|t| t.key())).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
        assert_eq!(sheet_of("incident.timeline").map(|s| s.name), Some("時系列"));
        assert_eq!(sheet_of("facility.name").map(|s| s.name), Some("概要"));
    }
}
