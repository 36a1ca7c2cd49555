"""The ledger's workflow on SQLite and PostgreSQL: import, plan, progress, review, status."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from duban.errors import AlreadyExists, Conflict, Forbidden, LedgerError, NotFound, ValidationFailed
from duban.store import Ledger, PlanEdit, ProgressEdit
from duban.store import _models as m

from duban.cli import sample_path

SAMPLE = sample_path()


def _row(ledger: Ledger, predicate):
    _, rows = ledger.plan()
    return next(r for r in rows if predicate(r))


def test_import_makes_a_draft_plan_with_suggested_units(ledger: Ledger) -> None:
    result = ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    assert result.tasks > 80 and result.targets == 12
    jobs = _row(ledger, lambda r: "新增就业" in r.title)
    assert jobs.lead == "区人社局" and jobs.targets == "新增就业1.6万人"
    assert jobs.state == "draft" and jobs.deadline == "全年"
    insurance = _row(ledger, lambda r: "养老保险参保率" in r.title)
    assert insurance.targets.startswith("城乡居民养老保险参保率95%以上")
    with pytest.raises(AlreadyExists):
        ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")


def test_publish_needs_a_lead_for_every_task(ledger: Ledger) -> None:
    ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    with pytest.raises(ValidationFailed) as info:
        ledger.publish("t")
    assert all(col == "牵头单位" for _, col, _ in info.value.errors)


def test_workflow_submit_return_resubmit_approve_close(imported: Ledger) -> None:
    ledger = imported
    assert ledger.publish("sup") > 80
    jobs = _row(ledger, lambda r: "新增就业" in r.title)
    with pytest.raises(Forbidden):
        ledger.submit_progress(jobs.task_id, "区教育局", "2023-06", actual=1, actor="x")
    ledger.acknowledge(jobs.task_id, "区人社局", "clerk")
    first = ledger.submit_progress(jobs.task_id, "区人社局", "2023-06", actual=7000,
                                   narrative="上半年新增就业7000人", actor="clerk",
                                   evidence=[("证明.pdf", b"%PDF-1.4 x", "application/pdf")])
    with pytest.raises(ValueError):
        ledger.review(first, "return", "sup", comment="")
    ledger.review(first, "return", "sup", comment="请附统计部门数据")
    before = ledger.status(today=date(2023, 7, 1))
    assert next(r for r in before.rows if r.task_id == jobs.task_id).status == "returned"
    assert before.open_returns == {first}
    second = ledger.submit_progress(jobs.task_id, "区人社局", "2023-06", actual=8200,
                                    narrative="补充统计数据", actor="clerk")
    waiting = ledger.status(today=date(2023, 7, 1))
    row = next(r for r in waiting.rows if r.task_id == jobs.task_id)
    assert row.status == "pending" and row.pending and row.last_period == "2023-06"
    assert waiting.open_returns == frozenset()  # the resubmission clears the return
    ledger.review(second, "approve", "sup")
    with pytest.raises(Forbidden):
        ledger.review(second, "approve", "sup")
    status = ledger.status(today=date(2023, 7, 1))
    row = next(r for r in status.rows if r.task_id == jobs.task_id)
    assert row.status == "green" and row.latest_period == "2023-06"
    assert status.by_department["区人社局"]["green"] >= 1
    history = ledger.updates(state=None, task_id=jobs.task_id)
    assert [u.state for u in history] == ["returned", "approved"]
    assert history[0].evidence == ("证明.pdf",) and history[0].reviews[0][1] == "请附统计部门数据"
    ledger.close_task(jobs.task_id, "sup", "全年目标已完成")
    assert next(r for r in ledger.status(today=date(2023, 7, 1)).rows
                if r.task_id == jobs.task_id).status == "done"
    with pytest.raises(Forbidden):
        ledger.submit_progress(jobs.task_id, "区人社局", "2023-07", actual=9000, actor="clerk")


def test_stale_version_is_a_conflict_and_writes_nothing(imported: Ledger) -> None:
    ledger = imported
    ledger.publish("sup")
    jobs = _row(ledger, lambda r: "新增就业" in r.title)
    seen = ledger.task_version(jobs.task_id)
    ledger.submit_progress(jobs.task_id, "区人社局", "2023-05", percent=30, actor="a",
                           expected_version=seen)
    with pytest.raises(Conflict):
        ledger.submit_progress(jobs.task_id, "区人社局", "2023-05", percent=35, actor="b",
                               expected_version=seen)
    assert [u.percent for u in ledger.updates(state=None, task_id=jobs.task_id)] == [30]


def test_a_revision_is_dated_and_the_promise_stays(imported: Ledger) -> None:
    ledger = imported
    jobs = _row(ledger, lambda r: "新增就业" in r.title)
    ledger.revise_target(jobs.task_id, "新增就业1.8万人", date(2023, 7, 1), "区委常委会调整", "sup")
    assert _row(ledger, lambda r: r.task_id == jobs.task_id).targets.startswith("新增就业1.8万人")
    with ledger.db.session(readonly=True) as session:
        target = session.scalars(select(m.Target).where(m.Target.task_id == jobs.task_id)).one()
        assert target.value == 16000 and target.quote.replace(" ", "") == "1.6万人"
        assert [(r.value, r.effective_date) for r in target.revisions] == [(18000, date(2023, 7, 1))]
    ledger.publish("sup")
    ledger.submit_progress(jobs.task_id, "区人社局", "2023-06", actual=8000, actor="c")
    ledger.review(ledger.updates()[0].update_id, "approve", "sup")
    june = next(r for r in ledger.status(today=date(2023, 6, 30)).rows if r.task_id == jobs.task_id)
    august = next(r for r in ledger.status(today=date(2023, 8, 1)).rows if r.task_id == jobs.task_id)
    assert june.progress == pytest.approx(0.5) and august.progress == pytest.approx(8000 / 18000)


def test_bad_plan_rows_are_all_reported_and_nothing_changes(imported: Ledger) -> None:
    ledger = imported
    _, rows = ledger.plan()
    a, b, c, d = rows[3:7]  # one task a row: a task on two rows is an error of its own
    edits = [
        PlanEdit(3, 99999, "x", "", "区人社局", "", "全年"),
        PlanEdit(4, a.task_id, a.title, "新增就业很多", "区人社局", "", "全年", version=a.version),
        PlanEdit(5, b.task_id, b.title, b.targets, "区不存在局", "区火星局", "全年", version=b.version),
        PlanEdit(6, c.task_id, c.title, c.targets, c.lead, "", "下个月", version=c.version),
        PlanEdit(7, d.task_id, d.title, d.targets, d.lead, "", "全年", version=d.version + 5),
    ]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_plan(edits, "sup")
    found = {(row, col) for row, col, _ in info.value.errors}
    assert found == {(3, "任务编号"), (4, "指标要求"), (5, "牵头单位"), (5, "责任单位"),
                     (6, "完成时限"), (7, "版本")}
    assert ledger.plan()[1] == rows


def test_progress_rows_are_checked_against_the_department(imported: Ledger) -> None:
    ledger = imported
    ledger.publish("sup")
    mine = ledger.progress_rows("区教育局")
    other = _row(ledger, lambda r: r.lead == "区人社局")
    edits = [ProgressEdit(4, mine[0].task_id, "2023-06", "", "40", "推进中"),
             ProgressEdit(5, other.task_id, "2023-06", "1", "", "越权"),
             ProgressEdit(6, mine[1].task_id, "六月", "abc", "150", "")]
    with pytest.raises(ValidationFailed) as info:
        ledger.apply_progress(edits, "区教育局", "clerk")
    assert {(r, c) for r, c, _ in info.value.errors} == {
        (5, "任务编号"), (6, "报送期"), (6, "实际值"), (6, "完成百分比"), (6, "进展情况")}
    assert ledger.updates(state=None) == []
    ids = ledger.apply_progress(edits[:1], "区教育局", "clerk")
    assert len(ids) == 1 and ledger.updates()[0].percent == 40


def test_failure_mid_import_leaves_the_database_as_it_was(ledger: Ledger, monkeypatch) -> None:
    from duban.store import importing

    def boom(*args, **kwargs):
        raise RuntimeError("crash while writing")

    monkeypatch.setattr(importing, "record_change", boom)  # the last write of an import
    with pytest.raises(RuntimeError):
        ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    with ledger.db.session(readonly=True) as session:
        for model in (m.Report, m.Task, m.Target, m.Assignment, m.Government):
            assert session.scalar(select(model.id).limit(1)) is None


def test_audit_log_is_append_only_in_the_database(imported: Ledger) -> None:
    ledger = imported
    entries = ledger.audit_log()
    assert {e[3] for e in entries} >= {"import", "update"}
    # the database refuses: one LedgerError naming the trigger's message, the cause kept
    with pytest.raises(LedgerError, match="append-only") as info:
        with ledger.db.session() as session:
            session.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    assert isinstance(info.value.__cause__, DBAPIError)
    with pytest.raises(LedgerError, match="append-only"):
        with ledger.db.session() as session:
            session.execute(text("DELETE FROM audit_log"))
    assert len(ledger.audit_log()) == len(entries)


def test_reminders_list_overdue_due_soon_and_silent(imported: Ledger) -> None:
    ledger = imported
    ledger.publish("sup")
    reminders = ledger.reminders(today=date(2023, 12, 28), days=7)
    assert reminders and all(r.due_soon for r in reminders)
    late = ledger.reminders(today=date(2024, 1, 10))
    assert sum(len(r.overdue) for r in late) == len(ledger.plan()[1])


def test_unknown_things_are_not_found(ledger: Ledger) -> None:
    with pytest.raises(NotFound):
        ledger.plan()
    with pytest.raises(NotFound):
        ledger.task_version(12345)
