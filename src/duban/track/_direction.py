"""Which way an indicator should move: one table (``data/indicators.toml``, [[direction]])
read by the ledger's lights and by the promise check alike."""
from __future__ import annotations

import re
from functools import cache, lru_cache

from ..rules import load_table


@cache
def _rules() -> tuple[tuple[str, re.Pattern[str], bool], ...]:
    table = load_table("indicators.toml")
    return tuple((rule["id"], rule["compiled"], bool(rule["lower_is_better"]))
                 for rule in table["direction"])


@lru_cache(maxsize=65536)
def direction_rule(indicator: str, comparator: str = "=") -> tuple[bool, str]:
    """(lower is better, why): the comparator (``<=`` a ceiling, ``>=`` a floor) or the id
    of the first [[direction]] rule that finds the indicator, else ``dir.default``."""
    if comparator == "<=":
        return True, "comparator <="
    if comparator == ">=":
        return False, "comparator >="
    for rule_id, regex, lower in _rules():
        if regex.search(indicator):
            return lower, rule_id
    return False, "dir.default"


def lower_is_better(indicator: str, comparator: str = "=") -> bool:
    """A ceiling (失业率5.5%以内, 居民消费价格涨幅3%左右, 赤字率): met while the actual
    stays at or under the target. A decrease (单位GDP能耗下降3%) or a level (新增就业1.6万人)
    is met at or over it."""
    return direction_rule(indicator, comparator)[0]
