//! report.md from Tera templates: the defaults embedded in the binary, a user's folder
//! overriding them file by file, and the small filters the templates use.
//!
//! Tera 1.x does not escape `.md` templates; the view model hands over case text already
//! escaped for Markdown (see [`super::Text`]), so the templates print values as they are.

use super::Report;
use crate::error::{read_text, Error, Result};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tera::{Context, Tera, Value};

/// The template rendered as report.md.
pub const MAIN: &str = "report.md";
/// Largest template file kensa reads.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The default templates, embedded in the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("report.md", include_str!("../../report-templates/report.md")),
    ("facility.md", include_str!("../../report-templates/facility.md")),
    ("inspection.md", include_str!("../../report-templates/inspection.md")),
    ("incident.md", include_str!("../../report-templates/incident.md")),
    ("damage.md", include_str!("../../report-templates/damage.md")),
    ("response.md", include_str!("../../report-templates/response.md")),
    ("recovery.md", include_str!("../../report-templates/recovery.md")),
    ("measures.md", include_str!("../../report-templates/measures.md")),
    ("checklist.md", include_str!("../../report-templates/checklist.md")),
    ("guidance.md", include_str!("../../report-templates/guidance.md")),
    ("evidence.md", include_str!("../../report-templates/evidence.md")),
    ("closing.md", include_str!("../../report-templates/closing.md")),
];

/// Where a template came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Embedded,
    File(PathBuf),
}

/// The template engine with kensa's templates and filters.
pub struct Engine {
    tera: Tera,
    origins: BTreeMap<String, Origin>,
}

impl Engine {
    /// The embedded templates, with every `*.md` file of `dir` (if given) replacing the
    /// template of the same name or adding a new one.
    pub fn load(dir: Option<&Path>) -> Result<Engine> {
        let mut texts: BTreeMap<String, (String, Origin)> =
            EMBEDDED.iter().map(|(n, t)| (n.to_string(), (t.to_string(), Origin::Embedded))).collect();
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
        register_filters(&mut tera);
        let origins: BTreeMap<String, Origin> = texts.iter().map(|(n, (_, o))| (n.clone(), o.clone())).collect();
        let engine_err =
            |e: tera::Error, origins: &BTreeMap<String, Origin>| template_error(&e, origins, "読み込めません");
        // Parse each template on its own first, so a syntax error names its file.
        for (name, (text, _)) in &texts {
            let mut probe = Tera::default();
            register_filters(&mut probe);
            if let Err(e) = probe.add_raw_template(name, text) {
                // A template that extends or imports another cannot be checked alone; the full
                // load below checks it.
                if !text.contains("extends") && !text.contains("import") {
                    return Err(engine_err(e, &origins));
                }
            }
        }
        tera.add_raw_templates(texts.iter().map(|(n, (t, _))| (n.as_str(), t.as_str())))
            .map_err(|e| engine_err(e, &origins))?;
        Ok(Engine { tera, origins })
    }

    /// Renders report.md.
    pub fn render(&self, report: &Report) -> Result<String> {
        let ctx = Context::from_serialize(report)
            .map_err(|e| Error::Other(format!("報告書の内容を準備できません（{}）", chain(&e))))?;
        let out = self.tera.render(MAIN, &ctx).map_err(|e| template_error(&e, &self.origins, "処理できません"))?;
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
fn template_error(e: &tera::Error, origins: &BTreeMap<String, Origin>, what: &str) -> Error {
    let detail = chain(e);
    let mut files: Vec<String> = origins
        .iter()
        .filter(|(name, _)| detail.contains(&format!("'{name}'")) || detail.contains(&format!("\"{name}\"")))
        .map(|(name, origin)| match origin {
            Origin::Embedded => format!("（内蔵）report-templates/{name}"),
            Origin::File(p) => p.display().to_string(),
        })
        .collect();
    if files.is_empty() {
        files.push(format!("（内蔵）report-templates/{MAIN}"));
    }
    // Name the user's file first: that is where the fault most likely is.
    files.sort_by_key(|f| f.starts_with("（内蔵）"));
    Error::file(Path::new(&files[0]), format!("報告書のテンプレートを{what}（{detail}）"))
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

/// Registers kensa's filters on an engine.
pub fn register_filters(tera: &mut Tera) {
    tera.register_filter("thousands", thousands_filter);
    tera.register_filter("days_after", days_after_filter);
    tera.register_filter("since_detection", since_detection_filter);
    tera.register_filter("kana", kana_filter);
}

/// `85000 | thousands` → `85,000`; null → `－`.
pub fn thousands_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    match value {
        Value::Null => Ok(Value::String("－".into())),
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

/// Writes the default templates into `dir`; existing files are kept unless `force`.
/// Returns the files written.
pub fn export(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let existing: Vec<PathBuf> = EMBEDDED.iter().map(|(n, _)| dir.join(n)).filter(|p| p.exists()).collect();
    if !force && !existing.is_empty() {
        let names: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::file(
            &existing[0],
            format!("既にファイルがあります（{}）。上書きする場合は --force を指定してください", names.join("、")),
        ));
    }
    let mut out = Vec::new();
    for (name, text) in EMBEDDED {
        let path = dir.join(name);
        crate::case::store::write_atomic(&path, text.as_bytes(), None)?;
        out.push(path);
    }
    Ok(out)
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
        assert!(thousands_filter(&json!("x"), &HashMap::new()).is_err());
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

    #[test]
    fn tidy_collapses_blank_lines_and_keeps_hard_breaks() {
        assert_eq!(tidy("\n\na\n\n\n\nb  \nc\n\n"), "a\n\nb  \nc\n");
    }

    #[test]
    fn embedded_templates_parse() {
        let e = Engine::load(None).unwrap();
        assert!(e.origins().contains_key(MAIN));
    }

    #[test]
    fn user_template_overrides_and_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("closing.md"), "{% if %}").unwrap();
        let e = Engine::load(Some(dir.path())).err().unwrap().to_string();
        assert!(e.contains("closing.md") && e.contains(&dir.path().display().to_string()), "{e}");
    }

    #[test]
    fn export_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let written = export(dir.path(), false).unwrap();
        assert_eq!(written.len(), EMBEDDED.len());
        assert!(export(dir.path(), false).is_err());
        assert!(export(dir.path(), true).is_ok());
    }
}
