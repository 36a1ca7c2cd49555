"""The words and colours of the lights and verdicts: one data file, checked on load."""
from __future__ import annotations

import re

import pytest

from duban import rules
from duban.errors import RuleError
from duban.track import STATUS_COLOURS, STATUS_ZH, STATUSES
from duban.track._palette import load_palette
from duban.track.promise import VERDICT_COLOURS, VERDICT_ZH, VERDICTS


def test_every_status_and_verdict_has_words_and_colours() -> None:
    assert tuple(STATUS_ZH) == STATUSES == tuple(STATUS_COLOURS)
    assert tuple(VERDICT_ZH) == VERDICTS == tuple(VERDICT_COLOURS)
    assert STATUS_ZH["red"] == "严重滞后" and VERDICT_ZH["met"] == "完成"
    for colour in [*STATUS_COLOURS.values(), *VERDICT_COLOURS.values()]:
        assert re.fullmatch(r"#[0-9A-F]{6}", colour.fill) and re.fullmatch(r"#[0-9A-F]{6}", colour.text)
        assert colour.fill != colour.text


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_words_on_a_light_are_readable() -> None:
    for colour in [*STATUS_COLOURS.values(), *VERDICT_COLOURS.values()]:
        assert _contrast(colour.fill, colour.text) >= 4.5, colour  # WCAG AA for text


def test_a_palette_missing_a_status_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = 'version = 1\n[[status]]\nid = "done"\nzh = "已完成"\nfill = "#000000"\ntext = "#FFFFFF"\n'
    monkeypatch.setattr(rules, "_data_text", lambda name: bad)
    rules.load_table.cache_clear()
    try:
        with pytest.raises(RuleError, match="status.toml"):
            load_palette("status", STATUSES)
    finally:
        rules.load_table.cache_clear()
