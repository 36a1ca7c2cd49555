"""What period a review's figure speaks of: the past year, several years, or a level.

A report that opens a five-year period reviews five years first (五年来, 年均, 累计,
“十二五”时期) and states the year's own figures elsewhere (过去一年, 去年, 2015年); a promise
check must compare a year's target only with the year's figure. The cues are data
(``data/periods.toml``); this module reads where they stand. Pure: text in, a word out.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Literal

from ..rules import load_table

Period = Literal["year", "multi_year", "level"]
PERIODS: tuple[Period, ...] = ("year", "multi_year", "level")

_SENTENCE_END = "。！？!?\n"
_CLAUSE_END = "，,；;：:" + _SENTENCE_END
_YEAR = re.compile(r"(\d{4})年(?!以来|[-—–~至到]\d)")
# a top-level heading of a report: 一、2015年工作回顾 (a sub-part （一） keeps the scope)
_HEADING = re.compile(r"\s*[一二三四五六七八九十]{1,3}\s*[、.．]\S")
_RUNNING_TOTAL = re.compile(r"累计(突破|达到|超过|达)\s*$")
_AVERAGE_NEXT = re.compile(r"(年均|平均每年|每年平均)")
_OPENING_SENTENCES = 2
_OPENING_REACH = 2  # a cue that opens a sentence starts within its first characters
_LEAD = re.compile(r"[\s\u3000—\-*#]*(各位代表[，,！!]?)?(这些|其中)?")  # a paragraph's cue stands in its lead sentence or the one after


@cache
def _cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    table = load_table("periods.toml")
    return tuple((cue["kind"], cue["compiled"]) for cue in table["cue"] if cue["kind"] != "level")


@cache
def _level() -> tuple[re.Pattern[str], ...]:
    return tuple(cue["compiled"] for cue in load_table("periods.toml")["cue"]
                 if cue["kind"] == "level")


def _last_cue(text: str, year: int | None) -> str | None:
    """The kind of the cue that ends last in ``text`` (the one nearest what follows)."""
    best, best_end = None, -1
    for kind, regex in _cues():
        for match in regex.finditer(text):
            if match.end() > best_end:
                best, best_end = kind, match.end()
    if year is not None:
        for match in _YEAR.finditer(text):
            if int(match.group(1)) == year and match.end() > best_end:
                best, best_end = "year", match.end()
    return best


def _leading_cue(text: str, year: int | None) -> str | None:
    """The kind of a cue that starts ``text`` (within its first characters): 五年来，…;
    not 策划生成未来三年…, where the years are the projects'."""
    best, best_start = None, _OPENING_REACH + 1
    for kind, regex in _cues():
        match = regex.search(text, 0, _OPENING_REACH + 12)
        if match and match.start() < best_start:
            best, best_start = kind, match.start()
    if year is not None:
        match = _YEAR.match(text)
        if match and int(match.group(1)) == year:
            best = "year"
    return best


def _opening_cue(text: str, start: int, end: int, year: int | None) -> str | None:
    """The cue that opens the paragraph ``text[start:end]``: one that starts one of its first
    sentences (过去一年，…; ——综合实力显著增强。五年来，…; 2015年是…收官之年。过去五年，…), the
    last of them; a cue inside a sentence (今年…要求是：…“十三五”时期…) sets no scope."""
    found = None
    pos = start
    for _ in range(_OPENING_SENTENCES):
        stop = min((i for i in (text.find(c, pos, end) for c in "。！？!?") if i >= 0),
                   default=end)
        lead = _LEAD.match(text, pos, stop)
        head = lead.end() if lead else pos
        cue = _leading_cue(text[head:stop], year)
        if cue is not None:
            found = cue
        if stop >= end:
            break
        pos = stop + 1
    return found


def quantity_period(text: str, start: int, end: int, year: int | None = None) -> Period:
    """The period of the figure ``text[start:end]``: ``"year"`` (the year reviewed, the default),
    ``"multi_year"`` (a total or average over several years) or ``"level"`` (a stock: 余额,
    营业里程达到, 比重上升到). ``year`` is the year reviewed, when known: 2015年 is then a cue
    for the year and 2010年 no cue at all."""
    del end  # the cues stand before the figure; the end is kept for a uniform signature
    sentence = _sentence_start(text, start)
    near = max(sentence, start - _CLAUSE_REACH)  # no real clause is longer: stays linear
    clause = max(text.rfind(c, near, start) for c in _CLAUSE_END) + 1
    clause = max(clause, near)
    period = _temporal(text, start, sentence, year)
    if period == "year" and any(regex.search(text, clause, start) for regex in _level()):
        return "level"
    if period == "multi_year" and _RUNNING_TOTAL.search(text, clause, start):
        return "level"  # 累计突破3300户: the total reached by now, a level
    return period


_NEXT_BREAK = re.compile("[" + re.escape(_SENTENCE_END + "，,；;") + "]")
_SENTENCE_REACH = 2000


_CLAUSE_REACH = 1000
# the last answer of _sentence_start (the text, the position asked, the sentence's start): the
# figures of a long sentence come in order and share it
_LAST_SENTENCE: list[tuple[str, int, int]] = []


def _sentence_start(text: str, start: int) -> int:
    """Where the sentence holding ``start`` begins: after the last 。！？ or line break before
    it (looked for near it first: a mark that a text never uses is not looked for to its start;
    from the last figure's answer when it stands in the same sentence)."""
    if _LAST_SENTENCE:
        last_text, last_start, last_found = _LAST_SENTENCE[0]
        if last_text is text and last_start <= start and \
                not any(c in _SENTENCE_END for c in text[last_start:start]):
            _LAST_SENTENCE[0] = (text, start, last_found)
            return last_found
    near = max(0, start - _SENTENCE_REACH)
    found = max(text.rfind(c, near, start) for c in _SENTENCE_END)
    if found < 0 and near > 0:
        found = max(text.rfind(c, 0, near) for c in _SENTENCE_END)
    _LAST_SENTENCE[:] = [(text, start, found + 1)]
    return found + 1


_SENTENCE_STOP = re.compile("[" + re.escape(_SENTENCE_END) + "]")


@lru_cache(maxsize=64)
def _sentence_cues(text: str, sentence: int, year: int | None) -> tuple[tuple[int, int, str], ...]:
    """Every cue of the sentence that opens at ``sentence`` (start, end, kind; offsets into the
    sentence), in the order ``_last_cue`` weighs them: the figures of a sentence share them."""
    stop = _SENTENCE_STOP.search(text, sentence)
    segment = text[sentence:stop.start() if stop else len(text)]
    found = [(m.start(), m.end(), kind) for kind, regex in _cues() for m in regex.finditer(segment)]
    if year is not None:
        found += [(m.start(), m.end(), "year") for m in _YEAR.finditer(segment)
                  if int(m.group(1)) == year]
    return tuple(found)


def _cue_before(text: str, sentence: int, start: int, year: int | None) -> str | None:
    """``_last_cue(text[sentence:start], year)``, read from the sentence's cues."""
    offset = start - sentence
    best, best_end = None, -1
    for cue_start, cue_end, kind in _sentence_cues(text, sentence, year):
        if cue_start < offset < cue_end:
            return _last_cue(text[sentence:start], year)  # a cue across the figure: read anew
        if cue_end <= offset and cue_end > best_end:
            best, best_end = kind, cue_end
    return best


def _temporal(text: str, start: int, sentence: int, year: int | None) -> Period:
    cue = _cue_before(text, sentence, start, year)
    if cue is not None:
        return "multi_year" if cue == "multi_year" else "year"
    # 中央财政科技投入6197亿元，年均增长22.7%: an average in the next clause makes it a total
    found = _NEXT_BREAK.search(text, start, start + _CLAUSE_REACH)  # within a clause's reach
    cut = found.start() if found else len(text)
    if cut < len(text) and text[cut] in "，," and _AVERAGE_NEXT.match(text, cut + 1):
        return "multi_year"
    paragraph = text.rfind("\n", 0, sentence) + 1
    if paragraph < sentence:
        cue = _paragraph_cue(text, paragraph, sentence, year)
        if cue is not None:
            return "multi_year" if cue == "multi_year" else "year"
    return _scope(text, paragraph, year)


# the figures of one sentence share its paragraph's opening, and those of one paragraph the
# scope set before it: each is read once (a report's text hashes once; the caches are small)
@lru_cache(maxsize=256)
def _paragraph_cue(text: str, paragraph: int, sentence: int, year: int | None) -> str | None:
    return _opening_cue(text, paragraph, sentence, year)


@lru_cache(maxsize=8)
def _scopes(text: str, year: int | None) -> dict[int, Period]:
    """The scope found for each paragraph start of one report so far."""
    return {}


def _scope(text: str, paragraph: int, year: int | None) -> Period:
    """The period that the earlier paragraphs of the same part set for the paragraph at
    ``paragraph``: the nearest opening with a cue, or the part's heading. Every paragraph
    walked past shares the answer, so each line of a report is read once."""
    memo = _scopes(text, year)
    walked = []
    stop = paragraph
    found: Period = "year"
    while True:
        if stop in memo:
            found = memo[stop]
            break
        walked.append(stop)
        if stop <= 0:
            break
        begin = text.rfind("\n", 0, stop - 1) + 1
        line_end = text.find("\n", begin, stop)
        line_end = stop - 1 if line_end < 0 else line_end
        stop = begin
        line = text[begin:line_end]
        if not line.strip():
            continue
        if _HEADING.match(line) and len(line.strip()) <= 60:
            found = _heading_cue(line, year) or "year"
            break
        cue = _opening_cue(text, begin, line_end, year)
        if cue is not None:
            found = "multi_year" if cue == "multi_year" else "year"
            break
    for walked_stop in walked:
        memo[walked_stop] = found
    return found


def _heading_cue(line: str, year: int | None) -> Period | None:
    """A part's heading decides only when it names one kind of period
    (“十一五”时期…的回顾, not “十二五”时期和2015年工作回顾)."""
    kinds = set()
    for kind, regex in _cues():
        if regex.search(line):
            kinds.add(kind)
    if year is not None and any(int(m.group(1)) == year for m in _YEAR.finditer(line)):
        kinds.add("year")
    if len(kinds) == 1:
        return "multi_year" if "multi_year" in kinds else "year"
    return None
