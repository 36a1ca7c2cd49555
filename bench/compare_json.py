"""Check that the user's path writes the same JSON as a saved snapshot, report by report.

Runs what ``duban extract --format json -o OUT`` runs (``duban.analyse`` with the district
catalogue, then ``export.write``) over every report of a corpus folder into a temporary
folder, and compares each written file with ``BASE/<stem>.json`` as parsed JSON (so the
formatting may change, the content may not). Run it from the folder the snapshot was made
in, so that the ``source`` paths match (the snapshot in /work/snap/base was made from the
project's root with ``../shared/corpus/raw``).

Usage: python bench/compare_json.py BASE_DIR [CORPUS_DIR]   (exit 1 on any difference)
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from duban.assign import load_catalogue
from duban.export import write
from duban.pipeline import analyse


def _first_difference(a: object, b: object, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'base' if key in a else 'new'}"
            found = _first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return ""
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items in base, {len(b)} new"
        for i, (x, y) in enumerate(zip(a, b)):
            found = _first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return ""
    return "" if a == b and type(a) is type(b) else f"{where}: base {a!r}, new {b!r}"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    base = Path(argv[0])
    corpus = Path(argv[1]) if len(argv) > 1 else Path("../shared/corpus/raw")
    files = sorted(corpus.glob("*.txt"))
    catalogue = load_catalogue("district")
    differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for path in files:
            written = write(analyse(path, catalogue=catalogue), out, path.stem, "json")
            new = json.loads(written.read_text(encoding="utf-8"))
            old = json.loads((base / f"{path.stem}.json").read_text(encoding="utf-8"))
            if new != old:
                differ += 1
                print(f"DIFFERENT {path.stem}: {_first_difference(old, new)}")
    print(f"{len(files) - differ} of {len(files)} reports identical to {base}")
    return 1 if differ or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
