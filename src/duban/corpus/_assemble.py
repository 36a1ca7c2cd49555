"""The dataset's tables, a chunk at a time: Parquet files partitioned by level and year
(Hive style: ``quantities/level=city/year=2020/part-000.parquet``), each chunk at most
``CHUNK`` reports, so a task's memory does not grow with the corpus; a chunk is rebuilt only
when what goes into it changed.
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from ._records import decode_part

ASSEMBLY_VERSION = 1  # bump when the tables' layout changes: every chunk is rebuilt
CHUNK = 64  # reports a chunk at most
TABLES = ("reports", "tasks", "quantities", "links")
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # a missing level or year, as Hive writes it

# every table's columns: (name, type, meaning). Level and year are the partition's, in its
# path. The codebook of the corpus report and of the dataset's README is made from this.
SCHEMAS: dict[str, list[tuple[str, str, str]]] = {
    "reports": [
        ("report_id", "str", "报告标识：文件内容的 SHA-256 前 16 位 (first 16 hex digits of the file's SHA-256)"),
        ("government", "str", "政府 (the government that gave the report)"),
        ("region", "str", "所属：省级为大区，市级为所在省 (a province's macro-region, a city's province)"),
        ("path", "str", "文件路径 (the file as given)"),
        ("file", "str", "文件名 (file name)"),
        ("title", "str", "前言中的标题 (title in the front matter)"),
        ("source_url", "str", "前言中的来源网址 (source URL in the front matter)"),
        ("delivered", "str", "报告日期，年-月 (delivery date the text states, YYYY-MM)"),
        ("format", "str", "文件格式 (md, txt, docx, pdf, html)"),
        ("chars", "int", "原文字符数 (characters of the file as given)"),
        ("parts", "int", "一级部分数 (parts of the outline)"),
        ("review_parts", "int", "回顾部分数 (parts reviewing the past)"),
        ("plan_parts", "int", "计划与目标部分数 (parts planning ahead)"),
        ("targets", "int", "目标数 (quantified targets)"),
        ("achievements", "int", "成绩数 (quantified achievements)"),
        ("standard_targets", "int", "有标准指标的目标数 (targets with a standard indicator)"),
        ("tasks", "int", "任务数 (tasks of the draft task plan)"),
        ("terms", "int", "提法数 (numbered formulas such as 三区三线)"),
        ("flags", "str", "质量标记，空格分隔，见下表 (quality flags, space-separated; see the table of flags)"),
        ("year_source", "str", "年份依据：manifest 清单 / path 路径 / text 正文日期与部分 / front 前言 / parts / date / content"),
        ("government_source", "str", "政府依据：manifest / path / front / text"),
        ("sources", "str", "各来源所说的年份 (what each source says: path=2016 front=2016 date=2015 parts=2016)"),
        ("duplicate_of", "str", "同一政府同一年的首选报告标识，本报告非首选时 (report_id of the preferred report of the same government-year)"),
        ("preferred", "bool", "同一政府同一年中的首选报告，兑现检查只用首选 (preferred report of its government-year; links use it)"),
        ("warnings", "str", "读取与抽取的提示 (warnings of reading and extraction)"),
    ],
    "tasks": [
        ("report_id", "str", "报告标识 (report)"),
        ("government", "str", "政府 (government)"),
        ("index", "int", "报告内序号 (order in the report)"),
        ("start", "int", "原文起始位置，含 (start offset in the file as given, inclusive)"),
        ("end", "int", "原文结束位置，不含 (end offset, exclusive)"),
        ("quote", "str", "原文 (the task's words)"),
        ("kind", "str", "任务类型 target/project/honour/policy"),
        ("section", "str", "所在部分 (outline path)"),
        ("lead", "str", "建议牵头单位 (suggested lead unit)"),
        ("co", "str", "建议责任单位，顿号分隔 (suggested co-responsible units)"),
        ("confidence", "float", "建议的把握 0–1 (confidence of the suggestion)"),
        ("quantities", "int", "任务中的量化目标数 (quantities in the task)"),
    ],
    "quantities": [
        ("report_id", "str", "报告标识 (report)"),
        ("government", "str", "政府 (government)"),
        ("index", "int", "报告内序号 (order in the report)"),
        ("start", "int", "原文起始位置 (start offset in the file as given)"),
        ("end", "int", "原文结束位置，不含 (end offset, exclusive)"),
        ("quote", "str", "原文数字与单位 (the figure as written)"),
        ("role", "str", "target 目标 / achievement 成绩"),
        ("value", "float", "数值，折算到基本单位 (value in the base unit: 元, 人, 吨 …)"),
        ("upper", "float", "区间上限 (upper end of a range)"),
        ("unit", "str", "基本单位 (base unit)"),
        ("comparator", "str", "= >= <= ~ range"),
        ("indicator", "str", "报告原话中的指标 (the indicator in the report's words)"),
        ("standard", "str", "标准指标代码，见指标表 (standard indicator code; see the table of indicators)"),
        ("period", "str", "时期：year 当年 / multi_year 多年合计或平均（五年来、累计、年均）/ level 水平（余额、达到）(the period the figure covers)"),
        ("in_target_list", "bool", "在当年主要预期目标的列举中（今年…主要预期目标是：…）(a target in the year's list of main targets)"),
        ("modality", "str", "语气 (modality: 力争, 确保 …)"),
        ("rule", "str", "抽取规则 (extraction rule)"),
        ("role_rule", "str", "定性规则 (role rule)"),
    ],
    "links": [
        ("government", "str", "政府 (government)"),
        ("index", "int", "目标在第 N 年报告中的序号 (order of the target)"),
        ("target_report_id", "str", "第 N 年报告 (report of year N)"),
        ("outcome_report_id", "str", "第 N+1 年报告 (report of year N+1)"),
        ("target_start", "int", "目标在第 N 年原文中的位置 (target offset)"),
        ("target_end", "int", "目标结束位置 (target end)"),
        ("target_quote", "str", "目标原文 (target as written)"),
        ("indicator", "str", "目标指标原话 (target indicator, report's words)"),
        ("standard", "str", "标准指标代码 (standard indicator code)"),
        ("target_value", "float", "目标值 (target value)"),
        ("target_upper", "float", "目标区间上限 (upper end of a range target)"),
        ("target_unit", "str", "单位 (unit)"),
        ("comparator", "str", "= >= <= ~ range"),
        ("outcome_start", "int", "结果在第 N+1 年原文中的位置 (outcome offset)"),
        ("outcome_end", "int", "结果结束位置 (outcome end)"),
        ("outcome_quote", "str", "结果原文 (outcome as written)"),
        ("outcome_indicator", "str", "结果指标原话 (outcome indicator)"),
        ("outcome_value", "float", "结果值 (outcome value)"),
        ("outcome_unit", "str", "结果单位 (outcome unit)"),
        ("verdict", "str", "exceeded 超额 / met 完成 / partly 部分 / missed 未完成 / not_mentioned 未提及"),
        ("reason", "str", "判断理由 (why)"),
        ("confidence", "float", "置信 0–1：链接有多可靠（未提及为 0） (how sure the link is; 0 for not mentioned)"),
        ("evidence", "str", "依据：number 数字 / words 文字表述 / none 无 (what the verdict rests on)"),
    ],
}
PARTITION_COLUMNS = [("level", "str", "层级 national/province/city/district/county（目录名）"),
                     ("year", "int", "报告所规划的年份（目录名；链接表为目标年份 N）")]


@dataclass
class Chunk:
    """A chunk of one partition: which reports, what the others say of them, which links."""

    name: str  # level=city/year=2020/part-000
    keys: list[str]  # part keys, in the table order
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # part key -> row fields
    pairs: list[str] = field(default_factory=list)  # link pair keys of these reports

    def signature(self) -> str:
        text = json.dumps([ASSEMBLY_VERSION, self.keys, self.extra, self.pairs], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def partition(level: str, year: int | None) -> str:
    return f"level={level or NULL_PARTITION}/year={NULL_PARTITION if year is None else year}"


def _arrow_table(name: str, rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(column, kinds[kind]) for column, kind, _ in SCHEMAS[name]])
    columns = {column: [row.get(column) for row in rows] for column, _, _ in SCHEMAS[name]}
    return pa.table(columns, schema=schema)


def table_bytes(name: str, rows: list[dict[str, Any]]) -> bytes:
    """One table's rows as a compressed Parquet file."""
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(_arrow_table(name, rows), sink, compression="zstd", compression_level=3,
                   use_dictionary=True, write_statistics=True)
    return sink.getvalue()


def build_chunk(name: str, extra: dict[str, dict[str, Any]], parts: list[tuple[str, bytes]],
                links: list[bytes]) -> tuple[str, dict[str, bytes], dict[str, int]]:
    """A chunk task: (its name, {table: Parquet bytes}, {table: rows}) from its reports'
    parts (key, bytes) and its links; ``extra`` sets row fields by part key."""
    tables: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    for key, data in parts:
        part = decode_part(data)
        row = dict(part["report"])
        row.update(extra.get(key, {}))
        tables["reports"].append(row)
        tables["tasks"].extend(part["tasks"])
        tables["quantities"].extend(part["quantities"])
        del part
    for data in links:
        tables["links"].extend(decode_part(data)["links"])
    counts = {table: len(rows) for table, rows in tables.items()}
    return name, {table: table_bytes(table, rows) for table, rows in tables.items()}, counts
