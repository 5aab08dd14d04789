//! The investigation report for MHLW (report.md, report.xlsx, report.html).
//!
//! A view model ([`Report`]) is built once from the case and the checklists: every number,
//! date string, day count and result count the outputs show. Case text enters the view model
//! through [`Text`], which carries the raw text (for Excel) and the text already escaped for
//! Markdown (what templates see), so a template cannot forget to escape. [`write_reports`]
//! renders every output in memory first and only then writes the files, each atomically.

pub mod html;
pub mod markdown;
pub mod xlsx;

use crate::case::store::{write_all_atomic, LoadedCase};
use crate::case::*;
use crate::checklist::{AnswerKind, Item, Registry};
use crate::error::{Error, Result};
use crate::text::{md_block, md_cell, md_inline, thousands};
use chrono::NaiveDateTime;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Default addressee: the MHLW desk in charge since 2022 (DOMAIN §5).
pub const DEFAULT_ADDRESSEE: &str = "厚生労働省医政局特定医薬品開発支援・医療情報担当参事官室";
/// The MHLW notice the report answers.
pub const NOTICE: &str = "平成30年10月29日付け医政総発1029第1号・医政地発1029第3号・医政研発1029第1号「医療機関等におけるサイバーセキュリティ対策の強化について」";
/// How days after detection are counted.
pub const DAYS_NOTE: &str = "覚知からの日数は、覚知日を0日目として数えた暦日数です。";

/// File names of the outputs.
pub const MD_FILE: &str = "report.md";
pub const HTML_FILE: &str = "report.html";
pub const XLSX_FILE: &str = "report.xlsx";

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// 令和7年6月1日
    #[default]
    Wareki,
    /// 2025-06-01
    Iso,
}

/// An output file kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutputFormat {
    Xlsx,
    Md,
    Html,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 3] = [OutputFormat::Xlsx, OutputFormat::Md, OutputFormat::Html];

    pub fn file_name(self) -> &'static str {
        match self {
            OutputFormat::Xlsx => XLSX_FILE,
            OutputFormat::Md => MD_FILE,
            OutputFormat::Html => HTML_FILE,
        }
    }

    /// `xlsx`, `md` (or `markdown`), `html`.
    pub fn parse(s: &str) -> Option<OutputFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" | "excel" => Some(OutputFormat::Xlsx),
            "md" | "markdown" => Some(OutputFormat::Md),
            "html" | "htm" => Some(OutputFormat::Html),
            _ => None,
        }
    }
}

/// Checked options of one report run.
#[derive(Debug, Clone)]
pub struct Options {
    pub out_dir: PathBuf,
    pub formats: Vec<OutputFormat>,
    pub templates: Option<PathBuf>,
    pub date_style: DateStyle,
    pub addressee: String,
    pub generated_at: NaiveDateTime,
    /// Write single digits full-width (令和７年６月１日), a habit of some authorities.
    pub zenkaku_digits: bool,
}

/// Case text with its Markdown-escaped form. Templates see only the escaped form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    pub raw: String,
    md: String,
}

impl Text {
    /// Text for a sentence or heading: line breaks become spaces.
    pub fn inline(s: &str) -> Text {
        Text { raw: s.trim().to_string(), md: md_inline(s.trim()) }
    }
    /// Text for a table cell: line breaks become `／`, empty becomes `－`.
    pub fn cell(s: &str) -> Text {
        Text { raw: s.trim().to_string(), md: md_cell(s) }
    }
    /// Multi-line text: lines kept (hard line breaks), blank lines separating paragraphs.
    pub fn block(s: &str) -> Text {
        Text { raw: s.trim().to_string(), md: md_block(s) }
    }
    pub fn md(&self) -> &str {
        &self.md
    }
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.md)
    }
}

/// A date or date-time with its text in the chosen style. Templates see the text (`－` when
/// unknown); the workbook writes the value as a real date cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct When {
    pub value: Option<Stamp>,
    pub text: String,
}

impl When {
    fn stamp(s: Option<Stamp>, style: DateStyle) -> When {
        let text = match (s, style) {
            (Some(s), DateStyle::Wareki) => s.wareki(),
            (Some(s), DateStyle::Iso) => s.iso(),
            (None, _) => "－".to_string(),
        };
        When { value: s, text }
    }
    fn date(d: Option<Date>, style: DateStyle) -> When {
        When::stamp(d.map(|d| Stamp::day(d.0)), style)
    }
    pub fn date_value(&self) -> Option<Date> {
        self.value.map(|s| Date(s.date))
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// Calendar days from the detection date to `date` (the detection date is day 0).
pub fn days_after(detected: Option<Stamp>, date: Option<Stamp>) -> Option<i64> {
    Some((date?.date - detected?.date).num_days())
}

/// A label and a value (one row of an overview table).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: String,
    pub value: Text,
}

/// A numbered major section (第1, 第2, …) that applies to this case.
#[derive(Debug, Clone, Serialize)]
pub struct SectionRef {
    pub key: &'static str,
    pub number: String,
    pub title: &'static str,
}

/// Keys and titles of the major sections, in report order.
pub const SECTIONS: [(&str, &str); 10] = [
    ("facility", "施設の概要"),
    ("inspection", "調査（立入検査）の概要"),
    ("incident", "事案の概要"),
    ("damage", "被害状況"),
    ("response", "対応状況"),
    ("recovery", "復旧状況"),
    ("measures", "再発防止策"),
    ("checklist", "チェックリストの確認結果"),
    ("guidance", "指導事項"),
    ("evidence", "証跡一覧"),
];

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: Text,
    pub kind: String,
    pub is_incident: bool,
    pub addressee: Text,
    pub sender: Text,
    pub authority: Text,
    pub office: Text,
    pub date: String,
    pub case_id: Text,
    pub facility_name: Text,
    pub notice: &'static str,
    pub days_note: &'static str,
    pub sections: Vec<SectionRef>,
    /// Section key → `第N`.
    pub no: BTreeMap<&'static str, String>,
    pub facility: FacilityView,
    pub inspection: InspectionView,
    pub incident: Option<IncidentView>,
    pub damage: Option<DamageView>,
    pub response: Option<ResponseView>,
    pub recovery: Option<RecoveryView>,
    pub measures: Vec<MeasureView>,
    pub checklist: ChecklistView,
    pub guidance: Vec<GuidanceView>,
    pub evidence: Vec<EvidenceView>,
    pub closing: Closing,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacilityView {
    pub rows: Vec<Row>,
    pub systems: Vec<SystemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemView {
    pub name: Text,
    pub vendor: Text,
    pub remote: &'static str,
    pub note: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct InspectionView {
    pub kind: String,
    pub legal_basis: Vec<Text>,
    pub dates: Vec<When>,
    pub inspectors: Vec<InspectorView>,
    pub attendees: Vec<AttendeeView>,
    pub documents: Vec<Text>,
    pub checklists: Vec<Text>,
    pub note: Text,
    pub all_id_shown: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct InspectorView {
    pub name: Text,
    pub id_number: Text,
    pub id_shown: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttendeeView {
    pub name: Text,
    pub role: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    pub summary: Text,
    pub rows: Vec<Row>,
    pub timeline: Vec<EventView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub at: When,
    pub days: Option<i64>,
    pub text: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct DamageView {
    pub summary: Text,
    pub systems: Vec<AffectedView>,
    pub total_servers: u64,
    pub total_pcs: u64,
    pub data: Vec<DataView>,
    pub clinical: Vec<ClinicalView>,
    pub paper: Option<PeriodView>,
    pub cost_yen: Option<u64>,
    pub is_empty: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AffectedView {
    pub name: Text,
    pub servers: u64,
    pub pcs: u64,
    pub note: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataView {
    pub kind: &'static str,
    pub records: Option<u64>,
    pub persons: Option<u64>,
    pub items: Text,
    pub note: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClinicalView {
    pub service: &'static str,
    pub text: Text,
    pub from: When,
    pub to: When,
    pub from_days: Option<i64>,
    pub to_days: Option<i64>,
    pub count: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub from: When,
    pub to: When,
    pub to_days: Option<i64>,
    pub text: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseView {
    pub summary: Text,
    pub actions: Vec<EventView>,
    pub notifications: Vec<NotificationView>,
    /// The first MHLW report and the APPI reports (速報・確報) against their time limits.
    pub deadlines: Vec<Deadline>,
    pub is_empty: bool,
}

/// A report that has (or has a guide for) a time limit counted from detection.
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub party: &'static str,
    pub at: When,
    pub days: Option<i64>,
    /// `目安は5日以内` / `期限は60日以内` / empty where the law sets no number of days.
    pub limit: String,
    pub late: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotificationView {
    pub party: &'static str,
    pub at: When,
    pub days: Option<i64>,
    pub text: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecoveryView {
    pub summary: Text,
    pub full_recovery: When,
    pub full_recovery_days: Option<i64>,
    pub systems: Vec<SystemRecoveryView>,
    pub backups: Vec<BackupView>,
    pub is_empty: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemRecoveryView {
    pub name: Text,
    pub status: &'static str,
    pub restored: When,
    pub days: Option<i64>,
    pub note: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupView {
    pub name: Text,
    pub taken: When,
    pub offline: &'static str,
    pub used: &'static str,
    pub note: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureView {
    pub text: Text,
    pub category: &'static str,
    pub items: Text,
    pub owner: Text,
    pub due: When,
    pub status: &'static str,
    pub completed: When,
}

/// One checklist item as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLabel {
    /// `医療機関等確認用 2-⑤` (sheet and number), or the raw reference for an unknown item.
    pub label: Text,
    pub text: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub label: &'static str,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistSummary {
    pub id: Text,
    pub title: Text,
    pub items: u64,
    /// 適合／一部適合／不適合／該当なし／未確認 over the items answered はい／いいえ or verified.
    pub verification: Vec<Count>,
    pub verified_items: u64,
    /// はい／いいえ／未回答 over the はい／いいえ items.
    pub answers: Vec<Count>,
    pub yesno_items: u64,
    /// 実施／未実施／該当なし／未記録 over procedure steps.
    pub done: Vec<Count>,
    pub done_items: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailedItem {
    pub checklist: Text,
    pub label: Text,
    pub text: Text,
    pub answer: &'static str,
    pub verification: &'static str,
    pub confirmed: When,
    pub target: When,
    pub guideline: Text,
    pub note: Text,
    pub causes: Vec<usize>,
    pub guidance: Vec<usize>,
}

/// The failed items of one checklist.
#[derive(Debug, Clone, Serialize)]
pub struct FailedGroup {
    pub checklist: Text,
    pub items: Vec<FailedItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    pub checklist: Text,
    pub label: Text,
    pub text: Text,
    pub answer: &'static str,
    pub confirmed: When,
    pub target: When,
    pub verification: &'static str,
    pub done: &'static str,
    pub method: Text,
    pub guideline: Text,
    pub note: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseView {
    pub text: Text,
    pub items: Vec<ItemLabel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    pub summaries: Vec<ChecklistSummary>,
    /// Items answered いいえ (other than the gate item) or verified 不適合, by checklist.
    pub failed: Vec<FailedGroup>,
    pub failed_count: u64,
    pub causes: Vec<CauseView>,
    /// Every answered item of the case (for the workbook).
    pub rows: Vec<ResultRow>,
    /// Totals over all checklists of 適合…未確認 (for the chart).
    pub totals: Vec<Count>,
    pub gate_no: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GuidanceView {
    pub kind: &'static str,
    pub text: Text,
    pub items: Vec<ItemLabel>,
    pub items_text: Text,
    pub given: When,
    pub reply_due: When,
    pub requests: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub id: Text,
    pub file: Text,
    pub sha256: Text,
    pub collected: When,
    pub collected_by: Text,
    pub description: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    pub case_file: Text,
    pub sha256: String,
    pub version: &'static str,
    pub generated_at: String,
    #[serde(skip)]
    pub generated_at_value: NaiveDateTime,
}

fn yes_no_unknown(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "あり",
        Some(false) => "なし",
        None => "－",
    }
}

fn label_or_dash<T: Copy>(v: Option<T>, f: impl Fn(T) -> &'static str) -> &'static str {
    v.map(f).unwrap_or("－")
}

/// Guideline references in the form of the official manual: `▶企画管理編 9.1 ▶システム運用編 13⑪`.
pub fn guideline_refs(refs: &[String]) -> String {
    refs.iter().map(|r| format!("▶{r}")).collect::<Vec<_>>().join(" ")
}

/// Builds the view model.
pub fn build(loaded: &LoadedCase, reg: &Registry, opts: &Options) -> Report {
    let case = &loaded.case;
    let style = opts.date_style;
    let detected = case.incident.as_ref().and_then(|i| i.detected_at);
    let is_incident = case.is_incident();
    let unlawful = case.incident.as_ref().is_some_and(|i| i.unlawful_intent);

    let facility = facility_view(case);
    let inspection = inspection_view(case, reg, style);
    let incident = case
        .incident
        .as_ref()
        .map(|i| incident_view(i, style))
        .or_else(|| is_incident.then(|| incident_view(&Incident::default(), style)));
    let damage = case
        .damage
        .as_ref()
        .map(|d| damage_view(d, detected, style))
        .or_else(|| is_incident.then(|| damage_view(&Damage::default(), detected, style)));
    let response = case
        .response
        .as_ref()
        .map(|r| response_view(r, detected, unlawful, style))
        .or_else(|| is_incident.then(|| response_view(&Response::default(), detected, unlawful, style)));
    let recovery = case
        .recovery
        .as_ref()
        .map(|r| recovery_view(r, detected, style))
        .or_else(|| is_incident.then(|| recovery_view(&Recovery::default(), detected, style)));
    let measures: Vec<MeasureView> = case.measures.iter().map(|m| measure_view(m, reg, style)).collect();
    let checklist = checklist_view(case, reg, style);
    let guidance: Vec<GuidanceView> = case.guidance.iter().map(|g| guidance_view(g, reg, style)).collect();
    let evidence: Vec<EvidenceView> = case
        .evidence
        .iter()
        .map(|e| EvidenceView {
            id: Text::cell(&e.id),
            file: Text::cell(&e.file),
            sha256: Text::cell(&e.sha256),
            collected: When::stamp(e.collected_at, style),
            collected_by: Text::cell(&e.collected_by),
            description: Text::cell(&e.description),
        })
        .collect();

    let applies = |key: &str| match key {
        "facility" | "inspection" => true,
        "incident" => incident.is_some(),
        "damage" => damage.is_some(),
        "response" => response.is_some(),
        "recovery" => recovery.is_some(),
        "measures" => is_incident || !measures.is_empty(),
        "checklist" => !checklist.rows.is_empty(),
        "guidance" => !guidance.is_empty(),
        "evidence" => !evidence.is_empty(),
        _ => false,
    };
    let mut sections = Vec::new();
    let mut no = BTreeMap::new();
    for (key, title) in SECTIONS {
        if applies(key) {
            let number = format!("第{}", sections.len() + 1);
            no.insert(key, number.clone());
            sections.push(SectionRef { key, number, title });
        }
    }

    let authority = case.facility.authority.name.trim();
    let office = case.facility.authority.office.trim();
    let sender = match (authority.is_empty(), office.is_empty()) {
        (false, false) if office.starts_with(authority) => office.to_string(),
        (false, false) => format!("{authority}（{office}）"),
        (false, true) => authority.to_string(),
        (true, false) => office.to_string(),
        (true, true) => String::new(),
    };
    let title = if is_incident {
        "医療機関等におけるサイバー攻撃事案に係る調査の結果について（報告）"
    } else {
        "医療機関等におけるサイバーセキュリティ対策に係る立入検査の結果について（報告）"
    };
    let generated = opts.generated_at;
    let date = match style {
        DateStyle::Wareki => crate::wareki::format(generated.date()),
        DateStyle::Iso => generated.date().format("%Y-%m-%d").to_string(),
    };
    let generated_text = match style {
        DateStyle::Wareki => format!("{} {}", crate::wareki::format(generated.date()), generated.format("%H:%M:%S")),
        DateStyle::Iso => generated.format("%Y-%m-%d %H:%M:%S").to_string(),
    };
    let case_file = loaded.path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();

    Report {
        title: Text::inline(title),
        kind: case.inspection.kind.map(|k| k.label().to_string()).unwrap_or_else(|| "－".into()),
        is_incident,
        addressee: Text::inline(&opts.addressee),
        sender: Text::inline(&sender),
        authority: Text::inline(authority),
        office: Text::inline(office),
        date,
        case_id: Text::cell(&case.case_id),
        facility_name: Text::inline(&case.facility.name),
        notice: NOTICE,
        days_note: DAYS_NOTE,
        sections,
        no,
        facility,
        inspection,
        incident,
        damage,
        response,
        recovery,
        measures,
        checklist,
        guidance,
        evidence,
        closing: Closing {
            case_file: Text::inline(&case_file),
            sha256: loaded.sha256(),
            version: env!("CARGO_PKG_VERSION"),
            generated_at: generated_text,
            generated_at_value: generated,
        },
    }
}

fn facility_view(case: &Case) -> FacilityView {
    let f = &case.facility;
    let mut rows = vec![Row { label: "施設名".into(), value: Text::cell(&f.name) }];
    let mut push = |label: &str, v: &str| {
        if !v.trim().is_empty() {
            rows.push(Row { label: label.into(), value: Text::cell(v) });
        }
    };
    push("種別", f.kind.map(|k| k.label()).unwrap_or(""));
    push("医療機関コード", &f.code);
    push("開設者", &f.founder);
    push("管理者", &f.manager);
    push("所在地", &f.address);
    push("病床数", &f.beds.map(|b| format!("{}床", thousands(b.into()))).unwrap_or_default());
    push("所管", &f.authority.name);
    push("担当部署", &f.authority.office);
    push("事案ID", &case.case_id);
    let systems = f
        .systems
        .iter()
        .map(|s| SystemView {
            name: Text::cell(&s.name),
            vendor: Text::cell(&s.vendor),
            remote: yes_no_unknown(s.remote_maintenance),
            note: Text::cell(&s.note),
        })
        .collect();
    FacilityView { rows, systems }
}

fn inspection_view(case: &Case, reg: &Registry, style: DateStyle) -> InspectionView {
    let i = &case.inspection;
    let checklists = i
        .checklists
        .iter()
        .map(|id| match reg.get(id) {
            Some(c) => Text::inline(&c.title),
            None => Text::inline(id),
        })
        .collect();
    InspectionView {
        kind: i.kind.map(|k| k.label().to_string()).unwrap_or_else(|| "－".into()),
        legal_basis: i.legal_basis.iter().map(|s| Text::inline(s)).collect(),
        dates: i.dates.iter().map(|d| When::date(Some(*d), style)).collect(),
        inspectors: i
            .inspectors
            .iter()
            .map(|p| InspectorView {
                name: Text::cell(&p.name),
                id_number: Text::cell(&p.id_number),
                id_shown: if p.id_shown { "提示済み" } else { "記録なし" },
            })
            .collect(),
        attendees: i
            .attendees
            .iter()
            .map(|a| AttendeeView { name: Text::cell(&a.name), role: Text::cell(&a.role) })
            .collect(),
        documents: i.documents.iter().map(|d| Text::inline(d)).collect(),
        checklists,
        note: Text::block(&i.note),
        all_id_shown: !i.inspectors.is_empty() && i.inspectors.iter().all(|p| p.id_shown),
    }
}

fn incident_view(i: &Incident, style: DateStyle) -> IncidentView {
    let detected = i.detected_at;
    let mut rows = Vec::new();
    let mut push = |label: &str, v: String| {
        if !v.trim().is_empty() {
            rows.push(Row { label: label.into(), value: Text::cell(&v) });
        }
    };
    push("発生日時", i.occurred_at.map(|s| When::stamp(Some(s), style).text).unwrap_or_default());
    push("覚知日時", i.detected_at.map(|s| When::stamp(Some(s), style).text).unwrap_or_default());
    push("攻撃の種類", i.attack_type.clone());
    push("マルウェアの種類", i.malware.clone());
    push("侵入経路", i.entry_vector.clone());
    if i.unlawful_intent {
        push("不正の目的", "不正の目的によるおそれがあります（個人情報保護委員会への確報は60日以内）".into());
    }
    let mut timeline: Vec<&Event> = i.timeline.iter().collect();
    timeline.sort_by_key(|e| e.at);
    IncidentView {
        summary: Text::block(&i.summary),
        rows,
        timeline: timeline
            .into_iter()
            .map(|e| EventView {
                at: When::stamp(Some(e.at), style),
                days: days_after(detected, Some(e.at)),
                text: Text::cell(&e.text),
            })
            .collect(),
    }
}

fn damage_view(d: &Damage, detected: Option<Stamp>, style: DateStyle) -> DamageView {
    let systems: Vec<AffectedView> = d
        .systems
        .iter()
        .map(|s| AffectedView {
            name: Text::cell(&s.name),
            servers: s.servers.into(),
            pcs: s.pcs.into(),
            note: Text::cell(&s.note),
        })
        .collect();
    let day = |x: Option<Date>| days_after(detected, x.map(|d| Stamp::day(d.0)));
    DamageView {
        summary: Text::block(&d.summary),
        total_servers: systems.iter().map(|s| s.servers).sum(),
        total_pcs: systems.iter().map(|s| s.pcs).sum(),
        systems,
        data: d
            .data
            .iter()
            .map(|x| DataView {
                kind: x.kind.label(),
                records: x.records,
                persons: x.persons,
                items: Text::cell(&x.items.join("、")),
                note: Text::cell(&x.note),
            })
            .collect(),
        clinical: d
            .clinical
            .iter()
            .map(|c| ClinicalView {
                service: c.service.label(),
                text: Text::cell(&c.text),
                from: When::date(c.from, style),
                to: When::date(c.to, style),
                from_days: day(c.from),
                to_days: day(c.to),
                count: c.count,
            })
            .collect(),
        paper: d.paper_operation.as_ref().map(|p| PeriodView {
            from: When::date(p.from, style),
            to: When::date(p.to, style),
            to_days: day(p.to),
            text: Text::inline(&p.text),
        }),
        cost_yen: d.estimated_cost_yen,
        is_empty: d == &Damage::default(),
    }
}

fn event_views(events: &[Event], detected: Option<Stamp>, style: DateStyle) -> Vec<EventView> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    sorted
        .into_iter()
        .map(|e| EventView {
            at: When::stamp(Some(e.at), style),
            days: days_after(detected, Some(e.at)),
            text: Text::cell(&e.text),
        })
        .collect()
}

fn response_view(r: &Response, detected: Option<Stamp>, unlawful: bool, style: DateStyle) -> ResponseView {
    let mut notes: Vec<&Notification> = r.notifications.iter().collect();
    notes.sort_by_key(|n| n.at);
    let final_limit = if unlawful { crate::check::APPI_FINAL_DAYS_UNLAWFUL } else { crate::check::APPI_FINAL_DAYS };
    let deadlines = [
        (Party::Mhlw, None, String::new()),
        (
            Party::PpcPreliminary,
            Some(crate::check::APPI_PRELIMINARY_DAYS),
            format!("目安は{}日以内", crate::check::APPI_PRELIMINARY_DAYS),
        ),
        (Party::PpcFinal, Some(final_limit), format!("期限は{final_limit}日以内")),
    ]
    .into_iter()
    .filter_map(|(party, limit, text)| {
        let first = notes.iter().find(|n| n.party == party)?;
        let days = days_after(detected, Some(first.at));
        Some(Deadline {
            party: party.label(),
            at: When::stamp(Some(first.at), style),
            days,
            limit: text,
            late: matches!((days, limit), (Some(d), Some(l)) if d > l),
        })
    })
    .collect();
    ResponseView {
        deadlines,
        summary: Text::block(&r.summary),
        actions: event_views(&r.actions, detected, style),
        notifications: notes
            .into_iter()
            .map(|n| NotificationView {
                party: n.party.label(),
                at: When::stamp(Some(n.at), style),
                days: days_after(detected, Some(n.at)),
                text: Text::cell(&n.text),
            })
            .collect(),
        is_empty: r == &Response::default(),
    }
}

fn recovery_view(r: &Recovery, detected: Option<Stamp>, style: DateStyle) -> RecoveryView {
    let day = |x: Option<Date>| days_after(detected, x.map(|d| Stamp::day(d.0)));
    RecoveryView {
        summary: Text::block(&r.summary),
        full_recovery: When::date(r.full_recovery_on, style),
        full_recovery_days: day(r.full_recovery_on),
        systems: r
            .systems
            .iter()
            .map(|s| SystemRecoveryView {
                name: Text::cell(&s.name),
                status: s.status.label(),
                restored: When::date(s.restored_on, style),
                days: day(s.restored_on),
                note: Text::cell(&s.note),
            })
            .collect(),
        backups: r
            .backups
            .iter()
            .map(|b| BackupView {
                name: Text::cell(&b.name),
                taken: When::date(b.taken_on, style),
                offline: match b.offline {
                    Some(true) => "オフライン",
                    Some(false) => "オンライン",
                    None => "－",
                },
                used: match b.used {
                    Some(true) => "使用できた",
                    Some(false) => "使用できなかった",
                    None => "－",
                },
                note: Text::cell(&b.note),
            })
            .collect(),
        is_empty: r == &Recovery::default(),
    }
}

/// `医療機関等確認用 2-⑤` for an item reference; the reference itself for an unknown item.
fn item_label(reg: &Registry, r: &ItemRef) -> (String, String) {
    match reg.item(r) {
        Some((c, item)) => (item_name(c, item), item.text.clone()),
        None => (r.to_string(), String::new()),
    }
}

fn item_name(c: &crate::checklist::Checklist, item: &Item) -> String {
    let sheet = c.section(&item.section).map(|s| s.sheet.as_str()).filter(|s| !s.is_empty()).unwrap_or(&c.id);
    format!("{sheet} {}", item.number)
}

fn item_labels(reg: &Registry, refs: &[ItemRef]) -> Vec<ItemLabel> {
    refs.iter()
        .map(|r| {
            let (label, text) = item_label(reg, r);
            ItemLabel { label: Text::cell(&label), text: Text::cell(&text) }
        })
        .collect()
}

fn item_list_text(reg: &Registry, refs: &[ItemRef]) -> String {
    refs.iter().map(|r| item_label(reg, r).0).collect::<Vec<_>>().join("、")
}

fn measure_view(m: &Measure, reg: &Registry, style: DateStyle) -> MeasureView {
    MeasureView {
        text: Text::cell(&m.text),
        category: label_or_dash(m.category, |c| c.label()),
        items: Text::cell(&item_list_text(reg, &m.items)),
        owner: Text::cell(&m.owner),
        due: When::date(m.due, style),
        status: label_or_dash(m.status, |s| s.label()),
        completed: When::date(m.completed_on, style),
    }
}

fn guidance_view(g: &Guidance, reg: &Registry, style: DateStyle) -> GuidanceView {
    let mut requests = Vec::new();
    if g.plan_requested {
        requests.push("改善計画書の提出");
    }
    if g.report_requested {
        requests.push("医療法第25条第1項に基づく報告");
    }
    GuidanceView {
        kind: g.kind.label(),
        text: Text::inline(&g.text),
        items: item_labels(reg, &g.items),
        items_text: Text::cell(&item_list_text(reg, &g.items)),
        given: When::date(g.given_on, style),
        reply_due: When::date(g.reply_due, style),
        requests: Text::cell(&requests.join("、")),
    }
}

/// Counts `values` against `labels` in label order.
fn counts(labels: &[&'static str], values: impl Iterator<Item = &'static str>) -> Vec<Count> {
    let mut out: Vec<Count> = labels.iter().map(|l| Count { label: l, count: 0 }).collect();
    for v in values {
        if let Some(c) = out.iter_mut().find(|c| c.label == v) {
            c.count += 1;
        }
    }
    out
}

pub const UNANSWERED: &str = "未回答";
pub const UNRECORDED: &str = "未記録";

fn checklist_view(case: &Case, reg: &Registry, style: DateStyle) -> ChecklistView {
    // Checklists in the order of inspection.checklists, then any others the answers use.
    let mut ids: Vec<String> = case.inspection.checklists.clone();
    for a in &case.answers {
        let id = a.item.checklist().to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let verification_labels: Vec<&'static str> = Verification::labels();
    let answer_labels: Vec<&'static str> = YesNo::ALL.iter().map(|y| y.label()).chain([UNANSWERED]).collect();
    let done_labels: Vec<&'static str> = Done::ALL.iter().map(|d| d.label()).chain([UNRECORDED]).collect();
    let mut summaries = Vec::new();
    let mut totals = counts(&verification_labels, std::iter::empty());
    for id in &ids {
        let Some(c) = reg.get(id) else { continue };
        let answer_of = |item: &Item| case.answer(&c.item_ref(item));
        let verified: Vec<&'static str> = c
            .items
            .iter()
            .filter(|i| matches!(i.answer, AnswerKind::Yesno | AnswerKind::Verify))
            .map(|i| answer_of(i).and_then(|a| a.verification).unwrap_or(Verification::Unverified).label())
            .collect();
        let answered: Vec<&'static str> = c
            .items
            .iter()
            .filter(|i| i.answer == AnswerKind::Yesno)
            .map(|i| answer_of(i).and_then(|a| a.answer).map(|y| y.label()).unwrap_or(UNANSWERED))
            .collect();
        let done: Vec<&'static str> = c
            .items
            .iter()
            .filter(|i| i.answer == AnswerKind::Done)
            .map(|i| answer_of(i).and_then(|a| a.done).map(|d| d.label()).unwrap_or(UNRECORDED))
            .collect();
        let verification = counts(&verification_labels, verified.iter().copied());
        for (t, v) in totals.iter_mut().zip(&verification) {
            t.count += v.count;
        }
        summaries.push(ChecklistSummary {
            id: Text::cell(&c.id),
            title: Text::cell(&c.title),
            items: c.items.len() as u64,
            verified_items: verified.len() as u64,
            verification,
            yesno_items: answered.len() as u64,
            answers: counts(&answer_labels, answered.iter().copied()),
            done_items: done.len() as u64,
            done: counts(&done_labels, done.iter().copied()),
        });
    }

    let gate_no = case
        .answers
        .iter()
        .any(|a| a.answer == Some(YesNo::No) && reg.item(&a.item).is_some_and(|(_, item)| item.gate));

    let mut failed: Vec<FailedGroup> = Vec::new();
    let mut failed_count = 0;
    let mut rows = Vec::new();
    for a in &case.answers {
        let found = reg.item(&a.item);
        let (label, text) = item_label(reg, &a.item);
        let checklist = found.map(|(c, _)| c.title.clone()).unwrap_or_else(|| a.item.checklist().to_string());
        let refs = found.map(|(_, i)| guideline_refs(&i.guideline_refs)).unwrap_or_default();
        let gate = found.is_some_and(|(_, i)| i.gate);
        rows.push(ResultRow {
            checklist: Text::cell(&checklist),
            label: Text::cell(&label),
            text: Text::cell(&text),
            answer: label_or_dash(a.answer, |y| y.label()),
            confirmed: When::date(a.confirmed_on, style),
            target: When::date(a.target_on, style),
            verification: label_or_dash(a.verification, |v| v.label()),
            done: label_or_dash(a.done, |d| d.label()),
            method: Text::cell(&a.method.iter().map(|m| m.label()).collect::<Vec<_>>().join("、")),
            guideline: Text::cell(&refs),
            note: Text::cell(if a.note.is_empty() { &a.text } else { &a.note }),
        });
        let is_failed = (a.answer == Some(YesNo::No) && !gate) || a.verification == Some(Verification::Nonconform);
        if is_failed {
            failed_count += 1;
            let group = match failed.iter_mut().position(|g| g.checklist.raw == checklist) {
                Some(i) => &mut failed[i],
                None => {
                    failed.push(FailedGroup { checklist: Text::inline(&checklist), items: Vec::new() });
                    let last = failed.len() - 1;
                    &mut failed[last]
                }
            };
            group.items.push(FailedItem {
                checklist: Text::cell(&checklist),
                label: Text::cell(&label),
                text: Text::cell(&text),
                answer: label_or_dash(a.answer, |y| y.label()),
                verification: label_or_dash(a.verification, |v| v.label()),
                confirmed: When::date(a.confirmed_on, style),
                target: When::date(a.target_on, style),
                guideline: Text::cell(&refs),
                note: Text::cell(&a.note),
                causes: case
                    .causes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.items.contains(&a.item))
                    .map(|(i, _)| i + 1)
                    .collect(),
                guidance: case
                    .guidance
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.items.contains(&a.item))
                    .map(|(i, _)| i + 1)
                    .collect(),
            });
        }
    }
    let causes = case
        .causes
        .iter()
        .map(|c| CauseView { text: Text::inline(&c.text), items: item_labels(reg, &c.items) })
        .collect();
    ChecklistView { summaries, failed, failed_count, causes, rows, totals, gate_no }
}

/// One rendered output, ready to be written.
pub struct Rendered {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Renders every requested output in memory.
pub fn render_all(loaded: &LoadedCase, reg: &Registry, opts: &Options) -> Result<Vec<Rendered>> {
    let report = build(loaded, reg, opts);
    let mut out = Vec::new();
    let needs_md = opts.formats.iter().any(|f| matches!(f, OutputFormat::Md | OutputFormat::Html));
    let md = if needs_md {
        let engine = markdown::Engine::load(opts.templates.as_deref())?;
        let md = engine.render(&report)?;
        Some(if opts.zenkaku_digits { crate::text::zenkaku_single_digits(&md) } else { md })
    } else {
        None
    };
    let mut formats = opts.formats.clone();
    formats.sort();
    formats.dedup();
    for f in formats {
        let path = opts.out_dir.join(f.file_name());
        let bytes = match f {
            OutputFormat::Md => md.clone().unwrap_or_default().into_bytes(),
            OutputFormat::Html => html::page(&report.title.raw, md.as_deref().unwrap_or_default()).into_bytes(),
            OutputFormat::Xlsx => xlsx::workbook(&report, opts.date_style)
                .map_err(|e| Error::file(&path, format!("Excel ファイルを作成できません（{e}）")))?,
        };
        out.push(Rendered { path, bytes });
    }
    Ok(out)
}

/// Renders everything first, then writes the files all-or-nothing: a failure while rendering or
/// writing leaves every earlier report as it was.
pub fn write_reports(loaded: &LoadedCase, reg: &Registry, opts: &Options) -> Result<Vec<PathBuf>> {
    let rendered = render_all(loaded, reg, opts)?;
    let files: Vec<(PathBuf, Vec<u8>)> = rendered.into_iter().map(|r| (r.path, r.bytes)).collect();
    write_all_atomic(&files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The default output folder: `<case folder>/report`.
pub fn default_out_dir(loaded: &LoadedCase) -> PathBuf {
    loaded.dir().join("report")
}

/// Parses `--generated-at`: `2025-07-01T10:00:00`, `2025-07-01 10:00`, or a date alone.
pub fn parse_generated_at(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Options {
        Options {
            out_dir: PathBuf::from("out"),
            formats: OutputFormat::ALL.to_vec(),
            templates: None,
            date_style: DateStyle::Wareki,
            addressee: DEFAULT_ADDRESSEE.into(),
            generated_at: parse_generated_at("2025-07-01T10:00:00").unwrap(),
            zenkaku_digits: false,
        }
    }

    fn loaded(text: &str) -> LoadedCase {
        let path = PathBuf::from("x/case.toml");
        let case = crate::case::store::parse(&path, text).unwrap();
        LoadedCase { path, text: text.into(), case }
    }

    const INCIDENT: &str = r#"
case_id = "T-1"
[facility]
name = "テスト病院"
[facility.authority]
name = "架空県"
office = "架空県医務課"
[inspection]
kind = "事案に係る立入検査"
checklists = ["mhlw-r7"]
[incident]
detected_at = 2024-05-19T07:30:00
occurred_at = 2024-05-19T03:10:00
[[incident.timeline]]
at = 2024-05-20T09:00:00
text = "二"
[[incident.timeline]]
at = 2024-05-19T03:10:00
text = "一"
[response]
[[response.notifications]]
party = "個人情報保護委員会（速報）"
at = 2024-05-22T10:00:00
[[response.notifications]]
party = "厚生労働省"
at = 2024-05-19T23:50:00
[recovery]
full_recovery_on = 2024-07-01
[[recovery.systems]]
name = "電子カルテ"
status = "復旧済"
restored_on = 2024-06-03
[[answers]]
item = "mhlw-r7:2-06"
answer = "いいえ"
verification = "不適合"
target_on = 2024-12-27
[[answers]]
item = "mhlw-r7:2-13"
answer = "はい"
verification = "適合"
[[causes]]
text = "VPN装置が未更新"
items = ["mhlw-r7:2-06"]
"#;

    #[test]
    fn days_count_from_the_detection_date() {
        let d: Stamp = "2024-05-19 23:50".parse().unwrap();
        assert_eq!(days_after(Some(d), Some("2024-05-19".parse().unwrap())), Some(0));
        assert_eq!(days_after(Some(d), Some("2024-05-22 00:10".parse().unwrap())), Some(3));
        assert_eq!(days_after(Some(d), Some("2024-05-18".parse().unwrap())), Some(-1));
        assert_eq!(days_after(None, Some(d)), None);
    }

    #[test]
    fn view_model_numbers() {
        let reg = Registry::load(None).unwrap();
        let r = build(&loaded(INCIDENT), &reg, &opts());
        let resp = r.response.as_ref().unwrap();
        assert_eq!(resp.notifications[0].party, "厚生労働省");
        assert_eq!(resp.notifications[0].days, Some(0));
        assert_eq!(resp.notifications[1].days, Some(3));
        let d: Vec<(&str, Option<i64>, bool)> = resp.deadlines.iter().map(|d| (d.party, d.days, d.late)).collect();
        assert_eq!(d, vec![("厚生労働省", Some(0), false), ("個人情報保護委員会（速報）", Some(3), false)]);
        let rec = r.recovery.as_ref().unwrap();
        assert_eq!(rec.full_recovery_days, Some(43));
        assert_eq!(rec.systems[0].days, Some(15));
        let inc = r.incident.as_ref().unwrap();
        assert_eq!(inc.timeline[0].text.md(), "一");
        assert_eq!(inc.timeline[0].days, Some(0));
        assert_eq!(inc.timeline[1].days, Some(1));
        // Sections of an incident: all ten, 第7 is 再発防止策 even without measures.
        assert_eq!(r.no.get("measures").map(String::as_str), Some("第7"));
        assert_eq!(r.no.get("checklist").map(String::as_str), Some("第8"));
        assert!(!r.no.contains_key("guidance"));
        let s = &r.checklist.summaries[0];
        let get = |v: &[Count], l: &str| v.iter().find(|c| c.label == l).unwrap().count;
        assert_eq!(get(&s.verification, "不適合"), 1);
        assert_eq!(get(&s.verification, "適合"), 1);
        assert_eq!(get(&s.verification, "未確認"), s.verified_items - 2);
        assert_eq!(get(&s.answers, "いいえ"), 1);
        assert_eq!(get(&s.answers, UNANSWERED), s.yesno_items - 2);
        assert_eq!(r.checklist.failed_count, 1);
        let f = &r.checklist.failed[0].items[0];
        assert_eq!(f.label.raw, "医療機関等確認用 2-⑥");
        assert_eq!(f.guideline.raw, "▶システム運用編 8.2");
        assert_eq!(f.causes, vec![1]);
        assert_eq!(f.target.text, "令和6年12月27日");
        assert_eq!(r.sender.raw, "架空県医務課", "the office already names the authority");
        assert_eq!(r.date, "令和7年7月1日");
    }

    #[test]
    fn routine_case_omits_incident_sections() {
        let reg = Registry::load(None).unwrap();
        let text = "case_id = \"R-1\"\n[facility]\nname = \"A\"\n[inspection]\nkind = \"定期の立入検査\"\n";
        let r = build(&loaded(text), &reg, &opts());
        let keys: Vec<&str> = r.sections.iter().map(|s| s.key).collect();
        assert_eq!(keys, vec!["facility", "inspection"]);
        assert!(r.damage.is_none() && r.incident.is_none());
    }

    #[test]
    fn iso_dates() {
        let reg = Registry::load(None).unwrap();
        let mut o = opts();
        o.date_style = DateStyle::Iso;
        let r = build(&loaded(INCIDENT), &reg, &o);
        assert_eq!(r.response.unwrap().notifications[0].at.text, "2024-05-19 23:50");
        assert_eq!(r.closing.generated_at, "2025-07-01 10:00:00");
    }

    #[test]
    fn text_is_escaped_for_templates() {
        let t = Text::cell("<script>|x\ny");
        assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!("&lt;script&gt;\\|x／y"));
        assert_eq!(t.raw, "<script>|x\ny");
    }

    #[test]
    fn blocks_cannot_form_headings_or_code() {
        assert_eq!(md_block("a\n===\n"), "a  \n\\===");
        assert_eq!(md_block("a\n\n\n      code\n---"), "a\n\ncode  \n\\-\\-\\-");
        assert_eq!(md_block(""), "");
        let h = html::body(&md_block("見出し\n====\n# x\n    <b>"));
        assert!(!h.contains("<h1>") && !h.contains("<pre>") && !h.contains("<b>"), "{h}");
    }

    #[test]
    fn generated_at_forms() {
        assert!(parse_generated_at("2025-07-01T10:00:00").is_some());
        assert!(parse_generated_at("2025-07-01 10:00").is_some());
        assert!(parse_generated_at("2025-07-01").is_some());
        assert!(parse_generated_at("令和7年").is_none());
    }
}
