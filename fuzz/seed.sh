#!/usr/bin/env bash
# Adds the seed inputs of every fuzz target to its corpus (fuzz/corpus/<target>/): the samples
# and fixtures, the bad-input corpus of tests/corpus/, the embedded checklists, dates in every
# form kensa reads, and the field workbooks kensa writes for the samples. Run it from anywhere;
# afterwards minimize with `cargo +nightly fuzz cmin <target>` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
kensa="${1:-target/debug/kensa}"
[ -x "$kensa" ] || cargo build --quiet
c=fuzz/corpus
mkdir -p "$c/case_toml" "$c/checklist_toml" "$c/wareki_date" "$c/workbook"

for f in samples/*/case.toml tests/fixtures/cases/*/case.toml tests/corpus/case-dirs/*/case.toml; do
    cp "$f" "$c/case_toml/seed-$(echo "$f" | tr '/' '_')"
done
for f in tests/corpus/case/*.toml; do cp "$f" "$c/case_toml/seed-$(basename "$f")"; done

for f in checklists/*.toml tests/corpus/checklists/*/*.toml; do
    cp "$f" "$c/checklist_toml/seed-$(echo "$f" | tr '/' '_')"
done

i=0
for d in "令和7年6月1日" "令和元年5月1日" "R7.6.1" "r7/6/1" "令7.6.1" "H31.4.30" "平成31年5月1日" "S64.1.7" \
    "昭和64年1月8日" "大正元年7月30日" "明治元年1月25日" "明治元年1月24日" "2025-06-01" "2025/6/1" "2025年6月1日" \
    "２０２５／６／１" "令和７年６月１日" " R7.06.01 " "2025-02-30" "2024-02-29" "1899-12-31" "令和99999年1月1日" \
    "令和2147483647年1月1日" "9:05" "09:05:00" "9時5分" "23:59:59" "25:00" "2024-05-19T03:10:00" \
    "2024-05-19 03:10" "令和6年5月19日 3時10分" "2024-05-19T03:10:00+09:00" "令和7年度" "R9年度" "2025年度" \
    "令和元年度" "平成31年度" "2147483647年度" "来年" "" "元年" "R元.5.1"; do
    printf '%s' "$d" > "$c/wareki_date/seed-$i"
    i=$((i + 1))
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in samples/*/; do
    n=$(basename "$s")
    "$kensa" workbook "$s" --out "$tmp/$n.xlsx" >/dev/null
    "$kensa" workbook "$s" --for facility --out "$tmp/$n-facility.xlsx" >/dev/null 2>&1 || true
done
cp "$tmp"/*.xlsx "$c/workbook/"
for f in tests/corpus/workbook/*.xlsx; do cp "$f" "$c/workbook/seed-$(basename "$f")"; done
echo "種の入力を $c/ に追加しました"
