//! The closed vocabularies of the summary's row labels: 開設者 mapped from a case's free text to
//! the classes of MHLW's 医療施設調査 (a person's name, or anything not recognised, is 不明 and
//! never shown), and the check the 公表用 edition makes before anything is written: every label
//! of a table that comes from case or roster data is from an allowed list.

use super::facts::{Band, NOT_RECORDED};
use super::table::{Cell, Table};
use crate::case::FacilityKind;
use std::collections::BTreeSet;

/// The 開設者 classes of 医療施設調査, in their order, then 不明.
pub const FOUNDERS: [&str; 7] = ["国", "公的医療機関", "社会保険関係団体", "医療法人", "個人", "その他", NOT_RECORDED];

/// Words that place a founder, checked in order (the first that the text contains wins).
const FOUNDER_WORDS: [(&str, &str); 40] = [
    ("国民健康保険団体連合会", "公的医療機関"),
    ("地方独立行政法人", "公的医療機関"),
    ("社会保険関係団体", "社会保険関係団体"),
    ("健康保険組合", "社会保険関係団体"),
    ("共済組合", "社会保険関係団体"),
    ("国民健康保険組合", "社会保険関係団体"),
    ("医療法人", "医療法人"),
    ("公的医療機関", "公的医療機関"),
    ("自治体", "公的医療機関"),
    ("都道府県", "公的医療機関"),
    ("市町村", "公的医療機関"),
    ("一部事務組合", "公的医療機関"),
    ("広域連合", "公的医療機関"),
    ("日本赤十字社", "公的医療機関"),
    ("赤十字", "公的医療機関"),
    ("済生会", "公的医療機関"),
    ("厚生連", "公的医療機関"),
    ("厚生農業協同組合連合会", "公的医療機関"),
    ("北海道社会事業協会", "公的医療機関"),
    ("厚生労働省", "国"),
    ("国立病院機構", "国"),
    ("国立大学法人", "国"),
    ("労働者健康安全機構", "国"),
    ("地域医療機能推進機構", "国"),
    ("国立研究開発法人", "国"),
    ("国立高度専門医療研究センター", "国"),
    ("防衛省", "国"),
    ("法務省", "国"),
    ("独立行政法人", "国"),
    ("社会福祉法人", "その他"),
    ("学校法人", "その他"),
    ("公益社団法人", "その他"),
    ("公益財団法人", "その他"),
    ("一般社団法人", "その他"),
    ("一般財団法人", "その他"),
    ("生活協同組合", "その他"),
    ("株式会社", "その他"),
    ("有限会社", "その他"),
    ("合同会社", "その他"),
    ("その他", "その他"),
];

/// The 開設者 class of a case's free text: 国, 公的医療機関, 社会保険関係団体, 医療法人, 個人, その他,
/// or 不明 (empty, a person's name, anything not recognised).
pub fn founder_class(text: &str) -> &'static str {
    let t: String = crate::wareki::normalize(text).chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return NOT_RECORDED;
    }
    if let Some((_, class)) = FOUNDER_WORDS.iter().find(|(w, _)| t.contains(w)) {
        return class;
    }
    if t == "国" {
        return "国";
    }
    if t.starts_with("個人") {
        return "個人";
    }
    // A local government by name (架空市, 架空県, 市立, 町立 …).
    let local = ["都", "道", "府", "県", "市", "町", "村", "区"];
    let ends_local = local.iter().any(|w| t.ends_with(w)) && t.chars().count() <= 8;
    let run_by_local = ["都立", "道立", "府立", "県立", "市立", "町立", "村立", "区立"].iter().any(|w| t.contains(w));
    if ends_local || run_by_local {
        return "公的医療機関";
    }
    NOT_RECORDED
}

/// The position of a 開設者 class in [`FOUNDERS`] (for ordering rows).
pub fn founder_order(class: &str) -> u32 {
    FOUNDERS.iter().position(|f| *f == class).unwrap_or(FOUNDERS.len()) as u32
}

/// The labels that rows drawn from case or roster data may carry in the 公表用 edition.
#[derive(Debug, Clone, Default)]
pub struct Allowed {
    labels: BTreeSet<String>,
}

impl Allowed {
    /// Kinds, bed-size bands, 開設者 classes, 不明, 全体 and 計, the 保健所 of `offices` and the
    /// item labels of the checklists.
    pub fn new(offices: &BTreeSet<String>, items: impl IntoIterator<Item = String>) -> Allowed {
        let mut labels: BTreeSet<String> = BTreeSet::new();
        labels.extend(FacilityKind::labels().iter().map(|s| s.to_string()));
        labels.extend(Band::ALL.iter().map(|b| b.label().to_string()));
        labels.extend(FOUNDERS.iter().map(|s| s.to_string()));
        labels.extend(["全体", "計", NOT_RECORDED, OTHER_ITEMS].iter().map(|s| s.to_string()));
        labels.extend(offices.iter().cloned());
        labels.extend(items);
        Allowed { labels }
    }

    pub fn contains(&self, label: &str) -> bool {
        self.labels.contains(label)
    }

    /// The labels of `tables` that come from data and are not allowed: (table title, label).
    pub fn outside(&self, tables: &[Table]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for t in tables {
            for r in &t.rows {
                for &c in &t.data_labels {
                    if let Some(Cell::Text(s)) = r.cells.get(c) {
                        if !s.is_empty() && !self.contains(s) {
                            out.push((t.title.clone(), s.clone()));
                        }
                    }
                }
            }
        }
        out
    }
}

/// The row of guidance items that are not items of a known checklist (公表用).
pub const OTHER_ITEMS: &str = "チェックリストにない項目";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn founders_map_to_the_classes_of_the_survey_and_names_to_unknown() {
        for (text, class) in [
            ("医療法人", "医療法人"),
            ("医療法人社団 架空会 理事長 港 正道", "医療法人"),
            ("社会医療法人 架空記念会 理事長 汐見 隆", "医療法人"),
            ("桜井 洋平", "不明"),
            ("理事長 汐見 隆", "不明"),
            ("個人", "個人"),
            ("自治体", "公的医療機関"),
            ("架空市", "公的医療機関"),
            ("架空県立病院事業", "公的医療機関"),
            ("地方独立行政法人 架空県立病院機構", "公的医療機関"),
            ("独立行政法人国立病院機構", "国"),
            ("国", "国"),
            ("日本赤十字社", "公的医療機関"),
            ("架空健康保険組合", "社会保険関係団体"),
            ("社会福祉法人 架空会", "その他"),
            ("その他の法人", "その他"),
            ("学校法人", "その他"),
            ("", "不明"),
        ] {
            assert_eq!(founder_class(text), class, "{text}");
        }
    }

    #[test]
    fn a_label_outside_the_vocabulary_is_found() {
        let offices: BTreeSet<String> = ["東保健所".to_string()].into();
        let allowed = Allowed::new(&offices, ["2-⑥".to_string()]);
        let mut t = Table::new("区分別", "開設者別", &["開設者", "施設数"]);
        t.data_labels = vec![0];
        for l in ["医療法人", "東保健所", "2-⑥", "理事長 港 正道"] {
            t.rows.push(super::super::table::Row::new(vec![Cell::Text(l.into()), Cell::Count(5)], 5));
        }
        assert_eq!(allowed.outside(&[t]), vec![("開設者別".to_string(), "理事長 港 正道".to_string())]);
    }
}
