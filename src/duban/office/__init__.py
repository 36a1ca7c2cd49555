"""Office files at the edge: the 台账 in Excel (out and back in) and the 督查通报 in Word."""
from __future__ import annotations

from .docx import write_circular, write_plan_document
from .xlsx import read_plan, read_progress, write_plan, write_progress, write_reminders

__all__ = ["read_plan", "read_progress", "write_circular", "write_plan", "write_plan_document",
           "write_progress",
           "write_reminders"]
