//! Japanese words for the messages of the operating system, TOML and serde.

use std::io;

/// An I/O error in Japanese words.
pub fn io_ja(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "ファイルまたはフォルダがありません".into(),
        io::ErrorKind::PermissionDenied => "アクセスが許可されていません".into(),
        io::ErrorKind::AlreadyExists => "既に存在します".into(),
        io::ErrorKind::InvalidData => format!("内容が正しくありません: {e}"),
        io::ErrorKind::IsADirectory => "フォルダです（ファイルを指定してください）".into(),
        _ => format!("{e}"),
    }
}

/// Translates the serde and TOML messages users meet most often.
pub fn serde_message_ja(msg: &str) -> String {
    let msg = msg.trim();
    let ticks: Vec<&str> = msg.split('`').collect();
    let first = ticks.get(1).copied().unwrap_or("");
    if msg.starts_with("missing field") {
        return format!("必須の項目「{first}」がありません");
    }
    if msg.starts_with("unknown field") {
        let expected: Vec<&str> = ticks.iter().skip(3).step_by(2).copied().collect();
        return format!(
            "「{first}」という項目はありません（書ける項目: {}）。綴りを確認してください",
            expected.join("、")
        );
    }
    if msg.starts_with("unknown variant") {
        let expected: Vec<&str> = ticks.iter().skip(3).step_by(2).copied().collect();
        return format!("「{first}」は選べる値ではありません（選べる値: {}）", expected.join("、"));
    }
    if msg.starts_with("duplicate key") || msg.starts_with("duplicate field") {
        return if first.is_empty() {
            "同じ項目（キー）が二度書かれています".to_string()
        } else {
            format!("項目「{first}」が二度書かれています")
        };
    }
    const SYNTAX: [(&str, &str); 10] = [
        ("invalid basic string", "文字列を閉じる \" がありません"),
        ("invalid literal string", "文字列を閉じる ' がありません"),
        ("key with no value", "キーの後に「= 値」がありません"),
        ("invalid date", "日付が正しくありません（存在しない日付か、YYYY-MM-DD の形ではありません）"),
        ("invalid time", "時刻が正しくありません（HH:MM:SS の形で書きます）"),
        ("unclosed array", "配列を閉じる ] がありません"),
        ("unclosed table", "表の見出しを閉じる ] がありません"),
        ("unclosed inline table", "{ } の表を閉じる } がありません"),
        ("invalid boolean", "真偽値は true か false で書きます"),
        ("invalid integer", "数値が正しくありません"),
    ];
    for (en, ja) in SYNTAX {
        if msg.starts_with(en) {
            return format!("TOML の書き方が正しくありません: {ja}");
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("値の型が違います（{}が書かれていますが、{}が必要です）", type_ja(found), type_ja(expected));
    }
    if msg.starts_with("invalid value") || msg.starts_with("invalid length") {
        return format!("値が正しくありません（{msg}）");
    }
    if msg.is_ascii() {
        return format!("TOML の書き方が正しくありません（{msg}）");
    }
    msg.to_string()
}

fn type_ja(s: &str) -> String {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("string") {
        format!("文字列{rest}")
    } else if s.starts_with("integer") || s.starts_with("u32") || s.starts_with("u64") || s.starts_with("i32") {
        "整数".into()
    } else if s.starts_with("boolean") || s == "a boolean" {
        "true/false".into()
    } else if s.contains("sequence") || s.starts_with("a sequence") {
        "配列 [ ]".into()
    } else if s.contains("map") || s.starts_with("struct") {
        "表（テーブル）".into()
    } else if s.starts_with("a string") {
        "文字列".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_serde_messages() {
        assert_eq!(serde_message_ja("missing field `name`"), "必須の項目「name」がありません");
        let m = serde_message_ja("unknown field `nmae`, expected `name` or `kind`");
        assert!(m.contains("「nmae」という項目はありません") && m.contains("name、kind"), "{m}");
        let m = serde_message_ja("unknown variant `たぶん`, expected `はい` or `いいえ`");
        assert!(m.contains("「たぶん」は選べる値ではありません"), "{m}");
    }
}
