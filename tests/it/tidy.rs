//! The rules of the house that can be read off the source: which module may import which (the
//! table of ARCHITECTURE.md, read from the document itself so the two cannot drift apart) and the
//! one-line `//!` comment every module opens with.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::harness::root;

/// The rules of ARCHITECTURE.md: for each module, the modules it names directly ("everything"
/// for `cli`).
struct Rules {
    direct: BTreeMap<String, BTreeSet<String>>,
    everything: BTreeSet<String>,
}

/// The words between backticks of `s`, outside parentheses (which give reasons).
fn ticked(s: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// Reads the paragraph "What may import what" of ARCHITECTURE.md: `a`, `b` → `c`, `d`; …
fn rules(doc: &str) -> Rules {
    let start = doc.find("What may import what").expect("ARCHITECTURE.md states what may import what");
    let para = &doc[start..];
    let para = &para[..para.find("Nothing imports").expect("the rules end with 'Nothing imports'")];
    let para = &para[para.find(':').expect("a colon before the rules") + 1..];
    let mut direct: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut everything = BTreeSet::new();
    for clause in para.split(';') {
        let Some((from, to)) = clause.split_once('→') else { panic!("a rule without an arrow: {clause:?}") };
        let from = ticked(from);
        assert!(!from.is_empty(), "a rule without a module on its left: {clause:?}");
        for f in from {
            if to.trim_start().starts_with("everything") {
                everything.insert(f.clone());
            }
            direct.entry(f).or_default().extend(ticked(to));
        }
    }
    Rules { direct, everything }
}

impl Rules {
    /// Whether `from` may import `to`: directly, or through the layers it may import ("each
    /// layer only those below it").
    fn allows(&self, from: &str, to: &str) -> bool {
        if from == to || self.everything.contains(from) {
            return true;
        }
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for n in self.direct.get(&m).into_iter().flatten() {
                if n == to {
                    return true;
                }
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        false
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for `lib.rs` and `main.rs`, which
/// declare the modules, and for test-only files).
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    if first == "lib.rs" || first == "main.rs" || rel.file_name()? == "tests.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

/// The code of a file without its unit tests (`#[cfg(test)]` modules) and comments.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines.peek().is_some_and(|n| {
                let n = n.trim_start();
                n.starts_with("mod ") || n.starts_with("pub(crate) mod ") || n.starts_with("pub mod ")
            })
        {
            break;
        }
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The top-level modules a piece of code names through `crate::` (a path, or a group
/// `crate::{a::…, b}`), each with the line it is on.
fn imports(code: &str, modules: &BTreeSet<String>) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut rest = code;
    let mut offset = 0;
    while let Some(i) = rest.find("crate::") {
        let at = offset + i;
        let line = code[..at].matches('\n').count() + 1;
        let after = &rest[i + "crate::".len()..];
        let names: Vec<String> = if let Some(group) = after.strip_prefix('{') {
            // Top-level names of a group: those at depth 0 before `::`, `,` or `}`.
            let mut names = Vec::new();
            let mut depth = 0;
            let mut word = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => at_start = true,
                    c if (c.is_alphanumeric() || c == '_') && depth == 0 && at_start => word.push(c),
                    _ => {
                        if !word.is_empty() {
                            names.push(std::mem::take(&mut word));
                            at_start = false;
                        }
                    }
                }
            }
            if !word.is_empty() {
                names.push(word);
            }
            names
        } else {
            vec![after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()]
        };
        for n in names {
            let m = match n.as_str() {
                // The crate root re-exports the error type.
                "Error" | "Result" => "error".to_string(),
                _ => n,
            };
            if modules.contains(&m) {
                out.push((m, line));
            }
        }
        offset = at + "crate::".len();
        rest = &code[offset..];
    }
    out
}

/// Every import of `src/` that the rules of ARCHITECTURE.md do not allow, and every module
/// without its one-line `//!` opening.
fn violations(src: &Path, doc: &str) -> Vec<String> {
    let rules = rules(doc);
    let mut files = Vec::new();
    sources(src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f.strip_prefix(src).unwrap())).collect();
    for m in rules.direct.keys().chain(rules.direct.values().flatten()) {
        assert!(modules.contains(m), "ARCHITECTURE.md's rules name `{m}`, which is no module of src/");
    }
    let mut out = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src).unwrap();
        // Shown with `/` on every system.
        let shown = rel.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(f).unwrap();
        if !text.starts_with("//!") {
            out.push(format!("src/{shown}: does not open with a `//!` line saying what it owns"));
        }
        let Some(from) = module_of(rel) else { continue };
        for (to, line) in imports(&code(&text), &modules) {
            if !rules.allows(&from, &to) {
                out.push(format!(
                    "src/{shown}:{line}: `{from}` imports `{to}`, which ARCHITECTURE.md's rules do not allow"
                ));
            }
        }
    }
    out
}

#[test]
fn the_code_keeps_the_rules_of_architecture_md() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let found = violations(&root().join("src"), &doc);
    assert!(found.is_empty(), "{} breaches of the rules:\n{}", found.len(), found.join("\n"));
}

#[test]
fn the_table_is_read_as_written() {
    let r = rules("- What may import what (each layer only those below it): `cli` → everything; `a`, `b` → `c` (why); `c` → `d`. Nothing imports `cli`.");
    assert!(r.allows("cli", "a"));
    assert!(r.allows("a", "c") && r.allows("b", "c"));
    assert!(r.allows("a", "d"), "through the layer below");
    assert!(!r.allows("c", "a"), "no arrow back up");
    assert!(!r.allows("d", "c"));
}

#[test]
fn a_forbidden_import_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir(src.join("low")).unwrap();
    std::fs::write(src.join("low/mod.rs"), "//! Low.\nuse crate::{high::X, low};\n").unwrap();
    std::fs::write(
        src.join("high.rs"),
        "//! High.\nuse crate::low::Y;\n#[cfg(test)]\nmod tests {\n    use crate::high;\n}\n",
    )
    .unwrap();
    std::fs::write(src.join("bare.rs"), "/// No module comment.\npub fn f() { crate::low::g() }\n").unwrap();
    let doc = "What may import what: `high` → `low`; `bare` → `low`. Nothing imports";
    assert_eq!(
        violations(src, doc),
        [
            "src/bare.rs: does not open with a `//!` line saying what it owns",
            "src/low/mod.rs:2: `low` imports `high`, which ARCHITECTURE.md's rules do not allow",
        ]
    );
}
