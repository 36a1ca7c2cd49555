"""Fuzz the JSON API from its OpenAPI document (schemathesis): no input is a server error.
Requests carry a supervisor's session and CSRF token, so the checks go past the login."""
from __future__ import annotations

import re

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from duban.cli import sample_path
from duban.web.app import create_app
from duban.web.demo import seed_demo

PASSWORD = "fuzz-password-123"


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    import os

    os.environ["DUBAN_DEMO_PASSWORD"] = PASSWORD
    app = create_app(url=f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    svc = app.state.services
    seed_demo(svc.ledger, svc.accounts, svc.today(), str(sample_path()))
    del os.environ["DUBAN_DEMO_PASSWORD"]
    with TestClient(app) as client:
        page = client.get("/login")
        token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "duchashi", "password": PASSWORD,
                                    "login_csrf": token}, follow_redirects=False)
        csrf = client.get("/api/v1/session").json()["csrf_token"]
        app.state.fuzz_headers = {"Cookie": f"duban_session={client.cookies['duban_session']}",
                                  "X-CSRF-Token": csrf}
    return app


def test_no_server_errors(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    """Every operation, many generated requests each (schemathesis strategies driven by
    hypothesis directly: its pytest plugin does not run under this pytest)."""
    from hypothesis import given

    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures: list[str] = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers={**(case.headers or {}), **fuzz_app.state.fuzz_headers})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} "
                                f"{response.text[:200]}")

        run()
    assert failures == []
