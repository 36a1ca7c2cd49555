"""The first administrator, made through the one-time link that `duban serve` prints."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ...errors import DubanError
from ..deps import page, services
from ..first_run import has_administrator
from .auth import _remember_device, _set_session

router = APIRouter()
GONE = "设置链接无效、已过期或已用过；已有管理员时请直接登录 (set-up link invalid or used)"


def _form(request: Request, token: str, error: str = "", username: str = "",
          display_name: str = "", status_code: int = 200) -> Any:
    return page(request, "setup.html", {"token": token, "error": error, "username": username,
                                        "display_name": display_name}, status_code=status_code)


@router.get("/setup", include_in_schema=False)
def setup_form(request: Request, token: str = ""):  # type: ignore[no-untyped-def]
    svc = services(request)
    if has_administrator(svc.accounts) or not svc.setup.valid(token[:100]):
        return page(request, "error.html", {"status": 404, "title": "链接无效", "message": GONE,
                                            "back": "/login"}, status_code=404)
    return _form(request, token)


@router.post("/setup", include_in_schema=False)
def setup_submit(request: Request, token: str = Form(..., max_length=100),  # type: ignore[no-untyped-def]
                 username: str = Form(..., max_length=40), display_name: str = Form("", max_length=100),
                 password: str = Form(..., max_length=200), password2: str = Form(..., max_length=200)):
    svc = services(request)
    if has_administrator(svc.accounts) or not svc.setup.take(token):
        return page(request, "error.html", {"status": 404, "title": "链接无效", "message": GONE,
                                            "back": "/login"}, status_code=404)
    error = "两次输入的密码不一致" if password != password2 else ""
    if not error:
        try:
            svc.accounts.create(username.strip(), password, "admin", [], "setup",
                                display_name.strip() or "管理员")
        except (DubanError, ValueError) as exc:
            error = str(exc)
    if error:
        svc.setup.give_back(token)
        return _form(request, token, error, username, display_name, status_code=400)
    result = svc.accounts.login(username.strip(), password)
    assert result is not None  # just made with this password
    response = RedirectResponse("/admin", status_code=303)
    _set_session(response, request, result[0])
    _remember_device(response, request, username.strip())
    return response
