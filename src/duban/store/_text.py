"""How targets and deadlines are written in a plan's cells, and read back.

指标要求 is written the way offices write it (新增就业1.6万人以上; 城镇调查失业率5.5%以内)
and read back with the extractor's own quantity reader, so that an exported sheet
re-imports to the same values. 完成时限 is a date, 全年, 年内持续推进, or milestones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..extract import read_quantities

_SUFFIX = {">=": "以上", "<=": "以内", "~": "左右", "=": "", "range": ""}
_MONEY_OR_COUNT = {"元", "美元", "人", "人次", "户", "家", "个", "平方米", "亩", "吨", "千瓦", "千瓦时",
                   "公里", "套", "张", "所", "项", "件", "座", "条", "辆", "台"}


@dataclass(frozen=True)
class TargetText:
    indicator: str
    value: float | None
    unit: str
    comparator: str = "="
    upper: float | None = None


def _number(value: float, unit: str) -> str:
    if unit in _MONEY_OR_COUNT:
        for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
            scaled = value / size
            if abs(value) >= size and abs(scaled * 100 - round(scaled * 100)) < 1e-9:
                return f"{value / size:g}{word}"
    return f"{value:g}"


def format_target(target: TargetText) -> str:
    """新增就业1.6万人以上 / 地区生产总值增长6%—6.5% / 参保率95%以上."""
    if target.value is None:
        return target.indicator
    unit = "个百分点" if target.unit == "百分点" else target.unit
    text = f"{target.indicator}{_number(target.value, target.unit)}{unit}"
    if target.comparator == "range" and target.upper is not None:
        text += f"—{_number(target.upper, target.unit)}{unit}"
    return text + _SUFFIX.get(target.comparator, "")


def format_targets(targets: list[TargetText]) -> str:
    return "；".join(format_target(t) for t in targets)


def parse_targets(cell: str) -> list[TargetText]:
    """The targets written in one cell; raises ValueError naming what is not a number."""
    out: list[TargetText] = []
    cell = (cell or "").strip()
    if not cell:
        return out
    for piece in re.split(r"[；;\n]+", cell):
        piece = piece.strip()
        if not piece:
            continue
        readings = read_quantities(piece)
        if not readings:
            raise ValueError(f"“{piece}”中没有可识别的数值和单位 (no number with a unit)")
        out += [TargetText(r.indicator, r.value, r.unit, r.comparator, r.upper) for r in readings]
    return out


@dataclass(frozen=True)
class Deadline:
    kind: str  # date year continuous milestones
    date: date | None = None
    milestones: tuple[tuple[date, str], ...] = ()


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH_END = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(底|末)?$")


def _parse_date(text: str) -> date:
    match = _DATE.fullmatch(text.strip())
    if match:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _MONTH_END.fullmatch(text.strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    raise ValueError(f"“{text}”不是日期 (not a date)")


def parse_deadline(cell: str | date | None, year: int) -> Deadline:
    """完成时限: a date, 全年/年底, 年内持续推进/长期坚持, or milestones (2023-06-30 开工；…)."""
    if isinstance(cell, date):
        return Deadline("date", cell)
    text = (cell or "").strip()
    if not text or text in ("全年", "年底", "年内", "年底前", f"{year}年底", f"{year}年底前"):
        return Deadline("year", date(year, 12, 31))
    if re.search(r"(持续推进|长期坚持|持续开展|长期)", text):
        return Deadline("continuous", date(year, 12, 31))
    parts = [p.strip() for p in re.split(r"[；;\n]+", text) if p.strip()]
    if len(parts) > 1 or re.match(r"^\d{4}\D+\d{1,2}\D+\d{1,2}日?\s+\S", parts[0]):
        milestones = []
        for part in parts:
            match = _DATE.match(part)
            if not match:
                raise ValueError(f"“{part}”没有以日期开头 (milestone without a date)")
            milestones.append((_parse_date(match.group()), part[match.end():].strip(" ：:")))
        milestones.sort()
        return Deadline("milestones", milestones[-1][0], tuple(milestones))
    return Deadline("date", _parse_date(text))


def format_deadline(deadline: Deadline) -> str:
    if deadline.kind == "year":
        return "全年"
    if deadline.kind == "continuous":
        return "年内持续推进"
    if deadline.kind == "milestones":
        return "；".join(f"{d.isoformat()} {text}".strip() for d, text in deadline.milestones)
    assert deadline.date is not None
    return deadline.date.isoformat()
