//! 再発防止策, 指導事項 and 証跡: causes and measures, the guidance given, and the evidence.

use super::{col, incident_sheets, table, FormSheet, Kind, ListTable, Part};
use crate::case::*;

pub static CAUSES: ListTable<Cause> = table!(
    "causes",
    "原因",
    causes,
    [
        col!(required "原因", Kind::Text, 50.0, text),
        col!("関係するチェックリスト項目" => "関係する項目", Kind::ItemRefs, 26.0, items),
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
    parts: &[Part::Table(&CAUSES), Part::Table(&MEASURES)],
    wanted: incident_sheets,
};

pub static GUIDANCE_SHEET: FormSheet = FormSheet {
    name: "指導事項",
    title: "指導事項",
    landscape: true,
    parts: &[Part::Table(&GUIDANCE)],
    wanted: |_| true,
};

pub static EVIDENCE_SHEET: FormSheet =
    FormSheet { name: "証跡", title: "証跡", landscape: true, parts: &[Part::Table(&EVIDENCE)], wanted: |_| true };
