//! `kensa verify`: the evidence files and the report of each case, against what was recorded.

use super::outln;
use crate::case::store;
use crate::error::Error;
use crate::verify::{verify, Finding, ReportChoice, Verified};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// 事案フォルダまたは case.toml（複数可）
    #[arg(value_name = "事案", required = true)]
    pub cases: Vec<PathBuf>,
    /// 照合する報告書のフォルダ（省略時は その事案で最後に kensa report が作成した報告書。事案が複数なら フォルダ/事案フォルダ名）
    #[arg(long, value_name = "フォルダ")]
    pub report: Option<PathBuf>,
    /// 出力形式（json はスクリプト向け）
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text, value_name = "形式")]
    pub format: VerifyFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Text,
    Json,
}

/// A case verified, or why it could not be read.
enum Outcome {
    Verified(Verified),
    Failed { case: PathBuf, finding: Finding },
}

pub fn run(args: &VerifyArgs) -> crate::Result<u8> {
    let mut outcomes = Vec::new();
    for case in &args.cases {
        let loaded = match store::load(case) {
            Ok(l) => l,
            Err(e) => {
                let file = store::case_path(case);
                let finding = Finding {
                    code: "case-unreadable",
                    label: "読めません",
                    file: file.clone(),
                    message: e.to_string(),
                };
                outcomes.push(Outcome::Failed { case: file, finding });
                continue;
            }
        };
        let choice = match &args.report {
            Some(dir) if args.cases.len() > 1 => {
                let name = loaded
                    .dir()
                    .file_name()
                    .map(|n| n.to_os_string())
                    .unwrap_or_else(|| loaded.case.case_id.clone().into());
                ReportChoice::Dir(dir.join(name))
            }
            Some(dir) => ReportChoice::Dir(dir.clone()),
            None => ReportChoice::Last,
        };
        outcomes.push(Outcome::Verified(verify(&loaded, &choice)));
    }
    let differences: usize = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Verified(v) => v.findings.len(),
            Outcome::Failed { .. } => 1,
        })
        .sum();
    match args.format {
        VerifyFormat::Json => {
            let cases: Vec<serde_json::Value> = outcomes
                .iter()
                .map(|o| match o {
                    Outcome::Verified(v) => serde_json::to_value(v).unwrap_or_default(),
                    Outcome::Failed { case, finding } => serde_json::json!({ "case": case, "findings": [finding] }),
                })
                .collect();
            let v = serde_json::json!({ "differences": differences, "cases": cases });
            let text =
                serde_json::to_string_pretty(&v).map_err(|e| Error::Build { what: "JSON", detail: e.to_string() })?;
            outln!("{text}");
        }
        VerifyFormat::Text => {
            for o in &outcomes {
                match o {
                    Outcome::Verified(v) => print_verified(v),
                    Outcome::Failed { finding, .. } => outln!("{finding}"),
                }
            }
            if outcomes.len() > 1 {
                if differences == 0 {
                    outln!("相違はありません（{} 件の事案を確認）", outcomes.len());
                } else {
                    outln!("相違 {differences} 件（{} 件の事案を確認）", outcomes.len());
                }
            }
        }
    }
    Ok(if differences > 0 { super::EXIT_FAILURE } else { super::EXIT_OK })
}

fn print_verified(v: &Verified) {
    for f in &v.findings {
        outln!("{f}");
    }
    for n in &v.notes {
        outln!("注意: {n}");
    }
    let report = match &v.report {
        Some(r) => format!("、報告書 {} と照合（{}）", r.dir.display(), r.from),
        None => String::new(),
    };
    if v.findings.is_empty() {
        outln!("{}: 相違はありません（証跡 {} 件を確認{report}）", v.case.display(), v.evidence_checked);
    } else {
        outln!("{}: 相違 {} 件（証跡 {} 件を確認{report}）", v.case.display(), v.findings.len(), v.evidence_checked);
    }
}
