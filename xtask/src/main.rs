//! `cargo xtask dist`: the release archives of kensa.
//!
//! Writes into `dist/`:
//! - `kensa-<version>-x86_64-pc-windows-gnu.zip`: kensa.exe (stripped), README.md, the license
//!   texts, the samples and 「はじめに.txt」 (UTF-8 with BOM and CRLF, for Notepad);
//! - `kensa-<version>-<host>.tar.gz`: the same for Linux (the host's target);
//! - `kensa-<version>-SHA256SUMS.txt`: their SHA-256, as `sha256sum -c` reads them.
//!
//! The archives are the same bytes for the same files: they list their files in name order,
//! each with the time of the commit (`git log -1 --format=%ct`, or `SOURCE_DATE_EPOCH`), fixed
//! permissions and no owner. The binaries are built with the source and registry paths remapped,
//! without a link time stamp, and stripped (two clones in different folders still differ in a
//! few thousand bytes of code). Only files git tracks are packed.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const WINDOWS: &str = "x86_64-pc-windows-gnu";
/// Beside the binary in every archive (tracked files of the repository).
const DOCS: [&str; 3] = ["README.md", "LICENSE-MIT", "LICENSE-APACHE"];
/// The short guide for Windows users, in the zip's top folder.
const GUIDE: &str = "はじめに.txt";

type Result<T> = std::result::Result<T, String>;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["dist"] => dist(&[Platform::Windows, Platform::Host]),
        ["dist", "windows"] => dist(&[Platform::Windows]),
        ["dist", "linux"] => dist(&[Platform::Host]),
        _ => {
            Err("使い方: cargo xtask dist [windows|linux]（dist/ に配布用の zip・tar.gz と SHA-256 を作ります）".into())
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("エラー: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Platform {
    Windows,
    Host,
}

/// The repository's root folder.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ is in the repository").to_path_buf()
}

fn dist(platforms: &[Platform]) -> Result<()> {
    let root = root();
    let version = version(&root)?;
    let epoch = epoch(&root)?;
    let mut files = tracked(&root, &DOCS)?;
    files.extend(tracked(&root, &["samples"])?);
    files.sort();
    files.dedup();
    for doc in DOCS {
        if !files.iter().any(|f| f == doc) {
            return Err(format!("{doc} が git に登録されていません"));
        }
    }
    let out = root.join("dist");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: 作れません（{e}）", out.display()))?;
    let mut written = Vec::new();
    for &platform in platforms {
        let target = match platform {
            Platform::Windows => WINDOWS.to_string(),
            Platform::Host => host()?,
        };
        let binary = build(&root, &target)?;
        let top = format!("kensa-{version}-{target}");
        let mut entries: Vec<Entry> = Vec::new();
        let exe = if platform == Platform::Windows { "kensa.exe" } else { "kensa" };
        entries.push(Entry::file(format!("{top}/{exe}"), read(&binary)?, true));
        for f in &files {
            entries.push(Entry::file(format!("{top}/{f}"), read(&root.join(f))?, false));
        }
        let name = if platform == Platform::Windows {
            let guide = read(&root.join("xtask").join(GUIDE))?;
            entries.push(Entry::file(format!("{top}/{GUIDE}"), windows_text(&guide), false));
            format!("{top}.zip")
        } else {
            format!("{top}.tar.gz")
        };
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let bytes = if platform == Platform::Windows { zip(&entries, epoch)? } else { tar_gz(&entries, epoch)? };
        let path = out.join(&name);
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: 書き込めません（{e}）", path.display()))?;
        written.push((name, sha256(&bytes), bytes.len()));
    }
    let mut sums = String::new();
    for (name, hash, _) in &written {
        sums.push_str(&format!("{hash}  {name}\n"));
    }
    let sums_path = out.join(format!("kensa-{version}-SHA256SUMS.txt"));
    if platforms.len() > 1 {
        std::fs::write(&sums_path, &sums).map_err(|e| format!("{}: 書き込めません（{e}）", sums_path.display()))?;
    }
    for (name, hash, size) in &written {
        println!("dist/{name}  {size} バイト  SHA-256 {hash}");
    }
    if platforms.len() > 1 {
        println!("dist/{}", sums_path.file_name().unwrap_or_default().to_string_lossy());
    }
    Ok(())
}

/// One file of an archive.
struct Entry {
    name: String,
    bytes: Vec<u8>,
    executable: bool,
}

impl Entry {
    fn file(name: String, bytes: Vec<u8>, executable: bool) -> Entry {
        Entry { name, bytes, executable }
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: 読み込めません（{e}）", path.display()))
}

/// kensa's version, from its Cargo.toml.
fn version(root: &Path) -> Result<String> {
    let text = String::from_utf8(read(&root.join("Cargo.toml"))?).map_err(|e| e.to_string())?;
    let manifest: toml::Table = toml::from_str(&text).map_err(|e| format!("Cargo.toml: {e}"))?;
    manifest
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| "Cargo.toml に package.version がありません".into())
}

/// The time every archived file gets: `SOURCE_DATE_EPOCH` where set, else the commit's time.
fn epoch(root: &Path) -> Result<u64> {
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        return s.trim().parse().map_err(|_| format!("SOURCE_DATE_EPOCH「{s}」が秒数ではありません"));
    }
    let out = git(root, &["log", "-1", "--format=%ct"])?;
    out.trim().parse().map_err(|_| format!("コミットの日時が読めません（{out}）"))
}

/// The files git tracks under `paths`, relative to the root, with `/`.
fn tracked(root: &Path, paths: &[&str]) -> Result<Vec<String>> {
    let mut args = vec!["ls-files", "-z", "--"];
    args.extend(paths);
    let out = git(root, &args)?;
    Ok(out.split('\0').filter(|s| !s.is_empty()).map(str::to_string).collect())
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("git を実行できません（{e}）。配布物は git のクローンから作ります"))?;
    if !out.status.success() {
        return Err(format!("git {} が失敗しました: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// The host's target triple (`rustc -vV`).
fn host() -> Result<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("-vV").output().map_err(|e| format!("rustc を実行できません（{e}）"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .ok_or_else(|| "rustc -vV に host がありません".into())
}

/// Builds kensa for `target` in release mode, reproducibly, and returns the binary's path.
fn build(root: &Path, target: &str) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|_| PathBuf::from("/nonexistent"));
    let mut flags = vec![
        format!("--remap-path-prefix={}=/kensa", root.display()),
        format!("--remap-path-prefix={}=/cargo", cargo_home.display()),
    ];
    if target.contains("windows-gnu") {
        // GNU ld for PE writes the link time into the header unless told not to.
        flags.push("-Clink-arg=-Wl,--no-insert-timestamp".into());
    }
    let target_dir = root.join("target").join("dist");
    eprintln!("kensa を {target} 向けに作っています（cargo build --release）…");
    let status = Command::new(cargo)
        .args(["build", "--release", "--locked", "--package", "kensa", "--bin", "kensa", "--target", target])
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(root)
        .env("CARGO_ENCODED_RUSTFLAGS", flags.join("\u{1f}"))
        .env_remove("RUSTFLAGS")
        .env("CARGO_PROFILE_RELEASE_STRIP", "symbols")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .status()
        .map_err(|e| format!("cargo を実行できません（{e}）"))?;
    if !status.success() {
        let hint = if target == WINDOWS {
            "（rustup target add x86_64-pc-windows-gnu と、Debian では apt-get install gcc-mingw-w64-x86-64 が必要です）"
        } else {
            ""
        };
        return Err(format!("{target} 向けのビルドが失敗しました{hint}"));
    }
    let exe = if target.contains("windows") { "kensa.exe" } else { "kensa" };
    Ok(target_dir.join(target).join("release").join(exe))
}

/// A text for Notepad: UTF-8 with a BOM, lines ending in CRLF.
fn windows_text(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = "\u{feff}".as_bytes().to_vec();
    for line in text.trim_start_matches('\u{feff}').lines() {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A zip archive of `entries` (in the order given), every entry with the time `epoch`.
fn zip(entries: &[Entry], epoch: u64) -> Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let (y, mo, d, h, mi, s) = civil(epoch.max(315_532_800)); // zip times start in 1980
    let time = zip::DateTime::from_date_and_time(y as u16, mo, d, h, mi, s).map_err(|e| e.to_string())?;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for e in entries {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9))
            .last_modified_time(time)
            .unix_permissions(if e.executable { 0o755 } else { 0o644 });
        w.start_file(e.name.as_str(), options).map_err(|x| format!("{}: {x}", e.name))?;
        w.write_all(&e.bytes).map_err(|x| format!("{}: {x}", e.name))?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}

/// A gzip-compressed tar archive of `entries`, every entry with the time `epoch` and no owner.
fn tar_gz(entries: &[Entry], epoch: u64) -> Result<Vec<u8>> {
    let gz = flate2::GzBuilder::new().mtime(epoch as u32).write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    for e in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(e.bytes.len() as u64);
        header.set_mode(if e.executable { 0o755 } else { 0o644 });
        header.set_mtime(epoch);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, &e.name, e.bytes.as_slice()).map_err(|x| format!("{}: {x}", e.name))?;
    }
    let gz = tar.into_inner().map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

/// The UTC date and time of a Unix time: (year, month, day, hour, minute, second).
fn civil(epoch: u64) -> (i64, u8, u8, u8, u8, u8) {
    let days = (epoch / 86_400) as i64;
    let secs = epoch % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, (secs / 3600) as u8, (secs % 3600 / 60) as u8, (secs % 60) as u8)
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_become_utc_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(315_532_800), (1980, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_709_164_800 + 3_723), (2024, 2, 29, 1, 2, 3));
        assert_eq!(civil(1_798_761_599), (2026, 12, 31, 23, 59, 59));
    }

    #[test]
    fn archives_are_the_same_bytes_for_the_same_files() {
        let entries = || {
            vec![
                Entry::file("k/kensa.exe".into(), vec![1, 2, 3], true),
                Entry::file("k/samples/a/case.toml".into(), "施設 = 1\n".into(), false),
            ]
        };
        let (a, b) = (zip(&entries(), 1_765_000_000).unwrap(), zip(&entries(), 1_765_000_000).unwrap());
        assert_eq!(a, b);
        assert_ne!(a, zip(&entries(), 1_765_000_002).unwrap(), "the time is in the archive");
        assert_eq!(tar_gz(&entries(), 1_765_000_000).unwrap(), tar_gz(&entries(), 1_765_000_000).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        assert_eq!(archive.len(), 2);
        assert_eq!(archive.by_index(1).unwrap().name().unwrap(), "k/samples/a/case.toml");
    }

    #[test]
    fn the_guide_opens_in_notepad() {
        let t = windows_text("はじめに\nkensa\n".as_bytes());
        assert_eq!(t, "\u{feff}はじめに\r\nkensa\r\n".as_bytes());
    }
}
