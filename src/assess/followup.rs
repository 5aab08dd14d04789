//! What a facility still owes after an inspection, with its due date: replies to guidance
//! (`reply_due`, open until `replied_on` is recorded), preventive measures (`due`, open until
//! 完了 or `completed_on`) and the target dates of checklist items answered いいえ (`target_on`,
//! open until verified 適合 or 該当なし); and how each stands at a date. `kensa followup` lists
//! them across cases.

use super::gated_checklists;
use crate::case::{Case, Guidance, Measure, MeasureStatus, Verification, YesNo};
use crate::checklist::Registry;
use chrono::{Days, NaiveDate};

/// Default number of days ahead `kensa followup` looks (`--within`).
pub const DEFAULT_WITHIN_DAYS: u32 = 30;

/// The status of a guidance reply not yet received.
pub const NOT_REPLIED: &str = "未回答";
/// Who owes a guidance reply or a checklist item's target: the facility.
pub const FACILITY: &str = "医療機関";

/// What kind of record a due date belongs to (in the order items due the same day are listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DueKind {
    /// The reply (improvement plan, report) to guidance.
    Guidance,
    /// A preventive measure (再発防止策).
    Measure,
    /// The target date of a checklist item answered いいえ.
    Target,
}

impl DueKind {
    pub fn label(self) -> &'static str {
        match self {
            DueKind::Guidance => "指導への回答",
            DueKind::Measure => "再発防止策",
            DueKind::Target => "チェックリスト項目の目標日",
        }
    }
}

/// One open record of a case with a due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    pub kind: DueKind,
    pub due: NaiveDate,
    /// The record's key path in case.toml (`guidance.2`, `measures.0`, `answers.14`).
    pub key: String,
    /// What is due: the guidance or measure text, or the item's number and text.
    pub what: String,
    /// Who owes it: the measure's owner (未記録 where none is recorded); [`FACILITY`] for
    /// guidance and checklist items.
    pub owner: String,
    /// 未回答 (guidance); the measure's status (未着手／実施中, 未記録 where none is recorded);
    /// the answer and the verification (`いいえ・一部適合`) for a checklist item.
    pub status: String,
}

/// The dates an item is judged at: `as_of`, and the days ahead that count as coming due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub as_of: NaiveDate,
    pub within: u32,
}

impl Window {
    /// The last due date the window takes.
    pub fn last_day(&self) -> NaiveDate {
        self.as_of.checked_add_days(Days::new(self.within.into())).unwrap_or(NaiveDate::MAX)
    }
    /// Whether a due date is overdue (already past) or comes due within the window.
    pub fn takes(&self, due: NaiveDate) -> bool {
        due <= self.last_day()
    }
}

/// An open item as it stands at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub item: OpenItem,
    /// Days from the date judged at to the due date: negative when overdue, 0 when due that day.
    pub days_left: i64,
}

impl DueItem {
    /// Whether the due date has passed (a due date of today is not overdue yet).
    pub fn overdue(&self) -> bool {
        self.days_left < 0
    }
    /// Days past the due date (0 when not overdue).
    pub fn days_overdue(&self) -> i64 {
        (-self.days_left).max(0)
    }
    /// `3日超過`, `本日`, `あと12日`.
    pub fn days_text(&self) -> String {
        match self.days_left {
            d if d < 0 => format!("{}日超過", -d),
            0 => "本日".to_string(),
            d => format!("あと{d}日"),
        }
    }
}

/// Whether a measure is done: 完了, or its completion recorded.
pub fn measure_closed(m: &Measure) -> bool {
    m.status == Some(MeasureStatus::Completed) || m.completed_on.is_some()
}

/// Whether a measure is open and its due date passed at `as_of`.
pub fn measure_overdue(m: &Measure, as_of: NaiveDate) -> bool {
    !measure_closed(m) && m.due.is_some_and(|d| d.0 < as_of)
}

/// Whether guidance awaits its reply past the due date at `as_of`.
pub fn guidance_overdue(g: &Guidance, as_of: NaiveDate) -> bool {
    g.replied_on.is_none() && g.reply_due.is_some_and(|d| d.0 < as_of)
}

/// Every open record of a case that has a due date, in the case's order (guidance, measures,
/// checklist items). The gate item (0 医療情報システムの有無) answered いいえ, and the other items
/// of a checklist whose gate item is いいえ, owe nothing.
pub fn open_items(case: &Case, reg: &Registry) -> Vec<OpenItem> {
    let mut out = Vec::new();
    for (i, g) in case.guidance.iter().enumerate() {
        if let (Some(due), None) = (g.reply_due, g.replied_on) {
            out.push(OpenItem {
                kind: DueKind::Guidance,
                due: due.0,
                key: format!("guidance.{i}"),
                what: g.text.trim().to_string(),
                owner: FACILITY.to_string(),
                status: NOT_REPLIED.to_string(),
            });
        }
    }
    for (i, m) in case.measures.iter().enumerate() {
        if let (Some(due), false) = (m.due, measure_closed(m)) {
            out.push(OpenItem {
                kind: DueKind::Measure,
                due: due.0,
                key: format!("measures.{i}"),
                what: m.text.trim().to_string(),
                owner: if m.owner.trim().is_empty() {
                    super::UNRECORDED.to_string()
                } else {
                    m.owner.trim().to_string()
                },
                status: m.status.map(|s| s.label()).unwrap_or(super::UNRECORDED).to_string(),
            });
        }
    }
    let gated = gated_checklists(case, reg);
    for (i, a) in case.answers.iter().enumerate() {
        // A 年度 falls due on its last day; 「次期システム更改時」 has no due date.
        let (Some(due), Some(YesNo::No)) = (a.target_on.and_then(|t| t.due()), a.answer) else { continue };
        if matches!(a.verification, Some(Verification::Conform | Verification::NotApplicable)) {
            continue;
        }
        let found = reg.item(&a.item);
        if found.is_some_and(|(c, it)| it.gate || gated.contains(c.id.as_str())) {
            continue;
        }
        let system = if a.system.is_empty() { String::new() } else { format!("［{}］", a.system) };
        let what = match found {
            Some((c, it)) => format!("{}{system} {}", c.item_name(it), it.text.trim()),
            None => format!("{}{system}", a.item),
        };
        out.push(OpenItem {
            kind: DueKind::Target,
            due: due.0,
            key: format!("answers.{i}"),
            what,
            owner: FACILITY.to_string(),
            status: format!("{}・{}", YesNo::No.label(), a.verification.unwrap_or(Verification::Unverified).label()),
        });
    }
    out
}

/// The open items of a case that are overdue or come due within the window, by due date (and
/// kind, then the case's order, for the same day).
pub fn due_items(case: &Case, reg: &Registry, window: Window) -> Vec<DueItem> {
    let mut out: Vec<DueItem> = open_items(case, reg)
        .into_iter()
        .filter(|it| window.takes(it.due))
        .map(|item| DueItem { days_left: (item.due - window.as_of).num_days(), item })
        .collect();
    sort(&mut out, |d| &d.item);
    out
}

/// Sorts by due date, then kind; the order is otherwise kept (stable).
pub fn sort<T>(items: &mut [T], item: impl Fn(&T) -> &OpenItem) {
    items.sort_by_key(|t| {
        let it = item(t);
        (it.due, it.kind)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str) -> Case {
        toml::from_str(&format!(
            "case_id = \"T-1\"\n[facility]\nname = \"架空病院\"\n[inspection]\nchecklists = [\"mhlw-r7\"]\n{text}"
        ))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn window(as_of: &str, within: u32) -> Window {
        Window { as_of: date(as_of), within }
    }

    fn keys(items: &[DueItem]) -> Vec<&str> {
        items.iter().map(|d| d.item.key.as_str()).collect()
    }

    const MIXED: &str = r#"
[[answers]]
item = "mhlw-r7:2-03"
answer = "いいえ"
target_on = 2025-12-26
verification = "一部適合"

[[measures]]
text = "VPN装置を更新する"
owner = "情報システム課長"
due = 2025-10-31
status = "実施中"

[[measures]]
text = "研修を行う"
due = 2026-02-27

[[guidance]]
kind = "文書指導"
text = "BCPを策定すること"
reply_due = 2025-10-31
plan_requested = true
"#;

    #[test]
    fn overdue_within_the_window_and_later() {
        let c = case(MIXED);
        let reg = Registry::load(None).unwrap();
        let due = due_items(&c, &reg, window("2025-11-01", 30));
        // Overdue (10-31, the guidance before the measure due the same day); 12-26 is 55 days
        // ahead and 2026-02-27 later still: neither is listed.
        assert_eq!(keys(&due), ["guidance.0", "measures.0"]);
        assert!(due.iter().all(DueItem::overdue));
        assert_eq!((due[0].days_left, due[0].days_overdue(), due[0].days_text()), (-1, 1, "1日超過".to_string()));
        assert_eq!((due[0].item.owner.as_str(), due[0].item.status.as_str()), (FACILITY, NOT_REPLIED));
        assert_eq!((due[1].item.owner.as_str(), due[1].item.status.as_str()), ("情報システム課長", "実施中"));

        // 60 days ahead takes the checklist item; a due date of today is not overdue.
        let due = due_items(&c, &reg, window("2025-10-31", 60));
        assert_eq!(keys(&due), ["guidance.0", "measures.0", "answers.0"]);
        assert!(!due[0].overdue());
        assert_eq!(due[0].days_text(), "本日");
        assert_eq!(due[2].days_text(), "あと56日");
        let t = &due[2].item;
        assert_eq!(t.kind.label(), "チェックリスト項目の目標日");
        assert!(t.what.starts_with("医療機関確認用 2-③ "), "{}", t.what);
        assert_eq!(t.owner, FACILITY);
        assert_eq!(t.status, "いいえ・一部適合");

        // A window of 0 days: only what is overdue or due that day.
        assert_eq!(keys(&due_items(&c, &reg, window("2025-10-30", 0))), Vec::<&str>::new());
        // Far ahead everything open is listed, by due date.
        let all = due_items(&c, &reg, window("2024-01-01", 10_000));
        assert_eq!(keys(&all), ["guidance.0", "measures.0", "answers.0", "measures.1"]);
        assert_eq!((all[3].item.owner.as_str(), all[3].item.status.as_str()), ("未記録", "未記録"));
    }

    #[test]
    fn closed_items_are_not_listed() {
        let c = case(
            r#"
[[guidance]]
kind = "文書指導"
text = "回答済み"
reply_due = 2025-10-31
replied_on = 2025-10-30

[[guidance]]
kind = "口頭指導"
text = "期限なし"

[[measures]]
text = "完了"
due = 2025-08-20
status = "完了"

[[measures]]
text = "完了日あり"
due = 2025-08-20
status = "実施中"
completed_on = 2025-08-19

[[measures]]
text = "期限なし"
status = "未着手"

[[answers]]
item = "mhlw-r7:2-06"
answer = "いいえ"
target_on = 2025-09-30
verification = "適合"

[[answers]]
item = "mhlw-r7:2-07"
answer = "いいえ"
target_on = 2025-09-30
verification = "該当なし"

[[answers]]
item = "mhlw-r7:2-08"
answer = "はい"
target_on = 2025-09-30

[[answers]]
item = "mhlw-r7:2-09"
answer = "いいえ"
target_on = 2025-09-30
verification = "不適合"
"#,
        );
        let reg = Registry::load(None).unwrap();
        let open = open_items(&c, &reg);
        assert_eq!(open.iter().map(|o| o.key.as_str()).collect::<Vec<_>>(), ["answers.3"]);
        assert_eq!(open[0].status, "いいえ・不適合");
    }

    #[test]
    fn the_gate_item_and_gated_checklists_owe_nothing() {
        let gated = case(
            r#"
[[answers]]
item = "mhlw-r7:0"
answer = "いいえ"
target_on = 2025-09-30

[[answers]]
item = "mhlw-r7:2-06"
answer = "いいえ"
target_on = 2025-09-30
"#,
        );
        let reg = Registry::load(None).unwrap();
        assert!(open_items(&gated, &reg).is_empty());
        // Without the gate answered いいえ, the same item is due.
        let open = case("[[answers]]\nitem = \"mhlw-r7:2-06\"\nanswer = \"いいえ\"\ntarget_on = 2025-09-30\n");
        assert_eq!(open_items(&open, &reg).len(), 1);
    }

    #[test]
    fn vendor_answers_and_unknown_items_are_named() {
        let c = case(
            r#"
[[answers]]
item = "mhlw-r7:v2-03"
system = "医事会計システム"
answer = "いいえ"
target_on = 2025-12-26

[[answers]]
item = "mhlw-r9:1-01"
answer = "いいえ"
target_on = 2025-12-26
"#,
        );
        let reg = Registry::load(None).unwrap();
        let open = open_items(&c, &reg);
        assert!(open[0].what.starts_with("事業者確認用 2-③［医事会計システム］ "), "{}", open[0].what);
        assert_eq!(open[1].what, "mhlw-r9:1-01");
    }

    #[test]
    fn sorting_is_by_date_then_kind_and_stable() {
        let item = |kind, due: &str, key: &str| OpenItem {
            kind,
            due: date(due),
            key: key.into(),
            what: String::new(),
            owner: String::new(),
            status: String::new(),
        };
        let mut v = vec![
            item(DueKind::Target, "2025-10-01", "a"),
            item(DueKind::Guidance, "2025-12-01", "b"),
            item(DueKind::Measure, "2025-10-01", "c"),
            item(DueKind::Guidance, "2025-10-01", "d"),
            item(DueKind::Measure, "2025-10-01", "e"),
        ];
        sort(&mut v, |o| o);
        assert_eq!(v.iter().map(|o| o.key.as_str()).collect::<Vec<_>>(), ["d", "c", "e", "a", "b"]);
    }

    #[test]
    fn the_window_reaches_its_last_day() {
        let w = window("2025-11-01", 30);
        assert_eq!(w.last_day(), date("2025-12-01"));
        assert!(w.takes(date("2025-12-01")) && !w.takes(date("2025-12-02")) && w.takes(date("2020-01-01")));
        assert_eq!(Window { as_of: NaiveDate::MAX, within: 1 }.last_day(), NaiveDate::MAX);
    }
}
