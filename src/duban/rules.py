"""Loading the versioned rule data shipped under ``duban/data``: TOML tables and plain lexicons.

Every rule has an ``id``; regexes are compiled and their ``examples`` checked
on load, and any problem is a RuleError naming the file, the rule and its line.
"""
from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from collections.abc import Iterable
from typing import Any

from .errors import RuleError


def _data_text(name: str) -> str:
    return resources.files("duban.data").joinpath(name).read_text(encoding="utf-8")


def _line_of(raw: str, rule_id: str) -> int:
    needle = f'"{rule_id}"'
    for number, line in enumerate(raw.splitlines(), 1):
        if needle in line:
            return number
    return 0


@cache
def load_table(name: str) -> dict[str, Any]:
    """A TOML rule file, validated: ids unique, regexes compile, examples match."""
    raw = _data_text(name)
    try:
        table = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"duban/data/{name}", str(exc)) from None
    seen: set[str] = set()
    for key, entries in table.items():
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            rule_id = entry.get("id")
            where = f"duban/data/{name}"
            if not rule_id:
                raise RuleError(where, f"[[{key}]] 规则缺少 id (rule without id)")
            line = _line_of(raw, rule_id)
            where = f"duban/data/{name}:{line} rule {rule_id}"
            if rule_id in seen:
                raise RuleError(where, "id 重复 (duplicate id)")
            seen.add(rule_id)
            if "regex" in entry:
                try:
                    entry["compiled"] = re.compile(entry["regex"])
                except re.error as exc:
                    raise RuleError(where, f"正则表达式错误 (bad regex): {exc}") from None
                for example in entry.get("examples", []):
                    if not entry["compiled"].search(example):
                        raise RuleError(where, f"示例不匹配 (example does not match): {example}")
                for example in entry.get("counter_examples", []):
                    if entry["compiled"].search(example):
                        raise RuleError(where, f"反例被匹配 (counter-example matches): {example}")
    return table


@cache
def load_lexicon(name: str) -> tuple[str, ...]:
    """A plain lexicon: one entry a line, ``#`` starts a comment."""
    entries = []
    for line in _data_text(name).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return tuple(entries)


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation that prefers the longest word."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_Trie = dict[str, "_Trie"]  # character -> the words that go on with it ("" -> a word ends)


def words_pattern(words: Iterable[str]) -> str:
    """A regex of ``words`` that, like ``alternation``, takes the longest word where it
    matches (and the shorter ones after it when what follows needs them), written as a
    trie: 万(?:亿元|元|吨)?. The regex engine tries the branches of an alternation one by
    one, so words that share their first characters share one branch instead of each
    being tried in turn."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: _Trie) -> str:
        alternatives = [re.escape(char) + branch(child) for char, child in sorted(node.items())
                        if char]
        if not alternatives:
            return ""
        body = "|".join(alternatives)
        if len(alternatives) > 1 or "" in node:
            body = f"(?:{body})"
        return body + "?" if "" in node else body  # longer words first, then stop here

    return branch(root)
