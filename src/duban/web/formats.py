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


STATE_WORDS = {"draft": "草稿", "assigned": "已交办", "acknowledged": "已签收", "reported": "已报送",
               "closed": "已办结", "submitted": "待审核", "approved": "已通过", "returned": "已退回"}
FIELD_ZH = {"title": "工作任务", "state": "状态", "deadline": "完成时限", "deadline_kind": "时限类型",
            "leader": "牵头领导", "note": "说明", "role": "角色", "active": "启用",
            "departments": "所属部门", "email": "邮箱", "password_changed": "密码", "comment": "意见"}
ROLE_WORDS = {"admin": "管理员", "supervisor": "督查室", "leader": "领导", "clerk": "部门联络员"}


def _word(field: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return {"active": "是" if value else "否",
                "password_changed": "已修改" if value else "未改"}.get(field, "是" if value else "否")
    if field == "state":
        return STATE_WORDS.get(str(value), str(value))
    if field == "role":
        return ROLE_WORDS.get(str(value), str(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return figure(value)
    return str(value)


def _json(text: str) -> dict[str, Any]:
    import json

    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def describe_audit(action: str, entity: str, before: str, after: str, subject: str
                   ) -> dict[str, Any]:
    """An audit entry in words: what was done to what (``subject``: 任务12「…」), and each
    change as (项目, 原值, 新值) — no English verbs, no JSON."""
    old, new = _json(before), _json(after)
    verb = audit_action(action)
    changes: list[tuple[str, str, str]] = []
    detail = ""
    if entity == "task" and "changes" in new:
        changes = [(str(f), str(a) or "（空）", str(b) or "（空）") for f, a, b in new["changes"]]
        verb = "新增" if action == "create" else "修改"
    elif action == "import":
        detail = (f"{new.get('government', '')}{new.get('year', '')}年，文件 {new.get('file', '')}，"
                  f"任务 {new.get('tasks', 0)} 项、量化指标 {new.get('targets', 0)} 个")
    elif action == "publish":
        detail = f"交办任务 {new.get('assigned', 0)} 项"
    elif action == "acknowledge":
        detail = f"{new.get('department', '')}签收"
    elif action == "submit":
        parts = [f"{new.get('department', '')}报送 {new.get('period', '')} 进展"]
        if new.get("actual") is not None:
            parts.append(f"实际值 {figure(new['actual'])}")
        if new.get("percent") is not None:
            parts.append(f"完成 {figure(new['percent'])}%")
        if new.get("evidence"):
            parts.append(f"材料 {'、'.join(new['evidence'])}")
        detail = "，".join(parts)
    elif action in ("approve", "return"):
        changes = [("状态", _word("state", old.get("state")), _word("state", new.get("state")))]
        if new.get("comment"):
            detail = f"意见：{new['comment']}"
    elif action == "revise":
        detail = (f"目标调整为 {new.get('targets', '')}，{new.get('effective', '')} 起生效；"
                  f"理由：{new.get('reason', '')}")
    elif action == "init":
        detail = f"载入部门 {new.get('count', 0)} 个"
    else:
        for key in dict.fromkeys([*old, *new]):
            if key in ("changes",):
                continue
            if old.get(key) != new.get(key):
                changes.append((FIELD_ZH.get(key, key), _word(key, old.get(key)),
                                _word(key, new.get(key))))
    return {"verb": verb, "subject": subject, "detail": detail,
            "changes": [{"field": f, "before": a, "after": b} for f, a, b in changes]}
