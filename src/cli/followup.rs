//! `kensa followup`: replies to guidance, preventive measures and target dates of checklist
//! items that are overdue or come due soon, across the cases under some paths.

use super::Cli;
use crate::assess::followup::{Window, DEFAULT_WITHIN_DAYS};
use crate::error::Error;
use crate::followup;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct FollowupArgs {
    /// 事案フォルダ、case.toml、または事案フォルダを含むフォルダ（複数可。下のフォルダも探します。backup は除きます）
    #[arg(value_name = "パス", required = true)]
    pub paths: Vec<PathBuf>,
    /// この日の時点で判断します（例: 2025-11-01、令和7年11月1日。省略時は今日）
    #[arg(long, value_name = "日付")]
    pub as_of: Option<String>,
    /// この日数以内に期限が来るものも一覧にします（0 で期限超過と今日が期限のものだけ。既定: 30）
    #[arg(long, value_name = "日数", allow_hyphen_values = true)]
    pub within: Option<String>,
    /// 出力形式（text: 端末向け、md: Markdown の表、csv: Excel 向け（BOM 付き UTF-8）、json: スクリプト向け）
    #[arg(long, value_enum, default_value_t = FollowupFormat::Text, value_name = "形式")]
    pub format: FollowupFormat,
    /// 画面ではなくこのファイルに書き出します（あれば置き換えます）。Windows の PowerShell の「>」は日本語を化けさせることがあるので、こちらを使ってください
    #[arg(long, value_name = "ファイル")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FollowupFormat {
    Text,
    Md,
    Csv,
    Json,
}

/// Reads `--within`: a whole number of days, 0 or more.
fn parse_within(s: &str) -> crate::Result<u32> {
    s.trim().parse::<u32>().map_err(|_| {
        Error::Usage(format!("--within の日数「{s}」が読めません。0 以上の整数で指定してください（例: 30）"))
    })
}

pub fn run(cli: &Cli, args: &FollowupArgs) -> crate::Result<u8> {
    let as_of = match &args.as_of {
        Some(s) => super::parse_date_option("--as-of", s)?,
        None => chrono::Local::now().date_naive(),
    };
    let within = match &args.within {
        Some(s) => parse_within(s)?,
        None => DEFAULT_WITHIN_DAYS,
    };
    let reg = super::registry(cli)?;
    let list = followup::collect(&reg, &args.paths, Window { as_of, within });
    for e in &list.failures {
        super::print_error(e);
    }
    for (p, why) in &list.skipped {
        eprintln!("{}: {why}", p.display());
    }
    if list.cases == 0 {
        eprintln!("読める事案ファイル・ワークブックがありませんでした");
        return Ok(super::EXIT_FAILURE);
    }
    let out = match args.format {
        FollowupFormat::Text => followup::to_text(&list),
        FollowupFormat::Md => followup::to_markdown(&list),
        FollowupFormat::Csv => followup::to_csv(&list)?,
        FollowupFormat::Json => followup::to_json(&list)? + "\n",
    };
    super::emit(args.out.as_deref(), &out)?;
    if !list.failures.is_empty() {
        eprintln!(
            "読めなかったファイル・フォルダが {} 件あります（上のエラーを確認してください）",
            list.failures.len()
        );
    }
    // Overdue items decide the exit code (a scheduled task alerts on 3) even if some case could
    // not be read; otherwise a failure to read is one.
    Ok(if list.overdue() > 0 {
        super::EXIT_WARNINGS
    } else if !list.failures.is_empty() {
        super::EXIT_FAILURE
    } else {
        super::EXIT_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_is_a_whole_number_of_days() {
        assert_eq!(parse_within("30").unwrap(), 30);
        assert_eq!(parse_within(" 0 ").unwrap(), 0);
        for bad in ["-1", "三十", "1.5", ""] {
            let e = parse_within(bad).unwrap_err();
            assert!(e.is_usage() && e.to_string().contains("--within"), "{e}");
        }
    }
}
