"""What a researcher reads before the numbers: every table and column, every quality flag,
every standard indicator, and how to open the dataset in DuckDB, pandas, R and Stata. The
dataset's README.md and the corpus report's codebook are made from here."""
from __future__ import annotations

from typing import Any

from ..track.taxonomy import indicators
from ._assemble import PARTITION_COLUMNS, SCHEMAS, TABLES

# every quality flag a report row can carry: (中文, English)
FLAGS: dict[str, tuple[str, str]] = {
    "no_outline": ("未找到提纲（一级部分少于两个）：目标与成绩的区分不太可靠",
                   "fewer than two parts found: targets and achievements are told apart less reliably"),
    "zero_targets": ("没有读出量化目标", "no quantified target read"),
    "zero_tasks": ("没有读出任务", "no task read"),
    "role_balance": ("目标与成绩比例异常（30 个数字以上，目标不到 3% 或成绩不到 5%）：回顾与计划可能读反",
                     "implausible role balance (30+ figures, under 3% targets or under 5% "
                     "achievements): review and plan may be read the wrong way round"),
    "short_text": ("全文不到 3000 字：可能是摘要或节选", "under 3,000 characters: a summary or an excerpt"),
    "not_a_work_report": ("开头不像政府工作报告（规划纲要、公报等）",
                          "does not open like a work report (a plan, a communiqué …)"),
    "year_unsure": ("年份的来源说法不一（路径、前言、报告日期、部分标题），见 sources 与 year_source",
                    "the sources of the year disagree (path, front matter, delivery date, part "
                    "titles); see sources and year_source"),
    "year_unknown": ("无从判断年份", "no year could be read"),
    "year_from_delivery": ("报告在 11 月或 12 月作出，算作次年的报告（路径写的是作报告的年份）",
                           "delivered in November or December: counted as the next year's report "
                           "(the path names the year it was delivered)"),
    "government_conflict": ("路径、前言与正文所说的政府不一致（见 government_source）",
                            "path, front matter and text name different governments"),
    "government_unknown": ("无从判断政府", "no government could be read"),
    "level_guessed": ("无从判断层级，按区（县）处理", "no level could be read; taken as a district"),
    "duplicate": ("同一政府同一年有不止一份报告：preferred 为首选，其余的 duplicate_of 指向首选；兑现检查只用首选",
                  "more than one report of one government-year: preferred marks that one, "
                  "duplicate_of points the others to it; the promise check uses the preferred one"),
}

EXAMPLES: dict[str, str] = {
    "DuckDB": """-- 各省每年的经济增长目标，及其兑现判断 (every province's GDP growth target and its verdict)
SELECT q.government, q.year, q.value AS target, q.comparator, q.quote, l.outcome_value, l.verdict
FROM read_parquet('corpus.parquet/quantities/**/*.parquet', hive_partitioning = true) AS q
JOIN read_parquet('corpus.parquet/reports/**/*.parquet', hive_partitioning = true) AS r
  USING (report_id)
LEFT JOIN read_parquet('corpus.parquet/links/**/*.parquet', hive_partitioning = true) AS l
  ON l.target_report_id = q.report_id AND l.target_start = q.start
WHERE q.level = 'province' AND q.standard = 'gdp_growth' AND q.role = 'target'
  AND r.preferred AND q.in_target_list
ORDER BY q.government, q.year;""",
    "pandas": """import pandas as pd

q = pd.read_parquet("corpus.parquet/quantities",
                    filters=[("standard", "==", "gdp_growth"), ("role", "==", "target")])
r = pd.read_parquet("corpus.parquet/reports", columns=["report_id", "preferred", "flags"])
gdp = q.merge(r, on="report_id")
gdp = gdp[gdp["preferred"] & gdp["in_target_list"]]
print(gdp.groupby(["level", "year"])["value"].median())
# (pandas is not needed for Stata: duban corpus export writes .dta itself, see below)""",
    "R": """library(arrow)
library(dplyr)
q <- open_dataset("corpus.parquet/quantities") |>
  filter(standard == "gdp_growth", role == "target", in_target_list) |>
  collect()
r <- open_dataset("corpus.parquet/reports") |> select(report_id, preferred, flags) |> collect()
gdp <- inner_join(q, r, by = "report_id") |> filter(preferred)""",
    "Stata": """* written by: duban corpus export corpus.parquet quantities --standard gdp_growth --role target -o gdp.dta
* (format 118: Stata 14 or later, UTF-8; each column labelled from the codebook; no pandas needed)
use gdp.dta, clear
keep if in_target_list == 1 & period == "year"
describe
tabulate level
* or a series downloaded from the corpus report (UTF-8 CSV)
import delimited using "gdp_growth.csv", encoding(utf-8) varnames(1) clear""",
}


def codebook() -> dict[str, Any]:
    """Tables and columns, flags and indicators, as data (the report's JSON twin)."""
    return {
        "tables": {t: [{"column": c, "type": k, "meaning": m} for c, k, m in
                       [(c, k, m) for c, k, m in PARTITION_COLUMNS] + SCHEMAS[t]] for t in TABLES},
        "flags": [{"flag": f, "zh": zh, "en": en} for f, (zh, en) in FLAGS.items()],
        "indicators": [{"code": i.code, "zh": i.zh, "en": i.en, "units": "/".join(i.units),
                        "headline": i.headline,
                        "range": "" if i.low is None else f"{i.low:g} … {i.high:g}"}
                       for i in indicators()],
    }


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def dataset_readme(summary: dict[str, Any]) -> str:
    """The README.md written into every dataset folder."""
    book = codebook()
    out = ["# 政府工作报告目标数据集 (duban batch)", "",
           f"{summary['reports']} 份报告；表 " + "，".join(f"{k} {v}" for k, v in summary["tables"].items())
           + f"；失败 {summary['failures']} 份（failures.csv）。", "",
           "每张表是按层级与年份分区的 Parquet（Hive 风格目录：`<table>/level=<level>/year=<year>/"
           "part-NNN.parquet`，缺失的层级或年份写作 `__HIVE_DEFAULT_PARTITION__`）。`reports.csv` 是全部报告的一览，"
           "含质量标记。偏移量为半开区间 [start, end)，指向原文件（.md 含前言与标记）。", "",
           "## 读取示例 (examples)", ""]
    for name, code in EXAMPLES.items():
        lang = {"DuckDB": "sql", "pandas": "python", "R": "r", "Stata": "stata"}[name]
        out += [f"### {name}", "", f"```{lang}", code, "```", ""]
    out += ["## 表与列 (codebook)", ""]
    for table, columns in book["tables"].items():
        out += [f"### {table}", "", _md_table(["column", "type", "meaning"],
                                             [[c["column"], c["type"], c["meaning"]] for c in columns]), ""]
    out += ["## 质量标记 (flags)", "", _md_table(["flag", "说明", "meaning"],
                                                [[f["flag"], f["zh"], f["en"]] for f in book["flags"]]), ""]
    out += ["## 标准指标 (standard indicators, data/taxonomy.toml)", "",
            _md_table(["code", "指标", "indicator", "units", "headline", "plausible range"],
                      [[i["code"], i["zh"], i["en"], i["units"], "✓" if i["headline"] else "",
                        i["range"]] for i in book["indicators"]]), ""]
    return "\n".join(out)
