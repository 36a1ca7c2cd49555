"""Every failure visible: Chinese error pages and 404s for browsers, JSON for the API, inline
field errors on the plan-row edit, the API documentation offline, no inline script."""
from __future__ import annotations

import json
import re
from typing import Any
from pathlib import Path

from fastapi.testclient import TestClient

import duban.web

WEB = Path(duban.web.__path__[0])
# a <script> that runs code written in the page (the JSON data islands are data, not code)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _no_inline_script(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), where
    assert not INLINE_HANDLER.search(html), where
    assert "javascript:" not in html.lower(), where


def test_unknown_addresses_answer_in_chinese_pages_or_json(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "页面不存在" in page.text and "Not Found" not in page.text.split("页面不存在")[0]
    assert 'href="/public"' in page.text  # a way on for someone not logged in
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
    assert "页面不存在" in api.json()["error"] and "detail" not in api.json()
    wrong_method = client.delete("/public")
    assert wrong_method.status_code == 405 and "不支持这种请求方式" in wrong_method.text
    not_a_number = client.get("/public/tasks/abc")
    assert not_a_number.status_code == 404 and "页面不存在" in not_a_number.text
    assert client.get("/api/v1/public/tasks/abc").status_code == 422  # the API says why
    missing_task = client.get("/public/tasks/999999")
    assert missing_task.status_code == 404 and "没有这个任务" in missing_task.text


def test_a_server_error_is_a_chinese_page_not_a_traceback(app) -> None:  # type: ignore[no-untyped-def]
    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom, include_in_schema=False)
    app.add_api_route("/api/v1/boom", boom, include_in_schema=False)
    client = TestClient(app, raise_server_exceptions=False)
    page = client.get("/boom")
    assert page.status_code == 500 and "服务器出错了" in page.text
    assert "secret internals" not in page.text and "Traceback" not in page.text
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and "服务器出错了" in api.json()["error"]


def test_the_error_page_links_back_without_script(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "duchashi")
    page = client.get("/tasks/999999", headers={"referer": "http://testserver/plan?report=1"})
    assert page.status_code == 404
    assert 'href="/plan?report=1" class="back"' in page.text
    _no_inline_script(page.text, "error page")
    elsewhere = client.get("/tasks/999999", headers={"referer": "http://evil.example/x"})
    assert 'href="/" class="back"' in elsewhere.text  # never back to another site


def test_no_template_or_page_runs_inline_script(client, login_as) -> None:  # type: ignore[no-untyped-def]
    for template in sorted((WEB / "templates").glob("*.html")):
        _no_inline_script(template.read_text(encoding="utf-8"), template.name)
    login_as(client, "admin")
    task = client.get("/api/v1/plan").json()["tasks"][0]["task_id"]
    for url in ("/", "/plan", f"/tasks/{task}", "/workspace", "/review", "/public", "/admin",
                f"/public/tasks/{task}", "/public/promises", "/reports/upload", "/api/docs",
                f"/plan/tasks/{task}/edit", "/nowhere"):
        response = client.get(url)
        _no_inline_script(response.text, url)
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_the_api_documentation_is_served_from_here(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/docs")
    assert page.status_code == 200 and "API 文档" in page.text
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert "/static/vendor/swagger-ui-bundle.js" in scripts and "/static/api-docs.js" in scripts
    for url in scripts + styles:
        assert url.startswith("/static/")
        assert client.get(url).status_code == 200, url
    assert "Apache License" in (WEB / "static/vendor/LICENSE-swagger-ui").read_text()
    assert "validatorUrl: null" in (WEB / "static/api-docs.js").read_text()
    assert client.get("/openapi.json").status_code == 200


def test_a_plan_edit_that_fails_shows_each_message_beside_its_field(app, client, login_as) -> None:  # type: ignore[no-untyped-def]
    token = login_as(client, "duchashi")
    before = client.get("/api/v1/plan").json()["tasks"][3]
    response = client.post(f"/plan/tasks/{before['task_id']}", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "title": before["title"], "targets": before["targets"],
        "lead": "火星局", "co": "", "deadline": "下辈子", "leader": "", "version": before["version"]})
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]
    html = response.text
    assert html.startswith(f'<tr id="task-{before["task_id"]}" class="editing">')  # swapped in place
    lead = re.search(r'<label class=" invalid">牵头单位 <input name="lead" value="火星局"[^>]*'
                     r'aria-invalid="true"[^>]*><span class="field-error"[^>]*>([^<]+)</span>', html)
    deadline = re.search(r'<input name="deadline" value="下辈子"[^>]*><span class="field-error"'
                         r'[^>]*>([^<]+)</span>', html)
    assert lead and "未知单位“火星局”" in lead.group(1)
    assert deadline and "“下辈子”不是日期" in deadline.group(1)
    assert html.count('class="field-error"') == 2  # nothing said about the good fields
    after = client.get("/api/v1/plan").json()["tasks"][3]
    assert after == before  # nothing written
    # a stale version is said above the form
    stale = client.post(f"/plan/tasks/{before['task_id']}", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "title": before["title"], "targets": before["targets"],
        "lead": before["lead"], "co": "", "deadline": "全年", "leader": "", "version": 999})
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    # the same edit, corrected, saves and comes back as the row
    ok = client.post(f"/plan/tasks/{before['task_id']}", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "title": before["title"], "targets": before["targets"],
        "lead": "区教育局", "co": "", "deadline": "2023-09-30", "leader": "", "version": before["version"]})
    assert ok.status_code == 200 and "2023-09-30" in ok.text and "editing" not in ok.text


def test_htmx_is_told_to_swap_422_and_409_and_report_other_failures() -> None:
    base = (WEB / "templates/base.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', base).group(1))

    def rule(status: int) -> dict[str, Any]:  # as htmx picks one: the first whose code matches
        return next(r for r in config["responseHandling"] if re.search(r["code"], str(status)))

    for status in (422, 409):  # the form with its messages is swapped in, not an error
        assert rule(status)["swap"] is True and not rule(status).get("error")
    for status in (400, 403, 404, 500, 503):
        assert rule(status)["swap"] is False and rule(status)["error"] is True
    assert rule(200)["swap"] is True and rule(204)["swap"] is False
    script = (WEB / "static/app.js").read_text(encoding="utf-8")
    assert "htmx:responseError" in script and "htmx:sendError" in script
