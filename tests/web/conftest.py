"""A web app on a fresh ledger with the demo seeded: one account per role."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from duban.cli import sample_path
from duban.web.app import create_app
from duban.web.demo import seed_demo

PASSWORD = "test-password-123"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DUBAN_DEMO_PASSWORD", PASSWORD)
    monkeypatch.setenv("DUBAN_TODAY", "2023-07-01")
    app = create_app(url=f"sqlite:///{tmp_path / 'web.db'}")
    svc = app.state.services
    seed_demo(svc.ledger, svc.accounts, svc.today(), str(sample_path()))
    return app


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"username": username, "password": password,
                                           "login_csrf": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client.get("/api/v1/session").json()["csrf_token"]


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


@pytest.fixture
def login_as():  # type: ignore[no-untyped-def]
    """login(client, username) -> the session's CSRF token."""
    return login
