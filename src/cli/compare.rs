//! `kensa compare`: last inspection against this one, item by item of the MHLW checklist.

use super::{outln, Cli};
use crate::case::store;
use crate::compare::{compare, Trend};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// 前回の事案フォルダまたは case.toml（例: 令和6年度版で確認したもの）
    #[arg(value_name = "前回")]
    pub before: PathBuf,
    /// 今回の事案フォルダまたは case.toml
    #[arg(value_name = "今回")]
    pub after: PathBuf,
    /// 出力形式（text: 端末向け、md: Markdown の表）
    #[arg(long, value_enum, default_value_t = CompareFormat::Text, value_name = "形式")]
    pub format: CompareFormat,
    /// 別の施設（医療機関コードまたは施設名が違う）の記録どうしでも比べる（既定ではエラー）
    #[arg(long)]
    pub allow_other_facility: bool,
    /// 画面ではなくこのファイルに書き出します（あれば置き換えます）。Windows の PowerShell の「>」は日本語を化けさせることがあるので、こちらを使ってください
    #[arg(long, value_name = "ファイル")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Text,
    Md,
}

pub fn run(cli: &Cli, args: &CompareArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    let before = store::load(&args.before)?;
    let after = store::load(&args.after)?;
    let cmp = compare(&reg, &before.case, &after.case);
    if cmp.lines.is_empty() {
        return Err(crate::Error::file(
            &after.path,
            "厚生労働省のチェックリスト（mhlw-r7 など）を使っていないため、比較する項目がありません",
        ));
    }
    if cmp.other_facility && !args.allow_other_facility {
        let (b, a) = (&before.case.facility, &after.case.facility);
        let named = |f: &crate::case::Facility| {
            if f.code.trim().is_empty() {
                format!("「{}」", f.name.trim())
            } else {
                format!("「{}」（{}）", f.name.trim(), f.code.trim())
            }
        };
        return Err(crate::Error::file(
            &after.path,
            format!(
                "前回 {} の{}と今回の{}は別の施設の記録です。同じ施設の検査を指定してください（別の施設と承知で比べるときは --allow-other-facility を付けてください）",
                before.path.display(),
                named(b),
                named(a)
            ),
        ));
    }
    let text = match args.format {
        CompareFormat::Text => cmp.to_text(),
        CompareFormat::Md => cmp.to_markdown(),
    };
    super::emit(args.out.as_deref(), &text)?;
    if cmp.count(Trend::Worse) > 0 {
        outln!("※前回より悪化した項目が {} 件あります", cmp.count(Trend::Worse));
    }
    Ok(super::EXIT_OK)
}
