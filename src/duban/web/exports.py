"""Downloads the web app serves as spreadsheets (CSV opened in Excel/WPS): every text cell
that a spreadsheet would read as a formula is neutralised."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable
from urllib.parse import quote

from fastapi.responses import Response

# a cell starting with one of these is a formula (or becomes one) in Excel, WPS and LibreOffice
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_cell(value: Any) -> Any:
    """The value, with a text that a spreadsheet would evaluate turned into plain text by a
    leading apostrophe (OWASP's advice for CSV injection). Numbers stay numbers."""
    if not isinstance(value, str):
        return value
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A CSV download: UTF-8 with a BOM (Excel reads it as UTF-8), every cell quoted and
    neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([spreadsheet_cell(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
