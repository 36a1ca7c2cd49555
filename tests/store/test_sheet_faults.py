"""Sheets that used to be accepted with wrong or missing figures: each is now refused with its
row and column (or read as the person typed it), and nothing is stored."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from duban.cli import sample_path
from duban.errors import TooLarge, ValidationFailed
from duban.office import read_plan, read_progress, write_plan, write_progress
from duban.store import Ledger, PlanEdit
from duban.store import _models as m

SAMPLE = sample_path()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    """A published plan on SQLite, only read by the tests of the sheet reader."""
    folder = tmp_path_factory.mktemp("published")
    ledger = Ledger(f"sqlite:///{folder / 'ledger.db'}")
    ledger.init(actor="t")
    _publish(ledger)
    yield ledger
    ledger.close()


def _publish(ledger: Ledger) -> None:
    if not ledger.reports():
        ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    _, rows = ledger.plan()
    ledger.apply_plan([PlanEdit(i + 3, r.task_id, r.title, r.targets, "区政府办", "", r.deadline,
                                "", r.version) for i, r in enumerate(rows) if not r.lead], "t")
    ledger.publish("t")


def _progress(ledger: Ledger, path: Path, department: str = "区教育局") -> tuple[
        object, Worksheet, dict[str, int]]:
    write_progress(path, department, "2023-06", ledger.progress_rows(department))
    book = load_workbook(path)
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return book, sheet, {str(c.value): c.column for c in sheet[3]}


def _plan(ledger: Ledger, path: Path) -> tuple[object, Worksheet, dict[str, int]]:
    _, rows = ledger.plan()
    write_plan(path, "分工方案", rows, [d.display for d in ledger.catalogue()])
    book = load_workbook(path)
    sheet = book["分工方案"]
    return book, sheet, {str(c.value): c.column for c in sheet[2]}


def _places(info: pytest.ExceptionInfo[ValidationFailed]) -> set[tuple[int, str]]:
    return {(row, column) for row, column, _ in info.value.errors}


# -- the reader ------------------------------------------------------------------------------

def test_a_percent_typed_in_excel_is_read_as_typed(published: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "edu.xlsx"
    book, sheet, col = _progress(published, path)
    sheet.cell(4, col["完成百分比"]).value = 0.5  # what Excel stores for "50%"
    sheet.cell(4, col["完成百分比"]).number_format = "0%"
    sheet.cell(5, col["实际值"]).value = 0.125
    sheet.cell(5, col["实际值"]).number_format = "0.0%"
    sheet.cell(6, col["完成百分比"]).value = 0.07  # 0.07 * 100 is 7.000000000000001 in floats
    sheet.cell(6, col["完成百分比"]).number_format = "0%"
    sheet.cell(7, col["完成百分比"]).value = 30  # a plain number stays as it is
    book.save(path)  # type: ignore[attr-defined]
    _, edits = read_progress(path)
    assert [(e.row, e.actual, e.percent) for e in edits] == [
        (4, "", "50%"), (5, "12.5%", ""), (6, "", "7%"), (7, "", "30")]


def test_a_renamed_column_is_refused_not_read_as_empty(published: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "edu.xlsx"
    book, sheet, col = _progress(published, path)
    sheet.cell(3, col["实际值"]).value = "实际完成值"
    sheet.cell(4, col["实际值"]).value = 6000
    sheet.cell(4, col["进展情况"]).value = "已完成"
    book.save(path)  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed) as info:
        read_progress(path)
    letter = sheet.cell(3, col["实际值"]).column_letter
    assert _places(info) == {(3, f"{letter}列"), (3, "实际值")}
    assert "实际完成值" in str(info.value) and "缺少“实际值”列" in str(info.value)


def test_a_documented_alias_is_accepted(published: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    book, sheet, col = _plan(published, path)
    sheet.cell(2, col["工作任务"]).value = "任务名称"
    sheet.cell(2, col["责任单位"]).value = "配合 单位"  # white space in a header is ignored
    book.save(path)  # type: ignore[attr-defined]
    edits = read_plan(path)
    assert edits[0].title and len(edits) == len(published.plan()[1])


def test_formulas_without_values_merged_cells_and_error_values_are_placed(
        published: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "edu.xlsx"
    book, sheet, col = _progress(published, path)
    actual, narrative, percent = col["实际值"], col["进展情况"], col["完成百分比"]
    sheet.cell(4, actual).value = "=1000*6"  # openpyxl saves formulas without a computed value
    sheet.cell(5, narrative).value = "三项任务一并推进"
    sheet.merge_cells(start_row=5, start_column=narrative, end_row=7, end_column=narrative)
    sheet.cell(8, percent).value = "#DIV/0!"
    book.save(path)  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed) as info:
        read_progress(path)
    merged = f"{sheet.cell(5, narrative).coordinate}:{sheet.cell(7, narrative).coordinate}"
    assert _places(info) == {(4, "实际值"), (5, merged), (8, "完成百分比")}
    text = str(info.value)
    assert "公式" in text and "合并单元格" in text and "#DIV/0!" in text


def test_a_formula_with_its_saved_value_is_read(published: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "edu.xlsx"
    book, sheet, col = _progress(published, path)
    cell = sheet.cell(4, col["实际值"]).coordinate
    book.save(path)  # type: ignore[attr-defined]
    # what Excel writes: the formula and the value it computed
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml, found = re.subn(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)',
                         f'<c r="{cell}"><f>1000*6</f><v>6000</v></c>', xml, count=1)
    assert found == 1
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    _, edits = read_progress(path)
    assert [(e.row, e.actual) for e in edits] == [(4, "6000")]


def test_a_column_without_a_header_and_a_numeric_period_are_refused(
        published: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "edu.xlsx"
    book, sheet, col = _progress(published, path)
    sheet.cell(4, col["完成百分比"]).value = 40
    sheet.cell(4, col["报送期"]).value = 2023.1  # October or January?
    sheet.cell(5, 12).value = "备注：见附件"
    book.save(path)  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed) as info:
        read_progress(path)
    assert _places(info) == {(5, "L列")}
    sheet.cell(5, 12).value = None
    book.save(path)  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed) as info:
        read_progress(path)
    assert _places(info) == {(4, "报送期")}
    sheet.cell(4, col["报送期"]).value = datetime(2023, 6, 1)  # Excel made 2023-06 a date
    book.save(path)  # type: ignore[attr-defined]
    assert [e.period for e in read_progress(path)[1]] == ["2023-06"]


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_opened(published: Ledger,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "edu.xlsx"
    book, _, _ = _progress(published, path)
    book.save(path)  # type: ignore[attr-defined]
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(8 * 2**20))  # 8 MiB of zeros: ~8 KiB
    with pytest.raises(TooLarge, match="解压比"):
        read_progress(path)
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 but nothing else")
    with pytest.raises(Exception) as info:
        read_progress(tmp_path / "not.xlsx")
    assert "not.xlsx" in str(info.value) and type(info.value).__module__ == "duban.errors"


# -- the ledger ------------------------------------------------------------------------------

def test_percents_from_excel_are_stored_as_percents(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    ledger.publish("sup")
    path = tmp_path / "edu.xlsx"
    book, sheet, col = _progress(ledger, path)
    sheet.cell(4, col["完成百分比"]).value = 0.5
    sheet.cell(4, col["完成百分比"]).number_format = "0%"
    book.save(path)  # type: ignore[attr-defined]
    ledger.apply_progress(read_progress(path)[1], "区教育局", "clerk")
    assert [u.percent for u in ledger.updates()] == [50]


def test_a_task_twice_in_a_sheet_is_refused_whole(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    ledger.publish("sup")
    path = tmp_path / "edu.xlsx"
    book, sheet, col = _progress(ledger, path)
    for r in (4, 5):
        sheet.cell(r, col["完成百分比"]).value = 20
    sheet.cell(6, col["任务编号"]).value = sheet.cell(4, col["任务编号"]).value
    sheet.cell(6, col["完成百分比"]).value = 20
    book.save(path)  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_progress(read_progress(path)[1], "区教育局", "clerk")
    assert _places(info) == {(6, "任务编号")} and "第4行" in str(info.value)
    assert ledger.updates(state=None) == []
    sheet.cell(6, col["完成百分比"]).value = None
    book.save(path)  # type: ignore[attr-defined]
    edits = read_progress(path)[1]
    assert len(ledger.apply_progress(edits, "区教育局", "clerk")) == 2
    with pytest.raises(ValidationFailed) as info:  # the same sheet imported again
        ledger.apply_progress(edits, "区教育局", "clerk")
    # its versions are stale now, and its rows are in the ledger already
    assert _places(info) == {(4, "任务编号"), (5, "任务编号"), (4, "版本"), (5, "版本")}
    assert "重复导入" in str(info.value) and "冲突" in str(info.value)
    unversioned = [replace(e, version=None) for e in edits]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_progress(unversioned, "区教育局", "clerk")
    assert _places(info) == {(4, "任务编号"), (5, "任务编号")}
    assert len(ledger.updates(state=None)) == 2


@pytest.mark.parametrize("period", ["2203-06", "2013-06", "2021-12", "2099-01"])
def test_impossible_periods_are_refused(imported: Ledger, period: str) -> None:
    from duban.store import ProgressEdit

    ledger = imported
    ledger.publish("sup")
    task = ledger.progress_rows("区教育局")[0].task_id
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_progress([ProgressEdit(4, task, period, "", "30", "")], "区教育局", "c")
    assert _places(info) == {(4, "报送期")}
    with pytest.raises(ValueError, match="报送期"):
        ledger.submit_progress(task, "区教育局", period, percent=30, actor="c")
    assert ledger.updates(state=None) == []
    ledger.submit_progress(task, "区教育局", "2022-12", percent=5, actor="c")  # the year before


def test_a_typo_period_approved_long_ago_does_not_pin_the_task(imported: Ledger) -> None:
    ledger = imported
    ledger.publish("sup")
    row = next(r for r in ledger.plan()[1] if "新增就业" in r.title)
    with ledger.db.session() as session:  # a ledger from before periods were checked
        dept = session.scalars(select(m.Department).where(m.Department.short_name == "区人社局")).one()
        typo = m.ProgressUpdate(task_id=row.task_id, department_id=dept.id, period="2203-06",
                                actual_value=3000, submitted_by="c", task_version=row.version)
        session.add(typo)
        session.flush()
        typo_id = typo.id
    ledger.review(typo_id, "approve", "sup")
    june = ledger.submit_progress(row.task_id, "区人社局", "2023-06", actual=8000, actor="c")
    ledger.review(june, "approve", "sup")
    light = next(r for r in ledger.status(today=date(2023, 7, 1)).rows if r.task_id == row.task_id)
    assert light.latest_period == "2023-06" and light.progress == pytest.approx(0.5)
    may = ledger.submit_progress(row.task_id, "区人社局", "2023-05", actual=7000, actor="c")
    ledger.review(may, "approve", "sup")  # approved later, but of an earlier month
    light = next(r for r in ledger.status(today=date(2023, 7, 1)).rows if r.task_id == row.task_id)
    assert light.latest_period == "2023-06"


@pytest.mark.parametrize("deadline", [date(1999, 12, 31), "2999-12-31", "2023-06-30 开工；2203-12-31 竣工"])
def test_deadlines_far_from_the_report_year_are_refused(imported: Ledger, tmp_path: Path,
                                                        deadline: object) -> None:
    ledger = imported
    path = tmp_path / "plan.xlsx"
    book, sheet, col = _plan(ledger, path)
    sheet.cell(3, col["完成时限"]).value = deadline
    book.save(path)  # type: ignore[attr-defined]
    before = ledger.plan()[1]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_plan(read_plan(path), "sup")
    assert _places(info) == {(3, "完成时限")} and "不在 2022–2033 年之间" in str(info.value)
    assert ledger.plan()[1] == before


def test_a_repeated_task_id_does_not_overwrite_the_first_row(imported: Ledger,
                                                             tmp_path: Path) -> None:
    ledger = imported
    path = tmp_path / "plan.xlsx"
    book, sheet, col = _plan(ledger, path)
    for c in ("任务编号", "版本"):
        sheet.cell(4, col[c]).value = sheet.cell(3, col[c]).value
    sheet.cell(4, col["工作任务"]).value = "被第二行改掉的任务"
    book.save(path)  # type: ignore[attr-defined]
    before = ledger.plan()[1]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_plan(read_plan(path), "sup")
    assert _places(info) == {(4, "任务编号")} and "第3行" in str(info.value)
    assert ledger.plan()[1] == before


def test_a_published_task_keeps_its_lead(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    ledger.publish("sup")
    path = tmp_path / "plan.xlsx"
    book, sheet, col = _plan(ledger, path)
    sheet.cell(3, col["牵头单位"]).value = None
    new = sheet.max_row + 1
    sheet.cell(new, col["工作任务"]).value = "新增一项没有牵头单位的任务"
    book.save(path)  # type: ignore[attr-defined]
    before = ledger.plan()[1]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_plan(read_plan(path), "sup")
    assert _places(info) == {(3, "牵头单位"), (new, "牵头单位")}
    assert ledger.plan()[1] == before and all(r.lead for r in before)


def test_the_bad_sheets_through_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One message naming the file, the row and the column; exit 1; nothing stored."""
    from click.testing import CliRunner

    from duban.cli import main

    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'duban.db'}"
    monkeypatch.setenv("DUBAN_DATABASE_URL", url)
    ledger = Ledger(url)
    ledger.init(actor="t")
    _publish(ledger)
    runner = CliRunner()
    cases = {
        "renamed.xlsx": lambda s, c: setattr(s.cell(3, c["实际值"]), "value", "实际完成值"),
        "formula.xlsx": lambda s, c: setattr(s.cell(4, c["实际值"]), "value", "=A1*2"),
        "merged.xlsx": lambda s, c: s.merge_cells(start_row=4, start_column=c["进展情况"],
                                                  end_row=6, end_column=c["进展情况"]),
        "typo.xlsx": lambda s, c: setattr(s.cell(4, c["报送期"]), "value", "2203-06"),
    }
    for name, spoil in cases.items():
        path = tmp_path / name
        book, sheet, col = _progress(ledger, path)
        for r in (4, 5, 6):
            sheet.cell(r, col["进展情况"]).value = "推进中"
        spoil(sheet, col)
        book.save(path)  # type: ignore[attr-defined]
        result = runner.invoke(main, ["progress", "--xlsx", name])
        assert result.exit_code == 1, (name, result.output)
        assert "Traceback" not in result.output and name in result.output
        assert "第4行" in result.output or "第3行" in result.output, result.output
    assert ledger.updates(state=None) == []
    ledger.close()


def test_sheets_are_read_in_memory_once(published: Ledger, tmp_path: Path) -> None:
    """A sheet is checked as bytes before openpyxl sees it: a sheet that is no zip is one
    clear error naming the file."""
    path = tmp_path / "plan.xlsx"
    book, _, _ = _plan(published, path)
    buffer = io.BytesIO()
    book.save(buffer)  # type: ignore[attr-defined]
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(Exception) as info:
        read_plan(path)
    assert "plan.xlsx" in str(info.value) and type(info.value).__module__ == "duban.errors"
