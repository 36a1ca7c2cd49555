"""An office's own department directory (单位名录) in Excel: written from the ledger as a
template, read back as typed — strictly, like every sheet of the 台账 (header as the template
or an alias, no merged cells, no formulas without values; problems by row and column)."""
from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment

from ..store import DepartmentRecord, DirectoryRow, split_short
from .xlsx import _header, _new_book, _read_table, _save, _text

DIRECTORY_COLUMNS = ["单位名称", "简称", "职责", "上级单位", "状态"]
DIRECTORY_WIDTHS = [30, 20, 60, 24, 8]
DIRECTORY_REQUIRED = ["单位名称"]


def write_directory(path: Path, records: list[DepartmentRecord]) -> Path:
    """The ledger's departments as an editable 名录 (简称 separated by 、)."""
    book, sheet = _new_book("单位名录")
    _header(sheet, 1, DIRECTORY_COLUMNS, DIRECTORY_WIDTHS)
    sheet.freeze_panes = "B2"
    for record in records:
        sheet.append([record.name, "、".join(record.short), record.duties, record.parent,
                      "在用" if record.active else "停用"])
        sheet.cell(sheet.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    return _save(book, path)


def read_directory(path: Path) -> list[DirectoryRow]:
    """The rows of a 名录 sheet (blank rows skipped); 停用 rows are left out of the list, so
    that with --deactivate-missing they are deactivated."""
    table = _read_table(path, "单位名录", DIRECTORY_COLUMNS, DIRECTORY_REQUIRED)
    rows: list[DirectoryRow] = []
    for r, values in table.rows:
        if not any(v not in (None, "") for v in values.values()):
            continue
        if _text(values.get("状态")) == "停用":
            continue
        rows.append(DirectoryRow(name=_text(values.get("单位名称")),
                                 short=split_short(_text(values.get("简称"))),
                                 duties=_text(values.get("职责")),
                                 parent=_text(values.get("上级单位")), row=r))
    return rows
