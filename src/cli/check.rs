//! `kensa check`: finds errors and warnings in case folders, case files and checklist files.

use super::{outln, Cli};
use crate::check::files::check_path;
use crate::check::Context;
use crate::diag::Severity;
use crate::error::Error;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 事案フォルダ、case.toml、またはチェックリストの TOML（複数可）
    #[arg(value_name = "パス", required = true)]
    pub paths: Vec<PathBuf>,
    /// 出力形式（json はスクリプト向け）
    #[arg(long, value_enum, default_value_t = CheckFormat::Text, value_name = "形式")]
    pub format: CheckFormat,
    /// この日の時点で確認します（期限を過ぎた未提出の報告を警告。例: 2024-07-19、令和6年7月19日。省略時は今日）
    #[arg(long, value_name = "日付")]
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

pub fn run(cli: &Cli, args: &CheckArgs) -> crate::Result<u8> {
    let ctx = match &args.as_of {
        Some(s) => Context { as_of: super::parse_date_option("--as-of", s)? },
        None => Context::today(),
    };
    let reg = super::registry(cli)?;
    let mut all = Vec::new();
    for p in &args.paths {
        let mut found = check_path(&reg, p, &ctx);
        found.sort_by_key(|d| (d.line, d.column));
        all.extend(found);
    }
    let errors = all.iter().filter(|d| d.diagnostic.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    match args.format {
        CheckFormat::Json => {
            let v = serde_json::json!({
                "files": args.paths,
                "errors": errors,
                "warnings": warnings,
                "diagnostics": all,
            });
            let text =
                serde_json::to_string_pretty(&v).map_err(|e| Error::Build { what: "JSON", detail: e.to_string() })?;
            outln!("{text}");
        }
        CheckFormat::Text => {
            for d in &all {
                outln!("{d}");
            }
            if all.is_empty() {
                outln!("問題は見つかりませんでした（{} 件を確認）", args.paths.len());
            } else {
                outln!("エラー {errors} 件、警告 {warnings} 件（{} 件を確認）", args.paths.len());
            }
        }
    }
    Ok(if errors > 0 {
        super::EXIT_FAILURE
    } else if warnings > 0 {
        super::EXIT_WARNINGS
    } else {
        super::EXIT_OK
    })
}
