"""Administration: accounts and roles, departments, the audit log."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ...store.accounts import ROLE_ZH, ROLES
from ..deps import Id, Services, check_csrf, page, require, services
from ...store.views import audit_subjects
from ..formats import audit_entity, describe_audit, local_iso

router = APIRouter()


def admin_data(svc: Services) -> dict[str, Any]:
    return {
        "users": [asdict(a) for a in svc.accounts.all()],
        "roles": [{"role": r, "label": ROLE_ZH[r]} for r in ROLES],
        "departments": [{"id": int(d.key), "name": d.name, "short": list(d.short),
                         "function": d.function} for d in svc.ledger.catalogue()],
        "audit": _audit(svc),
    }


def _audit(svc: Services) -> list[dict[str, Any]]:
    """The latest entries in words: who, when, about what (任务12「…」), what changed
    (原值 → 新值)."""
    entries = svc.ledger.audit_log(200)
    subjects = audit_subjects(svc.ledger, [(e[4], e[5]) for e in entries])
    out = []
    for i, at, actor, action, entity, eid, before, after in entries:
        subject = subjects.get((entity, eid), "") if eid is not None else ""
        subject = subject or f"{audit_entity(entity)} {eid or ''}".strip()
        out.append({"id": i, "at": local_iso(at), "actor": actor, "action": action,
                    "entity": entity, "entity_id": eid,
                    **describe_audit(action, entity, before, after, subject)})
    return out


@router.get("/admin", include_in_schema=False)
def admin_page(request: Request):  # type: ignore[no-untyped-def]
    require(request, "admin")
    return page(request, "admin.html", admin_data(services(request)))


@router.get("/api/v1/admin", tags=["admin"])
def admin_json(request: Request) -> dict[str, Any]:
    """Accounts, roles, departments and the latest audit entries."""
    require(request, "admin")
    return admin_data(services(request))


class NewUser(BaseModel):
    username: str = Field(min_length=2, max_length=40)
    password: str = Field(min_length=10, max_length=200)
    role: Literal["admin", "supervisor", "clerk", "leader"]
    departments: list[str] = Field(default_factory=list, max_length=20)
    display_name: str = Field("", max_length=100)


class UserChange(BaseModel):
    role: Literal["admin", "supervisor", "clerk", "leader"] | None = None
    departments: list[str] | None = Field(None, max_length=20)
    active: bool | None = None
    password: str | None = Field(None, min_length=10, max_length=200)


@router.post("/admin/users", include_in_schema=False)
async def create_user(request: Request, username: str = Form(..., max_length=40),  # type: ignore[no-untyped-def]
                      password: str = Form(..., max_length=200), role: str = Form(...),
                      departments: str = Form("", max_length=500),
                      display_name: str = Form("", max_length=100)):
    login = require(request, "admin")
    await check_csrf(request, login)
    names = [d for d in departments.replace("、", ",").split(",") if d.strip()]
    services(request).accounts.create(username, password, role, [d.strip() for d in names],
                                      login.account.username, display_name)
    return RedirectResponse("/admin", status_code=303)


@router.post("/api/v1/admin/users", tags=["admin"])
async def create_user_json(request: Request, user: NewUser) -> dict[str, Any]:
    """Create an account (clerks need at least one department)."""
    login = require(request, "admin")
    await check_csrf(request, login)
    account = services(request).accounts.create(user.username, user.password, user.role,
                                                user.departments, login.account.username,
                                                user.display_name)
    return asdict(account)


@router.post("/api/v1/admin/users/{user_id}", tags=["admin"])
async def change_user(request: Request, user_id: Id, change: UserChange) -> dict[str, Any]:
    """Change an account's role, departments, activity or password (its sessions end)."""
    login = require(request, "admin")
    await check_csrf(request, login)
    account = services(request).accounts.update(
        user_id, login.account.username, role=change.role, departments=change.departments,
        active=change.active, password=change.password)
    return asdict(account)


@router.post("/admin/users/{user_id}", include_in_schema=False)
async def change_user_form(request: Request, user_id: Id, role: str = Form(...),  # type: ignore[no-untyped-def]
                           departments: str = Form("", max_length=500),
                           active: str = Form("1"), password: str = Form("", max_length=200)):
    login = require(request, "admin")
    await check_csrf(request, login)
    names = [d.strip() for d in departments.replace("、", ",").split(",") if d.strip()]
    services(request).accounts.update(user_id, login.account.username, role=role,
                                      departments=names, active=active == "1",
                                      password=password or None)
    return RedirectResponse("/admin", status_code=303)
