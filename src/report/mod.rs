//! The investigation report for MHLW (report.md, report.xlsx, report.html).
//!
//! A view model ([`Report`]) is built once from the case and the checklists: every number,
//! date string, day count and result count the outputs show. Case text enters the view model
//! through [`Text`], which carries the raw text (for Excel) and the text already escaped for
//! Markdown (what templates see), so a template cannot forget to escape. [`write_reports`]
//! renders every output in memory first and only then writes the files, each atomically.

mod build;
mod checklist;
pub mod record;
mod view;
pub mod xlsx;

pub use build::build;
pub use view::*;

use crate::case::store::LoadedCase;
use crate::case::{Date, Stamp};
use crate::checklist::Registry;
use crate::error::{detail, Error, Result};
use crate::fs::write_all_atomic;
use crate::render::{html, Engine, TemplateSet};
use crate::text::{md_block, md_cell, md_inline};
use chrono::NaiveDateTime;
use serde::{Serialize, Serializer};
use std::path::PathBuf;

/// Default addressee: the MHLW desk in charge since 2022 (DOMAIN §5).
pub const DEFAULT_ADDRESSEE: &str = "厚生労働省医政局特定医薬品開発支援・医療情報担当参事官室";
/// The MHLW notice the report answers.
pub const NOTICE: &str = "平成30年10月29日付け医政総発1029第1号・医政地発1029第3号・医政研発1029第1号「医療機関等におけるサイバーセキュリティ対策の強化について」";
/// What the evidence list shows for a record without a SHA-256.
pub const NO_HASH: &str = "記録なし";
pub use crate::assess::deadlines::DAYS_NOTE;

/// The report templates, embedded in the binary (`kensa templates export` writes them out).
pub static TEMPLATES: TemplateSet = TemplateSet {
    folder: "report-templates",
    main: "report.md",
    embedded: &[
        ("report.md", include_str!("../../report-templates/report.md")),
        ("facility.md", include_str!("../../report-templates/facility.md")),
        ("inspection.md", include_str!("../../report-templates/inspection.md")),
        ("incident.md", include_str!("../../report-templates/incident.md")),
        ("damage.md", include_str!("../../report-templates/damage.md")),
        ("response.md", include_str!("../../report-templates/response.md")),
        ("recovery.md", include_str!("../../report-templates/recovery.md")),
        ("investigation.md", include_str!("../../report-templates/investigation.md")),
        ("measures.md", include_str!("../../report-templates/measures.md")),
        ("checklist.md", include_str!("../../report-templates/checklist.md")),
        ("authority.md", include_str!("../../report-templates/authority.md")),
        ("guidance.md", include_str!("../../report-templates/guidance.md")),
        ("evidence.md", include_str!("../../report-templates/evidence.md")),
        ("closing.md", include_str!("../../report-templates/closing.md")),
    ],
};

/// File names of the outputs.
pub const MD_FILE: &str = "report.md";
pub const HTML_FILE: &str = "report.html";
pub const XLSX_FILE: &str = "report.xlsx";

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// 令和7年6月1日
    #[default]
    Wareki,
    /// 2025-06-01
    Iso,
}

/// An output file kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutputFormat {
    Xlsx,
    Md,
    Html,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 3] = [OutputFormat::Xlsx, OutputFormat::Md, OutputFormat::Html];

    pub fn file_name(self) -> &'static str {
        match self {
            OutputFormat::Xlsx => XLSX_FILE,
            OutputFormat::Md => MD_FILE,
            OutputFormat::Html => HTML_FILE,
        }
    }

    /// `xlsx`, `md` (or `markdown`), `html`.
    pub fn parse(s: &str) -> Option<OutputFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" | "excel" => Some(OutputFormat::Xlsx),
            "md" | "markdown" => Some(OutputFormat::Md),
            "html" | "htm" => Some(OutputFormat::Html),
            _ => None,
        }
    }
}

/// Checked options of one report run.
#[derive(Debug, Clone)]
pub struct Options {
    pub out_dir: PathBuf,
    pub formats: Vec<OutputFormat>,
    pub templates: Option<PathBuf>,
    pub date_style: DateStyle,
    pub addressee: String,
    pub generated_at: NaiveDateTime,
    /// Write single digits full-width (令和７年６月１日), a habit of some authorities.
    pub zenkaku_digits: bool,
    /// Replace files in the output folder that are not this case's report as kensa wrote it
    /// (edited since, someone else's, another case's report).
    pub force: bool,
}

/// Case text with its Markdown-escaped form. Templates see only the escaped form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    pub raw: String,
    md: String,
}

impl Text {
    /// Text for a sentence or heading: line breaks become spaces.
    pub fn inline(s: &str) -> Text {
        Text { raw: s.trim().to_string(), md: md_inline(s.trim()) }
    }
    /// Text for a table cell: line breaks become `／`, empty becomes `－`.
    pub fn cell(s: &str) -> Text {
        Text { raw: s.trim().to_string(), md: md_cell(s) }
    }
    /// Multi-line text: lines kept (hard line breaks), blank lines separating paragraphs.
    pub fn block(s: &str) -> Text {
        Text { raw: s.trim().to_string(), md: md_block(s) }
    }
    pub fn md(&self) -> &str {
        &self.md
    }
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.md)
    }
}

/// A date or date-time with its text in the chosen style. Templates see the text (`－` when
/// unknown); the workbook writes the value as a real date cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct When {
    pub value: Option<Stamp>,
    pub text: String,
}

impl When {
    pub fn stamp(s: Option<Stamp>, style: DateStyle) -> When {
        let text = match (s, style) {
            (Some(s), DateStyle::Wareki) => s.wareki(),
            (Some(s), DateStyle::Iso) => s.iso(),
            (None, _) => "－".to_string(),
        };
        When { value: s, text }
    }
    pub fn date(d: Option<Date>, style: DateStyle) -> When {
        When::stamp(d.map(|d| Stamp::day(d.0)), style)
    }
    /// A target: a date as [`When::date`], a 年度 or 「次期システム更改時」 in words (no date value).
    pub fn target(t: Option<crate::values::Target>, style: DateStyle) -> When {
        match t {
            None | Some(crate::values::Target::On(_)) => When::date(t.and_then(|t| t.date()), style),
            Some(t) => When { value: None, text: t.label(false) },
        }
    }
    pub fn date_value(&self) -> Option<Date> {
        self.value.map(|s| Date(s.date))
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

pub(crate) fn yes_no_unknown(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "あり",
        Some(false) => "なし",
        None => "－",
    }
}

pub(crate) fn label_or_dash<T: Copy>(v: Option<T>, f: impl Fn(T) -> &'static str) -> &'static str {
    v.map(f).unwrap_or("－")
}

/// One rendered output, ready to be written.
pub struct Rendered {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Renders every requested output in memory.
pub fn render_all(loaded: &LoadedCase, reg: &Registry, opts: &Options) -> Result<Vec<Rendered>> {
    render(&build(loaded, reg, opts), opts)
}

/// Renders every requested output of a built report in memory.
fn render(report: &Report, opts: &Options) -> Result<Vec<Rendered>> {
    let mut out = Vec::new();
    let needs_md = opts.formats.iter().any(|f| matches!(f, OutputFormat::Md | OutputFormat::Html));
    let md = if needs_md {
        let engine = Engine::load(&TEMPLATES, opts.templates.as_deref())?;
        let md = engine.render(report)?;
        Some(if opts.zenkaku_digits { crate::text::zenkaku_single_digits(&md) } else { md })
    } else {
        None
    };
    let mut formats = opts.formats.clone();
    formats.sort();
    formats.dedup();
    for f in formats {
        let path = opts.out_dir.join(f.file_name());
        let bytes = match f {
            OutputFormat::Md => md.clone().unwrap_or_default().into_bytes(),
            OutputFormat::Html => html::page(&report.title.raw, md.as_deref().unwrap_or_default()).into_bytes(),
            OutputFormat::Xlsx => xlsx::workbook(report, opts.date_style)
                .map_err(|e| Error::file(&path, format!("Excel ファイルを作成できません{}", detail(&e.to_string()))))?,
        };
        out.push(Rendered { path, bytes });
    }
    Ok(out)
}

/// What [`write_reports`] wrote.
#[derive(Debug)]
pub struct Written {
    /// The files of the report, then its record ([`record::RECORD_FILE`]).
    pub files: Vec<PathBuf>,
    /// The case's list of reports ([`record::LOG_FILE`]), or why it could not be written (the
    /// report itself is complete: a case folder may be read-only).
    pub log: Result<PathBuf>,
}

/// Renders everything first, then writes the files all-or-nothing, with the record of the report
/// beside them ([`record::RECORD_FILE`]): a failure while rendering or writing leaves every
/// earlier report as it was. Then adds the report to the case's [`record::LOG_FILE`].
///
/// A file already in the output folder is replaced only where the folder's record says kensa
/// wrote it for this case and it is unchanged since, unless `force`: otherwise nothing is
/// written and the error names each file ([`record::not_ours`]).
pub fn write_reports(loaded: &LoadedCase, reg: &Registry, opts: &Options) -> Result<Written> {
    let report = build(loaded, reg, opts);
    let rendered = render(&report, opts)?;
    let rec = record::record(&report, &rendered);
    let mut files: Vec<(PathBuf, Vec<u8>)> = rendered.into_iter().map(|r| (r.path, r.bytes)).collect();
    files.push((opts.out_dir.join(record::RECORD_FILE), record::to_text(&rec)?.into_bytes()));
    if !opts.force {
        let names: Vec<String> =
            files.iter().filter_map(|(p, _)| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        let foreign = record::not_ours(&opts.out_dir, &loaded.case.case_id, &names);
        if !foreign.is_empty() {
            return Err(not_replaced(&opts.out_dir, foreign));
        }
    }
    write_all_atomic(&files)?;
    let log = record::note_written(loaded, &opts.out_dir, &rec);
    Ok(Written { files: files.into_iter().map(|(p, _)| p).collect(), log })
}

/// The error of a report that would replace files not its own: one line per file, then what to do.
fn not_replaced(dir: &std::path::Path, foreign: Vec<(PathBuf, record::NotOurs)>) -> Error {
    use record::NotOurs;
    let mut errors: Vec<Error> = foreign
        .into_iter()
        .map(|(path, why)| {
            let why = match why {
                NotOurs::NotKensa => "kensa がこの事案の報告書として作成したファイルではありません".to_string(),
                NotOurs::Edited => "kensa が作成した後に編集されています（送付前の手直しなど）".to_string(),
                NotOurs::OtherCase(id) => format!("別の事案「{}」の報告書のファイルです", crate::text::visible(&id)),
                NotOurs::Unreadable(e) => {
                    format!("報告書の記録（{}）が読めないため、誰が作成したか分かりません（{e}）", record::RECORD_FILE)
                }
            };
            Error::file(&path, format!("{why}。上書きしません"))
        })
        .collect();
    errors.push(Error::file(
        dir,
        "既にあるファイルを上書きしないため、報告書を作成しませんでした（何も変更していません）。別のフォルダに作るには --out を、これらのファイルを置き換えてよければ --force を指定してください",
    ));
    Error::many(errors)
}

/// The folder names under one `--out` for several cases: each case folder's name, made
/// unique where two share it (`2024_みなと` and `2025_みなと` for `2024/みなと` and
/// `2025/みなと`; a number added where even that is not enough), so that no report of one case
/// replaces another's in the same run.
pub fn folder_names(case_dirs: &[PathBuf]) -> Vec<String> {
    let name =
        |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "case".into());
    let parent = |p: &std::path::Path| p.parent().and_then(|q| q.file_name()).map(|n| n.to_string_lossy().to_string());
    let mut out: Vec<String> = case_dirs.iter().map(|d| name(d)).collect();
    let clashes = |out: &[String], i: usize| out.iter().enumerate().any(|(j, n)| j != i && *n == out[i]);
    let first: Vec<bool> = (0..out.len()).map(|i| clashes(&out, i)).collect();
    for (i, d) in case_dirs.iter().enumerate() {
        if first[i] {
            if let Some(p) = parent(d) {
                out[i] = format!("{p}_{}", name(d));
            }
        }
    }
    for i in 0..out.len() {
        let mut n = 2;
        let base = out[i].clone();
        while out[..i].contains(&out[i]) {
            out[i] = format!("{base}-{n}");
            n += 1;
        }
    }
    out
}

/// The default output folder: `<case folder>/report`.
pub fn default_out_dir(loaded: &LoadedCase) -> PathBuf {
    loaded.dir().join("report")
}

/// Parses `--generated-at`: `2025-07-01T10:00:00`, `2025-07-01 10:00`, or a date alone.
pub fn parse_generated_at(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Count, UNANSWERED};

    fn opts() -> Options {
        Options {
            out_dir: PathBuf::from("out"),
            formats: OutputFormat::ALL.to_vec(),
            templates: None,
            date_style: DateStyle::Wareki,
            addressee: DEFAULT_ADDRESSEE.into(),
            generated_at: parse_generated_at("2025-07-01T10:00:00").unwrap(),
            zenkaku_digits: false,
            force: false,
        }
    }

    fn loaded(text: &str) -> LoadedCase {
        let path = PathBuf::from("x/case.toml");
        let case = crate::case::store::parse(&path, text).unwrap();
        LoadedCase { path, text: text.into(), case }
    }

    const INCIDENT: &str = include_str!("../../tests/fixtures/cases/incident-basic/case.toml");

    #[test]
    fn view_model_numbers() {
        let reg = Registry::load(None).unwrap();
        let r = build(&loaded(INCIDENT), &reg, &opts());
        let resp = r.response.as_ref().unwrap();
        assert_eq!(resp.notifications[0].party, "厚生労働省");
        assert_eq!(resp.notifications[0].days, Some(0));
        assert_eq!(resp.notifications[1].days, Some(2));
        let d: Vec<(&str, Option<i64>, bool)> = resp.deadlines.iter().map(|d| (d.party, d.days, d.late)).collect();
        assert_eq!(
            d,
            vec![
                ("厚生労働省", Some(0), false),
                ("個人情報保護委員会（速報）", Some(2), false),
                ("個人情報保護委員会（確報）", Some(49), false)
            ]
        );
        let rec = r.recovery.as_ref().unwrap();
        assert_eq!(rec.full_recovery_days, Some(44));
        assert_eq!(rec.systems[0].days, Some(19));
        let inc = r.incident.as_ref().unwrap();
        assert_eq!(inc.timeline[0].text.md(), "一");
        assert_eq!(inc.timeline[0].days, Some(0));
        assert_eq!(inc.timeline[1].days, Some(1));
        // Sections of an incident: 第7 is 再発防止策, then the checklist and the guidance.
        assert_eq!(r.no.get("measures").map(String::as_str), Some("第7"));
        assert_eq!(r.no.get("checklist").map(String::as_str), Some("第8"));
        assert_eq!(r.no.get("guidance").map(String::as_str), Some("第9"));
        assert!(!r.no.contains_key("evidence"));
        let s = &r.checklist.summaries[0];
        let get = |v: &[Count], l: &str| v.iter().find(|c| c.label == l).unwrap().count;
        assert_eq!(get(&s.verification, "不適合"), 1);
        assert_eq!(get(&s.verification, "適合"), 0);
        assert_eq!(get(&s.verification, "未確認"), s.verified_items - 1);
        assert_eq!(get(&s.answers, "いいえ"), 1);
        assert_eq!(get(&s.answers, UNANSWERED), s.yesno_items - 1);
        assert_eq!(r.checklist.failed_count, 1);
        let f = &r.checklist.failed[0].items[0];
        assert_eq!(f.label.raw, "医療機関確認用 2-⑥");
        assert_eq!(f.guideline.raw, "▶システム運用編 8.2");
        assert_eq!(f.causes, vec![1]);
        assert_eq!(f.guidance, vec![1]);
        assert_eq!(f.target.text, "令和7年9月30日");
        assert_eq!(r.sender.raw, "架空県医務課", "the office already names the authority");
        assert_eq!(r.date, "令和7年7月1日");
    }

    #[test]
    fn routine_case_omits_incident_sections() {
        let reg = Registry::load(None).unwrap();
        let text = "case_id = \"R-1\"\n[facility]\nname = \"A\"\n[inspection]\nkind = \"定期の立入検査\"\n";
        let r = build(&loaded(text), &reg, &opts());
        let keys: Vec<&str> = r.sections.iter().map(|s| s.key).collect();
        assert_eq!(keys, vec!["facility", "inspection"]);
        assert!(r.damage.is_none() && r.incident.is_none());
    }

    #[test]
    fn iso_dates() {
        let reg = Registry::load(None).unwrap();
        let mut o = opts();
        o.date_style = DateStyle::Iso;
        let r = build(&loaded(INCIDENT), &reg, &o);
        assert_eq!(r.response.unwrap().notifications[0].at.text, "2025-06-01 15:00");
        assert_eq!(r.closing.generated_at, "2025-07-01 10:00:00");
    }

    #[test]
    fn text_is_escaped_for_templates() {
        let t = Text::cell("<script>|x\ny");
        assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!("&lt;script>\\|x／y"));
        assert_eq!(t.raw, "<script>|x\ny");
    }

    #[test]
    fn blocks_cannot_form_headings_or_code() {
        assert_eq!(md_block("a\n===\n"), "a  \n\\===");
        assert_eq!(md_block("a\n\n\n      code\n---"), "a\n\ncode  \n\\---");
        assert_eq!(md_block(""), "");
        let h = html::body(&md_block("見出し\n====\n# x\n    <b>"));
        assert!(!h.contains("<h1>") && !h.contains("<pre>") && !h.contains("<b>"), "{h}");
    }

    #[test]
    fn folder_names_never_clash() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            folder_names(&[p("2024/みなと"), p("2025/みなと"), p("2025/かもめ")]),
            ["2024_みなと", "2025_みなと", "かもめ"]
        );
        assert_eq!(folder_names(&[p("a/x"), p("a/x")]), ["a_x", "a_x-2"]);
        assert_eq!(folder_names(&[p("x"), p("y")]), ["x", "y"]);
    }

    #[test]
    fn generated_at_forms() {
        assert!(parse_generated_at("2025-07-01T10:00:00").is_some());
        assert!(parse_generated_at("2025-07-01 10:00").is_some());
        assert!(parse_generated_at("2025-07-01").is_some());
        assert!(parse_generated_at("令和7年").is_none());
    }
}
