//! Checklists as data: the model of a checklist file (items, sections, how each is answered).
//! The files are embedded in the binary and overridable from a folder ([`registry`]).

pub mod editions;
pub mod import;
pub mod registry;
pub mod show;

pub use registry::{check_guideline_file, parse_checklist, Origin, Registry};

use crate::values::{ja_enum, Date, ItemRef, Method};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// チェックリスト全体の出典（公表元のページなど）。項目ごとの文言の出典は各項目の source に書きます。
    #[serde(default)]
    pub source: String,
    /// 後継の版のチェックリストID（例: 令和6年度版なら mhlw-r7）。各項目の successor はこの版の項目IDを指します。
    #[serde(default)]
    pub successor: Option<String>,
    /// 前の版のチェックリストID（例: 令和8年度版なら mhlw-r7）。前の版のファイルを書き換えずに新しい版を加えるときに使い、各項目の predecessors に前の版の項目IDを書きます。
    #[serde(default)]
    pub predecessor: Option<String>,
    #[serde(default)]
    pub description: String,
    /// 項目の guideline_refs が引用する「医療情報システムの安全管理に関するガイドライン」の版（例: 第7.0版）。省略時は第6.0版。参照はこの版の節一覧（guideline-sections.toml）で確かめます。
    #[serde(default)]
    pub guideline: Option<String>,
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
    /// 文言を公開資料で確認したか。true なら source に確認した資料とページを、false なら note に何が未確認かを書きます。
    pub verified: bool,
    /// 文言を確認した資料とページ（例: 「令和6年度版マニュアル p.5（厚生労働省 001253953）」）。verified = true の項目に source がないと警告（unsourced-verified）になります。
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub help: String,
    /// 後継の版（チェックリストの successor）でこの項目に当たる項目のID。
    #[serde(default)]
    pub successor: Option<String>,
    /// 前の版（チェックリストの predecessor）でこの項目に当たる項目のID。前の版の複数の項目が一つにまとめられた場合は複数書きます。
    #[serde(default)]
    pub predecessors: Vec<String>,
    /// 事業者確認用の責任分界（医療機関／事業者／共同）を回答する項目か。
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub responsibility: bool,
}

impl Item {
    /// Guideline references in the form of the official manual (`▶企画管理編 9.1`), joined by
    /// `sep`.
    pub fn guideline_text(&self, sep: &str) -> String {
        self.guideline_refs.iter().map(|r| format!("▶{r}")).collect::<Vec<_>>().join(sep)
    }
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
    /// `医療機関確認用 2-⑤`: the item's sheet (or, without one, the checklist id) and number.
    pub fn item_name(&self, item: &Item) -> String {
        let sheet = self.section(&item.section).map(|s| s.sheet.as_str()).filter(|s| !s.is_empty()).unwrap_or(&self.id);
        format!("{sheet} {}", item.number)
    }
    /// The guideline edition the checklist cites.
    pub fn guideline_edition(&self) -> &str {
        self.guideline.as_deref().unwrap_or(DEFAULT_GUIDELINE_EDITION)
    }
    /// Scope labels joined for display.
    pub fn scope_text(item: &Item) -> String {
        item.scope.iter().map(|s| s.label()).collect::<Vec<_>>().join("、")
    }
}

/// The guideline edition a checklist cites when it names none (the edition kensa's 令和6・7年度版
/// cite).
pub const DEFAULT_GUIDELINE_EDITION: &str = "第6.0版";

/// The guideline sections a checklist may cite, of one edition of the guideline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GuidelineSections {
    pub guideline: String,
    pub edition: String,
    /// The parts (編) of this edition, in order; empty when the file names none.
    pub parts: Vec<String>,
    pub sections: Vec<String>,
}

/// One edition in `guideline-sections.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuidelineEdition {
    /// 版（例: 第7.0版）。
    pub edition: String,
    /// 公表日。
    #[serde(default)]
    pub published: Option<Date>,
    /// 構成する編（例: 概説編、経営管理編、企画管理編、システム運用編、保守委託機関編）。
    #[serde(default)]
    pub parts: Vec<String>,
    /// 引用してよい節（「編名 + 半角スペース + 節番号」）。
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// `guideline-sections.toml`: the sections of each edition of the guideline (`[[editions]]`),
/// or, as files of earlier versions of kensa have it, of one edition (`edition`, `sections`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuidelineFile {
    pub guideline: String,
    #[serde(default)]
    pub edition: Option<String>,
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub editions: Vec<GuidelineEdition>,
}

impl GuidelineFile {
    /// Each edition of the file with its sections.
    pub fn editions(&self) -> Vec<GuidelineSections> {
        let mut out: Vec<GuidelineSections> = self
            .editions
            .iter()
            .map(|e| GuidelineSections {
                guideline: self.guideline.clone(),
                edition: e.edition.clone(),
                parts: e.parts.clone(),
                sections: e.sections.clone(),
            })
            .collect();
        if let Some(edition) = &self.edition {
            out.push(GuidelineSections {
                guideline: self.guideline.clone(),
                edition: edition.clone(),
                parts: Vec::new(),
                sections: self.sections.clone(),
            });
        }
        out
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
        assert_eq!(reg.current_mhlw().map(|c| c.id.as_str()), Some("mhlw-r7"));
        for id in ["mhlw-r7", "mhlw-r6"] {
            for i in &reg.get(id).unwrap().items {
                assert!(!i.verified || !i.source.trim().is_empty(), "{id} {}: verified without a source", i.id);
            }
        }
    }

    #[test]
    fn a_number_as_the_checklist_sheet_shows_it_names_the_mhlw_item() {
        let reg = Registry::load(None).unwrap();
        // An incident case uses the MHLW checklist and the incident form, which has 2-(6).
        let within = ["mhlw-r7", "incident", "onsite"];
        let r7 = |s: &str| Ok(s.parse::<ItemRef>().unwrap());
        assert_eq!(reg.resolve_item("2-⑥", &within), r7("mhlw-r7:2-06"));
        assert_eq!(reg.resolve_item("2-(6)", &within[..2]), r7("incident:d-06"));
        // Where it stays ambiguous, the message names the items as their sheets show them.
        let e = reg.resolve_item("2-(6)", &within).unwrap_err();
        assert!(e.contains("incident:d-06") && e.contains("onsite:s-10") && e.contains("のように"), "{e}");
        assert_eq!(reg.resolve_item("医療機関確認用 2-⑥", &within), r7("mhlw-r7:2-06"));
        assert_eq!(reg.resolve_item("事業者確認用 2-⑥", &within), r7("mhlw-r7:v2-06"));
        // Typed as neither writes it: the MHLW checklist's.
        assert_eq!(reg.resolve_item("2-6", &within), r7("mhlw-r7:2-06"));
        // Every item name the workbook's drop-down offers reads back as its item.
        for id in within {
            let c = reg.get(id).unwrap();
            for item in &c.items {
                assert_eq!(
                    reg.resolve_item(&c.item_name(item), &within),
                    Ok(c.item_ref(item)),
                    "{}",
                    c.item_name(item)
                );
            }
        }
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
    fn verified_wording_without_a_source_is_a_warning() {
        let reg = Registry::load(None).unwrap();
        let mut c = reg.get("mhlw-r7").unwrap().clone();
        let i = c.items.iter().position(|i| i.id == "1-01").unwrap();
        assert!(c.items[i].verified && !c.items[i].source.is_empty());
        c.items[i].source = " ".into();
        let d = reg.validate(&c);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].severity), ("unsourced-verified", crate::diag::Severity::Warning));
        assert_eq!(d[0].path, format!("items.{i}.verified"));
        assert!(d[0].message.contains("1-①") && d[0].message.contains("source"), "{}", d[0].message);
    }

    /// A made-up 令和8年度版 that names 令和7年度版 as its predecessor.
    const R8: &str = r#"
id = "mhlw-r8"
title = "架空のチェックリスト"
edition = "令和8年度版"
fiscal_year = 2026
kind = "mhlw"
predecessor = "mhlw-r7"
[[sections]]
id = "f2"
title = "2 管理・運用"
sheet = "医療機関確認用"
respondent = "医療機関"
[[items]]
id = "2-01"
number = "2-①"
section = "f2"
text = "パッチを適用している。"
respondent = "医療機関"
answer = "yesno"
verified = false
note = "架空"
predecessors = ["2-06"]
[[items]]
id = "2-02"
number = "2-②"
section = "f2"
text = "パスワードを管理している。"
respondent = "医療機関"
answer = "yesno"
verified = false
note = "架空"
predecessors = ["2-07", "2-08"]
[[items]]
id = "2-03"
number = "2-③"
section = "f2"
text = "新設の項目。"
respondent = "医療機関"
answer = "yesno"
verified = false
note = "架空"
"#;

    fn with(reg: &Registry, text: &str) -> (Registry, Checklist) {
        let c = parse_checklist(std::path::Path::new("r8.toml"), text).unwrap();
        let mut reg = reg.clone();
        reg.checklists.insert(c.id.clone(), (c.clone(), Origin::File("r8.toml".into())));
        (reg, c)
    }

    #[test]
    fn a_newer_edition_links_back_through_predecessors() {
        let embedded = Registry::load(None).unwrap();
        assert_eq!(embedded.current_mhlw().map(|c| c.id.as_str()), Some("mhlw-r7"));
        assert!(embedded.next_edition("mhlw-r7").is_none());
        let (reg, r8) = with(&embedded, R8);
        assert!(reg.validate(&r8).is_empty(), "{:?}", reg.validate(&r8));
        assert_eq!(reg.next_edition("mhlw-r7").map(|c| c.id.as_str()), Some("mhlw-r8"));
        assert_eq!(reg.next_edition("mhlw-r6").map(|c| c.id.as_str()), Some("mhlw-r7"));
        assert_eq!(reg.current_mhlw().map(|c| c.id.as_str()), Some("mhlw-r8"));
        let next = |r: &str| reg.next_item(&r.parse().unwrap()).map(|r| r.to_string());
        assert_eq!(next("mhlw-r7:2-06").as_deref(), Some("mhlw-r8:2-01"));
        assert_eq!(next("mhlw-r7:2-08").as_deref(), Some("mhlw-r8:2-02"));
        assert_eq!(next("mhlw-r7:2-13"), None, "not carried over");
        assert_eq!(next("mhlw-r6:2-07").as_deref(), Some("mhlw-r7:2-06"), "successor links still work");
        assert_eq!(next("mhlw-r8:2-01"), None);
    }

    #[test]
    fn broken_links_back_are_errors() {
        let embedded = Registry::load(None).unwrap();
        let codes = |text: &str| -> Vec<String> {
            let (reg, c) = with(&embedded, text);
            reg.validate(&c).iter().map(|d| format!("{}@{}", d.code, d.path)).collect()
        };
        let r8 = |from: &str, to: &str| R8.replacen(from, to, 1);
        assert_eq!(
            codes(&r8("predecessor = \"mhlw-r7\"", "predecessor = \"mhlw-r5\"")),
            ["unknown-predecessor@predecessor"]
        );
        assert_eq!(
            codes(&r8("predecessor = \"mhlw-r7\"\n", "")),
            [
                "unknown-predecessor@items.0.predecessors.0",
                "unknown-predecessor@items.1.predecessors.0",
                "unknown-predecessor@items.1.predecessors.1"
            ]
        );
        assert_eq!(codes(&r8("[\"2-06\"]", "[\"9-99\"]")), ["unknown-predecessor@items.0.predecessors.0"]);
        assert_eq!(codes(&r8("[\"2-06\"]", "[\"2-07\"]")), ["duplicate-predecessor@items.1.predecessors.0"]);
        // 令和6年度版 already has 令和7年度版 as its successor.
        let after_r6 =
            r8("predecessor = \"mhlw-r7\"", "predecessor = \"mhlw-r6\"").replace("\"2-07\", \"2-08\"", "\"2-08\"");
        assert_eq!(codes(&after_r6), ["predecessor-conflict@predecessor"]);
        // Two editions after the same one.
        let (reg, _) = with(&embedded, R8);
        let other = R8.replace("id = \"mhlw-r8\"", "id = \"mhlw-r8b\"");
        let c = parse_checklist(std::path::Path::new("b.toml"), &other).unwrap();
        let d = reg.validate(&c);
        assert!(d.iter().any(|d| d.code == "predecessor-conflict" && d.message.contains("mhlw-r8")), "{d:?}");
    }

    #[test]
    fn bad_guideline_ref_is_an_error() {
        let reg = Registry::load(None).unwrap();
        let mut c = reg.get("mhlw-r7").unwrap().clone();
        c.items[1].guideline_refs.push("企画管理編 99.9".into());
        let d = reg.validate(&c);
        assert!(d.iter().any(|d| d.code == "unknown-guideline-ref" && d.message.contains("企画管理編 99.9")), "{d:?}");
    }

    #[test]
    fn references_are_checked_against_the_edition_the_checklist_cites() {
        let reg = Registry::load(None).unwrap();
        assert_eq!(reg.guidelines.iter().map(|g| g.edition.as_str()).collect::<Vec<_>>(), ["第6.0版", "第7.0版"]);
        let g7 = reg.guideline("第7.0版").unwrap();
        assert_eq!(g7.parts, ["概説編", "経営管理編", "企画管理編", "システム運用編", "保守委託機関編"]);
        let (reg, mut r8) = with(&reg, R8);
        assert_eq!(r8.guideline_edition(), "第6.0版", "none named: 第6.0版");
        r8.guideline = Some("第7.0版".into());
        r8.items[0].guideline_refs = vec!["システム運用編 14⑤".into()];
        assert!(reg.validate(&r8).is_empty(), "{:?}", reg.validate(&r8));
        // A 第6.0版 number under 第7.0版 is not one of its sections.
        r8.items[0].guideline_refs = vec!["システム運用編 8⑤".into()];
        let d = reg.validate(&r8);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "unknown-guideline-ref");
        assert!(d[0].message.contains("第7.0版の節一覧"), "{}", d[0].message);
        r8.guideline = Some("第9.0版".into());
        let d = reg.validate(&r8);
        assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), ["unknown-guideline-edition"]);
        assert!(d[0].message.contains("第9.0版") && d[0].message.contains("第6.0版、第7.0版"), "{}", d[0].message);
    }

    #[test]
    fn a_guideline_file_of_one_edition_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(registry::GUIDELINE_FILE),
            "guideline = \"医療情報システムの安全管理に関するガイドライン\"\nedition = \"第6.0版\"\nsections = [\"概説編 2.3\"]\n",
        )
        .unwrap();
        let e = Registry::load(Some(dir.path())).unwrap_err().to_string();
        // mhlw-r7 cites sections the user's shorter list leaves out.
        assert!(e.contains("第6.0版の節一覧"), "{e}");
        std::fs::write(
            dir.path().join(registry::GUIDELINE_FILE),
            "guideline = \"g\"\n[[editions]]\nedition = \"第7.0版\"\nparts = [\"概説編\"]\nsections = [\"保守委託機関編 1\"]\n",
        )
        .unwrap();
        let e = Registry::load(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("保守委託機関編 1") && e.contains("parts"), "{e}");
    }

    #[test]
    fn a_newer_published_edition_is_named_until_it_is_installed() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let embedded = Registry::load(None).unwrap();
        assert!(embedded.newer_edition(d(2026, 6, 30)).is_none(), "June 2026 is not after 令和8年6月");
        let e = embedded.newer_edition(d(2026, 7, 1)).expect("令和8年度版");
        assert_eq!(e.edition, "令和8年度版");
        // Installed: no notice.
        let (reg, _) = with(&embedded, R8);
        assert!(reg.newer_edition(d(2026, 10, 1)).is_none());
    }

    #[test]
    fn items_are_found_by_the_number_shown() {
        let reg = Registry::load(None).unwrap();
        let r = |t: &str, w: &[&str]| reg.resolve_item(t, w).map(|r| r.to_string());
        assert_eq!(r("2-⑥", &["mhlw-r7"]), Ok("mhlw-r7:2-06".into()));
        assert_eq!(r("２－６", &["mhlw-r7"]), Ok("mhlw-r7:2-06".into()));
        assert_eq!(r("mhlw-r7:2-13", &[]), Ok("mhlw-r7:2-13".into()));
        assert!(r("mhlw-r7:2-99", &["mhlw-r7"]).unwrap_err().contains("mhlw-r7"));
        let both = r("2-6", &["mhlw-r7", "mhlw-r6"]).unwrap_err();
        assert!(both.contains("複数"), "{both}");
        assert_eq!(r("令和6年度版 2-(7)", &["mhlw-r7"]), Ok("mhlw-r6:2-07".into()));
        assert!(r("9-⑨", &["mhlw-r7"]).is_err());
        assert_eq!(r("事業者確認用 2-⑥", &["mhlw-r7"]), Ok("mhlw-r7:v2-06".into()));
    }
}
