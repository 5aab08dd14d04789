//! `kensa checklist list|show|import`.

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
    /// 厚生労働省が公表したチェックリストのブック（.xlsx）を、確認用のチェックリスト（TOML）に取り込みます
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// 厚生労働省のブック（.xlsx。医療機関・薬局確認用と事業者確認用など複数可）
    #[arg(value_name = "ブック", required = true)]
    pub files: Vec<PathBuf>,
    /// 作るチェックリストのID（例: mhlw-r8）
    #[arg(long, value_name = "ID")]
    pub id: String,
    /// 前の版のチェックリストID（例: mhlw-r7）。項目ごとに前の版の項目を文言の近さから提案します
    #[arg(long, value_name = "ID")]
    pub predecessor: Option<String>,
    /// 書き出す TOML ファイル
    #[arg(long, value_name = "ファイル")]
    pub out: PathBuf,
    /// 読むシート（省略時は見出し行のあるただ一つのシート）
    #[arg(long, value_name = "シート名")]
    pub sheet: Option<String>,
    /// 版（省略時はブックの表題から。例: 令和8年度版）
    #[arg(long, value_name = "版")]
    pub edition: Option<String>,
    /// 引用するガイドラインの版（省略時は editions.toml の版の記載から。例: 第7.0版）
    #[arg(long, value_name = "版")]
    pub guideline: Option<String>,
    /// 既存のファイルを上書きします
    #[arg(long)]
    pub force: bool,
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
        ChecklistCommand::Import(args) => import(&reg, args),
    }
}

fn import(reg: &crate::checklist::Registry, args: &ImportArgs) -> crate::Result<u8> {
    use crate::checklist::import::{self, Options};
    use crate::cli::outln;
    let opts = Options {
        id: args.id.trim().to_string(),
        predecessor: args.predecessor.clone(),
        sheet: args.sheet.clone(),
        edition: args.edition.clone(),
        guideline: args.guideline.clone(),
    };
    let done = import::import(reg, &args.files, &opts)?;
    // The prefecture's checklist folder may not exist yet.
    let folder = crate::fs::parent(&args.out);
    std::fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    crate::fs::write_new(
        &args.out,
        done.toml.as_bytes(),
        args.force,
        "チェックリストのファイル",
        "上書きするときは --force を付けてください",
    )?;
    let c = &done.checklist;
    outln!(
        "{} を書き出しました（{}、{}、項目 {} 件、すべて verified = false）",
        args.out.display(),
        c.id,
        c.edition,
        c.items.len()
    );
    for s in &done.sheets {
        outln!("  {s}");
    }
    if !done.links.is_empty() {
        outln!("\n前の版（{}）との対応:", args.predecessor.as_deref().unwrap_or_default());
        super::write_stdout(&import::links_table(&done.links));
    }
    let mut confirm: Vec<String> = Vec::new();
    for l in done.links.iter().filter(|l| l.kind == import::LinkKind::Unsure) {
        confirm.push(format!(
            "{}: 前の版に十分に近い項目がありません（最も近いのは {}、一致度 {:.2}）。前の版の項目に当たるか確かめてください",
            l.new,
            l.old,
            l.score.unwrap_or_default()
        ));
    }
    for h in &done.hidden {
        confirm.push(format!("{h}: 非表示の行にある項目です"));
    }
    for s in &done.skipped {
        confirm.push(format!(
            "{} {}: 項目として読まなかった行です（「{}」）",
            s.file,
            s.cell,
            crate::text::short(&s.text, 40)
        ));
    }
    for u in &done.unknown_scopes {
        confirm.push(format!("{u}: kensa の対象の区分にない語です"));
    }
    for r in &done.unknown_refs {
        confirm.push(format!("{r}: ガイドラインの節一覧にない参照です"));
    }
    if c.guideline.is_none() {
        confirm.push("引用するガイドラインの版がわかりません。guideline = \"第7.0版\" のように書いてください".into());
    }
    outln!("\n人が確かめること:");
    outln!("  - 各項目の文言・番号・区分を公式の様式と照らし、確かめた項目を verified = true にする");
    outln!("  - published（公表日）を書き足す");
    for line in confirm {
        outln!("  - {line}");
    }
    Ok(super::EXIT_OK)
}
