//! The corpus of bad inputs (`tests/corpus/`, listed in its README.md): each is given to the real
//! kensa as a user would give it (`check`, `report`, `import`, `--checklists … checklist list`),
//! and every run must fail cleanly: a non-zero exit, no panic, a Japanese message naming the file
//! and the place, and not one file written or changed. The messages are kept as snapshots in
//! `tests/corpus/expected/<input>.snap`. The worst inputs run under a memory limit of 1 GiB.

use crate::harness::{copy_dir, root};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fixed generation time for reports (so that a report that wrongly succeeded is stable).
const GENERATED_AT: &str = "2025-11-01T10:00:00";
/// Address-space limit for the worst inputs, in KiB (`ulimit -v`).
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

/// Where the message must point.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// `file:line:column:` of a text file.
    At(usize, usize),
    /// `sheet!cell` of a workbook.
    Cell(&'static str),
    /// A sheet or part of a workbook, named in the message.
    Named(&'static str),
    /// The file as a whole (nothing narrower exists).
    File,
}

/// How an input is given to kensa.
#[derive(Debug, Clone, Copy)]
enum Setup {
    /// `tests/corpus/case/<file>` as `case/case.toml`: checked, reported and imported into.
    CaseFile(&'static str),
    /// The same, where the file reads but breaks a rule: `kensa check` only (a report is still
    /// written for a case with errors, by design).
    CaseRule(&'static str),
    /// A case folder under `tests/corpus/case-dirs/`, checked.
    CaseDir(&'static str),
    /// A case file made by the test (too large to commit), checked.
    Generated(fn(&Path) -> (usize, usize)),
    /// `tests/corpus/workbook/<file>` imported into a copy of samples/clinic-routine.
    Workbook(&'static str),
    /// `tests/corpus/checklists/<dir>` given as `--checklists`.
    Checklists(&'static str),
}

struct Input {
    name: &'static str,
    setup: Setup,
    /// The file the message must name, relative to the folder kensa runs in.
    file: &'static str,
    place: Place,
    /// Run under [`MEMORY_LIMIT_KIB`].
    limited: bool,
}

const fn input(name: &'static str, setup: Setup, file: &'static str, place: Place) -> Input {
    Input { name, setup, file, place, limited: false }
}

const fn limited(name: &'static str, setup: Setup, file: &'static str, place: Place) -> Input {
    Input { name, setup, file, place, limited: true }
}

const CASE: &str = "case/case.toml";

fn inputs() -> Vec<Input> {
    use Place::*;
    use Setup::*;
    vec![
        input("case-empty", CaseFile("empty.toml"), CASE, At(1, 1)),
        input("case-truncated", CaseFile("truncated.toml"), CASE, At(10, 19)),
        input("case-shift-jis", CaseFile("shift-jis.toml"), CASE, At(1, 13)),
        input("case-random-bytes", CaseFile("random-bytes.toml"), CASE, At(1, 1)),
        input("case-bom", CaseFile("bom.toml"), CASE, At(5, 8)),
        input("case-crlf", CaseFile("crlf.toml"), CASE, At(5, 8)),
        input("case-duplicate-key", CaseFile("duplicate-key.toml"), CASE, At(7, 1)),
        input("case-wrong-type", CaseFile("wrong-type.toml"), CASE, At(7, 8)),
        input("case-unknown-field", CaseFile("unknown-field.toml"), CASE, At(5, 1)),
        input("case-missing-required", CaseFile("missing-required.toml"), CASE, At(1, 1)),
        input("case-date-heisei31-may", CaseFile("date-heisei31-may.toml"), CASE, At(10, 9)),
        input("case-date-feb30", CaseFile("date-feb30.toml"), CASE, At(10, 10)),
        input("case-date-feb30-text", CaseFile("date-feb30-text.toml"), CASE, At(10, 9)),
        input("case-date-1899", CaseFile("date-1899.toml"), CASE, At(10, 9)),
        input("case-date-reiwa-99999", CaseFile("date-reiwa-99999.toml"), CASE, At(10, 9)),
        input("case-control-chars-raw", CaseFile("control-chars-raw.toml"), CASE, At(5, 11)),
        input("case-control-chars-escaped", CaseFile("control-chars-escaped.toml"), CASE, At(6, 8)),
        input("case-windows-path", CaseFile("windows-path.toml"), CASE, At(14, 13)),
        input("case-unknown-item", CaseRule("unknown-item.toml"), CASE, At(14, 1)),
        input("case-duplicate-item", CaseRule("duplicate-item.toml"), CASE, At(18, 1)),
        input("case-unknown-checklist", CaseRule("unknown-checklist.toml"), CASE, At(10, 15)),
        input("case-evidence-dotdot", CaseRule("evidence-dotdot.toml"), CASE, At(14, 1)),
        input("case-evidence-absolute", CaseRule("evidence-absolute.toml"), CASE, At(14, 1)),
        input("case-evidence-symlink", CaseDir("evidence-symlink"), CASE, At(14, 1)),
        limited("case-note-10mb", Generated(note_10mb), CASE, At(0, 0)),
        input("workbook-empty", Workbook("empty.xlsx"), "empty.xlsx", File),
        input("workbook-renamed", Workbook("renamed.xlsx"), "renamed.xlsx", File),
        input("workbook-encrypted", Workbook("encrypted.xlsx"), "encrypted.xlsx", File),
        input("workbook-truncated", Workbook("truncated.xlsx"), "truncated.xlsx", File),
        input(
            "workbook-corrupt-zip",
            Workbook("corrupt-zip.xlsx"),
            "corrupt-zip.xlsx",
            Named("シート「チェックリスト」"),
        ),
        limited("workbook-zip-bomb", Workbook("zip-bomb.xlsx"), "zip-bomb.xlsx", Named("「xl/worksheets/sheet2.xml」")),
        limited(
            "workbook-zip-bomb-lying",
            Workbook("zip-bomb-lying.xlsx"),
            "zip-bomb-lying.xlsx",
            Named("シート「チェックリスト」"),
        ),
        limited(
            "workbook-huge-dimension",
            Workbook("huge-dimension.xlsx"),
            "huge-dimension.xlsx",
            Named("シート「チェックリスト」"),
        ),
        limited("workbook-far-cell", Workbook("far-cell.xlsx"), "far-cell.xlsx", Cell("チェックリスト!XFD1048576")),
        input("workbook-bad-cells", Workbook("bad-cells.xlsx"), "bad-cells.xlsx", Cell("チェックリスト!I6")),
        input("workbook-not-kensa", Workbook("not-kensa.xlsx"), "not-kensa.xlsx", Named("「_kensa」")),
        input("workbook-other-case", Workbook("other-case.xlsx"), "other-case.xlsx", Named("「2025-定期-0037」")),
        input("checklists-broken-toml", Checklists("broken-toml"), "lists/local.toml", At(3, 20)),
        input("checklists-invalid", Checklists("invalid"), "lists/local.toml", At(23, 1)),
    ]
}

/// A valid case with a 10 MB note in its last measure; returns the line and column of the note.
fn note_10mb(case_dir: &Path) -> (usize, usize) {
    let base = std::fs::read_to_string(root().join("tests/fixtures/cases/incident-basic/case.toml")).unwrap();
    let line = "バックアップの確認記録。外付けHDDは毎週金曜に取り外して金庫に保管している。\n";
    let note = line.repeat(10 * 1024 * 1024 / line.len() + 1);
    let head = format!("{base}\n[[measures]]\nowner = \"事務長\"\nstatus = \"完了\"\n");
    let at = head.lines().count() + 1;
    std::fs::write(case_dir.join("case.toml"), format!("{head}text = \"\"\"\n{note}\"\"\"\n")).unwrap();
    (at, 1)
}

/// Every file under `dir` with its SHA-256 (a link with its target), to show nothing changed.
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let what = if e.path_is_symlink() {
                format!("→ {}", std::fs::read_link(e.path()).unwrap().display())
            } else {
                kensa::fs::sha256_hex(&std::fs::read(e.path()).unwrap())
            };
            (rel, what)
        })
        .collect()
}

/// A finished run: the command line as shown in the snapshot, and what kensa said.
struct Ran {
    shown: String,
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs kensa in `dir`, under the memory limit where asked (and where `sh` can set it).
fn run(dir: &Path, args: &[String], limit: bool) -> Ran {
    let exe = env!("CARGO_BIN_EXE_kensa");
    let mut cmd = if limit && cfg!(unix) {
        let mut c = Command::new("sh");
        c.arg("-c").arg(format!("ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\"")).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    let out = cmd.args(args).current_dir(dir).env_remove("KENSA_CHECKLISTS").output().expect("kensa runs");
    let limit_note = if limit { "（メモリ上限 1 GiB）" } else { "" };
    Ran {
        shown: format!("$ kensa {}{limit_note}", args.join(" ")),
        code: out.status.code().unwrap_or(-1),
        stdout: crate::harness::slashes(&String::from_utf8_lossy(&out.stdout)),
        stderr: crate::harness::slashes(&String::from_utf8_lossy(&out.stderr)),
    }
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Sets the input up in `tmp` and returns the commands to run (and, for a generated input, the
/// place it computed).
fn setup(input: &Input, tmp: &Path) -> (Vec<Vec<String>>, Option<(usize, usize)>) {
    let corpus = root().join("tests/corpus");
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let case = tmp.join("case");
    std::fs::create_dir_all(&case).unwrap();
    // A file outside the case folder that a case must never read (evidence-dotdot points at it).
    std::fs::write(tmp.join("outside.txt"), "事案フォルダの外のファイル\n").unwrap();
    let check = s(&["check", "case"]);
    let report = s(&["report", "case", "--out", "out", "--generated-at", GENERATED_AT]);
    match input.setup {
        Setup::CaseFile(f) => {
            std::fs::copy(corpus.join("case").join(f), case.join("case.toml")).unwrap();
            std::fs::copy(corpus.join("workbook/other-case.xlsx"), tmp.join("w.xlsx")).unwrap();
            (vec![check, report, s(&["import", "case", "w.xlsx", "--prefer", "workbook"])], None)
        }
        Setup::CaseRule(f) => {
            std::fs::copy(corpus.join("case").join(f), case.join("case.toml")).unwrap();
            (vec![check], None)
        }
        Setup::CaseDir(d) => {
            copy_dir(&corpus.join("case-dirs").join(d), &case);
            if d == "evidence-symlink" {
                std::fs::create_dir_all(case.join("evidence")).unwrap();
                #[cfg(unix)]
                std::os::unix::fs::symlink(tmp.join("outside.txt"), case.join("evidence/link.txt")).unwrap();
            }
            (vec![check], None)
        }
        Setup::Generated(make) => {
            let at = make(&case);
            (vec![check], Some(at))
        }
        Setup::Workbook(f) => {
            copy_dir(&root().join("samples/clinic-routine"), &case);
            std::fs::copy(corpus.join("workbook").join(f), tmp.join(f)).unwrap();
            (vec![s(&["import", "case", f, "--prefer", "workbook"])], None)
        }
        Setup::Checklists(d) => {
            copy_dir(&root().join("samples/clinic-routine"), &case);
            copy_dir(&corpus.join("checklists").join(d), &tmp.join("lists"));
            (
                vec![
                    s(&["--checklists", "lists", "checklist", "list"]),
                    s(&["--checklists", "lists", "report", "case"]),
                ],
                None,
            )
        }
    }
}

/// Runs one input and returns its transcript for the snapshot, or the reasons it failed.
fn try_input(input: &Input) -> Result<String, String> {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (commands, generated) = setup(input, dir);
    let place = match (input.place, generated) {
        (Place::At(..), Some((l, c))) => Place::At(l, c),
        (p, _) => p,
    };
    let expected = match place {
        Place::At(l, c) => format!("{}:{l}:{c}: ", input.file),
        Place::Cell(cell) => format!("{}: {cell}: ", input.file),
        Place::Named(name) => name.to_string(),
        Place::File => format!("{}: ", input.file),
    };
    let before = files(dir);
    let mut problems = Vec::new();
    let mut transcript = String::new();
    for args in commands {
        let r = run(dir, &args, input.limited);
        let all = format!("{}{}", r.stdout, r.stderr);
        let mut fail = |why: &str| problems.push(format!("{}: {why}\n{all}", r.shown));
        if r.code == 0 {
            fail("終了コードが 0");
        }
        if all.contains("panicked") || r.code == 101 || r.code < 0 {
            fail("パニックまたは異常終了");
        }
        match all.lines().find(|l| l.contains(input.file) && l.contains(&expected)) {
            None => fail(&format!("ファイルと場所「{}」「{expected}」を示すメッセージがない", input.file)),
            Some(line) if !has_japanese(line.split(&expected).last().unwrap_or(line)) => {
                fail(&format!("メッセージが日本語でない: {line}"))
            }
            Some(_) => {}
        }
        if all.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
            fail("端末への制御文字をそのまま出力した");
        }
        let shown_out = if r.stdout.chars().count() > 2000 {
            format!("{}…（省略）\n", r.stdout.chars().take(2000).collect::<String>())
        } else {
            r.stdout.clone()
        };
        transcript.push_str(&format!("{}\n終了コード {}\n", r.shown, r.code));
        if !shown_out.is_empty() {
            transcript.push_str(&format!("[標準出力]\n{shown_out}"));
        }
        if !r.stderr.is_empty() {
            transcript.push_str(&format!("[標準エラー出力]\n{}", r.stderr));
        }
        transcript.push('\n');
    }
    let after = files(dir);
    if before != after {
        let changed: Vec<String> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(v))
            .map(|(k, _)| k.display().to_string())
            .chain(before.keys().filter(|k| !after.contains_key(*k)).map(|k| format!("（消えた）{}", k.display())))
            .collect();
        problems.push(format!("ファイルが書き込まれた・変わった: {changed:?}"));
    }
    if !problems.is_empty() {
        return Err(format!("{}:\n{}", input.name, problems.join("\n")));
    }
    // Machine-specific paths become a placeholder.
    let tmp_str = dir.to_string_lossy().to_string();
    let canonical = std::fs::canonicalize(dir).map(|p| p.to_string_lossy().to_string()).unwrap_or_default();
    let mut text = transcript.replace(&canonical, "[一時フォルダ]").replace(&tmp_str, "[一時フォルダ]");
    text = text.replace(&root().to_string_lossy().to_string(), "[リポジトリ]");
    Ok(text)
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests/corpus/expected"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), text));
}

#[test]
fn every_bad_input_fails_cleanly_with_a_located_japanese_message() {
    let all = inputs();
    let mut failures = Vec::new();
    let mut transcripts = Vec::new();
    for input in &all {
        if matches!(input.setup, Setup::CaseDir("evidence-symlink")) && !cfg!(unix) {
            eprintln!("{}: シンボリックリンクを作れない環境のため飛ばします", input.name);
            continue;
        }
        match try_input(input) {
            Ok(t) => transcripts.push((input.name, t)),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for (name, t) in transcripts {
        snapshot(name, &t);
    }
}

/// Every committed input is in the table of README.md and used by the test above.
#[test]
fn the_corpus_readme_lists_every_input() {
    let corpus = root().join("tests/corpus");
    let readme = std::fs::read_to_string(corpus.join("README.md")).unwrap();
    let used: Vec<String> = inputs()
        .iter()
        .map(|i| match i.setup {
            Setup::CaseFile(f) | Setup::CaseRule(f) => format!("case/{f}"),
            Setup::CaseDir(d) => format!("case-dirs/{d}/"),
            Setup::Workbook(f) => format!("workbook/{f}"),
            Setup::Checklists(d) => format!("checklists/{d}/"),
            Setup::Generated(_) => format!("（{}）", i.name),
        })
        .collect();
    for u in &used {
        assert!(readme.contains(&format!("`{u}`")) || u.starts_with('（'), "README.md に {u} がありません");
    }
    for sub in ["case", "workbook"] {
        for e in std::fs::read_dir(corpus.join(sub)).unwrap() {
            let rel = format!("{sub}/{}", e.unwrap().file_name().to_string_lossy());
            assert!(used.contains(&rel), "{rel} はどのテストにも使われていません");
        }
    }
}

/// A byte order mark and CRLF line ends, as Windows editors save, are not errors: the same case
/// without them gives the same findings.
#[test]
fn bom_and_crlf_are_accepted() {
    let base = std::fs::read_to_string(root().join("tests/fixtures/cases/incident-basic/case.toml")).unwrap();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("plain", base.clone().into_bytes()),
        ("bom", [b"\xef\xbb\xbf".as_slice(), base.as_bytes()].concat()),
        ("crlf", base.replace('\n', "\r\n").into_bytes()),
        ("bom-crlf", [b"\xef\xbb\xbf".as_slice(), base.replace('\n', "\r\n").as_bytes()].concat()),
    ];
    let mut outputs = Vec::new();
    for (name, bytes) in variants {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("case")).unwrap();
        std::fs::write(tmp.path().join("case/case.toml"), bytes).unwrap();
        let r = run(tmp.path(), &["check".to_string(), "case".to_string()], false);
        assert_ne!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
        outputs.push((name, r.code, r.stdout));
    }
    for (name, code, out) in &outputs[1..] {
        assert_eq!((code, out), (&outputs[0].1, &outputs[0].2), "{name}");
    }
}

/// The workbook inputs hold what their names say (make.py was run after the last change).
#[test]
fn generated_inputs_exist_and_the_corpus_stays_small() {
    let corpus = root().join("tests/corpus");
    let names: Vec<OsString> =
        std::fs::read_dir(corpus.join("workbook")).unwrap().map(|e| e.unwrap().file_name()).collect();
    for want in ["zip-bomb.xlsx", "zip-bomb-lying.xlsx", "huge-dimension.xlsx", "far-cell.xlsx", "bad-cells.xlsx"] {
        assert!(names.iter().any(|n| n == want), "{want}: python3 tests/corpus/make.py で作成してください");
    }
    let total: u64 = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert!(total < 2 * 1024 * 1024, "the committed corpus stays small ({total} bytes)");
}
