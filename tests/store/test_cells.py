"""指标要求 and 完成时限 cells: what the ledger writes reads back as the same target."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duban import analyse
from duban.store import (
    Deadline, TargetText, format_deadline, format_targets, parse_deadline, parse_targets,
)
from duban.store._text import format_target


def _round_trip(target: TargetText) -> tuple[str, list[TargetText]]:
    cell = format_target(target)
    return cell, parse_targets(cell)


@pytest.mark.parametrize("target, cell", [
    (TargetText("新增节能能力", 8e7, "吨标准煤"), "新增节能能力8000万吨标准煤"),
    (TargetText("一般公共预算收入", 3.09e8, "元"), "一般公共预算收入3.09亿元"),
    (TargetText("新增就业", 16000.0, "人", ">="), "新增就业1.6万人以上"),
    (TargetText("新建基站", 12930.0, "个"), "新建基站12930个"),
    (TargetText("粮食产量", 1.3e12, "斤", ">="), "粮食产量1.3万亿斤以上"),
    (TargetText("非公企业", 20.0, "家"), "非公企业20家"),
    (TargetText("蔬菜产量", 150000.0, "吨"), "蔬菜产量15万吨"),
    (TargetText("城镇调查失业率", 5.5, "%", "<="), "城镇调查失业率5.5%以内"),
    (TargetText("地区生产总值增长", 6.0, "%", "range", 6.5), "地区生产总值增长6%—6.5%"),
    (TargetText("居民消费价格涨幅", 3.0, "%", "~"), "居民消费价格涨幅3%左右"),
    (TargetText("能耗强度下降", 0.5, "百分点"), "能耗强度下降0.5个百分点"),
    (TargetText("造林", 6e6, "公顷"), "造林600万公顷"),
    (TargetText("能源综合生产能力", 2.3e8, "吨标准煤", "~"), "能源综合生产能力2.3亿吨标准煤左右"),
])
def test_figures_are_written_as_offices_write_them(target: TargetText, cell: str) -> None:
    written, back = _round_trip(target)
    assert written == cell
    assert len(back) == 1 and back[0].value == pytest.approx(target.value, rel=1e-12)
    assert back[0] == TargetText(target.indicator, back[0].value, target.unit, target.comparator,
                                 target.upper)


def test_a_name_that_would_read_differently_is_quoted() -> None:
    # the name ends in a comparator word, or holds figures of its own
    for target in (TargetText("能源重点领域项目投资突破", 11.0, "个"),
                   TargetText("年营业收入亿元以上企业", 50.0, "家", ">="),
                   TargetText("淘汰落后炼铁产能1亿吨", 3e7, "吨")):
        written, back = _round_trip(target)
        assert back == [target], written
    assert format_target(TargetText("能源重点领域项目投资突破", 11.0, "个")) == "“能源重点领域项目投资突破”11个"
    # figures inside a name with nothing between them and the next figure stay in the name
    assert parse_targets("销售收入超亿元的非公企业20家") == [
        TargetText("销售收入超亿元的非公企业", 20.0, "家")]


def test_cells_typed_by_people() -> None:
    assert [(t.value, t.unit, t.comparator) for t in parse_targets(
        "新增就业1.6万人以上，城镇调查失业率5.5%以内；参保率95%以上\n粮食产量1.3万亿斤")] == [
        (16000.0, "人", ">="), (5.5, "%", "<="), (95.0, "%", ">="), (1.3e12, "斤", "=")]
    # a figure closed by its comparator word ends a target even without a mark
    assert len(parse_targets("新增就业1.6万人以上城镇调查失业率5.5%以内")) == 2
    assert parse_targets("“十四五”规划项目20个")[0].value == 20.0
    assert parse_targets("") == []
    # a sheet exported before figures were written in full
    assert parse_targets("新增节能能力8e+07吨标准煤") == [TargetText("新增节能能力", 8e7, "吨标准煤")]
    with pytest.raises(ValueError, match="没有可识别的数值"):
        parse_targets("完成年度任务")


def test_no_cell_is_in_exponent_notation() -> None:
    for value in (1e-5, 0.125, 7.0, 8e7, 1.45e12, 2.5e10, 1e16, 229999999.99999997):
        for unit in ("吨标准煤", "元", "%", "个", "小时", ""):
            cell = format_targets([TargetText("指标", value, unit)])
            assert "e+" not in cell and "e-" not in cell, cell


def test_every_corpus_target_reads_back_as_written(corpus: Path) -> None:
    """Every target of all 66 reports: written to a cell and read back, the same name,
    value, unit, comparator and upper bound."""
    count = 0
    wrong = []
    for path in sorted(corpus.glob("*.txt")):
        for q in analyse(path, assign=False).quantities:
            if q.role != "target":
                continue
            count += 1
            target = TargetText(q.indicator, q.value, q.unit, q.comparator, q.upper)
            cell, back = _round_trip(target)
            if back != [target]:
                wrong.append((path.name, cell, target, back))
    assert count > 2500
    assert wrong == []


def test_deadlines_round_trip() -> None:
    for deadline in (Deadline("year", date(2023, 12, 31)), Deadline("continuous", date(2023, 12, 31)),
                     Deadline("date", date(2023, 6, 30)),
                     Deadline("milestones", date(2023, 12, 31),
                              ((date(2023, 3, 31), "开工"), (date(2023, 12, 31), "竣工")))):
        assert parse_deadline(format_deadline(deadline), 2023) == deadline
