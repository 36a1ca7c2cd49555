"""The supervisors' review desk: the queue of submitted progress, approve or return, and the
chase lists (催办)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ...store.views import targets_in_force
from ..deps import Id, Services, check_csrf, chosen_or_404, page, require, services
from ..formats import figure, local_iso

router = APIRouter()


def review_data(svc: Services, info: dict[str, Any]) -> dict[str, Any]:
    """The chosen plan's queue, each update with its task's targets in force beside the
    figure reported (in the target's unit, 8000万吨), and the chase lists."""
    today = svc.today()
    tasks = {r.task_id for r in svc.status(info["id"]).rows}
    queue = [u for u in svc.ledger.updates("submitted") if u.task_id in tasks]
    targets = targets_in_force(svc.ledger, sorted({u.task_id for u in queue}), today)
    reminders = svc.cached(("reminders", info["id"], today),
                           lambda: svc.ledger.reminders(info["id"], today=today))

    def reported(u: Any) -> str:
        parts = []
        if u.actual is not None:
            unit = targets.get(u.task_id, [{}])[0].get("unit", "")
            parts.append(figure(u.actual, unit))
        if u.percent is not None:
            parts.append(f"完成{figure(u.percent)}%")
        return "，".join(parts) or "—"

    return {
        "report": info,
        "queue": [{**asdict(u), "submitted_at": local_iso(u.submitted_at),
                   "reviews": [list(r[:3]) for r in u.reviews],
                   "targets": [t["text"] for t in targets.get(u.task_id, [])],
                   "reported": reported(u)} for u in queue],
        "chase": [{"department": r.department, "email": r.email,
                   "overdue": [{"task_id": x.task_id, "seq": x.seq, "title": x.title,
                                "deadline": x.deadline.isoformat()} for x in r.overdue],
                   "due_soon": [{"task_id": x.task_id, "seq": x.seq, "title": x.title,
                                 "deadline": x.deadline.isoformat()} for x in r.due_soon],
                   "not_reported": len(r.not_reported)} for r in reminders],
    }


@router.get("/review", include_in_schema=False)
def review_page(request: Request):  # type: ignore[no-untyped-def]
    login = require(request, "view_review")
    data = review_data(services(request), chosen_or_404(request))
    data["can_review"] = login.account.role in ("admin", "supervisor")
    return page(request, "review.html", data)


@router.get("/api/v1/review", tags=["review"])
def review_json(request: Request) -> dict[str, Any]:
    """The review queue and the chase lists."""
    require(request, "view_review")
    return review_data(services(request), chosen_or_404(request))


class Decision(BaseModel):
    decision: Literal["approve", "return"]
    comment: str = Field("", max_length=2000)


async def _decide(request: Request, update_id: Id, decision: Decision) -> None:
    login = require(request, "review")
    await check_csrf(request, login)
    services(request).ledger.review(update_id, decision.decision, login.account.username,
                                    decision.comment)


@router.post("/review/{update_id}", include_in_schema=False)
async def decide(request: Request, update_id: Id,  # type: ignore[no-untyped-def]
                 decision: Literal["approve", "return"] = Form(...),
                 comment: str = Form("", max_length=2000)):
    await _decide(request, update_id, Decision(decision=decision, comment=comment))
    return RedirectResponse("/review", status_code=303)  # the plan chosen is kept (cookie)


@router.post("/api/v1/review/{update_id}", tags=["review"])
async def decide_json(request: Request, update_id: Id, decision: Decision) -> dict[str, Any]:
    """Approve a progress update, or return it with a comment."""
    await _decide(request, update_id, decision)
    return {"update_id": update_id, "decision": decision.decision}
