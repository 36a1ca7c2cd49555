"""Edge checks of the web app: uploads by type, content and size; security headers."""
from __future__ import annotations

import re
from pathlib import PurePath

from fastapi import UploadFile
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response

from ..errors import TooLarge, UnknownFormat

# what each accepted type must start with (None: text, checked as text)
_MAGIC = {".pdf": (b"%PDF",), ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",),
          ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
          ".txt": None, ".text": None, ".html": None, ".htm": None, ".xhtml": None}
CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
                 ".jpeg": "image/jpeg", ".txt": "text/plain; charset=utf-8",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".html": "text/plain; charset=utf-8", ".htm": "text/plain; charset=utf-8"}
EVIDENCE_TYPES = {".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".txt"}


def safe_name(name: str) -> str:
    """A file name with no path and no control characters: it is a label, never a path."""
    base = PurePath(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", base).strip(" .")
    return base[:120] or "file"


async def read_upload(upload: UploadFile, allowed: set[str], limit: int) -> tuple[str, bytes]:
    """(safe name, bytes) of an upload whose suffix is allowed, whose content matches its
    suffix, and which is not over ``limit`` bytes (read in chunks; never more)."""
    name = safe_name(upload.filename or "")
    suffix = PurePath(name).suffix.lower()
    if suffix not in allowed:
        raise UnknownFormat(name, f"只接受 {'、'.join(sorted(allowed))} (type not accepted)")
    chunks, size = [], 0
    while True:
        chunk = await upload.read(1 << 16)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise TooLarge(name, f"超过 {limit // 1024 // 1024} MB")
        chunks.append(chunk)
    data = b"".join(chunks)
    magic = _MAGIC.get(suffix)
    if magic is not None and not data.startswith(magic):
        raise UnknownFormat(name, "文件内容与扩展名不符 (content does not match the type)")
    if magic is None and b"\x00" in data[:4096]:
        raise UnknownFormat(name, "不是文本文件 (not text)")
    return name, data


class SecurityHeaders(BaseHTTPMiddleware):
    """No inline script, no framing, no sniffing; pages are not cached by shared proxies."""

    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
            "form-action 'self'")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
