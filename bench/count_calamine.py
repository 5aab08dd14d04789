#!/usr/bin/env python3
"""Counts the answers of kensa self-check workbooks with python-calamine, as a prefecture's IT
staff would script it: for each checklist item, how many workbooks answered はい, いいえ or
nothing.

    python3 bench/count_calamine.py FOLDER [FOLDER ...] > totals.json

Reads every .xlsx under the folders. On each sheet, the row whose column A is "#header" names
the columns; the answer column is the one headed "回答（はい／いいえ）", and each item row holds
its id in the hidden column A ("mhlw-r7:2-01").

Items the vendors answer (事業者確認用) have a row per system ("mhlw-r7:v2-01@<system>") beside
the item's own row. A workbook answers per vendor when any such system row holds an answer or a
date: then each system row counts (blank = 未回答) and the item's own row does not; otherwise the
item's own row counts once (missing or blank = 未回答) and the system rows do not.

Prints JSON: item id -> {"はい": n, "いいえ": n, "未回答": n}; the number of files read goes to stderr.
"""
import json
import os
import sys

from python_calamine import CalamineWorkbook

ANSWER_HEADER = "回答（はい／いいえ）"


def workbooks(folders):
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".xlsx") and not name.startswith("~$"):
                    yield os.path.join(root, name)


def tally(rows, totals):
    """Counts one workbook's rows: (key, answer, date) with answer はい／いいえ／未回答／その他."""
    per_vendor = any("@" in key and (answer != "未回答" or date) for key, answer, date in rows)
    own = {}
    systems = {}
    for key, answer, _ in rows:
        item, _, system = key.partition("@")
        item = item.strip()
        if system:
            systems.setdefault(item, []).append(answer)
        else:
            own[item] = answer
    for item in sorted(set(own) | set(systems)):
        if per_vendor and item in systems:
            answers = systems[item]
        else:
            answers = [own.get(item, "未回答")]
        counts = totals.setdefault(item, {"はい": 0, "いいえ": 0, "未回答": 0})
        for answer in answers:
            counts[answer] = counts.get(answer, 0) + 1


def answer_of(value):
    value = value.strip() if isinstance(value, str) else value
    if value in ("はい", "いいえ"):
        return value
    if value is None or value == "":
        return "未回答"
    return "その他"


def count(path, totals):
    wb = CalamineWorkbook.from_path(path)
    rows = []
    try:
        for name in wb.sheet_names:
            col = None
            for row in wb.get_sheet_by_name(name).to_python():
                if not row:
                    continue
                key = row[0]
                if key == "#header":
                    col = row.index(ANSWER_HEADER) if ANSWER_HEADER in row else None
                    continue
                if col is None or not isinstance(key, str) or ":" not in key:
                    continue
                value = row[col] if col < len(row) else None
                date = row[col + 1] if col + 1 < len(row) else None
                rows.append((key, answer_of(value), date not in (None, "")))
        tally(rows, totals)
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


def main():
    if len(sys.argv) < 2:
        sys.exit("使い方: count_calamine.py FOLDER [FOLDER ...]")
    totals = {}
    n = 0
    for path in workbooks(sys.argv[1:]):
        count(path, totals)
        n += 1
    json.dump(dict(sorted(totals.items())), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    print(f"{n} files", file=sys.stderr)


if __name__ == "__main__":
    main()
