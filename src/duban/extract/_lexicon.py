"""The rule data the extractor uses, compiled once: units, comparators, modals, roles, exclusions."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..errors import RuleError
from ..rules import load_lexicon, load_table, words_pattern


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
    magnitude_only: bool = False  # numerals = "magnitude": 千亿元, 百亿 (no digit at all)


@dataclass(frozen=True)
class Screen:
    """The exclusions that can apply to a figure of one kind (numeral, unit), in order, and
    regexes that say in a few calls whether any of them could match: a figure that none
    could match needs no look at them one by one."""

    rules: tuple[Exclusion, ...]
    right: re.Pattern[str] | None  # any right rule: match where the figure ends
    # any left rule, by reach: search the last ``reach`` characters before the figure (every
    # left rule ends with $, so its match starts no further back than its widest match)
    left: tuple[tuple[re.Pattern[str], int], ...]
    self: re.Pattern[str] | None  # any rule on the figure itself


_SHORT_REACH = 4  # left rules that read a few characters (第, 每, 连续) are screened apart


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, UnitInfo]
    unit_re: re.Pattern[str]
    prefix_cmp: dict[str, tuple[str, str]]  # word -> (comparator, rule)
    suffix_cmp: dict[str, tuple[str, str]]
    prefix_re: re.Pattern[str]  # a comparator word ending where the number starts
    suffix_re: re.Pattern[str]  # a comparator word starting where the quantity ends
    # comparators of some unit kinds only: kind -> (prefix regex, suffix regex, word -> cmp)
    kind_cmp: dict[str, tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, str]]]]
    modal_re: re.Pattern[str]
    modal_rule: dict[str, str]
    part_role: dict[str, str]
    achievement_cues: list[tuple[str, str, re.Pattern[str]]]
    target_cues: list[tuple[str, str, re.Pattern[str]]]
    exclusions: list[Exclusion]
    left_reach: int  # the most characters before a figure that a left rule can read
    formula_re: re.Pattern[str]
    counted_nouns: dict[str, str]
    counted_re: re.Pattern[str]
    counted_modifier_re: re.Pattern[str]  # words between a bare number and its noun (农村)
    arabic_only: frozenset[str]
    word_goes_on: dict[str, str]  # unit form -> characters after which it is no unit (台阶)
    unit_initials: frozenset[str]
    number_re: re.Pattern[str]
    # the screens of the figures seen, by (Chinese numeral?, unit form, unit kind), and of
    # the sets of rules they apply (figures of many units share one): see screen_for
    screens: dict[tuple[bool, str, str, bool], Screen] = field(default_factory=dict)
    screens_by_rules: dict[tuple[str, ...], Screen] = field(default_factory=dict)

    def screen_for(self, chinese: bool, unit: UnitInfo | None, magnitude: bool = False) -> Screen:
        """The exclusions whose numeral and unit conditions a figure meets, and their screen."""
        form, kind = (unit.form, unit.kind) if unit is not None else ("", "")
        key = (chinese, form, kind, magnitude)
        screen = self.screens.get(key)
        if screen is None:
            rules = tuple(
                rule for rule in self.exclusions
                if (chinese or not rule.chinese_only) and (magnitude or not rule.magnitude_only)
                and not (rule.units and (unit is None or form not in rule.units))
                and not (rule.unit_kinds and (unit is None or kind not in rule.unit_kinds))
                and not (rule.unless_unit_kinds and unit is not None
                         and kind in rule.unless_unit_kinds))
            ids = tuple(rule.id for rule in rules)
            screen = self.screens_by_rules.get(ids)
            if screen is None:
                screen = self.screens_by_rules[ids] = _screen(rules)
            self.screens[key] = screen
        return screen


def _screen(rules: tuple[Exclusion, ...]) -> Screen:
    def any_of(patterns: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    # ($ also matches before a final newline: one character more)
    reach = {rule.id: _widest(rule.regex.pattern) + 1 for rule in rules if rule.side == "left"}
    short = [r for r in rules if r.side == "left" and reach[r.id] <= _SHORT_REACH]
    long = [r for r in rules if r.side == "left" and reach[r.id] > _SHORT_REACH]
    left = tuple((regex, max(reach[r.id] for r in group))
                 for group in (short, long)
                 if (regex := any_of([r.regex.pattern for r in group])) is not None)
    return Screen(rules, any_of([r.regex.pattern for r in rules if r.side == "right"]), left,
                  any_of([r.regex.pattern for r in rules if r.side == "self"]))


def counted_initials(counted: dict[str, str]) -> set[str]:
    return {noun[0] for noun in counted}


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
    unit_re = re.compile(words_pattern(units))

    prefix: dict[str, tuple[str, str]] = {}
    suffix: dict[str, tuple[str, str]] = {}
    by_kind: dict[str, tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]] = {}
    for entry in load_table("comparators.toml")["comparator"]:
        side = 0 if entry["position"] == "prefix" else 1
        targets = [by_kind.setdefault(kind, ({}, {}))[side] for kind in entry.get("kinds", [])] \
            or [(prefix, suffix)[side]]
        for target in targets:
            for word in entry["words"]:
                target.setdefault(word, (entry["value"], entry["id"]))
    kind_cmp = {kind: (re.compile(f"(?:{words_pattern(pre)})$" if pre else "(?!)"),
                       re.compile(words_pattern(suf) if suf else "(?!)"), pre | suf)
                for kind, (pre, suf) in by_kind.items()}

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
            chinese_only=e.get("numerals") in ("chinese", "magnitude"),
            magnitude_only=e.get("numerals") == "magnitude",
        ))

    # every right rule reads from the figure on (^…): match, do not scan the window
    if not all(r.regex.pattern.startswith("^") for r in exclusions if r.side == "right"):
        raise RuleError("exclusions.toml", "右侧规则须以 ^ 开头 (right-side rules must start with ^)")
    # every left rule reads up to the figure (…$), so it sees no further back than its widest
    # match: the window before the figure need be no longer
    left_rules = [r.regex for r in exclusions if r.side == "left"]
    left_rules += [r.unless_left for r in exclusions if r.unless_left is not None]
    if not all(r.pattern.endswith("$") for r in left_rules):
        raise RuleError("exclusions.toml", "左侧规则须以 $ 结尾 (left-side rules must end with $)")
    left_reach = max((_widest(r.pattern) for r in left_rules), default=0)
    formulas = load_lexicon("formulas.txt")
    counted = {}
    modifiers = []
    for line in load_lexicon("counted_nouns.txt"):
        if line.startswith("+"):
            modifiers.append(line[1:])
            continue
        noun, unit = line.split("\t") if "\t" in line else line.split()
        counted[noun] = unit
    return Lexicon(
        units=units, unit_re=unit_re, prefix_cmp=prefix, suffix_cmp=suffix,
        prefix_re=re.compile(f"(?:{words_pattern(prefix)})$"),
        suffix_re=re.compile(words_pattern(suffix)), kind_cmp=kind_cmp,
        modal_re=re.compile(words_pattern(modal_rule)), modal_rule=modal_rule,
        part_role=dict(roles["part"]), achievement_cues=ach, target_cues=tgt,
        exclusions=exclusions, left_reach=left_reach, formula_re=re.compile(words_pattern(formulas)),
        counted_nouns=counted, counted_re=re.compile(words_pattern(counted)),
        counted_modifier_re=re.compile(f"(?:{words_pattern(modifiers)}){{1,3}}"),
        arabic_only=frozenset(unit_table.get("arabic_only", [])),
        word_goes_on=dict(unit_table.get("word_goes_on", {})),
        unit_initials=(initials := frozenset(form[0] for form in units)
                       | frozenset(counted_initials(counted))),
        # (以, 大: a magnitude with no unit, 稳在百亿以上, 突破百亿大关)
        # the first character is read by one class, which the regex engine skips text with
        # (a pattern that opens with a look-ahead or an alternation of classes is tried at
        # every position); the look-behind then says which kind of numeral it opened
        number_re=re.compile(
            r"[\d零〇一二两三四五六七八九十百千万亿](?:"
            r"(?<=\d)\d*(?:,\d{3})*(?:\.\d+)?|(?<![\d])[零〇一二两三四五六七八九十百千万亿]*(?=[多余以大"
            + "".join(re.escape(c) for c in sorted(initials)) + "]))"),
    )


def _widest(pattern: str) -> int:
    """The longest text a regex can match (a large number when unbounded)."""
    from re import _parser  # type: ignore[attr-defined]  # the standard library's own parser

    widest: int = _parser.parse(pattern).getwidth()[1]
    return min(widest, 1 << 20)
