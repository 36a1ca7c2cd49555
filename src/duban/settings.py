"""Configuration from the environment, with typed defaults that fail loudly when wrong.

    DUBAN_DATABASE_URL   sqlite:///duban.db (default) or postgresql+psycopg://user:pw@host/db
    DUBAN_USER           who the command-line user is, for the audit log (default: OS user)
    DUBAN_ON_TRACK       progress/expected ratio for green (default 0.95)
    DUBAN_BEHIND         ratio below which a task is red (default 0.75)
    DUBAN_NEAR_DAYS      days before a deadline when an unfinished task turns yellow (30)
    DUBAN_SMTP_HOST      e-mail reminders: SMTP server (unset: no e-mail)
    DUBAN_SMTP_PORT      25
    DUBAN_SMTP_USER / DUBAN_SMTP_PASSWORD   login, if the server wants one
    DUBAN_SMTP_FROM      sender address
    DUBAN_SMTP_STARTTLS  1 to upgrade the connection with STARTTLS
    DUBAN_TRUSTED_PROXIES  addresses or networks of the reverse proxies in front of
                         `duban serve` (e.g. "127.0.0.1, 10.0.0.0/8"); only from these is
                         X-Forwarded-For / Forwarded believed when the web app tells one
                         client from another (login limits). Unset: no proxy is trusted.
"""
from __future__ import annotations

import getpass
import ipaddress
import os
from dataclasses import dataclass, field
from typing import Mapping

from .track import Thresholds

ProxyNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingsError(ValueError):
    pass


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} 不是数字 (not a number)") from None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} 不是整数 (not an integer)") from None


def _networks(env: Mapping[str, str], name: str) -> tuple[ProxyNetwork, ...]:
    out = []
    for item in env.get(name, "").replace(",", " ").split():
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise SettingsError(f"{name} 中 {item!r} 不是 IP 地址或网段 "
                                f"(not an address or network)") from None
    return tuple(out)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "duban@localhost"
    starttls: bool = False


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    user: str
    thresholds: Thresholds
    smtp: SmtpSettings | None
    trusted_proxies: tuple[ProxyNetwork, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        url = env.get("DUBAN_DATABASE_URL") or None
        if url and not url.startswith(("sqlite", "postgresql")):
            raise SettingsError(f"DUBAN_DATABASE_URL 只支持 sqlite:/// 或 postgresql+psycopg:// ({url.split(':')[0]})")
        try:
            thresholds = Thresholds(on_track=_float(env, "DUBAN_ON_TRACK", 0.95),
                                    behind=_float(env, "DUBAN_BEHIND", 0.75),
                                    near_days=_int(env, "DUBAN_NEAR_DAYS", 30))
        except ValueError as exc:
            raise SettingsError(f"阈值设置有误 (bad thresholds): {exc}") from None
        smtp = None
        if env.get("DUBAN_SMTP_HOST"):
            smtp = SmtpSettings(host=env["DUBAN_SMTP_HOST"], port=_int(env, "DUBAN_SMTP_PORT", 25),
                                user=env.get("DUBAN_SMTP_USER", ""),
                                password=env.get("DUBAN_SMTP_PASSWORD", ""),
                                sender=env.get("DUBAN_SMTP_FROM", "duban@localhost"),
                                starttls=env.get("DUBAN_SMTP_STARTTLS", "0") == "1")
        try:
            default_user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user database in some containers
            default_user = "cli"
        return cls(url, env.get("DUBAN_USER") or default_user, thresholds, smtp,
                   _networks(env, "DUBAN_TRUSTED_PROXIES"))
