"""create_app(settings): the FastAPI application over the ledger."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    AlreadyExists, Conflict, DubanError, Forbidden, InputError, LedgerUnavailable, NotFound,
    TooLarge,
    ValidationFailed,
)
from ..settings import Settings
from ..store import Ledger
from ..store.accounts import Accounts
from .deps import AuthError, Services, is_api, page
from .routers import (
    admin, auth, dashboard, docs, plan, promises, public, review, setup, tasks, workspace,
)
from .security import SecurityHeaders

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, url: str | None = None) -> FastAPI:
    """The web app on the ledger at ``url`` (else the settings' database)."""
    settings = settings or Settings.from_env()
    ledger = Ledger(url or settings.database_url)
    ledger.init(actor="system")
    app = FastAPI(title="duban 督办 API", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="政府工作报告任务分工与督办台账的 JSON 接口。页面的 JSON 孪生都在 /api/v1 下。")
    app.state.services = Services(ledger, Accounts(ledger.db), settings,
                                  secure_cookies=os.environ.get("DUBAN_SECURE_COOKIES") == "1")
    app.add_middleware(SecurityHeaders)

    @app.middleware("http")
    async def writes_refresh_snapshots(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if request.method not in ("GET", "HEAD"):
            app.state.services.changed()
            if request.url.path.startswith(("/admin", "/api/v1/admin", "/logout")):
                app.state.services.forget_sessions()
        return response
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (auth, dashboard, plan, tasks, workspace, review, public, promises, admin, docs, setup):
        app.include_router(module.router)
    _errors(app)
    return app


def _status_of(exc: DubanError) -> int:
    for kind, status in ((NotFound, 404), (Forbidden, 403), (Conflict, 409), (AlreadyExists, 409),
                         (ValidationFailed, 422), (TooLarge, 413), (InputError, 400),
                         (LedgerUnavailable, 503)):
        if isinstance(exc, kind):
            return status
    return 400


LOG = logging.getLogger("duban.web")
# what a browser is told for HTTP errors that no router raised itself
HTTP_ZH = {400: "请求有误", 404: "页面不存在：地址可能有误，或该页面已移除",
           405: "不支持这种请求方式", 413: "上传的内容过大", 429: "请求过于频繁，请稍后再试",
           500: "服务器出错了，已记录。请稍后重试；如果一直出错，请联系管理员"}
TITLE_ZH = {400: "请求有误", 401: "请先登录", 403: "无权访问", 404: "找不到页面", 405: "请求方式有误",
            409: "数据有冲突", 413: "内容过大", 422: "填写有误", 429: "请稍后再试", 500: "服务器出错",
            503: "台账暂时无法访问"}


def _back(request: Request) -> str:
    """Where the error page's 返回 link goes: the page the user came from on this site,
    else "" (home). A plain link: the pages run no inline script."""
    referer = request.headers.get("referer", "")
    parts = urlsplit(referer)
    if referer and parts.netloc == request.url.netloc and parts.path != request.url.path:
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""


def _respond(request: Request, status: int, message: str, extra: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    if is_api(request) or request.headers.get("hx-request"):
        return JSONResponse({"error": message, **(extra or {})}, status_code=status)
    return page(request, "error.html", {"status": status, "message": message,
                                        "title": TITLE_ZH.get(status, "出错了"),
                                        "back": _back(request), **(extra or {})},
                status_code=status)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(AuthError)
    async def auth_error(request: Request, exc: AuthError):  # type: ignore[no-untyped-def]
        if exc.status == 401 and not is_api(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        response = _respond(request, exc.status, exc.message)
        retry = getattr(exc, "retry_after", None)
        if retry is not None:
            response.headers["Retry-After"] = str(retry)
        return response

    @app.exception_handler(ValidationFailed)
    async def validation_failed(request: Request, exc: ValidationFailed):  # type: ignore[no-untyped-def]
        errors = [{"row": r, "column": c, "message": msg} for r, c, msg in exc.errors]
        return _respond(request, 422, str(exc), {"errors": errors})

    @app.exception_handler(DubanError)
    async def duban_error(request: Request, exc: DubanError):  # type: ignore[no-untyped-def]
        return _respond(request, _status_of(exc), str(exc))

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError):  # type: ignore[no-untyped-def]
        return _respond(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        detail = exc.detail if isinstance(exc.detail, str) else ""
        generic = detail in ("", "Not Found", "Method Not Allowed") or detail.isascii()
        message = HTTP_ZH.get(exc.status_code, "请求未能完成") if generic else detail
        if generic and detail:
            message = f"{message} ({detail})"
        response = _respond(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):  # type: ignore[no-untyped-def]
        LOG.exception("%s %s", request.method, request.url.path)
        try:
            return _respond(request, 500, f"{HTTP_ZH[500]} (internal error)")
        except Exception:  # noqa: BLE001 - the error page itself failed (the database is down?)
            LOG.exception("the error page failed too")
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>服务器出错</title>"
                                f"<p>{HTTP_ZH[500]}</p><p><a href=\"/\">首页</a></p>", status_code=500)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        detail = [{"loc": list(e.get("loc", [])), "message": str(e.get("msg", ""))}
                  for e in exc.errors()]
        if request.method == "GET" and not is_api(request) and any(
                d["loc"][:1] == ["path"] for d in detail):
            return _respond(request, 404, HTTP_ZH[404])  # /tasks/abc: an address that is no page
        return _respond(request, 422, "请求参数有误 (invalid request)", {"detail": detail})
