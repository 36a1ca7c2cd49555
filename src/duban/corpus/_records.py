"""One report -> the rows the dataset keeps of it (plain, picklable: workers return these)."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from ..errors import DubanError
from ..ingest import check_size, format_of, read_report
from ..models import Extraction, Report
from ..pipeline import analyse
from ..structure import identify_government
from ._sources import base_name, read_bytes

PART_VERSION = 2  # bump when the rows' layout changes: finished parts are redone


def infer_government(result: Extraction) -> tuple[str, str]:
    """(government, level) from the report's opening lines; ("", "") when it does not say."""
    return identify_government(result.report.text)


def file_key(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"{digest[:32]}-v{PART_VERSION}"


def _read(path: str) -> tuple[bytes, Report]:
    format_of(base_name(path))  # refuse an unknown type before reading it
    data = read_bytes(path)
    check_size(path, len(data))
    return data, read_report(data, path, format_of(base_name(path)))


def original_text(path: str) -> str:
    """The text a report's offsets point into (for the promise check's quotes); "" when the
    file can no longer be read."""
    try:
        return _read(path)[1].original
    except (DubanError, OSError):
        return ""


def report_rows(path: str, given: dict[str, Any]) -> dict[str, Any]:
    """Extract one report: its row, its tasks' rows and its quantities' rows."""
    data, report = _read(path)
    government, level = identify_government(report.text)
    government = given.get("government") or government
    level = given.get("level") or level or "district"
    result = analyse(report, level=level)
    year = int(given["year"]) if given.get("year") else result.year
    report_id = hashlib.sha256(data).hexdigest()[:16]
    quantities = [{
        "report_id": report_id, "index": i, "start": q.start, "end": q.end, "quote": q.quote,
        "role": q.role, "value": q.value, "upper": q.upper, "unit": q.unit,
        "comparator": q.comparator, "indicator": q.indicator, "modality": q.modality,
        "rule": q.rule, "role_rule": q.role_rule} for i, q in enumerate(result.quantities)]
    tasks = [{
        "report_id": report_id, "index": i, "start": t.start, "end": t.end, "quote": t.quote,
        "kind": t.kind, "section": t.section, "lead": t.lead or "", "co": "、".join(t.co),
        "confidence": t.confidence, "quantities": len(t.quantities)}
        for i, t in enumerate(result.tasks)]
    parts = [s for s in result.outline if s.level == 1]
    row = {
        "report_id": report_id, "path": path, "file": base_name(path),
        "government": government, "level": level, "year": year,
        "format": report.format, "chars": len(report.original),
        "parts": len(parts), "review_parts": sum(1 for s in parts if s.kind == "review"),
        "targets": sum(1 for q in result.quantities if q.role == "target"),
        "achievements": sum(1 for q in result.quantities if q.role == "achievement"),
        "tasks": len(tasks), "terms": len({t.text for t in result.terms}),
        "warnings": " ".join(result.warnings)[:500],
    }
    return {"report": row, "tasks": tasks, "quantities": quantities}


def sanitize_cell(text: str) -> str:
    """Values that spreadsheets would run as formulas are quoted (CSV injection)."""
    return "'" + text if re.match(r"^[=+\-@\t\r]", text) else text
