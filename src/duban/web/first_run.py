"""The first run of `duban serve`: what it sets up and prints so that someone can sign in.

- an empty ledger: the demo (the sample as a published plan, progress in every state, one
  account per role), its accounts printed with their roles and passwords;
- a ledger without an active administrator (after `duban import --sample`, say): a one-time
  set-up link that makes the first administrator (``/setup?token=…``, valid for a day or
  until used; a restart prints a new one);
- otherwise: where to sign in.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from ..store.accounts import ROLE_ZH, Accounts
from .demo import DEMO_ACCOUNTS, is_empty, seed_demo

SETUP_SECONDS = 24 * 3600


@dataclass
class SetupLink:
    """At most one pending set-up token; only its hash is kept."""

    _hash: str = ""
    _expires: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, seconds: float = SETUP_SECONDS) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._hash = hashlib.sha256(token.encode()).hexdigest()
            self._expires = time.monotonic() + seconds
        return token

    def valid(self, token: str) -> bool:
        with self._lock:
            return self._valid(token)

    def _valid(self, token: str) -> bool:
        if not self._hash or not token or len(token) > 100 or time.monotonic() > self._expires:
            return False
        return hmac.compare_digest(self._hash, hashlib.sha256(token.encode()).hexdigest())

    def take(self, token: str) -> bool:
        """Use the token up (True), or refuse it: two forms sent at once make one account."""
        with self._lock:
            if not self._valid(token):
                return False
            self._hash = ""
            return True

    def give_back(self, token: str, seconds: float = SETUP_SECONDS) -> None:
        """The form had an error: the same link works again."""
        with self._lock:
            self._hash = hashlib.sha256(token.encode()).hexdigest()
            self._expires = time.monotonic() + seconds


def _pad(text: str, width: int) -> str:
    """Padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def has_administrator(accounts: Accounts) -> bool:
    return any(a.role == "admin" and a.active for a in accounts.all())


def first_run(services, base_url: str, sample: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Prepare the ledger for a first sign-in; the lines `duban serve` prints."""
    ledger, accounts = services.ledger, services.accounts
    if is_empty(ledger, accounts):
        passwords = seed_demo(ledger, accounts, services.today(), sample)
        lines = ["空数据库：已载入示例报告（已发布的分工方案）、演示进展和演示账号。",
                 "正式使用前请在“管理”中修改密码或停用这些账号 (demo accounts; change them before real use):",
                 "  " + _pad("用户名", 12) + _pad("角色", 12) + _pad("部门", 12) + "密码"]
        for username, _name, role, departments in DEMO_ACCOUNTS:
            lines.append("  " + _pad(username, 12) + _pad(ROLE_ZH[role], 12)
                         + _pad("、".join(departments) or "—", 12) + passwords[username])
        lines.append(f"登录 (sign in): {base_url}/login")
        return lines
    if not has_administrator(accounts):
        token = services.setup.open()
        return ["台账中还没有管理员。用下面的一次性链接设置管理员账号（24 小时内有效，用过即失效；"
                "重启 duban serve 会给出新链接）:",
                "(no administrator yet: open this one-time link to create one)",
                f"  {base_url}/setup?token={token}",
                "也可以在终端创建：duban user add 用户名 --role admin"]
    return [*demo_accounts(accounts), f"登录 (sign in): {base_url}/login"]


def demo_accounts(accounts: Accounts) -> list[str]:
    """The demo's accounts still active, with their roles (their passwords were printed once,
    when they were made; only hashes are kept)."""
    active = {a.username: a for a in accounts.all() if a.active}
    shown = [active[username] for username, *_ in DEMO_ACCOUNTS if username in active]
    if not shown:
        return []
    return ["演示账号 (demo accounts):"] + [
        "  " + _pad(a.username, 12) + _pad(ROLE_ZH[a.role], 12) + ("、".join(a.departments) or "—")
        for a in shown]
