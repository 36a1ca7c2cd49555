"""Report -> outline (parts, sub-parts, paragraph leads), sentences and the report year."""
from __future__ import annotations

from ._outline import Outline, build_outline, report_year
from ._sentences import CLAUSE, clause_spans, sentence_spans

__all__ = ["CLAUSE", "Outline", "build_outline", "clause_spans", "report_year", "sentence_spans"]
