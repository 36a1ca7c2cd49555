"""Commitment clauses of the plan parts -> tasks, the rows of a draft 分工方案."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from ..models import Quantity, Report, Task
from ..rules import alternation, load_table
from ..structure import Outline, clause_spans

_PLAN_KINDS = ("plan", "targets", "self")
_ADVERBS = re.compile(r"^(要|将|还要|继续|进一步|同时|并|全年|今年|年内|大力|积极|着力|切实|持续|不断|加快|全力|"
                      r"认真|扎实|深入|稳步|有序|努力|力争|确保|全面|统筹|坚决|一是|二是|三是|四是|五是|六是|"
                      r"七是|八是|九是|十是|其中)*")


@cache
def _rules() -> tuple[re.Pattern[str], list[tuple[str, str, re.Pattern[str]]], re.Pattern[str]]:
    table = load_table("tasks.toml")
    verbs = [w for entry in table["verbs"] for w in entry["words"]]
    verb_re = re.compile(f"^({alternation(verbs)})")
    kinds = [(e["id"], e["kind"], e["compiled"]) for e in table["kind"]]
    principle = table["principle"][0]["compiled"]
    return verb_re, kinds, principle


def find_tasks(report: Report, outline: Outline, sentences: list[tuple[int, int]],
               quantities: list[Quantity]) -> list[Task]:
    verb_re, kinds, principle = _rules()
    text = report.text
    lead_titles = {(b.title_start, b.title_end) for b in outline.leads}
    lead_starts = {b.title_start: b.title_end for b in outline.leads}
    headings = {p.start for p in outline.parts} | {b.start for b in outline.subparts}
    starts = [q.start for q in quantities]
    tasks: list[Task] = []
    for s, e in sentences:
        if s in headings or outline.kind_at(s) not in _PLAN_KINDS:
            continue
        if s in lead_starts and lead_starts[s] >= e:
            continue  # the paragraph's lead sentence is a heading, not a row
        rows: list[list[int]] = []
        for cs, ce in clause_spans(text, s, e):
            clause = text[cs:ce]
            body = _ADVERBS.sub("", clause)
            if principle.search(clause) and len(clause) < 30:
                continue
            if verb_re.search(body) or verb_re.search(clause) or not rows:
                if verb_re.search(body) or verb_re.search(clause) or re.search(r"\d", clause):
                    rows.append([cs, ce])
            else:
                rows[-1][1] = ce  # a clause without its own verb continues the row
        for cs, ce in rows:
            if ce - cs < 4 or (cs, ce) in lead_titles:
                continue
            tasks.append(_task(report, outline, cs, ce, quantities, starts, kinds))
    return tasks


def _task(report: Report, outline: Outline, cs: int, ce: int, quantities: list[Quantity],
          starts: list[int], kinds: list[tuple[str, str, re.Pattern[str]]]) -> Task:
    os_, oe = report.span(cs, ce)
    first = bisect_left(starts, os_)
    inside = tuple(i for i in range(first, bisect_left(starts, oe)) if quantities[i].end <= oe)
    clause = report.text[cs:ce]
    kind, rule = "policy", "task.kind.policy"
    if any(quantities[i].role == "target" for i in inside):
        kind, rule = "target", "task.kind.target"
    else:
        for rule_id, k, regex in kinds:
            if regex.search(clause):
                kind, rule = k, rule_id
                break
    part = outline.part_at(cs)
    path = []
    if part >= 0:
        path.append(outline.parts[part].number or outline.parts[part].title[:12])
    for block in outline.subparts + outline.leads:
        if block.start <= cs < block.end:
            path.append(block.title[:16])
    return Task(os_, oe, report.original[os_:oe], kind, part, " / ".join(path),  # type: ignore[arg-type]
                inside, rule)
