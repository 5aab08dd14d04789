//! The bodies of kensa's fuzz targets, one function per target. The fuzz targets
//! (`fuzz_targets/*.rs`) call them under libFuzzer; the replay test of the main crate
//! (`tests/it/fuzz_replay.rs`) includes this file and runs every saved input through the same
//! functions on stable Rust. A panic — including a failed assertion below — is a finding.
//!
//! Besides "never panics", each target checks what kensa promises about bad input: an error
//! names the file and the place and is written in Japanese; and about good input: what was
//! read is saved and read back without loss.

use kensa::case::store;
use kensa::checklist::{Origin, Registry};
use kensa::values::{Date, Stamp};
use kensa::{wareki, Error};
use std::path::Path;
use std::sync::OnceLock;

/// The embedded checklists, loaded once.
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry::load(None).expect("the embedded checklists load"))
}

/// Whether a message reads as Japanese: kana, kanji or Japanese punctuation within its first
/// three words (an untranslated library message opens with several English words).
pub fn is_japanese(message: &str) -> bool {
    let ja = |c: char| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
    message.split_whitespace().take(3).any(|w| w.chars().any(ja))
}

/// The text a loader would see: the bytes when they are UTF-8 (kensa refuses other bytes
/// before parsing), else their lossy reading, so that the parser still meets them.
fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// An error of a TOML loader (or every error of a list of them): at a line and column of
/// the file, in Japanese.
fn assert_located(e: &Error, file: &str) {
    match e {
        Error::At { path, line, column, message } => {
            assert_eq!(path, Path::new(file), "{e}");
            assert!(*line >= 1 && *column >= 1, "{e}");
            assert!(is_japanese(message), "not Japanese: {e}");
            assert!(
                !message.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')),
                "control character in: {e:?}"
            );
        }
        Error::Many(list) => {
            assert!(!list.0.is_empty(), "an empty list of errors");
            for one in &list.0 {
                assert_located(one, file);
            }
        }
        other => panic!("a TOML error without a place: {other:?}"),
    }
}

/// `case_toml`: [`store::parse`] on any text. A case that parses is checked (every message
/// Japanese) and saved as text that reads back to the same case.
pub fn case_toml(data: &[u8]) {
    let text = text_of(data);
    match store::parse(Path::new("case.toml"), &text) {
        Err(e) => assert_located(&e, "case.toml"),
        Ok(case) => {
            let reg = registry();
            let map = kensa::diag::SourceMap::new(&text);
            for d in kensa::check::check_case(&case, reg, &kensa::check::Context::today()) {
                assert!(is_japanese(&d.message), "not Japanese: {}", d.message);
                let shown = map.locate(Path::new("case.toml"), d).to_string();
                assert!(
                    !shown.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')),
                    "control character in: {shown:?}"
                );
            }
            let saved = store::to_text(&case, Some(reg)).expect("a parsed case can be saved");
            match store::parse(Path::new("case.toml"), &saved) {
                Ok(again) => assert!(again == case, "saved and read back differs:\n{saved}"),
                Err(e) => panic!("a saved case does not read back: {e}\n{saved}"),
            }
        }
    }
}

/// `checklist_toml`: [`kensa::checklist::parse_checklist`] on any text; a checklist that parses is
/// validated against the embedded ones as a user's folder would be (every finding located and
/// Japanese), then listed and shown.
pub fn checklist_toml(data: &[u8]) {
    let text = text_of(data);
    let path = Path::new("local.toml");
    match kensa::checklist::parse_checklist(path, &text) {
        Err(e) => assert_located(&e, "local.toml"),
        Ok(c) => {
            // Validated as `Registry::load` does: with the checklist among the others (a clone
            // only where it may name itself as successor, the registry being large).
            let mut own;
            let mut reg = registry();
            if c.successor.as_deref() == Some(c.id.as_str()) {
                own = reg.clone();
                own.checklists.insert(c.id.clone(), (c.clone(), Origin::File(path.to_path_buf())));
                reg = &own;
            }
            let map = kensa::diag::SourceMap::new(&text);
            for d in reg.validate(&c) {
                let l = map.locate(path, d);
                assert!(l.line >= 1 && l.column >= 1, "{l}");
                assert!(is_japanese(&l.diagnostic.message), "not Japanese: {l}");
                assert!(
                    !l.to_string().chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')),
                    "control character in: {l:?}"
                );
            }
            let _ = kensa::checklist::show::list(reg);
            let _ = kensa::checklist::show::show_text(&c);
            let _ = kensa::checklist::show::show_md(&c);
        }
    }
}

/// A date and a time stamp as case.toml holds them.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Dates {
    date: Date,
    stamp: Stamp,
}

/// `wareki_date`: the readers of dates, times and fiscal years on any text. What one reads is
/// written back (和暦, ISO, case.toml) and read again to the same value; a refusal is Japanese.
pub fn wareki_date(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let refused = |e: &wareki::DateError| assert!(is_japanese(&e.0), "not Japanese: {e}");
    match wareki::parse(s) {
        Ok(d) => assert_eq!(wareki::parse(&wareki::format(d)), Ok(d), "{s} → {}", wareki::format(d)),
        Err(e) => refused(&e),
    }
    match wareki::parse_time(s) {
        Ok(t) => assert_eq!(wareki::parse_time(&t.format("%H:%M:%S").to_string()), Ok(t), "{s}"),
        Err(e) => refused(&e),
    }
    match wareki::parse_fiscal_year(s) {
        Ok(y) => assert_eq!(wareki::parse_fiscal_year(&wareki::format_fiscal_year(y)), Ok(y), "{s}"),
        Err(e) => refused(&e),
    }
    let date = s.parse::<Date>();
    let stamp = s.parse::<Stamp>();
    if let Ok(d) = &date {
        assert_eq!(d.wareki().parse::<Date>().as_ref(), Ok(d), "{s} → {}", d.wareki());
        assert_eq!(d.iso().parse::<Date>().as_ref(), Ok(d), "{s} → {}", d.iso());
    }
    if let Ok(st) = &stamp {
        // 和暦 and ISO text show the minute; case.toml keeps the second.
        let minute = Stamp { time: st.time.and_then(|t| chrono::Timelike::with_second(&t, 0)), ..*st };
        assert_eq!(st.wareki().parse::<Stamp>().as_ref(), Ok(&minute), "{s} → {}", st.wareki());
        assert_eq!(st.iso().parse::<Stamp>().as_ref(), Ok(&minute), "{s} → {}", st.iso());
    }
    for e in [date.as_ref().err(), stamp.as_ref().err()].into_iter().flatten() {
        refused(e);
    }
    if let (Ok(date), Ok(stamp)) = (date, stamp) {
        let v = Dates { date, stamp };
        let text = toml::to_string(&v).expect("dates serialize");
        let back: Dates = toml::from_str(&text).unwrap_or_else(|e| panic!("{s}: {text} does not read back: {e}"));
        assert_eq!(back, v, "{s} → {text}");
    }
}

/// `workbook`: [`kensa::workbook::read::read`] on any file saved as an .xlsx. A refusal names
/// the file and is Japanese; a workbook that reads is merged into a case, which is saved as text
/// that reads back.
pub fn workbook(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("fuzz.xlsx");
    std::fs::write(&path, data).expect("the input is written");
    let reg = registry();
    match kensa::workbook::read::read(&path, reg, kensa::workbook::read::Purpose::Merge { case_id: None }) {
        Err(e) => {
            let msg = e.to_string();
            let lead = format!("{}: ", path.display());
            assert!(msg.starts_with(&lead), "the file is not named: {msg}");
            for line in msg.lines().filter_map(|l| l.strip_prefix(&lead)) {
                assert!(is_japanese(line), "not Japanese: {line}");
            }
        }
        Ok(parsed) => {
            let case = kensa::case::Case { case_id: parsed.case_id.clone(), ..Default::default() };
            let outcome = kensa::merge::merge(&case, &parsed, reg, Some(kensa::merge::Prefer::Workbook));
            let _ = outcome.summary();
            let saved = store::to_text(&outcome.case, Some(reg)).expect("a merged case can be saved");
            if let Err(e) = store::parse(Path::new("case.toml"), &saved) {
                panic!("an imported case does not read back: {e}\n{saved}");
            }
        }
    }
}
