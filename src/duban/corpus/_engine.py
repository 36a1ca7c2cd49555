"""Where a batch's tasks run: local worker processes, or Ray tasks on a local instance or a
cluster. The same task functions either way; results come back as they finish.

Only a few tasks are in flight at a time (twice the workers), so arguments are read as they
are needed and nothing piles up in memory. Ctrl-C or SIGTERM stops the workers at once (the
caller keeps what has already come back); a worker ignores Ctrl-C itself so that only the
driver decides. Every result carries the peak memory of the process that made it.
"""
from __future__ import annotations

import os
import queue
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Task = tuple[Callable[..., Any], tuple[Any, ...]]


class Interrupted(Exception):
    """The batch was stopped by Ctrl-C (SIGINT) or SIGTERM; finished reports are kept."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


@dataclass
class Peaks:
    """Peak resident memory (MB) and CPU seconds of each worker process seen."""

    workers: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def driver(self) -> float:
        return _usage()[0]

    def record(self, where: str, megabytes: float, seconds: float) -> None:
        self.workers[where] = max(self.workers.get(where, 0.0), megabytes)
        self.cpu[where] = max(self.cpu.get(where, 0.0), seconds)


def _usage() -> tuple[float, float]:
    """(peak resident MB, CPU seconds) of this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # maxrss in kB on Linux


def _where() -> str:
    return f"{os.uname().nodename}:{os.getpid()}"


def invoke(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, str, float, float]:
    """Run one task in a worker: (its result, where it ran, that process's peak MB and CPU s)."""
    result = function(*args)
    return (result, _where(), *_usage())


def _quiet_worker(environment: dict[str, str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # the driver's environment as it is now (credentials for s3:// among it), not as it was
    # when the fork server started
    os.environ.clear()
    os.environ.update(environment)


class Engine:
    """Runs tasks and yields their results in the order they finish."""

    peaks: Peaks
    started: float  # seconds the engine took to start

    def run(self, tasks: Iterable[Task]) -> Iterator[Any]:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop the workers at once (on an interrupt)."""


class InlineEngine(Engine):
    """One worker: the tasks run in the driver itself."""

    def __init__(self) -> None:
        self.peaks, self.started = Peaks(), 0.0

    def run(self, tasks: Iterable[Task]) -> Iterator[Any]:
        for function, args in tasks:
            result, where, peak, seconds = invoke(function, args)
            self.peaks.record(where, peak, seconds)
            yield result


class LocalEngine(Engine):
    """Worker processes on this machine (forkserver: each starts from a clean process with
    duban already imported, never from a copy of the driver's threads)."""

    def __init__(self, workers: int) -> None:
        import multiprocessing

        begin = time.perf_counter()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["duban.corpus._records", "duban.corpus._links",
                                        "duban.corpus._assemble"])
        self.pool = context.Pool(workers, initializer=_quiet_worker, initargs=(dict(os.environ),))
        self.window = 2 * workers
        self.peaks = Peaks()
        self.started = time.perf_counter() - begin

    def run(self, tasks: Iterable[Task]) -> Iterator[Any]:
        done: queue.Queue[tuple[bool, Any]] = queue.Queue()
        pending = 0
        source = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and pending < self.window:
                try:
                    function, args = next(source)
                except StopIteration:
                    exhausted = True
                    break
                self.pool.apply_async(invoke, (function, args),
                                      callback=lambda r: done.put((True, r)),
                                      error_callback=lambda e: done.put((False, e)))
                pending += 1
            if not pending:
                return
            ok, value = _get(done)
            pending -= 1
            if not ok:
                raise value
            result, where, peak, seconds = value
            self.peaks.record(where, peak, seconds)
            yield result

    def stop(self) -> None:
        self.pool.terminate()
        self.pool.join()

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def _get(done: queue.Queue[tuple[bool, Any]]) -> tuple[bool, Any]:
    # a timeout keeps the driver responsive to signals while it waits
    while True:
        try:
            return done.get(timeout=0.2)
        except queue.Empty:
            continue


class RayEngine(Engine):
    """Ray tasks on a local instance (``workers`` CPUs) or on the cluster at ``address``; the
    workers read the reports themselves (local paths must exist on them; s3:// works
    anywhere the credentials are set)."""

    def __init__(self, workers: int | None, address: str | None) -> None:
        import ray

        begin = time.perf_counter()
        self.ray = ray
        self.started_here = not ray.is_initialized()
        if self.started_here:
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                       "ignore_reinit_error": True}
            if address:
                options["address"] = address
            else:  # a new local instance, never a cluster some other program started here
                options["address"] = "local"
                if workers:
                    options["num_cpus"] = workers
            ray.init(**options)
        self.remote = ray.remote(num_cpus=1, max_retries=0)(invoke)
        resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        cpus = int(resources.get("CPU", workers or 1))
        self.window = 2 * max(1, cpus)
        self.peaks = Peaks()
        self.started = time.perf_counter() - begin
        self.pending: list[Any] = []

    def run(self, tasks: Iterable[Task]) -> Iterator[Any]:
        ray = self.ray
        source = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(self.pending) < self.window:
                try:
                    function, args = next(source)
                except StopIteration:
                    exhausted = True
                    break
                self.pending.append(self.remote.remote(function, args))
            if not self.pending:
                return
            ready, self.pending = ray.wait(self.pending, num_returns=1, timeout=0.5)
            for ref in ready:
                result, where, peak, seconds = ray.get(ref)
                self.peaks.record(where, peak, seconds)
                yield result

    def stop(self) -> None:
        for ref in self.pending:
            self.ray.cancel(ref, force=True)
        self.pending = []
        self.close()

    def close(self) -> None:
        if self.started_here and self.ray.is_initialized():
            self.ray.shutdown()


def make_engine(engine: str, workers: int | None, address: str | None) -> Engine:
    if engine == "ray":
        return RayEngine(workers, address)
    if engine != "local":
        raise ValueError(f"未知引擎 {engine}（local 或 ray） (unknown engine)")
    count = workers or os.cpu_count() or 1
    return InlineEngine() if count == 1 else LocalEngine(count)


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C and SIGTERM become Interrupted in the driver (SIGTERM only where a handler can
    be set: the main thread)."""
    previous = None
    main = threading.current_thread() is threading.main_thread()

    def on_term(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    if main:
        previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(signal.SIGINT) from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
