"""Import rules of the house (docs/architecture.md): dependencies point one way, and no package
reaches into another's private modules.

    cli, web  ->  store, office, corpus, notify  ->  pipeline  ->  core  ->  models, rules, errors
    core = ingest, structure, extract, assign, track

Read from the source with ``ast``, so a violation is caught before anything runs.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "duban"
CORE = {"ingest", "structure", "extract", "assign", "track", "models", "rules", "errors", "data"}
EDGE = {"cli", "web", "store", "office", "corpus", "notify", "settings", "export", "evaluate",
        "pipeline"}
# who may import whom (by top-level part of duban); anything not listed may import the core only
ALLOWED = {
    "cli": CORE | EDGE,
    "web": CORE | {"store", "office", "pipeline", "settings", "web", "data", "export"},
    "store": CORE | {"store", "pipeline"},
    "office": CORE | {"office", "store"},
    "corpus": CORE | {"corpus", "pipeline"},
    "notify": CORE | {"notify", "store", "settings"},
    "settings": CORE | {"settings"},
    "export": CORE | {"export"},
    "evaluate": CORE | {"evaluate", "pipeline"},
    "pipeline": CORE | {"pipeline"},
    "__init__": CORE | {"pipeline"},  # duban's public API
    "__main__": {"cli"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute dotted module) of every duban import in a file."""
    package = ".".join(("duban",) + path.relative_to(SRC).with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0]
    else:
        package = package.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [module + "." + a.name for a in node.names]
            out += [(node.lineno, module)] + [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in out if m == "duban" or m.startswith("duban.")]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_dependencies_point_one_way() -> None:
    bad = []
    for path in _files():
        own = _part(".".join(("duban",) + path.relative_to(SRC).with_suffix("").parts))
        allowed = ALLOWED.get(own, CORE)
        for line, module in _imports(path):
            target = _part(module)
            if target and target != own and target not in allowed:
                bad.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def _package_dir(parts: list[str]) -> Path:
    """The folder of the deepest package among ``parts`` (duban.store.ledger -> store/)."""
    folder = SRC
    for name in parts[1:]:
        if not (folder / name).is_dir():
            break
        folder = folder / name
    return folder


def test_no_package_imports_another_ones_private_modules() -> None:
    bad = []
    for path in _files():
        for line, module in _imports(path):
            parts = module.split(".")
            private = next((d for d, name in enumerate(parts)
                            if name.startswith("_") and not name.startswith("__")), None)
            if private is None:
                continue
            owner = _package_dir(parts[:private])
            if not path.parent.is_relative_to(owner):
                bad.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_the_core_imports_no_edge_library() -> None:
    code = ("import sys, duban.ingest, duban.structure, duban.extract, duban.assign, duban.track, "
            "duban.pipeline, duban.models; "
            "bad = [m for m in ('click', 'rich', 'sqlalchemy', 'fastapi', 'openpyxl', 'docx', "
            "'pyarrow', 'starlette') if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    # duban --help must start at once: the database, the extractor and rich load on use
    code = ("import sys; from click.testing import CliRunner; from duban.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = [m for m in ('sqlalchemy', 'rich', 'duban.extract', 'duban.store', "
            "'fastapi', 'openpyxl', 'pyarrow') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
