//! Value types shared by case files and checklists: dates, time stamps, item references and
//! the Japanese vocabularies (enums whose TOML spelling is the Japanese word); the 医療機関コード
//! and the identity of a facility ([`code`]).

mod code;
pub use code::{identity, parse_facility_code, stored_code, CodeError, FacilityCode, Identity, CODE_DIGITS};

use crate::wareki;
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A calendar date. In case.toml written as a TOML date (`2025-06-01`) or as text in any
/// form kensa reads (`"令和7年6月1日"`, `"R7.6.1"`, `"2025/6/1"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date(pub NaiveDate);

/// A date with an optional time of day (`2024-05-19T03:10:00`, `"令和6年5月19日 3:10"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Stamp {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl Date {
    pub fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(y, m, d).map(Date)
    }
    pub fn wareki(&self) -> String {
        wareki::format(self.0)
    }
    pub fn iso(&self) -> String {
        // chrono's Display of a date is ISO 8601 (`%Y-%m-%d`), without parsing a format string.
        self.0.to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// Years a case date may have: what Excel can hold as a date cell.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// Whether a recorded SHA-256 has the form of one (64 hexadecimal digits).
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn in_range(date: NaiveDate, input: &str) -> Result<NaiveDate, wareki::DateError> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(wareki::DateError(format!("「{input}」: 日付は1900年から9999年までの範囲で書きます")))
    }
}

impl std::str::FromStr for Date {
    type Err = wareki::DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        wareki::parse(s).and_then(|d| in_range(d, s)).map(Date)
    }
}

impl Stamp {
    pub fn day(date: NaiveDate) -> Stamp {
        Stamp { date, time: None }
    }
    pub fn iso(&self) -> String {
        match self.time {
            Some(t) => format!("{} {}", self.date.format("%Y-%m-%d"), t.format("%H:%M")),
            None => self.date.format("%Y-%m-%d").to_string(),
        }
    }
    pub fn wareki(&self) -> String {
        match self.time {
            Some(t) => format!("{} {}", wareki::format(self.date), t.format("%H:%M")),
            None => wareki::format(self.date),
        }
    }
    /// `2024-05-19T03:10:05`, seconds kept (for comparisons, not for people).
    pub fn iso_full(&self) -> String {
        match self.time {
            Some(t) => format!("{}T{}", self.date.format("%Y-%m-%d"), t.format("%H:%M:%S")),
            None => self.date.format("%Y-%m-%d").to_string(),
        }
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl std::str::FromStr for Stamp {
    type Err = wareki::DateError;
    /// `2024-05-19`, `2024-05-19 03:10`, `2024-05-19T03:10:00`, `令和6年5月19日 3時10分`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = wareki::normalize(s);
        let (d, t) = match norm.split_once(['T', ' ']) {
            Some((d, t)) if !t.trim().is_empty() => (d.to_string(), Some(t.trim().to_string())),
            _ => (norm.clone(), None),
        };
        let date = in_range(wareki::parse(&d)?, s)?;
        let time = t.map(|t| wareki::parse_time(&t)).transpose()?;
        Ok(Stamp { date, time })
    }
}

fn toml_datetime(date: NaiveDate, time: Option<NaiveTime>) -> toml::value::Datetime {
    toml::value::Datetime {
        date: Some(toml::value::Date { year: date.year() as u16, month: date.month() as u8, day: date.day() as u8 }),
        time: time.map(|t| toml::value::Time {
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: Some(t.second() as u8),
            nanosecond: None,
        }),
        offset: None,
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        toml_datetime(self.0, None).serialize(s)
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        toml_datetime(self.date, self.time).serialize(s)
    }
}

/// Reads either a string or a TOML date/datetime (which toml hands over as a one-entry map).
struct TextOrTomlDate;

impl<'de> Visitor<'de> for TextOrTomlDate {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("日付（例: 2025-06-01 または \"令和7年6月1日\"）")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let _key: Option<String> = map.next_key()?;
        let value: String = map.next_value()?;
        Ok(value)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = d.deserialize_any(TextOrTomlDate)?;
        let stamp: Stamp = text.parse().map_err(|e: wareki::DateError| de::Error::custom(e.0))?;
        if stamp.time.is_some() {
            return Err(de::Error::custom(format!("「{text}」: この項目には日付だけを書きます（時刻は書けません）")));
        }
        Ok(Date(stamp.date))
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = d.deserialize_any(TextOrTomlDate)?;
        // TOML offset date-times carry a zone; keep the local wall-clock part.
        let trimmed = text.split(['+', 'Z']).next().unwrap_or(&text);
        trimmed.parse().map_err(|e: wareki::DateError| de::Error::custom(e.0))
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "description": "日付。TOMLの日付（2025-06-01）または文字列（\"令和7年6月1日\"、\"R7.6.1\"、\"2025/6/1\"）"
        })
    }
}

impl JsonSchema for Stamp {
    fn schema_name() -> Cow<'static, str> {
        "Stamp".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "日時。TOMLの日付・日時（2024-05-19T03:10:00）または文字列（\"令和6年5月19日 3:10\"）。時刻は省略可"
        })
    }
}

/// The target of an item answered いいえ: a date, a 年度 (by its 3月31日), or 「次期システム更改時」
/// (guideline 第7.0版: two-factor authentication at the next system renewal). In case.toml a
/// date is a date (as every earlier case file has it), the others text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    On(Date),
    FiscalYear(i32),
    NextRenewal,
}

/// The words of [`Target::NextRenewal`].
pub const NEXT_RENEWAL: &str = "次期システム更改時";

impl Target {
    /// The day the target falls due: the date, the last day of the 年度; none at the next
    /// renewal.
    pub fn due(&self) -> Option<Date> {
        match self {
            Target::On(d) => Some(*d),
            Target::FiscalYear(fy) => wareki::fiscal_year_range(*fy).map(|(_, end)| Date(end)),
            Target::NextRenewal => None,
        }
    }
    /// The date, where the target is one.
    pub fn date(&self) -> Option<Date> {
        match self {
            Target::On(d) => Some(*d),
            _ => None,
        }
    }
    /// For people: 令和8年3月31日, 令和8年度, 次期システム更改時 (`iso` writes a date as 2026-03-31).
    pub fn label(&self, iso: bool) -> String {
        match self {
            Target::On(d) if iso => d.iso(),
            Target::On(d) => d.wareki(),
            Target::FiscalYear(fy) => wareki::format_fiscal_year(*fy),
            Target::NextRenewal => NEXT_RENEWAL.to_string(),
        }
    }
}

impl From<Date> for Target {
    fn from(d: Date) -> Target {
        Target::On(d)
    }
}

impl std::str::FromStr for Target {
    type Err = wareki::DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n = wareki::normalize(s);
        if n == NEXT_RENEWAL {
            return Ok(Target::NextRenewal);
        }
        if n.ends_with("年度") {
            return wareki::parse_fiscal_year(&n).map(Target::FiscalYear);
        }
        s.parse::<Date>().map(Target::On).map_err(|e| {
            wareki::DateError(format!(
                "{}（目標は日付、「令和8年度」のような年度、または「{NEXT_RENEWAL}」で書きます）",
                e.0
            ))
        })
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Target::On(d) => d.serialize(s),
            other => s.serialize_str(&other.label(false)),
        }
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = d.deserialize_any(TextOrTomlDate)?;
        text.parse().map_err(|e: wareki::DateError| de::Error::custom(e.0))
    }
}

impl JsonSchema for Target {
    fn schema_name() -> Cow<'static, str> {
        "Target".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "目標。日付（2026-03-31、\"令和8年3月31日\"）、年度（\"令和8年度\"）、または \"次期システム更改時\""
        })
    }
}

/// How a figure relates to the true number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Bound {
    /// The figure is the number (or about it, with `approx`).
    #[default]
    Exact,
    /// The number is at most the figure (最大).
    AtMost,
    /// The number is at least the figure (以上).
    AtLeast,
}

/// A count as investigation reports state it: exact (`85000`), approximate (`"約2,200"`), an
/// upper bound (`"最大約4万"`), a lower bound (`"100以上"`) or unknown (`"不明"`). In case.toml an
/// exact count is a number, any other a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Amount {
    /// The figure; `None` where the number is unknown (不明).
    pub value: Option<u64>,
    /// 約: the figure is approximate.
    pub approx: bool,
    pub bound: Bound,
}

impl Amount {
    pub fn exact(n: u64) -> Amount {
        Amount { value: Some(n), approx: false, bound: Bound::Exact }
    }
    pub fn unknown() -> Amount {
        Amount { value: None, approx: false, bound: Bound::Exact }
    }
    /// Whether the figure is a plain number.
    pub fn is_exact(&self) -> bool {
        self.value.is_some() && !self.approx && self.bound == Bound::Exact
    }
    /// `約2,200`, `最大約40,000`, `100以上`, `不明` (without a unit).
    pub fn text(&self) -> String {
        let Some(n) = self.value else { return "不明".into() };
        let mut out = String::new();
        if self.bound == Bound::AtMost {
            out.push_str("最大");
        }
        if self.approx {
            out.push('約');
        }
        out.push_str(&crate::text::thousands(n));
        if self.bound == Bound::AtLeast {
            out.push_str("以上");
        }
        out
    }
    /// The text with a unit after the number: `約2,200台`, `100台以上`, `不明`.
    pub fn with_unit(&self, unit: &str) -> String {
        match (self.value, self.bound) {
            (None, _) => "不明".into(),
            (Some(_), Bound::AtLeast) => format!("{}{unit}以上", self.text().trim_end_matches("以上")),
            _ => format!("{}{unit}", self.text()),
        }
    }

    /// The sum of several counts of one thing, qualified as the parts are: any unknown part
    /// makes the sum a lower bound (以上) of the known parts; any approximate part makes it
    /// approximate; upper bounds stay an upper bound only where no part is a lower bound.
    /// `None` where there are no parts.
    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Amount>) -> Option<Amount> {
        let mut total = 0u64;
        let (mut any, mut known, mut unknown, mut approx, mut at_most, mut at_least) =
            (false, false, false, false, false, false);
        for a in parts {
            any = true;
            match a.value {
                Some(n) => {
                    known = true;
                    total = total.saturating_add(n);
                }
                None => unknown = true,
            }
            approx |= a.approx;
            at_most |= a.bound == Bound::AtMost;
            at_least |= a.bound == Bound::AtLeast;
        }
        if !any {
            return None;
        }
        if !known {
            return Some(Amount::unknown());
        }
        let bound = if unknown || at_least {
            if at_most {
                // Lower and upper bounds mixed: only an approximate figure can be given.
                approx = true;
                Bound::Exact
            } else {
                Bound::AtLeast
            }
        } else if at_most {
            Bound::AtMost
        } else {
            Bound::Exact
        };
        Some(Amount { value: Some(total), approx, bound })
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl std::str::FromStr for Amount {
    type Err = String;
    /// `2200`, `2,200`, `約2,200台`, `最大約4万人`, `100以上`, `1.5万`, `2億円`, `不明`, full-width too.
    fn from_str(input: &str) -> Result<Amount, String> {
        let bad =
            || format!("「{}」は件数として読めません（例: 2200、約2,200、最大約4万、100以上、不明）", input.trim());
        let s: String =
            wareki::normalize(input).chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != '，').collect();
        if s.is_empty() {
            return Err(bad());
        }
        if matches!(s.as_str(), "不明" | "？" | "?" | "未確認" | "調査中") {
            return Ok(Amount::unknown());
        }
        let mut rest = s.as_str();
        let mut bound = Bound::Exact;
        let mut approx = false;
        for p in ["最大", "最多", "上限"] {
            if let Some(r) = rest.strip_prefix(p) {
                bound = Bound::AtMost;
                rest = r;
            }
        }
        for p in ["約", "およそ", "概ね", "おおむね"] {
            if let Some(r) = rest.strip_prefix(p) {
                approx = true;
                rest = r;
            }
        }
        if let Some(r) = rest.strip_suffix("以上").or_else(|| rest.strip_suffix("超")) {
            if bound == Bound::AtMost {
                return Err(bad());
            }
            bound = Bound::AtLeast;
            rest = r;
        }
        if let Some(r) = rest.strip_suffix("程度").or_else(|| rest.strip_suffix("余り")) {
            approx = true;
            rest = r;
        }
        let rest = rest.trim_end_matches(['人', '件', '台', '名', '円', '床', '回', '枚', '例']);
        let (number, unit) = match rest.strip_suffix('億') {
            Some(r) => (r, 100_000_000u64),
            None => match rest.strip_suffix('万') {
                Some(r) => (r, 10_000u64),
                None => (rest, 1u64),
            },
        };
        let value = if let Ok(n) = number.parse::<u64>() {
            n.checked_mul(unit).ok_or_else(bad)?
        } else {
            // 1.5万: a decimal is allowed only before 万・億.
            let f: f64 = number.parse().map_err(|_| bad())?;
            let v = f * unit as f64;
            if unit == 1 || !f.is_finite() || f < 0.0 || v >= 9.0e15 || v.fract() != 0.0 {
                return Err(bad());
            }
            v as u64
        };
        Ok(Amount { value: Some(value), approx, bound })
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Some(n) if self.is_exact() && n <= i64::MAX as u64 => s.serialize_u64(n),
            _ => s.serialize_str(&self.text()),
        }
    }
}

/// Reads a count written as a number or as text.
struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Amount;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("件数（例: 2200、\"約2,200\"、\"最大約4万\"、\"100以上\"、\"不明\"）")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
        Ok(Amount::exact(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        u64::try_from(v).map(Amount::exact).map_err(|_| E::custom(format!("件数「{v}」は0以上の整数で書きます")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        v.parse().map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [{ "type": "integer", "minimum": 0 }, { "type": "string" }],
            "description": "件数。正確な数は整数（2200）、それ以外は文字列（\"約2,200\"、\"最大約4万\"、\"100以上\"、\"不明\"）"
        })
    }
}

/// A reference to a checklist item: `checklist-id:item-id`, e.g. `mhlw-r7:2-06`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(description = "チェックリスト項目の参照（チェックリストID:項目ID、例: mhlw-r7:2-06）")]
pub struct ItemRef(String);

impl ItemRef {
    pub fn new(checklist: &str, item: &str) -> ItemRef {
        ItemRef(format!("{checklist}:{item}"))
    }
    pub fn checklist(&self) -> &str {
        self.0.split_once(':').map(|(c, _)| c).unwrap_or("")
    }
    pub fn item(&self) -> &str {
        self.0.split_once(':').map(|(_, i)| i).unwrap_or("")
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ItemRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        match s.split_once(':') {
            Some((c, i)) if !c.is_empty() && !i.is_empty() && !i.contains(':') => Ok(ItemRef(s.to_string())),
            _ => Err(format!(
                "「{s}」は項目の参照として読めません（「チェックリストID:項目ID」の形で書きます。例: mhlw-r7:2-06）"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for ItemRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// Declares an enum whose serialized form is a Japanese word, with helpers to list and parse
/// the words.
macro_rules! ja_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $label)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            pub fn labels() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }
            pub fn from_label(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.label() == s)
            }
        }

        /// The first word (a placeholder for a row being built; every row sets it).
        impl Default for $name {
            fn default() -> $name {
                Self::ALL[0]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use ja_enum;

ja_enum! {
    /// 施設の種別。
    FacilityKind { Hospital => "病院", Clinic => "一般診療所", DentalClinic => "歯科診療所", Midwifery => "助産所", Pharmacy => "薬局" }
}
ja_enum! {
    /// 責任分界（事業者確認用の項目を、医療機関・事業者のどちらが担うか）。
    Responsibility { Facility => "医療機関", Vendor => "事業者", Joint => "共同" }
}
ja_enum! {
    /// 検査の種別。
    InspectionKind { Routine => "定期の立入検査", Incident => "事案に係る立入検査", ReportRequest => "報告徴収" }
}
ja_enum! {
    /// 医療機関の回答（はい／いいえ）。
    YesNo { Yes => "はい", No => "いいえ" }
}
ja_enum! {
    /// 検査員の確認結果。
    Verification {
        Conform => "適合",
        Partial => "一部適合",
        Nonconform => "不適合",
        NotApplicable => "該当なし",
        Unverified => "未確認",
    }
}
ja_enum! {
    /// 手続の実施状況。
    Done { Done => "実施", NotDone => "未実施", NotApplicable => "該当なし" }
}
ja_enum! {
    /// 確認方法。
    Method { Examine => "書類確認", Interview => "聞き取り", Test => "実地確認" }
}
ja_enum! {
    /// 再発防止策の状況。
    MeasureStatus { NotStarted => "未着手", InProgress => "実施中", Completed => "完了" }
}
ja_enum! {
    /// 指導の種別。
    GuidanceKind { Written => "文書指導", Oral => "口頭指導", Advice => "助言" }
}
ja_enum! {
    /// 連絡・報告の相手。
    Party {
        Vendor => "事業者",
        Mhlw => "厚生労働省",
        Prefecture => "都道府県等",
        Police => "警察",
        PpcPreliminary => "個人情報保護委員会（速報）",
        PpcFinal => "個人情報保護委員会（確報）",
        Nisc => "NISC",
        Patients => "本人通知",
        Public => "公表",
        Experts => "外部専門家",
        Other => "その他",
    }
}
ja_enum! {
    /// 被害を受けたデータの状態。
    DataImpactKind { Encrypted => "暗号化", Leaked => "漏えい", PossiblyLeaked => "漏えいのおそれ", Lost => "滅失・毀損" }
}
ja_enum! {
    /// 診療への影響の区分（調査報告書に現れる区分）。
    ClinicalService {
        Outpatient => "外来",
        NewPatients => "新患",
        Emergency => "救急",
        SecondaryEmergency => "二次救急",
        TertiaryEmergency => "三次救急",
        Surgery => "手術",
        PlannedSurgery => "予定手術",
        Inpatient => "入院",
        Referral => "紹介受入",
        Dialysis => "透析",
        Delivery => "分娩",
        Examination => "検査",
        Pharmacy => "薬剤・処方",
        Checkup => "健診",
        Other => "その他",
    }
}
ja_enum! {
    /// 機器への影響の種類（同じ機器が複数に当たりうるため、種類をまたいで合計しない）。
    DeviceEffect { Trace => "侵入の痕跡", Encrypted => "暗号化", Stopped => "停止" }
}
ja_enum! {
    /// 外部との接続の種類。
    ConnectionKind {
        Vpn => "VPN",
        Dedicated => "専用線",
        RemoteMaintenance => "リモート保守",
        Internet => "インターネット",
        Cloud => "クラウドサービス",
        Other => "その他",
    }
}
ja_enum! {
    /// システムの復旧状況。
    RecoveryStatus { NotStarted => "未着手", InProgress => "復旧作業中", Partial => "一部復旧", Restored => "復旧済", Replaced => "再構築済" }
}
ja_enum! {
    /// 再発防止策の区分。
    MeasureCategory {
        Organizational => "組織的対策",
        Technical => "技術的対策",
        Physical => "物理的対策",
        Human => "人的対策",
        Vendor => "委託先管理",
        Continuity => "事業継続",
    }
}

// The incident record as investigation reports state it (devices by kind, persons by category,
// ransom, causes by the 組織／人／技術 scheme, the authority's own actions).
ja_enum! {
    /// あり／なし／不明（身代金の要求・支払など、調査で分からないこともある事実）。
    Presence { Yes => "あり", No => "なし", Unknown => "不明" }
}
ja_enum! {
    /// 影響を受けた機器の種類。
    DeviceKind {
        Server => "サーバ",
        Pc => "端末PC",
        Network => "ネットワーク機器",
        VpnAppliance => "保守用VPN装置",
        Medical => "医療機器（ナースコール・生体監視など）",
        Other => "その他",
    }
}
ja_enum! {
    /// 影響を受けた人の区分。
    PersonCategory { Patients => "患者", Staff => "職員", Students => "学生", Others => "その他" }
}
ja_enum! {
    /// 原因の区分（組織的・人的・技術的の3分類）。
    CauseCategory { Organizational => "組織", Human => "人", Technical => "技術" }
}
ja_enum! {
    /// 所管庁（都道府県等）が行った行政上の対応。
    AuthorityActionKind {
        Inspection => "立入検査",
        ReportRequest => "報告徴収",
        Guidance => "行政指導",
        Other => "その他",
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_target_is_a_date_a_fiscal_year_or_the_next_renewal() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct A {
            target_on: Target,
        }
        let read = |t: &str| toml::from_str::<A>(t).map(|a| a.target_on);
        // Case files of earlier versions: a TOML date or a date as text, unchanged.
        let d = Target::On(Date::ymd(2026, 3, 31).unwrap());
        assert_eq!(read("target_on = 2026-03-31").unwrap(), d);
        assert_eq!(read("target_on = \"令和8年3月31日\"").unwrap(), d);
        assert_eq!(read("target_on = \"令和8年度\"").unwrap(), Target::FiscalYear(2026));
        assert_eq!(read("target_on = \"次期システム更改時\"").unwrap(), Target::NextRenewal);
        let e = read("target_on = \"来年\"").unwrap_err().to_string();
        assert!(e.contains("次期システム更改時"), "{e}");
        // Written back: a date as a date, the others as text.
        for (t, text) in [
            (d, "target_on = 2026-03-31\n"),
            (Target::FiscalYear(2026), "target_on = \"令和8年度\"\n"),
            (Target::NextRenewal, "target_on = \"次期システム更改時\"\n"),
        ] {
            assert_eq!(toml::to_string(&A { target_on: t }).unwrap(), text);
            assert_eq!(read(text).unwrap(), t);
        }
        assert_eq!(Target::FiscalYear(2026).due(), Date::ymd(2027, 3, 31));
        assert_eq!(Target::NextRenewal.due(), None);
        assert_eq!(d.due(), d.date());
        assert_eq!(Target::FiscalYear(2027).label(false), "令和9年度");
    }
    use super::*;

    #[test]
    fn iso_dates_are_written_as_the_iso_format_writes_them() {
        for (y, m, d) in [(2024, 5, 9), (1, 1, 1), (999, 12, 31), (9999, 12, 31), (10000, 1, 1), (-1, 3, 4)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Date(date).iso(), date.format("%Y-%m-%d").to_string(), "{y}-{m}-{d}");
        }
        assert_eq!(Date::ymd(2024, 5, 9).unwrap().iso(), "2024-05-09");
    }

    #[test]
    fn item_ref_parts() {
        let r: ItemRef = "mhlw-r7:2-06".parse().unwrap();
        assert_eq!(r.checklist(), "mhlw-r7");
        assert_eq!(r.item(), "2-06");
        assert!("2-06".parse::<ItemRef>().is_err());
        assert!(":x".parse::<ItemRef>().is_err());
    }

    #[test]
    fn stamp_forms() {
        let s: Stamp = "令和6年5月19日 3:10".parse().unwrap();
        assert_eq!(s.iso(), "2024-05-19 03:10");
        let s: Stamp = "2024-05-19T03:10:00".parse().unwrap();
        assert_eq!(s.wareki(), "令和6年5月19日 03:10");
        let s: Stamp = "2024-05-19".parse().unwrap();
        assert!(s.time.is_none());
    }

    #[test]
    fn dates_round_trip_through_toml() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct T {
            a: Date,
            b: Stamp,
            c: Stamp,
        }
        let t = T {
            a: Date::ymd(2025, 6, 1).unwrap(),
            b: "2024-05-19 03:10".parse().unwrap(),
            c: "2024-05-20".parse().unwrap(),
        };
        let s = toml::to_string(&t).unwrap();
        assert!(s.contains("a = 2025-06-01\n"), "{s}");
        assert!(s.contains("b = 2024-05-19T03:10:00\n"), "{s}");
        assert_eq!(toml::from_str::<T>(&s).unwrap(), t);
        let w: T = toml::from_str("a = \"令和7年6月1日\"\nb = \"R6.5.19 3:10\"\nc = 2024-05-20").unwrap();
        assert_eq!(w, t);
        let e = toml::from_str::<T>("a = \"平成31年5月1日\"\nb = 2024-05-19\nc = 2024-05-20").unwrap_err();
        assert!(e.message().contains("平成31年4月30日まで"), "{}", e.message());
    }

    #[test]
    fn dates_outside_excel_years_are_refused() {
        assert!("1899-12-31".parse::<Date>().is_err());
        assert!("明治元年1月25日".parse::<Stamp>().is_err());
        assert!("1900-01-01".parse::<Date>().is_ok());
        let e = toml::from_str::<std::collections::BTreeMap<String, Date>>("a = 0100-01-01").unwrap_err();
        assert!(e.message().contains("1900年から9999年"), "{}", e.message());
    }

    #[test]
    fn amounts_as_reports_state_them() {
        let a: Amount = "最大約4万人".parse().unwrap();
        assert_eq!((a.value, a.approx, a.bound), (Some(40_000), true, Bound::AtMost));
        assert_eq!(a.text(), "最大約40,000");
        assert_eq!("約２，２００台".parse::<Amount>().unwrap().text(), "約2,200");
        assert_eq!("100以上".parse::<Amount>().unwrap().with_unit("台"), "100台以上");
        assert_eq!("1.5万".parse::<Amount>().unwrap(), Amount::exact(15_000));
        assert_eq!("2億円".parse::<Amount>().unwrap(), Amount::exact(200_000_000));
        assert_eq!("不明".parse::<Amount>().unwrap(), Amount::unknown());
        assert!("たくさん".parse::<Amount>().is_err());
        assert!("1.5".parse::<Amount>().is_err());
        assert!("最大100以上".parse::<Amount>().is_err());
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct T {
            a: Amount,
            b: Amount,
        }
        let t: T = toml::from_str("a = 85000\nb = \"約2,200\"").unwrap();
        assert_eq!(t.a, Amount::exact(85_000));
        assert_eq!(toml::to_string(&t).unwrap(), "a = 85000\nb = \"約2,200\"\n");
        assert!(toml::from_str::<T>("a = -5\nb = 1").is_err());
    }

    #[test]
    fn sums_never_claim_more_than_the_parts() {
        let s = |v: &[&str]| {
            let parts: Vec<Amount> = v.iter().map(|x| x.parse().unwrap()).collect();
            Amount::sum(&parts).map(|a| a.text())
        };
        assert_eq!(s(&["6", "2"]), Some("8".into()));
        assert_eq!(s(&["6", "不明"]), Some("6以上".into()));
        assert_eq!(s(&["約2,200", "10"]), Some("約2,210".into()));
        assert_eq!(s(&["最大100", "5"]), Some("最大105".into()));
        assert_eq!(s(&["最大100", "5以上"]), Some("約105".into()));
        assert_eq!(s(&["不明"]), Some("不明".into()));
        assert_eq!(s(&[]), None);
    }

    #[test]
    fn enum_labels() {
        assert_eq!(Verification::from_label("不適合"), Some(Verification::Nonconform));
        assert_eq!(YesNo::labels(), vec!["はい", "いいえ"]);
        assert_eq!(toml::Value::try_from(Party::PpcPreliminary).unwrap().as_str(), Some("個人情報保護委員会（速報）"));
    }
}
