"""Authorization as a matrix: every role x every action, through the API directly.

A role is allowed when the answer is not 401/403; denied when it is. A clerk of one
department trying another department's task is denied even with a valid session and token.
"""
from __future__ import annotations

import io
from typing import Any, Callable

import pytest
from fastapi.testclient import TestClient


ROLES = ["anonymous", "admin", "duchashi", "lingdao", "jiaoyu", "renshe"]


def _tasks(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(a task led by 区教育局 with one target, a task led by 区人社局)."""
    _, rows = app.state.services.ledger.plan()
    edu = next(r.task_id for r in rows if r.lead == "区教育局" and r.targets
               and "；" not in r.targets)
    hr = next(r.task_id for r in rows if r.lead == "区人社局")
    return edu, hr


def _fresh_update(app, task_id: int, department: str) -> int:  # type: ignore[no-untyped-def]
    return app.state.services.ledger.submit_progress(task_id, department, "2023-06", percent=30,
                                                     narrative="待审核", actor="fixture")


Action = Callable[[TestClient, Any, dict[str, str]], Any]


def actions(app) -> dict[str, tuple[Action, set[str]]]:  # type: ignore[no-untyped-def]
    edu, hr = _tasks(app)
    staff = {"admin", "duchashi", "lingdao"}
    office = {"admin", "duchashi"}
    return {
        "view dashboard": (lambda c, a, h: c.get("/api/v1/dashboard"), staff),
        "view plan": (lambda c, a, h: c.get("/api/v1/plan"), staff),
        "view review desk": (lambda c, a, h: c.get("/api/v1/review"), staff),
        "view admin": (lambda c, a, h: c.get("/api/v1/admin"), {"admin"}),
        "view own-department task": (lambda c, a, h: c.get(f"/api/v1/tasks/{edu}"), staff | {"jiaoyu"}),
        "view other-department task": (lambda c, a, h: c.get(f"/api/v1/tasks/{hr}"), staff | {"renshe"}),
        "view workspace": (lambda c, a, h: c.get("/api/v1/workspace"), staff | {"jiaoyu", "renshe"}),
        "view another department's workspace": (
            lambda c, a, h: c.get("/api/v1/workspace", params={"department": "区人社局"}),
            staff | {"renshe"}),
        "view public list": (lambda c, a, h: c.get("/api/v1/public/tasks"), set(ROLES)),
        "correct a task": (lambda c, a, h: c.post(f"/api/v1/tasks/{edu}/plan", headers=h, json={
            "title": "新增学位12930个", "targets": "新增学位12930个", "lead": "区教育局", "co": "",
            "deadline": "全年"}), office),
        "publish the plan": (lambda c, a, h: c.post("/api/v1/plan/publish", headers=h), office),
        "upload a report": (lambda c, a, h: c.post("/api/v1/reports", headers=h, data={
            "government": f"测试区{id(h)}", "year": "2023"}, files={"file": ("r.txt", io.BytesIO(
                "各位代表：\n一、2023年工作安排\n新增学位100个。\n".encode()), "text/plain")}), office),
        "report progress on own task": (lambda c, a, h: c.post(f"/api/v1/tasks/{edu}/progress", headers=h, data={
            "period": "2023-06", "percent": "40", "narrative": "推进中"}), {"jiaoyu"}),
        "report progress on another department's task": (
            lambda c, a, h: c.post(f"/api/v1/tasks/{hr}/progress", headers=h, data={
                "period": "2023-06", "percent": "40", "narrative": "越权"}), {"renshe"}),
        "acknowledge own task": (lambda c, a, h: c.post(f"/api/v1/tasks/{edu}/ack", headers=h), {"jiaoyu"}),
        "acknowledge another department's task": (
            lambda c, a, h: c.post(f"/api/v1/tasks/{hr}/ack", headers=h), {"renshe"}),
        "review an update": (lambda c, a, h: c.post(
            f"/api/v1/review/{_fresh_update(a, edu, '区教育局')}", headers=h,
            json={"decision": "approve"}), office),
        "close a task": (lambda c, a, h: c.post(f"/api/v1/tasks/{hr}/close", headers=h), office),
        "revise a target": (lambda c, a, h: c.post(f"/api/v1/tasks/{edu}/revise", headers=h, json={
            "targets": "新增学位13000个", "effective": "2023-07-01", "reason": "调整"}), office),
        "create an account": (lambda c, a, h: c.post("/api/v1/admin/users", headers=h, json={
            "username": f"u{abs(hash(str(h))) % 100000}", "password": "a-long-password",
            "role": "leader"}), {"admin"}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(app, role: str, login_as) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as client:
        headers = {}
        if role != "anonymous":
            headers = {"X-CSRF-Token": login_as(client, role)}
        for name, (act, allowed) in actions(app).items():
            response = act(client, app, headers)
            denied = response.status_code in (401, 403)
            assert denied == (role not in allowed), (
                f"{role} / {name}: {response.status_code} {response.text[:200]}")
            assert response.status_code < 500, (name, response.text[:300])


def test_state_changes_need_the_csrf_token(client, app, login_as) -> None:  # type: ignore[no-untyped-def]
    token = login_as(client, "duchashi")
    edu, _ = _tasks(app)
    body = {"targets": "新增学位13000个", "effective": "2023-07-01", "reason": "调整"}
    assert client.post(f"/api/v1/tasks/{edu}/revise", json=body).status_code == 403
    assert client.post(f"/api/v1/tasks/{edu}/revise", json=body,
                       headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post(f"/api/v1/tasks/{edu}/revise", json=body,
                       headers={"X-CSRF-Token": token}).status_code == 200
    form = client.post(f"/tasks/{edu}/close", data={"note": "x"}, follow_redirects=False)
    assert form.status_code == 403


def test_session_cookie_flags_and_logout(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login")
    import re
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"username": "admin", "password": "test-password-123",
                                           "login_csrf": token}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    csrf = client.get("/api/v1/session").json()["csrf_token"]
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert client.get("/api/v1/dashboard").status_code == 401


def test_login_is_rate_limited(client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        r = client.post("/api/v1/session", json={"username": "admin", "password": "wrong-password"})
        assert r.status_code == 401
    blocked = client.post("/api/v1/session", json={"username": "admin", "password": "test-password-123"})
    assert blocked.status_code == 429


def test_uploads_are_checked_by_type_content_and_size(client, login_as) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-CSRF-Token": login_as(client, "duchashi")}

    def upload(name: str, data: bytes):  # type: ignore[no-untyped-def]
        return client.post("/api/v1/reports", headers=headers, data={"government": "测试区"},
                           files={"file": (name, io.BytesIO(data), "application/octet-stream")})

    assert upload("r.exe", b"MZ...").status_code == 400
    assert upload("r.pdf", b"not a pdf at all").status_code == 400
    assert upload("../../etc/passwd.txt", "各位代表：\n一、2023年工作安排\n新增学位100个。\n".encode()
                  ).status_code == 200  # the name is a label only; nothing is written to disk
    assert upload("big.txt", b"x" * (51 * 1024 * 1024)).status_code == 413


def test_evidence_is_only_for_those_who_may_see_the_task(app, login_as) -> None:  # type: ignore[no-untyped-def]
    edu, _ = _tasks(app)
    with TestClient(app) as clerk:
        token = login_as(clerk, "jiaoyu")
        response = clerk.post(f"/api/v1/tasks/{edu}/progress", headers={"X-CSRF-Token": token},
                              data={"period": "2023-06", "percent": "50", "narrative": "附照片"},
                              files={"evidence": ("现场.png", io.BytesIO(b"\x89PNG\r\n\x1a\n...."), "image/png")})
        assert response.status_code == 200, response.text
        evidence = clerk.get(f"/api/v1/tasks/{edu}").json()["updates"][-1]["evidence"][0]["id"]
        got = clerk.get(f"/evidence/{evidence}")
        assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
        assert "attachment" in got.headers["content-disposition"]
        bad = clerk.post(f"/api/v1/tasks/{edu}/progress", headers={"X-CSRF-Token": token},
                         data={"period": "2023-06", "percent": "50", "narrative": "伪装"},
                         files={"evidence": ("x.png", io.BytesIO(b"<script>"), "image/png")})
        assert bad.status_code == 400
    with TestClient(app) as other:
        login_as(other, "renshe")
        assert other.get(f"/evidence/{evidence}").status_code == 403
    with TestClient(app) as anonymous:
        response = anonymous.get(f"/evidence/{evidence}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
