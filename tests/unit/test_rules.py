from __future__ import annotations

import pytest

from duban import rules
from duban.errors import RuleError


def test_every_rule_file_loads_and_its_examples_match() -> None:
    for name in ("furniture.toml", "sections.toml", "units.toml", "comparators.toml",
                 "modality.toml", "roles.toml", "exclusions.toml", "tasks.toml"):
        table = rules.load_table(name)
        assert table["version"] >= 1


def test_a_bad_rule_is_reported_with_file_rule_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = 'version = 1\n\n[[exclude]]\nid = "bad.one"\nregex = "("\n'
    monkeypatch.setattr(rules, "_data_text", lambda name: bad)
    rules.load_table.cache_clear()
    try:
        with pytest.raises(RuleError) as info:
            rules.load_table("broken.toml")
        assert "broken.toml:4" in str(info.value) and "bad.one" in str(info.value)
    finally:
        rules.load_table.cache_clear()
