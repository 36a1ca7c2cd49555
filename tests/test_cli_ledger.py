"""The ledger commands as a supervision office runs them, on a SQLite file."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from duban.cli import main, sample_path


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DUBAN_DATABASE_URL", f"sqlite:///{tmp_path / 'duban.db'}")
    monkeypatch.setenv("DUBAN_USER", "督查室")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, stdin: str | None = None) -> str:
        result = runner.invoke(main, list(args), input=stdin)
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    return invoke


def test_office_year(run, tmp_path: Path) -> None:
    assert "新增部门 33 个" in run("init")
    out = run("import", str(sample_path()), "--government", "成都市青羊区", "--year", "2023")
    assert "已导入报告 1" in out
    assert "已经存在" in run("import", str(sample_path()), "--government", "成都市青羊区",
                             "--year", "2023", code=1)
    run("plan", "--xlsx", "plan.xlsx")
    book = load_workbook(tmp_path / "plan.xlsx")
    sheet = book["分工方案"]
    header = [c.value for c in sheet[2]]
    lead = header.index("牵头单位") + 1
    for r in range(3, sheet.max_row + 1):
        if not sheet.cell(r, lead).value:
            sheet.cell(r, lead).value = "区政府办"
    book.save(tmp_path / "edited.xlsx")
    assert "仅预览" in run("plan", "--apply", "edited.xlsx", "--dry-run")
    assert "已取消" in run("plan", "--apply", "edited.xlsx", stdin="n\n")
    assert "已写入 1 处修改" in run("plan", "--apply", "edited.xlsx", "--yes")
    assert "交办任务" in run("plan", "--publish")

    run("progress", "--template", "edu.xlsx", "--department", "区教育局", "--period", "2023-06")
    book = load_workbook(tmp_path / "edu.xlsx")
    sheet = book.active
    header = [c.value for c in sheet[3]]
    sheet.cell(4, header.index("完成百分比") + 1).value = 50
    sheet.cell(4, header.index("进展情况") + 1).value = "过半"
    book.save(tmp_path / "edu.xlsx")
    assert "已报送 1 条进展" in run("progress", "--xlsx", "edu.xlsx")
    assert "区人社局" in run("progress", "--xlsx", "edu.xlsx", "--department", "区人社局", code=1)
    queue = run("review")
    assert "区教育局" in queue and "过半" in queue
    assert "已退回" not in run("review", "1", "--return", code=1)  # a return needs a comment
    assert "已通过" in run("review", "1", "--approve")
    status = run("status", "--date", "2023-07-01", "--department", "区教育局")
    assert "正常推进" in status or "进度滞后" in status, status
    assert "逾期" in run("remind", "--date", "2024-01-05", "--xlsx", "remind.xlsx")
    assert (tmp_path / "remind.xlsx").is_file()
    run("report", "--docx", "通报.docx", "--date", "2023-07-01")
    assert (tmp_path / "通报.docx").stat().st_size > 5000
    run("backup", "all.zip")
    assert "不是空的" in run("restore", "all.zip", code=1)
    assert "已恢复" in run("restore", "all.zip", "--force")
    assert "import" in run("audit")


def test_bad_sheet_prints_every_error(run, tmp_path: Path) -> None:
    run("init")
    run("import", str(sample_path()), "--government", "成都市青羊区", "--year", "2023")
    run("plan", "--xlsx", "plan.xlsx")
    book = load_workbook(tmp_path / "plan.xlsx")
    sheet = book["分工方案"]
    header = [c.value for c in sheet[2]]
    sheet.cell(3, header.index("牵头单位") + 1).value = "区火星局"
    sheet.cell(4, header.index("完成时限") + 1).value = "明年"
    book.save(tmp_path / "plan.xlsx")
    out = run("plan", "--apply", "plan.xlsx", "--yes", code=1)
    assert "第3行 [牵头单位]" in out and "第4行 [完成时限]" in out and "未写入" in out


def test_the_readme_main_job_can_run_twice(run) -> None:
    """The README's first command imports the sample; run again, it must not fail."""
    assert "已导入报告 1" in run("import", "--sample")
    assert "跳过导入" in run("import", "--sample")
    assert "合计" in run("status")
    assert "需要 REPORT" in run("import", code=2)


def test_user_add_creates_an_account_that_can_log_in(run, tmp_path: Path, monkeypatch) -> None:
    from duban.store import Database
    from duban.store.accounts import Accounts

    run("init")
    monkeypatch.setenv("DUBAN_NEW_PASSWORD", "一个足够长的密码2026")
    assert "已创建账号 chief" in run("user", "add", "chief", "--role", "admin")
    assert "已创建账号 edu" in run("user", "add", "edu", "--role", "clerk", "--department", "区教育局")
    assert "部门联络员至少要属于一个部门" in run("user", "add", "nodept", "--role", "clerk", code=1)
    assert "已存在" in run("user", "add", "chief", "--role", "admin", code=1)
    monkeypatch.setenv("DUBAN_NEW_PASSWORD", "short")
    assert "至少 10 位" in run("user", "add", "weak", "--role", "leader", code=1)
    accounts = Accounts(Database(f"sqlite:///{tmp_path / 'duban.db'}"))
    assert accounts.login("chief", "一个足够长的密码2026") is not None
    assert accounts.login("weak", "short") is None
