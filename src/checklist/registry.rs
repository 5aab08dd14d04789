//! The checklists kensa knows: the embedded ones, with a user's folder layered on top by id,
//! each validated once on its own and against the others.

use super::*;
use crate::diag::{Diagnostic, Located, Severity, SourceMap};
use crate::error::{toml_error, Error, Place, Result};
use crate::fs::read_text;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Largest checklist file kensa reads.
pub const MAX_CHECKLIST_BYTES: u64 = 4 * 1024 * 1024;

/// The checklists and the guideline section list shipped in the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("mhlw-r7.toml", include_str!("../../checklists/mhlw-r7.toml")),
    ("mhlw-r6.toml", include_str!("../../checklists/mhlw-r6.toml")),
    ("incident.toml", include_str!("../../checklists/incident.toml")),
    ("onsite.toml", include_str!("../../checklists/onsite.toml")),
];
pub const GUIDELINE_FILE: &str = "guideline-sections.toml";
pub const EMBEDDED_GUIDELINE: &str = include_str!("../../checklists/guideline-sections.toml");

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
    /// The sections of each edition of the guideline.
    pub guidelines: Vec<GuidelineSections>,
    /// The MHLW editions kensa knows of, installed or not.
    pub editions: Vec<super::editions::KnownEdition>,
}

/// An item number for comparison: full-width digits and circled numbers as digits, brackets
/// and spaces dropped (`2-⑥`, `2-(6)`, `２－６` → `2-6`).
fn number_key(n: &str) -> String {
    crate::wareki::normalize(n)
        .chars()
        .filter_map(|c| match c {
            '①'..='⑳' => Some(((c as u32 - '①' as u32 + 1).to_string()).chars().collect::<Vec<_>>()),
            '(' | ')' | '（' | '）' | ' ' => None,
            c => Some(vec![c]),
        })
        .flatten()
        .collect()
}

/// Parses one checklist file and reports every problem found in it.
pub fn parse_checklist(path: &Path, text: &str) -> Result<Checklist> {
    toml::from_str::<Checklist>(text).map_err(|e| toml_error(path, text, &e))
}

fn parse_guideline(path: &Path, text: &str) -> Result<Vec<GuidelineSections>> {
    let file = toml::from_str::<GuidelineFile>(text).map_err(|e| toml_error(path, text, &e))?;
    let editions = file.editions();
    if editions.is_empty() {
        return Err(Error::file(
            path,
            "ガイドラインの版がありません（[[editions]] に edition と sections を書いてください）",
        ));
    }
    let mut seen = HashSet::new();
    for g in &editions {
        if !seen.insert(g.edition.as_str()) {
            return Err(Error::file(path, format!("ガイドラインの{}が二度書かれています", g.edition)));
        }
        if g.sections.is_empty() {
            return Err(Error::file(
                path,
                format!("{}の sections が空です。引用できるガイドラインの節を並べてください", g.edition),
            ));
        }
        for s in &g.sections {
            let part = s.split(' ').next().unwrap_or_default();
            if !g.parts.is_empty() && !g.parts.iter().any(|p| p == part) {
                return Err(Error::file(
                    path,
                    format!("{}の節「{s}」の編「{part}」が parts（{}）にありません", g.edition, g.parts.join("、")),
                ));
            }
        }
    }
    Ok(editions)
}

/// Validates a guideline section list given on the command line.
pub fn check_guideline_file(path: &Path) -> Result<()> {
    let text = read_text(path, MAX_CHECKLIST_BYTES)?;
    parse_guideline(path, &text).map(|_| ())
}

/// Validates an editions list given on the command line.
pub fn check_editions_file(path: &Path) -> Result<()> {
    let text = read_text(path, MAX_CHECKLIST_BYTES)?;
    super::editions::parse(path, &text).map(|_| ())
}

impl Registry {
    /// The embedded checklists, with files from `dir` (if any) added or overriding by id.
    pub fn load(dir: Option<&Path>) -> Result<Registry> {
        use super::editions::{self, EDITIONS_FILE, EMBEDDED_EDITIONS};
        let mut guidelines = parse_guideline(Path::new(GUIDELINE_FILE), EMBEDDED_GUIDELINE)?;
        let mut known_editions = editions::parse(Path::new(EDITIONS_FILE), EMBEDDED_EDITIONS)?;
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
                // A user's editions replace the embedded ones of the same name; others stay.
                for g in parse_guideline(&gpath, &t)? {
                    match guidelines.iter_mut().find(|e| e.edition == g.edition) {
                        Some(e) => *e = g,
                        None => guidelines.push(g),
                    }
                }
            }
            let epath = dir.join(EDITIONS_FILE);
            if epath.is_file() {
                let t = read_text(&epath, MAX_CHECKLIST_BYTES)?;
                known_editions = editions::layered(known_editions, editions::parse(&epath, &t)?);
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Error::read(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "toml")
                        && !p.ends_with(GUIDELINE_FILE)
                        && !p.ends_with(EDITIONS_FILE)
                })
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
        let reg = Registry { checklists, guidelines, editions: known_editions };
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
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    let l = map.locate(&path, d);
                    Error::At { path: l.file, line: l.line, column: l.column, message: l.diagnostic.message }
                })
                .collect();
            if !errors.is_empty() {
                return Err(Error::many(errors));
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

    /// The ids of every checklist, for messages.
    pub fn known(&self) -> Vec<String> {
        self.checklists.keys().cloned().collect()
    }

    /// A checklist that must exist; the error names `place`.
    pub fn require(&self, id: &str, place: Place) -> Result<&Checklist> {
        self.get(id).ok_or_else(|| Error::UnknownChecklist { id: id.to_string(), known: self.known(), place })
    }

    /// The item a person wrote: a reference (`mhlw-r7:2-06`), or the number as the checklist
    /// shows it (`2-⑥`, `2-6`), optionally after the checklist's id, edition or sheet
    /// (`令和6年度版 2-(6)`). Plain numbers are looked up in `within` (the checklists in use)
    /// and must name one item.
    pub fn resolve_item(&self, text: &str, within: &[&str]) -> std::result::Result<ItemRef, String> {
        let text = text.trim();
        if let Ok(r) = text.parse::<ItemRef>() {
            return match self.item(&r) {
                Some(_) => Ok(r),
                None => Err(match self.get(r.checklist()) {
                    None => crate::error::unknown_checklist(r.checklist(), &self.known()),
                    Some(c) => format!("項目「{r}」は {}（{}）にありません", c.id, c.edition),
                }),
            };
        }
        let (prefix, number) = match text.rsplit_once(char::is_whitespace) {
            Some((p, n)) => (p.trim(), n),
            None => ("", text),
        };
        let key = |n: &str| number_key(n);
        let wanted = key(number);
        let lists: Vec<&Checklist> = self
            .checklists
            .values()
            .map(|(c, _)| c)
            .filter(|c| {
                if prefix.is_empty() {
                    within.contains(&c.id.as_str())
                } else {
                    c.id == prefix
                        || c.edition == prefix
                        || c.title == prefix
                        || c.sections.iter().any(|s| s.sheet == prefix)
                }
            })
            .collect();
        let mut found: Vec<ItemRef> = Vec::new();
        for c in lists {
            for item in &c.items {
                let sheet_ok = prefix.is_empty()
                    || c.id == prefix
                    || c.edition == prefix
                    || c.title == prefix
                    || c.section(&item.section).is_some_and(|s| s.sheet == prefix);
                if sheet_ok && key(&item.number) == wanted {
                    found.push(c.item_ref(item));
                }
            }
        }
        // A sheet several editions have (医療機関確認用): the edition in use.
        if found.len() > 1 {
            let used: Vec<ItemRef> = found.iter().filter(|r| within.contains(&r.checklist())).cloned().collect();
            if !used.is_empty() {
                found = used;
            }
        }
        // A number alone, where several checklists in use have it (`2-⑥` of the MHLW checklist,
        // `2-(6)` of the incident form): the item whose sheet writes the number as typed, then
        // the MHLW checklist's (the number its checklist sheet shows).
        if found.len() > 1 && prefix.is_empty() {
            let typed = crate::wareki::normalize(number);
            let as_typed: Vec<ItemRef> = found
                .iter()
                .filter(|r| self.item(r).is_some_and(|(_, i)| crate::wareki::normalize(&i.number) == typed))
                .cloned()
                .collect();
            if !as_typed.is_empty() {
                found = as_typed;
            }
        }
        if found.len() > 1 && prefix.is_empty() {
            let mhlw: Vec<ItemRef> = found
                .iter()
                .filter(|r| self.get(r.checklist()).is_some_and(|c| c.kind == ChecklistKind::Mhlw))
                .cloned()
                .collect();
            if !mhlw.is_empty() {
                found = mhlw;
            }
        }
        // A number alone names the facility's item where the vendor sheet has the same number
        // (the vendor's is written with its sheet: 事業者確認用 2-⑥).
        if found.len() > 1 && prefix.is_empty() {
            let own: Vec<ItemRef> = found
                .iter()
                .filter(|r| self.item(r).is_some_and(|(_, i)| i.respondent != Respondent::Vendor))
                .cloned()
                .collect();
            if own.len() == 1 {
                found = own;
            }
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(format!("項目「{text}」が見つかりません（例: 2-⑥、mhlw-r7:2-06）")),
            _ => {
                let names: Vec<String> = found
                    .iter()
                    .map(|r| match self.item(r) {
                        Some((c, i)) => format!("{}（{r}）", c.item_name(i)),
                        None => r.to_string(),
                    })
                    .collect();
                let first = self.item(&found[0]).map(|(c, i)| c.item_name(i)).unwrap_or_default();
                Err(format!(
                    "「{text}」に当たる項目が複数あります（{}）。「{first}」または「{}」のように書いてください",
                    names.join("、"),
                    found[0]
                ))
            }
        }
    }

    /// Looks up an item reference.
    pub fn item(&self, r: &ItemRef) -> Option<(&Checklist, &Item)> {
        let c = self.get(r.checklist())?;
        c.item(r.item()).map(|i| (c, i))
    }

    /// The next edition of checklist `id`: its `successor`, or else the checklist that names it
    /// as its `predecessor` (so a new edition is added without touching the one before).
    pub fn next_edition(&self, id: &str) -> Option<&Checklist> {
        let c = self.get(id)?;
        match &c.successor {
            Some(s) => self.get(s),
            None => self.checklists.values().map(|(n, _)| n).find(|n| n.predecessor.as_deref() == Some(id)),
        }
    }

    /// The item `r` leads to in checklist `target`, following the links between editions
    /// ([`Registry::next_item`]); itself where it is of `target`.
    pub fn lead_to(&self, r: &ItemRef, target: &str) -> Option<(&Checklist, &Item)> {
        let mut cur = r.clone();
        for _ in 0..32 {
            if cur.checklist() == target {
                return self.item(&cur);
            }
            cur = self.next_item(&cur)?;
        }
        None
    }

    /// The newest item `r` leads to through the links between editions (itself if none newer).
    pub fn newest(&self, r: &ItemRef) -> Option<(&Checklist, &Item)> {
        let mut cur = r.clone();
        for _ in 0..32 {
            match self.next_item(&cur) {
                Some(n) => cur = n,
                None => return self.item(&cur),
            }
        }
        self.item(&cur)
    }

    /// The item of the next edition that `r` maps to: the item's `successor`, or the item of the
    /// next edition that lists it among its `predecessors`.
    pub fn next_item(&self, r: &ItemRef) -> Option<ItemRef> {
        let (c, item) = self.item(r)?;
        let next = self.next_edition(&c.id)?;
        if c.successor.as_deref() == Some(next.id.as_str()) {
            if let Some(s) = &item.successor {
                return Some(ItemRef::new(&next.id, s));
            }
        }
        if next.predecessor.as_deref() != Some(c.id.as_str()) {
            return None;
        }
        next.items.iter().find(|n| n.predecessors.contains(&item.id)).map(|n| next.item_ref(n))
    }

    /// The section list of one edition of the guideline.
    pub fn guideline(&self, edition: &str) -> Option<&GuidelineSections> {
        self.guidelines.iter().find(|g| g.edition == edition)
    }

    /// A published MHLW edition newer than every installed one, published before `date`: the
    /// newest such.
    pub fn newer_edition(&self, date: chrono::NaiveDate) -> Option<&super::editions::KnownEdition> {
        let installed = self
            .checklists
            .values()
            .map(|(c, _)| c)
            .filter(|c| c.kind == ChecklistKind::Mhlw)
            .filter_map(|c| c.fiscal_year)
            .max()
            .unwrap_or(i32::MIN);
        self.editions
            .iter()
            .filter(|e| e.fiscal_year > installed && e.published.is_before(date))
            .filter(|e| !self.checklists.values().any(|(c, _)| c.kind == ChecklistKind::Mhlw && c.edition == e.edition))
            .max_by_key(|e| e.fiscal_year)
    }

    /// The MHLW checklist in force: of the `mhlw` checklists with no newer edition, the one of
    /// the latest fiscal year (a new edition in the user's folder becomes the default at once).
    pub fn current_mhlw(&self) -> Option<&Checklist> {
        self.checklists
            .values()
            .map(|(c, _)| c)
            .filter(|c| c.kind == ChecklistKind::Mhlw && self.next_edition(&c.id).is_none())
            .max_by(|a, b| a.fiscal_year.cmp(&b.fiscal_year).then_with(|| b.id.cmp(&a.id)))
    }

    /// Checks one checklist: ids, sections, guideline references, notes on unverified wording,
    /// sources of verified wording, successors in the checklist it maps to and predecessors in
    /// the checklist it follows.
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
        let guideline = self.guideline(c.guideline_edition());
        if guideline.is_none() {
            out.push(Diagnostic::error(
                "unknown-guideline-edition",
                "guideline",
                format!(
                    "ガイドラインの版「{}」の節一覧が {GUIDELINE_FILE} にありません（あるもの: {}）",
                    c.guideline_edition(),
                    self.guidelines.iter().map(|g| g.edition.as_str()).collect::<Vec<_>>().join("、")
                ),
            ));
        }
        let known: BTreeSet<&str> =
            guideline.map(|g| g.sections.iter().map(|s| s.as_str()).collect()).unwrap_or_default();
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
        let predecessor = c.predecessor.as_deref().and_then(|p| self.get(p));
        if let Some(p) = &c.predecessor {
            match predecessor {
                None => out.push(Diagnostic::error(
                    "unknown-predecessor",
                    "predecessor",
                    format!("前の版のチェックリスト「{p}」がありません"),
                )),
                Some(_) if *p == c.id => out.push(Diagnostic::error(
                    "predecessor-conflict",
                    "predecessor",
                    "predecessor（前の版）に自分自身は指定できません",
                )),
                Some(prev) => {
                    if let Some(s) = prev.successor.as_deref().filter(|s| *s != c.id) {
                        out.push(Diagnostic::error(
                            "predecessor-conflict",
                            "predecessor",
                            format!("前の版「{p}」は後継の版として「{s}」を指定しています"),
                        ));
                    }
                    let others: Vec<&str> = self
                        .checklists
                        .values()
                        .map(|(o, _)| o)
                        .filter(|o| o.id != c.id && o.predecessor.as_deref() == Some(p))
                        .map(|o| o.id.as_str())
                        .collect();
                    if !others.is_empty() {
                        out.push(Diagnostic::error(
                            "predecessor-conflict",
                            "predecessor",
                            format!("「{p}」を前の版とするチェックリストがほかにもあります（{}）", others.join("、")),
                        ));
                    }
                }
            }
        }
        // Items of the previous edition already claimed through `predecessors`, with the number
        // of the item claiming them.
        let mut claimed: BTreeMap<&str, &str> = BTreeMap::new();
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
                if guideline.is_some() && !known.contains(r.as_str()) {
                    out.push(Diagnostic::error(
                        "unknown-guideline-ref",
                        format!("items.{i}.guideline_refs.{j}"),
                        format!(
                            "項目 {} のガイドライン参照「{r}」は{}の節一覧（{}）にありません",
                            item.number,
                            c.guideline_edition(),
                            GUIDELINE_FILE
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
            if item.verified && item.source.trim().is_empty() {
                out.push(Diagnostic::warning(
                    "unsourced-verified",
                    at("verified"),
                    format!(
                        "項目 {} は verified = true ですが、文言を確認した資料とページ（source）が書かれていません",
                        item.number
                    ),
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
            for (j, p) in item.predecessors.iter().enumerate() {
                let at = format!("items.{i}.predecessors.{j}");
                match predecessor {
                    None if c.predecessor.is_none() => out.push(Diagnostic::error(
                        "unknown-predecessor",
                        at,
                        format!("項目 {} に predecessors がありますが、チェックリストに predecessor（前の版のチェックリスト）がありません", item.number),
                    )),
                    None => {} // reported once for the checklist
                    Some(prev) => match prev.item(p) {
                        None => out.push(Diagnostic::error(
                            "unknown-predecessor",
                            at,
                            format!("項目 {} の前の版の項目「{p}」は {} にありません", item.number, prev.id),
                        )),
                        Some(old) => {
                            if let Some(first) = claimed.get(p.as_str()) {
                                out.push(Diagnostic::error(
                                    "duplicate-predecessor",
                                    at,
                                    format!("{} の項目「{p}」を前の版の項目とする項目が二つあります（{first} と {}）", prev.id, item.number),
                                ));
                                continue;
                            }
                            claimed.insert(p.as_str(), item.number.as_str());
                            let linked = prev.successor.as_deref() == Some(c.id.as_str());
                            if let (true, Some(s)) = (linked, &old.successor) {
                                if *s != item.id {
                                    out.push(Diagnostic::error(
                                        "predecessor-conflict",
                                        at,
                                        format!("{} の項目「{p}」の successor は「{s}」ですが、ここでは項目 {} の前の版の項目とされています", prev.id, item.number),
                                    ));
                                }
                            }
                        }
                    },
                }
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
