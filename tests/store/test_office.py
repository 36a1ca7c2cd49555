"""Excel round trip and the Word circular, through the files themselves."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duban.cli import sample_path
from duban.errors import ValidationFailed
from duban.office import read_plan, read_progress, write_circular, write_plan, write_progress
from duban.store import Ledger


def _export(ledger: Ledger, path: Path) -> Path:
    _, rows = ledger.plan()
    return write_plan(path, "测试分工方案", rows, [d.display for d in ledger.catalogue()])


def _cells(path: Path) -> list[list[object]]:
    sheet = load_workbook(path)["分工方案"]
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_plan_round_trip_keeps_edits_and_nothing_else(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    first = _export(ledger, tmp_path / "plan.xlsx")
    book = load_workbook(first)
    sheet = book["分工方案"]
    header = [c.value for c in sheet[2]]
    col = {name: header.index(name) + 1 for name in header}
    rows = {sheet.cell(r, col["工作任务"]).value: r for r in range(3, sheet.max_row + 1)}
    jobs = next(r for title, r in rows.items() if "新增就业" in title)
    toilets = next(r for title, r in rows.items() if "公厕" in title)
    sheet.cell(jobs, col["指标要求"]).value = "新增就业1.8万人以上"
    sheet.cell(jobs, col["完成时限"]).value = "2023-06-30 完成过半；2023-12-31 全部完成"
    sheet.cell(toilets, col["牵头单位"]).value = "区住建局"
    sheet.cell(toilets, col["责任单位"]).value = "区城管局、各街道"
    sheet.cell(toilets, col["牵头领导"]).value = "副区长"
    book.save(tmp_path / "edited.xlsx")

    edits = read_plan(tmp_path / "edited.xlsx")
    changes = ledger.apply_plan(edits, "sup", dry_run=True)
    assert {c.field for c in changes} == {"指标要求", "完成时限", "牵头单位", "责任单位", "牵头领导"}
    assert ledger.plan()[1] == ledger.plan()[1]  # a dry run writes nothing
    ledger.apply_plan(edits, "sup")

    again = _export(ledger, tmp_path / "again.xlsx")
    before, after = _cells(first), _cells(again)
    assert len(before) == len(after)
    for i, (old, new) in enumerate(zip(before, after)):
        r = i + 3
        if r == jobs:
            assert new[col["指标要求"] - 1] == "新增就业1.8万人以上"
            assert new[col["完成时限"] - 1] == "2023-06-30 完成过半；2023-12-31 全部完成"
            assert new[col["版本"] - 1] == old[col["版本"] - 1] + 1
        elif r == toilets:
            assert new[col["牵头单位"] - 1] == "区住建局"
            assert new[col["责任单位"] - 1] == "区城管局、各街道"
            assert new[col["牵头领导"] - 1] == "副区长"
        else:
            assert new == old, f"row {r} changed"
    assert ledger.apply_plan(read_plan(again), "sup") == []


def test_bad_sheet_lists_every_error_and_writes_nothing(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    path = _export(ledger, tmp_path / "plan.xlsx")
    book = load_workbook(path)
    sheet = book["分工方案"]
    header = [c.value for c in sheet[2]]
    col = {name: header.index(name) + 1 for name in header}
    sheet.cell(3, col["牵头单位"]).value = "区不存在局"
    sheet.cell(4, col["指标要求"]).value = "新增就业若干"
    sheet.cell(5, col["完成时限"]).value = "今年某天"
    sheet.cell(6, col["任务编号"]).value = 987654
    book.save(path)
    before = ledger.plan()[1]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_plan(read_plan(path), "sup")
    assert {(r, c) for r, c, _ in info.value.errors} == {
        (3, "牵头单位"), (4, "指标要求"), (5, "完成时限"), (6, "任务编号")}
    assert ledger.plan()[1] == before
    sheet.cell(7, col["任务编号"]).value = "七"
    book.save(path)
    with pytest.raises(ValidationFailed) as info:
        read_plan(path)
    assert info.value.errors == [(7, "任务编号", "“七”不是整数 (not an integer)")]


def test_progress_sheet_round_trip(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    ledger.publish("sup")
    rows = ledger.progress_rows("区教育局")
    path = write_progress(tmp_path / "edu.xlsx", "区教育局", "2023-06", rows)
    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[3]]
    col = {name: header.index(name) + 1 for name in header}
    sheet.cell(4, col["完成百分比"]).value = 45
    sheet.cell(4, col["进展情况"]).value = "已完成选址"
    sheet.cell(5, col["实际值"]).value = 6000
    book.save(path)
    department, edits = read_progress(path)
    assert department == "区教育局" and len(edits) == 2
    ids = ledger.apply_progress(edits, department, "clerk")
    queue = ledger.updates()
    assert [u.update_id for u in queue] == ids
    assert {(u.percent, u.actual) for u in queue} == {(45, None), (None, 6000)}


def test_circular_docx(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    status = ledger.status(today=date(2023, 7, 1))
    path = write_circular(tmp_path / "通报.docx", "成都市青羊区", 2023, status, "2023年第6期")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    for text in ("督 查 通 报", "2023年第6期", "一、总体情况", "二、各单位推进情况", "区人社局",
                 "三、滞后和逾期任务"):
        assert text in xml
    assert f"{len(status.rows)}项重点任务" in xml


def test_sample_is_bundled() -> None:
    assert sample_path().is_file()


def test_lights_take_their_words_and_colours_from_the_one_palette(imported: Ledger,
                                                                   tmp_path: Path) -> None:
    from duban.track import STATUS_COLOURS, STATUS_ZH

    ledger = imported
    book = load_workbook(_export(ledger, tmp_path / "plan.xlsx"))
    sheet = book["分工方案"]
    header = [c.value for c in sheet[2]]
    light = header.index("状态") + 1
    by_word = {words: status for status, words in STATUS_ZH.items()}
    for r in range(3, sheet.max_row + 1):
        cell = sheet.cell(r, light)
        colour = STATUS_COLOURS[by_word[cell.value]]
        assert cell.fill.fgColor.rgb[-6:] == colour.fill[1:]
        assert cell.font.color.rgb[-6:] == colour.text[1:]
    legend = {c.value: c.fill.fgColor.rgb[-6:] for c in book["说明"]["A"] if c.value in by_word}
    assert legend == {STATUS_ZH[s]: c.fill[1:] for s, c in STATUS_COLOURS.items()}

    ledger.publish("sup")  # a draft has no lights (未发布)
    status = ledger.status(today=date(2024, 1, 5))  # the year over: overdue tasks are red
    path = write_circular(tmp_path / "通报.docx", "成都市青羊区", 2023, status, "2024年第1期")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert any(r.status == "red" for r in status.rows)
    assert f'w:fill="{STATUS_COLOURS["red"].fill[1:]}"' in xml
