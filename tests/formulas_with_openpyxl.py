"""Writes formulas into a kensa field workbook with openpyxl, which does not calculate: the
formulas are saved without their calculated values, as any program that does not calculate
saves them.

Usage: python3 formulas_with_openpyxl.py IN.xlsx OUT.xlsx

概要: 開設者 ="医療法人"&"テスト会", 病床数 =100+212; チェックリスト: the answer of mhlw-r7:2-06
=IF(TRUE,"はい","いいえ"); 時系列: the 日時 of the first timeline row =DATE(2025,6,22), its 出来事
typed as text.
"""
import sys

import openpyxl


def row_of(ws, key):
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == key:
            return row[0].row
    raise SystemExit(f"row {key} not found")


def col_of(ws, header_key, header):
    for row in ws.iter_rows():
        if row[0].value == header_key:
            for c in row:
                if c.value in (header, f"{header}（必須）"):
                    return c.column
    raise SystemExit(f"column {header} not found")


def main(src, dst):
    wb = openpyxl.load_workbook(src)
    summary = wb["概要"]
    summary.cell(row=row_of(summary, "facility.founder"), column=3, value='="医療法人"&"テスト会"')
    summary.cell(row=row_of(summary, "facility.beds"), column=3, value="=100+212")
    ws = wb["チェックリスト"]
    ws.cell(
        row=row_of(ws, "mhlw-r7:2-06"),
        column=col_of(ws, "#header", "回答（はい／いいえ）"),
        value='=IF(TRUE,"はい","いいえ")',
    )
    tl = wb["時系列"]
    row = row_of(tl, "incident.timeline")
    tl.cell(row=row, column=col_of(tl, "#header:incident.timeline", "日時"), value="=DATE(2025,6,22)")
    tl.cell(row=row, column=col_of(tl, "#header:incident.timeline", "出来事"), value="電子カルテが停止")
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
