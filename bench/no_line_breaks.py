"""Every report of a folder extracted as given and with its line breaks removed (paragraphs
joined by two spaces, and joined by nothing): the quantities and roles that differ.

    python bench/no_line_breaks.py ../shared/corpus/raw/*

A quantity is compared by its figure with white space removed, its occurrence, value, unit,
comparator and role (offsets differ between the copies)."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from duban import analyse
from duban.ingest import report_from_text


def joined(text: str, sep: str) -> str:
    return sep.join(line.strip() for line in text.split("\n") if line.strip())


def keys(text: str, name: str) -> Counter[tuple[object, ...]]:
    extraction = analyse(report_from_text(text, name, "txt"), assign=False)
    seen: Counter[str] = Counter()
    out: Counter[tuple[object, ...]] = Counter()
    for q in extraction.quantities:
        quote = "".join(q.quote.split())
        seen[quote] += 1
        out[(quote, q.value, q.unit, q.comparator, q.role)] += 1
    return out


def main(paths: list[str]) -> int:
    total = changed = 0
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        base = keys(text, path)
        total += sum(base.values())
        for sep, label in (("  ", "spaces"), ("", "nothing")):
            other = keys(joined(text, sep), path)
            lost, gained = base - other, other - base
            n = max(sum(lost.values()), sum(gained.values()))
            changed += n
            if n:
                print(f"{Path(path).name} [{label}] {n} of {sum(base.values())} differ")
                for k in list(lost)[:4]:
                    print("   only as given:", k)
                for k in list(gained)[:4]:
                    print("   only joined:  ", k)
    print(f"quantities {total} (x2 copies), differing {changed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
