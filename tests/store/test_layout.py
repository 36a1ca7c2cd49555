"""The ledger is a small front over job modules; the read models use their public functions."""
from __future__ import annotations

import ast
from pathlib import Path

import duban.store

STORE = Path(duban.store.__file__).parent


def test_no_module_reaches_into_a_private_name_of_the_ledger() -> None:
    for path in STORE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        private = [node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                   and node.attr.startswith("_") and not node.attr.startswith("__")
                   and isinstance(node.value, ast.Name) and node.value.id in ("ledger", "Ledger")]
        assert private == [], f"{path.name}: {private}"


def test_the_front_only_delegates() -> None:
    """Every public method of Ledger is one call into a job module (no SQL in the front)."""
    source = (STORE / "ledger.py").read_text(encoding="utf-8")
    assert "select(" not in source and "session" not in source
    tree = ast.parse(source)
    front = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Ledger")
    for method in front.body:
        if isinstance(method, ast.FunctionDef) and method.name not in ("__init__", "close"):
            statements = [s for s in method.body if not (isinstance(s, ast.Expr)
                                                         and isinstance(s.value, ast.Constant))]
            assert len(statements) == 1, method.name
