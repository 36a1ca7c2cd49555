"""duban batch: a dataset of reports, tasks, quantities and links; resumable; failures do not
stop it; local processes and Ray give identical output."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli import main

FILES = ["district-hailaer-2016.txt", "district-hailaer-2017.txt", "national-2023.txt",
         "national-2024.txt", "province-gansu-2026.txt"]


@pytest.fixture
def source(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in FILES:
        shutil.copy(corpus / name, folder / name)
    return folder


def _tables(out: Path) -> dict[str, list[dict]]:
    import pyarrow.parquet as pq

    return {name: pq.read_table(out / f"{name}.parquet").to_pylist()
            for name in ("reports", "tasks", "quantities", "links")}


def test_batch_builds_a_dataset_and_resumes(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.parquet"
    result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    tables = _tables(out)
    reports = {r["file"]: r for r in tables["reports"]}
    assert reports["district-hailaer-2017.txt"]["government"] == "海拉尔区"
    assert reports["national-2024.txt"]["government"] == "国务院"
    assert reports["province-gansu-2026.txt"]["level"] == "province"
    assert {r["year"] for r in tables["reports"]} == {2016, 2017, 2023, 2024, 2026}
    assert all(q["quote"] for q in tables["quantities"])
    links = tables["links"]
    assert {(l["government"], l["year"]) for l in links} == {("海拉尔区", 2016), ("国务院", 2023)}
    gdp = next(l for l in links if l["government"] == "国务院" and l["target_quote"] == "5%")
    assert gdp["outcome_quote"] == "5.2%" and gdp["verdict"] == "met"
    assert (out / "reports.csv").read_text(encoding="utf-8-sig").startswith("report_id,")
    again = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--workers", "1"])
    assert "新抽取 0 份，沿用 5 份" in again.output
    assert _tables(out) == tables


def test_a_bad_file_is_reported_and_the_rest_completes(source: Path, tmp_path: Path) -> None:
    (source / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (source / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 1
    assert "2 份失败" in result.output and "broken.pdf" in result.output
    assert len(_tables(out)["reports"]) == len(FILES)
    failures = (out / "failures.csv").read_text(encoding="utf-8-sig")
    assert "empty.txt" in failures and "broken.pdf" in failures


def test_manifest_gives_government_and_year(source: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,government,level,year\nraw/national-2023.txt,中华人民共和国国务院,national,2023\n",
                        encoding="utf-8")
    out = tmp_path / "m"
    result = CliRunner().invoke(main, ["batch", str(manifest), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    [report] = _tables(out)["reports"]
    assert report["government"] == "中华人民共和国国务院"


def test_ray_and_local_give_identical_output(source: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    local, ray_out = tmp_path / "local", tmp_path / "ray"
    for engine, out in (("local", local), ("ray", ray_out)):
        result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--engine", engine,
                                           "--workers", "2"])
        assert result.exit_code == 0, result.output
    assert _tables(local) == _tables(ray_out)


def test_corpus_report_is_self_contained(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "d"
    CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--workers", "2"])
    page = tmp_path / "corpus.html"
    result = CliRunner().invoke(main, ["corpus", "report", str(out), "-o", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "echarts" in text and "<script src=" not in text and "http://" not in text.split("<script>")[0]
    assert "经济增长目标" in text
