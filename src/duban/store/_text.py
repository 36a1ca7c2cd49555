"""How targets and deadlines are written in a plan's cells, and read back.

指标要求 is written the way offices write it (新增就业1.6万人以上; 城镇调查失业率5.5%以内;
新增节能能力8000万吨标准煤) and read back with the extractor's own quantity reader, so that an
exported sheet re-imports to the same values. Every cell the writer produces is read back
before it is handed out; where the plain form would read differently (a name that itself
ends in a comparator word, or holds figures of its own) the name is written in quotes,
which the reader takes literally. 完成时限 is a date, 全年, 年内持续推进, or milestones.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from ..extract import Reading, lexicon, read_quantities, unit_kind

_SUFFIX = {">=": "以上", "<=": "以内", "~": "左右", "=": "", "range": ""}
# written as 8000万, 3.09亿, 1.3万亿 when at most two decimals say it exactly
_MAGNITUDES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_SCALED_KINDS = frozenset({"money", "count", "measure"})
# what ends one target in a cell: a clause mark or a space (a figure followed directly by
# more words and a figure is part of the next one's name: 销售收入超亿元的企业20家)
_SEPARATOR = re.compile(r"[，,、；;：:。！？!?\s]")
_PIECES = re.compile(r"[；;\n]+")
_LITERAL_NAME = re.compile(r"“([^”]*)”")
# sheets exported before figures were written in full carry 8e+07 (for 80000000)
_EXPONENT = re.compile(r"\d+(?:\.\d+)?[eE][+-]\d+")


@dataclass(frozen=True)
class TargetText:
    indicator: str
    value: float | None
    unit: str
    comparator: str = "="
    upper: float | None = None


def _plain(value: float) -> str:
    """The shortest digits that read back as ``value``, never in exponent notation."""
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _figure(value: float, unit: str) -> str:
    """1.6万 / 3.09亿 / 8000万 / 12930 / 5.5: the figure as the reader reads it back."""
    if unit_kind(unit) in _SCALED_KINDS:
        for size, word in _MAGNITUDES:
            if abs(value) < size:
                continue
            for places in (0, 1, 2):
                digits = _plain(round(value / size, places))
                if _same(float(digits) * size, value):  # the reader's own arithmetic
                    return digits + word
    return _plain(value)


def _quantity(target: TargetText) -> str:
    assert target.value is not None
    unit = "个百分点" if target.unit == "百分点" else target.unit
    text = f"{_figure(target.value, target.unit)}{unit}"
    if target.comparator == "range" and target.upper is not None:
        text += f"—{_figure(target.upper, target.unit)}{unit}"
    return text + _SUFFIX.get(target.comparator, "")


@lru_cache(maxsize=65536)
def format_target(target: TargetText) -> str:
    """新增就业1.6万人以上 / 地区生产总值增长6%—6.5% / 参保率95%以上.

    The text reads back (``parse_targets``) as this very target: name, value, unit,
    comparator and upper bound; otherwise the name is quoted (“…”20家)."""
    if target.value is None:
        return target.indicator
    figure = _quantity(target)
    plain = f"{target.indicator}{figure}"
    if _reads_back(plain, target) or not target.indicator or "”" in target.indicator:
        return plain
    return f"“{target.indicator}”{figure}"


def _same(a: float | None, b: float | None) -> bool:
    """The same number: 2.3亿 reads as 2.3 × 10⁸, which is not the float 230000000.0."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)


def _reads_back(text: str, target: TargetText) -> bool:
    try:
        back = parse_targets(text)
    except ValueError:
        return False
    return len(back) == 1 and (back[0].indicator, back[0].unit, back[0].comparator) == (
        target.indicator, target.unit, target.comparator) and _same(back[0].value, target.value) \
        and _same(back[0].upper, target.upper)


def format_targets(targets: list[TargetText]) -> str:
    return "；".join(format_target(t) for t in targets)


def parse_targets(cell: str) -> list[TargetText]:
    """The targets written in one cell; raises ValueError naming what is not a number.

    Targets are separated by ；, a new line, or a clause mark after a figure (新增就业1.6万人
    以上，城镇调查失业率5.5%以内); a name opening a piece in quotes is taken literally."""
    out: list[TargetText] = []
    cell = _EXPONENT.sub(lambda match: _plain(float(match.group())), (cell or "").strip())
    for piece in _PIECES.split(cell):
        piece = piece.strip()
        if piece:
            out += _parse_piece(piece)
    return out


def _parse_piece(piece: str) -> list[TargetText]:
    name = ""
    literal = _LITERAL_NAME.match(piece)
    if literal:
        name, piece = literal.group(1), piece[literal.end():]
    readings = _targets_of(piece, read_quantities(piece))
    if not readings:
        shown = f"“{name}”{piece}" if literal else piece
        raise ValueError(f"“{shown}”中没有可识别的数值和单位 (no number with a unit)")
    out = [TargetText(r.indicator, r.value, r.unit, r.comparator, r.upper) for r in readings]
    if literal:
        first = out[0]
        out[0] = TargetText(name + first.indicator, first.value, first.unit, first.comparator,
                            first.upper)
    return out


def _targets_of(text: str, readings: list[Reading]) -> list[Reading]:
    """The readings that are targets: a figure followed by more of the name and another
    figure, with no separator and no comparator word after it, names the next one."""
    suffix = lexicon().suffix_re
    kept = []
    for reading, following in zip(readings, readings[1:] + [None]):
        if following is not None:
            between = text[reading.end:following.start]
            if not _SEPARATOR.search(between) and not suffix.match(between):
                continue
        kept.append(reading)
    return kept


_Day = date  # inside Deadline, ``date`` names its field


@dataclass(frozen=True)
class Deadline:
    kind: str  # date year continuous milestones
    date: _Day | None = None
    milestones: tuple[tuple[_Day, str], ...] = ()


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH_END = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(底|末)?$")


def _parse_date(text: str) -> date:
    try:
        match = _DATE.fullmatch(text.strip())
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _MONTH_END.fullmatch(text.strip())
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
    except ValueError:  # 2023-02-30, month 13, year 0
        raise ValueError(f"“{text}”不是有效日期 (no such day)") from None
    raise ValueError(f"“{text}”不是日期 (not a date)")


# a date or a reporting period of a plan lies from the year before its report to ten years
# after it (十四五 and 2030 goals fit; 1999, 2999 and 2203 for 2023 do not)
YEARS_BEFORE, YEARS_AFTER = 1, 10


def check_year(year: int, report_year: int, what: str) -> None:
    """ValueError when ``year`` is outside the window around the report's year."""
    first, last = report_year - YEARS_BEFORE, report_year + YEARS_AFTER
    if not first <= year <= last:
        raise ValueError(f"{what}的年份 {year} 不在 {first}–{last} 年之间（报告是 {report_year} 年的）"
                         f"(year {year} is outside {first}-{last} for a {report_year} report)")


def check_period(period: str, report_year: int, today: date | None = None) -> None:
    """ValueError unless the period (YYYY-MM) lies in the years around the report's and has
    begun by next month: 2203-06 for 2023, 2013-06 or a month two years ahead are typos."""
    year, month = int(period[:4]), int(period[5:7])
    check_year(year, report_year, f"报送期 {period} ")
    today = today or date.today()
    upcoming = (today.year + today.month // 12, today.month % 12 + 1)
    if (year, month) > upcoming:
        raise ValueError(f"报送期 {period} 尚未到来（今天是 {today.isoformat()}）(a period in the future)")


def parse_deadline(cell: str | date | None, year: int) -> Deadline:
    """完成时限: a date, 全年/年底, 年内持续推进/长期坚持, or milestones (2023-06-30 开工；…);
    every date within the years around the report's ``year`` (ValueError otherwise)."""
    deadline = _parse_deadline(cell, year)
    for day in [deadline.date, *(d for d, _ in deadline.milestones)]:
        if day is not None:
            check_year(day.year, year, f"完成时限 {day.isoformat()} ")
    return deadline


def _parse_deadline(cell: str | date | None, year: int) -> Deadline:
    if isinstance(cell, datetime):
        cell = cell.date()
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
    from ..extract import parse_due  # the one parser of 6月底前, 上半年, 三季度, 2026年12月20日前
    due = parse_due(text, year)
    return Deadline("date", due if due is not None else _parse_date(text))


def format_deadline(deadline: Deadline) -> str:
    if deadline.kind == "year":
        return "全年"
    if deadline.kind == "continuous":
        return "年内持续推进"
    if deadline.kind == "milestones":
        return "；".join(f"{d.isoformat()} {text}".strip() for d, text in deadline.milestones)
    assert deadline.date is not None
    return deadline.date.isoformat()
