//! 時系列: the incident in outline and its timeline.

use super::{col, field, incident_sheets, table, Field, FormSheet, Kind, ListTable, Part};
use crate::case::*;

pub static INCIDENT_FIELDS: [Field; 9] = [
    field!("incident.summary", "事案の概要", Kind::Text, incident => summary),
    field!("incident.occurred_at", "発生日時", Kind::Stamp, incident => occurred_at),
    field!("incident.detected_at", "覚知（検知）日時", Kind::Stamp, incident => detected_at).short("覚知日時"),
    field!("incident.attack_type", "攻撃の種類", Kind::Text, incident => attack_type),
    field!("incident.malware", "マルウェアの種類", Kind::Text, incident => malware),
    field!("incident.entry_vector", "侵入経路", Kind::Text, incident => entry_vector),
    field!("incident.entry_via", "侵入経路となった接続・システム（概要シートの名称）", Kind::Text, incident => entry_via)
        .short("侵入経路となった接続"),
    field!("incident.leak_confirmed_at", "個人データの漏えい等を知った日時", Kind::Stamp, incident => leak_confirmed_at)
        .short("漏えい等を知った日時"),
    field!("incident.unlawful_intent", "不正の目的による漏えい等のおそれ", Kind::Flag, incident => unlawful_intent),
];

pub static TIMELINE: ListTable<Event> = table!(
    "incident.timeline",
    "時系列",
    incident => timeline,
    [col!(required "日時", Kind::Stamp, 22.0, at), col!("出来事", Kind::Text, 60.0, text)]
);

pub static SHEET: FormSheet = FormSheet {
    name: "時系列",
    title: "事案の概要・時系列",
    landscape: false,
    parts: &[Part::Group("事案の概要", &INCIDENT_FIELDS), Part::Table(&TIMELINE)],
    wanted: incident_sheets,
};
