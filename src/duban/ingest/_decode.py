"""Bytes to text: UTF-8 (with or without BOM) or GB18030/GBK, detected, universal newlines."""
from __future__ import annotations

import re

from ..errors import BinaryInput, EmptyInput

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x20)])
_CONTROLS_ALLOWED = 5  # in the first 20,000 characters, or one in a hundred


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
    # in UTF-8 and GB18030 a control character is one byte that no other character uses:
    # a file with no more than the few allowed needs no look at its characters
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or \
            len(data) - len(data.translate(None, _CONTROL_BYTES)) > _CONTROLS_ALLOWED:
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
    if controls > max(_CONTROLS_ALLOWED, len(sample) // 100):
        raise BinaryInput(path, "控制字符过多 (too many control characters)")
