//! 概要: the facility, its information systems and the inspection.

use super::{col, field, table, Field, FormSheet, Kind, ListTable, Part};
use crate::case::*;

pub static FACILITY_FIELDS: [Field; 11] = [
    field!("facility.name", "施設名", Kind::Text, facility.name),
    field!("facility.kind", "種別", Kind::Choice(FacilityKind::labels), facility.kind),
    field!("facility.code", "医療機関コード（10桁）", Kind::Code, facility.code).short("医療機関コード"),
    field!("facility.founder", "開設者", Kind::Text, facility.founder),
    field!("facility.manager", "管理者", Kind::Text, facility.manager),
    field!("facility.address", "所在地", Kind::Text, facility.address),
    field!("facility.beds", "病床数", Kind::Num32, facility.beds).unit("床"),
    field!("facility.authority.name", "所管の自治体", Kind::Text, facility.authority.name).short("所管"),
    field!("facility.authority.office", "担当部署・保健所", Kind::Text, facility.authority.office).short("担当部署"),
    // ガイドライン第7.0版（保守委託機関編）.
    field!(
        "facility.maintenance_entrusted",
        "保守委託機関（セキュリティ更新をすべて契約により事業者に委託。ガイドライン第7.0版 保守委託機関編）",
        Kind::YesNo,
        facility.maintenance_entrusted
    )
    .short("保守委託機関"),
    field!(
        "facility.maintenance_basis",
        "保守委託機関とする根拠（契約書の名称・条項など）",
        Kind::Text,
        facility.maintenance_basis
    )
    .short("保守委託機関の根拠"),
];

pub static SYSTEMS: ListTable<InfoSystem> = table!(
    "facility.systems",
    "医療情報システムとその事業者",
    facility.systems,
    [
        col!(required "システム名" => "システム", Kind::Text, 26.0, name),
        col!("事業者（保守会社）" => "事業者", Kind::Text, 26.0, vendor),
        col!("リモートメンテナンス", Kind::YesNo, 12.0, remote_maintenance),
        col!("備考", Kind::Text, 40.0, note),
    ]
);

pub static CONNECTIONS: ListTable<Connection> = table!(
    "facility.connections",
    "外部との接続（委託先のVPN、ビル管理の回線なども）",
    facility.connections,
    [
        col!(required "接続の名称" => "接続", Kind::Text, 26.0, name),
        col!("種類", Kind::Choice(ConnectionKind::labels), 14.0, kind),
        col!("接続先（委託先・事業者）" => "接続先", Kind::Text, 26.0, party),
        col!("用途", Kind::Text, 20.0, purpose),
        col!("備考", Kind::Text, 30.0, note),
    ]
);

pub static INSPECTION_FIELDS: [Field; 3] = [
    field!("inspection.kind", "検査の種別", Kind::Choice(InspectionKind::labels), inspection.kind),
    field!("inspection.note", "講評・備考", Kind::Text, inspection.note),
    // On the facility's self-check it stands above the first checklist sheet's items
    // (`workbook::SELF_CHECK_FIELDS`).
    field!("self_check.filled_on", "自己点検票の記入日（医療機関）", Kind::Date, self_check.filled_on)
        .short("自己点検票の記入日"),
];

pub static DATES: ListTable<Date> =
    table!("inspection.dates", "実施日", inspection.dates, [col!(required "実施日", Kind::Date, 22.0)]);

pub static LEGAL_BASIS: ListTable<String> = table!(
    "inspection.legal_basis",
    "根拠法令",
    inspection.legal_basis,
    [col!("根拠法令（例: 医療法第25条第1項）", Kind::Text, 26.0)]
);

pub static CHECKLISTS: ListTable<String> = table!(
    "inspection.checklists",
    "使用したチェックリスト",
    inspection.checklists,
    [col!("チェックリストID", Kind::Text, 26.0)]
);

pub static DOCUMENTS: ListTable<String> =
    table!("inspection.documents", "確認した書類", inspection.documents, [col!("書類", Kind::Text, 26.0)]);

pub static INSPECTORS: ListTable<Inspector> = table!(
    "inspection.inspectors",
    "医療監視員",
    inspection.inspectors,
    [
        col!(required "氏名", Kind::Text, 26.0, name),
        col!("身分証明書の番号", Kind::Text, 26.0, id_number),
        col!("証明書を提示（第25条第5項）", Kind::Flag, 12.0, id_shown),
    ]
);

pub static ATTENDEES: ListTable<Attendee> = table!(
    "inspection.attendees",
    "施設側の立会者",
    inspection.attendees,
    [col!(required "氏名", Kind::Text, 26.0, name), col!("役職", Kind::Text, 26.0, role)]
);

pub static SHEET: FormSheet = FormSheet {
    name: "概要",
    title: "施設・検査の概要",
    landscape: false,
    parts: &[
        Part::Group("施設", &FACILITY_FIELDS),
        Part::Table(&SYSTEMS),
        Part::Table(&CONNECTIONS),
        Part::Group("検査", &INSPECTION_FIELDS),
        Part::Table(&DATES),
        Part::Table(&INSPECTORS),
        Part::Table(&ATTENDEES),
        Part::Table(&DOCUMENTS),
        Part::Table(&LEGAL_BASIS),
        Part::Table(&CHECKLISTS),
    ],
    wanted: |_| true,
};
