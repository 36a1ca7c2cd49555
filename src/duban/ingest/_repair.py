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
from ..rules import load_lexicon, load_table

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


@cache
def _inline_marks() -> re.Pattern[str]:
    """Footnote markers and question-mark runs inside a line (``[[inline]]`` of furniture.toml)."""
    table = load_table("furniture.toml")
    return re.compile("|".join(f"(?:{entry['regex']})" for entry in table.get("inline", []))
                      or "(?!)", re.M)


def _is_furniture(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _FURNITURE_MAX:
        return False
    exact, patterns = _furniture()
    if stripped in exact or patterns.search(stripped):
        return True
    return " " in stripped and "".join(stripped.split()) in exact


_TRADITIONAL_MIN = 0.02  # share of characters in traditional-only forms: a simplified report
# has next to none (at most 0.01 % in the 66 corpus reports), a traditional one a fifth
# or more (hanzi are 80-90 % of a report's characters)


@cache
def _simplified() -> tuple[dict[int, str], re.Pattern[str]]:
    """Traditional form -> simplified, one character for one, from ``data/common_hanzi.txt``
    (a form that is itself a simplified character of the list is left alone)."""
    entries = [line.split() for line in load_lexicon("common_hanzi.txt")]
    simple = {forms[0] for forms in entries}
    table: dict[int, str] = {}
    for forms in entries:
        for form in forms[1:]:
            if len(form) == 1 and form not in simple:
                table.setdefault(ord(form), forms[0])
    chars = "".join(chr(c) for c in table)
    return table, re.compile(f"[{re.escape(chars)}][{re.escape(chars)}]*")


def simplify(text: str) -> str:
    """A report written in traditional characters (a Big5 copy) in simplified ones, one for
    one, so the vocabulary (萬人, 工作回顧) reads as in every other report; a simplified text
    (with a traditional form here and there: a name) is returned as it is."""
    table, runs = _simplified()
    sample = text[:20000]
    if sum(len(m.group()) for m in runs.finditer(sample)) < _TRADITIONAL_MIN * len(sample):
        return text
    return runs.sub(lambda m: m.group().translate(table), text)


def repair_text(original: str, fmt: str) -> tuple[str, OffsetMap]:
    """Repaired text and its map to ``original``."""
    pages = original.count("\f") + 1
    translated = _TRANSLATABLE.sub(lambda m: m.group().translate(_TRANSLATE), original)
    translated = simplify(translated)
    deletions: list[tuple[int, int]] = []
    # a report stored without line breaks: its paragraphs are found first (a space between
    # two of them becomes the line break, one for one; where nothing parts them, one is put in)
    breaks, insertions = run_on_breaks(translated)
    if breaks:
        chars = list(translated)
        for i in breaks:
            chars[i] = "\n"
        translated = "".join(chars)
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
    # footnote markers ([1], ^[1], ①) and "????" runs inside lines
    if "[" in translated or "?" in translated or "？" in translated or any(
            c in translated for c in "①②③④⑤⑥⑦⑧⑨⑩"):
        deletions.extend(m.span() for m in _inline_marks().finditer(translated))

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
    return _apply(translated, deletions, insertions)


_RUN_ON = 2000  # a paragraph of a report is shorter (the longest in /work/gov: about 4000
# characters, and only a handful pass 2000); a report kept on one line is far longer
_RUN_ON_SHORT = 500  # an excerpt kept on one line: its line is half the text or more
_RUN_ON_PER_LINE = 1000  # characters a line: at most 670 in the 3,137 reports of /work/gov and
# the corpus that keep their line breaks; 2,216 in the one that does not (太原市 2019)
_SENTENCE_END = frozenset("。！？!?")
_TITLE_REACH = 40  # a part title runs at most this far before its first paragraph
_TITLE_STOP = re.compile(r"[，。；：！？,;:!?\s]")


@cache
def _inline_rules() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str],
                             re.Pattern[str]]:
    """(a paragraph start, a part heading, a title's last words, a paragraph's first words, a
    paragraph start wherever it stands) from ``data/sections.toml``."""
    table = load_table("sections.toml")

    def either(rules: list[dict[str, object]]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{str(r['regex']).lstrip('^')})" for r in rules) or "(?!)")

    heads = table["inline_heading"]
    return (either(heads), either([r for r in heads if r.get("part")]),
            either(table["title_end"]), either(table["body_start"]),
            either([r for r in heads if r.get("anywhere")]))


def run_on_breaks(text: str) -> tuple[list[int], list[int]]:
    """Where the paragraphs of a run-on line start: (white-space characters that become line
    breaks, positions before which a line break is put). Only lines longer than any paragraph
    are read; in them a paragraph starts after a run of white space that follows a sentence
    end, that is two characters or more, that precedes a heading (一、 （一） 各位代表： 附件：
    名词解释) or that ends a part title; or, with nothing between, at a heading that follows
    a sentence end, and where a part title runs into its first paragraph
    (二、2026年工作安排2026年是…)."""
    breaks: list[int] = []
    insertions: list[int] = []
    # a run-on text has few lines for its length; in it, a line is run-on when it is longer
    # than any paragraph, or when it is most of a short text
    longest = min(_RUN_ON, max(_RUN_ON_SHORT, len(text) // 2))
    if len(text) < longest:
        return breaks, insertions
    lines = sum(1 for line in text.split("\n") if line.strip())
    if len(text) < _RUN_ON_PER_LINE * lines:
        return breaks, insertions
    head, part, title_end, body_start, anywhere = _inline_rules()
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if end - start < longest:
            continue
        paragraph = start  # where the current paragraph starts
        spaces = [m.span() for m in _HSPACE.finditer(text, start, end)]
        # a heading after a sentence end; a part heading after anything when its title
        # runs into a paragraph (the sentence before it may lack its 。)
        heads = [m.start() for m in head.finditer(text, start, end)
                 if m.start() > start and (text[m.start() - 1] in _TERMINAL
                                           or anywhere.match(text, m.start()) or (
                     part.match(text, m.start()) is not None
                     and _title_cut(text, m.end(), end, title_end, body_start) is not None))]
        events = sorted([(a, b) for a, b in spaces] + [(h, h) for h in heads])
        for a, b in events:
            if a <= paragraph and a > start:
                continue
            if a == b:  # a heading straight after a sentence end
                insertions.append(a)
                paragraph = a
            else:
                if a == start or b == end:
                    continue
                before, after = text[a - 1], text[b]
                if b - a == 1 and before in _ASCII_ALNUM and after in _ASCII_ALNUM:
                    continue
                opened = part.match(text, paragraph)
                title = (opened is not None and a - paragraph <= _TITLE_REACH + 4
                         and not any(c in _SENTENCE_END for c in text[paragraph:a]))
                if before in _TERMINAL or b - a >= 2 or head.match(text, b) or title:
                    breaks.append(a)
                    paragraph = b
                else:
                    continue
            opened = part.match(text, paragraph)
            if opened is not None:
                cut = _title_cut(text, opened.end(), end, title_end, body_start)
                if cut is not None:
                    insertions.append(cut)
                    paragraph = cut
        first = part.match(text, start)
        if first is not None and paragraph == start:
            cut = _title_cut(text, first.end(), end, title_end, body_start)
            if cut is not None:
                insertions.append(cut)
    return breaks, insertions


def _title_cut(text: str, title: int, end: int, title_end: re.Pattern[str],
               body_start: re.Pattern[str]) -> int | None:
    """Where a part title that runs into its paragraph ends: the first place where the title
    so far ends in a title word and what follows opens a paragraph; None when no such place
    (or white space or a stop ends the title first, so nothing needs to be put in)."""
    stop = _TITLE_STOP.search(text, title, min(end, title + _TITLE_REACH))
    if stop is not None and stop.group().isspace():
        return None  # white space ends the title
    limit = stop.start() if stop else min(end, title + _TITLE_REACH)
    for cut in range(title + 2, limit):
        if title_end.search(text, title, cut) and body_start.match(text, cut):
            return cut
    # a title in words of its own (一年接着一年干，新福建建设持续取得新进展新成效): where a
    # paragraph's usual first words (2025年是, 过去一年) follow, with no sentence end before
    strong = _strong_start().search(text, title + 4, min(end, title + _TITLE_REACH))
    if strong is not None and not any(c in _SENTENCE_END for c in text[title:strong.start()]):
        return strong.start()
    return None


@cache
def _strong_start() -> re.Pattern[str]:
    rules = load_table("sections.toml")["body_start_strong"]
    return re.compile("|".join(f"(?:{str(r['regex']).lstrip('^')})" for r in rules))


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


def _apply(text: str, deletions: list[tuple[int, int]],
           insertions: list[int] | None = None) -> tuple[str, OffsetMap]:
    """The text with ``deletions`` made and a line break put before each of ``insertions``
    (one inside a deletion is dropped); a line break put in maps to the character after it."""
    if insertions:
        return _apply_with_breaks(text, deletions, sorted(set(insertions)))
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


def _apply_with_breaks(text: str, deletions: list[tuple[int, int]],
                       insertions: list[int]) -> tuple[str, OffsetMap]:
    merged: list[list[int]] = []
    for s, e in sorted(deletions):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    kept: list[tuple[int, int]] = []
    cursor = 0
    for s, e in merged:
        if s > cursor:
            kept.append((cursor, s))
        cursor = e
    if cursor < len(text):
        kept.append((cursor, len(text)))
    pieces: list[str] = []
    rep_starts: list[int] = []
    orig_starts: list[int] = []
    rep = k = 0
    for a, b in kept:
        while k < len(insertions) and insertions[k] < a:
            k += 1  # inside a deletion
        while k < len(insertions) and insertions[k] < b:
            q = insertions[k]
            k += 1
            if q > a:
                rep_starts.append(rep)
                orig_starts.append(a)
                pieces.append(text[a:q])
                rep += q - a
                a = q
            rep_starts.append(rep)
            orig_starts.append(q)
            pieces.append("\n")
            rep += 1
        rep_starts.append(rep)
        orig_starts.append(a)
        pieces.append(text[a:b])
        rep += b - a
    if not rep_starts:
        rep_starts, orig_starts = [0], [len(text)]
    repaired = "".join(pieces)
    return repaired, OffsetMap(tuple(rep_starts), tuple(orig_starts), len(repaired), len(text))
