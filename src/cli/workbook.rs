//! `kensa workbook`: the on-site field workbook (.xlsx) of a case.

use super::{outln, Cli};
use crate::case;
use crate::workbook::{default_path, write, Audience};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct WorkbookArgs {
    /// 事案フォルダまたは case.toml
    #[arg(value_name = "事案")]
    pub case: PathBuf,
    /// 出力するファイル（省略時は 事案フォルダ/<事案ID>-workbook.xlsx、医療機関用は <事案ID>-selfcheck.xlsx）
    #[arg(long, value_name = "ファイル")]
    pub out: Option<PathBuf>,
    /// 既にあるファイルを上書きします（記入済みのワークブックを失わないよう、既定では上書きしません）
    #[arg(long)]
    pub force: bool,
    /// 記入する人（inspector: 医療監視員用のすべての欄〔既定〕、facility: 医療機関の事前記入用の自己点検票〔はい／いいえ・確認日・目標日のみ〕）
    #[arg(long = "for", value_enum, default_value_t = For::Inspector, value_name = "対象", hide_possible_values = true, hide_default_value = true)]
    pub audience: For,
    /// 医療機関用の自己点検票を何年度の分として配るか（例: 令和8、R8、2026）。回収した票はこの年度で集計されます（省略時は事案の実施日の年度）
    #[arg(long, value_name = "年度")]
    pub fiscal_year: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum For {
    /// 医療監視員用（すべての欄）
    Inspector,
    /// 医療機関の事前記入用（はい／いいえ、確認日、目標日のみ）
    Facility,
}

impl From<For> for Audience {
    fn from(f: For) -> Audience {
        match f {
            For::Inspector => Audience::Inspector,
            For::Facility => Audience::Facility,
        }
    }
}

pub fn run(cli: &Cli, args: &WorkbookArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    let loaded = case::load(&args.case)?;
    let audience: Audience = args.audience.into();
    let asked = args.fiscal_year.as_deref().map(super::aggregate::parse_fiscal_year).transpose()?;
    if asked.is_some() && audience != Audience::Facility {
        return Err(crate::Error::Usage(
            "--fiscal-year は医療機関用の自己点検票（--for facility）を作るときに指定します".into(),
        ));
    }
    let out = args.out.clone().unwrap_or_else(|| default_path(loaded.dir(), &loaded.case.case_id, audience));
    if !out.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        return Err(crate::Error::Usage(format!("{}: 出力ファイルの拡張子は .xlsx にしてください", out.display())));
    }
    loaded.require_checklists(&reg)?;
    let bytes = write::build_for_year(&loaded.case, &reg, audience, asked)?;
    crate::fs::write_new(
        &out,
        &bytes,
        args.force,
        "ファイル",
        "記入済みのワークブックかもしれないので上書きしません。別の --out を指定するか、上書きする場合は --force を指定してください",
    )?;
    let sheets = write::checklist_sheets(&loaded.case, &reg, audience)?;
    let listed = if sheets.is_empty() {
        "なし".to_string()
    } else {
        sheets.iter().map(|(n, c)| format!("{}（{}）", c.id, n)).collect::<Vec<_>>().join("・")
    };
    outln!(
        "{} を作成しました（{}、事案ID {}、チェックリスト {}）",
        out.display(),
        audience.label(),
        loaded.case.case_id,
        listed
    );
    if audience == Audience::Facility {
        match write::intended_year(&loaded.case, audience, asked) {
            Some(fy) => outln!(
                "{} の自己点検票として記録しました（集計ではこの年度に数えます）。",
                crate::wareki::format_fiscal_year(fy)
            ),
            None => {
                outln!("年度は記録していません（--fiscal-year で指定できます）。集計では票の記入日の年度に数えます。")
            }
        }
    }
    outln!(
        "記入後、kensa import {} {} で事案ファイルに取り込めます。",
        crate::text::shell_word(&args.case.display().to_string()),
        crate::text::shell_word(&out.display().to_string())
    );
    Ok(super::EXIT_OK)
}
