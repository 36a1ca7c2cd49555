"""The 台账 in Excel: the plan sheet and a department's progress sheet, out and back in.

Columns are found by their header text, so an office may add title rows or reorder
columns; 任务编号 and 版本 tie each row to the ledger and must not be edited. A sheet read
back is read as the person typed it or refused with the row and column of each problem: a
header that is not the template's (nor one of HEADER_ALIASES), a merged cell, a formula
without a saved value, an error value, data under no header; a percent-formatted number is
the percent shown (0.5 in a 0% cell is 50%).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import Outline, PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import InputError, ValidationFailed
from ..ingest import check_zip, read_file
from ..store import PlanEdit, PlanRow, ProgressEdit, Reminder
from ..track import STATUS_ZH
from ._styles import BORDER, QUIET_TEXT, READONLY_FILL, TITLE_SIZE, header_cell_style, legend, light

PLAN_COLUMNS = ["序号", "工作任务", "指标要求", "牵头单位", "责任单位", "完成时限", "牵头领导",
                "进展情况", "状态", "任务编号", "版本", "所属部分"]
PLAN_WIDTHS = [6, 60, 30, 16, 30, 16, 10, 40, 10, 9, 6, 24]
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


def section_label(row: PlanRow) -> str:
    """The part and sub-part a row stands under (三、2026年重点工作 / （一）…), as a clerk reads it."""
    pieces = [p for p in (row.part, *row.section.split(" / ")[1:2]) if p]
    return " / ".join(dict.fromkeys(pieces))


def _print_setup(sheet: Worksheet, header_row: int) -> None:
    """A4 landscape, all columns on the page's width, the header row on every page, page numbers."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    footer = sheet.oddFooter
    assert footer is not None  # a new worksheet has its header and footer objects
    footer.center.text = "第 &P 页，共 &N 页"


def _group_by_section(sheet: Worksheet, rows: list[PlanRow], first: int) -> None:
    """The rows of each part as one outline group (Excel's 1/2 buttons fold a part away), the
    first row of each part in bold in its 所属部分 cell so the parts stand apart on paper."""
    previous = None
    column = PLAN_COLUMNS.index("所属部分") + 1
    for r, row in enumerate(rows, first):
        label = section_label(row)
        sheet.row_dimensions[r].outline_level = 1
        if label != previous:
            sheet.cell(row=r, column=column).font = Font(bold=True)
            previous = label
    sheet.sheet_properties.outlinePr = Outline(summaryBelow=False)


def write_plan(path: Path, title: str, rows: list[PlanRow], departments: list[str]) -> Path:
    """The plan (分工方案/台账) with status colours, a 单位名录 sheet and a 说明 sheet."""
    book, sheet = _new_book("分工方案")
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=TITLE_SIZE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PLAN_COLUMNS))
    _header(sheet, 2, PLAN_COLUMNS, PLAN_WIDTHS)
    _print_setup(sheet, 2)
    for r, row in enumerate(rows, 3):
        values: list[str | int | None] = [
            row.seq, row.title, row.targets, row.lead, "、".join(row.co), row.deadline, row.leader,
            row.progress, STATUS_ZH[row.status], row.task_id, row.version, section_label(row)]
        for c, value in enumerate(values, 1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=c in (2, 3, 5, 8))
            cell.border = BORDER
        light_cell = sheet.cell(row=r, column=9)
        light_cell.fill, light_cell.font = light(row.status)
        for c in (10, 11):
            sheet.cell(row=r, column=c).font = Font(color=QUIET_TEXT)
    _group_by_section(sheet, rows, 3)
    if rows:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(PLAN_COLUMNS))}{len(rows) + 2}"
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
        "列名请保持不变（可用的别名："
        + "；".join(f"{k}：{'、'.join(v)}" for k, v in HEADER_ALIASES.items())
        + "）。改了名的列、合并单元格、没有计算结果的公式都会被拒绝，并指出所在的行和列。",
        "状态颜色（严重滞后含逾期）：",
    ]:
        notes.append([line])
    for status, words in legend():
        notes.append([words])
        key = notes.cell(row=notes.max_row, column=1)
        key.fill, key.font = light(status)
    notes.column_dimensions["A"].width = 110
    return _save(book, path)


# -- reading a filled sheet back ------------------------------------------------------------

MAX_SHEET_BYTES = 50 * 2**20  # 50 MiB: a province's plan of 10,000 rows is a few MiB
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(_FORMULA.search(archive.read(entry))
                   for entry in archive.namelist() if entry.startswith("xl/worksheets/"))


def _open(path: Path, name: str) -> tuple[Worksheet, Worksheet | None]:
    """The sheet called ``name`` (else the active one) read for its values, and read again
    for its formulas when it holds any (openpyxl reads one or the other, not both)."""
    data = read_file(path, MAX_SHEET_BYTES)  # a regular file, never more than the limit
    check_zip(data, str(path))  # ingest's decompression limits, before openpyxl unpacks it
    sheets: list[Worksheet] = []
    for data_only in ((True, False) if _has_formulas(data) else (True,)):
        try:
            book = load_workbook(io.BytesIO(data), data_only=data_only)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
            raise InputError(str(path), f"无法读取 Excel 文件 (cannot read xlsx): "
                                        f"{type(exc).__name__}") from None
        sheet = book[name] if name in book.sheetnames else book.active
        if not isinstance(sheet, Worksheet):
            raise InputError(str(path), f"找不到工作表“{name}” (no such worksheet)")
        sheets.append(sheet)
    return sheets[0], sheets[1] if len(sheets) > 1 else None


# Other names an office may give a column of the template (from published plans: 任务名称,
# 配合单位 …); any other header is refused, so that a renamed column (实际完成值) is not
# silently read as missing. Headers are compared without white space.
HEADER_ALIASES = {
    "工作任务": ("任务名称", "重点任务"),
    "牵头单位": ("牵头部门",),
    "责任单位": ("责任部门", "配合单位"),
    "完成时限": ("完成时间",),
    "完成百分比": ("完成百分比(%)", "完成百分比（%）"),
    "单位名称": ("名称", "部门名称", "单位全称", "全称"),  # the department directory (名录)
    "简称": ("别名", "简称/别名"),
    "职责": ("主要职责", "职能"),
    "上级单位": ("上级部门", "主管单位"),
}
_CANONICAL = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


def _canonical(text: str, template: list[str]) -> str | None:
    name = "".join(text.split())
    name = _CANONICAL.get(name, name)
    return name if name in template else None


@dataclass(frozen=True)
class _Table:
    header: int
    columns: dict[str, int]  # template name -> column number (1-based)
    rows: list[tuple[int, dict[str, object]]]  # (row number, template name -> value)
    above: Sequence[Sequence[object]]  # the rows above the header (title, 填报单位 …)


def _percent(value: float) -> str:
    """0.5 shown as 50% by Excel's percent format: the figure typed, 50%."""
    text = format(Decimal(repr(value)) * 100, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def _read_table(path: Path, sheet_name: str, template: list[str], required: list[str]) -> _Table:
    """The rows of a filled template, every cell as typed; ValidationFailed naming each
    unknown, repeated or missing column, merged cell, formula without a saved value and
    error value by its row and column."""
    sheet, formulas = _open(path, sheet_name)
    header = 0
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=10, values_only=True), 1):
        if sum(1 for v in row if v is not None and _canonical(str(v), template)) >= 3:
            header = r
            break
    if not header:
        raise InputError(str(path), f"前 10 行中找不到表头（应为 {'、'.join(template)}）(no header row)")
    errors: list[tuple[int, str, str]] = []
    columns: dict[str, int] = {}
    headerless: set[int] = set()
    for cell in sheet[header]:
        if cell.value is None or str(cell.value).strip() == "":
            continue
        text, letter = str(cell.value).strip(), get_column_letter(cell.column)
        name = _canonical(text, template)
        if name is None:
            headerless.add(cell.column)  # its cells are not reported again one by one
            aliases = "；".join(f"{k}：{'、'.join(v)}" for k, v in HEADER_ALIASES.items())
            errors.append((header, f"{letter}列", f"表头“{text}”不是模板的列名，请改回模板的列名 "
                                                  f"（{'、'.join(template)}；可用别名 {aliases}）"
                                                  f"(unknown column)"))
        elif name in columns:
            errors.append((header, f"{letter}列", f"“{name}”列重复（已在 "
                                                  f"{get_column_letter(columns[name])}列）(column repeated)"))
        else:
            columns[name] = cell.column
    for name in required:
        if name not in columns:
            errors.append((header, name, f"缺少“{name}”列 (missing column)"))
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= header:
            errors.append((max(merged.min_row, header), merged.coord,
                           f"合并单元格 {merged.coord}：请取消合并，每行分别填写 (merged cells)"))
    rows: list[tuple[int, dict[str, object]]] = []
    name_of = {column: name for name, column in columns.items()}
    for r, cells in enumerate(sheet.iter_rows(min_row=header + 1), header + 1):
        values: dict[str, object] = {}
        for cell in cells:
            column = cell.column
            if not isinstance(column, int):
                continue
            name = name_of.get(column)
            value = cell.value
            if name is None:
                if value not in (None, "") and column not in headerless:
                    headerless.add(column)
                    errors.append((r, f"{get_column_letter(column)}列", f"{cell.coordinate} 所在的列没有表头，"
                                                                        "内容不会被读取 (a column without a header)"))
                continue
            if formulas is not None and value is None and \
                    formulas.cell(row=r, column=column).data_type == "f":
                errors.append((r, name, f"{cell.coordinate} 是公式但没有保存计算结果，请在 Excel 中打开"
                                        "并保存，或直接填数值 (a formula without a saved value)"))
            elif cell.data_type == "e":
                errors.append((r, name, f"{cell.coordinate} 是错误值 {value} (an error value)"))
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and \
                    "%" in (cell.number_format or ""):
                value = _percent(float(value))
            values[name] = value
        rows.append((r, values))
    if errors:
        raise ValidationFailed(str(path), errors)
    above = list(sheet.iter_rows(min_row=1, max_row=header - 1, values_only=True)) if header > 1 else []
    return _Table(header, columns, rows, above)


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


def _period(value: object, row: int, errors: list[tuple[int, str, str]]) -> str:
    """报送期 as typed: Excel turns 2023-06 into a date (the month is kept); a number such as
    2023.1 is refused, as it may have been 2023.10."""
    if isinstance(value, datetime):
        return f"{value.year}-{value.month:02d}"
    if isinstance(value, float) and not value.is_integer():
        errors.append((row, "报送期", f"“{value}”是数字，看不出月份（2023.1 还是 2023.10？），"
                                      "请写成 2023-06 (a number is no period)"))
        return ""
    return _text(value)


PLAN_REQUIRED = ["工作任务", "指标要求", "牵头单位", "责任单位", "完成时限", "牵头领导", "任务编号", "版本"]


def read_plan(path: Path) -> list[PlanEdit]:
    """Rows of an edited plan sheet; structural problems of any row are all reported."""
    table = _read_table(path, "分工方案", PLAN_COLUMNS, PLAN_REQUIRED)
    edits: list[PlanEdit] = []
    errors: list[tuple[int, str, str]] = []
    for r, values in table.rows:
        if not any(v not in (None, "") for v in values.values()):
            continue
        deadline = values.get("完成时限")
        if isinstance(deadline, datetime):
            deadline = deadline.date()
        edits.append(PlanEdit(
            row=r, task_id=_int(values.get("任务编号"), r, "任务编号", errors),
            title=_text(values.get("工作任务")), targets=_text(values.get("指标要求")),
            lead=_text(values.get("牵头单位")), co=_text(values.get("责任单位")),
            deadline=deadline if isinstance(deadline, date) else _text(deadline),
            leader=_text(values.get("牵头领导")),
            version=_int(values.get("版本"), r, "版本", errors)))
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


PROGRESS_REQUIRED = ["任务编号", "报送期", "实际值", "完成百分比", "进展情况", "版本"]


def read_progress(path: Path) -> tuple[str, list[ProgressEdit]]:
    """(填报单位, rows) of a filled progress sheet; rows left blank are skipped. A percent
    typed in Excel (50%, stored as 0.5 in a percent format) is read as 50%."""
    table = _read_table(path, "进展填报", PROGRESS_COLUMNS, PROGRESS_REQUIRED)
    department = ""
    for row in table.above:
        cells = [_text(v) for v in row]
        if "填报单位" in cells:
            i = cells.index("填报单位")
            department = cells[i + 1] if i + 1 < len(cells) else ""
    edits: list[ProgressEdit] = []
    errors: list[tuple[int, str, str]] = []
    for r, values in table.rows:
        if all(_text(values.get(c)) == "" for c in ("实际值", "完成百分比", "进展情况")):
            continue  # nothing reported on this row
        edits.append(ProgressEdit(
            row=r, task_id=_int(values.get("任务编号"), r, "任务编号", errors),
            period=_period(values.get("报送期"), r, errors), actual=_text(values.get("实际值")),
            percent=_text(values.get("完成百分比")), narrative=_text(values.get("进展情况")),
            version=_int(values.get("版本"), r, "版本", errors)))
    if errors:
        raise ValidationFailed(str(path), errors)
    return department, edits
