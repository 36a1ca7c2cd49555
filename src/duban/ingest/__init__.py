"""Files and bytes to a Report: decode, take the text out of PDF/DOCX/HTML, repair, map offsets."""
from __future__ import annotations

from pathlib import Path, PurePath

from ..errors import EmptyInput, TooLarge, UnknownFormat
from ..models import Report
from ._decode import decode_text
from ._formats import docx_text, html_text, pdf_text
from ._markdown import front_matter, read_markdown
from ._repair import repair_text

__all__ = ["FORMATS", "MAX_BYTES", "check_size", "format_of", "front_matter", "load_report",
           "read_report", "repair_text", "report_from_text"]

MAX_BYTES = 50 * 1024 * 1024  # 50 MiB
FORMATS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".md": "md", ".markdown": "md"}


def format_of(name: str) -> str:
    """The format a report file's name says (txt, docx, pdf, html); UnknownFormat otherwise.
    The one check of a report's type: the CLI, the ledger, the corpus and the web use it."""
    suffix = PurePath(name.replace("\\", "/")).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise UnknownFormat(name, f"扩展名 {suffix or '（无）'}")
    return fmt


def check_size(name: str, size: int, max_bytes: int = MAX_BYTES) -> None:
    """TooLarge naming the file when ``size`` bytes are over the limit."""
    if size > max_bytes:
        raise TooLarge(name, f"{size / 2**20:.1f} MiB > {max_bytes / 2**20:.0f} MiB")


def load_report(path: str | Path, max_bytes: int = MAX_BYTES) -> Report:
    """Read a report file (.txt, .docx, .pdf, .html) into a repaired Report."""
    path = Path(path)
    name = str(path)
    fmt = format_of(name)
    check_size(name, path.stat().st_size, max_bytes)
    return read_report(path.read_bytes(), name, fmt, max_bytes)


def read_report(data: bytes, name: str, fmt: str | None = None,
                max_bytes: int = MAX_BYTES) -> Report:
    """A Report from the bytes of a file; the format is the one its name says unless given."""
    fmt = fmt or format_of(name)
    check_size(name, len(data), max_bytes)
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
    elif fmt in ("txt", "md"):
        if data.startswith((b"%PDF", b"PK\x03\x04")):
            raise UnknownFormat(name, "内容是 PDF/ZIP，扩展名却是 .txt")
        original = decode_text(data, name)
    else:
        raise UnknownFormat(name, fmt)
    return report_from_text(original, name, fmt)


def report_from_text(original: str, name: str, fmt: str) -> Report:
    """The Report of a text already taken out of its file (as a ledger stores it): repaired
    as its format's text is, so offsets are the same as when the file was read."""
    if not original.strip():
        raise EmptyInput(name)
    text, offsets = read_markdown(original, name) if fmt == "md" else repair_text(original, fmt)
    return Report(source=name, format=fmt, original=original, text=text, offsets=offsets)
