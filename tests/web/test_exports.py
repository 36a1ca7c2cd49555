"""Spreadsheet downloads: no cell a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io

from fastapi.routing import APIRoute

from duban.store import PlanEdit
from duban.web.exports import FORMULA_STARTS, spreadsheet_cell

EXPORTS = {"/public/tasks.csv"}  # every spreadsheet the web serves (checked below)


def test_cells_that_start_a_formula_are_neutralised() -> None:
    for text in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", " =1"):
        assert spreadsheet_cell(text).startswith("'"), text
    for plain in ("新增就业1.6万人", "2023-12-31", "", "1-2月", "区教育局"):
        assert spreadsheet_cell(plain) == plain
    assert spreadsheet_cell(-5) == -5 and spreadsheet_cell(None) is None


def _routes(routes):  # type: ignore[no-untyped-def]
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _routes(inner.routes) if inner is not None else [route]


def test_every_export_is_neutralised(app, client) -> None:  # type: ignore[no-untyped-def]
    routes = {r.path for r in _routes(app.routes) if isinstance(r, APIRoute)
              and r.path.endswith((".csv", ".xlsx", ".xls"))}
    assert routes == EXPORTS  # a new export must be added here, and so checked
    ledger = app.state.services.ledger
    _, rows = ledger.plan()
    row = next(r for r in rows if r.lead == "区教育局")
    ledger.apply_plan([PlanEdit(1, row.task_id, '=HYPERLINK("http://evil.example","点我")', row.targets,
                                row.lead, "", row.deadline, "", row.version)], "test")
    update = ledger.submit_progress(row.task_id, "区教育局", "2023-06", percent=50,
                                    narrative="+cmd|' /C calc'!A0", actor="test")
    ledger.review(update, "approve", "test")
    app.state.services.changed()
    for url in sorted(EXPORTS):
        response = client.get(url)
        assert response.status_code == 200
        cells = [c for line in csv.reader(io.StringIO(response.text.lstrip("\ufeff"))) for c in line]
        assert not [c for c in cells if c.lstrip(" ").startswith(FORMULA_STARTS)], url
        assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in cells
        assert "2023-06：+cmd|' /C calc'!A0" in cells  # not at the start: left as it is
