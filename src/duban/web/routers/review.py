"""The supervisors' review desk: the queue of submitted progress, approve or return, and the
chase lists (催办)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ..deps import Id, Services, check_csrf, page, require, services
from ..formats import local_iso

router = APIRouter()


def review_data(svc: Services) -> dict[str, Any]:
    queue = svc.ledger.updates("submitted")
    reminders = svc.cached(("reminders", svc.today()),
                           lambda: svc.ledger.reminders(today=svc.today()))
    return {
        "queue": [{**asdict(u), "submitted_at": local_iso(u.submitted_at),
                   "reviews": [list(r[:3]) for r in u.reviews]} for u in queue],
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
    data = review_data(services(request))
    data["can_review"] = login.account.role in ("admin", "supervisor")
    return page(request, "review.html", data)


@router.get("/api/v1/review", tags=["review"])
def review_json(request: Request) -> dict[str, Any]:
    """The review queue and the chase lists."""
    require(request, "view_review")
    return review_data(services(request))


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
    return RedirectResponse("/review", status_code=303)


@router.post("/api/v1/review/{update_id}", tags=["review"])
async def decide_json(request: Request, update_id: Id, decision: Decision) -> dict[str, Any]:
    """Approve a progress update, or return it with a comment."""
    await _decide(request, update_id, decision)
    return {"update_id": update_id, "decision": decision.decision}
