"""Who leads a task, by what the task is about: its own words scored against every unit's duties.

A task's text is read once, leftmost and longest first, for the duty words of every unit of the
catalogue, so 农村公路 is read as one word (交通's) and not as 农村 (农业's) plus 公路. Each unit
scores the words of its duties that the text holds: longer words weigh more, weak words (verbs,
broad words) less, a word several units share is split between them, and the words of the task's
first clause (the item's title in a 民生实事 list) count a little more. The section heading is weak
context: it can order units the text already names, and decide only when the text names none,
and then the row stays 待定 (pending). Units with a strong score of their own are co-responsible.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ._catalogues import Catalogue, Unit, _table, parse_duties

__all__ = ["Candidate", "Suggestion", "suggest"]

FIRST_CLAUSE = 1.3  # words of the first clause: the item's title, the main verb's object
WEAK = 0.35  # a weak word: a verb or a broad word (农村, 规划 …)
CONTEXT = 0.2  # a heading's words, against the task's own
REPEAT = 0.25  # each further occurrence of a word, up to two
CO_SHARE = 0.45  # a co-responsible unit scores at least this share of the lead's score
SURE = 0.6  # below this confidence the row is 待定 (pending): a person decides
_CLAUSE_END = re.compile(r"[，。；：！？,;:!?]")
_NOISE = re.compile(r"[“”‘’\"'《》〈〉「」『』()（）【】\[\]]")


@dataclass(frozen=True)
class Candidate:
    """A unit that could lead, with its score and why: the duty words the text holds."""

    unit: Unit
    score: float
    words: tuple[str, ...]
    duties: tuple[str, ...]

    def why(self) -> str:
        """市人社局（就业：城镇新增就业、高校毕业生）"""
        if not self.words:  # only the heading it stands under names this unit's work
            return f"{self.unit.display}（仅标题：{'、'.join(self.duties) or '相关'}）"
        return f"{self.unit.display}（{'、'.join(self.words)}）"


@dataclass(frozen=True)
class Suggestion:
    """The suggested lead and co-responsible units of one task.

    ``lead`` is the best candidate (None only when no unit's duty is named at all); ``pending``
    says that the choice is not clear and a person should decide (待定) between ``candidates``,
    the top three with the words that matched.
    """

    lead: Unit | None
    co: tuple[Unit, ...]
    confidence: float
    candidates: tuple[Candidate, ...]
    pending: bool

    def why(self) -> str:
        """待定（候选：市水务局（农村饮水）、市农业农村局（农村））, or the lead's reason."""
        if not self.candidates:
            return "待定（任务文字未涉及任何单位的职责）"
        listed = "、".join(c.why() for c in self.candidates)
        return f"待定（候选：{listed}）" if self.pending else self.candidates[0].why()


@dataclass(frozen=True)
class _Matcher:
    # the first two characters of a word (one, for a one-character word) -> the words that
    # begin with them, longest first: the longest word at a position is the first that fits
    scan: dict[str, tuple[str, ...]]
    # word -> (unit index, duty label, weak) for every unit whose duties hold it
    owners: dict[str, tuple[tuple[int, str, bool], ...]]


def _matcher(catalogue: Catalogue) -> _Matcher:
    cached = catalogue._cache.get("matcher")
    if isinstance(cached, _Matcher):
        return cached
    # the standard catalogues of one level, year and region hold the same duties in the same
    # order whatever the place (only the names differ): they share one matcher
    shared = (catalogue.level, catalogue.year, catalogue.region) \
        if catalogue.source == _STANDARD else None
    if shared is not None and shared in _SHARED:
        catalogue._cache["matcher"] = _SHARED[shared]
        return _SHARED[shared]
    owners: dict[str, dict[int, tuple[str, bool]]] = {}
    for i, unit in enumerate(catalogue.units):
        for duty in unit.duties:
            for raw in duty.words:
                weak, word = raw in duty.weak, normalise(raw)
                if not word:
                    continue
                held = owners.setdefault(word, {}).get(i)
                # a unit that holds a word strongly in one duty holds it strongly
                if held is None or (held[1] and not weak):
                    owners[word][i] = (duty.label, weak)
    stops = {normalise(w) for w in catalogue.stop_words} - set(owners)
    words = frozenset(owners) | stops
    every = _standard_words()
    matcher = _Matcher(_index(every if words <= every else every | words),
                       {w: tuple((i, label, weak) for i, (label, weak) in units.items())
                        for w, units in owners.items()})
    catalogue._cache["matcher"] = matcher
    if shared is not None:
        _SHARED[shared] = matcher
    return matcher


_STANDARD = Catalogue((), ).source  # the source of catalogue_for's catalogues
_SHARED: dict[tuple[str, int | None, str], _Matcher] = {}


@lru_cache(maxsize=1)
def _standard_words() -> frozenset[str]:
    """Every duty and stop word of catalogue.toml, at any level and year: one scan reads them
    all, so the catalogues of every report share one compiled regex (a word a catalogue does
    not hold reads as a stop word there)."""
    table = _table()
    words = {normalise(w) for w in table.get("stop", {}).get("words", [])}
    for entry in table["unit"]:
        for item in entry.get("duties", []):
            text = item.get("words", "") if isinstance(item, dict) else item
            words.update(normalise(w) for w in parse_duties(str(text))[1])
    return frozenset(w for w in words if w)


@lru_cache(maxsize=8)
def _index(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The words by their first two characters, longest first; catalogues of every year and
    place share it (a dictionary look-up per position instead of a regex of a thousand words)."""
    index: dict[str, list[str]] = {}
    for word in words:
        index.setdefault(word[:2], []).append(word)
    return {key: tuple(sorted(group, key=lambda w: (-len(w), w))) for key, group in index.items()}


def _length_weight(word: str) -> float:
    return 1.0 + 0.3 * min(len(word) - 2, 3) if len(word) >= 2 else 0.5


def normalise(text: str) -> str:
    """Text as the duty words are written: no white space, quotes or brackets (“两业”融合 ->
    两业融合, 充(换)电桩 -> 充换电桩), full-width letters and digits made half-width."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", "".join(text.split())))


def _words(text: str, matcher: _Matcher) -> list[tuple[int, str]]:
    """(position, word) of the duty words in ``text``: the longest first, none overlapping, so a
    compound (农村公路) wins over its parts (农村) wherever it starts."""
    index, found = matcher.scan, []
    for start in range(len(text)):
        # the longest word starting here (a one-character word is looked up by itself)
        for key in (text[start:start + 2], text[start]):
            for word in index.get(key, ()):
                if text.startswith(word, start):
                    found.append((start, word))
                    break
            else:
                continue
            break
    taken = [False] * len(text)
    out = []
    for start, word in sorted(found, key=lambda f: (-len(f[1]), f[0])):
        end = start + len(word)
        if any(taken[start:end]):
            continue
        if word.isdigit() and ((start and text[start - 1].isdigit()) or
                               (end < len(text) and text[end].isdigit())):
            continue  # 12345 the hotline, not part of 123456
        taken[start:end] = [True] * len(word)
        out.append((start, word))
    return sorted(out)


def _scores(text: str, matcher: _Matcher
            ) -> tuple[dict[int, float], dict[int, dict[str, bool]], dict[int, list[str]]]:
    """Per unit: score, the words it matched (word -> strong), the duties they belong to."""
    text = normalise(text)
    end = _CLAUSE_END.search(text)
    first_end = end.start() if end else len(text)
    seen: dict[str, int] = {}
    first: set[str] = set()
    for start, word in _words(text, matcher):
        seen[word] = seen.get(word, 0) + 1
        if start < first_end:
            first.add(word)
    scores: dict[int, float] = {}
    words: dict[int, dict[str, bool]] = {}
    duties: dict[int, list[str]] = {}
    for word, count in seen.items():
        owners = matcher.owners.get(word, ())
        if not owners:
            continue  # a stop word: it only keeps the words inside it from being read
        weight = _length_weight(word) * (1 + REPEAT * min(count - 1, 2))
        weight *= FIRST_CLAUSE if word in first else 1.0
        # a word several units hold says less about each (a weak holder takes a smaller part)
        weight /= sum(WEAK if weak else 1.0 for _, _, weak in owners)
        for i, label, weak in owners:
            scores[i] = scores.get(i, 0.0) + weight * (WEAK if weak else 1.0)
            words.setdefault(i, {})[word] = not weak
            if label not in duties.setdefault(i, []):
                duties[i].append(label)
    return scores, words, duties


def suggest(task_text: str, context: str | Sequence[str] = (),
            catalogue: Catalogue | None = None) -> Suggestion:
    """Lead, co-responsible units, confidence and the top three candidates of a task.

    ``context`` is the heading (or headings, outermost first) the task stands under; it weighs
    a fifth of the task's own words. ``catalogue`` defaults to the newest district catalogue.
    """
    if catalogue is None:
        from ._catalogues import catalogue_for
        catalogue = catalogue_for("district")
    matcher = _matcher(catalogue)
    scores, words, duties = _scores(task_text, matcher)
    own = {i for i, strong in words.items() if any(strong.values())}
    named = set(scores)  # the units the task's own words name
    headings = [context] if isinstance(context, str) else list(context)
    heading_scores = catalogue._cache.setdefault("headings", {})
    for n, heading in enumerate(headings):
        # the inner heading says more than the outer ones; it orders the units the task
        # names, and only where it names none does the heading alone propose (待定)
        weight = CONTEXT * (n + 1) / len(headings)
        found = heading_scores.get(heading)
        if found is None:  # the rows under one heading share it: scored once
            found = heading_scores[heading] = _scores(heading, matcher)[0]
        for i, value in found.items():
            if i in named or not named:
                scores[i] = scores.get(i, 0.0) + weight * value
    if not scores:
        return Suggestion(None, (), 0.0, (), True)
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    candidates = tuple(
        Candidate(catalogue.units[i], round(scores[i], 3), tuple(words.get(i, {})),
                  tuple(duties.get(i, [])))
        for i in ranked[:3])
    best = ranked[0]
    top = scores[best]
    second = scores[ranked[1]] if len(ranked) > 1 else 0.0
    # sure when one unit stands out and its own words (not the heading's) include a strong one
    confidence = top / (top + second) if top + second else 0.0
    confidence *= min(1.0, top / 1.5)
    if best not in own:
        confidence = min(confidence, SURE - 0.01)
    co = tuple(catalogue.units[i] for i in ranked[1:]
               if i in own and scores[i] >= CO_SHARE * top and scores[i] >= 1.0
               and catalogue.units[i].function != catalogue.units[best].function)[:3]
    return Suggestion(catalogue.units[best], co, round(confidence, 2), candidates,
                      confidence < SURE)
