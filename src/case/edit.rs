//! Editing case.toml in place: the text of a case file changed only where its case changed, so
//! that the comments, key order and formatting written by hand stay.
//!
//! The old and the new case are both serialized canonically and walked beside the original
//! document. Where the two canonical subtrees are equal the original is left as written (a date
//! written `"令和7年6月1日"` stays so); a changed value is replaced keeping its comments; added
//! keys are inserted after their neighbours; removed ones are removed. Lists are matched element
//! by element: `[[answers]]` by their item, other lists by equality and then in order.

use super::model::Case;
use crate::checklist::Registry;
use crate::values::{Date, ItemRef, Stamp};
use std::collections::{HashMap, VecDeque};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// `original` (the text of a case file) edited so that it reads as `new`; `None` when an edit
/// that reads back as exactly `new` could not be made (the caller then writes the case in full).
/// With the checklists, each answer added gets the comment [`answer_comment`] gives it (the one a new case file has too).
pub fn edit(original: &str, new: &Case, reg: Option<&Registry>) -> Option<String> {
    let old: Case = toml::from_str(original).ok()?;
    let mut doc: DocumentMut = original.parse().ok()?;
    let (old_doc, new_doc) = (canonical(&old)?, canonical(new)?);
    let cx = Cx { reg };
    edit_table(Tab::Std(doc.as_table_mut()), old_doc.as_table(), new_doc.as_table(), &cx, &[]).ok()?;
    let text = doc.to_string();
    // Correctness first: only an edit that reads back as the new case is used.
    (toml::from_str::<Case>(&text).ok()? == *new).then_some(text)
}

fn canonical(case: &Case) -> Option<DocumentMut> {
    toml::to_string(case).ok()?.parse().ok()
}

struct Cx<'r> {
    reg: Option<&'r Registry>,
}

/// A shape the editor does not handle; the whole edit is given up.
struct Unhandled;

type Edited = Result<(), Unhandled>;

/// A read-only view of a TOML node, whatever way it is written.
#[derive(Clone, Copy)]
enum Node<'a> {
    Std(&'a Table),
    Inline(&'a InlineTable),
    Tables(&'a ArrayOfTables),
    Array(&'a Array),
    Scalar(&'a Value),
    Nothing,
}

fn node(item: &Item) -> Node<'_> {
    match item {
        Item::Table(t) => Node::Std(t),
        Item::ArrayOfTables(a) => Node::Tables(a),
        Item::Value(v) => node_of(v),
        Item::None => Node::Nothing,
    }
}

fn node_of(v: &Value) -> Node<'_> {
    match v {
        Value::InlineTable(t) => Node::Inline(t),
        Value::Array(a) => Node::Array(a),
        v => Node::Scalar(v),
    }
}

impl<'a> Node<'a> {
    fn table(self) -> Option<&'a dyn TableLike> {
        match self {
            Node::Std(t) => Some(t),
            Node::Inline(t) => Some(t),
            _ => None,
        }
    }

    fn elements(self) -> Option<Vec<Node<'a>>> {
        match self {
            Node::Tables(a) => Some(a.iter().map(Node::Std).collect()),
            Node::Array(a) => Some(a.iter().map(node_of).collect()),
            _ => None,
        }
    }

    /// The node as a new entry of a table with `[headers]`.
    fn to_item(self) -> Item {
        let mut item = match self {
            Node::Std(t) => Item::Table(t.clone()),
            Node::Tables(a) => Item::ArrayOfTables(a.clone()),
            Node::Nothing => Item::None,
            _ => Item::Value(self.to_value()),
        };
        clear_positions(&mut item);
        item
    }

    /// The node as a new value (tables inline), with the default spacing.
    fn to_value(self) -> Value {
        let mut v = match self {
            Node::Std(t) => Value::InlineTable(t.clone().into_inline_table()),
            Node::Inline(t) => Value::InlineTable(t.clone()),
            Node::Tables(a) => Value::Array(a.clone().into_array()),
            Node::Array(a) => Value::Array(a.clone()),
            Node::Scalar(v) => v.clone(),
            Node::Nothing => Value::from(""),
        };
        v.decor_mut().clear();
        v
    }
}

/// Equal as data, however written.
fn same(a: Node, b: Node) -> bool {
    if let (Some(x), Some(y)) = (a.table(), b.table()) {
        return x.iter().count() == y.iter().count()
            && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(node(v), node(w))));
    }
    if let (Some(x), Some(y)) = (a.elements(), b.elements()) {
        return x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| same(*p, *q));
    }
    match (a, b) {
        (Node::Scalar(x), Node::Scalar(y)) => match (x, y) {
            (Value::String(x), Value::String(y)) => x.value() == y.value(),
            (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
            (Value::Float(x), Value::Float(y)) => x.value().to_bits() == y.value().to_bits(),
            (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
            (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
            _ => false,
        },
        (Node::Nothing, Node::Nothing) => true,
        _ => false,
    }
}

/// A table of the original document, as `[header]`/dotted keys or inline.
enum Tab<'a> {
    Std(&'a mut Table),
    Inline(&'a mut InlineTable),
}

impl Tab<'_> {
    fn like(&mut self) -> &mut dyn TableLike {
        match self {
            Tab::Std(t) => *t,
            Tab::Inline(t) => *t,
        }
    }

    fn keys(&mut self) -> Vec<String> {
        self.like().iter().map(|(k, _)| k.to_string()).collect()
    }

    /// Adds an entry taken from the canonical document (a date as 和暦 text where the table's
    /// other dates are written so).
    fn insert(&mut self, key: &str, new: Node, cx: &Cx, path: &[&str]) {
        let sample = self.like().iter().find_map(|(_, v)| v.as_value().filter(|v| is_wareki(v)).cloned());
        let new_value = |new: Node| match &sample {
            Some(sample) => restyled(sample, new.to_value()),
            None => new.to_value(),
        };
        match self {
            Tab::Std(t) => {
                let mut item = match new {
                    Node::Scalar(_) => Item::Value(new_value(new)),
                    _ => new.to_item(),
                };
                if let Item::ArrayOfTables(a) = &mut item {
                    a.iter_mut().for_each(|e| annotate(e, cx, path));
                }
                if t.is_dotted() {
                    make_dotted(&mut item);
                }
                t.insert(key, item);
            }
            Tab::Inline(t) => {
                t.insert(key, new_value(new));
            }
        }
    }

    /// Puts the entries in the order given, keeping how each key is written.
    fn reorder(&mut self, order: &[String]) {
        match self {
            Tab::Std(t) => {
                let entries: Vec<_> = order.iter().filter_map(|k| t.remove_entry(k)).collect();
                for (k, v) in entries {
                    t.insert_formatted(&k, v);
                }
            }
            Tab::Inline(t) => {
                // The space before `}` stays before `}`.
                let closing = t
                    .iter()
                    .filter_map(|(_, v)| v.decor().suffix())
                    .last()
                    .map(|s| raw(Some(s)))
                    .filter(|s| s.trim().is_empty());
                let entries: Vec<_> = order.iter().filter_map(|k| t.remove_entry(k)).collect();
                let last = entries.len().saturating_sub(1);
                for (i, (k, mut v)) in entries.into_iter().enumerate() {
                    if raw(v.decor().suffix()).trim().is_empty() {
                        v.decor_mut().set_suffix(if i == last {
                            closing.clone().unwrap_or_default()
                        } else {
                            String::new()
                        });
                    }
                    t.insert_formatted(&k, v);
                }
            }
        }
    }
}

/// Edits the table `tab` of the original document, which reads as `old`, to read as `new`.
fn edit_table(mut tab: Tab, old: &dyn TableLike, new: &dyn TableLike, cx: &Cx, path: &[&str]) -> Edited {
    let mut inserted = Vec::new();
    for (key, nv) in new.iter() {
        let ov = old.get(key);
        if ov.is_some_and(|ov| same(node(ov), node(nv))) {
            continue;
        }
        let path = [path, &[key]].concat();
        // `systems = []` in a [table] that now gets elements: written as [[tables]] instead.
        if matches!(tab, Tab::Std(_))
            && !nv.is_value()
            && tab.like().get(key).and_then(Item::as_value).is_some_and(is_empty_value)
        {
            tab.like().remove(key);
        }
        match (tab.like().get_mut(key), ov) {
            (Some(slot), Some(ov)) => edit_item(slot, ov, nv, cx, &path)?,
            (Some(slot), None) => replace(slot, nv),
            (None, _) => {
                tab.insert(key, node(nv), cx, &path);
                inserted.push(key.to_string());
            }
        }
    }
    for (key, _) in old.iter() {
        if !new.contains_key(key) {
            tab.like().remove(key);
        }
    }
    if !inserted.is_empty() {
        let order = placed(tab.keys(), &inserted, new);
        tab.reorder(&order);
    }
    Ok(())
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::InlineTable(t) => t.is_empty(),
        _ => false,
    }
}

/// The keys of a table with the `inserted` ones moved to follow the key they follow in `new`.
fn placed(keys: Vec<String>, inserted: &[String], new: &dyn TableLike) -> Vec<String> {
    let canon: Vec<&str> = new.iter().map(|(k, _)| k).collect();
    let mut out: Vec<String> = keys.into_iter().filter(|k| !inserted.contains(k)).collect();
    for (at, key) in canon.iter().enumerate().filter(|(_, k)| inserted.iter().any(|i| i == *k)) {
        let find = |name: &&str| out.iter().position(|o| o == name);
        let place = canon[..at]
            .iter()
            .rev()
            .find_map(|p| find(p).map(|i| i + 1))
            .or_else(|| canon[at + 1..].iter().find_map(find))
            .unwrap_or(out.len());
        out.insert(place, key.to_string());
    }
    out
}

/// Edits one entry of the original document (`slot`), which reads as `old`, to read as `new`.
fn edit_item(slot: &mut Item, old: &Item, new: &Item, cx: &Cx, path: &[&str]) -> Edited {
    let (o, n) = (node(old), node(new));
    if let (Some(ot), Some(nt)) = (o.table(), n.table()) {
        return match slot {
            Item::Table(t) => edit_table(Tab::Std(t), ot, nt, cx, path),
            Item::Value(Value::InlineTable(t)) => edit_table(Tab::Inline(t), ot, nt, cx, path),
            _ => {
                replace(slot, new);
                Ok(())
            }
        };
    }
    if let (Some(oe), Some(ne)) = (o.elements(), n.elements()) {
        return match slot {
            Item::ArrayOfTables(a) => edit_tables(a, &oe, &ne, cx, path),
            Item::Value(Value::Array(a)) => edit_array(a, &oe, &ne, cx, path),
            _ => {
                replace(slot, new);
                Ok(())
            }
        };
    }
    replace(slot, new);
    Ok(())
}

/// Replaces an entry's value, keeping its comments and spacing (and a date written as 和暦 text
/// as 和暦 text).
fn replace(slot: &mut Item, new: &Item) {
    match slot {
        Item::Value(orig) => *orig = replaced(orig, node(new)),
        _ => *slot = node(new).to_item(),
    }
}

fn replaced(orig: &Value, new: Node) -> Value {
    let mut v = restyled(orig, new.to_value());
    *v.decor_mut() = orig.decor().clone();
    v
}

/// Text beginning with an era name (`"令和7年6月1日"`).
fn is_wareki(v: &Value) -> bool {
    v.as_str().is_some_and(|s| crate::wareki::ERAS.iter().any(|e| s.trim_start().starts_with(e.name)))
}

/// A new date for an original written as 和暦 text (`"令和7年6月1日"`) is written the same way.
fn restyled(orig: &Value, new: Value) -> Value {
    match &new {
        Value::Datetime(d) if is_wareki(orig) => wareki_text(d.value()).map(Value::from).unwrap_or(new),
        _ => new,
    }
}

/// A TOML date or local date-time as 和暦 text, when kensa reads that text back as the same.
fn wareki_text(d: &toml_edit::Datetime) -> Option<String> {
    if d.offset.is_some() {
        return None;
    }
    let day = d.date?;
    let date = chrono::NaiveDate::from_ymd_opt(day.year.into(), day.month.into(), day.day.into())?;
    let text = match d.time {
        None => Date(date).wareki(),
        Some(t) if t.second.unwrap_or(0) == 0 && t.nanosecond.unwrap_or(0) == 0 => {
            let time = chrono::NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), 0)?;
            Stamp { date, time: Some(time) }.wareki()
        }
        Some(_) => return None,
    };
    let back: Stamp = text.parse().ok()?;
    let want = d.time.map(|t| chrono::NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), 0));
    (back.date == date && back.time == want.flatten()).then_some(text)
}

/// What becomes of each element of a list, in the new order (old elements not named are removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The old element, unchanged.
    Keep(usize),
    /// The old element, edited into the new one.
    Edit(usize, usize),
    /// A new element.
    Insert(usize),
}

/// Matches the elements of a list: answers by their item, others by equality and then in order.
fn plan(old: &[Node], new: &[Node], path: &[&str]) -> Vec<Step> {
    if path == ["answers"] {
        if let Some(steps) = plan_by_key(old, new) {
            return steps;
        }
    }
    plan_by_order(old, new)
}

/// An answer's identity: its item (and system, where answers have one).
fn answer_key(n: Node) -> Option<(String, Option<String>)> {
    let t = n.table()?;
    let item = t.get("item")?.as_str()?.to_string();
    Some((item, t.get("system").and_then(Item::as_str).map(str::to_string)))
}

fn plan_by_key(old: &[Node], new: &[Node]) -> Option<Vec<Step>> {
    let mut by_key: HashMap<_, VecDeque<usize>> = HashMap::new();
    for (i, o) in old.iter().enumerate() {
        by_key.entry(answer_key(*o)?).or_default().push_back(i);
    }
    let mut steps = Vec::with_capacity(new.len());
    for (j, n) in new.iter().enumerate() {
        steps.push(match by_key.get_mut(&answer_key(*n)?).and_then(VecDeque::pop_front) {
            Some(i) if same(old[i], *n) => Step::Keep(i),
            Some(i) => Step::Edit(i, j),
            None => Step::Insert(j),
        });
    }
    Some(steps)
}

/// The longest common subsequence of equal elements is kept; between two kept elements, the old
/// ones left are edited into the new ones in order, and the rest removed or inserted.
fn plan_by_order(old: &[Node], new: &[Node]) -> Vec<Step> {
    let (n, m) = (old.len(), new.len());
    let mut steps = Vec::with_capacity(m);
    let (mut gap_old, mut gap_new) = (Vec::new(), Vec::new());
    let flush = |steps: &mut Vec<Step>, gap_old: &mut Vec<usize>, gap_new: &mut Vec<usize>| {
        for (k, &j) in gap_new.iter().enumerate() {
            steps.push(match gap_old.get(k) {
                Some(&i) => Step::Edit(i, j),
                None => Step::Insert(j),
            });
        }
        gap_old.clear();
        gap_new.clear();
    };
    if n.saturating_mul(m) > 4_000_000 {
        // Too long to align: edited in order.
        gap_old.extend(0..n);
        gap_new.extend(0..m);
        flush(&mut steps, &mut gap_old, &mut gap_new);
        return steps;
    }
    let eq: Vec<Vec<bool>> = old.iter().map(|o| new.iter().map(|x| same(*o, *x)).collect()).collect();
    // lcs[i][j]: the length of the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if eq[i][j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if eq[i][j] {
            flush(&mut steps, &mut gap_old, &mut gap_new);
            steps.push(Step::Keep(i));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            gap_old.push(i);
            i += 1;
        } else {
            gap_new.push(j);
            j += 1;
        }
    }
    gap_old.extend(i..n);
    gap_new.extend(j..m);
    flush(&mut steps, &mut gap_old, &mut gap_new);
    steps
}

/// Edits a list written as `[[tables]]`.
fn edit_tables(aot: &mut ArrayOfTables, old: &[Node], new: &[Node], cx: &Cx, path: &[&str]) -> Edited {
    if aot.len() != old.len() {
        return Err(Unhandled);
    }
    let originals: Vec<Table> = aot.iter().cloned().collect();
    let mut out = ArrayOfTables::new();
    for step in plan(old, new, path) {
        out.push(match step {
            Step::Keep(i) => originals[i].clone(),
            Step::Edit(i, j) => {
                let mut t = originals[i].clone();
                let (Some(o), Some(n)) = (old[i].table(), new[j].table()) else { return Err(Unhandled) };
                edit_table(Tab::Std(&mut t), o, n, cx, path)?;
                t
            }
            Step::Insert(j) => {
                let mut t = new[j].to_item().into_table().map_err(|_| Unhandled)?;
                annotate(&mut t, cx, path);
                t
            }
        });
    }
    settle_positions(&mut out);
    *aot = out;
    Ok(())
}

/// Edits a list written as an array (`["a", "b"]`, `[{ … }, { … }]`). Over several lines, a
/// comment after an element's comma stays with that element, and new elements get lines of
/// their own, indented like the others.
fn edit_array(arr: &mut Array, old: &[Node], new: &[Node], cx: &Cx, path: &[&str]) -> Edited {
    if arr.len() != old.len() {
        return Err(Unhandled);
    }
    let originals: Vec<Value> = arr.iter().cloned().collect();
    let prefixes: Vec<String> = originals.iter().map(|v| raw(v.decor().prefix())).collect();
    let trailing = arr.trailing().as_str().unwrap_or("").to_string();
    let multi_line = prefixes.iter().any(|p| p.contains('\n')) || trailing.contains('\n');
    // toml_edit keeps the rest of an element's line (`  # comment`) in the next element's prefix
    // (or, for the last, in the array's trailing text): split every prefix into that rest of the
    // line before it and the element's own lines.
    let (open, _) = split_line(prefixes.first().map(String::as_str).unwrap_or(""));
    let parts: Vec<(String, String)> = (0..originals.len())
        .map(|i| {
            let own = split_line(&prefixes[i]).1;
            let rest = match prefixes.get(i + 1) {
                Some(next) => split_line(next).0,
                None if arr.trailing_comma() => trailing.clone(),
                None => String::new(),
            };
            (own, rest)
        })
        .collect();
    let indent = parts
        .get(1)
        .or(parts.first())
        .map(|(own, _)| own.rsplit('\n').next().unwrap_or("").to_string())
        .filter(|i| i.trim().is_empty())
        .unwrap_or_else(|| " ".to_string());
    let steps = plan(old, new, path);
    let reshaped = steps.len() != originals.len() || steps.iter().any(|s| matches!(s, Step::Insert(_)));
    let mut out: Vec<(Value, String, String)> = Vec::with_capacity(steps.len());
    for step in steps {
        out.push(match step {
            Step::Keep(i) => (originals[i].clone(), parts[i].0.clone(), parts[i].1.clone()),
            Step::Edit(i, j) => {
                let mut v = originals[i].clone();
                match (&mut v, old[i].table(), new[j].table()) {
                    (Value::InlineTable(t), Some(o), Some(n)) => edit_table(Tab::Inline(t), o, n, cx, path)?,
                    _ => v = replaced(&v, new[j]),
                }
                (v, parts[i].0.clone(), parts[i].1.clone())
            }
            Step::Insert(j) => {
                let mut v = new[j].to_value();
                if let Some(sample) = originals.iter().find(|o| is_wareki(o)) {
                    v = restyled(sample, v);
                }
                v.decor_mut().set_suffix("");
                (v, indent.clone(), if multi_line { "\n".to_string() } else { String::new() })
            }
        });
    }
    arr.clear();
    let mut before = open;
    for (mut v, own, rest) in out {
        v.decor_mut().set_prefix(format!("{before}{own}"));
        arr.push_formatted(v);
        before = rest;
    }
    if arr.trailing_comma() {
        arr.set_trailing(before);
    }
    let commented = arr.iter().any(|v| (raw(v.decor().prefix()) + &raw(v.decor().suffix())).contains('#'));
    if reshaped && !multi_line && !commented {
        arr.fmt();
    }
    Ok(())
}

fn raw(r: Option<&toml_edit::RawString>) -> String {
    r.and_then(|r| r.as_str()).unwrap_or("").to_string()
}

/// A prefix split after its first line break: the rest of the line before, and the lines after.
fn split_line(prefix: &str) -> (String, String) {
    match prefix.find('\n') {
        Some(p) => (prefix[..=p].to_string(), prefix[p + 1..].to_string()),
        None => (String::new(), prefix.to_string()),
    }
}

/// Gives a new answer the comment naming its item, as a new case file has.
fn annotate(t: &mut Table, cx: &Cx, path: &[&str]) {
    let Some(reg) = cx.reg else { return };
    if path != ["answers"] {
        return;
    }
    if let Some(comment) = t.get("item").and_then(Item::as_str).and_then(|item| answer_comment(reg, item)) {
        t.decor_mut().set_prefix(format!("\n{comment}\n"));
    }
}

/// Tables moved before a table that precedes them in the file lose their place in it, so that
/// they are written where they now stand.
fn settle_positions(aot: &mut ArrayOfTables) {
    let mut last = None;
    for t in aot.iter_mut() {
        match t.position() {
            Some(p) if last.is_some_and(|l| p < l) => clear_table_positions(t),
            Some(p) => last = Some(p),
            None => {}
        }
    }
}

/// A table from elsewhere is written after the table before it in the document.
fn clear_positions(item: &mut Item) {
    match item {
        Item::Table(t) => clear_table_positions(t),
        Item::ArrayOfTables(a) => a.iter_mut().for_each(clear_table_positions),
        _ => {}
    }
}

fn clear_table_positions(t: &mut Table) {
    t.set_position(None);
    for (_, item) in t.iter_mut() {
        clear_positions(item);
    }
}

fn make_dotted(item: &mut Item) {
    if let Item::Table(t) = item {
        t.set_dotted(true);
        for (_, child) in t.iter_mut() {
            make_dotted(child);
        }
    }
}

/// The comment written above an answer: `# <checklist> <number> <text>` (the text cut short).
pub(super) fn answer_comment(reg: &Registry, item: &str) -> Option<String> {
    let (c, item) = reg.item(&item.parse::<ItemRef>().ok()?)?;
    let text: String = item.text.chars().filter(|c| !c.is_control()).take(60).collect();
    Some(format!("# {} {} {}", c.id, item.number, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn samples() -> &'static [(String, Case)] {
        static SAMPLES: OnceLock<Vec<(String, Case)>> = OnceLock::new();
        SAMPLES.get_or_init(|| {
            let mut dirs: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples"))
                .unwrap()
                .map(|e| e.unwrap().path().join("case.toml"))
                .filter(|p| p.is_file())
                .collect();
            dirs.sort();
            dirs.into_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let case = toml::from_str(&text).unwrap();
                    (text, case)
                })
                .collect()
        })
    }

    fn registry() -> &'static Registry {
        static REG: OnceLock<Registry> = OnceLock::new();
        REG.get_or_init(|| Registry::load(None).unwrap())
    }

    /// One edit of a case, as a workbook import or a hand may make it. Indexes are taken modulo
    /// the length of the list they name.
    #[derive(Debug, Clone)]
    enum Op {
        AnswerNote(usize, String),
        AnswerYesNo(usize, Option<bool>),
        AnswerTarget(usize, Option<u16>),
        AnswerMethods(usize, u8),
        AnswerEvidence(usize, Vec<String>),
        RemoveAnswer(usize),
        AddAnswer(usize, u8),
        SwapAnswers(usize, usize),
        FacilityText(u8, String),
        Beds(Option<u32>),
        SystemNote(usize, String),
        RemoveSystem(usize),
        AddSystem(usize, String),
        InspectionNote(String),
        AddDocument(usize, String),
        RemoveDocument(usize),
        ReplaceDocument(usize, String),
        AddDate(u16),
        RemoveDate(usize),
        MeasureText(usize, String),
        MeasureStatus(usize, Option<u8>),
        RemoveMeasure(usize),
        AddMeasure(usize, String),
        ToggleIncident(String),
        IncidentEvent(u16, String),
        EvidenceDescription(usize, String),
        RemoveEvidence(usize),
        PaperOperation(Option<u16>, String),
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z0-9 ]{1,8}",
            "[あ-んア-ン一-龠、。（）]{1,12}",
            Just("引用符\"と#記号".to_string()),
            Just("改行\nのある\n文".to_string()),
            Just("バックスラッシュ\\と'".to_string()),
        ]
    }

    fn op() -> impl Strategy<Value = Op> {
        let i = || 0usize..64;
        prop_oneof![
            (i(), text()).prop_map(|(i, t)| Op::AnswerNote(i, t)),
            (i(), proptest::option::of(any::<bool>())).prop_map(|(i, b)| Op::AnswerYesNo(i, b)),
            (i(), proptest::option::of(0u16..800)).prop_map(|(i, d)| Op::AnswerTarget(i, d)),
            (i(), any::<u8>()).prop_map(|(i, m)| Op::AnswerMethods(i, m)),
            (i(), proptest::collection::vec("E[1-4]", 0..3)).prop_map(|(i, e)| Op::AnswerEvidence(i, e)),
            i().prop_map(Op::RemoveAnswer),
            (i(), any::<u8>()).prop_map(|(i, n)| Op::AddAnswer(i, n)),
            (i(), i()).prop_map(|(a, b)| Op::SwapAnswers(a, b)),
            (0u8..4, text()).prop_map(|(f, t)| Op::FacilityText(f, t)),
            proptest::option::of(0u32..1000).prop_map(Op::Beds),
            (i(), text()).prop_map(|(i, t)| Op::SystemNote(i, t)),
            i().prop_map(Op::RemoveSystem),
            (i(), text()).prop_map(|(i, t)| Op::AddSystem(i, t)),
            text().prop_map(Op::InspectionNote),
            (i(), text()).prop_map(|(i, t)| Op::AddDocument(i, t)),
            i().prop_map(Op::RemoveDocument),
            (i(), text()).prop_map(|(i, t)| Op::ReplaceDocument(i, t)),
            (0u16..800).prop_map(Op::AddDate),
            i().prop_map(Op::RemoveDate),
            (i(), text()).prop_map(|(i, t)| Op::MeasureText(i, t)),
            (i(), proptest::option::of(0u8..3)).prop_map(|(i, s)| Op::MeasureStatus(i, s)),
            i().prop_map(Op::RemoveMeasure),
            (i(), text()).prop_map(|(i, t)| Op::AddMeasure(i, t)),
            text().prop_map(Op::ToggleIncident),
            (0u16..800, text()).prop_map(|(d, t)| Op::IncidentEvent(d, t)),
            (i(), text()).prop_map(|(i, t)| Op::EvidenceDescription(i, t)),
            i().prop_map(Op::RemoveEvidence),
            (proptest::option::of(0u16..800), text()).prop_map(|(d, t)| Op::PaperOperation(d, t)),
        ]
    }

    /// A target: mostly a day, some a 年度 or 「次期システム更改時」.
    fn target(offset: u16) -> Target {
        match offset % 7 {
            5 => Target::FiscalYear(2025 + i32::from(offset % 3)),
            6 => Target::NextRenewal,
            _ => Target::On(day(offset)),
        }
    }

    fn day(offset: u16) -> Date {
        Date(chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() + chrono::Days::new(offset.into()))
    }

    fn at<T>(list: &mut [T], i: usize) -> Option<&mut T> {
        let n = list.len();
        (n > 0).then(|| &mut list[i % n])
    }

    fn remove<T>(list: &mut Vec<T>, i: usize) {
        if !list.is_empty() {
            list.remove(i % list.len());
        }
    }

    fn apply(case: &mut Case, op: &Op) {
        match op.clone() {
            Op::AnswerNote(i, t) => at(&mut case.answers, i).into_iter().for_each(|a| a.note = t.clone()),
            Op::AnswerYesNo(i, b) => at(&mut case.answers, i)
                .into_iter()
                .for_each(|a| a.answer = b.map(|b| if b { YesNo::Yes } else { YesNo::No })),
            Op::AnswerTarget(i, d) => at(&mut case.answers, i).into_iter().for_each(|a| a.target_on = d.map(target)),
            Op::AnswerMethods(i, m) => at(&mut case.answers, i).into_iter().for_each(|a| {
                a.method = Method::ALL.iter().enumerate().filter(|(k, _)| m & (1 << k) != 0).map(|(_, m)| *m).collect()
            }),
            Op::AnswerEvidence(i, e) => at(&mut case.answers, i).into_iter().for_each(|a| a.evidence = e.clone()),
            Op::RemoveAnswer(i) => remove(&mut case.answers, i),
            Op::AddAnswer(i, n) => {
                let item = format!("mhlw-r7:2-{:02}", n % 16).parse().unwrap();
                let mut a = Answer::unanswered(item);
                a.note = format!("追加{n}");
                let at = if case.answers.is_empty() { 0 } else { i % (case.answers.len() + 1) };
                case.answers.insert(at, a);
            }
            Op::SwapAnswers(a, b) => {
                if !case.answers.is_empty() {
                    let n = case.answers.len();
                    case.answers.swap(a % n, b % n);
                }
            }
            Op::FacilityText(f, t) => match f {
                0 => case.facility.address = t,
                1 => case.facility.manager = t,
                2 => case.facility.code = t,
                _ => case.facility.name = t,
            },
            Op::Beds(b) => case.facility.beds = b,
            Op::SystemNote(i, t) => at(&mut case.facility.systems, i).into_iter().for_each(|s| s.note = t.clone()),
            Op::RemoveSystem(i) => remove(&mut case.facility.systems, i),
            Op::AddSystem(i, t) => {
                let at = i % (case.facility.systems.len() + 1);
                case.facility
                    .systems
                    .insert(at, InfoSystem { name: format!("新システム{t}"), ..InfoSystem::default() });
            }
            Op::InspectionNote(t) => case.inspection.note = t,
            Op::AddDocument(i, t) => {
                let at = i % (case.inspection.documents.len() + 1);
                case.inspection.documents.insert(at, t);
            }
            Op::RemoveDocument(i) => remove(&mut case.inspection.documents, i),
            Op::ReplaceDocument(i, t) => at(&mut case.inspection.documents, i).into_iter().for_each(|d| *d = t.clone()),
            Op::AddDate(d) => case.inspection.dates.push(day(d)),
            Op::RemoveDate(i) => remove(&mut case.inspection.dates, i),
            Op::MeasureText(i, t) => at(&mut case.measures, i).into_iter().for_each(|m| m.text = t.clone()),
            Op::MeasureStatus(i, s) => at(&mut case.measures, i)
                .into_iter()
                .for_each(|m| m.status = s.map(|s| MeasureStatus::ALL[s as usize % MeasureStatus::ALL.len()])),
            Op::RemoveMeasure(i) => remove(&mut case.measures, i),
            Op::AddMeasure(i, t) => {
                let at = i % (case.measures.len() + 1);
                case.measures
                    .insert(at, Measure { text: format!("対策{t}"), owner: "事務部".into(), ..Measure::default() });
            }
            Op::ToggleIncident(t) => {
                case.incident = match case.incident {
                    Some(_) => None,
                    None => Some(Incident {
                        summary: t, attack_type: "ランサムウェア".into(), ..Incident::default()
                    }),
                }
            }
            Op::IncidentEvent(d, t) => {
                let incident = case.incident.get_or_insert_with(Incident::default);
                incident.timeline.push(Event { at: Stamp::day(day(d).0), text: t });
            }
            Op::EvidenceDescription(i, t) => {
                at(&mut case.evidence, i).into_iter().for_each(|e| e.description = t.clone())
            }
            Op::RemoveEvidence(i) => remove(&mut case.evidence, i),
            Op::PaperOperation(d, t) => {
                let damage = case.damage.get_or_insert_with(Damage::default);
                damage.paper_operation = Some(Period { from: d.map(day), to: None, text: t });
            }
        }
    }

    /// Where a part of a case file stands: keys, and elements of lists (answers by their item and
    /// occurrence, other lists by index).
    #[derive(Debug, Clone, PartialEq)]
    enum Seg {
        Key(String),
        Index(usize),
        Item(String, usize),
    }

    /// A [table] of a case file: its comments and the keys written in its body.
    #[derive(Debug)]
    struct Part {
        path: Vec<Seg>,
        own: Vec<String>,
        comments: Vec<String>,
    }

    fn comment_lines(raw: Option<&toml_edit::RawString>, out: &mut Vec<String>) {
        let s = raw.and_then(|r| r.as_str()).unwrap_or("");
        out.extend(s.lines().filter_map(|l| l.find('#').map(|p| l[p..].trim_end().to_string())));
    }

    fn decor_comments(d: &toml_edit::Decor, out: &mut Vec<String>) {
        comment_lines(d.prefix(), out);
        comment_lines(d.suffix(), out);
    }

    fn key_comments(k: &toml_edit::Key, out: &mut Vec<String>) {
        decor_comments(k.leaf_decor(), out);
        decor_comments(k.dotted_decor(), out);
    }

    fn value_comments(v: &Value, out: &mut Vec<String>) {
        decor_comments(v.decor(), out);
        match v {
            Value::Array(a) => {
                a.iter().for_each(|e| value_comments(e, out));
                comment_lines(Some(a.trailing()), out);
            }
            Value::InlineTable(t) => {
                for (k, e) in t {
                    key_comments(t.key(k).unwrap(), out);
                    value_comments(e, out);
                }
                comment_lines(Some(t.trailing()), out);
            }
            _ => {}
        }
    }

    /// Comments in a table's body: its keys and values, dotted tables included.
    fn body_comments(t: &Table, part: &mut Part, parts: &mut Vec<Part>, path: &[Seg]) {
        for (k, item) in t {
            let here = [path, &[Seg::Key(k.to_string())]].concat();
            match item {
                Item::Table(sub) if !sub.is_dotted() => walk(sub, here, parts),
                Item::ArrayOfTables(a) => {
                    let mut seen: HashMap<String, usize> = HashMap::new();
                    for (i, e) in a.iter().enumerate() {
                        let seg = match (k, e.get("item").and_then(Item::as_str)) {
                            ("answers", Some(item)) if path.is_empty() => {
                                let n = seen.entry(item.to_string()).or_default();
                                *n += 1;
                                Seg::Item(item.to_string(), *n - 1)
                            }
                            _ => Seg::Index(i),
                        };
                        walk(e, [here.as_slice(), &[seg]].concat(), parts);
                    }
                }
                Item::Table(sub) => {
                    part.own.push(k.to_string());
                    key_comments(t.key(k).unwrap(), &mut part.comments);
                    let mut inner = Part { path: Vec::new(), own: Vec::new(), comments: Vec::new() };
                    body_comments(sub, &mut inner, parts, &here);
                    part.comments.extend(inner.comments);
                }
                Item::Value(v) => {
                    part.own.push(k.to_string());
                    key_comments(t.key(k).unwrap(), &mut part.comments);
                    value_comments(v, &mut part.comments);
                }
                Item::None => {}
            }
        }
    }

    fn walk(t: &Table, path: Vec<Seg>, parts: &mut Vec<Part>) {
        let mut part = Part { path: path.clone(), own: Vec::new(), comments: Vec::new() };
        decor_comments(t.decor(), &mut part.comments);
        body_comments(t, &mut part, parts, &path);
        parts.push(part);
    }

    fn parts_of(text: &str) -> Vec<Part> {
        let doc: DocumentMut = text.parse().unwrap();
        let mut parts = Vec::new();
        walk(doc.as_table(), Vec::new(), &mut parts);
        let mut end = Part { path: vec![Seg::Key("(end)".into())], own: Vec::new(), comments: Vec::new() };
        comment_lines(Some(doc.trailing()), &mut end.comments);
        parts.push(end);
        parts
    }

    fn find<'a>(v: &'a toml::Value, path: &[Seg]) -> Option<&'a toml::Value> {
        let Some((first, rest)) = path.split_first() else { return Some(v) };
        let next = match first {
            Seg::Key(k) => v.as_table()?.get(k)?,
            Seg::Index(i) => v.as_array()?.get(*i)?,
            Seg::Item(item, n) => {
                v.as_array()?.iter().filter(|a| a.get("item").and_then(|i| i.as_str()) == Some(item)).nth(*n)?
            }
        };
        find(next, rest)
    }

    /// The part's table holds the same values under the keys its body was written with.
    fn unchanged(part: &Part, old: &toml::Value, new: &toml::Value) -> bool {
        if part.path == [Seg::Key("(end)".into())] {
            return true;
        }
        let (Some(o), Some(n)) = (find(old, &part.path), find(new, &part.path)) else { return false };
        let (Some(o), Some(n)) = (o.as_table(), n.as_table()) else { return false };
        part.own.iter().all(|k| o.get(k) == n.get(k))
    }

    fn counts(parts: &[Part]) -> HashMap<&str, usize> {
        let mut out = HashMap::new();
        for c in parts.iter().flat_map(|p| &p.comments) {
            *out.entry(c.as_str()).or_default() += 1;
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

        /// Random edits of the samples are written in place: the text reads back as the edited
        /// case, and every comment of a part that did not change is still there.
        #[test]
        fn edits_of_the_samples_keep_the_comments_of_unchanged_parts(
            sample in 0usize..4,
            ops in proptest::collection::vec(op(), 1..5),
        ) {
            let (text, old) = &samples()[sample % samples().len()];
            let mut new = old.clone();
            for op in &ops {
                apply(&mut new, op);
            }
            let edited = edit(text, &new, Some(registry()));
            prop_assert!(edited.is_some(), "fell back to a full rewrite for {ops:?}");
            let edited = edited.unwrap();
            prop_assert_eq!(&toml::from_str::<Case>(&edited).unwrap(), &new);

            let (old_v, new_v) = (toml::Value::try_from(old).unwrap(), toml::Value::try_from(&new).unwrap());
            let before = parts_of(text);
            let kept: Vec<Part> = before.into_iter().filter(|p| unchanged(p, &old_v, &new_v)).collect();
            let after = parts_of(&edited);
            let have = counts(&after);
            for (comment, n) in counts(&kept) {
                prop_assert!(
                    have.get(comment).copied().unwrap_or(0) >= n,
                    "comment {comment:?} lost ({ops:?})\n{edited}"
                );
            }
            if new == *old {
                prop_assert_eq!(&edited, text);
            }
        }
    }

    /// Shapes a hand may give a case file: an empty array for a list, a table only implied by
    /// its sub-table, a list of inline tables, dotted keys and inline tables at the top.
    const SHAPES_OK: &str = r#"case_id = "X-1"
facility.name = "架空医院"   # 通称
facility.systems = []
inspection = { kind = "事案に係る立入検査", dates = ["令和7年6月25日"] }

[incident]
summary = "侵入"
timeline = [
  { at = "令和7年6月22日 1:05", text = "侵入" },   # 推定
  { at = 2025-06-22T06:20:00, text = "覚知" },
]

# 紙運用
[damage.paper_operation]
from = "令和7年6月22日"
"#;

    fn case_of(text: &str) -> Case {
        toml::from_str(text).unwrap()
    }

    fn changed_lines(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        (
            a.iter().filter(|l| !b.contains(l)).map(|l| l.to_string()).collect(),
            b.iter().filter(|l| !a.contains(l)).map(|l| l.to_string()).collect(),
        )
    }

    #[test]
    fn unusual_shapes_are_edited_in_place() {
        let old = case_of(SHAPES_OK);

        // A list of inline tables: one element edited, one added, in the same style; a time
        // stamp written as 和暦 text stays so.
        let mut new = old.clone();
        let incident = new.incident.as_mut().unwrap();
        incident.timeline[0].at = "2025-06-22 01:00".parse().unwrap();
        incident.timeline.push(Event { at: "2025-06-22 08:00".parse().unwrap(), text: "対策本部".into() });
        let text = edit(SHAPES_OK, &new, None).unwrap();
        assert_eq!(
            changed_lines(SHAPES_OK, &text),
            (
                vec!["  { at = \"令和7年6月22日 1:05\", text = \"侵入\" },   # 推定".to_string()],
                vec![
                    "  { at = \"令和7年6月22日 01:00\", text = \"侵入\" },   # 推定".to_string(),
                    "  { at = 2025-06-22T08:00:00, text = \"対策本部\" },".to_string()
                ]
            ),
            "{text}"
        );

        // An empty array that gets elements becomes [[tables]]; a table only implied by its
        // sub-table gets a value; a new table goes where the model has it; an inline table
        // gets a key.
        let mut new = old.clone();
        new.facility.systems.push(InfoSystem { name: "電子カルテ".into(), ..InfoSystem::default() });
        new.damage.as_mut().unwrap().summary = "電子カルテ停止".into();
        new.facility.authority.name = "架空県".into();
        new.inspection.note = "第1回".into();
        let text = edit(SHAPES_OK, &new, None).unwrap();
        let (gone, came) = changed_lines(SHAPES_OK, &text);
        assert_eq!(
            gone,
            ["facility.systems = []", "inspection = { kind = \"事案に係る立入検査\", dates = [\"令和7年6月25日\"] }"],
            "{text}"
        );
        assert!(came.contains(&"[[facility.systems]]".to_string()), "{text}");
        assert!(came.contains(&"facility.authority.name = \"架空県\"".to_string()), "{text}");
        assert!(
            came.contains(&"[damage]".to_string()) && came.contains(&"summary = \"電子カルテ停止\"".to_string()),
            "{text}"
        );
        assert!(
            text.contains(
                "inspection = { kind = \"事案に係る立入検査\", dates = [\"令和7年6月25日\"], note = \"第1回\" }"
            ),
            "{text}"
        );
        assert!(text.contains("# 紙運用\n[damage.paper_operation]"), "{text}");

        // Everything under a table removed, and the table itself.
        let mut new = old.clone();
        new.incident = None;
        new.damage = None;
        let text = edit(SHAPES_OK, &new, None).unwrap();
        assert!(!text.contains("[incident]") && !text.contains("damage") && !text.contains("# 推定"), "{text}");
        assert!(text.starts_with("case_id = \"X-1\"\nfacility.name = \"架空医院\"   # 通称\n"), "{text}");
    }

    #[test]
    fn multi_line_text_is_written_over_lines() {
        let old = case_of(SHAPES_OK);
        let mut new = old.clone();
        new.incident.as_mut().unwrap().summary = "一行目\n二行目".into();
        let text = edit(SHAPES_OK, &new, None).unwrap();
        assert!(text.contains("[incident]\nsummary = \"\"\"\n一行目\n二行目\"\"\"\ntimeline = ["), "{text}");
    }

    #[test]
    fn dates_are_written_as_their_neighbours_are() {
        let old = case_of(SHAPES_OK);
        let mut new = old.clone();
        new.damage.as_mut().unwrap().paper_operation.as_mut().unwrap().to = Date::ymd(2025, 7, 22);
        new.inspection.dates.push(Date::ymd(2025, 9, 10).unwrap());
        let text = edit(SHAPES_OK, &new, None).unwrap();
        assert!(text.contains("from = \"令和7年6月22日\"\nto = \"令和7年7月22日\"\n"), "{text}");
        assert!(text.contains("dates = [\"令和7年6月25日\", \"令和7年9月10日\"]"), "{text}");
    }

    #[test]
    fn the_samples_read_back_unchanged() {
        for (text, case) in samples() {
            assert_eq!(edit(text, case, None).as_deref(), Some(text.as_str()));
        }
    }
}
