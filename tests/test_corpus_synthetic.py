"""duban batch over a corpus laid out as lawtext/gov is (<folder>/<place>/<year>.md with a
YAML front matter), written by the tests: markdown read with offsets into the .md files,
government, level and year from path, front matter and text, duplicates and misfiled
reports flagged, standard indicators, links, a fast rerun, and Ctrl-C / SIGTERM that stop the
workers and keep what finished."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus_tables import read_tables

from duban.corpus import run_batch

SRC = Path(__file__).resolve().parents[1] / "src"


def report(place: str, year: int, target: float | str, actual: float, delivered: str = "",
           title: str = "", jobs: int = 10, filler: int = 0) -> str:
    """A work report in markdown as the lawtext corpus has them."""
    delivered = delivered or f"{year}年1月20日"
    speaker = "国务院总理　李强" if place == "国务院" else f"{place}人民政府市长　张三"
    congress = "第十四届全国人民代表大会第二次会议" if place == "国务院" else f"{place}第十六届人民代表大会第三次会议"
    front = f"---\nsource: https://www.example.gov.cn/{year}.html\ntitle: {title or f'{year}年政府工作报告'}\n---\n\n"
    body = "\n\n".join(f"——推进第{i}项重点工程建设，完善配套设施，提升服务水平，惠及广大群众。" for i in range(filler))
    return front + f"""**政府工作报告**

——{delivered}在{congress}上

{speaker}

各位代表：

现在，我代表{'国务院' if place == '国务院' else place + '人民政府'}向大会报告工作，请予审议。

## 一、{year - 1}年工作回顾

过去一年，经济运行稳中向好。地区生产总值增长{actual}%，城镇新增就业{jobs + 1}万人，居民消费价格上涨1.5%。
新建学校12所，新增学位8600个，改造老旧小区120个。

{body}

**二、{year}年工作安排** 今年经济社会发展的主要预期目标是：地区生产总值增长{target}%左右，城镇新增就业{jobs}万人以上，
城镇调查失业率5.5%左右，居民消费价格涨幅3%左右，一般公共预算收入增长5%。

### （一）扎实推进高质量发展

- 新增学位5000个，改造老旧小区100个。
- 新建5G基站3000个以上，新改建农村公路500公里。

<!-- 以上为报告全文 -->
"""


@pytest.fixture
def gov(tmp_path: Path) -> Path:
    root = tmp_path / "gov"
    files = {
        "政府工作报告-国务院/2023.md": report("国务院", 2023, 5, 3),
        "政府工作报告-国务院/2024.md": report("国务院", 2024, 5, 5.2),
        "政府工作报告-主要城市/宁波市/2023.md": report("宁波市", 2023, 6, 3.5),
        "政府工作报告-主要城市/宁波市/2024.md": report("宁波市", 2024, 5.5, 5.5),
        # delivered in December 2023: the 2024 report, a second one of 宁波市 2024
        "政府工作报告-主要城市/宁波市/2023-12.md": report("宁波市", 2024, 5.8, 5.4, "2023年12月28日"),
        # filed under 沧州市 but the title and the text are 池州市's
        "政府工作报告-其他地市/沧州市/2024.md": report("池州市", 2024, 6.5, 5.9,
                                                     title="池州市政府工作报告（2024年1月10日 李四）"),
        "政府工作报告-省自治区/浙江省/2024.md": report("浙江省", 2024, 5.5, 6.0),
        "README.md": "# 政府工作报告\n\n本仓库收录……\n",
        "政府工作报告-国务院/images/a.png": "not a picture",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_markdown_corpus_becomes_a_dataset(gov: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(str(gov), out, workers=2)
    assert (result.done, result.failures) == (7, [])
    assert result.skipped == {".png": 1, "not a report (README …)": 1}
    tables = read_tables(out)
    reports = {r["path"].split("gov/", 1)[1]: r for r in tables["reports"]}
    national = reports["政府工作报告-国务院/2024.md"]
    assert (national["government"], national["level"], national["year"]) == ("国务院", "national", 2024)
    ningbo = reports["政府工作报告-主要城市/宁波市/2024.md"]
    assert (ningbo["level"], ningbo["region"], ningbo["year_source"]) == ("city", "浙江省", "path")
    assert reports["政府工作报告-省自治区/浙江省/2024.md"]["region"] == "华东"
    december = reports["政府工作报告-主要城市/宁波市/2023-12.md"]
    assert december["year"] == 2024 and december["delivered"] == "2023-12"
    assert {"year_from_delivery", "duplicate"} <= set(december["flags"].split())
    assert not december["preferred"] and december["duplicate_of"] == ningbo["report_id"]
    assert "duplicate" in ningbo["flags"].split() and ningbo["preferred"]
    misfiled = reports["政府工作报告-其他地市/沧州市/2024.md"]
    assert misfiled["government"] == "池州市" and "government_conflict" in misfiled["flags"].split()
    assert misfiled["region"] == "安徽省"
    # offsets point into the .md files as given, front matter and markup included
    for q in tables["quantities"]:
        path = next(r["path"] for r in tables["reports"] if r["report_id"] == q["report_id"])
        assert Path(path).read_text(encoding="utf-8")[q["start"]:q["end"]] == q["quote"]
    targets = {(q["government"], q["year"], q["standard"]): q["value"] for q in tables["quantities"]
               if q["role"] == "target" and q["standard"]}
    assert targets[("国务院", 2024, "gdp_growth")] == 5
    assert targets[("宁波市", 2024, "urban_new_jobs")] == 100000
    assert targets[("宁波市", 2024, "unemployment_surveyed")] == 5.5
    assert targets[("宁波市", 2024, "new_school_places")] == 5000
    # links: year N's targets against year N+1's review, the preferred report of each year
    gdp = [l for l in tables["links"] if l["standard"] == "gdp_growth"]
    assert {(l["government"], l["year"], l["target_value"], l["outcome_value"]) for l in gdp} == {
        ("国务院", 2023, 5.0, 5.2), ("宁波市", 2023, 6.0, 5.5)}
    assert next(l["verdict"] for l in gdp if l["government"] == "国务院") == "met"
    assert all(l["outcome_report_id"] == ningbo["report_id"] for l in gdp if l["government"] == "宁波市")
    assert sorted(p.name for p in (out / "quantities").iterdir()) == [
        "level=city", "level=national", "level=province"]


def test_a_rerun_with_nothing_new_takes_seconds_and_changes_nothing(gov: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(str(gov), out, workers=2)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    started = time.perf_counter()
    again = run_batch(str(gov), out, workers=2)
    assert time.perf_counter() - started < 3
    assert (again.done, again.reused, again.pairs_checked, again.chunks_built) == (0, 7, 0, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == before
    # a changed report is read again; only its pair (2023 -> 2024) and two chunks are redone:
    # its own and 2023's, which holds that pair's links
    path = gov / "政府工作报告-国务院/2024.md"
    path.write_text(path.read_text(encoding="utf-8").replace("5%左右", "5.5%左右"), encoding="utf-8")
    changed = run_batch(str(gov), out, workers=2)
    assert (changed.done, changed.reused, changed.pairs_checked, changed.chunks_built) == (1, 6, 1, 2)
    value = [q["value"] for q in read_tables(out)["quantities"] if q["government"] == "国务院"
             and q["year"] == 2024 and q["standard"] == "gdp_growth" and q["role"] == "target"]
    assert value == [5.5]


def _many(root: Path, count: int) -> None:
    for i in range(count):
        path = root / "政府工作报告-主要城市" / f"城市{i:03d}市" / "2024.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report(f"城市{i:03d}市", 2024, 5 + i % 10 / 10, 5, filler=400), encoding="utf-8")


def _batch_process(source: Path, out: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen([sys.executable, "-m", "duban", "batch", str(source), "-o", str(out),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)


def _gone(group: int, seconds: float = 10.0) -> bool:
    """True once no process of the group is left (the driver, the forkserver, the workers)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("signum", "to_group"), [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_an_interrupt_stops_the_workers_and_keeps_finished_reports(tmp_path: Path, signum: int,
                                                                   to_group: bool) -> None:
    source, out = tmp_path / "many", tmp_path / "out"
    _many(source, 60)
    process = _batch_process(source, out)
    end = time.monotonic() + 120
    while time.monotonic() < end and len(list((out / ".parts").glob("*.json.gz"))) < 2:
        time.sleep(0.02)
    assert process.poll() is None, process.communicate()
    if to_group:  # Ctrl-C in a terminal reaches the whole foreground group
        os.killpg(process.pid, signum)
    else:  # SIGTERM from a job scheduler reaches the driver alone
        process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, err
    assert "已中断" in err and "Traceback" not in err
    assert _gone(process.pid), "a worker outlived the interrupted batch"
    kept = len(list((out / ".parts").glob("*.json.gz")))
    assert 2 <= kept < 60
    assert not list((out / ".parts").glob(".*.partial"))
    result = run_batch(str(source), out, workers=2)
    assert (result.reused, result.done) == (kept, 60 - kept)


def test_the_corpus_report_of_a_city(tmp_path: Path) -> None:
    """The page's data for one city: a range target as a band (lower and upper end), an
    actual outside the plausible range listed as an outlier and not drawn, verdicts by level
    and year, the quality panel, and a page with the codebook and the examples."""
    from duban.corpus.report import report_data, write_report

    root = tmp_path / "gov" / "政府工作报告-主要城市" / "温州市"
    root.mkdir(parents=True)
    (root / "2023.md").write_text(report("温州市", 2023, "5-5.5", 4.5), encoding="utf-8")  # a range target
    (root / "2024.md").write_text(report("温州市", 2024, 6, 65.5), encoding="utf-8")
    (root / "2025.md").write_text(report("温州市", 2025, 5.5, 6.2), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(str(tmp_path / "gov"), out, workers=1)
    data = report_data(out)
    points = {p[0]: p for p in data["series"]["温州市"]["gdp_growth"]}
    assert points[2023][1:4] == [5.0, 5.5, "range"]  # the band
    assert points[2023][4] is None  # 65.5 is no year's growth: listed, not drawn
    assert [(o["year"], o["what"], o["value"]) for o in data["outliers"]] == [(2023, "actual", 65.5)]
    assert points[2024][1] == 6.0 and points[2024][4] == 6.2
    assert data["governments"]["温州市"] == {"level": "city", "region": "浙江省", "years": 3}
    city = data["verdicts"]["all"]["city"]
    assert set(city) == {2023, 2024} and sum(city[2024].values()) >= 5
    assert data["quality"]["counts"]["(reports)"] == {"city": 3}
    page = write_report(out, tmp_path / "corpus.html").read_text(encoding="utf-8")
    assert "温州市" in page and "表与列 (codebook)" in page and "import delimited" in page
    assert "<script src=" not in page  # self-contained
