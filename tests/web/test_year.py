"""A real office's year: the right plan on every page (government and year first-class,
never a draft, never simply the newest import), and lights that mean what they say."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from duban.cli import sample_path
from duban.web.app import create_app
from duban.web.demo import seed_demo

PASSWORD = "test-password-123"


def _pages(client: TestClient) -> dict[str, object]:
    """What each page shows: its plan, and its tasks with their lights."""
    dashboard = client.get("/api/v1/dashboard").json()
    return {"report": dashboard["report"]["id"], "total": dashboard["total"],
            "by_status": dashboard["by_status"],
            "plan": [(t["task_id"], t["status"]) for t in client.get("/api/v1/plan").json()["tasks"]],
            "review": [u["update_id"] for u in client.get("/api/v1/review").json()["queue"]]}


def _older_reports_of_another_government(app, corpus: Path) -> list[int]:  # type: ignore[no-untyped-def]
    """The promise check's input: two older reports of another government (drafts)."""
    ledger = app.state.services.ledger
    ids = [ledger.import_report(corpus / f"district-hailaer-{year}.txt", "海拉尔区", "district",
                                year, actor="duchashi").report_id for year in (2016, 2017)]
    app.state.services.changed()
    return ids


def test_importing_another_governments_old_reports_changes_nothing(app, corpus, login_as) -> None:  # type: ignore[no-untyped-def]
    """The story of issue 11: the leader's dashboard, the clerk's 我的任务, the review desk
    and the public page show the same plan, the same lights, after the import."""
    with TestClient(app) as leader, TestClient(app) as clerk, TestClient(app) as office, \
            TestClient(app) as public:
        login_as(leader, "lingdao")
        login_as(clerk, "jiaoyu")
        login_as(office, "duchashi")
        before = {"leader": _pages(leader), "office": _pages(office),
                  "clerk": clerk.get("/api/v1/workspace").json(),
                  "public": public.get("/api/v1/public/tasks").json()}
        drafts = _older_reports_of_another_government(app, corpus)
        assert _pages(leader) == before["leader"]
        assert _pages(office) == before["office"]
        assert clerk.get("/api/v1/workspace").json() == before["clerk"]
        assert public.get("/api/v1/public/tasks").json() == before["public"]
        assert before["leader"]["report"] not in drafts
        html = leader.get("/").text
        assert "成都市青羊区2023年" in html and "海拉尔区" not in html  # drafts: the office's only
        assert "海拉尔区" in office.get("/").text  # the office's switcher offers them


def test_the_switcher_chooses_validates_and_remembers(app, corpus, client, login_as) -> None:  # type: ignore[no-untyped-def]
    drafts = _older_reports_of_another_government(app, corpus)
    login_as(client, "duchashi")
    chosen = client.get("/api/v1/plan", params={"gov": "海拉尔区", "year": 2016}).json()
    assert chosen["report"]["id"] == drafts[0] and not chosen["report"]["published"]
    page = client.get("/plan", params={"gov": "海拉尔区", "year": "2017"})
    assert page.status_code == 200 and "海拉尔区2017年" in page.text
    # kept for the session: the next page without a choice shows the same plan
    assert client.get("/api/v1/dashboard").json()["report"]["id"] == drafts[1]
    dashboard = client.get("/api/v1/dashboard").json()
    assert {s["status"]: s["count"] for s in dashboard["by_status"]}["unpublished"] == dashboard["total"]
    # the switcher's form: a year the new government lacks falls back to its own year
    switched = client.get("/api/v1/plan", params={"gov": "成都市青羊区", "year": 2017, "switch": 1})
    assert switched.json()["report"]["government"] == "成都市青羊区"
    for params in ({"gov": "火星区"}, {"gov": "海拉尔区", "year": 1999}, {"year": "abc"},
                   {"report": 99999}, {"report": "x"}):
        missing = client.get("/plan", params=params)
        assert missing.status_code == 404, params
        assert "text/html" in missing.headers["content-type"] and "找不到" in missing.text
        assert client.get("/api/v1/plan", params=params).status_code == 404


def test_drafts_are_the_supervision_offices_only(app, corpus, client, login_as) -> None:  # type: ignore[no-untyped-def]
    drafts = _older_reports_of_another_government(app, corpus)
    login_as(client, "lingdao")
    for params in ({"gov": "海拉尔区"}, {"report": drafts[0]}):
        assert client.get("/api/v1/dashboard", params=params).status_code == 404
        assert client.get("/", params=params).status_code == 404
    assert client.get("/api/v1/public/tasks", params={"report": drafts[0]}).status_code == 404


def test_promises_show_only_published_reports(app, corpus, client) -> None:  # type: ignore[no-untyped-def]
    drafts = _older_reports_of_another_government(app, corpus)
    assert client.get("/api/v1/public/promises").json()["pairs"] == []
    missing = client.get("/public/promises", params={"government": "海拉尔区", "year": 2016})
    assert missing.status_code == 404
    ledger = app.state.services.ledger
    for report_id in drafts:
        ledger.assign_unassigned("区政府办", "duchashi", report_id)
        ledger.publish("duchashi", report_id)
    app.state.services.changed()
    pairs = client.get("/api/v1/public/promises").json()["pairs"]
    assert [(p["government"], p["year"]) for p in pairs] == [("海拉尔区", 2016)]


def _task_with_target(client: TestClient, lead: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in client.get("/api/v1/plan").json()["tasks"]
                if t["lead"] == lead and t["targets"] and t["state"] != "closed")


def test_pending_returned_and_resubmitted_as_the_clerk_sees_them(app, client, login_as) -> None:  # type: ignore[no-untyped-def]
    svc = app.state.services
    login_as(client, "duchashi")
    task = next(t for t in client.get("/api/v1/plan").json()["tasks"] if t["lead"] == "区人社局"
                and t["status"] == "not_reported")
    with TestClient(app) as clerk:
        csrf = login_as(clerk, "renshe")
        sent = clerk.post(f"/api/v1/tasks/{task['task_id']}/progress", headers={"X-CSRF-Token": csrf},
                          data={"period": "2023-06", "percent": "40", "narrative": "推进中"})
        assert sent.status_code == 200, sent.text
        update_id = sent.json()["update_id"]
        mine = {t["task_id"]: t for t in clerk.get("/api/v1/workspace").json()["tasks"]}
        row = mine[task["task_id"]]
        assert row["status"] == "pending" and row["status_zh"] == "待审核"
        assert row["last_period"] == "2023-06" and row["last_submitted_at"]
        page = clerk.get("/workspace").text
        assert "待审核" in page and re.search(r"2023-06<div class=\"muted small\">\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page)
        # the office returns it: 被退回待修改 until the clerk sends again
        csrf_office = client.get("/api/v1/session").json()["csrf_token"]
        back = client.post(f"/api/v1/review/{update_id}", headers={"X-CSRF-Token": csrf_office},
                           json={"decision": "return", "comment": "请补充数据"})
        assert back.status_code == 200
        space = clerk.get("/api/v1/workspace").json()
        assert [u["update_id"] for u in space["returned"]].count(update_id) == 1
        assert {t["task_id"]: t for t in space["tasks"]}[task["task_id"]]["status"] == "returned"
        again = clerk.post(f"/api/v1/tasks/{task['task_id']}/progress", headers={"X-CSRF-Token": csrf},
                           data={"period": "2023-06", "percent": "45", "narrative": "已补充"})
        assert again.status_code == 200
        space = clerk.get("/api/v1/workspace").json()
        assert update_id not in [u["update_id"] for u in space["returned"]]
        assert {t["task_id"]: t for t in space["tasks"]}[task["task_id"]]["status"] == "pending"
    assert svc.ledger.updates("returned")  # the history keeps the return


def test_closing_clears_a_return(app, client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "duchashi")
    csrf = client.get("/api/v1/session").json()["csrf_token"]
    task = next(t for t in client.get("/api/v1/plan").json()["tasks"] if t["lead"] == "区人社局"
                and t["state"] != "closed")
    with TestClient(app) as clerk:
        clerk_csrf = login_as(clerk, "renshe")
        sent = clerk.post(f"/api/v1/tasks/{task['task_id']}/progress",
                          headers={"X-CSRF-Token": clerk_csrf},
                          data={"period": "2023-06", "percent": "30", "narrative": "推进中"})
        update_id = sent.json()["update_id"]
        assert client.post(f"/api/v1/review/{update_id}", headers={"X-CSRF-Token": csrf},
                           json={"decision": "return", "comment": "请补充"}).status_code == 200
        before = [u["update_id"] for u in clerk.get("/api/v1/workspace").json()["returned"]]
        assert update_id in before
        assert client.post(f"/api/v1/tasks/{task['task_id']}/close", headers={"X-CSRF-Token": csrf}
                           ).status_code == 200
        after = [u["update_id"] for u in clerk.get("/api/v1/workspace").json()["returned"]]
        assert update_id not in after


@pytest.fixture
def december(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The demo seen on 3 December: on-schedule work reported last month."""
    monkeypatch.setenv("DUBAN_DEMO_PASSWORD", PASSWORD)
    monkeypatch.setenv("DUBAN_TODAY", "2023-12-03")
    app = create_app(url=f"sqlite:///{tmp_path / 'dec.db'}")
    svc = app.state.services
    seed_demo(svc.ledger, svc.accounts, svc.today(), str(sample_path()))
    return app


def test_the_december_demo_has_work_on_schedule(december, login_as) -> None:  # type: ignore[no-untyped-def]
    with TestClient(december) as client:
        login_as(client, "lingdao")
        counts = {s["status"]: s["count"] for s in client.get("/api/v1/dashboard").json()["by_status"]}
        assert counts["green"] >= 10, counts
        assert counts["red"] < sum(counts.values()) / 2, counts
        rows = client.get("/api/v1/public/tasks", params={"q": "完成约92%"}).json()["tasks"]
        assert rows and all(r["status"] != "yellow" for r in rows), rows
        page = client.get("/public", params={"q": "完成约92%"}).text
        assert "正常推进" in page and "进度滞后" not in page.split("<tbody>")[1]


def test_review_desk_shows_the_target_beside_the_figure(app, client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "duchashi")
    queue = client.get("/api/v1/review").json()["queue"]
    with_target = [u for u in queue if u["targets"] and u["actual"] is not None]
    assert with_target, queue
    html = client.get("/review").text
    for u in with_target:
        assert u["targets"][0] in html and u["reported"] in html
        assert not re.search(r"\de[+-]\d", u["reported"])
    assert all(not u["reported"][-1].isdigit() for u in with_target)  # in the target's unit


def test_acknowledge_button_goes_once_signed(app, login_as) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as clerk:
        csrf = login_as(clerk, "jiaoyu")
        task = next(t for t in clerk.get("/api/v1/workspace").json()["tasks"] if t["role"] == "牵头"
                    and t["state"] == "assigned")
        assert "签收任务" in clerk.get(f"/tasks/{task['task_id']}").text
        assert clerk.post(f"/api/v1/tasks/{task['task_id']}/ack",
                          headers={"X-CSRF-Token": csrf}).status_code == 200
        page = clerk.get(f"/tasks/{task['task_id']}").text
        assert "签收任务" not in page and "已签收" in page


def test_the_audit_log_reads_in_chinese(app, client, login_as) -> None:  # type: ignore[no-untyped-def]
    csrf = login_as(client, "admin")
    task = _task_with_target(client, "区人社局")
    edited = client.post(f"/api/v1/tasks/{task['task_id']}/plan", headers={"X-CSRF-Token": csrf},
                         json={"title": task["title"], "targets": task["targets"], "lead": task["lead"],
                               "co": "", "deadline": "2023-06-30", "version": task["version"]})
    assert edited.status_code == 200, edited.text
    admin = client.get("/admin").text
    log = admin.split("审计日志")[1]
    assert "{&#34;" not in log and '{"' not in log and "&#34;" not in log  # no raw JSON
    for english in (">update<", ">submit<", ">approve<", ">publish<", ">import<"):
        assert english not in log
    assert f"任务{task['seq']}「" in log and "完成时限" in log and "→" in log and "2023-06-30" in log
    page = client.get(f"/tasks/{task['task_id']}").text.split("修改记录")[1]
    assert "完成时限" in page and "→" in page and '{"' not in page and "&#34;" not in page
    entry = client.get("/api/v1/admin").json()["audit"][0]
    assert entry["subject"].startswith(f"任务{task['seq']}") and entry["changes"][0]["field"] == "完成时限"
