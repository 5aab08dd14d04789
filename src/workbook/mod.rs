//! The on-site field workbook (現地用ワークブック) and its re-import.
//!
//! [`write`] turns a case and the checklists into an .xlsx that inspectors and facilities fill
//! on site or on paper; [`import`] reads a filled workbook back and merges it into the case.
//! Both sides share the layout declared here: the scalar fields of the form sheets, their
//! tables, and the answer columns of the checklist sheets, each with one getter and one setter
//! on the model, so that `import(workbook(case)) == case`.

pub mod import;
pub mod write;

use crate::case::*;
use crate::checklist::AnswerKind;

/// Name of the hidden sheet that maps cells to the case, the checklists and their items.
pub const META_SHEET: &str = "_kensa";
/// Version of the workbook layout written by this kensa.
pub const WORKBOOK_FORMAT: &str = "1";
/// First cell of the hidden sheet, identifying a kensa workbook.
pub const META_MAGIC: &str = "kensa-workbook";
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

/// How a cell is filled and read back.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text (line breaks kept).
    Text,
    /// A date (real date cell in 和暦 format; text in any form kensa reads is accepted).
    Date,
    /// A date with optional time of day.
    Stamp,
    /// A non-negative whole number that fits u32 (empty = none).
    Num32,
    /// A non-negative whole number (empty = none).
    Num64,
    /// A count defaulting to 0 (empty = 0).
    Count,
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
    /// The input message shown in Excel when the cell is selected.
    pub fn hint(self) -> String {
        match self {
            Kind::Text => "文字で記入します。セル内の改行は Alt+Enter です。".into(),
            Kind::Date => "日付を記入します（例: 令和7年6月1日、R7.6.1、2025/6/1）。".into(),
            Kind::Stamp => {
                "日付と時刻を記入します（例: 令和6年5月19日 3:10、2024/5/19 3:10）。時刻は省略できます。".into()
            }
            Kind::Num32 | Kind::Num64 | Kind::Count => "0以上の整数を記入します（例: 85,000）。".into(),
            Kind::YesNo | Kind::Flag => "一覧から「はい」または「いいえ」を選びます（○・×も読めます）。".into(),
            Kind::Choice(f) => format!("一覧から選びます（{}）。", f().join("、")),
            Kind::Methods => {
                format!("確認方法を選びます。複数の場合は「、」で区切ります（{}）。", Method::labels().join("、"))
            }
            Kind::ItemRefs => {
                "チェックリスト項目の参照を記入します（例: mhlw-r7:2-06）。複数の場合は「、」で区切ります。".into()
            }
            Kind::Words => "複数の場合は「、」で区切るか、改行して記入します。".into(),
        }
    }
}

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

    /// Whether the value says nothing (an empty cell; for a flag, いいえ; for a count, 0).
    pub fn is_blank(&self, kind: Kind) -> bool {
        match (self, kind) {
            (Val::Empty, _) => true,
            (Val::Text(s), _) => s.trim().is_empty(),
            (Val::List(v), _) => v.is_empty(),
            (Val::Bool(false), Kind::Flag) => true,
            (Val::Num(0), Kind::Count) => true,
            _ => false,
        }
    }

    /// The value as shown in summaries.
    pub fn show(&self) -> String {
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

/// Text cut for one line of a summary.
pub fn short(s: &str) -> String {
    crate::text::short(s, 40)
}

/// A single field of a form sheet: label in column B, value in column C.
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub get: fn(&Case) -> Val,
    pub set: fn(&mut Case, &Val),
}

/// A column of a table or of a checklist sheet.
pub struct Col {
    pub header: &'static str,
    pub kind: Kind,
    /// A row with other values must fill this column (the model has no empty value for it).
    pub required: bool,
    pub width: f64,
}

const fn col(header: &'static str, kind: Kind, width: f64) -> Col {
    Col { header, kind, required: false, width }
}
const fn req(header: &'static str, kind: Kind, width: f64) -> Col {
    Col { header, kind, required: true, width }
}

/// A list of the case shown as a table with blank rows for additions.
pub struct Table {
    pub key: &'static str,
    pub title: &'static str,
    pub columns: &'static [Col],
    pub get: fn(&Case) -> Vec<Vec<Val>>,
    pub set: fn(&mut Case, Vec<Vec<Val>>),
}

/// Part of a form sheet.
pub enum Part {
    Group(&'static str, &'static [Field]),
    Table(&'static Table),
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

fn inc(c: &mut Case) -> &mut Incident {
    c.incident.get_or_insert_with(Incident::default)
}
fn dmg(c: &mut Case) -> &mut Damage {
    c.damage.get_or_insert_with(Damage::default)
}
fn paper(c: &mut Case) -> &mut Period {
    dmg(c).paper_operation.get_or_insert_with(Period::default)
}
fn resp(c: &mut Case) -> &mut Response {
    c.response.get_or_insert_with(Response::default)
}
fn rec(c: &mut Case) -> &mut Recovery {
    c.recovery.get_or_insert_with(Recovery::default)
}

fn v(row: &[Val], i: usize) -> &Val {
    row.get(i).unwrap_or(&Val::Empty)
}

fn incident_sheets(c: &Case) -> bool {
    c.is_incident()
        || c.incident.is_some()
        || c.damage.is_some()
        || c.response.is_some()
        || c.recovery.is_some()
        || !c.causes.is_empty()
        || !c.measures.is_empty()
}

// ---------------------------------------------------------------------------
// 概要
// ---------------------------------------------------------------------------

static FACILITY_FIELDS: [Field; 9] = [
    Field {
        key: "facility.name",
        label: "施設名",
        kind: Kind::Text,
        get: |c| Val::text(&c.facility.name),
        set: |c, x| c.facility.name = x.as_text(),
    },
    Field {
        key: "facility.kind",
        label: "種別",
        kind: Kind::Choice(FacilityKind::labels),
        get: |c| Val::label(c.facility.kind),
        set: |c, x| c.facility.kind = x.as_choice(FacilityKind::from_label),
    },
    Field {
        key: "facility.code",
        label: "医療機関コード（10桁）",
        kind: Kind::Text,
        get: |c| Val::text(&c.facility.code),
        set: |c, x| c.facility.code = x.as_text(),
    },
    Field {
        key: "facility.founder",
        label: "開設者",
        kind: Kind::Text,
        get: |c| Val::text(&c.facility.founder),
        set: |c, x| c.facility.founder = x.as_text(),
    },
    Field {
        key: "facility.manager",
        label: "管理者",
        kind: Kind::Text,
        get: |c| Val::text(&c.facility.manager),
        set: |c, x| c.facility.manager = x.as_text(),
    },
    Field {
        key: "facility.address",
        label: "所在地",
        kind: Kind::Text,
        get: |c| Val::text(&c.facility.address),
        set: |c, x| c.facility.address = x.as_text(),
    },
    Field {
        key: "facility.beds",
        label: "病床数",
        kind: Kind::Num32,
        get: |c| Val::num(c.facility.beds.map(u64::from)),
        set: |c, x| c.facility.beds = x.as_u32(),
    },
    Field {
        key: "facility.authority.name",
        label: "所管の自治体",
        kind: Kind::Text,
        get: |c| Val::text(&c.facility.authority.name),
        set: |c, x| c.facility.authority.name = x.as_text(),
    },
    Field {
        key: "facility.authority.office",
        label: "担当部署・保健所",
        kind: Kind::Text,
        get: |c| Val::text(&c.facility.authority.office),
        set: |c, x| c.facility.authority.office = x.as_text(),
    },
];

static SYSTEMS: Table = Table {
    key: "facility.systems",
    title: "医療情報システムとその事業者",
    columns: &[
        col("システム名", Kind::Text, 26.0),
        col("事業者（保守会社）", Kind::Text, 26.0),
        col("リモートメンテナンス", Kind::YesNo, 12.0),
        col("備考", Kind::Text, 40.0),
    ],
    get: |c| {
        c.facility
            .systems
            .iter()
            .map(|s| {
                vec![Val::text(&s.name), Val::text(&s.vendor), Val::yes_no(s.remote_maintenance), Val::text(&s.note)]
            })
            .collect()
    },
    set: |c, rows| {
        c.facility.systems = rows
            .iter()
            .map(|r| InfoSystem {
                name: v(r, 0).as_text(),
                vendor: v(r, 1).as_text(),
                remote_maintenance: v(r, 2).as_bool(),
                note: v(r, 3).as_text(),
            })
            .collect()
    },
};

static INSPECTION_FIELDS: [Field; 2] = [
    Field {
        key: "inspection.kind",
        label: "検査の種別",
        kind: Kind::Choice(InspectionKind::labels),
        get: |c| Val::label(c.inspection.kind),
        set: |c, x| c.inspection.kind = x.as_choice(InspectionKind::from_label),
    },
    Field {
        key: "inspection.note",
        label: "講評・備考",
        kind: Kind::Text,
        get: |c| Val::text(&c.inspection.note),
        set: |c, x| c.inspection.note = x.as_text(),
    },
];

static DATES: Table = Table {
    key: "inspection.dates",
    title: "実施日",
    columns: &[req("実施日", Kind::Date, 22.0)],
    get: |c| c.inspection.dates.iter().map(|d| vec![Val::Date(*d)]).collect(),
    set: |c, rows| c.inspection.dates = rows.iter().filter_map(|r| v(r, 0).as_date()).collect(),
};

static LEGAL_BASIS: Table = Table {
    key: "inspection.legal_basis",
    title: "根拠法令",
    columns: &[col("根拠法令（例: 医療法第25条第1項）", Kind::Text, 26.0)],
    get: |c| c.inspection.legal_basis.iter().map(|s| vec![Val::text(s)]).collect(),
    set: |c, rows| c.inspection.legal_basis = rows.iter().map(|r| v(r, 0).as_text()).collect(),
};

static CHECKLISTS: Table = Table {
    key: "inspection.checklists",
    title: "使用したチェックリスト",
    columns: &[col("チェックリストID", Kind::Text, 26.0)],
    get: |c| c.inspection.checklists.iter().map(|s| vec![Val::text(s)]).collect(),
    set: |c, rows| c.inspection.checklists = rows.iter().map(|r| v(r, 0).as_text()).collect(),
};

static DOCUMENTS: Table = Table {
    key: "inspection.documents",
    title: "確認した書類",
    columns: &[col("書類", Kind::Text, 26.0)],
    get: |c| c.inspection.documents.iter().map(|s| vec![Val::text(s)]).collect(),
    set: |c, rows| c.inspection.documents = rows.iter().map(|r| v(r, 0).as_text()).collect(),
};

static INSPECTORS: Table = Table {
    key: "inspection.inspectors",
    title: "医療監視員",
    columns: &[
        col("氏名", Kind::Text, 26.0),
        col("身分証明書の番号", Kind::Text, 26.0),
        col("証明書を提示（第25条第5項）", Kind::Flag, 12.0),
    ],
    get: |c| {
        c.inspection
            .inspectors
            .iter()
            .map(|i| vec![Val::text(&i.name), Val::text(&i.id_number), Val::Bool(i.id_shown)])
            .collect()
    },
    set: |c, rows| {
        c.inspection.inspectors = rows
            .iter()
            .map(|r| Inspector {
                name: v(r, 0).as_text(),
                id_number: v(r, 1).as_text(),
                id_shown: v(r, 2).as_bool().unwrap_or(false),
            })
            .collect()
    },
};

static ATTENDEES: Table = Table {
    key: "inspection.attendees",
    title: "施設側の立会者",
    columns: &[col("氏名", Kind::Text, 26.0), col("役職", Kind::Text, 26.0)],
    get: |c| c.inspection.attendees.iter().map(|a| vec![Val::text(&a.name), Val::text(&a.role)]).collect(),
    set: |c, rows| {
        c.inspection.attendees =
            rows.iter().map(|r| Attendee { name: v(r, 0).as_text(), role: v(r, 1).as_text() }).collect()
    },
};

// ---------------------------------------------------------------------------
// 時系列（事案の概要）
// ---------------------------------------------------------------------------

static INCIDENT_FIELDS: [Field; 7] = [
    Field {
        key: "incident.summary",
        label: "事案の概要",
        kind: Kind::Text,
        get: |c| Val::text(c.incident.as_ref().map(|i| i.summary.as_str()).unwrap_or("")),
        set: |c, x| inc(c).summary = x.as_text(),
    },
    Field {
        key: "incident.occurred_at",
        label: "発生日時",
        kind: Kind::Stamp,
        get: |c| Val::stamp(c.incident.as_ref().and_then(|i| i.occurred_at)),
        set: |c, x| inc(c).occurred_at = x.as_stamp(),
    },
    Field {
        key: "incident.detected_at",
        label: "覚知（検知）日時",
        kind: Kind::Stamp,
        get: |c| Val::stamp(c.incident.as_ref().and_then(|i| i.detected_at)),
        set: |c, x| inc(c).detected_at = x.as_stamp(),
    },
    Field {
        key: "incident.attack_type",
        label: "攻撃の種類",
        kind: Kind::Text,
        get: |c| Val::text(c.incident.as_ref().map(|i| i.attack_type.as_str()).unwrap_or("")),
        set: |c, x| inc(c).attack_type = x.as_text(),
    },
    Field {
        key: "incident.malware",
        label: "マルウェアの種類",
        kind: Kind::Text,
        get: |c| Val::text(c.incident.as_ref().map(|i| i.malware.as_str()).unwrap_or("")),
        set: |c, x| inc(c).malware = x.as_text(),
    },
    Field {
        key: "incident.entry_vector",
        label: "侵入経路",
        kind: Kind::Text,
        get: |c| Val::text(c.incident.as_ref().map(|i| i.entry_vector.as_str()).unwrap_or("")),
        set: |c, x| inc(c).entry_vector = x.as_text(),
    },
    Field {
        key: "incident.unlawful_intent",
        label: "不正の目的による漏えい等のおそれ",
        kind: Kind::Flag,
        get: |c| Val::Bool(c.incident.as_ref().is_some_and(|i| i.unlawful_intent)),
        set: |c, x| inc(c).unlawful_intent = x.as_bool().unwrap_or(false),
    },
];

fn events(list: &[Event]) -> Vec<Vec<Val>> {
    list.iter().map(|e| vec![Val::Stamp(e.at), Val::text(&e.text)]).collect()
}
fn to_events(rows: &[Vec<Val>]) -> Vec<Event> {
    rows.iter().filter_map(|r| Some(Event { at: v(r, 0).as_stamp()?, text: v(r, 1).as_text() })).collect()
}

static TIMELINE: Table = Table {
    key: "incident.timeline",
    title: "時系列",
    columns: &[req("日時", Kind::Stamp, 22.0), col("出来事", Kind::Text, 60.0)],
    get: |c| c.incident.as_ref().map(|i| events(&i.timeline)).unwrap_or_default(),
    set: |c, rows| inc(c).timeline = to_events(&rows),
};

// ---------------------------------------------------------------------------
// 被害状況
// ---------------------------------------------------------------------------

static DAMAGE_FIELDS: [Field; 5] = [
    Field {
        key: "damage.summary",
        label: "被害の概要",
        kind: Kind::Text,
        get: |c| Val::text(c.damage.as_ref().map(|d| d.summary.as_str()).unwrap_or("")),
        set: |c, x| dmg(c).summary = x.as_text(),
    },
    Field {
        key: "damage.estimated_cost_yen",
        label: "推計被害額（円）",
        kind: Kind::Num64,
        get: |c| Val::num(c.damage.as_ref().and_then(|d| d.estimated_cost_yen)),
        set: |c, x| dmg(c).estimated_cost_yen = x.as_num(),
    },
    Field {
        key: "damage.paper_operation.from",
        label: "紙運用の開始日",
        kind: Kind::Date,
        get: |c| Val::date(c.damage.as_ref().and_then(|d| d.paper_operation.as_ref()).and_then(|p| p.from)),
        set: |c, x| paper(c).from = x.as_date(),
    },
    Field {
        key: "damage.paper_operation.to",
        label: "紙運用の終了日",
        kind: Kind::Date,
        get: |c| Val::date(c.damage.as_ref().and_then(|d| d.paper_operation.as_ref()).and_then(|p| p.to)),
        set: |c, x| paper(c).to = x.as_date(),
    },
    Field {
        key: "damage.paper_operation.text",
        label: "紙運用の内容",
        kind: Kind::Text,
        get: |c| {
            Val::text(c.damage.as_ref().and_then(|d| d.paper_operation.as_ref()).map(|p| p.text.as_str()).unwrap_or(""))
        },
        set: |c, x| paper(c).text = x.as_text(),
    },
];

static AFFECTED: Table = Table {
    key: "damage.systems",
    title: "影響を受けたシステム",
    columns: &[
        col("システム名", Kind::Text, 26.0),
        col("サーバ（台）", Kind::Count, 10.0),
        col("端末PC（台）", Kind::Count, 10.0),
        col("備考", Kind::Text, 40.0),
    ],
    get: |c| {
        c.damage
            .as_ref()
            .map(|d| {
                d.systems
                    .iter()
                    .map(|s| {
                        vec![Val::text(&s.name), Val::Num(s.servers.into()), Val::Num(s.pcs.into()), Val::text(&s.note)]
                    })
                    .collect()
            })
            .unwrap_or_default()
    },
    set: |c, rows| {
        dmg(c).systems = rows
            .iter()
            .map(|r| AffectedSystem {
                name: v(r, 0).as_text(),
                servers: v(r, 1).as_u32().unwrap_or(0),
                pcs: v(r, 2).as_u32().unwrap_or(0),
                note: v(r, 3).as_text(),
            })
            .collect()
    },
};

static DATA: Table = Table {
    key: "damage.data",
    title: "暗号化・漏えい等したデータ",
    columns: &[
        req("状態", Kind::Choice(DataImpactKind::labels), 16.0),
        col("件数", Kind::Num64, 12.0),
        col("本人の数", Kind::Num64, 12.0),
        col("データの項目", Kind::Words, 30.0),
        col("備考", Kind::Text, 30.0),
    ],
    get: |c| {
        c.damage
            .as_ref()
            .map(|d| {
                d.data
                    .iter()
                    .map(|x| {
                        vec![
                            Val::label(Some(x.kind)),
                            Val::num(x.records),
                            Val::num(x.persons),
                            Val::list(&x.items),
                            Val::text(&x.note),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default()
    },
    set: |c, rows| {
        dmg(c).data = rows
            .iter()
            .filter_map(|r| {
                Some(DataImpact {
                    kind: v(r, 0).as_choice(DataImpactKind::from_label)?,
                    records: v(r, 1).as_num(),
                    persons: v(r, 2).as_num(),
                    items: v(r, 3).as_list(),
                    note: v(r, 4).as_text(),
                })
            })
            .collect()
    },
};

static CLINICAL: Table = Table {
    key: "damage.clinical",
    title: "診療への影響",
    columns: &[
        req("区分", Kind::Choice(ClinicalService::labels), 12.0),
        col("内容", Kind::Text, 36.0),
        col("停止・制限の開始日", Kind::Date, 18.0),
        col("再開日", Kind::Date, 18.0),
        col("件数", Kind::Num64, 10.0),
    ],
    get: |c| {
        c.damage
            .as_ref()
            .map(|d| {
                d.clinical
                    .iter()
                    .map(|x| {
                        vec![
                            Val::label(Some(x.service)),
                            Val::text(&x.text),
                            Val::date(x.from),
                            Val::date(x.to),
                            Val::num(x.count),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default()
    },
    set: |c, rows| {
        dmg(c).clinical = rows
            .iter()
            .filter_map(|r| {
                Some(ClinicalImpact {
                    service: v(r, 0).as_choice(ClinicalService::from_label)?,
                    text: v(r, 1).as_text(),
                    from: v(r, 2).as_date(),
                    to: v(r, 3).as_date(),
                    count: v(r, 4).as_num(),
                })
            })
            .collect()
    },
};

// ---------------------------------------------------------------------------
// 対応状況
// ---------------------------------------------------------------------------

static RESPONSE_FIELDS: [Field; 1] = [Field {
    key: "response.summary",
    label: "対応の概要",
    kind: Kind::Text,
    get: |c| Val::text(c.response.as_ref().map(|r| r.summary.as_str()).unwrap_or("")),
    set: |c, x| resp(c).summary = x.as_text(),
}];

static ACTIONS: Table = Table {
    key: "response.actions",
    title: "実施した対応",
    columns: &[req("日時", Kind::Stamp, 22.0), col("対応", Kind::Text, 60.0)],
    get: |c| c.response.as_ref().map(|r| events(&r.actions)).unwrap_or_default(),
    set: |c, rows| resp(c).actions = to_events(&rows),
};

static NOTIFICATIONS: Table = Table {
    key: "response.notifications",
    title: "連絡・報告",
    columns: &[
        req("相手", Kind::Choice(Party::labels), 26.0),
        req("日時", Kind::Stamp, 22.0),
        col("内容・相手先の詳細", Kind::Text, 44.0),
    ],
    get: |c| {
        c.response
            .as_ref()
            .map(|r| {
                r.notifications
                    .iter()
                    .map(|n| vec![Val::label(Some(n.party)), Val::Stamp(n.at), Val::text(&n.text)])
                    .collect()
            })
            .unwrap_or_default()
    },
    set: |c, rows| {
        resp(c).notifications = rows
            .iter()
            .filter_map(|r| {
                Some(Notification {
                    party: v(r, 0).as_choice(Party::from_label)?,
                    at: v(r, 1).as_stamp()?,
                    text: v(r, 2).as_text(),
                })
            })
            .collect()
    },
};

// ---------------------------------------------------------------------------
// 復旧状況
// ---------------------------------------------------------------------------

static RECOVERY_FIELDS: [Field; 2] = [
    Field {
        key: "recovery.summary",
        label: "復旧の概要",
        kind: Kind::Text,
        get: |c| Val::text(c.recovery.as_ref().map(|r| r.summary.as_str()).unwrap_or("")),
        set: |c, x| rec(c).summary = x.as_text(),
    },
    Field {
        key: "recovery.full_recovery_on",
        label: "全面復旧日",
        kind: Kind::Date,
        get: |c| Val::date(c.recovery.as_ref().and_then(|r| r.full_recovery_on)),
        set: |c, x| rec(c).full_recovery_on = x.as_date(),
    },
];

static RESTORED: Table = Table {
    key: "recovery.systems",
    title: "システムごとの復旧状況",
    columns: &[
        col("システム名", Kind::Text, 26.0),
        req("状況", Kind::Choice(RecoveryStatus::labels), 14.0),
        col("復旧日", Kind::Date, 18.0),
        col("備考", Kind::Text, 40.0),
    ],
    get: |c| {
        c.recovery
            .as_ref()
            .map(|r| {
                r.systems
                    .iter()
                    .map(|s| {
                        vec![
                            Val::text(&s.name),
                            Val::label(Some(s.status)),
                            Val::date(s.restored_on),
                            Val::text(&s.note),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default()
    },
    set: |c, rows| {
        rec(c).systems = rows
            .iter()
            .filter_map(|r| {
                Some(SystemRecovery {
                    name: v(r, 0).as_text(),
                    status: v(r, 1).as_choice(RecoveryStatus::from_label)?,
                    restored_on: v(r, 2).as_date(),
                    note: v(r, 3).as_text(),
                })
            })
            .collect()
    },
};

static BACKUPS: Table = Table {
    key: "recovery.backups",
    title: "使用したバックアップ",
    columns: &[
        col("名称・媒体", Kind::Text, 26.0),
        col("取得日", Kind::Date, 18.0),
        col("オフライン保管", Kind::YesNo, 12.0),
        col("復旧に使えた", Kind::YesNo, 12.0),
        col("備考", Kind::Text, 36.0),
    ],
    get: |c| {
        c.recovery
            .as_ref()
            .map(|r| {
                r.backups
                    .iter()
                    .map(|b| {
                        vec![
                            Val::text(&b.name),
                            Val::date(b.taken_on),
                            Val::yes_no(b.offline),
                            Val::yes_no(b.used),
                            Val::text(&b.note),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default()
    },
    set: |c, rows| {
        rec(c).backups = rows
            .iter()
            .map(|r| Backup {
                name: v(r, 0).as_text(),
                taken_on: v(r, 1).as_date(),
                offline: v(r, 2).as_bool(),
                used: v(r, 3).as_bool(),
                note: v(r, 4).as_text(),
            })
            .collect()
    },
};

// ---------------------------------------------------------------------------
// 再発防止策・指導事項・証跡
// ---------------------------------------------------------------------------

static CAUSES: Table = Table {
    key: "causes",
    title: "原因",
    columns: &[col("原因", Kind::Text, 50.0), col("関係するチェックリスト項目", Kind::ItemRefs, 26.0)],
    get: |c| c.causes.iter().map(|x| vec![Val::text(&x.text), Val::list(&x.items)]).collect(),
    set: |c, rows| {
        c.causes = rows.iter().map(|r| Cause { text: v(r, 0).as_text(), items: v(r, 1).as_items() }).collect()
    },
};

static MEASURES: Table = Table {
    key: "measures",
    title: "再発防止策",
    columns: &[
        col("内容", Kind::Text, 50.0),
        col("区分", Kind::Choice(MeasureCategory::labels), 14.0),
        col("関係するチェックリスト項目", Kind::ItemRefs, 26.0),
        col("担当", Kind::Text, 20.0),
        col("期限", Kind::Date, 18.0),
        col("状況", Kind::Choice(MeasureStatus::labels), 10.0),
        col("完了日", Kind::Date, 18.0),
    ],
    get: |c| {
        c.measures
            .iter()
            .map(|m| {
                vec![
                    Val::text(&m.text),
                    Val::label(m.category),
                    Val::list(&m.items),
                    Val::text(&m.owner),
                    Val::date(m.due),
                    Val::label(m.status),
                    Val::date(m.completed_on),
                ]
            })
            .collect()
    },
    set: |c, rows| {
        c.measures = rows
            .iter()
            .map(|r| Measure {
                text: v(r, 0).as_text(),
                category: v(r, 1).as_choice(MeasureCategory::from_label),
                items: v(r, 2).as_items(),
                owner: v(r, 3).as_text(),
                due: v(r, 4).as_date(),
                status: v(r, 5).as_choice(MeasureStatus::from_label),
                completed_on: v(r, 6).as_date(),
            })
            .collect()
    },
};

static GUIDANCE: Table = Table {
    key: "guidance",
    title: "指導事項",
    columns: &[
        req("種別", Kind::Choice(GuidanceKind::labels), 12.0),
        col("内容", Kind::Text, 50.0),
        col("関係するチェックリスト項目", Kind::ItemRefs, 26.0),
        col("指導日", Kind::Date, 18.0),
        col("回答（報告）期限", Kind::Date, 18.0),
        col("改善計画書を求めた", Kind::Flag, 12.0),
        col("第25条第1項の報告を求めた", Kind::Flag, 12.0),
    ],
    get: |c| {
        c.guidance
            .iter()
            .map(|g| {
                vec![
                    Val::label(Some(g.kind)),
                    Val::text(&g.text),
                    Val::list(&g.items),
                    Val::date(g.given_on),
                    Val::date(g.reply_due),
                    Val::Bool(g.plan_requested),
                    Val::Bool(g.report_requested),
                ]
            })
            .collect()
    },
    set: |c, rows| {
        c.guidance = rows
            .iter()
            .filter_map(|r| {
                Some(Guidance {
                    kind: v(r, 0).as_choice(GuidanceKind::from_label)?,
                    text: v(r, 1).as_text(),
                    items: v(r, 2).as_items(),
                    given_on: v(r, 3).as_date(),
                    reply_due: v(r, 4).as_date(),
                    plan_requested: v(r, 5).as_bool().unwrap_or(false),
                    report_requested: v(r, 6).as_bool().unwrap_or(false),
                })
            })
            .collect()
    },
};

static EVIDENCE: Table = Table {
    key: "evidence",
    title: "証跡",
    columns: &[
        col("証跡ID", Kind::Text, 12.0),
        col("ファイル名（事案フォルダからの相対パス）", Kind::Text, 30.0),
        col("SHA-256", Kind::Text, 30.0),
        col("収集日時", Kind::Stamp, 22.0),
        col("収集者", Kind::Text, 16.0),
        col("説明", Kind::Text, 40.0),
    ],
    get: |c| {
        c.evidence
            .iter()
            .map(|e| {
                vec![
                    Val::text(&e.id),
                    Val::text(&e.file),
                    Val::text(&e.sha256),
                    Val::stamp(e.collected_at),
                    Val::text(&e.collected_by),
                    Val::text(&e.description),
                ]
            })
            .collect()
    },
    set: |c, rows| {
        c.evidence = rows
            .iter()
            .map(|r| Evidence {
                id: v(r, 0).as_text(),
                file: v(r, 1).as_text(),
                sha256: v(r, 2).as_text(),
                collected_at: v(r, 3).as_stamp(),
                collected_by: v(r, 4).as_text(),
                description: v(r, 5).as_text(),
            })
            .collect()
    },
};

/// The form sheets, in workbook order (checklist sheets come after the first).
pub static FORM_SHEETS: [FormSheet; 8] = [
    FormSheet {
        name: "概要",
        title: "施設・検査の概要",
        landscape: false,
        parts: &[
            Part::Group("施設", &FACILITY_FIELDS),
            Part::Table(&SYSTEMS),
            Part::Group("検査", &INSPECTION_FIELDS),
            Part::Table(&DATES),
            Part::Table(&INSPECTORS),
            Part::Table(&ATTENDEES),
            Part::Table(&DOCUMENTS),
            Part::Table(&LEGAL_BASIS),
            Part::Table(&CHECKLISTS),
        ],
        wanted: |_| true,
    },
    FormSheet {
        name: "時系列",
        title: "事案の概要・時系列",
        landscape: false,
        parts: &[Part::Group("事案の概要", &INCIDENT_FIELDS), Part::Table(&TIMELINE)],
        wanted: incident_sheets,
    },
    FormSheet {
        name: "被害状況",
        title: "被害状況",
        landscape: true,
        parts: &[
            Part::Group("被害の概要", &DAMAGE_FIELDS),
            Part::Table(&AFFECTED),
            Part::Table(&DATA),
            Part::Table(&CLINICAL),
        ],
        wanted: incident_sheets,
    },
    FormSheet {
        name: "対応状況",
        title: "対応状況",
        landscape: true,
        parts: &[Part::Group("対応の概要", &RESPONSE_FIELDS), Part::Table(&ACTIONS), Part::Table(&NOTIFICATIONS)],
        wanted: incident_sheets,
    },
    FormSheet {
        name: "復旧状況",
        title: "復旧状況",
        landscape: true,
        parts: &[Part::Group("復旧の概要", &RECOVERY_FIELDS), Part::Table(&RESTORED), Part::Table(&BACKUPS)],
        wanted: incident_sheets,
    },
    FormSheet {
        name: "再発防止策",
        title: "原因・再発防止策",
        landscape: true,
        parts: &[Part::Table(&CAUSES), Part::Table(&MEASURES)],
        wanted: incident_sheets,
    },
    FormSheet {
        name: "指導事項",
        title: "指導事項",
        landscape: true,
        parts: &[Part::Table(&GUIDANCE)],
        wanted: |_| true,
    },
    FormSheet { name: "証跡", title: "証跡", landscape: true, parts: &[Part::Table(&EVIDENCE)], wanted: |_| true },
];

/// Every scalar field of the form sheets.
pub fn fields() -> impl Iterator<Item = &'static Field> {
    FORM_SHEETS.iter().flat_map(|s| s.parts.iter()).flat_map(|p| match p {
        Part::Group(_, f) => f.iter(),
        Part::Table(_) => [].iter(),
    })
}

/// Every table of the form sheets.
pub fn tables() -> impl Iterator<Item = &'static Table> {
    FORM_SHEETS.iter().flat_map(|s| s.parts.iter()).filter_map(|p| match p {
        Part::Table(t) => Some(*t),
        Part::Group(..) => None,
    })
}

/// The sheet a field or table key lives on.
pub fn sheet_of(key: &str) -> Option<&'static FormSheet> {
    FORM_SHEETS.iter().find(|s| {
        s.parts.iter().any(|p| match p {
            Part::Group(_, f) => f.iter().any(|f| f.key == key),
            Part::Table(t) => t.key == key,
        })
    })
}

/// Optional sections of the case whose presence the hidden sheet records.
pub const SECTIONS: [&str; 5] = ["incident", "damage", "response", "recovery", "damage.paper_operation"];

pub fn section_present(c: &Case, name: &str) -> bool {
    match name {
        "incident" => c.incident.is_some(),
        "damage" => c.damage.is_some(),
        "response" => c.response.is_some(),
        "recovery" => c.recovery.is_some(),
        "damage.paper_operation" => c.damage.as_ref().is_some_and(|d| d.paper_operation.is_some()),
        _ => false,
    }
}

/// Creates an optional section; returns whether it was missing.
pub fn ensure_section(c: &mut Case, name: &str) -> bool {
    let missing = !section_present(c, name);
    match name {
        "incident" => {
            inc(c);
        }
        "damage" => {
            dmg(c);
        }
        "response" => {
            resp(c);
        }
        "recovery" => {
            rec(c);
        }
        "damage.paper_operation" => {
            paper(c);
        }
        _ => {}
    }
    missing
}

pub fn section_label(name: &str) -> &'static str {
    match name {
        "incident" => "事案の概要",
        "damage" => "被害状況",
        "response" => "対応状況",
        "recovery" => "復旧状況",
        "damage.paper_operation" => "紙運用",
        _ => "",
    }
}

// ---------------------------------------------------------------------------
// Checklist sheets
// ---------------------------------------------------------------------------

/// An input column of a checklist sheet.
pub struct AnswerCol {
    pub key: &'static str,
    pub header: &'static str,
    pub kind: Kind,
    pub width: f64,
    /// Filled by the facility (shown in the self-check workbook).
    pub facility: bool,
    /// Item kinds the column is meant for (others get a grey cell).
    pub applies: fn(AnswerKind) -> bool,
    pub get: fn(&Answer) -> Val,
    pub set: fn(&mut Answer, &Val),
}

pub static ANSWER_COLS: [AnswerCol; 9] = [
    AnswerCol {
        key: "answer",
        header: "回答（はい／いいえ）",
        kind: Kind::YesNo,
        width: 9.0,
        facility: true,
        applies: |k| k == AnswerKind::Yesno,
        get: |a| Val::yes_no(a.answer.map(|x| x == YesNo::Yes)),
        set: |a, x| a.answer = x.as_bool().map(|b| if b { YesNo::Yes } else { YesNo::No }),
    },
    AnswerCol {
        key: "confirmed_on",
        header: "確認日",
        kind: Kind::Date,
        width: 17.0,
        facility: true,
        applies: |k| k == AnswerKind::Yesno,
        get: |a| Val::date(a.confirmed_on),
        set: |a, x| a.confirmed_on = x.as_date(),
    },
    AnswerCol {
        key: "target_on",
        header: "目標日（「いいえ」の場合）",
        kind: Kind::Date,
        width: 17.0,
        facility: true,
        applies: |k| k == AnswerKind::Yesno,
        get: |a| Val::date(a.target_on),
        set: |a, x| a.target_on = x.as_date(),
    },
    AnswerCol {
        key: "verification",
        header: "確認結果（検査員）",
        kind: Kind::Choice(Verification::labels),
        width: 10.0,
        facility: false,
        applies: |k| matches!(k, AnswerKind::Yesno | AnswerKind::Verify),
        get: |a| Val::label(a.verification),
        set: |a, x| a.verification = x.as_choice(Verification::from_label),
    },
    AnswerCol {
        key: "done",
        header: "実施状況",
        kind: Kind::Choice(Done::labels),
        width: 9.0,
        facility: false,
        applies: |k| k == AnswerKind::Done,
        get: |a| Val::label(a.done),
        set: |a, x| a.done = x.as_choice(Done::from_label),
    },
    AnswerCol {
        key: "text",
        header: "記述回答",
        kind: Kind::Text,
        width: 32.0,
        facility: false,
        applies: |k| k == AnswerKind::Text,
        get: |a| Val::text(&a.text),
        set: |a, x| a.text = x.as_text(),
    },
    AnswerCol {
        key: "method",
        header: "確認方法",
        kind: Kind::Methods,
        width: 10.0,
        facility: false,
        applies: |_| true,
        get: |a| Val::list(&a.method),
        set: |a, x| a.method = x.as_methods(),
    },
    AnswerCol {
        key: "note",
        header: "メモ（検査員）",
        kind: Kind::Text,
        width: 28.0,
        facility: false,
        applies: |_| true,
        get: |a| Val::text(&a.note),
        set: |a, x| a.note = x.as_text(),
    },
    AnswerCol {
        key: "evidence",
        header: "証跡ID",
        kind: Kind::Words,
        width: 9.0,
        facility: false,
        applies: |_| true,
        get: |a| Val::list(&a.evidence),
        set: |a, x| a.evidence = x.as_list(),
    },
];

/// Label columns of a checklist sheet, after the hidden key column.
pub const LABEL_HEADERS: [&str; 6] = ["番号", "区分", "項目", "対象機器", "ガイドライン", "確認方法（標準）"];

/// Spreadsheet column letters: 0 → A, 26 → AA.
pub fn col_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A1-style name of a 0-based cell.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", col_name(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 5), "F12");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(27), "AB");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }

    #[test]
    fn every_field_round_trips_through_its_setter() {
        let mut c = Case::default();
        for f in fields() {
            let val = match f.kind {
                Kind::Text => Val::Text(format!("{}の値", f.label)),
                Kind::Date => Val::Date(Date::ymd(2025, 6, 1).unwrap()),
                Kind::Stamp => Val::Stamp("2024-05-19 03:10".parse().unwrap()),
                Kind::Num32 | Kind::Num64 | Kind::Count => Val::Num(85_000),
                Kind::YesNo | Kind::Flag => Val::Bool(true),
                Kind::Choice(l) => Val::Text(l()[1].to_string()),
                _ => continue,
            };
            (f.set)(&mut c, &val);
            assert_eq!((f.get)(&c), val, "{}", f.key);
        }
        assert!(c.incident.is_some() && c.damage.as_ref().is_some_and(|d| d.paper_operation.is_some()));
    }

    #[test]
    fn keys_are_unique_and_sheets_found() {
        let mut keys: Vec<&str> = fields().map(|f| f.key).chain(tables().map(|t| t.key)).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
        assert_eq!(sheet_of("incident.timeline").map(|s| s.name), Some("時系列"));
        assert_eq!(sheet_of("facility.name").map(|s| s.name), Some("概要"));
    }

    #[test]
    fn text_is_compared_as_a_cell_holds_it() {
        assert_eq!(Val::text("a\r\nb"), Val::Text("a\nb".into()));
        assert_eq!(Val::text("a\u{7}b"), Val::Text("ab".into()));
        assert_eq!(Val::text("\u{7}"), Val::Empty);
        assert_eq!(Val::text(&"あ".repeat(40_000)), Val::Text("あ".repeat(crate::xlsx::MAX_CELL_CHARS)));
    }

    #[test]
    fn blank_values() {
        assert!(Val::Bool(false).is_blank(Kind::Flag));
        assert!(!Val::Bool(false).is_blank(Kind::YesNo));
        assert!(Val::Num(0).is_blank(Kind::Count));
        assert!(!Val::Num(0).is_blank(Kind::Num64));
        assert!(Val::Text("  ".into()).is_blank(Kind::Text));
    }
}
