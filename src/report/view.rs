//! The view model of the report: every value the outputs show, built once by [`super::build`].
//! Templates see the Markdown-escaped text of [`Text`] and the date text of [`When`].

use super::{Text, When};
use crate::assess::Count;
use crate::case::Amount;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde::Serializer;
use std::collections::BTreeMap;

/// A count as the report shows it. Templates see an exact count as a number (format it with
/// `thousands`), any other as its words (`約2,200`, `最大約40,000`, `不明`), and none as null.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Qty(pub Option<Amount>);

impl Serialize for Qty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_none(),
            Some(a) => match a.value {
                Some(n) if a.is_exact() => s.serialize_u64(n),
                _ => s.serialize_str(&a.text()),
            },
        }
    }
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
pub const REPORT_SECTIONS: [(&str, &str); 12] = [
    ("facility", "施設の概要"),
    ("inspection", "調査（立入検査）の概要"),
    ("incident", "事案の概要"),
    ("damage", "被害状況"),
    ("response", "対応状況"),
    ("recovery", "復旧状況"),
    ("investigation", "調査体制"),
    ("measures", "再発防止策"),
    ("checklist", "チェックリストの確認結果"),
    ("authority", "所管庁の対応"),
    ("guidance", "指導事項"),
    ("evidence", "証跡一覧"),
];

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: Text,
    pub kind: String,
    pub is_incident: bool,
    /// The facility is a 薬局 (inspected under 医薬品医療機器等法第69条, not 医療法).
    pub is_pharmacy: bool,
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
    pub investigation: Option<InvestigationView>,
    pub authority_actions: Vec<AuthorityActionView>,
}

/// The investigation of the incident (調査体制).
#[derive(Debug, Clone, Serialize)]
pub struct InvestigationView {
    pub rows: Vec<Row>,
    /// The rows' dates by label (設置日, 報告書の公表日), for a workbook's date cells.
    #[serde(skip)]
    pub dates: Vec<(String, When)>,
}

/// One of the authority's own actions (立入検査・報告徴収・行政指導).
#[derive(Debug, Clone, Serialize)]
pub struct AuthorityActionView {
    pub kind: &'static str,
    pub on: When,
    pub legal_basis: Text,
    pub text: Text,
    /// The numbers of the guidance given in it (`(1)、(3)`), empty where none.
    pub guidance: String,
}

/// The other facilities reached through the same contractor.
#[derive(Debug, Clone, Serialize)]
pub struct RouteFacilityView {
    pub name: Text,
    pub note: Text,
}

/// Devices of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceView {
    pub kind: &'static str,
    /// 侵入の痕跡／暗号化／停止, or empty.
    pub effect: &'static str,
    pub count: Qty,
    pub note: Text,
}

/// Persons of one category.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub category: &'static str,
    pub count: Qty,
    pub note: Text,
}

/// One part of the cost.
#[derive(Debug, Clone, Serialize)]
pub struct CostView {
    pub label: &'static str,
    /// `約200,000,000円`, `不明`.
    pub text: String,
    pub yen: Qty,
}

/// One figure of one publication (第N報).
#[derive(Debug, Clone, Serialize)]
pub struct PublicationView {
    /// `第2報`, or `－`.
    pub number: String,
    pub on: When,
    pub figure: Text,
    pub value: Qty,
    pub text: Text,
}

/// How one figure changed from publication to publication.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub figure: Text,
    /// `約10,000（第1報、令和4年11月1日）→ 約130,000（第3報、令和4年12月12日）`.
    pub steps: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacilityView {
    pub rows: Vec<Row>,
    pub systems: Vec<SystemView>,
    pub connections: Vec<ConnectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectionView {
    pub name: Text,
    pub kind: &'static str,
    pub party: Text,
    pub purpose: Text,
    pub note: Text,
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
    /// Whether the report may say the inspectors showed identification (each inspector's record
    /// and the procedure step agree).
    pub all_id_shown: bool,
    /// The procedure step records that identification was not shown (未実施).
    pub id_step_not_done: bool,
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
    /// The connection the attacker came through, with its contractor (`給食委託業者VPN（VPN、架空フード株式会社、給食業務）`), empty where not named.
    pub route: Text,
    pub same_route: Vec<RouteFacilityView>,
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
    /// Whether any system names the kind of effect (then the tables show that column).
    pub has_effects: bool,
    /// Totals, one per kind of effect (sets of different effects may overlap: never added).
    pub totals: Vec<TotalView>,
    pub data: Vec<DataView>,
    pub clinical: Vec<ClinicalView>,
    pub paper: Option<PeriodView>,
    /// The estimated cost in words without the unit (`約200,000,000`), empty where none.
    pub cost: String,
    pub cost_yen: Qty,
    pub is_empty: bool,
    pub devices: Vec<DeviceView>,
    /// Totals of the devices, one per kind of effect (never added across effects).
    pub device_totals: Vec<DeviceView>,
    pub persons: Vec<PersonView>,
    /// The persons of every category added up (約, 以上 where parts are so); null where none.
    pub persons_total: Qty,
    /// 調査・復旧費, 逸失利益, 賠償・和解: the parts recorded.
    pub costs: Vec<CostView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AffectedView {
    pub name: Text,
    /// 侵入の痕跡／暗号化／停止, or empty.
    pub effect: &'static str,
    pub servers: Qty,
    pub pcs: Qty,
    pub note: Text,
}

/// The devices of one kind of effect, added up.
#[derive(Debug, Clone, Serialize)]
pub struct TotalView {
    /// `合計`, or `合計（暗号化）` where effects are named.
    pub label: String,
    pub servers: Qty,
    pub pcs: Qty,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataView {
    pub kind: &'static str,
    pub records: Qty,
    pub persons: Qty,
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
    pub count: Qty,
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
    pub deadlines: Vec<DeadlineView>,
    pub is_empty: bool,
    pub publications: Vec<PublicationView>,
    /// The figures stated more than once, each with its steps.
    pub figures: Vec<FigureView>,
}

/// A report with a time limit (or 速やかに), as [`crate::assess::deadlines`] judges it.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineView {
    pub party: &'static str,
    /// Whether the report is recorded.
    pub recorded: bool,
    pub at: When,
    pub days: Option<i64>,
    /// `覚知から3日後`, `漏えい等を知った日から52日後`.
    pub since: String,
    /// `目安は5日以内` / `期限は60日以内` / empty where the law sets no number of days.
    pub limit: String,
    /// `期限` or `目安`.
    pub due_word: &'static str,
    /// The last day it is due, `－` where none is set.
    pub due: When,
    /// Recorded after its due date.
    pub late: bool,
    /// Not recorded and its due date passed at the report's date.
    pub overdue: bool,
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
    /// `医療機関確認用 2-⑤` (sheet and number), or the raw reference for an unknown item.
    pub label: Text,
    pub text: Text,
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
    /// 組織／人／技術, or empty.
    pub category: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    pub summaries: Vec<ChecklistSummary>,
    /// Items answered いいえ (other than the gate item) or verified 不適合 or 一部適合, by checklist.
    pub failed: Vec<FailedGroup>,
    pub failed_count: u64,
    /// Of those, the items only verified 一部適合 (neither いいえ nor 不適合).
    pub partial_count: u64,
    pub causes: Vec<CauseView>,
    /// Every answered item of the case (for the workbook).
    pub rows: Vec<ResultRow>,
    /// Totals over all checklists of 適合…未確認 (for the chart).
    pub totals: Vec<Count>,
    pub gate_no: bool,
    /// The 事業者確認用 answered per vendor: one entry per system (empty where not per vendor).
    pub vendors: Vec<VendorView>,
}

/// The 事業者確認用 of one system's vendor (or of the facility as a whole, where they are not
/// answered per vendor), counted apart from the facility's own items.
#[derive(Debug, Clone, Serialize)]
pub struct VendorView {
    /// The system as the case names it (empty: not answered per vendor).
    pub system: Text,
    /// The system, or 「（事業者ごとの回答なし）」.
    pub system_label: Text,
    pub vendor: Text,
    /// はい／いいえ items.
    pub items: u64,
    /// はい／いいえ／未回答.
    pub answers: Vec<Count>,
    /// Items a verification applies to.
    pub verified_items: u64,
    /// 適合／一部適合／不適合／該当なし／未確認.
    pub verification: Vec<Count>,
    #[serde(skip)]
    pub failed_list: Vec<String>,
    /// The items answered いいえ or verified 不適合／一部適合 (`1-(1)、2-(3)`).
    pub failed: Text,
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
    /// 回答受領日 (`－` where no reply is recorded).
    pub replied: When,
    /// The number of the authority's action it was given in (`authority_actions`, from 1).
    pub action_no: Option<u32>,
    /// That action (`行政指導 令和7年9月10日`), empty where none.
    pub action: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub id: Text,
    pub file: Text,
    /// The recorded SHA-256 in full, or 記録なし where none is recorded.
    pub sha256: Text,
    /// The recorded SHA-256 as written (empty where none is).
    #[serde(skip)]
    pub sha256_value: String,
    pub collected: When,
    pub collected_by: Text,
    pub description: Text,
    /// 確認済み／ハッシュなし／変更あり／ファイルなし／事案フォルダ外／読めません.
    pub state: &'static str,
    /// Whether the file cannot be vouched for (changed, missing, outside, unreadable).
    pub fault: bool,
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
