"""Commands over reports: extract, outline, eval, check."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import console, error, level_option, plain, run, warn

if TYPE_CHECKING:
    from rich.console import Console

    from ..assign import Catalogue
    from ..models import Extraction

OUTPUT_FORMATS = ("json", "csv", "xlsx")


def _expand(paths: tuple[str, ...]) -> list[Path]:
    from ..ingest import FORMATS

    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in FORMATS
                              and not p.name.endswith((".gold.json", ".notes.md"))))
        else:
            out.append(path)
    return out


def analyse_file(path: Path, failures: list[str] | None = None,
                 catalogue: Catalogue | None = None) -> Extraction | None:
    """One report through the pipeline; a failure is one message (and a line in ``failures``)."""
    from ..errors import DubanError
    from ..pipeline import analyse

    try:
        result = analyse(path, catalogue=catalogue, assign=catalogue is not None)
    except DubanError as exc:
        _fail(str(exc), failures)
        return None
    except OSError as exc:
        _fail(f"{path}: 无法打开文件 (cannot open): {exc.strerror}", failures)
        return None
    for warning in result.warnings:
        warn(warning)
    return result


def _fail(message: str, failures: list[str] | None) -> None:
    error(message)
    if failures is not None:
        failures.append(message)


@click.command("extract")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("table",) + OUTPUT_FORMATS), default="table",
              show_default=True, help="输出格式 output format")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False),
              help="输出目录：每个输入写一个 <stem>.<format> (output folder)")
@click.option("--sample", is_flag=True, help="使用内置样例报告 use the bundled sample report")
@level_option
def extract_command(paths: tuple[str, ...], fmt: str, out_dir: str | None, sample: bool,
                    level: str) -> None:
    """抽取报告中的任务、目标与成绩 (extract tasks, targets and achievements).

    PATHS: 报告文件或文件夹 (.txt .docx .pdf .html)，可多个 (files or folders).
    """
    from ..assign import load_catalogue
    from ..data import sample_path
    from ..export import write

    files = _expand(paths) + ([sample_path()] if sample or not paths else [])
    catalogue = run(lambda: load_catalogue(level))
    if fmt == "table" and out_dir:
        raise click.UsageError("--output 需要 --format json|csv|xlsx")
    if fmt != "table" and not out_dir and len(files) == 1:
        result = analyse_file(files[0], catalogue=catalogue)
        if result is None:
            raise SystemExit(1)
        if fmt == "json":
            click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
            return
        raise click.UsageError("csv/xlsx 需要 -o 输出目录 (needs -o OUTDIR)")
    failures: list[str] = []
    if fmt == "table":
        out = console()
        for path in files:
            result = analyse_file(path, failures, catalogue)
            if result is not None:
                show_result(out, result)
    else:
        from rich.progress import Progress

        target = Path(out_dir or ".")
        with Progress(console=console(stderr=True), transient=False) as progress:
            task = progress.add_task("抽取中 extracting", total=len(files))
            for path in files:
                result = analyse_file(path, failures, catalogue)
                if result is not None:
                    run(lambda: write(result, target, path.stem, fmt))
                progress.advance(task)
    if failures:
        err = console(stderr=True)
        err.print(f"[bold red]{len(failures)} 个文件失败 ({len(failures)} failed)，"
                  f"{len(files) - len(failures)} 个成功：[/]")
        for line in failures:
            err.print(f"  - {plain(line)}")
        raise SystemExit(1)


def show_outline(out: Console, result: Extraction) -> None:
    from rich.tree import Tree

    from ..export import PART_ZH

    tree = Tree(f"[bold]{plain(result.report.source)}[/]  年份 {result.year or '未知'}")
    branches: dict[int, Tree] = {}
    for section in result.outline:
        number = f"{section.number}{'、' if section.level == 1 and section.number else ''}"
        label = (f"{plain(number + section.title)}  "
                 f"[dim]{PART_ZH.get(section.kind, '')} \\[{section.start},{section.end})[/]")
        if section.level == 1:
            branches = {1: tree.add(label)}
        elif section.level == 2:
            branches[2] = branches.get(1, tree).add(label)
        else:
            (branches.get(2) or branches.get(1) or tree).add(label)
    out.print(tree)


def show_result(out: Console, result: Extraction) -> None:
    from rich.table import Table

    from ..export import KIND_ZH, ROLE_ZH

    show_outline(out, result)
    table = Table(title="目标与成绩 targets and achievements", show_lines=False)
    for column in ("角色", "指标", "数值", "单位", "比较", "原文", "位置"):
        table.add_column(column)
    for q in result.quantities:
        value = "" if q.value is None else f"{q.value:,.10g}"
        table.add_row(ROLE_ZH[q.role], plain(q.indicator), value, q.unit, q.comparator,
                      plain(q.quote), f"[{q.start},{q.end})")
    out.print(table)
    tasks = Table(title="任务 tasks", show_lines=False)
    for column in ("序号", "类型", "任务", "建议牵头", "建议配合", "位置"):
        tasks.add_column(column)
    for i, t in enumerate(result.tasks, 1):
        tasks.add_row(str(i), KIND_ZH[t.kind], plain(t.quote), t.lead or "待定", "、".join(t.co),
                      f"[{t.start},{t.end})")
    out.print(tasks)
    if result.terms:
        out.print("提法 formulas: " + plain("、".join(sorted({t.text for t in result.terms}))))


@click.command("outline")
@click.argument("report", type=click.Path())
def outline_command(report: str) -> None:
    """打印报告提纲 (print the report's outline)."""
    result = analyse_file(Path(report))
    if result is None:
        raise SystemExit(1)
    show_outline(console(), result)


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--keep", type=click.Path(file_okay=False), help="保留预测文件的目录 keep predictions")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def eval_command(gold_dir: str, keep: str | None, as_json: bool) -> None:
    """在标注集上评测抽取质量 (score the extractor on an annotated folder)."""
    from rich.table import Table

    from ..evaluate import evaluate

    result = run(lambda: evaluate(Path(gold_dir), Path(keep) if keep else None))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"score.py @ {plain(gold_dir)}")
    for column in ("文档", "角色", "gold", "pred", "det.F1", "strictF1", "cmp", "ind"):
        table.add_column(column)
    rows = list(result["documents"].items()) + [("TOTAL", result["total"])]
    for name, scores in rows:
        for role in ("target", "achievement"):
            x = scores[role]
            table.add_row(plain(name), role, str(x["gold"]), str(x["pred"]),
                          f"{x['detect_f1']:.3f}", f"{x['strict_f1']:.3f}",
                          f"{x['comparator_acc']:.2f}", f"{x['indicator_acc']:.2f}")
    out = console()
    out.print(table)
    if "tasks" in result:
        t = result["tasks"]["total"]
        out.print(f"tasks (score_tasks.py): F1 {t['f1']:.3f}  kind {t['kind_acc']:.2f}  "
                  f"lead {t['lead_acc']:.2f}  ({t['pred']} pred / {t['gold']} gold)")


@click.command("check")
@click.argument("earlier", type=click.Path())
@click.argument("later", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("table", "json", "xlsx")), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="xlsx 输出文件")
def check_command(earlier: str, later: str, fmt: str, output: str | None) -> None:
    """兑现检查：第 N 年目标对照第 N+1 年回顾 (year N's targets against year N+1's review).

    EARLIER: 第 N 年报告；LATER: 第 N+1 年报告（同一政府）。
    """
    from rich.table import Table

    from ..track.promise import VERDICT_ZH, check_promises

    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx 需要 -o 输出文件")
    first = analyse_file(Path(earlier))
    second = analyse_file(Path(later))
    if first is None or second is None:
        raise SystemExit(1)
    if first.year and second.year and second.year != first.year + 1:
        warn(f"年份不相邻：{first.year} → {second.year}")
    links = check_promises(first, second)
    if fmt == "json":
        click.echo(json.dumps({"target_document": earlier, "outcome_document": later,
                               "links": [link.to_json() for link in links]},
                              ensure_ascii=False, indent=1))
        return
    if fmt == "xlsx":
        from ..office.promise import write_report_card

        assert output is not None
        run(lambda: write_report_card(Path(output), earlier, later, links))
        click.echo(f"已导出兑现检查：{output}")
        return
    table = Table(title=f"兑现检查：{first.year or plain(earlier)} 年目标 → "
                        f"{second.year or plain(later)} 年回顾")
    for column in ("指标", "目标", "结果", "结论", "依据"):
        table.add_column(column)
    for link in links:
        outcome = link.outcome.quote if link.outcome else "—"
        table.add_row(plain(link.target.indicator), plain(link.target.quote), plain(outcome),
                      VERDICT_ZH[link.verdict], plain(link.reason))
    out = console()
    out.print(table)
    counts: dict[str, int] = {}
    for link in links:
        counts[VERDICT_ZH[link.verdict]] = counts.get(VERDICT_ZH[link.verdict], 0) + 1
    out.print("，".join(f"{k}{v}项" for k, v in counts.items()))


COMMANDS = (extract_command, outline_command, eval_command, check_command)
