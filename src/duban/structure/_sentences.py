"""Sentences and clauses of the repaired text, as (start, end) spans."""
from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*)?|[。！？!?]+[”’」』）)]*")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]``: ended by 。！？ (with a closing quote) or a line end."""
    end = len(text) if end is None else end
    return [m.span() for m in _SENTENCE.finditer(text, start, end)]


# a clause: text up to ，；： with quotes and brackets kept whole
CLAUSE = re.compile(r"(?:[^，,；;：:“（(《「]+|“[^”]*”|（[^）]*）|\([^)]*\)|《[^》]*》|「[^」]*」|[“（(《「])+")


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of one sentence: split at ，；： outside quotes and brackets."""
    spans = []
    for match in CLAUSE.finditer(text, start, end):
        s, e = match.span()
        while e > s and text[e - 1] in "。！？!?":
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans
