//! Rules on the case as a record: its id and facility, evidence ids and hashes, measures and
//! guidance.

use super::quote;
use crate::case::{fields, model, Case, MeasureStatus};
use crate::diag::Diagnostic;
use crate::xlsx::MAX_CELL_CHARS;
use std::collections::HashSet;

/// The format version, the case id, the facility name and code.
pub fn basics(case: &Case, out: &mut Vec<Diagnostic>) {
    if case.format == 0 || case.format > model::FORMAT_VERSION {
        out.push(Diagnostic::error(
            "format-version",
            "format",
            format!(
                "ファイル形式の版 {} はこの kensa（形式 {}）では扱えません。新しい版の kensa で作成された可能性があります",
                case.format,
                model::FORMAT_VERSION
            ),
        ));
    }
    if case.case_id.trim().is_empty() {
        out.push(Diagnostic::error("missing-case-id", "case_id", "事案ID（case_id）が空です"));
    }
    if case.facility.name.trim().is_empty() {
        out.push(Diagnostic::error("missing-facility-name", "facility.name", "施設名（facility.name）が空です"));
    }
    if let Some(message) = facility_code_problem(&case.facility.code) {
        out.push(Diagnostic::warning("facility-code", "facility.code", message));
    }
}

/// What is wrong with a recorded 医療機関コード: nothing where it is empty or reads as a
/// 10-digit code (full-width digits, hyphens and spaces are read past, and `load` stores it
/// plainly); a 9-digit code is named as such (its leading 0 probably lost).
fn facility_code_problem(code: &str) -> Option<String> {
    if code.trim().is_empty() {
        return None;
    }
    match crate::values::parse_facility_code(code) {
        Ok(c) if !c.padded => None,
        Ok(c) => Some(format!(
            "医療機関コード「{}」は9桁です。先頭の0が欠けていないか確かめてください（集計では先頭に0を補い {} として数えます）",
            code.trim(),
            c.code
        )),
        Err(crate::values::CodeError::Empty) => None,
        Err(e) => Some(format!("{e}。集計では名簿と照合できず、事案IDで数えます")),
    }
}

/// Whether an evidence file is named by a path that could leave the case folder: absolute (`/…`,
/// `\\…`, `C:…`) or going up (`..`), with either kind of slash.
pub fn leaves_case_folder(file: &str) -> bool {
    let f = file.trim();
    let drive = f.len() >= 2 && f.as_bytes()[0].is_ascii_alphabetic() && f.as_bytes()[1] == b':';
    f.starts_with(['/', '\\']) || drive || f.split(['/', '\\']).any(|part| part.trim() == "..")
}

/// Evidence ids are unique, hashes are 64 hex digits, files are named inside the case folder.
pub fn evidence_ids(case: &Case, out: &mut Vec<Diagnostic>) {
    let mut ids = HashSet::new();
    for (i, e) in case.evidence.iter().enumerate() {
        if leaves_case_folder(&e.file) {
            out.push(Diagnostic::error(
                "evidence-path",
                format!("evidence.{i}.file"),
                format!(
                    "証跡「{}」のファイル「{}」は事案フォルダの外を指しています。証跡は事案フォルダの中に置き、事案フォルダからの相対パス（例: evidence/log.txt）で書いてください",
                    e.id,
                    quote(&e.file)
                ),
            ));
        }
        if !ids.insert(e.id.as_str()) {
            out.push(Diagnostic::error(
                "duplicate-evidence",
                format!("evidence.{i}.id"),
                format!("証跡ID「{}」が重複しています", e.id),
            ));
        }
        if !(e.sha256.is_empty() || e.sha256.len() == 64 && e.sha256.chars().all(|c| c.is_ascii_hexdigit())) {
            out.push(Diagnostic::error(
                "evidence-hash",
                format!("evidence.{i}.sha256"),
                format!("証跡「{}」の SHA-256 は16進64桁で書きます", e.id),
            ));
        }
    }
}

/// Every record of a list has its key (a system its name, guidance its text, evidence its id
/// and file): a record without one says nothing and cannot be referred to.
pub fn empty_keys(case: &Case, out: &mut Vec<Diagnostic>) {
    for t in fields::tables() {
        let columns = t.columns();
        for (i, row) in t.rows(case).iter().enumerate() {
            for (c, v) in columns.iter().zip(row) {
                if c.required && v.is_blank(c.kind) {
                    let path = if c.field.is_empty() {
                        format!("{}.{i}", t.key())
                    } else {
                        format!("{}.{i}.{}", t.key(), c.field)
                    };
                    out.push(Diagnostic::error(
                        "empty-key",
                        path,
                        format!(
                            "{}の{}番目に「{}」がありません。記入するか、この記録を削除してください",
                            t.title(),
                            i + 1,
                            c.header
                        ),
                    ));
                }
            }
        }
    }
}

/// No text is longer than a cell holds: the field workbook and report.xlsx would cut it, and
/// an import of the workbook would then offer the cut text as a change.
pub fn text_lengths(case: &Case, out: &mut Vec<Diagnostic>) {
    fn walk(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Diagnostic>) {
        match v {
            serde_json::Value::String(s) if s.len() > MAX_CELL_CHARS => {
                let n = s.chars().count();
                if n > MAX_CELL_CHARS {
                    out.push(Diagnostic::warning(
                        "text-too-long",
                        path.join("."),
                        format!(
                            "この欄は {} 字あり、Excel のセルの上限（{} 字）を超えています。ワークブックと report.xlsx では切り詰められ、そのワークブックを取り込むと事案ファイルとの食い違いになります。長い記録は証跡のファイルに分けてください",
                            crate::text::thousands(n as u64),
                            crate::text::thousands(MAX_CELL_CHARS as u64)
                        ),
                    ));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(item, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    path.push(k.clone());
                    walk(item, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    if let Ok(v) = serde_json::to_value(case) {
        walk(&v, &mut Vec::new(), out);
    }
}

/// Every open measure has an owner and a due date.
pub fn measures(case: &Case, out: &mut Vec<Diagnostic>) {
    for (i, m) in case.measures.iter().enumerate() {
        if m.owner.trim().is_empty() {
            out.push(Diagnostic::warning(
                "measure-without-owner",
                format!("measures.{i}"),
                format!("再発防止策「{}」に担当（owner）がありません", quote(&m.text)),
            ));
        }
        if m.due.is_none() && m.status != Some(MeasureStatus::Completed) {
            out.push(Diagnostic::warning(
                "measure-without-due",
                format!("measures.{i}"),
                format!("再発防止策「{}」に期限（due）がありません", quote(&m.text)),
            ));
        }
    }
}

/// Guidance that asks for a plan or report has a reply date (unless the reply has come: then a
/// due date no longer matters), and a reply is not received before the guidance was given.
pub fn guidance(case: &Case, out: &mut Vec<Diagnostic>) {
    for (i, g) in case.guidance.iter().enumerate() {
        if let (Some(r), Some(given)) = (g.replied_on, g.given_on) {
            if r < given {
                out.push(Diagnostic::warning(
                    "guidance-reply-before-given",
                    format!("guidance.{i}.replied_on"),
                    format!(
                        "指導「{}」の回答受領日 {} が指導日 {} より前です",
                        quote(&g.text),
                        r.wareki(),
                        given.wareki()
                    ),
                ));
            }
        }
        if (g.plan_requested || g.report_requested) && g.reply_due.is_none() && g.replied_on.is_none() {
            out.push(Diagnostic::warning(
                "guidance-without-due",
                format!("guidance.{i}"),
                format!(
                    "指導「{}」で改善計画書・報告を求めていますが、期限（reply_due）がありません。期限がないと kensa followup の一覧に出ません（回答を受け取ったら replied_on を記入）",
                    quote(&g.text)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{case, codes, MINIMAL};

    fn run(f: fn(&Case, &mut Vec<Diagnostic>), text: &str) -> Vec<String> {
        let mut out = Vec::new();
        f(&case(text), &mut out);
        codes(&out)
    }

    #[test]
    fn basics_rule() {
        assert!(run(basics, MINIMAL).is_empty());
        assert_eq!(
            run(basics, "format = 9\ncase_id = \" \"\n[facility]\nname = \"\"\ncode = \"13-1\"\n[inspection]\n"),
            ["E:format-version", "E:missing-case-id", "E:missing-facility-name", "W:facility-code"]
        );
    }

    #[test]
    fn facility_code_rule_reads_past_full_width_digits_and_hyphens() {
        let with = |code: &str| format!("case_id = \"T\"\n[facility]\nname = \"A\"\ncode = \"{code}\"\n[inspection]\n");
        for fine in ["1312345678", "１３-１２３４-５６７８", "13 1 2345678"] {
            assert!(run(basics, &with(fine)).is_empty(), "{fine}");
        }
        for (bad, says) in [
            ("112345678", "9桁です。先頭の0が欠けていないか"),
            ("13123", "「13123」は5桁です"),
            ("13A2345678", "数字ではない文字「A」"),
        ] {
            let mut out = Vec::new();
            basics(&case(&with(bad)), &mut out);
            assert_eq!(codes(&out), ["W:facility-code"], "{bad}");
            assert!(out[0].message.contains(says), "{}", out[0].message);
        }
    }

    #[test]
    fn evidence_ids_rule() {
        let t = format!(
            "{MINIMAL}[[evidence]]\nid = \"E1\"\nfile = \"a\"\n[[evidence]]\nid = \"E1\"\nfile = \"b\"\nsha256 = \"abc\"\n"
        );
        assert_eq!(run(evidence_ids, &t), ["E:duplicate-evidence", "E:evidence-hash"]);
    }

    #[test]
    fn empty_keys_rule() {
        let mut out = Vec::new();
        empty_keys(
            &case(&format!(
                "{MINIMAL}[[guidance]]\nkind = \"文書指導\"\ntext = \" \"\n[[evidence]]\nid = \"\"\nfile = \"a.txt\"\n"
            )),
            &mut out,
        );
        assert_eq!(codes(&out), ["E:empty-key", "E:empty-key"]);
        assert_eq!(out[0].path, "guidance.0.text");
        assert!(out[1].message.contains("証跡の1番目に「証跡ID」がありません"), "{}", out[1].message);
        let mut out = Vec::new();
        empty_keys(&case("case_id = \"T\"\n[facility]\nname = \"A\"\n[[facility.systems]]\nname = \"\"\nremote_maintenance = true\n[inspection]\n"), &mut out);
        assert_eq!(out[0].path, "facility.systems.0.name");
        assert!(run(empty_keys, MINIMAL).is_empty());
    }

    #[test]
    fn evidence_stays_in_the_case_folder() {
        for bad in ["../x.txt", "evidence/../../x", "/etc/passwd", "\\\\server\\share\\x", "C:\\x.txt", "a\\..\\..\\x"]
        {
            assert!(leaves_case_folder(bad), "{bad}");
        }
        for good in ["evidence/log.txt", "evidence\\log.txt", "a..b.txt", "..hidden", "証跡/メモ.txt"] {
            assert!(!leaves_case_folder(good), "{good}");
        }
        let t = format!("{MINIMAL}[[evidence]]\nid = \"E1\"\nfile = \"../x\"\n");
        assert_eq!(run(evidence_ids, &t), ["E:evidence-path"]);
    }

    #[test]
    fn text_longer_than_a_cell() {
        let long = "あ".repeat(MAX_CELL_CHARS + 1);
        let t = format!("{MINIMAL}[[measures]]\ntext = \"{long}\"\nowner = \"課長\"\nstatus = \"完了\"\n");
        let mut out = Vec::new();
        text_lengths(&case(&t), &mut out);
        assert_eq!(codes(&out), ["W:text-too-long"]);
        assert_eq!(out[0].path, "measures.0.text");
        assert!(run(text_lengths, MINIMAL).is_empty());
    }

    #[test]
    fn measures_rule() {
        let t = format!("{MINIMAL}[[measures]]\ntext = \"VPN更新\"\n[[measures]]\ntext = \"済\"\nowner = \"課長\"\nstatus = \"完了\"\n");
        assert_eq!(run(measures, &t), ["W:measure-without-owner", "W:measure-without-due"]);
    }

    #[test]
    fn guidance_rule() {
        let t = format!("{MINIMAL}[[guidance]]\nkind = \"文書指導\"\ntext = \"x\"\nplan_requested = true\n");
        assert_eq!(run(guidance, &t), ["W:guidance-without-due"]);
        let t = format!("{MINIMAL}[[guidance]]\nkind = \"助言\"\ntext = \"x\"\n");
        assert!(run(guidance, &t).is_empty());
        // The reply has come: a missing due date no longer matters.
        let t = format!("{MINIMAL}[[guidance]]\nkind = \"文書指導\"\ntext = \"x\"\nplan_requested = true\ngiven_on = 2025-06-25\nreplied_on = 2025-07-10\n");
        assert!(run(guidance, &t).is_empty());
        let t = format!("{MINIMAL}[[guidance]]\nkind = \"文書指導\"\ntext = \"x\"\ngiven_on = 2025-06-25\nreply_due = 2025-07-11\nreplied_on = 2025-06-24\n");
        assert_eq!(run(guidance, &t), ["W:guidance-reply-before-given"]);
    }
}
