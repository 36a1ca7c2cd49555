"""Files and bytes to a Report: decode, take the text out of PDF/DOCX/HTML, repair, map offsets."""
from __future__ import annotations

from pathlib import Path

from ..errors import EmptyInput, TooLarge, UnknownFormat
from ..models import Report
from ._decode import decode_text
from ._formats import docx_text, html_text, pdf_text
from ._repair import repair_text

__all__ = ["FORMATS", "MAX_BYTES", "load_report", "read_report", "repair_text"]

MAX_BYTES = 50 * 1024 * 1024
FORMATS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html",
           ".htm": "html", ".xhtml": "html"}


def load_report(path: str | Path, max_bytes: int = MAX_BYTES) -> Report:
    """Read a report file (.txt, .docx, .pdf, .html) into a repaired Report."""
    path = Path(path)
    name = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnknownFormat(name, f"扩展名 {path.suffix or '（无）'}")
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLarge(name, f"{size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB")
    return read_report(path.read_bytes(), name, fmt)


def read_report(data: bytes, name: str, fmt: str) -> Report:
    """A Report from the bytes of a file of the given format."""
    if not data.strip():
        raise EmptyInput(name)
    if fmt == "pdf":
        original = pdf_text(data, name)
    elif fmt == "docx":
        if not data.startswith(b"PK"):
            raise UnknownFormat(name, "内容不是 DOCX (not a DOCX zip)")
        original = docx_text(data, name)
    elif fmt == "html":
        original = html_text(decode_text(data, name))
    elif fmt == "txt":
        if data.startswith((b"%PDF", b"PK\x03\x04")):
            raise UnknownFormat(name, "内容是 PDF/ZIP，扩展名却是 .txt")
        original = decode_text(data, name)
    else:
        raise UnknownFormat(name, fmt)
    if not original.strip():
        raise EmptyInput(name)
    text, offsets = repair_text(original, fmt)
    return Report(source=name, format=fmt, original=original, text=text, offsets=offsets)
