//! Checklists as data: TOML files embedded in the binary, overridable from a folder.

use crate::case::values::{ja_enum, Date, ItemRef, Method};
use crate::error::{read_text, toml_error, Diagnostic, Error, Located, Result, SourceMap};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Largest checklist file kensa reads.
pub const MAX_CHECKLIST_BYTES: u64 = 4 * 1024 * 1024;

/// The checklists and the guideline section list shipped in the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("mhlw-r7.toml", include_str!("../checklists/mhlw-r7.toml")),
    ("mhlw-r6.toml", include_str!("../checklists/mhlw-r6.toml")),
    ("incident.toml", include_str!("../checklists/incident.toml")),
    ("onsite.toml", include_str!("../checklists/onsite.toml")),
];
pub const GUIDELINE_FILE: &str = "guideline-sections.toml";
pub const EMBEDDED_GUIDELINE: &str = include_str!("../checklists/guideline-sections.toml");

ja_enum! {
    /// 回答者。
    Respondent { Facility => "医療機関", Vendor => "事業者", Inspector => "検査員" }
}
ja_enum! {
    /// 対象機器。
    Scope { All => "医療情報システム全般", Server => "サーバ", Pc => "端末PC", Network => "ネットワーク機器" }
}

/// How an item is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnswerKind {
    /// The facility circles はい／いいえ with 確認日 (and 目標日 for いいえ); the inspector verifies.
    Yesno,
    /// The inspector's 適合／一部適合／不適合／該当なし／未確認.
    Verify,
    /// A procedure step: 実施／未実施／該当なし.
    Done,
    /// A free-text finding.
    Text,
}

impl AnswerKind {
    pub fn label(self) -> &'static str {
        match self {
            AnswerKind::Yesno => "はい／いいえ",
            AnswerKind::Verify => "確認結果",
            AnswerKind::Done => "実施状況",
            AnswerKind::Text => "記述",
        }
    }
}

/// What a checklist is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChecklistKind {
    Mhlw,
    Incident,
    Onsite,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub id: String,
    pub title: String,
    pub edition: String,
    #[serde(default)]
    pub published: Option<Date>,
    #[serde(default)]
    pub fiscal_year: Option<i32>,
    pub kind: ChecklistKind,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub successor: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub sheet: String,
    pub respondent: Respondent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub number: String,
    pub section: String,
    pub text: String,
    #[serde(default)]
    pub scope: Vec<Scope>,
    pub respondent: Respondent,
    #[serde(default)]
    pub guideline_refs: Vec<String>,
    #[serde(default)]
    pub legal_refs: Vec<String>,
    #[serde(default)]
    pub method: Vec<Method>,
    #[serde(default)]
    pub evidence: Vec<String>,
    pub answer: AnswerKind,
    #[serde(default)]
    pub gate: bool,
    #[serde(default)]
    pub target_fiscal_year: Option<i32>,
    pub verified: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub successor: Option<String>,
}

impl Checklist {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
    /// The title with the edition, unless the title already names it.
    pub fn full_title(&self) -> String {
        if self.title.contains(&self.edition) {
            self.title.clone()
        } else {
            format!("{}（{}）", self.title, self.edition)
        }
    }
    pub fn gate(&self) -> Option<&Item> {
        self.items.iter().find(|i| i.gate)
    }
    pub fn item_ref(&self, item: &Item) -> ItemRef {
        ItemRef::new(&self.id, &item.id)
    }
    /// The items grouped by sheet, in file order.
    pub fn sheets(&self) -> Vec<(String, Vec<&Item>)> {
        let mut out: Vec<(String, Vec<&Item>)> = Vec::new();
        for item in &self.items {
            let sheet = self.section(&item.section).map(|s| s.sheet.clone()).unwrap_or_default();
            match out.iter_mut().find(|(s, _)| *s == sheet) {
                Some((_, v)) => v.push(item),
                None => out.push((sheet, vec![item])),
            }
        }
        out
    }
    /// Scope labels joined for display.
    pub fn scope_text(item: &Item) -> String {
        item.scope.iter().map(|s| s.label()).collect::<Vec<_>>().join("、")
    }
}

/// The guideline sections a checklist may cite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuidelineSections {
    pub guideline: String,
    pub edition: String,
    pub sections: Vec<String>,
}

/// Where a checklist came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Embedded(&'static str),
    File(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Embedded(name) => write!(f, "（内蔵）checklists/{name}"),
            Origin::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// All checklists kensa knows, by id.
#[derive(Debug, Clone)]
pub struct Registry {
    pub checklists: BTreeMap<String, (Checklist, Origin)>,
    pub guideline: GuidelineSections,
}

/// Parses one checklist file and reports every problem found in it.
pub fn parse_checklist(path: &Path, text: &str) -> Result<Checklist> {
    toml::from_str::<Checklist>(text).map_err(|e| toml_error(path, text, &e))
}

fn parse_guideline(path: &Path, text: &str) -> Result<GuidelineSections> {
    toml::from_str::<GuidelineSections>(text).map_err(|e| toml_error(path, text, &e))
}

/// Validates a guideline section list given on the command line.
pub fn check_guideline_file(path: &Path) -> Result<()> {
    let text = read_text(path, MAX_CHECKLIST_BYTES)?;
    let g = parse_guideline(path, &text)?;
    if g.sections.is_empty() {
        return Err(Error::file(path, "sections が空です。引用できるガイドラインの節を並べてください"));
    }
    Ok(())
}

impl Registry {
    /// The embedded checklists, with files from `dir` (if any) added or overriding by id.
    pub fn load(dir: Option<&Path>) -> Result<Registry> {
        let mut guideline = parse_guideline(Path::new(GUIDELINE_FILE), EMBEDDED_GUIDELINE)?;
        let mut texts: Vec<(Origin, String)> =
            EMBEDDED.iter().map(|(n, t)| (Origin::Embedded(n), t.to_string())).collect();
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(Error::file(
                    dir,
                    "チェックリストのフォルダがありません（--checklists / KENSA_CHECKLISTS）",
                ));
            }
            let gpath = dir.join(GUIDELINE_FILE);
            if gpath.is_file() {
                let t = read_text(&gpath, MAX_CHECKLIST_BYTES)?;
                guideline = parse_guideline(&gpath, &t)?;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Error::read(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.ends_with(GUIDELINE_FILE))
                .collect();
            files.sort();
            for f in files {
                let t = read_text(&f, MAX_CHECKLIST_BYTES)?;
                texts.push((Origin::File(f), t));
            }
        }
        let mut parsed = Vec::with_capacity(texts.len());
        for (origin, text) in texts {
            let path = PathBuf::from(origin.to_string());
            let c = parse_checklist(&path, &text)?;
            parsed.push((origin, text, c));
        }
        let checklists = parsed.iter().map(|(o, _, c)| (c.id.clone(), (c.clone(), o.clone()))).collect();
        let reg = Registry { checklists, guideline };
        // Each checklist in force must be valid on its own and against the others.
        for (origin, text, c) in &parsed {
            if reg.checklists.get(&c.id).map(|(_, o)| o) != Some(origin) {
                continue; // overridden by a file of the user's folder
            }
            let path = PathBuf::from(origin.to_string());
            let map = SourceMap::new(text);
            let errors: Vec<Error> = reg
                .validate(c)
                .into_iter()
                .filter(|d| d.severity == crate::error::Severity::Error)
                .map(|d| {
                    let l = map.locate(&path, d);
                    Error::At { path: l.file, line: l.line, column: l.column, message: l.diagnostic.message }
                })
                .collect();
            if !errors.is_empty() {
                return Err(Error::Many(crate::error::ErrorList(errors)));
            }
        }
        Ok(reg)
    }

    pub fn get(&self, id: &str) -> Option<&Checklist> {
        self.checklists.get(id).map(|(c, _)| c)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.checklists.keys().map(|s| s.as_str()).collect()
    }

    /// Looks up an item reference.
    pub fn item(&self, r: &ItemRef) -> Option<(&Checklist, &Item)> {
        let c = self.get(r.checklist())?;
        c.item(r.item()).map(|i| (c, i))
    }

    /// Checks one checklist: ids, sections, guideline references, notes on unverified wording,
    /// and successors in the checklist it maps to.
    pub fn validate(&self, c: &Checklist) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let id_ok =
            |s: &str| !s.is_empty() && s.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !id_ok(&c.id) {
            out.push(Diagnostic::error(
                "checklist-id",
                "id",
                format!("チェックリストID「{}」には英小文字・数字・- だけを使えます", c.id),
            ));
        }
        let mut sections = HashSet::new();
        for (i, s) in c.sections.iter().enumerate() {
            if !sections.insert(s.id.as_str()) {
                out.push(Diagnostic::error(
                    "duplicate-section",
                    format!("sections.{i}.id"),
                    format!("区分ID「{}」が重複しています", s.id),
                ));
            }
        }
        let known: BTreeSet<&str> = self.guideline.sections.iter().map(|s| s.as_str()).collect();
        let successor = c.successor.as_deref().and_then(|s| self.get(s));
        if let Some(s) = &c.successor {
            if successor.is_none() {
                out.push(Diagnostic::error(
                    "unknown-successor",
                    "successor",
                    format!("後継のチェックリスト「{s}」がありません"),
                ));
            }
        }
        let mut ids = HashSet::new();
        let mut gates = 0;
        for (i, item) in c.items.iter().enumerate() {
            let at = |f: &str| format!("items.{i}.{f}");
            if !id_ok(&item.id) {
                out.push(Diagnostic::error(
                    "item-id",
                    at("id"),
                    format!("項目ID「{}」には英小文字・数字・- だけを使えます", item.id),
                ));
            }
            if !ids.insert(item.id.as_str()) {
                out.push(Diagnostic::error(
                    "duplicate-item",
                    at("id"),
                    format!("項目ID「{}」が重複しています", item.id),
                ));
            }
            if !sections.contains(item.section.as_str()) {
                out.push(Diagnostic::error(
                    "unknown-section",
                    at("section"),
                    format!("項目 {} の区分「{}」が sections にありません", item.number, item.section),
                ));
            }
            if item.text.trim().is_empty() {
                out.push(Diagnostic::error("empty-text", at("text"), format!("項目 {} の文言が空です", item.number)));
            }
            for (j, r) in item.guideline_refs.iter().enumerate() {
                if !known.contains(r.as_str()) {
                    out.push(Diagnostic::error(
                        "unknown-guideline-ref",
                        format!("items.{i}.guideline_refs.{j}"),
                        format!(
                            "項目 {} のガイドライン参照「{r}」は{}の節一覧（{}）にありません",
                            item.number, self.guideline.edition, GUIDELINE_FILE
                        ),
                    ));
                }
            }
            if !item.verified && item.note.trim().is_empty() {
                out.push(Diagnostic::error(
                    "unverified-without-note",
                    at("verified"),
                    format!("項目 {} は verified = false ですが、何が未確認かを書く note がありません", item.number),
                ));
            }
            if item.gate {
                gates += 1;
                if item.answer != AnswerKind::Yesno {
                    out.push(Diagnostic::error(
                        "gate-kind",
                        at("gate"),
                        format!("前提項目 {} の回答形式は yesno でなければなりません", item.number),
                    ));
                }
            }
            match (&item.successor, successor) {
                (Some(s), Some(next)) if next.item(s).is_none() => out.push(Diagnostic::error(
                    "unknown-successor",
                    at("successor"),
                    format!("項目 {} の後継「{s}」は {} にありません", item.number, next.id),
                )),
                (Some(_), None) if c.successor.is_none() => out.push(Diagnostic::error(
                    "unknown-successor",
                    at("successor"),
                    format!("項目 {} に successor がありますが、チェックリストに successor（後継のチェックリスト）がありません", item.number),
                )),
                _ => {}
            }
        }
        if gates > 1 {
            out.push(Diagnostic::error("gate-count", "items", "前提項目（gate = true）は一つまでです"));
        }
        out
    }

    /// Validates a checklist file given on the command line.
    pub fn check_file(&self, path: &Path) -> Result<Vec<Located>> {
        let text = read_text(path, MAX_CHECKLIST_BYTES)?;
        let c = parse_checklist(path, &text)?;
        let map = SourceMap::new(&text);
        Ok(self.validate(&c).into_iter().map(|d| map.locate(path, d)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_checklists_load_and_validate() {
        let reg = Registry::load(None).expect("embedded checklists are valid");
        for id in ["mhlw-r7", "mhlw-r6", "incident", "onsite"] {
            let c = reg.get(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(!c.items.is_empty(), "{id} has items");
            assert!(reg.validate(c).is_empty(), "{id}: {:?}", reg.validate(c));
        }
        let r7 = reg.get("mhlw-r7").unwrap();
        assert!(r7.gate().is_some_and(|g| g.id == "0"));
        assert!(r7.items.iter().any(|i| i.respondent == Respondent::Vendor));
        assert!(r7.items.iter().any(|i| i.target_fiscal_year == Some(2027)));
    }

    #[test]
    fn r6_items_map_to_r7() {
        let reg = Registry::load(None).unwrap();
        let r6 = reg.get("mhlw-r6").unwrap();
        let r7 = reg.get("mhlw-r7").unwrap();
        assert_eq!(r6.successor.as_deref(), Some("mhlw-r7"));
        for item in &r6.items {
            let s = item.successor.as_deref().expect("every R6 item has a successor");
            assert!(r7.item(s).is_some(), "{s}");
        }
    }

    #[test]
    fn incident_checklist_covers_the_four_headings_and_appi_items() {
        let reg = Registry::load(None).unwrap();
        let c = reg.get("incident").unwrap();
        let titles: Vec<&str> = c.sections.iter().map(|s| s.title.as_str()).collect();
        for h in ["被害状況", "対応状況", "復旧状況", "再発防止策"] {
            assert!(titles.iter().any(|t| t.contains(h)), "{h} in {titles:?}");
        }
        let text: String = c.items.iter().map(|i| i.text.as_str()).collect();
        for appi in ["漏えい等した個人データの項目", "本人の数", "二次被害", "公表の実施状況"]
        {
            assert!(text.contains(appi), "{appi}");
        }
    }

    #[test]
    fn bad_guideline_ref_is_an_error() {
        let reg = Registry::load(None).unwrap();
        let mut c = reg.get("mhlw-r7").unwrap().clone();
        c.items[1].guideline_refs.push("企画管理編 99.9".into());
        let d = reg.validate(&c);
        assert!(d.iter().any(|d| d.code == "unknown-guideline-ref" && d.message.contains("企画管理編 99.9")), "{d:?}");
    }
}
