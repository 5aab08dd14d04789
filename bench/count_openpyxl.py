#!/usr/bin/env python3
"""Counts the answers of kensa self-check workbooks with openpyxl, as a prefecture's IT staff
would script it: for each checklist item, how many workbooks answered はい, いいえ or nothing.

    python3 bench/count_openpyxl.py FOLDER [FOLDER ...] > totals.json

Reads every .xlsx under the folders with openpyxl's fast mode (read_only=True, data_only=True)
and counts by the rule in bench/counting.py.
"""
import os
import sys

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import counting  # noqa: E402


def sheets(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            yield list(ws.iter_rows(values_only=True))
    finally:
        wb.close()


if __name__ == "__main__":
    counting.main("count_openpyxl.py", sheets)
