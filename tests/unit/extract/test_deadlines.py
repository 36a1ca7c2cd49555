"""完成时限: one parser for the rows, the CLI, Excel and the web."""
from __future__ import annotations

from datetime import date

import pytest

from duban.extract import find_deadline, parse_due
from duban.store import parse_deadline


@pytest.mark.parametrize(("cell", "day"), [
    ("年底前", date(2026, 12, 31)), ("年内", date(2026, 12, 31)), ("全年", date(2026, 12, 31)),
    ("6月底前", date(2026, 6, 30)), ("2月底前", date(2026, 2, 28)), ("十月底前", date(2026, 10, 31)),
    ("上半年", date(2026, 6, 30)), ("下半年", date(2026, 12, 31)), ("三季度", date(2026, 9, 30)),
    ("第一季度末", date(2026, 3, 31)), ("2026年12月20日前", date(2026, 12, 20)),
    ("2023年9月底前", date(2023, 9, 30)), ("2026-06-30", date(2026, 6, 30)),
    ("2027年底前", date(2027, 12, 31)), ("3月15日前", date(2026, 3, 15)),
])
def test_a_deadline_cell_means_its_last_day(cell: str, day: date) -> None:
    assert parse_due(cell, 2026) == day


@pytest.mark.parametrize("cell", ["尽快", "2026年2月30日", "13月底前", "1.6万人", ""])
def test_what_is_no_deadline_is_none(cell: str) -> None:
    assert parse_due(cell, 2026) is None


def test_the_ledger_reads_the_same_deadlines() -> None:
    assert parse_deadline("6月底前", 2026).date == date(2026, 6, 30)
    assert parse_deadline("2026年12月20日前", 2026).date == date(2026, 12, 20)
    assert parse_deadline("上半年", 2026).date == date(2026, 6, 30)
    with pytest.raises(ValueError, match="不是"):
        parse_deadline("尽快", 2026)
    with pytest.raises(ValueError, match="不是有效日期"):
        parse_deadline("2026-02-30", 2026)


@pytest.mark.parametrize(("row", "words", "day"), [
    ("加快建设城市公园，年底开园", "年底", date(2026, 12, 31)),
    ("力争上半年开工建设", "上半年", date(2026, 6, 30)),
    ("9月底前完成老旧小区改造", "9月底前", date(2026, 9, 30)),
])
def test_a_row_states_its_deadline(row: str, words: str, day: date) -> None:
    due = find_deadline(row, 2026)
    assert due is not None and (due.text, due.day) == (words, day)


@pytest.mark.parametrize("row", ["新增就业1.6万人", "到2027年基本建成", "完成投资12.5亿元"])
def test_figures_and_plan_years_are_no_deadline(row: str) -> None:
    assert find_deadline(row, 2026) is None
