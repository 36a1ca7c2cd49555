from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from duban.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_extract_sample_table() -> None:
    result = CliRunner().invoke(main, ["extract", "--sample"])
    assert result.exit_code == 0, result.output
    assert "新增就业" in result.output and "七、坚定不移增进民生福祉" in result.output


def test_extract_json_to_stdout_matches_scorer_format(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("各位代表：\n一、2023年工作安排\n力争新增就业 1.6 万人。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(report), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [q] = data["quantities"]
    assert report.read_text(encoding="utf-8")[q["start"]:q["end"]] == "1.6 万人"
    assert (q["role"], q["value"], q["unit"], q["comparator"]) == ("target", 16000, "人", "=")


def test_batch_to_files_continues_past_failures(tmp_path: Path) -> None:
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text("各位代表：\n一、2023年工作安排\n新增学位12930个。\n", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "in" / "junk.pdf").write_bytes(b"%PDF-1.4 garbage")
    out = tmp_path / "out"
    for fmt in ("json", "csv", "xlsx"):
        result = CliRunner().invoke(main, ["extract", str(tmp_path / "in"), "--format", fmt,
                                           "-o", str(out)])
        assert result.exit_code == 1
        assert (out / f"good.{fmt}").is_file()
        assert "2 个文件失败" in result.output and "empty.txt" in result.output
        assert "Traceback" not in result.output
    assert not list(out.glob(".*partial"))


def test_outline_and_unknown_file() -> None:
    result = CliRunner().invoke(main, ["outline", "nope.docx"])
    assert result.exit_code == 1 and "nope.docx" in result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"duban {name}\b", readme), f"duban {name} is not in the README"
