"""``duban extract`` over a corpus of bad files (make_bad_files.py): each bad file is one
message naming it, each good one among them is extracted, no traceback, no hang."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from make_bad_files import Case, make_bad_files

from duban.cli import main
from duban.cli.extract import safe_stem

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and links need POSIX")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("bad-files")
    return folder, make_bad_files(folder)


def _args(folder: Path, cases: list[Case]) -> list[str]:
    return [str(folder / "scan"), *(str(case.path) for case in cases if case.explicit)]


def _output_stem(case: Case) -> str:
    return safe_stem(case.path.stem) + ("-2" if case.renamed else "")


def _check(output: str, out: Path, fmt: str, cases: list[Case]) -> None:
    assert "Traceback" not in output
    lines = output.splitlines()
    listed = [line for line in lines if line.startswith("  - ")]  # the closing summary
    bad = [case for case in cases if case.expect is not None]
    good = [case for case in cases if case.expect is None]
    assert len(listed) == len(bad), "\n".join(listed)
    for case in bad:
        mine = [line for line in listed if f"{case.path}: " in line]
        assert len(mine) == 1, f"{case.path}: {mine}"
        [line] = mine
        said = ({case.expect} if isinstance(case.expect, str)
                else {sub.en for sub in _subclasses(case.expect)})
        assert any(gloss in line for gloss in said), line
    written = {p.name for p in out.iterdir()}
    assert written == {f"{_output_stem(case)}.{fmt}" for case in good}
    for case in good:
        target = out / f"{_output_stem(case)}.{fmt}"
        if fmt == "json":
            quotes = {q["quote"] for q in json.loads(target.read_text("utf-8"))["quantities"]}
        else:
            with target.open(encoding="utf-8-sig", newline="") as handle:
                quotes = {row[9] for row in csv.reader(handle) if row and row[0] == "指标"}
        assert case.quote in quotes, (case.path.name, sorted(quotes)[:5])


def _subclasses(cls: type) -> list[type]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _subclasses(direct))]


def test_the_corpus_is_big_and_varied(corpus: tuple[Path, list[Case]]) -> None:
    _, cases = corpus
    bad = [case for case in cases if case.expect is not None]
    assert len(bad) >= 100
    assert len({case.expect for case in bad}) >= 10
    stems = [_output_stem(case) for case in cases if case.expect is None]
    assert len(stems) == len(set(stems))  # outputs are told apart by the file name alone


def test_extract_in_process(corpus: tuple[Path, list[Case]], tmp_path: Path) -> None:
    folder, cases = corpus
    out = tmp_path / "out"
    result = CliRunner(env={"COLUMNS": "4000"}).invoke(
        main, ["extract", *_args(folder, cases), "--format", "json", "-o", str(out)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    _check(result.output, out, "json", cases)


def test_extract_as_a_subprocess(corpus: tuple[Path, list[Case]], tmp_path: Path) -> None:
    folder, cases = corpus
    out = tmp_path / "out"
    env = dict(os.environ, COLUMNS="4000")
    # a FIFO or /dev/zero read would hang or eat the memory: the timeout fails the test instead
    done = subprocess.run([sys.executable, "-m", "duban", "extract", *_args(folder, cases),
                           "--format", "csv", "-o", str(out)], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stdout
    _check(done.stderr, out, "csv", cases)
