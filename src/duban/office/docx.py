"""Word documents: the monthly circular (督查通报) and the 分工方案 for print."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.run import Run

from ..store import PlanRow, StatusReport
from ..track import STATUS_COLOURS, STATUS_ZH, STATUSES
from ._styles import BODY_FONT, BODY_FONT_EAST_ASIA, BODY_SIZE, RED_HEAD, hex6


def _font(document: Document) -> None:
    style = document.styles["Normal"]
    assert isinstance(style, ParagraphStyle)
    style.font.name = BODY_FONT
    style.font.size = Pt(BODY_SIZE)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT_EAST_ASIA)


def _shade(properties: BaseOxmlElement, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex6(fill))
    properties.append(shading)


def _light_run(run: Run, status: str) -> None:
    """A run in the colours of its light: the fill behind, readable text on it."""
    colour = STATUS_COLOURS[status]
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(hex6(colour.text))
    _shade(run._r.get_or_add_rPr(), colour.fill)


def _light_cell(cell: _Cell, status: str) -> None:
    _shade(cell._tc.get_or_add_tcPr(), STATUS_COLOURS[status].fill)
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(hex6(STATUS_COLOURS[status].text))


def write_circular(path: Path, government: str, year: int, report: StatusReport,
                   issue: str, office: str = "督查室") -> Path:
    """督查通报: overall figures, each unit's tasks by light, lagging and overdue tasks."""
    document = docx.Document()
    _font(document)
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("督 查 通 报")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(26), RGBColor.from_string(RED_HEAD)
    sub = document.add_paragraph(f"（{issue}）")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{government}人民政府{office}　　　　{report.today.year}年"
                           f"{report.today.month}月{report.today.day}日")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"关于{year}年政府工作报告重点任务推进情况的通报")
    run.bold, run.font.size = True, Pt(16)

    total = report.total
    n = sum(total.values())
    document.add_heading("一、总体情况", level=2)
    parts = "，".join(f"{STATUS_ZH[s]}{total.get(s, 0)}项" for s in STATUSES)
    overdue = sum(1 for r in report.rows if r.overdue)
    document.add_paragraph(
        f"截至{report.today.month}月{report.today.day}日，{year}年政府工作报告确定的{n}项重点任务中，"
        f"{parts}；其中逾期未完成{overdue}项。")

    document.add_heading("二、各单位推进情况", level=2)
    table = document.add_table(rows=1, cols=2 + len(STATUSES))
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = "牵头单位", "任务数"
    for i, status in enumerate(STATUSES):
        header[2 + i].text = STATUS_ZH[status]
        _light_cell(header[2 + i], status)
    for dept, counts in sorted(report.by_department.items(),
                               key=lambda kv: (kv[0] == "合计", -kv[1].get("red", 0), kv[0])):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = dept, str(sum(counts.values()))
        for i, status in enumerate(STATUSES):
            cells[2 + i].text = str(counts.get(status, 0))

    document.add_heading("三、滞后和逾期任务", level=2)
    lagging = [r for r in report.rows if r.status == "red"]
    if not lagging:
        document.add_paragraph("本期无严重滞后或逾期任务。")
    for r in lagging:
        p = document.add_paragraph(style="List Number")
        _light_run(p.add_run(f"【{STATUS_ZH[r.status]}】"), r.status)
        p.add_run(f"{r.title}（牵头单位：{r.lead}；完成时限：{r.deadline.isoformat()}；{r.reason}）")

    document.add_heading("四、下步工作要求", level=2)
    document.add_paragraph(
        "各牵头单位要对照分工方案和完成时限，逐项梳理滞后任务，明确整改措施和时间节点；"
        "未按时报送进展的单位要于下月5日前补报。督查室将持续跟踪，对逾期未完成的任务实行挂牌督办。")
    partial = path.with_name(f".{path.name}.partial")
    document.save(str(partial))
    partial.replace(path)
    return path


PLAN_DOC_COLUMNS = ["序号", "工作任务", "指标要求", "牵头单位", "责任单位", "完成时限"]
_PLAN_DOC_WIDTHS_MM = [12, 110, 50, 30, 45, 23]


def _landscape_a4(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin = section.bottom_margin = Mm(15)


def _page_numbers(document: Document) -> None:
    """第 N 页，共 M 页 centred in the footer (Word fills in the PAGE and NUMPAGES fields)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("第 ", "PAGE", " 页，共 ", "NUMPAGES", " 页"):
        run = paragraph.add_run()
        if piece in ("PAGE", "NUMPAGES"):
            for kind, text in (("begin", None), ("instr", piece), ("end", None)):
                if kind == "instr":
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = f" {text} "
                else:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                run._r.append(element)
        else:
            run.text = piece


def _repeat_header(row: BaseOxmlElement) -> None:
    properties = row.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def write_plan_document(path: Path, title: str, rows: list[PlanRow]) -> Path:
    """The 分工方案 as a Word table for print: A4 landscape, the header row repeated on every page,
    page numbers, and the rows grouped under the report's parts (a shaded full-width row names
    each part and sub-part). 完成时限 is the row's own (年底前, 2026-06-30) or 全年."""
    from .xlsx import section_label  # the same grouping as the Excel sheet

    document = docx.Document()
    _font(document)
    _landscape_a4(document)
    _page_numbers(document)
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title)
    run.bold, run.font.size = True, Pt(16)
    table = document.add_table(rows=1, cols=len(PLAN_DOC_COLUMNS))
    table.style = "Table Grid"
    for cell, name, width in zip(table.rows[0].cells, PLAN_DOC_COLUMNS, _PLAN_DOC_WIDTHS_MM):
        cell.text, cell.width = name, Mm(width)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0]._tr)
    previous = None
    for row in rows:
        label = section_label(row)
        if label and label != previous:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = label
            for run in merged.paragraphs[0].runs:
                run.bold = True
            _shade(merged._tc.get_or_add_tcPr(), "#EDEDED")
        previous = label
        cells = table.add_row().cells
        values = [str(row.seq), row.title, row.targets, row.lead or "待定", "、".join(row.co),
                  row.deadline or "全年"]
        for cell, value, width in zip(cells, values, _PLAN_DOC_WIDTHS_MM):
            cell.text, cell.width = value, Mm(width)
    partial = path.with_name(f".{path.name}.partial")
    document.save(str(partial))
    partial.replace(path)
    return path
