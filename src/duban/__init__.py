"""duban 督办: from a government work report to a tracked task-division plan."""
from __future__ import annotations

from .errors import DubanError, InputError
from .extract import extract
from .ingest import load_report, read_report
from .pipeline import analyse
from .models import Extraction, Quantity, Report, Section, Task, Term

__all__ = ["DubanError", "analyse", "Extraction", "InputError", "Quantity", "Report", "Section", "Task",
           "Term", "extract", "load_report", "read_report"]
__version__ = "0.1.0"
