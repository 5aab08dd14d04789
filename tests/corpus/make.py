#!/usr/bin/env python3
"""Regenerates the binary inputs of tests/corpus (the ones that cannot be written by hand).

    python3 tests/corpus/make.py [KENSA]

KENSA is the kensa binary used to write the workbooks that are then damaged (default
target/debug/kensa; build it first with `cargo build`). The output is deterministic: the same
kensa gives the same bytes (kensa writes workbooks byte-stable, and every zip entry written
here has a fixed time stamp). Only the standard library is used.

The largest inputs are never committed: the zip bomb only *declares* a huge unpacked size
(a few KB on disk), and the 10 MB note is made by the test itself.
"""

import os
import random
import struct
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASE = os.path.join(HERE, "case")
WORKBOOK = os.path.join(HERE, "workbook")
FIXED_TIME = (2025, 6, 1, 0, 0, 0)

# A small case file whose 5th line holds a value that is not a choice ("病棟" is no facility
# kind): the BOM and CRLF variants must still report line 5, column 8.
BAD_KIND = """\
# 施設の種別が選択肢にない事案ファイル。
case_id = "C-1"

[facility]
kind = "病棟"
name = "架空病院"

[inspection]
kind = "定期の立入検査"
"""

# A valid case in Japanese, as an editor set to Shift_JIS would save it.
SJIS_TEXT = """\
# Shift_JIS で保存された事案ファイル。
case_id = "C-1"

[facility]
name = "架空病院"
kind = "病院"

[inspection]
kind = "定期の立入検査"
"""

# Raw control characters (NUL, ESC, BEL) inside a string: TOML forbids them.
CONTROL_RAW = (
    "# 文字列の中に生の制御文字（NUL、ESC、BEL）がある。\n"
    'case_id = "C-1"\n'
    "\n"
    "[facility]\n"
    'name = "架空\x00病院\x1b[2J\x07"\n'
    'kind = "病院"\n'
    "\n"
    "[inspection]\n"
    'kind = "定期の立入検査"\n'
)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{os.path.relpath(path, ROOT)}: {len(data)} バイト")


def case_files():
    write(os.path.join(CASE, "shift-jis.toml"), SJIS_TEXT.encode("cp932"))
    rnd = random.Random(20250601)
    write(os.path.join(CASE, "random-bytes.toml"), bytes(rnd.getrandbits(8) for _ in range(4096)))
    write(os.path.join(CASE, "bom.toml"), b"\xef\xbb\xbf" + BAD_KIND.encode("utf-8"))
    write(os.path.join(CASE, "crlf.toml"), BAD_KIND.replace("\n", "\r\n").encode("utf-8"))
    write(os.path.join(CASE, "control-chars-raw.toml"), CONTROL_RAW.encode("utf-8"))


def kensa_workbook(kensa, sample):
    """The bytes of the field workbook kensa writes for a sample."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "w.xlsx")
        subprocess.run([kensa, "workbook", os.path.join(ROOT, "samples", sample), "--out", out], check=True,
                       stdout=subprocess.DEVNULL)
        with open(out, "rb") as f:
            return f.read()


def entries(data):
    """(name, bytes) of every part of a zip, in order."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.zip")
        with open(path, "wb") as f:
            f.write(data)
        with zipfile.ZipFile(path) as z:
            return [(i.filename, z.read(i)) for i in z.infolist()]


def rezip(parts):
    """A zip of the parts with fixed time stamps (deterministic bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.zip")
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts:
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data, compresslevel=6)
        with open(path, "rb") as f:
            return f.read()


def sheet_part(parts, title):
    """The part name of the sheet with this title."""
    wb = dict(parts)["xl/workbook.xml"].decode()
    rels = dict(parts)["xl/_rels/workbook.xml.rels"].decode()
    at = wb.index(f'name="{title}"')
    rid = wb[at:].split('r:id="', 1)[1].split('"', 1)[0]
    target = rels.split(f'Id="{rid}"', 1)[1].split('Target="', 1)[1].split('"', 1)[0]
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def edit(parts, name, fn):
    return [(n, fn(d.decode()).encode() if n == name else d) for n, d in parts]


def declare_size(data, name, size):
    """Patches the local and central headers of one part to declare `size` unpacked bytes."""
    out = bytearray(data)
    raw = name.encode()
    # Local file header: signature, …, uncompressed size at offset 22, name length at 26.
    i = 0
    while (i := out.find(b"PK\x03\x04", i)) >= 0:
        n = struct.unpack_from("<H", out, i + 26)[0]
        if out[i + 30:i + 30 + n] == raw:
            struct.pack_into("<I", out, i + 22, size)
        i += 4
    # Central directory header: uncompressed size at offset 24, name length at 28.
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:
        n = struct.unpack_from("<H", out, i + 28)[0]
        if out[i + 46:i + 46 + n] == raw:
            struct.pack_into("<I", out, i + 24, size)
        i += 4
    return bytes(out)


def workbooks(kensa):
    good = kensa_workbook(kensa, "clinic-routine")
    parts = entries(good)
    checklist = sheet_part(parts, "チェックリスト")

    write(os.path.join(WORKBOOK, "empty.xlsx"), b"")
    write(os.path.join(WORKBOOK, "renamed.xlsx"),
          b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    # An OLE compound file header, as Excel writes for a password-protected workbook.
    ole = bytearray(512)
    ole[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHH", ole, 24, 0x3E, 3, 0xFFFE)
    write(os.path.join(WORKBOOK, "encrypted.xlsx"), bytes(ole))
    write(os.path.join(WORKBOOK, "truncated.xlsx"), good[: len(good) // 2])
    # The deflate stream of the checklist sheet overwritten with noise; the directory intact.
    damaged = bytearray(rezip(parts))
    i = damaged.find(checklist.encode()) + len(checklist)
    rnd = random.Random(7)
    for k in range(i + 40, i + 440):
        damaged[k] = rnd.getrandbits(8)
    write(os.path.join(WORKBOOK, "corrupt-zip.xlsx"), bytes(damaged))

    # A zip bomb as the directory tells it: the checklist sheet declares almost 4 GB.
    write(os.path.join(WORKBOOK, "zip-bomb.xlsx"), declare_size(rezip(parts), checklist, 0xF000_0000))

    # A zip bomb that lies: the directory declares the sheet's old size, but it unpacks to 4 MB
    # more (a comment of spaces), which the directory check alone would not see.
    original = len(dict(parts)[checklist])
    padded = edit(parts, checklist, lambda xml: xml + "<!--" + " " * (4 << 20) + "-->")
    write(os.path.join(WORKBOOK, "zip-bomb-lying.xlsx"), declare_size(rezip(padded), checklist, original))

    def huge_dimension(xml):
        head, rest = xml.split("<dimension ref=\"", 1)
        return head + "<dimension ref=\"A1:XFD1048576" + rest[rest.index('"'):]

    write(os.path.join(WORKBOOK, "huge-dimension.xlsx"), rezip(edit(parts, checklist, huge_dimension)))

    def far_cell(xml):
        cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", cell + "</sheetData>")

    write(os.path.join(WORKBOOK, "far-cell.xlsx"), rezip(edit(parts, checklist, far_cell)))

    def bad_cells(xml):
        # I6 (確認日): a date that does not exist; K7 (確認結果): no choice, with an escape
        # sequence (written as Excel writes a control character) that must not reach the terminal.
        xml = xml.replace('<c r="I6" s="9"><v>45965</v></c>',
                          '<c r="I6" s="9" t="inlineStr"><is><t>平成31年5月1日</t></is></c>')
        k7 = xml.index('<c r="K7"')
        end = xml.index("</c>", k7) + len("</c>")
        return xml[:k7] + '<c r="K7" s="6" t="inlineStr"><is><t>たぶん_x001B_[2J</t></is></c>' + xml[end:]

    write(os.path.join(WORKBOOK, "bad-cells.xlsx"), rezip(edit(parts, checklist, bad_cells)))

    def foreign(xml):
        return xml.replace('name="_kensa"', 'name="Sheet9"')

    write(os.path.join(WORKBOOK, "not-kensa.xlsx"), rezip(edit(parts, "xl/workbook.xml", foreign)))
    write(os.path.join(WORKBOOK, "other-case.xlsx"), kensa_workbook(kensa, "routine-hospital"))


def main():
    kensa = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "kensa")
    case_files()
    workbooks(kensa)


if __name__ == "__main__":
    main()
