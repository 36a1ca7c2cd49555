"""The promise check: year N's targets against year N+1's review.

For each target of N the check looks, in N+1's account of year N, for the figure or the words
that report the same object in a comparable measure, and compares them. Precision first: a
link needs the objects to agree (the words around both, weighted by nearness and rarity, or
the indicator names folded by ``data/indicators.toml``); an equal figure is evidence only
then, and what is not found is ``not_mentioned``. Only the year's own figures count: five-year
totals and averages (``extract.quantity_period``) are no outcome of a year's target. A figure
of a 分别 list speaks of its own series. Words state an outcome where no figure does
(``data/verdicts.toml``: 建成 met, 进展顺利 partly, 乏力 missed). Pure: two Extractions in,
links out, each with its confidence and its reason in Chinese.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal, cast

from ..extract import quantity_period, unit_kind
from ..models import Extraction, Quantity
from ..rules import load_table
from ._context import (
    Context, Rarity, agreement, bigrams, clause_of, contrast, covered, covered_own, object_mass,
    sentence_of,
)
from ._direction import lower_is_better
from ._items import series_of
from ._palette import Colour, load_palette

Verdict = Literal["exceeded", "met", "partly", "missed", "not_mentioned"]
VERDICTS: tuple[Verdict, ...] = ("exceeded", "met", "partly", "missed", "not_mentioned")
# words and colours of the verdicts: data/status.toml
VERDICT_ZH: dict[str, str]
VERDICT_COLOURS: dict[str, Colour]
VERDICT_ZH, VERDICT_COLOURS = load_palette("verdict", VERDICTS)
_EXPLICIT_MET = re.compile(r"(超额完成|圆满完成|全面完成|顺利完成|如期完成|完成了?[^，。；]{0,8}目标)")
_PERCENT_OF = re.compile(r"完成[^，。；]{0,12}?(目标任务|计划|年度目标)的(\d+(?:\.\d+)?)%")
_GROWTH = re.compile(r"(增长|增速|增幅|涨幅|下降|提高|降低|上涨|减少|增加|降幅|速度)")
# a target for an increase over last year's figure (比上年增加110万套, 再增加40元)
_INCREMENT = re.compile(r"(增加|增资|多|提高|上调|提升|增长)$")
# a total reached: 国家高新技术企业突破3000家, 村达到110个以上
_STOCK = re.compile(r"(突破|达到|达|超过|增至|总数|总量|累计)[^，。；、\d]{0,2}$")
# a figure of things added in the year (新增就业, 新建20座, 新开3条航线)
_FLOW = re.compile(r"(新增|新建|新开|新改建|新修|开通|开辟|引进|新培育|新创建)")
# a verdict word followed by a figure states the figure (完成10.4亿元), not a status
_NUMBER_NEXT = re.compile(r"了?[^，,。；;、\d]{0,8}?[约近超达]?\d")
_COMPARATOR_ZH = {"=": "", ">=": "≥", "<=": "≤", "~": "左右", "range": "区间"}

# how sure a link must be, and what counts as evidence (set on the development pairs, checked
# on pairs held out and on pairs annotated blind; tests/promise/NOTES.md)
_LINK = 0.42  # objects agree enough to link a figure in a comparable unit
_EQUAL_BONUS = 0.2  # 96户 planned, 96户 reported: evidence once the objects agree
_EQUAL_FLOOR = 0.22  # an equal figure with its object named scores at least this
_EQUAL_CLEAR = 0.45  # an equal figure whose own words name this much overrides a contrast
_EQUAL_NAMED = 0.35  # how much of one object the other must name for an equal figure to count
_OTHER_COUNT = 0.12  # 335座 -> 335户: another measure word costs this much
_WORDS = 0.45  # objects agree enough to take words as the outcome
_RATIO = 5.0  # a figure more than five times off the target is another indicator
_SMALL = 20  # counts below this may differ more than _RATIO
_CLOSE = 0.05  # a figure near the target wins a tie
_MARGIN = 0.15  # a target that wants a figure this much less than another leaves it
_RECALL = 0.7  # words: how much the target's object counts against the clause's
_WORDS_RECALL = 0.55  # words: they must name most of the target's object
_WORDS_PRECISION = 0.2  # words: and be in some part about it
_MIN_OBJECT = 1.2  # words: an object named by less (bigrams by rarity) is too vague to find


@dataclass(frozen=True)
class Link:
    target: Quantity
    outcome: Quantity | None
    verdict: Verdict
    reason: str
    score: float = 0.0
    evidence: str = "none"  # number | words | none

    @property
    def confidence(self) -> float:
        """How sure the link is, 0..1 (an honest 未提及 is sure of nothing)."""
        return max(0.0, min(1.0, self.score))

    def to_json(self) -> dict[str, object]:
        t, o = self.target, self.outcome
        return {
            "target": {"start": t.start, "end": t.end, "quote": t.quote, "indicator": t.indicator,
                       "value": t.value, "unit": t.unit, "comparator": t.comparator},
            "outcome": None if o is None else {
                "start": o.start, "end": o.end, "quote": o.quote, "indicator": o.indicator,
                "value": o.value, "unit": o.unit, "comparator": o.comparator},
            "verdict": self.verdict, "verdict_zh": VERDICT_ZH[self.verdict],
            "reason": self.reason, "score": round(self.score, 3),
            "confidence": round(self.confidence, 3), "evidence": self.evidence,
        }


# --- indicator names (the extractor's words, folded by data/indicators.toml) ---------------

@cache
def _vocabulary() -> tuple[tuple[str, ...], list[tuple[str, tuple[str, ...]]]]:
    table = load_table("indicators.toml")
    groups = [(entry["words"][0], tuple(sorted(entry["words"], key=len, reverse=True)))
              for entry in table["synonyms"]]
    drop = list(table["drop"]) + list(table.get("verbs", []))
    return tuple(sorted(drop, key=len, reverse=True)), groups


def normalise(indicator: str) -> str:
    """The indicator folded to canonical words, framing dropped."""
    drop, groups = _vocabulary()
    text = re.sub(r"[\d.%％、，,（）()“”\s]", "", indicator)
    for canonical, words in groups:  # synonyms first: a drop word may sit inside one
        for word in words:
            if word in text:
                text = text.replace(word, "\x00" + canonical + "\x00")
                break
    pieces = text.split("\x00")
    for i in range(0, len(pieces), 2):  # drop framing words outside the canonical names
        for word in drop:
            pieces[i] = pieces[i].replace(word, "")
    return "".join(pieces)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams of the normalised indicators."""
    x, y = _bigrams(normalise(a)), _bigrams(normalise(b))
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


# --- verdicts --------------------------------------------------------------------------------

def human(value: float | None, unit: str) -> str:
    """A figure as a report writes it: 4.7亿元, 3.8万亿元, 1.6万人, 8%, never 4.7e+08."""
    if value is None:
        return "—"
    if unit in ("%", "百分点"):
        return f"{value:g}{'个百分点' if unit == '百分点' else '%'}"
    magnitude, scale = "", 1.0
    def whole(step: float) -> bool:
        return abs(value / step - round(value / step)) < 1e-6

    if abs(value) >= 1e12 and whole(1e10):
        magnitude, scale = "万亿", 1e12
    elif abs(value) >= 1e8 and whole(1e6):
        magnitude, scale = "亿", 1e8
    elif abs(value) >= 1e4 and whole(100):
        magnitude, scale = "万", 1e4
    number = f"{value / scale:.4f}".rstrip("0").rstrip(".")
    return f"{number}{magnitude}{unit}"


def _shown(target: Quantity, outcome: Quantity) -> str:
    comparator = _COMPARATOR_ZH.get(target.comparator, target.comparator)
    mark = f"（{comparator}）" if comparator else ""
    return (f"目标{human(target.value, target.unit)}{mark}，"
            f"实际{human(outcome.value, outcome.unit)}")


def verdict(target: Quantity, outcome: Quantity, context: str = "",
            opposite: bool = False) -> tuple[Verdict, str]:
    """Compare the outcome with the target, in the target's unit and direction; ``opposite``:
    the outcome moved the other way (增长7% planned, 下降3% reported)."""
    explicit = _PERCENT_OF.search(context)
    if explicit:
        share = float(explicit.group(2))
        return ("exceeded" if share > 100 else "met" if share >= 100 else "partly",
                f"报告称完成{explicit.group(1)}的{explicit.group(2)}%")
    t, a = target.value, outcome.value
    if t is None or a is None:
        if _EXPLICIT_MET.search(context):
            return "met", "报告称已完成"
        return "missed", "无法比较数值"
    growth = target.unit in ("%", "百分点") and bool(_GROWTH.search(target.indicator))
    tolerance = 0.5 if growth else 0.05 * abs(t)
    shown = _shown(target, outcome)
    if opposite:  # 增长7% planned, 下降3% reported
        a = -a
        shown = shown.replace("实际", "实际反向", 1)
    if lower_is_better(target.indicator, target.comparator):
        limit = t + (tolerance if target.comparator == "~" else 0)
        if a <= limit:
            better = a < t - tolerance
            return ("exceeded" if better else "met"), shown + ("，优于控制目标" if better else
                                                               "，控制在目标以内")
        return ("partly" if a <= t + 2 * tolerance else "missed"), shown + "，超过控制目标"
    low = t - (tolerance if target.comparator == "~" else 0)
    high = (target.upper if target.comparator == "range" and target.upper is not None
            else t + tolerance)
    if a >= low:
        return ("exceeded", shown + "，超额完成") if a > high else ("met", shown + "，完成")
    if a > 0 and a >= 0.5 * t:  # the right way and at least half of it (NOTES.md)
        return "partly", shown + ("，接近但未达到" if a >= t - 2 * tolerance else "，未达到")
    if _EXPLICIT_MET.search(context):
        return "met", shown + "；报告称已完成"
    return "missed", shown + "，明显未达到"


# --- the figures in their context -----------------------------------------------------------

@dataclass(frozen=True)
class _Figure:
    """A figure in its context: what it speaks of and how it counts."""

    quantity: Quantity
    context: Context
    names: tuple[str, ...]  # the indicator's name, or the series a figure binds
    growth: bool  # a growth rate (增长8%), not a level or a share
    decline: bool  # a rate of fall (下降3%), not of rise
    increment: bool  # an increase over last year's figure (比上年增加100万户)
    flow: bool  # things added in the year (新增, 新建)
    period: str
    clause: str = ""
    rivals: tuple[str, ...] = ()  # the other series of its 分别 list (农村… for 城镇…)
    groups: frozenset[str] = frozenset()  # the indicators (data/indicators.toml) it names
    stage: str = ""  # start (开工, 新安排) or finish (建成, 竣工): what its verb counts
    series: tuple[_Figure, ...] = ()  # one per series a single figure binds (城乡…均增长8%)
    stock: bool = False  # a total reached (突破3000家, 达到110个), not things added


def _figures(quantities: list[Quantity], text: str, year: int | None,
             every: list[tuple[int, int]]) -> list[_Figure]:
    out = []
    for q in quantities:
        if not text or q.end > len(text) or text[q.start:q.end] != q.quote:
            context = Context({g: 1.0 for g in _bigrams(q.indicator) if len(g) == 2})
            out.append(_Figure(q, context, (q.indicator,), _is_growth(q, q.indicator),
                               _is_decline(q.indicator), False,
                               bool(_FLOW.search(q.indicator)), "year",
                               groups=_groups(q.indicator)))
            continue
        out.append(_figure(q, text, year, every))
    return out


def _figure(q: Quantity, text: str, year: int | None, every: list[tuple[int, int]]) -> _Figure:
    series = series_of(text, q.start, q.end, every)
    c0, c1 = clause_of(text, q.start, q.end)
    before, after = text[c0:q.start], text[q.end:c1]
    blank = [s for s in every if s != (q.start, q.end)]
    if series is not None:
        blank += list(series.others)
    context = Context.around(text, q.start, q.end, blank)
    words = _masked(text, c0, c1, blank)
    names: tuple[str, ...] = (q.indicator,)
    rivals: tuple[str, ...] = ()
    if series is not None and len(series.items) == 1:
        context = _with_item(context, series.items[0])
        words, names = series.items[0], series.items
        rivals = tuple(text[a:b] for a, b in series.others)
    growth = _is_growth(q, before) if _GROWTH.search(before) or _SHARE.search(before) \
        else _is_growth(q, q.indicator + after)
    groups = _groups(words) or _groups(context.own)
    if growth and not groups and re.match(r"(左右|以上)?的?(增速|速度)", after):
        # 6.5%左右的增速可以实现比较充分的就业: a bare 增速 is the economy's
        groups, names = _groups("经济增长"), names + ("经济增长",)
    increment = bool(_INCREMENT.search(before.rstrip("约近了 "))) and (
        q.unit not in ("%", "百分点")) and not (
        unit_kind(q.unit) != "money" and re.search(r"(提高|提升|上调)$", before))
    lead = re.split(r"[、，,]", before)[-1]  # the figure's own item: 新增…789户、累计突破3300户
    flow = bool(_FLOW.search(lead)) or (not _STOCK.search(lead)
                                        and bool(_FLOW.search(before + after)))
    base = _Figure(q, context, names, growth, _is_decline(before or q.indicator), increment,
                   flow,
                   quantity_period(text, q.start, q.end, year), text[c0:c1], rivals, groups,
                   _stage_of(before + after),
                   stock=bool(_STOCK.search(lead)) and not _FLOW.search(lead))
    if series is None or len(series.items) < 2:
        return base
    items = []
    for i, item in enumerate(series.items):
        others = [span for k, span in enumerate(series.spans) if k != i]
        item_context = _with_item(Context.around(text, q.start, q.end, blank + others), item)
        items.append(replace(base, context=item_context, names=(item,), groups=_groups(item),
                             rivals=tuple(text[a:b] for a, b in others)))
    return replace(base, names=series.items, series=tuple(items),
                   groups=frozenset().union(*(item.groups for item in items)))


def _masked(text: str, start: int, end: int, blank: list[tuple[int, int]]) -> str:
    chars = list(text[start:end])
    for b0, b1 in blank:
        for i in range(max(b0, start), min(b1, end)):
            chars[i - start] = "\x00"
    return "".join(chars)


@cache
def _group_words() -> tuple[re.Pattern[str], dict[str, str]]:
    group: dict[str, str] = {}
    for entry in load_table("indicators.toml")["synonyms"]:
        for word in entry["words"]:
            if word not in entry.get("loose", []):
                group.setdefault(word, entry["id"])
    words = sorted(group, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)"), group


def _groups(words: str) -> frozenset[str]:
    """The indicators of data/indicators.toml a clause names, the longest name first
    (单位国内生产总值能耗 is energy, not GDP; 城镇登记失业率 is the registered rate)."""
    regex, group = _group_words()
    return frozenset(group[m.group(0)] for m in regex.finditer(words))


_START = re.compile(r"(新开工|开工|新安排|动工|开建)")
_FINISH = re.compile(r"(基本建成|建成|竣工|完工|交付)")


def _stage_of(words: str) -> str:
    start, finish = _START.search(words), _FINISH.search(words)
    if start and not finish:
        return "start"
    if finish and not start:
        return "finish"
    return ""


def _prefers_rival(own: str, rivals: tuple[str, ...], other: Context) -> bool:
    """城镇居民收入 35512元 is no outcome of a target that names 农村: the other side names a
    rival series of the list better than this one's own."""
    if not rivals:
        return False

    def named(item: str) -> float:
        grams = [g for g in bigrams(item) if g not in bigrams_of_all]
        if not grams:
            return 0.0
        return sum(1 for g in grams if other.weights.get(g, 0.0) >= 0.99) / len(grams)

    bigrams_of_all = set(bigrams(own))
    for rival in rivals:
        bigrams_of_all &= set(bigrams(rival))
    mine = named(own)
    # the other side may name this series and its rivals at once (5G基站、充电设施、公共停车位
    # 均超过8000个): only one that names a rival and hardly this one is another's
    return mine < 0.5 and any(named(rival) > mine for rival in rivals)


def _with_item(context: Context, item: str) -> Context:
    weights = dict(context.weights)
    for gram in Context.around(item, 0, 0).weights:
        weights[gram] = 1.0
    return Context(weights)


# a rate per unit (每增长1个百分点, 平均每天新增1.2万户) is no outcome of a year's target
_PER = re.compile(r"每[^，。；]{0,4}$")
_DECLINE = re.compile(r"(下降|降低|减少|回落|下滑|负增长|降幅|减|降)")


def _is_decline(words: str) -> bool:
    """The growth verb nearest the figure is one of a fall (下降3%, 减少2%)."""
    growth = [m.end() for m in _GROWTH.finditer(words)] + [m.end() for m in
                                                          _DECLINE.finditer(words)]
    falls = [m.end() for m in _DECLINE.finditer(words)]
    return bool(falls) and max(falls) >= max(growth)


_SHARE = re.compile(r"(率|比重|占比|比例|贡献率|份额|覆盖面)")


def _is_growth(q: Quantity, words: str) -> bool:
    """A rate of change (增长8%, 涨幅3%), not a share (贡献率66.4%, 失业率4.5%): the word
    nearest the figure decides."""
    if q.unit not in ("%", "百分点"):
        return False
    growth = [m.end() for m in _GROWTH.finditer(words)]
    share = [m.end() for m in _SHARE.finditer(words)]
    return bool(growth) and (not share or max(growth) > max(share))


# --- matching --------------------------------------------------------------------------------

def _family(unit: str) -> str:
    return {"百分点": "%", "名": "人", "位": "人"}.get(unit, unit)


def _units(target: Quantity, outcome: Quantity) -> float | None:
    """0 when the units are the same measure, a penalty when both count things with another
    measure word (335座 -> 335户, 就业岗位 个 -> 人), None when they cannot be compared."""
    a, b = _family(target.unit), _family(outcome.unit)
    if a == b:
        return 0.0
    if unit_kind(a) == "count" and unit_kind(b) == "count":
        return _OTHER_COUNT
    return None


def _closeness(target: Quantity, outcome: Quantity) -> float:
    """1 when the outcome equals the target, falling to 0 at twice or half of it."""
    t, o = target.value, outcome.value
    if not t or not o or t * o <= 0:
        return 0.0
    if target.unit in ("%", "百分点"):
        return max(0.0, 1 - abs(o - t) / max(abs(t), 1.0))
    return max(0.0, 1 - abs(math.log(o / t)) / math.log(2))


def _same_figure(target: Quantity, outcome: Quantity) -> bool:
    """The same, non-trivial number: 96户 / 183人 / 136个 / 4000户, not 100% or 2个."""
    if target.value is None or outcome.value is None or target.value != outcome.value:
        return False
    return target.unit not in ("%", "百分点") and target.value >= 10


def _object(t: _Figure, o: _Figure, rarity: Rarity) -> float:
    """How well the two objects agree: their contexts, or the indicator names folded by
    data/indicators.toml when both name one of its indicators."""
    best = agreement(t.context, o.context, rarity)
    if t.groups & o.groups:
        for name in t.names:
            for other in o.names:
                best = max(best, similarity(name, other))
    return best


def _score(t: _Figure, o: _Figure, rarity: Rarity) -> float:
    target, outcome = t.quantity, o.quantity
    penalty = _units(target, outcome)
    if penalty is None:
        return 0.0
    if o.period == "multi_year" or (o.period == "level" and t.flow):
        return 0.0
    if t.increment and not o.increment:
        return 0.0  # 比上年增加100万户 is not the year's 432万户
    if target.unit in ("%", "百分点") and t.growth != o.growth:
        return 0.0
    if not (target.unit in ("%", "百分点") and t.growth) and target.value and outcome.value:
        # a level or a share five times off the target is another indicator (3.1% of GDP
        # for research is not 60.7% for services); a growth rate may fall anywhere
        ratio = outcome.value / target.value
        small = unit_kind(target.unit) == "count" and max(target.value, outcome.value) < _SMALL
        if not small and not 1 / _RATIO <= ratio <= _RATIO:
            return 0.0  # (a handful may well become seven: 各开工建设一所 -> 开建7所)
    if _prefers_rival(o.names[0], o.rivals, t.context) or \
            _prefers_rival(t.names[0], t.rivals, o.context) or \
            _prefers_rival(o.context.own, o.context.siblings, t.context) or \
            _prefers_rival(t.context.own, t.context.siblings, o.context):
        return 0.0  # 温室500亩 is not 大棚2350亩 of 建成大棚2350亩、温室500栋
    if t.groups and o.groups and not t.groups & o.groups:
        return 0.0  # 城镇登记失业率 is not 城镇调查失业率
    equal = _same_figure(target, outcome) and max(
        covered_own(o.context, t.context, rarity), covered_own(t.context, o.context, rarity))
    if contrast(t.context, o.context) and not (equal and equal >= _EQUAL_CLEAR):
        return 0.0  # 供水管网 is not 雨水管网 (中心村169个 of 省、市级 and of 美丽乡村 is one)
    if t.stock and o.flow:
        return 0.0  # 高新技术企业突破3000家 (all of them) is not 新增789户
    if {t.stage, o.stage} == {"start", "finish"}:
        return 0.0  # 新安排740万套 (starts) is not 基本建成772万套
    agree = _object(t, o, rarity)
    score = agree - penalty
    # an equal figure is evidence once one side's object is mostly named by the other (96户
    # 全部脱贫); 12公里热力主管网 and 12公里雨水管网 share only 管网
    if _same_figure(target, outcome) and max(covered(o.context, t.context, rarity),
                                             covered(t.context, o.context, rarity)) >= _EQUAL_NAMED:
        score = max(score, _EQUAL_FLOOR) + _EQUAL_BONUS
    return score


def check_promises(targets_of: Extraction, review_of: Extraction,
                   threshold: float = _LINK) -> list[Link]:
    """A link for every target of year N: its outcome in year N+1's review, or none."""
    review = [(s.start, s.end) for s in review_of.sentences if s.kind == "review"]
    return link_quantities([q for q in targets_of.quantities if q.role == "target"],
                           [q for q in review_of.quantities if q.role == "achievement"],
                           review_of.report.original, threshold,
                           target_text=targets_of.report.original,
                           targets_all=list(targets_of.quantities),
                           review_all=list(review_of.quantities),
                           review_spans=review, year=targets_of.year)


def link_quantities(targets: list[Quantity], candidates: list[Quantity], text: str,
                    threshold: float = _LINK, *, target_text: str = "",
                    targets_all: list[Quantity] | None = None,
                    review_all: list[Quantity] | None = None,
                    review_spans: list[tuple[int, int]] | None = None,
                    year: int | None = None) -> list[Link]:
    """The matching itself, on the quantities alone (the dataset keeps no Extraction);
    ``text`` is the later report as given, ``target_text`` the earlier one (without it a
    target's object is its indicator name only). ``review_spans`` are the sentences of the
    later report's review (by default: from its first to its last achievement)."""
    every_t = sorted((q.start, q.end) for q in (targets_all or targets))
    every_o = sorted((q.start, q.end) for q in (review_all or candidates))
    rarity = Rarity([target_text, text])
    figures_t = _figures(targets, target_text, year, every_t)
    figures_o = [f for f in _figures(candidates, text, year, every_o)
                 if f.period != "multi_year" and not _PER.search(f.clause[:f.clause.find(
                     f.quantity.quote)] if f.quantity.quote in f.clause else "")]
    if review_spans is None:
        review_spans = _default_review(text, candidates)
    phrases = _phrases(text, review_spans, year, review_all or candidates)
    length = max(len(text), max((q.end for q in candidates), default=1), 1)
    # a target for several years (“十三五”时期, 今后五年, 年均) is not judged on one year's figure
    slots = [(i, f) for i, t in enumerate(figures_t) if t.period != "multi_year"
             for f in (t.series or (t,))]
    chosen = _assign([f for _, f in slots], figures_o, rarity, length, threshold)
    found: dict[int, list[tuple[_Figure, float]]] = {}
    for (i, _), pick in zip(slots, chosen):
        if pick is not None:
            found.setdefault(i, []).append((figures_o[pick[0]], pick[1]))
    links = []
    for i, t in enumerate(figures_t):
        if t.period == "multi_year":
            links.append(Link(t.quantity, None, "not_mentioned",
                              "多年目标（如“十三五”时期、今后五年），不以一年的结果评判"))
            continue
        link = _judge(t, found.get(i, []), text)
        if link.outcome is None:
            link = _link_words(t, phrases, rarity, text) or link
        links.append(link)
    return links


def _assign(slots: list[_Figure], candidates: list[_Figure], rarity: Rarity, length: int,
            threshold: float) -> list[tuple[int, float] | None]:
    """The best candidate of each slot, a candidate kept by the slots that want it about as
    much as the one that wants it most: 三个城市出入口 is the outcome of 四个城市出入口, not of
    两条景观带 that names one of its rivers. A restated target (the same figure) and the parts
    of an aggregate (8000多亿元 and 3000多亿元 -> 1.3万亿元) share it."""
    ranked = []
    for t in slots:
        scores = []
        for k, o in enumerate(candidates):
            score = _score(t, o, rarity)
            if score >= threshold:
                # ties: the figure nearer the target (5700人 -> 5650人, not 3000人), the year's
                # own figure before a level, the first mention (the review's headline figures)
                scores.append((score + _CLOSE * _closeness(t.quantity, o.quantity)
                               + (0.01 if o.period == "year" else 0.0)
                               + 0.01 * (1 - o.quantity.start / length), k))
        ranked.append(sorted(scores, reverse=True))
    pointer = [0] * len(slots)
    for _ in range(4):
        claims: dict[int, list[int]] = {}
        for s, options in enumerate(ranked):
            if pointer[s] < len(options):
                claims.setdefault(options[pointer[s]][1], []).append(s)
        moved = False
        for k, claimants in claims.items():
            if len(claimants) < 2 or candidates[k].series:
                continue  # 城镇和农村居民收入分别增长7.8%: one figure for two targets
            top = max(claimants, key=lambda c: ranked[c][pointer[c]][0])
            best = ranked[top][pointer[top]][0]
            equal = [c for c in claimants if _same_figure(slots[c].quantity, candidates[k].quantity)]
            if equal:  # 45个 planned, 45个 reported: that target's, not 36个's
                top, best = equal[0], float("inf")
            for c in claimants:
                same = slots[c].quantity.value == slots[top].quantity.value and \
                    slots[c].quantity.unit == slots[top].quantity.unit
                if c != top and not same and ranked[c][pointer[c]][0] < best - _MARGIN:
                    pointer[c] += 1
                    moved = True
        if not moved:
            break
    return [(options[pointer[s]][1], options[pointer[s]][0]) if pointer[s] < len(options)
            else None for s, options in enumerate(ranked)]


def _judge(t: _Figure, found: list[tuple[_Figure, float]], text: str) -> Link:
    target = t.quantity
    if not found:
        return Link(target, None, "not_mentioned", "次年报告未提及该指标")
    judged = [(verdict(target, o.quantity, _around(text, o.quantity),
                       opposite=t.growth and o.growth and t.decline != o.decline),
               o.quantity, s) for o, s in found]
    order = {v: i for i, v in enumerate(VERDICTS)}
    sign = -1.0 if lower_is_better(target.indicator, target.comparator) else 1.0
    # one figure binds several series: the worst verdict decides and is quoted, then the
    # figure furthest behind
    (v, reason), outcome, score = max(judged, key=lambda j: (
        order[j[0][0]], -sign * (j[1].value or 0.0)))
    if t.series and len(found) < len(t.series):
        reason += "（仅报告其中一项）"
    if v in ("met", "exceeded"):
        # 16所新续建学校…进展顺利, 1.3亿元的供水主管网改造等工程进展顺利: the words after the
        # figure say the work is under way, not done
        stated = _words_after(text, outcome)
        if stated is not None:
            words, said = stated
            stage_verdict = _stated(t, said)
            if stage_verdict in ("partly", "missed"):
                v = stage_verdict
                reason += f"；但报告称“{words}”，{_VERDICT_WORDS[v]}"
    return Link(target, outcome, v, reason, score, "number")


def _words_after(text: str, outcome: Quantity) -> tuple[str, _Phrase] | None:
    """Verdict words that follow a figure in its clause and say how far its work got."""
    _, c1 = clause_of(text, outcome.start, outcome.end)
    tail = text[outcome.end:c1]
    for rule, v, stage, ceiling, regex in _words():
        if v == "met" or ceiling:
            continue
        match = regex.search(tail)
        if match:
            return match.group(0), _Phrase(outcome.start, c1, v, stage, Context({}), False, rule,
                                           match.group(0), frozenset(), ceiling)
    return None


def _around(text: str, q: Quantity) -> str:
    return text[max(0, q.start - 40):q.end + 40]


# --- outcomes in words -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Phrase:
    """A clause of the review that states an outcome in words."""

    start: int
    end: int
    verdict: Verdict
    stage: int
    context: Context
    growth: bool
    rule: str
    words: str  # the words that state it (进展顺利, 完成)
    units: frozenset[str]  # the units of the figures in the clause
    ceiling: bool  # words that state only that a ceiling held (保持较低水平)


@cache
def _words() -> tuple[tuple[str, Verdict, int, bool, re.Pattern[str]], ...]:
    table = load_table("verdicts.toml")
    out = []
    for w in table["words"]:
        v = w["verdict"]
        if v not in VERDICTS:
            raise ValueError(f"data/verdicts.toml {w['id']}: unknown verdict {v}")
        out.append((w["id"], cast(Verdict, v), int(w["stage"]), bool(w.get("ceiling")),
                    w["compiled"]))
    return tuple(out)


@cache
def _stages() -> tuple[tuple[int, re.Pattern[str]], ...]:
    return tuple((int(s["stage"]), s["compiled"]) for s in load_table("verdicts.toml")["stage"])


def _default_review(text: str, candidates: list[Quantity]) -> list[tuple[int, int]]:
    if not candidates:
        return []
    start = min(q.start for q in candidates)
    end = max(q.end for q in candidates)
    return [(sentence_of(text, start)[0], sentence_of(text, end)[1])]


def _phrases(text: str, spans: list[tuple[int, int]], year: int | None,
             figures: list[Quantity]) -> list[_Phrase]:
    """Every clause of the review that states an outcome in words, with what it speaks of."""
    out = []
    seen: set[tuple[int, int]] = set()
    for s0, s1 in spans:
        for rule, v, stage, ceiling, regex in _words():
            for match in regex.finditer(text, s0, s1):
                c0, c1 = clause_of(text, match.start(), match.end())
                if (c0, match.end()) in seen or (v != "missed" and _NUMBER_NEXT.match(
                        text, match.end())):
                    continue  # 完成10.4亿元, 实现城镇新增就业6790人: a figure, read as one
                if quantity_period(text, match.start(), match.end(), year) == "multi_year":
                    continue
                seen.add((c0, match.end()))
                context = Context.around(text, c0, c0, own=(c0, c1))
                growth = bool(re.search(r"(增速|增长|增幅|速度)", text[c0:match.end()]))
                if v != "missed" and any(match.end() <= q.start and q.end <= c1 for q in figures):
                    continue  # 完成社会消费品零售总额5846亿元: the words state that figure
                units = frozenset(q.unit for q in figures if c0 <= q.start and q.end <= c1)
                out.append(_Phrase(c0, c1, v, stage, context, growth, rule, match.group(0),
                                   units, ceiling))
    return out


def _target_stage(text: str) -> int:
    for stage, regex in _stages():
        if regex.search(text):
            return stage
    return 3


def _stated(t: _Figure, p: _Phrase) -> Verdict:
    """The verdict words state of a target: a shortfall is missed; words that reach the stage
    the target's own verb sets (启动 1, 建成 3) are met, words short of it partly."""
    if p.verdict == "missed":
        return "missed"
    stage = _target_stage(t.clause or t.quantity.indicator)
    if p.stage >= stage:
        return "met" if p.verdict == "met" or stage < 3 else "partly"
    return "partly"


def _link_words(t: _Figure, phrases: list[_Phrase], rarity: Rarity, text: str) -> Link | None:
    target = t.quantity
    ceiling = lower_is_better(target.indicator, target.comparator)
    best, best_score = None, 0.0
    for p in phrases:
        if p.growth and not t.growth:
            continue  # 经济增速有所下降 reports a growth rate, not a level
        if p.ceiling and not ceiling:
            continue  # 保持较低水平 is an outcome only of a ceiling
        if any(_family(u) == _family(target.unit) for u in p.units):
            continue  # a figure in the same unit stands there: the figure is the outcome
        # the words must name the target's object; the clause may say more (a list of
        # projects 完成扩容提质, a reason 在从严控制…的情况下稳中有升)
        if object_mass(t.context, rarity) < _MIN_OBJECT:
            continue
        recall = covered(t.context, p.context, rarity)
        if recall < _WORDS_RECALL:
            continue
        precision = covered(p.context, t.context, rarity)
        if precision < _WORDS_PRECISION:
            continue  # 投资920万元完成道路高低压线路改造 is about power lines, not 20条道路
        score = _RECALL * recall + (1 - _RECALL) * precision
        if score >= _WORDS and score > best_score:
            best, best_score = p, score
    if best is None:
        return None
    v = _stated(t, best)
    outcome = Quantity(start=best.start, end=best.end, quote=text[best.start:best.end],
                       value=None, unit="", comparator="=", role="achievement", indicator="",
                       rule=best.rule)
    reason = (f"目标{human(target.value, target.unit)}，次年报告未给出数字，"
              f"称“{best.words}”，{_VERDICT_WORDS[v]}")
    return Link(target, outcome, v, reason, best_score, "words")


_VERDICT_WORDS = {"met": "视为完成", "partly": "视为部分完成", "missed": "视为未完成",
                  "exceeded": "视为超额完成", "not_mentioned": ""}
