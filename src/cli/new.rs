//! `kensa new`: a case folder with every item of the chosen checklists, unanswered.

use super::{outln, Cli};
use crate::case::{self, Answer, Case, Damage, Facility, Incident, Inspection, InspectionKind, Recovery, Response};
use crate::checklist::Registry;
use crate::Error;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct NewArgs {
    /// 作成する事案フォルダ
    #[arg(value_name = "フォルダ")]
    pub dir: PathBuf,
    /// 使うチェックリストのID（カンマ区切り）。省略時は 定期: mhlw-r7,onsite、事案: mhlw-r7,incident,onsite
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
}

/// Reads the inspection kind from its short or full Japanese name.
pub fn parse_kind(s: &str) -> Option<InspectionKind> {
    match s.trim() {
        "定期" | "定期の立入検査" | "routine" => Some(InspectionKind::Routine),
        "事案" | "事案に係る立入検査" | "incident" => Some(InspectionKind::Incident),
        "報告徴収" | "報告" | "report" => Some(InspectionKind::ReportRequest),
        _ => None,
    }
}

/// A new case with every item of `checklists` present and unanswered.
pub fn new_case(
    reg: &Registry,
    case_id: &str,
    facility: &str,
    kind: InspectionKind,
    checklists: &[String],
) -> crate::Result<Case> {
    let mut answers = Vec::new();
    for id in checklists {
        let c = reg.get(id).ok_or_else(|| {
            Error::Other(format!("チェックリスト「{id}」はありません（使えるもの: {}）", reg.ids().join("、")))
        })?;
        answers.extend(c.items.iter().map(|i| Answer::unanswered(c.item_ref(i))));
    }
    let incident = kind == InspectionKind::Incident;
    Ok(Case {
        format: case::model::FORMAT_VERSION,
        case_id: case_id.to_string(),
        facility: Facility { name: facility.to_string(), ..Facility::default() },
        inspection: Inspection {
            kind: Some(kind),
            legal_basis: vec!["医療法第25条第1項".to_string()],
            checklists: checklists.to_vec(),
            ..Inspection::default()
        },
        incident: incident.then(Incident::default),
        damage: incident.then(Damage::default),
        response: incident.then(Response::default),
        recovery: incident.then(Recovery::default),
        answers,
        ..Case::default()
    })
}

pub fn run(cli: &Cli, args: &NewArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    let kind = parse_kind(&args.kind).ok_or_else(|| {
        Error::Other(format!("検査の種別「{}」は使えません（定期、事案、報告徴収 のいずれか）", args.kind))
    })?;
    if args.facility.trim().is_empty() {
        return Err(Error::Other("施設名（--facility）が空です".into()));
    }
    let target = args.dir.join(case::store::CASE_FILE);
    if target.exists() {
        return Err(Error::file(
            &target,
            "既に事案ファイルがあります。上書きしないので、別のフォルダを指定してください",
        ));
    }
    let checklists: Vec<String> = if args.checklist.is_empty() {
        match kind {
            InspectionKind::Incident => vec!["mhlw-r7".into(), "incident".into(), "onsite".into()],
            _ => vec!["mhlw-r7".into(), "onsite".into()],
        }
    } else {
        args.checklist.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
    };
    let case_id = args.case_id.clone().unwrap_or_else(|| default_case_id(&args.dir));
    let c = new_case(&reg, &case_id, args.facility.trim(), kind, &checklists)?;
    let path = case::save(&args.dir, &c, Some(&reg))?;
    outln!(
        "{} を作成しました（事案ID {}、{}、チェックリスト {}、項目 {} 件）",
        path.display(),
        c.case_id,
        kind,
        checklists.join("・"),
        c.answers.len()
    );
    Ok(super::EXIT_OK)
}

fn default_case_id(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "case".to_string());
    format!("{}-{}", chrono::Local::now().format("%Y%m%d"), name)
}
