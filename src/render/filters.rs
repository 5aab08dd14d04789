//! The filters kensa's templates use: small pure functions registered beside the engine.

use std::collections::HashMap;
use tera::{Tera, Value};

/// The names of kensa's filters (for messages).
pub const NAMES: [&str; 4] = ["thousands", "days_after", "since_detection", "kana"];

/// Registers kensa's filters on an engine.
pub fn register(tera: &mut Tera) {
    tera.register_filter("thousands", thousands_filter);
    tera.register_filter("days_after", days_after_filter);
    tera.register_filter("since_detection", since_detection_filter);
    tera.register_filter("kana", kana_filter);
}

/// `85000 | thousands` → `85,000`; null → `－`; a count already in words (`約2,200`) as it is.
pub fn thousands_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    match value {
        Value::Null => Ok(Value::String("－".into())),
        Value::String(s) => Ok(Value::String(s.clone())),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Ok(Value::String(crate::text::thousands(u))),
            (None, Some(i)) => Ok(Value::String(format!("-{}", crate::text::thousands(i.unsigned_abs())))),
            _ => Ok(Value::String(n.to_string())),
        },
        other => Err(tera::Error::msg(format!("thousands: 数値ではありません（{other}）"))),
    }
}

/// Days after detection in words: `0` → `当日`, `3` → `3日後`, `-1` → `1日前`, null → `－`.
pub fn days_after_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::Null => "－".to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(0) => "当日".to_string(),
            Some(d) if d > 0 => format!("{}日後", crate::text::thousands(d as u64)),
            Some(d) => format!("{}日前", crate::text::thousands(d.unsigned_abs())),
            None => return Err(tera::Error::msg(format!("days_after: 整数ではありません（{n}）"))),
        },
        other => return Err(tera::Error::msg(format!("days_after: 数値ではありません（{other}）"))),
    };
    Ok(Value::String(text))
}

/// Days after detection in a sentence: `0` → `覚知当日`, `3` → `覚知から3日後`, `-1` → `覚知の1日前`,
/// null → `覚知からの日数は不明`.
pub fn since_detection_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::Null => "覚知からの日数は不明".to_string(),
        _ => match value.as_i64() {
            Some(0) => "覚知当日".to_string(),
            Some(d) if d > 0 => format!("覚知から{}", days_after_filter(value, args)?.as_str().unwrap_or_default()),
            Some(_) => format!("覚知の{}", days_after_filter(value, args)?.as_str().unwrap_or_default()),
            None => return Err(tera::Error::msg(format!("since_detection: 整数ではありません（{value}）"))),
        },
    };
    Ok(Value::String(text))
}

/// The kana of the fourth heading level: `1 | kana` → `ア`, `2` → `イ` … (after ン, the number).
pub fn kana_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    const KANA: [&str; 44] = [
        "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ", "チ", "ツ",
        "テ", "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ", "マ", "ミ", "ム", "メ", "モ", "ヤ",
        "ユ", "ヨ", "ラ", "リ", "ル", "レ", "ロ", "ワ",
    ];
    let n = value.as_u64().ok_or_else(|| tera::Error::msg(format!("kana: 1以上の整数ではありません（{value}）")))?;
    Ok(Value::String(match n {
        1..=44 => KANA[(n - 1) as usize].to_string(),
        _ => n.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(filter: fn(&Value, &HashMap<String, Value>) -> tera::Result<Value>, v: Value) -> String {
        filter(&v, &HashMap::new()).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn thousands_filter_groups_digits() {
        assert_eq!(f(thousands_filter, json!(85000)), "85,000");
        assert_eq!(f(thousands_filter, json!(7)), "7");
        assert_eq!(f(thousands_filter, json!(-1200)), "-1,200");
        assert_eq!(f(thousands_filter, Value::Null), "－");
        assert_eq!(f(thousands_filter, json!("約2,200")), "約2,200");
        assert!(thousands_filter(&json!(true), &HashMap::new()).is_err());
    }

    #[test]
    fn days_after_filter_words() {
        assert_eq!(f(days_after_filter, json!(0)), "当日");
        assert_eq!(f(days_after_filter, json!(43)), "43日後");
        assert_eq!(f(days_after_filter, json!(-2)), "2日前");
        assert_eq!(f(days_after_filter, Value::Null), "－");
        assert!(days_after_filter(&json!(1.5), &HashMap::new()).is_err());
    }

    #[test]
    fn since_detection_filter_words() {
        assert_eq!(f(since_detection_filter, json!(0)), "覚知当日");
        assert_eq!(f(since_detection_filter, json!(64)), "覚知から64日後");
        assert_eq!(f(since_detection_filter, json!(-3)), "覚知の3日前");
        assert_eq!(f(since_detection_filter, Value::Null), "覚知からの日数は不明");
        assert!(since_detection_filter(&json!("x"), &HashMap::new()).is_err());
    }

    #[test]
    fn kana_filter_follows_the_aiueo_order() {
        assert_eq!(f(kana_filter, json!(1)), "ア");
        assert_eq!(f(kana_filter, json!(6)), "カ");
        assert_eq!(f(kana_filter, json!(44)), "ワ");
        assert_eq!(f(kana_filter, json!(45)), "45");
        assert!(kana_filter(&json!(-1), &HashMap::new()).is_err());
    }
}
