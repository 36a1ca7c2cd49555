"""The immutable records every stage shares: Report, Section, Sentence, Quantity, Task, Term.

All offsets are half-open ``[start, end)`` Python string indices into
``Report.original`` — the text exactly as the user gave it (for a .txt file,
what ``Path.read_text(encoding=...)`` returns, universal newlines applied).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

PartKind = Literal["front", "review", "targets", "plan", "self", "back"]
Role = Literal["target", "achievement"]
Comparator = Literal["=", ">=", "<=", "~", "range"]
TaskKind = Literal["target", "project", "honour", "policy"]
QuantityPeriod = Literal["year", "multi_year", "level"]


@dataclass(frozen=True)
class OffsetMap:
    """Maps an index of the repaired text back to the original text.

    The repaired text is the original with some spans deleted and some
    characters replaced one-for-one, so it is a sequence of runs, each a
    slice of the original at a fixed shift. ``runs`` holds, per run, the
    repaired index where it starts and the original index it comes from.
    """

    repaired_starts: tuple[int, ...]
    original_starts: tuple[int, ...]
    repaired_length: int
    original_length: int

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls((0,), (0,), length, length)

    def to_original(self, index: int) -> int:
        """Original index of the repaired character at ``index`` (or the end)."""
        if index >= self.repaired_length:
            return self.original_length
        run = bisect_right(self.repaired_starts, index) - 1
        return self.original_starts[run] + index - self.repaired_starts[run]

    def spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """``span`` of many spans at once (the same result, less call overhead). Spans that
        come in order of their starts are mapped a run at a time: the run of the span
        before is tried first, and looked up only when the span starts outside it."""
        starts, origins, length = self.repaired_starts, self.original_starts, self.repaired_length
        original_length, runs = self.original_length, len(starts)
        low = high = shift = 0  # the run last looked up: repaired [low, high), original - repaired
        out: list[tuple[int, int]] = []
        append = out.append
        for start, end in spans:
            if start >= length:
                s = original_length
            else:
                if not low <= start < high:
                    run = bisect_right(starts, start) - 1
                    low = starts[run]
                    high = starts[run + 1] if run + 1 < runs else length
                    shift = origins[run] - low
                s = start + shift
            if end <= start:
                append((s, s))
                continue
            last = end - 1
            if last >= length:
                e = original_length
            elif low <= last < high:
                e = end + shift
            else:
                run = bisect_right(starts, last) - 1
                e = origins[run] + end - starts[run]
            append((s, e))
        return out

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering the repaired span ``[start, end)``."""
        if end <= start:
            s = self.to_original(start)
            return s, s
        return self.to_original(start), self.to_original(end - 1) + 1


@dataclass(frozen=True)
class Report:
    """A report as read: the user's text, the repaired text and the map between them."""

    source: str
    format: str
    original: str
    text: str
    offsets: OffsetMap
    warnings: tuple[str, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span(start, end)

    def quote(self, start: int, end: int) -> str:
        """The repaired text of a span given in original offsets."""
        return self.original[start:end]


class Section(NamedTuple):
    """A node of the outline: a part (一、), a sub-part (（一）) or a paragraph. (Section,
    Quantity, Term, Sentence and Task are NamedTuples: a report makes thousands and a frozen
    dataclass costs several times as much to build; they are as immutable.)"""

    level: int  # 1 part, 2 sub-part, 3 paragraph
    number: str  # 一 / （三） / "" for unnumbered
    title: str
    kind: PartKind
    start: int  # original offsets of the whole section
    end: int
    title_start: int
    title_end: int
    rule: str = ""


class Sentence(NamedTuple):
    start: int
    end: int
    part: int  # index into the outline's parts (level 1), -1 before the first
    kind: PartKind


class Quantity(NamedTuple):
    start: int
    end: int
    quote: str
    value: float | None
    unit: str
    comparator: Comparator
    role: Role | None
    indicator: str
    modality: str = ""
    upper: float | None = None  # upper end of a range
    sentence: int = -1
    rule: str = ""
    role_rule: str = ""
    indicator_rule: str = ""  # the naming step that named the indicator (data/naming.toml)
    # "year" (one year's figure), "multi_year" (a total or average over several years) or
    # "level" (a stock or state at a moment): extract.quantity_period
    period: QuantityPeriod = "year"

    def to_json(self) -> dict[str, object]:
        # one unpacking reads the fields faster than one attribute each
        (start, end, quote, value, unit, comparator, role, indicator, modality, upper, _,
         rule, role_rule, indicator_rule, period) = self
        return {
            "start": start, "end": end, "quote": quote, "role": role, "value": value,
            "unit": unit, "comparator": comparator, "indicator": indicator,
            "modality": modality, "upper": upper, "rule": rule, "role_rule": role_rule,
            "indicator_rule": indicator_rule, "period": period,
        }


class Term(NamedTuple):
    """A numbered political formula or slogan (三区三线, 两个确立): a glossary entry."""

    start: int
    end: int
    text: str
    rule: str


class Task(NamedTuple):
    """One commitment clause: a row of the draft 分工方案."""

    start: int
    end: int
    quote: str
    kind: TaskKind
    part: int
    section: str  # outline path, e.g. "七 / 全力稳就业促增收"
    quantities: tuple[int, ...] = ()  # indices into Extraction.quantities
    rule: str = ""
    deadline: str = ""  # 完成时限 as the text states it (年底前, 6月底前); "" when it states none
    due: str = ""  # the last day that deadline allows, ISO (2026-12-31); "" when unknown
    targets: str = ""  # 指标要求: the row's target figures in human notation (增长6%左右)
    lead: str | None = None
    co: tuple[str, ...] = ()
    confidence: float = 0.0
    assign_rules: tuple[str, ...] = ()
    pending: bool = False  # 待定: the suggestion is not clear, a person decides
    why: str = ""  # the lead's duty words, or 待定 with the top three candidates

    def to_json(self) -> dict[str, object]:
        (start, end, quote, kind, _, section, quantities, rule, deadline, due, targets, lead, co,
         confidence, assign_rules, pending, why) = self
        return {
            "start": start, "end": end, "quote": quote, "kind": kind, "section": section,
            "quantities": list(quantities), "rule": rule, "deadline": deadline, "due": due,
            "targets": targets, "lead": lead, "co": list(co), "confidence": confidence,
            "assign_rules": list(assign_rules), "pending": pending, "why": why,
        }


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one report."""

    report: Report
    year: int | None
    outline: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    quantities: tuple[Quantity, ...]
    tasks: tuple[Task, ...]
    terms: tuple[Term, ...]
    warnings: tuple[str, ...] = field(default=())
    # the report proper inside the text as given ([start, end) of Report.original): a scraped
    # page's header, summary, glossary and share lists lie outside it
    report_range: tuple[int, int] | None = None
    # the terms a glossary (名词解释) after the report explains; no quantity is taken from it
    glossary: tuple[Term, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.report.source,
            "format": self.report.format,
            "year": self.year,
            "warnings": list(self.report.warnings + self.warnings),
            "outline": [
                {"level": level, "number": number, "title": title, "kind": kind,
                 "start": start, "end": end}
                for level, number, title, kind, start, end, *_ in self.outline
            ],
            "quantities": [q.to_json() for q in self.quantities],
            "tasks": [t.to_json() for t in self.tasks],
            "terms": [{"start": start, "end": end, "text": text, "rule": rule}
                      for start, end, text, rule in self.terms],
            "report_range": None if self.report_range is None else {
                "start": self.report_range[0], "end": self.report_range[1]},
            "glossary": [{"start": start, "end": end, "text": text, "rule": rule}
                         for start, end, text, rule in self.glossary],
        }
