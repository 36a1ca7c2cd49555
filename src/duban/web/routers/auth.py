"""Login and logout: argon2 passwords, HttpOnly SameSite session cookies, growing delays
after failures (web/logins.py)."""
from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...store.accounts import ROLE_ZH, Login
from ..deps import (
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, AuthError, check_csrf, current_login, page, services,
)
from ..logins import DEVICE_COOKIE, DEVICE_DAYS, add_device, client_address, trusted_device

router = APIRouter()


class TooManyAttempts(AuthError):
    """429 with the seconds to wait (Retry-After)."""

    def __init__(self, seconds: float) -> None:
        self.retry_after = max(1, int(seconds + 0.999))
        wait = (f"{self.retry_after} 秒" if self.retry_after < 120
                else f"{-(-self.retry_after // 60)} 分钟")
        super().__init__(429, f"登录失败次数过多，请 {wait}后再试 (too many attempts; retry in "
                              f"{self.retry_after} s)")


def _home(role: str) -> str:
    return "/workspace" if role == "clerk" else "/"


def _set_session(response, request: Request, token: str) -> None:  # type: ignore[no-untyped-def]
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=services(request).secure_cookies, max_age=12 * 3600, path="/")


def _attempt(request: Request, username: str, password: str) -> tuple[str, Login] | None:
    """Check the password unless this client must wait; count the outcome. A browser with a
    device cookie for the account is counted apart from everyone else (web/logins.py)."""
    svc = services(request)
    address = client_address(request, svc.settings.trusted_proxies)
    cookie = request.cookies.get(DEVICE_COOKIE, "")
    device = trusted_device(cookie, username, svc.accounts.device_key(username)) if cookie else None
    keys = svc.limiter.keys(username, address, device)
    wait = svc.limiter.wait(keys)
    if wait > 0:
        raise TooManyAttempts(wait)
    result = svc.accounts.login(username, password)
    if result is None:
        svc.limiter.failed(keys)
        return None
    svc.limiter.succeeded(keys)
    return result


def _remember_device(response, request: Request, username: str) -> None:  # type: ignore[no-untyped-def]
    key = services(request).accounts.device_key(username)
    if key is None:
        return
    cookie = add_device(request.cookies.get(DEVICE_COOKIE, ""), username, key)
    response.set_cookie(DEVICE_COOKIE, cookie, httponly=True, samesite="lax", path="/",
                        secure=services(request).secure_cookies, max_age=DEVICE_DAYS * 86400)


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
    form = {"next": next, "login_csrf": login_csrf, "username": username}
    try:
        result = _attempt(request, username, password)
    except TooManyAttempts as exc:
        return page(request, "login.html", {**form, "error": exc.message}, status_code=429,
                    headers={"Retry-After": str(exc.retry_after)})
    if result is None:
        return page(request, "login.html", {**form, "error": "用户名或密码错误"}, status_code=401)
    token, login = result
    target = next if next.startswith("/") and not next.startswith("//") and next != "/" else _home(login.account.role)
    response = RedirectResponse(target, status_code=303)
    _set_session(response, request, token)
    _remember_device(response, request, login.account.username)
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
    _remember_device(response, request, a.username)
    return response
