//! Parsing case.toml text into a [`Case`], reporting every error of a file at once: a TOML
//! syntax error stops parsing, but in a document that is valid TOML each key and each table
//! header is deserialized on its own (with the headers it sits under), so that an unknown field
//! in `[facility]`, a wrong type in one `[[answers]]` and an unknown choice in another are
//! three errors of one run, each with its line and column.

use super::model::*;
use crate::diag::line_col;
use crate::error::{serde_message_ja, toml_problem, Error, Result};
use serde::Deserialize;
use std::path::Path;

/// A case file's keys, each optional: any one part of a case file (a top-level key, a table, an
/// element of an array of tables) deserializes into it on its own. The fields are those of
/// [`Case`] (a unit test keeps the two lists the same).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only the errors of deserializing it are read
struct AnyPart {
    format: Option<u32>,
    case_id: Option<String>,
    facility: Option<Facility>,
    inspection: Option<Inspection>,
    self_check: Option<SelfCheck>,
    incident: Option<Incident>,
    damage: Option<Damage>,
    response: Option<Response>,
    recovery: Option<Recovery>,
    answers: Option<Vec<Answer>>,
    causes: Option<Vec<Cause>>,
    measures: Option<Vec<Measure>>,
    guidance: Option<Vec<Guidance>>,
    evidence: Option<Vec<Evidence>>,
    investigation: Option<Investigation>,
    authority_actions: Option<Vec<AuthorityAction>>,
}

/// The top-level keys a case file must have.
const REQUIRED: [&str; 3] = ["case_id", "facility", "inspection"];

/// Parses case.toml text; the error lists every problem found in the file, in line order.
pub fn parse(path: &Path, text: &str) -> Result<Case> {
    let whole = match toml::from_str::<Case>(text) {
        Ok(case) => return Ok(normalized(case)),
        Err(e) => e,
    };
    let (line, column, message) = toml_problem(text, &whole);
    let mut found = problems(text);
    // The whole-file error is always among those reported (the parts find it again as a rule).
    if !found.iter().any(|p| p.line == line && p.message == message) {
        found.push(Problem { line, column, message });
        found.sort_by_key(|p| (p.line, p.column));
    }
    Err(Error::many(
        found
            .into_iter()
            .map(|p| Error::At { path: path.to_path_buf(), line: p.line, column: p.column, message: p.message })
            .collect(),
    ))
}

/// The case as kensa holds it: a 医療機関コード typed with full-width digits, hyphens or spaces
/// becomes its 10 digits (the file itself is rewritten only when a command changes the case).
fn normalized(mut case: Case) -> Case {
    let code = crate::values::stored_code(&case.facility.code);
    if code != case.facility.code {
        case.facility.code = code;
    }
    case
}

/// One problem of a case file: 1-based line and column and the Japanese message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Every problem of a case file that is valid TOML, in line order; nothing for text that is not
/// valid TOML (its one syntax error is the whole-file error).
pub fn problems(text: &str) -> Vec<Problem> {
    let Ok(doc) = toml_edit::Document::parse(text) else { return Vec::new() };
    let lines = Lines::new(text);
    let mut units = Vec::new();
    walk(&doc, &lines, &[], None, &mut units);

    let mut found = Vec::new();
    // Each key and each header alone: every error but a missing field (the key's neighbours,
    // which may hold the field, are left out).
    for u in &units {
        if let Some(p) = probe(&lines, &u.lines).filter(|(english, _)| !english.starts_with("missing field")) {
            found.push(p.1);
        }
    }
    // Each part whole (a top-level key or table, an element of a top-level array of tables):
    // its first error, which finds the missing fields.
    let mut parts: Vec<(&str, Option<usize>)> = units.iter().map(|u| u.part).collect();
    parts.dedup();
    for part in parts {
        let mut part_lines: Vec<usize> =
            units.iter().filter(|u| u.part == part).flat_map(|u| u.lines.clone()).collect();
        part_lines.sort_unstable();
        part_lines.dedup();
        if let Some((_, p)) = probe(&lines, &part_lines) {
            found.push(p);
        }
    }
    for key in REQUIRED {
        if !doc.contains_key(key) {
            found.push(Problem { line: 1, column: 1, message: serde_message_ja(&format!("missing field `{key}`")) });
        }
    }
    found.sort_by_key(|p| (p.line, p.column));
    found.dedup();
    found
}

/// Some lines of the file (0-based) that deserialize on their own, and the part they belong to:
/// the top-level key and, for an array of tables, the element.
struct Unit<'a> {
    part: (&'a str, Option<usize>),
    lines: Vec<usize>,
}

/// Collects a unit for every key-value and every table header under `table`; `headers` are the
/// lines of the headers the table sits under.
fn walk<'a>(
    table: &'a toml_edit::Table,
    lines: &Lines,
    headers: &[usize],
    part: Option<(&'a str, Option<usize>)>,
    out: &mut Vec<Unit<'a>>,
) {
    let top = part.is_none();
    for (name, item) in table {
        let key = table.get_key_value(name).map(|(k, _)| k);
        let part = part.unwrap_or((name, None));
        match item {
            toml_edit::Item::None => {}
            toml_edit::Item::Value(v) => {
                let start = key.and_then(|k| k.span()).or_else(|| v.span()).map(|s| s.start);
                let end = v.span().map(|s| s.end.saturating_sub(1));
                if let (Some(start), Some(end)) = (start, end) {
                    let mut l = headers.to_vec();
                    l.extend(lines.of(start)..=lines.of(end.max(start)));
                    out.push(Unit { part, lines: l });
                }
            }
            toml_edit::Item::Table(t) => table_units(t, lines, headers, part, out),
            toml_edit::Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    let part = if top { (part.0, Some(i)) } else { part };
                    table_units(t, lines, headers, part, out);
                }
            }
        }
    }
}

/// The units of a table: its header alone (when it has one), then its keys under it.
fn table_units<'a>(
    t: &'a toml_edit::Table,
    lines: &Lines,
    headers: &[usize],
    part: (&'a str, Option<usize>),
    out: &mut Vec<Unit<'a>>,
) {
    let header = if t.is_implicit() || t.is_dotted() { None } else { t.span().map(|s| lines.of(s.start)) };
    match header {
        Some(h) => {
            let mut with = headers.to_vec();
            with.push(h);
            out.push(Unit { part, lines: with.clone() });
            walk(t, lines, &with, Some(part), out);
        }
        None => walk(t, lines, headers, Some(part), out),
    }
}

/// Deserializes the given lines of the file alone; the first error in English (for filtering)
/// and as a problem placed in the whole file.
fn probe(lines: &Lines, which: &[usize]) -> Option<(String, Problem)> {
    let mut text = String::new();
    for &i in which {
        text.push_str(lines.text(i));
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let e = toml::from_str::<AnyPart>(&text).err()?;
    let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
    let line = which.get(line - 1).or(which.last()).map(|l| l + 1).unwrap_or(1);
    Some((e.message().to_string(), Problem { line, column, message: serde_message_ja(e.message()) }))
}

/// The lines of a text and where each begins.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Lines { text, starts }
    }
    /// The 0-based line of a byte offset.
    fn of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }
    /// One line with its line break.
    fn text(&self, i: usize) -> &'a str {
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        &self.text[self.starts[i]..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "case_id = \"T-1\"\n[facility]\nname = \"架空病院\"\n[inspection]\n";

    #[test]
    fn a_facility_code_is_read_as_its_ten_digits() {
        let code = |c: &str| {
            let text = format!("case_id = \"T-1\"\n[facility]\nname = \"A\"\ncode = \"{c}\"\n[inspection]\n");
            parse(Path::new("case.toml"), &text).unwrap().facility.code
        };
        assert_eq!(code("１３－１２３４－５６７８"), "1312345678");
        assert_eq!(code("13 1234 5678"), "1312345678");
        assert_eq!(code("1312345678"), "1312345678");
        // Not certainly a code: kept as written, for check to name.
        assert_eq!(code("112345678"), "112345678");
        assert_eq!(code("13-123"), "13-123");
    }

    fn at(text: &str) -> Vec<(usize, usize, String)> {
        match parse(Path::new("case.toml"), text) {
            Ok(_) => Vec::new(),
            Err(Error::Many(list)) => list
                .0
                .into_iter()
                .map(|e| match e {
                    Error::At { line, column, message, .. } => (line, column, message),
                    other => panic!("{other}"),
                })
                .collect(),
            Err(Error::At { line, column, message, .. }) => vec![(line, column, message)],
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn the_parts_have_the_fields_of_a_case() {
        // serde lists the expected fields in declaration order: the same list, the same fields.
        let case = toml::from_str::<Case>("zzz = 1").unwrap_err().message().to_string();
        let part = toml::from_str::<AnyPart>("zzz = 1").err().unwrap().message().to_string();
        assert_eq!(case, part);
    }

    #[test]
    fn a_valid_case_parses() {
        assert!(at(MINIMAL).is_empty());
    }

    #[test]
    fn three_mistakes_in_three_parts_are_three_errors_in_line_order() {
        let text = "case_id = \"T-1\"\n\
                    [facility]\n\
                    name = \"架空病院\"\n\
                    bedz = 10\n\
                    [inspection]\n\
                    [[answers]]\n\
                    item = \"mhlw-r7:0\"\n\
                    answer = \"はい\"\n\
                    confirmed_on = 5\n\
                    [[answers]]\n\
                    item = \"mhlw-r7:1-01\"\n\
                    verification = \"たぶん\"\n";
        let found = at(text);
        let places: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(places, [(4, 1), (9, 16), (12, 16)], "{found:?}");
        assert!(found[0].2.contains("「bedz」という項目はありません"), "{found:?}");
        assert!(found[1].2.contains("日付"), "{found:?}");
        assert!(found[2].2.contains("「たぶん」は選べる値ではありません"), "{found:?}");
    }

    #[test]
    fn several_mistakes_in_one_table_are_each_reported() {
        let text = format!("{MINIMAL}[damage]\nsummar = \"x\"\nestimated_cost_yen = true\n");
        let found = at(&text);
        let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(lines, [6, 7], "{found:?}");
    }

    #[test]
    fn missing_fields_are_found_once() {
        // A system without its name, an answer without its item, no case_id.
        let text = "[facility]\nname = \"架空病院\"\n[[facility.systems]]\nvendor = \"架空\"\n[inspection]\n\
                    [[answers]]\nnote = \"x\"\n";
        let found = at(text);
        let got: Vec<(usize, &str)> = found.iter().map(|(l, _, m)| (*l, m.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "必須の項目「case_id」がありません"),
                (3, "必須の項目「name」がありません"),
                (6, "必須の項目「item」がありません")
            ],
            "{found:?}"
        );
    }

    #[test]
    fn a_syntax_error_is_the_one_error() {
        let text = format!("{MINIMAL}[damage]\nsummary = \"x\nbedz = 1\n");
        let found = at(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 6);
    }

    #[test]
    fn headers_under_headers_and_dotted_keys_stay_in_place() {
        // A key in a sub-table of an answer, a dotted key, a key after a multi-line array, an
        // unknown top-level table and a wrong top-level value.
        let text = "case_id = \"T-1\"\nformat = \"1\"\n[facility]\nname = \"架空病院\"\n[inspection]\n\
                    documents = [\n  \"a\",\n  \"b\",\n]\nnote = 5\n\
                    [damage]\npaper_operation.from = \"令和7年6月22日\"\npaper_operation.txt = \"x\"\n\
                    [facilty]\nname = \"x\"\n";
        let found = at(text);
        let got: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(got, [(2, 10), (10, 8), (13, 17), (14, 2)], "{found:?}");
        assert!(found[3].2.contains("「facilty」という項目はありません"), "{found:?}");
    }

    #[test]
    fn columns_count_characters_and_lines_survive_crlf() {
        let text =
            "case_id = \"T-1\"\r\n[facility]\r\nname = \"架空病院\"\r\nkind = \"びょういん\"\r\n[inspection]\r\n\
                    [[answers]]\r\nitem = \"mhlw-r7:0\"\r\nnote = \"メモ\"; answer = 1\r\n";
        assert_eq!(at(text).len(), 1, "a syntax error");
        let text = text.replace("note = \"メモ\"; ", "note = \"メモ\"\r\n");
        let found = at(&text);
        let got: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(got, [(4, 8), (9, 10)], "{found:?}");
    }
}
