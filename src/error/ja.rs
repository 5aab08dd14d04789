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
    // The message may quote the user's text: its control characters are shown, never sent.
    let msg = crate::text::visible(msg.trim());
    let msg = msg.as_str();
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
    const CONTROL: &str =
        "文字列の中に制御文字（目に見えない文字）があります。取り除くか、\\u0007 のようにエスケープで書いてください";
    const BACKSLASH: &str = "\"…\" の中の \\ はエスケープの始まりです。\\ そのものは \\\\ と書くか、'…' で囲んでください（Windows のパスなど）";
    const NUMBER: &str = "数値が正しくありません";
    // The parser's messages, most specific first (matched by their start).
    const SYNTAX: &[(&str, &str)] = &[
        ("invalid basic string, expected non-double-quote visible", CONTROL),
        (
            "invalid literal string, expected non-single-quote visible",
            "文字列の中に制御文字（目に見えない文字）があります。取り除いてください",
        ),
        ("invalid multi-line basic string, expected `\\`, characters", CONTROL),
        ("invalid multi-line literal string", "文字列の中に制御文字（目に見えない文字）があります。取り除いてください"),
        ("invalid comment character", "コメントの中に制御文字（目に見えない文字）があります。取り除いてください"),
        ("missing escaped value", BACKSLASH),
        ("too few unicode value digits", BACKSLASH),
        ("invalid basic string", "文字列を閉じる \" がありません"),
        ("invalid literal string", "文字列を閉じる ' がありません"),
        ("invalid unquoted key", "キーに使えない文字があります（英数字・-・_ 以外を含むキーは \"…\" で囲みます）"),
        ("unquoted keys cannot be empty", "「=」の前にキーがありません"),
        ("string values must be quoted", "文字列は \"…\" で囲みます"),
        ("integer number overflowed", "数値が大きすぎます"),
        ("key with no value", "キーの後に「= 値」がありません"),
        ("missing assignment between key-value pairs", "キーの後に「= 値」がありません"),
        ("missing value", "「=」の後に値がありません"),
        ("extra `=`", "「=」が余分にあります"),
        ("extra assignment", "「=」が余分にあります"),
        ("missing comma between array elements", "配列の要素の間に , がありません"),
        ("missing comma between key-value pairs", "{ } の中の項目の間に , がありません"),
        ("extra comma", "余分な , があります"),
        ("unexpected content", "行の終わりに余分な文字があります（一行に書けるのは「キー = 値」一つです）"),
        ("carriage return must be followed by newline", "改行の CR の後に LF がありません"),
        ("invalid date-time", "日時が正しくありません（2025-06-01T09:00:00 の形で書きます）"),
        ("invalid date", "日付が正しくありません（存在しない日付か、YYYY-MM-DD の形ではありません）"),
        ("invalid time", "時刻が正しくありません（HH:MM:SS の形で書きます）"),
        ("unclosed array table", "[[ ]] の見出しを閉じる ]] がありません"),
        ("unclosed array", "配列を閉じる ] がありません"),
        ("unclosed table", "表の見出しを閉じる ] がありません"),
        ("unclosed inline table", "{ } の表を閉じる } がありません"),
        ("invalid boolean", "真偽値は true か false で書きます"),
        ("invalid integer", NUMBER),
        ("invalid float", NUMBER),
        ("invalid mantissa", NUMBER),
        ("invalid exponent", NUMBER),
        ("invalid fraction", NUMBER),
        ("invalid hexadecimal", NUMBER),
        ("invalid octal", NUMBER),
        ("invalid binary", NUMBER),
        ("unexpected leading zero", "数値の先頭に 0 は書けません"),
        ("cannot recurse further", "配列や表の入れ子が深すぎます"),
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
        let m = serde_message_ja("unknown variant `\u{1b}[2J病院`, expected `病院`");
        assert!(m.starts_with("「\\u{1b}[2J病院」は選べる値ではありません"), "{m}");
    }

    #[test]
    fn control_characters_and_backslashes_are_told_apart_from_unclosed_strings() {
        let m = serde_message_ja("invalid basic string, expected non-double-quote visible characters, `\\`");
        assert!(m.contains("制御文字"), "{m}");
        assert!(serde_message_ja("invalid basic string, expected `\"`").contains("閉じる"));
        assert!(serde_message_ja("missing escaped value, expected `b`, `e`").contains("\\\\ と書く"));
    }
}
