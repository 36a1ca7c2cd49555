"""The 分工方案 a clerk prints: parts grouped, A4 landscape, header repeated, page numbers."""
from __future__ import annotations

from pathlib import Path

import docx
from openpyxl import load_workbook

from duban.office import read_plan, write_plan, write_plan_document
from duban.store import PlanRow


def _row(seq: int, part: str, section: str, title: str, deadline: str = "全年") -> PlanRow:
    return PlanRow(task_id=seq, seq=seq, part=part, section=section, title=title,
                   targets="新增就业1.6万人以上" if seq == 1 else "", lead="区人社局" if seq == 1 else "",
                   co=(), deadline=deadline, leader="", progress="", status="not_reported", state="draft",
                   version=1, kind="policy")


ROWS = [_row(1, "二、2026年工作安排", "二 / （一）稳就业", "力争新增就业1.6万人"),
        _row(2, "二、2026年工作安排", "二 / （一）稳就业", "开展职业技能培训", "6月底前"),
        _row(3, "三、政府自身建设", "三 / （一）依法行政", "严控“三公”经费")]


def test_the_sheet_prints_on_a4_landscape_with_its_header_on_every_page(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "plan.xlsx", "分工方案", ROWS, ["区人社局"])
    sheet = load_workbook(path)["分工方案"]
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.print_title_rows == "$2:$2"
    footer = sheet.oddFooter
    assert footer is not None and "&P" in str(footer.center.text) and "&N" in str(footer.center.text)
    header = [c.value for c in sheet[2]]
    parts = [sheet.cell(r, header.index("所属部分") + 1).value for r in range(3, 6)]
    assert parts == ["二、2026年工作安排 / （一）稳就业"] * 2 + ["三、政府自身建设 / （一）依法行政"]
    assert sheet.cell(5, header.index("所属部分") + 1).font.bold
    assert not sheet.cell(4, header.index("所属部分") + 1).font.bold
    # the grouping column does not stop the sheet from being read back
    edits = read_plan(path)
    assert [e.title for e in edits] == [r.title for r in ROWS]
    assert edits[1].deadline == "6月底前"


def test_the_document_groups_rows_under_their_parts(tmp_path: Path) -> None:
    path = write_plan_document(tmp_path / "plan.docx", "分工方案", ROWS)
    document = docx.Document(str(path))
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert round(width.mm) == 297 and round(height.mm) == 210  # A4 landscape
    table = document.tables[0]
    texts = [row.cells[1].text for row in table.rows]
    assert texts[0] == "工作任务"
    # a part's heading row comes before its rows, once per part
    assert texts.index("二、2026年工作安排 / （一）稳就业") < texts.index("力争新增就业1.6万人")
    assert texts.index("三、政府自身建设 / （一）依法行政") == texts.index("严控“三公”经费") - 1
    assert sum(t.startswith("二、") for t in texts) == 1
    header_properties = table.rows[0]._tr.trPr
    assert header_properties is not None and header_properties.xml.count("tblHeader") == 1
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    leads = [row.cells[3].text for row in table.rows]
    assert "待定" in leads  # a row without a lead says so
