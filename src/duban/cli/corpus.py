"""Commands over whole corpora: batch, corpus report, corpus export."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import console, plain, run


@click.command("batch")
@click.argument("source")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False),
              help="输出目录（如 corpus.parquet/）：按层级与年份分区的 Parquet 表、reports.csv、README.md")
@click.option("--engine", type=click.Choice(("local", "ray")), default="local", show_default=True,
              help="local：本机多进程；ray：Ray 任务（本机或 --address 指定的集群）")
@click.option("--workers", type=click.IntRange(1, 512), help="并行数（默认全部 CPU）")
@click.option("--address", help="Ray 集群地址，如 ray://head:10001")
def batch_command(source: str, out: str, engine: str, workers: int | None,
                  address: str | None) -> None:
    """批量抽取语料为数据集，可断点续跑 (a whole corpus -> one dataset; resumable).

    SOURCE: 文件夹（.md .txt .docx .pdf .html；路径中的地名、层级与年份会被读取）、通配符
    （如 'raw/*.txt'）、清单 CSV（path,government,level,year：清单优先于路径与正文），
    或对象存储前缀 s3://bucket/prefix（需 duban[s3]；凭据与端点取自环境变量
    AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY、AWS_ENDPOINT_URL）。
    Ctrl-C 或 SIGTERM 会停止所有工作进程并保留已完成的报告；再次运行即从中断处继续。
    """
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn,
    )

    from ..corpus import Interrupted, base_name, run_batch
    from ..corpus.batch import PHASES

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.fields[file]}"))
    try:
        with Progress(*columns, console=console(stderr=True)) as bar:
            task = bar.add_task("抽取中 extracting", total=None, file="")

            def progress(done: int, total: int, label: str) -> None:
                phase = label in PHASES
                bar.update(task, completed=done, total=total,
                           description=label if phase else "抽取中 extracting",
                           file="" if phase or not label else plain(base_name(label)))

            result = run(lambda: run_batch(source, Path(out), engine, workers, address, progress))
    except Interrupted as stop:
        console(stderr=True).print(
            f"[bold yellow]已中断 ({plain(stop)})：工作进程已停止，已完成的报告保留在 {plain(out)}/.parts；"
            f"再次运行同一命令即可续跑 (stopped; finished reports kept, run again to resume)[/]")
        sys.exit(128 + stop.signum)
    counts = "，".join(f"{k} {v}" for k, v in result.counts.items())
    rate = (result.done / result.seconds) if result.seconds else 0.0
    click.echo(f"完成：新抽取 {result.done} 份，沿用 {result.reused} 份；{counts}；"
               f"{result.seconds:.1f} s，{rate:.1f} 份/s，输出 {result.output_megabytes:.1f} MB → {out}")
    if result.skipped:
        click.echo("跳过（不是报告）: " + "，".join(f"{k} {v} 个" for k, v in
                                              sorted(result.skipped.items(), key=lambda kv: -kv[1])))
    if result.failures:
        err = console(stderr=True)
        err.print(f"[bold red]{len(result.failures)} 份失败（见 {plain(out)}/failures.csv）：[/]")
        for _, message in result.failures:
            err.print(f"  - {plain(message)}")
        raise SystemExit(1)


@click.group("corpus")
def corpus_group() -> None:
    """数据集的报告与导出 (reports on and exports of a dataset made by duban batch)."""


@corpus_group.command("report")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def corpus_report_command(dataset: str, output: str) -> None:
    """生成自包含的 HTML 报告（无需联网）(a self-contained HTML page: series, verdicts,
    data quality, codebook, downloads)."""
    from ..corpus.report import write_report

    run(lambda: write_report(Path(dataset), Path(output)))
    click.echo(f"已生成：{output}")


@corpus_group.command("export")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.argument("table", type=click.Choice(("reports", "tasks", "quantities", "links")))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出文件：.csv（UTF-8，带 BOM）或 .dta（Stata 14 及以后，格式 118，列带中文标签）")
@click.option("--standard", help="只导出此标准指标，如 gdp_growth")
@click.option("--level", type=click.Choice(("national", "province", "city", "district", "county")))
@click.option("--role", type=click.Choice(("target", "achievement")))
def corpus_export_command(dataset: str, table: str, output: str, standard: str | None,
                          level: str | None, role: str | None) -> None:
    """把一张表（可筛选）导出为 CSV 或 Stata .dta (one table, filtered, as CSV or .dta; level and year included)."""
    from ..corpus.report import export_table

    rows = run(lambda: export_table(Path(dataset), table, Path(output), standard=standard,
                                    level=level, role=role))
    click.echo(f"已导出 {rows} 行：{output}")


COMMANDS = (batch_command, corpus_group)
