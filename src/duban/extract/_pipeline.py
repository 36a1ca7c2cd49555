"""Report -> Extraction: outline, sentences, quantities with roles and indicators, tasks, terms."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from ..models import Extraction, Quantity, Report, Section, Sentence, Term
from ..structure import Outline, build_outline, report_year, sentence_spans
from ._indicators import clause_bounds, name_indicator
from ._lexicon import Lexicon, lexicon
from ._periods import quantity_period
from ._quantities import Candidate, find_candidates, resolve_comparator
from ._tasks import find_tasks

_QUOTED_FORMULA = re.compile(r"[“\"]([一二两三四五六七八九十百千万]+[大个项条化位种类张]?[^”\"，。]{0,8})[”\"]")
# (c c*, not c+: a pattern that opens with a repeat has no first-character filter)
_PACKAGE = re.compile(r"[一二两三四五六七八九十][一二两三四五六七八九十]*大[\u4e00-\u9fff]{2,4}")
_WINDOW = 40
_DIGIT = re.compile(r"\d")
_QUOTED = re.compile(r"“[^”]*”")
_YEAR_TOKEN = re.compile(r"(19|20)\d\d年")
_SERVICE_DONE = re.compile(r"(办结|审结|审批|出证|响应|答复|回复|到达|到场|送达)")
_DAYS_LEVEL = re.compile(r"(天数|时限|时长|用时|周期)[^，。；]{0,8}$")
_CHANGE_VERB = re.compile(r"(缩短|压缩|减少|缩减|降至|降到|降低|提高|延长|不低于|不少于|不超过|保障)[至到为]?$")


def extract(report: Report) -> Extraction:
    """Everything duban extracts from one report."""
    lex = lexicon()
    text = report.text
    outline = build_outline(text)
    year = report_year(text, outline)
    formula_spans = _formula_spans(lex, text)
    formula_starts = [f[0] for f in formula_spans]

    heading_starts = {p.start for p in outline.parts}
    quantities: list[Quantity] = []
    cues: Cues = {}
    raw_sentences = sentence_spans(text)
    sentence_starts = [s for s, _ in raw_sentences]
    located = outline.locate(sentence_starts)
    sentences = [Sentence(o_start, o_end, part, kind)  # type: ignore[arg-type]
                 for (o_start, o_end), (part, kind)
                 in zip(report.offsets.spans(raw_sentences), located)]
    # one scan for numbers over the report proper: only the sentences that hold one are read
    # (a scraped page's header and summary before it, its glossary and links after it, never)
    with_numbers = sorted({bisect_right(sentence_starts, m.start()) - 1
                           for m in lex.number_re.finditer(text, outline.report_start,
                                                           outline.body_end)} - {-1})
    with_numbers = [i for i in with_numbers if sentence_starts[i] >= outline.report_start]
    for index in with_numbers:
        s, e = raw_sentences[index]
        part, kind = located[index]
        if kind == "back" or s in heading_starts:
            continue
        previous = ""
        previous_end = s
        first_of_sentence = len(quantities)
        for cand in find_candidates(lex, text, s, e):
            reason = _exclusion(lex, text, cand, s, e, formula_spans, formula_starts)
            if reason:
                continue
            resolve_comparator(lex, text, cand, s, e)
            if cand.unit_info is not None and cand.unit_info.kind == "duration" \
                    and not _duration_ok(text, cand, s):
                continue
            role, role_rule = _role(lex, text, cand, s, e, kind, year, cues)
            if role is None:
                continue
            clause = clause_bounds(text, s, cand.start)
            list_start = max(clause, previous_end if previous_end > clause else clause)
            sep = text.rfind("、", list_start, cand.start)
            if sep >= 0 and previous_end > clause:
                list_start = sep + 1
            elif sep >= 0 and _DIGIT.search(text, list_start, sep):
                list_start = sep + 1
            indicator, indicator_rule = name_indicator(text, cand.start, cand.end, clause,
                                                       list_start, previous, cand.value)
            modal = lex.modal_re.search(text, clause, cand.start)
            qs, qe = report.span(cand.start, cand.end)
            quantities.append(Quantity(
                start=qs, end=qe, quote=report.original[qs:qe], value=cand.value,
                unit=cand.unit, comparator=cand.comparator, role=role,  # type: ignore[arg-type]
                indicator=indicator, modality=modal.group() if modal else "",
                upper=cand.upper, sentence=index,
                rule=cand.implicit or (cand.unit_info.rule if cand.unit_info else ""),
                role_rule=role_rule, indicator_rule=indicator_rule,
                period=quantity_period(text, cand.start, cand.end,
                                       year if role == "target" or year is None else year - 1),
            ))
            previous, previous_end = indicator, cand.end
        if len(quantities) - first_of_sentence > 1 and text.find("分别", s, e) >= 0:
            _share_comparators(report.original, quantities, first_of_sentence)
    sections = _sections(report, outline)
    tasks = find_tasks(report, outline, raw_sentences, [k for _, k in located], quantities,
                       year)
    terms = _terms(report, text, formula_spans)
    warnings: tuple[str, ...] = () if outline.found else (
        f"{report.source}: 未识别出报告提纲（一、二、…），可能不是政府工作报告；仍按全文抽取 "
        "(no outline found; extracted anyway)",)
    warnings += _role_balance(report.source, quantities)
    report_range = report.span(outline.report_start, outline.body_end)
    glossary = [Term(gs, ge, report.original[gs:ge], "glossary.numbered-note")
                for gs, ge in report.offsets.spans(outline.glossary)]
    return Extraction(report, year, tuple(sections), tuple(sentences), tuple(quantities),
                      tuple(tasks), tuple(terms), warnings, report_range, tuple(glossary))


_LIST_JOIN = re.compile(r"\s*[、和及与]\s*")
_NO_CLAUSE_BREAK = re.compile(r"[^，,；;。：:]*")


def _share_comparators(original: str, quantities: list[Quantity], first: int) -> None:
    """分别达2050万吨、4200万吨、19万吨以上: the comparator after the last figure of a 分别
    list bounds every figure of it (as the unit does), unless a figure has its own."""
    run = [first]
    for i in range(first + 1, len(quantities) + 1):
        if i < len(quantities) and _LIST_JOIN.fullmatch(
                original, quantities[i - 1].end, quantities[i].start) is not None:
            run.append(i)
            continue
        if len(run) > 1:
            head = quantities[run[0]]
            opened = original.rfind("分别", 0, head.start)
            last = quantities[run[-1]]
            if opened >= 0 and _NO_CLAUSE_BREAK.fullmatch(original, opened, head.start) \
                    and last.comparator in (">=", "<=", "~"):
                for j in run[:-1]:
                    if quantities[j].comparator == "=":
                        quantities[j] = quantities[j]._replace(comparator=last.comparator)
        run = [i]


def _formula_spans(lex: Lexicon, text: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), "term.lexicon") for m in lex.formula_re.finditer(text)]
    spans += [(m.start(1), m.end(1), "term.quoted-numeral") for m in _QUOTED_FORMULA.finditer(text)]
    spans += [(m.start(), m.end(), "term.package") for m in _PACKAGE.finditer(text)]
    spans.sort()
    return spans


_MARKS = "“”《》\""
_MARK_RE = re.compile("[“”《》\"]")


@lru_cache(maxsize=2)
def _quote_marks(text: str) -> tuple[list[int], list[tuple[int, int, int, int, int]]]:
    """Where the quote marks of ``text`` stand, and the counts of each kind (“ ” 《 》 ") up to
    and including each: one pass per text, then any span's counts by two bisections (a
    sentence of 20,000 figures asks 20,000 times). A memo of the last texts: str caches its
    hash, so asking again costs nothing."""
    positions: list[int] = []
    counts: list[tuple[int, int, int, int, int]] = []
    running = [0, 0, 0, 0, 0]
    for mark in _MARK_RE.finditer(text):
        running[_MARKS.index(mark.group())] += 1
        positions.append(mark.start())
        counts.append((running[0], running[1], running[2], running[3], running[4]))
    return positions, counts


def _inside(text: str, sent_start: int, pos: int) -> bool:
    """Is ``pos`` inside quotation marks or a book title opened in this sentence?"""
    positions, counts = _quote_marks(text)
    first, last = bisect_left(positions, sent_start), bisect_left(positions, pos)
    if first == last:
        return False
    before = counts[first - 1] if first else (0, 0, 0, 0, 0)
    o1, c1, o2, c2, ascii_ = (a - b for a, b in zip(counts[last - 1], before))
    return o1 > c1 or o2 > c2 or ascii_ % 2 == 1


def _exclusion(lex: Lexicon, text: str, cand: Candidate, s: int, e: int,
               formulas: list[tuple[int, int, str]], formula_starts: list[int]) -> str:
    info = cand.screened_unit()
    if info is not None and info.kind == "spec":
        return "excl.spec-unit"
    if cand.chinese and cand.value == 0:
        return "excl.zero"  # 零部件, 零就业
    if cand.chinese and info is not None and info.form in lex.arabic_only \
            and not cand.magnitude_only:  # (迈上万亿元台阶, 破亿度: a magnitude with its cue)
        return "excl.chinese-numeral-unit"  # 十分艰巨, 三分之一, 三元 (a name)
    token = text[cand.start:cand.end]
    if info is not None and info.form == "年" and _YEAR_TOKEN.match(token):
        return "excl.year"
    if _inside(text, s, cand.start):
        return "excl.quoted"
    i = bisect_right(formula_starts, cand.start) - 1
    for fs, fe, _ in formulas[max(0, i - 1):i + 2]:
        if fs < cand.end and cand.start < fe:
            return "excl.formula"
    screen = lex.screen_for(cand.chinese, info, cand.magnitude_only)
    if not screen.rules:
        return ""
    # every left rule is anchored at the candidate and every right rule at its end, with a
    # bounded reach: a window keeps each search short
    left = text[max(s, cand.start - min(_WINDOW, lex.left_reach)):cand.start]
    right = text[cand.end:min(e, cand.end + _WINDOW)]
    if not (screen.right is not None and screen.right.match(right)
            or screen.self is not None and screen.self.search(token)
            or any(regex.search(left, max(0, len(left) - reach)) for regex, reach in screen.left)):
        return ""
    for rule in screen.rules:
        if rule.side == "right":
            if not rule.regex.match(right):
                continue
        elif not rule.regex.search(left if rule.side == "left" else token):
            continue
        if rule.requires_right is not None and not rule.requires_right.search(right):
            continue
        if rule.unless_left is not None and rule.unless_left.search(left):
            continue
        return rule.id
    return ""


def _duration_ok(text: str, cand: Candidate, s: int) -> bool:
    """Durations are quantities only as a level or a bound (寿命80岁, 不低于2小时, 压缩至5个工作日)."""
    left = text[max(s, cand.start - _WINDOW):cand.start]  # every cue reads a few words back
    unit = cand.unit_info.form if cand.unit_info else ""
    if unit == "岁":
        return bool(re.search(r"寿命[^，。；]{0,8}$", left))
    if unit == "年":
        return bool(re.search(r"(年限|寿命)[^，。；]{0,16}$", left))
    if cand.comparator_rule == "cmp.at-most.time-limit-suffix":
        # 3个工作日内办结 is a time limit; 6个月内完成 is a deadline phrase, not a figure
        return unit in ("个工作日", "工作日", "个工作小时", "工作小时") \
            or _SERVICE_DONE.match(text, cand.end + 1) is not None
    if cand.comparator in (">=", "<="):
        return True
    # 空气优良天数达到300天, 办理时限3个工作日: the level of a count of days or of a time limit
    return bool(_CHANGE_VERB.search(left) or _DAYS_LEVEL.search(left))


def _role(lex: Lexicon, text: str, cand: Candidate, s: int, e: int, kind: str,
          year: int | None, cues: Cues) -> tuple[str | None, str]:
    """Target or achievement: the part decides, unless the sentence's cues (or, for a
    "paragraph" cue, the opening words of its paragraph) say otherwise."""
    base = lex.part_role.get(kind)
    if base is None:
        return None, ""
    # the cues before the figure are read within reach of it, the sentence's cues once per
    # sentence: a "sentence" of 20,000 figures stays linear
    left = text[max(s, cand.start - _ROLE_REACH):cand.start]
    if "“" in left:  # a cue word inside a quoted name (“两个确保”) is not a cue
        left = _QUOTED.sub("“”", left)
    if base == "target":
        opening = None  # the first words of the paragraph, read once if a cue needs them
        for rule_id, scope, regex in lex.achievement_cues:
            if scope == "paragraph":
                # 五年来，…。五年间，…: the whole paragraph looks back, unless this
                # clause itself looks ahead (今后五年, 力争)
                if opening is None:
                    start = text.rfind("\n", 0, s) + 1  # the cues are anchored at its start
                    opening = text[start:min(e, start + _WINDOW)]
                match = regex.search(opening)
                if match is None or rule_id == "role.past.plan-period" and not _ended(match, year):
                    continue
                if not any(r.search(left) for _, sc, r in lex.target_cues if sc == "left"):
                    return "achievement", rule_id
                continue
            if (_in_sentence(regex, text, s, e, cues) if scope == "sentence" else regex.search(left)):
                return "achievement", rule_id
        return "target", f"role.part.{kind}"
    for rule_id, scope, regex in lex.target_cues:
        match = _in_sentence(regex, text, s, e, cues) if scope == "sentence" else regex.search(left)
        if match:
            if rule_id == "role.future.goal-year":
                goal = int(match.group(2))
                if year is None or goal < year:
                    continue
            return "target", rule_id
    return "achievement", f"role.part.{kind}"


_ROLE_REACH = 1000  # characters before a figure its role cues are read in (no clause is longer)
Cues = dict[tuple[int, int, int], "re.Match[str] | None"]  # one text's sentence cues, found


def _in_sentence(regex: re.Pattern[str], text: str, s: int, e: int,
                 found: Cues) -> re.Match[str] | None:
    """``regex.search(text[s:e])``, once per sentence and cue however many figures ask."""
    key = (id(regex), s, e)
    if key not in found:
        if len(found) > 4096:
            found.clear()  # the sentences before are done with
        found[key] = regex.search(text[s:e])
    return found[key]


_BALANCE_MIN_FIGURES = 30  # fewer figures say little about a report's balance
_BALANCE_MIN_SHARE = 0.05  # a report reviews a year and plans the next: in 64 of the 66 corpus
# reports targets are 9-61 % of the figures; under 5 % a part was most likely misread (a review
# taken for a plan, or the reverse), or the report is an outgoing government's that mostly
# looks back (national 2003 and 2023: 3 % and 5 %), which a reader should know too


def _role_balance(source: str, quantities: list[Quantity]) -> tuple[str, ...]:
    """A warning when nearly every figure has the same role: a reader should check the parts."""
    if len(quantities) < _BALANCE_MIN_FIGURES:
        return ()
    targets = sum(1 for q in quantities if q.role == "target")
    share = targets / len(quantities)
    if _BALANCE_MIN_SHARE <= share <= 1 - _BALANCE_MIN_SHARE:
        return ()
    few, name = (targets, "目标 targets") if share < 0.5 else (
        len(quantities) - targets, "成绩 achievements")
    return (f"{source}: {len(quantities)} 个数量中只有 {few} 个是{name}，请核对各部分的分类 "
            f"(role balance implausible: {few} of {len(quantities)} are {name.split()[1]})",)


_PLAN_NUMBER = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15, "六": 16}


def _ended(match: re.Match[str], year: int | None) -> bool:
    """Has the five-year plan named by group 1 (十四五: 2021–2025) ended before ``year``?"""
    number = _PLAN_NUMBER.get(match.group(1))
    return year is not None and number is not None and 2010 + 5 * (number - 11) < year


def _sections(report: Report, outline: Outline) -> list[Section]:
    blocks = outline.parts + outline.subparts + outline.leads
    whole = report.offsets.spans([(b.start, b.end) for b in blocks])
    titles = report.offsets.spans([(b.title_start, b.title_end) for b in blocks])
    out = [Section(b.level, b.number, b.title, b.kind, s, e, ts, te, b.rule)  # type: ignore[arg-type]
           for b, (s, e), (ts, te) in zip(blocks, whole, titles)]
    out.sort(key=lambda x: (x.start, x.level))
    return out


def _terms(report: Report, text: str, spans: list[tuple[int, int, str]]) -> list[Term]:
    original = report.offsets.spans([(s, e) for s, e, _ in spans])
    return [Term(os_, oe, text[s:e], rule) for (s, e, rule), (os_, oe) in zip(spans, original)]
