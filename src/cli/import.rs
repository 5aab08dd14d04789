//! `kensa import`: reads a filled field workbook back into case.toml.

use super::{outln, Cli};
use crate::case::{self, store};
use crate::workbook::import::{self, Outcome, Prefer};
use crate::Error;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 取り込み先の事案フォルダまたは case.toml
    #[arg(value_name = "事案")]
    pub case: PathBuf,
    /// 記入済みのワークブック（kensa workbook で作成した .xlsx）
    #[arg(value_name = "ワークブック")]
    pub workbook: PathBuf,
    /// 変更内容を表示するだけで、事案ファイルは書き換えません
    #[arg(long)]
    pub dry_run: bool,
    /// 事案ファイルとワークブックで値が異なるとき、どちらを優先するか（workbook: ワークブックの値を採用、case: 事案ファイルの値を残す）。指定しなければ取り込みを中止します
    #[arg(long, value_enum, value_name = "優先", hide_possible_values = true)]
    pub prefer: Option<PreferArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferArg {
    /// ワークブックの値を採用します
    Workbook,
    /// 事案ファイルの値を残します
    Case,
}

impl From<PreferArg> for Prefer {
    fn from(p: PreferArg) -> Prefer {
        match p {
            PreferArg::Workbook => Prefer::Workbook,
            PreferArg::Case => Prefer::Case,
        }
    }
}

/// The Japanese summary of an import.
pub fn summary(o: &Outcome) -> String {
    let mut s = String::new();
    if o.changes.is_empty() {
        s.push_str("変更はありません。\n");
    } else {
        s.push_str(&format!("変更 {} 件:\n", o.changes.len()));
        for c in &o.changes {
            s.push_str(&format!("  {}: {} → {}\n", c.place, c.old, c.new));
        }
    }
    if !o.conflicts.is_empty() {
        let how = match o.prefer {
            None => "事案ファイルとワークブックの値が異なります",
            Some(Prefer::Workbook) => "--prefer workbook によりワークブックの値を採用しました",
            Some(Prefer::Case) => "--prefer case により事案ファイルの値を残しました",
        };
        s.push_str(&format!("競合 {} 件（{how}）:\n", o.conflicts.len()));
        for c in &o.conflicts {
            s.push_str(&format!(
                "  {} {}: 事案ファイル「{}」／ワークブック「{}」\n",
                c.at, c.place, c.case, c.workbook
            ));
        }
    }
    if !o.differences.is_empty() {
        s.push_str(&format!("医療機関の回答と医療監視員の確認結果が異なる項目 {} 件:\n", o.differences.len()));
        for d in &o.differences {
            s.push_str(&format!("  {d}\n"));
        }
    }
    s
}

pub fn run(cli: &Cli, args: &ImportArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    let loaded = case::load(&args.case)?;
    let parsed = import::read(&args.workbook, &reg, Some(&loaded.case))?;
    let outcome = import::merge(&loaded.case, &parsed, &reg, args.prefer.map(Prefer::from));
    outln!("{} → {}（{}）", args.workbook.display(), loaded.path.display(), parsed.audience.label());
    super::write_stdout(&summary(&outcome));
    if outcome.blocked() {
        return Err(Error::Other(format!(
            "競合が {} 件あるため取り込みを中止しました（事案ファイルは変更していません）。値を確かめ、--prefer workbook（ワークブックを採用）または --prefer case（事案ファイルを残す）を指定してください",
            outcome.conflicts.len()
        )));
    }
    if args.dry_run {
        outln!("（--dry-run のため、事案ファイルは変更していません）");
        return Ok(super::EXIT_OK);
    }
    if outcome.case == loaded.case {
        return Ok(super::EXIT_OK);
    }
    let written = if loaded.path.file_name().is_some_and(|n| n == store::CASE_FILE) {
        case::save(loaded.dir(), &outcome.case, Some(&reg))?
    } else {
        let text = store::to_text(&outcome.case, Some(&reg))?;
        store::parse(&loaded.path, &text)?;
        let mut bak = loaded.path.clone().into_os_string();
        bak.push(".bak");
        store::write_atomic(&loaded.path, text.as_bytes(), Some(&PathBuf::from(bak)))?;
        loaded.path.clone()
    };
    outln!("{} を更新しました（以前の内容は .bak に保存）", written.display());
    Ok(super::EXIT_OK)
}
