//! kensa needs no network: the whole sample workflow runs in a network namespace that has only
//! a loopback device (`unshare -rn`, a user and network namespace, no root needed), and the lock
//! file holds no HTTP or socket crate.

use crate::harness::{copy_dir, root};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `unshare -rn` with the arguments, or `None` where the sandbox refuses it.
fn unshare(args: &[&str], dir: &Path) -> Option<Output> {
    Command::new("unshare").arg("-rn").args(args).current_dir(dir).env_remove("KENSA_CHECKLISTS").output().ok()
}

/// Whether a network namespace without network can be made here; prints why not.
fn isolation_available() -> bool {
    if !cfg!(target_os = "linux") {
        crate::harness::tool_missing("ネットワークを切り離す仕組み（Linux の unshare -rn）がない環境です");
        return false;
    }
    match unshare(&["cat", "/proc/net/dev"], Path::new("/")) {
        Some(out) if out.status.success() => {
            // Only the loopback device exists inside (and it is down).
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            let devices: Vec<&str> = text.lines().skip(2).filter_map(|l| l.split(':').next()).map(str::trim).collect();
            assert_eq!(devices, ["lo"], "network devices inside the namespace: {text}");
            true
        }
        Some(out) => {
            crate::harness::tool_missing(&format!(
                "unshare -rn が使えません（{}）",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            false
        }
        None => {
            crate::harness::tool_missing("unshare コマンドがありません");
            false
        }
    }
}

/// Runs kensa without network in `dir`; returns the exit code and both outputs.
fn offline(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec![env!("CARGO_BIN_EXE_kensa")];
    all.extend_from_slice(args);
    let out = unshare(&all, dir).expect("unshare runs");
    let text = format!(
        "$ kensa {}\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_sample_workflow_runs_without_network() {
    if !isolation_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(&root().join("samples"), &dir.join("samples"));
    let ok = |args: &[&str]| {
        let (code, text) = offline(dir, args);
        assert_eq!(code, 0, "{text}");
        text
    };
    ok(&["checklist", "list"]);
    ok(&["new", "2025/架空病院", "--facility", "架空病院", "--kind", "定期", "--case-id", "2025-定期-9999"]);
    ok(&["workbook", "2025/架空病院", "--for", "facility", "--out", "自己点検.xlsx"]);
    ok(&["import", "2025/架空病院", "自己点検.xlsx"]);
    ok(&["workbook", "samples/ransomware-hospital", "--out", "現地記入用.xlsx"]);
    ok(&["import", "samples/ransomware-hospital", "現地記入用.xlsx", "--dry-run"]);
    ok(&["import", "samples/ransomware-hospital", "現地記入用.xlsx"]);
    let samples = [
        "samples/clinic-routine",
        "samples/ransomware-hospital",
        "samples/routine-hospital",
        "samples/routine-hospital-r6",
    ];
    let mut check = vec!["check"];
    check.extend(samples);
    let (code, text) = offline(dir, &check);
    assert!(code == 0 || code == 3, "{text}");
    let mut report = vec!["report", "--out", "報告書", "--generated-at", "2025-11-01T10:00:00"];
    report.extend(samples);
    ok(&report);
    for s in ["clinic-routine", "ransomware-hospital", "routine-hospital", "routine-hospital-r6"] {
        for f in ["report.xlsx", "report.md", "report.html"] {
            assert!(dir.join("報告書").join(s).join(f).is_file(), "{s}/{f}");
        }
    }
    let compare = ok(&["compare", "samples/routine-hospital-r6", "samples/routine-hospital"]);
    assert!(compare.contains("改善") || compare.contains("変化なし"), "{compare}");
    ok(&["schema"]);
    ok(&["templates", "export", "ひな形"]);
}

/// Crates that speak HTTP or open sockets. Cargo.lock lists every crate of the build (normal,
/// build and dev dependencies), so none of these may appear in it.
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "hyper-tls",
    "h2",
    "h3",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "minreq",
    "http-req",
    "ehttp",
    "tokio",
    "tokio-util",
    "mio",
    "socket2",
    "async-std",
    "async-net",
    "async-io",
    "smol",
    "quinn",
    "tungstenite",
    "native-tls",
    "openssl",
    "openssl-sys",
    "rustls",
    "hickory-resolver",
    "trust-dns-resolver",
    "lettre",
    "ssh2",
    "libssh2-sys",
];

#[test]
fn no_network_crate_in_the_lock_file() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let names: Vec<&str> =
        lock.lines().filter_map(|l| l.strip_prefix("name = \"")).filter_map(|l| l.strip_suffix('"')).collect();
    assert!(names.contains(&"calamine"), "Cargo.lock was not read as expected");
    let found: Vec<&&str> = names.iter().filter(|n| NETWORK_CRATES.contains(n)).collect();
    assert!(found.is_empty(), "ネットワークを使うクレートが依存に入っています: {found:?}");
}
