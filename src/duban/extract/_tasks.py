"""Commitment clauses of the plan parts -> tasks, the rows of a draft 分工方案."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from typing import NamedTuple

from ..models import Quantity, Report, Task
from ..rules import load_table
from ..structure import CLAUSE, Outline
from ._deadlines import find_deadline
from ..rules import words_pattern

_PLAN_KINDS = ("plan", "targets", "self")
_DIGIT = re.compile(r"\d")
# a figure, not a date (2018年, 6月底前), an ordinal (第3届) nor a list number (1. 2、)
_FIGURE = re.compile(r"(?<![\d.第])\d+(?:\.\d+)?(?![\d.．、]|\s*(?:年|月|日|号|季度))")
_ADVERBS = re.compile(r"^(要|将|还要|继续|进一步|同时|并|全年|今年|年内|大力|积极|着力|切实|持续|不断|加快|全力|"
                      r"多渠道|多措并举|分类|逐步|有效|常态化|精心|"
                      r"认真|扎实|深入|稳步|有序|努力|力争|确保|全面|统筹|坚决|一是|二是|三是|四是|五是|六是|"
                      r"七是|八是|九是|十是|其中)*")


def _at_start(pattern: str) -> re.Pattern[str]:
    """A rule written with ^ anchors, for ``match(text, start, end)`` (no slicing)."""
    return re.compile(pattern.lstrip("^").replace("|^", "|"))


_Kind = tuple[str, str, re.Pattern[str], "re.Pattern[str] | None", re.Pattern[str]]


class _TaskRules(NamedTuple):
    verb: re.Pattern[str]
    kinds: list[_Kind]
    triggers: re.Pattern[str]  # a character that one of the kinds needs
    principle: re.Pattern[str]
    context: re.Pattern[str]
    aim: re.Pattern[str]
    exhortation: re.Pattern[str]
    framing: re.Pattern[str]  # the 总体要求 paragraph: no rows
    headline: re.Pattern[str]  # 主要预期目标是： one row per indicator after it
    qualifier: re.Pattern[str]  # a headline clause that qualifies the indicator before it
    programme: re.Pattern[str]  # a one-clause sentence naming a programme: a heading
    framing_part: re.Pattern[str]  # a part that frames the year (总体要求和政策取向)


@cache
def _rules() -> _TaskRules:
    table = load_table("tasks.toml")
    verbs = [w for entry in table["verbs"] for w in entry["words"]]
    # a clause is a row when an action verb opens it, after any leading adverbs
    verb_re = re.compile(f"(?:{_ADVERBS.pattern[1:]})({words_pattern(verbs)})")
    kinds = [(e["id"], e["kind"], e["compiled"], re.compile(e["unless"]) if "unless" in e else None,
              re.compile(f"[{re.escape(e['triggers'])}]")) for e in table["kind"]]
    triggers = re.compile(f"[{re.escape(''.join(e['triggers'] for e in table['kind']))}]")
    principle = _at_start(table["principle"][0]["regex"])
    context = table["context"][0]["compiled"]
    aim = _at_start(table["aim"][0]["regex"])
    exhortation = table["exhortation"][0]["compiled"]
    return _TaskRules(verb_re, kinds, triggers, principle, context, aim, exhortation,
                      _at_start(table["framing"][0]["regex"]), table["headline"][0]["compiled"],
                      _at_start(table["qualifier"][0]["regex"]), table["programme"][0]["compiled"],
                      table["framing_part"][0]["compiled"])


def _headline_rows(text: str, start: int, end: int, rules: _TaskRules) -> list[tuple[int, int]]:
    """The 主要预期目标 sentence after its lead-in: one row per indicator (clause), the clauses
    that qualify an indicator (达到282亿元, 在实际工作中努力争取更好结果) kept in its row."""
    rows: list[list[int]] = []
    for clause in CLAUSE.finditer(text, start, end):
        cs, ce = clause.span()
        while ce > cs and text[ce - 1] in "。！？!?；;，,":
            ce -= 1
        while cs < ce and text[cs] in "是：:":
            cs += 1
        if ce - cs < 2:
            continue
        if rows and rules.qualifier.match(text, cs, ce):
            rows[-1][1] = ce
        else:
            rows.append([cs, ce])
    return [(cs, ce) for cs, ce in rows]


def find_tasks(report: Report, outline: Outline, sentences: list[tuple[int, int]],
               kinds_of_sentences: list[str], quantities: list[Quantity],
               year: int | None = None) -> list[Task]:
    """Rows of the plan: commitment clauses of the sentences whose part is a plan part, each
    with the deadline it states (``year``: the report's, for 年底前) and its 指标要求."""
    rules = _rules()
    verb_re, kinds, principle, context = rules.verb, rules.kinds, rules.principle, rules.context
    text = report.text
    lead_titles = {(b.title_start, b.title_end) for b in outline.leads}
    lead_starts = {b.title_start: b.title_end for b in outline.leads}
    headings = {p.start for p in outline.parts} | {b.start for b in outline.subparts}
    starts = [q.start for q in quantities]
    paths = _Paths(outline)
    found: list[tuple[int, int, tuple[int, str], bool]] = []  # …, a headline indicator
    # bound once: this loop sees every clause of every plan sentence
    principle_match, aim_match = principle.match, rules.aim.match
    exhortation_search, verb_match = rules.exhortation.search, verb_re.match
    digit_search, clauses = _FIGURE.search, CLAUSE.finditer
    framing_match, headline_search = rules.framing.match, rules.headline.search
    programme_search = rules.programme.search
    skip_until = headline_until = -1
    frame_parts = [(p.start, p.end) for p in outline.parts if rules.framing_part.search(p.title)]
    for (s, e), sentence_kind in zip(sentences, kinds_of_sentences):
        if sentence_kind not in _PLAN_KINDS or s in headings:
            continue
        if s < headline_until and (e - s <= 40 or digit_search(text, s, e)):
            # the list of main targets goes on in its paragraph: one row per indicator
            found += [(cs, ce, paths(s), True) for cs, ce in _headline_rows(text, s, e, rules)]
            continue
        headline_until = -1
        headline = headline_search(text, s, e)
        if headline is not None:
            found += [(cs, ce, paths(s), True) for cs, ce in _headline_rows(text, headline.end(),
                                                                            e, rules)]
            newline = text.find("\n", e)
            headline_until = newline if newline >= 0 else len(text)
            continue
        if s in lead_starts and lead_starts[s] >= e and not digit_search(text, s, e):
            continue  # the paragraph's lead sentence is a heading, not a row (unless it has a figure)
        if s < skip_until:
            continue  # the rest of a 总体要求 paragraph
        if frame_parts and any(fs <= s < fe for fs, fe in frame_parts):
            continue  # the 总体要求 part: only its headline targets are rows
        if framing_match(text, s, e):
            newline = text.find("\n", s)
            skip_until = newline if newline >= 0 else len(text)
            continue
        if context.match(text, s, e):
            continue
        if (e - s <= 24 and programme_search(text, s, e) and not _DIGIT.search(text, s, e)
                and text.find("\n", e, e + 2) < 0 and e < len(text)):
            continue  # 实施道路畅通工程。 heads the sentences after it in its paragraph
        rows: list[list[int]] = []
        row_has_figure = False
        for clause in clauses(text, s, e):
            cs, ce = clause.span()
            while ce > cs and text[ce - 1] in "。！？!?":
                ce -= 1
            if ce == cs or (ce - cs < 30 and principle_match(text, cs, ce)):
                continue
            figure = digit_search(text, cs, ce) is not None
            if rows and not figure and aim_match(text, cs, ce):
                rows[-1][1] = ce  # the aim of the clause before: same row
                continue
            if sentence_kind == "self" and not figure and exhortation_search(text, cs, ce):
                continue
            if verb_match(text, cs, ce) or (figure and (row_has_figure or not rows)):
                # a clause that opens with an action verb is a row; so is a second figure
                # (…参保率在95%以上、…参保登记率达98%: two targets, two departments) and a
                # figure whose clause opens with its subject (一般公共预算收入增长6%)
                rows.append([cs, ce])
                row_has_figure = figure
            elif rows:
                rows[-1][1] = ce  # a clause without its own verb continues the row
                row_has_figure = row_has_figure or figure
        where = paths(s)  # one outline path for all the rows of a sentence
        for cs, ce in rows:
            if ce - cs >= 4 and (cs, ce) not in lead_titles:
                found.append((cs, ce, where, False))
    spans = report.offsets.spans([(cs, ce) for cs, ce, _, _ in found])
    original, count = report.original, len(starts)
    any_trigger = rules.triggers.search
    tasks: list[Task] = []
    first = 0  # the first quantity that starts at or after the task (tasks come in order)
    for (cs, ce, (part, path), headline_row), (os_, oe) in zip(found, spans):
        while first < count and starts[first] < os_:
            first += 1
        if first and starts[first - 1] >= os_:
            first = bisect_left(starts, os_)  # (a task before the one before: look it up)
        inside: tuple[int, ...] = ()
        if first < count and starts[first] < oe:
            last = bisect_left(starts, oe, first)
            inside = tuple(i for i in range(first, last) if quantities[i].end <= oe)
        kind, rule = "policy", "task.kind.policy"
        if headline_row:
            kind, rule = "target", "task.kind.headline"  # a headline indicator, figure or not
        elif inside and any(quantities[i].role == "target" for i in inside):
            kind, rule = "target", "task.kind.target"
        elif any_trigger(text, cs, ce):
            for rule_id, k, regex, unless, triggers in kinds:
                if not triggers.search(text, cs, ce):
                    continue
                words = text[cs:ce]
                if regex.search(words) and not (unless and unless.search(words)):
                    kind, rule = k, rule_id
                    break
        due = find_deadline(text, year, cs, ce) if year is not None else None
        targets = "；".join(_human(quantities[i]) for i in inside if quantities[i].role == "target")
        # (tuple.__new__ builds the NamedTuple without its Python-level __new__: every field given)
        tasks.append(_new(Task, (os_, oe, original[os_:oe], kind, part, path, inside, rule,
                                 due.text if due else "", due.day.isoformat() if due else "",
                                 targets, None, (), 0.0, (), False, "")))
    return tasks


_new = tuple.__new__


def _human(quantity: Quantity) -> str:
    """指标要求 of one target as a clerk writes it: the indicator, then the figure as the text
    says it (地区生产总值增长6%左右)."""
    quote = "".join(quantity.quote.split())
    indicator = "".join(quantity.indicator.split())
    if not indicator or indicator in quote:
        return quote
    return indicator + quote


class _Paths:
    """The outline path of a position (part / sub-part / paragraph lead). The path is the
    same between two consecutive block boundaries, so one bisection finds it in a cache."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.cache: dict[int, tuple[int, str]] = {}
        self.levels = []
        bounds = {p.start for p in outline.parts}
        for group in (outline.subparts, outline.leads):
            blocks = sorted(group, key=lambda b: b.start)
            self.levels.append(([b.start for b in blocks], blocks))
            bounds.update(b.start for b in blocks)
            bounds.update(b.end for b in blocks)
        self.bounds = sorted(bounds)

    def __call__(self, pos: int) -> tuple[int, str]:
        key = bisect_right(self.bounds, pos)
        cached = self.cache.get(key)
        if cached is None:
            cached = self.cache[key] = self._path(pos)
        return cached

    def _path(self, pos: int) -> tuple[int, str]:
        part = self.outline.part_at(pos)
        path = []
        if part >= 0:
            p = self.outline.parts[part]
            path.append(p.number or p.title[:12])
        for starts, blocks in self.levels:
            i = bisect_right(starts, pos) - 1
            if i >= 0 and blocks[i].start <= pos < blocks[i].end:
                path.append(blocks[i].title[:16])
        return part, " / ".join(path)
