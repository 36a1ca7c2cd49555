"""One report -> the rows the dataset keeps of it (plain, picklable: workers return these)."""
from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from ..assign import assign_tasks, load_catalogue
from ..extract import extract
from ..errors import DubanError, TooLarge, UnknownFormat
from ..ingest import FORMATS, MAX_BYTES, read_report
from ..models import Extraction, Report
from ..rules import load_table
from ._sources import base_name, read_bytes

PART_VERSION = 2  # bump when the rows' layout changes: finished parts are redone


@cache
def _government_rules() -> dict[str, Any]:
    return load_table("governments.toml")


def infer_government(result: Extraction) -> tuple[str, str]:
    """(government, level) from the report's opening lines; ("", "") when it does not say."""
    rules = _government_rules()
    head = result.report.text[:3000]
    for rule in rules["national"]:
        if rule["compiled"].search(head):
            return "国务院", "national"
    for rule in rules["name"]:
        match = rule["compiled"].search(head)
        if match:
            name = innermost(match.group("gov"))
            return name, level_of(name)
    return "", ""


def innermost(name: str) -> str:
    """呼伦贝尔市海拉尔区 -> 海拉尔区: the same government whether or not its city is named."""
    if name.endswith("自治区"):
        return name
    match = re.search(r"(?:市|州|盟)([\u4e00-\u9fff]{2,8}?(?:区|县|旗|市))$", name)
    return match.group(1) if match else name


def level_of(name: str) -> str:
    levels = _government_rules()["levels"]
    if name in levels["municipalities"]:
        return "province"
    for level in ("province", "city", "district", "county"):
        if any(name.endswith(suffix) for suffix in levels[level]):
            return level
    return ""


def file_key(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"{digest[:32]}-v{PART_VERSION}"


def _read(path: str) -> tuple[bytes, Report]:
    suffix = PurePosixPath(base_name(path)).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise UnknownFormat(path, f"扩展名 {suffix or '（无）'}")
    data = read_bytes(path)
    if len(data) > MAX_BYTES:
        raise TooLarge(path, f"{len(data) / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB")
    return data, read_report(data, path, fmt)


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
    result = extract(report)
    government, level = infer_government(result)
    government = given.get("government") or government
    level = given.get("level") or level or "district"
    year = int(given["year"]) if given.get("year") else result.year
    result = assign_tasks(result, load_catalogue(level))
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
