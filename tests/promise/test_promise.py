"""The promise check against hand-verified links (make_gold.py records every decision),
scored by ../shared/eval/score_links.py; the goal is >= 0.85 of gold links right."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban import read_report
from duban.extract import extract
from duban.cli import main
from duban.track.promise import check_promises, normalise, similarity

HERE = Path(__file__).parent
GOLD = sorted(HERE.glob("*.links.json"))


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_links_against_gold(shared: Path, gold: Path, tmp_path: Path) -> None:
    spec = json.loads(gold.read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["check", str(gold.parent / spec["target_document"]),
                                       str(gold.parent / spec["outcome_document"]),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    pred = tmp_path / "pred.json"
    pred.write_text(result.stdout, encoding="utf-8")
    score = subprocess.run([sys.executable, str(shared / "eval" / "score_links.py"), str(gold),
                            str(pred), "--json"], capture_output=True, text=True, check=True)
    assert json.loads(score.stdout)["accuracy"] >= 0.85, score.stdout


def _report(text: str):
    return extract(read_report(text.encode(), "r.txt", "txt"))


def test_verdicts_follow_comparators_and_direction() -> None:
    plan = _report("各位代表：\n二、2023年工作安排\n地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内，"
                   "新增就业1.6万人，建成公厕20座，新增学位1000个。\n")
    review = _report("各位代表：\n一、2023年工作回顾\n地区生产总值增长5.8%，城镇调查失业率5.9%，"
                     "城镇新增就业1.2万人，改造新建公厕28座。\n")
    verdicts = {link.target.quote: (link.verdict, link.outcome.quote if link.outcome else None)
                for link in check_promises(plan, review)}
    assert verdicts["6%"] == ("met", "5.8%")  # 左右: within half a point
    assert verdicts["5.5%"][0] in ("partly", "missed")  # a ceiling broken
    assert verdicts["1.6万人"] == ("partly", "1.2万人")  # 75 %: the right way, over half (NOTES.md)
    assert verdicts["20座"] == ("exceeded", "28座")
    assert verdicts["1000个"] == ("not_mentioned", None)


def test_indicators_match_by_meaning() -> None:
    assert normalise("城镇新增就业") == normalise("新增就业")
    assert similarity("地区生产总值增长", "经济增长") > 0.6
    assert similarity("城镇登记失业率", "城镇调查失业率") < 0.6
    assert similarity("建成公厕", "改造新建公厕") == 1.0


def test_check_writes_a_report_card(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "card.xlsx"
    result = CliRunner().invoke(main, ["check", str(corpus / "national-2023.txt"),
                                       str(corpus / "national-2024.txt"), "--format", "xlsx",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=3, values_only=True)]
    gdp = next(r for r in rows if r["指标"] == "国内生产总值增长")
    assert (gdp["目标"], gdp["实际"], gdp["结论"]) == ("5%", "5.2%", "完成")
    assert gdp["依据"].startswith("目标5%（左右），实际5.2%") and 0 < gdp["置信度"] <= 1
    # figures as the report writes them, never in base units or exponent notation
    assert all("e+" not in str(r["目标"]) and "e+" not in str(r["依据"]) for r in rows)
    assert any(r["目标"] == "3.8万亿元" for r in rows)


def test_check_table_shows_how_sure_each_link_is(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(corpus / "national-2023.txt"),
                                       str(corpus / "national-2024.txt")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "指标" in line and "结论" in line)
    assert "置信" in header
    gdp = next(line for line in result.output.splitlines() if "国内生产总值增长" in line and "完成" in line)
    sure = [float(c) for c in re.findall(r"(?<![\d.])[01]\.\d\d(?![\d%])", gdp)]
    assert sure and 0 < sure[0] <= 1  # the link's confidence, beside its verdict
    told = int(re.search(r"未提及(\d+)项", result.output).group(1))  # the summary line
    assert told and len(re.findall(r"│\s*未提及\s*│\s*—\s*│", result.output)) == told  # no confidence claimed
