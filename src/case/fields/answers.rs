//! The answer columns of a checklist sheet: what the facility and the inspector record for
//! each item, with its accessors on [`Answer`].

use super::{Kind, Val};
use crate::case::*;
use crate::checklist::AnswerKind;

/// An input column of a checklist sheet.
pub struct AnswerCol {
    pub key: &'static str,
    pub header: &'static str,
    pub kind: Kind,
    pub width: f64,
    /// Filled by the facility (shown in the self-check workbook).
    pub facility: bool,
    /// Item kinds the column is meant for (others get a grey cell).
    pub applies: fn(AnswerKind) -> bool,
    pub get: fn(&Answer) -> Val,
    pub set: fn(&mut Answer, &Val),
}

pub static ANSWER_COLS: [AnswerCol; 9] = [
    AnswerCol {
        key: "answer",
        header: "回答（はい／いいえ）",
        kind: Kind::YesNo,
        width: 9.0,
        facility: true,
        applies: |k| k == AnswerKind::Yesno,
        get: |a| Val::yes_no(a.answer.map(|x| x == YesNo::Yes)),
        set: |a, x| a.answer = x.as_bool().map(|b| if b { YesNo::Yes } else { YesNo::No }),
    },
    AnswerCol {
        key: "confirmed_on",
        header: "確認日",
        kind: Kind::Date,
        width: 17.0,
        facility: true,
        applies: |k| k == AnswerKind::Yesno,
        get: |a| Val::date(a.confirmed_on),
        set: |a, x| a.confirmed_on = x.as_date(),
    },
    AnswerCol {
        key: "target_on",
        header: "目標日（「いいえ」の場合）",
        kind: Kind::Date,
        width: 17.0,
        facility: true,
        applies: |k| k == AnswerKind::Yesno,
        get: |a| Val::date(a.target_on),
        set: |a, x| a.target_on = x.as_date(),
    },
    AnswerCol {
        key: "verification",
        header: "確認結果（検査員）",
        kind: Kind::Choice(Verification::labels),
        width: 10.0,
        facility: false,
        applies: |k| matches!(k, AnswerKind::Yesno | AnswerKind::Verify),
        get: |a| Val::label(a.verification),
        set: |a, x| a.verification = x.as_choice(Verification::from_label),
    },
    AnswerCol {
        key: "done",
        header: "実施状況",
        kind: Kind::Choice(Done::labels),
        width: 9.0,
        facility: false,
        applies: |k| k == AnswerKind::Done,
        get: |a| Val::label(a.done),
        set: |a, x| a.done = x.as_choice(Done::from_label),
    },
    AnswerCol {
        key: "text",
        header: "記述回答",
        kind: Kind::Text,
        width: 32.0,
        facility: false,
        applies: |k| k == AnswerKind::Text,
        get: |a| Val::text(&a.text),
        set: |a, x| a.text = x.as_text(),
    },
    AnswerCol {
        key: "method",
        header: "確認方法",
        kind: Kind::Methods,
        width: 10.0,
        facility: false,
        applies: |_| true,
        get: |a| Val::list(&a.method),
        set: |a, x| a.method = x.as_methods(),
    },
    AnswerCol {
        key: "note",
        header: "メモ（検査員）",
        kind: Kind::Text,
        width: 28.0,
        facility: false,
        applies: |_| true,
        get: |a| Val::text(&a.note),
        set: |a, x| a.note = x.as_text(),
    },
    AnswerCol {
        key: "evidence",
        header: "証跡ID",
        kind: Kind::Words,
        width: 9.0,
        facility: false,
        applies: |_| true,
        get: |a| Val::list(&a.evidence),
        set: |a, x| a.evidence = x.as_list(),
    },
];

/// Label columns of a checklist sheet, after the hidden key column.
pub const LABEL_HEADERS: [&str; 6] = ["番号", "区分", "項目", "対象機器", "ガイドライン", "確認方法（標準）"];
