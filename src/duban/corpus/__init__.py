"""Whole corpora as a dataset (local processes or Ray) and its self-contained HTML report."""
from __future__ import annotations

from ..structure import level_of
from ._records import infer_government, report_rows
from ._sources import base_name
from .batch import BatchResult, discover, run_batch

__all__ = ["BatchResult", "base_name", "discover", "infer_government", "level_of", "report_rows", "run_batch"]
