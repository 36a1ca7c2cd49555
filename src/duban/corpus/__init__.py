"""Whole corpora as a dataset (local processes or Ray) and its self-contained HTML report."""
from __future__ import annotations

from ..structure import level_of
from ._metadata import Metadata, read_metadata, same_government
from ._records import infer_government, report_rows
from ._sources import base_name
from .batch import BatchResult, Interrupted, discover, run_batch, scan

__all__ = ["BatchResult", "Interrupted", "Metadata", "base_name", "discover", "infer_government",
           "level_of", "read_metadata", "report_rows", "run_batch", "same_government", "scan"]
