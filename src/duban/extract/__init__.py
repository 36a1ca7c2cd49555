"""Pure rule engine: quantities, roles, indicators, tasks and the glossary of formulas."""
from __future__ import annotations

from ._lexicon import lexicon
from ._pipeline import extract

__all__ = ["extract", "lexicon"]
