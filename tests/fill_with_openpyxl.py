"""Fills a kensa field workbook as a person would, with openpyxl, and saves it.

Usage: python3 fill_with_openpyxl.py IN.xlsx OUT.xlsx

Typed values instead of picked ones (Yes, ○, 令和7年6月1日, R7.6.1, full-width digits), one real
date cell, rows of the checklist sheet sorted in another order, and a blank row inserted.
"""
import datetime
import sys

import openpyxl


def header_map(ws):
    for row in ws.iter_rows():
        if row[0].value == "#header":
            return row[0].row, {c.value: c.column for c in row if c.value}
    raise SystemExit("header row not found")


def row_of(ws, key):
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == key:
            return row[0].row
    raise SystemExit(f"row {key} not found")


def main(src, dst):
    wb = openpyxl.load_workbook(src)
    ws = wb["チェックリスト"]
    header_row, cols = header_map(ws)

    def put(item, header, value):
        ws.cell(row=row_of(ws, item), column=cols[header], value=value)

    put("mhlw-r7:2-06", "回答（はい／いいえ）", "いいえ")
    put("mhlw-r7:2-06", "確認日", "令和7年6月1日")
    put("mhlw-r7:2-06", "目標日（「いいえ」の場合）", "R8.3.31")
    put("mhlw-r7:2-06", "確認結果（検査員）", "不適合")
    put("mhlw-r7:2-06", "確認方法", "書類確認／聞き取り")
    put("mhlw-r7:2-08", "回答（はい／いいえ）", "Yes")
    put("mhlw-r7:2-08", "確認日", "R7.6.1")
    put("mhlw-r7:2-13", "回答（はい／いいえ）", "○")
    put("mhlw-r7:2-13", "確認日", "２０２５／６／１２")
    put("mhlw-r7:3-01", "確認日", datetime.datetime(2025, 6, 3))

    # Sort the item rows in reverse order (values only, as a sort does).
    first = header_row + 1
    last = ws.max_row
    rows = [[ws.cell(row=r, column=c).value for c in range(1, ws.max_column + 1)] for r in range(first, last + 1)]
    rows.reverse()
    for i, values in enumerate(rows):
        for c, v in enumerate(values, start=1):
            ws.cell(row=first + i, column=c, value=v)
    # A blank row inserted in the middle.
    ws.insert_rows(first + 3)

    summary = wb["概要"]
    summary.cell(row=row_of(summary, "facility.beds"), column=3, value="１２０")
    for row in summary.iter_rows(min_col=1, max_col=2):
        if row[0].value == "inspection.documents" and row[1].value in (None, ""):
            row[1].value = "連絡体制図"
            break
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
