"""The standard indicators: a code for what reports name in their own words
(地区生产总值增长, GDP增长, 经济增长 -> gdp_growth), from ``data/taxonomy.toml``.

Public, so that the corpus dataset, the promise check and the ledger can speak of the same
indicator across governments and years. Pure: the words and the unit in, a code out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..errors import RuleError
from ..rules import load_table

__all__ = ["Indicator", "in_target_list", "indicators", "is_multi_year", "plain_words",
           "standard_indicator"]

# units that stand for one another when a code lists one of them
_UNIT_FAMILY = {"名": "人", "位": "人", "万人": "人", "亿元": "元", "万元": "元", "万吨": "吨",
                "千克": "公斤", "户": "户", "人次": "人次"}


@dataclass(frozen=True)
class Indicator:
    code: str
    zh: str
    en: str
    units: tuple[str, ...]
    headline: bool
    low: float | None  # the plausible range of one year's figure
    high: float | None
    pattern: re.Pattern[str]


@cache
def _table() -> dict[str, Any]:
    return load_table("taxonomy.toml")


@cache
def indicators() -> tuple[Indicator, ...]:
    """Every standard indicator, in the order they are tried."""
    out = []
    for entry in _table()["indicator"]:
        if any(not alternative.startswith("^") for alternative in _top_level(entry["regex"])):
            raise RuleError(f"duban/data/taxonomy.toml rule {entry['id']}",
                            "每个分支须以 ^ 开头 (every alternative must start with ^)")
        low, high = entry.get("range", (None, None))
        out.append(Indicator(entry["id"], entry["zh"], entry["en"], tuple(entry["units"]),
                             bool(entry.get("headline", False)), low, high, entry["compiled"]))
    return tuple(out)


def _top_level(regex: str) -> list[str]:
    """The alternatives of a regex outside any group."""
    parts, depth, start, escaped, in_class = [], 0, 0, False, False
    for i, char in enumerate(regex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
    return parts + [regex[start:]]


@cache
def _framing() -> tuple[re.Pattern[str], ...]:
    table = _table()
    lead = "|".join(re.escape(w) for w in sorted(table["leading"], key=len, reverse=True))
    anywhere = "|".join(re.escape(w) for w in sorted(table["anywhere"], key=len, reverse=True))
    return (re.compile(table["brackets"].strip() + "|" + anywhere), re.compile(table["prefix"].strip()),
            re.compile(f"^(?:{lead})+"), re.compile(table["suffix"].strip()))


def plain_words(indicator: str) -> str:
    """The indicator's words without framing: brackets and qualifiers (同比, 预计 …), what
    comes before the year's subject (中央提出今年 …), leading words (全市, 完成 …) and a
    verb at the end (控制在, 定为 …)."""
    anywhere, prefix, lead, suffix = _framing()
    words = anywhere.sub("", indicator)
    words = prefix.sub("", words)
    return suffix.sub("", lead.sub("", words))


def _family(unit: str) -> str:
    return _UNIT_FAMILY.get(unit, unit)


@lru_cache(maxsize=256)
def _for_unit(unit: str) -> re.Pattern[str] | None:
    """The entries of a unit as one alternation, tried in order: every entry's regex is
    anchored at the start (checked on load), so the first that matches is the first in the
    file, as if each were tried in turn."""
    family = _family(unit)
    entries = [e for e in indicators() if family in e.units or unit in e.units]
    if not entries:
        return None
    return re.compile("|".join(f"(?P<_{i}>{e.pattern.pattern})" for i, e in enumerate(entries)))


@lru_cache(maxsize=256)
def _codes_for_unit(unit: str) -> tuple[str, ...]:
    family = _family(unit)
    return tuple(e.code for e in indicators() if family in e.units or unit in e.units)


@lru_cache(maxsize=65536)
def standard_indicator(indicator: str, unit: str) -> str:
    """The code of an indicator in the report's words with the quantity's unit, or ""."""
    combined = _for_unit(unit)
    if combined is None:
        return ""
    words = plain_words(indicator)
    match = combined.search(words) if words else None
    if match is None or match.lastgroup is None:
        return ""
    return _codes_for_unit(unit)[int(match.lastgroup[1:])]


@cache
def _multi_year() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in _table()["multi_year"]))


def is_multi_year(indicator: str) -> bool:
    """Words that make a figure a multi-year one (年均, 累计, 十四五 …): the fallback when the
    extractor gives a quantity no period."""
    return bool(_multi_year().search(indicator))


@cache
def _target_list() -> tuple[re.Pattern[str], int]:
    table = _table()
    return re.compile(table["target_list"]), int(table["target_list_reach"])


def in_target_list(text: str, start: int) -> bool:
    """Does the figure at ``start`` of ``text`` stand in the year's list of main targets
    (今年…主要预期目标是：地区生产总值增长5%左右，…): after the list's cue, with no full stop and
    no multi-year word (年均, 十四五 …) between?"""
    cue, reach = _target_list()
    window = text[max(0, start - reach):start]
    last = next(reversed(list(cue.finditer(window))), None)
    if last is None:
        return False
    between = window[last.end():]
    return "。" not in between and not _multi_year().search(between)
