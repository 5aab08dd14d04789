//! report.html: the Markdown report rendered with pulldown-cmark into one self-contained page
//! with print CSS. Raw HTML in the Markdown is shown as text, links only keep safe targets,
//! and images become their alternative text: the page loads nothing and runs nothing.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The one place that decides how kensa parses Markdown.
pub fn options() -> Options {
    Options::ENABLE_TABLES
}

/// Whether a link target may stay a link: relative paths, fragments, http(s) and mailto.
pub fn safe_url(url: &str) -> bool {
    let lower: String =
        url.trim().chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon after a slash, `?` or `#` is not a scheme separator.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// The Markdown events with raw HTML turned into text, unsafe links unwrapped and images
/// replaced by their text.
pub fn sanitized(markdown: &str) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    // For each open link: whether it was kept.
    let mut links: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Html(s) | Event::InlineHtml(s) => out.push(Event::Text(s)),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let keep = safe_url(&dest_url);
                links.push(keep);
                if keep {
                    out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop().unwrap_or(false) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) if in_image > 0 => out.push(Event::Text(t)),
            other if in_image > 0 => {
                // Inside an image only its text matters.
                if let Event::Code(c) = other {
                    out.push(Event::Text(c));
                }
            }
            Event::FootnoteReference(s) => out.push(Event::Text(CowStr::from(format!("[^{s}]")))),
            other => out.push(other),
        }
    }
    out
}

/// The body HTML of a Markdown text.
pub fn body(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut out, sanitized(markdown).into_iter());
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Print and screen style: A4, Japanese fonts, bordered tables, a page break before each
/// major section (第2 onwards).
pub const CSS: &str = r#"@page { size: A4; margin: 20mm 18mm 20mm 18mm; }
:root { color-scheme: light; }
body {
  font-family: "游明朝", "Yu Mincho", YuMincho, "Hiragino Mincho ProN", "Noto Serif JP", "Noto Serif CJK JP",
    "IPAexMincho", "MS 明朝", serif;
  font-size: 10.5pt; line-height: 1.7; color: #000; background: #fff;
  max-width: 180mm; margin: 0 auto; padding: 12mm 0;
}
h1, h2, h3, h4, h5, th {
  font-family: "游ゴシック", "Yu Gothic", YuGothic, "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Noto Sans CJK JP",
    "IPAexGothic", "Meiryo", sans-serif;
}
h1 { font-size: 14pt; text-align: center; margin: 2em 0 1.5em; }
h2 { font-size: 12.5pt; margin: 1.6em 0 0.6em; border-bottom: 1px solid #000; }
h3 { font-size: 11pt; margin: 1.2em 0 0.4em; }
h4 { font-size: 10.5pt; margin: 1em 0 0.3em 1em; }
h5 { font-size: 10.5pt; margin: 0.8em 0 0.3em 2em; font-weight: normal; text-decoration: underline; }
main > p:first-child, main > p:nth-child(3) { text-align: right; }
p { margin: 0.4em 0 0.4em 1em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 9.5pt; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; text-align: left; }
th { background: #eee; }
td { overflow-wrap: anywhere; }
td[style*="right"], td[style*="center"] { white-space: nowrap; }
hr { border: none; border-top: 1px solid #000; margin: 2em 0 1em; }
ul, ol { margin: 0.3em 0 0.3em 1em; }
@media print {
  body { max-width: none; padding: 0; }
  main > h2 ~ h2 { break-before: page; }
  h2, h3, h4, h5 { break-after: avoid; }
  tr, td, th { break-inside: avoid; }
  thead { display: table-header-group; }
}
"#;

/// A whole page: one file with inline CSS and nothing loaded from elsewhere.
pub fn page(title: &str, markdown: &str) -> String {
    page_with_body(title, &body(markdown), "")
}

/// A whole page around body HTML made by [`body`] (and kensa's own markup, such as charts),
/// with extra CSS after the house style.
pub fn page_with_body(title: &str, body_html: &str, extra_css: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"kensa {}\">\n<title>{}</title>\n<style>\n{}{}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title),
        CSS,
        extra_css,
        body_html
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_becomes_text() {
        let h = body("a <script>alert(1)</script> b\n\n<img src=x onerror=alert(1)>\n");
        assert!(!h.contains("<script") && !h.contains("<img"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(h.contains("&lt;img src=x onerror=alert(1)&gt;"), "{h}");
    }

    #[test]
    fn unsafe_links_are_unwrapped() {
        let h = body(
            "[x](javascript:alert(1)) [y](JavaScript&#58;alert(1)) [z](https://example.invalid/) [w](data:text/html,1)",
        );
        assert!(!h.to_ascii_lowercase().contains("href=\"javascript"), "{h}");
        assert!(!h.contains("href=\"data:"), "{h}");
        assert!(h.contains("<a href=\"https://example.invalid/\">z</a>"), "{h}");
        assert!(h.contains("x") && h.contains("w"), "{h}");
    }

    #[test]
    fn autolinks_and_images_are_safe() {
        let h = body("<javascript:alert(1)> ![alt *t*](javascript:alert(1))");
        assert!(!h.contains("<img") && !h.contains("href=\"javascript"), "{h}");
        assert!(h.contains("alt"), "{h}");
    }

    #[test]
    fn url_schemes() {
        assert!(safe_url("https://a"));
        assert!(safe_url("#x"));
        assert!(safe_url("report.xlsx"));
        assert!(safe_url("a/b:c"));
        assert!(!safe_url("javascript:alert(1)"));
        assert!(!safe_url(" JaVa\tScript:alert(1)"));
        assert!(!safe_url("vbscript:x"));
    }

    #[test]
    fn page_is_self_contained() {
        let p = page("<t>", "# 見出し\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(p.contains("<title>&lt;t&gt;</title>"));
        assert!(p.contains("<table>") && p.contains("@page { size: A4"));
        assert!(!p.contains("<script") && !p.contains("<link") && !p.contains("src="));
    }
}
