//! The template engine over kensa's template sets (the report for MHLW, and later summaries):
//! the defaults embedded in the binary, a user's folder overriding them file by file, and the
//! filters the templates use ([`filters`]); [`html`] turns the rendered Markdown into a page.
//!
//! Tera 1.x does not escape `.md` templates; view models hand over case text already escaped
//! for Markdown (see [`crate::report::Text`]), so the templates print values as they are.

pub mod filters;
pub mod html;

use crate::error::{read_text, Error, Result};
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

/// The whole chain of an error's causes in one line (tera keeps the real cause in `source()`).
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// An error naming the template files involved (by path for a user's file).
fn template_error(set: &TemplateSet, e: &tera::Error, origins: &BTreeMap<String, Origin>, what: &'static str) -> Error {
    let detail = chain(e);
    let mut files: Vec<String> = origins
        .iter()
        .filter(|(name, _)| detail.contains(&format!("'{name}'")) || detail.contains(&format!("\"{name}\"")))
        .map(|(name, origin)| match origin {
            Origin::Embedded => format!("（内蔵）{}/{name}", set.folder),
            Origin::File(p) => p.display().to_string(),
        })
        .collect();
    if files.is_empty() {
        files.push(format!("（内蔵）{}/{}", set.folder, set.main));
    }
    // Name the user's file first: that is where the fault most likely is.
    files.sort_by_key(|f| f.starts_with("（内蔵）"));
    Error::Template { path: PathBuf::from(&files[0]), what, detail }
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

    #[test]
    fn export_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let written = export(&TEMPLATES, dir.path(), false).unwrap();
        assert_eq!(written.len(), TEMPLATES.embedded.len());
        assert!(export(&TEMPLATES, dir.path(), false).is_err());
        assert!(export(&TEMPLATES, dir.path(), true).is_ok());
    }
}
