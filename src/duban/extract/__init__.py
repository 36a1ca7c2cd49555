"""Pure rule engine: quantities, roles, indicators, tasks and the glossary of formulas."""
from __future__ import annotations

from ._cells import Reading, read_quantities, unit_kind
from ._deadlines import Due, find_deadline, parse_due
from ._lexicon import lexicon
from ._periods import PERIODS, Period, quantity_period
from ._pipeline import extract

__all__ = ["PERIODS", "Due", "Period", "Reading", "extract", "find_deadline", "lexicon", "parse_due",
           "quantity_period", "read_quantities", "unit_kind"]
