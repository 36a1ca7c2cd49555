"""Quantities in a short text that is not a report: a plan cell such as 新增就业1.6万人以上；参保率95%以上."""
from __future__ import annotations

from dataclasses import dataclass

from ._indicators import clause_bounds, indicator_for
from ._lexicon import lexicon
from ._quantities import find_candidates, resolve_comparator


@dataclass(frozen=True)
class Reading:
    """One quantity of a short text, with the name before it; offsets into that text."""

    start: int
    end: int
    indicator: str
    value: float | None
    unit: str
    comparator: str
    upper: float | None = None


def read_quantities(text: str) -> list[Reading]:
    """Every number with its unit in ``text`` (one cell, one clause), read as the extractor
    reads a report's figures: value in the base unit, comparator, the indicator before it."""
    lex = lexicon()
    out: list[Reading] = []
    previous = ""
    for cand in find_candidates(lex, text, 0, len(text)):
        resolve_comparator(lex, text, cand, 0, len(text))
        clause = clause_bounds(text, 0, cand.start)
        name = indicator_for(text, cand.start, cand.end, clause, clause, previous)
        out.append(Reading(cand.start, cand.end, name, cand.value, cand.unit, cand.comparator,
                           cand.upper))
        previous = name
    return out


def unit_kind(unit: str) -> str:
    """The kind of a unit as ``data/units.toml`` files it (money, count, share …), or ""."""
    info = lexicon().units.get(unit)
    if info is None:
        for candidate in lexicon().units.values():
            if candidate.canonical == unit:
                return candidate.kind
        return ""
    return info.kind
