#!/usr/bin/env python3
"""Counts the answers of kensa self-check workbooks with python-calamine, as a prefecture's IT
staff would script it: for each checklist item, how many workbooks answered はい, いいえ or
nothing.

    python3 bench/count_calamine.py FOLDER [FOLDER ...] > totals.json

Reads every .xlsx under the folders (every sheet, to Python values) and counts by the rule in
bench/counting.py.
"""
import os
import sys

from python_calamine import CalamineWorkbook

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import counting  # noqa: E402


def sheets(path):
    wb = CalamineWorkbook.from_path(path)
    try:
        for name in wb.sheet_names:
            yield wb.get_sheet_by_name(name).to_python()
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


if __name__ == "__main__":
    counting.main("count_calamine.py", sheets)
