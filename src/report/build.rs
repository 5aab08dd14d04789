//! Building the report's view model from a case: sections that apply, numbered; every date
//! in the chosen style; day counts and deadlines from [`crate::assess`].

use super::checklist::{checklist_view, item_labels, item_list_text};
use super::*;
use crate::assess::deadlines::{self, days_after};
use crate::assess::evidence;
use crate::case::fields::{follow_up, incident, overview, Field, Kind, Val};
use crate::case::*;
use crate::text::thousands;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Builds the view model.
pub fn build(loaded: &LoadedCase, reg: &Registry, opts: &Options) -> Report {
    let case = &loaded.case;
    let style = opts.date_style;
    let detected = deadlines::detected(case);
    let is_incident = case.is_incident();

    let facility = facility_view(case);
    let inspection = inspection_view(case, reg, style);
    let incident = case
        .incident
        .as_ref()
        .map(|i| incident_view(case, i, style))
        .or_else(|| is_incident.then(|| incident_view(case, &Incident::default(), style)));
    let damage = case
        .damage
        .as_ref()
        .map(|d| damage_view(d, detected, style))
        .or_else(|| is_incident.then(|| damage_view(&Damage::default(), detected, style)));
    let response = case
        .response
        .as_ref()
        .map(|r| response_view(case, r, detected, style, opts.generated_at.date()))
        .or_else(|| {
            is_incident.then(|| response_view(case, &Response::default(), detected, style, opts.generated_at.date()))
        });
    let recovery = case
        .recovery
        .as_ref()
        .map(|r| recovery_view(r, detected, style))
        .or_else(|| is_incident.then(|| recovery_view(&Recovery::default(), detected, style)));
    let measures: Vec<MeasureView> = case.measures.iter().map(|m| measure_view(m, reg, style)).collect();
    let checklist = checklist_view(case, reg, style);
    let pharmacy = case.facility.kind == Some(crate::case::FacilityKind::Pharmacy);
    let guidance: Vec<GuidanceView> =
        case.guidance.iter().map(|g| guidance_view(case, g, reg, style, pharmacy)).collect();
    let investigation = case.investigation.as_ref().map(|i| investigation_view(case, i, style));
    let authority_actions = authority_views(case, style);
    let states = evidence::states(loaded.dir(), case);
    let evidence: Vec<EvidenceView> = case
        .evidence
        .iter()
        .zip(&states)
        .map(|(e, st)| EvidenceView {
            state: st.label(),
            fault: st.is_fault(),
            id: Text::cell(&e.id),
            file: Text::cell(&e.file),
            sha256: Text::cell(if e.sha256.trim().is_empty() { NO_HASH } else { &e.sha256 }),
            sha256_value: e.sha256.trim().to_string(),
            collected: When::stamp(e.collected_at, style),
            collected_by: Text::cell(&e.collected_by),
            description: Text::cell(&e.description),
        })
        .collect();

    let applies = |key: &str| match key {
        "facility" | "inspection" => true,
        "incident" => incident.is_some(),
        "damage" => damage.is_some(),
        "response" => response.is_some(),
        "recovery" => recovery.is_some(),
        "measures" => is_incident || !measures.is_empty(),
        "investigation" => investigation.is_some(),
        "authority" => !authority_actions.is_empty(),
        "checklist" => !checklist.rows.is_empty(),
        "guidance" => !guidance.is_empty(),
        "evidence" => !evidence.is_empty(),
        _ => false,
    };
    let mut sections = Vec::new();
    let mut no = BTreeMap::new();
    for (key, title) in REPORT_SECTIONS {
        if applies(key) {
            let number = format!("第{}", sections.len() + 1);
            no.insert(key, number.clone());
            sections.push(SectionRef { key, number, title });
        }
    }

    let authority = case.facility.authority.name.trim();
    let office = case.facility.authority.office.trim();
    let sender = match (authority.is_empty(), office.is_empty()) {
        (false, false) if office.starts_with(authority) => office.to_string(),
        (false, false) => format!("{authority}（{office}）"),
        (false, true) => authority.to_string(),
        (true, false) => office.to_string(),
        (true, true) => String::new(),
    };
    let title = if is_incident {
        "医療機関等におけるサイバー攻撃事案に係る調査の結果について（報告）"
    } else {
        "医療機関等におけるサイバーセキュリティ対策に係る立入検査の結果について（報告）"
    };
    let generated = opts.generated_at;
    let date = match style {
        DateStyle::Wareki => crate::wareki::format(generated.date()),
        DateStyle::Iso => generated.date().format("%Y-%m-%d").to_string(),
    };
    let generated_text = match style {
        DateStyle::Wareki => format!("{} {}", crate::wareki::format(generated.date()), generated.format("%H:%M:%S")),
        DateStyle::Iso => generated.format("%Y-%m-%d %H:%M:%S").to_string(),
    };
    let case_file = loaded.path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();

    Report {
        title: Text::inline(title),
        kind: case.inspection.kind.map(|k| k.label().to_string()).unwrap_or_else(|| "－".into()),
        is_incident,
        is_pharmacy: pharmacy,
        addressee: Text::inline(&opts.addressee),
        sender: Text::inline(&sender),
        authority: Text::inline(authority),
        office: Text::inline(office),
        date,
        case_id: Text::cell(&case.case_id),
        facility_name: Text::inline(&case.facility.name),
        notice: NOTICE,
        days_note: DAYS_NOTE,
        sections,
        no,
        facility,
        inspection,
        incident,
        damage,
        response,
        recovery,
        measures,
        checklist,
        guidance,
        evidence,
        closing: Closing {
            case_file: Text::inline(&case_file),
            sha256: loaded.sha256(),
            version: env!("CARGO_PKG_VERSION"),
            generated_at: generated_text,
            generated_at_value: generated,
        },
        investigation,
        authority_actions,
    }
}

/// The investigation's fields, in form order, as label and value rows.
fn investigation_view(case: &Case, i: &Investigation, style: DateStyle) -> InvestigationView {
    let case = Case { investigation: Some(i.clone()), ..case.clone() };
    let rows = follow_up::INVESTIGATION_FIELDS
        .iter()
        .filter_map(|f| {
            let v = match (f.key, &i.summary_only) {
                ("investigation.summary_only", Some(true)) => "概要版のみ公表".to_string(),
                ("investigation.summary_only", Some(false)) => "全文を公表".to_string(),
                _ => field_text(&case, f, style),
            };
            (!v.trim().is_empty()).then(|| Row { label: f.short.into(), value: Text::cell(&v) })
        })
        .collect();
    let dates = follow_up::INVESTIGATION_FIELDS
        .iter()
        .filter_map(|f| match (f.get)(&case) {
            Val::Date(d) => Some((f.short.to_string(), When::date(Some(d), style))),
            _ => None,
        })
        .collect();
    InvestigationView { rows, dates }
}

/// The authority's own actions by date, each with the numbers of the guidance given in it.
fn authority_views(case: &Case, style: DateStyle) -> Vec<AuthorityActionView> {
    case.authority_actions
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let given: Vec<String> = case
                .guidance
                .iter()
                .enumerate()
                .filter(|(_, g)| g.action == Some(k as u32 + 1))
                .map(|(j, _)| format!("({})", j + 1))
                .collect();
            AuthorityActionView {
                kind: a.kind.label(),
                on: When::date(Some(a.on), style),
                legal_basis: Text::cell(&a.legal_basis),
                text: Text::cell(&a.text),
                guidance: given.join("、"),
            }
        })
        .collect()
}

/// The devices of one kind and effect, added up per effect (the effects overlap).
fn device_totals(devices: &[DeviceCount]) -> Vec<DeviceView> {
    let mut effects: Vec<Option<DeviceEffect>> = Vec::new();
    for d in devices {
        if !effects.contains(&d.effect) {
            effects.push(d.effect);
        }
    }
    effects.sort();
    let named = devices.iter().any(|d| d.effect.is_some());
    effects
        .into_iter()
        .map(|e| DeviceView {
            kind: match e {
                Some(DeviceEffect::Trace) => "合計（侵入の痕跡）",
                Some(DeviceEffect::Encrypted) => "合計（暗号化）",
                Some(DeviceEffect::Stopped) => "合計（停止）",
                None if named => "合計（種類の記載なし）",
                None => "合計",
            },
            effect: "",
            count: Qty(crate::assess::record::devices_total(devices, e)),
            note: Text::cell(""),
        })
        .collect()
}

/// An amount of yen in words (`約200,000,000円`, `不明`); estimates keep 約.
fn yen_text(a: Amount) -> String {
    a.with_unit("円")
}

/// How each figure the facility published more than once changed, in order of date.
fn figure_views(publications: &[Publication], style: DateStyle) -> Vec<FigureView> {
    let mut names: Vec<&str> = Vec::new();
    for p in publications {
        let f = p.figure.trim();
        if !f.is_empty() && !names.contains(&f) {
            names.push(f);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let mut steps: Vec<&Publication> =
                publications.iter().filter(|p| p.figure.trim() == name && p.value.is_some()).collect();
            steps.sort_by_key(|p| (p.on, p.number));
            (steps.len() > 1).then(|| FigureView {
                figure: Text::cell(name),
                steps: Text::cell(
                    &steps
                        .iter()
                        .map(|p| {
                            let when = When::date(Some(p.on), style).text;
                            let value = p.value.map(|v| v.text()).unwrap_or_default();
                            match p.number {
                                Some(n) => format!("{value}（第{n}報、{when}）"),
                                None => format!("{value}（{when}）"),
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" → "),
                ),
            })
        })
        .collect()
}

/// A field's value as a report writes it (dates in the chosen style, numbers with their unit);
/// empty where the case holds nothing.
fn field_text(case: &Case, f: &Field, style: DateStyle) -> String {
    match (f.get)(case) {
        Val::Empty => String::new(),
        // An approximate amount (約1億) with its unit, as an exact one has.
        Val::Text(s) if f.kind == Kind::Amount && !f.unit.is_empty() => {
            s.parse::<Amount>().map(|a| a.with_unit(f.unit)).unwrap_or(s)
        }
        Val::Text(s) => s,
        Val::Num(n) => format!("{}{}", thousands(n), f.unit),
        Val::Stamp(s) => When::stamp(Some(s), style).text,
        Val::Date(d) => When::date(Some(d), style).text,
        other => other.show(),
    }
}

fn facility_view(case: &Case) -> FacilityView {
    let f = &case.facility;
    let mut rows = Vec::new();
    for (i, field) in overview::FACILITY_FIELDS.iter().enumerate() {
        let v = field_text(case, field, DateStyle::Wareki);
        // The facility's name always has its row; other fields only where filled.
        if i == 0 || !v.trim().is_empty() {
            rows.push(Row { label: field.short.into(), value: Text::cell(&v) });
        }
    }
    if !case.case_id.trim().is_empty() {
        rows.push(Row { label: "事案ID".into(), value: Text::cell(&case.case_id) });
    }
    let systems = f
        .systems
        .iter()
        .map(|s| SystemView {
            name: Text::cell(&s.name),
            vendor: Text::cell(&s.vendor),
            remote: yes_no_unknown(s.remote_maintenance),
            note: Text::cell(&s.note),
        })
        .collect();
    let connections = f
        .connections
        .iter()
        .map(|c| ConnectionView {
            name: Text::cell(&c.name),
            kind: label_or_dash(c.kind, |k| k.label()),
            party: Text::cell(&c.party),
            purpose: Text::cell(&c.purpose),
            note: Text::cell(&c.note),
        })
        .collect();
    FacilityView { rows, systems, connections }
}

fn inspection_view(case: &Case, reg: &Registry, style: DateStyle) -> InspectionView {
    let i = &case.inspection;
    let id = crate::assess::id_shown(case, reg);
    let checklists = i
        .checklists
        .iter()
        .map(|id| match reg.get(id) {
            Some(c) => Text::inline(&c.title),
            None => Text::inline(id),
        })
        .collect();
    InspectionView {
        kind: i.kind.map(|k| k.label().to_string()).unwrap_or_else(|| "－".into()),
        legal_basis: i.legal_basis.iter().map(|s| Text::inline(s)).collect(),
        dates: i.dates.iter().map(|d| When::date(Some(*d), style)).collect(),
        inspectors: i
            .inspectors
            .iter()
            .map(|p| InspectorView {
                name: Text::cell(&p.name),
                id_number: Text::cell(&p.id_number),
                id_shown: if p.id_shown { "提示済み" } else { "記録なし" },
            })
            .collect(),
        attendees: i
            .attendees
            .iter()
            .map(|a| AttendeeView { name: Text::cell(&a.name), role: Text::cell(&a.role) })
            .collect(),
        documents: i.documents.iter().map(|d| Text::inline(d)).collect(),
        checklists,
        note: Text::block(&i.note),
        all_id_shown: id.shown(),
        id_step_not_done: matches!(id.step, Some((_, Some(Done::NotDone)))),
    }
}

fn incident_view(whole: &Case, i: &Incident, style: DateStyle) -> IncidentView {
    let detected = i.detected_at;
    let mut rows = Vec::new();
    // The connection named as the way in, with the contractor on its other end.
    let route = whole
        .facility
        .connections
        .iter()
        .find(|c| !i.entry_via.trim().is_empty() && c.name.trim() == i.entry_via.trim())
        .map(|c| {
            let parts: Vec<&str> = [c.kind.map(|k| k.label()).unwrap_or(""), c.party.trim(), c.purpose.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            if parts.is_empty() {
                c.name.trim().to_string()
            } else {
                format!("{}（{}）", c.name.trim(), parts.join("、"))
            }
        })
        .unwrap_or_default();
    // The incident's fields after its summary, in form order; the flag is written as a sentence.
    let case = Case { incident: Some(i.clone()), ..Case::default() };
    for field in incident::INCIDENT_FIELDS.iter().filter(|f| f.key != "incident.summary" && f.kind != Kind::Flag) {
        let v = field_text(&case, field, style);
        if !v.trim().is_empty() {
            rows.push(Row { label: field.short.into(), value: Text::cell(&v) });
        }
    }
    // The connection named as the way in is shown with its contractor.
    if !route.is_empty() {
        let via = incident::INCIDENT_FIELDS.iter().find(|f| f.key == "incident.entry_via").map(|f| f.short);
        if let Some(row) = rows.iter_mut().find(|r| Some(r.label.as_str()) == via) {
            row.value = Text::cell(&route);
        }
    }
    if i.unlawful_intent {
        rows.push(Row {
            label: "不正の目的".into(),
            value: Text::cell("不正の目的によるおそれがあります（個人情報保護委員会への確報は60日以内）"),
        });
    }
    let mut timeline: Vec<&Event> = i.timeline.iter().collect();
    timeline.sort_by_key(|e| e.at);
    IncidentView {
        route: Text::cell(&route),
        same_route: i
            .same_route
            .iter()
            .map(|f| RouteFacilityView { name: Text::cell(&f.name), note: Text::cell(&f.note) })
            .collect(),
        summary: Text::block(&i.summary),
        rows,
        timeline: timeline
            .into_iter()
            .map(|e| EventView {
                at: When::stamp(Some(e.at), style),
                days: days_after(detected, Some(e.at)),
                text: Text::cell(&e.text),
            })
            .collect(),
    }
}

fn damage_view(d: &Damage, detected: Option<Stamp>, style: DateStyle) -> DamageView {
    let systems: Vec<AffectedView> = d
        .systems
        .iter()
        .map(|s| AffectedView {
            name: Text::cell(&s.name),
            effect: s.effect.map(|e| e.label()).unwrap_or(""),
            servers: Qty(s.servers),
            pcs: Qty(s.pcs),
            note: Text::cell(&s.note),
        })
        .collect();
    let has_effects = d.systems.iter().any(|s| s.effect.is_some());
    // One total per kind of effect, in the order of the kinds: devices with traces and devices
    // encrypted are overlapping sets and are never added together.
    let mut groups: Vec<Option<DeviceEffect>> = Vec::new();
    for s in &d.systems {
        if !groups.contains(&s.effect) {
            groups.push(s.effect);
        }
    }
    groups.sort();
    let totals = groups
        .into_iter()
        .map(|g| {
            let rows: Vec<&AffectedSystem> = d.systems.iter().filter(|s| s.effect == g).collect();
            let sum = |f: fn(&AffectedSystem) -> Option<Amount>| {
                let parts: Vec<Amount> = rows.iter().map(|s| f(s).unwrap_or_else(Amount::unknown)).collect();
                Qty(Amount::sum(&parts))
            };
            TotalView {
                label: match g {
                    Some(e) => format!("合計（{}）", e.label()),
                    None if has_effects => "合計（種類の記載なし）".to_string(),
                    None => "合計".to_string(),
                },
                servers: sum(|s| s.servers),
                pcs: sum(|s| s.pcs),
            }
        })
        .collect();
    let day = |x: Option<Date>| days_after(detected, x.map(|d| Stamp::day(d.0)));
    DamageView {
        summary: Text::block(&d.summary),
        systems,
        has_effects,
        totals,
        data: d
            .data
            .iter()
            .map(|x| DataView {
                kind: x.kind.label(),
                records: Qty(x.records),
                persons: Qty(x.persons),
                items: Text::cell(&x.items.join("、")),
                note: Text::cell(&x.note),
            })
            .collect(),
        clinical: d
            .clinical
            .iter()
            .map(|c| ClinicalView {
                service: c.service.label(),
                text: Text::cell(&c.text),
                from: When::date(c.from, style),
                to: When::date(c.to, style),
                from_days: day(c.from),
                to_days: day(c.to),
                count: Qty(c.count),
            })
            .collect(),
        paper: d.paper_operation.as_ref().map(|p| PeriodView {
            from: When::date(p.from, style),
            to: When::date(p.to, style),
            to_days: day(p.to),
            text: Text::inline(&p.text),
        }),
        // An estimate: an exact figure is written 約 as well.
        cost: d
            .estimated_cost_yen
            .map(|a| if a.is_exact() { format!("約{}", a.text()) } else { a.text() })
            .unwrap_or_default(),
        cost_yen: Qty(d.estimated_cost_yen),
        is_empty: d == &Damage::default(),
        devices: d
            .devices
            .iter()
            .map(|x| DeviceView {
                kind: x.kind.label(),
                effect: x.effect.map(|e| e.label()).unwrap_or(""),
                count: Qty(x.count),
                note: Text::cell(&x.note),
            })
            .collect(),
        device_totals: device_totals(&d.devices),
        persons: d
            .persons
            .iter()
            .map(|p| PersonView { category: p.category.label(), count: Qty(p.count), note: Text::cell(&p.note) })
            .collect(),
        persons_total: Qty(crate::assess::record::persons_total(&d.persons)),
        costs: [
            ("調査・復旧費", d.cost_recovery_yen),
            ("逸失利益", d.cost_lost_revenue_yen),
            ("賠償・和解", d.cost_settlement_yen),
        ]
        .into_iter()
        .filter_map(|(label, a)| a.map(|a| CostView { label, text: yen_text(a), yen: Qty(Some(a)) }))
        .collect(),
    }
}

fn event_views(events: &[Event], detected: Option<Stamp>, style: DateStyle) -> Vec<EventView> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    sorted
        .into_iter()
        .map(|e| EventView {
            at: When::stamp(Some(e.at), style),
            days: days_after(detected, Some(e.at)),
            text: Text::cell(&e.text),
        })
        .collect()
}

fn response_view(
    case: &Case,
    r: &Response,
    detected: Option<Stamp>,
    style: DateStyle,
    as_of: NaiveDate,
) -> ResponseView {
    let mut notes: Vec<&Notification> = r.notifications.iter().collect();
    notes.sort_by_key(|n| n.at);
    let deadlines = deadlines::reporting(case)
        .into_iter()
        .filter(|d| d.recorded.is_some() || d.required)
        .map(|d| {
            let from = match (d.party, case.incident.as_ref().and_then(|i| i.leak_confirmed_at)) {
                (Party::PpcPreliminary | Party::PpcFinal, Some(_)) => "漏えい等を知った日",
                _ => "覚知",
            };
            let since = match d.days {
                None => format!("{from}からの日数は不明"),
                Some(0) => format!("{from}当日"),
                Some(n) if n > 0 => format!("{from}から{}日後", thousands(n as u64)),
                Some(n) => format!("{from}の{}日前", thousands(n.unsigned_abs())),
            };
            DeadlineView {
                party: d.party.label(),
                recorded: d.recorded.is_some(),
                at: When::stamp(d.recorded.map(|(_, at)| at), style),
                days: d.days,
                since,
                limit: d.limit.text(),
                due_word: d.limit.word(),
                due: When::date(d.due.map(Date), style),
                late: d.late,
                overdue: d.missing_at(as_of),
            }
        })
        .collect();
    ResponseView {
        deadlines,
        summary: Text::block(&r.summary),
        actions: event_views(&r.actions, detected, style),
        notifications: notes
            .into_iter()
            .map(|n| NotificationView {
                party: n.party.label(),
                at: When::stamp(Some(n.at), style),
                days: days_after(detected, Some(n.at)),
                text: Text::cell(&n.text),
            })
            .collect(),
        is_empty: r == &Response::default(),
        publications: {
            let mut p: Vec<&Publication> = r.publications.iter().collect();
            p.sort_by_key(|p| (p.on, p.number));
            p.into_iter()
                .map(|p| PublicationView {
                    number: p.number.map(|n| format!("第{n}報")).unwrap_or_else(|| "－".into()),
                    on: When::date(Some(p.on), style),
                    figure: Text::cell(&p.figure),
                    value: Qty(p.value),
                    text: Text::cell(&p.text),
                })
                .collect()
        },
        figures: figure_views(&r.publications, style),
    }
}

fn recovery_view(r: &Recovery, detected: Option<Stamp>, style: DateStyle) -> RecoveryView {
    let day = |x: Option<Date>| days_after(detected, x.map(|d| Stamp::day(d.0)));
    RecoveryView {
        summary: Text::block(&r.summary),
        full_recovery: When::date(r.full_recovery_on, style),
        full_recovery_days: day(r.full_recovery_on),
        systems: r
            .systems
            .iter()
            .map(|s| SystemRecoveryView {
                name: Text::cell(&s.name),
                status: s.status.label(),
                restored: When::date(s.restored_on, style),
                days: day(s.restored_on),
                note: Text::cell(&s.note),
            })
            .collect(),
        backups: r
            .backups
            .iter()
            .map(|b| BackupView {
                name: Text::cell(&b.name),
                taken: When::date(b.taken_on, style),
                offline: match b.offline {
                    Some(true) => "オフライン",
                    Some(false) => "オンライン",
                    None => "－",
                },
                used: match b.used {
                    Some(true) => "使用できた",
                    Some(false) => "使用できなかった",
                    None => "－",
                },
                note: Text::cell(&b.note),
            })
            .collect(),
        is_empty: r == &Recovery::default(),
    }
}

fn measure_view(m: &Measure, reg: &Registry, style: DateStyle) -> MeasureView {
    MeasureView {
        text: Text::cell(&m.text),
        category: label_or_dash(m.category, |c| c.label()),
        items: Text::cell(&item_list_text(reg, &m.items)),
        owner: Text::cell(&m.owner),
        due: When::date(m.due, style),
        status: label_or_dash(m.status, |s| s.label()),
        completed: When::date(m.completed_on, style),
    }
}

fn guidance_view(case: &Case, g: &Guidance, reg: &Registry, style: DateStyle, pharmacy: bool) -> GuidanceView {
    let linked = g.action.and_then(|n| Some((n, case.authority_actions.get((n as usize).checked_sub(1)?)?)));
    let action =
        linked.map(|(_, a)| format!("{} {}", a.kind.label(), When::date(Some(a.on), style).text)).unwrap_or_default();
    let mut requests = Vec::new();
    if g.plan_requested {
        requests.push("改善計画書の提出");
    }
    if g.report_requested {
        // A 薬局 is asked to report under 医薬品医療機器等法第69条.
        requests.push(if pharmacy {
            "医薬品医療機器等法第69条に基づく報告"
        } else {
            "医療法第25条第1項に基づく報告"
        });
    }
    GuidanceView {
        kind: g.kind.label(),
        text: Text::inline(&g.text),
        items: item_labels(reg, &g.items),
        items_text: Text::cell(&item_list_text(reg, &g.items)),
        given: When::date(g.given_on, style),
        reply_due: When::date(g.reply_due, style),
        requests: Text::cell(&requests.join("、")),
        replied: When::date(g.replied_on, style),
        action_no: linked.map(|(n, _)| n),
        action: Text::cell(&action),
    }
}
