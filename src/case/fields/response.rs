//! 対応状況: what the facility did and whom it told.

use super::{col, field, incident_sheets, table, Field, FormSheet, Kind, ListTable, Part};
use crate::case::*;

pub static RESPONSE_FIELDS: [Field; 1] = [field!("response.summary", "対応の概要", Kind::Text, response => summary)];

pub static ACTIONS: ListTable<Event> = table!(
    "response.actions",
    "実施した対応",
    response => actions,
    [col!(required "日時", Kind::Stamp, 22.0, at), col!("対応" => "内容", Kind::Text, 60.0, text)]
);

pub static NOTIFICATIONS: ListTable<Notification> = table!(
    "response.notifications",
    "連絡・報告",
    response => notifications,
    [
        col!(required "相手", Kind::Choice(Party::labels), 26.0, party),
        col!(required "日時", Kind::Stamp, 22.0, at),
        col!("内容・相手先の詳細" => "内容", Kind::Text, 44.0, text),
    ]
);

pub static PUBLICATIONS: ListTable<Publication> = table!(
    "response.publications",
    "施設の公表（第N報）",
    response => publications,
    [
        col!("第何報" => "報", Kind::Num32, 8.0, number),
        col!(required "公表日", Kind::Date, 18.0, on),
        col!("数値の項目（例: 影響を受けた患者数）" => "数値の項目", Kind::Text, 24.0, figure),
        col!("数値", Kind::Amount, 12.0, value),
        col!("内容", Kind::Text, 40.0, text),
    ]
);

pub static SHEET: FormSheet = FormSheet {
    name: "対応状況",
    title: "対応状況",
    landscape: true,
    parts: &[
        Part::Group("対応の概要", &RESPONSE_FIELDS),
        Part::Table(&ACTIONS),
        Part::Table(&NOTIFICATIONS),
        Part::Table(&PUBLICATIONS),
    ],
    wanted: incident_sheets,
};
