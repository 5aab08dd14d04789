//! 時系列: the incident in outline and its timeline.

use super::{col, field, incident_sheets, table, Field, FormSheet, Kind, ListTable, Part};
use crate::case::*;

pub static INCIDENT_FIELDS: [Field; 13] = [
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
    // Ransom, as investigation reports state it (any of it may be unknown).
    field!("incident.ransom_demanded", "身代金の要求", Kind::Choice(Presence::labels), incident => ransom_demanded),
    field!("incident.ransom_amount_yen", "要求された身代金の額（円換算）", Kind::Amount, incident => ransom_amount_yen)
        .short("要求された身代金の額")
        .unit("円"),
    field!("incident.ransom_paid", "身代金の支払", Kind::Choice(Presence::labels), incident => ransom_paid),
    field!("incident.ransom_note", "身代金についての備考", Kind::Text, incident => ransom_note),
];

pub static SAME_ROUTE: ListTable<RouteFacility> = table!(
    "incident.same_route",
    "同じ委託先・事業者を経由して被害を受けた他の施設",
    incident => same_route,
    [col!(required "施設名", Kind::Text, 30.0, name), col!("被害の内容・備考" => "備考", Kind::Text, 50.0, note)]
);

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
    parts: &[Part::Group("事案の概要", &INCIDENT_FIELDS), Part::Table(&TIMELINE), Part::Table(&SAME_ROUTE)],
    wanted: incident_sheets,
};
