"""The ``duban`` command: thin commands over library functions."""
from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from .assign import Catalogue, load_catalogue
from .errors import DubanError
from .export import FORMATS, KIND_ZH, PART_ZH, ROLE_ZH, write
from .ingest import FORMATS as INPUT_SUFFIXES
from .models import Extraction
from .pipeline import analyse

SAMPLE = "qingyang-2023-excerpt.txt"


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def sample_path() -> Path:
    """The sample report bundled with the package."""
    return Path(str(resources.files("duban.data").joinpath("sample", SAMPLE)))


def _expand(paths: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                              and not p.name.endswith((".gold.json", ".notes.md"))))
        else:
            out.append(path)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="duban")
def main() -> None:
    """督办 duban：从政府工作报告到任务分工与督办台账。

    From a government work report to quoted tasks, targets and achievements.
    """


@main.command("extract")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("table",) + FORMATS), default="table",
              show_default=True, help="输出格式 output format")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False),
              help="输出目录：每个输入写一个 <stem>.<format> (output folder)")
@click.option("--sample", is_flag=True, help="使用内置样例报告 use the bundled sample report")
@click.option("--level", type=click.Choice(("district", "county", "city", "province", "national")),
              default="district", show_default=True,
              help="政府层级，决定建议的部门名称 (government level for department names)")
def extract_command(paths: tuple[str, ...], fmt: str, out_dir: str | None, sample: bool,
                    level: str) -> None:
    """抽取报告中的任务、目标与成绩 (extract tasks, targets and achievements).

    PATHS: 报告文件或文件夹 (.txt .docx .pdf .html)，可多个 (files or folders).
    """
    files = _expand(paths) + ([sample_path()] if sample or not paths else [])
    console = _console()
    catalogue = load_catalogue(level)
    if fmt == "table" and out_dir:
        raise click.UsageError("--output 需要 --format json|csv|xlsx")
    if fmt != "table" and not out_dir and len(files) == 1:
        result = _run_one(files[0], catalogue=catalogue)
        if result is None:
            sys.exit(1)
        if fmt == "json":
            click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
            return
        raise click.UsageError("csv/xlsx 需要 -o 输出目录 (needs -o OUTDIR)")
    failures: list[str] = []
    if fmt == "table":
        for path in files:
            result = _run_one(path, failures, catalogue)
            if result is not None:
                show_result(console, result)
    else:
        assert out_dir is not None or fmt == "json"
        target = Path(out_dir or ".")
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=False) as progress:
            task = progress.add_task("抽取中 extracting", total=len(files))
            for path in files:
                result = _run_one(path, failures, catalogue)
                if result is not None:
                    write(result, target, path.stem, fmt)
                progress.advance(task)
    if failures:
        err = Console(stderr=True, highlight=False)
        err.print(f"[bold red]{len(failures)} 个文件失败 ({len(failures)} failed)，"
                  f"{len(files) - len(failures)} 个成功：[/]")
        for line in failures:
            err.print(f"  - {line}")
        sys.exit(1)


def _run_one(path: Path, failures: list[str] | None = None,
             catalogue: Catalogue | None = None) -> Extraction | None:
    try:
        result = analyse(path, catalogue=catalogue, assign=catalogue is not None)
    except DubanError as exc:
        _fail(str(exc), failures)
        return None
    except OSError as exc:
        _fail(f"{path}: 无法打开文件 (cannot open): {exc.strerror}", failures)
        return None
    for warning in result.warnings:
        Console(stderr=True, highlight=False).print(f"[yellow]警告 warning[/] {warning}")
    return result


def _fail(message: str, failures: list[str] | None) -> None:
    Console(stderr=True, highlight=False).print(f"[bold red]错误 error[/] {message}")
    if failures is not None:
        failures.append(message)


def show_outline(console: Console, result: Extraction) -> None:
    tree = Tree(f"[bold]{result.report.source}[/]  年份 {result.year or '未知'}")
    branches: dict[int, Tree] = {}
    for section in result.outline:
        label = f"{section.number}{'、' if section.level == 1 and section.number else ''}" \
                f"{section.title}  [dim]{PART_ZH.get(section.kind, '')} [{section.start},{section.end})[/]"
        if section.level == 1:
            branches = {1: tree.add(label)}
        elif section.level == 2:
            parent = branches.get(1, tree)
            branches[2] = parent.add(label)
        else:
            parent = branches.get(2) or branches.get(1) or tree
            parent.add(label)
    console.print(tree)


def show_result(console: Console, result: Extraction) -> None:
    show_outline(console, result)
    table = Table(title="目标与成绩 targets and achievements", show_lines=False)
    for column in ("角色", "指标", "数值", "单位", "比较", "原文", "位置"):
        table.add_column(column)
    for q in result.quantities:
        value = "" if q.value is None else f"{q.value:,.10g}"
        table.add_row(ROLE_ZH[q.role], q.indicator, value, q.unit, q.comparator, q.quote,
                      f"[{q.start},{q.end})")
    console.print(table)
    tasks = Table(title="任务 tasks", show_lines=False)
    for column in ("序号", "类型", "任务", "建议牵头", "建议配合", "位置"):
        tasks.add_column(column)
    for i, t in enumerate(result.tasks, 1):
        tasks.add_row(str(i), KIND_ZH[t.kind], t.quote, t.lead or "待定", "、".join(t.co),
                      f"[{t.start},{t.end})")
    console.print(tasks)
    if result.terms:
        console.print("提法 formulas: " + "、".join(sorted({t.text for t in result.terms})))


@main.command("outline")
@click.argument("report", type=click.Path())
def outline_command(report: str) -> None:
    """打印报告提纲 (print the report's outline)."""
    result = _run_one(Path(report))
    if result is None:
        sys.exit(1)
    show_outline(_console(), result)


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--keep", type=click.Path(file_okay=False), help="保留预测文件的目录 keep predictions")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出")
def eval_command(gold_dir: str, keep: str | None, as_json: bool) -> None:
    """在标注集上评测抽取质量 (score the extractor on an annotated folder)."""
    from .evaluate import evaluate

    try:
        result = evaluate(Path(gold_dir), Path(keep) if keep else None)
    except DubanError as exc:
        _fail(str(exc), None)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"score.py @ {gold_dir}")
    for column in ("文档", "角色", "gold", "pred", "det.F1", "strictF1", "cmp", "ind"):
        table.add_column(column)
    rows = list(result["documents"].items()) + [("TOTAL", result["total"])]
    for name, scores in rows:
        for role in ("target", "achievement"):
            x = scores[role]
            table.add_row(name, role, str(x["gold"]), str(x["pred"]), f"{x['detect_f1']:.3f}",
                          f"{x['strict_f1']:.3f}", f"{x['comparator_acc']:.2f}",
                          f"{x['indicator_acc']:.2f}")
    console = _console()
    console.print(table)
    if "tasks" in result:
        t = result["tasks"]["total"]
        console.print(f"tasks (score_tasks.py): F1 {t['f1']:.3f}  kind {t['kind_acc']:.2f}  "
                      f"lead {t['lead_acc']:.2f}  ({t['pred']} pred / {t['gold']} gold)")


from .cli_ledger import register  # noqa: E402 - the ledger commands join the same group

register(main)


@main.command("check")
@click.argument("earlier", type=click.Path())
@click.argument("later", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("table", "json", "xlsx")), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="xlsx 输出文件")
def check_command(earlier: str, later: str, fmt: str, output: str | None) -> None:
    """兑现检查：第 N 年目标对照第 N+1 年回顾 (year N's targets against year N+1's review).

    EARLIER: 第 N 年报告；LATER: 第 N+1 年报告（同一政府）。
    """
    from .track.promise import VERDICT_ZH, check_promises

    first = _run_one(Path(earlier))
    second = _run_one(Path(later))
    if first is None or second is None:
        sys.exit(1)
    if first.year and second.year and second.year != first.year + 1:
        Console(stderr=True).print(f"[yellow]警告 warning[/] 年份不相邻：{first.year} → {second.year}")
    links = check_promises(first, second)
    if fmt == "json":
        click.echo(json.dumps({"target_document": earlier, "outcome_document": later,
                               "links": [link.to_json() for link in links]},
                              ensure_ascii=False, indent=1))
        return
    if fmt == "xlsx":
        if not output:
            raise click.UsageError("--format xlsx 需要 -o 输出文件")
        from .office.promise import write_report_card

        write_report_card(Path(output), earlier, later, links)
        click.echo(f"已导出兑现检查：{output}")
        return
    table = Table(title=f"兑现检查：{first.year or earlier} 年目标 → {second.year or later} 年回顾")
    for column in ("指标", "目标", "结果", "结论", "依据"):
        table.add_column(column)
    for link in links:
        outcome = link.outcome.quote if link.outcome else "—"
        table.add_row(link.target.indicator, link.target.quote, outcome, VERDICT_ZH[link.verdict],
                      link.reason)
    console = _console()
    console.print(table)
    counts: dict[str, int] = {}
    for link in links:
        counts[VERDICT_ZH[link.verdict]] = counts.get(VERDICT_ZH[link.verdict], 0) + 1
    console.print("，".join(f"{k}{v}项" for k, v in counts.items()))


@main.command("batch")
@click.argument("source")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False),
              help="输出目录（如 corpus.parquet/）：各表的 Parquet 与 CSV")
@click.option("--engine", type=click.Choice(("local", "ray")), default="local", show_default=True,
              help="local：本机多进程；ray：Ray 任务（本机或 --address 指定的集群）")
@click.option("--workers", type=click.IntRange(1, 512), help="并行数（默认全部 CPU）")
@click.option("--address", help="Ray 集群地址，如 ray://head:10001")
def batch_command(source: str, out: str, engine: str, workers: int | None,
                  address: str | None) -> None:
    """批量抽取语料为数据集，可断点续跑 (a whole corpus -> one dataset; resumable).

    SOURCE: 文件夹、通配符（如 'raw/*.txt'）、清单 CSV（path,government,level,year），
    或对象存储前缀 s3://bucket/prefix（需 duban[s3]；凭据与端点取自环境变量
    AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY、AWS_ENDPOINT_URL）。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .corpus import run_batch
    from .corpus._sources import base_name

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.fields[file]}"))
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("抽取中 extracting", total=None, file="")

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, file=base_name(path) if path else "")

        try:
            result = run_batch(source, Path(out), engine, workers, address, progress)
        except DubanError as exc:
            _fail(str(exc), None)
            sys.exit(1)
    counts = "，".join(f"{k} {v}" for k, v in result.counts.items())
    rate = result.megabytes / result.seconds if result.seconds else 0.0
    click.echo(f"完成：新抽取 {result.done} 份，沿用 {result.reused} 份；{counts}；"
               f"{result.seconds:.1f} s，{rate:.2f} MB/s → {out}")
    if result.failures:
        err = Console(stderr=True, highlight=False)
        err.print(f"[bold red]{len(result.failures)} 份失败（见 {out}/failures.csv）：[/]")
        for _, error in result.failures:
            err.print(f"  - {error}")
        sys.exit(1)


@main.group("corpus")
def corpus_group() -> None:
    """数据集的报告 (reports on a dataset made by duban batch)."""


@corpus_group.command("report")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def corpus_report_command(dataset: str, output: str) -> None:
    """生成自包含的 HTML 图表页（无需联网）(a self-contained HTML page of charts)."""
    from .corpus.report import write_report

    try:
        write_report(Path(dataset), Path(output))
    except DubanError as exc:
        _fail(str(exc), None)
        sys.exit(1)
    click.echo(f"已生成：{output}")
