//! `kensa evidence add` and `kensa evidence list`: evidence files of a case.

use super::{outln, Cli};
use crate::case::{store, Stamp};
use crate::error::Error;
use crate::evidence::{self, AddOptions, Listing};
use crate::text::{pad, thousands, width};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// ファイルを事案フォルダの evidence/ に写し、SHA-256 とともに [[evidence]] に記録します
    Add(AddArgs),
    /// 記録された証跡を、ファイルの状態（確認済み／変更あり／ファイルなし…）とともに一覧表示します
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// 事案フォルダまたは case.toml
    #[arg(value_name = "事案")]
    pub case: PathBuf,
    /// 証跡にするファイル（複数可）
    #[arg(value_name = "ファイル", required = true)]
    pub files: Vec<PathBuf>,
    /// 証跡ID（ファイルが一つのとき。省略時は E1、E2… の次の番号）
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// 説明（例: VPN装置のログ（6月20日〜22日））
    #[arg(long, value_name = "説明")]
    pub description: Option<String>,
    /// 収集者
    #[arg(long, value_name = "氏名")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// 事案フォルダまたは case.toml
    #[arg(value_name = "事案")]
    pub case: PathBuf,
    /// 出力形式（json はスクリプト向け）
    #[arg(long, value_enum, default_value_t = ListFormat::Text, value_name = "形式")]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

pub fn run(cli: &Cli, c: &EvidenceCommand) -> crate::Result<u8> {
    match c {
        EvidenceCommand::Add(a) => add(cli, a),
        EvidenceCommand::List(a) => list(a),
    }
}

fn add(cli: &Cli, args: &AddArgs) -> crate::Result<u8> {
    // One writer per case folder: held from the read of case.toml until its records are written.
    let (_lock, loaded) = store::load_for_update(&args.case, "evidence add")?;
    // The checklists only give new answers their comments if the case must be written in full.
    let reg = super::registry(cli).ok();
    let now = chrono::Local::now().naive_local();
    let now = chrono::Timelike::with_nanosecond(&now, 0).unwrap_or(now);
    let opts = AddOptions {
        id: args.id.clone(),
        description: args.description.clone().unwrap_or_default(),
        collected_by: args.by.clone().unwrap_or_default(),
        collected_at: Some(Stamp { date: now.date(), time: Some(now.time()) }),
    };
    let added = evidence::add(&loaded, &args.files, &opts, reg.as_ref())?;
    for p in &added.swept {
        outln!("前回中断された書き込みが残した一時ファイル {} を削除しました", p.display());
    }
    for f in &added.files {
        let r = &f.record;
        let how = if f.copied { "に写し" } else { "を" };
        outln!(
            "{} {how}、証跡「{}」として記録しました（{} バイト、SHA-256 {}）",
            loaded.dir().join(&r.file).display(),
            r.id,
            thousands(f.bytes),
            r.sha256
        );
        let given = f.source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stored = r.file.rsplit('/').next().unwrap_or_default();
        if f.copied && given != stored {
            let why = if evidence::safe_name(&given) == given {
                "同じ名前のファイルが既にあるため"
            } else {
                "ファイル名に使えない文字や先頭の「.」などを含むため"
            };
            outln!("  ファイル名「{given}」は「{stored}」として保存しました（{why}）");
        }
        if !f.same_as.is_empty() {
            outln!("  注意: 同じ内容の証跡があります（{}）", f.same_as.join("、"));
        }
    }
    let saved = &added.saved;
    match &saved.backup {
        Some(b) => outln!("{} を更新しました（以前の内容: {}）", saved.path.display(), b.display()),
        None => outln!("{} を更新しました", saved.path.display()),
    }
    if !saved.in_place {
        outln!("  注意: その場で書き換えられない書き方があったため、ファイル全体を書き直しました（以前の内容はバックアップにあります）");
    }
    Ok(super::EXIT_OK)
}

fn list(args: &ListArgs) -> crate::Result<u8> {
    let loaded = store::load(&args.case)?;
    let listing = evidence::list(&loaded);
    match args.format {
        ListFormat::Json => {
            let v = serde_json::json!({ "case": loaded.path, "records": listing.records, "unrecorded": listing.unrecorded });
            let text =
                serde_json::to_string_pretty(&v).map_err(|e| Error::Build { what: "JSON", detail: e.to_string() })?;
            outln!("{text}");
        }
        ListFormat::Text => print_listing(&listing),
    }
    Ok(super::EXIT_OK)
}

fn print_listing(listing: &Listing) {
    let dash = || "－".to_string();
    let size = |b: Option<u64>| b.map(|b| format!("{} バイト", thousands(b))).unwrap_or_else(dash);
    let mut rows: Vec<[String; 7]> = vec![[
        "ID".into(),
        "ファイル".into(),
        "大きさ".into(),
        "SHA-256".into(),
        "収集日時".into(),
        "収集者".into(),
        "状態".into(),
    ]];
    for r in &listing.records {
        let hash: String = r.sha256.chars().take(12).collect();
        rows.push([
            one_line(&r.id),
            one_line(&r.file),
            size(r.bytes),
            if hash.is_empty() { dash() } else { hash },
            r.collected.map(|s| s.wareki()).unwrap_or_else(dash),
            if r.collected_by.is_empty() { dash() } else { one_line(&r.collected_by) },
            if r.fault { format!("※{}", r.state) } else { r.state.to_string() },
        ]);
    }
    for u in &listing.unrecorded {
        rows.push([dash(), one_line(&u.file), size(u.bytes), dash(), dash(), dash(), "※記録なし".into()]);
    }
    let widths: Vec<usize> = (0..7).map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0)).collect();
    for r in &rows {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        outln!("{}", cells.join("  ").trim_end());
    }
    let faults = listing.records.iter().filter(|r| r.fault).count();
    let mut summary = format!("証跡 {} 件", listing.records.len());
    if faults > 0 {
        summary.push_str(&format!("（うち記録どおりでないもの {faults} 件）"));
    }
    if !listing.unrecorded.is_empty() {
        summary.push_str(&format!(
            "、記録のないファイル {} 件（kensa evidence add で記録できます）",
            listing.unrecorded.len()
        ));
    }
    if faults > 0 || !listing.unrecorded.is_empty() {
        summary.push_str("。詳しくは kensa verify で確認してください");
    }
    outln!("{summary}");
}

/// Case text on one line of a listing (line breaks and control characters as spaces).
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
