"""One report -> the rows the dataset keeps of it, as one compressed part (plain data, so a
worker process or a Ray task can hand it back).

A part holds the report's row (with its quality flags), its tasks' and quantities' rows, the
spans of its review sentences and the text as given, so that the promise check and the
tables are built from parts alone, without reading a report twice.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from typing import Any

from ..extract import quantity_period
from ..ingest import check_size, format_of, front_matter, read_report
from ..models import Extraction, Report
from ..pipeline import analyse
from ..structure import identify_government
from ..track.taxonomy import in_target_list, is_multi_year, standard_indicator
from ._metadata import is_work_report, read_metadata
from ._sources import base_name, read_bytes

PART_VERSION = 5  # bump when the rows' layout changes: finished parts are redone

# a review and a plan in one report: with this many figures, fewer targets or fewer
# achievements than these shares means one of them was read as the other
_BALANCE_MIN, _TARGET_SHARE, _ACHIEVEMENT_SHARE = 30, 0.03, 0.05
_SHORT = 3000  # characters: an excerpt, not a whole report


def infer_government(result: Extraction) -> tuple[str, str]:
    """(government, level) from the report's opening lines; ("", "") when it does not say."""
    return identify_government(result.report.text)


def _read(path: str) -> tuple[bytes, Report]:
    fmt = format_of(base_name(path))  # refuse an unknown type before reading it
    data = read_bytes(path)
    check_size(path, len(data))
    return data, read_report(data, path, fmt)


try:  # three times faster than the standard library's, where it is installed
    import orjson

    def _dumps(value: Any) -> bytes:
        return orjson.dumps(value)

    def _loads(data: bytes) -> Any:
        return orjson.loads(data)
except ImportError:  # pragma: no cover - the standard library gives the same JSON
    def _dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    def _loads(data: bytes) -> Any:
        return json.loads(data)


def encode_part(part: dict[str, Any]) -> bytes:
    """A part as gzip'd JSON (level 1: a part is written once and read two or three times;
    the Parquet tables are what is kept small)."""
    return gzip.compress(_dumps(part), compresslevel=1, mtime=0)


def decode_part(data: bytes) -> dict[str, Any]:
    part: dict[str, Any] = _loads(gzip.decompress(data))
    return part


def period_year(role: str | None, year: int | None) -> int | None:
    """The year a quantity of a report of ``year`` speaks of: an achievement the year
    reviewed (the one before), a target the report's own year (as the promise check reads a
    pair: both reports with the earlier one's year)."""
    return year - 1 if role == "achievement" and year is not None else year


def _period(q: Any, text: str, year: int | None) -> str:
    """The quantity's period (year, multi_year, level) as the promise check reads it from
    the words before the figure (五年来, 累计, 年均, 余额 …); an indicator that names several
    years (年均增长) makes it multi-year whatever stands before it."""
    if is_multi_year(q.indicator):
        return "multi_year"
    return str(quantity_period(text, q.start, q.end, period_year(q.role, year)))


def quality_flags(parts: int, targets: int, achievements: int, tasks: int, chars: int,
                  work_report: bool) -> list[str]:
    """What a reader should know before trusting a report's rows."""
    flags = []
    if not work_report:
        flags.append("not_a_work_report")
    if parts < 2:
        flags.append("no_outline")
    if targets == 0:
        flags.append("zero_targets")
    if tasks == 0:
        flags.append("zero_tasks")
    total = targets + achievements
    if total >= _BALANCE_MIN and (targets < _TARGET_SHARE * total
                                  or achievements < _ACHIEVEMENT_SHARE * total):
        flags.append("role_balance")
    if chars < _SHORT:
        flags.append("short_text")
    return flags


def report_rows(path: str, given: dict[str, Any], relative: str = "") -> dict[str, Any]:
    """Extract one report: its row, its tasks' and quantities' rows, its review spans and
    text. ``given`` is what a manifest says of it; ``relative`` its path below the corpus
    folder (what the path says of government, level and year)."""
    data, report = _read(path)
    front = front_matter(report.original)[0] if report.format == "md" else {}
    relative = relative or base_name(path)
    first = read_metadata(relative, front, report.text, [], given)
    result = analyse(report, level=first.level)
    titles = [(s.title, s.kind) for s in result.outline if s.level == 1]
    meta = read_metadata(relative, front, report.text, titles, given, result.year)
    report_id = hashlib.sha256(data).hexdigest()[:16]
    government = meta.government
    quantities = [{
        "report_id": report_id, "government": government, "index": i, "start": q.start,
        "end": q.end, "quote": q.quote, "role": q.role, "value": q.value, "upper": q.upper,
        "unit": q.unit, "comparator": q.comparator, "indicator": q.indicator,
        "standard": standard_indicator(q.indicator, q.unit), "period": _period(q, report.original, meta.year),
        "in_target_list": q.role == "target" and in_target_list(report.original, q.start),
        "modality": q.modality, "rule": q.rule, "role_rule": q.role_rule}
        for i, q in enumerate(result.quantities)]
    tasks = [{
        "report_id": report_id, "government": government, "index": i, "start": t.start,
        "end": t.end, "quote": t.quote, "kind": t.kind, "section": t.section,
        "lead": t.lead or "", "co": "、".join(t.co), "confidence": t.confidence,
        "quantities": len(t.quantities)} for i, t in enumerate(result.tasks)]
    parts = [s for s in result.outline if s.level == 1]
    targets = sum(1 for q in result.quantities if q.role == "target")
    achievements = sum(1 for q in result.quantities if q.role == "achievement")
    title = front.get("title", "")
    flags = quality_flags(len(parts), targets, achievements, len(tasks), len(report.original),
                          is_work_report(title, report.text)) + list(meta.flags)
    row = {
        "report_id": report_id, "path": path, "file": base_name(path),
        "government": government, "level": meta.level, "year": meta.year, "region": meta.region,
        "title": title, "source_url": front.get("source") or front.get("url") or "",
        "delivered": meta.delivered, "format": report.format, "chars": len(report.original),
        "parts": len(parts), "review_parts": sum(1 for s in parts if s.kind == "review"),
        "plan_parts": sum(1 for s in parts if s.kind in ("plan", "targets")),
        "targets": targets, "achievements": achievements,
        "standard_targets": sum(1 for q in quantities if q["role"] == "target" and q["standard"]),
        "tasks": len(tasks), "terms": len({t.text for t in result.terms}),
        "flags": " ".join(flags), "year_source": meta.year_source,
        "government_source": meta.government_source, "sources": meta.sources,
        "duplicate_of": "", "preferred": True,
        "warnings": " ".join(report.warnings + result.warnings)[:500],
    }
    review = [[s.start, s.end] for s in result.sentences if s.kind == "review"]
    return {"version": PART_VERSION, "report": row, "tasks": tasks, "quantities": quantities,
            "review": review, "original": report.original}


def sanitize_cell(text: str) -> str:
    """Values that spreadsheets would run as formulas are quoted (CSV injection)."""
    return "'" + text if re.match(r"^[=+\-@\t\r]", text) else text
