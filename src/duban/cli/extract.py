"""Commands over reports: extract, outline, eval, check."""
from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import console, error, level_option, plain, run, warn

if TYPE_CHECKING:
    from rich.console import Console

    from ..assign import Catalogue
    from ..models import Extraction

OUTPUT_FORMATS = ("json", "csv", "xlsx")
# An output file's stem, in UTF-8 bytes: most file systems allow 255 bytes a name, and the
# writer adds ".<stem>.<format>.partial" around it, and a batch "-<n>" to tell two inputs apart
STEM_BYTES = 200
_HASH = 8  # hex digits of the full stem kept when a stem had to be shortened


def _expand(paths: tuple[str, ...], failures: list[str]) -> list[Path]:
    """The report files of ``paths``: files as given (each checked when it is read), folders
    searched for report files (symlinked folders followed once); each input once."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _walk(path, failures)
            if not found:
                from ..ingest import FORMATS
                _fail(f"{path}: 文件夹里没有报告文件 ({' '.join(sorted(FORMATS))}) "
                      f"(no report files in this folder)", failures)
            out.extend(found)
        else:
            out.append(path)
    seen: set[str] = set()
    unique = []
    for path in out:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _walk(folder: Path, failures: list[str]) -> list[Path]:
    from ..ingest import FORMATS

    def unreadable(exc: OSError) -> None:
        _fail(f"{exc.filename}: 无法读取文件夹 (cannot list the folder): {exc.strerror}", failures)

    found: list[Path] = []
    visited: set[str] = set()
    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:  # a symlink loop, or a folder reached twice
            dirs[:] = []
            continue
        visited.add(real)
        # every entry that is not a folder: a FIFO or a device named .txt is refused by name
        # when it is read, not skipped in silence
        found.extend(Path(root, name) for name in names
                     if Path(name).suffix.lower() in FORMATS
                     and not name.endswith((".gold.json", ".notes.md")))
    return sorted(found)


def safe_stem(stem: str, limit: int = STEM_BYTES) -> str:
    """``stem`` within ``limit`` UTF-8 bytes: cut at a character, a hash of the whole added so
    that two long names that begin alike stay apart."""
    if len(stem.encode("utf-8", "surrogateescape")) <= limit:
        return stem
    digest = hashlib.sha1(stem.encode("utf-8", "surrogateescape")).hexdigest()[:_HASH]
    head = stem.encode("utf-8", "surrogateescape")[:limit - _HASH - 1]
    return head.decode("utf-8", "ignore").rstrip(" .") + "~" + digest


def output_stems(files: list[Path]) -> dict[Path, str]:
    """Each input its own output stem: its own stem when no other input has it (compared as a
    case-insensitive file system does), else ``<stem>-2``, ``-3`` … in the order given."""
    def key(stem: str) -> str:
        return unicodedata.normalize("NFC", stem).casefold()

    wanted = {path: safe_stem(path.stem) for path in files}
    taken = {key(stem) for stem in wanted.values()}
    used: set[str] = set()
    out: dict[Path, str] = {}
    for path in files:
        stem = wanted[path]
        if key(stem) in used:
            n = 2
            while key(f"{stem}-{n}") in taken or key(f"{stem}-{n}") in used:
                n += 1
            stem = f"{stem}-{n}"
        used.add(key(stem))
        out[path] = stem
    return out


def write_output(result: Extraction, target: Path, stem: str, fmt: str) -> Path:
    """Write one output into ``target``: made in a scratch folder beside it and moved in with
    one rename, so the file appears whole or not at all, and no partial file is left behind."""
    import shutil
    import tempfile

    from ..export import write

    scratch = Path(tempfile.mkdtemp(prefix=".duban-", dir=target))
    try:
        made = write(result, scratch, stem, fmt)
        final = target / made.name
        os.replace(made, final)
        return final
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


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
    except Exception as exc:  # noqa: BLE001 - one report's bug must not stop a batch
        _fail(f"{path}: 内部错误，请报告此文件 (internal error, please report this file): "
              f"{type(exc).__name__}: {exc}", failures)
        return None
    for warning in result.report.warnings + result.warnings:
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
              help="输出目录：每个输入写一个 <stem>.<format>，同名的输入依次加 -2、-3 (output folder)")
@click.option("--sample", is_flag=True, help="使用内置样例报告 use the bundled sample report")
@level_option
def extract_command(paths: tuple[str, ...], fmt: str, out_dir: str | None, sample: bool,
                    level: str) -> None:
    """抽取报告中的任务、目标与成绩 (extract tasks, targets and achievements).

    PATHS: 报告文件或文件夹 (.txt .docx .pdf .html)，可多个 (files or folders).
    """
    from ..assign import load_catalogue
    from ..data import sample_path

    if fmt == "table" and out_dir:
        raise click.UsageError("--output 需要 --format json|csv|xlsx")
    failures: list[str] = []
    files = _expand(paths, failures) + ([sample_path()] if sample or not paths else [])
    catalogue = run(lambda: load_catalogue(level))
    if fmt != "table" and not out_dir and len(files) == 1 and not failures:
        result = analyse_file(files[0], catalogue=catalogue)
        if result is None:
            raise SystemExit(1)
        if fmt == "json":
            click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
            return
        raise click.UsageError("csv/xlsx 需要 -o 输出目录 (needs -o OUTDIR)")
    if fmt != "table" and not out_dir:
        raise click.UsageError("多个输入需要 -o 输出目录 (several inputs need -o OUTDIR)")
    done = 0
    if fmt == "table":
        out = console()
        for path in files:
            result = analyse_file(path, failures, catalogue)
            if result is not None:
                show_result(out, result)
                done += 1
    else:
        done = _extract_to_files(files, Path(out_dir or "."), fmt, failures, catalogue)
    if failures:
        err = console(stderr=True)
        err.print(f"[bold red]{len(failures)} 个文件失败 ({len(failures)} failed)，"
                  f"{done} 个成功 ({done} done)：[/]")
        for line in failures:
            err.print(f"  - {plain(line)}")
        raise SystemExit(1)


def _extract_to_files(files: list[Path], target: Path, fmt: str, failures: list[str],
                      catalogue: Catalogue) -> int:
    """Each report to its own file in ``target``; the number written."""
    from rich.progress import Progress

    run(lambda: target.mkdir(parents=True, exist_ok=True))
    stems = output_stems(files)
    err = console(stderr=True)
    written = 0
    with Progress(console=err, transient=False) as progress:
        task = progress.add_task("抽取中 extracting", total=len(files))
        for path in files:
            result = analyse_file(path, failures, catalogue)
            if result is not None:
                try:
                    final = write_output(result, target, stems[path], fmt)
                except OSError as exc:
                    _fail(f"{path}: 无法写出结果 (cannot write the output) "
                          f"{target / (stems[path] + '.' + fmt)}: {exc.strerror or exc}", failures)
                else:
                    written += 1
                    if stems[path] != path.stem:
                        progress.console.print(f"输出改名 (output renamed): {plain(path)} → "
                                               f"{plain(final)}")
            progress.advance(task)
    err.print(f"已写出 {written} 个文件 ({written} written) → {plain(target)}")
    return written


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
    for column in ("指标", "目标", "结果", "结论", "置信", "依据"):
        table.add_column(column, no_wrap=column in ("结论", "置信"))
    for link in links:
        outcome = link.outcome.quote if link.outcome else "—"
        # how sure the link is: an honest 未提及 claims nothing
        sure = f"{link.confidence:.2f}" if link.outcome is not None else "—"
        table.add_row(plain(link.target.indicator), plain(link.target.quote), plain(outcome),
                      VERDICT_ZH[link.verdict], sure, plain(link.reason))
    out = console()
    out.print(table)
    counts: dict[str, int] = {}
    for link in links:
        counts[VERDICT_ZH[link.verdict]] = counts.get(VERDICT_ZH[link.verdict], 0) + 1
    out.print("，".join(f"{k}{v}项" for k, v in counts.items()))


COMMANDS = (extract_command, outline_command, eval_command, check_command)
