"""Load benchmark: `duban serve` on a province-sized ledger (10,000 tasks, 100,000 updates).

50 concurrent clients on loopback browse for a minute: the leaders' dashboard, a
department's workspace and the public page (each client logs in as a leader, a clerk, or
stays anonymous; between pages a client reads for 0.5–1.5 s, as a person does). Reports
requests, errors and p50/p95/p99 latency per page. Goal: zero errors, p95 < 300 ms.

Usage:
    .venv/bin/python bench/web_load.py [DATABASE_URL] [--clients 50] [--seconds 60]
Without a URL it uses a fresh SQLite file; a PostgreSQL URL must name an empty database.
"""
from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from ledger_scale import seed  # noqa: E402

from duban.store import Ledger  # noqa: E402
from duban.store.accounts import Accounts  # noqa: E402

PASSWORD = "load-test-password"
ROOT = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _login(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
    response = await client.post("/login", data={"username": username, "password": PASSWORD,
                                                 "login_csrf": token})
    response.raise_for_status()


async def _client(base: str, n: int, stop: float, results: dict[str, list[float]],
                  errors: list[str], department_pages: int) -> None:
    rng = random.Random(n)
    kind = ("dashboard", "department", "public")[n % 3]
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True) as client:
        if kind == "dashboard":
            await _login(client, "leader")
        elif kind == "department":
            await _login(client, "clerk")
        await asyncio.sleep(rng.random())  # do not all start at once
        while time.monotonic() < stop:
            if kind == "dashboard":
                url = "/" if rng.random() < 0.8 else "/api/v1/dashboard"
            elif kind == "department":
                url = "/workspace"
            else:
                url = f"/public?page_no={rng.randint(1, department_pages)}"
            start = time.perf_counter()
            try:
                response = await client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    errors.append(f"{url} {response.status_code}")
                else:
                    results[kind].append(elapsed)
            except httpx.HTTPError as exc:
                errors.append(f"{url} {type(exc).__name__}")
            await asyncio.sleep(0.5 + rng.random())  # the person reads the page


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else float("nan")


def main(argv: list[str]) -> int:
    def option(name: str, default: int) -> int:
        return int(argv[argv.index(name) + 1]) if name in argv else default

    clients, seconds = option("--clients", 50), option("--seconds", 60)
    skip = {argv.index(x) + 1 for x in ("--clients", "--seconds") if x in argv}
    urls = [a for i, a in enumerate(argv) if not a.startswith("--") and i not in skip]
    url = urls[0] if urls else f"sqlite:///{Path(tempfile.mkdtemp()) / 'load.db'}"
    ledger = Ledger(url)
    department = seed(ledger, 10_000, 100_000)
    accounts = Accounts(ledger.db)
    accounts.create("leader", PASSWORD, "leader", [], "bench")
    accounts.create("clerk", PASSWORD, "clerk", [department], "bench")
    engine = ledger.db.engine.dialect.name
    ledger.close()

    port = _port()
    env = {**os.environ, "DUBAN_DATABASE_URL": url, "DUBAN_TODAY": "2025-07-01"}
    server = subprocess.Popen([sys.executable, "-m", "duban", "serve", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/public", timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        async def warm() -> None:  # a server that has been up: its snapshots are built
            async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=True) as client:
                await _login(client, "leader")
                await client.get("/")
            async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=True) as client:
                await _login(client, "clerk")
                await client.get("/workspace")
                await client.get("/public")

        asyncio.run(warm())
        results: dict[str, list[float]] = {"dashboard": [], "department": [], "public": []}
        errors: list[str] = []

        async def run() -> None:
            stop = time.monotonic() + seconds
            await asyncio.gather(*(_client(base, n, stop, results, errors, 200)
                                   for n in range(clients)))

        asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in results.values())
    print(f"{engine}: {clients} clients, {seconds} s, {total} pages, {len(errors)} errors")
    for kind, values in results.items():
        print(f"  {kind:10} n={len(values):5}  p50 {statistics.median(values):6.0f} ms  "
              f"p95 {_percentile(values, 0.95):6.0f} ms  p99 {_percentile(values, 0.99):6.0f} ms")
    everything = [v for values in results.values() for v in values]
    print(f"  {'all':10} p95 {_percentile(everything, 0.95):6.0f} ms (goal < 300 ms)")
    if errors:
        print("  errors:", errors[:10])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
