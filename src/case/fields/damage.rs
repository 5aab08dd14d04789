//! 被害状況: affected systems, data and clinical services, paper operation and cost.

use super::{col, field, incident_sheets, table, Cell, Field, FormSheet, Kind, ListTable, Part, Val};
use crate::case::*;

fn paper(c: &Case) -> Option<&Period> {
    c.damage.as_ref().and_then(|d| d.paper_operation.as_ref())
}

/// The paper-operation period, created where missing.
pub fn paper_mut(c: &mut Case) -> &mut Period {
    c.damage.get_or_insert_with(Damage::default).paper_operation.get_or_insert_with(Period::default)
}

/// A field of the paper-operation period (inside the optional damage section).
macro_rules! paper_field {
    ($f:ident, $label:literal, $short:literal, $kind:expr) => {
        Field {
            key: concat!("damage.paper_operation.", stringify!($f)),
            label: $label,
            short: $short,
            unit: "",
            kind: $kind,
            get: |c| paper(c).map(|p| p.$f.to_val()).unwrap_or(Val::Empty),
            set: |c, x| {
                paper_mut(c).$f.set_from(x);
            },
        }
    };
}

pub static DAMAGE_FIELDS: [Field; 8] = [
    field!("damage.summary", "被害の概要", Kind::Text, damage => summary),
    field!("damage.estimated_cost_yen", "推計被害額（円）", Kind::Amount, damage => estimated_cost_yen).unit("円"),
    paper_field!(from, "紙運用の開始日", "開始日", Kind::Date),
    paper_field!(to, "紙運用の終了日", "終了日", Kind::Date),
    paper_field!(text, "紙運用の内容", "内容", Kind::Text),
    // The cost split as investigation reports state it.
    field!("damage.cost_recovery_yen", "調査・復旧費（円）", Kind::Amount, damage => cost_recovery_yen)
        .short("調査・復旧費")
        .unit("円"),
    field!("damage.cost_lost_revenue_yen", "逸失利益（円）", Kind::Amount, damage => cost_lost_revenue_yen)
        .short("逸失利益")
        .unit("円"),
    field!("damage.cost_settlement_yen", "賠償・和解（円）", Kind::Amount, damage => cost_settlement_yen)
        .short("賠償・和解")
        .unit("円"),
];

pub static DEVICES: ListTable<DeviceCount> = table!(
    "damage.devices",
    "影響を受けた機器（種類ごと）",
    damage => devices,
    [
        col!(required "機器の種類" => "種類", Kind::Choice(DeviceKind::labels), 24.0, kind),
        col!("影響の種類", Kind::Choice(DeviceEffect::labels), 12.0, effect),
        col!("台数", Kind::Amount, 10.0, count),
        col!("備考", Kind::Text, 40.0, note),
    ]
);

pub static PERSONS: ListTable<PersonCount> = table!(
    "damage.persons",
    "影響を受けた人（区分ごと）",
    damage => persons,
    [
        col!(required "区分", Kind::Choice(PersonCategory::labels), 12.0, category),
        col!("人数", Kind::Amount, 12.0, count),
        col!("備考", Kind::Text, 50.0, note),
    ]
);

pub static AFFECTED: ListTable<AffectedSystem> = table!(
    "damage.systems",
    "影響を受けたシステム",
    damage => systems,
    [
        col!(required "システム名" => "システム", Kind::Text, 26.0, name),
        col!("影響の種類", Kind::Choice(DeviceEffect::labels), 12.0, effect),
        col!("サーバ（台）", Kind::Amount, 10.0, servers),
        col!("端末PC（台）", Kind::Amount, 10.0, pcs),
        col!("備考", Kind::Text, 40.0, note),
    ]
);

pub static DATA: ListTable<DataImpact> = table!(
    "damage.data",
    "暗号化・漏えい等したデータ",
    damage => data,
    [
        col!(required "状態", Kind::Choice(DataImpactKind::labels), 16.0, kind),
        col!("件数", Kind::Amount, 12.0, records),
        col!("本人の数", Kind::Amount, 12.0, persons),
        col!("データの項目", Kind::Words, 30.0, items),
        col!("備考", Kind::Text, 30.0, note),
    ]
);

pub static CLINICAL: ListTable<ClinicalImpact> = table!(
    "damage.clinical",
    "診療への影響",
    damage => clinical,
    [
        col!(required "区分", Kind::Choice(ClinicalService::labels), 12.0, service),
        col!("内容", Kind::Text, 36.0, text),
        col!("停止・制限の開始日", Kind::Date, 18.0, from),
        col!("再開日", Kind::Date, 18.0, to),
        col!("件数", Kind::Amount, 10.0, count),
    ]
);

pub static SHEET: FormSheet = FormSheet {
    name: "被害状況",
    title: "被害状況",
    landscape: true,
    parts: &[
        Part::Group("被害の概要", &DAMAGE_FIELDS),
        Part::Table(&AFFECTED),
        Part::Table(&DATA),
        Part::Table(&CLINICAL),
        Part::Table(&DEVICES),
        Part::Table(&PERSONS),
    ],
    wanted: incident_sheets,
};
