"""Which series a figure of a 分别 list speaks of.

城镇和农村居民人均可支配收入分别达35512元、25689元: the first figure is the towns', the
second the countryside's; 分别增长7.8% (one figure) or 均增长8% speaks of both. The promise
check compares a figure only with what its own series says. Pure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..rules import load_table
from ._context import words_of

# 均 of 均增长, not of 人均, 年均, 平均, 均衡
_DISTRIBUTIVE = re.compile(r"分别|(?<![人年平户亩])均(?![衡等匀值])")
_ITEM_SPLIT = re.compile(r"[、和及与]|以及")
_SEGMENT_END = "。！？!?\n；;"
# words a 分别 may stand among before its figures (分别同比增长, 分别达到, 年均分别实际增长)
_PREDICATE = re.compile(r"^[^\d，,；;。]{0,12}$")


@dataclass(frozen=True)
class Series:
    """The series a figure speaks of: ``items`` (their names, the shared words given to
    each) and ``spans`` (where each item stands, to leave the others out of a context)."""

    items: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    others: tuple[tuple[int, int], ...]  # the spans of the list's other items


@cache
def _splits() -> tuple[tuple[str, tuple[str, ...]], ...]:
    table = load_table("indicators.toml")
    return tuple((entry["word"], tuple(entry["into"])) for entry in table.get("split", []))


@cache
def _modifiers() -> frozenset[str]:
    return frozenset(load_table("indicators.toml").get("modifiers", []))


def _items(subject: str, offset: int) -> list[tuple[str, int, int]]:
    """The items of a subject list, with their spans: 城镇和农村居民人均可支配收入 ->
    城镇居民人均可支配收入 (0, 2), 农村居民人均可支配收入 (3, 15)."""
    pieces: list[tuple[str, int, int]] = []
    pos = 0
    for match in _ITEM_SPLIT.finditer(subject):
        pieces.append((subject[pos:match.start()], offset + pos, offset + match.start()))
        pos = match.end()
    pieces.append((subject[pos:], offset + pos, offset + len(subject)))
    pieces = [p for p in pieces if p[0]]
    if len(pieces) == 1:
        for word, into in _splits():  # 城乡居民 -> 城镇居民, 农村居民
            at = pieces[0][0].find(word)
            if at >= 0:
                text, s, _ = pieces[0]
                return [(text[:at] + part + text[at + len(word):], s + at, s + at + len(word))
                        for part in into]
        return pieces
    last = pieces[-1][0]
    out = []
    for text, s, e in pieces[:-1]:
        # 城镇和农村居民…: a modifier takes the head of the last item (农村 + 居民…)
        if text in _modifiers() and last[:len(text)] in _modifiers():
            text = text + last[len(text):]
        out.append((text, s, e))
    # the last item's own modifier is as long as the first's
    out.append(pieces[-1])
    return out


def series_of(text: str, start: int, end: int, figures: list[tuple[int, int]]) -> Series | None:
    """The series of the figure ``text[start:end]`` if it stands in a 分别/均 list; ``figures``
    are the spans of every figure of the text (sorted), to find the list's other figures."""
    seg = max(text.rfind(c, 0, start) for c in _SEGMENT_END) + 1
    head = text[seg:start]
    marks = list(_DISTRIBUTIVE.finditer(head))
    if not marks:
        return None
    last = marks[-1]
    # between the last 分别 and the figure: a predicate and the list's earlier figures only
    between = text[seg + last.end():start]
    between_bare = between
    for f0, f1 in figures:
        if seg + last.end() <= f0 and f1 <= start:
            between_bare = between_bare.replace(text[f0:f1], "")
    if not _PREDICATE.match(re.sub(r"[、和及与，,]", "", between_bare)):
        return None
    # the subject: the words before the nearest 分别 in its clause, after any figure; when that
    # clause has none (城镇和农村居民收入分别达35512元、25689元，分别同比增长7.8%), the subject
    # of the 分别 before it
    subject, subject_offset = "", 0
    for mark in reversed(marks):
        at = seg + mark.start()
        subject_start = max(max(text.rfind(c, seg, at) for c in "，,：:") + 1, seg)
        for f0, f1 in figures:
            if subject_start <= f0 and f1 <= at:
                subject_start = f1
        if any(len(w) >= 2 for w in words_of(text[subject_start:at])):
            subject, subject_offset = text[subject_start:at], subject_start
            break
    subject = subject.strip("，,：: ")
    if not subject or len(subject) > 40:
        return None
    items = _items(subject, subject_offset)
    if len(items) < 2:
        return None
    # the figures after the last 分别 up to the clause end: the list the figure belongs to
    clause_end = min([i for i in (text.find(c, start, len(text)) for c in "，,；;。\n") if i >= 0]
                     + [len(text)])
    group = [(f0, f1) for f0, f1 in figures if seg + last.end() <= f0 and f1 <= clause_end]
    if (start, end) not in group:
        return None
    index = group.index((start, end))
    spans = tuple((s, e) for _, s, e in items)
    if len(group) == 1:
        return Series(tuple(t for t, _, _ in items), spans, ())
    if len(group) == len(items):
        own = items[index]
        others = tuple(span for i, span in enumerate(spans) if i != index)
        return Series((own[0],), ((own[1], own[2]),), others)
    return None
