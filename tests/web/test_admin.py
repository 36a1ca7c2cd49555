"""Administration: the last active administrator stays, in the store and through the web."""
from __future__ import annotations

import pytest

from duban.errors import Forbidden


def _id(app, username: str) -> int:  # type: ignore[no-untyped-def]
    return next(a.id for a in app.state.services.accounts.all() if a.username == username)


def test_the_store_keeps_the_last_active_administrator(app) -> None:  # type: ignore[no-untyped-def]
    accounts = app.state.services.accounts
    admin = _id(app, "admin")
    for change in ({"role": "leader"}, {"role": "supervisor"}, {"active": False}):
        with pytest.raises(Forbidden, match="最后一个启用的管理员"):
            accounts.update(admin, "test", **change)
    assert accounts.update(admin, "test", role="admin", active=True).role == "admin"
    second = accounts.create("chief2", "another-long-password", "admin", [], "test").id
    accounts.update(second, "test", active=False)  # an inactive administrator does not count
    with pytest.raises(Forbidden):
        accounts.update(admin, "test", role="leader")
    accounts.update(second, "test", active=True)
    assert accounts.update(admin, "test", role="leader").role == "leader"  # another one is left
    with pytest.raises(Forbidden):
        accounts.update(second, "test", active=False)
    assert [a.username for a in accounts.all() if a.role == "admin" and a.active] == ["chief2"]


def test_the_web_keeps_the_last_active_administrator(client, app, login_as) -> None:  # type: ignore[no-untyped-def]
    token = login_as(client, "admin")
    admin = _id(app, "admin")
    response = client.post(f"/api/v1/admin/users/{admin}", headers={"X-CSRF-Token": token},
                           json={"role": "leader"})
    assert response.status_code == 403 and "最后一个启用的管理员" in response.json()["error"]
    page = client.post(f"/admin/users/{admin}", data={"csrf_token": token, "role": "admin",
                                                      "active": "0", "departments": ""})
    assert page.status_code == 403 and "text/html" in page.headers["content-type"]
    assert "最后一个启用的管理员" in page.text
    assert client.get("/api/v1/session").json()["role"] == "admin"  # still signed in, still admin
