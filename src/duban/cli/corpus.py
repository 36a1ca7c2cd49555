"""Commands over whole corpora: batch, corpus report."""
from __future__ import annotations

from pathlib import Path

import click

from ._common import console, plain, run


@click.command("batch")
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
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn,
    )

    from ..corpus import base_name, run_batch

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.fields[file]}"))
    with Progress(*columns, console=console(stderr=True)) as bar:
        task = bar.add_task("抽取中 extracting", total=None, file="")

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total,
                       file=plain(base_name(path)) if path else "")

        result = run(lambda: run_batch(source, Path(out), engine, workers, address, progress))
    counts = "，".join(f"{k} {v}" for k, v in result.counts.items())
    rate = result.megabytes / result.seconds if result.seconds else 0.0
    click.echo(f"完成：新抽取 {result.done} 份，沿用 {result.reused} 份；{counts}；"
               f"{result.seconds:.1f} s，{rate:.2f} MB/s → {out}")
    if result.failures:
        err = console(stderr=True)
        err.print(f"[bold red]{len(result.failures)} 份失败（见 {plain(out)}/failures.csv）：[/]")
        for _, message in result.failures:
            err.print(f"  - {plain(message)}")
        raise SystemExit(1)


@click.group("corpus")
def corpus_group() -> None:
    """数据集的报告 (reports on a dataset made by duban batch)."""


@corpus_group.command("report")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def corpus_report_command(dataset: str, output: str) -> None:
    """生成自包含的 HTML 图表页（无需联网）(a self-contained HTML page of charts)."""
    from ..corpus.report import write_report

    run(lambda: write_report(Path(dataset), Path(output)))
    click.echo(f"已生成：{output}")


COMMANDS = (batch_command, corpus_group)
