"""Repair what PDF and web copies break, keeping a map back to the original text.

Every repair either deletes a span of the original or replaces a character
one-for-one, so the repaired text is a sequence of runs of the original and
``OffsetMap`` maps any repaired index back in O(log runs).
"""
from __future__ import annotations

import re
import string
from collections import Counter
from functools import cache

from ..models import OffsetMap
from ..rules import load_table

# full-width digits, letters and a few signs -> ASCII (one character for one)
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update({"％": "%", "．": ".", "＋": "+", "\f": "\n",
                   "／": "/", "＜": "<", "＞": ">", "＝": "="})
_TRANSLATE = str.maketrans(_FULLWIDTH)
# runs of characters to translate: str.translate walks the whole text through a dict, a
# regex finds the few runs that need it (ten times faster on these reports). Written c c*,
# not c+: a pattern that opens with a repeat has no first-character filter, so the regex
# engine would try a whole match at every position instead of skipping to the next c
_FULLWIDTH_CLASS = "[" + "".join(re.escape(c) for c in _FULLWIDTH) + "]"
_TRANSLATABLE = re.compile(f"{_FULLWIDTH_CLASS}{_FULLWIDTH_CLASS}*")

_TERMINAL = set("。！？；：…”」』）)!?;:")
_HSPACE = re.compile(r"[^\S\n][^\S\n]*")  # (c c*: see _TRANSLATABLE)
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)
# zero-width characters, and a line of nothing else: a web page's broken inline element
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}][{_ZERO_WIDTH_CHARS}]*")
_ZERO_WIDTH_LINE = re.compile(rf"\n[^\S\n]*[{_ZERO_WIDTH_CHARS}]+[^\S\n]*\n")
# a subscript on a line of its own: PM\n2.5\n年均浓度, M\n2\n增长. The pattern opens with
# the newline and looks behind after it, so the regex engine skips ahead to newlines
# instead of trying every position of the text.
_SUBSCRIPT_LINE = re.compile(r"\n(?<=[A-Za-z]\n)[0-9.]{1,6}\n(?=[^\s])")


_FURNITURE_MAX = 80  # furniture is a short line; a paragraph of the report is never one


@cache
def _furniture() -> tuple[frozenset[str], re.Pattern[str]]:
    table = load_table("furniture.toml")
    lines = frozenset(t for entry in table.get("line", []) for t in entry["texts"])
    combined = re.compile("|".join(f"(?:{entry['regex']})" for entry in table.get("pattern", []))
                          or "(?!)")
    return lines, combined


def _is_furniture(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _FURNITURE_MAX:
        return False
    exact, patterns = _furniture()
    if stripped in exact or patterns.search(stripped):
        return True
    return " " in stripped and "".join(stripped.split()) in exact


def repair_text(original: str, fmt: str) -> tuple[str, OffsetMap]:
    """Repaired text and its map to ``original``."""
    pages = original.count("\f") + 1
    translated = _TRANSLATABLE.sub(lambda m: m.group().translate(_TRANSLATE), original)
    deletions: list[tuple[int, int]] = []
    if translated.startswith("\ufeff"):
        deletions.append((0, 1))

    # line level: furniture, page numbers, running headers, hard wraps
    lines: list[tuple[int, int]] = []  # (start, end) without the newline
    pos = 0
    for line in translated.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    kept: list[tuple[int, int]] = []
    headers = _running_headers(translated, lines, pages) if pages >= 3 else set()
    # a subscript a web page put on a line of its own (PM\n2.5\n年均浓度, M\n2\n增长) is
    # joined to its neighbours, and is not a page number
    subscript_lines = set()
    for m in _SUBSCRIPT_LINE.finditer(translated):
        deletions += [(m.start(), m.start() + 1), (m.end() - 1, m.end())]  # the two newlines
        subscript_lines.add(m.start() + 1)
    for start, end in lines:
        line = translated[start:end]
        if start in subscript_lines:
            continue
        if _is_furniture(line) or line.strip() in headers:
            deletions.append((start, min(end + 1, len(translated))))
        elif line.strip():
            kept.append((start, end))
    deletions.extend(_hard_wraps(translated, kept))

    # horizontal white space inside Chinese text goes (家门 口, 1.6 万人, “K- 15”); between
    # two Latin letters or digits one space stays
    size = len(translated)
    for match in _HSPACE.finditer(translated):
        s, e = match.span()
        if s > 0 and e < size and translated[s - 1] in _ASCII_ALNUM and translated[e] in _ASCII_ALNUM:
            if e - s > 1:
                deletions.append((s + 1, e))
            continue
        deletions.append((s, e))
    # zero-width characters; a line of nothing else is where a web page broke an inline
    # element (74.4\n\u200b\n万亿元), so the line breaks around it go too
    if any(c in translated for c in _ZERO_WIDTH_CHARS):  # (str search is faster than a regex)
        deletions.extend(m.span() for m in _ZERO_WIDTH_LINE.finditer(translated))
        deletions.extend(m.span() for m in _ZERO_WIDTH.finditer(translated))
    return _apply(translated, deletions)


def _running_headers(text: str, lines: list[tuple[int, int]], pages: int) -> set[str]:
    counts = Counter(text[s:e].strip() for s, e in lines if 0 < e - s <= 40)
    return {line for line, n in counts.items() if line and n >= 3 and n >= 0.3 * pages
            and not line.endswith("。")}


def _hard_wraps(text: str, kept: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Newlines inside a paragraph that a PDF or a fixed-width copy put there."""
    if len(kept) < 8:
        return []
    widths = sorted(len(text[s:e].strip()) for s, e in kept)
    width = widths[int(len(widths) * 0.9)]
    if width < 15:
        return []
    full = [len(text[s:e].strip()) >= 0.8 * width for s, e in kept]
    unterminated = [bool(text[s:e].strip()) and text[s:e].strip()[-1] not in _TERMINAL
                    for s, e in kept]
    wraps = [f and u for f, u in zip(full, unterminated)]
    if sum(wraps) < 0.2 * len(kept):
        return []  # one paragraph a line: nothing is wrapped
    out = []
    for i, (_, end) in enumerate(kept[:-1]):
        if wraps[i]:
            nxt = kept[i + 1][0]
            out.append((end, nxt))  # the newline (and any blank lines) up to the next line
    return out


def _apply(text: str, deletions: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    if not deletions:
        return text, OffsetMap.identity(len(text))
    deletions.sort()
    merged: list[list[int]] = []
    for s, e in deletions:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    pieces, rep_starts, orig_starts = [], [], []
    cursor = rep = 0
    for s, e in merged:
        if s > cursor:
            rep_starts.append(rep)
            orig_starts.append(cursor)
            pieces.append(text[cursor:s])
            rep += s - cursor
        cursor = e
    if cursor < len(text):
        rep_starts.append(rep)
        orig_starts.append(cursor)
        pieces.append(text[cursor:])
        rep += len(text) - cursor
    if not rep_starts:
        rep_starts, orig_starts = [0], [len(text)]
    repaired = "".join(pieces)
    return repaired, OffsetMap(tuple(rep_starts), tuple(orig_starts), len(repaired), len(text))
