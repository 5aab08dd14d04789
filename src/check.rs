//! The rules of `kensa check` for a case: consistency with the checklists, dates that cannot
//! be, and what an inspection or investigation record must hold.

use crate::case::model;
use crate::case::*;
use crate::checklist::{AnswerKind, ChecklistKind, Registry};
use crate::error::Diagnostic;
use crate::wareki;
use std::collections::{HashMap, HashSet};

/// Days after detection by which the APPI preliminary report (速報) is due (guidance: 3–5 days).
pub const APPI_PRELIMINARY_DAYS: i64 = 5;
/// Days after detection for the final report (確報); 60 where unlawful intent.
pub const APPI_FINAL_DAYS: i64 = 30;
pub const APPI_FINAL_DAYS_UNLAWFUL: i64 = 60;

/// Runs every rule over a case.
pub fn check_case(case: &Case, reg: &Registry) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    basics(case, &mut out);
    checklists_and_answers(case, reg, &mut out);
    links(case, reg, &mut out);
    dates(case, &mut out);
    incident_reporting(case, &mut out);
    measures_and_guidance(case, &mut out);
    out
}

fn basics(case: &Case, out: &mut Vec<Diagnostic>) {
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
    let code = &case.facility.code;
    if !(code.is_empty() || code.len() == 10 && code.chars().all(|c| c.is_ascii_digit())) {
        out.push(Diagnostic::warning(
            "facility-code",
            "facility.code",
            format!("医療機関コード「{code}」は10桁の数字ではありません（都道府県2桁＋点数表1桁＋7桁）"),
        ));
    }
    let mut ids = HashSet::new();
    for (i, e) in case.evidence.iter().enumerate() {
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

fn checklists_and_answers(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    for (i, id) in case.inspection.checklists.iter().enumerate() {
        if reg.get(id).is_none() {
            out.push(Diagnostic::error(
                "unknown-checklist",
                format!("inspection.checklists.{i}"),
                format!("チェックリスト「{id}」はありません（使えるもの: {}）", reg.ids().join("、")),
            ));
        }
    }
    // Facilities that use no information system (gate answered いいえ) need no further check.
    let gated: HashSet<&str> = case
        .answers
        .iter()
        .filter(|a| a.answer == Some(YesNo::No))
        .filter_map(|a| reg.item(&a.item).filter(|(_, it)| it.gate).map(|(c, _)| c.id.as_str()))
        .collect();
    let mut seen: HashMap<&ItemRef, usize> = HashMap::new();
    for (i, a) in case.answers.iter().enumerate() {
        let at = |f: &str| format!("answers.{i}.{f}");
        if let Some(first) = seen.insert(&a.item, i) {
            out.push(Diagnostic::error(
                "duplicate-item",
                at("item"),
                format!("項目「{}」の回答が二つあります（{}番目と{}番目の [[answers]]）", a.item, first + 1, i + 1),
            ));
            continue;
        }
        let Some((c, item)) = reg.item(&a.item) else {
            out.push(unknown_item(reg, &a.item, at("item")));
            continue;
        };
        if !case.inspection.checklists.iter().any(|id| id == &c.id) {
            out.push(Diagnostic::warning(
                "checklist-not-listed",
                at("item"),
                format!("項目「{}」のチェックリスト {} が inspection.checklists にありません", a.item, c.id),
            ));
        }
        let label = format!("{} {}", c.id, item.number);
        if item.answer != AnswerKind::Yesno && (a.answer.is_some() || a.target_on.is_some()) {
            out.push(Diagnostic::warning(
                "answer-kind",
                at("answer"),
                format!("{label} は{}で答える項目です。はい／いいえ・目標日は書きません", item.answer.label()),
            ));
        }
        let exempt = gated.contains(c.id.as_str()) && !item.gate;
        if a.answer == Some(YesNo::No) && a.target_on.is_none() && !item.gate && !exempt {
            out.push(Diagnostic::warning(
                "no-target-date",
                at("answer"),
                format!("{label}「{}」が「いいえ」ですが、目標日（target_on）がありません。年度内の目標日を記入してもらってください", short(&item.text)),
            ));
        }
        if let (Some(t), Some(base)) = (a.target_on, a.confirmed_on.or(case.inspection.dates.first().copied())) {
            if t < base {
                out.push(Diagnostic::warning(
                    "target-before-confirmation",
                    at("target_on"),
                    format!("{label} の目標日 {} が確認日 {} より前です", t.wareki(), base.wareki()),
                ));
            }
        }
        if let (Some(t), Some(base)) = (a.target_on, a.confirmed_on.or(case.inspection.dates.first().copied())) {
            // The MHLW form asks for a target within the fiscal year, or within the 年度 the
            // edition sets for the item (e.g. 二要素認証 by 令和9年度).
            let fy =
                item.target_fiscal_year.unwrap_or_else(|| wareki::fiscal_year(base.0)).max(wareki::fiscal_year(base.0));
            if let Some((_, end)) = wareki::fiscal_year_range(fy) {
                if t.0 > end {
                    out.push(Diagnostic::warning(
                        "target-after-fiscal-year",
                        at("target_on"),
                        format!(
                            "{label} の目標日 {} が{}の末日（{}）より後です。目標日は{}内で記入してもらってください",
                            t.wareki(),
                            wareki::format_fiscal_year(fy),
                            wareki::format(end),
                            wareki::format_fiscal_year(fy)
                        ),
                    ));
                }
            }
        }
        for (j, e) in a.evidence.iter().enumerate() {
            if !case.evidence.iter().any(|x| &x.id == e) {
                out.push(Diagnostic::error(
                    "unknown-evidence",
                    format!("answers.{i}.evidence.{j}"),
                    format!("{label} の証跡「{e}」が [[evidence]] にありません"),
                ));
            }
        }
        if a.verification == Some(Verification::Nonconform) && !case.guidance.iter().any(|g| g.items.contains(&a.item))
        {
            out.push(Diagnostic::warning(
                "nonconform-without-guidance",
                at("verification"),
                format!(
                    "{label}「{}」が不適合ですが、この項目への指導（[[guidance]] の items）がありません",
                    short(&item.text)
                ),
            ));
        }
    }
}

fn unknown_item(reg: &Registry, r: &ItemRef, path: String) -> Diagnostic {
    match reg.get(r.checklist()) {
        None => Diagnostic::error(
            "unknown-item",
            path,
            format!(
                "項目「{r}」のチェックリスト「{}」はありません（使えるもの: {}）",
                r.checklist(),
                reg.ids().join("、")
            ),
        ),
        Some(c) => Diagnostic::error(
            "unknown-item",
            path,
            format!(
                "項目「{r}」は {}（{}）にありません。kensa checklist show {} で項目IDを確認してください",
                c.id, c.edition, c.id
            ),
        ),
    }
}

fn links(case: &Case, reg: &Registry, out: &mut Vec<Diagnostic>) {
    let lists: [(&str, Vec<&Vec<ItemRef>>); 3] = [
        ("causes", case.causes.iter().map(|c| &c.items).collect()),
        ("measures", case.measures.iter().map(|m| &m.items).collect()),
        ("guidance", case.guidance.iter().map(|g| &g.items).collect()),
    ];
    for (name, entries) in lists {
        for (i, items) in entries.iter().enumerate() {
            for (j, r) in items.iter().enumerate() {
                if reg.item(r).is_none() {
                    out.push(unknown_item(reg, r, format!("{name}.{i}.items.{j}")));
                }
            }
        }
    }
}

fn dates(case: &Case, out: &mut Vec<Diagnostic>) {
    let detected = case.incident.as_ref().and_then(|i| i.detected_at);
    if let Some(inc) = &case.incident {
        if let (Some(o), Some(d)) = (inc.occurred_at, inc.detected_at) {
            if d < o {
                out.push(Diagnostic::error(
                    "detected-before-occurred",
                    "incident.detected_at",
                    format!(
                        "覚知日時 {} が発生日時 {} より前です。発生と覚知を確認してください",
                        d.wareki(),
                        o.wareki()
                    ),
                ));
            }
        }
    }
    if let (Some(rec), Some(d)) = (&case.recovery, detected) {
        if let Some(full) = rec.full_recovery_on {
            if full.0 < d.date {
                out.push(Diagnostic::error(
                    "recovered-before-detected",
                    "recovery.full_recovery_on",
                    format!("全面復旧日 {} が覚知日 {} より前です", full.wareki(), d.wareki()),
                ));
            }
        }
        for (i, s) in rec.systems.iter().enumerate() {
            if let Some(r) = s.restored_on {
                if r.0 < d.date {
                    out.push(Diagnostic::error(
                        "recovered-before-detected",
                        format!("recovery.systems.{i}.restored_on"),
                        format!("「{}」の復旧日 {} が覚知日 {} より前です", s.name, r.wareki(), d.wareki()),
                    ));
                }
            }
        }
    }
    if let Some(dmg) = &case.damage {
        for (i, c) in dmg.clinical.iter().enumerate() {
            if let (Some(f), Some(t)) = (c.from, c.to) {
                if t < f {
                    out.push(Diagnostic::error(
                        "period-reversed",
                        format!("damage.clinical.{i}.to"),
                        format!("{}の再開日 {} が停止日 {} より前です", c.service, t.wareki(), f.wareki()),
                    ));
                }
            }
        }
        if let Some(p) = &dmg.paper_operation {
            if let (Some(f), Some(t)) = (p.from, p.to) {
                if t < f {
                    out.push(Diagnostic::error(
                        "period-reversed",
                        "damage.paper_operation.to",
                        format!("紙運用の終了日 {} が開始日 {} より前です", t.wareki(), f.wareki()),
                    ));
                }
            }
        }
    }
    if let (Some(resp), Some(d)) = (&case.response, detected) {
        for (i, n) in resp.notifications.iter().enumerate() {
            if n.at.date < d.date {
                out.push(Diagnostic::warning(
                    "notified-before-detected",
                    format!("response.notifications.{i}.at"),
                    format!("{}への連絡 {} が覚知日 {} より前です", n.party, n.at.wareki(), d.wareki()),
                ));
            }
        }
    }
}

fn incident_reporting(case: &Case, out: &mut Vec<Diagnostic>) {
    if !case.is_incident() {
        return;
    }
    if case.first_notification(Party::Mhlw).is_none() {
        out.push(Diagnostic::warning(
            "no-mhlw-report",
            if case.response.is_some() { "response" } else { "inspection.kind" },
            "事案に係る調査ですが、厚生労働省への報告（response.notifications の party = \"厚生労働省\"）がありません（平成30年10月29日通知 記2）",
        ));
    }
    let Some(detected) = case.incident.as_ref().and_then(|i| i.detected_at) else {
        out.push(Diagnostic::warning(
            "no-detection-date",
            "incident",
            "事案の覚知日時（incident.detected_at）がありません",
        ));
        return;
    };
    let unlawful = case.incident.as_ref().is_some_and(|i| i.unlawful_intent);
    let idx = |party: Party| {
        case.response.as_ref().and_then(|r| {
            r.notifications
                .iter()
                .enumerate()
                .filter(|(_, n)| n.party == party)
                .min_by_key(|(_, n)| n.at)
                .map(|(i, n)| (i, n.at))
        })
    };
    if let Some((i, at)) = idx(Party::PpcPreliminary) {
        let days = (at.date - detected.date).num_days();
        if days > APPI_PRELIMINARY_DAYS {
            out.push(Diagnostic::warning(
                "appi-preliminary-late",
                format!("response.notifications.{i}.at"),
                format!(
                    "個人情報保護委員会への速報が覚知から{days}日後です（目安は{APPI_PRELIMINARY_DAYS}日以内。個人情報保護法第26条、施行規則第7・8条）"
                ),
            ));
        }
    }
    let final_limit = if unlawful { APPI_FINAL_DAYS_UNLAWFUL } else { APPI_FINAL_DAYS };
    if let Some((i, at)) = idx(Party::PpcFinal) {
        let days = (at.date - detected.date).num_days();
        if days > final_limit {
            out.push(Diagnostic::warning(
                "appi-final-late",
                format!("response.notifications.{i}.at"),
                format!(
                    "個人情報保護委員会への確報が覚知から{days}日後です（期限は{final_limit}日以内{}）",
                    if unlawful { "。不正の目的による事案" } else { "" }
                ),
            ));
        }
    }
    let leak = case.damage.as_ref().is_some_and(|d| {
        d.data.iter().any(|x| matches!(x.kind, DataImpactKind::Leaked | DataImpactKind::PossiblyLeaked))
    });
    if (leak || unlawful) && idx(Party::PpcPreliminary).is_none() {
        out.push(Diagnostic::warning(
            "appi-preliminary-missing",
            if case.response.is_some() { "response" } else { "incident" },
            "漏えい（そのおそれ）または不正の目的による事案ですが、個人情報保護委員会への速報の記録がありません",
        ));
    }
}

fn measures_and_guidance(case: &Case, out: &mut Vec<Diagnostic>) {
    for (i, m) in case.measures.iter().enumerate() {
        if m.owner.trim().is_empty() {
            out.push(Diagnostic::warning(
                "measure-without-owner",
                format!("measures.{i}"),
                format!("再発防止策「{}」に担当（owner）がありません", short(&m.text)),
            ));
        }
        if m.due.is_none() && m.status != Some(MeasureStatus::Completed) {
            out.push(Diagnostic::warning(
                "measure-without-due",
                format!("measures.{i}"),
                format!("再発防止策「{}」に期限（due）がありません", short(&m.text)),
            ));
        }
    }
    for (i, g) in case.guidance.iter().enumerate() {
        if (g.plan_requested || g.report_requested) && g.reply_due.is_none() {
            out.push(Diagnostic::warning(
                "guidance-without-due",
                format!("guidance.{i}"),
                format!("指導「{}」で改善計画書・報告を求めていますが、期限（reply_due）がありません", short(&g.text)),
            ));
        }
    }
}

/// Text of a message, cut to 30 characters.
fn short(s: &str) -> String {
    crate::text::short(s, 30)
}

/// Whether a checklist is a MHLW checklist (for messages and reports).
pub fn is_mhlw(reg: &Registry, id: &str) -> bool {
    reg.get(id).is_some_and(|c| c.kind == ChecklistKind::Mhlw)
}
