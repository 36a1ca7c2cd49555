"""The one pipeline: a report's file or bytes -> everything duban extracts, departments suggested.

    source ──ingest──▶ Report ──structure + extract──▶ Extraction ──assign──▶ Extraction (leads)

Every consumer (the CLI, the ledger's import, the corpus batch, the evaluation, the web) calls
``analyse``; what it returns is exactly what ``duban extract --format json`` writes.
"""
from __future__ import annotations

import os
from pathlib import Path

from .assign import Catalogue, StandardCatalogue, assign_tasks
from .extract import extract
from .ingest import load_report, read_report
from .models import Extraction, Report

__all__ = ["analyse"]


def analyse(source: str | os.PathLike[str] | bytes | Report, *, name: str | None = None,
            level: str | None = "district",
            catalogue: Catalogue | StandardCatalogue | None = None,
            assign: bool = True) -> Extraction:
    """Read, structure and extract one report, and suggest the departments of its tasks.

    ``source`` is a path, the bytes of a file whose ``name`` says its format, or a Report
    already read (``ingest.report_from_text`` rebuilds one from a stored text). Departments
    come from ``catalogue`` when it is an office's own list, else from the standard catalogue
    of the level, year and government the report names (``level``, or a standard catalogue's
    level, where its opening names none; a district's when neither says).
    ``assign=False`` leaves the tasks without suggestions.
    """
    if isinstance(source, Report):
        report = source
    elif isinstance(source, bytes):
        if name is None:
            raise TypeError("analyse(bytes) needs the file's name (its suffix says the format)")
        report = read_report(source, name)
    else:
        report = load_report(Path(source))
    result = extract(report)
    if not assign:
        return result
    return assign_tasks(result, catalogue, level=level)
