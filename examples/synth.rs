//! Synthetic, fictional cases and filled self-check workbooks for benchmarking `kensa aggregate`:
//! `cargo run --release --example synth -- --cases N --workbooks M --seed S --out DIR`.
//!
//! Writes `DIR/cases/<保健所>/<case_id>/case.toml` (N case folders) and
//! `DIR/workbooks/<保健所>/<case_id>-selfcheck.xlsx` (M self-check workbooks as facilities return
//! them), then `DIR/synth.toml` naming the seed and sizes (written last: a folder without it is
//! incomplete). Every value is drawn from a small seeded generator (splitmix64) keyed by the
//! facility's number, so the same seed and sizes give byte-identical files, and case `i` is the
//! same in every set made with one seed. The workbooks are for other facilities than the cases,
//! except one in a hundred, which is the self-check of a case in `cases/` (same case id), so that
//! reading both folders meets a facility twice.
//!
//! Realism: facility kinds in rough national proportions (病院 8%, 有床診療所 3%, 無床診療所 52%,
//! 歯科診療所 35%, 助産所 2%), hospital beds over the MHLW survey's bands, 開設者 categories,
//! inspections over 令和6年度 (checklist mhlw-r6) and 令和7年度 (mhlw-r7), about 5% of answers
//! blank, the gate item answered いいえ by some small clinics (the rest then mostly blank), target
//! dates for いいえ, inspectors' verifications (適合／一部適合／不適合／該当なし) on most cases,
//! guidance and measures with due dates, and about 1% incident investigations. All names are
//! fictional (架空第123病院).
//!
//! `--check` runs kensa's own checks on every case generated (and reads back every 50th
//! workbook, comparing its answers with those written) and fails on any error.

use clap::Parser;
use kensa::case::{
    store, AffectedSystem, Amount, Answer, Attendee, Authority, Backup, Case, Cause, ClinicalImpact, ClinicalService,
    Connection, ConnectionKind, Damage, DataImpact, DataImpactKind, Date, DeviceEffect, Done, Event, Facility,
    FacilityKind, Guidance, GuidanceKind, Incident, InfoSystem, Inspection, InspectionKind, Inspector, ItemRef,
    Measure, MeasureCategory, MeasureStatus, Notification, Party, Period, Recovery, RecoveryStatus, Response, Stamp,
    SystemRecovery, Target, Verification, YesNo,
};
use kensa::checklist::{AnswerKind, Checklist, Registry, Respondent};
use kensa::workbook::{write, Audience};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Bumped whenever the generator's output changes, so that stale sets are regenerated.
const GENERATOR_VERSION: u32 = 1;
/// Number of the first facility of the workbooks (cases are numbered from 0).
const WORKBOOK_BASE: u64 = 500_000;
/// One workbook in this many is the self-check of a case in `cases/`.
const OVERLAP_EVERY: u64 = 100;

#[derive(Parser)]
#[command(about = "ベンチマーク用の架空の事案フォルダと記入済みの自己点検票を作成します")]
struct Args {
    /// 作成する事案フォルダ（case.toml）の数
    #[arg(long, default_value_t = 0)]
    cases: u64,
    /// 作成する記入済みの自己点検票（.xlsx）の数
    #[arg(long, default_value_t = 0)]
    workbooks: u64,
    /// 乱数の種（同じ種と件数からは同じファイルができます）
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// 出力先のフォルダ
    #[arg(long)]
    out: PathBuf,
    /// 出力先にある以前の cases/、workbooks/、synth.toml を削除してから作成します
    #[arg(long)]
    force: bool,
    /// 作成したすべての事案を kensa の検査にかけ、自己点検票の一部を読み戻して確かめます
    #[arg(long)]
    check: bool,
    /// 何も作成せず、この指定で作成したときの synth.toml の内容を表示します（作成済みのデータを再利用できるかの判断用）
    #[arg(long)]
    manifest: bool,
}

// ---------------------------------------------------------------------------------------------
// The generator of numbers.

/// splitmix64: small, fast, and good enough for test data.
struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream of one facility (`index`) for one purpose (`stream`) under `seed`.
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        Rng(mix(mix(seed ^ 0x6B65_6E73_6100_0000) ^ mix(stream.wrapping_add(0x9E37_79B9_7F4A_7C15)) ^ index))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// 0 ≤ n < `bound`.
    fn below(&mut self, bound: u64) -> u64 {
        ((self.next() as u128 * bound as u128) >> 64) as u64
    }
    /// `lo` ≤ n ≤ `hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| *w as u64).sum();
        let mut r = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if r < *w as u64 {
                return i;
            }
            r -= *w as u64;
        }
        weights.len() - 1
    }
    fn pick_weighted<'a, T>(&mut self, xs: &'a [(T, u32)]) -> &'a T {
        let w: Vec<u32> = xs.iter().map(|(_, w)| *w).collect();
        &xs[self.weighted(&w)].0
    }
}

// ---------------------------------------------------------------------------------------------
// Fictional vocabulary.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    Hospital,
    ClinicBeds,
    ClinicNoBeds,
    Dental,
    Midwifery,
}

impl Profile {
    fn kind(self) -> FacilityKind {
        match self {
            Profile::Hospital => FacilityKind::Hospital,
            Profile::ClinicBeds | Profile::ClinicNoBeds => FacilityKind::Clinic,
            Profile::Dental => FacilityKind::DentalClinic,
            Profile::Midwifery => FacilityKind::Midwifery,
        }
    }
    fn small(self) -> bool {
        matches!(self, Profile::ClinicNoBeds | Profile::Dental | Profile::Midwifery)
    }
}

/// Rough national proportions (令和6年医療施設調査: 8,060 hospitals, 105,207 general clinics of
/// which about 5,500 with beds, 66,378 dental clinics; 助産所 a few thousand), hospitals weighted
/// up to the brief's 8%.
const PROFILES: [(Profile, u32); 5] = [
    (Profile::Hospital, 80),
    (Profile::ClinicBeds, 30),
    (Profile::ClinicNoBeds, 520),
    (Profile::Dental, 350),
    (Profile::Midwifery, 20),
];

/// (authority, 保健所) — the folder of a facility's files is its 保健所.
const OFFICES: [(&str, &str); 16] = [
    ("架空県", "架空県北部保健所"),
    ("架空県", "架空県中央保健所"),
    ("架空県", "架空県南部保健所"),
    ("架空県", "架空県東部保健所"),
    ("架空県", "架空県西部保健所"),
    ("架空県", "架空県湾岸保健所"),
    ("架空県", "架空県山間保健所"),
    ("架空県", "架空県島しょ保健所"),
    ("架空県", "架空県北東保健所"),
    ("架空県", "架空県南西保健所"),
    ("架空県", "架空県川沿保健所"),
    ("架空県", "架空県高原保健所"),
    ("架空県", "架空県平野保健所"),
    ("架空県", "架空県半島保健所"),
    ("架空市", "架空市保健所"),
    ("例示市", "例示市保健所"),
];
/// Share of facilities per 保健所 (the cities and the centre are larger).
const OFFICE_WEIGHTS: [u32; 16] = [6, 12, 7, 6, 6, 8, 3, 2, 5, 5, 4, 3, 6, 3, 16, 10];
const TOWNS: [&str; 12] =
    ["本町", "栄町", "港町", "緑町", "旭町", "桜台", "松原", "若葉", "中央", "東雲", "北野", "南が丘"];

const SURNAMES: [&str; 24] = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
];
const GIVEN: [&str; 20] = [
    "健一",
    "直樹",
    "洋平",
    "隆",
    "修",
    "誠",
    "浩二",
    "翔太",
    "大輔",
    "拓也",
    "恵子",
    "理恵",
    "真由美",
    "由紀",
    "かおり",
    "美咲",
    "陽子",
    "智子",
    "直美",
    "彩",
];

const VENDORS: [&str; 8] = [
    "架空メディカルシステム株式会社",
    "架空ヘルスケアテクノロジー株式会社",
    "架空医事システム株式会社",
    "架空クラウドカルテ株式会社",
    "架空画像システム株式会社",
    "架空検査システム株式会社",
    "架空デンタルシステム株式会社",
    "架空情報サービス株式会社",
];

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

fn founder(rng: &mut Rng, p: Profile) -> &'static str {
    let table: &[(&'static str, u32)] = match p {
        Profile::Hospital => &[
            ("医療法人", 68),
            ("自治体", 10),
            ("公的医療機関", 5),
            ("国", 2),
            ("社会福祉法人", 3),
            ("学校法人", 2),
            ("個人", 1),
            ("その他の法人", 9),
        ],
        Profile::ClinicBeds => &[("医療法人", 60), ("個人", 35), ("その他の法人", 5)],
        Profile::ClinicNoBeds => &[("個人", 40), ("医療法人", 47), ("自治体", 2), ("その他の法人", 11)],
        Profile::Dental => &[("個人", 75), ("医療法人", 24), ("その他の法人", 1)],
        Profile::Midwifery => &[("個人", 95), ("その他の法人", 5)],
    };
    let weights: Vec<u32> = table.iter().map(|(_, w)| *w).collect();
    table[rng.weighted(&weights)].0
}

fn facility_name(rng: &mut Rng, p: Profile, n: u64) -> String {
    let forms: &[&str] = match p {
        Profile::Hospital => &["病院", "総合病院", "記念病院", "中央病院", "リハビリテーション病院"],
        Profile::ClinicBeds => &["産婦人科医院", "外科医院", "眼科クリニック", "内科医院"],
        Profile::ClinicNoBeds => {
            &["内科クリニック", "医院", "診療所", "整形外科", "こどもクリニック", "皮膚科", "眼科"]
        }
        Profile::Dental => &["歯科医院", "歯科クリニック", "デンタルクリニック"],
        Profile::Midwifery => &["助産院", "助産所"],
    };
    format!("架空第{n}{}", rng.pick(forms))
}

/// Beds over the bands of the MHLW hospital survey (20〜99／100〜199／…／500床〜).
fn hospital_beds(rng: &mut Rng) -> u32 {
    let bands: [(u32, u32, u32); 6] =
        [(20, 99, 35), (100, 199, 30), (200, 299, 13), (300, 399, 9), (400, 499, 5), (500, 1200, 8)];
    let w: Vec<u32> = bands.iter().map(|b| b.2).collect();
    let (lo, hi, _) = bands[rng.weighted(&w)];
    rng.range(lo as i64, hi as i64) as u32
}

fn systems(rng: &mut Rng, p: Profile) -> Vec<InfoSystem> {
    let sys = |name: &str, vendor: &str, remote: bool, rng: &mut Rng| InfoSystem {
        name: name.to_string(),
        vendor: vendor.to_string(),
        remote_maintenance: Some(remote && rng.chance(0.8)),
        note: String::new(),
    };
    let mut out = Vec::new();
    match p {
        Profile::Hospital => {
            out.push(sys("電子カルテシステム", VENDORS[rng.below(2) as usize], true, rng));
            out.push(sys("医事会計システム（レセプトコンピュータ）", VENDORS[2], true, rng));
            if rng.chance(0.6) {
                out.push(sys("PACS（医用画像管理システム）", VENDORS[4], true, rng));
            }
            if rng.chance(0.4) {
                out.push(sys("部門システム（臨床検査システム）", VENDORS[5], true, rng));
            }
        }
        Profile::ClinicBeds | Profile::ClinicNoBeds => {
            if rng.chance(0.6) {
                if rng.chance(0.5) {
                    out.push(sys("クラウド型電子カルテ", VENDORS[3], false, rng));
                } else {
                    out.push(sys("電子カルテシステム", VENDORS[rng.below(2) as usize], true, rng));
                }
                if rng.chance(0.5) {
                    out.push(sys("医事会計システム（レセプトコンピュータ）", VENDORS[2], true, rng));
                }
            }
        }
        Profile::Dental => {
            if rng.chance(0.5) {
                out.push(sys("歯科用レセプトコンピュータ", VENDORS[6], true, rng));
            }
        }
        Profile::Midwifery => {
            if rng.chance(0.2) {
                out.push(sys("助産録管理ソフト", VENDORS[7], false, rng));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Dates.

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn days(d: chrono::NaiveDate, n: i64) -> chrono::NaiveDate {
    d + chrono::Duration::days(n)
}

/// A weekday in [from, to].
fn weekday_between(rng: &mut Rng, from: chrono::NaiveDate, to: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let span = (to - from).num_days();
    let mut d = days(from, rng.range(0, span));
    let step = if d > days(to, -3) { -1 } else { 1 };
    while d.weekday().number_from_monday() > 5 {
        d = days(d, step);
    }
    d
}

fn stamp(d: chrono::NaiveDate, h: u32, m: u32) -> Stamp {
    Stamp { date: d, time: chrono::NaiveTime::from_hms_opt(h, m, 0) }
}

/// 年度 (April to March) of a date.
fn fiscal_year(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// One facility's case.

/// What was generated, for the summary line.
#[derive(Default)]
struct Tally {
    kinds: [AtomicU64; 5],
    incidents: AtomicU64,
    gate_no: AtomicU64,
    overlap: AtomicU64,
    bytes: AtomicU64,
}

struct Generated {
    case: Case,
    profile: Profile,
    office: usize,
    gate_no: bool,
}

/// How likely a facility answers はい to an item.
fn yes_rate(checklist: &str, item: &str, p: Profile, diligence: f64) -> f64 {
    let base = match p {
        Profile::Hospital => 0.86,
        Profile::ClinicBeds => 0.78,
        Profile::ClinicNoBeds => 0.74,
        Profile::Dental => 0.72,
        Profile::Midwifery => 0.66,
    };
    let adjust = match (checklist, item) {
        ("mhlw-r7", "2-11") => -0.45,                       // 二要素認証
        ("mhlw-r7" | "mhlw-r6", "3-03") => -0.30,           // BCP
        ("mhlw-r7" | "mhlw-r6", "2-03") => -0.20,           // MDS/SDS
        ("mhlw-r7", "4-01") => -0.15,                       // 運用管理規程
        ("mhlw-r7", "2-10") | ("mhlw-r6", "2-06") => -0.15, // アクセスログ
        ("mhlw-r7", "2-09") => -0.10,                       // 外部記録媒体
        ("mhlw-r7", "2-07") => -0.10,                       // パスワード
        ("mhlw-r7", "2-13") | ("mhlw-r6", "2-09") => -0.08, // 接続元制限
        (_, "1-01" | "3-01") => 0.05,
        _ => 0.0,
    };
    let year = if checklist == "mhlw-r6" { -0.05 } else { 0.0 };
    (base + adjust + year + diligence).clamp(0.05, 0.98)
}

fn short(text: &str, n: usize) -> String {
    let t: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        format!("{t}…")
    } else {
        t
    }
}

/// The case of facility `fid`: as the prefecture keeps it after the inspection (`full`), or only
/// as far as the facility's self-check goes (no inspector's work, never an incident).
fn generate(seed: u64, fid: u64, reg: &Registry, full: bool) -> Generated {
    let mut rng = Rng::new(seed, 1, fid);
    let n = fid + 1;
    let profile = *rng.pick_weighted(&PROFILES);
    let office = rng.weighted(&OFFICE_WEIGHTS);
    let (authority, office_name) = OFFICES[office];
    let area = office_name.trim_start_matches(authority).trim_end_matches("保健所");
    let beds = match profile {
        Profile::Hospital => Some(hospital_beds(&mut rng)),
        Profile::ClinicBeds => Some(rng.range(1, 19) as u32),
        _ => None,
    };
    let founder = founder(&mut rng, profile);
    let point_table = if profile == Profile::Dental { 3 } else { 1 };
    let manager = person(&mut rng);
    let facility = Facility {
        name: facility_name(&mut rng, profile, n),
        kind: Some(profile.kind()),
        code: format!("90{point_table}{:07}", fid % 10_000_000),
        founder: founder.to_string(),
        manager: format!("{} {manager}", if profile == Profile::Midwifery { "管理者" } else { "院長" }),
        address: format!(
            "{authority}{}{}{}丁目{}番{}号",
            if area.is_empty() { String::new() } else { format!("{area}地区") },
            rng.pick(&TOWNS),
            rng.range(1, 5),
            rng.range(1, 30),
            rng.range(1, 20)
        ),
        beds,
        authority: Authority { name: authority.to_string(), office: office_name.to_string() },
        systems: systems(&mut rng, profile),
        connections: Vec::new(),
        maintenance_entrusted: None,
        maintenance_basis: String::new(),
    };

    // 令和6年度 (mhlw-r6, published 2024-05-13) or 令和7年度 (mhlw-r7, 2025-05-16).
    let r7 = rng.chance(0.55);
    let (checklist_id, from, to) = if r7 {
        ("mhlw-r7", date(2025, 6, 2), date(2026, 3, 20))
    } else {
        ("mhlw-r6", date(2024, 6, 3), date(2025, 3, 19))
    };
    let mut visit = weekday_between(&mut rng, from, to);
    // About 1% of cases, hospitals more often than clinics.
    let incident = full && rng.chance(if profile == Profile::Hospital { 0.05 } else { 0.0065 });
    let fy = fiscal_year(visit);
    let fy_end = date(fy + 1, 3, 31);
    let kind = if incident { InspectionKind::Incident } else { InspectionKind::Routine };
    let seq = if incident { "事案" } else { "定期" };
    let case_id = format!("{fy}-{seq}-{n:06}");
    let mut checklists = vec![checklist_id.to_string()];
    if incident {
        checklists.push("incident".into());
    }
    let onsite = full && (incident || rng.chance(0.8));
    if onsite {
        checklists.push("onsite".into());
    }

    // The incident comes first: the visit follows it.
    let mut detected = visit;
    if incident {
        detected = days(visit, -rng.range(2, 6));
        visit = detected.max(from);
        visit = days(visit, rng.range(2, 6));
    }
    let filled_on = days(visit, -rng.range(5, 40));
    let mut dates = vec![Date(visit)];
    if incident {
        dates.push(Date(weekday_between(&mut rng, days(visit, 45), days(visit, 75))));
    }

    let inspectors: Vec<Inspector> = (0..rng.range(1, 2))
        .map(|k| Inspector {
            name: person(&mut rng),
            id_number: format!("{authority}医監第{:02}-{:03}号", fy - 2018, (fid * 7 + k as u64) % 400 + 1),
            id_shown: true,
        })
        .collect();
    let attendees = vec![Attendee { name: manager, role: "管理者".into() }];

    // The facility's answers.
    let c = reg.get(checklist_id).expect("built-in checklist");
    let diligence = rng.range(-15, 10) as f64 / 100.0;
    let gate_no = profile.small() && facility.systems.is_empty() && rng.chance(0.25);
    let per_vendor = profile == Profile::Hospital && !facility.systems.is_empty();
    let verified = full && rng.chance(0.7);
    let mut answers = Vec::new();
    for item in &c.items {
        if item.answer != AnswerKind::Yesno {
            continue;
        }
        let r = c.item_ref(item);
        let vendor_item = item.respondent == Respondent::Vendor;
        if vendor_item && per_vendor {
            for s in &facility.systems {
                let mut a = Answer::unanswered(r.clone());
                a.system = s.name.clone();
                if rng.chance(0.9) {
                    a.answer = Some(if rng.chance(0.92) { YesNo::Yes } else { YesNo::No });
                    a.confirmed_on = Some(Date(days(filled_on, -rng.range(3, 20))));
                    if a.answer == Some(YesNo::No) && rng.chance(0.9) {
                        a.target_on =
                            Some(Target::On(Date(days(visit, rng.range(20, (fy_end - visit).num_days().max(21))))));
                    }
                }
                if verified {
                    a.verification = Some(match a.answer {
                        Some(YesNo::Yes) => Verification::Conform,
                        Some(YesNo::No) => Verification::Partial,
                        None => Verification::Unverified,
                    });
                    a.method = vec![kensa::case::Method::Examine];
                }
                answers.push(a);
            }
            continue;
        }
        let mut a = Answer::unanswered(r);
        let no_remote = facility.systems.iter().all(|s| s.remote_maintenance != Some(true));
        if item.gate {
            a.answer = Some(if gate_no { YesNo::No } else { YesNo::Yes });
            a.confirmed_on = Some(Date(filled_on));
        } else if gate_no {
            // Nothing else needs an answer; a few answer anyway.
            if rng.chance(0.12) {
                a.answer = Some(if rng.chance(0.5) { YesNo::Yes } else { YesNo::No });
                a.confirmed_on = Some(Date(filled_on));
            }
        } else if !rng.chance(0.05) {
            let yes =
                if vendor_item { rng.chance(0.85) } else { rng.chance(yes_rate(&c.id, &item.id, profile, diligence)) };
            a.answer = Some(if yes { YesNo::Yes } else { YesNo::No });
            if rng.chance(0.93) {
                a.confirmed_on =
                    Some(Date(if rng.chance(0.9) { filled_on } else { days(filled_on, -rng.range(1, 10)) }));
            }
            if !yes {
                let left = (fy_end - visit).num_days().max(1);
                let t = rng.below(100);
                a.target_on = match t {
                    0..=86 => Some(Target::On(Date(days(visit, rng.range(1, left))))),
                    87..=91 => Some(Target::On(Date(days(fy_end, rng.range(1, 120))))), // beyond the 年度
                    _ => None,
                };
            }
        }
        if verified {
            let not_applicable = gate_no && !item.gate
                || vendor_item && no_remote && item.text.contains("リモートメンテナンス") && rng.chance(0.7);
            let v = if not_applicable {
                Some(Verification::NotApplicable)
            } else {
                match a.answer {
                    Some(YesNo::Yes) => Some(*rng.pick_weighted(&[
                        (Verification::Conform, 88),
                        (Verification::Partial, 8),
                        (Verification::Nonconform, 3),
                        (Verification::Unverified, 1),
                    ])),
                    Some(YesNo::No) => {
                        Some(*rng.pick_weighted(&[(Verification::Nonconform, 65), (Verification::Partial, 35)]))
                    }
                    None => *rng.pick_weighted(&[
                        (Some(Verification::Unverified), 50),
                        (Some(Verification::Nonconform), 20),
                        (None, 30),
                    ]),
                }
            };
            a.verification = v;
            if matches!(v, Some(Verification::Conform | Verification::Partial | Verification::Nonconform)) {
                a.method = item.method.iter().take(rng.range(1, 2) as usize).copied().collect();
            }
            if v == Some(Verification::Partial) && rng.chance(0.4) {
                a.note = format!(
                    "一部の機器で未対応（{}）。",
                    rng.pick(&["端末PC", "サーバ", "ネットワーク機器", "一部の部署"])
                );
            }
        }
        answers.push(a);
    }
    // Other checklists' items, as kensa new puts them: unanswered, the procedure mostly done.
    for id in checklists.iter().skip(1) {
        let other = reg.get(id).expect("built-in checklist");
        for item in &other.items {
            let mut a = Answer::unanswered(other.item_ref(item));
            if item.answer == AnswerKind::Done && verified {
                a.done = *rng.pick_weighted(&[(Some(Done::Done), 88), (Some(Done::NotApplicable), 7), (None, 5)]);
            }
            answers.push(a);
        }
    }

    let mut case = Case {
        format: kensa::case::FORMAT_VERSION,
        case_id,
        facility,
        inspection: Inspection {
            kind: Some(kind),
            legal_basis: vec!["医療法第25条第1項".into()],
            dates,
            checklists,
            documents: if verified {
                vec![
                    format!(
                        "医療機関におけるサイバーセキュリティ対策チェックリスト（{}、{}記入）",
                        c.edition,
                        Date(filled_on).wareki()
                    ),
                    "機器台帳".into(),
                ]
            } else {
                Vec::new()
            },
            note: String::new(),
            inspectors: if full { inspectors } else { Vec::new() },
            attendees: if full { attendees } else { Vec::new() },
        },
        answers,
        ..Case::default()
    };

    if verified {
        guidance(&mut rng, &mut case, c, visit, fy_end);
    }
    if incident {
        incident_records(&mut rng, &mut case, c, detected, visit);
    }
    Generated { case, profile, office, gate_no }
}

/// Guidance on items found wanting, and now and then an improvement measure with a due date.
fn guidance(rng: &mut Rng, case: &mut Case, c: &Checklist, visit: chrono::NaiveDate, fy_end: chrono::NaiveDate) {
    let failed: Vec<ItemRef> = case
        .answers
        .iter()
        .filter(|a| a.system.is_empty())
        .filter(|a| matches!(a.verification, Some(Verification::Partial | Verification::Nonconform)))
        .map(|a| a.item.clone())
        .collect();
    if failed.is_empty() || !rng.chance(0.5) {
        return;
    }
    for _ in 0..rng.range(1, 2.min(failed.len() as i64)) {
        let r = rng.pick(&failed).clone();
        let text = c.item(r.item()).map(|i| short(&i.text, 40)).unwrap_or_default();
        let kind =
            *rng.pick_weighted(&[(GuidanceKind::Oral, 60), (GuidanceKind::Written, 25), (GuidanceKind::Advice, 15)]);
        let written = kind == GuidanceKind::Written;
        let reply_due = written.then(|| Date(days(visit, rng.range(30, 60))));
        case.guidance.push(Guidance {
            kind,
            text: format!("「{text}」について、年度内に対応し、対応状況を報告すること。"),
            items: vec![r.clone()],
            given_on: Some(Date(visit)),
            reply_due,
            plan_requested: written && rng.chance(0.5),
            report_requested: false,
            replied_on: reply_due.filter(|_| rng.chance(0.6)).map(|d| Date(days(d.0, -rng.range(0, 20)))),
            ..Default::default()
        });
        if written && rng.chance(0.5) {
            let done = rng.chance(0.4);
            let due = days(visit, rng.range(30, (fy_end - visit).num_days().max(31)));
            case.measures.push(Measure {
                text: format!("{text}（改善計画による対応）"),
                category: Some(MeasureCategory::Technical),
                items: vec![r],
                owner: "事務長".into(),
                due: Some(Date(due)),
                status: Some(if done { MeasureStatus::Completed } else { MeasureStatus::InProgress }),
                completed_on: done.then(|| Date(days(due, -rng.range(0, 20)))),
            });
        }
    }
}

/// The records of an incident investigation, modelled on the published cases (fields as in
/// samples/ransomware-hospital).
fn incident_records(
    rng: &mut Rng,
    case: &mut Case,
    c: &Checklist,
    detected: chrono::NaiveDate,
    visit: chrono::NaiveDate,
) {
    let ransomware = rng.chance(0.7);
    let ehr = case.facility.systems.first().map(|s| s.name.clone()).unwrap_or_else(|| "電子カルテシステム".into());
    let vendor = case.facility.systems.first().map(|s| s.vendor.clone()).unwrap_or_else(|| VENDORS[0].into());
    case.facility.connections.push(Connection {
        name: "保守用VPN".into(),
        kind: Some(ConnectionKind::Vpn),
        party: vendor.clone(),
        purpose: "電子カルテ保守".into(),
        note: String::new(),
    });
    let occurred = stamp(days(detected, -rng.range(0, 1)), rng.range(0, 4) as u32, rng.range(0, 59) as u32);
    let found = stamp(detected, rng.range(5, 9) as u32, rng.range(0, 59) as u32);
    let found = if found <= occurred { stamp(days(occurred.date, 1), 7, 0) } else { found };
    let detected = found.date;
    let at = |d: i64, h: u32| stamp(days(detected, d), h, 0);
    case.incident = Some(Incident {
        summary: if ransomware {
            "保守用VPN装置の脆弱性を悪用して侵入され、サーバ及び端末PCが暗号化された。".into()
        } else {
            "職員の端末がマルウェアに感染し、院内の端末から外部への不審な通信が確認された。".into()
        },
        occurred_at: Some(occurred),
        detected_at: Some(found),
        attack_type: if ransomware { "ランサムウェア".into() } else { "不正アクセス".into() },
        malware: rng.pick(&["LockBit 3.0系（推定）", "Phobos系（推定）", "不明"]).to_string(),
        entry_vector: if ransomware {
            "保守用VPN装置（ファームウェア未更新）".into()
        } else {
            "標的型メールの添付ファイル".into()
        },
        entry_via: if ransomware { "保守用VPN".into() } else { String::new() },
        leak_confirmed_at: None,
        unlawful_intent: true,
        timeline: vec![
            Event {
                at: found, text: "当直職員が電子カルテの異常に気付き、情報システム担当に連絡（覚知）。".into()
            },
            Event { at: at(0, 10), text: "ネットワークを遮断し、事業者に連絡。".into() },
            Event { at: at(0, 11), text: "保健所及び厚生労働省に第一報。".into() },
            Event { at: at(1, 9), text: "紙運用による診療を開始。".into() },
        ],
        ..Default::default()
    });
    let pcs = rng.range(5, 400) as u64;
    case.damage = Some(Damage {
        summary: "サーバ及び端末PCが使用できなくなり、紙運用で診療を継続した。".into(),
        estimated_cost_yen: Some(Amount::exact(rng.range(5, 300) as u64 * 1_000_000)),
        systems: vec![AffectedSystem {
            name: ehr.clone(),
            effect: Some(if ransomware { DeviceEffect::Encrypted } else { DeviceEffect::Trace }),
            servers: Some(Amount::exact(rng.range(1, 8) as u64)),
            pcs: Some(Amount::exact(pcs)),
            note: String::new(),
        }],
        data: vec![DataImpact {
            kind: if ransomware { DataImpactKind::Encrypted } else { DataImpactKind::PossiblyLeaked },
            records: Some(Amount::exact(rng.range(1_000, 90_000) as u64)),
            persons: None,
            items: vec!["氏名".into(), "病名".into()],
            note: String::new(),
        }],
        clinical: vec![ClinicalImpact {
            service: ClinicalService::NewPatients,
            text: "新患の受付を停止".into(),
            from: Some(Date(days(detected, 1))),
            to: Some(Date(days(detected, rng.range(5, 30)))),
            count: None,
        }],
        paper_operation: Some(Period {
            from: Some(Date(days(detected, 1))),
            to: Some(Date(days(detected, rng.range(10, 40)))),
            text: "外来・病棟".into(),
        }),
        ..Default::default()
    });
    let mut notifications = vec![
        Notification { party: Party::Vendor, at: at(0, 10), text: vendor },
        Notification { party: Party::Prefecture, at: at(0, 11), text: "保健所".into() },
        Notification { party: Party::Mhlw, at: at(0, 12), text: "第一報".into() },
        Notification { party: Party::Police, at: at(1, 13), text: "相談".into() },
        Notification { party: Party::PpcPreliminary, at: at(rng.range(2, 4), 15), text: "速報".into() },
    ];
    if rng.chance(0.8) {
        notifications
            .push(Notification { party: Party::PpcFinal, at: at(rng.range(25, 55), 15), text: "確報".into() });
    }
    case.response = Some(Response {
        summary: "ネットワークを遮断し、事業者及び外部専門家とともに被害範囲を調査した。".into(),
        actions: vec![Event { at: at(0, 10), text: "インターネット回線を切断。".into() }],
        notifications,
        ..Default::default()
    });
    let recovered = days(detected, rng.range(20, 80));
    case.recovery = Some(Recovery {
        summary: "バックアップから復元し、端末を再構築した。".into(),
        full_recovery_on: rng.chance(0.8).then_some(Date(recovered)),
        systems: vec![SystemRecovery {
            name: ehr,
            status: RecoveryStatus::Restored,
            restored_on: Some(Date(recovered)),
            note: String::new(),
        }],
        backups: vec![Backup {
            name: "バックアップテープ".into(),
            taken_on: Some(Date(days(detected, -rng.range(1, 20)))),
            offline: Some(rng.chance(0.5)),
            used: Some(true),
            note: String::new(),
        }],
    });
    let r = |id: &str| c.item(id).map(|i| c.item_ref(i));
    let patch = if c.id == "mhlw-r6" { "2-07" } else { "2-06" };
    let vpn = if c.id == "mhlw-r6" { "2-09" } else { "2-13" };
    case.causes = vec![Cause {
        text: "VPN装置のセキュリティパッチが適用されず、接続元も制限されていなかった。".into(),
        items: [r(patch), r(vpn)].into_iter().flatten().collect(),
        ..Default::default()
    }];
    let measures = [
        ("VPN装置の更新と接続元制限", MeasureCategory::Technical, patch),
        ("サイバー攻撃を想定したBCPの策定", MeasureCategory::Continuity, "3-03"),
        ("オフラインバックアップの導入", MeasureCategory::Technical, "3-02"),
        ("保守事業者との責任分担の明確化", MeasureCategory::Vendor, "2-02"),
    ];
    for (k, (text, category, item)) in measures.iter().enumerate().take(rng.range(2, 4) as usize) {
        let due = days(visit, 60 + 30 * k as i64);
        let status = *rng.pick(&[MeasureStatus::NotStarted, MeasureStatus::InProgress, MeasureStatus::Completed]);
        case.measures.push(Measure {
            text: text.to_string(),
            category: Some(*category),
            items: r(item).into_iter().collect(),
            owner: "情報システム担当".into(),
            due: Some(Date(due)),
            status: Some(status),
            completed_on: (status == MeasureStatus::Completed).then(|| Date(days(due, -10))),
        });
    }
    case.guidance.push(Guidance {
        kind: GuidanceKind::Written,
        text: "被害状況、対応状況及び復旧の見込みを文書で報告すること。".into(),
        items: Vec::new(),
        given_on: Some(Date(visit)),
        reply_due: Some(Date(days(visit, 14))),
        plan_requested: false,
        report_requested: true,
        replied_on: Some(Date(days(visit, 12))),
        ..Default::default()
    });
}

/// The case as the prefecture sent it for self-check (every answer blank), and as the facility
/// returned it (only the facility's columns: はい／いいえ, 確認日, 目標日).
fn self_check(case: &Case) -> (Case, Case) {
    let mut exported = case.clone();
    for a in &mut exported.answers {
        let system = std::mem::take(&mut a.system);
        *a = Answer { system, ..Answer::unanswered(a.item.clone()) };
    }
    exported.guidance.clear();
    exported.measures.clear();
    let mut filled = exported.clone();
    for (f, a) in filled.answers.iter_mut().zip(&case.answers) {
        f.answer = a.answer;
        f.confirmed_on = a.confirmed_on;
        f.target_on = a.target_on;
    }
    (exported, filled)
}

// ---------------------------------------------------------------------------------------------
// Writing.

type Fail = Box<dyn std::error::Error + Send + Sync>;

fn manifest(args: &Args) -> String {
    format!(
        "# kensa synth（ベンチマーク用の架空データ）。この行以下が一致すれば再利用できます。\ngenerator = {GENERATOR_VERSION}\nseed = {}\ncases = {}\nworkbooks = {}\n",
        args.seed, args.cases, args.workbooks
    )
}

/// Kensa's checks on a generated case: errors are the generator's fault.
fn verify_case(case: &Case, reg: &Registry, path: &Path) -> Result<(), Fail> {
    let ctx = kensa::check::Context { as_of: date(2026, 4, 1) };
    let errors: Vec<String> = kensa::check::check_case(case, reg, &ctx)
        .into_iter()
        .filter(|d| d.severity == kensa::diag::Severity::Error)
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: kensa の検査でエラー: {}", path.display(), errors.join(" / ")).into())
    }
}

/// Reads a written workbook back and compares its answers with those it was written from.
fn verify_workbook(path: &Path, filled: &Case, reg: &Registry) -> Result<(), Fail> {
    let data = kensa::workbook::read::read(
        path,
        reg,
        kensa::workbook::read::Purpose::Merge { case_id: Some(&filled.case_id) },
    )?;
    let read = kensa::merge::standalone(&data, reg);
    let key = |a: &Answer| (a.item.clone(), a.system.clone(), a.answer, a.confirmed_on, a.target_on);
    let mut want: Vec<_> = filled
        .answers
        .iter()
        .filter(|a| reg.item(&a.item).is_some_and(|(_, i)| i.answer == AnswerKind::Yesno))
        .filter(|a| a.answer.is_some() || a.confirmed_on.is_some() || a.target_on.is_some())
        .map(key)
        .collect();
    let mut got: Vec<_> = read
        .answers
        .iter()
        .filter(|a| a.answer.is_some() || a.confirmed_on.is_some() || a.target_on.is_some())
        .map(key)
        .collect();
    want.sort();
    got.sort();
    if want != got {
        return Err(format!(
            "{}: 読み戻した回答が書いた回答と違います（{} 件と {} 件）",
            path.display(),
            got.len(),
            want.len()
        )
        .into());
    }
    Ok(())
}

fn clear(out: &Path, force: bool) -> Result<(), Fail> {
    let parts = [out.join("cases"), out.join("workbooks"), out.join("synth.toml")];
    if parts.iter().any(|p| p.exists()) {
        if !force {
            return Err(format!("{} に以前のデータがあります（--force で削除して作り直します）", out.display()).into());
        }
        for p in &parts {
            if p.is_dir() {
                std::fs::remove_dir_all(p)?;
            } else if p.exists() {
                std::fs::remove_file(p)?;
            }
        }
    }
    Ok(())
}

fn run(args: &Args) -> Result<(), Fail> {
    let reg = Registry::load(None)?;
    clear(&args.out, args.force)?;
    std::fs::create_dir_all(&args.out)?;
    let tally = Tally::default();
    let count = |g: &Generated, tally: &Tally, bytes: usize| {
        let k = PROFILES.iter().position(|(p, _)| *p == g.profile).unwrap_or(0);
        tally.kinds[k].fetch_add(1, Ordering::Relaxed);
        tally.incidents.fetch_add(g.case.is_incident() as u64, Ordering::Relaxed);
        tally.gate_no.fetch_add(g.gate_no as u64, Ordering::Relaxed);
        tally.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    };

    (0..args.cases).into_par_iter().try_for_each(|i| -> Result<(), Fail> {
        let g = generate(args.seed, i, &reg, true);
        let dir = args.out.join("cases").join(OFFICES[g.office].1).join(&g.case.case_id);
        std::fs::create_dir_all(&dir)?;
        let text = store::to_text(&g.case, Some(&reg))?;
        let path = dir.join(store::CASE_FILE);
        if args.check {
            verify_case(&store::parse(&path, &text)?, &reg, &path)?;
        }
        std::fs::write(&path, &text)?;
        count(&g, &tally, text.len());
        Ok(())
    })?;

    (0..args.workbooks).into_par_iter().try_for_each(|j| -> Result<(), Fail> {
        // One in a hundred is the self-check of a case in cases/ (the case is then counted).
        let overlap = args.cases > 0 && j % OVERLAP_EVERY == OVERLAP_EVERY / 2;
        let g = if overlap {
            tally.overlap.fetch_add(1, Ordering::Relaxed);
            generate(args.seed, (j / OVERLAP_EVERY * 7919 + 13) % args.cases, &reg, true)
        } else {
            generate(args.seed, WORKBOOK_BASE + j, &reg, false)
        };
        let (exported, filled) = self_check(&g.case);
        let bytes = write::build_as_filled(&exported, &filled, &reg, Audience::Facility)?;
        let dir = args.out.join("workbooks").join(OFFICES[g.office].1);
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{}-selfcheck.xlsx", g.case.case_id));
        std::fs::write(&path, &bytes)?;
        if args.check && j % 50 == 0 {
            verify_workbook(&path, &filled, &reg)?;
        }
        count(&g, &tally, bytes.len());
        Ok(())
    })?;

    std::fs::write(args.out.join("synth.toml"), manifest(args))?;
    let k: Vec<u64> = tally.kinds.iter().map(|a| a.load(Ordering::Relaxed)).collect();
    eprintln!(
        "{} に事案 {} 件、自己点検票 {} 件を作成しました（うち事案と重複 {} 件）。病院 {}、有床診療所 {}、無床診療所 {}、歯科診療所 {}、助産所 {}、事案調査 {}、前提項目「いいえ」 {}、計 {:.1} MB",
        args.out.display(),
        args.cases,
        args.workbooks,
        tally.overlap.load(Ordering::Relaxed),
        k[0],
        k[1],
        k[2],
        k[3],
        k[4],
        tally.incidents.load(Ordering::Relaxed),
        tally.gate_no.load(Ordering::Relaxed),
        tally.bytes.load(Ordering::Relaxed) as f64 / 1e6,
    );
    Ok(())
}

fn main() {
    let args = Args::parse();
    if args.manifest {
        print!("{}", manifest(&args));
        return;
    }
    if let Err(e) = run(&args) {
        eprintln!("エラー: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_case() {
        let reg = Registry::load(None).unwrap();
        for fid in [0, 1, 77, WORKBOOK_BASE + 3] {
            let a = store::to_text(&generate(7, fid, &reg, true).case, Some(&reg)).unwrap();
            let b = store::to_text(&generate(7, fid, &reg, true).case, Some(&reg)).unwrap();
            assert_eq!(a, b);
            let c = store::to_text(&generate(8, fid, &reg, true).case, Some(&reg)).unwrap();
            assert_ne!(a, c);
        }
    }

    #[test]
    fn generated_cases_pass_kensa_check() {
        let reg = Registry::load(None).unwrap();
        for fid in 0..2000 {
            let g = generate(1, fid, &reg, true);
            verify_case(&g.case, &reg, Path::new("case.toml")).unwrap();
        }
    }
}
