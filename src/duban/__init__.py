"""duban 督办: from a government work report to a tracked task-division plan.

The public API is loaded on first use, so that ``import duban`` (and the ``duban`` command's
``--help``) costs nothing until a report is read. ``analyse`` is the one pipeline: a report in,
everything extracted and the departments suggested out. (``duban.extract`` is the package of
the extraction stage; its function is ``duban.extract.extract``.)
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import DubanError, InputError
    from .ingest import load_report, read_report
    from .models import Extraction, Quantity, Report, Section, Task, Term
    from .pipeline import analyse

__all__ = ["DubanError", "Extraction", "InputError", "Quantity", "Report", "Section", "Task",
           "Term", "analyse", "load_report", "read_report"]
__version__ = "0.1.0"

_HOME = {"DubanError": "errors", "InputError": "errors", "load_report": "ingest", "read_report": "ingest", "Extraction": "models",
         "Quantity": "models", "Report": "models", "Section": "models", "Task": "models",
         "Term": "models", "analyse": "pipeline"}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'duban' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
