//! `kensa schema`: the JSON Schema of case.toml (or of a checklist file).

use crate::case::Case;
use crate::checklist::Checklist;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// 事案ファイルではなくチェックリストファイルのスキーマを出力します
    #[arg(long)]
    pub checklist: bool,
    /// 画面ではなくこのファイルに書き出します（あれば置き換えます）。Windows の PowerShell の「>」は日本語を化けさせることがあるので、こちらを使ってください
    #[arg(long, value_name = "ファイル")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &SchemaArgs) -> crate::Result<u8> {
    let schema = if args.checklist { schemars::schema_for!(Checklist) } else { schemars::schema_for!(Case) };
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| crate::Error::Build { what: "スキーマ", detail: e.to_string() })?;
    super::emit(args.out.as_deref(), &format!("{text}\n"))?;
    Ok(super::EXIT_OK)
}
