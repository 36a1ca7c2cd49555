"""The promise check's report card as an Excel sheet: each target with the outcome the next
report gives, the verdict on its colour, the reason in Chinese and how sure the link is."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..track.promise import VERDICT_ZH, Link, human
from ._styles import verdict_light

HEADER = ("指标", "目标原文", "目标", "比较", "回顾原文", "实际", "结论", "依据", "依据类型", "置信度")
WIDTHS = (30, 16, 14, 6, 30, 14, 10, 40, 10, 8)
COMPARATOR_ZH = {"=": "", ">=": "不低于", "<=": "不高于", "~": "左右", "range": "区间"}
EVIDENCE_ZH = {"number": "数字", "words": "文字", "none": ""}
VERDICT_COLUMN = HEADER.index("结论") + 1


def write_report_card(path: Path, earlier: str, later: str, links: list[Link]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = "兑现检查"
    sheet.append([f"目标报告：{earlier}", f"回顾报告：{later}"])
    sheet.append(list(HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for link in links:
        t, o = link.target, link.outcome
        # figures as a report writes them (4.7亿元), never in base units (470000000)
        actual = "" if o is None else (human(o.value, o.unit) if o.value is not None else "—")
        sheet.append([t.indicator, t.quote, human(t.value, t.unit),
                      COMPARATOR_ZH.get(t.comparator, t.comparator), o.quote if o else "",
                      actual, VERDICT_ZH[link.verdict], link.reason,
                      EVIDENCE_ZH.get(link.evidence, link.evidence),
                      round(link.confidence, 2) if o is not None else None])
        verdict = sheet.cell(sheet.max_row, VERDICT_COLUMN)
        verdict.fill, verdict.font = verdict_light(link.verdict)
        sheet.cell(sheet.max_row, HEADER.index("回顾原文") + 1).alignment = Alignment(wrap_text=True)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)
    return path
