"""Indicator naming as data: every list and step of data/naming.toml is used, and the
examples of each step come out of the whole extractor named by that step."""
from __future__ import annotations

import pytest

from duban.extract import extract
from duban.extract._indicators import STEP_IDS, indicator_for, name_indicator, naming
from duban.ingest import report_from_text
from duban.rules import load_table

_TABLE = load_table("naming.toml")
_STEP_EXAMPLES = [(step["id"], example) for step in _TABLE["step"]
                  for example in step.get("examples", [])]


def test_the_steps_in_the_data_are_the_steps_in_the_code() -> None:
    assert naming().steps == STEP_IDS
    assert all(step.get("examples") for step in _TABLE["step"]), "every step has an example"


@pytest.mark.parametrize(("rule", "example"), _STEP_EXAMPLES,
                         ids=[f"{r}-{i}" for i, (r, _) in enumerate(_STEP_EXAMPLES)])
def test_step_examples(rule: str, example: str) -> None:
    text, quote, indicator = example.split("｜")
    result = extract(report_from_text(text, "example.txt", "txt"))
    found = [q for q in result.quantities if q.quote == quote]
    assert found, f"{quote} not extracted from {text}"
    assert (found[0].indicator, found[0].indicator_rule) == (indicator, rule)


_LIST_USE = {
    "lead": lambda n, w: n.lead.fullmatch(w) is not None,
    "framing_inside": lambda n, w: n.framing_inside.search(w) is not None,
    "trail": lambda n, w: n.trail.fullmatch(w) is not None,
    "verb_only": lambda n, w: n.verb_only.match(w) is not None,
    "not_noun": lambda n, w: n.not_noun.match(w) is not None,
    "verb_tail": lambda n, w: n.verb_tail.search(w) is not None,
    "attribute": lambda n, w: n.attribute.match(w) is not None,
    "total": lambda n, w: n.total.match(w) is not None,
    "relative": lambda n, w: n.relative.match(w) is not None,
    "region": lambda n, w: n.region_tail.search(w) is not None,
    "collective": lambda n, w: n.collective.search(w) is not None,
    "predicate": lambda n, w: n.predicate.search(w) is not None,
    "invest": lambda n, w: n.invest.search(w) is not None,
    "budget": lambda n, w: n.budget.search(w) is not None,
    "purpose": lambda n, w: n.purpose.match(w) is not None,
    "comparison": lambda n, w: n.comparison.match(w) is not None,
    "benefit": lambda n, w: n.benefit.search(w) is not None,
    "conjunction": lambda n, w: n.conjunction.search(w) is not None,
    "shared_tail": lambda n, w: n.shared_tail.search(w) is not None,
    "respective_verb": lambda n, w: n.respective.fullmatch("分别" + w) is not None,
}
_LIST_EXAMPLES = [(entry["list"], example) for entry in _TABLE["list"]
                  for example in entry.get("examples", [])]


def test_every_list_is_read() -> None:
    assert {entry["list"] for entry in _TABLE["list"]} == set(_LIST_USE)


@pytest.mark.parametrize(("name", "example"), _LIST_EXAMPLES)
def test_list_examples(name: str, example: str) -> None:
    assert _LIST_USE[name](naming(), example), f"{name} does not take {example}"


def test_a_name_is_what_the_words_before_the_figure_say() -> None:
    text = "城镇新增就业80万人"
    start = text.index("80")
    assert name_indicator(text, start, len(text), 0, 0, "") == ("城镇新增就业", "indicator.own")
    assert indicator_for(text, start, len(text), 0, 0, "") == "城镇新增就业"


_LIST_COUNTER = [(entry["list"], example) for entry in _TABLE["list"]
                 for example in entry.get("counter_examples", [])]


@pytest.mark.parametrize(("name", "example"), _LIST_COUNTER)
def test_list_counter_examples(name: str, example: str) -> None:
    assert not _LIST_USE[name](naming(), example), f"{name} takes {example}"
