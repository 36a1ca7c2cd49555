"""Sentences and clauses of the repaired text, as (start, end) spans."""
from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|\n|$)")


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


_CLAUSE = re.compile(r"(?:[^，,；;：:“（(《「]|“[^”]*”|（[^）]*）|\([^)]*\)|《[^》]*》|「[^」]*」|[“（(《「])+")


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of one sentence: split at ，；： outside quotes and brackets."""
    spans = []
    for match in _CLAUSE.finditer(text, start, end):
        s, e = match.span()
        while e > s and text[e - 1] in "。！？!?":
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans
