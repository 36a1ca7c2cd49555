"""duban batch over real reports: a dataset of reports, tasks, quantities and links,
partitioned by level and year; resumable and incremental; failures do not stop it; a
corrected manifest is honoured; local processes and Ray give identical output."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_tables import read_tables
from test_corpus_stata import read_dta

from duban.cli import main
from duban.corpus import run_batch

FILES = ["district-hailaer-2016.txt", "district-hailaer-2017.txt", "national-2023.txt",
         "national-2024.txt", "province-gansu-2026.txt"]


@pytest.fixture
def source(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in FILES:
        shutil.copy(corpus / name, folder / name)
    return folder


def test_batch_builds_a_dataset_and_resumes(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.parquet"
    result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    tables = read_tables(out)
    reports = {r["file"]: r for r in tables["reports"]}
    assert reports["district-hailaer-2017.txt"]["government"] == "海拉尔区"
    assert reports["national-2024.txt"]["government"] == "国务院"
    assert reports["national-2024.txt"]["level"] == "national"  # from the file name and the text
    assert reports["province-gansu-2026.txt"]["level"] == "province"
    assert reports["province-gansu-2026.txt"]["region"] == "西北"
    assert {r["year"] for r in tables["reports"]} == {2016, 2017, 2023, 2024, 2026}
    assert (out / "reports" / "level=national" / "year=2024" / "part-000.parquet").is_file()
    assert all(q["quote"] for q in tables["quantities"])
    gdp = [q for q in tables["quantities"] if q["government"] == "国务院" and q["year"] == 2024
           and q["role"] == "target" and q["standard"] == "gdp_growth"]
    assert [q["value"] for q in gdp][:1] == [5.0]
    links = tables["links"]
    assert {(l["government"], l["year"]) for l in links} == {("海拉尔区", 2016), ("国务院", 2023)}
    gdp_link = next(l for l in links if l["government"] == "国务院" and l["target_quote"] == "5%")
    assert gdp_link["outcome_quote"] == "5.2%" and gdp_link["verdict"] == "met"
    assert gdp_link["standard"] == "gdp_growth"
    assert gdp_link["evidence"] == "number" and 0 < gdp_link["confidence"] <= 1
    assert all(l["confidence"] == 0 for l in links if l["verdict"] == "not_mentioned")
    assert (out / "reports.csv").read_text(encoding="utf-8-sig").startswith("level,year,report_id,")
    assert "## 表与列 (codebook)" in (out / "README.md").read_text(encoding="utf-8")
    started = time.perf_counter()
    again = run_batch(str(source), out, workers=1)
    assert time.perf_counter() - started < 5
    assert (again.done, again.reused, again.chunks_built, again.pairs_checked) == (0, 5, 0, 0)
    assert read_tables(out) == tables
    dta = tmp_path / "quantities.dta"
    done = CliRunner().invoke(main, ["corpus", "export", str(out), "quantities", "-o", str(dta)])
    assert done.exit_code == 0, done.output
    names, labels, rows = read_dta(dta)
    assert names[:3] == ["level", "year", "report_id"] and all(labels)
    assert len(rows) == len(tables["quantities"])
    assert sorted((r["quote"], r["value"]) for r in rows) == sorted(
        (q["quote"], q["value"]) for q in tables["quantities"])


def test_a_bad_file_is_reported_and_the_rest_completes(source: Path, tmp_path: Path) -> None:
    (source / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (source / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 1
    assert "2 份失败" in result.output and "broken.pdf" in result.output
    assert "Traceback" not in result.output
    assert len(read_tables(out)["reports"]) == len(FILES)
    failures = (out / "failures.csv").read_text(encoding="utf-8-sig")
    assert "empty.txt" in failures and "broken.pdf" in failures


def test_a_corrected_manifest_is_honoured_on_a_rerun(source: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    out = tmp_path / "m"

    def batch(rows: str) -> list[dict]:
        manifest.write_text("path,government,level,year\n" + rows, encoding="utf-8")
        result = CliRunner().invoke(main, ["batch", str(manifest), "-o", str(out), "--workers", "1"])
        assert result.exit_code == 0, result.output
        return read_tables(out)["reports"]

    [report] = batch("raw/national-2023.txt,中华人民共和国国务院,national,2022\n")
    assert (report["government"], report["year"], report["year_source"]) == ("中华人民共和国国务院", 2022,
                                                                             "manifest")
    [report] = batch("raw/national-2023.txt,国务院,national,2023\n")  # corrected
    assert (report["government"], report["year"]) == ("国务院", 2023)
    assert not (out / "reports" / "level=national" / "year=2022").exists()  # the old chunk is gone


def test_ray_and_local_give_identical_output(source: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    local, ray_out = tmp_path / "local", tmp_path / "ray"
    for engine, out in (("local", local), ("ray", ray_out)):
        result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--engine", engine,
                                           "--workers", "2"])
        assert result.exit_code == 0, result.output
    assert read_tables(local) == read_tables(ray_out)
    for name in ("reports", "quantities"):
        files = sorted(p.relative_to(local) for p in (local / name).rglob("*.parquet"))
        assert files == sorted(p.relative_to(ray_out) for p in (ray_out / name).rglob("*.parquet"))
        assert all((local / f).read_bytes() == (ray_out / f).read_bytes() for f in files)


def test_corpus_report_is_self_contained(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "d"
    CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--workers", "2"])
    page = tmp_path / "corpus.html"
    result = CliRunner().invoke(main, ["corpus", "report", str(out), "-o", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "echarts" in text and "<script src=" not in text and "http://" not in text.split("<script>")[0]
    for section in ("目标与实际", "目标兑现", "数据质量", "表与列", "DuckDB", "pandas", "Stata"):
        assert section in text, section
    exported = tmp_path / "gdp.csv"
    result = CliRunner().invoke(main, ["corpus", "export", str(out), "quantities", "-o", str(exported),
                                       "--standard", "gdp_growth", "--role", "target"])
    assert result.exit_code == 0, result.output
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("level,year,report_id,government,") and len(lines) >= 4
    assert all(",gdp_growth," in line for line in lines[1:])


def test_corpus_links_agree_with_duban_check(corpus: Path, tmp_path: Path) -> None:
    """The pair task gives the check what ``duban check`` gives it (both texts, every
    quantity, the review's sentences, the year): the same target, outcome and verdict."""
    from duban import analyse, load_report
    from duban.track.promise import check_promises

    names = ["district-hailaer-2017.txt", "district-hailaer-2018.txt"]
    folder = tmp_path / "pair"
    folder.mkdir()
    for name in names:
        shutil.copy(corpus / name, folder / name)
    run_batch(str(folder), tmp_path / "out", workers=1)
    links = sorted(read_tables(tmp_path / "out")["links"], key=lambda l: l["index"])
    first, second = (analyse(load_report(corpus / name), assign=False) for name in names)
    expected = [(l.target.start, l.outcome.start if l.outcome else None, l.verdict)
                for l in check_promises(first, second)]
    got = [(l["target_start"], l["outcome_start"], l["verdict"]) for l in links]
    assert got == expected
    assert sum(1 for _, outcome, _ in got if outcome is not None) >= 10
