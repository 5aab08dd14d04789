//! Bad input never panics: mutated case files either load or give a located Japanese error.

use kensa::case::store;
use kensa::check::check_case;
use kensa::checklist::Registry;
use kensa::Error;
use proptest::prelude::*;
use std::path::Path;

fn sample() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/ransomware-hospital/case.toml"))
        .unwrap()
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mutated_case_files_never_panic(start in 0usize..60_000, len in 0usize..40, insert in "[=\\[\\]\"#a-z0-9 \n令和年月日はいいえ]{0,12}") {
        let text = sample();
        let mut cut = start.min(text.len());
        while !text.is_char_boundary(cut) { cut -= 1; }
        let mut end = (cut + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let mutated = format!("{}{}{}", &text[..cut], insert, &text[end..]);
        let reg = Registry::load(None).unwrap();
        match store::parse(Path::new("case.toml"), &mutated) {
            Ok(case) => {
                for d in check_case(&case, &reg, &kensa::check::Context::today()) {
                    prop_assert!(has_japanese(&d.message), "{}", d.message);
                }
            }
            Err(Error::At { line, column, message, .. }) => {
                prop_assert!(line >= 1 && column >= 1);
                prop_assert!(has_japanese(&message), "{}", message);
            }
            Err(Error::Many(list)) => {
                prop_assert!(!list.0.is_empty());
                for one in &list.0 {
                    match one {
                        Error::At { line, column, message, .. } => {
                            prop_assert!(*line >= 1 && *column >= 1);
                            prop_assert!(has_japanese(message), "{}", message);
                        }
                        other => prop_assert!(false, "unexpected error kind in a list: {other}"),
                    }
                }
            }
            Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
        }
    }
}

fn sample_workbook() -> (kensa::case::Case, Vec<u8>) {
    let reg = Registry::load(None).unwrap();
    let loaded = store::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clinic-routine")).unwrap();
    let bytes = kensa::workbook::write::build(&loaded.case, &reg, kensa::workbook::Audience::Inspector).unwrap();
    (loaded.case, bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A damaged workbook is refused with a message naming the file; it never panics.
    #[test]
    fn damaged_workbooks_never_panic(flips in prop::collection::vec((0usize..1_000_000, any::<u8>()), 1..8), cut in prop::option::of(0usize..1_000_000)) {
        let (case, mut bytes) = sample_workbook();
        for (at, b) in flips {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        if let Some(c) = cut {
            bytes.truncate(c % bytes.len());
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let reg = Registry::load(None).unwrap();
        match kensa::workbook::read::read(&path, &reg, kensa::workbook::read::Purpose::Merge { case_id: Some(&case.case_id) }) {
            Ok(parsed) => {
                let _ = kensa::merge::merge(&case, &parsed, &reg, None);
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("damaged.xlsx"), "{}", msg);
                prop_assert!(has_japanese(&msg), "{}", msg);
            }
        }
    }
}
