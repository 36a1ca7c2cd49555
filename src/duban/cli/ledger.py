"""Ledger commands: init, import, plan, progress, review, ack, close, revise, status, remind,
report, backup, restore, departments, audit."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import LEVELS, console, die, plain, run, settings, status_markup

if TYPE_CHECKING:
    from ..store import ImportResult, Ledger


def _ledger() -> Ledger:
    """The ledger of this command, its connections closed when the command ends (a pool left
    to the garbage collector leaves PostgreSQL connections open)."""
    from ..store import Ledger

    ledger = Ledger(settings().database_url)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(ledger.close)
    return ledger


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是日期，应为 2023-06-30") from None


@click.command("init")
@click.option("--level", type=click.Choice(LEVELS),
              default="district", show_default=True, help="政府层级：部门名称按前缀派生（national：国务院部委）")
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False),
              help="自定义部门名录 (TOML，格式同 duban/data/departments.toml)")
def init_command(level: str, catalogue: str | None) -> None:
    """建库并载入部门名录 (create the ledger database and its departments)."""
    from ..assign import load_catalogue
    from ..store import shown_url

    cfg = settings()
    ledger = _ledger()
    added = run(lambda: ledger.init(load_catalogue(level, catalogue), cfg.user))
    click.echo(f"台账已就绪：{shown_url(ledger.db.url)}；新增部门 {added} 个")


@click.command("import")
@click.argument("report", type=click.Path(), required=False)
@click.option("--government", help="政府名称，如 成都市青羊区")
@click.option("--level", type=click.Choice(LEVELS),
              default="district", show_default=True)
@click.option("--year", type=int, help="报告年份（默认从报告中识别）")
@click.option("--sample", is_flag=True,
              help="导入内置样例（成都市青羊区 2023 年报告节选）；已导入则跳过")
def import_command(report: str | None, government: str | None, level: str, year: int | None,
                   sample: bool) -> None:
    """导入报告，生成分工方案草稿 (import a report as a draft plan)."""
    from ..errors import AlreadyExists

    from ..data import SAMPLE_GOVERNMENT, SAMPLE_YEAR, sample_path

    if sample:
        report, government, level, year = str(sample_path()), SAMPLE_GOVERNMENT, "district", SAMPLE_YEAR
    if not report or not government:
        raise click.UsageError("需要 REPORT 与 --government，或 --sample (REPORT and --government, or --sample)")
    cfg = settings()
    ledger = _ledger()
    run(lambda: ledger.init(actor=cfg.user))
    path, name = report, government

    def attempt() -> ImportResult | None:
        try:
            return ledger.import_report(path, name, level, year, cfg.user)
        except AlreadyExists as exc:
            if not sample:
                raise
            click.echo(f"样例报告已在台账中，跳过导入 (the sample is already imported): {exc}")
            return None

    result = run(attempt)
    if result is None:
        return
    click.echo(f"已导入报告 {result.report_id}：任务 {result.tasks} 项，量化指标 {result.targets} 个，"
               f"待指定牵头单位 {result.unassigned} 项")


@click.command("plan")
@click.option("--report", "report_id", type=int, help="报告编号（默认最近导入的）")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False), help="导出分工方案 Excel")
@click.option("--apply", "apply_in", type=click.Path(exists=True, dir_okay=False),
              help="导入修改后的分工方案：逐行校验、预览，确认后整体写入")
@click.option("--yes", is_flag=True, help="预览后不再询问，直接写入")
@click.option("--dry-run", is_flag=True, help="只预览，不写入")
@click.option("--publish", is_flag=True, help="发布分工方案（交办各单位）")
def plan_command(report_id: int | None, xlsx_out: str | None, apply_in: str | None, yes: bool,
                 dry_run: bool, publish: bool) -> None:
    """分工方案：查看、导出、导入修改、发布 (the task-division plan)."""
    from rich.table import Table


    from ..office import read_plan, write_plan

    cfg = settings()
    ledger = _ledger()
    out = console()
    if apply_in:
        edits = run(lambda: read_plan(Path(apply_in)))
        changes = run(lambda: ledger.apply_plan(edits, cfg.user, report_id, dry_run=True,
                                                 source=apply_in))
        table = Table(title=f"预览：{len(changes)} 处修改 (preview)")
        for column in ("序号", "字段", "原值", "新值"):
            table.add_column(column)
        for c in changes:
            table.add_row(str(c.seq or ""), c.field, plain(c.before), plain(c.after))
        out.print(table)
        if not changes:
            click.echo("没有需要写入的修改。")
        elif dry_run:
            click.echo("仅预览，未写入 (dry run)。")
        elif yes or click.confirm("写入以上修改？", default=False):
            done = run(lambda: ledger.apply_plan(edits, cfg.user, report_id, source=apply_in))
            click.echo(f"已写入 {len(done)} 处修改。")
        else:
            click.echo("已取消，未写入。")
    if publish:
        count = run(lambda: ledger.publish(cfg.user, report_id))
        click.echo(f"分工方案已发布，交办任务 {count} 项。")
    rid, rows = run(lambda: ledger.plan(report_id))
    if xlsx_out:
        names = [d.display for d in run(ledger.catalogue)]
        government = next((g for i, g, *_ in run(ledger.reports) if i == rid), "")
        run(lambda: write_plan(Path(xlsx_out), f"{government}重点工作任务分工方案（台账）", rows, names))
        click.echo(f"已导出 {len(rows)} 项任务：{xlsx_out}")
    elif not apply_in and not publish:
        table = Table(title=f"分工方案（报告 {rid}）")
        for column in ("编号", "序号", "工作任务", "指标要求", "牵头单位", "责任单位", "完成时限", "状态"):
            table.add_column(column)
        for r in rows:
            table.add_row(str(r.task_id), str(r.seq), plain(r.title), plain(r.targets),
                          plain(r.lead or "待定"), plain("、".join(r.co)), plain(r.deadline),
                          status_markup(r.status))
        out.print(table)


@click.command("progress")
@click.option("--xlsx", "xlsx_in", type=click.Path(exists=True, dir_okay=False),
              help="导入部门填好的进展表（逐行校验，整体写入）")
@click.option("--template", "template_out", type=click.Path(dir_okay=False),
              help="为 --department 导出本期进展填报表")
@click.option("--department", help="填报单位（默认读表中的“填报单位”）")
@click.option("--period", help="报送期，如 2023-06（默认本月）")
@click.option("--report", "report_id", type=int)
def progress_command(xlsx_in: str | None, template_out: str | None, department: str | None,
                     period: str | None, report_id: int | None) -> None:
    """部门进展：导出填报表或导入填好的表 (a department's monthly progress sheet)."""

    from ..office import read_progress, write_progress

    cfg = settings()
    ledger = _ledger()
    if template_out:
        if not department:
            raise click.UsageError("--template 需要 --department")
        today = date.today()
        rows = run(lambda: ledger.progress_rows(department, report_id))
        run(lambda: write_progress(Path(template_out), department,
                                    period or f"{today.year}-{today.month:02d}", rows))
        click.echo(f"已导出 {department} 的 {len(rows)} 项任务：{template_out}")
    elif xlsx_in:
        sheet_department, edits = run(lambda: read_progress(Path(xlsx_in)))
        who = department or sheet_department
        if not who:
            die(f"{xlsx_in}: 表中没有“填报单位”，请用 --department 指定")
        if department and sheet_department and department != sheet_department:
            die(f"{xlsx_in}: 表中填报单位是“{sheet_department}”，与 --department “{department}”不符")
        ids = run(lambda: ledger.apply_progress(edits, who, cfg.user, report_id, xlsx_in))
        click.echo(f"已报送 {len(ids)} 条进展，等待督查室审核。")
    else:
        raise click.UsageError("请给出 --xlsx 或 --template")


@click.command("review")
@click.argument("update_id", type=int, required=False)
@click.option("--approve", "decision", flag_value="approve", help="审核通过")
@click.option("--return", "decision", flag_value="return", help="退回（须写理由）")
@click.option("--comment", default="", help="审核意见")
def review_command(update_id: int | None, decision: str | None, comment: str) -> None:
    """审核进展；不带参数时列出待审核队列 (review progress updates)."""
    from rich.table import Table


    cfg = settings()
    ledger = _ledger()
    if update_id is None:
        table = Table(title="待审核进展 (review queue)")
        for column in ("进展编号", "任务", "单位", "报送期", "实际值", "百分比", "进展情况", "报送人"):
            table.add_column(column)
        for u in run(lambda: ledger.updates("submitted")):
            table.add_row(str(u.update_id), plain(f"{u.seq}. {u.title[:24]}"), plain(u.department), u.period,
                          "" if u.actual is None else f"{u.actual:g}",
                          "" if u.percent is None else f"{u.percent:g}%", plain(u.narrative[:40]),
                          plain(u.submitted_by))
        console().print(table)
        return
    if decision is None:
        raise click.UsageError("请选择 --approve 或 --return")
    run(lambda: ledger.review(update_id, decision, cfg.user, comment))
    click.echo(f"进展 {update_id} 已{'通过' if decision == 'approve' else '退回'}。")


@click.command("ack")
@click.argument("task_id", type=int)
@click.option("--department", required=True)
def ack_command(task_id: int, department: str) -> None:
    """签收任务 (a department acknowledges a task)."""

    cfg = settings()
    run(lambda: _ledger().acknowledge(task_id, department, cfg.user))
    click.echo(f"{department} 已签收任务 {task_id}。")


@click.command("close")
@click.argument("task_id", type=int)
@click.option("--note", default="", help="办结说明")
def close_command(task_id: int, note: str) -> None:
    """办结销号 (close a task)."""

    cfg = settings()
    run(lambda: _ledger().close_task(task_id, cfg.user, note))
    click.echo(f"任务 {task_id} 已办结销号。")


@click.command("revise")
@click.argument("task_id", type=int)
@click.option("--targets", required=True, help="调整后的指标，如 新增就业1.8万人以上")
@click.option("--date", "effective", required=True, help="生效日期 2023-07-01")
@click.option("--reason", required=True, help="调整理由")
def revise_command(task_id: int, targets: str, effective: str, reason: str) -> None:
    """年中调整目标：记为带日期的修订，原承诺不变 (a dated target revision)."""

    cfg = settings()
    when = _date(effective)
    assert when is not None
    run(lambda: _ledger().revise_target(task_id, targets, when, reason,
                                                             cfg.user))
    click.echo(f"任务 {task_id} 的目标已调整，自 {when.isoformat()} 起生效；原目标保留。")


@click.command("status")
@click.option("--department", help="只看某单位（牵头或责任）的任务")
@click.option("--overdue", is_flag=True, help="只看逾期任务")
@click.option("--report", "report_id", type=int)
@click.option("--date", "on", help="按某日计算（默认今天）")
def status_command(department: str | None, overdue: bool, report_id: int | None,
                   on: str | None) -> None:
    """红黄绿灯：每项任务的状态和汇总 (status lights and roll-ups)."""
    from rich.table import Table

    from ..track import STATUS_ZH, STATUSES

    cfg = settings()
    ledger = _ledger()
    report = run(lambda: ledger.status(report_id, department, overdue, _date(on),
                                        cfg.thresholds))
    out = console()
    table = Table(title=f"任务状态（{report.today.isoformat()}）")
    for column in ("编号", "序号", "工作任务", "牵头单位", "完成时限", "进度", "状态", "说明"):
        table.add_column(column)
    for r in report.rows:
        progress = "" if r.progress is None else f"{r.progress:.0%}/{r.expected:.0%}"
        table.add_row(str(r.task_id), str(r.seq), plain(r.title[:40]), plain(r.lead),
                      r.deadline.isoformat(), progress, status_markup(r.status), plain(r.reason))
    out.print(table)
    summary = Table(title="按牵头单位汇总")
    summary.add_column("单位")
    for s in STATUSES:
        summary.add_column(STATUS_ZH[s])
    for dept, counts in sorted(report.by_department.items(), key=lambda kv: kv[0] == "合计"):
        summary.add_row(plain(dept), *(str(counts[s]) for s in STATUSES))
    out.print(summary)


@click.command("remind")
@click.option("--days", default=7, show_default=True, help="几天内到期算“临近”")
@click.option("--date", "on", help="按某日计算（默认今天）")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False), help="导出催办清单")
@click.option("--email", is_flag=True, help="按 DUBAN_SMTP_* 设置发邮件给各单位")
def remind_command(days: int, on: str | None, xlsx_out: str | None, email: bool) -> None:
    """催办清单：各单位逾期、临近到期、本月未报送的任务 (reminders)."""

    from ..notify import reminder_text, send_reminders

    cfg = settings()
    reminders = run(lambda: _ledger().reminders(today=_date(on), days=days))
    for reminder in reminders:
        click.echo(reminder_text(reminder))
        click.echo("")
    if xlsx_out:
        from ..office import write_reminders

        run(lambda: write_reminders(Path(xlsx_out), reminders))
        click.echo(f"已导出催办清单：{xlsx_out}")
    if email:
        if cfg.smtp is None:
            die("未设置 DUBAN_SMTP_HOST，无法发送邮件")
        assert cfg.smtp is not None
        smtp = cfg.smtp
        sent = run(lambda: send_reminders(reminders, smtp))
        click.echo(f"已发送催办邮件 {len(sent)} 封：{'、'.join(sent)}")


@click.command("report")
@click.option("--docx", "docx_out", required=True, type=click.Path(dir_okay=False), help="输出 Word 文件")
@click.option("--issue", help="期号，如 2023年第6期（默认按月份）")
@click.option("--date", "on", help="统计日期（默认今天）")
@click.option("--report", "report_id", type=int)
def report_command(docx_out: str, issue: str | None, on: str | None, report_id: int | None) -> None:
    """月度督查通报 (the monthly circular, .docx)."""

    from ..office import write_circular

    cfg = settings()
    ledger = _ledger()
    status = run(lambda: ledger.status(report_id, today=_date(on), thresholds=cfg.thresholds))
    rid, *_ = run(lambda: ledger.plan(report_id))
    info = next(r for r in run(ledger.reports) if r[0] == rid)
    run(lambda: write_circular(Path(docx_out), info[1], info[2], status,
                                issue or f"{status.today.year}年第{status.today.month}期"))
    click.echo(f"已生成督查通报：{docx_out}")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--drop-orphans", is_flag=True,
              help="台账中有上级记录已删除的行时，略去这些行并列出（台账本身不改）")
def backup_command(file: str, drop_orphans: bool) -> None:
    """备份整个台账到一个文件 (back up every table)."""
    from ..store import backup

    ledger = _ledger()
    result = run(lambda: backup(ledger.db, Path(file), drop_orphans))
    for table, keys in result.dropped.items():
        shown = "、".join(keys[:10]) + ("…" if len(keys) > 10 else "")
        console(stderr=True).print(f"[yellow]略去 dropped[/] 表 {plain(table)} {len(keys)} 行"
                                   f"（上级记录已不存在，主键 {plain(shown)}）")
    click.echo(f"已备份到 {file}：" + "，".join(f"{k} {v}" for k, v in result.counts.items() if v))


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="目标库非空时清空后恢复")
def restore_command(file: str, force: bool) -> None:
    """从备份恢复（默认只恢复到空库）(restore a backup)."""
    from ..store import restore, shown_url

    ledger = _ledger()
    counts = run(lambda: restore(ledger.db, Path(file), force))
    click.echo(f"已恢复 {sum(counts.values())} 行到 {shown_url(ledger.db.url)}")


@click.group("departments", invoke_without_command=True)
@click.option("--email", nargs=2, metavar="单位 地址", help="设置单位的催办邮箱")
@click.option("--all", "show_all", is_flag=True, help="也列出已停用的单位")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False),
              help="导出名录为 Excel（可修改后用 duban departments import 导入）")
@click.pass_context
def departments_command(ctx: click.Context, email: tuple[str, str] | None, show_all: bool,
                        xlsx_out: str | None) -> None:
    """部门名录：列出、导入、新增、更名、合并、停用 (the departments, managed).

    Every change is one transaction and is written to the audit log (duban audit).
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    cfg = settings()
    ledger = _ledger()
    if email:
        run(lambda: ledger.set_department_email(email[0], email[1], cfg.user))
    records = run(ledger.directory)
    if xlsx_out:
        from ..office.directory import write_directory

        run(lambda: write_directory(Path(xlsx_out), records))
        click.echo(f"已导出单位名录 {len(records)} 个：{xlsx_out}")
        return
    table = Table(title="部门名录")
    for column in ("编号", "全称", "简称", "上级单位", "职责", "状态"):
        table.add_column(column, overflow="fold")  # a name is never cut short
    for d in records:
        if d.active or show_all:
            table.add_row(str(d.id), plain(d.name), plain("、".join(d.short)), plain(d.parent),
                          plain(d.duties[:40] + ("…" if len(d.duties) > 40 else "")),
                          "在用" if d.active else "[dim]停用[/]")
    console().print(table)


@departments_command.command("import")
@click.argument("sheet", type=click.Path(dir_okay=False))
@click.option("--deactivate-missing", is_flag=True, help="名录中没有的在用单位一并停用")
@click.option("--dry-run", is_flag=True, help="只预览，不写入")
@click.option("--yes", is_flag=True, help="预览后不再询问，直接写入")
def departments_import(sheet: str, deactivate_missing: bool, dry_run: bool, yes: bool) -> None:
    """导入本单位的名录 (.xlsx：单位名称、简称、职责、上级单位)，预览后全部写入或全不写入。"""
    from rich.table import Table

    from ..office.directory import read_directory

    cfg = settings()
    ledger = _ledger()
    rows = run(lambda: read_directory(Path(sheet)))
    changes = run(lambda: ledger.apply_directory(rows, sheet, cfg.user, dry_run=True,
                                                 deactivate_missing=deactivate_missing))
    table = Table(title=f"预览：{len(changes)} 个单位有变化 (preview)")
    for column in ("操作", "单位", "原值", "新值"):
        table.add_column(column)
    for c in changes:
        fields = [k for k in c.after if c.before.get(k, "") != c.after.get(k, "")]
        table.add_row(c.kind_zh, plain(c.name),
                      plain("；".join(f"{k}：{c.before.get(k, '')}" for k in fields if c.before)),
                      plain("；".join(f"{k}：{c.after[k]}" for k in fields)))
    console().print(table)
    if not changes:
        click.echo("名录与台账一致，没有需要写入的修改。")
    elif dry_run:
        click.echo("仅预览，未写入 (dry run)。")
    elif yes or click.confirm("写入以上修改？", default=False):
        done = run(lambda: ledger.apply_directory(rows, sheet, cfg.user,
                                                  deactivate_missing=deactivate_missing))
        click.echo(f"已写入 {len(done)} 个单位的修改。")
    else:
        click.echo("已取消，未写入。")


@departments_command.command("add")
@click.argument("name")
@click.option("--short", default="", help="简称，多个以、分隔")
@click.option("--duties", default="", help="职责（几个词）")
@click.option("--parent", default="", help="上级单位")
def departments_add(name: str, short: str, duties: str, parent: str) -> None:
    """新增一个单位（开发区、街道、融媒体中心……）。"""
    from ..store import split_short

    cfg = settings()
    run(lambda: _ledger().add_department(name, split_short(short), duties, parent, cfg.user))
    click.echo(f"已新增单位：{plain(name)}")


@departments_command.command("rename")
@click.argument("old")
@click.argument("new")
def departments_rename(old: str, new: str) -> None:
    """单位更名（机构改革）：旧名称保留为简称，旧表格仍可识别。"""
    cfg = settings()
    run(lambda: _ledger().rename_department(old, new, cfg.user))
    click.echo(f"已更名：{plain(old)} → {plain(new)}")


@departments_command.command("merge")
@click.argument("source")
@click.argument("into")
def departments_merge(source: str, into: str) -> None:
    """把 SOURCE 并入 INTO：任务、进展、账号随之转移，SOURCE 停用。"""
    cfg = settings()
    moved = run(lambda: _ledger().merge_departments(source, into, cfg.user))
    click.echo(f"已将 {plain(source)} 并入 {plain(into)}，转移任务 {moved} 项")


@departments_command.command("deactivate")
@click.argument("name")
def departments_deactivate(name: str) -> None:
    """停用一个没有未办结任务的单位（有任务请用 merge）。"""
    cfg = settings()
    run(lambda: _ledger().set_department_active(name, False, cfg.user))
    click.echo(f"已停用：{plain(name)}")


@departments_command.command("activate")
@click.argument("name")
def departments_activate(name: str) -> None:
    """重新启用一个已停用的单位。"""
    cfg = settings()
    run(lambda: _ledger().set_department_active(name, True, cfg.user))
    click.echo(f"已启用：{plain(name)}")


@click.command("audit")
@click.option("--limit", default=50, show_default=True)
def audit_command(limit: int) -> None:
    """审计日志：谁、何时、改了什么 (the audit log)."""
    from rich.table import Table

    table = Table(title="审计日志")
    for column in ("编号", "时间", "操作人", "操作", "对象", "修改前", "修改后"):
        table.add_column(column)
    for entry in run(lambda: _ledger().audit_log(limit)):
        i, at, actor, action, entity, entity_id, before, after = entry
        table.add_row(str(i), at.strftime("%Y-%m-%d %H:%M:%S"), plain(actor), action,
                      f"{entity} {entity_id or ''}", plain(before[:60]), plain(after[:60]))
    console().print(table)


COMMANDS = (init_command, import_command, plan_command, progress_command, review_command,
            ack_command, close_command, revise_command, status_command, remind_command,
            report_command, backup_command, restore_command, departments_command, audit_command)
