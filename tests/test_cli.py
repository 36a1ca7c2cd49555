from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
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


REPORT = "各位代表：\n一、2023年工作安排\n力争新增就业{n}万人。\n"


def _flat(text: str) -> str:
    """Console output without line breaks (long lines wrap even on a wide console)."""
    return text.replace("\n", "")


def _wide() -> CliRunner:
    """A runner whose console does not wrap file names (rich reads COLUMNS)."""
    return CliRunner(env={"COLUMNS": "4000"})


def test_inputs_with_the_same_stem_get_their_own_outputs(tmp_path: Path) -> None:
    inputs = [tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt",
              tmp_path / "b" / "Report.html", tmp_path / "c" / "report-2.txt"]
    for n, path in enumerate(inputs, 1):
        path.parent.mkdir(exist_ok=True)
        text = REPORT.format(n=n)
        path.write_text(f"<p>{text}</p>" if path.suffix == ".html" else text, encoding="utf-8")
    out = tmp_path / "out"
    result = _wide().invoke(main, ["extract", *map(str, inputs), "--format", "json",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    # report-2 is an input's own stem, so the second report.txt becomes report-3
    assert written == ["Report-4.json", "report-2.json", "report-3.json", "report.json"]
    figures = {json.loads((out / name).read_text("utf-8"))["quantities"][0]["quote"]
               for name in written}
    assert figures == {"1万人", "2万人", "3万人", "4万人"}  # four inputs, four outputs
    said = _flat(result.output)
    assert f"{inputs[1]} → {out / 'report-3.json'}" in said
    assert f"{inputs[2]} → {out / 'Report-4.json'}" in said
    assert f"{inputs[3]} →" not in said  # not renamed: not listed


def test_the_same_file_twice_is_extracted_once(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(REPORT.format(n=1), encoding="utf-8")
    out = tmp_path / "out"
    result = _wide().invoke(main, ["extract", str(report), str(tmp_path), "--format", "csv",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["r.csv"]


def test_long_names_are_shortened_within_255_bytes(tmp_path: Path) -> None:
    ascii_name = "a" * 250 + ".txt"  # 254 characters
    chinese_name = "政府工作报告" * 13 + "报告" + ".txt"  # 82 characters, 250 bytes
    for i, name in enumerate((ascii_name, chinese_name, "short.txt"), 1):
        (tmp_path / name).write_text(REPORT.format(n=i), encoding="utf-8")
    out = tmp_path / "out"
    for fmt in ("json", "csv", "xlsx"):
        result = _wide().invoke(main, ["extract", str(tmp_path), "--format", fmt,
                                           "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 9 and "short.json" in names
    assert all(len(name.encode()) <= 255 - len("..partial") for name in names)
    stems = {name.rsplit(".", 1)[0] for name in names}
    assert any(stem.startswith("a" * 100) for stem in stems)
    assert any(stem.startswith("政府工作报告" * 5) for stem in stems)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_unreadable_inputs_are_one_line_each_and_the_rest_complete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT.format(n=1), encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text(REPORT.format(n=2), encoding="utf-8")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    missing = tmp_path / "missing.txt"
    real_open = os.open

    def forbidden(path: str, flags: int, *args: int) -> int:
        # the tests run as root, who may read anything: refuse as the file system would
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", forbidden)
    out = tmp_path / "out"
    args = [str(p) for p in (secret, folder, missing, good)]
    result = _wide().invoke(main, ["extract", *args, "--format", "json", "-o", str(out)])
    assert result.exit_code == 1
    assert (out / "good.json").is_file()
    said = _flat(result.output)
    assert "3 个文件失败" in said and "1 个成功" in said
    assert f"{secret}: 无法打开文件：没有读取权限" in said
    assert f"{folder}: 文件夹里没有报告文件" in said
    assert f"{missing}: 无法打开文件：文件不存在" in said
    assert "Traceback" not in result.output


def test_file_names_with_console_markup_print_as_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "a["
    folder.mkdir()
    good = folder / "x]good.txt"
    good.write_text(REPORT.format(n=1), encoding="utf-8")
    bad = folder / "x]bad [bold]red.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    result = _wide().invoke(main, ["extract", str(good), str(bad), "--format", "json",
                                       "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert (out / "x]good.json").is_file()
    assert f"{bad}: 文件为空" in _flat(result.output)
    table = _wide().invoke(main, ["extract", str(good)])
    assert table.exit_code == 0 and str(good) in _flat(table.output)


def test_an_output_that_fails_to_write_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duban.export

    for name in ("first.txt", "second.txt"):
        (tmp_path / name).write_text(REPORT.format(n=1), encoding="utf-8")
    real_write = duban.export.write

    def disk_full(result: object, out_dir: Path, stem: str, fmt: str) -> Path:
        if stem == "first":
            (out_dir / f".{stem}.{fmt}.partial").write_text("{\"quanti", encoding="utf-8")
            raise OSError(28, "No space left on device")
        return real_write(result, out_dir, stem, fmt)  # type: ignore[arg-type]

    monkeypatch.setattr(duban.export, "write", disk_full)
    out = tmp_path / "out"
    result = _wide().invoke(main, ["extract", str(tmp_path), "--format", "json",
                                       "-o", str(out)])
    assert result.exit_code == 1
    assert [p.name for p in out.iterdir()] == ["second.json"]  # no half file, no scratch
    assert "No space left on device" in _flat(result.output)


def test_a_bad_byte_is_a_warning_and_the_report_is_extracted(tmp_path: Path) -> None:
    data = REPORT.format(n=1).encode()
    at = data.index("力争".encode())
    report = tmp_path / "r.txt"
    report.write_bytes(data[:at] + b"\xff" + data[at:])
    result = _wide().invoke(main, ["extract", str(report), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f"invalid UTF-8 at byte {at}" in _flat(result.stderr)
    assert json.loads(result.stdout)["quantities"][0]["quote"] == "1万人"
