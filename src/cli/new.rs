//! `kensa new`: a case folder with every item of the chosen checklists, unanswered.

use super::{outln, Cli};
use crate::case::new::{default_case_id, default_checklists, new_case, parse_kind};
use crate::case::{self, store};
use crate::Error;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// 作成する事案フォルダ
    #[arg(value_name = "フォルダ")]
    pub dir: PathBuf,
    /// 使うチェックリストのID（カンマ区切り）。省略時は最新の厚生労働省チェックリスト（内蔵では mhlw-r7）と、定期: onsite、事案: incident,onsite
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub checklist: Vec<String>,
    /// 施設名
    #[arg(long, value_name = "施設名")]
    pub facility: String,
    /// 検査の種別（定期／事案／報告徴収）
    #[arg(long, default_value = "定期", value_name = "種別")]
    pub kind: String,
    /// 事案ID（省略時は日付とフォルダ名から作ります）
    #[arg(long, value_name = "ID")]
    pub case_id: Option<String>,
    /// 施設の種別（病院／一般診療所／歯科診療所／助産所／薬局）。薬局なら根拠法令を医薬品医療機器等法第69条とします
    #[arg(long, value_name = "種別")]
    pub facility_kind: Option<String>,
    /// 検査の実施日（例: 2026-07-15、令和8年7月15日）。case.toml に書き込みます。省略時は書き込まず、チェックリストの版は今日の日付で確かめます
    #[arg(long, value_name = "日付")]
    pub date: Option<String>,
}

pub fn run(cli: &Cli, args: &NewArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    let kind = parse_kind(&args.kind).ok_or_else(|| {
        Error::Usage(format!("検査の種別「{}」は使えません（定期、事案、報告徴収 のいずれか）", args.kind))
    })?;
    let target = args.dir.join(store::CASE_FILE);
    if target.exists() {
        return Err(Error::Exists {
            path: target,
            what: "事案ファイル",
            hint: "上書きしないので、別のフォルダを指定してください",
        });
    }
    let checklists: Vec<String> = if args.checklist.is_empty() {
        default_checklists(&reg, kind)
    } else {
        args.checklist.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
    };
    let date = match &args.date {
        Some(s) => Some(super::parse_date_option("--date", s)?),
        None => None,
    };
    let today = chrono::Local::now().date_naive();
    let case_id = args.case_id.clone().unwrap_or_else(|| default_case_id(&args.dir, date.unwrap_or(today)));
    let mut c = new_case(&reg, &case_id, &args.facility, kind, &checklists)?;
    if let Some(d) = date {
        c.inspection.dates = vec![crate::values::Date(d)];
    }
    if let Some(k) = &args.facility_kind {
        let kind = crate::case::FacilityKind::from_label(k.trim()).ok_or_else(|| {
            Error::Usage(format!(
                "施設の種別「{k}」は使えません（{} のいずれか）",
                crate::case::FacilityKind::labels().join("、")
            ))
        })?;
        crate::case::new::set_facility_kind(&mut c, kind);
    }
    let saved = case::save(&args.dir, &c, Some(&reg))?;
    outln!(
        "{} を作成しました（事案ID {}、{}（{}）、チェックリスト {}、項目 {} 件）",
        saved.path.display(),
        c.case_id,
        kind,
        c.inspection.legal_basis.join("、"),
        checklists.join("・"),
        c.answers.len()
    );
    // A newer MHLW edition than any installed, published before the inspection.
    let uses_mhlw =
        checklists.iter().any(|id| reg.get(id).is_some_and(|c| c.kind == crate::checklist::ChecklistKind::Mhlw));
    if let Some(e) = reg.newer_edition(date.unwrap_or(today)).filter(|_| uses_mhlw) {
        outln!("お知らせ: {}", crate::checklist::editions::notice(e));
    }
    Ok(super::EXIT_OK)
}
