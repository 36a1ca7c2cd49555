"""The public transparency page (政务公开): every published commitment, its status and its
approved history; searchable, downloadable as CSV and JSON, no login."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ...store.views import latest_narratives, task_detail
from ...track import STATUS_ZH, STATUSES
from ..deps import Id, PageNo, Services, choose, chosen_or_404, page, services
from ..exports import csv_response
from ..formats import localise_task

router = APIRouter()
PAGE_SIZE = 50


def public_rows(svc: Services, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a published plan (the caller chose it through ``choose(public=True)``)."""

    def build() -> list[dict[str, Any]]:
        status = svc.status(info["id"])
        notes = latest_narratives(svc.ledger, info["id"])
        return [{"task_id": r.task_id, "seq": r.seq, "part": r.part, "title": r.title,
                 "lead": r.lead, "co": list(r.co), "deadline": r.deadline.isoformat(),
                 "status": r.status, "status_zh": STATUS_ZH[r.status],
                 "latest": notes.get(r.task_id, "")} for r in status.rows]

    return svc.cached(("public", info["id"], svc.today()), build)


def public_data(svc: Services, info: dict[str, Any] | None, q: str, status: str,
                department: str, page_no: int) -> dict[str, Any]:
    statuses = [{"status": s, "label": STATUS_ZH[s]} for s in STATUSES if s != "unpublished"]
    if info is None:  # a first run: say so, no 404
        return {"report": None, "q": q, "status": status, "department": department, "count": 0,
                "page": 1, "pages": 1, "tasks": [], "statuses": statuses}
    rows = public_rows(svc, info)
    if q:
        rows = [r for r in rows if q in r["title"] or q in r["lead"] or q in r["latest"]]
    if status:
        rows = [r for r in rows if r["status"] == status]
    if department:
        rows = [r for r in rows if r["lead"] == department or department in r["co"]]
    page_no = max(page_no, 1)
    start = (page_no - 1) * PAGE_SIZE
    return {"report": {k: info[k] for k in ("id", "government", "year")}, "q": q,
            "status": status, "department": department, "count": len(rows), "page": page_no,
            "pages": max(1, -(-len(rows) // PAGE_SIZE)), "tasks": rows[start:start + PAGE_SIZE],
            "statuses": statuses}


@router.get("/public", include_in_schema=False)
def public_page(request: Request,  # type: ignore[no-untyped-def]
                q: str = Query("", max_length=50), status: str = Query("", max_length=20),
                department: str = Query("", max_length=50), page_no: PageNo = 1):
    return page(request, "public.html",
                public_data(services(request), choose(request, public=True), q.strip(), status,
                            department, page_no))


@router.get("/api/v1/public/tasks", tags=["public"])
def public_json(request: Request, q: str = Query("", max_length=50),
                status: str = Query("", max_length=20), department: str = Query("", max_length=50),
                page_no: PageNo = 1) -> dict[str, Any]:
    """The public list of commitments with their status (the public page's data);
    ``?gov=…&year=…`` or ``?report=…`` choose among the published plans."""
    return public_data(services(request), choose(request, public=True), q.strip(), status,
                       department, page_no)


@router.get("/public/tasks.csv", tags=["public"])
def public_csv(request: Request) -> Response:
    """Every published commitment as CSV (UTF-8 with BOM, opens in Excel)."""
    info = chosen_or_404(request, public=True)
    rows = public_rows(services(request), info)
    return csv_response(f"{info['government']}{info['year']}年重点任务.csv",
                        ["序号", "部分", "任务", "牵头单位", "责任单位", "完成时限", "状态", "最新进展"],
                        ([r["seq"], r["part"], r["title"], r["lead"], "、".join(r["co"]),
                          r["deadline"], r["status_zh"], r["latest"]] for r in rows))


def public_task_data(svc: Services, task_id: Id) -> dict[str, Any]:
    data = localise_task(task_detail(svc.ledger, task_id, svc.today(), public=True))
    data["status_zh"] = STATUS_ZH[data["status"]]
    data.pop("audit", None)
    return data


@router.get("/public/tasks/{task_id}", include_in_schema=False)
def public_task(request: Request, task_id: Id):  # type: ignore[no-untyped-def]
    return page(request, "public_task.html", public_task_data(services(request), task_id))


@router.get("/api/v1/public/tasks/{task_id}", tags=["public"])
def public_task_json(request: Request, task_id: Id) -> dict[str, Any]:
    """One published commitment with its approved history."""
    return public_task_data(services(request), task_id)
