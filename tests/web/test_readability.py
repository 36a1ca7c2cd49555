"""Times in local time to the minute, figures without exponents, the audit log in Chinese."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from duban.web.formats import figure, local_iso, local_time

ISO_WITH_T = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def test_local_time_is_shanghai_to_the_minute() -> None:
    stored = datetime(2026, 12, 3, 8, 22, 41)  # the ledger keeps UTC without a zone
    assert local_time(stored) == "2026-12-03 16:22"
    assert local_time("2026-12-03T08:22") == "2026-12-03 16:22"
    assert local_time(datetime(2026, 12, 31, 20, 5, tzinfo=timezone.utc)) == "2027-01-01 04:05"
    assert local_iso(stored) == "2026-12-03T16:22+08:00"
    assert local_time(None) == "—" and local_iso(None) is None


def test_figures_are_written_as_people_write_them() -> None:
    assert figure(3.09e10, "元") == "309亿元"
    assert figure(8.0e7, "吨") == "8000万吨"
    assert figure(8.0) == "8" and figure(12.50, "%") == "12.5%"
    assert figure(16000, "人") == "1.6万人"
    assert figure(1234567890) == "12.3457亿"
    assert figure(0.00001) == "0.00001" and figure(0) == "0" and figure(-2.5e9, "元") == "-25亿元"
    assert figure(350, "万元") == "350万元" and figure(12000, "万元") == "12000万元"  # no 万万
    assert figure(None) == "—" and figure("约三成") == "约三成"
    for value in (1e-7, 1e21, 3.09e10, 123456789012.0):
        assert "e" not in figure(value).lower()


def test_pages_show_local_times_and_the_json_says_its_offset(app, client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "admin")
    task = next(t for t in client.get("/api/v1/plan").json()["tasks"] if t["lead"] == "区教育局")
    app.state.services.ledger.submit_progress(task["task_id"], "区教育局", "2023-06",
                                              actual=3.09e10, narrative="大额", actor="test")
    app.state.services.changed()
    data = client.get(f"/api/v1/tasks/{task['task_id']}").json()
    assert data["updates"][-1]["submitted_at"].endswith("+08:00")
    expected = local_time(datetime.fromisoformat(data["updates"][-1]["submitted_at"]))
    for url in (f"/tasks/{task['task_id']}", "/review", "/admin"):
        html = client.get(url).text
        assert not ISO_WITH_T.search(html), url
        assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", html), url
    page = client.get(f"/tasks/{task['task_id']}").text
    assert expected in page and "309亿" in page and "e+10" not in page
    assert "e+10" not in client.get("/review").text and "309亿" in client.get("/review").text
    admin = client.get("/admin").text
    assert "报送进展" in admin and "进展" in admin and ">submit<" not in admin
    assert client.get("/api/v1/admin").json()["audit"][0]["at"].endswith("+08:00")
