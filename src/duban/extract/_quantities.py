"""Find quantity mentions in a sentence and resolve value, unit and comparator.

Finding a span and resolving it are separate steps: ``find_candidates`` reads
number + multiplier + unit (or a range, or a magnitude with a cue), and
``resolve`` applies exclusions and comparators. Offsets are into the repaired text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ._lexicon import Lexicon, UnitInfo
from ._numbers import (
    CN_CHARS, MULTIPLIERS, is_magnitude_only, parse_arabic, parse_chinese, parse_chinese_decimal,
)

_AFTER_MULT = re.compile(r"(?:左右|以上|多|余)?")  # between 万/亿 and the counted noun
_NUMBER = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_CHARS}]+")
_MULT = re.compile(r"万亿|千亿|百亿|十亿|千万|百万|亿|万|千")
_APPROX = re.compile(r"多|余")
_DASH = re.compile(r"[—－\-~～至到]{1,2}")
_MAGNITUDE_CUE = ("上", "超", "突破", "破", "过", "达到", "达", "迈上", "跨上", "逾", "近", "超过", "均破",
                  "站上", "跨过", "稳在", "保持在", "稳定在", "跃上", "登上")
_ONE_OK = set("座条所栋处幢")  # 一 counts only concrete things: 一座公园, 一条环路 (not 一批, 一个)
_BOUND_AFTER = re.compile(r"以上|以下|左右")
_YEAR = re.compile(r"(19|20)\d\d$")
_QUOTES = {"“": "”", "《": "》", '"': '"', "「": "」", "‘": "’"}


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    value: float | None
    unit: str
    unit_info: UnitInfo | None
    upper: float | None = None
    approx: bool = False  # 多/余 inside the number
    chinese: bool = False
    magnitude_only: bool = False
    implicit: str = ""  # rule that supplied an implicit unit
    comparator: str = "="
    comparator_rule: str = ""
    excluded: str = ""

    def screened_unit(self) -> UnitInfo | None:
        """The unit the exclusions see: a bare number that counts the noun after it
        (1000万以上农村贫困人口) is screened as that count (as 万人 would be), so it is no
        threshold on them."""
        if self.unit_info is None and self.implicit == "unit.implicit.counted-noun":
            return UnitInfo(self.unit, self.unit, "count", 1.0, self.implicit)
        return self.unit_info


def _unit_at(lex: Lexicon, text: str, pos: int, end: int) -> UnitInfo | None:
    match = lex.unit_re.match(text, pos, end)
    if match is None:
        return None
    goes_on = lex.word_goes_on.get(match.group())
    if goes_on and text[match.end():match.end() + 1] in tuple(goes_on):
        return None  # 百亿台阶: 台 starts a word
    return lex.units[match.group()]


_ARABIC = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(多|余)?(万亿|千亿|百亿|十亿|千万|百万|亿|万|千)?(多|余)?")


def _read_number(text: str, pos: int, end: int) -> tuple[float, int, bool, bool, bool] | None:
    """Value, end, approx, chinese, magnitude_only of the number starting at ``pos``."""
    if text[pos].isdigit():
        # digits, 多/余, a multiplier, 多/余 again (9000多万吨, 3万余场次, 1亿多) in one match
        arabic = _ARABIC.match(text, pos, end)
        if arabic is None:
            return None
        digits, more, mult, more_after = arabic.groups()
        value = parse_arabic(digits)
        if mult:
            value *= MULTIPLIERS[mult]
        return value, arabic.end(), bool(more or more_after), False, False
    match = _NUMBER.match(text, pos, end)
    if not match:
        return None
    token = match.group()
    # Chinese: the longest prefix that parses (十万户 -> 十万; 三区三线 -> 三)
    for cut in range(len(token), 0, -1):
        parsed = parse_chinese(token[:cut])
        if parsed is not None:
            cursor = pos + cut
            approx = False
            more = _APPROX.match(text, cursor, end)
            if more:
                approx, cursor = True, more.end()
            return parsed, cursor, approx, True, is_magnitude_only(token[:cut])
    return None


_SPELLED_NUMERAL = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:[点·][零〇一二三四五六七八九]+)?)"
# 百分之二十八点八, 千分之五, 百分之十三至百分之十五 (older reports spell shares out)
_SPELLED_SHARE = re.compile(
    rf"([百千])分之({_SPELLED_NUMERAL})(?:(?:至|到|—|－|-|~)(?:[百千]分之)?({_SPELLED_NUMERAL}))?")


def _spelled_share(lex: Lexicon, text: str, s: int, end: int) -> Candidate | None:
    match = _SPELLED_SHARE.match(text, s, end)
    if match is None:
        return None
    value = _spelled_value(match.group(2))
    if value is None:
        return None
    upper = _spelled_value(match.group(3)) if match.group(3) else None
    stop = match.end() if upper is not None else match.end(2)
    unit = lex.units["%" if match.group(1) == "百" else "‰"]
    return Candidate(s, stop, value, unit.canonical, unit, upper=upper,
                     implicit="unit.percent.spelled-out")


def _spelled_value(token: str) -> float | None:
    return float(token) if token[0].isdigit() else parse_chinese_decimal(token)


def find_candidates(lex: Lexicon, text: str, start: int, end: int) -> list[Candidate]:
    """Number + unit spans in ``text[start:end]`` (one sentence)."""
    out: list[Candidate] = []
    pos = start
    while True:
        # Arabic numbers, and Chinese numerals followed by what could start a unit
        # (一是, 统一, 十四五 are skipped inside the regex engine)
        match = lex.number_re.search(text, pos, end)
        if not match:
            break
        s = match.start()
        if text.startswith("分之", s + 1):
            share = _spelled_share(lex, text, s, end)
            if share is not None:
                out.append(share)
                pos = share.end
                continue
        read = _read_number(text, s, end)
        if read is None:
            pos = match.end()
            continue
        value, cursor, approx, chinese, magnitude = read
        if chinese and s > start and text[s - 1].isdigit():
            pos = cursor  # a multiplier after digits is handled with them
            continue
        cand = _complete(lex, text, s, cursor, end, value, approx, chinese, magnitude, start)
        if cand is None:
            pos = max(match.end(), s + 1)
            continue
        out.append(cand)
        pos = cand.end
    _ratios(lex, text, start, end, out)
    return out


def _complete(lex: Lexicon, text: str, s: int, cursor: int, end: int, value: float,
              approx: bool, chinese: bool, magnitude: bool, sent_start: int) -> Candidate | None:
    unit = _unit_at(lex, text, cursor, end)
    upper = None
    if not chinese:
        # a range: 6%—6.5%, 6.5%－7%, 5至6个
        after_first = cursor + (len(unit.form) if unit else 0)
        dash = _DASH.match(text, after_first, end)
        if dash and _is_digit(text, dash.end(), end):
            nxt = _read_number(text, dash.end(), end)
            unit2 = _unit_at(lex, text, nxt[1], end) if nxt else None
            if nxt and unit2 is not None and (unit is None or unit2.canonical == unit.canonical):
                upper, cursor, unit = nxt[0], nxt[1], unit2
    if unit is not None:
        stop = cursor + len(unit.form)
        per = _per_unit(lex, text, stop, end)
        denominator = text[stop:per] if per is not None else ""
        if unit.form == "分" and not chinese and (
                _FEN_PER.fullmatch(denominator)
                or not denominator and _MONEY_FEN.search(text, max(sent_start, s - 12), s)):
            # 每公斤提高5分, 电价下降5分/千瓦时: a price in fen (0.01 元), not a score
            return Candidate(s, per or stop, value * 0.01, "元" + denominator, lex.units["元"],
                             approx=approx, implicit="unit.money.fen")
        if per is not None:  # 0.02人/亿元, 35微克/立方米: a rate, read whole (its bound follows it)
            unit = UnitInfo(unit.form + denominator, unit.canonical + denominator,
                            unit.kind, unit.factor, "unit.rate.per")
            stop = per
        if chinese and value == 1 and unit.form not in _ONE_OK:
            return None
        if magnitude and not _has_magnitude_cue(text, s, sent_start) \
                and not _BOUND_AFTER.match(text, stop, end):  # 建设千座以上充电站
            return None
        if chinese and unit.kind in ("duration", "spec") and unit.form not in ("岁",):
            return None
        cand = Candidate(s, stop, value * unit.factor, unit.canonical, unit, upper=upper,
                         approx=approx, chinese=chinese, magnitude_only=magnitude)
        if upper is not None:
            cand.upper = upper * unit.factor
        return cand
    if chinese and not (magnitude and _has_magnitude_cue(text, s, sent_start)):
        return None
    return _implicit(lex, text, s, cursor, end, value, approx, sent_start)


_PER = re.compile(r"[/／](?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)?")
# a price per weight or per volume said in fen: 每公斤提高5分, 电价每千瓦时降低2分
_PER_TIME = re.compile(r"[·•][月年日天]")
_FEN_PER = re.compile(r"[/／](公斤|千克|斤|吨|千瓦时|度|立方米|方|升)")
_MONEY_FEN = re.compile(r"(每|/)(公斤|千克|斤|吨|千瓦时|度|立方米|方|升)[^，。；]{0,6}$")


def _per_unit(lex: Lexicon, text: str, stop: int, end: int) -> int | None:
    """End of the denominator of a rate unit starting at ``stop`` (人/亿元, 吨/万元), or None."""
    if stop >= end or text[stop] not in "/／":
        return None
    ends = [found.end() for at in (stop + 1, *(m.end() for m in [_PER.match(text, stop, end)] if m))
            if (found := lex.unit_re.match(text, at, end)) is not None]
    last = max(ends, default=None)  # 分/千瓦时, not 分/千 + 瓦
    if last is not None:  # 190元/人·月
        per_time = _PER_TIME.match(text, last, end)
        last = per_time.end() if per_time else last
    return last


def _is_digit(text: str, pos: int, end: int) -> bool:
    return pos < end and text[pos].isdigit()


def _has_magnitude_cue(text: str, s: int, sent_start: int) -> bool:
    left = text[max(sent_start, s - 3):s]
    return any(left.endswith(cue) for cue in _MAGNITUDE_CUE)


_PEOPLE_CONTEXT = re.compile(
    r"(人口|群众|人员|劳动力|务工|学生|职工|农民工|毕业生|居民|残疾人|纳税人|员额)[^，。；、]{0,10}$")
_CONTEXT_REACH = 40  # the context words below stand at most this far before the number
_MONEY_CONTEXT = re.compile(
    r"(收入|预算|投资|资金|补助|补贴|产值|营收|总额|销售额|成交额|债券|贷款|存款|融资|税收"
    r"|生产总值|经济总量|增加值)[^，。；、]{0,10}$")
_CLASS_OF_PLACES = re.compile(r"(大?[县市镇乡村省国]|城市|规模)")
_PER_ONE = re.compile(r"[:∶]1(?![\d.:∶])")
_RATIO_CONTEXT = re.compile(r"(收入比|倍差|收入之比)(值)?[^，。；]{0,14}$")
_SCORE_CONTEXT = re.compile(r"(满意度|满意率得分|得分|评分|指数)[^，。；]{0,6}$")


def _implicit(lex: Lexicon, text: str, s: int, cursor: int, end: int, value: float,
              approx: bool, sent_start: int) -> Candidate | None:
    """A number with no unit word: 8000万纳税人 -> 人, 收入比2.2 -> 倍, 满意度89.6 -> 分."""
    token = text[s:cursor]
    has_mult = bool(re.search(r"[万亿]", token))
    left = text[max(sent_start, s - _CONTEXT_REACH):s]
    if has_mult:
        after = _AFTER_MULT.match(text, cursor, cursor + 2)
        skip = after.end() - cursor if after else 0
        noun = lex.counted_re.match(text, cursor + skip, end)
        if noun is None:  # 9748万农村人口, 1000万以上农村贫困人口: modifiers before the noun
            modified = lex.counted_modifier_re.match(text, cursor + skip, end)
            if modified is not None:
                noun = lex.counted_re.match(text, modified.end(), end)
        if noun is not None:  # 贫困家庭学生 counts students
            noun = lex.counted_re.match(text, noun.end(), end) or noun
        if noun is not None and _CLASS_OF_PLACES.match(text, noun.end(), end):
            return None  # 20万以上人口县: a class of counties by size, no count of people
        if noun:
            return Candidate(s, cursor, value, lex.counted_nouns[noun.group()], None, approx=approx,
                             implicit="unit.implicit.counted-noun")
        if _PEOPLE_CONTEXT.search(left):
            return Candidate(s, cursor, value, "人", None, approx=approx,
                             implicit="unit.implicit.people-context")
        if _MONEY_CONTEXT.search(left) and _unit_at(lex, text, cursor + skip, end) is None:
            # 一般公共预算收入稳在百亿以上, 争取转移支付补助首次突破百亿大关: 元 is understood
            return Candidate(s, cursor, value, "元", None, approx=approx,
                             implicit="unit.implicit.money-context")
        return None
    if _YEAR.match(token) or "." not in token and value >= 100:
        return None
    if _RATIO_CONTEXT.search(left) and value < 10:
        per_one = _PER_ONE.match(text, cursor, end)
        if per_one:  # 收入比缩小至2.27:1: the ratio is 2.27 (the span keeps ":1")
            return Candidate(s, per_one.end(), value, "倍", None, implicit="unit.implicit.ratio")
        if text[cursor:cursor + 1] not in (":", "∶"):
            return Candidate(s, cursor, value, "倍", None, implicit="unit.implicit.ratio")
    if _SCORE_CONTEXT.search(left) and "." in token:
        return Candidate(s, cursor, value, "分", None, implicit="unit.implicit.score")
    return None


_SHARES = re.compile(r"(\d+(?:\.\d+)?)[:∶](\d+(?:\.\d+)?)[:∶](\d+(?:\.\d+)?)")


def _ratios(lex: Lexicon, text: str, start: int, end: int, out: list[Candidate]) -> None:
    """三次产业比重为4.0∶37.7∶58.3: three shares, each a percentage."""
    if text.find("∶", start, end) < 0 and text.find(":", start, end) < 0:
        return
    for match in _SHARES.finditer(text, start, end):
        if not re.search(r"(比重|结构|比例)[^，。；]{0,4}$", text[max(start, match.start() - 8):match.start()]):
            continue
        for g in (1, 2, 3):
            out.append(Candidate(match.start(g), match.end(g), float(match.group(g)), "%", None,
                                 implicit="unit.implicit.shares"))
    out.sort(key=lambda c: c.start)


def resolve_comparator(lex: Lexicon, text: str, cand: Candidate, sent_start: int,
                       sent_end: int) -> None:
    if cand.upper is not None:
        cand.comparator, cand.comparator_rule = "range", "cmp.range"
        return
    left = text[max(sent_start, cand.start - 6):cand.start]
    right = text[cand.end:min(sent_end, cand.end + 6)]
    kind = lex.kind_cmp.get(cand.unit_info.kind) if cand.unit_info is not None else None
    if kind is not None:  # 压缩至3个工作日, 5个工作日内办结: a time limit is a ceiling
        pre_re, suf_re, words = kind
        found = suf_re.match(right) or pre_re.search(left)
        if found is not None:
            cand.comparator, cand.comparator_rule = words[found.group()]
            return
    suffix = lex.suffix_re.match(right)
    if suffix:
        cand.comparator, cand.comparator_rule = lex.suffix_cmp[suffix.group()]
        return
    if cand.approx:
        cand.comparator, cand.comparator_rule = ">=", "cmp.at-least.inner"
        return
    prefix = lex.prefix_re.search(left)
    if prefix:
        word = prefix.group()
        if word in ("上", "过", "破") and not cand.magnitude_only and len(left) >= 2 \
                and left[-2] in "以向上比年线路马北":
            return  # 以上, 向上, 比上年: not a bound on this number
        cand.comparator, cand.comparator_rule = lex.prefix_cmp[word]
