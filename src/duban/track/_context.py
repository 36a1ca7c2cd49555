"""What a figure or a phrase is about: the words around it, weighted by how near and how rare.

The promise check compares a target's object with a candidate outcome's by the character
bigrams of their clauses (Chinese has no spaces; two characters carry most words). A bigram
weighs by where it stands — the figure's own clause most, the rest of its sentence less, the
sentence before (a paragraph's topic: 实施市区道路畅通工程。投资4.7亿元…) least — and by how
rare it is in the two reports (改造 and 建设 stand everywhere, 保暖房 and 公厕 in one place).
Framing and status words (完成, 推进, 全年, 目标) are no part of an object. Pure.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from ..rules import load_table

_SENTENCE_END = "。！？!?；;"
_CLAUSE_END = "，,：:" + _SENTENCE_END
_OWN, _NEAR, _SENTENCE, _BEFORE = 1.0, 0.7, 0.4, 0.2
_SKIP = 0.5
# figures and what is no word: they break a bigram
_NOISE = re.compile(r"[\d.．%％\s“”\"'‘’《》〈〉「」『』（）()\[\]【】、·—\-~～/+,;:!?，；：。！？]+")
# what a bare figure's clause may say without naming its object (投资6.6亿元，实施两河圣山…)
_BARE = re.compile(r"^(总投资|完成投资|计划投资|投资|资金|共|总计|合计|累计|全年|年内|今年|达到|达|完成|实现)*$")


@cache
def _stop_words() -> re.Pattern[str]:
    table = load_table("indicators.toml")
    words = (list(table["drop"]) + list(table.get("verbs", [])) + list(table.get("stop", []))
             + list(table.get("measures", [])))
    words = sorted(set(words), key=len, reverse=True)
    keep = list(table.get("keep", []))

    def pattern(word: str) -> str:
        # a framing word inside a word kept whole is no framing word (增加 of 增加值)
        tails = [k[len(word):] for k in keep if k.startswith(word) and len(k) > len(word)]
        guard = f"(?!{'|'.join(re.escape(t) for t in tails)})" if tails else ""
        return re.escape(word) + guard

    return re.compile("|".join(pattern(w) for w in words))


@cache
def _stop_chars() -> str:
    return str(load_table("indicators.toml").get("stop_chars", ""))


@cache
def _synonyms() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every name of an indicator (data/indicators.toml [[synonyms]], `loose` words left
    alone) and the group's first name it is read as."""
    canonical: dict[str, str] = {}
    for entry in load_table("indicators.toml")["synonyms"]:
        for word in entry["words"]:
            if word not in entry.get("loose", []):
                canonical.setdefault(word, entry["words"][0])
    words = sorted(canonical, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)"), canonical


def words_of(text: str) -> list[str]:
    """The runs of ``text`` that may name an object: an indicator's names folded to one
    (经济增速 -> 地区生产总值), figures, framing words and function characters removed (each
    a break)."""
    regex, canonical = _synonyms()
    text = regex.sub(lambda m: canonical[m.group(0)], text)
    text = _NOISE.sub("\x00", text)
    text = _stop_words().sub("\x00", text)
    stops = _stop_chars()
    if stops:
        text = re.sub("[" + re.escape(stops) + "]", "\x00", text)
    return [run for run in text.split("\x00") if run]


def bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in words_of(text):
        if len(run) == 1:
            continue
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def grams(text: str) -> list[tuple[str, float]]:
    """Bigrams (weight 1) and the pairs one or two characters apart (weight ½): an
    abbreviation keeps the first characters of a name's words (棚改 of 棚户区改造, 医保 of
    医疗保险), so it meets the full name in a pair that skips."""
    out: list[tuple[str, float]] = []
    for run in words_of(text):
        for i in range(len(run) - 1):
            out.append((run[i:i + 2], 1.0))
            for gap in (2, 3):
                if i + gap < len(run):
                    out.append((run[i] + run[i + gap], _SKIP))
    return out


def _list_items(text: str, c0: int, c1: int, spans: list[tuple[int, int]]
                ) -> list[tuple[int, int]]:
    """The items of a clause that lists figures, split at 、 (each with a figure); none when
    the 、 only list names (实施公路、村屯、矿区绿化3920亩)."""
    cuts = [c0] + [i + 1 for i in range(c0, c1) if text[i] == "、"] + [c1 + 1]
    items = [(x, y - 1) for x, y in zip(cuts, cuts[1:])]
    with_figure = [any(x <= x0 < y for x0, _ in spans) for x, y in items]
    if sum(with_figure) < 2:
        return []
    # names without a figure belong to the item after them (公路、村屯、矿区绿化3920亩、…)
    merged: list[tuple[int, int]] = []
    start = c0
    for (_x, y), has in zip(items, with_figure):
        if has:
            merged.append((start, y))
            start = y + 1
    if merged and start < c1:
        merged[-1] = (merged[-1][0], c1)
    return merged


_HEADING = re.compile(r"\s*(\*\*)?\s*([一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|第[一二三四五六七八九十]{1,3}部分)")
_CLOSERS = "。！？!?；;：:”’」』）)"


@lru_cache(maxsize=16)
def _breaks(text: str, ends: str) -> list[int]:
    """Where sentences (or clauses) of ``text`` end. A line end ends one only after a stop,
    a heading (一、…, （三）…), at a blank line or before an indented line: 广义货币M\n2\n
    预期增长 is a wrapped web page, one sentence."""
    out = []
    spaces = " \t\u3000\r"
    for i, ch in enumerate(text):
        if ch == "\n":
            j = i - 1
            while j >= 0 and text[j] in spaces:
                j -= 1
            k = i + 1
            while k < len(text) and text[k] in spaces:
                k += 1
            line = text.rfind("\n", 0, i) + 1
            if j < 0 or text[j] in _CLOSERS or text[j] == "\n" or k >= len(text) \
                    or text[k] == "\n" or _HEADING.match(text, line, i) \
                    or text.startswith(("\u3000", "  "), i + 1):
                out.append(i)
        elif ch in ends:
            out.append(i)
    return out


def _bounds(text: str, pos: int, ends: str, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    hi = len(text) if hi is None else hi
    breaks = _breaks(text, ends)
    k = bisect_left(breaks, pos)
    start = breaks[k - 1] + 1 if k > 0 else 0
    end = breaks[k] if k < len(breaks) else len(text)
    return max(start, lo), min(end, hi)


def sentence_of(text: str, start: int) -> tuple[int, int]:
    """The sentence around ``start`` (a ；-separated member counts as one)."""
    return _bounds(text, start, _SENTENCE_END)


def clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    s0, s1 = sentence_of(text, start)
    c0, _ = _bounds(text, start, _CLAUSE_END, s0, s1)
    _, c1 = _bounds(text, max(end - 1, start), _CLAUSE_END, s0, s1)
    return c0, max(c1, end)


@dataclass(frozen=True)
class Context:
    """The weighted bigrams of what a figure or phrase speaks of."""

    weights: dict[str, float]
    own: str = ""  # the words taken as the object's own (the figure's clause, or its neighbour)
    siblings: tuple[str, ...] = ()  # the labels of the other items of its list (大棚2350亩、温室500栋)

    @classmethod
    def around(cls, text: str, start: int, end: int, blank: Iterable[tuple[int, int]] = (),
               own: tuple[int, int] | None = None) -> Context:
        """The context of ``text[start:end]``; ``blank`` are spans (other figures) to leave out;
        ``own`` overrides the clause taken as the figure's own."""
        s0, s1 = sentence_of(text, start)
        c0, c1 = own if own is not None else clause_of(text, start, end)
        if own is None and _BARE.match(_NOISE.sub("", text[c0:start] + text[end:c1])):
            # the figure's clause names no object: the clauses either side do
            c0 = _bounds(text, max(c0 - 1, s0), _CLAUSE_END, s0, s1)[0] if c0 > s0 else c0
            c1 = _bounds(text, min(c1 + 1, s1), _CLAUSE_END, s0, s1)[1] if c1 < s1 else c1
        b0, _ = sentence_of(text, max(s0 - 1, 0))
        b0 = min(b0, s0)
        chars = list(text[b0:s1])
        spans = [(x0, x1) for x0, x1 in blank if x1 > b0 and x0 < s1] + [(start, end)]
        for x0, x1 in spans:
            for i in range(max(x0, b0), min(x1, s1)):
                chars[i - b0] = " "
        masked = "".join(chars)
        weights: dict[str, float] = {}

        def piece(x: int, y: int) -> str:
            return masked[max(x, b0) - b0:max(min(y, s1), b0) - b0]

        def add(words: str, weight: float) -> None:
            for gram, factor in grams(words):
                if weights.get(gram, 0.0) < weight * factor:
                    weights[gram] = weight * factor

        before = piece(b0, s0)
        rest = piece(s0, c0) + "\x00" + piece(c1, s1)
        # a clause that lists figures (新增就业5300人、再就业1500人; 新建5条主干道路、12公里热力
        # 主管网): each item's words are its own, the other items' are its rivals; words after
        # the last figure that no other item has are every item's (96户、183人全部稳定脱贫)
        items = _list_items(text, c0, c1, spans)
        if own is None and len(items) >= 2:
            mine = next((i for i, (x, y) in enumerate(items) if x <= start < y), None)
            if mine is not None:
                words = []
                for x, y in items:
                    figs = [(x0, x1) for x0, x1 in spans if x <= x0 < y]
                    first = min(x0 for x0, _ in figs)
                    last = max(x1 for _, x1 in figs)
                    words.append((piece(x, first), piece(last, y)))
                shared = ""
                if all(not bigrams(after) for _, after in words[:-1]):
                    shared = words[-1][1]
                    words[-1] = (words[-1][0], "")
                near = words[mine][0] + "\x00" + words[mine][1] + "\x00" + shared
                if bigrams(near):
                    add(near, _OWN)
                    labels = [b_ + "\x00" + a_ for i, (b_, a_) in enumerate(words) if i != mine]
                    add("\x00".join(labels), _NEAR)
                    add(rest, _SENTENCE)
                    add(before, _BEFORE)
                    return cls(weights, near, tuple(w for w in labels if bigrams(w)))
        if bigrams(piece(c0, c1)):
            add(piece(c0, c1), _OWN)
            add(rest, _SENTENCE)
            add(before, _BEFORE)
            return cls(weights, piece(c0, c1))
        elif bigrams(rest):
            # 国内生产总值达到67.7万亿元，按可比价计算，增长6.9%: the nearest clause before that
            # names something names the object, else the one after (努力完成4000户的改造任务)
            own_text = ""
            x = c0
            while x > s0 and not own_text:
                p0 = _bounds(text, x - 1, _CLAUSE_END, s0, s1)[0]
                if bigrams(piece(p0, x - 1)):
                    own_text = piece(p0, x - 1)
                x = p0
            y = c1
            while y < s1 and not own_text:
                n1 = _bounds(text, y + 1, _CLAUSE_END, s0, s1)[1]
                if bigrams(piece(y + 1, n1)):
                    own_text = piece(y + 1, n1)
                y = n1
            add(own_text, _OWN)
            add(rest, _SENTENCE)
            add(before, _BEFORE)
            return cls(weights, own_text)
        # 今年开工580万套。: the sentence before names the object
        add(before, _OWN)
        return cls(weights, before)


class Rarity:
    """Inverse document frequency of bigrams over the sentences of the two reports."""

    def __init__(self, texts: Iterable[str]) -> None:
        df: dict[str, int] = {}
        n = 0
        for text in texts:
            for piece in re.split(r"[。！？!?\n；;]", text):
                grams = set(bigrams(piece))
                if not grams:
                    continue
                n += 1
                for gram in grams:
                    df[gram] = df.get(gram, 0) + 1
        self._df, self._n = df, max(n, 1)
        self.most = math.log(self._n + 1) + 0.1  # the rarity of a bigram found nowhere else

    def __call__(self, gram: str) -> float:
        return math.log((self._n + 1) / (self._df.get(gram, 0) + 1)) + 0.1


def coverage(a: Context, b: Context, rarity: Rarity) -> float:
    """How much of ``a``'s object ``b`` names: shared weight over ``a``'s weight."""
    total = sum(w * rarity(g) for g, w in a.weights.items())
    if total <= 0:
        return 0.0
    shared = sum(min(w, b.weights[g]) * rarity(g) for g, w in a.weights.items() if g in b.weights)
    return shared / total


def cosine(a: Context, b: Context, rarity: Rarity) -> float:
    """Cosine of the two contexts as vectors of weight × rarity."""
    va = {g: w * rarity(g) for g, w in a.weights.items()}
    vb = {g: w * rarity(g) for g, w in b.weights.items()}
    na = math.sqrt(sum(v * v for v in va.values()))
    nb = math.sqrt(sum(v * v for v in vb.values()))
    if na == 0 or nb == 0:
        return 0.0
    return sum(v * vb[g] for g, v in va.items() if g in vb) / (na * nb)


def covered(a: Context, b: Context, rarity: Rarity) -> float:
    """How much of ``a``'s own words ``b`` names anywhere (weighted by where it names them)."""
    own = [(g, rarity(g)) for g, w in a.weights.items() if w >= _OWN]
    total = sum(r for _, r in own)
    if total <= 0:
        return 0.0
    return sum(r * b.weights.get(g, 0.0) for g, r in own) / total


def agreement(a: Context, b: Context, rarity: Rarity) -> float:
    """Whether two contexts speak of the same object: the harmonic mean of how much of each
    one's own clause the other names."""
    x, y = covered(a, b, rarity), covered(b, a, rarity)
    return 0.0 if x + y == 0 else 2 * x * y / (x + y)


def object_mass(a: Context, rarity: Rarity) -> float:
    """How much a context's own clause names: its bigrams, each weighed by its rarity against
    the rarest (城区道路 is two common words; 两河圣山文化旅游景区 many, some rare)."""
    return sum(rarity(g) for g, w in a.weights.items() if w >= _OWN) / rarity.most


_PHRASE_BREAK = re.compile(r"[、，,；;：:。！？!?\s（）()]+")


def _longest_common(a: str, b: str) -> tuple[int, int, int]:
    """(start in a, start in b, length) of the longest common run of two strings."""
    best = (0, 0, 0)
    lengths = [0] * (len(b) + 1)
    for i, ca in enumerate(a):
        previous = 0
        for j, cb in enumerate(b):
            current = lengths[j + 1]
            lengths[j + 1] = previous + 1 if ca == cb and ca not in "\x00\x01" else 0
            if lengths[j + 1] > best[2]:
                best = (i - lengths[j + 1] + 1, j - lengths[j + 1] + 1, lengths[j + 1])
            previous = current
    return best


def contrast(a: Context, b: Context) -> bool:
    """Whether two objects share words but differ in what qualifies them or follows them:
    供水管网 and 雨水管网, 高新技术产业投资 and 高新技术产业产值, each word absent from the other
    side (村屯绿化 and 公路、村屯、矿区绿化 do not differ: 村屯 stands in both)."""
    x, y = _phrased(a.own), _phrased(b.own)
    i, j, n = _longest_common(x, y)
    if n < 2:
        return False
    flat_x, flat_y = re.sub("[\x00\x01]", "", x), re.sub("[\x00\x01]", "", y)

    def differ(qa: str, qb: str) -> bool | None:
        if not qa or not qb:
            return None
        return qa != qb and qa not in flat_y and qb not in flat_x

    for k in range(n - 1):  # the head may start inside the common run (供水管网)
        verdict = differ(_qualifier(x, i + k), _qualifier(y, j + k))
        if verdict is not None:
            if verdict:
                return True
            break
    # what follows the common words: 高新技术产业投资 is not 高新技术产业产值 (停车泊位 and
    # 停车位 share 位: one word spelt two ways)
    fa, fb = _follower(x, i + n), _follower(y, j + n)
    return bool(differ(fa, fb)) and not set(fa) & set(fb)


def _phrased(text: str) -> str:
    """The words of ``text`` with framing words left out, \x01 between phrases (at
    punctuation: 六二六小河、城市出入口 are two)."""
    return "\x01".join("".join(words_of(part)) for part in _PHRASE_BREAK.split(text))


def _follower(text: str, at: int) -> str:
    """The two characters of words after ``text[:at]`` in the same phrase."""
    tail = text[at:].split("\x01", 1)[0]
    return tail[:2] if len(tail) >= 2 else ""


def _qualifier(text: str, at: int) -> str:
    """The two characters of words before ``text[at:]`` in the same phrase (a left-out word
    skipped: 研发投入占GDP比重 -> 研发 before 占…比重)."""
    head = text[:at].rsplit("\x01", 1)[-1]
    return head[-2:] if len(head) >= 2 else ""


def covered_own(a: Context, b: Context, rarity: Rarity) -> float:
    """How much of ``a``'s own words ``b``'s own words name (the rest of either sentence left
    out): 热力主管网 and 雨水管网改造 share 管网 only."""
    own = [(g, rarity(g)) for g, w in a.weights.items() if w >= _OWN]
    total = sum(r for _, r in own)
    if total <= 0:
        return 0.0
    return sum(r for g, r in own if b.weights.get(g, 0.0) >= _OWN) / total
