"""Report uploads are read and extracted off the request thread: in a child process with a
time and a memory limit, a few at a time, so one slow or huge file cannot stall the other
requests, and one that takes too long is stopped with a clear message.

The child imports the report into the ledger itself (``Ledger.import_report_bytes``, one
transaction): the store has no call yet that stores an extraction made elsewhere. A child
stopped on its time limit writes nothing, as its transaction never commits.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .. import errors, ingest
from ..errors import DubanError, InputError
from ..store import ImportResult, Ledger

PARSE_SECONDS = 60.0  # a national report takes under a second
CONCURRENT = 2  # uploads extracted at once; the others wait (without blocking anyone)
MEMORY_BYTES = 1536 * 2**20  # what one extraction may add to the child's address space


class ParseTimeout(InputError):
    zh = "报告解析超时，已停止"
    en = "reading the report took too long and was stopped"


class ParseFailed(InputError):
    zh = "报告解析失败"
    en = "the report could not be read"


class ServerBusy(InputError):
    zh = "正在解析的报告太多，请稍后再试"
    en = "too many reports are being read; try again shortly"


@dataclass(frozen=True)
class Upload:
    url: str
    data: bytes
    name: str
    government: str
    level: str
    year: int | None
    actor: str


def check_archive(name: str, data: bytes) -> None:
    """Ingest's decompression limits (entries, unpacked size, ratio) on a zipped upload (.docx),
    before a child process is spent on it."""
    if ingest.format_of(name) == "docx":
        ingest.check_zip(data, name)


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on Windows
        return
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + MEMORY_BYTES
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(conn: Connection, upload: Upload) -> None:
    """In the child: import the report; send back ("ok", result) or what went wrong."""
    try:
        try:
            _limit_memory()
        except OSError:
            pass  # no /proc: the time limit still holds
        ledger = Ledger(upload.url)
        result = ledger.import_report_bytes(upload.data, upload.name, upload.government,
                                            upload.level, upload.year, upload.actor)
        conn.send(("ok", result))
    except errors.ValidationFailed as exc:
        conn.send(("invalid", (exc.path, exc.errors)))
    except DubanError as exc:
        conn.send(("error", (type(exc).__name__, exc.path, exc.detail)))
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # noqa: BLE001 - a parser's bug must reach the user as a message
        conn.send(("crash", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


def _raise(kind: str, payload: Any, name: str) -> None:
    if kind == "invalid":
        path, found = payload
        raise errors.ValidationFailed(path, found)
    if kind == "error":
        cls_name, path, detail = payload
        cls = getattr(errors, cls_name, None)
        if not (isinstance(cls, type) and issubclass(cls, DubanError)):
            cls = InputError
        raise cls(path, detail)
    if kind == "memory":
        raise ParseFailed(name, f"展开后超过 {MEMORY_BYTES // 2**20} MB 内存上限"
                                "（压缩包过大或损坏）(over the memory limit)")
    raise ParseFailed(name, str(payload))


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # children fork from a server that has the extractor loaded: a start costs
        # milliseconds, not the second of a fresh interpreter
        context.set_forkserver_preload(["duban.store", "duban.pipeline", "duban.web.parsing"])
        return context
    return multiprocessing.get_context("spawn")


def _sqlite_memory(url: str) -> bool:
    return url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite:/"))


def _absolute(url: str) -> str:
    """A relative SQLite path made absolute, so the child opens the same file."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        return prefix + os.path.abspath(url[len(prefix):])
    return url


class Parser:
    """Runs imports in child processes, at most ``concurrent`` at once, each for at most
    ``seconds``; a child over its time is killed."""

    def __init__(self, seconds: float = PARSE_SECONDS, concurrent: int = CONCURRENT) -> None:
        self.seconds = seconds
        self._slots = threading.BoundedSemaphore(concurrent)
        self._context: Any = None

    async def import_report(self, ledger: Ledger, data: bytes, name: str, government: str,
                            level: str, year: int | None, actor: str) -> ImportResult:
        check_archive(name, data)
        url = ledger.db.url
        if _sqlite_memory(url):  # a child cannot see an in-memory database: a thread then
            return await asyncio.to_thread(ledger.import_report_bytes, data, name, government,
                                           level, year, actor)
        await self._take_slot(name)
        try:
            return await self._run(Upload(_absolute(url), data, name, government, level, year,
                                          actor))
        finally:
            self._slots.release()

    async def _take_slot(self, name: str) -> None:
        deadline = time.monotonic() + self.seconds
        while not self._slots.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise ServerBusy(name)
            await asyncio.sleep(0.05)

    async def _run(self, upload: Upload) -> ImportResult:
        if self._context is None:
            self._context = _context()
        receive, send = self._context.Pipe(duplex=False)
        child = self._context.Process(target=_child, args=(send, upload), daemon=True)
        child.start()
        send.close()
        deadline = time.monotonic() + self.seconds
        try:
            while not receive.poll():
                if not child.is_alive() and not receive.poll():
                    raise ParseFailed(upload.name, f"解析进程意外退出（代码 {child.exitcode}）")
                if time.monotonic() > deadline:
                    raise ParseTimeout(upload.name, f"超过 {self.seconds:.0f} 秒仍未完成。文件可能过大"
                                                    "或结构过于复杂，请拆分后上传，或另存为 .txt 再试")
                await asyncio.sleep(0.02)
            try:
                kind, payload = receive.recv()
            except EOFError:
                raise ParseFailed(upload.name, "解析进程意外退出") from None
        finally:
            receive.close()
            if child.is_alive():
                child.kill()
            await asyncio.to_thread(child.join, 5)
            if child.exitcode is not None:
                child.close()
        if kind == "ok":
            return payload  # type: ignore[no-any-return]
        _raise(kind, payload, upload.name)
        raise AssertionError("unreachable")
