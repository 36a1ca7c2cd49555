"""Tasks -> suggested lead and co-responsible departments, from the task's words (rules as data)."""
from __future__ import annotations

import re
import tomllib
import weakref
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..errors import RuleError
from ..models import Extraction, Task
from ..rules import load_table
from ..structure import identify_government
from ._catalogues import Catalogue as Catalogue2
from ._catalogues import OfficeUnit, catalogue_for, catalogue_from_rows, load_directory
from ._suggest import Suggestion as DutySuggestion
from ..rules import words_pattern as _trie
from ._suggest import suggest

__all__ = ["Catalogue", "Department", "DutySuggestion", "OfficeUnit", "StandardCatalogue",
           "Suggestion", "assign_tasks", "catalogue_for", "catalogue_from_rows", "load_catalogue",
           "load_directory", "stated_units", "suggest", "suggest_departments"]

StandardCatalogue = Catalogue2  # units with duties: catalogue_for, catalogue_from_rows

_ASSIGNED = Task._fields.index("lead")  # lead, co, confidence, assign_rules, pending, why last
LEVEL_PREFIX = {"district": "区", "county": "县", "city": "市", "province": "省"}


@dataclass(frozen=True)
class Department:
    key: str
    name: str
    short: tuple[str, ...]
    function: str

    @property
    def display(self) -> str:
        """The short form real plans use (区人社局), else the full name."""
        return self.short[0] if self.short else self.name


@dataclass(frozen=True)
class Suggestion:
    lead: Department | None
    co: tuple[Department, ...]
    confidence: float
    rules: tuple[str, ...]


class Catalogue:
    """Departments of one government, found by full name, short form or function."""

    def __init__(self, departments: list[Department], level: str | None = None) -> None:
        self.departments = departments
        self.level = level  # the standard list of this level (load_catalogue); None: an office's
        self._by_name: dict[str, Department] = {}
        for dept in departments:
            for alias in (dept.name, *dept.short):
                self._by_name[_normal(alias)] = dept
        self._by_function: dict[str, Department] = {}
        for dept in departments:
            self._by_function.setdefault(dept.function, dept)

    def find(self, name: str) -> Department | None:
        """A department by its full name or any short form (white space ignored)."""
        return self._by_name.get(_normal(name))

    def by_function(self, function: str) -> Department | None:
        return self._by_function.get(function)

    def __iter__(self) -> Iterator[Department]:
        return iter(self.departments)

    def __len__(self) -> int:
        return len(self.departments)


def _normal(name: str) -> str:
    return re.sub(r"\s+", "", name)


def load_catalogue(level: str = "district", path: str | Path | None = None) -> Catalogue:
    """The default catalogue (a district's), or one derived by prefix for a city, county or
    province, the State Council's ministries (``national``), or an edited copy at ``path``."""
    if path is not None:
        try:
            table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RuleError(str(path), str(exc)) from None
    else:
        table = load_table("departments.toml")
    base = table.get("prefix", "区")
    prefix = LEVEL_PREFIX.get(level, base)
    departments = []
    for entry in table["department"]:
        for key in ("id", "name", "function"):
            if key not in entry:
                raise RuleError(str(path or "duban/data/departments.toml"),
                                f"部门条目缺少 {key} (department without {key})")
        override = entry.get("names", {}).get(level)
        if level == "national" and not override:
            continue  # the State Council has no such department (街道, 投促局 …)
        name = override or _swap(entry["name"], base, prefix)
        if level in entry.get("shorts", {}):
            short = tuple(entry["shorts"][level])
        elif override:
            short = ()  # a level's own name: the derived short forms would not be its
        else:
            short = tuple(_swap(s, base, prefix) for s in entry.get("short", []))
        departments.append(Department(key=entry["id"], name=name, short=short,
                                      function=entry["function"]))
    return Catalogue(departments, level=None if path is not None else level)


def _swap(name: str, base: str, prefix: str) -> str:
    if base == prefix:
        return name
    return re.sub(rf"(^|国家税务总局|各){base}", lambda m: m.group(1) + prefix, name, count=1)


@dataclass(frozen=True)
class _Rules:
    """The rules of assign.toml, and one scan of a text that finds every rule's words."""

    rules: tuple[tuple[str, str, tuple[str, ...], float], ...]  # id, lead, co, weight
    scan: re.Pattern[str]  # the longest word of any rule that starts where it is tried
    # longest word at a position -> (rule, length of that rule's longest word there)
    found: dict[str, tuple[tuple[int, int], ...]]
    # longest word -> where inside it another word may start (and so must be looked for)
    inner: dict[str, tuple[int, ...]]


@cache
def _rules() -> _Rules:
    rules, words_of = [], []
    for entry in load_table("assign.toml")["rule"]:
        rules.append((entry["id"], entry["lead"], tuple(entry.get("co", [])),
                      float(entry.get("weight", 1))))
        words_of.append(frozenset(entry["words"]))
    every: frozenset[str] = frozenset().union(*words_of)
    # the words at a position are the prefixes (that are words) of the longest one there
    found = {
        longest: tuple((i, max(len(w) for w in words if longest.startswith(w)))
                       for i, words in enumerate(words_of)
                       if any(longest.startswith(w) for w in words))
        for longest in every}
    # a word may start inside another where the rest of that one begins a word, or a word
    # begins it (养老保险 holds 保险 …)
    inner = {
        longest: tuple(k for k in range(1, len(longest))
                       if any(w.startswith(longest[k:]) or longest.startswith(w, k) for w in every))
        for longest in every}
    return _Rules(tuple(rules), re.compile(_trie(every)), found, inner)


def _hits(text: str, rules: _Rules) -> dict[int, int]:
    """Per rule that fires, the non-overlapping occurrences of its words (leftmost, longest
    first): what a regex of the rule's words would find, for every rule from one scan.

    The scan reads the longest word at each position where one starts. It skips what a word
    it found covers (the regex engine then jumps to the next character that begins a word),
    so the few places inside that word where another may start are read apart."""
    hits: dict[int, int] = {}
    free: dict[int, int] = {}  # where the rule's next occurrence may start
    found, inner, read_at = rules.found, rules.inner, rules.scan.match
    for match in rules.scan.finditer(text):
        start, longest = match.start(), match.group()
        words = [(start, longest)]
        for offset in inner[longest]:
            within = read_at(text, start + offset)
            if within is not None:
                words.append((start + offset, within.group()))
        for pos, word in words:
            for i, length in found[word]:
                if pos >= free.get(i, 0):
                    hits[i] = hits.get(i, 0) + 1
                    free[i] = pos + length
    return hits


_Decision = tuple["Department | None", tuple["Department", ...], float, tuple[str, ...]]
_UNDECIDED: _Decision = (None, (), 0.0, ())


def _decide(text: str, catalogue: Catalogue, rules: _Rules) -> _Decision:
    """Lead, co-responsible units, confidence and the rules that fired (suggest_departments
    without the Suggestion object: assign_tasks decides tens of thousands of tasks)."""
    hits = _hits(text, rules)
    if not hits:
        return _UNDECIDED
    votes: dict[str, float] = {}
    fired: list[str] = []
    co_votes: dict[str, float] = {}
    for i in sorted(hits):  # in the order of the rules: it breaks ties
        rule_id, lead_function, co_functions, weight = rules.rules[i]
        fired.append(rule_id)
        votes[lead_function] = votes.get(lead_function, 0.0) + weight * min(hits[i], 2)
        for function in co_functions:
            co_votes[function] = co_votes.get(function, 0.0) + weight
    ranked = sorted(votes, key=votes.__getitem__, reverse=True)  # stable: rule order breaks ties
    lead_function = ranked[0]
    by_function = catalogue.by_function
    lead = by_function(lead_function)
    lead_display = lead.display if lead is not None else None
    # a catalogue holds one Department per function: a function taken is its department taken
    co: list[Department] = []
    taken = {lead_function}
    for function in ranked[1:] + [f for f in co_votes if f != lead_function]:
        if function in taken:
            continue
        dept = by_function(function)
        if dept is not None and dept is not lead and dept.display != lead_display:
            co.append(dept)
            taken.add(function)
            if len(co) == 3:
                break
    return lead, tuple(co), round(votes[lead_function] / sum(votes.values()), 2), tuple(fired)


def suggest_departments(text: str, catalogue: Catalogue) -> Suggestion:
    """Lead and co-responsible units for a task, with the confidence and the rules that fired."""
    return Suggestion(*_decide(text, catalogue, _rules()))


_STATED = re.compile(r"[（(]?(?:牵头(?:责任)?单位|责任单位|主办单位|牵头部门|责任部门)[：:]\s*"
                     r"([^）)；;。\n]{2,80})")
_BY = re.compile(r"由([^，。；、由]{2,20}?)(?:牵头|负责)")
_CO_STATED = re.compile(r"(?:配合单位|协办单位|参与单位|责任单位)[：:]\s*([^）)；;。\n]{2,120})")
_SPLIT_UNITS = re.compile(r"[、，,/]|和(?=[\u4e00-\u9fff]{2,}(?:局|委|办|厅|部|中心|政府))")


def stated_units(text: str, start: int, end: int) -> tuple[str, ...]:
    """The units the text itself names for the row at ``start:end`` — （牵头单位：市教育局；责任单位：
    …）, 由市住建局牵头 — looked for in the row and after it up to the end of its line: the lead
    first, then the co-responsible units; () when the text names none."""
    stop = text.find("\n", end)
    window = text[start:stop if stop >= 0 else len(text)]
    lead = _STATED.search(window) or _BY.search(window)
    if lead is None:
        return ()
    names = [n for n in _SPLIT_UNITS.split(lead.group(1)) if n.strip()]
    for co in _CO_STATED.finditer(window, lead.end()):
        names += [n for n in _SPLIT_UNITS.split(co.group(1)) if n.strip()]
    return tuple(dict.fromkeys(re.sub(r"\s+|等$", "", n) for n in names))


_office_catalogues: "weakref.WeakKeyDictionary[Catalogue, dict[tuple[str, int | None, str], Catalogue2]]" = \
    weakref.WeakKeyDictionary()


def _catalogue(extraction: Extraction, catalogue: Catalogue | Catalogue2 | None,
               level: str | None) -> Catalogue2:
    """The catalogue a report's rows are suggested from: an office's own (given), else the
    standard one of the report's level, year and government (the level the report's opening
    names; ``level`` or a standard catalogue's level when it names none)."""
    if isinstance(catalogue, Catalogue2):
        return catalogue
    government, named = identify_government(extraction.report.text)
    if isinstance(catalogue, Catalogue) and catalogue.level is None:
        # a ledger's own list of departments: its names, with the standard duties
        by_report = _office_catalogues.setdefault(catalogue, {})
        key = (named or level or "district", extraction.year, government)
        found = by_report.get(key)
        if found is None:
            rows = [OfficeUnit(name=d.name, short=d.short, function=d.function) for d in catalogue]
            found = by_report[key] = catalogue_from_rows(
                rows, key[0], extraction.year, government=government or None, strict=False)
        return found
    hint = catalogue.level if isinstance(catalogue, Catalogue) else level
    return catalogue_for(named or hint or "district", extraction.year,
                         government=government or None)


def _contexts(extraction: Extraction) -> tuple[list[int], list[tuple[str, ...]]]:
    """(start, headings) of the stretches between outline boundaries: the sub-part heading and
    the paragraph lead a row stands under (what a clerk reads above it)."""
    blocks = [s for s in extraction.outline if s.level in (2, 3)]
    bounds = sorted({0} | {b.start for b in blocks} | {b.end for b in blocks})
    out = []
    for pos in bounds:
        out.append(tuple(b.title for b in blocks if b.start <= pos < b.end))
    return bounds, out


def assign_tasks(extraction: Extraction, catalogue: Catalogue | Catalogue2 | None = None, *,
                 level: str | None = None) -> Extraction:
    """The extraction with a suggested lead, co-responsible units and the reason on every task.

    The units the text names for a row (（牵头单位：…）, 由…牵头) are taken as they stand. Otherwise
    ``suggest`` scores the row's words against every unit's duties (三定职责), with the headings
    it stands under as weak context; the top candidate is the lead, and where the choice is not
    clear the row is marked pending (待定) with the top three candidates and the words that
    matched. ``catalogue``: an office's own (``catalogue_from_rows``, ``load_directory``, or a
    ledger's list of departments) or a standard one; by default the standard catalogue of the
    report's level, year and government (see ``_catalogue``).
    """
    units = _catalogue(extraction, catalogue, level)
    text = extraction.report.original
    bounds, contexts = _contexts(extraction)
    tasks = []
    for task in extraction.tasks:
        stated = stated_units(text, task.start, task.end)
        if stated:
            named = [units.find(n) for n in stated]
            names = [u.display if u is not None else n for u, n in zip(named, stated)]
            assigned: tuple[object, ...] = (names[0], tuple(names[1:4]), 1.0, ("task.stated",),
                                            False, "报告写明（牵头单位：" + names[0] + "）")
        else:
            heads = contexts[bisect_right(bounds, task.start) - 1]
            heads = tuple(h for h in heads if not task.quote.startswith(h[:8]))
            found = suggest(task.quote, heads, units)
            best = found.candidates[0] if found.candidates else None
            assigned = (found.lead.display if found.lead else None,
                        tuple(u.display for u in found.co), found.confidence,
                        tuple(f"duty.{d}" for d in best.duties) if best else (),
                        found.pending, found.why())
        tasks.append(_new(Task, (*task[:_ASSIGNED], *assigned)))
    return replace(extraction, tasks=tuple(tasks))


_new = tuple.__new__
