//! Japanese words for the messages of the operating system, TOML and serde. What is not
//! recognised keeps its original text, marked as such: 「（詳細: …）」.

use std::io;

/// An original (English) text kept beside a Japanese message: 「（詳細: …）」.
pub fn detail(text: &str) -> String {
    format!("（詳細: {}）", text.trim())
}

/// An I/O error in Japanese words; the operating system's own text is kept as 詳細 only when
/// the kind of error is not one kensa knows.
pub fn io_ja(e: &io::Error) -> String {
    use io::ErrorKind::*;
    let known = match e.kind() {
        NotFound => "ファイルまたはフォルダがありません",
        PermissionDenied => "アクセスが許可されていません",
        AlreadyExists => "同じ名前のファイルまたはフォルダが既にあります",
        IsADirectory => "ファイルではなくフォルダです",
        NotADirectory => "パスの途中にフォルダではなくファイルがあります",
        DirectoryNotEmpty => "フォルダが空ではありません",
        ReadOnlyFilesystem => "読み取り専用の場所です",
        StorageFull => "ディスクの空き容量が足りません",
        QuotaExceeded => "ディスクの使用量の上限を超えています",
        FileTooLarge => "ファイルが大きすぎます",
        InvalidFilename => "ファイル名に使えない文字があるか、名前が長すぎます",
        Interrupted => "処理が中断されました",
        TimedOut => "時間内に応答がありませんでした",
        WouldBlock | ResourceBusy => "他のプログラムが使用中です",
        ExecutableFileBusy => "ファイルが実行中のため変更できません",
        CrossesDevices => "別のドライブへは移動できません",
        TooManyLinks => "リンクが多すぎます",
        StaleNetworkFileHandle => "ネットワーク上のファイルに接続できなくなりました",
        NetworkUnreachable | HostUnreachable | ConnectionRefused | ConnectionReset | ConnectionAborted
        | NotConnected | NetworkDown | BrokenPipe => "ネットワークに接続できないか、接続が切れました",
        UnexpectedEof => "ファイルが途中で終わっています",
        OutOfMemory => "メモリが足りません",
        Unsupported => "この環境では使えない操作です",
        Deadlock => "ファイルのロックを取得できません",
        InvalidData => return format!("内容が正しくありません{}", detail(&e.to_string())),
        _ => return format!("システムのエラーです{}", detail(&e.to_string())),
    };
    known.to_string()
}

/// Translates a serde, TOML or TOML date message into a Japanese sentence. Messages kensa wrote
/// itself (already Japanese) stay as they are; an English message kensa does not know keeps
/// its text as 詳細.
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
        if expected.is_empty() {
            return format!("「{first}」という項目はありません（ここには項目を書けません）");
        }
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
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("値の種類が違います（{}が書かれています。{}）", spaced(&found_ja(found)), write_as(expected));
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return invalid_value(found, expected);
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        let (n, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("値の数が正しくありません（{n} 個書かれています。{}）", write_as(expected));
    }
    if msg == "wanted string or table" {
        return "値の種類が違います（選べる値は \"…\" で囲んだ文字列で書きます）".into();
    }
    if let Some(m) = datetime_ja(msg) {
        return m;
    }
    let (head, expected) = msg.split_once(", expected ").unwrap_or((msg, ""));
    if let Some(ja) = syntax_ja(head, expected) {
        return format!("TOML の書き方が正しくありません（{ja}）");
    }
    if head.starts_with("cannot extend value of type") {
        return "TOML の書き方が正しくありません（既に値のある項目に「.」で項目を足すことはできません）".into();
    }
    if english(msg) {
        return format!("内容が正しくありません{}", detail(msg));
    }
    msg.to_string()
}

/// Whether a message holds an English sentence (three words of ASCII letters in a row).
fn english(msg: &str) -> bool {
    msg.split(|c: char| !c.is_ascii_alphabetic() && c != ' ')
        .any(|run| run.split(' ').filter(|w| w.len() >= 2).count() >= 3)
}

/// The TOML syntax errors (`toml_parser`'s descriptions) in Japanese; `expected` is what the
/// parser expected instead, as it says it.
fn syntax_ja(head: &str, expected: &str) -> Option<String> {
    let ja = match head {
        "extra `=`" | "extra assignment between key-value pairs" => "余分な「=」があります",
        "key with no value" | "missing assignment between key-value pairs" => {
            "キーの後に「= 値」がありません（「キー = 値」の形で書きます）"
        }
        "missing value" | "missing value for key" => "「=」の後に値がありません",
        "string values must be quoted" => "文字列は \"…\" で囲みます（例: name = \"架空病院\"）",
        "unexpected key or value" => {
            "値の後に余分なものがあります（1 行に書けるのは「キー = 値」ひとつです。メモは # の後に書きます）"
        }
        "unquoted keys cannot be empty" => "キー（項目名）がありません",
        "invalid unquoted key" => {
            "キー（項目名）に使えない文字があります（英数字・「-」・「_」以外を使うときは \"…\" で囲みます）"
        }
        "invalid key-value pair" => "「キー = 値」の形ではありません",
        "keys cannot be multi-line basic strings" | "keys cannot be multi-line literal strings" => {
            "キーに複数行の文字列は使えません"
        }
        "unclosed table" => "表の見出しを閉じる「]」がありません",
        "unclosed array table" => "表の配列の見出しを閉じる「]]」がありません",
        "missing table open" => "「]」に対応する「[」がありません",
        "unclosed array" => "配列を閉じる「]」がありません",
        "missing array opening" => "配列を開く「[」がありません",
        "missing comma between array elements" => "配列の値と値の間に「,」がありません",
        "extra comma in array" => "配列に余分な「,」があります",
        "unexpected `=` in array" => "配列の中に「=」は書けません（表の配列は [[…]] の見出しで書きます）",
        "unclosed inline table" => "{ } の表を閉じる「}」がありません",
        "missing inline table opening" => "{ } の表を開く「{」がありません",
        "missing comma between key-value pairs" => "{ } の表の「キー = 値」の間に「,」がありません",
        "extra comma in inline table" => "{ } の表に余分な「,」があります（最後の値の後にも「,」は書けません）",
        "missing key for inline table element" | "invalid inline table element" => {
            "{ } の表の中身が「キー = 値」の形ではありません"
        }
        "invalid basic string" | "invalid multi-line basic string" | "invalid literal string" | "invalid multi-line literal string"
            if expected.contains("visible characters") =>
        {
            "文字列の中に制御文字（目に見えない文字）があります。取り除くか、\\u0007 のようにエスケープで書いてください"
        }
        "invalid basic string" if expected.starts_with("`\"`") => "文字列を閉じる「\"」がありません",
        "invalid literal string" if expected.starts_with("`'`") => "文字列を閉じる「'」がありません",
        "invalid multi-line basic string" if expected.starts_with("`\"`") => {
            "複数行の文字列を閉じる「\"\"\"」がありません"
        }
        "invalid multi-line literal string" if expected.starts_with("`'`") => {
            "複数行の文字列を閉じる「'''」がありません"
        }
        "invalid basic string"
        | "invalid literal string"
        | "invalid multi-line basic string"
        | "invalid multi-line literal string"
        | "invalid string" => "文字列に使えない文字（制御文字）があるか、文字列が閉じていません",
        "missing opening quote" => "文字列を開く引用符がありません",
        "missing escaped value" => {
            "「\\」の後の文字が正しくありません（「\\」そのもの（Windows のパスなど）は「\\\\」と書くか、文字列を '…' で囲みます）"
        }
        "too few unicode value digits" => {
            "「\\u」の後は 16 進数 4 桁（「\\U」の後は 8 桁）で書きます。「\\」そのもの（Windows のパスなど）は「\\\\」と書くか、文字列を '…' で囲みます"
        }
        "invalid boolean" => "真偽値は true か false（小文字）で書きます",
        "invalid integer number" | "invalid hexadecimal number" | "invalid octal number" | "invalid binary number" => {
            "数値が正しくありません"
        }
        "invalid float" | "invalid fraction" | "invalid mantissa" => "小数が正しくありません",
        "invalid exponent" => "数値の指数（e の後）が正しくありません",
        "invalid key" => "キー（項目名）が正しくありません",
        "invalid table" => "表の見出しが正しくありません",
        "invalid value" => "値が正しくありません",
        "integer number overflowed" | "floating-point number overflowed" | "u64 value was too large" => {
            "数値が大きすぎます"
        }
        "`_` may only go between digits" => "「_」は数字と数字の間にだけ書けます",
        "unexpected leading zero" => {
            "数値の先頭に 0 は書けません（日付は 2025-06-01 の形、番号などは \"…\" で囲んだ文字列で書きます）"
        }
        "redundant numeric sign" | "unexpected sign" => "符号（+ や -）が正しくありません",
        "integers with a radix cannot be signed" => "16 進数・8 進数・2 進数に符号は付けられません",
        "radix must be lowercase" => "0x・0o・0b は小文字で書きます",
        "redundant integer number prefix" => "数値の接頭辞が重なっています",
        "invalid comment character" => "メモ（# の後）に使えない文字（制御文字）があります",
        "missing comment start" | "unexpected content between comment and newline" | "unexpected content" => {
            "余分なものがあります"
        }
        "carriage return must be followed by newline" => "改行が正しくありません（CR だけの改行は使えません）",
        "cannot recurse further; max recursion depth met" | "recursion limit" => "入れ子が深すぎます",
        "invalid date-time" => "日付・時刻が正しくありません",
        _ => return None,
    };
    Some(ja.to_string())
}

/// A TOML date or time that cannot be (`invalid date, expected month between 01 and 12`).
fn datetime_ja(msg: &str) -> Option<String> {
    let (head, expected) = msg.split_once(", expected ").unwrap_or((msg, ""));
    let what = match head {
        "invalid date" => "日付",
        "invalid time" => "時刻",
        "invalid datetime" | "invalid date-time" => "日時",
        "invalid offset" => "時差",
        _ => return None,
    };
    let why = match expected {
        "" => String::new(),
        "a four-digit year (YYYY)" => "年は 4 桁で書きます".into(),
        "a two-digit month (MM)" => "月は 2 桁（01 など）で書きます".into(),
        "a two-digit day (DD)" => "日は 2 桁（01 など）で書きます".into(),
        "a two-digit hour (HH)" => "時は 2 桁（09 など）で書きます".into(),
        "a two-digit minute (MM)" => "分は 2 桁で書きます".into(),
        "a two-digit second (SS)" => "秒は 2 桁で書きます".into(),
        "month between 01 and 12" => "月は 01 から 12 です".into(),
        "hour between 00 and 23" | "hours between 00 and 23" => "時は 00 から 23 です".into(),
        "minute between 00 and 59" | "minutes between 00 and 59" => "分は 00 から 59 です".into(),
        "second between 00 and 60" => "秒は 00 から 59 です".into(),
        "`-` (MM-DD)" | "`-` (YYYY-MM) or `:` (HH:MM)" => "年・月・日は「-」で区切ります".into(),
        "`:` (HH:MM)" => "時・分・秒は「:」で区切ります".into(),
        "`T` between date and time" => "日付と時刻の間は空白か T です".into(),
        "`Z`, +OFFSET, -OFFSET" => "時差は +09:00 の形で書きます".into(),
        e => match e.strip_prefix("day between 01 and ") {
            Some(last) => format!("この月の日は 01 から {last} です"),
            None => detail(e).trim_start_matches('（').trim_end_matches('）').to_string(),
        },
    };
    let example = match what {
        "時刻" => "例: 09:30",
        "日時" => "例: 2025-06-01 09:30",
        _ => "例: 2025-06-01、\"令和7年6月1日\"",
    };
    Some(if why.is_empty() {
        format!("{what}が正しくありません（{example}）")
    } else {
        format!("{what}が正しくありません（{why}。{example}）")
    })
}

/// `invalid value: <found>, expected <expected>` in Japanese, with the integer cases users meet
/// (a negative number or one too large for a count).
fn invalid_value(found: &str, expected: &str) -> String {
    let number = found.strip_prefix("integer `").and_then(|r| r.strip_suffix('`'));
    let unsigned = unsigned_max(expected);
    match (number, unsigned) {
        (Some(n), Some(_)) if n.starts_with('-') => {
            format!("値が正しくありません（{n} は使えません。0 以上の整数を書きます）")
        }
        (Some(n), Some(max)) => {
            format!("値が正しくありません（{n} は大きすぎます。{max} 以下の整数を書きます）")
        }
        _ => format!("値が正しくありません（{} は使えません。{}）", found_ja(found), write_as(expected)),
    }
}

/// Text followed by a space when it ends in ASCII (`整数 5 が`, `文字列「x」が`).
fn spaced(s: &str) -> String {
    if s.ends_with(|c: char| c.is_ascii_graphic()) {
        format!("{s} ")
    } else {
        s.to_string()
    }
}

/// The largest value of an unsigned integer type named in an `expected`.
fn unsigned_max(expected: &str) -> Option<u128> {
    Some(match expected.trim() {
        "u8" => u8::MAX.into(),
        "u16" => u16::MAX.into(),
        "u32" => u32::MAX.into(),
        "u64" | "usize" => u64::MAX.into(),
        "u128" => u128::MAX,
        _ => return None,
    })
}

/// What was written, as serde names it (`integer \`5\``, `string "x"`, `sequence`).
fn found_ja(s: &str) -> String {
    let s = s.trim();
    let ticked = |prefix: &str| s.strip_prefix(prefix).map(|r| r.trim_matches('`').to_string());
    if let Some(v) = ticked("integer ") {
        return format!("整数 {v}");
    }
    if let Some(v) = ticked("floating point ") {
        return format!("小数 {v}");
    }
    if let Some(v) = ticked("boolean ") {
        return format!("真偽値 {v}");
    }
    if let Some(v) = ticked("character ") {
        return format!("文字「{v}」");
    }
    if let Some(v) = s.strip_prefix("string ") {
        let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
        return format!("文字列「{v}」");
    }
    match s {
        "sequence" => "配列 [ ]".into(),
        // TOML dates reach serde as maps too.
        "map" => "表（テーブル）または日付".into(),
        "unit value" => "空の値".into(),
        "string" | "a string" => "文字列".into(),
        _ if english(s) || s.is_ascii() => format!("値{}", detail(s)),
        _ => s.to_string(),
    }
}

/// How to write what serde expected (`u32`, `a string`, `struct Facility`), as a sentence.
fn write_as(expected: &str) -> String {
    let e = expected.trim();
    let what = match e {
        "" => return "この項目に合う値を書きます".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "0 以上の整数",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "整数",
        "f32" | "f64" => "数値",
        "a string" | "string" => "文字列（\"…\" で囲みます）",
        "a boolean" | "boolean" | "bool" => "true か false",
        "a character" | "char" => "1 文字の文字列",
        "a sequence" | "sequence" => "配列（[ ] で囲みます）",
        "a map" | "map" => "表（テーブル）",
        _ if e.starts_with("struct ") => "表（テーブル）",
        _ if e.starts_with("a sequence of") || e.starts_with("an array") || e.starts_with("a tuple") => {
            "配列（[ ] で囲みます）"
        }
        _ if e.starts_with("enum ") || e.starts_with("variant identifier") => "選べる値（\"…\" で囲みます）",
        _ if english(e) || e.is_ascii() => return format!("正しい値を書きます{}", detail(e)),
        // kensa's own words (`日付（例: …）`).
        _ => e,
    };
    format!("{what}を書きます")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Case;

    /// The message toml gives for a case file whose `[facility]` holds `line`.
    fn facility(line: &str) -> String {
        let text = format!("case_id = \"T-1\"\n[inspection]\n[facility]\nname = \"架空病院\"\n{line}\n");
        toml::from_str::<Case>(&text).map(|_| ()).expect_err(line).message().to_string()
    }

    /// The message toml gives for a case file with one answer holding `line`.
    fn answer(line: &str) -> String {
        let item = if line.starts_with("item") { "" } else { "item = \"mhlw-r7:0\"\n" };
        let text =
            format!("case_id = \"T-1\"\n[inspection]\n[facility]\nname = \"架空病院\"\n[[answers]]\n{item}{line}\n");
        toml::from_str::<Case>(&text).map(|_| ()).expect_err(line).message().to_string()
    }

    /// Each real message (collected through `toml::from_str::<Case>`), its Japanese, and that
    /// no English sentence is left outside 詳細.
    fn check(english_msg: &str, ja: &str) {
        let got = serde_message_ja(english_msg);
        assert_eq!(got, ja, "{english_msg}");
        let outside = got.split("（詳細:").next().unwrap_or("");
        assert!(!english(outside), "{got}");
    }

    #[test]
    fn fields_and_choices() {
        check(&answer("answr = \"はい\""), "「answr」という項目はありません（書ける項目: item、system、answer、confirmed_on、target_on、verification、done、method、text、note、evidence、responsibility）。綴りを確認してください");
        check(&answer("answer = \"たぶん\""), "「たぶん」は選べる値ではありません（選べる値: はい、いいえ）");
        check(&facility("[[facility.systems]]\nvendor = \"架空\""), "必須の項目「name」がありません");
        assert_eq!(serde_message_ja("duplicate field `name`"), "項目「name」が二度書かれています");
        check(&facility("name = \"b\""), "同じ項目（キー）が二度書かれています");
    }

    #[test]
    fn invalid_values_and_types() {
        check(&facility("beds = -5"), "値が正しくありません（-5 は使えません。0 以上の整数を書きます）");
        check(
            &facility("beds = 99999999999"),
            "値が正しくありません（99999999999 は大きすぎます。4294967295 以下の整数を書きます）",
        );
        check(&facility("beds = 1.5"), "値の種類が違います（小数 1.5 が書かれています。0 以上の整数を書きます）");
        check(&facility("beds = \"十\""), "値の種類が違います（文字列「十」が書かれています。0 以上の整数を書きます）");
        check(&facility("beds = true"), "値の種類が違います（真偽値 true が書かれています。0 以上の整数を書きます）");
        check(&facility("beds = [1]"), "値の種類が違います（配列 [ ] が書かれています。0 以上の整数を書きます）");
        check(
            &facility("beds = 2025-01-01"),
            "値の種類が違います（表（テーブル）または日付が書かれています。0 以上の整数を書きます）",
        );
        check(
            &answer("item = 5"),
            "値の種類が違います（整数 5 が書かれています。文字列（\"…\" で囲みます）を書きます）",
        );
        check(
            &answer("method = \"書類確認\""),
            "値の種類が違います（文字列「書類確認」が書かれています。配列（[ ] で囲みます）を書きます）",
        );
        check(
            &facility("systems = [{name = \"x\"}, 3]"),
            "値の種類が違います（整数 3 が書かれています。表（テーブル）を書きます）",
        );
        check(
            &answer("target_on = true"),
            "値の種類が違います（真偽値 true が書かれています。日付（例: 2025-06-01 または \"令和7年6月1日\"）を書きます）",
        );
        check(&answer("answer = 1"), "値の種類が違います（選べる値は \"…\" で囲んだ文字列で書きます）");
        check(&facility("beds = inf"), "値の種類が違います（小数 inf が書かれています。0 以上の整数を書きます）");
        assert_eq!(
            serde_message_ja("invalid length 3, expected a tuple of size 2"),
            "値の数が正しくありません（3 個書かれています。配列（[ ] で囲みます）を書きます）"
        );
    }

    #[test]
    fn toml_syntax() {
        check(&facility("name = = \"a\""), "TOML の書き方が正しくありません（余分な「=」があります）");
        check(
            &facility("beds \"a\""),
            "TOML の書き方が正しくありません（キーの後に「= 値」がありません（「キー = 値」の形で書きます））",
        );
        check(
            &facility("founder = 架空太郎"),
            "TOML の書き方が正しくありません（文字列は \"…\" で囲みます（例: name = \"架空病院\"））",
        );
        check(
            &facility("code = \"1\" 2"),
            "TOML の書き方が正しくありません（値の後に余分なものがあります（1 行に書けるのは「キー = 値」ひとつです。メモは # の後に書きます））",
        );
        check(&facility("= \"a\""), "TOML の書き方が正しくありません（キー（項目名）がありません）");
        check(
            &facility("[facility.authority\nname = \"a\""),
            "TOML の書き方が正しくありません（表の見出しを閉じる「]」がありません）",
        );
        check(&facility("systems = [1, 2"), "TOML の書き方が正しくありません（配列を閉じる「]」がありません）");
        check(
            &facility("authority = { name = \"a\""),
            "TOML の書き方が正しくありません（{ } の表を閉じる「}」がありません）",
        );
        check(&facility("code = \"abc"), "TOML の書き方が正しくありません（文字列を閉じる「\"」がありません）");
        check(
            &facility("code = \"a\u{1}\""),
            "TOML の書き方が正しくありません（文字列の中に制御文字（目に見えない文字）があります。取り除くか、\\u0007 のようにエスケープで書いてください）",
        );
        check(
            &facility("code = \"\"\"abc"),
            "TOML の書き方が正しくありません（複数行の文字列を閉じる「\"\"\"」がありません）",
        );
        check(
            &facility("address = \"C:\\data\""),
            "TOML の書き方が正しくありません（「\\」の後の文字が正しくありません（「\\」そのもの（Windows のパスなど）は「\\\\」と書くか、文字列を '…' で囲みます））",
        );
        check(&facility("beds = 0x"), "TOML の書き方が正しくありません（数値が大きすぎます）");
        check(&facility("beds = 1__0"), "TOML の書き方が正しくありません（「_」は数字と数字の間にだけ書けます）");
        check(&facility("x = tru"), "TOML の書き方が正しくありません（真偽値は true か false（小文字）で書きます）");
        check(&facility("beds = 1e"), "TOML の書き方が正しくありません（数値の指数（e の後）が正しくありません）");
        check(
            &facility("beds = 01"),
            "TOML の書き方が正しくありません（数値の先頭に 0 は書けません（日付は 2025-06-01 の形、番号などは \"…\" で囲んだ文字列で書きます））",
        );
        check(&facility("]"), "TOML の書き方が正しくありません（「]」に対応する「[」がありません）");
        check(
            &facility("name.x = 1"),
            "TOML の書き方が正しくありません（既に値のある項目に「.」で項目を足すことはできません）",
        );
    }

    #[test]
    fn toml_dates() {
        check(
            &answer("confirmed_on = 2025-13-01"),
            "日付が正しくありません（月は 01 から 12 です。例: 2025-06-01、\"令和7年6月1日\"）",
        );
        check(
            &answer("confirmed_on = 2025-02-30"),
            "日付が正しくありません（この月の日は 01 から 28 です。例: 2025-06-01、\"令和7年6月1日\"）",
        );
        check(
            &answer("confirmed_on = 2025-6-01"),
            "日付が正しくありません（月は 2 桁（01 など）で書きます。例: 2025-06-01、\"令和7年6月1日\"）",
        );
        let text = "case_id = \"T-1\"\n[inspection]\n[facility]\nname = \"a\"\n[incident]\ndetected_at = 2025-06-01T25:00:00\n";
        let msg = toml::from_str::<Case>(text).map(|_| ()).unwrap_err().message().to_string();
        check(&msg, "時刻が正しくありません（時は 00 から 23 です。例: 09:30）");
    }

    #[test]
    fn japanese_messages_stay_and_unknown_english_is_detail() {
        let own = "「2025-13-01」は存在しない日付です（2025年13月に1日はありません）";
        assert_eq!(serde_message_ja(own), own);
        check("something went badly wrong", "内容が正しくありません（詳細: something went badly wrong）");
    }

    #[test]
    fn io_errors_are_japanese() {
        use io::ErrorKind::*;
        for kind in [
            NotFound,
            PermissionDenied,
            AlreadyExists,
            IsADirectory,
            NotADirectory,
            DirectoryNotEmpty,
            ReadOnlyFilesystem,
            StorageFull,
            FileTooLarge,
            InvalidFilename,
            Interrupted,
            TimedOut,
            ResourceBusy,
            CrossesDevices,
            UnexpectedEof,
        ] {
            let m = io_ja(&io::Error::from(kind));
            assert!(!m.is_ascii() && !m.contains("詳細"), "{kind:?}: {m}");
        }
        // What the operating system says for a path through a file.
        let file = tempfile::NamedTempFile::new().unwrap();
        let e = std::fs::create_dir_all(file.path().join("sub")).unwrap_err();
        // Windows says the name exists (ERROR_ALREADY_EXISTS), Unix that a part is no folder.
        let expected = if cfg!(windows) {
            "同じ名前のファイルまたはフォルダが既にあります"
        } else {
            "パスの途中にフォルダではなくファイルがあります"
        };
        assert_eq!(io_ja(&e), expected);
        let e = io::Error::other("disk on fire");
        assert_eq!(io_ja(&e), "システムのエラーです（詳細: disk on fire）");
    }

    #[test]
    fn control_characters_and_backslashes_are_told_apart_from_unclosed_strings() {
        let m = serde_message_ja("invalid basic string, expected non-double-quote visible characters, `\\`");
        assert!(m.contains("制御文字"), "{m}");
        assert!(serde_message_ja("invalid basic string, expected `\"`").contains("閉じる"));
        assert!(serde_message_ja("missing escaped value, expected `b`, `e`").contains("「\\\\」と書く"));
    }
}
