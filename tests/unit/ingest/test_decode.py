from __future__ import annotations

import pytest

from duban.errors import BinaryInput, EmptyInput, UnknownFormat
from duban.ingest import read_report
from duban.ingest._decode import decode_text

TEXT = "各位代表：\r\n力争新增就业1.6万人。\r\n"


def test_utf8_with_and_without_bom_and_crlf() -> None:
    plain = decode_text(TEXT.encode("utf-8"), "a.txt")
    assert plain == "各位代表：\n力争新增就业1.6万人。\n"
    bom = decode_text(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "a.txt")
    assert bom == "\ufeff" + plain  # what Path.read_text(encoding="utf-8") returns


def test_gb18030_is_detected() -> None:
    assert decode_text(TEXT.encode("gb18030"), "a.txt") == "各位代表：\n力争新增就业1.6万人。\n"


def test_bom_is_repaired_away_but_offsets_count_it() -> None:
    report = read_report(b"\xef\xbb\xbf" + "新增就业1.6万人".encode(), "a.txt", "txt")
    assert report.text == "新增就业1.6万人"
    start = report.text.index("1.6")
    assert report.original[report.span(start, start + 5)[0]:][:5] == "1.6万人"


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", "\u3000\n".encode()])
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        read_report(data, "empty.txt", "txt")


def test_binary_junk() -> None:
    with pytest.raises(BinaryInput) as info:
        read_report(bytes(range(256)) * 20, "junk.txt", "txt")
    assert "junk.txt" in str(info.value)


def test_pdf_bytes_with_txt_suffix() -> None:
    with pytest.raises(UnknownFormat):
        read_report(b"%PDF-1.4 ...", "x.txt", "txt")
