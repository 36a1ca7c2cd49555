"""An exported plan applied back untouched changes nothing: figures (8000万吨标准煤, not
8e+07), names, deadlines, lead and co-responsible units, titles — on real reports."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from duban.cli import main

# each with a cell that did not survive the sheet before: a figure in exponent notation
# (8e+07吨标准煤 read back as 7), a name with a figure of its own (超亿元的非公企业20家 read
# as two targets, 1亿吨3000万吨), a name ending in a comparator word (投资突破11个 read as >=)
REPORTS = {"national-2010.txt": "新增节能能力8000万吨标准煤",
           "district-hailaer-2013.txt": "销售收入超亿元的非公企业20家",
           "province-shanxi-2026.txt": "“能源重点领域项目投资突破”11个",
           "national-2007.txt": "“淘汰落后炼铁产能1亿吨”3000万吨"}


@pytest.mark.parametrize("name", REPORTS)
def test_an_untouched_sheet_proposes_no_change(corpus: Path, name: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DUBAN_DATABASE_URL", f"sqlite:///{tmp_path / 'duban.db'}")
    monkeypatch.setenv("DUBAN_USER", "督查室")
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    level = name.split("-")[0]
    assert "已导入报告 1" in run("import", str(corpus / name), "--government", name,
                                 "--level", level)
    run("plan", "--xlsx", "p.xlsx")
    sheet = load_workbook(tmp_path / "p.xlsx")["分工方案"]
    header = [c.value for c in sheet[2]]
    cells = [sheet.cell(r, header.index("指标要求") + 1).value or "" for r in range(3, sheet.max_row + 1)]
    assert any(REPORTS[name] in c for c in cells), cells
    assert not [c for c in cells if "e+" in c or "e-" in c]
    out = run("plan", "--apply", "p.xlsx", "--dry-run")
    assert "预览：0 处修改" in out and "没有需要写入的修改" in out, out
