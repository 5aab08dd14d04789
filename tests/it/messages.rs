//! What users read when something is wrong: every error of a case file in one run of `kensa
//! check`, and messages in Japanese (no English sentence outside quoted input and 詳細) for the
//! inputs users reported, run through the real binary.

use crate::harness::{kensa_in, write_case, Run, TempCase, INCIDENT};
use std::io::Write;
use std::path::Path;

/// A case file with three mistakes in three parts: an unknown field in `[facility]`, a wrong
/// type in one `[[answers]]`, an unknown choice in another.
const THREE_TYPOS: &str = r#"case_id = "T-1"

[facility]
name = "架空病院"
bedz = 10

[inspection]
kind = "定期の立入検査"

[[answers]]
item = "mhlw-r7:0"
confirmed_on = 5

[[answers]]
item = "mhlw-r7:1-01"
verification = "たぶん"
"#;

#[test]
fn check_reports_every_error_of_a_case_file_in_line_order() {
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), THREE_TYPOS);
    let r = kensa_in(tmp.path(), &["check", "case"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let findings: Vec<&str> = r.stdout.lines().filter(|l| l.contains("エラー[parse]")).collect();
    assert_eq!(findings.len(), 3, "{}", r.all());
    let places: Vec<&str> = findings.iter().map(|l| l.split(": ").next().unwrap()).collect();
    let file = Path::new("case").join("case.toml").display().to_string();
    assert_eq!(places, [format!("{file}:5:1"), format!("{file}:12:16"), format!("{file}:16:16")], "{}", r.all());
    assert!(findings[0].contains("「bedz」という項目はありません"), "{}", r.all());
    assert!(findings[1].contains("値の種類が違います（整数 5 が書かれています。日付"), "{}", r.all());
    assert!(findings[2].contains("「たぶん」は選べる値ではありません"), "{}", r.all());
    assert!(r.stdout.contains("エラー 3 件、警告 0 件"), "{}", r.all());

    // The same in JSON.
    let r = kensa_in(tmp.path(), &["check", "case", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let lines: Vec<u64> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [5, 12, 16], "{}", r.stdout);

    // Commands that load the case list them all too, one a line.
    let r = kensa_in(tmp.path(), &["report", "case"]);
    assert_eq!(r.code, 1);
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("エラー: ")).collect();
    assert_eq!(errors.len(), 3, "{}", r.all());

    // A syntax error stops parsing: one error.
    let tmp = tempfile::tempdir().unwrap();
    write_case(tmp.path(), &THREE_TYPOS.replace("name = \"架空病院\"", "name = \"架空病院"));
    let r = kensa_in(tmp.path(), &["check", "case"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().filter(|l| l.contains("エラー[parse]")).count(), 1, "{}", r.all());
}

/// The first English sentence of a text (what the regex `[A-Za-z]{3,} [a-z]{2,} [a-z]{2,}`
/// finds), outside quoted input (「…」), the original words kept as 詳細 (（詳細: …）) and
/// commands to type (`kensa templates export`).
fn english_sentence(text: &str) -> Option<String> {
    let plain = strip(&strip_quotes(text), "（詳細:", '（', '）');
    let plain = strip_commands(&plain);
    for line in plain.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        for w in words.windows(3) {
            let tail = |s: &str| s.chars().rev().take_while(|c| c.is_ascii_alphabetic()).count();
            let lower = |s: &str| s.len() >= 2 && s.chars().all(|c| c.is_ascii_lowercase());
            let lead = |s: &str| s.chars().take_while(|c| c.is_ascii_lowercase()).count();
            if tail(w[0]) >= 3 && lower(w[1]) && lead(w[2]) >= 2 {
                return Some(w.join(" "));
            }
        }
    }
    None
}

/// The text without kensa's command lines (`kensa <command>` and the ASCII words after it).
fn strip_commands(text: &str) -> String {
    const COMMANDS: [&str; 9] =
        ["checklist", "new", "check", "schema", "compare", "workbook", "import", "report", "templates"];
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("kensa ") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let command = after["kensa ".len()..].split(' ').next().unwrap_or("");
        let end = if COMMANDS.contains(&command) {
            after.find(|c: char| !(c.is_ascii_alphanumeric() || " -_./".contains(c))).unwrap_or(after.len())
        } else {
            "kensa ".len()
        };
        out.push_str(if end == "kensa ".len() { "kensa " } else { "" });
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The text without what stands between 「 and 」 (nested pairs counted).
fn strip_quotes(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '「' => depth += 1,
            '」' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text without each part that begins with `start` and ends at its matching `close`.
fn strip(text: &str, start: &str, open: char, close: char) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i]);
        let mut depth = 0usize;
        let mut end = rest.len();
        for (j, c) in rest[i..].char_indices() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    end = i + j + c.len_utf8();
                    break;
                }
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_english_detector_finds_what_users_reported() {
    for m in [
        "読み込めません（No such file or directory）",
        "Variable `g.txt` not found in context while rendering 'facility.md'",
        "ワークブックとして読めません（File not found '_rels/.rels'）",
    ] {
        assert!(english_sentence(m).is_some(), "{m}");
    }
    for m in [
        "テンプレート「facility.md」の変数「g.txt」はありません",
        "読めません（詳細: File not found '_rels/.rels'）",
        "「No such thing at all」は選べる値ではありません",
        "/tmp/x/case/case.toml:5:1: エラー[parse]: 余分な「=」があります",
        "使える変数は kensa templates export で書き出したテンプレートを参照してください",
    ] {
        assert_eq!(english_sentence(m), None, "{m}");
    }
}

/// A zip file holding an OpenDocument spreadsheet's parts (an .ods), to be named `.xlsx`.
fn ods(path: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", "<manifest:manifest/>"),
        ("content.xml", "<office:document-content/>"),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// A templates folder beside the case holding one file.
fn templates(case: &TempCase, name: &str, text: &str) -> String {
    let dir = case.parent().join("tpl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
    dir.display().to_string()
}

/// One input users reported, the exit code and the Japanese that must be printed.
struct Reported {
    what: &'static str,
    run: fn(&TempCase) -> Run,
    code: i32,
    says: &'static [&'static str],
}

fn check_case_with(case: &TempCase, from: &str, to: &str) -> Run {
    let text = std::fs::read_to_string(case.dir.join("case.toml")).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(case.dir.join("case.toml"), text.replacen(from, to, 1)).unwrap();
    kensa_in(case.parent(), &["check", "case"])
}

fn report_with_template(case: &TempCase, name: &str, text: &str) -> Run {
    let tpl = templates(case, name, text);
    kensa_in(case.parent(), &["report", "case", "--out", "out", "--templates", &tpl])
}

const REPORTED: &[Reported] = &[
    Reported {
        what: "a path through a file (Not a directory)",
        run: |c| {
            std::fs::write(c.parent().join("memo.txt"), "x").unwrap();
            kensa_in(c.parent(), &["report", "case", "--out", "memo.txt/out"])
        },
        code: 1,
        // Windows says that the name exists (ERROR_ALREADY_EXISTS) where Unix says "not a directory".
        says: &[if cfg!(windows) {
            "memo.txt/out: 書き込めません（同じ名前のファイルまたはフォルダが既にあります）"
        } else {
            "memo.txt/out: 書き込めません（パスの途中にフォルダではなくファイルがあります）"
        }],
    },
    Reported {
        what: "a missing workbook (No such file or directory)",
        run: |c| kensa_in(c.parent(), &["import", "case", "nosuch.xlsx"]),
        code: 1,
        says: &["nosuch.xlsx: 読み込めません（ファイルまたはフォルダがありません）"],
    },
    Reported {
        what: "a negative count",
        run: |c| check_case_with(c, "kind = \"病院\"", "kind = \"病院\"\nbeds = -5"),
        code: 1,
        says: &["値が正しくありません（-5 は使えません。0 以上の整数を書きます）"],
    },
    Reported {
        what: "an extra =",
        run: |c| check_case_with(c, "name = \"架空病院\"", "name = = \"架空病院\""),
        code: 1,
        says: &["TOML の書き方が正しくありません（余分な「=」があります）"],
    },
    Reported {
        what: "an unquoted string",
        run: |c| check_case_with(c, "name = \"架空病院\"", "name = 架空病院"),
        code: 1,
        says: &["文字列は \"…\" で囲みます"],
    },
    Reported {
        what: "a template naming a missing variable",
        run: |c| report_with_template(c, "facility.md", "{{ g.txt }}\n"),
        code: 1,
        says: &[
            "facility.md: 報告書のテンプレートを処理できません。",
            "テンプレート「facility.md」の変数「g.txt」はありません（使える変数は kensa templates export で書き出したテンプレートを参照してください）",
        ],
    },
    Reported {
        what: "a template naming a missing filter",
        run: |c| report_with_template(c, "facility.md", "{{ 1 | nosuch }}\n"),
        code: 1,
        says: &["フィルター「nosuch」はありません", "thousands、days_after"],
    },
    Reported {
        what: "a template with an unexpected tag",
        run: |c| report_with_template(c, "facility.md", "本文\n{% endif %}\n"),
        code: 1,
        says: &["facility.md: 報告書のテンプレートを読み込めません。2 行 1 列の {% endif %} に対応する {% if %} がありません"],
    },
    Reported {
        what: "an .ods renamed .xlsx",
        run: |c| {
            ods(&c.parent().join("sheet.xlsx"));
            kensa_in(c.parent(), &["import", "case", "sheet.xlsx"])
        },
        code: 1,
        says: &["sheet.xlsx: Excel ブック（.xlsx）ではないか壊れているため、ワークブックとして読めません", ".ods"],
    },
    Reported {
        what: "a misspelled template file",
        run: |c| report_with_template(c, "reprot.md", "# 報告書\n"),
        code: 1,
        says: &[
            "reprot.md: テンプレート「reprot.md」はどのテンプレートからも使われません",
            "report.md、facility.md、inspection.md",
        ],
    },
];

#[test]
fn messages_users_reported_are_japanese() {
    for r in REPORTED {
        let case = TempCase::copy("tests/fixtures/cases/incident-basic");
        assert_eq!(std::fs::read_to_string(case.dir.join("case.toml")).unwrap(), INCIDENT);
        let run = (r.run)(&case);
        assert_eq!(run.code, r.code, "{}: {}", r.what, run.all());
        let all = format!("{}{}", run.stdout, run.stderr);
        for s in r.says {
            assert!(all.contains(s), "{}: says {s}\n{}", r.what, run.all());
        }
        assert_eq!(english_sentence(&all), None, "{}: {}", r.what, run.all());
        assert!(!all.contains("原因:"), "{}: no English cause line\n{}", r.what, run.all());
    }
}

#[test]
fn a_template_folder_with_an_included_part_is_accepted() {
    let case = TempCase::copy("tests/fixtures/cases/incident-basic");
    let dir = case.parent().join("tpl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("parts.md"), "（部品）\n").unwrap();
    let closing = "{% include \"parts.md\" %}\n以上\n";
    std::fs::write(dir.join("closing.md"), closing).unwrap();
    let tpl = dir.display().to_string();
    let r = kensa_in(case.parent(), &["report", "case", "--out", "out", "--format", "md", "--templates", &tpl]);
    assert_eq!(r.code, 0, "{}", r.all());
    let md = std::fs::read_to_string(case.parent().join("out").join("report.md")).unwrap();
    let part = md.find("（部品）").expect("the part is included");
    assert!(md[part..].contains("以上"), "{md}");
}
