//! The case file (`case.toml`): one inspection or investigation of one facility.

use crate::values::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the case file format written by this kensa.
pub const FORMAT_VERSION: u32 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}

/// 事案ファイル（case.toml）。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "kensa 事案ファイル（case.toml）")]
pub struct Case {
    /// ファイル形式の版（現在 1）。
    #[serde(default = "format_version")]
    pub format: u32,
    /// 事案ID（様式や報告書で事案を特定する番号。例: 2025-定期-0012）。
    pub case_id: String,
    /// 施設の概要。
    pub facility: Facility,
    /// 検査（調査）の概要。
    pub inspection: Inspection,
    /// 医療機関が事前に記入する自己点検票（kensa workbook --for facility）。
    #[serde(default, skip_serializing_if = "SelfCheck::is_empty")]
    pub self_check: SelfCheck,
    /// 事案の概要（事案に係る立入検査の場合）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<Incident>,
    /// 被害状況。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage: Option<Damage>,
    /// 対応状況。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
    /// 復旧状況。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Recovery>,
    /// チェックリスト各項目の回答と確認結果。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// 原因（失敗が示されたチェックリスト項目と結び付ける）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<Cause>,
    /// 再発防止策。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// 指導事項。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guidance: Vec<Guidance>,
    /// 証跡。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// 事案の調査体制（調査委員会など）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigation: Option<Investigation>,
    /// 所管庁の対応（立入検査・報告徴収・行政指導）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authority_actions: Vec<AuthorityAction>,
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

/// 施設。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// 施設名。
    pub name: String,
    /// 種別（病院／一般診療所／歯科診療所／助産所／薬局）。
    pub kind: Option<FacilityKind>,
    /// 医療機関コード（10桁）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// 開設者。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub founder: String,
    /// 管理者。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub manager: String,
    /// 所在地。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// 病床数。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beds: Option<u32>,
    /// 所管（都道府県・保健所設置市・特別区と保健所）。
    #[serde(default)]
    pub authority: Authority,
    /// 医療情報システムとその事業者。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<InfoSystem>,
    /// 外部との接続（委託先のVPN、ビル管理の回線など、医療情報システム以外も含む）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<Connection>,
    // ガイドライン第7.0版（保守委託機関編）による記録。
    /// 保守委託機関か（セキュリティ更新をすべて契約により事業者に委託している。ガイドライン第7.0版の保守委託機関編に従う）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_entrusted: Option<bool>,
    /// 保守委託機関とする根拠（契約書の名称・条項など）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub maintenance_basis: String,
}

/// 外部との接続。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// 接続の名称（例: 給食委託業者VPN）。侵入経路（incident.entry_via）から参照します。
    pub name: String,
    /// 接続の種類（VPN／専用線／リモート保守／インターネット／クラウドサービス／その他）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConnectionKind>,
    /// 接続先（委託先・事業者など）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub party: String,
    /// 用途（例: 給食業務、ビル管理、電子カルテ保守）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purpose: String,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 所管の自治体と保健所。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// 自治体名（例: ○○県）。報告書の発信者になります。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// 担当部署・保健所（例: ○○県健康福祉部医務課、○○保健所）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub office: String,
}

/// 医療情報システム。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfoSystem {
    /// システム名（例: 電子カルテシステム）。
    pub name: String,
    /// 事業者（保守会社）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub vendor: String,
    /// リモートメンテナンスの有無。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_maintenance: Option<bool>,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 検査（調査）。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// 検査の種別。
    pub kind: Option<InspectionKind>,
    /// 根拠法令（例: 医療法第25条第1項）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<String>,
    /// 実施日。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<Date>,
    /// 使用したチェックリストのID。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklists: Vec<String>,
    /// 確認した書類。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    /// 講評・備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// 医療監視員。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspectors: Vec<Inspector>,
    /// 施設側の立会者。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<Attendee>,
}

/// 自己点検票。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfCheck {
    /// 記入日（医療機関が自己点検票を記入した日）。回収した票の年度を決めます。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_on: Option<Date>,
}

impl SelfCheck {
    pub fn is_empty(&self) -> bool {
        *self == SelfCheck::default()
    }
}

/// 医療監視員。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inspector {
    /// 氏名。
    pub name: String,
    /// 身分証明書の番号。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id_number: String,
    /// 身分を示す証明書を提示したか（医療法第25条第5項）。
    #[serde(default, skip_serializing_if = "is_false")]
    pub id_shown: bool,
}

/// 立会者。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    /// 氏名。
    pub name: String,
    /// 役職。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

/// チェックリスト項目への回答と確認結果。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// 項目（チェックリストID:項目ID）。
    pub item: ItemRef,
    /// 事業者確認用の項目を事業者ごとに答える場合のシステム名（facility.systems の name）。空なら施設全体の回答。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system: String,
    /// 医療機関の回答（はい／いいえ）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<YesNo>,
    /// 確認日（医療機関が確認した日）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_on: Option<Date>,
    /// 目標（いいえの場合）: 年度内の対応予定日、年度（「令和8年度」）、または「次期システム更改時」（ガイドライン第7.0版）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_on: Option<Target>,
    /// 検査員の確認結果。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
    /// 手続の実施状況（立入検査手順の項目）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<Done>,
    /// 確認方法。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub method: Vec<Method>,
    /// 記述回答（事案調査票の項目）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// 検査員のメモ。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// 証跡の参照（evidence の id）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// 責任分界（事業者確認用の責任分界を問う項目: 医療機関／事業者／共同）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsibility: Option<Responsibility>,
}

impl Answer {
    pub fn unanswered(item: ItemRef) -> Answer {
        Answer { item, ..Answer::default() }
    }
}

/// 事案の概要。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// 概要。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// 発生日時。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<Stamp>,
    /// 覚知（検知）日時。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detected_at: Option<Stamp>,
    /// 攻撃の種類（例: ランサムウェア、不正アクセス）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub attack_type: String,
    /// マルウェアの種類（例: LockBit）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub malware: String,
    /// 侵入経路。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entry_vector: String,
    /// 侵入経路となった接続またはシステムの名称（facility.connections または facility.systems の name）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entry_via: String,
    /// 個人データの漏えい等（そのおそれ）を知った日時。個人情報保護委員会への報告期限はここから数えます（なければ覚知日時）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leak_confirmed_at: Option<Stamp>,
    /// 不正の目的による漏えい等のおそれ（個人情報保護委員会への確報が60日以内になる）。
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlawful_intent: bool,
    /// 時系列。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Event>,
    /// 身代金の要求（あり／なし／不明）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ransom_demanded: Option<Presence>,
    /// 要求された身代金の額（円換算。「約1億」「不明」も可）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ransom_amount_yen: Option<Amount>,
    /// 身代金の支払（あり／なし／不明）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ransom_paid: Option<Presence>,
    /// 身代金についての備考（要求の方法、暗号資産の種類など）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ransom_note: String,
    /// 同じ委託先・事業者を経由して被害を受けた他の施設。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_route: Vec<RouteFacility>,
}

/// 同じ委託先・事業者を経由して被害を受けた他の施設。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteFacility {
    /// 施設名（公表されている範囲で）。
    pub name: String,
    /// 被害の内容・備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 時系列の出来事。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// 日時。
    pub at: Stamp,
    /// 出来事。
    pub text: String,
}

/// 被害状況。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Damage {
    /// 概要。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// 推計被害額（円）。「約2億」のようにも書けます。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_cost_yen: Option<Amount>,
    /// 影響を受けたシステム。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<AffectedSystem>,
    /// 暗号化・漏えい等したデータ。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataImpact>,
    /// 診療への影響。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clinical: Vec<ClinicalImpact>,
    /// 紙運用。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_operation: Option<Period>,
    /// 影響を受けた機器（種類ごと）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceCount>,
    /// 影響を受けた人（区分ごと）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<PersonCount>,
    /// 調査・復旧費（円）。「約2億」「不明」も可。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_recovery_yen: Option<Amount>,
    /// 逸失利益（円）。「約10億」「不明」も可。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_lost_revenue_yen: Option<Amount>,
    /// 賠償・和解の額（円）。「不明」も可。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_settlement_yen: Option<Amount>,
}

/// 影響を受けた機器（種類ごとの台数）。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceCount {
    /// 種類（サーバ／端末PC／ネットワーク機器／保守用VPN装置／医療機器（ナースコール・生体監視など）／その他）。
    pub kind: DeviceKind,
    /// 影響の種類（侵入の痕跡／暗号化／停止）。種類が違う行は合計しません。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<DeviceEffect>,
    /// 台数（「約1,300」「不明」も可。書かなければ不明）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Amount>,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 影響を受けた人（区分ごとの人数）。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonCount {
    /// 区分（患者／職員／学生／その他）。
    pub category: PersonCategory,
    /// 人数（「約13万」「最大約4万」「不明」も可）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Amount>,
    /// 備考（影響の内容など）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 影響を受けたシステム。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedSystem {
    /// システム名。
    pub name: String,
    /// 影響の種類（侵入の痕跡／暗号化／停止）。種類が違う行は合計しません。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<DeviceEffect>,
    /// 影響を受けたサーバの台数（「約20」「不明」も可。書かなければ不明）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servers: Option<Amount>,
    /// 影響を受けた端末PCの台数（「約2,200」「不明」も可。書かなければ不明）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pcs: Option<Amount>,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 暗号化・漏えい等したデータ。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataImpact {
    /// 状態（暗号化／漏えい／漏えいのおそれ／滅失・毀損）。
    pub kind: DataImpactKind,
    /// 件数（レコード数）。「約85,000」「最大約4万」「不明」も可。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<Amount>,
    /// 本人の数。「最大約4万」のようにも書けます。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persons: Option<Amount>,
    /// データの項目（例: 氏名、病名）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 診療への影響。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClinicalImpact {
    /// 区分（外来／新患／救急／二次救急／三次救急／手術／予定手術／入院／紹介受入／透析／分娩／検査／薬剤・処方／健診／その他）。
    pub service: ClinicalService,
    /// 内容。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// 停止・制限の開始日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// 再開日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    /// 件数（例: 延期した手術の件数）。「約80」のようにも書けます。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Amount>,
}

/// 期間。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// 開始日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// 終了日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    /// 内容。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// 対応状況。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// 概要。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// 実施した対応。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Event>,
    /// 連絡・報告。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notifications: Vec<Notification>,
    /// 施設の公表（第N報）と、それぞれが示した数値。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publications: Vec<Publication>,
}

/// 施設の公表（第N報）の一つの数値。数値を改めた公表は、数値ごとに1行とします。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// 第何報か。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// 公表日。
    pub on: Date,
    /// 示した数値の項目（例: 影響を受けた患者数）。同じ項目の行を並べると数値の推移になります。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub figure: String,
    /// 数値（「約13万」「不明」も可）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Amount>,
    /// 内容。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// 連絡・報告。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// 相手。
    pub party: Party,
    /// 日時。
    pub at: Stamp,
    /// 内容・相手先の詳細。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// 復旧状況。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    /// 概要。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// 全面復旧日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_recovery_on: Option<Date>,
    /// システムごとの復旧状況。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<SystemRecovery>,
    /// 使用したバックアップ。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<Backup>,
}

/// システムごとの復旧状況。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemRecovery {
    /// システム名。
    pub name: String,
    /// 状況。
    pub status: RecoveryStatus,
    /// 復旧日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_on: Option<Date>,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// バックアップ。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// バックアップの名称・媒体。
    pub name: String,
    /// 取得日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_on: Option<Date>,
    /// オフライン（ネットワークから切り離して）保管していたか。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline: Option<bool>,
    /// 復旧に使えたか。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used: Option<bool>,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 原因。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    /// 原因。
    pub text: String,
    /// 失敗が示されたチェックリスト項目。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemRef>,
    /// 区分（組織／人／技術）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CauseCategory>,
}

/// 事案の調査体制。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Investigation {
    /// 調査体制（例: 外部有識者を含む調査委員会）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// 委員長（調査の責任者）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub chair: String,
    /// 設置日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_up_on: Option<Date>,
    /// 調査報告書の公表日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<Date>,
    /// 公表したのは概要版のみか（はい: 概要版のみ、いいえ: 全文）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_only: Option<bool>,
    /// 備考。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// 所管庁（都道府県等）の対応: 立入検査・報告徴収・行政指導。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityAction {
    /// 種別（立入検査／報告徴収／行政指導／その他）。
    pub kind: AuthorityActionKind,
    /// 実施日。
    pub on: Date,
    /// 根拠法令（例: 医療法第25条第1項）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub legal_basis: String,
    /// 内容。指導事項（[[guidance]]）は、その action にこの対応の番号を書いて結び付けます。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// 再発防止策。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// 内容。
    pub text: String,
    /// 区分。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<MeasureCategory>,
    /// 関係するチェックリスト項目。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemRef>,
    /// 担当（責任者・部署）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// 期限。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// 状況（未着手／実施中／完了）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MeasureStatus>,
    /// 完了日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<Date>,
}

/// 指導事項。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    /// 種別（文書指導／口頭指導／助言）。
    pub kind: GuidanceKind,
    /// 内容。
    pub text: String,
    /// 関係するチェックリスト項目。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemRef>,
    /// 指導日。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_on: Option<Date>,
    /// 回答（報告）期限。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_due: Option<Date>,
    /// 改善計画書の提出を求めたか。
    #[serde(default, skip_serializing_if = "is_false")]
    pub plan_requested: bool,
    /// 医療法第25条第1項に基づく報告を求めたか。
    #[serde(default, skip_serializing_if = "is_false")]
    pub report_requested: bool,
    /// 回答（報告）を受け取った日。記録した指導は回答済みとして扱い、kensa followup の期限の一覧に出ません（書かなければ未回答）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_on: Option<Date>,
    /// この指導を行った所管庁の対応の番号（[[authority_actions]] の1から数えた順番。行政指導など）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<u32>,
}

/// 証跡。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// 証跡ID（回答から参照する）。
    pub id: String,
    /// ファイル名（事案フォルダからの相対パス）。
    pub file: String,
    /// SHA-256（16進64桁）。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// 収集日時。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<Stamp>,
    /// 収集者。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub collected_by: String,
    /// 説明。
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Case {
    /// The systems whose vendors answer separately: the facility's systems in order, then any
    /// other system an answer names.
    pub fn vendor_systems(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in &self.facility.systems {
            let n = s.name.trim();
            if !n.is_empty() && !out.contains(&n) {
                out.push(n);
            }
        }
        for a in &self.answers {
            if !a.system.is_empty() && !out.contains(&a.system.as_str()) {
                out.push(&a.system);
            }
        }
        out
    }

    /// The answer for an item, if recorded (the first, where vendors answer it separately).
    pub fn answer(&self, item: &ItemRef) -> Option<&Answer> {
        self.answers.iter().find(|a| &a.item == item)
    }

    /// The answer for an item given for one system's vendor (`""`: the facility-wide answer).
    pub fn answer_for(&self, item: &ItemRef, system: &str) -> Option<&Answer> {
        self.answer_index(item, system).map(|i| &self.answers[i])
    }

    /// Where [`Case::answer_for`]'s answer is in `answers`.
    pub fn answer_index(&self, item: &ItemRef, system: &str) -> Option<usize> {
        self.answers.iter().position(|a| &a.item == item && a.system == system)
    }

    pub fn is_incident(&self) -> bool {
        self.inspection.kind == Some(InspectionKind::Incident) || self.incident.is_some()
    }

    /// The first notification to a party, by time.
    pub fn first_notification(&self, party: Party) -> Option<&Notification> {
        self.response.as_ref()?.notifications.iter().filter(|n| n.party == party).min_by_key(|n| n.at)
    }
}
