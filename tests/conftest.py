"""Shared fixtures: paths to ../shared, skipped with a clear reason where it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the expected JSON of golden tests for review")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold" / "dev").is_dir():
        pytest.skip("../shared is absent: the corpus and gold annotations live there (CI has it)")
    return SHARED


@pytest.fixture(scope="session")
def corpus(shared: Path) -> Path:
    return shared / "corpus" / "raw"
