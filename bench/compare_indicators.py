"""Compare the quantities of two folders of `duban extract --format json` output, report by
report: figures gained or lost, and indicators, roles, values that changed (new fields such as
indicator_rule and period are ignored unless --fields names them).

Usage: python bench/compare_indicators.py BASE_DIR NEW_DIR [--fields indicator,role,...]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    base, new = Path(argv[0]), Path(argv[1])
    fields = ["indicator", "role", "value", "unit", "comparator"]
    if "--fields" in argv:
        fields = argv[argv.index("--fields") + 1].split(",")
    changed = 0
    for path in sorted(base.glob("*.json")):
        other = new / path.name
        if not other.exists():
            print(f"{path.name}: missing in {new}")
            continue
        a = {(q["start"], q["end"]): q for q in json.loads(path.read_text())["quantities"]}
        b = {(q["start"], q["end"]): q for q in json.loads(other.read_text())["quantities"]}
        for key in sorted(set(a) | set(b)):
            if key not in b:
                print(f"{path.stem}\t-\t{a[key]['quote']}\t{a[key]['indicator']}")
            elif key not in a:
                print(f"{path.stem}\t+\t{b[key]['quote']}\t{b[key]['indicator']}")
            else:
                for f in fields:
                    if a[key].get(f) != b[key].get(f):
                        changed += 1
                        print(f"{path.stem}\t{f}\t{a[key]['quote']}\t{a[key].get(f)} -> {b[key].get(f)}")
    print(f"# {changed} field changes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
