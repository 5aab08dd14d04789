//! Throughput figures: `cargo bench --bench kensa`. Prints one line per measurement.

use kensa::case::store;
use kensa::check::check_case;
use kensa::checklist::Registry;
use kensa::merge::merge;
use kensa::report::{self, DateStyle, Options, OutputFormat};
use kensa::workbook::{read, write, Audience};
use std::path::Path;
use std::time::{Duration, Instant};

/// Runs `f` repeatedly for about `budget` and returns (iterations, mean time per iteration).
fn measure(budget: Duration, mut f: impl FnMut()) -> (u32, Duration) {
    f(); // warm up
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget || n < 3 {
        f();
        n += 1;
    }
    (n, start.elapsed() / n)
}

fn report(name: &str, (n, mean): (u32, Duration), per_second_unit: &str) {
    let per_sec = 1.0 / mean.as_secs_f64();
    println!("{name:<44} {:>10.3} ms/回  {:>10.0} {per_second_unit}/秒  ({n} 回)", mean.as_secs_f64() * 1e3, per_sec);
}

fn main() {
    let budget =
        Duration::from_millis(std::env::var("KENSA_BENCH_MS").ok().and_then(|s| s.parse().ok()).unwrap_or(1500));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    report("チェックリスト読み込み（内蔵4件）", measure(budget, || drop(Registry::load(None).unwrap())), "回");
    let reg = Registry::load(None).unwrap();
    for name in ["routine-hospital", "ransomware-hospital", "clinic-routine"] {
        let dir = root.join("samples").join(name);
        let loaded = store::load(&dir).unwrap();
        let label = format!("{name}: 読み込み＋検査");
        report(
            &label,
            measure(budget, || {
                let l = store::load(&dir).unwrap();
                std::hint::black_box(check_case(&l.case, &reg, &kensa::check::Context::today()));
            }),
            "件",
        );
        let label = format!("{name}: case.toml 書き出し（文字列化）");
        report(&label, measure(budget, || drop(store::to_text(&loaded.case, Some(&reg)).unwrap())), "件");
        let mut changed = loaded.case.clone();
        if let Some(a) = changed.answers.last_mut() {
            a.note.push_str("（追記）");
        }
        let label = format!("{name}: case.toml 書き換え（1か所、その場で）");
        report(
            &label,
            measure(budget, || drop(kensa::case::edit::edit(&loaded.text, &changed, Some(&reg)).unwrap())),
            "件",
        );
        let label = format!("{name}: ワークブック作成（メモリ上）");
        report(&label, measure(budget, || drop(write::build(&loaded.case, &reg, Audience::Inspector).unwrap())), "件");
        let bytes = write::build(&loaded.case, &reg, Audience::Inspector).unwrap();
        let tmp = std::env::temp_dir().join(format!("kensa-bench-{name}.xlsx"));
        std::fs::write(&tmp, bytes).unwrap();
        let label = format!("{name}: ワークブック読み込み＋照合");
        report(
            &label,
            measure(budget, || {
                let parsed =
                    read::read(&tmp, &reg, read::Purpose::Merge { case_id: Some(&loaded.case.case_id) }).unwrap();
                std::hint::black_box(merge(&loaded.case, &parsed, &reg, None));
            }),
            "件",
        );
        let _ = std::fs::remove_file(&tmp);
        for format in OutputFormat::ALL {
            let opts = Options {
                out_dir: std::env::temp_dir(),
                formats: vec![format],
                templates: None,
                date_style: DateStyle::Wareki,
                addressee: report::DEFAULT_ADDRESSEE.to_string(),
                generated_at: report::parse_generated_at("2025-11-01T10:00:00").unwrap(),
                zenkaku_digits: false,
                force: false,
            };
            let label = format!("{name}: 報告書 {}（メモリ上）", format.file_name());
            report(&label, measure(budget, || drop(report::render_all(&loaded, &reg, &opts).unwrap())), "件");
        }
    }
}
