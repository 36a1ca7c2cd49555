"""The words and colours of the statuses and verdicts, read once from ``data/status.toml``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import RuleError
from ..rules import load_table

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Colour:
    """A light: its ``fill`` and a ``text`` colour readable on it, both ``#RRGGBB``."""

    fill: str
    text: str


def load_palette(kind: str, ids: tuple[str, ...]) -> tuple[dict[str, str], dict[str, Colour]]:
    """(words, colours) of every ``kind`` entry ([[status]] or [[verdict]]), which must be
    exactly ``ids``."""
    entries: list[dict[str, Any]] = load_table("status.toml")[kind]
    where = "duban/data/status.toml"
    found = tuple(e["id"] for e in entries)
    if sorted(found) != sorted(ids):
        raise RuleError(where, f"[[{kind}]] 应为 {', '.join(ids)}，实为 {', '.join(found)}")
    words: dict[str, str] = {}
    colours: dict[str, Colour] = {}
    for entry in sorted(entries, key=lambda e: ids.index(e["id"])):
        for key in ("fill", "text"):
            if not _HEX.fullmatch(str(entry.get(key, ""))):
                raise RuleError(f"{where} rule {entry['id']}", f"{key} 应为 #RRGGBB (colour)")
        words[entry["id"]] = str(entry["zh"])
        colours[entry["id"]] = Colour(entry["fill"].upper(), entry["text"].upper())
    return words, colours
