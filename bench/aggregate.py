#!/usr/bin/env python3
"""Benchmark of `kensa aggregate` (wall time, CPU time, peak memory, files per second), beside two
scripts a prefecture's IT staff might write to count the same answers (openpyxl, python-calamine), and
the leanest of them (python-calamine reading only the sheet 「チェックリスト」 of each workbook).

Usage (from anywhere; paths are relative to the repository):

    python3 bench/aggregate.py                 # full: 1,000 / 10,000 / 100,000 cases,
                                               #       1,000 / 10,000 workbooks
    python3 bench/aggregate.py --quick         # 1,000 cases + 1,000 workbooks (CI-like check)
    python3 bench/aggregate.py --data DIR      # scratch folder (default: $KENSA_BENCH_DATA or
                                               # target/bench-data; never a tracked folder)
    python3 bench/aggregate.py --seed 7        # another data set (default seed 1)
    python3 bench/aggregate.py --no-python     # kensa only (no peer scripts, no venv)
    python3 bench/aggregate.py --no-kensa      # data and peer scripts only (before aggregate exists)
    python3 bench/aggregate.py --quick --runs 5
                                               # each tool 5 times, in turn: medians, and the
                                               # median of the ratios of each round

What it does:
  1. cargo build --release (kensa and the examples `synth` and `read_floor`).
  2. Generates the data sets with `cargo run --release --example synth` into DATA/s<seed>-c<N>-w<M>/
     (cases/ and workbooks/); a set whose synth.toml matches the generator, seed and sizes is
     reused as it is. It also checks that generation is deterministic (a small set made twice
     must hash the same) and runs `kensa check` over a sample of the generated cases (errors fail
     the bench; warnings are expected).
  3. Runs `kensa aggregate --quiet --out DATA/out/<set>` on each set under `/usr/bin/time -v`
     (Debian package `time`; installed with apt-get when missing and running as root), into a
     new output folder each time (the previous one is deleted before the run, outside the
     timing), and on the workbook sets the two peer scripts (bench/count_openpyxl.py,
     bench/count_calamine.py, bench/count_lean.py) the same way, with Python packages from a venv in
     target/bench-venv (pip install openpyxl python-calamine), and the floor (examples/read_floor.rs:
     every cell read through kensa's reader on all cores, nothing else; the line "floor:" says how
     much faster than openpyxl reading every cell with calamine is here; kensa reads a little less,
     as it stops at the hidden sheet's fingerprints). With --runs N, N rounds of one run
     of each tool in turn: the table shows medians, and each ratio is the median of the ratios
     of the rounds.
  4. Checks that kensa's findings.csv and both scripts count the same はい／いいえ／未回答 per
     item, and prints the table (set, files, wall s, files/s, CPU s, peak MiB, ratios to kensa)
     and a "linear?" line: time per file at each size.

Exit status: 0 when every run succeeded and the counts agree, 1 otherwise.
"""
import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "target"
KENSA = TARGET / "release" / "kensa"
SYNTH = TARGET / "release" / "examples" / "synth"
FLOOR = TARGET / "release" / "examples" / "read_floor"
VENV = TARGET / "bench-venv"
PY_PACKAGES = ["openpyxl", "python-calamine"]

# (label, what is read, N cases, M workbooks, data set folder sizes)
FULL = [
    ("cases 1k", "cases", 1_000, (1_000, 1_000)),
    ("cases 10k", "cases", 10_000, (10_000, 10_000)),
    ("cases 100k", "cases", 100_000, (100_000, 0)),
    ("workbooks 1k", "workbooks", 1_000, (1_000, 1_000)),
    ("workbooks 10k", "workbooks", 10_000, (10_000, 10_000)),
    ("both 1k+1k", "both", 2_000, (1_000, 1_000)),
]
QUICK = [r for r in FULL if r[0] in ("cases 1k", "workbooks 1k", "both 1k+1k")]


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    say("$", " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


# ------------------------------------------------------------------------------------------------
# Tools.


def ensure_time():
    if Path("/usr/bin/time").exists():
        return
    # GNU time gives wall time, CPU time and peak RSS of a finished process (`-v`).
    if os.geteuid() == 0 and shutil.which("apt-get"):
        run(["apt-get", "install", "-y", "-q", "time"], stdout=subprocess.DEVNULL)
    if not Path("/usr/bin/time").exists():
        sys.exit("/usr/bin/time がありません（apt-get install time）")


def ensure_venv():
    py = VENV / "bin" / "python"
    probe = [py, "-c", "import openpyxl, python_calamine"]
    if py.exists() and subprocess.run([str(c) for c in probe], capture_output=True).returncode == 0:
        return py
    run([sys.executable, "-m", "venv", VENV])
    run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", *PY_PACKAGES])
    return py


def build():
    run(["cargo", "build", "--release", "--bin", "kensa", "--example", "synth", "--example", "read_floor"], cwd=REPO)


def has_aggregate():
    r = subprocess.run([str(KENSA), "aggregate", "--help"], capture_output=True)
    return r.returncode == 0


# ------------------------------------------------------------------------------------------------
# Data.


def manifest(seed, cases, workbooks, out):
    r = subprocess.run(
        [str(SYNTH), "--manifest", "--seed", str(seed), "--cases", str(cases), "--workbooks", str(workbooks), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return r.stdout


def dataset(data, seed, cases, workbooks):
    """The folder of a data set, generated unless already there with the same manifest."""
    d = data / f"s{seed}-c{cases}-w{workbooks}"
    want = manifest(seed, cases, workbooks, d)
    have = (d / "synth.toml").read_text(encoding="utf-8") if (d / "synth.toml").exists() else None
    if have == want:
        say(f"再利用: {d}")
        return d
    run([SYNTH, "--seed", seed, "--cases", cases, "--workbooks", workbooks, "--out", d, "--force"])
    return d


def tree_hash(folder):
    h = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            p = Path(root) / name
            h.update(str(p.relative_to(folder)).encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def check_determinism(seed):
    with tempfile.TemporaryDirectory(prefix="kensa-synth-") as tmp:
        hashes = []
        for k in ("a", "b"):
            out = Path(tmp) / k
            run([SYNTH, "--seed", seed, "--cases", 200, "--workbooks", 200, "--out", out, "--check"],
                stderr=subprocess.DEVNULL)
            hashes.append(tree_hash(out))
    if hashes[0] != hashes[1]:
        sys.exit(f"同じ種から違うファイルができました: {hashes}")
    say(f"決定的: 同じ種の2回の作成が一致（{hashes[0][:16]}…）")


def check_sample(folder, n=300):
    cases = sorted((folder / "cases").glob("*/*/case.toml"))[:n]
    if not cases:
        return
    r = subprocess.run([str(KENSA), "check", *[str(c.parent) for c in cases]], capture_output=True, text=True)
    last = (r.stdout + r.stderr).strip().splitlines()[-1:]
    say(f"kensa check（{len(cases)} 件）: {' '.join(last)}")
    if r.returncode not in (0, 3):
        sys.exit("作成した事案に kensa check のエラーがあります")


# ------------------------------------------------------------------------------------------------
# Measuring.


def timed(cmd, stdout_path=None):
    """Runs cmd under /usr/bin/time -v: (exit code, wall s, cpu s, peak MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
        try:
            say("$", " ".join(str(c) for c in cmd))
            r = subprocess.run(["/usr/bin/time", "-v", "-o", t.name, *[str(c) for c in cmd]], stdout=out,
                               stderr=subprocess.PIPE)
        finally:
            if stdout_path:
                out.close()
        report = t.read()
    if r.returncode != 0:
        say(r.stderr.decode(errors="replace")[-2000:])

    def field(name):
        m = re.search(rf"^\s*{re.escape(name)}: (.*)$", report, re.M)
        return m.group(1).strip() if m else ""

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part or 0)
    cpu = float(field("User time (seconds)") or 0) + float(field("System time (seconds)") or 0)
    rss = int(field("Maximum resident set size (kbytes)") or 0) / 1024
    return r.returncode, wall, cpu, rss


def summarize(ms):
    """One tool's runs of a set: (exit code, median wall s, median CPU s, largest peak MiB, n)."""
    rc = next((m[0] for m in ms if m[0] != 0), 0)
    return (rc, statistics.median(m[1] for m in ms), statistics.median(m[2] for m in ms), max(m[3] for m in ms), len(ms))


def files_of(folder, what):
    n = 0
    if what in ("cases", "both"):
        n += sum(1 for _ in (folder / "cases").glob("*/*/case.toml"))
    if what in ("workbooks", "both"):
        n += sum(1 for _ in (folder / "workbooks").glob("*/*.xlsx"))
    return n


def inputs(folder, what):
    return {"cases": [folder / "cases"], "workbooks": [folder / "workbooks"], "both": [folder]}[what]


# ------------------------------------------------------------------------------------------------
# Comparing counts.


def kensa_counts(out_dir):
    """はい／いいえ／未回答 per item from kensa's findings.csv (one row per facility × item)."""
    path = out_dir / "findings.csv"
    totals = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = csv.DictReader(f)
        for row in rows:
            item = row.get("項目ID", "")
            if ":" not in item:
                item = f"{row.get('チェックリスト', '')}:{item}"
            answer = (row.get("回答") or "").strip()
            if answer not in ("はい", "いいえ"):
                answer = "未回答" if answer == "" else "その他"
            c = totals.setdefault(item, {"はい": 0, "いいえ": 0, "未回答": 0})
            c[answer] = c.get(answer, 0) + 1
    return totals


def compare(name, a_name, a, b_name, b, only_in_b_ok=False):
    """Lines naming every item whose counts differ."""
    lines = []
    for item in sorted(set(a) | set(b)):
        if item not in a and only_in_b_ok:
            continue
        ca, cb = a.get(item, {}), b.get(item, {})
        keys = sorted(set(ca) | set(cb))
        if any(ca.get(k, 0) != cb.get(k, 0) for k in keys):
            diff = ", ".join(f"{k} {ca.get(k, 0)}/{cb.get(k, 0)}" for k in keys if ca.get(k, 0) != cb.get(k, 0))
            lines.append(f"  {name}: {item}: {diff}（{a_name}/{b_name}）")
    return lines


# ------------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description="kensa aggregate のベンチマーク")
    ap.add_argument("--quick", action="store_true", help="1,000 件の事案と 1,000 件の自己点検票だけ")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("KENSA_BENCH_DATA", TARGET / "bench-data")))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-python", action="store_true", help="Python のスクリプトを実行しない")
    ap.add_argument("--no-kensa", action="store_true", help="kensa aggregate を実行しない")
    ap.add_argument("--runs", type=int, default=1, help="各ツールを交互に実行する回数（中央値と、回ごとの比の中央値を表示）")
    args = ap.parse_args()
    data = args.data.resolve()
    if data.is_relative_to(REPO) and not data.is_relative_to(TARGET):
        sys.exit(f"{data} はリポジトリの中です。target/ の下かリポジトリの外を指定してください")
    data.mkdir(parents=True, exist_ok=True)

    ensure_time()
    build()
    py = None if args.no_python else ensure_venv()
    run_kensa = not args.no_kensa
    if run_kensa and not has_aggregate():
        say("この kensa には aggregate がありません: kensa の計測を省きます（--no-kensa と同じ）")
        run_kensa = False
    check_determinism(args.seed)

    plan = QUICK if args.quick else FULL
    rows = []
    failed = []
    checked = set()
    outs = data / "out"
    outs.mkdir(exist_ok=True)
    for label, what, _, (n_cases, n_wb) in plan:
        folder = dataset(data, args.seed, n_cases, n_wb)
        if folder not in checked:
            check_sample(folder)
            checked.add(folder)
        files = files_of(folder, what)
        tag = label.replace(" ", "-").replace("+", "")
        row = {"set": label, "what": what, "files": files}
        tools = (["kensa"] if run_kensa else []) + (["openpyxl", "calamine", "lean"] if py and what == "workbooks" else [])
        # The floor: every cell of the same workbooks read through kensa's reader (calamine) on all
        # cores, and nothing else: what no work of kensa's own can go below.
        tools += ["floor"] if run_kensa and what == "workbooks" else []
        runs = {t: [] for t in tools}
        totals = {}
        kensa_totals = None
        # Rounds of one run of each tool in turn (kensa, openpyxl, calamine, kensa, …): a drift
        # of the machine's speed during the set touches every tool alike.
        for _ in range(args.runs):
            for tool in tools:
                if tool == "kensa":
                    out = outs / tag
                    # A new output folder for each run: deleting the previous run's files (what
                    # --force over an old folder costs) is not counting.
                    shutil.rmtree(out, ignore_errors=True)
                    cmd = [KENSA, "aggregate", "--quiet", "--out", out, *inputs(folder, what)]
                    m = timed(cmd)
                    if m[0] != 0:
                        failed.append(f"{label}: kensa aggregate の終了コード {m[0]}")
                    elif (out / "findings.csv").exists() and what == "workbooks" and kensa_totals is None:
                        kensa_totals = kensa_counts(out)
                elif tool == "floor":
                    m = timed([FLOOR, folder / "workbooks"])
                    if m[0] != 0:
                        failed.append(f"{label}: read_floor の終了コード {m[0]}")
                else:
                    json_out = outs / f"{tag}-{tool}.json"
                    m = timed([py, REPO / "bench" / f"count_{tool}.py", folder / "workbooks"], json_out)
                    if m[0] != 0:
                        failed.append(f"{label}: count_{tool}.py の終了コード {m[0]}")
                    elif tool not in totals:
                        totals[tool] = json.loads(json_out.read_text(encoding="utf-8"))
                runs[tool].append(m)
        row["ratio"] = {}
        for tool, ms in runs.items():
            row[tool] = summarize(ms)
            if tool != "kensa" and "kensa" in runs:
                # The ratio of each round, then their median: runs of one round are paired.
                row["ratio"][tool] = statistics.median(m[1] / k[1] for m, k in zip(ms, runs["kensa"]) if k[1] > 0)
        if "floor" in runs and "openpyxl" in runs:
            # The most kensa could be faster than openpyxl on this machine with its reader.
            row["ceiling"] = statistics.median(o[1] / f[1] for o, f in zip(runs["openpyxl"], runs["floor"]) if f[1] > 0)
        if totals:
            diffs = []
            if "openpyxl" in totals and "calamine" in totals:
                diffs += compare(label, "openpyxl", totals["openpyxl"], "calamine", totals["calamine"])
            if kensa_totals is not None:
                for script, t in totals.items():
                    diffs += compare(label, "kensa", kensa_totals, script, t)
            row["agree"] = not diffs
            row["compared"] = (["kensa"] if kensa_totals is not None else []) + sorted(totals)
            if diffs:
                failed.append(f"{label}: 集計が一致しません")
                failed.extend(diffs[:40])
        rows.append(row)

    print_table(rows)
    if failed:
        print("\n問題:")
        for f in failed:
            print(f"  {f}")
        sys.exit(1)


def fmt(v, spec):
    return format(v, spec) if v is not None else "-"


TOOLS = ("kensa", "openpyxl", "calamine", "lean", "floor")


def print_table(rows):
    print()
    n = max((m[4] for r in rows for t in TOOLS if (m := r.get(t))), default=1)
    if n > 1:
        print(f"{n} runs of each tool in turn: medians; ÷kensa is the median of the ratios of each round")
    head = f"{'set':<14} {'tool':<9} {'files':>7} {'wall s':>8} {'files/s':>9} {'cpu s':>8} {'peak MiB':>9} {'÷kensa':>7}"
    print(head)
    print("-" * len(head))
    for row in rows:
        for tool in TOOLS:
            m = row.get(tool)
            if not m:
                continue
            rc, wall, cpu, rss, _ = m
            ratio = f"{row['ratio'][tool]:.1f}x" if tool in row["ratio"] else ""
            bad = "" if rc == 0 else f"  (終了コード {rc})"
            print(
                f"{row['set']:<14} {tool:<9} {row['files']:>7} {wall:>8.2f} {row['files'] / wall if wall else 0:>9.0f}"
                f" {cpu:>8.2f} {rss:>9.1f} {ratio:>7}{bad}"
            )
        if "ceiling" in row:
            print(f"{'':<14} floor: openpyxl ÷ floor {row['ceiling']:.1f}x (every cell read with calamine, nothing else)")
        if "agree" in row:
            print(f"{'':<14} counts per item {'agree' if row['agree'] else 'DIFFER'}: {', '.join(row['compared'])}")
    for what in ("cases", "workbooks"):
        for tool in ("kensa", "openpyxl", "calamine", "lean"):
            per = [(r["set"], r[tool][1] / r["files"] * 1000) for r in rows
                   if r["what"] == what and tool in r and r["files"]]
            if len(per) > 1:
                print(f"linear? {what} {tool}: " + " → ".join(f"{s.split()[-1]} {ms:.3f} ms/file" for s, ms in per))


if __name__ == "__main__":
    main()
