#!/usr/bin/env python3
"""The leanest count a prefecture's IT staff would script with python-calamine: for each
workbook, only the sheet 「チェックリスト」 (the facility's form has that one sheet of answers besides
kensa's hidden sheet), read to Python values, counted by the rule in bench/counting.py.

    python3 bench/count_lean.py FOLDER [FOLDER ...] > totals.json
"""
import os
import sys

from python_calamine import CalamineWorkbook

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import counting  # noqa: E402

SHEET = "チェックリスト"


def sheets(path):
    wb = CalamineWorkbook.from_path(path)
    try:
        if SHEET in wb.sheet_names:
            yield wb.get_sheet_by_name(SHEET).to_python()
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


if __name__ == "__main__":
    counting.main("count_lean.py", sheets)
