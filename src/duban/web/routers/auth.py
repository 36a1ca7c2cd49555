"""Login and logout: argon2 passwords, HttpOnly SameSite session cookies, rate-limited."""
from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...store.accounts import ROLE_ZH
from ..deps import (
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, AuthError, check_csrf, current_login, page, services,
)

router = APIRouter()


def _client(request: Request) -> str:
    return f"ip:{request.client.host if request.client else 'unknown'}"


def _home(role: str) -> str:
    return "/workspace" if role == "clerk" else "/"


def _set_session(response, request: Request, token: str) -> None:  # type: ignore[no-untyped-def]
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=services(request).secure_cookies, max_age=12 * 3600, path="/")


def _attempt(request: Request, username: str, password: str):  # type: ignore[no-untyped-def]
    svc = services(request)
    keys = (_client(request), f"user:{username}")
    if svc.limiter.blocked(*keys):
        raise AuthError(429, "登录失败次数过多，请 10 分钟后再试 (too many attempts)")
    result = svc.accounts.login(username, password)
    if result is None:
        svc.limiter.failed(*keys)
        return None
    svc.limiter.succeeded(*keys)
    return result


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str = "/"):  # type: ignore[no-untyped-def]
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", {"next": next if next.startswith("/") else "/",
                                            "login_csrf": token, "error": ""})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=services(request).secure_cookies, max_age=1800)
    return response


@router.post("/login", include_in_schema=False)
def login_submit(request: Request, username: str = Form(..., max_length=60),  # type: ignore[no-untyped-def]
                 password: str = Form(..., max_length=200), login_csrf: str = Form(""),
                 next: str = Form("/")):
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, login_csrf):
        raise AuthError(403, "登录表单已过期，请刷新后重试 (CSRF check failed)")
    result = _attempt(request, username, password)
    if result is None:
        return page(request, "login.html", {"next": next, "login_csrf": login_csrf,
                                            "error": "用户名或密码错误"}, status_code=401)
    token, login = result
    target = next if next.startswith("/") and not next.startswith("//") and next != "/" else _home(login.account.role)
    response = RedirectResponse(target, status_code=303)
    _set_session(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request):  # type: ignore[no-untyped-def]
    login = current_login(request)
    if login is not None:
        await check_csrf(request, login)
        services(request).accounts.logout(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    username: str
    display_name: str
    role: str
    role_zh: str
    departments: list[str]
    csrf_token: str


@router.get("/api/v1/session", response_model=SessionOut, tags=["session"])
def who_am_i(request: Request) -> SessionOut:
    """The logged-in account and the CSRF token its state-changing requests must send."""
    login = current_login(request)
    if login is None:
        raise AuthError(401, "请先登录 (login required)")
    a = login.account
    return SessionOut(username=a.username, display_name=a.display_name, role=a.role,
                      role_zh=ROLE_ZH[a.role], departments=list(a.departments),
                      csrf_token=login.csrf_token)


@router.post("/api/v1/session", response_model=SessionOut, tags=["session"])
def api_login(request: Request, credentials: Credentials) -> JSONResponse:
    """Log in; the session cookie is set (HttpOnly, SameSite=Lax)."""
    result = _attempt(request, credentials.username, credentials.password)
    if result is None:
        raise AuthError(401, "用户名或密码错误 (wrong user name or password)")
    token, login = result
    a = login.account
    response = JSONResponse(SessionOut(
        username=a.username, display_name=a.display_name, role=a.role, role_zh=ROLE_ZH[a.role],
        departments=list(a.departments), csrf_token=login.csrf_token).model_dump())
    _set_session(response, request, token)
    return response
