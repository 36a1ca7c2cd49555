"""完成时限: by when a row must be done, from the text (年底前, 6月底前, 上半年, 三季度,
2026年12月20日前) — one parser for the extraction, the CLI, Excel and the web (rules as data in
``data/deadlines.toml``)."""
from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import NamedTuple

from ..rules import load_table

__all__ = ["Due", "find_deadline", "parse_due"]

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
       "十一": 11, "十二": 12}
_ANY = re.compile(r"[年月季日\-/]")
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


class Due(NamedTuple):
    """A deadline the text states: the words (6月底前), its last day and the rule that read it."""

    text: str
    day: date
    rule: str
    start: int = 0  # where the words stand in the text searched
    end: int = 0


@cache
def _rules() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((e["id"], e["when"], e["compiled"]) for e in load_table("deadlines.toml")["due"])


def _number(word: str | None) -> int:
    if not word:
        return 0
    return int(word) if word.isdigit() else _CN.get(word, 0)


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _day(match: re.Match[str], when: str, year: int) -> date | None:
    groups = match.groupdict()
    y = groups.get("y") or groups.get("y2")
    year = int(y) if y else year
    try:
        if when == "day":
            return date(year, _number(groups["m"]), _number(groups["d"]))
        if when == "month_end":
            month = _number(groups["m"])
            return _month_end(year, month) if 1 <= month <= 12 else None
        if when == "quarter":
            month, day = _QUARTER_END[_number(groups["q"])]
            return date(year, month, day)
        if when == "half":
            return date(year, 6, 30)
        return date(year, 12, 31)
    except (ValueError, KeyError):  # 2 月 30 日, a 13th month
        return None


def find_deadline(text: str, year: int, start: int = 0, end: int | None = None) -> Due | None:
    """The first deadline ``text[start:end]`` states (年底前开园 -> 年底前, Dec 31 of ``year``),
    or None. A bare year (2026年) or a span of years (到2027年) is no deadline of the row."""
    end = len(text) if end is None else end
    if _ANY.search(text, start, end) is None:
        return None  # no character any deadline needs: most rows
    best: Due | None = None
    for rule_id, when, regex in _rules():
        for match in regex.finditer(text, start, end):
            if best is not None and match.start() >= best.start:
                break
            day = _day(match, when, year)
            if day is not None:
                best = Due(match.group().strip(), day, rule_id, match.start(), match.end())
                break
    return best


def parse_due(text: str, year: int) -> date | None:
    """The last day a deadline cell means when the whole cell is one deadline phrase (6月底前,
    上半年, 三季度, 2026年12月20日前, 2026-12-20), else None."""
    cell = "".join(text.split())
    for _, when, regex in _rules():
        match = regex.fullmatch(cell)
        if match is not None:
            return _day(match, when, year)
    return None
