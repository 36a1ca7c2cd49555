"""Bytes to text: UTF-8 (with or without BOM) or GB18030/GBK, detected, universal newlines."""
from __future__ import annotations

import re

from ..errors import BinaryInput, EmptyInput

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file the way ``Path.read_text`` would once the encoding is known."""
    if not data.strip():
        raise EmptyInput(path)
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data[3:], "utf-8", path)
        # read_text(encoding="utf-8") keeps the BOM as U+FEFF; offsets must match that.
        text = "\ufeff" + text
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf-16", path)
    elif b"\x00" in data[:4096]:
        raise BinaryInput(path, "含有空字节 (NUL bytes)")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _strict(data, "gb18030", path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_textual(text, path)
    if not text.strip():
        raise EmptyInput(path)
    return text


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BinaryInput(path, f"第 {exc.start} 字节无法解码 (byte {exc.start})") from None


def _check_textual(text: str, path: str) -> None:
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(5, len(sample) // 100):
        raise BinaryInput(path, "控制字符过多 (too many control characters)")
