"""Find the outline of a work report: parts (一、), sub-parts (（一）), paragraph leads.

Works on the repaired text (one paragraph a line). Offsets here are repaired
offsets; the pipeline maps them to the original when it builds Sections.
"""
from __future__ import annotations

import re
from typing import Any
from collections import Counter
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache

from ..rules import load_table

_CN = "一二三四五六七八九十"
_PART = re.compile(rf"^([{_CN}]{{1,3}})[、.．]\s*(.+)$")
_SUBPART = re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)]\s*(.*)$")
_SENTENCE_END = re.compile(r"[。！？!?]")
_CN_VALUE = {c: i + 1 for i, c in enumerate(_CN)}
_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})年.{0,20}政府工作报告")
_YEAR_PLAN = re.compile(r"((?:19|20)\d{2})年(?:的)?(?:工作|重点工作|主要任务|政府工作|经济社会发展|工作安排|工作总体)")
_YEAR_REVIEW = re.compile(r"((?:19|20)\d{2})年.{0,6}(?:回顾|工作总结|主要工作)|报告((?:19|20)\d{2})年的工作")
_YEAR_IS = re.compile(r"((?:19|20)\d{2})年是[^。]{0,40}(?:一年|之年)[^。]*。[^。]{0,40}今年")
_YEAR_DATE = re.compile(r"((?:19|20)\d{2}|[二〇零一九]{4})年\s*\d{0,2}[一二三四五六七八九十\d]*月")
_YEAR_SPOKEN = re.compile(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日在")
_CN_DIGITS = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}


@dataclass
class Block:
    level: int
    number: str
    title: str
    kind: str
    start: int
    end: int
    title_start: int
    title_end: int
    rule: str


@dataclass
class Outline:
    parts: list[Block] = field(default_factory=list)
    subparts: list[Block] = field(default_factory=list)
    leads: list[Block] = field(default_factory=list)
    body_start: int = 0
    body_end: int = 0
    opening_kind: str = "review"  # the opening before 一、 reports on the past year
    # the report proper inside a scraped page: [report_start, report_end)
    report_start: int = 0
    report_end: int = 0
    # the terms a glossary after the report explains: (start, end) of each
    glossary: list[tuple[int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def part_at(self, pos: int) -> int:
        """Index of the part containing ``pos``; -1 before the first part."""
        if not self._starts:
            self._starts = [p.start for p in self.parts]
        return bisect_right(self._starts, pos) - 1

    def locate(self, positions: list[int]) -> list[tuple[int, str]]:
        """(part, kind) of many sorted positions (what part_at/kind_at give), filled a part
        at a time: the boundaries are few, the positions many."""
        out: list[tuple[int, str]] = []
        bounds = [(self.body_start, -1, self.opening_kind)]
        bounds += [(p.start, i, p.kind) for i, p in enumerate(self.parts)]
        cursor = bisect_left(positions, self.body_start)
        out.extend([(-1, "front")] * cursor)
        for k, (start, part, kind) in enumerate(bounds):
            stop = bounds[k + 1][0] if k + 1 < len(bounds) else self.body_end
            # the part that holds a position is the last one starting at or before it
            end = bisect_left(positions, max(stop, start), cursor)
            if k + 1 == len(bounds):
                end = bisect_left(positions, self.body_end, cursor)
            out.extend([(part, kind)] * (end - cursor))
            cursor = end
        last = len(self.parts) - 1
        out.extend([(last, "back")] * (len(positions) - cursor))
        return out

    def kind_at(self, pos: int) -> str:
        if pos < self.body_start or pos >= self.body_end:
            return "front" if pos < self.body_start else "back"
        i = self.part_at(pos)
        if i < 0:
            return self.opening_kind
        return self.parts[i].kind

    @property
    def found(self) -> bool:
        return len(self.parts) >= 2


@cache
def _rules() -> dict[str, Any]:
    return load_table("sections.toml")


@cache
def _back_re() -> re.Pattern[str]:
    """Any rule that starts back matter, tried at the start of a line (after white space)."""
    patterns = [r["regex"].lstrip("^") for r in _rules()["back"]]
    return re.compile(r"\s*(?:" + "|".join(f"(?:{p})" for p in patterns) + ")")


def classify_title(title: str) -> tuple[str | None, str]:
    for rule in _rules()["kind"]:
        if rule["compiled"].search(title):
            return rule["kind"], rule["id"]
    return None, ""


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_heading_text(title: str) -> bool:
    """A part title: short, at most one sentence, no sentence inside it."""
    inner = _SENTENCE_END.search(title.rstrip("。"))
    return len(title) <= 60 and inner is None


def _matches(rules: list[dict[str, Any]], line: str) -> bool:
    return any(r["compiled"].search(line) for r in rules)


_LAST_CRY = 40  # a closing's last exclamation on a line of its own is short
_OPENING_REACH = 4000  # characters before the opening line: title, date, header, summary


def _opening(text: str, lines: list[tuple[int, int]], rules: dict[str, Any]) -> tuple[int, int]:
    """(where the body starts: the opening 各位代表 line, or 0; the line of an aggregator's
    summary before it, or -1). A summary that repeats the opening lines has an opening line
    of its own: the report's is the one whose words the summary repeated."""
    summary = -1
    found: list[int] = []
    for i, (s, e) in enumerate(lines[:80]):
        if s > _OPENING_REACH:
            break  # a page's header and summary are shorter: a later 各位代表 is in the report
        line = text[s:e].strip()
        part = _PART.match(line)
        if part and _is_heading_text(part.group(2)):
            break  # the report began without an opening line: a later 各位代表 is no opening
        if summary < 0 and not found and _matches(rules["summary"], line):
            summary = i
        elif _matches(rules["opening"], line):
            found.append(i)
    if not found:
        return 0, summary
    if summary >= 0 and len(found) >= 2:
        def after(i: int) -> str:
            a, b = lines[i + 1] if i + 1 < len(lines) else (0, 0)
            return text[lines[i][0]:lines[i][1]].strip() + text[a:b].strip()[:20]
        for later in found[1:]:
            if after(later) == after(found[0]):
                return lines[later][0], summary
    return lines[found[0]][0], summary


def build_outline(text: str) -> Outline:
    rules = _rules()
    lines = _lines(text)
    outline = Outline(body_end=len(text))

    outline.body_start, summary = _opening(text, lines, rules)
    back = _back_re()
    for s, e in lines:
        if s <= outline.body_start:
            continue
        if back.match(text, s, e):
            outline.body_end = s
            break

    expected = 1
    in_annex = False
    starts = [s for s, _ in lines]
    for s, e in lines:
        if s < outline.body_start or s >= outline.body_end:
            continue
        line = text[s:e]
        match = _PART.match(line)
        stripped = line.strip()
        if len(stripped) <= 30 and _matches(rules["annex"], stripped):
            kind, rule = classify_title(stripped)
            outline.parts.append(Block(1, "附件", stripped, kind or "plan", s, e, s, e,
                                       rule or "part.annex"))
            in_annex = True
            continue
        if in_annex and stripped in ("名词解释", "名词注释") and outline.parts:
            last = outline.parts[-1]
            last.kind, last.rule, last.title = "back", "part.back.glossary", last.title + stripped
            continue
        if match and not in_annex and _is_heading_text(match.group(2)):
            number = match.group(1)
            value = _cn_number(number)
            if value == expected or (value == expected + 1 and outline.parts) or (
                    not outline.parts and value > 1 and len(match.group(2)) >= 6):
                expected = value + 1
                title = match.group(2).strip()
                kind, rule = classify_title(title + _title_tail(text, lines, starts, e))
                outline.parts.append(Block(1, number, title, kind or "", s, e, s + match.start(2),
                                           e, rule))
                continue
        sub = _SUBPART.match(line)
        if sub and outline.parts:
            body = sub.group(2)
            cut = _SENTENCE_END.search(body)
            title = body[: cut.start()] if cut else body
            t_start = s + sub.start(2)
            outline.subparts.append(Block(2, f"（{sub.group(1)}）", title, "", s, e, t_start,
                                          t_start + len(title), "subpart"))
            continue
        lead = _SENTENCE_END.search(line)
        if lead and 4 <= lead.start() <= 30 and lead.end() < len(line) - 10:
            outline.leads.append(Block(3, "", line[: lead.start()], "", s, e, s, s + lead.end(),
                                       "lead.sentence"))

    _unnumbered_parts(text, lines, outline)
    _past_years(outline)
    _ended_periods(text, outline)
    _report_range(text, lines, outline, summary, rules)
    _finish(text, outline)
    return outline


# (a heading alone on its line, or one its first note runs into: 附件2名词解释1.“四上”企业：…)
_GLOSSARY_HEADING = re.compile(r"^(附件\s*\d*\s*[:：]?\s*)?(《[^》]{1,20}》)?"
                               r"(名词解释(和说明)?|名词注释|名词注解|注释|释义|名词术语解释|"
                               r"(有关)?词语解释)\s*[:：]?"
                               r"(?:$|(?=1\s*[.．、]))")


def _glossary_start(text: str, lines: list[tuple[int, int]], after: int, end: int) -> int:
    """Where a glossary heading (or an 附件 line before one) starts after ``after``; ``end``
    when none does."""
    starts = [s for s, _ in lines]
    for i in range(bisect_left(starts, after), len(lines)):
        s, e = lines[i]
        if s >= end:
            break
        if _GLOSSARY_HEADING.match(text[s:e].strip()):
            before = lines[i - 1] if i else (s, s)
            return before[0] if text[before[0]:before[1]].strip().startswith("附件") else s
    return end


def _report_range(text: str, lines: list[tuple[int, int]], outline: Outline, summary: int,
                  rules: dict[str, Any]) -> None:
    """The report proper: from its title or date line (or the opening 各位代表) to the end of
    the closing exhortation, or of the official annexes after it. What follows (a glossary,
    share lists, links) is back matter: the body ends there. The glossary's terms are kept."""
    starts = [s for s, _ in lines]
    opening = bisect_left(starts, outline.body_start)
    outline.report_start = outline.body_start
    if outline.body_start > 0 or _matches(rules["opening"], text[lines[0][0]:lines[0][1]].strip()):
        for j in range(opening - 1, max(summary, opening - 9), -1):
            if _matches(rules["report_title"], text[lines[j][0]:lines[j][1]].strip()):
                outline.report_start = lines[j][0]  # the earliest title or date line
    else:  # no opening line: the first title or date line before the first part, if any
        first = outline.parts[0].start if outline.parts else outline.body_end
        for s, e in lines[summary + 1:40]:
            if s >= first:
                break
            if _matches(rules["report_title"], text[s:e].strip()):
                outline.report_start = s
                break
    main = [p for p in outline.parts if p.number != "附件"]
    last_part = main[-1].start if main else outline.body_start
    closing = -1
    for i in range(bisect_left(starts, last_part), len(lines)):
        s, e = lines[i]
        if s >= outline.body_end:
            break
        if _matches(rules["closing"], text[s:e].strip()):
            closing = i
    report_end = outline.body_end
    if closing >= 0:
        for j in range(closing, min(closing + 4, len(lines))):
            s, e = lines[j]
            if s >= outline.body_end:
                break
            if _matches(rules["closing_end"], text[s:e].strip()):
                report_end = e
                # a last exclamation of its own (海南的明天一定更加美好！) still closes
                k = j + 1
                while k < len(lines) and not text[lines[k][0]:lines[k][1]].strip():
                    k += 1
                if k < len(lines) and lines[k][0] < outline.body_end:
                    last = text[lines[k][0]:lines[k][1]].strip()
                    if len(last) <= _LAST_CRY and last.endswith(("！", "!")) \
                            and not re.search(r"\d", last):
                        report_end, j = lines[k][1], k
                for s2, e2 in lines[j + 1:]:  # an annex after the closing (附件…, 民生实事)
                    if s2 >= outline.body_end:
                        break
                    line = text[s2:e2].strip()
                    if line and (_matches(rules["annex_title"], line[:40])
                                 or _matches(rules["annex"], line)):
                        report_end = _glossary_start(text, lines, s2, outline.body_end)
                        break
                annexes = [k for k, p in enumerate(outline.parts)
                           if p.number == "附件" and p.start >= e]
                for k in annexes:
                    if outline.parts[k].kind == "back":
                        break
                    nxt = outline.parts[k + 1].start if k + 1 < len(outline.parts) \
                        else outline.body_end
                    report_end = max(report_end, nxt)
                break
    outline.report_end = report_end
    # the glossary: numbered notes after a 名词解释 heading past the report's last part
    glossary = -1
    for i in range(bisect_left(starts, last_part), len(lines)):
        s, e = lines[i]
        if s >= report_end and _GLOSSARY_HEADING.match(text[s:e].strip()):
            glossary = i
            break
        if s >= report_end and text[s:e].strip().startswith("附件") and i + 1 < len(lines) \
                and _GLOSSARY_HEADING.match(text[lines[i + 1][0]:lines[i + 1][1]].strip()):
            glossary = i + 1
            break
    if glossary >= 0:
        notes = _rules()["glossary_note"]
        back = _back_re()
        for s, e in lines[glossary + 1:]:
            if back.match(text, s, e) and not _GLOSSARY_HEADING.match(text[s:e].strip()):
                break  # the page's footer: links, share buttons
            for rule in notes:
                match = rule["compiled"].match(text[s:e])  # (^ holds at a line's start)
                if match:
                    outline.glossary.append((s + match.start("term"), s + match.end("term")))
                    break
    if report_end < outline.body_end:
        outline.body_end = report_end
        outline.parts = [p for p in outline.parts if p.start < report_end]
        outline.subparts = [p for p in outline.subparts if p.start < report_end]
        outline.leads = [p for p in outline.leads if p.start < report_end]


_TAIL_MAX = 8  # a title broken over two lines: 一、2020年和“十三五” / 工作回顾


def _title_tail(text: str, lines: list[tuple[int, int]], starts: list[int], end: int) -> str:
    """The next line when it is the short end of a title broken over two lines (no stop in
    it, and a kind rule names it), else ""."""
    i = bisect_left(starts, end + 1)
    while i < len(lines) and not text[lines[i][0]:lines[i][1]].strip():
        i += 1
    if i >= len(lines):
        return ""
    tail = text[lines[i][0]:lines[i][1]].strip()
    if len(tail) > _TAIL_MAX or re.search(r"[，。；：,.;:！？]", tail) or not classify_title(tail)[0]:
        return ""
    return tail


def _past_years(outline: Outline) -> None:
    """一、2013年主要工作 before 三、2014年重点工作: a part titled with the year before the one
    the other titles name reviews that year (rule ``past_year``)."""
    rules = _rules()["past_year"]
    years: list[tuple[Block, int]] = []
    for part in outline.parts:
        for rule in rules:
            match = rule["compiled"].search(part.title)
            if match:
                years.append((part, int(match.group(1))))
                break
    if len(years) < 2:
        return
    # the year planned for follows the year reviewed (2035 in a title is a vision, not it)
    first = min(y for _, y in years)
    latest = max(y for _, y in years if y <= first + 1)
    for part, year in years:
        if year < latest and part.kind in ("plan", "targets", "") and not any(
                re.search(rule["unless"], part.title) for rule in rules):
            part.kind, part.rule = "review", rules[0]["id"]


_PLAN_END = {"一": 2010, "二": 2015, "三": 2020, "四": 2025, "五": 2030, "六": 2035}


def _ended_periods(text: str, outline: Outline) -> None:
    """跨越赶超的“十二五” in a report for 2016: a part titled with a five-year plan that ended
    before the year the report's opening lines name reviews it (rule ``ended_period``)."""
    head = text[:outline.body_start + 400]
    match = _YEAR_SPOKEN.search(head) or _YEAR_TITLE.search(head) or _YEAR_DATE.search(head)
    if match is None:
        return
    digits = "".join(_CN_DIGITS.get(c, c) for c in match.group(1))
    if not digits.isdigit():
        return
    year = int(digits)
    for rule in _rules()["ended_period"]:
        for part in outline.parts:
            period = rule["compiled"].search(part.title)
            if (period and part.kind == "targets" and _PLAN_END[period.group(1)] < year
                    and not re.search(rule["unless"], part.title)):
                part.kind, part.rule = rule["kind"], rule["id"]


def _unnumbered_parts(text: str, lines: list[tuple[int, int]], outline: Outline) -> None:
    """Bare title lines (“十四五”时期工作回顾): the parts of some reports, and in others a
    level above the numbered parts, whose kind the numbered parts under them inherit."""
    found = []
    body = [(s, e) for s, e in lines if outline.body_start <= s < outline.body_end
            and e > s and not text[s:e].isspace()]
    for i, (s, e) in enumerate(body):
        if e - s < 4 or e - s > 60:
            continue  # a title line is short (a little white space may pad it)
        line = text[s:e].strip()
        if not 4 <= len(line) <= 40:
            continue
        before = text[body[i - 1][0]:body[i - 1][1]].strip() if i else "："
        after = text[body[i + 1][0]:body[i + 1][1]].strip() if i + 1 < len(body) else ""
        if before[-1] not in "。！？：:!?" or len(after) < 30 or re.search(r"[《》（(]", line):
            continue
        if (4 <= len(line) <= 40 and not _SENTENCE_END.search(line) and "，" not in line
                and not _PART.match(line) and not _SUBPART.match(line)):
            kind, rule = classify_title(line)
            if kind and kind != "back":
                found.append(Block(1, "", line, kind, s, e, s, e, rule + ".unnumbered"))
    if len(found) < 2:
        return
    if len(outline.parts) < 2:
        outline.parts = found
        return
    merged = sorted(outline.parts + found, key=lambda b: b.start)
    inherited = ""
    for block in merged:
        if not block.number:
            inherited = block.kind
        elif not block.kind and inherited:
            block.kind, block.rule = inherited, "part.inherited"
    outline.parts = merged


_REVIEW_CUES = re.compile(r"(了|去年|一年来|五年来|这一年|同比|比上年|累计|初步统计|新增\d|建成|获批|入选)")
_PLAN_CUES = re.compile(r"(今年|要|将|力争|确保|明年|推动|加快|深入|实施)")


def _content_kind(text: str) -> tuple[str, str]:
    """Review or plan, from sentences with past and future cues; reviews have about one
    past sentence to three future ones or more."""
    sentences = re.split(r"[。！？\n]", text[:6000])  # the opening pages tell
    past = sum(1 for x in sentences if _REVIEW_CUES.search(x))
    future = sum(1 for x in sentences if _PLAN_CUES.search(x))
    review = past >= 3 and past * 3 >= future
    return ("review", "part.content.review") if review else ("plan", "part.content.plan")


def _finish(text: str, outline: Outline) -> None:
    """Close the parts' spans and give untitled parts a kind from their wording."""
    parts = outline.parts
    if not parts or (parts[0].number and parts[0].number != "一"):
        # an excerpt that starts inside a part: judge the text before the first heading
        first = parts[0].start if parts else outline.body_end
        outline.opening_kind = _content_kind(text[outline.body_start:first])[0]
    for i, part in enumerate(parts):
        part.end = parts[i + 1].start if i + 1 < len(parts) else outline.body_end
        if not part.kind:
            # a title that names no kind (一年接着一年干…)
            part.kind, part.rule = _content_kind(text[part.title_end:part.end])
    outline._starts = []  # the parts changed: part_at must look again
    for group in (outline.subparts, outline.leads):
        located = outline.locate([block.start for block in group])
        for i, block in enumerate(group):
            at, block.kind = located[i]
            nxt = group[i + 1].start if i + 1 < len(group) else outline.body_end
            part_end = parts[at].end if at >= 0 else outline.body_end
            block.end = min(nxt, part_end)


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_VALUE.get(text[1:], 0)
    if text.endswith("十"):
        return _CN_VALUE.get(text[0], 0) * 10
    if "十" in text:
        a, b = text.split("十")
        return _CN_VALUE.get(a, 0) * 10 + _CN_VALUE.get(b, 0)
    return _CN_VALUE.get(text, 0)


def report_year(text: str, outline: Outline) -> int | None:
    """The year the report plans for: from its title, its part titles, or its date line."""
    head = text[: max(outline.body_start, 0) + 400]
    match = _YEAR_SPOKEN.search(head)
    if match:
        return int(match.group(1))
    match = _YEAR_TITLE.search(head)
    if match:
        return int(match.group(1))
    for part in outline.parts:
        plan = _YEAR_PLAN.search(part.title)
        if plan and part.kind != "review":
            return int(plan.group(1))
    for part in outline.parts:
        review = _YEAR_REVIEW.search(part.title)
        if review:
            return int(review.group(1) or review.group(2)) + 1
    review = _YEAR_REVIEW.search(text[: outline.parts[0].start if outline.parts else 3000])
    if review:
        return int(review.group(1) or review.group(2)) + 1
    match = _YEAR_IS.search(text)
    if match:
        return int(match.group(1))
    planned = "".join(text[p.start:p.end] for p in outline.parts if p.kind != "review")
    years = Counter(int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})年", planned))
    if years:
        return years.most_common(1)[0][0]
    match = _YEAR_DATE.search(head)
    if match:
        digits = "".join(_CN_DIGITS.get(c, c) for c in match.group(1))
        if digits.isdigit():
            return int(digits)
    return None
