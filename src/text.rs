//! Small text helpers shared by the renderers: escaping user text for Markdown, and display
//! widths of Japanese text.

use unicode_width::UnicodeWidthStr;

/// Escapes text for use inside a Markdown paragraph or heading, where it may begin a line: only
/// what CommonMark would otherwise read as markup is escaped (see [`md_escape`]), and line breaks
/// become spaces (a heading or list item cannot be broken). `1-2-3`, `8.2`, `mhlw-r7:2-03` and
/// `写真 1.jpg` stay as they are.
pub fn md_inline(s: &str) -> String {
    md_escape(s, true)
}

/// Escapes text for Markdown with the fewest backslashes that keep it text. Everywhere: code
/// spans (`` ` ``), emphasis (`*`, and `_` unless inside a word), links and images (`[`, `]`),
/// table cells (`|`), a backslash that would escape what follows, raw HTML and autolinks (`<`
/// as `&lt;`), entities (`&` where `amp;` or `#60;` follows), and a heading's closing `#`s.
/// Where the text may begin a line (`line_start`), also what only means something there:
/// headings (`#`), lists (`-`, `+`, `1.`, `1)`), block quotes (`>`), thematic breaks and setext
/// underlines (`-`, `=`, `_`), code fences (`~`). Line breaks and tabs become spaces.
pub fn md_escape(s: &str, line_start: bool) -> String {
    let chars: Vec<char> =
        s.chars().filter(|c| *c != '\r').map(|c| if c == '\n' || c == '\t' { ' ' } else { c }).collect();
    let mut out = String::with_capacity(s.len() + 8);
    // Where the first visible character is (leading spaces do not stop a line's markup).
    let first = chars.iter().position(|c| *c != ' ').unwrap_or(chars.len());
    // An ordered-list marker at the start: up to 9 digits followed by `.` or `)`.
    let list_mark = {
        let digits = chars[first..].iter().take_while(|c| c.is_ascii_digit()).count();
        (line_start && (1..=9).contains(&digits) && matches!(chars.get(first + digits), Some('.' | ')')))
            .then_some(first + digits)
    };
    for (i, &c) in chars.iter().enumerate() {
        let at_start = line_start && i == first;
        let prev = i.checked_sub(1).and_then(|j| chars.get(j));
        let next = chars.get(i + 1);
        let escape = match c {
            '`' | '*' | '[' | ']' | '|' => true,
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '_' => {
                at_start || !(prev.is_some_and(|p| p.is_alphanumeric()) && next.is_some_and(|n| n.is_alphanumeric()))
            }
            // A heading's closing sequence: `#`s at the end, after a space or alone.
            '#' => at_start || chars[i..].iter().all(|c| *c == '#' || *c == ' '),
            '-' | '+' | '=' | '~' => at_start,
            '.' | ')' => list_mark == Some(i),
            '>' => at_start,
            _ => false,
        };
        match c {
            '<' => out.push_str("&lt;"),
            '&' if entity_like(&chars[i + 1..]) => out.push_str("&amp;"),
            c if c.is_control() => {}
            c => {
                if escape {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

/// Whether what follows a `&` could make it an entity or character reference (`amp;`, `#60;`).
fn entity_like(rest: &[char]) -> bool {
    let n = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    n > 0 && rest.get(n) == Some(&';')
}

/// Escapes text for a Markdown table cell: like [`md_escape`] where nothing begins a line, line
/// breaks become `／`, and an empty cell shows `－`.
pub fn md_cell(s: &str) -> String {
    let joined = s.trim().lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("／");
    let e = md_escape(&joined, false);
    if e.is_empty() {
        "－".to_string()
    } else {
        e
    }
}

/// Escapes text for a Markdown table cell with only the escapes a cell needs (emphasis, code,
/// links, the cell separator, raw HTML): `.`, `-`, `#`, `+` and parentheses mean nothing in
/// the middle of a line, so numbers like `2-⑥` and `62.5` stay readable in the file.
pub fn md_cell_plain(s: &str) -> String {
    let joined = s.trim().lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("／");
    let mut out = String::with_capacity(joined.len());
    for c in joined.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        "－".to_string()
    } else {
        out
    }
}

/// Escapes multi-line text as Markdown paragraphs: each line is kept (hard breaks), blank lines
/// separate paragraphs, and nothing is interpreted — leading spaces cannot make a code block and
/// a line of `===` cannot turn the line above into a heading.
pub fn md_block(s: &str) -> String {
    let mut paragraphs: Vec<Vec<String>> = vec![Vec::new()];
    for line in s.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
            continue;
        }
        let mut e = md_inline(line);
        if e.starts_with('=') {
            e.insert(0, '\\');
        }
        if let Some(p) = paragraphs.last_mut() {
            p.push(e);
        }
    }
    paragraphs.iter().filter(|p| !p.is_empty()).map(|p| p.join("  \n")).collect::<Vec<_>>().join("\n\n")
}

/// Text safe to print in a terminal: control characters (an escape sequence that would clear
/// the screen or recolour it, a NUL, a bell) shown as `\u{1b}` instead of being sent as they are.
/// Line breaks and tabs are kept.
pub fn visible(s: &str) -> String {
    let hidden = |c: char| c.is_control() && !matches!(c, '\n' | '\t');
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    s.chars().map(|c| if hidden(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Text on one line for a message or summary: lines joined with `／`, runs of spaces folded,
/// control characters made visible, cut to `max` characters with `…`.
pub fn short(s: &str, max: usize) -> String {
    let one = visible(
        &s.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("／"),
    );
    if one.chars().count() > max {
        format!("{}…", one.chars().take(max).collect::<String>())
    } else {
        one
    }
}

/// Writes each single digit full-width (`令和7年6月1日` → `令和７年６月１日`, `第1` → `第１`),
/// the habit of some authorities. A digit next to another digit, an ASCII letter or one of
/// `. , : - / _` (also when escaped for Markdown, `3\.0`) is left alone, so numbers of two or
/// more digits, decimals (`1.5倍`), times, ISO dates, hashes, versions, addresses and list
/// markers keep their form; so is a digit after a Latin word and a space, as in a name
/// (`LockBit 3`, `Windows 7`).
pub fn zenkaku_single_digits(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let joins = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || ".,:-/_".contains(*c));
    // The neighbour of position i in direction d, seeing through a Markdown escape backslash.
    let neighbour = |i: usize, forward: bool| -> Option<&char> {
        if forward {
            match chars.get(i + 1) {
                Some('\\') => chars.get(i + 2),
                c => c,
            }
        } else {
            i.checked_sub(1).and_then(|j| chars.get(j))
        }
    };
    let after_latin_word = |i: usize| i >= 2 && chars[i - 1] == ' ' && chars[i - 2].is_ascii_alphabetic();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.is_ascii_digit() && !joins(neighbour(i, false)) && !joins(neighbour(i, true)) && !after_latin_word(i) {
                char::from_u32(*c as u32 - '0' as u32 + '０' as u32).unwrap_or(*c)
            } else {
                *c
            }
        })
        .collect()
}

/// Columns a string takes in a terminal or a fixed-width layout (full-width characters count 2).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Pads `s` with spaces to `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// `85000` → `85,000`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A path or word as it can be typed in a command line: kept as it is where it has only
/// letters, digits and `/ \\ . _ - : ~ +`, otherwise in double quotes (in single quotes where it
/// holds a double quote, a `$` or a backquote), so that `kensa import "2025/みなと 中央病院" …`
/// can be copied and run in a shell, cmd.exe or PowerShell.
pub fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "/\\._-:~+,=@".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else if s.contains(['"', '$', '`']) {
        format!("'{}'", s.replace('\'', "'\\''"))
    } else {
        format!("\"{s}\"")
    }
}

/// A cell a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`.
pub fn formula_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn plain_cells_keep_numbers_and_disarm_markup() {
        assert_eq!(md_cell_plain("2-⑥ 62.5 (R7) #1"), "2-⑥ 62.5 (R7) #1");
        assert_eq!(md_cell_plain("a|b *c* <script> [x](y)"), "a\\|b \\*c\\* &lt;script&gt; \\[x\\](y)");
        assert_eq!(md_cell_plain("一\n二"), "一／二");
        assert_eq!(md_cell_plain(" "), "－");
    }

    use super::*;

    #[test]
    fn markdown_escaping_neutralizes_markup() {
        assert_eq!(md_inline("<script>alert(1)</script>"), "&lt;script>alert(1)&lt;/script>");
        assert_eq!(md_inline("# 見出し\n* 箇条"), "\\# 見出し \\* 箇条");
        assert_eq!(md_cell("a|b\nc"), "a\\|b／c");
        assert_eq!(md_cell(""), "－");
        assert_eq!(md_inline("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
        assert_eq!(md_block("見出し\n===\n\n    コード"), "見出し  \n\\===\n\nコード");
        for start in ["- a", "+ a", "> a", "1. a", "12) a", "---", "___", "~~~", "```", "=", "#a"] {
            let e = md_inline(start);
            let html = crate::render::html::body(&e);
            assert!(html.starts_with("<p>") && !html.contains("<li") && !html.contains("<h"), "{start} → {e} → {html}");
        }
        assert_eq!(md_inline("見出し #"), "見出し \\#");
        assert_eq!(md_inline("&amp; &#60; A&B"), "&amp;amp; &amp;#60; A&B");
        assert_eq!(md_inline("a\\*b\\ C:\\Users"), "a\\\\\\*b\\ C:\\Users");
        assert_eq!(md_inline("snake_case _強調_ __x__"), "snake_case \\_強調\\_ \\_\\_x\\_\\_");
    }

    #[test]
    fn markdown_escaping_keeps_numbers_and_names_readable() {
        // What report.md showed as `1\-2\-3`, `8\.2`, `mhlw\-r7:2\-03`, `写真 1\.jpg`.
        for plain in
            ["1-2-3", "版 8.2", "mhlw-r7:2-03", "写真 1.jpg", "2-⑥（VPN装置）", "{a} \"b\" !c", "A > B", "v0.1.0-rc"]
        {
            assert_eq!(md_inline(plain), plain);
            assert_eq!(md_cell(plain), plain);
        }
        assert_eq!(md_cell("1. 一行目"), "1. 一行目");
        assert_eq!(md_inline("1. 一行目"), "1\\. 一行目");
        assert_eq!(md_cell("- 負"), "- 負");
    }

    #[test]
    fn single_digits_full_width() {
        assert_eq!(zenkaku_single_digits("令和7年6月1日"), "令和７年６月１日");
        assert_eq!(zenkaku_single_digits("## 第1 施設の概要"), "## 第１ 施設の概要");
        assert_eq!(zenkaku_single_digits("令和7年10月31日 09:05"), "令和７年10月31日 09:05");
        assert_eq!(zenkaku_single_digits("1. 項目 2025-06-01 v0.1.0 e3b0c442"), "1. 項目 2025-06-01 v0.1.0 e3b0c442");
        assert_eq!(zenkaku_single_digits("85,000件 3.5% (1) \\(2\\)"), "85,000件 3.5% (１) \\(２\\)");
        assert_eq!(zenkaku_single_digits("203.0.113.45"), "203.0.113.45");
        assert_eq!(
            zenkaku_single_digits("LockBit 3\\.0、1\\.5倍、LockBit 3、第2"),
            "LockBit 3\\.0、1\\.5倍、LockBit 3、第２"
        );
    }

    #[test]
    fn short_text_for_messages() {
        assert_eq!(short("  一行目 \n\n 二行目  ", 40), "一行目／二行目");
        assert_eq!(short("あいうえお", 3), "あいう…");
        assert_eq!(short("a   b", 10), "a b");
        assert_eq!(short("病院\u{1b}[2J\u{7}", 40), "病院\\u{1b}[2J\\u{7}");
    }

    #[test]
    fn control_characters_made_visible() {
        assert_eq!(visible("a\u{0}b\u{1b}[31m\n\tc"), "a\\u{0}b\\u{1b}[31m\n\tc");
        assert_eq!(visible("普通の文\t\n"), "普通の文\t\n");
        assert_eq!(visible("上書き\r"), "上書き\\u{d}");
        assert_eq!(short("一行目\r\n二行目", 40), "一行目／二行目");
    }

    #[test]
    fn shell_words_are_quoted_where_needed() {
        assert_eq!(shell_word("2025/みなと中央病院"), "2025/みなと中央病院");
        assert_eq!(shell_word("2025/みなと 中央病院/現地用.xlsx"), "\"2025/みなと 中央病院/現地用.xlsx\"");
        assert_eq!(shell_word("a(1)&b"), "\"a(1)&b\"");
        assert_eq!(shell_word("say \"x\" $HOME"), "'say \"x\" $HOME'");
        assert_eq!(shell_word("it's $x"), "'it'\\''s $x'");
        assert_eq!(shell_word(""), "\"\"");
    }

    #[test]
    fn widths_and_numbers() {
        assert_eq!(width("病院"), 4);
        assert_eq!(pad("病院", 6), "病院  ");
        assert_eq!(thousands(85000), "85,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
