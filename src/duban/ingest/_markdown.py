"""Markdown reports (.md): the front matter read as metadata, the markup taken out with a map
back to the file as given, so every offset still points into the .md file.

What goes: the front matter, HTML comments, footnotes, images, link targets, heading marks
(``## 一、…``), bold marks (``**一、…**``), block quotes, list bullets, thematic breaks,
table rules and pipes, backslash escapes and HTML tags. A bold run-in heading
(``**一、2011年工作回顾** 过去一年…``) becomes a line of its own, so the outline sees a
heading line as in a plain text. Every change deletes a span of the file or replaces one
character with one, as the repair does; the markup-free text is then repaired like a .txt and
the two maps are composed.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from html.entities import html5

from ..errors import EmptyInput
from ..models import OffsetMap
from ._repair import repair_text

_FRONT = re.compile(r"\A(\ufeff?)---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]\n]+\]:.*(?:\n(?:[ \t]+.*|[ \t]*(?=\n[ \t]+\S)))*", re.M)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\n]+\]")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(?=\S)")  # (matched at a line's start)
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_BREAK = re.compile(r"^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+)[ \t]*$")
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"[ \t]*[-*+][ \t]+(?=\S)")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_BOLD = re.compile(r"(?<!\\)\*\*")
_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|>])")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>")
_LINE_TAG = re.compile(r"<(?:br|p|div|li|tr)\b[^<>\n]*/?>", re.I)
_ENTITY = re.compile(r"&(#\d{1,6}|#x[0-9A-Fa-f]{1,5}|[A-Za-z][A-Za-z0-9]{1,31});")
# a bold run at the start of a line that numbers a part or a sub-part, with text after it
_RUN_IN = re.compile(r"\*\*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])"
                     r"[^*\n]{1,60}?(\*)\*[ \t]*(?=\S)")

Edit = tuple[int, int, str]  # [start, end) of the file and what stands there: "" or one char


def front_matter(original: str) -> tuple[dict[str, str], int]:
    """The ``key: value`` pairs of a YAML front matter and where the body starts (0 when
    the file has none). Only flat keys are read; quotes around a value are taken off."""
    match = _FRONT.match(original)
    if not match:
        return {}, 0
    fields: dict[str, str] = {}
    for line in (match.group(2) or "").splitlines():
        key = _KEY.match(line)
        if key and not line.startswith((" ", "\t")):
            value = key.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields[key.group(1).lower()] = value
    return fields, match.end()


def _entity(name: str) -> str:
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1:2] in "xX" else int(name[1:])
            return chr(code) if 0 < code < 0x110000 else ""
        except ValueError:
            return ""
    return html5.get(name + ";", "")


def markup_edits(original: str) -> list[Edit]:
    """The deletions and one-for-one replacements that take the markup out of ``original``."""
    edits: list[Edit] = []
    _, body = front_matter(original)
    if body:
        edits.append((0, body, ""))
    for pattern in (_COMMENT, _FOOTNOTE_DEF, _FOOTNOTE_REF, _IMAGE):
        for m in pattern.finditer(original, body):
            edits.append((m.start(), m.end(), ""))
    for m in _LINK.finditer(original, body):
        edits.append((m.start(), m.start() + 1, ""))  # [
        edits.append((m.end(1), m.end(), ""))  # ](target)
    run_ins: set[int] = set()
    pos = body
    for line in original[body:].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if _BREAK.match(line) or ("|" in line and _TABLE_RULE.match(line)):
            edits.append((start, min(end + 1, len(original)), ""))
            continue
        quote = _QUOTE.match(line)
        lead = quote.end() if quote else 0
        if lead:
            edits.append((start, start + lead, ""))
        heading = _HEADING.match(line, lead)
        bullet = None if heading else _BULLET.match(line, lead)
        if heading:
            edits.append((start + lead, start + heading.end(), ""))
            close = _HEADING_CLOSE.search(line)
            if close:
                edits.append((start + close.start(), end, ""))
        elif bullet:
            edits.append((start + lead, start + bullet.end(), ""))
        at = heading.end() if heading else bullet.end() if bullet else lead
        run_in = _RUN_IN.match(line, at)
        if run_in:  # the closing ** of a run-in heading: a line break, then the text
            close_at = start + run_in.start(1)
            run_ins.add(close_at)
            edits.append((close_at, close_at + 1, "\n"))
            edits.append((close_at + 1, start + run_in.end(), ""))
        if line.lstrip().startswith("|"):
            _table_row(line, start, edits)
    for m in _BOLD.finditer(original, body):
        if m.start() not in run_ins:
            edits.append((m.start(), m.end(), ""))
    for m in _ESCAPE.finditer(original, body):
        edits.append((m.start(), m.end(), ""))
    for m in _TAG.finditer(original, body):
        if _LINE_TAG.fullmatch(m.group()):
            edits.append((m.start(), m.start() + 1, "\n"))
            edits.append((m.start() + 1, m.end(), ""))
        else:
            edits.append((m.start(), m.end(), ""))
    for m in _ENTITY.finditer(original, body):
        char = _entity(m.group(1))
        if len(char) == 1:
            edits.append((m.start(), m.start() + 1, char))
            edits.append((m.start() + 1, m.end(), ""))
    return edits


def _table_row(line: str, start: int, edits: list[Edit]) -> None:
    """The pipes of a table row: the outer ones go, the inner ones part cells like a 。"""
    pipes = [i for i, c in enumerate(line) if c == "|" and (i == 0 or line[i - 1] != "\\")]
    for k, i in enumerate(pipes):
        outer = (k == 0 and not line[:i].strip()) or (k == len(pipes) - 1 and not line[i + 1:].strip())
        edits.append((start + i, start + i + 1, "" if outer else "；"))


def apply_edits(original: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """The text with ``edits`` made and its map to ``original``; where a replacement falls
    inside a deletion, the deletion wins."""
    deleted: list[list[int]] = []
    for s, e, _ in sorted(x for x in edits if not x[2]):
        if e <= s:
            continue
        if deleted and s <= deleted[-1][1]:
            deleted[-1][1] = max(deleted[-1][1], e)
        else:
            deleted.append([s, e])
    starts = [s for s, _ in deleted]
    before = [0]  # characters deleted before each deletion
    for s, e in deleted:
        before.append(before[-1] + e - s)
    pieces: list[str] = []
    rep_starts: list[int] = []
    orig_starts: list[int] = []
    cursor = rep = 0
    for s, e in deleted + [[len(original), len(original)]]:
        if s > cursor:
            rep_starts.append(rep)
            orig_starts.append(cursor)
            pieces.append(original[cursor:s])
            rep += s - cursor
        cursor = max(cursor, e)
    chars = "".join(pieces)
    replacements = []
    for s, e, new in edits:
        if not new or e != s + 1:
            continue
        k = bisect_right(starts, s) - 1
        if k >= 0 and s < deleted[k][1]:
            continue  # inside a deletion
        replacements.append((s - before[k + 1], new))
    if replacements:
        buffer = list(chars)
        for i, new in replacements:
            buffer[i] = new
        chars = "".join(buffer)
    if not rep_starts:
        rep_starts, orig_starts = [0], [len(original)]
    return chars, OffsetMap(tuple(rep_starts), tuple(orig_starts), len(chars), len(original))


def compose(outer: OffsetMap, inner: OffsetMap) -> OffsetMap:
    """The map of ``outer`` (repaired -> markup-free) followed by ``inner`` (markup-free ->
    the file): runs split where either map starts one, joined where the shift stays."""
    rep: list[int] = []
    orig: list[int] = []
    runs = len(outer.repaired_starts)
    for i in range(runs):
        r = outer.repaired_starts[i]
        stop = outer.repaired_starts[i + 1] if i + 1 < runs else outer.repaired_length
        c = outer.original_starts[i]
        while r < stop:
            j = max(bisect_right(inner.repaired_starts, c) - 1, 0)
            run_end = (inner.repaired_starts[j + 1] if j + 1 < len(inner.repaired_starts)
                       else inner.repaired_length)
            take = min(stop - r, run_end - c) if run_end > c else stop - r
            o = inner.original_starts[j] + c - inner.repaired_starts[j]
            if not rep or o - r != orig[-1] - rep[-1]:
                rep.append(r)
                orig.append(o)
            r += take
            c += take
    if not rep:
        rep, orig = [0], [inner.original_length]
    return OffsetMap(tuple(rep), tuple(orig), outer.repaired_length, inner.original_length)


def read_markdown(original: str, name: str) -> tuple[str, OffsetMap]:
    """The repaired text of a markdown file and its map to the file as given; EmptyInput
    when nothing but front matter and markup is left."""
    clean, inner = apply_edits(original, markup_edits(original))
    repaired, outer = repair_text(clean, "md")
    if not repaired.strip():
        raise EmptyInput(name, "只有前言与标记，没有正文 (front matter and markup only)")
    return repaired, compose(outer, inner)
