"""What every router shares: the services, the logged-in user, roles, CSRF, today's date."""
from __future__ import annotations

import gc
import hmac
from urllib.parse import quote, unquote
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, TypeVar, cast

from typing import Annotated

from fastapi import Path as PathParam
from fastapi import Query, Request
from fastapi.templating import Jinja2Templates

from ..settings import Settings
from ..store import Ledger, StatusReport
from ..store.accounts import ROLE_ZH, Accounts, Login
from ..errors import NotFound
from ..store.views import PlanChoice, choose_plan, data_version, report_info
from ..track import STATUS_ZH
from .formats import audit_action, audit_entity, figure, local_time
from .logins import LoginLimiter
from .first_run import SetupLink
from .parsing import Parser

T = TypeVar("T")

MAX_ID = 2_147_483_647
# identifiers from a user are bounded at the edge: nothing larger reaches the database
Id = Annotated[int, PathParam(ge=1, le=MAX_ID)]
ReportId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PageNo = Annotated[int, Query(ge=1, le=100_000)]

SESSION_COOKIE = "duban_session"
PLAN_COOKIE = "duban_plan"  # the government and year chosen last (per browser session)
LOGIN_CSRF_COOKIE = "duban_login_csrf"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.globals.update(STATUS_ZH=STATUS_ZH, ROLE_ZH=ROLE_ZH)
TEMPLATES.env.filters.update(when=local_time, figure=figure, action_zh=audit_action,
                             entity_zh=audit_entity)

# which roles may do what; the authorization matrix test reads this table too
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_dashboard": frozenset({"admin", "supervisor", "leader"}),
    "view_plan": frozenset({"admin", "supervisor", "leader"}),
    "view_any_task": frozenset({"admin", "supervisor", "leader"}),
    "edit_plan": frozenset({"admin", "supervisor"}),
    "upload_report": frozenset({"admin", "supervisor"}),
    "review": frozenset({"admin", "supervisor"}),
    "view_review": frozenset({"admin", "supervisor", "leader"}),
    "report_progress": frozenset({"clerk"}),
    "view_workspace": frozenset({"admin", "supervisor", "leader", "clerk"}),
    "admin": frozenset({"admin"}),
    "view_drafts": frozenset({"admin", "supervisor"}),  # the supervision office (督查室)
}


class AuthError(Exception):
    """Not logged in (401 / to the login page) or not allowed (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Services:
    ledger: Ledger
    accounts: Accounts
    settings: Settings
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    parser: Parser = field(default_factory=Parser)
    setup: SetupLink = field(default_factory=SetupLink)
    secure_cookies: bool = False
    _cache: dict[tuple[Any, ...], tuple[int, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _building: dict[tuple[Any, ...], threading.Lock] = field(default_factory=dict)

    def today(self) -> date:
        """DUBAN_TODAY (for demos and tests) or the real date."""
        raw = os.environ.get("DUBAN_TODAY")
        return date.fromisoformat(raw) if raw else date.today()

    def cached(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """A snapshot rebuilt only when the ledger has changed (every change is audited);
        one request rebuilds it while the others wait for that result."""
        version = self.version()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] >= version:
                return cast(T, hit[1])  # stored by a build of this key
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                hit = self._cache.get(key)
                if hit is not None and hit[0] >= version:
                    return cast(T, hit[1])  # stored by a build of this key
            value = build()
            with self._lock:
                if len(self._cache) > 256:
                    self._cache.clear()
                self._cache[key] = (version, value)
            # a snapshot is tens of thousands of long-lived objects without cycles: keep the
            # cyclic collector from walking them again and again (refcounting still frees them)
            gc.freeze()
            return value

    _checked: float = 0.0
    _version: int = -1
    _sessions: dict[str, tuple[float, Any]] = field(default_factory=dict)

    VERSION_TTL = 1.0  # changes from other processes (the CLI) show within a second
    SESSION_TTL = 30.0

    def version(self) -> int:
        now = time.monotonic()
        if now - self._checked > self.VERSION_TTL:
            self._version = data_version(self.ledger)
            self._checked = now
        return self._version

    def changed(self) -> None:
        """This process wrote to the ledger: the next read checks the version again."""
        self._checked = 0.0

    def resolve(self, token: str) -> Login | None:
        """A session, from a short-lived cache (logout and account changes clear it)."""
        now = time.monotonic()
        hit = self._sessions.get(token)
        if hit is not None and now - hit[0] < self.SESSION_TTL:
            return hit[1]  # type: ignore[no-any-return]
        login = self.accounts.resolve(token)
        if len(self._sessions) > 10_000:
            self._sessions.clear()
        self._sessions[token] = (now, login)
        return login

    def forget_sessions(self, token: str | None = None) -> None:
        if token is None:
            self._sessions.clear()
        else:
            self._sessions.pop(token, None)

    def report(self, report_id: int | None) -> dict[str, Any]:
        return self.cached(("report", report_id), lambda: report_info(self.ledger, report_id))

    def reports(self) -> list[Any]:
        return self.cached(("reports",), self.ledger.reports)

    def departments(self) -> list[str]:
        return self.cached(("departments",), lambda: [d.display for d in self.ledger.catalogue()])

    def status(self, report_id: int | None) -> StatusReport:
        today = self.today()
        return self.cached(("status", report_id, today), lambda: self.ledger.status(
            report_id, today=today, thresholds=self.settings.thresholds))


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def current_login(request: Request) -> Login | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    cached = getattr(request.state, "login", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    login = services(request).resolve(token)
    request.state.login = login
    return login


def require(request: Request, permission: str) -> Login:
    login = current_login(request)
    if login is None:
        raise AuthError(401, "请先登录 (login required)")
    if login.account.role not in PERMISSIONS[permission]:
        raise AuthError(403, f"{ROLE_ZH[login.account.role]}无权进行此操作 (forbidden)")
    return login


async def check_csrf(request: Request, login: Login) -> None:
    """Every state-changing request carries the session's token, in a header or a form."""
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        sent = str(form.get("csrf_token", ""))
    if not sent or not hmac.compare_digest(sent, login.csrf_token):
        raise AuthError(403, "请求缺少有效的 CSRF 令牌，请刷新页面后重试 (CSRF check failed)")


def can_see_task(login: Login, units: list[dict[str, Any]]) -> bool:
    if login.account.role in PERMISSIONS["view_any_task"]:
        return True
    mine = set(login.account.department_ids)
    return any(u["department_id"] in mine for u in units)


def _query_int(request: Request, name: str, what: str) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise NotFound(f"{what}“{raw[:20]}”", f"{what}应为数字 (not a number)")
    return int(raw)


def choose(request: Request, public: bool = False) -> dict[str, Any] | None:
    """The plan this page shows: ``?report=`` or ``?gov=…&year=…`` (validated: an unknown one
    is a 404), else the choice kept from this browser session, else the default (the leading
    government's published plan of the current year). Drafts only for the supervision office
    and never on the public pages. None: nothing to show yet."""
    svc = services(request)
    login = current_login(request)
    drafts = not public and login is not None and login.account.role in PERMISSIONS["view_drafts"]
    params = request.query_params
    report_id = _query_int(request, "report", "分工方案编号")
    year = _query_int(request, "year", "年份")
    government = params.get("gov", "").strip()[:100] or None
    switched = params.get("switch") == "1"  # the switcher's form: a year the new government lacks is dropped
    explicit = report_id is not None or government is not None or year is not None
    if not explicit:
        kept = unquote(request.cookies.get(PLAN_COOKIE, ""))[:120]
        gov, _, yr = kept.partition("|")
        choice = choose_plan(svc.reports(), today=svc.today(), drafts=drafts,
                             government=gov or None, year=int(yr) if yr.isdigit() else None,
                             lenient=True)
    else:
        if switched and government and year is not None and not any(
                r[1] == government and r[2] == year and (drafts or r[4]) for r in svc.reports()):
            year = None  # the switcher changed the government: its own default year
        choice = choose_plan(svc.reports(), today=svc.today(), drafts=drafts,
                             government=government, year=year, report_id=report_id)
        if choice is not None:
            request.state.keep_plan = f"{choice.government}|{choice.year}"
    request.state.choice = choice
    if choice is None:
        return None
    return svc.report(choice.report_id)


def chosen_or_404(request: Request, public: bool = False) -> dict[str, Any]:
    info = choose(request, public)
    if info is None:
        raise NotFound("台账", "还没有可以查看的分工方案：请先导入报告并发布 (no plan yet)")
    return info


def page(request: Request, template: str, data: dict[str, Any], status_code: int = 200,
         headers: dict[str, str] | None = None, **extra: Any) -> Any:
    login = current_login(request)
    choice: PlanChoice | None = getattr(request.state, "choice", None)
    context = {"request": request, "data": data, "login": login,
               "csrf_token": login.csrf_token if login else "", "today": services(request).today(),
               "choice": choice, **extra}
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status_code,
                                          headers=headers)
    keep = getattr(request.state, "keep_plan", None)
    if keep and status_code < 400:
        response.set_cookie(PLAN_COOKIE, quote(keep), httponly=True, samesite="lax", path="/",
                            secure=services(request).secure_cookies)
    return response
