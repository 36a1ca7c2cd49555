"""Pure rule engine: quantities, roles, indicators, tasks and the glossary of formulas."""
from __future__ import annotations

from ._cells import Reading, read_quantities, unit_kind
from ._lexicon import lexicon
from ._pipeline import extract

__all__ = ["Reading", "extract", "lexicon", "read_quantities", "unit_kind"]
