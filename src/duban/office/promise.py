"""The promise check's report card as an Excel sheet."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ..track.promise import VERDICT_ZH, Link
from ._styles import verdict_light


def write_report_card(path: Path, earlier: str, later: str, links: list[Link]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = "兑现检查"
    sheet.append([f"目标报告：{earlier}", f"回顾报告：{later}"])
    header = ["指标", "目标原文", "目标值", "单位", "比较", "回顾原文", "实际值", "结论", "依据"]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for link in links:
        t, o = link.target, link.outcome
        sheet.append([t.indicator, t.quote, t.value, t.unit, t.comparator, o.quote if o else "",
                      o.value if o else None, VERDICT_ZH[link.verdict], link.reason])
        verdict = sheet.cell(sheet.max_row, 8)
        verdict.fill, verdict.font = verdict_light(link.verdict)
    for column, width in zip("ABCDEFGHI", (30, 16, 14, 8, 6, 16, 14, 10, 40)):
        sheet.column_dimensions[column].width = width
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)
    return path
