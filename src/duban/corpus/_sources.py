"""Where a batch's reports come from: the local file system, or object storage (s3://…).

Object storage goes through fsspec (``pip install 'duban[s3]'``). Credentials and the
endpoint come from the environment the way the AWS tools read them (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, or a profile), never from the command line; on a
Ray cluster every worker reads the objects itself, so the workers need the same settings.
"""
from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError

REMOTE_PROTOCOLS = ("s3",)  # object stores duban lists and reads; others are refused


def is_remote(source: str) -> bool:
    return "://" in source and not source.startswith("file://")


def _filesystem(url: str) -> tuple[Any, str]:
    protocol = url.split("://", 1)[0].lower()
    if protocol not in REMOTE_PROTOCOLS:
        raise InputError(url, f"不支持的地址协议 {protocol}://（支持本地路径与 s3://）"
                              f" (unsupported protocol; use a local path or s3://)")
    try:  # fsspec, and s3fs behind it, are the optional extra "s3"
        from fsspec.core import url_to_fs

        fs, root = url_to_fs(url)
    except ImportError:
        raise InputError(url, "读取对象存储需要安装 duban[s3] (install 'duban[s3]' for s3://)") from None
    return fs, str(root)


def _url(protocol: str, path: str) -> str:
    return f"{protocol}://{path.lstrip('/')}"


def list_remote(source: str, suffixes: set[str]) -> list[tuple[str, int, str]]:
    """(url, size, version) of the reports under an object-store prefix, a glob, or one
    object. ``version`` (ETag or modification time) tells a changed object from an old one."""
    fs, root = _filesystem(source)
    fs.invalidate_cache()  # a listing of an earlier run in this process may be stale
    protocol = source.split("://", 1)[0].lower()
    try:
        if any(c in root for c in "*?["):
            infos = {p: fs.info(p) for p in fs.glob(root)}
        elif fs.isfile(root):
            infos = {root: fs.info(root)}
        else:
            infos = fs.find(root, detail=True)
    except FileNotFoundError:
        raise InputError(source, "对象存储中没有这个位置 (no such bucket or prefix)") from None
    except PermissionError as exc:
        raise InputError(source, f"无权读取 (access denied): {exc}") from None
    out = []
    for path, info in sorted(infos.items()):
        name = PurePosixPath(path).name
        if info.get("type") == "directory" or name.startswith("."):
            continue
        if PurePosixPath(name).suffix.lower() not in suffixes:
            continue
        version = str(info.get("ETag") or info.get("LastModified") or info.get("mtime") or "")
        out.append((_url(protocol, path), int(info.get("size") or 0), version))
    return out


def read_bytes(path: str) -> bytes:
    """The bytes of a local file or of an object (``s3://bucket/key``)."""
    if not is_remote(path):
        return Path(path).read_bytes()
    fs, root = _filesystem(path)
    try:
        data: bytes = fs.cat_file(root)  # one GET, whatever size a cached listing remembers
        return data
    except FileNotFoundError:
        raise InputError(path, "对象不存在 (no such object)") from None


def read_text(path: str) -> str:
    return read_bytes(path).decode("utf-8-sig")


def remote_key(url: str, size: int, version: str, part_version: int) -> str:
    """A part's key for an object, from what the listing says of it (not its bytes)."""
    digest = hashlib.sha256(f"{url}\n{size}\n{version}".encode()).hexdigest()
    return f"{digest[:32]}-v{part_version}"


def base_name(path: str) -> str:
    return PurePosixPath(path.split("://", 1)[-1]).name if is_remote(path) else Path(path).name


def parent_join(manifest: str, relative: str) -> str:
    """A path of a manifest row, relative to the manifest (local or remote)."""
    if is_remote(relative) or Path(relative).is_absolute():
        return relative
    if is_remote(manifest):
        protocol, rest = manifest.split("://", 1)
        return _url(protocol, posixpath.normpath(str(PurePosixPath(rest).parent / relative)))
    return str((Path(manifest).parent / relative).resolve())
