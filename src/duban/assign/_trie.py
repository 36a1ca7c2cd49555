"""A word list as one regex written as a trie: the engine tries an alternation's branches one by
one, so words that share a first character share one branch (养老(?:保险|服务)?)."""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["trie_pattern"]

_Trie = dict[str, "_Trie"]  # character -> the words that go on with it ("" -> a word ends)


def trie_pattern(words: Iterable[str]) -> str:
    """A regex that matches the longest of ``words`` starting where it is tried, written as
    a trie (养老(?:保险|服务)?): the regex engine tries the branches of an alternation one
    by one, so the words that share a first character share one branch."""
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
        # a word may end here: try the longer words first, then stop
        return body + "?" if "" in node else body

    return branch(root)
