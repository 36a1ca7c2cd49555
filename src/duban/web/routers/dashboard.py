"""The leaders' dashboard (驾驶舱): counts by status, department and part, trend, laggards."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ...store.views import monthly_trend
from ...track import STATUS_COLOURS, STATUS_ZH, STATUSES
from ..deps import Services, chosen_or_404, current_login, page, require, services

router = APIRouter()


def dashboard_data(svc: Services, info: dict[str, Any]) -> dict[str, Any]:
    status = svc.status(info["id"])
    rows = status.rows
    lagging = sorted((r for r in rows if r.status == "red"),
                     key=lambda r: (not r.overdue, (r.progress or 0) - r.expected))[:10]
    return {
        "report": info,
        "today": status.today.isoformat(),
        "total": len(rows),
        "by_status": [{"status": s, "label": STATUS_ZH[s], "count": status.total.get(s, 0),
                       "colour": STATUS_COLOURS[s].fill} for s in STATUSES],
        "by_department": [{"department": d, **counts} for d, counts in sorted(
            status.by_department.items(), key=lambda kv: -sum(kv[1].values())) if d != "合计"],
        "by_part": [{"part": p, **counts} for p, counts in status.by_part.items() if p != "合计"],
        "trend": svc.cached(("trend", info["id"]), lambda: monthly_trend(svc.ledger, info["id"])),
        "lagging": [{"task_id": r.task_id, "seq": r.seq, "title": r.title, "lead": r.lead,
                     "deadline": r.deadline.isoformat(), "progress": r.progress,
                     "expected": round(r.expected, 3), "overdue": r.overdue, "reason": r.reason}
                    for r in lagging],
    }


@router.get("/", include_in_schema=False)
def dashboard(request: Request):  # type: ignore[no-untyped-def]
    login = current_login(request)
    if login is not None and login.account.role == "clerk":
        return RedirectResponse("/workspace", status_code=303)
    require(request, "view_dashboard")
    return page(request, "dashboard.html", dashboard_data(services(request), chosen_or_404(request)))


@router.get("/api/v1/dashboard", tags=["dashboard"])
def dashboard_json(request: Request) -> dict[str, Any]:
    """The dashboard's data: the same view model as the page (``?gov=…&year=…`` or
    ``?report=…`` choose the plan; by default the published plan of the current year)."""
    require(request, "view_dashboard")
    return dashboard_data(services(request), chosen_or_404(request))
