"""The promise check: year N's targets against year N+1's review.

For each target of N, the achievement of N+1 that speaks of the same indicator (the
report's own vocabulary, folded by ``data/indicators.toml``) and in the same unit is its
outcome; values compared with units and comparators give the verdict. Pure: two
Extractions in, links out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..models import Extraction, Quantity
from ..rules import load_table
from ._direction import lower_is_better
from ._palette import Colour, load_palette

Verdict = Literal["exceeded", "met", "partly", "missed", "not_mentioned"]
VERDICTS: tuple[Verdict, ...] = ("exceeded", "met", "partly", "missed", "not_mentioned")
# words and colours of the verdicts: data/status.toml
VERDICT_ZH: dict[str, str]
VERDICT_COLOURS: dict[str, Colour]
VERDICT_ZH, VERDICT_COLOURS = load_palette("verdict", VERDICTS)
_EXPLICIT_MET = re.compile(r"(超额完成|圆满完成|全面完成|顺利完成|如期完成|完成了?[^，。；]{0,8}目标)")
_PERCENT_OF = re.compile(r"完成[^，。；]{0,12}?(目标任务|计划|年度目标)的(\d+(?:\.\d+)?)%")
_GROWTH = re.compile(r"(增长|增速|增幅|涨幅|下降|提高|降低|上涨)")


@dataclass(frozen=True)
class Link:
    target: Quantity
    outcome: Quantity | None
    verdict: Verdict
    reason: str
    score: float = 0.0

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
        }


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


def verdict(target: Quantity, outcome: Quantity, context: str = "") -> tuple[Verdict, str]:
    """Compare the outcome with the target, in the target's unit and direction."""
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
    shown = f"目标{t:g}{target.unit}（{target.comparator}），实际{a:g}{outcome.unit}"
    if lower_is_better(target.indicator, target.comparator):
        limit = t + (tolerance if target.comparator == "~" else 0)
        if a <= limit:
            return ("exceeded" if a < t - tolerance else "met"), shown + "，控制在目标以内"
        return ("partly" if a <= t + 2 * tolerance else "missed"), shown + "，超过控制目标"
    low = t - (tolerance if target.comparator == "~" else 0)
    high = (target.upper if target.comparator == "range" and target.upper is not None
            else t + tolerance)
    if a >= low:
        return ("exceeded" if a > high else "met"), shown
    if a > 0 and (a >= t - 2 * tolerance or a >= 0.8 * t):
        return "partly", shown + "，接近但未达到"
    if _EXPLICIT_MET.search(context):
        return "met", shown + "；报告称已完成"
    return "missed", shown + "，明显未达到"


def _outcomes(result: Extraction) -> list[Quantity]:
    return [q for q in result.quantities if q.role == "achievement"]


def check_promises(targets_of: Extraction, review_of: Extraction,
                   threshold: float = 0.55) -> list[Link]:
    """A link for every target of year N: its outcome in year N+1's review, or none."""
    return link_quantities([q for q in targets_of.quantities if q.role == "target"],
                           _outcomes(review_of), review_of.report.original, threshold)


def link_quantities(targets: list[Quantity], candidates: list[Quantity], text: str,
                    threshold: float = 0.55) -> list[Link]:
    """The matching itself, on the quantities alone (the dataset keeps no Extraction);
    ``text`` is the later report as given, for what it says around an outcome."""
    links = []
    length = max(len(text), max((q.end for q in candidates), default=1), 1)
    for target in targets:
        best, best_score = None, 0.0
        items = _items(target.indicator)
        for i, outcome in enumerate(candidates):
            if _unit_family(outcome.unit) != _unit_family(target.unit):
                continue
            # A、B均增长8%: each item on its own, the first named first
            score = max(similarity(item, outcome.indicator) - 0.02 * k for k, item in enumerate(items))
            if _same_figure(target, outcome):
                score += 0.55  # 96户 planned, 96户 reported: the figure itself is evidence
            if score < threshold:
                continue
            # the first mention (the review's headline figures) wins ties; a restated target
            # may link to the same outcome as the first statement
            score += 0.05 * (1 - outcome.start / length)
            if score > best_score:
                best, best_score = i, score
        if best is None:
            links.append(Link(target, None, "not_mentioned", "次年报告未提及该指标"))
            continue
        outcome = candidates[best]
        context = text[max(0, outcome.start - 40):outcome.end + 40]
        v, reason = verdict(target, outcome, context)
        links.append(Link(target, outcome, v, reason, best_score))
    return links


def _items(indicator: str) -> list[str]:
    """城镇…收入、农村…收入均增长 -> [城镇…收入增长, 农村…收入增长, whole]."""
    parts = [p for p in re.split(r"[、和及与]", indicator) if p]
    if len(parts) < 2:
        return [indicator]
    tail = re.search(r"(均|分别)?(增长|下降|提高|增速|达到)?$", parts[-1])
    shared = tail.group(2) or "" if tail else ""
    last = parts[-1][: tail.start()] if tail else parts[-1]
    return [p + shared for p in parts[:-1]] + [last + shared, indicator]


def _same_figure(target: Quantity, outcome: Quantity) -> bool:
    """The same, non-trivial number: 96户 / 183人 / 136个, not 100% or 2个."""
    if target.value is None or outcome.value is None or target.value != outcome.value:
        return False
    value = target.value
    return target.unit not in ("%", "百分点") and value >= 10 and value % 10 != 0


def _unit_family(unit: str) -> str:
    return {"百分点": "%", "名": "人", "位": "人"}.get(unit, unit)
