"""Which way an indicator should move: one table, its examples decided by their own rule."""
from __future__ import annotations

import pytest

from duban.rules import load_table
from duban.track import direction_rule, lower_is_better

RULES = load_table("indicators.toml")["direction"]


@pytest.mark.parametrize("rule", RULES, ids=[r["id"] for r in RULES])
def test_every_example_is_decided_by_its_own_rule(rule: dict) -> None:
    assert rule["examples"], rule["id"]
    for example in rule["examples"]:
        assert direction_rule(example, "=") == (rule["lower_is_better"], rule["id"]), example
        assert direction_rule(example, "~")[1] == rule["id"]


@pytest.mark.parametrize("indicator, comparator, lower", [
    ("居民消费价格涨幅", "~", True),       # a ceiling level: CPI
    ("城镇调查失业率", "=", True),
    ("赤字率", "~", True),
    ("单位地区生产总值能耗", "=", True),
    ("居民消费价格涨幅控制在", "=", True),
    ("城镇调查失业率", "<=", True),         # 5.5%以内
    ("新增就业", "<=", True),               # a comparator decides first
    ("单位地区生产总值能耗下降", "=", False),  # a decrease: the larger the better
    ("城镇调查失业率下降", "~", False),
    ("二氧化碳排放降低", "=", False),
    ("单位GDP能耗下降", ">=", False),
    ("新增就业", "=", False),               # a level: higher is better
    ("地区生产总值增长", "~", False),
    ("新增能耗、新增工业用地支持民间投资项目比重", "=", False),
])
def test_directions(indicator: str, comparator: str, lower: bool) -> None:
    assert lower_is_better(indicator, comparator) is lower


def test_a_comparator_decides_before_the_words() -> None:
    assert direction_rule("居民消费价格涨幅", ">=") == (False, "comparator >=")
    assert direction_rule("新增就业", "<=") == (True, "comparator <=")
    assert direction_rule("新增就业") == (False, "dir.default")
