//! Interpreting a cell for its column: typed dates in any form kensa reads, numbers with
//! separators and units, はい／いいえ written in several ways, choices and lists; a formula saved
//! without its calculated value is an error for every kind.

use crate::case::fields::{Kind, Val};
use crate::case::{Amount, Date, ItemRef, Method, Stamp};
use crate::wareki;
use crate::xlsx::read::{round_to_second, Raw};
use chrono::{NaiveDateTime, NaiveTime};

/// Whether a typed choice means はい (true) or いいえ (false).
pub fn parse_yes_no(s: &str) -> Option<bool> {
    let n = wareki::normalize(s).to_lowercase();
    match n.as_str() {
        "はい" | "yes" | "y" | "○" | "〇" | "◯" | "有" | "あり" | "true" => Some(true),
        "いいえ" | "no" | "n" | "×" | "✕" | "✖" | "✗" | "無" | "なし" | "false" => Some(false),
        _ => None,
    }
}

fn choice_key(s: &str) -> String {
    wareki::normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The label of `labels` a typed value means.
pub fn parse_choice(s: &str, labels: &[&'static str]) -> Option<&'static str> {
    let k = choice_key(s);
    labels.iter().copied().find(|l| choice_key(l) == k)
}

fn not_a_choice(s: &str, labels: &[&str]) -> String {
    format!("「{}」は選択肢にありません（選択肢: {}）", s.trim(), labels.join("、"))
}

/// Splits a cell holding several values.
pub fn split_list(s: &str, spaces: bool) -> Vec<String> {
    // Ids and method names are normalized (full-width → ASCII); free words are kept as written.
    let text = if spaces { wareki::normalize(s) } else { s.to_string() };
    text.split(|c: char| matches!(c, '、' | ',' | '，' | '\n' | '\r') || spaces && (c == '/' || c.is_whitespace()))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A date from an Excel serial number (1900 date system).
pub fn serial_to_datetime(f: f64) -> Option<NaiveDateTime> {
    if !f.is_finite() || !(1.0..2_958_466.0).contains(&f) {
        return None;
    }
    calamine::ExcelDateTime::new(f, calamine::ExcelDateTimeType::DateTime, false).as_datetime().map(round_to_second)
}

fn date_of(dt: NaiveDateTime) -> Result<Val, String> {
    if dt.time() != NaiveTime::MIN {
        return Err(format!("「{}」: この欄には日付だけを書きます（時刻は書けません）", dt.format("%Y-%m-%d %H:%M")));
    }
    Ok(Val::Date(Date(dt.date())))
}

fn stamp_of(dt: NaiveDateTime) -> Val {
    let time = (dt.time() != NaiveTime::MIN).then(|| dt.time());
    Val::Stamp(Stamp { date: dt.date(), time })
}

fn parse_count(s: &str) -> Option<u64> {
    let n: String = wareki::normalize(s).chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect::<String>();
    let n = n.trim_end_matches(['件', '人', '名', '円', '台', '床']);
    n.parse::<u64>().ok()
}

fn number(f: f64, kind: Kind) -> Result<Val, String> {
    let max = match kind {
        Kind::Num32 => u32::MAX as f64,
        _ => (1u64 << 53) as f64,
    };
    if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f <= max {
        Ok(Val::Num(f as u64))
    } else {
        Err(format!("「{f}」は0以上の整数として読めません"))
    }
}

/// A formula saved without its calculated value (see [`Raw::Formula`]) named in a message:
/// `数式「=A1+1」` (its text on one line, cut short), or `数式` when its text is unknown.
pub fn formula_named(text: &str) -> String {
    if text.trim().is_empty() {
        "数式".to_string()
    } else {
        format!("数式「{}」", crate::text::short(&format!("={text}"), 60))
    }
}

/// Why a formula saved without its calculated value cannot be read as a value.
pub fn formula_without_value(text: &str) -> String {
    format!(
        "{}の計算結果が保存されていません。Excel または LibreOffice でこのブックを開いて保存し直すか、値を直接入力してください",
        formula_named(text)
    )
}

/// Interprets a cell for a column of `kind`; `None` is an empty cell.
pub fn interpret(kind: Kind, raw: Option<&Raw>) -> Result<Val, String> {
    let v = interpret_raw(kind, raw)?;
    Ok(match (v, kind) {
        (Val::Empty, Kind::Flag) => Val::Bool(false),
        (v, _) => v,
    })
}

fn interpret_raw(kind: Kind, raw: Option<&Raw>) -> Result<Val, String> {
    let Some(raw) = raw else { return Ok(Val::Empty) };
    if raw.is_blank() {
        return Ok(Val::Empty);
    }
    match raw {
        Raw::Error(e) => Err(format!("セルがエラー値（{e}）です。値を入れ直してください")),
        Raw::Formula(f) => Err(formula_without_value(f)),
        Raw::Str(s) => {
            if s.chars().count() > crate::xlsx::MAX_CELL_CHARS {
                return Err(format!("文字数が上限（{} 字）を超えています", crate::xlsx::MAX_CELL_CHARS));
            }
            text_value(kind, s)
        }
        Raw::Num(f) => match kind {
            Kind::Text | Kind::Words => Ok(Val::Text(raw.plain())),
            Kind::Hash => text_value(kind, &raw.plain()),
            Kind::Date | Kind::Target => {
                serial_to_datetime(*f).ok_or_else(|| format!("「{f}」は日付として読めません")).and_then(date_of)
            }
            Kind::Stamp => serial_to_datetime(*f).map(stamp_of).ok_or_else(|| format!("「{f}」は日付として読めません")),
            Kind::Num32 | Kind::Amount => number(*f, kind),
            _ => text_value(kind, &raw.plain()),
        },
        Raw::Int(i) => match kind {
            Kind::Num32 | Kind::Amount => {
                let ok = *i >= 0 && (kind != Kind::Num32 || *i <= u32::MAX as i64);
                if ok {
                    Ok(Val::Num(*i as u64))
                } else {
                    Err(format!("「{i}」は0以上の整数として読めません"))
                }
            }
            Kind::Date | Kind::Stamp | Kind::Target => interpret_raw(kind, Some(&Raw::Num(*i as f64))),
            _ => text_value(kind, &i.to_string()),
        },
        Raw::Bool(b) => match kind {
            Kind::YesNo | Kind::Flag => Ok(Val::Bool(*b)),
            _ => text_value(kind, &raw.plain()),
        },
        Raw::DateTime(dt) => match kind {
            Kind::Date | Kind::Target => date_of(*dt),
            Kind::Stamp => Ok(stamp_of(*dt)),
            Kind::Text | Kind::Words => Ok(Val::Text(stamp_of(*dt).show())),
            _ => Err(format!("「{}」は日付です。この欄には日付を書きません", stamp_of(*dt).show())),
        },
    }
}

fn text_value(kind: Kind, s: &str) -> Result<Val, String> {
    match kind {
        Kind::Text => Ok(Val::text(s)),
        Kind::Code => Ok(Val::text(&crate::values::stored_code(s.trim()))),
        Kind::Date => {
            let norm = wareki::normalize(s);
            match norm.parse::<Date>() {
                Ok(d) => Ok(Val::Date(d)),
                Err(e) => match norm.parse::<Stamp>() {
                    Ok(st) if st.time.is_none_or(|t| t == NaiveTime::MIN) => Ok(Val::Date(Date(st.date))),
                    Ok(_) => Err(format!("「{}」: この欄には日付だけを書きます（時刻は書けません）", s.trim())),
                    Err(_) => Err(e.0),
                },
            }
        }
        Kind::Stamp => s.parse::<Stamp>().map(Val::Stamp).map_err(|e| e.0),
        Kind::Target => match s.parse::<crate::values::Target>() {
            Ok(crate::values::Target::On(d)) => Ok(Val::Date(d)),
            Ok(t) => Ok(Val::Text(t.label(false))),
            // Dates with a time of day of 0:00, as the date column reads them.
            Err(e) => text_value(Kind::Date, s).map_err(|_| e.0),
        },
        Kind::Num32 => match parse_count(s) {
            Some(n) if n <= u32::MAX as u64 => Ok(Val::Num(n)),
            _ => Err(format!("「{}」は0以上の整数として読めません", s.trim())),
        },
        Kind::Amount => {
            let a: Amount = s.parse()?;
            Ok(match a.value {
                Some(n) if a.is_exact() => Val::Num(n),
                _ => Val::Text(a.text()),
            })
        }
        Kind::YesNo | Kind::Flag => parse_yes_no(s).map(Val::Bool).ok_or_else(|| not_a_choice(s, &["はい", "いいえ"])),
        Kind::Choice(f) => {
            let labels = f();
            parse_choice(s, &labels).map(|l| Val::Text(l.to_string())).ok_or_else(|| not_a_choice(s, &labels))
        }
        Kind::Methods => {
            let labels = Method::labels();
            let mut out = Vec::new();
            for part in split_list(s, true) {
                match parse_choice(&part, &labels) {
                    Some(l) => out.push(l.to_string()),
                    None => return Err(not_a_choice(&part, &labels)),
                }
            }
            Ok(if out.is_empty() { Val::Empty } else { Val::List(out) })
        }
        Kind::ItemRefs => {
            // References as written (`mhlw-r7:2-06`, or the number shown, `2-⑥`); the reader
            // resolves them against the checklists.
            let mut out = Vec::new();
            for part in split_list(s, false) {
                // Several `id:item` references may be separated by spaces too.
                let tokens: Vec<&str> = part.split_whitespace().collect();
                if tokens.len() > 1 && tokens.iter().all(|t| t.parse::<ItemRef>().is_ok()) {
                    out.extend(tokens.iter().map(|t| t.to_string()));
                } else {
                    out.push(wareki::normalize(&part));
                }
            }
            Ok(if out.is_empty() { Val::Empty } else { Val::List(out) })
        }
        Kind::Hash => {
            let h = s.trim().to_ascii_lowercase();
            if crate::values::is_sha256(&h) {
                Ok(Val::Text(h))
            } else {
                Err(format!("「{}」は SHA-256 として読めません（16進64桁で書きます）", crate::text::short(s, 20)))
            }
        }
        Kind::Words => {
            let out: Vec<String> = split_list(s, false);
            Ok(if out.is_empty() { Val::Empty } else { Val::List(out) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Party;
    use chrono::NaiveDate;

    #[test]
    fn typed_dates_outside_excel_years_are_errors() {
        let e = text_value(Kind::Date, "明治元年1月25日").unwrap_err();
        assert!(e.contains("1900年から9999年"), "{e}");
        assert_eq!(text_value(Kind::Date, "令和７年６月１日").unwrap(), Val::Date(Date::ymd(2025, 6, 1).unwrap()));
    }

    #[test]
    fn typed_choices() {
        for s in ["はい", "Yes", "ｙｅｓ", "Y", "○", "〇", "有", " はい　"] {
            assert_eq!(parse_yes_no(s), Some(true), "{s}");
        }
        for s in ["いいえ", "No", "N", "×", "✕", "無"] {
            assert_eq!(parse_yes_no(s), Some(false), "{s}");
        }
        assert_eq!(parse_yes_no("たぶん"), None);
        let e = interpret(Kind::YesNo, Some(&Raw::Str("たぶん".into()))).unwrap_err();
        assert!(e.contains("「たぶん」は選択肢にありません"), "{e}");
        let labels = Party::labels();
        assert_eq!(parse_choice("個人情報保護委員会(速報)", &labels), Some("個人情報保護委員会（速報）"));
        assert_eq!(parse_choice("nisc", &labels), Some("NISC"));
        assert_eq!(parse_choice("警察署", &labels), None);
    }

    #[test]
    fn targets_are_dates_fiscal_years_or_the_next_renewal() {
        let want = Val::Date(Date::ymd(2026, 3, 31).unwrap());
        for s in ["令和8年3月31日", "R8.3.31", "2026/3/31", "2026-03-31T00:00:00"] {
            assert_eq!(interpret(Kind::Target, Some(&Raw::Str(s.into()))).unwrap(), want, "{s}");
        }
        assert_eq!(interpret(Kind::Target, Some(&Raw::Num(46112.0))).unwrap(), want);
        let dt = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(interpret(Kind::Target, Some(&Raw::DateTime(dt))).unwrap(), want);
        assert_eq!(
            interpret(Kind::Target, Some(&Raw::Str("令和８年度".into()))).unwrap(),
            Val::Text("令和8年度".into())
        );
        assert_eq!(
            interpret(Kind::Target, Some(&Raw::Str("次期システム更改時".into()))).unwrap(),
            Val::Text("次期システム更改時".into())
        );
        let e = interpret(Kind::Target, Some(&Raw::Str("来週".into()))).unwrap_err();
        assert!(e.contains("次期システム更改時"), "{e}");
    }

    #[test]
    fn dates_in_any_form() {
        let want = Val::Date(Date::ymd(2025, 6, 1).unwrap());
        for s in ["令和7年6月1日", "R7.6.1", "2025/6/1", "２０２５／６／１", "2025-06-01T00:00:00"] {
            assert_eq!(interpret(Kind::Date, Some(&Raw::Str(s.into()))).unwrap(), want, "{s}");
        }
        assert_eq!(interpret(Kind::Date, Some(&Raw::Num(45809.0))).unwrap(), want);
        assert_eq!(interpret(Kind::Date, Some(&Raw::Int(45809))).unwrap(), want);
        let dt = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(interpret(Kind::Date, Some(&Raw::DateTime(dt))).unwrap(), want);
        assert!(interpret(Kind::Date, Some(&Raw::Str("来週".into()))).is_err());
        let st = interpret(Kind::Stamp, Some(&Raw::Num(45809.5))).unwrap();
        assert_eq!(st, Val::Stamp("2025-06-01 12:00".parse().unwrap()));
        assert!(interpret(Kind::Date, Some(&Raw::Num(1e300))).is_err());
        assert!(interpret(Kind::Date, Some(&Raw::Num(f64::NAN))).is_err());
    }

    #[test]
    fn numbers_and_lists() {
        assert_eq!(interpret(Kind::Amount, Some(&Raw::Str("８５，０００".into()))).unwrap(), Val::Num(85_000));
        assert_eq!(interpret(Kind::Amount, Some(&Raw::Str("85,000件".into()))).unwrap(), Val::Num(85_000));
        assert_eq!(
            interpret(Kind::Amount, Some(&Raw::Str("最大約4万人".into()))).unwrap(),
            Val::Text("最大約40,000".into())
        );
        assert_eq!(interpret(Kind::Amount, Some(&Raw::Str("不明".into()))).unwrap(), Val::Text("不明".into()));
        assert!(interpret(Kind::Amount, Some(&Raw::Str("たくさん".into()))).is_err());
        assert!(interpret(Kind::Amount, Some(&Raw::Num(-1.0))).is_err());
        assert!(interpret(Kind::Amount, Some(&Raw::Num(1.5))).is_err());
        assert_eq!(
            interpret(Kind::Text, Some(&Raw::Str("テスト病院 　".into()))).unwrap(),
            Val::Text("テスト病院".into())
        );
        assert!(interpret(Kind::Num32, Some(&Raw::Num(5e9))).is_err());
        assert_eq!(interpret(Kind::Flag, None).unwrap(), Val::Bool(false));
        assert_eq!(
            interpret(Kind::Methods, Some(&Raw::Str("書類確認／聞き取り 実地確認".into()))).unwrap(),
            Val::List(vec!["書類確認".into(), "聞き取り".into(), "実地確認".into()])
        );
        assert!(interpret(Kind::Methods, Some(&Raw::Str("書類確認、目視".into()))).is_err());
        assert_eq!(
            interpret(Kind::ItemRefs, Some(&Raw::Str("mhlw-r7:2-06、mhlw-r7:2-13".into()))).unwrap(),
            Val::List(vec!["mhlw-r7:2-06".into(), "mhlw-r7:2-13".into()])
        );
        assert_eq!(
            interpret(Kind::ItemRefs, Some(&Raw::Str("2-⑥、mhlw-r7:2-13 mhlw-r7:2-01".into()))).unwrap(),
            Val::List(vec!["2-⑥".into(), "mhlw-r7:2-13".into(), "mhlw-r7:2-01".into()])
        );
        assert!(interpret(Kind::Text, Some(&Raw::Str("あ".repeat(40_000)))).is_err());
        assert_eq!(interpret(Kind::Text, Some(&Raw::Str("=1+1".into()))).unwrap(), Val::Text("=1+1".into()));
    }

    #[test]
    fn a_formula_without_a_value_is_an_error_for_every_kind() {
        let kinds = [
            Kind::Text,
            Kind::Date,
            Kind::Stamp,
            Kind::Num32,
            Kind::Amount,
            Kind::YesNo,
            Kind::Flag,
            Kind::Choice(Party::labels),
            Kind::Methods,
            Kind::ItemRefs,
            Kind::Words,
            Kind::Hash,
            Kind::Code,
        ];
        for kind in kinds {
            let e = interpret(kind, Some(&Raw::Formula("100+212".into()))).unwrap_err();
            assert!(e.starts_with("数式「=100+212」の計算結果が保存されていません"), "{kind:?}: {e}");
            assert!(e.contains("保存し直す") && e.contains("値を直接入力"), "{e}");
            let e = interpret(kind, Some(&Raw::Formula(String::new()))).unwrap_err();
            assert!(e.starts_with("数式の計算結果が保存されていません"), "{kind:?}: {e}");
        }
        // On one line and cut short, however long the formula.
        let e = formula_without_value(&format!("A1&\n{}", "B".repeat(500)));
        assert!(e.contains("「=A1&／BBB") && e.contains("…」") && !e.contains('\n'), "{e}");
        assert!(e.chars().count() < 200, "{e}");
    }
}
