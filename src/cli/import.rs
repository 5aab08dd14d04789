//! `kensa import`: reads a filled field workbook back into case.toml.

use super::{outln, Cli};
use crate::case::{self, store};
use crate::check::Context;
use crate::merge::{merge, Prefer};
use crate::workbook::read;
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

pub fn run(cli: &Cli, args: &ImportArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    let first = case::load(&args.case)?;
    let first_id = first.case.case_id.clone();
    // A workbook that cannot be imported is refused before anything is written.
    let data = read::read(&args.workbook, &reg, read::Purpose::Merge { case_id: Some(&first_id) })?;
    // One writer per case folder: the lock is held from the read of the case to its write (a dry
    // run writes nothing and takes none).
    let (_lock, loaded) = if args.dry_run {
        (None, first)
    } else {
        let (lock, loaded) = store::load_for_update(&first.path, "import")?;
        (Some(lock), loaded)
    };
    // Changed meanwhile (another writer finished first): the workbook is read for the case as it is.
    let data = if loaded.case.case_id == first_id {
        data
    } else {
        read::read(&args.workbook, &reg, read::Purpose::Merge { case_id: Some(&loaded.case.case_id) })?
    };
    let outcome = merge(&loaded.case, &data, &reg, args.prefer.map(Prefer::from));
    outln!("{} → {}（{}）", args.workbook.display(), loaded.path.display(), data.audience.label());
    super::write_stdout(&outcome.summary());
    if outcome.blocked() {
        return Err(Error::file(
            &loaded.path,
            format!(
                "競合が {} 件あるため取り込みを中止しました（事案ファイルは変更していません）。値を確かめ、--prefer workbook（ワークブックを採用）または --prefer case（事案ファイルを残す）を指定してください",
                outcome.conflicts.len()
            ),
        ));
    }
    let fresh = crate::check::new_errors(&loaded.case, &outcome.case, &reg, &Context::today());
    if !fresh.is_empty() {
        let errors = fresh
            .into_iter()
            .map(|d| {
                Error::file(
                    &args.workbook,
                    format!("取り込むと事案ファイルに次の誤りが生じるため、取り込みを中止しました（事案ファイルは変更していません）: {}", d.message),
                )
            })
            .collect();
        return Err(Error::many(errors));
    }
    if args.dry_run {
        outln!("（--dry-run のため、事案ファイルは変更していません）");
        return Ok(super::EXIT_OK);
    }
    if outcome.case == loaded.case {
        return Ok(super::EXIT_OK);
    }
    let saved = store::update(&loaded, &outcome.case, Some(&reg)).map_err(|e| {
        e.next_step(format!(
            "取り込む内容はワークブック {} にそのまま残っています。変更を確かめてから、もう一度 kensa import を実行してください",
            args.workbook.display()
        ))
    })?;
    match &saved.backup {
        Some(b) => outln!("{} を更新しました（以前の内容は {} に保存）", saved.path.display(), b.display()),
        None => outln!("{} を更新しました", saved.path.display()),
    }
    if !saved.in_place {
        outln!("（コメントや書式をそのまま残して書き換えられなかったため、事案ファイル全体を書き直しました。以前の内容はバックアップにあります）");
    }
    Ok(super::EXIT_OK)
}
