"""How the web app writes times and figures for people: local time (Asia/Shanghai) to the
minute, figures in 万/亿 without exponents, the audit log's verbs in Chinese."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    LOCAL: tzinfo = ZoneInfo("Asia/Shanghai")
except (ImportError, ZoneInfoNotFoundError):  # no time zone data: China keeps UTC+8 all year
    LOCAL = timezone(timedelta(hours=8), "Asia/Shanghai")

ACTION_ZH = {"create": "新建", "update": "修改", "import": "导入", "publish": "发布（交办）",
             "acknowledge": "签收", "submit": "报送进展", "approve": "审核通过", "return": "退回",
             "close": "办结销号", "revise": "调整目标", "init": "初始化", "delete": "删除"}
ENTITY_ZH = {"user": "账号", "task": "任务", "report": "报告", "progress": "进展",
             "department": "部门", "departments": "部门目录"}


def _aware(value: datetime | str) -> datetime:
    """A stored time as an aware datetime: the ledger stores UTC without a zone."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def local_iso(value: datetime | str | None) -> str | None:
    """ISO 8601 in local time with its offset, to the minute (for the JSON twins)."""
    if value is None or value == "":
        return None
    return _aware(value).astimezone(LOCAL).isoformat(timespec="minutes")


def local_time(value: datetime | str | None) -> str:
    """2026-12-03 16:22 (for pages); an empty value is a dash."""
    if value is None or value == "":
        return "—"
    return _aware(value).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def _plain(number: float, digits: int) -> str:
    """At most ``digits`` significant digits, never an exponent, no trailing zeros."""
    if number == 0:
        return "0"
    text = format(Decimal(f"{number:.{digits}g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def figure(value: Any, unit: str = "", digits: int = 6) -> str:
    """A figure as people write it: 3.09e10 元 → 309亿元, 8.0e7 吨 → 8000万吨, 8.0 → 8,
    0.00001 → 0.00001. Non-numbers come back as they are; None is a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return f"{value}{unit}"
    number = float(value)
    size = abs(number)
    # a unit that already carries a magnitude (万元, 亿千瓦时) takes no second one
    magnitude_in_unit = unit[:1] in ("万", "亿", "千", "百")
    if size >= 1e8 and not magnitude_in_unit:
        text = _plain(number / 1e8, digits) + "亿"
    elif size >= 1e4 and not magnitude_in_unit:
        text = _plain(number / 1e4, digits) + "万"
    else:
        text = _plain(number, digits)
    return text + unit


def audit_action(action: str) -> str:
    return ACTION_ZH.get(action, action)


def audit_entity(entity: str) -> str:
    return ENTITY_ZH.get(entity, entity)


def localise_task(data: dict[str, Any]) -> dict[str, Any]:
    """A task's view model with every stored time in local time (ISO with offset)."""
    for unit in data.get("units", []):
        unit["acknowledged"] = local_iso(unit.get("acknowledged"))
    for update in data.get("updates", []):
        update["submitted_at"] = local_iso(update.get("submitted_at"))
        for review in update.get("reviews", []):
            review["at"] = local_iso(review.get("at"))
    for entry in data.get("audit", []):
        entry["at"] = local_iso(entry.get("at"))
    return data
