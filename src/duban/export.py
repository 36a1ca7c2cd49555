"""Writing an Extraction to JSON, CSV and XLSX files (one file per input)."""
from __future__ import annotations

import csv
from pathlib import Path

import orjson

from .models import Extraction

FORMATS = ("json", "csv", "xlsx")
ROLE_ZH = {"target": "目标", "achievement": "成绩", None: ""}
KIND_ZH = {"target": "量化指标", "project": "项目建设", "honour": "争创荣誉", "policy": "政策举措"}
PART_ZH = {"front": "前言", "review": "回顾", "targets": "总体目标", "plan": "重点任务",
           "self": "政府自身建设", "back": "附录"}

_Q_COLUMNS = ["序号", "角色", "指标", "数值", "单位", "比较", "上限", "语气", "原文", "起", "止", "规则"]
_T_COLUMNS = ["序号", "任务", "类型", "所属章节", "指标数", "建议牵头单位", "建议责任单位", "置信度",
              "起", "止", "规则"]


def quantity_rows(result: Extraction) -> list[list[object]]:
    return [[i + 1, ROLE_ZH[q.role], q.indicator, q.value, q.unit, q.comparator, q.upper,
             q.modality, q.quote, q.start, q.end, q.rule] for i, q in enumerate(result.quantities)]


def task_rows(result: Extraction) -> list[list[object]]:
    return [[i + 1, t.quote, KIND_ZH[t.kind], t.section, len(t.quantities), t.lead or "",
             "、".join(t.co), t.confidence, t.start, t.end, t.rule]
            for i, t in enumerate(result.tasks)]


def encode_json(result: Extraction) -> bytes:
    """The JSON file of ``result`` (UTF-8, Chinese as it is, indented for reading), what
    ``write`` writes. orjson: the standard encoder, indented, runs in Python and cost more
    than the whole extraction."""
    return orjson.dumps(result.to_json(), option=orjson.OPT_INDENT_2)


def write(result: Extraction, out_dir: Path, stem: str, fmt: str) -> Path:
    """Write ``result`` as ``out_dir/<stem>.<fmt>``; the file appears whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.{fmt}"
    partial = out_dir / f".{stem}.{fmt}.partial"
    if fmt == "json":
        partial.write_bytes(encode_json(result))
    elif fmt == "csv":
        with partial.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["类别", *_Q_COLUMNS])
            for row in quantity_rows(result):
                writer.writerow(["指标", *row])
            writer.writerow([])
            writer.writerow(["类别", *_T_COLUMNS])
            for row in task_rows(result):
                writer.writerow(["任务", *row])
    elif fmt == "xlsx":
        _xlsx(result, partial)
    else:
        raise ValueError(fmt)
    partial.replace(target)
    return target


def _xlsx(result: Extraction, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook holds one sheet
    sheet.title = "指标"
    sheet.append(_Q_COLUMNS)
    for row in quantity_rows(result):
        sheet.append(row)
    tasks = book.create_sheet("任务")
    tasks.append(_T_COLUMNS)
    for row in task_rows(result):
        tasks.append(row)
    outline = book.create_sheet("提纲")
    outline.append(["层级", "编号", "标题", "类型", "起", "止"])
    for s in result.outline:
        outline.append([s.level, s.number, s.title, PART_ZH.get(s.kind, s.kind), s.start, s.end])
    terms = book.create_sheet("术语")
    terms.append(["提法", "起", "止", "规则"])
    for t in result.terms:
        terms.append([t.text, t.start, t.end, t.rule])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    book.save(path)
