//! Reading and writing case.toml. Writes go through [`crate::fs`] (atomic), an existing file is
//! edited in place ([`super::edit`]) and its previous versions are kept in `backup/`. A command
//! that changes a case reads it through [`load_for_update`], holding the case folder's lock until
//! it has written, and [`update`] refuses to replace a file that changed since it was read.

use super::edit::answer_comment;
use super::model::Case;
use crate::checklist::Registry;
use crate::diag::SourceMap;
use crate::error::{Error, Place, Result};
use crate::fs::read_text;
use crate::fs::replace_keeping_backups;
use std::path::{Path, PathBuf};

pub const CASE_FILE: &str = "case.toml";
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

/// Takes the lock of the case folder for `command` (waiting a few seconds for another writer,
/// [`crate::fs::lock_folder`]), then reads the case: keep the lock until the case is written.
pub fn load_for_update(path: &Path, command: &str) -> Result<(crate::fs::FolderLock, LoadedCase)> {
    let file = case_path(path);
    // A case file that is missing or does not read is reported before anything, even the lock
    // file, is written; the read that counts is the one under the lock.
    load(&file)?;
    let lock = crate::fs::lock_folder(crate::fs::parent(&file), command)?;
    let loaded = load(&file)?;
    Ok((lock, loaded))
}

/// Parses case.toml text; a file with several errors gives them all ([`super::parse`]).
pub fn parse(path: &Path, text: &str) -> Result<Case> {
    super::parse::parse(path, text)
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
                    let comment = t.get("item").and_then(|v| v.as_str()).and_then(|item| answer_comment(reg, item));
                    if let Some(comment) = comment {
                        t.decor_mut().set_prefix(format!("\n{comment}\n"));
                    }
                }
            }
            body = doc.to_string();
        }
    }
    Ok(format!("# kensa 事案ファイル（UTF-8）。項目の説明は kensa schema で出力できます。\n\n{body}"))
}

/// What a save wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The case file.
    pub path: PathBuf,
    /// Where its previous content was kept (`backup/case-<time>.toml`); `None` for a new file or
    /// one whose content did not change.
    pub backup: Option<PathBuf>,
    /// The original text was edited in place, its comments and formatting kept; `false` when the
    /// case was written in full (a new file, or an edit kensa could not make faithfully).
    pub in_place: bool,
}

/// Writes a new case as `dir/case.toml` (an existing file there is kept in `backup/` first).
pub fn save(dir: &Path, case: &Case, reg: Option<&Registry>) -> Result<Saved> {
    let path = dir.join(CASE_FILE);
    let text = to_text(case, reg)?;
    write(&path, &text, false)
}

/// Writes `new` over the case file `loaded` was read from, editing its text in place: only the
/// keys and tables that changed are rewritten, and hand-written comments, key order and
/// formatting stay. The previous content is kept in `backup/` beside the file (the newest
/// [`crate::fs::BACKUPS_KEPT`] versions).
///
/// The file must still hold the text `loaded` was read from: one another program (an editor)
/// changed meanwhile is not replaced ([`Error::Changed`], checked again just before the rename).
/// A file written with CRLF line endings (Windows' Notepad, many editors there) keeps them.
pub fn update(loaded: &LoadedCase, new: &Case, reg: Option<&Registry>) -> Result<Saved> {
    let crlf = uses_crlf(&loaded.text);
    let (text, in_place) = match super::edit::edit(&loaded.text, new, reg) {
        Some(text) => (text, true),
        None => (to_text(new, reg)?, false),
    };
    let text = line_endings(text, crlf);
    // Refuse to write what could not be read back.
    parse(&loaded.path, &text)?;
    let backup = crate::fs::replace_unchanged(&loaded.path, text.as_bytes(), loaded.text.as_bytes())?;
    Ok(Saved { path: loaded.path.clone(), backup, in_place })
}

/// Whether a text's lines end in CRLF (its first line break decides).
fn uses_crlf(text: &str) -> bool {
    text.find('\n').is_some_and(|i| text[..i].ends_with('\r'))
}

/// `text` with every line ending CRLF (`crlf`) or as it is.
fn line_endings(text: String, crlf: bool) -> String {
    if !crlf {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    for line in text.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(body) => {
                out.push_str(body.strip_suffix('\r').unwrap_or(body));
                out.push_str("\r\n");
            }
            None => out.push_str(line),
        }
    }
    out
}

fn write(path: &Path, text: &str, in_place: bool) -> Result<Saved> {
    // Refuse to write what could not be read back.
    parse(path, text)?;
    let backup = replace_keeping_backups(path, text.as_bytes())?;
    Ok(Saved { path: path.to_path_buf(), backup, in_place })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::*;

    /// A case file as an inspector edits it by hand: comments above tables, above keys and after
    /// values, 和暦 dates as text, arrays over several lines, inline and dotted tables.
    const HAND: &str = r#"# みなと中央病院 定期立入検査（手書きのメモあり）

format = 1
case_id = "2025-定期-0012"   # 県の台帳の番号

# 施設の概要は開設許可証で確認
[facility]
name = "みなと中央病院"
kind = "病院"
beds = 120
authority = { name = "架空県", office = "架空県医務課" }

[[facility.systems]]
name = "電子カルテ"   # 主要システム
vendor = "架空メディカル"
remote_maintenance = true

# レセコン事業者は一部未回答（11月末に提出予定）
[[facility.systems]]
name = "医事会計システム"
vendor = "架空医事"

[inspection]
kind = "定期の立入検査"
dates = ["令和7年6月1日", "令和7年6月2日"]
checklists = ["mhlw-r7", "onsite"]
documents = [
  "機器台帳",        # 令和7年4月1日現在
  "保守契約書",
  "研修記録",
]
note = "講評は後日"

[[inspection.inspectors]]
name = "森下 理恵"
id_shown = true

# ===== 医療機関等確認用 =====

# mhlw-r7 0 前提項目
[[answers]]
item = "mhlw-r7:0"
answer = "はい"
confirmed_on = "令和7年6月1日"

[[answers]]
item = "mhlw-r7:1-01"
answer = "いいえ"
target_on = "令和8年3月31日"   # 年度内に対応予定
note = "担当者未定"

# 手順書はまだ見ていない
[[answers]]
item = "mhlw-r7:2-01"
answer = "はい"
method = ["書類確認", "聞き取り"]

# 優先度の高いもの
[[measures]]
text = "VPN装置の更新"
owner = "情報システム課"
due = "令和7年12月26日"

# 院内研修
[[measures]]
text = "標的型メール訓練"

[damage]
summary = "なし"
paper_operation.from = "令和7年6月22日"   # 紙運用の開始
paper_operation.text = "外来のみ"

# 末尾のメモ: 次回は令和8年度
"#;

    fn hand() -> LoadedCase {
        let path = PathBuf::from("case.toml");
        let case = parse(&path, HAND).unwrap();
        LoadedCase { path, text: HAND.to_string(), case }
    }

    fn edited(loaded: &LoadedCase, new: &Case, reg: Option<&Registry>) -> String {
        let text = crate::case::edit::edit(&loaded.text, new, reg).expect("edited in place");
        assert_eq!(&parse(Path::new("case.toml"), &text).unwrap(), new);
        text
    }

    /// The lines only in `a` and the lines only in `b` (a line diff).
    fn line_diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
            }
        }
        let (mut i, mut j, mut gone, mut came) = (0, 0, Vec::new(), Vec::new());
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                i += 1;
                j += 1;
            } else if j == b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
                gone.push(a[i].to_string());
                i += 1;
            } else {
                came.push(b[j].to_string());
                j += 1;
            }
        }
        (gone, came)
    }

    fn comments(text: &str) -> Vec<&str> {
        text.lines().filter(|l| l.contains('#')).collect()
    }

    #[test]
    fn one_changed_value_changes_only_its_line() {
        let loaded = hand();
        let mut new = loaded.case.clone();
        new.answers[1].note = "情報システム課長を任命予定".into();
        let (gone, came) = line_diff(HAND, &edited(&loaded, &new, None));
        assert_eq!(gone, ["note = \"担当者未定\""]);
        assert_eq!(came, ["note = \"情報システム課長を任命予定\""]);

        // A date written as 和暦 text stays 和暦 text, and its trailing comment stays.
        let mut new = loaded.case.clone();
        new.answers[1].target_on = Date::ymd(2026, 3, 27).map(Target::On);
        let (gone, came) = line_diff(HAND, &edited(&loaded, &new, None));
        assert_eq!(gone, ["target_on = \"令和8年3月31日\"   # 年度内に対応予定"]);
        assert_eq!(came, ["target_on = \"令和8年3月27日\"   # 年度内に対応予定"]);

        // A value in an inline table, and one in a dotted table.
        let mut new = loaded.case.clone();
        new.facility.authority.office = "架空県健康福祉部医務課".into();
        new.damage.as_mut().unwrap().paper_operation.as_mut().unwrap().text = "外来と入院".into();
        let (gone, came) = line_diff(HAND, &edited(&loaded, &new, None));
        assert_eq!(
            gone,
            ["authority = { name = \"架空県\", office = \"架空県医務課\" }", "paper_operation.text = \"外来のみ\""]
        );
        assert_eq!(
            came,
            [
                "authority = { name = \"架空県\", office = \"架空県健康福祉部医務課\" }",
                "paper_operation.text = \"外来と入院\""
            ]
        );

        // One element of an array written over several lines.
        let mut new = loaded.case.clone();
        new.inspection.documents[1] = "保守契約書（令和元年）".into();
        let (gone, came) = line_diff(HAND, &edited(&loaded, &new, None));
        assert_eq!(gone, ["  \"保守契約書\","]);
        assert_eq!(came, ["  \"保守契約書（令和元年）\","]);
    }

    #[test]
    fn nothing_changed_is_the_same_text() {
        let loaded = hand();
        assert_eq!(edited(&loaded, &loaded.case.clone(), None), HAND);
    }

    #[test]
    fn added_and_removed_parts_leave_the_comments_elsewhere() {
        let reg = Registry::load(None).unwrap();
        let loaded = hand();
        let mut new = loaded.case.clone();
        // An answer added between two others, a measure removed, an [incident] table added.
        let mut added = Answer::unanswered("mhlw-r7:2-02".parse().unwrap());
        added.answer = Some(YesNo::Yes);
        new.answers.insert(2, added);
        new.measures.remove(1);
        new.incident = Some(Incident {
            summary: "保守用VPN装置からの侵入".into(),
            detected_at: "2025-06-22 06:20".parse().ok(),
            timeline: vec![Event { at: "2025-06-22".parse().unwrap(), text: "覚知".into() }],
            ..Incident::default()
        });
        let text = edited(&loaded, &new, Some(&reg));
        let (gone, came) = line_diff(HAND, &text);
        assert_eq!(gone, ["# 院内研修", "[[measures]]", "text = \"標的型メール訓練\"", ""], "{text}");
        for c in comments(HAND).into_iter().filter(|c| *c != "# 院内研修") {
            assert!(text.contains(c), "{c} kept:\n{text}");
        }
        let comment = answer_comment(&reg, "mhlw-r7:2-02").unwrap();
        assert!(came.contains(&comment), "the new answer has its comment: {came:?}");
        // The new answer stands between the two it was put between, the incident after the
        // inspection.
        let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in\n{text}"));
        assert!(at("item = \"mhlw-r7:1-01\"") < at("item = \"mhlw-r7:2-02\""));
        assert!(at("item = \"mhlw-r7:2-02\"") < at("# 手順書はまだ見ていない"));
        assert!(at("[[inspection.inspectors]]") < at("[incident]"), "{text}");
        assert!(at("[incident]") < at("[[incident.timeline]]"));
        assert!(at("[[incident.timeline]]") < at("# ===== 医療機関等確認用 ====="), "{text}");
    }

    #[test]
    fn keys_and_list_elements_are_added_where_they_belong() {
        let loaded = hand();
        let mut new = loaded.case.clone();
        new.answers[0].verification = Some(Verification::Conform);
        new.answers[0].target_on = Date::ymd(2026, 3, 31).map(Target::On);
        new.inspection.documents.insert(1, "院内規程".into());
        new.inspection.dates.push(Date::ymd(2025, 6, 3).unwrap());
        new.facility.systems.push(InfoSystem { name: "PACS".into(), ..InfoSystem::default() });
        let text = edited(&loaded, &new, None);
        let (gone, came) = line_diff(HAND, &text);
        assert_eq!(gone, ["dates = [\"令和7年6月1日\", \"令和7年6月2日\"]"], "{text}");
        assert_eq!(
            came,
            [
                "[[facility.systems]]",
                "name = \"PACS\"",
                "",
                "dates = [\"令和7年6月1日\", \"令和7年6月2日\", \"令和7年6月3日\"]",
                "  \"院内規程\",",
                "target_on = \"令和8年3月31日\"",
                "verification = \"適合\"",
            ],
            "{text}"
        );
        // After the key it follows in the model, not at the end of the table; a date written as
        // the table's other dates are.
        assert!(
            text.contains(
                "confirmed_on = \"令和7年6月1日\"\ntarget_on = \"令和8年3月31日\"\nverification = \"適合\"\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn removed_keys_and_tables_go_with_their_lines_only() {
        let loaded = hand();
        let mut new = loaded.case.clone();
        new.answers[1].target_on = None;
        new.damage = None;
        new.facility.systems.remove(0);
        let text = edited(&loaded, &new, None);
        let (gone, came) = line_diff(HAND, &text);
        assert!(came.is_empty(), "{came:?}");
        assert!(gone.contains(&"target_on = \"令和8年3月31日\"   # 年度内に対応予定".to_string()));
        assert!(gone.contains(&"paper_operation.text = \"外来のみ\"".to_string()));
        assert!(gone.contains(&"name = \"電子カルテ\"   # 主要システム".to_string()));
        assert!(text.contains(
            "# レセコン事業者は一部未回答（11月末に提出予定）\n[[facility.systems]]\nname = \"医事会計システム\""
        ));
        assert!(text.ends_with("# 末尾のメモ: 次回は令和8年度\n"), "{text}");
    }

    #[test]
    fn answers_in_a_new_order_are_written_in_that_order() {
        let loaded = hand();
        let mut new = loaded.case.clone();
        new.answers.swap(0, 2);
        new.answers[1].note = "任命済み".into();
        let text = edited(&loaded, &new, None);
        let at = |s: &str| text.find(s).unwrap();
        assert!(at("item = \"mhlw-r7:2-01\"") < at("item = \"mhlw-r7:1-01\""));
        assert!(at("item = \"mhlw-r7:1-01\"") < at("item = \"mhlw-r7:0\""));
        for c in comments(HAND) {
            assert!(text.contains(c), "{c}");
        }
    }

    #[test]
    fn update_edits_in_place_and_falls_back_to_a_full_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CASE_FILE);
        std::fs::write(&path, HAND).unwrap();
        let loaded = load(dir.path()).unwrap();
        let unchanged = update(&loaded, &loaded.case, None).unwrap();
        assert_eq!(unchanged, Saved { path: path.clone(), backup: None, in_place: true });
        assert!(!dir.path().join(crate::fs::BACKUP_DIR).exists());

        let mut new = loaded.case.clone();
        new.inspection.note = "講評済み".into();
        let saved = update(&loaded, &new, None).unwrap();
        assert!(saved.in_place);
        let backup = saved.backup.unwrap();
        assert_eq!(backup.parent().unwrap(), dir.path().join("backup"));
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), HAND);
        assert_eq!(load(dir.path()).unwrap().case, new);

        // Text that does not read as a case (here, none) is replaced by the case in full.
        let broken = LoadedCase { text: String::new(), ..load(dir.path()).unwrap() };
        std::fs::write(&path, "").unwrap();
        new.inspection.note = "講評済み（再）".into();
        let saved = update(&broken, &new, None).unwrap();
        assert!(!saved.in_place);
        assert_eq!(load(dir.path()).unwrap().case, new);
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("# kensa 事案ファイル"));
    }

    #[test]
    fn update_refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CASE_FILE);
        std::fs::write(&path, HAND).unwrap();
        let loaded = load(dir.path()).unwrap();
        let edited = format!("{HAND}\n# エディタで追記したメモ\n");
        std::fs::write(&path, &edited).unwrap();
        let mut new = loaded.case.clone();
        new.inspection.note = "講評済み".into();
        let e = update(&loaded, &new, None).unwrap_err();
        assert!(matches!(e, Error::Changed { kept: None, .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), edited, "the edit is kept");
        // Read again, the same change is written over the edit.
        let saved = update(&load(dir.path()).unwrap(), &new, None).unwrap();
        assert_eq!(std::fs::read_to_string(saved.backup.unwrap()).unwrap(), edited);
        assert!(std::fs::read_to_string(&path).unwrap().contains("エディタで追記したメモ"));
    }

    #[test]
    fn a_crlf_case_file_keeps_its_line_endings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CASE_FILE);
        std::fs::write(&path, HAND.replace('\n', "\r\n")).unwrap();
        let loaded = load(dir.path()).unwrap();
        let mut new = loaded.case.clone();
        new.facility.name = "みなと中央病院（改）".into();
        new.measures.push(Measure { text: "バックアップの分離".into(), ..Measure::default() });
        let saved = update(&loaded, &new, None).unwrap();
        assert!(saved.in_place);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("みなと中央病院（改）") && text.contains("バックアップの分離"), "{text}");
        let lf = text.matches('\n').count();
        assert_eq!(text.matches("\r\n").count(), lf, "every line ends in CRLF:\n{text:?}");
        assert!(!text.contains("\r\r"), "{text:?}");
        assert_eq!(load(dir.path()).unwrap().case, new);
        // An LF file stays LF.
        std::fs::write(&path, HAND).unwrap();
        update(&load(dir.path()).unwrap(), &new, None).unwrap();
        assert!(!std::fs::read_to_string(&path).unwrap().contains('\r'));
    }

    #[test]
    fn save_keeps_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut case = Case { case_id: "A-1".into(), ..Case::default() };
        case.facility.name = "テスト病院".into();
        let first = save(dir.path(), &case, None).unwrap();
        assert_eq!(first.backup, None);
        assert!(!dir.path().join("backup").exists());
        case.facility.name = "テスト病院（改）".into();
        let second = update(&load(dir.path()).unwrap(), &case, None).unwrap();
        let backup = second.backup.expect("the previous version is kept");
        let name = backup.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("case-") && name.ends_with(".toml") && name.len() == "case-20251119-143205.toml".len(),
            "{name}"
        );
        let bak = std::fs::read_to_string(&backup).unwrap();
        assert!(bak.contains("name = \"テスト病院\""), "{bak}");
        let now = load(dir.path()).unwrap();
        assert_eq!(now.case.facility.name, "テスト病院（改）");
        for folder in [dir.path().to_path_buf(), dir.path().join("backup")] {
            let leftovers: Vec<_> = std::fs::read_dir(&folder)
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
                .collect();
            assert!(leftovers.is_empty());
        }
    }

    #[test]
    fn twelve_saves_keep_the_ten_newest_backups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CASE_FILE);
        std::fs::write(&path, HAND).unwrap();
        let mut previous = HAND.to_string();
        let mut last = None;
        for i in 1..=12 {
            let loaded = load(dir.path()).unwrap();
            let mut new = loaded.case.clone();
            new.inspection.note = format!("第{i}版");
            let saved = update(&loaded, &new, None).unwrap();
            let backup = saved.backup.unwrap();
            assert_eq!(std::fs::read_to_string(&backup).unwrap(), previous);
            previous = std::fs::read_to_string(&path).unwrap();
            last = Some(backup);
        }
        let backups: Vec<_> =
            std::fs::read_dir(dir.path().join("backup")).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(backups.len(), 10, "{backups:?}");
        let last = last.unwrap();
        assert!(backups.contains(&last));
        assert!(std::fs::read_to_string(&last).unwrap().contains("note = \"第11版\""));
        // Every backup holds a version of the hand-written file, comments and all.
        for b in &backups {
            assert!(std::fs::read_to_string(b).unwrap().contains("# レセコン事業者は一部未回答（11月末に提出予定）"));
        }
    }

    #[test]
    fn missing_case_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("case.toml") && e.contains("事案ファイルがありません"), "{e}");
    }
}
