#!/usr/bin/env bash
# CI, Windows step: kensa cross-built for x86_64-pc-windows-gnu with Debian's MinGW, linted for
# that target, and its whole test suite run under Debian's Wine (the integration tests run
# kensa.exe, among them the README's workflow in a folder with a Japanese name and a space, with
# an output held open the way Excel holds it). Self-contained: called from .ci/run, or alone as
# `bash .ci/windows.sh`. KENSA_WINDOWS=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
target=x86_64-pc-windows-gnu

if [ "${KENSA_WINDOWS:-1}" = 0 ]; then
    echo "Windows の試験を飛ばします: KENSA_WINDOWS=0 が指定されています"
    exit 0
fi

# The cross compiler and Wine (Debian packages).
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null 2>&1 || missing+=(wine)
[ -e /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null 2>&1 || missing+=(wine64)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Windows の試験に必要なパッケージ（${missing[*]}）を導入できません（root と apt-get が必要です）"
        exit 1
    fi
fi

# The target's standard library. Where it cannot be had (no rustup, no registry), this step is
# skipped, and says so; every other step of CI still runs.
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    if ! timeout 600 rustup target add "$target"; then
        echo "Windows の試験を飛ばします: $target の標準ライブラリを入手できません（rustup target add $target が失敗しました）"
        exit 0
    fi
fi

cargo clippy --target "$target" --all-targets -- -D warnings

# A fresh Wine prefix for this run. Debian's Wine 8 lacks bcryptprimitives.ProcessPrng, which
# every Windows 10 and later has and Rust's standard library imports: a test-only stand-in
# (.ci/windows/processprng.c, over advapi32's SystemFunction036) goes into its system32. It is
# never part of a release.
work=$(mktemp -d)
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export WINEPREFIX="$work/wine" WINEDEBUG=-all WINEARCH=win64
WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; exit 1; }
x86_64-w64-mingw32-gcc -shared -O2 -Wl,--kill-at -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    .ci/windows/processprng.c -ladvapi32
export WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml="
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine
# A snapshot that differs fails the run and writes no .snap.new into the tree.
export INSTA_UPDATE=no
# The other programs some tests run (Python's openpyxl and DuckDB, LibreOffice, strace, unshare)
# are Linux programs that kensa.exe under Wine cannot start: those tests ran, required, in the
# Linux step; here they say they did not run.
unset KENSA_REQUIRE_TOOLS

start=$(date +%s)
set +e
cargo test --no-fail-fast --target "$target" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e
passed=$(awk '/^test result:/ { n += $4 } END { print n + 0 }' "$work/test.log")
failed=$(awk '/^test result:/ { n += $6 } END { print n + 0 }' "$work/test.log")
echo "Windows（Wine）の試験: ${passed:-0} 件成功、${failed:-0} 件失敗（$(( $(date +%s) - start )) 秒）"
exit "$status"
