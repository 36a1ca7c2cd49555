"""A department's workspace: its tasks, what is due and overdue, what came back to fix."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from ...store.accounts import Login
from ...track import STATUS_ZH
from ..formats import local_iso
from ..deps import AuthError, Services, chosen_or_404, page, require, services

router = APIRouter()
DUE_DAYS = 30


def workspace_data(svc: Services, login: Login, department: str | None,
                   info: dict[str, Any]) -> dict[str, Any]:
    if login.account.role == "clerk":
        if department and department not in login.account.departments:
            raise AuthError(403, f"你不属于{department} (not your department)")
        departments = [department] if department else list(login.account.departments)
    elif department:
        departments = [department]
    else:
        departments = svc.departments()[:1]
    today = svc.today()
    status = svc.status(info["id"])
    wanted = set(departments)
    rows = [r for r in status.rows if r.lead in wanted or wanted & set(r.co)]
    # a return stays on the list until the department sends again, or the task is closed
    returned = [u for d in departments for u in svc.ledger.updates("returned", department=d)
                if u.update_id in status.open_returns]

    def row(r: Any) -> dict[str, Any]:
        return {"task_id": r.task_id, "seq": r.seq, "title": r.title, "lead": r.lead,
                "co": list(r.co), "deadline": r.deadline.isoformat(), "status": r.status,
                "status_zh": STATUS_ZH[r.status], "progress": r.progress, "state": r.state,
                "latest_period": r.latest_period, "last_period": r.last_period,
                "last_submitted_at": local_iso(r.last_submitted_at), "pending": r.pending,
                "role": "牵头" if r.lead in wanted else "配合"}

    return {
        "report": info, "departments": departments, "today": today.isoformat(),
        "tasks": [row(r) for r in rows],
        "overdue": [row(r) for r in rows if r.overdue],
        "due_soon": [row(r) for r in rows if not r.overdue and r.status != "done"
                     and (r.deadline - today).days <= DUE_DAYS],
        "returned": [{"update_id": u.update_id, "task_id": u.task_id, "title": u.title,
                      "period": u.period, "comment": u.reviews[-1][1] if u.reviews else ""}
                     for u in returned],
    }


@router.get("/workspace", include_in_schema=False)
def workspace(request: Request, department: str | None = Query(None, max_length=100)):  # type: ignore[no-untyped-def]
    login = require(request, "view_workspace")
    data = workspace_data(services(request), login, department, chosen_or_404(request))
    data["all_departments"] = services(request).departments()
    return page(request, "workspace.html", data)


@router.get("/api/v1/workspace", tags=["workspace"])
def workspace_json(request: Request, department: str | None = Query(None, max_length=100)
                   ) -> dict[str, Any]:
    """A department's tasks, due and overdue lists, returned updates still to fix
    (``?gov=…&year=…`` or ``?report=…``; by default the published plan of the current year)."""
    login = require(request, "view_workspace")
    return workspace_data(services(request), login, department, chosen_or_404(request))
