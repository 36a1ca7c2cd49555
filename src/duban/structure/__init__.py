"""Report -> outline (parts, sub-parts, paragraph leads), sentences and the report year."""
from __future__ import annotations

from ._government import LEVELS, identify_government, innermost, level_of
from ._outline import Outline, build_outline, report_year
from ._sentences import CLAUSE, clause_spans, sentence_spans

__all__ = ["CLAUSE", "LEVELS", "Outline", "build_outline", "clause_spans", "identify_government",
           "innermost", "level_of", "report_year", "sentence_spans"]
