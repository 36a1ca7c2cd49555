"""The 台账 in Excel: the plan sheet and a department's progress sheet, out and back in.

Columns are found by their header text, so an office may add title rows or reorder
columns; 任务编号 and 版本 tie each row to the ledger and must not be edited.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import InputError, ValidationFailed
from ..store import PlanEdit, PlanRow, ProgressEdit, Reminder
from ..track import STATUS_ZH
from ._styles import BORDER, QUIET_TEXT, READONLY_FILL, TITLE_SIZE, header_cell_style, legend, light

PLAN_COLUMNS = ["序号", "工作任务", "指标要求", "牵头单位", "责任单位", "完成时限", "牵头领导",
                "进展情况", "状态", "任务编号", "版本"]
PLAN_WIDTHS = [6, 60, 30, 16, 30, 16, 10, 40, 10, 9, 6]
PROGRESS_COLUMNS = ["任务编号", "序号", "工作任务", "指标要求", "报送期", "实际值", "完成百分比",
                    "进展情况", "版本"]
PROGRESS_WIDTHS = [9, 6, 50, 26, 10, 12, 10, 50, 6]


def _header(sheet: Worksheet, row: int, columns: list[str], widths: list[int]) -> None:
    for i, (name, width) in enumerate(zip(columns, widths), 1):
        cell = sheet.cell(row=row, column=i, value=name)
        cell.font, cell.fill, cell.alignment = header_cell_style()
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"C{row + 1}"  # titles and ids stay in view


def _new_book(title: str) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on its one worksheet
    sheet.title = title
    return book, sheet


def _save(book: Workbook, path: Path) -> Path:
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)
    return path


def write_plan(path: Path, title: str, rows: list[PlanRow], departments: list[str]) -> Path:
    """The plan (分工方案/台账) with status colours, a 单位名录 sheet and a 说明 sheet."""
    book, sheet = _new_book("分工方案")
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=TITLE_SIZE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PLAN_COLUMNS))
    _header(sheet, 2, PLAN_COLUMNS, PLAN_WIDTHS)
    for r, row in enumerate(rows, 3):
        values: list[str | int | None] = [
            row.seq, row.title, row.targets, row.lead, "、".join(row.co), row.deadline, row.leader,
            row.progress, STATUS_ZH[row.status], row.task_id, row.version]
        for c, value in enumerate(values, 1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=c in (2, 3, 5, 8))
            cell.border = BORDER
        light_cell = sheet.cell(row=r, column=9)
        light_cell.fill, light_cell.font = light(row.status)
        for c in (10, 11):
            sheet.cell(row=r, column=c).font = Font(color=QUIET_TEXT)
    names = book.create_sheet("单位名录")
    names.append(["单位（牵头单位、责任单位请从这里选填，多个责任单位用“、”分隔）"])
    for name in departments:
        names.append([name])
    names.column_dimensions["A"].width = 40
    if rows and departments:
        check = DataValidation(type="list", formula1=f"单位名录!$A$2:$A${len(departments) + 1}",
                               allow_blank=True, showErrorMessage=True,
                               errorTitle="未知单位", error="请从单位名录中选择牵头单位")
        sheet.add_data_validation(check)
        check.add(f"D3:D{len(rows) + 2}")
    notes = book.create_sheet("说明")
    for line in [
        "本表由 duban 导出。修改后用 duban plan --apply 导入：先逐行校验、预览，确认后一次性写入。",
        "指标要求：每个指标写成“指标名+数值+单位”，如 新增就业1.6万人以上；多个指标用“；”分隔。",
        "指标名加了引号的（如 “能源重点领域项目投资突破”11个），引号内按原文理解，其中的数字和“突破”等词不计入数值。",
        "完成时限：日期（2023-06-30）、全年、年内持续推进，或节点（2023-03-31 开工；2023-12-31 竣工）。",
        "任务编号、版本列请勿修改；新增任务时留空任务编号。状态列由系统计算，修改无效。",
        "状态颜色（严重滞后含逾期）：",
    ]:
        notes.append([line])
    for status, words in legend():
        notes.append([words])
        key = notes.cell(row=notes.max_row, column=1)
        key.fill, key.font = light(status)
    notes.column_dimensions["A"].width = 110
    return _save(book, path)


def _open(path: Path, name: str) -> Worksheet:
    """The sheet called ``name``, else the active one, of the workbook at ``path``."""
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise InputError(str(path), f"无法读取 Excel 文件 (cannot read xlsx): {type(exc).__name__}") from None
    sheet = book[name] if name in book.sheetnames else book.active
    if not isinstance(sheet, Worksheet):
        raise InputError(str(path), f"找不到工作表“{name}” (no such worksheet)")
    return sheet


def _find_header(sheet: Worksheet, wanted: list[str], path: Path) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=10, values_only=True), 1):
        names = {str(v).strip(): i for i, v in enumerate(row) if v is not None}
        if sum(1 for w in wanted if w in names) >= len(wanted) - 2:
            return r, names
    raise InputError(str(path), f"找不到表头（应含 {'、'.join(wanted)}）(no header row)")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _int(value: object, row: int, column: str, errors: list[tuple[int, str, str]]) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        errors.append((row, column, f"“{text}”不是整数 (not an integer)"))
        return None


def read_plan(path: Path) -> list[PlanEdit]:
    """Rows of an edited plan sheet; structural problems of any row are all reported."""
    sheet = _open(path, "分工方案")
    header, cols = _find_header(sheet, ["工作任务", "指标要求", "牵头单位", "责任单位", "完成时限",
                                        "任务编号", "版本"], path)
    for needed in ("工作任务", "牵头单位", "任务编号"):
        if needed not in cols:
            raise InputError(str(path), f"缺少“{needed}”列 (missing column)")
    edits: list[PlanEdit] = []
    errors: list[tuple[int, str, str]] = []
    for r, row in enumerate(sheet.iter_rows(min_row=header + 1, values_only=True), header + 1):
        def get(name: str) -> object:
            i = cols.get(name)
            return row[i] if i is not None and i < len(row) else None
        if not any(v not in (None, "") for v in row):
            continue
        deadline = get("完成时限")
        if isinstance(deadline, datetime):
            deadline = deadline.date()
        edits.append(PlanEdit(
            row=r, task_id=_int(get("任务编号"), r, "任务编号", errors),
            title=_text(get("工作任务")), targets=_text(get("指标要求")), lead=_text(get("牵头单位")),
            co=_text(get("责任单位")),
            deadline=deadline if isinstance(deadline, date) else _text(deadline),
            leader=_text(get("牵头领导")), version=_int(get("版本"), r, "版本", errors)))
    if errors:
        raise ValidationFailed(str(path), errors)
    return edits


def write_progress(path: Path, department: str, period: str, rows: list[PlanRow]) -> Path:
    """A department's progress sheet for a period: its tasks, blanks to fill."""
    book, sheet = _new_book("进展填报")
    sheet.cell(row=1, column=1, value=f"{department} {period} 重点工作进展填报表").font = Font(
        bold=True, size=TITLE_SIZE)
    sheet.cell(row=2, column=1, value="填报单位")
    sheet.cell(row=2, column=2, value=department)
    sheet.cell(row=2, column=3, value="报送期")
    sheet.cell(row=2, column=4, value=period)
    _header(sheet, 3, PROGRESS_COLUMNS, PROGRESS_WIDTHS)
    for r, row in enumerate(rows, 4):
        values: list[str | int | None] = [row.task_id, row.seq, row.title, row.targets, period,
                                          None, None, None, row.version]
        for c, value in enumerate(values, 1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=c in (3, 4, 8))
            if c in (1, 2, 3, 4, 9):
                cell.fill = PatternFill("solid", fgColor=READONLY_FILL)
    return _save(book, path)


REMINDER_COLUMNS = ["单位", "类别", "序号", "工作任务", "完成时限", "状态"]
REMINDER_WIDTHS = [16, 12, 6, 60, 12, 10]


def write_reminders(path: Path, reminders: list[Reminder]) -> Path:
    """催办清单: per department, what is overdue, due soon and not reported this month."""
    book, sheet = _new_book("催办清单")
    _header(sheet, 1, REMINDER_COLUMNS, REMINDER_WIDTHS)
    r = 2
    for reminder in reminders:
        for kind, rows in (("逾期", reminder.overdue), ("临近到期", reminder.due_soon),
                           ("本月未报送", reminder.not_reported)):
            for row in rows:
                values: list[str | int] = [reminder.department, kind, row.seq, row.title,
                          row.deadline.isoformat(), STATUS_ZH[row.status]]
                for c, value in enumerate(values, 1):
                    cell = sheet.cell(row=r, column=c, value=value)
                    cell.border = BORDER
                    cell.alignment = Alignment(vertical="top", wrap_text=c == 4)
                status = sheet.cell(row=r, column=6)
                status.fill, status.font = light(row.status)
                r += 1
    return _save(book, path)


def read_progress(path: Path) -> tuple[str, list[ProgressEdit]]:
    """(填报单位, rows) of a filled progress sheet; rows left blank are skipped."""
    sheet = _open(path, "进展填报")
    department = ""
    for row in sheet.iter_rows(min_row=1, max_row=5, values_only=True):
        cells = [_text(v) for v in row]
        if "填报单位" in cells:
            i = cells.index("填报单位")
            department = cells[i + 1] if i + 1 < len(cells) else ""
    header, cols = _find_header(sheet, PROGRESS_COLUMNS, path)
    if "任务编号" not in cols:
        raise InputError(str(path), "缺少“任务编号”列 (missing column)")
    edits: list[ProgressEdit] = []
    errors: list[tuple[int, str, str]] = []
    for r, row in enumerate(sheet.iter_rows(min_row=header + 1, values_only=True), header + 1):
        def get(name: str) -> object:
            i = cols.get(name)
            return row[i] if i is not None and i < len(row) else None
        if all(_text(get(c)) == "" for c in ("实际值", "完成百分比", "进展情况")):
            continue  # nothing reported on this row
        edits.append(ProgressEdit(
            row=r, task_id=_int(get("任务编号"), r, "任务编号", errors),
            period=_text(get("报送期")), actual=_text(get("实际值")),
            percent=_text(get("完成百分比")), narrative=_text(get("进展情况")),
            version=_int(get("版本"), r, "版本", errors)))
    if errors:
        raise ValidationFailed(str(path), errors)
    return department, edits
