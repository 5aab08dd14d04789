"""What the two counting scripts share: finding the workbooks, reading a sheet's item rows, the
counting rule, and the command line. Each script brings only its way of reading a workbook.

The counting rule: on each sheet, the row whose column A is "#header" names the columns; the
answer column is the one headed "回答（はい／いいえ）" (the next column is its date), and each
item row holds its id in the hidden column A ("mhlw-r7:2-01"). Items the vendors answer
(事業者確認用) have a row per system ("mhlw-r7:v2-01@<system>") beside the item's own row. A
workbook answers per vendor when any such system row holds an answer or a date: then each system
row counts (blank = 未回答) and the item's own row does not; otherwise the item's own row counts
once (missing or blank = 未回答) and the system rows do not.
"""
import json
import os
import sys

ANSWER_HEADER = "回答（はい／いいえ）"


def workbooks(folders):
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".xlsx") and not name.startswith("~$"):
                    yield os.path.join(root, name)


def answer_of(value):
    value = value.strip() if isinstance(value, str) else value
    if value in ("はい", "いいえ"):
        return value
    if value is None or value == "":
        return "未回答"
    return "その他"


def item_rows(sheet_rows):
    """(key, answer, dated) of each item row of one sheet's rows (lists of cell values)."""
    col = None
    for row in sheet_rows:
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
        yield key, answer_of(value), date not in (None, "")


def tally(rows, totals):
    """Counts one workbook's item rows into totals (item id -> answer -> n)."""
    per_vendor = any("@" in key and (answer != "未回答" or dated) for key, answer, dated in rows)
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
        answers = systems[item] if per_vendor and item in systems else [own.get(item, "未回答")]
        counts = totals.setdefault(item, {"はい": 0, "いいえ": 0, "未回答": 0})
        for answer in answers:
            counts[answer] = counts.get(answer, 0) + 1


def main(name, sheets_of):
    """Counts every workbook under the folders of the command line; `sheets_of(path)` yields the
    rows of each sheet of one workbook. Prints item id -> {"はい": n, "いいえ": n, "未回答": n}
    as JSON, and the number of files read on stderr."""
    if len(sys.argv) < 2:
        sys.exit(f"使い方: {name} FOLDER [FOLDER ...]")
    totals = {}
    n = 0
    for path in workbooks(sys.argv[1:]):
        rows = [r for sheet in sheets_of(path) for r in item_rows(sheet)]
        tally(rows, totals)
        n += 1
    json.dump(dict(sorted(totals.items())), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    print(f"{n} files", file=sys.stderr)
