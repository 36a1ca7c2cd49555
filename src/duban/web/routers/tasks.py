"""One task: targets, units, deadline, the timeline of progress, reviews, revisions, evidence;
a department acknowledges it and reports progress; the supervisor closes or revises it."""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from ...errors import Forbidden
from ...store import parse_number
from ...store.accounts import Login
from ...store.views import evidence_file, task_detail
from ...track import STATUS_ZH
from ..deps import Id, MAX_ID, AuthError, Services, can_see_task, check_csrf, current_login, page, require, services
from ..formats import describe_audit, localise_task
from ..security import CONTENT_TYPES, EVIDENCE_TYPES, read_upload

router = APIRouter()
EVIDENCE_LIMIT = 10 * 1024 * 1024


def task_data(svc: Services, login: Login, task_id: Id) -> dict[str, Any]:
    data = localise_task(task_detail(svc.ledger, task_id, svc.today()))
    if not can_see_task(login, data["units"]):
        raise AuthError(403, "这不是你所在单位的任务 (not your department's task)")
    data["status_zh"] = STATUS_ZH[data["status"]]
    mine = set(login.account.department_ids)
    data["my_units"] = [u["department"] for u in data["units"] if u["department_id"] in mine]
    # 签收 is offered while one of the clerk's units has not signed
    data["can_acknowledge"] = any(u["department_id"] in mine and not u["acknowledged"]
                                  for u in data["units"])
    subject = f"任务{data['seq']}"
    data["audit"] = [{"at": a["at"], "actor": a["actor"], "action": a["action"],
                      **describe_audit(a["action"], a["entity"], a.pop("before"), a.pop("after"),
                                       subject if a["entity"] == "task" else f"{subject}的进展")}
                     for a in data["audit"]]
    return data


@router.get("/tasks/{task_id}", include_in_schema=False)
def task_page(request: Request, task_id: Id):  # type: ignore[no-untyped-def]
    login = require(request, "view_workspace")
    return page(request, "task.html", task_data(services(request), login, task_id))


@router.get("/api/v1/tasks/{task_id}", tags=["tasks"])
def task_json(request: Request, task_id: Id) -> dict[str, Any]:
    """A task and its whole history (the page's data)."""
    login = require(request, "view_workspace")
    return task_data(services(request), login, task_id)


def _my_department(login: Login, data: dict[str, Any], wanted: str) -> str:
    if not data["my_units"]:
        raise AuthError(403, "这不是你所在单位的任务 (not your department's task)")
    if wanted and wanted not in data["my_units"]:
        raise AuthError(403, f"你不属于{wanted} (not your department)")
    return wanted or data["my_units"][0]


async def _ack(request: Request, task_id: Id, department: str) -> str:
    login = require(request, "report_progress")
    await check_csrf(request, login)
    svc = services(request)
    dept = _my_department(login, task_data(svc, login, task_id), department)
    svc.ledger.acknowledge(task_id, dept, login.account.username)
    return dept


@router.post("/tasks/{task_id}/ack", include_in_schema=False)
async def ack(request: Request, task_id: Id, department: str = Form("", max_length=100)):  # type: ignore[no-untyped-def]
    await _ack(request, task_id, department)
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.post("/api/v1/tasks/{task_id}/ack", tags=["tasks"])
async def ack_json(request: Request, task_id: Id, department: str = "") -> dict[str, Any]:
    """签收: the clerk's department accepts the task."""
    return {"acknowledged_by": await _ack(request, task_id, department)}


async def _progress(request: Request, task_id: Id, period: str, actual: str, percent: str,
                    narrative: str, department: str, version: int | None,
                    files: list[UploadFile]) -> int:
    login = require(request, "report_progress")
    await check_csrf(request, login)
    svc = services(request)
    dept = _my_department(login, task_data(svc, login, task_id), department)
    evidence = []
    for upload in files:
        if not upload.filename:
            continue
        name, data = await read_upload(upload, EVIDENCE_TYPES, EVIDENCE_LIMIT)
        suffix = name.rsplit(".", 1)[-1].lower()
        evidence.append((name, data, CONTENT_TYPES.get(f".{suffix}", "application/octet-stream")))
    if len(evidence) > 5:
        raise ValueError("每次最多上传 5 个证明材料")
    return svc.ledger.submit_progress(
        task_id, dept, period, actual=parse_number(actual, "实际值"),
        percent=parse_number(percent, "完成百分比"),
        narrative=narrative.strip(), actor=login.account.username, expected_version=version,
        evidence=evidence)


@router.post("/tasks/{task_id}/progress", include_in_schema=False)
async def progress(request: Request, task_id: Id, period: str = Form(..., max_length=20),  # type: ignore[no-untyped-def]
                   actual: str = Form("", max_length=40), percent: str = Form("", max_length=10),
                   narrative: str = Form("", max_length=5000), department: str = Form("", max_length=100),
                   version: int | None = Form(None, ge=1, le=MAX_ID), evidence: list[UploadFile] = File(default=[])):
    await _progress(request, task_id, period, actual, percent, narrative, department, version, evidence)
    return RedirectResponse(f"/tasks/{task_id}?submitted=1", status_code=303)


@router.post("/api/v1/tasks/{task_id}/progress", tags=["tasks"])
async def progress_json(request: Request, task_id: Id, period: str = Form(..., max_length=20),
                        actual: str = Form("", max_length=40), percent: str = Form("", max_length=10),
                        narrative: str = Form("", max_length=5000),
                        department: str = Form("", max_length=100), version: int | None = Form(None, ge=1, le=MAX_ID),
                        evidence: list[UploadFile] = File(default=[])) -> dict[str, Any]:
    """A department's progress for a period, with evidence files; ``version`` (the task version
    the clerk saw) makes a concurrent change a 409 conflict instead of an overwrite."""
    return {"update_id": await _progress(request, task_id, period, actual, percent, narrative,
                                         department, version, evidence)}


class Revision(BaseModel):
    targets: str = Field(min_length=1, max_length=1000)
    effective: date
    reason: str = Field(min_length=1, max_length=2000)


async def _close(request: Request, task_id: Id, note: str) -> None:
    login = require(request, "review")
    await check_csrf(request, login)
    services(request).ledger.close_task(task_id, login.account.username, note)


@router.post("/tasks/{task_id}/close", include_in_schema=False)
async def close(request: Request, task_id: Id, note: str = Form("", max_length=2000)):  # type: ignore[no-untyped-def]
    await _close(request, task_id, note)
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.post("/api/v1/tasks/{task_id}/close", tags=["tasks"])
async def close_json(request: Request, task_id: Id, note: str = "") -> dict[str, Any]:
    """办结销号."""
    await _close(request, task_id, note[:2000])
    return {"closed": task_id}


async def _revise(request: Request, task_id: Id, revision: Revision) -> None:
    login = require(request, "edit_plan")
    await check_csrf(request, login)
    services(request).ledger.revise_target(task_id, revision.targets, revision.effective,
                                           revision.reason, login.account.username)


@router.post("/tasks/{task_id}/revise", include_in_schema=False)
async def revise(request: Request, task_id: Id, targets: str = Form(..., max_length=1000),  # type: ignore[no-untyped-def]
                 effective: date = Form(...), reason: str = Form(..., max_length=2000)):
    await _revise(request, task_id, Revision(targets=targets, effective=effective, reason=reason))
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.post("/api/v1/tasks/{task_id}/revise", tags=["tasks"])
async def revise_json(request: Request, task_id: Id, revision: Revision) -> dict[str, Any]:
    """A dated revision of the task's targets; the original promise stays."""
    await _revise(request, task_id, revision)
    return {"revised": task_id}


@router.get("/evidence/{evidence_id}", tags=["tasks"])
def evidence(request: Request, evidence_id: Id) -> Response:
    """An evidence file, for those who may see its task (served as a download)."""
    login = require(request, "view_workspace")
    svc = services(request)
    item = evidence_file(svc.ledger, evidence_id)
    if login.account.role == "clerk" and item.department_id not in login.account.department_ids:
        task = task_detail(svc.ledger, item.task_id, svc.today())
        if not can_see_task(login, task["units"]):
            raise Forbidden(f"材料 {evidence_id}", "这不是你所在单位的材料")
    return Response(item.data, media_type=item.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.filename)}",
        "X-Content-Type-Options": "nosniff"})


__all__ = ["router", "current_login"]
