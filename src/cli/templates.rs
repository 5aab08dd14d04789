//! `kensa templates export`: writes the default report templates out for editing.

use super::outln;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// 内蔵の報告書テンプレートをフォルダに書き出します（kensa report --templates で使います）
    Export {
        /// 書き出すフォルダ
        #[arg(value_name = "フォルダ")]
        dir: PathBuf,
        /// 既にあるファイルを上書きします
        #[arg(long)]
        force: bool,
    },
}

pub fn run(cmd: &TemplatesCommand) -> crate::Result<u8> {
    match cmd {
        TemplatesCommand::Export { dir, force } => {
            let written = crate::render::export(&crate::report::TEMPLATES, dir, *force)?;
            for p in &written {
                outln!("{}", p.display());
            }
            outln!(
                "{} 件のテンプレートを書き出しました。必要なファイルだけを編集し、kensa report --templates {} で使います（編集しないファイルは削除してもかまいません）",
                written.len(),
                dir.display()
            );
            Ok(super::EXIT_OK)
        }
    }
}
