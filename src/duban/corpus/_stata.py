"""A table of the dataset as a Stata file (.dta, format 118: Stata 14 and later, UTF-8), with
no dependency beyond pyarrow: strings as str# (strL when a value is longer than 2045
bytes), numbers as double, booleans as byte, each column labelled from the codebook.

Written in two passes over the table's record batches (the first finds the row count and
each string column's width), so a table of a million rows never sits in memory; strL
contents go to a spool file and follow the data. Format: Stata's "dta_118" description.
"""
from __future__ import annotations

import struct
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

_STR_MAX = 2045  # the longest str#; longer values make the column a strL
_STRL, _DOUBLE, _BYTE = 32768, 65526, 65530
_MISSING_DOUBLE = struct.pack("<Q", 0x7FE0000000000000)
_MISSING_BYTE = 101
_RESERVED = {"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
             "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"}


def _fixed(text: str, size: int) -> bytes:
    """``text`` as UTF-8 in a null-padded field of ``size`` bytes, cut on a character."""
    data = text.encode("utf-8")[:size - 1]
    return data.decode("utf-8", "ignore").encode("utf-8").ljust(size, b"\0")


def stata_name(column: str) -> str:
    """A column's name as Stata accepts it (letters, digits, _; at most 32; not reserved)."""
    name = "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in column)[:32]
    if not name or name[0].isdigit() or name in _RESERVED:
        name = ("_" + name)[:32]
    return name


class _Column:
    def __init__(self, name: str, kind: str, label: str) -> None:
        self.name, self.kind, self.label = name, kind, label  # kind: str, num, bool
        self.width = 1

    def stata_type(self) -> int:
        if self.kind == "str":
            return self.width if self.width <= _STR_MAX else _STRL
        return _BYTE if self.kind == "bool" else _DOUBLE

    def stata_format(self) -> str:
        if self.kind == "str":
            return f"%{min(self.width, 60)}s" if self.width <= _STR_MAX else "%9s"
        return "%8.0g" if self.kind == "bool" else "%10.0g"


def write_dta(out: Path, columns: list[tuple[str, str, str]],
              batches: Callable[[], Iterable[list[dict[str, Any]]]], label: str = "") -> int:
    """Write the rows ``batches()`` yields (called twice) as ``out``; ``columns`` are (name,
    kind: str / num / bool, label). Returns the number of rows."""
    cols = [_Column(name, kind, text) for name, kind, text in columns]
    rows = 0
    for batch in batches():
        rows += len(batch)
        for c in cols:
            if c.kind == "str":
                c.width = max([c.width] + [len(str(r[c.name]).encode("utf-8")) for r in batch
                                           if r[c.name] is not None])
    partial = out.with_name(f".{out.name}.partial")
    with partial.open("wb") as f, tempfile.TemporaryFile() as spool:
        _write(f, spool, cols, rows, batches, label)
    partial.replace(out)
    return rows


def _write(f: BinaryIO, spool: BinaryIO, cols: list[_Column], rows: int,
           batches: Callable[[], Iterable[list[dict[str, Any]]]], label: str) -> None:
    offsets: list[int] = []

    def mark() -> None:
        offsets.append(f.tell())

    mark()  # <stata_dta>
    label_bytes = label.encode("utf-8")[:80].decode("utf-8", "ignore").encode("utf-8")
    f.write(b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder>")
    f.write(b"<K>" + struct.pack("<H", len(cols)) + b"</K><N>" + struct.pack("<Q", rows) + b"</N>")
    f.write(b"<label>" + struct.pack("<H", len(label_bytes)) + label_bytes + b"</label>")
    stamp = time.strftime("%d %b %Y %H:%M").encode("ascii")
    f.write(b"<timestamp>" + bytes([len(stamp)]) + stamp + b"</timestamp></header>")
    mark()  # <map>
    map_at = f.tell()
    f.write(b"<map>" + b"\0" * 8 * 14 + b"</map>")
    mark()
    f.write(b"<variable_types>" + b"".join(struct.pack("<H", c.stata_type()) for c in cols)
            + b"</variable_types>")
    mark()
    f.write(b"<varnames>" + b"".join(_fixed(stata_name(c.name), 129) for c in cols) + b"</varnames>")
    mark()
    f.write(b"<sortlist>" + b"\0\0" * (len(cols) + 1) + b"</sortlist>")
    mark()
    f.write(b"<formats>" + b"".join(_fixed(c.stata_format(), 57) for c in cols) + b"</formats>")
    mark()
    f.write(b"<value_label_names>" + b"\0" * 129 * len(cols) + b"</value_label_names>")
    mark()
    f.write(b"<variable_labels>" + b"".join(_fixed(c.label, 321) for c in cols)
            + b"</variable_labels>")
    mark()
    f.write(b"<characteristics></characteristics>")
    mark()
    f.write(b"<data>")
    observation = 0
    for batch in batches():
        out = bytearray()
        for row in batch:
            observation += 1
            for number, c in enumerate(cols, 1):
                value = row[c.name]
                if c.kind == "num":
                    out += _MISSING_DOUBLE if value is None else struct.pack("<d", float(value))
                elif c.kind == "bool":
                    out.append(_MISSING_BYTE if value is None else int(bool(value)))
                elif c.width <= _STR_MAX:
                    out += ("" if value is None else str(value)).encode("utf-8").ljust(c.width, b"\0")
                elif not value:
                    out += b"\0" * 8  # (v, o) = (0, 0): the empty string
                else:
                    data = str(value).encode("utf-8") + b"\0"
                    spool.write(b"GSO" + struct.pack("<IQBI", number, observation, 130, len(data))
                                + data)
                    out += struct.pack("<Q", number + (observation << 16))  # v: 2 bytes, o: 6
        f.write(out)
    f.write(b"</data>")
    mark()
    f.write(b"<strls>")
    spool.seek(0)
    while chunk := spool.read(1 << 20):
        f.write(chunk)
    f.write(b"</strls>")
    mark()
    f.write(b"<value_labels></value_labels>")
    mark()
    f.write(b"</stata_dta>")
    mark()
    f.seek(map_at + len(b"<map>"))
    f.write(b"".join(struct.pack("<Q", o) for o in offsets))
