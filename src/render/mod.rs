//! The template engine over kensa's template sets (the report for MHLW, and later summaries):
//! the defaults embedded in the binary, a user's folder overriding them file by file, and the
//! filters the templates use ([`filters`]); [`html`] turns the rendered Markdown into a page.
//!
//! Tera 1.x does not escape `.md` templates; view models hand over case text already escaped
//! for Markdown (see [`crate::report::Text`]), so the templates print values as they are.

pub mod filters;
pub mod html;

use crate::error::{Error, Result};
use crate::fs::read_text;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{Context, Tera};

/// Largest template file kensa reads.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// A set of templates shipped in the binary.
pub struct TemplateSet {
    /// The folder of the repository the defaults come from (for messages).
    pub folder: &'static str,
    /// The template rendered; it includes the others.
    pub main: &'static str,
    pub embedded: &'static [(&'static str, &'static str)],
}

/// Where a template came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Embedded,
    File(PathBuf),
}

/// The template engine with one template set and kensa's filters.
pub struct Engine {
    set: &'static TemplateSet,
    tera: Tera,
    origins: BTreeMap<String, Origin>,
}

impl Engine {
    /// The embedded templates, with every `*.md` file of `dir` (if given) replacing the
    /// template of the same name or adding a new one.
    pub fn load(set: &'static TemplateSet, dir: Option<&Path>) -> Result<Engine> {
        let mut texts: BTreeMap<String, (String, Origin)> =
            set.embedded.iter().map(|(n, t)| (n.to_string(), (t.to_string(), Origin::Embedded))).collect();
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(Error::file(dir, "テンプレートのフォルダがありません（--templates）"));
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Error::read(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "md"))
                .collect();
            files.sort();
            for f in files {
                let Some(name) = f.file_name().map(|n| n.to_string_lossy().to_string()) else { continue };
                let text = read_text(&f, MAX_TEMPLATE_BYTES)?;
                texts.insert(name, (text, Origin::File(f)));
            }
        }
        unused_files(set, &texts)?;
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        filters::register(&mut tera);
        let origins: BTreeMap<String, Origin> = texts.iter().map(|(n, (_, o))| (n.clone(), o.clone())).collect();
        let engine_err = |e: tera::Error| template_error(set, &e, &origins, "読み込めません");
        // Parse each template on its own first, so a syntax error names its file.
        for (name, (text, _)) in &texts {
            let mut probe = Tera::default();
            filters::register(&mut probe);
            if let Err(e) = probe.add_raw_template(name, text) {
                // A template that extends or imports another cannot be checked alone; the full
                // load below checks it.
                if !text.contains("extends") && !text.contains("import") {
                    return Err(engine_err(e));
                }
            }
        }
        tera.add_raw_templates(texts.iter().map(|(n, (t, _))| (n.as_str(), t.as_str()))).map_err(engine_err)?;
        Ok(Engine { set, tera, origins })
    }

    /// Renders the main template of the set with a view model.
    pub fn render<T: Serialize>(&self, view: &T) -> Result<String> {
        let ctx = Context::from_serialize(view)
            .map_err(|e| Error::Build { what: "テンプレートに渡す内容", detail: chain(&e) })?;
        let out = self
            .tera
            .render(self.set.main, &ctx)
            .map_err(|e| template_error(self.set, &e, &self.origins, "処理できません"))?;
        Ok(tidy(&out))
    }

    /// Names of the templates and where each came from.
    pub fn origins(&self) -> &BTreeMap<String, Origin> {
        &self.origins
    }
}

/// Refuses a file of the user's folder that no template would ever use: a name that is not one
/// of the set's templates (a misspelling such as `reprot.md`) and that no template includes,
/// imports or extends.
fn unused_files(set: &TemplateSet, texts: &BTreeMap<String, (String, Origin)>) -> Result<()> {
    let used: Vec<String> = texts.values().flat_map(|(text, _)| referenced(text)).collect();
    let valid: Vec<&str> = set.embedded.iter().map(|(n, _)| *n).collect();
    let errors: Vec<Error> = texts
        .iter()
        .filter_map(|(name, (_, origin))| match origin {
            Origin::File(p) if !valid.contains(&name.as_str()) && !used.contains(name) => Some(Error::file(
                p,
                format!(
                    "テンプレート「{name}」はどのテンプレートからも使われません。ファイル名の綴りを確認してください（置き換えられるテンプレート: {}。部品として使うファイルは、ほかのテンプレートから {{% include \"{name}\" %}} で読み込みます）",
                    valid.join("、")
                ),
            )),
            _ => None,
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::many(errors))
    }
}

/// The template names a template's text includes, imports or extends (`{% include "a.md" %}`,
/// `{% include ["a.md", "b.md"] ignore missing %}`, `{% import "m.md" as m %}`).
fn referenced(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        rest = &rest[open + 2..];
        let Some(close) = rest.find("%}") else { break };
        let tag = rest[..close].trim_start_matches('-').trim_start();
        rest = &rest[close + 2..];
        let word = tag.split(|c: char| c.is_whitespace() || c == '[' || c == '"' || c == '\'').next().unwrap_or("");
        if !matches!(word, "include" | "import" | "extends") {
            continue;
        }
        for quote in ['"', '\''] {
            let pieces: Vec<&str> = tag.split(quote).collect();
            out.extend(pieces.iter().skip(1).step_by(2).map(|s| s.to_string()));
        }
    }
    out
}

/// The whole chain of an error's causes in one line (tera keeps the real cause in `source()`).
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    causes(e).join(": ")
}

/// An error naming the template file at fault (by path for a user's file) and saying in
/// Japanese what is wrong; Tera's own words are kept as 詳細 where they help.
fn template_error(set: &TemplateSet, e: &tera::Error, origins: &BTreeMap<String, Origin>, what: &'static str) -> Error {
    let parts = causes(e);
    let (culprit, message) = tera_ja(&parts);
    let named = |name: &str| match origins.get(name) {
        Some(Origin::File(p)) => p.display().to_string(),
        _ => format!("（内蔵）{}/{name}", set.folder),
    };
    let path = match culprit.filter(|c| origins.contains_key(c)) {
        Some(c) => named(&c),
        None => {
            // The templates the messages name; the user's file first: that is where the fault
            // most likely is.
            let detail = parts.join(": ");
            let mut files: Vec<String> = origins
                .keys()
                .filter(|name| detail.contains(&format!("'{name}'")) || detail.contains(&format!("\"{name}\"")))
                .map(|name| named(name))
                .collect();
            files.sort_by_key(|f| f.starts_with("（内蔵）"));
            files.into_iter().next().unwrap_or_else(|| named(set.main))
        }
    };
    Error::Template { path: PathBuf::from(path), what, message }
}

/// An error and its causes, each once, outermost first.
fn causes(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts
}

/// The text between the first `open` and the next `close` after it.
fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let rest = &s[s.find(open)? + open.len()..];
    Some(&rest[..rest.find(close)?])
}

/// Tera's error (its causes, outermost first) in Japanese: the template at fault, when the
/// message names it, and the message.
fn tera_ja(parts: &[String]) -> (Option<String>, String) {
    use crate::error::detail;
    let last = parts.last().map(String::as_str).unwrap_or_default();
    // The template Tera was working on (`Failed to render 'report.md'`).
    let outer = parts.first().and_then(|p| between(p, "'", "'")).map(str::to_string);
    for (i, part) in parts.iter().enumerate() {
        let p = part.as_str();
        if p.starts_with("Variable `") && p.contains("` not found in context") {
            let var = between(p, "`", "`").unwrap_or_default();
            let tpl = between(p, "while rendering '", "'").map(str::to_string).or(outer);
            let place = tpl.as_deref().map(|t| format!("テンプレート「{t}」の")).unwrap_or_default();
            return (
                tpl,
                format!(
                    "{place}変数「{var}」はありません（使える変数は kensa templates export で書き出したテンプレートを参照してください）"
                ),
            );
        }
        if let Some(name) = p.strip_prefix("Filter '").and_then(|r| r.strip_suffix("' not found")) {
            return (
                outer,
                format!(
                    "フィルター「{name}」はありません（kensa のフィルターは {}。ほかに Tera の組み込みのフィルターが使えます）{}",
                    filters::NAMES.join("、"),
                    detail(p)
                ),
            );
        }
        if let Some(name) = p.strip_prefix("Function '").and_then(|r| r.strip_suffix("' not found")) {
            return (outer, format!("関数「{name}」はありません{}", detail(p)));
        }
        if let Some(name) = p.strip_prefix("Test '").and_then(|r| r.strip_suffix("' not found")) {
            return (outer, format!("判定（is の後）「{name}」はありません{}", detail(p)));
        }
        if let Some(name) = p.strip_prefix("Template '").and_then(|r| r.strip_suffix("' not found")) {
            let name = name.trim_start_matches('[').trim_end_matches(']');
            return (
                outer,
                format!(
                    "読み込むテンプレート「{name}」がありません（include に書いた名前を確認してください）{}",
                    detail(p)
                ),
            );
        }
        if p.contains("is inheriting from '") {
            let current = between(p, "Template '", "'").map(str::to_string);
            let parent = between(p, "inheriting from '", "'").unwrap_or_default();
            return (current, format!("継承（extends）するテンプレート「{parent}」がありません{}", detail(p)));
        }
        if p.contains("loads macros from `") {
            let current = between(p, "Template `", "`").map(str::to_string);
            let from = between(p, "loads macros from `", "`").unwrap_or_default();
            return (current, format!("import するテンプレート「{from}」がありません{}", detail(p)));
        }
        if p.starts_with("Circular extend detected") {
            let tpl = between(p, "template '", "'").map(str::to_string);
            return (tpl, format!("継承（extends）が循環しています{}", detail(p)));
        }
        if let Some(name) = p.strip_prefix("Filter call '").and_then(|r| r.strip_suffix("' failed")) {
            let why = parts.get(i + 1).map(String::as_str).unwrap_or_default();
            let why = if why.is_ascii() { detail(why) } else { format!("（{why}）") };
            return (outer, format!("フィルター「{name}」の処理に失敗しました{why}"));
        }
        if p.starts_with("Failed to parse '") {
            let syntax = parts.get(i + 1).map(String::as_str).unwrap_or(last);
            return (outer, parse_error_ja(syntax));
        }
    }
    (outer, format!("テンプレートを処理できません{}", detail(&parts.join(": "))))
}

/// A syntax error of a template (pest's report: ` --> 1:7`, the line, `= expected …`).
fn parse_error_ja(report: &str) -> String {
    use crate::error::detail;
    let at = between(report, "--> ", "\n").map(str::trim).unwrap_or_default();
    let (line, column) = at.split_once(':').unwrap_or(("", ""));
    let place = if line.is_empty() { "テンプレート".to_string() } else { format!("{line} 行 {column} 列") };
    let expected = report.lines().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or(report).trim();
    // The tag at the place, when the fault is a tag (`{% endif %}` without its `{% if %}`).
    let source = report.lines().find_map(|l| l.split_once(" | ").filter(|(n, _)| n.trim() == line).map(|(_, t)| t));
    let column: usize = column.parse().unwrap_or(0);
    let tag = source
        .map(|s| s.chars().skip(column.saturating_sub(1)).collect::<String>())
        .filter(|s| s.starts_with("{%"))
        .and_then(|s| {
            let inner = s.trim_start_matches("{%").trim_start_matches('-').trim_start();
            inner.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().map(str::to_string)
        })
        .filter(|t| !t.is_empty());
    let lead = match tag.as_deref() {
        Some(t) if t.starts_with("end") && t.len() > 3 => {
            format!("{place}の {{% {t} %}} に対応する {{% {} %}} がありません", &t[3..])
        }
        Some(t @ ("else" | "elif")) => format!("{place}の {{% {t} %}} が {{% if %}} の中にありません"),
        Some(t) => {
            format!("{place}のタグ {{% {t} %}} はここには書けません（知らないタグか、対応するタグがありません）")
        }
        None => format!("{place}の書き方が正しくありません（{{{{ … }}}} や {{% … %}} の中身を確認してください）"),
    };
    format!("{lead}{}", detail(expected))
}

/// Collapses runs of blank lines left by template tags and ends the text with one newline.
pub fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for raw in s.lines() {
        let raw = raw.trim_end_matches('\r');
        let line = raw.trim_end_matches([' ', '\t']);
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
            out.push('\n');
        } else {
            blank = 0;
            out.push_str(line);
            // Keep the two trailing spaces of a Markdown hard line break.
            if raw.ends_with("  ") {
                out.push_str("  ");
            }
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Writes the default templates of a set into `dir`; existing files are kept unless `force`.
/// Returns the files written.
pub fn export(set: &TemplateSet, dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let existing: Vec<PathBuf> = set.embedded.iter().map(|(n, _)| dir.join(n)).filter(|p| p.exists()).collect();
    if !force && !existing.is_empty() {
        let names: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::file(
            &existing[0],
            format!("既にファイルがあります（{}）。上書きする場合は --force を指定してください", names.join("、")),
        ));
    }
    let mut out = Vec::new();
    for (name, text) in set.embedded {
        let path = dir.join(name);
        crate::fs::write_atomic(&path, text.as_bytes())?;
        out.push(path);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::TEMPLATES;

    #[test]
    fn tidy_collapses_blank_lines_and_keeps_hard_breaks() {
        assert_eq!(tidy("\n\na\n\n\n\nb  \nc\n\n"), "a\n\nb  \nc\n");
    }

    #[test]
    fn embedded_templates_parse() {
        let e = Engine::load(&TEMPLATES, None).unwrap();
        assert!(e.origins().contains_key(TEMPLATES.main));
    }

    #[test]
    fn user_template_overrides_and_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("closing.md"), "{% if %}").unwrap();
        let e = Engine::load(&TEMPLATES, Some(dir.path())).err().unwrap().to_string();
        assert!(e.contains("closing.md") && e.contains(&dir.path().display().to_string()), "{e}");
    }

    /// Loads the defaults with one user template and renders them with an empty view; the
    /// error's message.
    fn error_of(name: &str, text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        let e = match Engine::load(&TEMPLATES, Some(dir.path())) {
            Err(e) => e,
            Ok(engine) => engine.render(&serde_json::json!({})).unwrap_err(),
        };
        let m = e.to_string();
        assert!(m.contains(&dir.path().join(name).display().to_string()), "names the user's file: {m}");
        m
    }

    #[test]
    fn tera_errors_are_japanese() {
        let m = error_of("report.md", "{{ g.txt }}");
        assert!(
            m.ends_with("報告書のテンプレートを処理できません。テンプレート「report.md」の変数「g.txt」はありません（使える変数は kensa templates export で書き出したテンプレートを参照してください）"),
            "{m}"
        );
        let m = error_of("report.md", "{{ 1 | nosuch }}");
        assert!(
            m.contains(
                "フィルター「nosuch」はありません（kensa のフィルターは thousands、days_after、since_detection、kana。"
            ) && m.ends_with("（詳細: Filter 'nosuch' not found）"),
            "{m}"
        );
        let m = error_of("closing.md", "本文\n{% endif %}");
        assert!(m.contains("読み込めません。2 行 1 列の {% endif %} に対応する {% if %} がありません（詳細: "), "{m}");
        let m = error_of("closing.md", "{% else %}");
        assert!(m.contains("1 行 1 列の {% else %} が {% if %} の中にありません"), "{m}");
        let m = error_of("closing.md", "{% if %}");
        assert!(m.contains("1 行 7 列の書き方が正しくありません"), "{m}");
        let m = error_of("report.md", "{% include \"nosuch.md\" %}");
        assert!(m.contains("読み込むテンプレート「nosuch.md」がありません"), "{m}");
        let m = error_of("report.md", "{% extends \"base.md\" %}");
        assert!(m.contains("継承（extends）するテンプレート「base.md」がありません"), "{m}");
        let m = error_of("report.md", "{{ 1 | round(method=\"y\") }}");
        assert!(m.contains("フィルター「round」の処理に失敗しました（詳細: Filter `round`"), "{m}");
        let m = error_of("report.md", "{{ true | thousands }}");
        assert!(m.contains("フィルター「thousands」の処理に失敗しました（thousands: 数値ではありません"), "{m}");
    }

    #[test]
    fn a_file_no_template_uses_is_named_with_the_valid_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("reprot.md"), "# 報告").unwrap();
        std::fs::write(dir.path().join("closng.md"), "以上").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a template").unwrap();
        let Err(Error::Many(list)) = Engine::load(&TEMPLATES, Some(dir.path())) else { panic!("two errors") };
        let names: Vec<String> = list.0.iter().map(|e| e.to_string()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[0].contains("closng.md") && names[1].contains("reprot.md"), "{names:?}");
        assert!(names[1].contains("テンプレート「reprot.md」はどのテンプレートからも使われません"), "{names:?}");
        assert!(names[1].contains("report.md、facility.md、inspection.md"), "{names:?}");

        // A part that a template includes is used.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("parts.md"), "部品").unwrap();
        std::fs::write(dir.path().join("closing.md"), "{%- include 'parts.md' -%}").unwrap();
        assert!(Engine::load(&TEMPLATES, Some(dir.path())).is_ok());
    }

    #[test]
    fn references_are_the_names_in_include_import_and_extends() {
        let text = "{% include \"a.md\" %}{%- include ['b.md', \"c.md\"] ignore missing -%}\
                    {% import \"m.md\" as m %}{% extends 'base.md' %}{% set x = \"no.md\" %}{{ \"d.md\" }}";
        assert_eq!(referenced(text), ["a.md", "c.md", "b.md", "m.md", "base.md"]);
    }

    #[test]
    fn export_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let written = export(&TEMPLATES, dir.path(), false).unwrap();
        assert_eq!(written.len(), TEMPLATES.embedded.len());
        assert!(export(&TEMPLATES, dir.path(), false).is_err());
        assert!(export(&TEMPLATES, dir.path(), true).is_ok());
    }
}
