//! `kensa checklist list|show`.

use super::Cli;
use crate::checklist::show::{list, show_md, show_text};
use crate::error::Place;
use crate::Error;
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// 使えるチェックリストの一覧を表示します
    List,
    /// チェックリストの項目を表示します
    Show {
        /// チェックリストID（例: mhlw-r7）
        #[arg(value_name = "ID")]
        id: String,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = ShowFormat::Text, value_name = "形式")]
        format: ShowFormat,
        /// 画面ではなくこのファイルに書き出します（あれば置き換えます）。Windows の PowerShell の「>」は日本語を化けさせることがあるので、こちらを使ってください
        #[arg(long, value_name = "ファイル")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// 端末向けの文章
    Text,
    /// Markdown の表
    Md,
    /// JSON
    Json,
}

pub fn run(cli: &Cli, cmd: &ChecklistCommand) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    match cmd {
        ChecklistCommand::List => {
            super::write_stdout(&list(&reg));
            Ok(super::EXIT_OK)
        }
        ChecklistCommand::Show { id, format, out: to } => {
            let c = reg.require(id, Place::Nowhere)?;
            let out = match format {
                ShowFormat::Text => show_text(c),
                ShowFormat::Md => show_md(c),
                ShowFormat::Json => {
                    serde_json::to_string_pretty(c).map_err(|e| Error::Build { what: "JSON", detail: e.to_string() })?
                        + "\n"
                }
            };
            super::emit(to.as_deref(), &out)?;
            Ok(super::EXIT_OK)
        }
    }
}
