//! Values of the form schema: how a field of the case is filled (`Kind`), its value in the
//! terms shared by the workbook, the merge and the report (`Val`), and the conversion between
//! model types and values (`Cell`).

use crate::case::*;

/// How a cell is filled and read back.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text (line breaks kept).
    Text,
    /// A date (real date cell in 和暦 format; text in any form kensa reads is accepted).
    Date,
    /// A date with optional time of day.
    Stamp,
    /// The target of an item answered いいえ: a date (a real date cell), a 年度 or
    /// 「次期システム更改時」 (text).
    Target,
    /// A non-negative whole number that fits u32 (empty = none).
    Num32,
    /// A count as reports state it: a number, or text such as 約2,200, 最大約4万, 100以上, 不明.
    Amount,
    /// はい／いいえ or empty.
    YesNo,
    /// はい／いいえ, empty meaning いいえ.
    Flag,
    /// One of a list of Japanese words.
    Choice(fn() -> Vec<&'static str>),
    /// Methods of confirmation, several joined with 、.
    Methods,
    /// Checklist item references (`mhlw-r7:2-06`), several joined with 、.
    ItemRefs,
    /// Short words or ids, several joined with 、 or one per line.
    Words,
    /// A SHA-256 (64 hexadecimal digits) or empty.
    Hash,
    /// A 医療機関コード: a 10-digit code typed with full-width digits, hyphens or spaces is
    /// read as its 10 digits ([`crate::values::stored_code`]); anything else as written.
    Code,
}

/// Kinds compare by variant (choice lists are functions).
impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl Kind {
    /// The fixed choices of a drop-down, if any.
    pub fn choices(self) -> Option<Vec<&'static str>> {
        match self {
            Kind::YesNo | Kind::Flag => Some(vec!["はい", "いいえ"]),
            Kind::Choice(f) => Some(f()),
            _ => None,
        }
    }
    pub fn is_date(self) -> bool {
        matches!(self, Kind::Date | Kind::Stamp)
    }
    pub fn is_number(self) -> bool {
        matches!(self, Kind::Num32 | Kind::Amount)
    }
    /// The input message shown in Excel when the cell is selected.
    pub fn hint(self) -> String {
        match self {
            Kind::Text => "文字で記入します。セル内の改行は Alt+Enter です。".into(),
            Kind::Date => "日付を記入します（例: 令和7年6月1日、R7.6.1、2025/6/1）。".into(),
            Kind::Target => format!(
                "目標日を記入します（例: 令和8年3月31日）。年度（例: 令和8年度）や「{}」とも書けます。",
                crate::values::NEXT_RENEWAL
            ),
            Kind::Stamp => {
                "日付と時刻を記入します（例: 令和6年5月19日 3:10、2024/5/19 3:10）。時刻は省略できます。".into()
            }
            Kind::Num32 => "0以上の整数を記入します（例: 120）。".into(),
            Kind::Amount => {
                "数を記入します（例: 85,000）。概数などは「約2,200」「最大約4万」「100以上」「不明」と書けます。".into()
            }
            Kind::YesNo | Kind::Flag => "一覧から「はい」または「いいえ」を選びます（○・×も読めます）。".into(),
            Kind::Choice(f) => format!("一覧から選びます（{}）。", f().join("、")),
            Kind::Methods => {
                format!("確認方法を選びます。複数の場合は「、」で区切ります（{}）。", Method::labels().join("、"))
            }
            Kind::ItemRefs => {
                "一覧から選ぶか、チェックリストのシートの番号（例: 2-⑥、mhlw-r7:2-06）を記入します。複数の場合は「、」で区切ります。".into()
            }
            Kind::Words => "複数の場合は「、」で区切るか、改行して記入します。".into(),
            Kind::Code => "医療機関コード（10桁の数字）を記入します。全角の数字やハイフンを含めても読めます。".into(),
            Kind::Hash => {
                "ファイルの SHA-256（16進64桁）を記入します。kensa evidence add で追加すると自動で入ります。".into()
            }
        }
    }
}

/// Characters of a value shown in a one-line summary.
pub const SUMMARY_CHARS: usize = 40;

/// A cell value in the workbook's terms, shared by the writer, the reader and the merge.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Empty,
    Text(String),
    Date(Date),
    Stamp(Stamp),
    Num(u64),
    Bool(bool),
    List(Vec<String>),
}

impl Val {
    /// Text as a cell holds it: line breaks as `\n`, no other control characters, at most
    /// Excel's length. Comparing in this form keeps a CRLF or an over-long note in the case from
    /// looking changed after a round trip.
    pub fn text(v: &str) -> Val {
        // Spaces at either end (full-width too) make no visible difference: they are dropped.
        let v = v.trim();
        if v.is_empty() {
            return Val::Empty;
        }
        let t = if v.contains('\r') || v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            crate::xlsx::clean(&v.replace("\r\n", "\n"))
        } else if v.chars().count() > crate::xlsx::MAX_CELL_CHARS {
            crate::xlsx::clean(v)
        } else {
            v.to_string()
        };
        if t.is_empty() {
            Val::Empty
        } else {
            Val::Text(t)
        }
    }
    pub fn date(d: Option<Date>) -> Val {
        d.map(Val::Date).unwrap_or(Val::Empty)
    }
    pub fn stamp(s: Option<Stamp>) -> Val {
        s.map(Val::Stamp).unwrap_or(Val::Empty)
    }
    pub fn num(n: Option<u64>) -> Val {
        n.map(Val::Num).unwrap_or(Val::Empty)
    }
    pub fn yes_no(b: Option<bool>) -> Val {
        b.map(Val::Bool).unwrap_or(Val::Empty)
    }
    pub fn label<T: std::fmt::Display>(e: Option<T>) -> Val {
        e.map(|e| Val::Text(e.to_string())).unwrap_or(Val::Empty)
    }
    pub fn list<T: std::fmt::Display>(items: &[T]) -> Val {
        if items.is_empty() {
            Val::Empty
        } else {
            Val::List(items.iter().map(|i| i.to_string()).collect())
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            Val::Text(s) => s.clone(),
            Val::Empty => String::new(),
            other => other.show(),
        }
    }
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Val::Date(d) => Some(*d),
            Val::Stamp(s) => Some(Date(s.date)),
            _ => None,
        }
    }
    pub fn as_stamp(&self) -> Option<Stamp> {
        match self {
            Val::Stamp(s) => Some(*s),
            Val::Date(d) => Some(Stamp::day(d.0)),
            _ => None,
        }
    }
    pub fn as_num(&self) -> Option<u64> {
        match self {
            Val::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn as_u32(&self) -> Option<u32> {
        self.as_num().and_then(|n| u32::try_from(n).ok())
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_choice<T>(&self, from: fn(&str) -> Option<T>) -> Option<T> {
        match self {
            Val::Text(s) => from(s),
            _ => None,
        }
    }
    pub fn as_list(&self) -> Vec<String> {
        match self {
            Val::List(v) => v.clone(),
            Val::Text(s) if !s.is_empty() => vec![s.clone()],
            _ => Vec::new(),
        }
    }
    pub fn as_methods(&self) -> Vec<Method> {
        self.as_list().iter().filter_map(|s| Method::from_label(s)).collect()
    }
    pub fn as_items(&self) -> Vec<ItemRef> {
        self.as_list().iter().filter_map(|s| s.parse().ok()).collect()
    }

    /// Whether the value says nothing (an empty cell; for a flag, いいえ).
    pub fn is_blank(&self, kind: Kind) -> bool {
        match (self, kind) {
            (Val::Empty, _) => true,
            (Val::Text(s), _) => s.trim().is_empty(),
            (Val::List(v), _) => v.is_empty(),
            (Val::Bool(false), Kind::Flag) => true,
            _ => false,
        }
    }

    /// A short fingerprint of the value, recorded in a workbook at export so that an import can
    /// tell which side changed it (three-way merge).
    pub fn fingerprint(&self) -> String {
        let canonical = match self {
            Val::Empty => String::new(),
            Val::Text(s) => format!("T{s}"),
            Val::Date(d) => format!("D{}", d.iso()),
            Val::Stamp(s) => format!("S{}", s.iso_full()),
            Val::Num(n) => format!("N{n}"),
            Val::Bool(b) => format!("B{}", u8::from(*b)),
            Val::List(v) => format!("L{}", v.join("\u{1f}")),
        };
        if canonical.is_empty() {
            return "-".into();
        }
        crate::fs::sha256_hex(canonical.as_bytes())[..16].to_string()
    }

    /// The value as shown in summaries.
    pub fn show(&self) -> String {
        let short = |s: &str| crate::text::short(s, SUMMARY_CHARS);
        match self {
            Val::Empty => "（空欄）".into(),
            Val::Text(s) => short(s),
            Val::Date(d) => d.wareki(),
            Val::Stamp(s) => s.wareki(),
            Val::Num(n) => crate::text::thousands(*n),
            Val::Bool(true) => "はい".into(),
            Val::Bool(false) => "いいえ".into(),
            Val::List(v) => short(&v.join("、")),
        }
    }
}

/// A model value that a form cell shows and sets.
pub trait Cell {
    fn to_val(&self) -> Val;
    /// Sets the value from a cell; a value that does not fit leaves it as it is and gives false.
    fn set_from(&mut self, v: &Val) -> bool;
}

impl Cell for String {
    fn to_val(&self) -> Val {
        Val::text(self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_text();
        true
    }
}

impl Cell for Option<Date> {
    fn to_val(&self) -> Val {
        Val::date(*self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_date();
        true
    }
}

impl Cell for Option<Target> {
    fn to_val(&self) -> Val {
        match self {
            None => Val::Empty,
            Some(Target::On(d)) => Val::Date(*d),
            Some(t) => Val::Text(t.label(false)),
        }
    }
    fn set_from(&mut self, v: &Val) -> bool {
        match v {
            Val::Text(s) => match s.parse::<Target>() {
                Ok(t) => {
                    *self = Some(t);
                    true
                }
                Err(_) => false,
            },
            other => {
                *self = other.as_date().map(Target::On);
                true
            }
        }
    }
}

impl Cell for Date {
    fn to_val(&self) -> Val {
        Val::Date(*self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        v.as_date().map(|d| *self = d).is_some()
    }
}

impl Cell for Option<Stamp> {
    fn to_val(&self) -> Val {
        Val::stamp(*self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_stamp();
        true
    }
}

impl Cell for Stamp {
    fn to_val(&self) -> Val {
        Val::Stamp(*self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        v.as_stamp().map(|s| *self = s).is_some()
    }
}

impl Cell for Option<u32> {
    fn to_val(&self) -> Val {
        Val::num(self.map(u64::from))
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_u32();
        true
    }
}

impl Cell for Option<u64> {
    fn to_val(&self) -> Val {
        Val::num(*self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_num();
        true
    }
}

/// A count that may be approximate or unknown: a number cell where exact, text otherwise.
impl Cell for Option<Amount> {
    fn to_val(&self) -> Val {
        match self {
            None => Val::Empty,
            Some(a) => match a.value {
                Some(n) if a.is_exact() => Val::Num(n),
                _ => Val::Text(a.text()),
            },
        }
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = match v {
            Val::Num(n) => Some(Amount::exact(*n)),
            Val::Text(s) if !s.trim().is_empty() => match s.parse() {
                Ok(a) => Some(a),
                Err(_) => return false,
            },
            _ => None,
        };
        true
    }
}

/// A flag where empty means いいえ.
impl Cell for bool {
    fn to_val(&self) -> Val {
        Val::Bool(*self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_bool().unwrap_or(false);
        true
    }
}

impl Cell for Option<bool> {
    fn to_val(&self) -> Val {
        Val::yes_no(*self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_bool();
        true
    }
}

impl Cell for Vec<String> {
    fn to_val(&self) -> Val {
        Val::list(self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_list();
        true
    }
}

impl Cell for Vec<ItemRef> {
    fn to_val(&self) -> Val {
        Val::list(self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_items();
        true
    }
}

impl Cell for Vec<Method> {
    fn to_val(&self) -> Val {
        Val::list(self)
    }
    fn set_from(&mut self, v: &Val) -> bool {
        *self = v.as_methods();
        true
    }
}

/// Cells for the Japanese vocabularies, bare (a required choice) and optional.
macro_rules! choice_cells {
    ($($t:ty),+ $(,)?) => {$(
        impl Cell for $t {
            fn to_val(&self) -> Val {
                Val::Text(self.label().to_string())
            }
            fn set_from(&mut self, v: &Val) -> bool {
                v.as_choice(<$t>::from_label).map(|x| *self = x).is_some()
            }
        }
        impl Cell for Option<$t> {
            fn to_val(&self) -> Val {
                Val::label(*self)
            }
            fn set_from(&mut self, v: &Val) -> bool {
                *self = v.as_choice(<$t>::from_label);
                true
            }
        }
    )+};
}

choice_cells!(
    FacilityKind,
    InspectionKind,
    YesNo,
    Verification,
    Done,
    MeasureStatus,
    GuidanceKind,
    Party,
    DataImpactKind,
    ClinicalService,
    RecoveryStatus,
    DeviceEffect,
    ConnectionKind,
    MeasureCategory,
    Responsibility,
    Presence,
    DeviceKind,
    PersonCategory,
    CauseCategory,
    AuthorityActionKind,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_compared_as_a_cell_holds_it() {
        assert_eq!(Val::text("a\r\nb"), Val::Text("a\nb".into()));
        assert_eq!(Val::text("a\u{7}b"), Val::Text("ab".into()));
        assert_eq!(Val::text("\u{7}"), Val::Empty);
        assert_eq!(Val::text(&"あ".repeat(40_000)), Val::Text("あ".repeat(crate::xlsx::MAX_CELL_CHARS)));
    }

    #[test]
    fn fingerprints_tell_values_apart() {
        assert_eq!(Val::Empty.fingerprint(), "-");
        assert_eq!(Val::text("a").fingerprint(), Val::Text("a".into()).fingerprint());
        assert_ne!(Val::Text("1".into()).fingerprint(), Val::Num(1).fingerprint());
        assert_ne!(Val::List(vec!["a".into(), "b".into()]).fingerprint(), Val::Text("a、b".into()).fingerprint());
        assert_eq!(Val::Num(1).fingerprint().len(), 16);
    }

    #[test]
    fn blank_values() {
        assert!(Val::Bool(false).is_blank(Kind::Flag));
        assert!(!Val::Bool(false).is_blank(Kind::YesNo));
        assert!(!Val::Num(0).is_blank(Kind::Amount));
        assert!(Val::Text("  ".into()).is_blank(Kind::Text));
    }

    #[test]
    fn cells_convert_both_ways() {
        let mut k: Option<GuidanceKind> = None;
        k.set_from(&Val::Text("口頭指導".into()));
        assert_eq!(k, Some(GuidanceKind::Oral));
        let mut bare = GuidanceKind::Written;
        bare.set_from(&Val::Text("助言".into()));
        assert_eq!(bare.to_val(), Val::Text("助言".into()));
        assert!(!bare.set_from(&Val::Empty));
        assert_eq!(bare, GuidanceKind::Advice, "a required choice is not cleared");
        let mut n: Option<Amount> = None;
        n.set_from(&Val::Text("約2,200".into()));
        assert_eq!(n.to_val(), Val::Text("約2,200".into()));
        n.set_from(&Val::Num(5));
        assert_eq!(n, Some(Amount::exact(5)));
        n.set_from(&Val::Empty);
        assert_eq!(n, None, "unknown stays unknown, never 0");
        let mut flag = true;
        flag.set_from(&Val::Empty);
        assert!(!flag);
    }
}
