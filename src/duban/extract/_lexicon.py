"""The rule data the extractor uses, compiled once: units, comparators, modals, roles, exclusions."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..rules import alternation, load_lexicon, load_table


@dataclass(frozen=True)
class UnitInfo:
    form: str
    canonical: str
    kind: str
    factor: float
    rule: str


@dataclass(frozen=True)
class Exclusion:
    id: str
    side: str
    regex: re.Pattern[str]
    requires_right: re.Pattern[str] | None
    unless_left: re.Pattern[str] | None
    unless_unit_kinds: frozenset[str]
    unit_kinds: frozenset[str]
    units: frozenset[str]
    examples: tuple[str, ...]
    chinese_only: bool = False


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, UnitInfo]
    unit_re: re.Pattern[str]
    prefix_cmp: list[tuple[str, str, str]]  # (word, comparator, rule), longest first
    suffix_cmp: list[tuple[str, str, str]]
    modal_re: re.Pattern[str]
    modal_rule: dict[str, str]
    part_role: dict[str, str]
    achievement_cues: list[tuple[str, str, re.Pattern[str]]]
    target_cues: list[tuple[str, str, re.Pattern[str]]]
    exclusions: list[Exclusion]
    formula_re: re.Pattern[str]
    counted_nouns: dict[str, str]
    counted_re: re.Pattern[str]
    arabic_only: frozenset[str]


@cache
def lexicon() -> Lexicon:
    units: dict[str, UnitInfo] = {}
    unit_table = load_table("units.toml")
    for entry in unit_table["unit"]:
        canon = entry.get("canonical", {})
        factor = entry.get("factor", {})
        for form in entry["forms"]:
            units[form] = UnitInfo(form, canon.get(form, form), entry["kind"],
                                   float(factor.get(form, 1)), entry["id"])
    unit_re = re.compile(alternation(list(units)))

    prefix, suffix = [], []
    for entry in load_table("comparators.toml")["comparator"]:
        target = prefix if entry["position"] == "prefix" else suffix
        for word in entry["words"]:
            target.append((word, entry["value"], entry["id"]))
    prefix.sort(key=lambda x: -len(x[0]))
    suffix.sort(key=lambda x: -len(x[0]))

    modal_rule = {}
    for entry in load_table("modality.toml")["modal"]:
        for word in entry["words"]:
            modal_rule[word] = entry["id"]

    roles = load_table("roles.toml")
    ach = [(e["id"], e["scope"], e["compiled"]) for e in roles.get("achievement_cue", [])]
    tgt = [(e["id"], e["scope"], e["compiled"]) for e in roles.get("target_cue", [])]

    exclusions = []
    for e in load_table("exclusions.toml")["exclude"]:
        exclusions.append(Exclusion(
            id=e["id"], side=e["side"], regex=e["compiled"],
            requires_right=re.compile(e["requires_right"]) if "requires_right" in e else None,
            unless_left=re.compile(e["unless_left"]) if "unless_left" in e else None,
            unless_unit_kinds=frozenset(e.get("unless_unit_kind", [])),
            unit_kinds=frozenset(e.get("unit_kinds", [])),
            units=frozenset(e.get("units", [])),
            examples=tuple(e.get("sentences", [])),
            chinese_only=e.get("numerals") == "chinese",
        ))

    formulas = load_lexicon("formulas.txt")
    counted = {}
    for line in load_lexicon("counted_nouns.txt"):
        noun, unit = line.split("\t") if "\t" in line else line.split()
        counted[noun] = unit
    return Lexicon(
        units=units, unit_re=unit_re, prefix_cmp=prefix, suffix_cmp=suffix,
        modal_re=re.compile(alternation(list(modal_rule))), modal_rule=modal_rule,
        part_role=dict(roles["part"]), achievement_cues=ach, target_cues=tgt,
        exclusions=exclusions, formula_re=re.compile(alternation(formulas)),
        counted_nouns=counted, counted_re=re.compile(alternation(list(counted))),
        arabic_only=frozenset(unit_table.get("arabic_only", [])),
    )
