//! `kensa workbook` and `kensa import`, run through the real binary.

use crate::harness::{kensa as kensa_run, root as repo, samples, Run};
use calamine::{open_workbook, Data, Reader, SheetVisible, Xlsx};
use chrono::{NaiveDate, NaiveTime};
use kensa::case::*;
use kensa::checklist::Registry;
use kensa::workbook::read::Purpose;
use kensa::workbook::Audience;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn kensa(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    kensa_run(args)
}

fn out(o: &Run) -> String {
    o.stdout.clone()
}
fn err(o: &Run) -> String {
    o.stderr.clone()
}

fn copy_case(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    std::fs::copy(src.join("case.toml"), dst.join("case.toml")).unwrap();
}

fn save_case(dir: &Path, case: &Case) {
    std::fs::create_dir_all(dir).unwrap();
    kensa::case::save(dir, case, None).unwrap();
}

fn load(dir: &Path) -> Case {
    kensa::case::load(dir).unwrap().case
}

/// A new, empty case with the same id.
fn empty_like(case: &Case) -> Case {
    Case { format: FORMAT_VERSION, case_id: case.case_id.clone(), ..Case::default() }
}

fn make_workbook(case_dir: &Path, out: &Path, audience: &str) {
    let o = kensa(&[&"workbook", &case_dir, &"--out", &out, &"--for", &audience]);
    assert!(o.status.success(), "workbook failed: {}{}", out_str(&o), err(&o));
}

fn out_str(o: &Run) -> String {
    out(o)
}

fn import(case_dir: &Path, wb: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"import", &case_dir, &wb];
    for e in extra {
        args.push(e);
    }
    kensa(&args)
}

/// The rows of a sheet as read by calamine, with column A as the key.
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    assert_eq!(c0, 0, "column A holds the keys");
    let mut rows: Vec<Vec<Data>> = vec![Vec::new(); r0 as usize];
    rows.extend(range.rows().map(|r| r.to_vec()));
    rows
}

fn s(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn col_of(rows: &[Vec<Data>], header: &str) -> usize {
    let h = rows.iter().find(|r| r.first().map(s).as_deref() == Some("#header")).expect("header row");
    h.iter().position(|c| s(c) == header).unwrap_or_else(|| panic!("column {header}"))
}

fn row_of<'a>(rows: &'a [Vec<Data>], key: &str) -> &'a Vec<Data> {
    rows.iter().find(|r| r.first().map(s).as_deref() == Some(key)).unwrap_or_else(|| panic!("row {key}"))
}

#[test]
fn sample_workbooks_carry_sheets_values_and_real_dates() {
    let reg = Registry::load(None).unwrap();
    let all = samples();
    assert!(!all.is_empty(), "samples/*/case.toml");
    for dir in all {
        let case = load(&dir);
        let tmp = tempfile::tempdir().unwrap();
        let wb = tmp.path().join("w.xlsx");
        make_workbook(&dir, &wb, "inspector");

        let x: Xlsx<_> = open_workbook(&wb).unwrap();
        let names = x.sheet_names();
        assert_eq!(names.first().map(|s| s.as_str()), Some("概要"), "{names:?}");
        assert!(names.contains(&"チェックリスト".to_string()), "{names:?}");
        assert!(names.contains(&"指導事項".to_string()) && names.contains(&"証跡".to_string()), "{names:?}");
        if case.is_incident() {
            for n in ["時系列", "被害状況", "対応状況", "復旧状況", "再発防止策"] {
                assert!(names.contains(&n.to_string()), "{n} in {names:?}");
            }
        }
        let meta = x.sheets_metadata().iter().find(|m| m.name == "_kensa").cloned().expect("hidden sheet");
        assert_ne!(meta.visible, SheetVisible::Visible);

        // The hidden sheet names the case, the checklists with their editions and the items.
        let hidden = sheet_rows(&wb, "_kensa");
        let kv = |k: &str| -> Vec<Vec<String>> {
            hidden
                .iter()
                .filter(|r| r.first().map(s).as_deref() == Some(k))
                .map(|r| r.iter().map(s).collect())
                .collect()
        };
        assert_eq!(kv("case_id")[0][1], case.case_id);
        // Each sample uses one MHLW edition (the 令和7年度版, or the 令和6年度版 for last year's).
        let mhlw =
            case.inspection.checklists.iter().find(|c| c.starts_with("mhlw-")).expect("a MHLW checklist").clone();
        let listed = kv("checklist").into_iter().find(|r| r[1] == mhlw).expect("MHLW checklist listed");
        assert_eq!(listed[2], reg.get(&mhlw).unwrap().edition);
        assert_eq!(kv("answer").len(), case.answers.len());

        // Headers and the answers already in the case.
        let rows = sheet_rows(&wb, "チェックリスト");
        let ans = col_of(&rows, "回答（はい／いいえ）");
        let conf = col_of(&rows, "確認日");
        col_of(&rows, "確認結果（検査員）");
        let mut dated = 0;
        for a in case.answers.iter().filter(|a| a.item.checklist() == mhlw) {
            // An unanswered 事業者確認用 item of a facility that lists its systems has one row
            // per system instead of a facility-wide row.
            let key = kensa::workbook::answer_key(&a.item, &a.system);
            let Some(row) = rows.iter().find(|r| r.first().map(s).as_deref() == Some(key.as_str())) else {
                assert_eq!(a, &Answer::unanswered(a.item.clone()), "{key} has a row");
                continue;
            };
            let want = a.answer.map(|x| x.label().to_string()).unwrap_or_default();
            assert_eq!(s(&row[ans]), want, "{}", a.item);
            if let Some(d) = a.confirmed_on {
                match &row[conf] {
                    Data::DateTime(dt) => {
                        assert_eq!(dt.as_datetime().map(|x| x.date()), Some(d.0), "{}", a.item);
                        dated += 1;
                    }
                    other => panic!("{}: 確認日 is not a date cell: {other:?}", a.item),
                }
            }
        }
        assert!(dated > 0 || case.answers.iter().all(|a| a.confirmed_on.is_none()));

        // The facility's form on 概要.
        let summary = sheet_rows(&wb, "概要");
        assert_eq!(s(&row_of(&summary, "facility.name")[2]), case.facility.name);
    }
}

#[test]
fn sample_workbooks_import_into_an_empty_case_unchanged() {
    for dir in samples() {
        let case = load(&dir);
        let tmp = tempfile::tempdir().unwrap();
        let wb = tmp.path().join("w.xlsx");
        make_workbook(&dir, &wb, "inspector");
        // Into the same case: nothing to do.
        let same = tmp.path().join("same");
        copy_case(&dir, &same);
        let before = std::fs::read(same.join("case.toml")).unwrap();
        let o = import(&same, &wb, &[]);
        assert!(o.status.success(), "{}{}", out(&o), err(&o));
        assert!(out(&o).contains("変更はありません"), "{}", out(&o));
        assert_eq!(std::fs::read(same.join("case.toml")).unwrap(), before);
        // The workbook of a new case with the same id, filled with the whole sample: the whole
        // case comes back (answers with nothing recorded aside).
        let fresh = tmp.path().join("fresh");
        save_case(&fresh, &empty_like(&case));
        let filled = tmp.path().join("filled.xlsx");
        write_filled(&empty_like(&case), &case, &filled, "inspector");
        let o = import(&fresh, &filled, &[]);
        assert!(o.status.success(), "{}{}", out(&o), err(&o));
        assert_eq!(normalized(load(&fresh)), normalized(case.clone()), "{}", dir.display());
    }
}

/// The workbook of `exported` as a person would return it filled with `filled`'s values.
fn write_filled(exported: &Case, filled: &Case, path: &Path, audience: &str) {
    let audience = if audience == "facility" { Audience::Facility } else { Audience::Inspector };
    let bytes = kensa::workbook::write::build_as_filled(exported, filled, registry(), audience).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A case with the answers that record nothing left out and the rest in item order (an import
/// creates an answer only where it sets a value).
fn normalized(mut c: Case) -> Case {
    c.answers.retain(|a| a != &Answer { system: a.system.clone(), ..Answer::unanswered(a.item.clone()) });
    c.answers.sort_by(|a, b| (&a.item, &a.system).cmp(&(&b.item, &b.system)));
    c
}

fn part(xlsx: &Path, name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|_| panic!("{name}")).read_to_string(&mut s).unwrap();
    s
}

#[test]
fn sheets_are_protected_validated_and_set_up_for_print() {
    let dir = samples().into_iter().next().expect("a sample");
    let tmp = tempfile::tempdir().unwrap();
    let wb = tmp.path().join("w.xlsx");
    make_workbook(&dir, &wb, "inspector");
    let book = part(&wb, "xl/workbook.xml");
    assert!(book.contains("name=\"_kensa\"") && book.contains("state=\"hidden\""), "{book}");
    assert!(book.contains("_xlnm.Print_Titles"), "repeated header rows");
    // Sheet 2 is the MHLW checklist.
    let sheet = part(&wb, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains("<sheetProtection") && !sheet.contains("password="), "protected without a password");
    assert!(sheet.contains("type=\"list\"") && sheet.contains("type=\"date\""), "drop-downs and date validation");
    assert!(sheet.contains("promptTitle=\"確認日\"") && sheet.contains("日付を記入します"), "Japanese input messages");
    assert!(sheet.contains("前提項目"), "the gate's own message");
    assert!(sheet.contains("<pane ") && sheet.contains("state=\"frozen\""), "frozen header");
    assert!(sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""), "A4 landscape");
    assert!(sheet.contains("&amp;P"), "page numbers in the footer");
    let styles = part(&wb, "xl/styles.xml");
    assert!(styles.contains("locked=\"0\""), "input cells are unlocked");
    assert!(styles.contains("游ゴシック") && styles.contains("ggge"), "Japanese font and 和暦 date format");
}

#[test]
fn the_same_case_gives_the_same_bytes() {
    let dir = samples().into_iter().next().expect("a sample");
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.xlsx"), tmp.path().join("b.xlsx"));
    make_workbook(&dir, &a, "inspector");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    make_workbook(&dir, &b, "inspector");
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(), "workbook output is deterministic");
}

#[test]
fn facility_selfcheck_has_only_the_facility_columns() {
    let dir = samples().into_iter().next().expect("a sample");
    let tmp = tempfile::tempdir().unwrap();
    let wb = tmp.path().join("self.xlsx");
    make_workbook(&dir, &wb, "facility");
    let x: Xlsx<_> = open_workbook(&wb).unwrap();
    let names = x.sheet_names();
    assert!(!names.contains(&"概要".to_string()) && !names.contains(&"指導事項".to_string()), "{names:?}");
    let rows = sheet_rows(&wb, "チェックリスト");
    let header: Vec<String> = rows.iter().find(|r| s(&r[0]) == "#header").unwrap().iter().map(s).collect();
    for h in ["回答（はい／いいえ）", "確認日", "目標日（「いいえ」の場合）"] {
        assert!(header.contains(&h.to_string()), "{h} in {header:?}");
    }
    for h in ["確認結果（検査員）", "メモ（検査員）", "確認方法", "証跡ID"] {
        assert!(!header.contains(&h.to_string()), "{h} in {header:?}");
    }
    let text = rows.iter().flatten().map(s).collect::<String>();
    assert!(text.contains("前提項目") && text.contains("確認不要"), "the gate is explained");
}

// ---------------------------------------------------------------------------
// Round trip over generated cases
// ---------------------------------------------------------------------------

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[あ-んア-ン病院診療所A-Za-z0-9=+@\\-（）][あ-んア-ン病院A-Za-z0-9 =+@\\-。、\n]{0,14}[あ-んA-Za-z0-9。]",
        "[あ-ん]{1,3}",
        Just("=SUM(A1:A3)".to_string()),
        Just("０１２３".to_string()),
    ]
}
fn opt_text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), text()]
}
fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9\\-]{0,6}|[あ-ん]{1,4}"
}
fn date() -> impl Strategy<Value = Date> {
    prop_oneof![
        8 => (0i64..13_000).prop_map(|d| Date(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(d))),
        1 => (0i64..20_000).prop_map(|d| Date(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(d))),
    ]
}
fn stamp() -> impl Strategy<Value = Stamp> {
    (date(), prop::option::of((0u32..24, 0u32..60, prop_oneof![3 => Just(0u32), 1 => 0u32..60])))
        .prop_map(|(d, t)| Stamp { date: d.0, time: t.map(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s).unwrap()) })
}
fn big() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..1000, 0u64..(1u64 << 53), (1u64 << 53)..u64::MAX]
}
fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    prop::sample::select(all)
}
fn opt<S: Strategy>(s: S) -> impl Strategy<Value = Option<S::Value>> {
    prop::option::of(s)
}
fn vec_of<S: Strategy>(s: S, max: usize) -> impl Strategy<Value = Vec<S::Value>> {
    prop::collection::vec(s, 0..=max)
}

fn item_refs(reg: &'static Registry) -> impl Strategy<Value = Vec<ItemRef>> {
    let all: Vec<ItemRef> = reg.checklists.values().flat_map(|(c, _)| c.items.iter().map(|i| c.item_ref(i))).collect();
    vec_of(prop::sample::select(all), 3)
}

fn registry() -> &'static Registry {
    static REG: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REG.get_or_init(|| Registry::load(None).unwrap())
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        3 => big().prop_map(Amount::exact),
        1 => (0u64..1_000_000, any::<bool>(), pick(&[Bound::Exact, Bound::AtMost, Bound::AtLeast]))
            .prop_map(|(n, approx, bound)| Amount { value: Some(n), approx, bound }),
        1 => Just(Amount::unknown()),
    ]
}

fn facility() -> impl Strategy<Value = Facility> {
    let system = (text(), opt_text(), opt(any::<bool>()), opt_text())
        .prop_map(|(name, vendor, remote_maintenance, note)| InfoSystem { name, vendor, remote_maintenance, note });
    let connection = (text(), opt(pick(ConnectionKind::ALL)), opt_text(), opt_text(), opt_text())
        .prop_map(|(name, kind, party, purpose, note)| Connection { name, kind, party, purpose, note });
    (
        (text(), opt(pick(FacilityKind::ALL)), opt_text(), opt_text(), opt_text(), opt_text()),
        (opt(any::<u32>()), opt_text(), opt_text(), vec_of(system, 3), vec_of(connection, 2)),
        (opt(any::<bool>()), opt_text()),
    )
        .prop_map(
            |(
                (name, kind, code, founder, manager, address),
                (beds, an, ao, systems, connections),
                (maintenance_entrusted, maintenance_basis),
            )| Facility {
                name,
                kind,
                code,
                founder,
                manager,
                address,
                beds,
                authority: Authority { name: an, office: ao },
                systems,
                connections,
                maintenance_entrusted,
                maintenance_basis,
            },
        )
}

fn inspection() -> impl Strategy<Value = Inspection> {
    let ids = prop::sample::subsequence(vec!["mhlw-r7", "incident", "onsite", "mhlw-r6"], 1..=3);
    let inspector = (text(), opt_text(), any::<bool>()).prop_map(|(name, id_number, id_shown)| Inspector {
        name,
        id_number,
        id_shown,
    });
    let attendee = (text(), opt_text()).prop_map(|(name, role)| Attendee { name, role });
    (
        (opt(pick(InspectionKind::ALL)), vec_of(text(), 2), vec_of(date(), 2), ids),
        (vec_of(text(), 3), opt_text(), vec_of(inspector, 2), vec_of(attendee, 3)),
    )
        .prop_map(|((kind, legal_basis, dates, ids), (documents, note, inspectors, attendees))| Inspection {
            kind,
            legal_basis,
            dates,
            checklists: ids.into_iter().map(String::from).collect(),
            documents,
            note,
            inspectors,
            attendees,
        })
}

/// A target: a date, a 年度 or 「次期システム更改時」.
fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        4 => date().prop_map(Target::On),
        1 => (2019i32..2040).prop_map(Target::FiscalYear),
        1 => Just(Target::NextRenewal),
    ]
}

fn answer(item: ItemRef) -> impl Strategy<Value = Answer> {
    (
        (opt(pick(YesNo::ALL)), opt(date()), opt(target()), opt(pick(Verification::ALL)), opt(pick(Done::ALL))),
        (vec_of(pick(Method::ALL), 3), opt_text(), opt_text(), vec_of(word(), 2), opt(pick(Responsibility::ALL))),
    )
        .prop_map(
            move |(
                (answer, confirmed_on, target_on, verification, done),
                (method, text, note, evidence, responsibility),
            )| Answer {
                item: item.clone(),
                system: String::new(),
                answer,
                confirmed_on,
                target_on,
                verification,
                done,
                method,
                text,
                note,
                evidence,
                responsibility,
            },
        )
}

fn event() -> impl Strategy<Value = Event> {
    (stamp(), opt_text()).prop_map(|(at, text)| Event { at, text })
}

fn incident_parts() -> impl Strategy<Value = (Option<Incident>, Option<Damage>, Option<Response>, Option<Recovery>)> {
    let route = (text(), opt_text()).prop_map(|(name, note)| RouteFacility { name, note });
    let ransom = (opt(pick(Presence::ALL)), opt(amount()), opt(pick(Presence::ALL)), opt_text(), vec_of(route, 2));
    let incident = (
        (opt_text(), opt(stamp()), opt(stamp()), opt_text(), opt_text()),
        (opt_text(), opt_text(), any::<bool>(), vec_of(event(), 3), opt(stamp())),
        ransom,
    )
        .prop_map(
            |(
                (summary, occurred_at, detected_at, attack_type, entry_via),
                (malware, entry_vector, unlawful_intent, timeline, leak_confirmed_at),
                (ransom_demanded, ransom_amount_yen, ransom_paid, ransom_note, same_route),
            )| {
                Incident {
                    summary,
                    occurred_at,
                    detected_at,
                    attack_type,
                    malware,
                    entry_vector,
                    entry_via,
                    leak_confirmed_at,
                    unlawful_intent,
                    timeline,
                    ransom_demanded,
                    ransom_amount_yen,
                    ransom_paid,
                    ransom_note,
                    same_route,
                }
            },
        );
    let affected = (text(), opt(pick(DeviceEffect::ALL)), opt(amount()), opt(amount()), opt_text())
        .prop_map(|(name, effect, servers, pcs, note)| AffectedSystem { name, effect, servers, pcs, note });
    let data = (pick(DataImpactKind::ALL), opt(amount()), opt(amount()), vec_of(word(), 3), opt_text())
        .prop_map(|(kind, records, persons, items, note)| DataImpact { kind, records, persons, items, note });
    let clinical = (pick(ClinicalService::ALL), opt_text(), opt(date()), opt(date()), opt(amount()))
        .prop_map(|(service, text, from, to, count)| ClinicalImpact { service, text, from, to, count });
    let period = (opt(date()), opt(date()), opt_text()).prop_map(|(from, to, text)| Period { from, to, text });
    let device = (pick(DeviceKind::ALL), opt(pick(DeviceEffect::ALL)), opt(amount()), opt_text())
        .prop_map(|(kind, effect, count, note)| DeviceCount { kind, effect, count, note });
    let person = (pick(PersonCategory::ALL), opt(amount()), opt_text())
        .prop_map(|(category, count, note)| PersonCount { category, count, note });
    let damage = (
        (opt_text(), opt(amount()), vec_of(affected, 2), vec_of(data, 2), vec_of(clinical, 2), opt(period)),
        (vec_of(device, 3), vec_of(person, 3), opt(amount()), opt(amount()), opt(amount())),
    )
        .prop_map(
            |(
                (summary, estimated_cost_yen, systems, data, clinical, paper_operation),
                (devices, persons, cost_recovery_yen, cost_lost_revenue_yen, cost_settlement_yen),
            )| Damage {
                summary,
                estimated_cost_yen,
                systems,
                data,
                clinical,
                paper_operation,
                devices,
                persons,
                cost_recovery_yen,
                cost_lost_revenue_yen,
                cost_settlement_yen,
            },
        );
    let notification =
        (pick(Party::ALL), stamp(), opt_text()).prop_map(|(party, at, text)| Notification { party, at, text });
    let publication = (opt(1u32..20), date(), opt_text(), opt(amount()), opt_text())
        .prop_map(|(number, on, figure, value, text)| Publication { number, on, figure, value, text });
    let response = (opt_text(), vec_of(event(), 2), vec_of(notification, 3), vec_of(publication, 3)).prop_map(
        |(summary, actions, notifications, publications)| Response { summary, actions, notifications, publications },
    );
    let restored = (text(), pick(RecoveryStatus::ALL), opt(date()), opt_text())
        .prop_map(|(name, status, restored_on, note)| SystemRecovery { name, status, restored_on, note });
    let backup = (text(), opt(date()), opt(any::<bool>()), opt(any::<bool>()), opt_text())
        .prop_map(|(name, taken_on, offline, used, note)| Backup { name, taken_on, offline, used, note });
    let recovery = (opt_text(), opt(date()), vec_of(restored, 2), vec_of(backup, 2)).prop_map(
        |(summary, full_recovery_on, systems, backups)| Recovery { summary, full_recovery_on, systems, backups },
    );
    (opt(incident), opt(damage), opt(response), opt(recovery))
}

fn lists(reg: &'static Registry) -> impl Strategy<Value = (Vec<Cause>, Vec<Measure>, Vec<Guidance>, Vec<Evidence>)> {
    let cause = (text(), item_refs(reg), opt(pick(CauseCategory::ALL))).prop_map(|(text, items, category)| Cause {
        text,
        items,
        category,
    });
    let measure = (
        (text(), opt(pick(MeasureCategory::ALL)), item_refs(reg), opt_text()),
        (opt(date()), opt(pick(MeasureStatus::ALL)), opt(date())),
    )
        .prop_map(|((text, category, items, owner), (due, status, completed_on))| Measure {
            text,
            category,
            items,
            owner,
            due,
            status,
            completed_on,
        });
    let guidance = (
        (pick(GuidanceKind::ALL), text(), item_refs(reg)),
        (opt(date()), opt(date()), any::<bool>(), any::<bool>(), opt(date()), opt(1u32..4)),
    )
        .prop_map(
            |((kind, text, items), (given_on, reply_due, plan_requested, report_requested, replied_on, action))| {
                Guidance {
                    kind,
                    text,
                    items,
                    given_on,
                    reply_due,
                    plan_requested,
                    report_requested,
                    replied_on,
                    action,
                }
            },
        );
    let evidence =
        (word(), text(), prop_oneof![Just(String::new()), "[0-9a-f]{64}"], opt(stamp()), opt_text(), opt_text())
            .prop_map(|(id, file, sha256, collected_at, collected_by, description)| Evidence {
                id,
                file,
                sha256,
                collected_at,
                collected_by,
                description,
            });
    (vec_of(cause, 2), vec_of(measure, 3), vec_of(guidance, 3), vec_of(evidence, 3))
}

fn case() -> impl Strategy<Value = Case> {
    let reg = registry();
    let investigation = (opt_text(), opt_text(), opt(date()), opt(date()), opt(any::<bool>()), opt_text()).prop_map(
        |(body, chair, set_up_on, reported_on, summary_only, note)| Investigation {
            body,
            chair,
            set_up_on,
            reported_on,
            summary_only,
            note,
        },
    );
    let action = (pick(AuthorityActionKind::ALL), date(), opt_text(), opt_text())
        .prop_map(|(kind, on, legal_basis, text)| AuthorityAction { kind, on, legal_basis, text });
    let record = (opt(investigation), vec_of(action, 3));
    ("[A-Z0-9]{2,4}-[0-9]{1,4}", facility(), inspection(), incident_parts(), lists(reg), record).prop_flat_map(
        move |(
            id,
            facility,
            inspection,
            (incident, damage, response, recovery),
            lists,
            (investigation, authority_actions),
        )| {
            // Answers for a subset of the items of the case's checklists, in a shuffled order.
            let items: Vec<ItemRef> = inspection
                .checklists
                .iter()
                .filter_map(|c| reg.get(c))
                .flat_map(|c| c.items.iter().map(|i| c.item_ref(i)))
                .collect();
            let n = items.len();
            let chosen = prop::sample::subsequence(items, 0..=n.min(12)).prop_shuffle();
            let answers = chosen.prop_flat_map(|items| items.into_iter().map(answer).collect::<Vec<_>>());
            let (causes, measures, guidance, evidence) = lists;
            (Just(id), Just(facility), Just(inspection), Just((incident, damage, response, recovery)), answers)
                .prop_map(move |(case_id, facility, inspection, (incident, damage, response, recovery), answers)| {
                    Case {
                        format: FORMAT_VERSION,
                        case_id,
                        facility,
                        self_check: SelfCheck { filled_on: inspection.dates.first().copied() },
                        inspection,
                        incident,
                        damage,
                        response,
                        recovery,
                        answers,
                        causes: causes.clone(),
                        measures: measures.clone(),
                        guidance: guidance.clone(),
                        evidence: evidence.clone(),
                        investigation: investigation.clone(),
                        authority_actions: authority_actions.clone(),
                    }
                })
        },
    )
}

/// Every generated case survives case.toml → workbook → import into an empty case unchanged.
/// (Run on a thread with a large stack: the nested case strategy is deep in debug builds.)
#[test]
fn round_trip_case_to_workbook_and_back() {
    let run = || {
        let config = ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() };
        let mut runner = proptest::test_runner::TestRunner::new(config);
        runner
            .run(&case(), |original| {
                let tmp = tempfile::tempdir().unwrap();
                let src = tmp.path().join("src");
                save_case(&src, &original);
                let original = load(&src); // as written to disk
                                           // The workbook itself imports back into its case without a change.
                let wb = tmp.path().join("w.xlsx");
                make_workbook(&src, &wb, "inspector");
                let o = import(&src, &wb, &[]);
                prop_assert!(out(&o).contains("変更はありません"), "{}{}", out(&o), err(&o));
                // A new case's workbook filled with the whole case brings all of it back (read
                // and merged through the library: a generated case need not pass check, which the
                // import command requires).
                let filled = tmp.path().join("filled.xlsx");
                write_filled(&empty_like(&original), &original, &filled, "inspector");
                let reg = registry();
                let data =
                    kensa::workbook::read::read(&filled, reg, Purpose::Merge { case_id: Some(&original.case_id) })
                        .unwrap();
                // Read for counting, the same workbook gives the same values without the
                // fingerprints, and the same standalone case.
                let counted = kensa::workbook::read::read(&filled, reg, Purpose::Count).unwrap();
                prop_assert!(data.base.is_some() && counted.base.is_none());
                // Counting stops reading the hidden sheet at its first fingerprint row: they are
                // its last rows (only the lists' columns run beside them, with column A empty).
                let meta =
                    kensa::xlsx::read::Guarded::open(&filled).unwrap().sheet(kensa::workbook::META_SHEET).unwrap();
                let keys: Vec<String> =
                    meta.values().map(|r| r.get(&0).map(|v| v.plain()).unwrap_or_default()).collect();
                let fingerprint = |k: &String| kensa::workbook::FINGERPRINT_KEYS.contains(&k.as_str());
                let first = keys.iter().position(fingerprint);
                prop_assert!(first.is_some(), "{:?}", keys);
                prop_assert!(keys[first.unwrap_or(0)..].iter().all(|k| k.is_empty() || fingerprint(k)), "{:?}", keys);
                prop_assert_eq!(kensa::merge::standalone(&counted, reg), kensa::merge::standalone(&data, reg));
                let back = kensa::merge::merge(&empty_like(&original), &data, reg, None);
                prop_assert!(back.conflicts.is_empty(), "{:?}", back.conflicts);
                prop_assert_eq!(normalized(back.case.clone()), normalized(original.clone()));
                // And merging again changes nothing.
                let again = kensa::merge::merge(&back.case, &data, reg, None);
                prop_assert!(again.changes.is_empty() && again.conflicts.is_empty(), "{:?}", again.changes);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    };
    std::thread::Builder::new().stack_size(256 << 20).spawn(run).unwrap().join().unwrap();
}

// ---------------------------------------------------------------------------
// Summary, dry run, conflicts, the facility's self-check
// ---------------------------------------------------------------------------

fn base_case() -> Case {
    let reg = registry();
    let c = reg.get("mhlw-r7").unwrap();
    let mut case = Case { format: FORMAT_VERSION, case_id: "T-0001".into(), ..Case::default() };
    case.facility.name = "架空テスト病院".into();
    case.inspection.kind = Some(InspectionKind::Routine);
    case.inspection.checklists = vec!["mhlw-r7".into()];
    case.answers = c.items.iter().map(|i| Answer::unanswered(c.item_ref(i))).collect();
    case
}

fn answer_mut<'a>(case: &'a mut Case, item: &str) -> &'a mut Answer {
    case.answers.iter_mut().find(|a| a.item.as_str() == item).unwrap()
}

#[test]
fn import_lists_changes_and_dry_run_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut filled = base_case();
    {
        let a = answer_mut(&mut filled, "mhlw-r7:2-06");
        a.answer = Some(YesNo::No);
        a.target_on = Date::ymd(2026, 3, 31).map(Target::On);
        a.note = "VPN装置のパッチ未適用".into();
    }
    filled.facility.address = "架空県架空市1-2-3".into();
    let src = tmp.path().join("src");
    save_case(&src, &filled);
    // The workbook of the case as exported, returned filled.
    let wb = tmp.path().join("w.xlsx");
    write_filled(&base_case(), &filled, &wb, "inspector");

    let dst = tmp.path().join("dst");
    save_case(&dst, &base_case());
    let before = std::fs::read(dst.join("case.toml")).unwrap();
    let o = import(&dst, &wb, &["--dry-run"]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("変更 4 件"), "{text}");
    assert!(text.contains("mhlw-r7 2-⑥ 回答（はい／いいえ）: （空欄） → いいえ"), "{text}");
    assert!(text.contains("令和8年3月31日"), "{text}");
    assert!(text.contains("所在地: （空欄） → 架空県架空市1-2-3"), "{text}");
    assert!(text.contains("--dry-run"), "{text}");
    assert_eq!(std::fs::read(dst.join("case.toml")).unwrap(), before, "dry run leaves case.toml byte-identical");
    assert!(!dst.join("backup").exists());

    let o = import(&dst, &wb, &[]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(load(&dst), load(&src));
    let backups = backups(&dst);
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(std::fs::read(&backups[0]).unwrap(), before, "the previous case.toml is kept");
    let name = backups[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(out(&o).contains(&name), "the message names the backup: {}", out(&o));
}

/// The files in a case folder's `backup/`, sorted by name.
fn backups(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join("backup")) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// A case file as an inspector keeps it by hand.
const HANDWRITTEN: &str = r#"# 架空テスト病院 定期立入検査（手書きのメモあり）

format = 1
case_id = "T-0001"   # 県の台帳の番号

# 施設の概要は開設許可証で確認
[facility]
name = "架空テスト病院"
kind = "病院"
authority = { name = "架空県", office = "架空県医務課" }

[inspection]
kind = "定期の立入検査"
dates = ["令和7年6月1日"]
checklists = ["mhlw-r7"]
documents = [
  "機器台帳",        # 令和7年4月1日現在
  "保守契約書",
]

# ===== 医療機関等確認用 =====

[[answers]]
item = "mhlw-r7:0"
answer = "はい"
confirmed_on = "令和7年6月1日"

# レセコン事業者は一部未回答（11月末に提出予定）
[[answers]]
item = "mhlw-r7:2-06"
answer = "いいえ"
target_on = "令和8年3月31日"   # 年度内に対応予定
note = "VPN装置のパッチ未適用"
"#;

/// The lines only in `a` and the lines only in `b`.
fn line_diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let (mut start, mut end) = (0, 0);
    while start < a.len().min(b.len()) && a[start] == b[start] {
        start += 1;
    }
    while end < (a.len() - start).min(b.len() - start) && a[a.len() - 1 - end] == b[b.len() - 1 - end] {
        end += 1;
    }
    let only = |l: &[&str]| l[start..l.len() - end].iter().map(|s| s.to_string()).collect();
    (only(&a), only(&b))
}

#[test]
fn import_into_a_handwritten_case_changes_only_the_changed_lines_and_keeps_backups() {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("dst");
    std::fs::create_dir_all(&dst).unwrap();
    std::fs::write(dst.join("case.toml"), HANDWRITTEN).unwrap();

    // The case's workbook, returned with one answer's note changed.
    let exported = load(&dst);
    let mut filled = exported.clone();
    answer_mut(&mut filled, "mhlw-r7:2-06").note = "VPN装置のパッチを11月に適用予定".into();
    let wb = tmp.path().join("w.xlsx");
    write_filled(&exported, &filled, &wb, "inspector");
    let o = import(&dst, &wb, &[]);
    assert!(o.status.success(), "{}", err(&o));
    let first = std::fs::read_to_string(dst.join("case.toml")).unwrap();
    assert_eq!(
        line_diff(HANDWRITTEN, &first),
        (
            vec!["note = \"VPN装置のパッチ未適用\"".to_string()],
            vec!["note = \"VPN装置のパッチを11月に適用予定\"".to_string()]
        ),
        "{first}"
    );
    assert_eq!(load(&dst), filled);
    let kept = backups(&dst);
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), HANDWRITTEN);
    assert!(out(&o).contains(&format!("以前の内容は {} に保存", kept[0].display())), "{}", out(&o));

    // A second import changing a date written as 和暦 text: it stays 和暦 text, its comment
    // stays, and the first version is still kept.
    let exported = load(&dst);
    answer_mut(&mut filled, "mhlw-r7:2-06").target_on = Date::ymd(2025, 12, 26).map(Target::On);
    write_filled(&exported, &filled, &wb, "inspector");
    let o = import(&dst, &wb, &[]);
    assert!(o.status.success(), "{}", err(&o));
    let second = std::fs::read_to_string(dst.join("case.toml")).unwrap();
    assert_eq!(
        line_diff(&first, &second),
        (
            vec!["target_on = \"令和8年3月31日\"   # 年度内に対応予定".to_string()],
            vec!["target_on = \"令和7年12月26日\"   # 年度内に対応予定".to_string()]
        ),
        "{second}"
    );
    let kept = backups(&dst);
    assert_eq!(kept.len(), 2, "{kept:?}");
    let contents: Vec<String> = kept.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    assert!(contents.contains(&HANDWRITTEN.to_string()) && contents.contains(&first), "both earlier versions are kept");
    let c = kensa(&[&"check", &dst]);
    assert_ne!(c.code, 1, "{}", c.all());
}

#[test]
fn conflicts_stop_the_import_unless_a_side_is_preferred() {
    let tmp = tempfile::tempdir().unwrap();
    // The workbook of the case as exported, filled in the field…
    let mut a = base_case();
    answer_mut(&mut a, "mhlw-r7:2-06").answer = Some(YesNo::Yes);
    answer_mut(&mut a, "mhlw-r7:2-08").note = "ワークブックのメモ".into();
    let wb = tmp.path().join("w.xlsx");
    write_filled(&base_case(), &a, &wb, "inspector");

    // …while the same values were changed otherwise in case.toml.
    let mut b = base_case();
    answer_mut(&mut b, "mhlw-r7:2-06").answer = Some(YesNo::No);
    answer_mut(&mut b, "mhlw-r7:2-08").note = "事案のメモ".into();
    let dst = tmp.path().join("dst");
    save_case(&dst, &b);
    let before = std::fs::read(dst.join("case.toml")).unwrap();

    let o = import(&dst, &wb, &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(text.contains("競合 2 件"), "{text}");
    assert!(text.contains("mhlw-r7 2-⑥ 回答（はい／いいえ）: 事案ファイル「いいえ」／ワークブック「はい」"), "{text}");
    assert!(text.contains("チェックリスト!"), "conflicts name the cell: {text}");
    assert!(err(&o).contains("--prefer"), "{}", err(&o));
    assert_eq!(std::fs::read(dst.join("case.toml")).unwrap(), before, "case untouched");

    let o = import(&dst, &wb, &["--prefer", "case"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(load(&dst), b);

    let o = import(&dst, &wb, &["--prefer", "workbook"]);
    assert!(o.status.success(), "{}", err(&o));
    let now = load(&dst);
    assert_eq!(now.answer(&"mhlw-r7:2-06".parse().unwrap()).unwrap().answer, Some(YesNo::Yes));
    assert_eq!(now.answer(&"mhlw-r7:2-08".parse().unwrap()).unwrap().note, "ワークブックのメモ");
}

#[test]
fn facility_selfcheck_fills_answers_and_lists_differences() {
    let tmp = tempfile::tempdir().unwrap();
    // The facility's answers.
    let mut fac = base_case();
    answer_mut(&mut fac, "mhlw-r7:2-13").answer = Some(YesNo::Yes);
    answer_mut(&mut fac, "mhlw-r7:2-13").confirmed_on = Date::ymd(2025, 9, 24);
    answer_mut(&mut fac, "mhlw-r7:3-03").answer = Some(YesNo::No);
    answer_mut(&mut fac, "mhlw-r7:3-03").target_on = Date::ymd(2026, 3, 31).map(Target::On);
    // The self-check workbook as sent to the facility, returned with its answers.
    let wb = tmp.path().join("self.xlsx");
    write_filled(&base_case(), &fac, &wb, "facility");

    // The inspector's case: verifications recorded since, no facility answers yet.
    let mut insp = base_case();
    answer_mut(&mut insp, "mhlw-r7:2-13").verification = Some(Verification::Nonconform);
    answer_mut(&mut insp, "mhlw-r7:3-03").verification = Some(Verification::Conform);
    answer_mut(&mut insp, "mhlw-r7:2-13").note = "接続元制限なし".into();
    let dst = tmp.path().join("dst");
    save_case(&dst, &insp);
    let o = import(&dst, &wb, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(text.contains("異なる項目 2 件"), "{text}");
    assert!(text.contains("2-⑬") && text.contains("医療機関の回答「はい」、医療監視員の確認結果「不適合」"), "{text}");
    assert!(text.contains("3-③") && text.contains("医療機関の回答「いいえ」、医療監視員の確認結果「適合」"), "{text}");
    let now = load(&dst);
    let a = now.answer(&"mhlw-r7:2-13".parse().unwrap()).unwrap();
    assert_eq!(
        (a.answer, a.verification, a.note.as_str()),
        (Some(YesNo::Yes), Some(Verification::Nonconform), "接続元制限なし")
    );
    assert_eq!(a.confirmed_on, Date::ymd(2025, 9, 24));
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// A workbook laid out as kensa lays it out, written by hand (as another program would).
/// `rows`: (item ref, answer cell, 確認日 cell).
fn handmade(path: &Path, case_id: &str, edition: &str, rows: &[(&str, &str, &str)], far_row: Option<u32>) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("チェックリスト").unwrap();
    ws.write_string(3, 0, "#header").unwrap();
    ws.write_string(3, 1, "番号").unwrap();
    ws.write_string(3, 7, "回答（はい／いいえ）").unwrap();
    ws.write_string(3, 8, "確認日").unwrap();
    for (i, (item, ans, date)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_string(r, 0, *item).unwrap();
        ws.write_string(r, 7, *ans).unwrap();
        ws.write_string(r, 8, *date).unwrap();
    }
    if let Some(far) = far_row {
        ws.write_string(far, 3, "x").unwrap();
    }
    handmade_meta(&mut wb, case_id, edition);
    wb.save(path).unwrap();
}

/// The hidden sheet of a handmade workbook for the facility, its checklist sheet
/// `チェックリスト`.
fn handmade_meta(wb: &mut rust_xlsxwriter::Workbook, case_id: &str, edition: &str) {
    let meta = wb.add_worksheet();
    meta.set_name("_kensa").unwrap();
    let kv: [&[&str]; 4] = [
        &["kensa-workbook", "1"],
        &["case_id", case_id],
        &["audience", "facility"],
        &["checklist", "mhlw-r7", edition, "チェックリスト"],
    ];
    for (r, cells) in kv.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            meta.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    meta.set_hidden(true);
}

fn r7_edition() -> String {
    registry().get("mhlw-r7").unwrap().edition.clone()
}

fn fresh_case(tmp: &Path) -> PathBuf {
    let dir = tmp.join("case");
    save_case(&dir, &base_case());
    dir
}

#[test]
fn handmade_workbook_with_typed_values_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let wb = tmp.path().join("h.xlsx");
    handmade(
        &wb,
        "T-0001",
        &r7_edition(),
        &[("mhlw-r7:2-06", "○", "Ｒ７．６．１"), ("mhlw-r7:2-08", " No ", "2025/6/2")],
        None,
    );
    let o = import(&dir, &wb, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let c = load(&dir);
    let a = c.answer(&"mhlw-r7:2-06".parse().unwrap()).unwrap();
    assert_eq!((a.answer, a.confirmed_on), (Some(YesNo::Yes), Date::ymd(2025, 6, 1)));
    let a = c.answer(&"mhlw-r7:2-08".parse().unwrap()).unwrap();
    assert_eq!((a.answer, a.confirmed_on), (Some(YesNo::No), Date::ymd(2025, 6, 2)));
}

#[test]
fn a_bad_choice_names_sheet_and_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let before = std::fs::read(dir.join("case.toml")).unwrap();
    let wb = tmp.path().join("h.xlsx");
    handmade(&wb, "T-0001", &r7_edition(), &[("mhlw-r7:2-06", "はい", ""), ("mhlw-r7:2-08", "たぶん", "")], None);
    let o = import(&dir, &wb, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(e.contains("チェックリスト!H6: 「たぶん」は選択肢にありません"), "{e}");
    assert_eq!(std::fs::read(dir.join("case.toml")).unwrap(), before);
}

#[test]
fn every_problem_is_reported_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let wb = tmp.path().join("h.xlsx");
    handmade(
        &wb,
        "T-0001",
        &r7_edition(),
        &[("mhlw-r7:2-06", "たぶん", "来週"), ("mhlw-r7:2-08", "はい", "令和7年2月30日"), ("mhlw-r7:9-99", "はい", "")],
        None,
    );
    let o = import(&dir, &wb, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    for want in ["チェックリスト!H5", "チェックリスト!I5", "チェックリスト!I6", "チェックリスト!A7", "存在しない日付"]
    {
        assert!(e.contains(want), "{want} in {e}");
    }
}

#[test]
fn a_workbook_of_another_case_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let wb = tmp.path().join("h.xlsx");
    handmade(&wb, "OTHER-9", &r7_edition(), &[("mhlw-r7:2-06", "はい", "")], None);
    let o = import(&dir, &wb, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(e.contains("事案「OTHER-9」") && e.contains("「T-0001」") && e.contains("取り込めません"), "{e}");
}

#[test]
fn a_workbook_of_another_checklist_edition_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let wb = tmp.path().join("h.xlsx");
    handmade(&wb, "T-0001", "令和5年6月版", &[("mhlw-r7:2-06", "はい", "")], None);
    let o = import(&dir, &wb, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(e.contains("「令和5年6月版」") && e.contains(&format!("「{}」", r7_edition())), "{e}");
}

#[test]
fn files_that_are_not_plain_workbooks_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());

    let text = tmp.path().join("memo.xlsx");
    std::fs::write(&text, "これはワークブックではありません").unwrap();
    let e = err(&import(&dir, &text, &[]));
    assert!(e.contains("memo.xlsx") && e.contains("Excel ブック（.xlsx）ではありません"), "{e}");

    let ole = tmp.path().join("locked.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(4096, 0);
    std::fs::write(&ole, bytes).unwrap();
    let e = err(&import(&dir, &ole, &[]));
    assert!(e.contains("パスワード") && e.contains("保存し直して"), "{e}");

    let huge = tmp.path().join("huge.xlsx");
    let f = std::fs::File::create(&huge).unwrap();
    use std::io::Write;
    (&f).write_all(b"PK\x03\x04").unwrap();
    f.set_len(64 * 1024 * 1024).unwrap(); // sparse
    let e = err(&import(&dir, &huge, &[]));
    assert!(e.contains("大きすぎます"), "{e}");

    let bomb = tmp.path().join("bomb.xlsx");
    std::fs::write(&bomb, zip_declaring(0xF000_0000)).unwrap();
    let e = err(&import(&dir, &bomb, &[]));
    assert!(e.contains("展開すると大きすぎます"), "{e}");

    let zip_not_xlsx = tmp.path().join("other.xlsx");
    std::fs::write(&zip_not_xlsx, b"PK\x03\x04 truncated zip").unwrap();
    let o = import(&dir, &zip_not_xlsx, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("ワークブックとして読めません"), "{}", err(&o));

    // A workbook without kensa's hidden sheet.
    let plain = tmp.path().join("plain.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "はい").unwrap();
    wb.save(&plain).unwrap();
    let e = err(&import(&dir, &plain, &[]));
    assert!(e.contains("kensa が作成したワークブックではありません"), "{e}");
}

/// A tiny zip whose one part declares `size` bytes once unpacked.
fn zip_declaring(size: u32) -> Vec<u8> {
    let name = b"xl/sharedStrings.xml";
    let data = [0x03u8, 0x00]; // an empty deflate stream
    let mut z = Vec::new();
    let common = |z: &mut Vec<u8>| {
        z.extend_from_slice(&20u16.to_le_bytes()); // version needed
        z.extend_from_slice(&0u16.to_le_bytes()); // flags
        z.extend_from_slice(&8u16.to_le_bytes()); // deflate
        z.extend_from_slice(&[0, 0, 0, 0]); // time, date
        z.extend_from_slice(&0u32.to_le_bytes()); // crc
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&size.to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes()); // extra
    };
    z.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    common(&mut z);
    z.extend_from_slice(name);
    z.extend_from_slice(&data);
    let cd = z.len() as u32;
    z.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    z.extend_from_slice(&20u16.to_le_bytes()); // made by
    common(&mut z);
    z.extend_from_slice(&[0; 12]); // comment, disk, attributes
    z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    z.extend_from_slice(name);
    let cd_len = z.len() as u32 - cd;
    z.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

#[test]
fn a_sheet_declaring_a_huge_size_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let wb = tmp.path().join("h.xlsx");
    handmade(&wb, "T-0001", &r7_edition(), &[("mhlw-r7:2-06", "はい", "")], Some(1_000_000));
    let o = import(&dir, &wb, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(e.contains("シート「チェックリスト」の大きさ") && e.contains("上限"), "{e}");
}

// ---------------------------------------------------------------------------
// Workbooks saved by other programs
// ---------------------------------------------------------------------------

fn python_with_openpyxl() -> Option<String> {
    for py in ["python3", "python"] {
        let ok = Command::new(py).args(["-c", "import openpyxl"]).output().map(|o| o.status.success()).unwrap_or(false);
        if ok {
            return Some(py.to_string());
        }
    }
    None
}

/// A case for the other-program tests: a routine inspection with some answers and lists.
fn other_program_case() -> Case {
    let mut c = base_case();
    c.inspection.documents = vec!["機器台帳".into()];
    c.inspection.dates = vec![Date::ymd(2025, 10, 16).unwrap()];
    answer_mut(&mut c, "mhlw-r7:1-01").answer = Some(YesNo::Yes);
    c
}

#[test]
fn a_workbook_filled_with_openpyxl_imports() {
    let Some(py) = python_with_openpyxl() else {
        crate::harness::tool_missing("python3 と openpyxl がありません（pip install openpyxl）");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    save_case(&src, &other_program_case());
    let wb = tmp.path().join("w.xlsx");
    make_workbook(&src, &wb, "inspector");
    let filled = tmp.path().join("filled.xlsx");
    let o = Command::new(&py).arg(repo().join("tests/fill_with_openpyxl.py")).arg(&wb).arg(&filled).output().unwrap();
    assert!(
        o.status.success(),
        "openpyxl script: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );

    let o = import(&src, &filled, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let c = load(&src);
    let get = |i: &str| c.answer(&i.parse().unwrap()).unwrap().clone();
    let a = get("mhlw-r7:2-06");
    assert_eq!(a.answer, Some(YesNo::No));
    assert_eq!(a.confirmed_on, Date::ymd(2025, 6, 1), "令和7年6月1日 typed as text");
    assert_eq!(a.target_on, Date::ymd(2026, 3, 31).map(Target::On), "R8.3.31");
    assert_eq!(a.verification, Some(Verification::Nonconform));
    assert_eq!(a.method, vec![Method::Examine, Method::Interview]);
    let a = get("mhlw-r7:2-08");
    assert_eq!(a.answer, Some(YesNo::Yes), "Yes");
    assert_eq!(a.confirmed_on, Date::ymd(2025, 6, 1), "R7.6.1");
    let a = get("mhlw-r7:2-13");
    assert_eq!(a.answer, Some(YesNo::Yes), "○");
    assert_eq!(a.confirmed_on, Date::ymd(2025, 6, 12), "full-width digits");
    let a = get("mhlw-r7:3-01");
    assert_eq!(a.confirmed_on, Date::ymd(2025, 6, 3), "a real date cell");
    assert_eq!(c.inspection.documents, vec!["機器台帳", "連絡体制図"], "a row added to a table");
    assert_eq!(c.facility.beds, Some(120), "full-width number");
}

/// `wb` opened and saved again by LibreOffice (as a user of LibreOffice Calc would), in `outdir`.
fn resaved_by_libreoffice(soffice: &str, profile: &Path, wb: &Path, outdir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(outdir).unwrap();
    let o = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(outdir)
        .arg(wb)
        .output()
        .unwrap();
    let converted = outdir.join(wb.file_name().unwrap());
    assert!(
        converted.is_file(),
        "LibreOffice did not convert: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    converted
}

#[test]
fn a_workbook_saved_by_libreoffice_imports() {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().map(|o| o.status.success()).unwrap_or(false));
    let Some(soffice) = soffice else {
        crate::harness::tool_missing("LibreOffice（soffice）がありません（apt-get install libreoffice-calc-nogui）");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let profile = tmp.path().join("profile");
    let src = tmp.path().join("src");
    let case = other_program_case();
    save_case(&src, &case);
    let case = load(&src);

    // A workbook saved again unchanged brings no change into its own case: LibreOffice's way of
    // writing dates, numbers and strings reads back as the same values.
    let wb = tmp.path().join("w.xlsx");
    make_workbook(&src, &wb, "inspector");
    let converted = resaved_by_libreoffice(soffice, &profile, &wb, &tmp.path().join("lo"));
    let o = import(&src, &converted, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("変更はありません"), "{}{}", out(&o), err(&o));
    assert_eq!(load(&src), case);

    // A new case's workbook, filled in and saved by LibreOffice, brings every value in.
    let fresh = tmp.path().join("fresh");
    save_case(&fresh, &empty_like(&case));
    let filled = tmp.path().join("filled.xlsx");
    write_filled(&empty_like(&case), &case, &filled, "inspector");
    let converted = resaved_by_libreoffice(soffice, &profile, &filled, &tmp.path().join("lo2"));
    let o = import(&fresh, &converted, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert_eq!(normalized(load(&fresh)), normalized(case));
}

// ---------------------------------------------------------------------------
// Formulas
// ---------------------------------------------------------------------------

/// The A1 name of the cell in `sheet` at the row keyed `key` and the column headed `header` in
/// the header row keyed `header_key` (or column C, the value of a form field, with no header).
fn cell_at(wb: &Path, sheet: &str, key: &str, header: Option<(&str, &str)>) -> String {
    let rows = sheet_rows(wb, sheet);
    let row = rows.iter().position(|r| r.first().map(s).as_deref() == Some(key)).unwrap_or_else(|| panic!("{key}"));
    let col = match header {
        None => 2,
        Some((header_key, header)) => {
            let h = rows.iter().find(|r| r.first().map(s).as_deref() == Some(header_key)).expect("header row");
            h.iter()
                .position(|c| s(c) == header || s(c) == format!("{header}（必須）"))
                .unwrap_or_else(|| panic!("column {header}"))
        }
    };
    format!("{sheet}!{}", rust_xlsxwriter::utility::row_col_to_cell(row as u32, col as u16))
}

#[test]
fn formulas_saved_without_values_are_reported_not_ignored() {
    let Some(py) = python_with_openpyxl() else {
        crate::harness::tool_missing("python3 と openpyxl がありません（pip install openpyxl）");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("case");
    let mut case = base_case();
    case.inspection.kind = Some(InspectionKind::Incident);
    save_case(&dir, &case);
    let wb = tmp.path().join("w.xlsx");
    make_workbook(&dir, &wb, "inspector");
    let filled = tmp.path().join("formulas.xlsx");
    let o =
        Command::new(&py).arg(repo().join("tests/formulas_with_openpyxl.py")).arg(&wb).arg(&filled).output().unwrap();
    assert!(
        o.status.success(),
        "openpyxl script: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let before = std::fs::read(dir.join("case.toml")).unwrap();

    let o = import(&dir, &filled, &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let e = err(&o);
    let cells = [
        (cell_at(&wb, "概要", "facility.founder", None), r#"数式「="医療法人"&"テスト会"」"#),
        (cell_at(&wb, "概要", "facility.beds", None), "数式「=100+212」"),
        (
            cell_at(&wb, "チェックリスト", "mhlw-r7:2-06", Some(("#header", "回答（はい／いいえ）"))),
            r#"数式「=IF(TRUE,"はい","いいえ")」"#,
        ),
        (
            cell_at(&wb, "時系列", "incident.timeline", Some(("#header:incident.timeline", "日時"))),
            "数式「=DATE(2025,6,22)」",
        ),
    ];
    for (cell, formula) in &cells {
        let want = format!("{cell}: {formula}の計算結果が保存されていません");
        assert!(e.contains(&want), "{want} in {e}");
    }
    assert!(e.contains("Excel または LibreOffice でこのブックを開いて保存し直す"), "{e}");
    assert!(!e.contains("必ず記入します"), "{e}");
    assert_eq!(std::fs::read(dir.join("case.toml")).unwrap(), before, "case.toml untouched");
    assert!(!dir.join("case.toml.bak").exists());
}

#[test]
fn formulas_with_calculated_values_import_their_values() {
    use rust_xlsxwriter::{Formula, Workbook};
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let path = tmp.path().join("f.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("チェックリスト").unwrap();
    ws.write_string(3, 0, "#header").unwrap();
    ws.write_string(3, 7, "回答（はい／いいえ）").unwrap();
    ws.write_string(3, 8, "確認日").unwrap();
    ws.write_string(4, 0, "mhlw-r7:2-06").unwrap();
    ws.write_formula(4, 7, Formula::new(r#"=IF(TRUE,"はい","いいえ")"#).set_result("はい")).unwrap();
    ws.write_formula(4, 8, "=DATE(2025,6,1)").unwrap();
    ws.set_formula_result(4, 8, "45809");
    ws.write_string(5, 0, "mhlw-r7:2-08").unwrap();
    ws.write_formula(5, 7, r#"="いい"&"え""#).unwrap();
    ws.set_formula_result(5, 7, "いいえ");
    handmade_meta(&mut wb, "T-0001", &r7_edition());
    wb.save(&path).unwrap();

    let o = import(&dir, &path, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let c = load(&dir);
    let a = c.answer(&"mhlw-r7:2-06".parse().unwrap()).unwrap();
    assert_eq!((a.answer, a.confirmed_on), (Some(YesNo::Yes), Date::ymd(2025, 6, 1)));
    assert_eq!(c.answer(&"mhlw-r7:2-08".parse().unwrap()).unwrap().answer, Some(YesNo::No));
}

#[test]
fn a_workbook_is_not_overwritten_without_force() {
    let dir = samples().into_iter().next().expect("a sample");
    let tmp = tempfile::tempdir().unwrap();
    let wb = tmp.path().join("w.xlsx");
    std::fs::write(&wb, b"filled on site").unwrap();
    let o = kensa(&[&"workbook", &dir, &"--out", &wb]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(o.stderr.contains("既にファイルがあります") && o.stderr.contains("--force"), "{}", o.stderr);
    assert_eq!(std::fs::read(&wb).unwrap(), b"filled on site");
    let o = kensa(&[&"workbook", &dir, &"--out", &wb, &"--force"]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_ne!(std::fs::read(&wb).unwrap(), b"filled on site");
}

#[test]
fn an_import_that_check_would_reject_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("dst");
    save_case(&dst, &base_case());
    let before = std::fs::read(dst.join("case.toml")).unwrap();
    let mut filled = base_case();
    answer_mut(&mut filled, "mhlw-r7:2-06").evidence = vec!["E9".into()];
    let wb = tmp.path().join("w.xlsx");
    write_filled(&base_case(), &filled, &wb, "inspector");
    let o = import(&dst, &wb, &[]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains("取り込むと事案ファイルに次の誤りが生じる") && o.stderr.contains("証跡「E9」"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read(dst.join("case.toml")).unwrap(), before);
}

// ---------------------------------------------------------------------------
// The 年度 of a self-check
// ---------------------------------------------------------------------------

/// `kensa workbook --for facility --fiscal-year` records the 年度 in the hidden sheet; the
/// facility's 記入日 comes back with the answers, and a returned self-check's 年度 is the
/// recorded one, else its 記入日's, else its latest 確認日's.
#[test]
fn a_self_check_records_its_year_and_its_day_of_filling() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fresh_case(tmp.path());
    let reg = registry();
    let read = |p: &Path| kensa::workbook::read::read(p, reg, Purpose::Count).unwrap();

    // Exported for 令和8年度 by the binary: the same bytes as the library's export.
    let wb = tmp.path().join("self.xlsx");
    let o = kensa(&[&"workbook", &dir, &"--for", &"facility", &"--fiscal-year", &"R8", &"--out", &wb]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("令和8年度 の自己点検票として記録しました"), "{}", out(&o));
    let exported = load(&dir);
    let made = kensa::workbook::write::build_for_year(&exported, reg, Audience::Facility, Some(2026)).unwrap();
    assert!(std::fs::read(&wb).unwrap() == made, "the binary writes what build_for_year builds");
    assert_eq!(read(&wb).fiscal_year, Some(2026));
    // The 記入日 row stands above the items of the first checklist sheet.
    let rows = sheet_rows(&wb, "チェックリスト");
    let filled_row = row_of(&rows, "self_check.filled_on");
    assert_eq!(s(&filled_row[1]), "記入日（この票を記入した日）");
    for year in ["令和8", "2026", "令和8年度"] {
        let other = tmp.path().join(format!("self-{year}.xlsx"));
        let o = kensa(&[&"workbook", &dir, &"--for", &"facility", &"--fiscal-year", &year, &"--out", &other]);
        assert!(o.status.success(), "{year}: {}", err(&o));
        assert_eq!(read(&other).fiscal_year, Some(2026), "{year}");
    }

    // Returned filled: answers, a 確認日 in 令和7年度 and the 記入日 in 令和8年度.
    let mut fac = exported.clone();
    answer_mut(&mut fac, "mhlw-r7:2-13").answer = Some(YesNo::Yes);
    answer_mut(&mut fac, "mhlw-r7:2-13").confirmed_on = Date::ymd(2026, 3, 24);
    fac.self_check.filled_on = Date::ymd(2026, 4, 3);
    let filled = tmp.path().join("filled.xlsx");
    let bytes =
        kensa::workbook::write::build_filled_for_year(&exported, &fac, reg, Audience::Facility, Some(2026)).unwrap();
    std::fs::write(&filled, bytes).unwrap();
    let data = read(&filled);
    let (field, val, at) = data.scalars.iter().find(|(f, _, _)| f.key == "self_check.filled_on").unwrap();
    assert_eq!(
        (val.clone(), at.to_string()),
        (kensa::case::fields::Val::Date(Date::ymd(2026, 4, 3).unwrap()), "チェックリスト!D4".to_string()),
        "{}",
        field.label
    );
    let standalone = kensa::merge::standalone(&data, reg);
    assert_eq!(
        kensa::assess::self_check_year(data.fiscal_year, &standalone),
        kensa::assess::SelfCheckYear::Known { year: 2026, from: kensa::assess::YearSource::Recorded }
    );
    assert_eq!(
        kensa::assess::self_check_year(None, &standalone),
        kensa::assess::SelfCheckYear::Known {
            year: 2026,
            from: kensa::assess::YearSource::FilledOn(Date::ymd(2026, 4, 3).unwrap())
        }
    );
    let mut unfilled = standalone.clone();
    unfilled.self_check.filled_on = None;
    assert_eq!(kensa::assess::self_check_year(None, &unfilled).year(), Some(2025), "the latest 確認日");

    // The import takes the 記入日 into the case.
    let o = import(&dir, &filled, &["--dry-run"]);
    assert!(o.status.success() && out(&o).contains("自己点検票の記入日"), "{}{}", out(&o), err(&o));
    let o = import(&dir, &filled, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert_eq!(load(&dir).self_check.filled_on, Date::ymd(2026, 4, 3));
    let text = std::fs::read_to_string(dir.join("case.toml")).unwrap();
    assert!(text.contains("[self_check]\nfilled_on = 2026-04-03"), "{text}");

    // Without --fiscal-year: the 年度 of the case's planned date, else none.
    let plain = tmp.path().join("plain.xlsx");
    make_workbook(&dir, &plain, "facility");
    assert_eq!(read(&plain).fiscal_year, None, "no date in the case");
    let mut planned = load(&dir);
    planned.inspection.dates = vec![Date::ymd(2027, 2, 1).unwrap()];
    let pdir = tmp.path().join("planned");
    save_case(&pdir, &planned);
    let pwb = tmp.path().join("planned.xlsx");
    make_workbook(&pdir, &pwb, "facility");
    assert_eq!(read(&pwb).fiscal_year, Some(2026), "令和9年2月 is 令和8年度");
    // A workbook written before the year was recorded still reads.
    let old = tmp.path().join("old.xlsx");
    handmade(&old, "T-0001", &r7_edition(), &[("mhlw-r7:2-06", "はい", "R7.6.1")], None);
    assert_eq!(read(&old).fiscal_year, None);

    // Only the facility's form records a 年度; a year that is no year is refused.
    let o = kensa(&[&"workbook", &dir, &"--fiscal-year", &"R8", &"--out", &tmp.path().join("i.xlsx")]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("--for facility"), "{}", err(&o));
    let o = kensa(&[
        &"workbook",
        &dir,
        &"--for",
        &"facility",
        &"--fiscal-year",
        &"来年",
        &"--out",
        &tmp.path().join("x.xlsx"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

/// A 医療機関コード typed with full-width digits or hyphens, in case.toml or in a workbook, is
/// stored as its 10 digits by `import`; `load` reads it so without rewriting the file; `check`
/// names a code that is not one.
#[test]
fn a_facility_code_is_stored_as_its_ten_digits() {
    let tmp = tempfile::tempdir().unwrap();
    // Typed by hand in case.toml.
    let dir = tmp.path().join("hand");
    std::fs::create_dir_all(&dir).unwrap();
    let hand = "case_id = \"T-0001\"\n[facility]\nname = \"架空テスト病院\"\ncode = \"１３－１２３４－５６７８\"\n[inspection]\nkind = \"定期の立入検査\"\nchecklists = [\"mhlw-r7\"]\n";
    std::fs::write(dir.join("case.toml"), hand).unwrap();
    let loaded = load(&dir);
    assert_eq!(loaded.facility.code, "1312345678");
    let o = kensa(&[&"check", &"--format", &"json", &dir]);
    assert!(out(&o).contains("\"diagnostics\"") && !out(&o).contains("\"facility-code\""), "{}{}", out(&o), err(&o));
    assert_eq!(std::fs::read_to_string(dir.join("case.toml")).unwrap(), hand, "reading never rewrites");
    let mut fac = loaded.clone();
    fac.answers = base_case().answers;
    answer_mut(&mut fac, "mhlw-r7:2-13").answer = Some(YesNo::Yes);
    let wb = tmp.path().join("self.xlsx");
    write_filled(&loaded, &fac, &wb, "facility");
    let o = import(&dir, &wb, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let text = std::fs::read_to_string(dir.join("case.toml")).unwrap();
    assert!(text.contains("code = \"1312345678\""), "{text}");

    // Typed with hyphens in the inspector's workbook.
    let dir = tmp.path().join("book");
    save_case(&dir, &base_case());
    let exported = load(&dir);
    let mut filled = exported.clone();
    filled.facility.code = "13-1234-5678".into();
    let wb = tmp.path().join("w.xlsx");
    write_filled(&exported, &filled, &wb, "inspector");
    let o = import(&dir, &wb, &[]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert_eq!(load(&dir).facility.code, "1312345678");
    // Imported again unchanged: nothing to change.
    let o = import(&dir, &wb, &["--dry-run"]);
    assert!(o.status.success() && !out(&o).contains("医療機関コード"), "{}", out(&o));

    // Not a code: kept as written, named by check.
    let dir = tmp.path().join("nine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("case.toml"), hand.replace("１３－１２３４－５６７８", "112345678")).unwrap();
    assert_eq!(load(&dir).facility.code, "112345678");
    let o = kensa(&[&"check", &"--format", &"json", &dir]);
    assert!(out(&o).contains("\"facility-code\"") && out(&o).contains("9桁です"), "{}{}", out(&o), err(&o));
}

/// Issue 23 (5): the import command printed after `workbook` can be copied and run where the
/// folder's name holds a space.
#[test]
fn printed_import_command_quotes_paths_with_spaces() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("みなと 中央病院");
    copy_case(&repo().join("samples/routine-hospital"), &dir);
    let wb = tmp.path().join("現地用 ワークブック.xlsx");
    let o = kensa(&[&"workbook", &dir, &"--out", &wb]);
    assert_eq!(o.code, 0, "{}", err(&o));
    let line = out(&o).lines().find(|l| l.contains("kensa import")).unwrap_or_default().to_string();
    assert!(line.contains(&format!("kensa import \"{}\" \"{}\" で", dir.display(), wb.display())), "{line}");
}
