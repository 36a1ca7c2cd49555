from __future__ import annotations

import pytest

from duban.extract._numbers import is_magnitude_only, parse_chinese


@pytest.mark.parametrize("text,value", [
    ("三", 3), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百二十", 120),
    ("一千二", 1200), ("十万", 100000), ("一万五千", 15000), ("万亿", 1e12), ("三亿五千万", 3.5e8),
])
def test_chinese_numerals(text: str, value: float) -> None:
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["十四五", "一二", "三三"])
def test_not_numerals(text: str) -> None:
    assert parse_chinese(text) is None


def test_magnitude_only() -> None:
    assert is_magnitude_only("百亿") and is_magnitude_only("亿")
    assert not is_magnitude_only("三百")
