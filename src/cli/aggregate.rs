//! `kensa aggregate`: the counts across facilities (summary.xlsx/.md/.html and long files) from
//! the case folders and returned workbooks under some paths.

use super::{outln, Cli};
use crate::aggregate::{self, Options};
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct AggregateArgs {
    /// 事案フォルダ、ワークブック、またはそれらを含むフォルダ（複数可。下のフォルダも探します。backup と . で始まるフォルダは除きます。シンボリックリンクは辿りません）
    #[arg(value_name = "パス", required = true)]
    pub paths: Vec<PathBuf>,
    /// 出力先のフォルダ（summary.xlsx、summary.md、summary.html、findings・incidents・actions の .csv と .jsonl）
    #[arg(long, value_name = "フォルダ", required = true)]
    pub out: PathBuf,
    /// 出力先に前回の集計結果があれば置き換えます
    #[arg(long)]
    pub force: bool,
    /// 所管の医療機関の名簿（Excel で保存した CSV。UTF-8 または Shift_JIS。列: 医療機関コード〔医療機関番号〕,施設名,種別,病床数,保健所,開設者）。実施率と、立入検査・自己点検票のない施設の一覧を出します
    #[arg(long, value_name = "CSV")]
    pub roster: Option<PathBuf>,
    /// この日の時点で期限超過を判断します（例: 2026-03-31、令和8年3月31日。省略時は今日）
    #[arg(long, value_name = "日付")]
    pub as_of: Option<String>,
    /// この年度の検査だけを集計します（例: 令和7、令和7年度、2025年度。年度は最初の実施日によります）
    #[arg(long, value_name = "年度")]
    pub fiscal_year: Option<String>,
    /// 古い版の回答を、この版の対応する項目として集計します（例: mhlw-r7。省略時は版ごとに別に集計）
    #[arg(long, value_name = "チェックリストID")]
    pub edition: Option<String>,
    /// 公表用を出力します（表だけ: summary.xlsx・.md・.html。施設ごとのファイルは作りません。施設名・コード・住所・人名・自由記述を含めず、区分は決まった分類だけ。1又は2施設から算出される数値と、出力のどの表からでも差し引きで分かる数値を x で秘匿し、分母10未満の 0%・100% も x、分母10未満に * を付けます）
    #[arg(long)]
    pub publish: bool,
    /// 公表用の台帳（公表した表の値の記録。省略時は出力先の親フォルダの kensa-公表台帳.jsonl）。前の公表と比べて1又は2施設の差で分かる行は x にします
    #[arg(long, value_name = "ファイル", requires = "publish")]
    pub ledger: Option<PathBuf>,
    /// 読めないファイルがあれば、そこで止めます（既定: 一覧にして続け、終了コード 3）
    #[arg(long)]
    pub strict: bool,
    /// 進み具合を表示しません
    #[arg(long)]
    pub quiet: bool,
}

/// `令和7`, `令和7年度`, `R7`, `2025` → 2025 (`kensa workbook --fiscal-year` reads it the same way).
pub(super) fn parse_fiscal_year(s: &str) -> crate::Result<i32> {
    let t = crate::wareki::normalize(s);
    let t = if t.ends_with("年度") { t } else { format!("{}年度", t.trim_end_matches('年')) };
    crate::wareki::parse_fiscal_year(&t).map_err(|e| crate::Error::Date { option: "--fiscal-year", message: e.0 })
}

pub fn run(cli: &Cli, args: &AggregateArgs) -> crate::Result<u8> {
    let as_of = match &args.as_of {
        Some(s) => super::parse_date_option("--as-of", s)?,
        None => chrono::Local::now().date_naive(),
    };
    let fiscal_year = args.fiscal_year.as_deref().map(parse_fiscal_year).transpose()?;
    let reg = super::registry(cli)?;
    let opts = Options {
        paths: args.paths.clone(),
        out: args.out.clone(),
        force: args.force,
        roster: args.roster.clone(),
        as_of,
        fiscal_year,
        edition: args.edition.clone(),
        publish: args.publish,
        ledger: args.ledger.clone(),
        strict: args.strict,
    };
    // Staging folders that killed runs left beside the output.
    for p in crate::fs::sweep_staging(crate::fs::parent(&opts.out), aggregate::STAGING_PREFIX) {
        outln!("前回中断された集計が残した作業フォルダ {} を削除しました", p.display());
    }
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}（{elapsed}）")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    });
    let show = |p: aggregate::Progress| {
        let Some(bar) = &bar else { return };
        bar.set_message(match p {
            aggregate::Progress::Read { cases, workbooks } => format!(
                "事案ファイル {} 件、ワークブック {} 件を読みました",
                crate::text::thousands(cases),
                crate::text::thousands(workbooks)
            ),
            aggregate::Progress::Counted { done, of } => {
                format!("施設・年度 {} / {} を集計しました", crate::text::thousands(done), crate::text::thousands(of))
            }
            aggregate::Progress::Writing => "集計結果を書き出しています".to_string(),
        });
    };
    let out = aggregate::run(&reg, &opts, &show);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let out = out?;
    for e in &out.listing.unreadable {
        super::print_error(e);
    }
    let l = &out.listing;
    outln!(
        "ファイル {} 件から、施設 {}（施設・年度 {}）を集計しました（{}現在）。出力: {}",
        crate::text::thousands(l.files_read()),
        crate::text::thousands(out.facilities),
        crate::text::thousands(out.facility_years),
        crate::wareki::format(as_of),
        args.out.display()
    );
    if !l.joined.is_empty() {
        outln!(
            "事案フォルダ等と同じ事案IDのワークブック: {} 件（取り込んだものとして合わせて数えました）",
            l.joined.len()
        );
    }
    if !l.differences.is_empty() {
        outln!(
            "同じ施設・年度の記録の食い違い: {} 件（summary.xlsx の「読み込み」シートに一覧があります）",
            l.differences.len()
        );
    }
    if !l.year_unknown.is_empty() {
        outln!("年度の分からないファイル: {} 件（年度不明として数えました）", l.year_unknown.len());
    }
    if !l.same_id.is_empty() {
        outln!("同じ事案IDの事案ファイル: {} 件（両方を数えました。事案IDを確かめてください）", l.same_id.len());
    }
    if !l.skipped.is_empty() {
        outln!("kensa のワークブックではない .xlsx: {} 件（数えていません）", l.skipped.len());
    }
    let other_year: u64 = l.other_year.values().sum();
    if other_year > 0 {
        outln!("対象の年度ではないため数えなかったファイル: {} 件", other_year);
    }
    let excluded = l.kinds_excluded();
    if let Some((path, n)) = &out.ledger {
        outln!("公表用の台帳: {}（この公表の表の値を記録しました）", path.display());
        if *n > 0 {
            eprintln!(
                "以前の公表用（台帳）と比べると差が1又は2施設になり、その施設の値が差し引きで分かってしまう行が {} 行あったため、x にしました（summary.md の注に記しています）",
                n
            );
            return Ok(super::EXIT_WARNINGS);
        }
    }
    if !l.unreadable.is_empty() {
        eprintln!(
            "読めなかったファイル・フォルダが {} 件あります（上のエラーを確認してください。集計には含めていません）",
            l.unreadable.len()
        );
        return Ok(super::EXIT_WARNINGS);
    }
    if !excluded.is_empty() {
        eprintln!(
            "{}は、すべて --fiscal-year の年度ではないため一つも数えていません（年度の決め方は README の「県全体の集計」を見てください）",
            excluded.iter().map(|k| format!("{k}（{} 件）", l.files.get(k).copied().unwrap_or(0))).collect::<Vec<_>>().join("、")
        );
        return Ok(super::EXIT_WARNINGS);
    }
    Ok(super::EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_read_in_several_forms() {
        for s in ["令和7", "令和7年度", "R7", "2025年度", "2025", "令和７年"] {
            assert_eq!(parse_fiscal_year(s).unwrap(), 2025, "{s}");
        }
        assert!(parse_fiscal_year("来年").unwrap_err().is_usage());
    }
}
