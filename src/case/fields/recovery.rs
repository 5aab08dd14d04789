//! 復旧状況: recovery of each system and the backups used.

use super::{col, field, incident_sheets, table, Field, FormSheet, Kind, ListTable, Part};
use crate::case::*;

pub static RECOVERY_FIELDS: [Field; 2] = [
    field!("recovery.summary", "復旧の概要", Kind::Text, recovery => summary),
    field!("recovery.full_recovery_on", "全面復旧日", Kind::Date, recovery => full_recovery_on),
];

pub static RESTORED: ListTable<SystemRecovery> = table!(
    "recovery.systems",
    "システムごとの復旧状況",
    recovery => systems,
    [
        col!(required "システム名" => "システム", Kind::Text, 26.0, name),
        col!(required "状況", Kind::Choice(RecoveryStatus::labels), 14.0, status),
        col!("復旧日", Kind::Date, 18.0, restored_on),
        col!("備考", Kind::Text, 40.0, note),
    ]
);

pub static BACKUPS: ListTable<Backup> = table!(
    "recovery.backups",
    "使用したバックアップ",
    recovery => backups,
    [
        col!(required "名称・媒体", Kind::Text, 26.0, name),
        col!("取得日", Kind::Date, 18.0, taken_on),
        col!("オフライン保管" => "保管", Kind::YesNo, 12.0, offline),
        col!("復旧に使えた" => "復旧への使用", Kind::YesNo, 12.0, used),
        col!("備考", Kind::Text, 36.0, note),
    ]
);

pub static SHEET: FormSheet = FormSheet {
    name: "復旧状況",
    title: "復旧状況",
    landscape: true,
    parts: &[Part::Group("復旧の概要", &RECOVERY_FIELDS), Part::Table(&RESTORED), Part::Table(&BACKUPS)],
    wanted: incident_sheets,
};
