"""An office manages its own departments: its 名录 imported from Excel (checked whole, applied
all or nothing, previewed), units added, renamed (the old name still finds them), merged (tasks,
reports and accounts move) and deactivated (never while they hold open tasks) — each change in
the audit log. On SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from duban.cli import main
from duban.errors import LedgerError, NotFound, ValidationFailed
from duban.office.directory import read_directory, write_directory
from duban.store import DirectoryRow, Ledger


def _leads(ledger: Ledger) -> dict[str, int]:
    _, rows = ledger.plan()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.lead] = counts.get(row.lead, 0) + 1
    return counts


def test_an_untouched_directory_sheet_changes_nothing(imported: Ledger, tmp_path: Path) -> None:
    sheet = write_directory(tmp_path / "名录.xlsx", imported.directory())
    rows = read_directory(sheet)
    assert len(rows) == len(imported.directory())
    assert imported.apply_directory(rows, str(sheet), "tester", dry_run=True) == []


def test_a_directory_adds_and_updates_all_or_nothing_and_is_audited(imported: Ledger,
                                                                     tmp_path: Path) -> None:
    sheet = write_directory(tmp_path / "名录.xlsx", imported.directory())
    book = load_workbook(sheet)
    page = book.active
    education = next(r for r in page.iter_rows(min_row=2) if "教育" in str(r[0].value))
    education[2].value = "学前教育、义务教育、学位供给、校舍建设"
    page.append(["成都市青羊区融媒体中心", "区融媒体中心、融媒体中心", "新闻宣传、网络传播",
                 education[0].value, "在用"])
    book.save(sheet)
    rows = read_directory(sheet)
    before = imported.directory()
    preview = imported.apply_directory(rows, str(sheet), "tester", dry_run=True)
    assert sorted(c.kind for c in preview) == ["add", "update"]
    assert imported.directory() == before  # a preview writes nothing
    done = imported.apply_directory(rows, str(sheet), "tester")
    assert [(c.kind, c.name) for c in done] == [(c.kind, c.name) for c in preview]
    media = next(d for d in imported.directory() if d.name == "成都市青羊区融媒体中心")
    assert media.short == ("区融媒体中心", "融媒体中心") and media.parent == education[0].value
    assert next(d for d in imported.directory() if d.name == education[0].value).duties.startswith("学前教育")
    actions = [entry[3] for entry in imported.audit_log(10)]
    assert "department_add" in actions and "department_update" in actions
    # the new unit can lead a task at once: known by its short form
    assert imported.catalogue().find("区融媒体中心") is not None


def test_a_bad_directory_is_refused_whole_with_rows_named(imported: Ledger) -> None:
    before = imported.directory()
    rows = [DirectoryRow("成都市青羊区数据局", ("区数据局",), "数据资源", "", row=2),
            DirectoryRow("成都市青羊区数据局", (), "", "", row=3),  # repeated
            DirectoryRow("成都市青羊区新区", ("区新区",), "", "火星局", row=4),  # unknown parent
            DirectoryRow("甲单位", (), "", "乙单位", row=5), DirectoryRow("乙单位", (), "", "甲单位", row=6),
            DirectoryRow("", (), "无名", "", row=7)]
    with pytest.raises(ValidationFailed) as info:
        imported.apply_directory(rows, "名录.xlsx", "tester")
    where = {(row, column) for row, column, _ in info.value.errors}
    assert {(3, "单位名称"), (4, "上级单位"), (5, "上级单位"), (6, "上级单位"), (7, "单位名称")} <= where
    assert (2, "单位名称") not in where  # the first of a repeated name is not blamed
    assert imported.directory() == before


def test_a_short_form_another_unit_owns_is_refused(imported: Ledger) -> None:
    taken = next(d for d in imported.directory() if d.short).short[0]
    with pytest.raises(ValidationFailed, match="简称"):
        imported.add_department("成都市青羊区另一个局", (taken,), "", "", "tester")


def test_rename_keeps_the_old_name_finding_the_unit(imported: Ledger) -> None:
    old = next(d for d in imported.directory() if "教育" in d.name)
    imported.rename_department(old.name, "成都市青羊区教育和体育局", "tester")
    found = imported.catalogue().find(old.name)
    assert found is not None and found.name == "成都市青羊区教育和体育局"
    assert imported.catalogue().find(old.short[0]).name == "成都市青羊区教育和体育局"  # type: ignore[union-attr]


def test_merge_moves_tasks_and_deactivates_and_deactivate_refuses_open_work(imported: Ledger) -> None:
    leads = _leads(imported)
    source, into = sorted((name for name in leads if name), key=leads.__getitem__)[-2:]
    with pytest.raises(LedgerError, match="未办结任务"):
        imported.set_department_active(source, False, "tester")
    moved = imported.merge_departments(source, into, "tester")
    assert moved >= leads[source]
    after = _leads(imported)
    assert source not in after and after[into] == leads[into] + leads[source]
    record = next(d for d in imported.directory() if not d.active)
    assert imported.catalogue().find(source).name != record.name  # type: ignore[union-attr]
    assert "department_merge" in [entry[3] for entry in imported.audit_log(5)]
    # a unit without tasks can be deactivated, and activated again
    _, rows = imported.plan()
    busy = {name for row in rows for name in (row.lead, *row.co)}
    idle = next(d for d in imported.directory() if d.active and not busy & {d.name, *d.short})
    imported.set_department_active(idle.name, False, "tester")
    assert imported.catalogue().find(idle.name) is None
    imported.set_department_active(idle.name, True, "tester")
    assert imported.catalogue().find(idle.name) is not None
    with pytest.raises(NotFound):
        imported.set_department_active("火星局", False, "tester")


def test_cli_exports_previews_and_imports_a_directory(imported: Ledger, tmp_path: Path) -> None:
    runner = CliRunner(env={"DUBAN_DATABASE_URL": imported.db.url, "DUBAN_USER": "tester", "COLUMNS": "200"})
    sheet = tmp_path / "名录.xlsx"
    out = runner.invoke(main, ["departments", "--xlsx", str(sheet)])
    assert out.exit_code == 0 and sheet.exists(), out.output
    out = runner.invoke(main, ["departments", "import", str(sheet)])
    assert out.exit_code == 0 and "没有需要写入的修改" in out.output, out.output
    book = load_workbook(sheet)
    book.active.append(["成都市青羊区数据局", "区数据局", "政务数据、数字政府", "", "在用"])
    book.active.append(["成都市青羊区数据局", "", "", "", "在用"])
    book.save(sheet)
    out = runner.invoke(main, ["departments", "import", str(sheet), "--yes"])
    assert out.exit_code == 1 and "重复" in out.output and "Traceback" not in out.output, out.output
    assert imported.catalogue().find("区数据局") is None  # nothing written
    book.active.delete_rows(book.active.max_row)
    book.save(sheet)
    out = runner.invoke(main, ["departments", "import", str(sheet), "--dry-run"])
    assert out.exit_code == 0 and "新增" in out.output and "未写入" in out.output, out.output
    assert imported.catalogue().find("区数据局") is None
    out = runner.invoke(main, ["departments", "import", str(sheet), "--yes"])
    assert out.exit_code == 0 and "已写入 1 个单位" in out.output, out.output
    assert imported.catalogue().find("区数据局") is not None
    out = runner.invoke(main, ["departments", "rename", "区数据局", "成都市青羊区数据和大数据局"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(main, ["departments"])
    assert out.exit_code == 0 and "数据和大数据局" in out.output


def test_a_unit_the_office_added_with_its_duties_is_suggested_on_import(ledger: Ledger,
                                                                       tmp_path: Path) -> None:
    ledger.add_department("成都市青羊区低空经济发展中心", ("区低空中心",),
                          "低空经济、无人机、通用航空、起降场", "", "tester")
    report = tmp_path / "report.txt"
    report.write_text("各位代表：\n一、2024年工作回顾\n经济平稳增长。\n二、2025年工作安排\n"
                      "（一）培育新兴产业。加快无人机起降场建设，发展通用航空和低空经济产业。"
                      "建成区级政务服务中心新大厅，6月底前投入使用。\n", encoding="utf-8")
    ledger.import_report(report, "成都市青羊区", "district", 2025, actor="tester")
    _, rows = ledger.plan()
    drone = next(r for r in rows if "无人机" in r.title)
    assert drone.lead == "区低空中心"  # by the duties the office wrote, not a keyword list
    hall = next(r for r in rows if "政务服务中心" in r.title)
    assert hall.deadline == "2025-06-30", hall.deadline  # 6月底前, from the text
