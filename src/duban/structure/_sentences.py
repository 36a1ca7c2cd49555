"""Sentences and clauses of the repaired text, as (start, end) spans."""
from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|\n|$)")
_CLAUSE_MARK = re.compile(r"[，,；;：:“‘《（(「【”’》）)」】]")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]``: ended by 。！？ or a line end; blank ones dropped."""
    end = len(text) if end is None else end
    spans = []
    for match in _SENTENCE.finditer(text, start, end):
        s, e = match.span()
        if e > s:
            stripped_end = e
            while stripped_end > s and text[stripped_end - 1] == "\n":
                stripped_end -= 1
            if stripped_end > s:
                spans.append((s, stripped_end))
        if e >= end:
            break
    return spans


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of one sentence: split at ，；： outside quotes and brackets."""
    spans = []
    depth = 0
    cursor = start
    for match in _CLAUSE_MARK.finditer(text, start, end):
        ch = match.group()
        i = match.start()
        if ch in "“‘《（(「【":
            depth += 1
        elif ch in "”’》）)」】":
            depth = max(0, depth - 1)
        elif depth == 0:
            if i > cursor:
                spans.append((cursor, i))
            cursor = i + 1
    tail = end
    while tail > cursor and text[tail - 1] in "。！？!?":
        tail -= 1
    if tail > cursor:
        spans.append((cursor, tail))
    return spans
