//! The answer columns of a checklist sheet: what the facility and the inspector record for
//! each item, with its accessors on [`Answer`].

use super::{Cell, Kind, Val};
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

/// A column holding an answer's field of the same name.
macro_rules! answer_col {
    ($field:ident, $header:literal, $kind:expr, $width:expr, facility: $facility:expr, applies: $applies:expr) => {
        AnswerCol {
            key: stringify!($field),
            header: $header,
            kind: $kind,
            width: $width,
            facility: $facility,
            applies: $applies,
            get: |a| Cell::to_val(&a.$field),
            set: |a, x| {
                Cell::set_from(&mut a.$field, x);
            },
        }
    };
}

fn yes_no_item(k: AnswerKind) -> bool {
    k == AnswerKind::Yesno
}

fn any_item(_: AnswerKind) -> bool {
    true
}

pub static ANSWER_COLS: [AnswerCol; 10] = [
    // はい／いいえ is a yes-or-no cell (○, ×, Yes … are read too), not a choice of words.
    AnswerCol {
        key: "answer",
        header: "回答（はい／いいえ）",
        kind: Kind::YesNo,
        width: 9.0,
        facility: true,
        applies: yes_no_item,
        get: |a| Val::yes_no(a.answer.map(|x| x == YesNo::Yes)),
        set: |a, x| a.answer = x.as_bool().map(|b| if b { YesNo::Yes } else { YesNo::No }),
    },
    answer_col!(confirmed_on, "確認日", Kind::Date, 17.0, facility: true, applies: yes_no_item),
    // A date, a 年度 or 「次期システム更改時」 (guideline 第7.0版); the header keeps its words so
    // that workbooks written before read as they did.
    answer_col!(target_on, "目標日（「いいえ」の場合）", Kind::Target, 17.0, facility: true, applies: yes_no_item),
    answer_col!(
        verification,
        "確認結果（検査員）",
        Kind::Choice(Verification::labels),
        10.0,
        facility: false,
        applies: |k| matches!(k, AnswerKind::Yesno | AnswerKind::Verify)
    ),
    answer_col!(done, "実施状況", Kind::Choice(Done::labels), 9.0, facility: false, applies: |k| k == AnswerKind::Done),
    answer_col!(text, "記述回答", Kind::Text, 32.0, facility: false, applies: |k| k == AnswerKind::Text),
    answer_col!(method, "確認方法", Kind::Methods, 10.0, facility: false, applies: any_item),
    answer_col!(note, "メモ（検査員）", Kind::Text, 28.0, facility: false, applies: any_item),
    answer_col!(evidence, "証跡ID", Kind::Words, 9.0, facility: false, applies: any_item),
    // 事業者確認用の責任分界（令和8年度版〜）: the vendor answers who is responsible.
    answer_col!(
        responsibility,
        "責任分界（医療機関／事業者／共同）",
        Kind::Choice(Responsibility::labels),
        12.0,
        facility: true,
        applies: yes_no_item
    ),
];

/// Label columns of a checklist sheet, after the hidden key column.
pub const LABEL_HEADERS: [&str; 6] = ["番号", "区分", "項目", "対象機器", "ガイドライン", "確認方法（標準）"];
