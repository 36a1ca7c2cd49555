"""The promise check over a corpus: one task per pair of consecutive years of one government,
from the two reports' parts alone (no file is read again), its result kept so that a rerun
redoes only the pairs whose reports changed."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from ..models import Quantity
from ..track import promise
from ..track.taxonomy import is_multi_year, standard_indicator
from ._records import decode_part, encode_part, period_year

LINK_VERSION = 3  # bump when the links' layout or the check's inputs change


def pair_key(first: str, second: str) -> str:
    digest = hashlib.sha256(f"{first}\n{second}\nlinks-v{LINK_VERSION}".encode()).hexdigest()
    return digest[:32]


def _quantity(row: dict[str, Any]) -> Quantity:
    return Quantity(start=row["start"], end=row["end"], quote=row["quote"], value=row["value"],
                    unit=row["unit"], comparator=row["comparator"], role=row["role"],
                    indicator=row["indicator"], modality=row.get("modality", ""),
                    upper=row["upper"], rule=row.get("rule", ""),
                    role_rule=row.get("role_rule", ""))


@contextmanager
def _fold_once() -> Iterator[None]:
    """Within a pair task, each indicator is folded to canonical words once.

    ``promise.similarity`` folds both indicators afresh at every comparison: over the
    corpus that was 4.6 million calls for about 110,000 distinct wordings. The fold is a
    pure function of its text, so it is memoised for the duration of the task (the same
    result, a third of the time). Where the promise check caches it itself, nothing is done.
    """
    fold = getattr(promise, "normalise", None)
    if fold is None or hasattr(fold, "cache_info"):
        yield
        return
    promise.normalise = lru_cache(maxsize=1 << 17)(fold)
    try:
        yield
    finally:
        promise.normalise = fold


@contextmanager
def _periods_known(parts: tuple[dict[str, Any], ...]) -> Iterator[None]:
    """Within a pair task, the period of each quantity is the one its part already holds.

    ``extract.quantity_period`` looks back through up to 80 paragraphs for a scope (五年来,
    过去一年) at every call, about a millisecond a figure; the extraction worked out every
    quantity's period for the ``period`` column with the year the check uses (an
    achievement's year reviewed, a target's own year), so the check reads it from there.
    Any other position or year is asked of the function itself.
    """
    name = "quantity_period"  # the name the check calls it by (imported from extract)
    real = getattr(promise, name)
    known: dict[tuple[int, int, int, int | None], str] = {}
    for part in parts:
        text, year = part["original"], part["report"]["year"]
        for q in part["quantities"]:
            if q.get("period") and not is_multi_year(q["indicator"]):
                known[(id(text), q["start"], q["end"], period_year(q["role"], year))] = q["period"]

    def period(text: str, start: int, end: int, year: int | None = None) -> Any:
        found = known.get((id(text), start, end, year))
        return real(text, start, end, year) if found is None else found

    setattr(promise, name, period)
    try:
        yield
    finally:
        setattr(promise, name, real)


def link_rows(first: dict[str, Any], second: dict[str, Any]) -> list[dict[str, Any]]:
    """The links of year N's targets (``first``, a part) to year N+1's review (``second``).

    The check is given what ``track.promise.check_promises`` gives it for one pair (``duban
    check``): both texts, every quantity of both reports (so that a target's or an outcome's
    neighbours are masked out of its object), the review's sentences and the year, so that
    the dataset's links are the ones the ledger and the CLI draw for the same two reports.
    """
    report, later = first["report"], second["report"]
    every_t = [_quantity(q) for q in first["quantities"]]
    every_o = [_quantity(q) for q in second["quantities"]]
    targets = [q for q in every_t if q.role == "target"]
    outcomes = [q for q in every_o if q.role == "achievement"]
    text = second["original"]
    review = [(int(a), int(b)) for a, b in second.get("review", [])]
    with _fold_once(), _periods_known((first, second)):
        links = promise.link_quantities(targets, outcomes, text, target_text=first["original"],
                                        targets_all=every_t, review_all=every_o,
                                        review_spans=review, year=report["year"])
    rows = []
    for i, link in enumerate(links):
        t, o = link.target, link.outcome
        rows.append({
            "government": report["government"], "year": report["year"], "index": i,
            "target_report_id": report["report_id"], "outcome_report_id": later["report_id"],
            "target_start": t.start, "target_end": t.end, "target_quote": t.quote,
            "indicator": t.indicator, "standard": standard_indicator(t.indicator, t.unit),
            "target_value": t.value, "target_upper": t.upper, "target_unit": t.unit,
            "comparator": t.comparator,
            "outcome_start": o.start if o else None, "outcome_end": o.end if o else None,
            "outcome_quote": o.quote if o else "", "outcome_indicator": o.indicator if o else "",
            "outcome_value": o.value if o else None, "outcome_unit": o.unit if o else "",
            "verdict": link.verdict, "reason": link.reason,
            "confidence": round(link.confidence, 3), "evidence": link.evidence})
    return rows


def link_pair(key: str, first: bytes, second: bytes) -> tuple[str, bytes]:
    """A pair task: (pair key, the links as a compressed part)."""
    rows = link_rows(decode_part(first), decode_part(second))
    return key, encode_part({"version": LINK_VERSION, "links": rows})
