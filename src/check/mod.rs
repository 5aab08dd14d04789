//! The rules of `kensa check`: consistency of a case with the checklists, dates that cannot be,
//! and what an inspection or investigation record must hold. Each rule is a function of its own
//! with its unit tests; [`files`] checks paths (case folders, case files, checklist files).

mod answers;
mod edition7;
pub mod files;
mod incident;
mod inspection;
mod records;

use crate::case::Case;
use crate::checklist::Registry;
use crate::diag::{Diagnostic, Severity};
use chrono::NaiveDate;

/// Characters of a case text quoted in a message.
pub const QUOTE_CHARS: usize = 30;

/// What a check is run against besides the case: the date deadlines are judged at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Reports due before this date and not recorded are warned about (`--as-of`, default today).
    pub as_of: NaiveDate,
}

impl Context {
    pub fn today() -> Context {
        Context { as_of: chrono::Local::now().date_naive() }
    }
}

/// Runs every rule over a case.
pub fn check_case(case: &Case, reg: &Registry, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    records::basics(case, &mut out);
    records::evidence_ids(case, &mut out);
    records::empty_keys(case, &mut out);
    inspection::essentials(case, reg, &mut out);
    inspection::id_shown(case, reg, &mut out);
    answers::checklists_listed(case, reg, &mut out);
    answers::editions(case, reg, &mut out);
    answers::answers(case, reg, &mut out);
    answers::vendors(case, reg, &mut out);
    answers::links(case, reg, &mut out);
    incident::dates(case, &mut out);
    incident::entry_via(case, &mut out);
    incident::reporting(case, ctx.as_of, &mut out);
    incident::record(case, &mut out);
    records::measures(case, &mut out);
    records::guidance(case, &mut out);
    records::text_lengths(case, &mut out);
    edition7::maintenance(case, &mut out);
    edition7::responsibility(case, reg, &mut out);
    edition7::legal_basis(case, &mut out);
    out
}

/// The errors `kensa check` finds in `after` that `before` did not have: an import never writes
/// what check would then reject.
pub fn new_errors(before: &Case, after: &Case, reg: &Registry, ctx: &Context) -> Vec<Diagnostic> {
    let had: Vec<(&str, String)> = check_case(before, reg, ctx)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code, d.message))
        .collect();
    check_case(after, reg, ctx)
        .into_iter()
        .filter(|d| d.severity == Severity::Error && !had.contains(&(d.code, d.message.clone())))
        .collect()
}

/// Text of a message, cut to [`QUOTE_CHARS`] characters.
fn quote(s: &str) -> String {
    crate::text::short(s, QUOTE_CHARS)
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::case::Case;
    use crate::diag::{Diagnostic, Severity};

    /// A case from TOML text (the test fails on a parse error).
    pub fn case(text: &str) -> Case {
        toml::from_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The codes of the diagnostics, with `E:` or `W:` for their severity.
    pub fn codes(d: &[Diagnostic]) -> Vec<String> {
        d.iter().map(|d| format!("{}:{}", if d.severity == Severity::Error { "E" } else { "W" }, d.code)).collect()
    }

    /// The codes of what one rule that reads the checklists finds in a case written as TOML.
    pub fn run_with_checklists(
        f: fn(&Case, &crate::checklist::Registry, &mut Vec<Diagnostic>),
        text: &str,
    ) -> Vec<String> {
        let reg = crate::checklist::Registry::load(None).unwrap();
        let mut out = Vec::new();
        f(&case(text), &reg, &mut out);
        codes(&out)
    }

    pub const MINIMAL: &str = "case_id = \"T-1\"\n[facility]\nname = \"架空病院\"\n[inspection]\n";
}
