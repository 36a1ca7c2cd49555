"""Files and bytes to a Report: decode, take the text out of PDF/DOCX/HTML, repair, map offsets."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePath

from ..errors import EmptyInput, NotAFile, TooLarge, UnknownFormat, UnreadableFile
from ..models import Report
from ._decode import decode, is_blank
from ._formats import (MAX_RATIO, MAX_UNPACKED, MAX_ZIP_ENTRIES, check_zip, docx_text, html_text,
                       mib, pdf_text)
from ._markdown import front_matter, read_markdown
from ._repair import repair_text

__all__ = ["FORMATS", "MAX_BYTES", "MAX_RATIO", "MAX_UNPACKED", "MAX_ZIP_ENTRIES", "check_size",
           "check_zip", "format_of", "front_matter", "load_report", "read_file", "read_report", "repair_text",
           "report_from_text"]

MAX_BYTES = 50 * 2**20  # 50 MiB
FORMATS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".md": "md",
           ".markdown": "md"}
_CHUNK = 2**20


def format_of(name: str) -> str:
    """The format a report file's name says (txt, docx, pdf, html); UnknownFormat otherwise.
    The one check of a report's type: the CLI, the ledger, the corpus and the web use it."""
    suffix = PurePath(name.replace("\\", "/")).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise UnknownFormat(name, f"扩展名 {suffix or '（无）'}")
    return fmt


def check_size(name: str, size: int, max_bytes: int = MAX_BYTES) -> None:
    """TooLarge naming the file when ``size`` bytes are over the limit (told in MiB)."""
    if size > max_bytes:
        raise TooLarge(name, f"{mib(size)} > {mib(max_bytes)}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "这是文件夹 (a folder)"
    if stat.S_ISFIFO(mode):
        return "这是命名管道 (a FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是设备文件 (a device)"
    if stat.S_ISSOCK(mode):
        return "这是套接字 (a socket)"
    return "不是普通文件 (not a regular file)"


def _unreadable(name: str, exc: OSError) -> UnreadableFile | NotAFile:
    if isinstance(exc, FileNotFoundError):
        return UnreadableFile(name, "文件不存在 (no such file)")
    if isinstance(exc, PermissionError):
        return UnreadableFile(name, "没有读取权限 (permission denied)")
    if isinstance(exc, IsADirectoryError):
        return NotAFile(name, _kind(stat.S_IFDIR))
    if exc.errno == errno.ELOOP:
        return UnreadableFile(name, "符号链接成环 (a symlink loop)")
    return UnreadableFile(name, exc.strerror or type(exc).__name__)


def read_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a report file, never more than ``max_bytes`` (TooLarge past it).

    Only a regular file is read (a symlink to one is): a folder, a FIFO (which would block
    forever) or a device such as /dev/zero (which never ends) is NotAFile; a missing or
    forbidden file is UnreadableFile. No OSError leaves this function.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)  # follows symlinks: the file they point to is what counts
    except OSError as exc:
        raise _unreadable(name, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(name, _kind(info.st_mode))
    check_size(name, info.st_size, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        # non-blocking: if a FIFO was put in the file's place since, opening it does not wait
        fd = os.open(name, flags)
    except OSError as exc:
        raise _unreadable(name, exc) from None
    chunks: list[bytes] = []
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(name, _kind(info.st_mode))
        left = max_bytes + 1  # one byte more tells a file that grew past the limit
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _unreadable(name, exc) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise TooLarge(name, f"超过 {mib(max_bytes)} (over {mib(max_bytes)})")
    return data


def load_report(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> Report:
    """Read a report file (.txt, .docx, .pdf, .html) into a repaired Report."""
    name = str(Path(path))
    fmt = format_of(name)
    return read_report(read_file(name, max_bytes), name, fmt, max_bytes)


def read_report(data: bytes, name: str, fmt: str | None = None,
                max_bytes: int = MAX_BYTES) -> Report:
    """A Report from the bytes of a file; the format is the one its name says unless given."""
    fmt = fmt or format_of(name)
    check_size(name, len(data), max_bytes)
    if not data.strip():
        raise EmptyInput(name)
    warnings: tuple[str, ...] = ()
    if fmt == "pdf":
        original = pdf_text(data, name)
    elif fmt == "docx":
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnknownFormat(name, "这是旧版 Word .doc 文件，请另存为 .docx (an old .doc file)")
        if not data.startswith(b"PK"):
            raise UnknownFormat(name, "内容不是 DOCX (not a DOCX zip)")
        original = docx_text(data, name)
    elif fmt == "html":
        decoded = decode(data, name)
        original, warnings = html_text(decoded.text), decoded.warnings
    elif fmt in ("txt", "md"):
        if data.startswith((b"%PDF", b"PK\x03\x04")):
            raise UnknownFormat(name, "内容是 PDF/ZIP，扩展名却是 .txt")
        decoded = decode(data, name)
        original, warnings = decoded.text, decoded.warnings
    else:
        raise UnknownFormat(name, fmt)
    return report_from_text(original, name, fmt, warnings)


def report_from_text(original: str, name: str, fmt: str,
                     warnings: tuple[str, ...] = ()) -> Report:
    """The Report of a text already taken out of its file (as a ledger stores it): repaired
    as its format's text is, so offsets are the same as when the file was read."""
    if is_blank(original):
        raise EmptyInput(name)
    text, offsets = read_markdown(original, name) if fmt == "md" else repair_text(original, fmt)
    return Report(source=name, format=fmt, original=original, text=text, offsets=offsets,
                  warnings=warnings)
