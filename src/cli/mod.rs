//! Command line: argument parsing, Japanese help, and dispatch to one file per subcommand.

mod aggregate;
mod check;
mod checklist;
mod compare;
mod evidence;
mod followup;
mod import;
mod new;
mod report;
mod schema;
mod templates;
mod verify;
mod workbook;

use crate::checklist::Registry;
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Prints a line to standard output. A closed pipe (`kensa check … | head`) is not an error:
/// the rest of the output is dropped and the command still finishes its work.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;

/// Writes to standard output, ignoring a reader that has gone away.
pub fn write_stdout(text: &str) {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    static CLOSED: AtomicBool = AtomicBool::new(false);
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).and_then(|_| out.flush()).is_err() {
        CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Puts a command's listing where `--out` says: into that file (written atomically, replacing
/// it; the bytes are kensa's own, whatever the shell would have made of a redirection), or on
/// standard output.
pub fn emit(out: Option<&std::path::Path>, text: &str) -> crate::Result<()> {
    match out {
        Some(path) => {
            crate::fs::write_atomic(path, text.as_bytes())?;
            eprintln!("{} に書き出しました", path.display());
        }
        None => write_stdout(text),
    }
    Ok(())
}

/// Exit codes.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_WARNINGS: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "kensa",
    version,
    about = "医療機関のサイバーセキュリティ立入検査・事案調査を支援するツールキット",
    long_about = "kensa は、医療監視員が医療機関のサイバーセキュリティを立入検査し、サイバー攻撃を受けた医療機関を調査するためのツールです。\nチェックリストの読み込み、事案ファイル（case.toml）の作成と確認、現地用ワークブック、厚生労働省への報告書の作成を行います。"
)]
pub struct Cli {
    /// 追加・上書きするチェックリストのフォルダ（TOML）。内蔵のチェックリストに ID ごとに重ねます
    #[arg(long, global = true, env = "KENSA_CHECKLISTS", value_name = "フォルダ")]
    pub checklists: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Commands,
}

#[derive(Debug, Subcommand)]
pub enum Commands {
    /// チェックリストの一覧・内容を表示します
    #[command(subcommand)]
    Checklist(checklist::ChecklistCommand),
    /// 新しい事案フォルダと case.toml を作成します
    New(new::NewArgs),
    /// 事案ファイル・チェックリストを検査します（終了コード: 0 問題なし、1 エラーあり、2 コマンドラインの誤り、3 警告のみ）
    Check(check::CheckArgs),
    /// case.toml の JSON Schema を出力します（エディタの補完用）
    Schema(schema::SchemaArgs),
    /// 前回と今回の検査をチェックリストの項目ごとに比べます（令和6年度版と令和7年度版も対応づけます）
    Compare(compare::CompareArgs),
    /// 現地用ワークブック（.xlsx）を作成します（--for facility で医療機関の事前記入用）
    Workbook(workbook::WorkbookArgs),
    /// 記入済みのワークブックを事案ファイルに取り込みます（--dry-run で変更内容の確認のみ）
    Import(import::ImportArgs),
    /// 証跡のファイルを事案フォルダに写して記録し（add）、一覧を表示します（list）
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// 厚生労働省への報告書（report.xlsx、report.md、report.html）を作成します
    Report(report::ReportArgs),
    /// 期限を過ぎた・近づいた指導への回答、再発防止策、チェックリスト項目の目標日を一覧にします（終了コード: 0 期限超過なし、1 失敗、2 コマンドラインの誤り、3 期限超過あり）
    Followup(followup::FollowupArgs),
    /// 多数の施設の事案フォルダ・ワークブックを集計します（項目別の適合率、区分別の遵守率、実施率、事案、期限。--publish で公表用。終了コード: 0 すべて集計、1 失敗、2 コマンドラインの誤り、3 読めないファイルを除いて集計）
    Aggregate(aggregate::AggregateArgs),
    /// 証跡のファイルと報告書が事案ファイルの記録どおりかを確かめます（終了コード: 0 相違なし、1 相違あり）
    Verify(verify::VerifyArgs),
    /// 報告書のテンプレートを扱います
    #[command(subcommand)]
    Templates(templates::TemplatesCommand),
}

/// Applies Japanese headings and help texts to a command and all its subcommands.
fn localize(cmd: Command, root: bool) -> Command {
    let mut cmd = cmd
        .help_template("{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("コマンド")
        .subcommand_value_name("コマンド")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args({
            // Keep the declared order (clap would otherwise sort by name after edits).
            let mut order = 0;
            move |a| {
                order += 1;
                let a = japanese_arg_help(a).display_order(order);
                let heading = if a.is_positional() { "引数" } else { "オプション" };
                a.help_heading(heading)
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("このヘルプを表示します")
                .help_heading("オプション")
                .global(false),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("版を表示します")
                .help_heading("オプション"),
        );
    }
    cmd.mut_subcommands(|sc| localize(sc, false))
}

/// Replaces clap's English `[default: …]`, `[possible values: …]` and `[env: …]` notes with
/// Japanese ones at the end of the argument's help.
fn japanese_arg_help(a: Arg) -> Arg {
    let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let mut notes = Vec::new();
    let values: Vec<String> =
        a.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()).collect();
    // A flag (--dry-run) takes no value: its true/false are not choices to offer.
    let flag = matches!(a.get_action(), ArgAction::SetTrue | ArgAction::SetFalse);
    if !flag
        && !values.is_empty()
        && !a.is_hide_possible_values_set()
        && values.iter().any(|v| !help.contains(v.as_str()))
    {
        notes.push(format!("選択肢: {}", values.join("、")));
    }
    let defaults: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().to_string()).collect();
    if !defaults.is_empty() && !a.is_hide_default_value_set() && !help.contains("既定") {
        notes.push(format!("既定: {}", defaults.join(",")));
    }
    if let Some(env) = a.get_env() {
        notes.push(format!("環境変数 {}", env.to_string_lossy()));
    }
    if !notes.is_empty() {
        help.push_str(&format!("［{}］", notes.join("／")));
    }
    let a = if a.get_action().takes_values() { a.hide_possible_values(true).hide_default_value(true) } else { a };
    let a = a.hide_env(true);
    if help.is_empty() {
        a
    } else {
        a.help(help)
    }
}

/// The command with Japanese help.
pub fn command() -> Command {
    japanese_usage(localize(Cli::command(), true))
}

/// Replaces clap's `[OPTIONS]` in every usage line with `[オプション]`.
fn japanese_usage(cmd: Command) -> Command {
    let mut built = cmd.clone();
    built.build();
    with_usage(cmd, &mut built)
}

fn with_usage(cmd: Command, built: &mut Command) -> Command {
    let usage = built.render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim().replace("[OPTIONS]", "[オプション]");
    let mut cmd = cmd.override_usage(usage);
    let names: Vec<String> = built.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        if let Some(sub) = built.find_subcommand_mut(&name) {
            cmd = cmd.mut_subcommand(&name, |sc| with_usage(sc, sub));
        }
    }
    cmd
}

/// Reads a date given on the command line (`2024-07-19`, `令和6年7月19日`, `R6.7.19`).
pub fn parse_date_option(option: &'static str, s: &str) -> crate::Result<chrono::NaiveDate> {
    s.parse::<crate::case::Date>().map(|d| d.0).map_err(|e| crate::Error::Date { option, message: e.0 })
}

/// Loads the checklists named by `--checklists`.
pub fn registry(cli: &Cli) -> crate::Result<Registry> {
    Registry::load(cli.checklists.as_deref())
}

/// Prints an error with its chain of causes; several errors (all of one file's) one a line.
/// An operating system error is not printed as a cause: kensa's message already says it in
/// Japanese (with the system's own words as 詳細 when kensa does not know them). Control
/// characters of a message (from a file's text) are shown as `\u{1b}`, never sent.
pub fn print_error(e: &(dyn std::error::Error + 'static)) {
    if let Some(crate::Error::Many(list)) = e.downcast_ref::<crate::Error>() {
        for e in &list.0 {
            print_error(e);
        }
        return;
    }
    eprintln!("エラー: {}", crate::text::visible(&e.to_string()));
    let mut source = e.source();
    while let Some(s) = source {
        if !s.is::<std::io::Error>() {
            eprintln!("  原因: {}", crate::text::visible(&s.to_string()));
        }
        source = s.source();
    }
}

/// The program's arguments. On Windows kensa expands the wildcards itself (`samples\*`): cmd.exe
/// and PowerShell pass them on as typed; a quoted one stays as it is.
fn args() -> Vec<std::ffi::OsString> {
    #[cfg(windows)]
    return wild::args_os().collect();
    #[cfg(not(windows))]
    return std::env::args_os().collect();
}

/// What a double click on kensa.exe shows: what kensa is and how to open a command prompt in
/// its folder (a console program's window would otherwise show the help and close at once).
pub const DOUBLE_CLICK_TEXT: &str = "\
kensa（検査）: 医療機関のサイバーセキュリティ立入検査・事案調査を支援するツール

kensa はコマンドプロンプト（cmd）や PowerShell に文字で指示して使うプログラムです。
ダブルクリックでは動きません。次の手順で使ってください。

  1. エクスプローラーで、kensa.exe のあるフォルダを開きます。
  2. 上のアドレスバー（フォルダの場所が表示されている欄）をクリックし、cmd と入力して
     Enter キーを押します。そのフォルダでコマンドプロンプトが開きます。
     （フォルダの何もないところを右クリックして「ターミナルで開く」を選んでもかまいません。
       PowerShell では kensa の代わりに .\\kensa と入力します。）
  3. 開いた画面に、たとえば次のように入力して Enter キーを押します。

       kensa --help                         使えるコマンドの一覧
       kensa report samples\\* --out out     同梱のサンプルの報告書を out フォルダに作成

詳しい使い方は、同じフォルダの「はじめに.txt」と README.md にあります。
インストールも管理者の権限も要りません。

Enter キーを押すと、この画面を閉じます。
";

/// Whether kensa was started by a double click: no arguments, and the process that started it
/// is Explorer (which gives a console program a window of its own, closed when it ends).
pub fn started_by_double_click(arguments: usize, parent: Option<&str>) -> bool {
    arguments <= 1 && parent.is_some_and(|p| p.eq_ignore_ascii_case("explorer.exe"))
}

/// The name of the program that started kensa (Windows; elsewhere not needed).
#[cfg(windows)]
fn parent_program() -> Option<String> {
    use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};
    let me = sysinfo::get_current_pid().ok()?;
    let mut system = System::new();
    system.refresh_processes_specifics(ProcessesToUpdate::All, true, ProcessRefreshKind::nothing());
    let parent = system.process(me)?.parent()?;
    Some(system.process(parent)?.name().to_string_lossy().into_owned())
}

#[cfg(not(windows))]
fn parent_program() -> Option<String> {
    None
}

pub fn main() -> ExitCode {
    let args = args();
    if cfg!(windows) && args.len() <= 1 && started_by_double_click(args.len(), parent_program().as_deref()) {
        write_stdout(DOUBLE_CLICK_TEXT);
        let _ = std::io::stdin().read_line(&mut String::new());
        return ExitCode::from(EXIT_OK);
    }
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return usage_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            print_error(&e);
            ExitCode::from(if e.is_usage() { EXIT_USAGE } else { EXIT_FAILURE })
        }
    }
}

fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let lead = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
        ErrorKind::UnknownArgument => "知らないオプションです",
        ErrorKind::InvalidSubcommand => "知らないコマンドです",
        ErrorKind::MissingRequiredArgument => "必要な引数がありません",
        ErrorKind::MissingSubcommand => "コマンドを指定してください",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "値が正しくありません",
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => "値の数が正しくありません",
        ErrorKind::ArgumentConflict => "同時に指定できないオプションがあります",
        _ => "コマンドラインが正しくありません",
    };
    eprint!("{}", usage_error_text(&e, lead));
    ExitCode::from(EXIT_USAGE)
}

/// A command-line error in Japanese, with the details clap found (which argument, which value,
/// what was meant) and the usage line.
fn usage_error_text(e: &clap::Error, lead: &str) -> String {
    use clap::error::{ContextKind, ContextValue};
    let value = |kind: ContextKind| -> Option<String> {
        match e.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) if !v.is_empty() => Some(v.join("、")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) if !v.is_empty() => {
                Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、"))
            }
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let mut out = format!("エラー: {lead}。\n");
    for (kind, label) in [
        (ContextKind::InvalidSubcommand, "コマンド"),
        (ContextKind::InvalidArg, "引数・オプション"),
        (ContextKind::InvalidValue, "指定された値"),
        (ContextKind::ValidValue, "選べる値"),
        (ContextKind::PriorArg, "同時に指定したもの"),
        (ContextKind::SuggestedSubcommand, "もしかして"),
        (ContextKind::SuggestedArg, "もしかして"),
    ] {
        if let Some(v) = value(kind) {
            out.push_str(&format!("  {label}: {v}\n"));
        }
    }
    if let Some(usage) = value(ContextKind::Usage) {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        out.push_str(&format!("使い方: {usage}\n"));
    }
    out.push_str("詳しくは kensa --help（各コマンドは kensa <コマンド> --help）で確認してください。\n");
    out
}

/// Runs a parsed command and returns the exit code.
pub fn run(cli: &Cli) -> crate::Result<u8> {
    match &cli.command {
        Commands::Checklist(c) => checklist::run(cli, c),
        Commands::New(a) => new::run(cli, a),
        Commands::Check(a) => check::run(cli, a),
        Commands::Schema(a) => schema::run(a),
        Commands::Compare(a) => compare::run(cli, a),
        Commands::Workbook(a) => workbook::run(cli, a),
        Commands::Import(a) => import::run(cli, a),
        Commands::Evidence(c) => evidence::run(cli, c),
        Commands::Report(a) => report::run(cli, a),
        Commands::Followup(a) => followup::run(cli, a),
        Commands::Aggregate(a) => aggregate::run(cli, a),
        Commands::Verify(a) => verify::run(a),
        Commands::Templates(c) => templates::run(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_double_click_explains_and_waits_only_when_explorer_started_kensa_without_arguments() {
        assert!(started_by_double_click(1, Some("explorer.exe")));
        assert!(started_by_double_click(1, Some("EXPLORER.EXE")));
        assert!(!started_by_double_click(2, Some("explorer.exe")), "kensa report … from a shortcut runs");
        for shell in ["cmd.exe", "powershell.exe", "pwsh.exe", "WindowsTerminal.exe", "svchost.exe"] {
            assert!(!started_by_double_click(1, Some(shell)), "{shell}");
        }
        assert!(!started_by_double_click(1, None));
        for needed in ["cmd と入力", "ターミナルで開く", r".\kensa", r"samples\*", "はじめに.txt", "Enter キーを押すと"]
        {
            assert!(DOUBLE_CLICK_TEXT.contains(needed), "{needed}");
        }
    }

    #[test]
    fn command_is_well_formed() {
        command().debug_assert();
    }

    #[test]
    fn help_is_japanese() {
        let help = command().render_help().to_string();
        assert!(help.contains("使い方:") && help.contains("コマンド") && help.contains("オプション"), "{help}");
        assert!(!help.contains("Usage:") && !help.contains("Print help"), "{help}");
        assert!(help.contains("環境変数 KENSA_CHECKLISTS") && !help.contains("[env:"), "{help}");
        assert!(help.contains("使い方: kensa [オプション] <コマンド>") && !help.contains("[OPTIONS]"), "{help}");
        let mut cmd = command();
        let report = cmd.find_subcommand_mut("report").expect("report command").render_help().to_string();
        assert!(report.contains("既定: wareki") && !report.contains("[default:"), "{report}");
        assert!(!report.contains("possible values"), "{report}");
        assert!(report.contains("使い方: kensa report [オプション] <事案>..."), "{report}");
    }
}
