"""The first run: after the README's main job `duban serve` says how to sign in (a one-time
set-up link makes the first administrator), /public is a page, demo accounts show roles."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from duban.cli import sample_path
from duban.web.app import create_app
from duban.web.first_run import first_run

PASSWORD = "first-admin-password"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _setup(client: httpx.Client, link: str, **form: str) -> httpx.Response:
    token = link.split("token=")[1]
    return client.post("/setup", data={"token": token, "username": "chief", "display_name": "王主任",
                                       "password": PASSWORD, "password2": PASSWORD, **form})


def test_serve_after_the_main_job_prints_a_working_set_up_link(tmp_path: Path) -> None:
    env = {**os.environ, "DUBAN_DATABASE_URL": f"sqlite:///{tmp_path / 'duban.db'}",
           "DUBAN_TODAY": "2023-07-01"}
    subprocess.run([sys.executable, "-m", "duban", "import", "--sample"], env=env, cwd=tmp_path,
                   check=True, capture_output=True, timeout=300)
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "duban", "serve", "--port", str(port)],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        printed = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = server.stdout.readline() if server.stdout else ""
            printed.append(line)
            if "公开页" in line or not line:
                break
        text = "".join(printed)
        link = re.search(r"(http://127\.0\.0\.1:\d+/setup\?token=\S+)", text)
        assert link, text
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/public")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            public = client.get("/public")  # the main job published the sample
            assert public.status_code == 200 and "成都市青羊区2023年" in public.text
            rows = public.text.split("<tbody>")[1]
            assert rows.count("未报送") > rows.count("严重滞后")  # not every task red
            form = client.get(link.group(1).replace(base, ""))
            assert form.status_code == 200 and "设置第一个管理员" in form.text
            mismatch = _setup(client, link.group(1), password2="another-password")
            assert mismatch.status_code == 400 and "两次输入的密码不一致" in mismatch.text
            made = _setup(client, link.group(1))
            assert made.status_code == 303 and made.headers["location"] == "/admin"
            me = client.get("/api/v1/session").json()
            assert me["username"] == "chief" and me["role"] == "admin"
            assert client.get("/").status_code == 200  # the imported sample's dashboard
            used = httpx.get(link.group(1), timeout=30)
            assert used.status_code == 404 and "设置链接无效" in used.text  # one time only
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout:
            server.stdout.close()


def test_the_set_up_link_is_one_time_and_needs_its_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_TODAY", "2023-07-01")
    app = create_app(url=f"sqlite:///{tmp_path / 'web.db'}")
    svc = app.state.services
    svc.ledger.import_report(sample_path(), "成都市青羊区", "district", 2023)
    lines = first_run(svc, "http://127.0.0.1:8000", str(sample_path()))
    link = next(line.strip() for line in lines if "/setup?token=" in line)
    from fastapi.testclient import TestClient

    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/setup?token=guess").status_code == 404
        assert client.get("/setup").status_code == 404
        weak = client.post("/setup", data={"token": link.split("token=")[1], "username": "chief",
                                           "password": "short", "password2": "short"})
        assert weak.status_code == 400 and "至少 10 位" in weak.text  # the link still works
        made = client.post("/setup", data={"token": link.split("token=")[1], "username": "chief",
                                           "password": PASSWORD, "password2": PASSWORD})
        assert made.status_code == 303
        again = client.post("/setup", data={"token": link.split("token=")[1], "username": "chief2",
                                            "password": PASSWORD, "password2": PASSWORD})
        assert again.status_code == 404
    assert [a.username for a in svc.accounts.all()] == ["chief"]
    assert first_run(svc, "http://127.0.0.1:8000", str(sample_path())) == [
        "登录 (sign in): http://127.0.0.1:8000/login"]


def test_an_empty_ledger_gets_the_demo_with_accounts_and_roles(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_TODAY", "2023-07-01")
    monkeypatch.setenv("DUBAN_DEMO_PASSWORD", "demo-password-123")
    app = create_app(url=f"sqlite:///{tmp_path / 'web.db'}")
    lines = first_run(app.state.services, "http://127.0.0.1:8000", str(sample_path()))
    text = "\n".join(lines)
    for username, role in (("admin", "管理员"), ("duchashi", "督查室"), ("lingdao", "领导"),
                           ("jiaoyu", "部门联络员"), ("renshe", "部门联络员")):
        line = next(x for x in lines if x.strip().startswith(username + " "))
        assert role in line and "demo-password-123" in line, line
    assert "区教育局" in text and "/login" in text


def test_a_later_serve_lists_the_demo_accounts_with_their_roles(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_TODAY", "2023-07-01")
    monkeypatch.setenv("DUBAN_DEMO_PASSWORD", "demo-password-123")
    app = create_app(url=f"sqlite:///{tmp_path / 'web.db'}")
    first_run(app.state.services, "http://127.0.0.1:8000", str(sample_path()))
    again = first_run(app.state.services, "http://127.0.0.1:8000", str(sample_path()))
    for username, role in (("admin", "管理员"), ("duchashi", "督查室"), ("jiaoyu", "部门联络员")):
        line = next(x for x in again if x.strip().startswith(username + " "))
        assert role in line and "demo-password-123" not in line, line
    assert again[-1].startswith("登录")
