//! `kensa schema`: the JSON Schema of case.toml (or of a checklist file).

use super::outln;
use crate::case::Case;
use crate::checklist::Checklist;
use clap::Args;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// 事案ファイルではなくチェックリストファイルのスキーマを出力します
    #[arg(long)]
    pub checklist: bool,
}

pub fn run(args: &SchemaArgs) -> crate::Result<u8> {
    let schema = if args.checklist { schemars::schema_for!(Checklist) } else { schemars::schema_for!(Case) };
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| crate::Error::Build { what: "スキーマ", detail: e.to_string() })?;
    outln!("{text}");
    Ok(super::EXIT_OK)
}
