//! The incident sheets of report.xlsx: 被害状況, 対応状況, 復旧状況 and 再発防止策.

use super::*;
use crate::case::fields::{damage, follow_up, recovery, response, shorts};
use crate::report::{DamageView, InvestigationView, RecoveryView, ResponseView};

pub(super) fn damage(ws: &mut Worksheet, r: &Report, d: &DamageView, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("被害状況")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 被害状況", r.no["damage"]))?;
    if d.is_empty {
        g.text(0, "調査時点で把握している被害はありません")?;
        g.next();
    }
    if !d.summary.is_empty() {
        g.label(0, "概要")?;
        g.t(1, &d.summary)?;
        g.next();
        g.gap();
    }
    if !d.systems.is_empty() {
        g.heading("被害を受けたシステム及び機器")?;
        // The kind of effect is shown where the case names one (then totals are per kind).
        let c = shorts(&damage::AFFECTED);
        let e = usize::from(d.has_effects);
        if d.has_effects {
            g.header(&c)?;
        } else {
            g.header(&[c[0], c[2], c[3], c[4]])?;
        }
        for s in &d.systems {
            g.t(0, &s.name)?;
            if d.has_effects {
                g.text(1, s.effect)?;
            }
            g.qty(1 + e as u16, &s.servers)?;
            g.qty(2 + e as u16, &s.pcs)?;
            g.t(3 + e as u16, &s.note)?;
            g.next();
        }
        for t in &d.totals {
            g.label(0, &t.label)?;
            if d.has_effects {
                g.text(1, "")?;
            }
            g.qty(1 + e as u16, &t.servers)?;
            g.qty(2 + e as u16, &t.pcs)?;
            g.text(3 + e as u16, "")?;
            g.next();
        }
        if d.has_effects {
            x::text(g.ws, g.row, 0, "影響の種類が異なる台数は重なりうるため、種類ごとに合計しています。", &plain())?;
            g.next();
        }
        g.gap();
    }
    if !d.data.is_empty() {
        g.heading("データへの影響")?;
        g.header(&shorts(&damage::DATA))?;
        for x in &d.data {
            g.text(0, x.kind)?;
            g.qty(1, &x.records)?;
            g.qty(2, &x.persons)?;
            g.t(3, &x.items)?;
            g.t(4, &x.note)?;
            g.next();
        }
        g.gap();
    }
    if !d.clinical.is_empty() {
        g.heading("診療への影響")?;
        let c = shorts(&damage::CLINICAL);
        g.header(&[c[0], c[1], c[2], c[3], days_header(), c[4]])?;
        for c in &d.clinical {
            g.text(0, c.service)?;
            g.t(1, &c.text)?;
            g.when(2, &c.from)?;
            g.when(3, &c.to)?;
            g.days(4, c.to_days)?;
            g.qty(5, &c.count)?;
            g.next();
        }
        g.gap();
    }
    if let Some(p) = &d.paper {
        g.heading("紙運用")?;
        let f = &damage::DAMAGE_FIELDS;
        g.header(&[f[2].short, f[3].short, days_header(), f[4].short])?;
        g.when(0, &p.from)?;
        g.when(1, &p.to)?;
        g.days(2, p.to_days)?;
        g.t(3, &p.text)?;
        g.next();
        g.gap();
    }
    if !d.devices.is_empty() {
        g.heading(damage::DEVICES.title)?;
        g.header(&shorts(&damage::DEVICES))?;
        for x in &d.devices {
            g.text(0, x.kind)?;
            g.text(1, x.effect)?;
            g.qty(2, &x.count)?;
            g.t(3, &x.note)?;
            g.next();
        }
        for t in &d.device_totals {
            g.label(0, t.kind)?;
            g.text(1, "")?;
            g.qty(2, &t.count)?;
            g.text(3, "")?;
            g.next();
        }
        x::text(
            g.ws,
            g.row,
            0,
            "台数は影響の種類ごとに合計しています（同じ機器が複数の種類に当たりうるため）。",
            &plain(),
        )?;
        g.next();
        g.gap();
    }
    if !d.persons.is_empty() {
        g.heading(damage::PERSONS.title)?;
        g.header(&shorts(&damage::PERSONS))?;
        for p in &d.persons {
            g.text(0, p.category)?;
            g.qty(1, &p.count)?;
            g.t(2, &p.note)?;
            g.next();
        }
        g.label(0, "合計")?;
        g.qty(1, &d.persons_total)?;
        g.text(2, "")?;
        g.next();
        g.gap();
    }
    if d.cost_yen.0.is_some() || !d.costs.is_empty() {
        g.heading("被害額")?;
        if d.cost_yen.0.is_some() {
            g.label(0, damage::DAMAGE_FIELDS[1].label)?;
            g.qty(1, &d.cost_yen)?;
            g.next();
        }
        for c in &d.costs {
            g.label(0, &format!("{}（円）", c.label))?;
            g.qty(1, &c.yen)?;
            g.next();
        }
        g.gap();
    }
    x::text(g.ws, g.row, 0, DAYS_NOTE, &plain())?;
    print(g.ws, true, None, "被害状況", r)?;
    g.finish(60.0)
}

pub(super) fn response(ws: &mut Worksheet, r: &Report, resp: &ResponseView, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("対応状況")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 対応状況", r.no["response"]))?;
    if resp.is_empty {
        g.text(0, "調査時点で把握している対応はありません")?;
        g.next();
    }
    if !resp.summary.is_empty() {
        g.label(0, "概要")?;
        g.t(1, &resp.summary)?;
        g.next();
        g.gap();
    }
    if !resp.actions.is_empty() {
        g.heading("実施した対応")?;
        let c = shorts(&response::ACTIONS);
        g.header(&[c[0], days_header(), c[1]])?;
        for e in &resp.actions {
            g.when(0, &e.at)?;
            g.days(1, e.days)?;
            g.t(2, &e.text)?;
            g.next();
        }
        g.gap();
    }
    if !resp.notifications.is_empty() {
        g.heading("連絡及び報告")?;
        let c = shorts(&response::NOTIFICATIONS);
        g.header(&[c[0], c[1], days_header(), c[2]])?;
        for n in &resp.notifications {
            g.text(0, n.party)?;
            g.when(1, &n.at)?;
            g.days(2, n.days)?;
            g.t(3, &n.text)?;
            g.next();
        }
        g.gap();
    }
    if !resp.publications.is_empty() {
        g.heading("施設の公表")?;
        let c = shorts(&response::PUBLICATIONS);
        g.header(&c)?;
        for p in &resp.publications {
            g.text(0, &p.number)?;
            g.when(1, &p.on)?;
            g.t(2, &p.figure)?;
            g.qty(3, &p.value)?;
            g.t(4, &p.text)?;
            g.next();
        }
        for f in &resp.figures {
            x::text(g.ws, g.row, 0, &format!("{}：{}", f.figure.raw, f.steps.raw), &plain())?;
            g.next();
        }
        g.gap();
    }
    if !resp.deadlines.is_empty() {
        // The same facts as report.md: each report's date, its limit and due date, and whether
        // it came late or is missing at the report's date.
        g.heading("報告の期限")?;
        g.header(&["相手", "日時", "日数", "期限・目安", "期日", "状況"])?;
        for d in &resp.deadlines {
            g.text(0, d.party)?;
            if d.recorded {
                g.when(1, &d.at)?;
                g.text(2, &d.since)?;
            } else {
                g.text(1, "未提出")?;
                g.text(2, "")?;
            }
            g.text(3, if d.limit.is_empty() { "速やかに" } else { &d.limit })?;
            g.when(4, &d.due)?;
            let state = match (d.recorded, d.late, d.overdue) {
                (true, true, _) => format!("{}を過ぎて提出", d.due_word),
                (true, false, _) => "提出済み".to_string(),
                (false, _, true) => format!("未提出（{}を過ぎています）", d.due_word),
                (false, _, false) => "未提出".to_string(),
            };
            g.text(5, &state)?;
            g.next();
        }
        g.gap();
    }
    x::text(g.ws, g.row, 0, DAYS_NOTE, &plain())?;
    print(g.ws, true, None, "対応状況", r)?;
    g.finish(60.0)
}

pub(super) fn recovery(ws: &mut Worksheet, r: &Report, rec: &RecoveryView, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("復旧状況")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 復旧状況", r.no["recovery"]))?;
    if !rec.summary.is_empty() {
        g.label(0, "概要")?;
        g.t(1, &rec.summary)?;
        g.next();
    }
    g.label(0, "全面復旧日")?;
    if rec.full_recovery.value.is_some() {
        g.when(1, &rec.full_recovery)?;
    } else {
        g.text(1, "全面復旧に至っていない")?;
    }
    g.next();
    g.label(0, days_header())?;
    g.days(1, rec.full_recovery_days)?;
    g.next();
    g.gap();
    if !rec.systems.is_empty() {
        g.heading("システムごとの復旧状況")?;
        let c = shorts(&recovery::RESTORED);
        g.header(&[c[0], c[1], c[2], days_header(), c[3]])?;
        for s in &rec.systems {
            g.t(0, &s.name)?;
            g.text(1, s.status)?;
            g.when(2, &s.restored)?;
            g.days(3, s.days)?;
            g.t(4, &s.note)?;
            g.next();
        }
        g.gap();
    }
    if !rec.backups.is_empty() {
        g.heading("バックアップ")?;
        g.header(&shorts(&recovery::BACKUPS))?;
        for b in &rec.backups {
            g.t(0, &b.name)?;
            g.when(1, &b.taken)?;
            g.text(2, b.offline)?;
            g.text(3, b.used)?;
            g.t(4, &b.note)?;
            g.next();
        }
        g.gap();
    }
    x::text(g.ws, g.row, 0, DAYS_NOTE, &plain())?;
    print(g.ws, true, None, "復旧状況", r)?;
    g.finish(60.0)
}

/// 調査体制: the investigation's facts, and the causes by 組織／人／技術.
pub(super) fn investigation(
    ws: &mut Worksheet,
    r: &Report,
    inv: &InvestigationView,
    iso: bool,
) -> Result<(), XlsxError> {
    ws.set_name("調査体制")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 調査体制", r.no["investigation"]))?;
    // Dates as date cells, the rest as text.
    for row in &inv.rows {
        g.label(0, &row.label)?;
        match inv.dates.iter().find(|(l, _)| *l == row.label) {
            Some((_, w)) => g.when(1, w)?,
            None => g.t(1, &row.value)?,
        }
        g.next();
    }
    let classified: Vec<(usize, &crate::report::CauseView)> =
        r.checklist.causes.iter().enumerate().filter(|(_, c)| !c.category.is_empty()).collect();
    if !classified.is_empty() {
        g.gap();
        g.heading("原因（組織・人・技術）")?;
        g.header(&["区分", "原因", "関係する項目"])?;
        for kind in ["組織", "人", "技術"] {
            for (i, c) in classified.iter().filter(|(_, c)| c.category == kind) {
                g.text(0, kind)?;
                g.text(1, &format!("({}) {}", i + 1, c.text.raw))?;
                let items: Vec<&str> = c.items.iter().map(|i| i.label.raw.as_str()).collect();
                g.text(2, &items.join("、"))?;
                g.next();
            }
        }
    }
    print(g.ws, true, None, "調査体制", r)?;
    g.finish_capped(60.0, &[(0, 24.0)])
}

pub(super) fn measures(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("再発防止策")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 再発防止策", r.no["measures"]))?;
    g.header(&[&["番号"][..], &shorts(&follow_up::MEASURES)].concat())?;
    let head = g.row - 1;
    for (i, m) in r.measures.iter().enumerate() {
        g.text(0, &format!("({})", i + 1))?;
        g.t(1, &m.text)?;
        g.text(2, m.category)?;
        g.t(3, &m.items)?;
        g.t(4, &m.owner)?;
        g.when(5, &m.due)?;
        g.text(6, m.status)?;
        g.when(7, &m.completed)?;
        g.next();
    }
    if r.measures.is_empty() {
        g.text(0, "調査時点で再発防止策の報告はありません")?;
    }
    print(g.ws, true, Some(head), "再発防止策", r)?;
    g.finish(60.0)
}
