"""The .dta export (Stata format 118, written without pandas): read back by a reader of the
format written here from Stata's description, field by field: names, labels, str# and strL
strings, doubles, booleans and missing values; and ``duban corpus export … x.dta`` on a
dataset gives every row of the table."""
from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from duban.corpus._stata import stata_name, write_dta

_MISSING = 2.0 ** 1023


def read_dta(path: Path) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """(names, labels, rows) of a format-118 file."""
    raw = path.read_bytes()
    assert raw.startswith(b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>")
    k = struct.unpack_from("<H", raw, raw.index(b"<K>") + 3)[0]
    n = struct.unpack_from("<Q", raw, raw.index(b"<N>") + 3)[0]
    at = raw.index(b"<map>") + 5
    offsets = struct.unpack_from("<14Q", raw, at)
    tags = [b"<stata_dta>", b"<map>", b"<variable_types>", b"<varnames>", b"<sortlist>", b"<formats>",
            b"<value_label_names>", b"<variable_labels>", b"<characteristics>", b"<data>", b"<strls>",
            b"<value_labels>", b"</stata_dta>"]
    for offset, tag in zip(offsets, tags):
        assert raw[offset:offset + len(tag)] == tag, tag
    assert offsets[13] == len(raw)
    types = struct.unpack_from(f"<{k}H", raw, offsets[2] + len(tags[2]))

    def fixed(start: int, size: int, count: int) -> list[str]:
        return [raw[start + i * size:start + (i + 1) * size].split(b"\0")[0].decode() for i in range(count)]

    names = fixed(offsets[3] + len(tags[3]), 129, k)
    labels = fixed(offsets[7] + len(tags[7]), 321, k)
    strls = {}
    for m in re.finditer(rb"GSO", raw[offsets[10]:offsets[11]]):
        at = offsets[10] + m.start() + 3
        v, o, t, size = struct.unpack_from("<IQBI", raw, at)
        if t == 130 and (v, o) not in strls:
            strls[(v, o)] = raw[at + 17:at + 17 + size - 1].decode()
    rows = []
    at = offsets[9] + len(tags[9])
    for _ in range(n):
        row: dict[str, Any] = {}
        for number, (name, kind) in enumerate(zip(names, types), 1):
            if kind == 65526:
                value = struct.unpack_from("<d", raw, at)[0]
                row[name] = None if value >= _MISSING else value  # .  .a … .z from 2**1023
                at += 8
            elif kind == 65530:
                byte = raw[at]
                row[name] = None if byte == 101 else bool(byte)
                at += 1
            elif kind == 32768:
                key = struct.unpack_from("<Q", raw, at)[0]  # v: 2 bytes, o: 6
                assert key == 0 or key & 0xFFFF == number
                row[name] = strls.get((key & 0xFFFF, key >> 16), "")
                at += 8
            else:
                row[name] = raw[at:at + kind].split(b"\0")[0].decode()
                at += kind
        rows.append(row)
    assert raw[at:at + 7] == b"</data>"
    return names, labels, rows


def test_dta_round_trip(tmp_path: Path) -> None:
    long = "推进第一项重点工程建设，" * 200  # 4,800 bytes: a strL
    rows = [{"government": "宁波市", "year": 2024, "value": 5.5, "preferred": True, "quote": long},
            {"government": "国务院", "year": None, "value": None, "preferred": False, "quote": "5%左右"},
            {"government": None, "year": 1954, "value": -0.25, "preferred": None, "quote": ""}]
    columns = [("government", "str", "政府名称"), ("year", "num", "年份"), ("value", "num", "数值"),
               ("preferred", "bool", "首选报告"), ("quote", "str", "原文")]
    calls = []

    def batches() -> list[list[dict[str, Any]]]:
        calls.append(1)
        return [rows[:2], rows[2:]]

    out = tmp_path / "t.dta"
    assert write_dta(out, columns, batches, label="duban test") == 3
    assert len(calls) == 2  # a pass for the widths, a pass for the data
    names, labels, back = read_dta(out)
    assert names == ["government", "year", "value", "preferred", "quote"]
    assert labels == ["政府名称", "年份", "数值", "首选报告", "原文"]
    assert back == [{**r, "government": r["government"] or "",
                     "year": None if r["year"] is None else float(r["year"])} for r in rows]
    assert not list(tmp_path.glob(".*.partial"))


def test_stata_names() -> None:
    assert stata_name("in") == "_in" and stata_name("2024年") == "_2024_" and stata_name("index") == "index"
    assert len(stata_name("x" * 40)) == 32
