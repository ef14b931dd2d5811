"""Hostile import files, built for real: decompression bombs, archives that lie about their
sizes, workbooks with DTDs, formula cells and parts that are not a workbook at all."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from typing import IO

__all__ = [
    "MIB",
    "billion_laughs",
    "declare_size",
    "entries",
    "laughing_workbook",
    "laughs_dtd",
    "padded_sheet",
    "rebuild",
    "sheet_of",
]

MIB = 1024 * 1024
Writer = Callable[[IO[bytes]], None]


def entries(book: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def sheet_of(book: bytes, name: str) -> str:
    """The part holding the sheet called `name` (openpyxl writes them in order: sheet1.xml, ...)."""
    import openpyxl

    names = openpyxl.load_workbook(io.BytesIO(book), read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(name) + 1}.xml"


def rebuild(
    book: bytes,
    changes: dict[str, bytes | Writer | None] | None = None,
    *,
    level: int = 9,
) -> bytes:
    """The workbook with some parts replaced (bytes, or a writer streaming into the part), removed
    (None) or added; deflated at `level`."""
    changes = dict(changes or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in entries(book).items():
            new = changes.pop(name, data)
            _write(z, name, new)
        for name, new in changes.items():
            _write(z, name, new)
    return out.getvalue()


def _write(z: zipfile.ZipFile, name: str, data: bytes | Writer | None) -> None:
    if data is None:
        return
    if isinstance(data, bytes):
        z.writestr(name, data)
        return
    with z.open(name, "w") as part:  # below 2 GiB: no zip64 extra (declare_size patches plain entries)
        data(part)


def padded_sheet(sheet_xml: bytes, inflated: int) -> Writer:
    """The sheet's XML with `inflated` bytes of whitespace inside <sheetData> -- still valid XML,
    so that a reader without limits would really inflate and parse all of it."""
    head, tag, tail = sheet_xml.partition(b"<sheetData>")
    assert tag, "no <sheetData> in the sheet"

    def write(part: IO[bytes]) -> None:
        part.write(head + tag)
        chunk, left = b" " * MIB, inflated
        while left > 0:
            part.write(chunk[: min(MIB, left)])
            left -= MIB
        part.write(tail)

    return write


def declare_size(archive: bytes, name: str, size: int) -> bytes:
    """The archive with `name`'s uncompressed size declared as `size` in its central directory
    entry (and local header), the compressed data and CRC left as they are: an archive that lies."""
    data = bytearray(archive)
    eocd = data.rfind(b"PK\x05\x06")
    count = struct.unpack_from("<H", data, eocd + 10)[0]
    at = struct.unpack_from("<I", data, eocd + 16)[0]
    for _ in range(count):
        assert data[at : at + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        local = struct.unpack_from("<I", data, at + 42)[0]
        if data[at + 46 : at + 46 + name_len].decode() == name:
            extra = bytes(data[at + 46 + name_len : at + 46 + name_len + extra_len])
            assert b"\x01\x00" not in extra[:2], "a zip64 entry: write the part without force_zip64"
            struct.pack_into("<I", data, at + 24, size)
            struct.pack_into("<I", data, local + 22, size)
            return bytes(data)
        at += 46 + name_len + extra_len + comment_len
    raise KeyError(name)


def laughs_dtd(root: str, levels: int = 10) -> bytes:
    """A DTD whose entity `&lol{levels - 1};` expands to 10**levels "lol"s."""
    ents = ['<!ENTITY lol0 "lol">']
    ents += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return f"<!DOCTYPE {root} [{''.join(ents)}]>".encode()


def billion_laughs(levels: int = 10) -> bytes:
    """A worksheet whose one cell expands to 10**levels "lol"s through nested entities."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + laughs_dtd("worksheet", levels)
        + (
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol{levels - 1};</t></is></c></row>'
            "</sheetData></worksheet>"
        ).encode()
    )


def laughing_workbook(workbook_xml: bytes, sheet_name: str, levels: int = 10) -> bytes:
    """workbook.xml with the laughs' DTD and a sheet named by the entity."""
    named = workbook_xml.replace(f'name="{sheet_name}"'.encode(), f'name="&lol{levels - 1};"'.encode(), 1)
    assert named != workbook_xml
    return named.replace(b"<workbook ", laughs_dtd("workbook", levels) + b"<workbook ", 1)
