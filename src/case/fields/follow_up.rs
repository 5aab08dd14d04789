//! 再発防止策, 指導事項 and 証跡: causes and measures, the guidance given, and the evidence.

use super::{col, field, incident_sheets, table, Field, FormSheet, Kind, ListTable, Part};
use crate::case::*;

pub static CAUSES: ListTable<Cause> = table!(
    "causes",
    "原因",
    causes,
    [
        col!(required "原因", Kind::Text, 50.0, text),
        col!("関係するチェックリスト項目" => "関係する項目", Kind::ItemRefs, 26.0, items),
        // Last, so that the columns of workbooks exported before it keep their places.
        col!("区分（組織／人／技術）" => "区分", Kind::Choice(CauseCategory::labels), 12.0, category),
    ]
);

pub static INVESTIGATION_FIELDS: [Field; 6] = [
    field!("investigation.body", "調査体制（例: 外部有識者を含む調査委員会）", Kind::Text, investigation => body)
        .short("調査体制"),
    field!("investigation.chair", "委員長（調査の責任者）", Kind::Text, investigation => chair).short("委員長"),
    field!("investigation.set_up_on", "設置日", Kind::Date, investigation => set_up_on),
    field!("investigation.reported_on", "調査報告書の公表日", Kind::Date, investigation => reported_on)
        .short("報告書の公表日"),
    field!("investigation.summary_only", "公表は概要版のみ", Kind::YesNo, investigation => summary_only),
    field!("investigation.note", "調査体制の備考", Kind::Text, investigation => note).short("備考"),
];

pub static AUTHORITY_ACTIONS: ListTable<AuthorityAction> = table!(
    "authority_actions",
    "所管庁の対応（立入検査・報告徴収・行政指導）",
    authority_actions,
    [
        col!(required "種別", Kind::Choice(AuthorityActionKind::labels), 12.0, kind),
        col!(required "実施日", Kind::Date, 18.0, on),
        col!("根拠法令", Kind::Text, 24.0, legal_basis),
        col!("内容", Kind::Text, 50.0, text),
    ]
);

pub static MEASURES: ListTable<Measure> = table!(
    "measures",
    "再発防止策",
    measures,
    [
        col!(required "内容", Kind::Text, 50.0, text),
        col!("区分", Kind::Choice(MeasureCategory::labels), 14.0, category),
        col!("関係するチェックリスト項目" => "関係する項目", Kind::ItemRefs, 26.0, items),
        col!("担当", Kind::Text, 20.0, owner),
        col!("期限", Kind::Date, 18.0, due),
        col!("状況", Kind::Choice(MeasureStatus::labels), 10.0, status),
        col!("完了日", Kind::Date, 18.0, completed_on),
    ]
);

pub static GUIDANCE: ListTable<Guidance> = table!(
    "guidance",
    "指導事項",
    guidance,
    [
        col!(required "種別", Kind::Choice(GuidanceKind::labels), 12.0, kind),
        col!(required "内容", Kind::Text, 50.0, text),
        col!("関係するチェックリスト項目" => "関係する項目", Kind::ItemRefs, 26.0, items),
        col!("指導日", Kind::Date, 18.0, given_on),
        col!("回答（報告）期限" => "回答期限", Kind::Date, 18.0, reply_due),
        col!("改善計画書を求めた", Kind::Flag, 12.0, plan_requested),
        col!("第25条第1項の報告を求めた", Kind::Flag, 12.0, report_requested),
        // Last, so that the columns of workbooks exported before it keep their places.
        col!("回答受領日", Kind::Date, 18.0, replied_on),
        col!("所管庁の対応の番号（上の表の1から）" => "所管庁の対応", Kind::Num32, 12.0, action),
    ]
);

pub static EVIDENCE: ListTable<Evidence> = table!(
    "evidence",
    "証跡",
    evidence,
    [
        col!(required "証跡ID" => "ID", Kind::Text, 12.0, id),
        col!(required "ファイル名（事案フォルダからの相対パス）" => "ファイル", Kind::Text, 30.0, file),
        col!("SHA-256", Kind::Hash, 30.0, sha256),
        col!("収集日時", Kind::Stamp, 22.0, collected_at),
        col!("収集者", Kind::Text, 16.0, collected_by),
        col!("説明", Kind::Text, 40.0, description),
    ]
);

pub static MEASURES_SHEET: FormSheet = FormSheet {
    name: "再発防止策",
    title: "原因・再発防止策",
    landscape: true,
    parts: &[Part::Group("調査体制", &INVESTIGATION_FIELDS), Part::Table(&CAUSES), Part::Table(&MEASURES)],
    wanted: incident_sheets,
};

pub static GUIDANCE_SHEET: FormSheet = FormSheet {
    name: "指導事項",
    title: "指導事項",
    landscape: true,
    parts: &[Part::Table(&AUTHORITY_ACTIONS), Part::Table(&GUIDANCE)],
    wanted: |_| true,
};

pub static EVIDENCE_SHEET: FormSheet =
    FormSheet { name: "証跡", title: "証跡", landscape: true, parts: &[Part::Table(&EVIDENCE)], wanted: |_| true };
