"""The plan (分工方案): outline and tasks beside the report text, inline correction, publish,
and the upload of a new report."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ...errors import Conflict, ValidationFailed
from ...store import PlanEdit
from ...store.views import highlighted, report_text
from ...track import STATUS_ZH
from ..deps import Id, ReportId, PageNo, MAX_ID, Services, check_csrf, chosen_or_404, page, require, services
from ...ingest import FORMATS as INPUT_FORMATS
from ...ingest import MAX_BYTES
from ..security import read_upload

router = APIRouter()
PAGE_SIZE = 200
REPORT_TYPES = set(INPUT_FORMATS)  # the one list of report types, in ingest


def plan_data(svc: Services, info: dict[str, Any], page_no: PageNo = 1,
              with_text: bool = True) -> dict[str, Any]:
    _, rows = svc.ledger.plan(info["id"], today=svc.today())
    start = (max(page_no, 1) - 1) * PAGE_SIZE
    shown = rows[start:start + PAGE_SIZE]
    data: dict[str, Any] = {
        "report": info, "page": max(page_no, 1), "pages": max(1, -(-len(rows) // PAGE_SIZE)),
        "count": len(rows), "unassigned": sum(1 for r in rows if not r.lead),
        "tasks": [{**asdict(r), "co": list(r.co), "status_zh": STATUS_ZH[r.status]} for r in shown],
    }
    if with_text:
        text = report_text(svc.ledger, info["id"])
        data["outline"] = text["outline"]
        data["quotes"] = text["tasks"]
        data["text_pieces"] = [{"text": t, "task_id": s["task_id"] if s else None,
                                "kind": s["kind"] if s else None}
                               for t, s in highlighted(text["text"], text["tasks"])]
    return data


@router.get("/plan", include_in_schema=False)
def plan_page(request: Request, page_no: PageNo = 1):  # type: ignore[no-untyped-def]
    login = require(request, "view_plan")
    data = plan_data(services(request), chosen_or_404(request), page_no)
    data["editable"] = login.account.role in ("admin", "supervisor")
    data["departments"] = services(request).departments()
    return page(request, "plan.html", data)


@router.get("/api/v1/plan", tags=["plan"])
def plan_json(request: Request, page_no: PageNo = 1) -> dict[str, Any]:
    """The plan's tasks (paged), the outline, and where each quote stands in the text
    (``?gov=…&year=…`` or ``?report=…``; drafts only for the supervision office)."""
    require(request, "view_plan")
    data = plan_data(services(request), chosen_or_404(request), page_no, with_text=True)
    data.pop("text_pieces")
    return data


class TaskEdit(BaseModel):
    title: str = Field(min_length=1, max_length=2000)
    targets: str = Field("", max_length=2000)
    lead: str = Field("", max_length=100)
    co: str = Field("", max_length=500)
    deadline: str = Field("全年", max_length=500)
    leader: str = Field("", max_length=100)
    version: int | None = Field(None, ge=1, le=MAX_ID)


def _apply(svc: Services, task_id: Id, edit: TaskEdit, actor: str) -> list[dict[str, Any]]:
    report_id = svc.ledger.report_of_task(task_id)
    changes = svc.ledger.apply_plan([PlanEdit(1, task_id, edit.title, edit.targets, edit.lead,
                                              edit.co, edit.deadline, edit.leader, edit.version)],
                                    actor, report_id, source=f"任务 {task_id}")
    return [asdict(c) for c in changes]


# the plan sheet's columns (ValidationFailed names them) -> the edit form's fields
FIELDS = {"工作任务": "title", "指标要求": "targets", "牵头单位": "lead", "责任单位": "co",
          "完成时限": "deadline", "牵头领导": "leader"}


def _edit_fragment(request: Request, svc: Services, task_id: int, task: dict[str, Any],
                   errors: dict[str, str] | None = None, status_code: int = 200) -> Any:
    return page(request, "_task_edit.html", {"task": task, "departments": svc.departments(),
                                             "errors": errors or {}}, status_code=status_code)


@router.get("/plan/tasks/{task_id}/edit", include_in_schema=False)
def edit_form(request: Request, task_id: Id):  # type: ignore[no-untyped-def]
    require(request, "edit_plan")
    svc = services(request)
    report_id = svc.ledger.report_of_task(task_id)
    _, rows = svc.ledger.plan(report_id, today=svc.today())
    row = next(r for r in rows if r.task_id == task_id)
    return _edit_fragment(request, svc, task_id, {**asdict(row), "co": "、".join(row.co),
                                                  "report_id": report_id})


@router.post("/plan/tasks/{task_id}", include_in_schema=False)
async def edit_submit(request: Request, task_id: Id, title: str = Form(..., max_length=2000),  # type: ignore[no-untyped-def]
                      targets: str = Form("", max_length=2000), lead: str = Form("", max_length=100),
                      co: str = Form("", max_length=500), deadline: str = Form("全年", max_length=500),
                      leader: str = Form("", max_length=100), version: int | None = Form(None, ge=1, le=MAX_ID)):
    login = require(request, "edit_plan")
    await check_csrf(request, login)
    svc = services(request)
    edit = TaskEdit(title=title, targets=targets, lead=lead, co=co, deadline=deadline,
                    leader=leader, version=version)
    try:
        _apply(svc, task_id, edit, login.account.username)
    except ValidationFailed as exc:
        if not request.headers.get("hx-request"):
            raise
        # the form again, as typed, each message beside its field (htmx swaps a 422 in)
        errors: dict[str, str] = {}
        for _, column, message in exc.errors:
            key = FIELDS.get(column, "form")
            errors[key] = f"{errors[key]}；{message}" if key in errors else message
        task = {**edit.model_dump(), "task_id": task_id, "version": version,
                "report_id": svc.ledger.report_of_task(task_id)}
        return _edit_fragment(request, svc, task_id, task, errors, status_code=422)
    except Conflict as exc:
        if not request.headers.get("hx-request"):
            raise
        # someone saved the task first: the form as typed, the conflict said above it (409 swapped in)
        task = {**edit.model_dump(), "task_id": task_id, "version": version,
                "report_id": svc.ledger.report_of_task(task_id)}
        return _edit_fragment(request, svc, task_id, task, {"form": str(exc)}, status_code=409)
    if request.headers.get("hx-request"):
        _, rows = svc.ledger.plan(svc.ledger.report_of_task(task_id), today=svc.today())
        row = next(r for r in rows if r.task_id == task_id)
        return page(request, "_task_row.html", {}, editable=True,
                    t={**asdict(row), "co": list(row.co), "status_zh": STATUS_ZH[row.status]})
    return RedirectResponse(f"/plan#task-{task_id}", status_code=303)


@router.post("/api/v1/tasks/{task_id}/plan", tags=["plan"])
async def edit_json(request: Request, task_id: Id, edit: TaskEdit) -> dict[str, Any]:
    """Correct one task's wording, targets, units, deadline: validated, then applied whole."""
    login = require(request, "edit_plan")
    await check_csrf(request, login)
    return {"changes": _apply(services(request), task_id, edit, login.account.username)}


@router.post("/plan/publish", include_in_schema=False)
async def publish(request: Request, report: int | None = Form(None, ge=1, le=MAX_ID)):  # type: ignore[no-untyped-def]
    login = require(request, "edit_plan")
    await check_csrf(request, login)
    services(request).ledger.publish(login.account.username, report)
    return RedirectResponse(f"/plan?report={report}" if report else "/plan", status_code=303)


@router.post("/api/v1/plan/publish", tags=["plan"])
async def publish_json(request: Request, report: ReportId = None) -> dict[str, Any]:
    """Publish the plan (交办): every task needs a lead unit."""
    login = require(request, "edit_plan")
    await check_csrf(request, login)
    return {"assigned": services(request).ledger.publish(login.account.username, report)}


@router.get("/reports/upload", include_in_schema=False)
def upload_form(request: Request):  # type: ignore[no-untyped-def]
    require(request, "upload_report")
    return page(request, "upload.html", {"reports": [
        {"id": r[0], "government": r[1], "year": r[2], "file": r[3], "published": r[4], "tasks": r[5]}
        for r in services(request).reports()]})


async def _upload(request: Request, file: UploadFile, government: str, level: str,
                  year: int | None) -> dict[str, Any]:
    login = require(request, "upload_report")
    await check_csrf(request, login)
    name, data = await read_upload(file, REPORT_TYPES, MAX_BYTES)
    svc = services(request)
    # extraction runs in a child process with a time limit (web/parsing.py)
    result = await svc.parser.import_report(svc.ledger, data, name, government.strip(), level,
                                            year, login.account.username)
    return asdict(result)


@router.post("/reports/upload", include_in_schema=False)
async def upload_submit(request: Request, file: UploadFile = File(...),  # type: ignore[no-untyped-def]
                        government: str = Form(..., min_length=2, max_length=100),
                        level: str = Form("district", pattern="^(national|province|city|district|county)$"),
                        year: int | None = Form(None, ge=1949, le=2100)):
    result = await _upload(request, file, government, level, year)
    return RedirectResponse(f"/plan?report={result['report_id']}", status_code=303)


@router.post("/api/v1/reports", tags=["plan"])
async def upload_json(request: Request, file: UploadFile = File(...),
                      government: str = Form(..., min_length=2, max_length=100),
                      level: str = Form("district", pattern="^(national|province|city|district|county)$"),
                      year: int | None = Form(None, ge=1949, le=2100)) -> dict[str, Any]:
    """Upload a report (txt/docx/pdf/html): it is extracted into a draft plan."""
    return await _upload(request, file, government, level, year)
