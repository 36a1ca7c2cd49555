"""Every page has a JSON twin built from the same data; the pages render for each role."""
from __future__ import annotations

from fastapi.routing import APIRoute


# page -> its JSON twin (a test below checks that this table covers every page)
TWINS = {
    "/": "/api/v1/dashboard",
    "/plan": "/api/v1/plan",
    "/tasks/{task_id}": "/api/v1/tasks/{task_id}",
    "/workspace": "/api/v1/workspace",
    "/review": "/api/v1/review",
    "/public": "/api/v1/public/tasks",
    "/public/tasks/{task_id}": "/api/v1/public/tasks/{task_id}",
    "/admin": "/api/v1/admin",
    "/public/promises": "/api/v1/public/promises",
    "/reports/upload": None,  # a form; its JSON twin is POST /api/v1/reports
    "/login": "/api/v1/session",
    "/plan/tasks/{task_id}/edit": None,  # an htmx fragment of /plan
    "/setup": None,  # the first administrator, from the link `duban serve` prints
}


def _routes(routes):  # type: ignore[no-untyped-def]
    """Every route, looking inside included routers (FastAPI wraps them)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def _pages(app):  # type: ignore[no-untyped-def]
    return {r.path for r in _routes(app.routes) if isinstance(r, APIRoute) and "GET" in r.methods
            and not r.path.startswith(("/api/", "/static")) and not r.include_in_schema}


def test_every_page_is_listed_with_its_twin(app) -> None:  # type: ignore[no-untyped-def]
    assert _pages(app) == set(TWINS)
    api = {r.path for r in _routes(app.routes) if isinstance(r, APIRoute)}
    for twin in TWINS.values():
        assert twin is None or twin in api


def test_pages_and_twins_answer_with_the_same_data(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "admin")
    task_id = client.get("/api/v1/plan").json()["tasks"][4]["task_id"]
    for page, twin in TWINS.items():
        if twin is None or page == "/login":
            continue
        url, api = page.replace("{task_id}", str(task_id)), twin.replace("{task_id}", str(task_id))
        html = client.get(url)
        assert html.status_code == 200, (url, html.text[:300])
        assert "text/html" in html.headers["content-type"]
        data = client.get(api)
        assert data.status_code == 200, (api, data.text[:300])
        body = data.json()
        assert isinstance(body, dict) and body
    dashboard = client.get("/api/v1/dashboard").json()
    page = client.get("/").text
    for status in dashboard["by_status"]:
        assert f'data-status="{status["status"]}"><b>{status["count"]}</b>' in page


def test_public_downloads(client) -> None:  # type: ignore[no-untyped-def]
    csv = client.get("/public/tasks.csv")
    assert csv.status_code == 200 and csv.text.startswith('\ufeff"序号"')
    rows = client.get("/api/v1/public/tasks", params={"q": "就业"}).json()
    assert rows["count"] >= 1 and all("就业" in t["title"] or "就业" in t["latest"] or "就业" in t["lead"]
                                      for t in rows["tasks"])


def test_openapi_lists_the_api(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    assert "/api/v1/public/tasks" in spec["paths"] and "/api/v1/dashboard" in spec["paths"]
    assert not any(p in spec["paths"] for p in ("/", "/plan", "/login"))


def test_static_files_are_local_and_pages_load_no_cdn(client, login_as) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/static/vendor/echarts.min.js").status_code == 200
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
    login_as(client, "duchashi")
    for url in ("/", "/plan", "/public"):
        html = client.get(url).text
        assert "http://" not in html.replace("http://testserver", "") and "https://" not in html


def test_promise_page_for_consecutive_reports(app, corpus) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    ledger = app.state.services.ledger
    for year in (2016, 2017):  # the public sees published reports only
        report_id = ledger.import_report(corpus / f"district-hailaer-{year}.txt", "海拉尔区",
                                         "district", year).report_id
        ledger.assign_unassigned("区政府办", "t", report_id)
        ledger.publish("t", report_id)
    with TestClient(app) as client:
        data = client.get("/api/v1/public/promises", params={"government": "海拉尔区"}).json()
        assert data["year"] == 2016 and data["links"]
        gdp = next(l for l in data["links"] if l["target"]["quote"] == "7.5%")
        assert gdp["outcome"]["quote"] == "7.2%" and gdp["verdict"] == "partly"
        page = client.get("/public/promises", params={"government": "海拉尔区", "year": 2016})
        assert page.status_code == 200 and "7.2%" in page.text


def test_a_ledger_that_cannot_be_reached_is_503_not_a_traceback() -> None:
    from duban.errors import Conflict, LedgerUnavailable
    from duban.web.app import _status_of

    assert _status_of(LedgerUnavailable("台账", "数据库无法连接")) == 503
    assert _status_of(Conflict("任务 1", "冲突")) == 409
