//! `kensa report`: the investigation report for MHLW (report.xlsx, report.md, report.html).

use super::{outln, Cli};
use crate::case::store;
use crate::check::{check_case, Context};
use crate::checklist::Registry;
use crate::diag::Severity;
use crate::error::Error;
use crate::report::{self, DateStyle, Options, OutputFormat, DEFAULT_ADDRESSEE};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 事案フォルダまたは case.toml（複数可）
    #[arg(value_name = "事案", required = true)]
    pub cases: Vec<PathBuf>,
    /// 出力先のフォルダ（省略時は 事案フォルダ/report。事案が複数なら 出力先/事案フォルダ名）
    #[arg(long, value_name = "フォルダ")]
    pub out: Option<PathBuf>,
    /// 出力形式（カンマ区切り。xlsx、md、html）
    #[arg(long, value_delimiter = ',', default_value = "xlsx,md,html", value_name = "形式")]
    pub format: Vec<String>,
    /// 報告書テンプレートのフォルダ。同じ名前のファイルが内蔵のテンプレートに代わります（kensa templates export で書き出せます）
    #[arg(long, value_name = "フォルダ")]
    pub templates: Option<PathBuf>,
    /// 日付の書き方（wareki: 令和7年6月1日、iso: 2025-06-01）
    #[arg(long, value_enum, default_value_t = DateStyleArg::Wareki, value_name = "書き方")]
    pub date_style: DateStyleArg,
    /// 宛先
    #[arg(long, default_value = DEFAULT_ADDRESSEE, value_name = "宛先")]
    pub addressee: String,
    /// 作成日時（例: 2025-07-01T10:00:00。省略時は現在の日時）。同じ事案と作成日時からは同じ報告書ができます
    #[arg(long, value_name = "日時")]
    pub generated_at: Option<String>,
    /// 1桁の数字を全角で書きます（例: 令和７年６月１日、第１）。Markdown と HTML に適用します
    #[arg(long)]
    pub zenkaku_digits: bool,
    /// 出力先にある報告書のファイルを、kensa が作成していないもの・作成後に編集されたもの・別の事案の報告書でも置き換えます（指定しなければ、この事案の報告書として kensa が作成したままのファイルだけを置き換えます）
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateStyleArg {
    Wareki,
    Iso,
}

/// Turns the arguments into checked options before any work starts.
/// Turns the arguments into checked options before any work starts; `folder` is the case's own
/// folder name under `--out` when several cases are reported.
pub fn options(args: &ReportArgs, loaded: &store::LoadedCase, folder: Option<&str>) -> crate::Result<Options> {
    let out_dir = match (&args.out, folder) {
        (Some(out), Some(name)) => out.join(name),
        (Some(out), None) => out.clone(),
        (None, _) => report::default_out_dir(loaded),
    };
    let mut formats = Vec::new();
    for f in args.format.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let parsed = OutputFormat::parse(f)
            .ok_or_else(|| Error::Usage(format!("出力形式「{f}」は使えません（xlsx、md、html のいずれか）")))?;
        if !formats.contains(&parsed) {
            formats.push(parsed);
        }
    }
    if formats.is_empty() {
        return Err(Error::Usage("出力形式（--format）が空です（xlsx、md、html のいずれか）".into()));
    }
    let generated_at = match &args.generated_at {
        Some(s) => report::parse_generated_at(s).ok_or_else(|| Error::Date {
            option: "--generated-at",
            message: format!("作成日時「{s}」が読めません（例: 2025-07-01T10:00:00）"),
        })?,
        None => {
            let now = chrono::Local::now().naive_local();
            chrono::Timelike::with_nanosecond(&now, 0).unwrap_or(now)
        }
    };
    if let Some(t) = &args.templates {
        if !t.is_dir() {
            return Err(Error::file(t, "テンプレートのフォルダがありません（--templates）"));
        }
    }
    let addressee = args.addressee.trim();
    if addressee.is_empty() {
        return Err(Error::Usage("宛先（--addressee）が空です".into()));
    }
    Ok(Options {
        out_dir,
        formats,
        templates: args.templates.clone(),
        date_style: match args.date_style {
            DateStyleArg::Wareki => DateStyle::Wareki,
            DateStyleArg::Iso => DateStyle::Iso,
        },
        addressee: addressee.to_string(),
        generated_at,
        zenkaku_digits: args.zenkaku_digits,
        force: args.force,
    })
}

pub fn run(cli: &Cli, args: &ReportArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    if args.cases.len() == 1 {
        return one(&reg, args, &args.cases[0], None);
    }
    // Several cases: each is reported on its own, in a folder of its own; a failure does not
    // stop the others.
    let dirs: Vec<PathBuf> =
        args.cases.iter().map(|c| store::case_path(c).parent().map(Path::to_path_buf).unwrap_or_default()).collect();
    let names = report::folder_names(&dirs);
    let mut failed = 0;
    for (case, name) in args.cases.iter().zip(&names) {
        if let Err(e) = one(&reg, args, case, Some(name)) {
            super::print_error(&e);
            failed += 1;
        }
    }
    if failed > 0 {
        eprintln!("{} 件中 {failed} 件の報告書を作成できませんでした", args.cases.len());
        return Ok(super::EXIT_FAILURE);
    }
    Ok(super::EXIT_OK)
}

fn one(reg: &Registry, args: &ReportArgs, case: &Path, folder: Option<&str>) -> crate::Result<u8> {
    let loaded = store::load(case)?;
    let opts = options(args, &loaded, folder)?;
    let diags = check_case(&loaded.case, reg, &Context { as_of: opts.generated_at.date() });
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    if errors > 0 {
        eprintln!(
            "注意: {} にエラーが {errors} 件あります。報告書は作成しますが、kensa check で確認してください。",
            loaded.path.display()
        );
    }
    let written = report::write_reports(&loaded, reg, &opts)?;
    for p in &written.files {
        outln!("{} を作成しました", p.display());
    }
    if let Err(e) = &written.log {
        eprintln!(
            "注意: 報告書は作成しましたが、作成の記録を事案フォルダに書けませんでした（{e}）。kensa verify では --report で報告書のフォルダを指定してください。"
        );
    }
    Ok(super::EXIT_OK)
}
