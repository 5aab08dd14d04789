//! Reading and writing case.toml. Writes go through [`crate::fs`] (atomic) and the previous
//! version is kept as `case.toml.bak`.

use super::model::Case;
use crate::checklist::Registry;
use crate::diag::SourceMap;
use crate::error::{read_text, toml_error, Error, Place, Result};
use crate::fs::write_atomic;
use crate::values::ItemRef;
use std::path::{Path, PathBuf};

pub const CASE_FILE: &str = "case.toml";
pub const BACKUP_FILE: &str = "case.toml.bak";
/// Largest case file kensa reads.
pub const MAX_CASE_BYTES: u64 = 16 * 1024 * 1024;

/// A case with the file it came from and that file's text.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub path: PathBuf,
    pub text: String,
    pub case: Case,
}

impl LoadedCase {
    /// The case folder.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
    /// SHA-256 of the file as read, in hex.
    pub fn sha256(&self) -> String {
        crate::fs::sha256_hex(self.text.as_bytes())
    }

    /// The place of a dotted key (`inspection.checklists.1`) in the file.
    pub fn place(&self, key: &str) -> Place {
        let (line, column) = SourceMap::new(&self.text).position(key);
        Place::At { path: self.path.clone(), line, column }
    }

    /// Every checklist the case names (in `inspection.checklists` and in its answers) exists;
    /// the error names the place in case.toml.
    pub fn require_checklists(&self, reg: &Registry) -> Result<()> {
        for (i, id) in self.case.inspection.checklists.iter().enumerate() {
            reg.require(id, self.place(&format!("inspection.checklists.{i}")))?;
        }
        for (i, a) in self.case.answers.iter().enumerate() {
            reg.require(a.item.checklist(), self.place(&format!("answers.{i}.item")))?;
        }
        Ok(())
    }
}

/// `DIR/case.toml` for a folder, the path itself for a file.
pub fn case_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(CASE_FILE)
    } else {
        path.to_path_buf()
    }
}

/// Reads and parses a case folder or case file.
pub fn load(path: &Path) -> Result<LoadedCase> {
    let file = case_path(path);
    if !file.exists() {
        return Err(Error::file(&file, "事案ファイルがありません（kensa new で作成できます）"));
    }
    let text = read_text(&file, MAX_CASE_BYTES)?;
    let case = parse(&file, &text)?;
    Ok(LoadedCase { path: file, text, case })
}

/// Parses case.toml text.
pub fn parse(path: &Path, text: &str) -> Result<Case> {
    toml::from_str::<Case>(text).map_err(|e| toml_error(path, text, &e))
}

/// Serializes a case as case.toml text; with the checklists, each answer is preceded by a
/// comment giving the item's number and text, for those who edit the file by hand.
pub fn to_text(case: &Case, reg: Option<&Registry>) -> Result<String> {
    let mut body =
        toml::to_string(case).map_err(|e| Error::Build { what: "事案ファイル", detail: e.to_string() })?;
    if let Some(reg) = reg {
        if let Ok(mut doc) = body.parse::<toml_edit::DocumentMut>() {
            if let Some(answers) = doc.get_mut("answers").and_then(|a| a.as_array_of_tables_mut()) {
                for t in answers.iter_mut() {
                    let Some(r) = t.get("item").and_then(|v| v.as_str()).and_then(|s| s.parse::<ItemRef>().ok()) else {
                        continue;
                    };
                    if let Some((c, item)) = reg.item(&r) {
                        let text: String = item.text.chars().filter(|c| !c.is_control()).take(60).collect();
                        t.decor_mut().set_prefix(format!("\n# {} {} {}\n", c.id, item.number, text));
                    }
                }
            }
            body = doc.to_string();
        }
    }
    Ok(format!("# kensa 事案ファイル（UTF-8）。項目の説明は kensa schema で出力できます。\n\n{body}"))
}

/// Writes the case into `dir/case.toml`, keeping the previous version as `case.toml.bak`.
pub fn save(dir: &Path, case: &Case, reg: Option<&Registry>) -> Result<PathBuf> {
    let path = dir.join(CASE_FILE);
    save_file(&path, case, reg)?;
    Ok(path)
}

/// Writes the case into a case file of any name, keeping the previous version beside it
/// (`case.toml.bak`, or `<name>.bak`).
pub fn save_file(path: &Path, case: &Case, reg: Option<&Registry>) -> Result<()> {
    let text = to_text(case, reg)?;
    // Refuse to write what could not be read back.
    parse(path, &text)?;
    let mut backup = path.as_os_str().to_os_string();
    backup.push(".bak");
    write_atomic(path, text.as_bytes(), Some(Path::new(&backup)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_keeps_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut case = Case { case_id: "A-1".into(), ..Case::default() };
        case.facility.name = "テスト病院".into();
        save(dir.path(), &case, None).unwrap();
        assert!(!dir.path().join(BACKUP_FILE).exists());
        case.facility.name = "テスト病院（改）".into();
        save(dir.path(), &case, None).unwrap();
        let bak = std::fs::read_to_string(dir.path().join(BACKUP_FILE)).unwrap();
        assert!(bak.contains("name = \"テスト病院\""), "{bak}");
        let now = load(dir.path()).unwrap();
        assert_eq!(now.case.facility.name, "テスト病院（改）");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn missing_case_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("case.toml") && e.contains("事案ファイルがありません"), "{e}");
    }
}
