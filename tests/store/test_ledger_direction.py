"""A task's light follows the direction of its indicator, through the real ledger path:
import a report, publish, submit an actual, approve it, read the status."""
from __future__ import annotations

from datetime import date

import pytest

from duban.store import Ledger

REPORT = """政府工作报告
各位代表：
一、2022年工作回顾
过去一年，地区生产总值增长5.2%。
二、2023年重点工作
（一）稳物价保就业。做好重要民生商品保供稳价，居民消费价格涨幅控制在3%左右。实施就业优先政策，新增就业1.6万人。
（二）推进绿色低碳发展。严格能耗双控，单位地区生产总值能耗下降3%。
""".encode()

LATE_IN_YEAR = date(2023, 12, 20)  # nearly all the year gone: a level far behind is red


def _light(ledger: Ledger, words: str, actual: float, today: date = LATE_IN_YEAR) -> tuple[str, str]:
    ledger.import_report_bytes(REPORT, "report.txt", f"某区{words}{actual}", "district", 2023,
                               actor="t")
    ledger.publish("督查室")
    _, rows = ledger.plan()
    row = next(r for r in rows if words in r.targets)
    update = ledger.submit_progress(row.task_id, row.lead, "2023-11", actual=actual,
                                    narrative="进展", actor="clerk")
    ledger.review(update, "approve", "督查室")
    status = ledger.status(today=today)
    found = next(r for r in status.rows if r.task_id == row.task_id)
    return found.status, found.reason


def test_a_ceiling_under_its_limit_is_green_not_red(ledger: Ledger) -> None:
    # 居民消费价格涨幅控制在3%左右 with an approved actual of 2.0 %
    assert _light(ledger, "居民消费价格涨幅", 2.0) == ("green", "控制在目标以内")


def test_a_ceiling_kept_to_the_end_is_done(ledger: Ledger) -> None:
    assert _light(ledger, "居民消费价格涨幅", 2.0, date(2024, 1, 5))[0] == "done"


def test_a_ceiling_broken_is_red(ledger: Ledger) -> None:
    assert _light(ledger, "居民消费价格涨幅", 3.8) == ("red", "超出控制目标")


def test_a_decrease_target_is_met_by_a_larger_decrease(ledger: Ledger) -> None:
    # 单位地区生产总值能耗下降3%: 3.2 % down is more than promised
    assert _light(ledger, "能耗下降", 3.2)[0] == "done"


def test_a_decrease_target_short_of_it_is_behind(ledger: Ledger) -> None:
    assert _light(ledger, "能耗下降", 1.0)[0] == "red"


@pytest.mark.parametrize("actual, light", [(16500, "done"), (15800, "green"), (12000, "yellow"),
                                           (8000, "red")])
def test_a_level_is_met_at_or_over_it(ledger: Ledger, actual: float, light: str) -> None:
    assert _light(ledger, "新增就业", actual)[0] == light


def test_a_ledger_imported_under_the_old_rule_gets_the_right_light(ledger: Ledger) -> None:
    """The direction is read from the rule table when a light is computed, not from what
    was recorded at import: a ledger imported before a rule was corrected is corrected too."""
    from sqlalchemy import update

    from duban.store import _models as m

    with ledger.db.session() as session:  # as the old rule recorded it: higher is better
        session.execute(update(m.Target).values(higher_is_better=True))
    assert _light(ledger, "居民消费价格涨幅", 2.0)[0] == "green"
