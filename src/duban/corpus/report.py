"""The dataset's report for researchers: one self-contained HTML page (ECharts and the data
inlined, no network) and a CSV export of any table.

The page: a government, or a level and region, picked from lists; the headline targets of
each year with the actual figure the next year's report gives, range targets drawn as bands,
figures outside an indicator's plausible range listed as outliers instead of drawn; targets
met, missed and not mentioned by level and year with the share that could be judged at all;
a data-quality panel of the reports' flags; the codebook; a CSV download of every series;
examples for DuckDB, pandas, R and Stata. ``report_data`` is the page's JSON twin.
"""
from __future__ import annotations

import csv
import html
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from ..errors import InputError
from ..track.promise import VERDICT_ZH
from ..track.taxonomy import indicators
from ._assemble import NULL_PARTITION, PARTITION_COLUMNS, SCHEMAS, TABLES
from ._codebook import EXAMPLES, FLAGS, codebook
from ._records import sanitize_cell

VENDOR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "echarts.min.js"
LEVELS = ("national", "province", "city", "district", "county")
LEVEL_ZH = {"national": "国务院", "province": "省级", "city": "市级", "district": "区级", "county": "县级"}
_GROWTH_CODES = ("gdp_growth", "gnp_growth", "national_income_growth", "agri_industry_output_growth")


def _dataset(root: Path, table: str) -> Any:
    import pyarrow as pa
    import pyarrow.dataset as ds

    path = root / table
    if not path.is_dir():
        raise InputError(str(root), f"不是 duban batch 的输出目录：缺少 {table}/ (not a dataset folder)")
    scheme = ds.partitioning(pa.schema([("level", pa.string()), ("year", pa.int64())]),
                             flavor="hive")
    return ds.dataset(path, format="parquet", partitioning=scheme)


def read_rows(root: Path, table: str, columns: list[str], where: Any = None) -> list[dict[str, Any]]:
    """Rows of one table of a dataset folder (only ``columns``; ``where`` a pyarrow filter)."""
    rows: list[dict[str, Any]] = _dataset(root, table).to_table(columns=columns, filter=where).to_pylist()
    return rows


def report_data(dataset: Path) -> dict[str, Any]:
    """Everything the page draws, as plain data."""
    import pyarrow.dataset as ds

    reports = read_rows(dataset, "reports", ["report_id", "government", "region", "level", "year",
                                             "flags", "preferred", "file", "path", "targets",
                                             "achievements", "standard_targets"])
    usable = {r["report_id"]: r for r in reports if r["preferred"] and r["government"]
              and r["year"] is not None and "not_a_work_report" not in r["flags"].split()}
    by_government_year = {(r["government"], r["year"]): r["report_id"] for r in usable.values()}
    codes = {i.code: i for i in indicators()}
    quantities = read_rows(dataset, "quantities",
                           ["report_id", "index", "role", "value", "upper", "comparator", "unit",
                            "standard", "period", "quote", "indicator", "in_target_list"],
                           (ds.field("standard") != "") & (ds.field("period") != "multi_year"))
    # a report's figure of an indicator: the one in its list of main targets, else its first
    quantities.sort(key=lambda q: (q["report_id"], not q["in_target_list"], q["index"]))
    first: dict[tuple[str, str, str], dict[str, Any]] = {}
    for q in quantities:
        if q["report_id"] in usable and q["value"] is not None:
            first.setdefault((q["report_id"], q["standard"], q["role"]), q)
    series: dict[str, dict[str, list[list[Any]]]] = defaultdict(lambda: defaultdict(list))
    outliers = []
    for (government, year), report_id in sorted(by_government_year.items()):
        later = by_government_year.get((government, year + 1))
        for code, indicator in codes.items():
            target = first.get((report_id, code, "target"))
            actual = first.get((later, code, "achievement")) if later else None
            if target is None and actual is None:
                continue
            point: list[Any] = [year, None, None, "", None, "", "", ""]
            found: list[tuple[dict[str, Any] | None, int]] = [(target, 1), (actual, 4)]
            for item, at in found:
                if item is None:
                    continue
                low, high = indicator.low, indicator.high
                values = [v for v in (item["value"], item["upper"]) if v is not None]
                if low is not None and high is not None and any(not low <= v <= high for v in values):
                    outliers.append({"government": government, "year": year, "code": code,
                                     "what": "target" if at == 1 else "actual",
                                     "value": item["value"], "quote": item["quote"],
                                     "indicator": item["indicator"], "report_id": item["report_id"]})
                    continue
                if at == 1:
                    point[1], point[3] = item["value"], item["comparator"]
                    point[2] = item["upper"] if item["comparator"] == "range" else None
                    point[6] = item["quote"]
                else:
                    point[4], point[7] = item["value"], item["quote"]
            if point[1] is not None or point[4] is not None:
                series[government][code].append(point)
    governments: dict[str, dict[str, Any]] = {}
    for r in usable.values():
        g = governments.setdefault(r["government"], {"level": "", "region": "", "years": 0})
        g["level"], g["region"] = r["level"], r["region"] or g["region"]
        g["years"] += 1
    used = sorted({c for s in series.values() for c in s},
                  key=lambda c: (not codes[c].headline, list(codes).index(c)))
    national_years = sorted(r["year"] for r in usable.values() if r["level"] == "national")
    national_growth = {p[0] for c in _GROWTH_CODES for p in series.get("国务院", {}).get(c, [])
                       if p[1] is not None}
    return {
        "reports": len(reports), "usable": len(usable),
        "quantities": sum(1 for _ in quantities),
        "indicators": [{"code": c, "zh": codes[c].zh, "en": codes[c].en,
                        "unit": "/".join(codes[c].units), "headline": codes[c].headline}
                       for c in used],
        "governments": {name: dict(g) for name, g in sorted(governments.items())},
        "series": {g: dict(s) for g, s in series.items()},
        "outliers": outliers,
        "verdicts": _verdicts(dataset, usable),
        "quality": _quality(reports),
        "national_years_without_growth_target": [y for y in national_years if y not in national_growth],
        "codebook": codebook(),
    }


def _verdicts(dataset: Path, usable: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Verdict counts by level and year, of every target and of headline targets."""
    links = read_rows(dataset, "links", ["target_report_id", "level", "year", "standard", "verdict"])
    headline = {i.code for i in indicators() if i.headline}
    table: dict[str, dict[int, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    heads: dict[str, dict[int, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for link in links:
        if link["target_report_id"] not in usable or link["year"] is None:
            continue
        table[link["level"]][link["year"]][link["verdict"]] += 1
        if link["standard"] in headline:
            heads[link["level"]][link["year"]][link["verdict"]] += 1
    return {"labels": VERDICT_ZH,
            "all": {lv: {y: dict(c) for y, c in sorted(ys.items())} for lv, ys in table.items()},
            "headline": {lv: {y: dict(c) for y, c in sorted(ys.items())} for lv, ys in heads.items()}}


def _quality(reports: list[dict[str, Any]]) -> dict[str, Any]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    flagged = []
    for r in reports:
        level = r["level"] or NULL_PARTITION
        counts["(reports)"][level] += 1
        for flag in r["flags"].split():
            counts[flag][level] += 1
        if r["flags"]:
            flagged.append([r["government"], level, r["year"], r["flags"], r["path"]])
    flagged.sort(key=lambda f: (f[1], f[0], f[2] or 0))
    return {"counts": {f: dict(c) for f, c in counts.items()}, "reports": flagged,
            "descriptions": {f: f"{zh} ({en})" for f, (zh, en) in FLAGS.items()}}


def export_table(dataset: Path, table: str, out: Path, standard: str | None = None,
                 level: str | None = None, role: str | None = None) -> int:
    """One table, level and year as columns, read in batches: CSV (UTF-8 with BOM), or a
    Stata file when ``out`` ends in .dta (format 118, written by ``_stata``, columns
    labelled from the codebook)."""
    import pyarrow.dataset as ds

    if table not in TABLES:
        raise InputError(table, f"没有这张表 (no such table; one of {', '.join(TABLES)})")
    data = _dataset(dataset, table)
    where = None
    for column, value in (("standard", standard), ("level", level), ("role", role)):
        if value is None:
            continue
        if column not in data.schema.names:
            raise InputError(table, f"这张表没有 {column} 列 (no column {column})")
        test = ds.field(column) == value
        where = test if where is None else where & test
    described = [*PARTITION_COLUMNS, *SCHEMAS[table]]
    columns = [c for c, _, _ in described]

    def batches() -> Iterator[list[dict[str, Any]]]:
        for batch in data.to_batches(columns=columns, filter=where):
            yield batch.to_pylist()

    if out.suffix.lower() == ".dta":
        from ._stata import write_dta

        kinds = {"str": "str", "bool": "bool"}
        return write_dta(out, [(c, kinds.get(t, "num"), meaning) for c, t, meaning in described],
                         batches, label=f"duban {table}")
    rows = 0
    partial = out.with_name(f".{out.name}.partial")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for batch_rows in batches():
            for row in batch_rows:
                writer.writerow([sanitize_cell(v) if isinstance(v, str) else ("" if v is None else v)
                                 for v in (row[c] for c in columns)])
                rows += 1
    partial.replace(out)
    return rows


def _table_html(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _codebook_html(book: dict[str, Any]) -> str:
    out = []
    for table, columns in book["tables"].items():
        out.append(f"<h3>{html.escape(table)}</h3>")
        out.append(_table_html(["列 column", "类型 type", "含义 meaning"],
                               [[c["column"], c["type"], c["meaning"]] for c in columns]))
    out.append("<h3>质量标记 flags</h3>")
    out.append(_table_html(["flag", "说明", "meaning"], [[f["flag"], f["zh"], f["en"]] for f in book["flags"]]))
    out.append("<h3>标准指标 standard indicators</h3>")
    out.append(_table_html(["code", "指标", "indicator", "units", "headline", "plausible range"],
                           [[i["code"], i["zh"], i["en"], i["units"], "✓" if i["headline"] else "",
                             i["range"]] for i in book["indicators"]]))
    return "\n".join(out)


def write_report(dataset: Path, out: Path) -> Path:
    data = report_data(dataset)
    script = VENDOR.read_text(encoding="utf-8")
    page_data = {k: v for k, v in data.items() if k != "codebook"}
    payload = json.dumps(page_data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    examples = "".join(f"<h3>{html.escape(name)}</h3><pre><code>{html.escape(code)}</code></pre>"
                       for name, code in EXAMPLES.items())
    missing = "、".join(str(y) for y in data["national_years_without_growth_target"]) or "无"
    page = _PAGE.format(reports=data["reports"], usable=data["usable"],
                        quantities=data["quantities"], outliers=len(data["outliers"]),
                        missing=html.escape(missing), codebook=_codebook_html(data["codebook"]),
                        examples=examples, script=script, payload=payload,
                        levels=json.dumps(LEVEL_ZH, ensure_ascii=False))
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(page, encoding="utf-8")
    partial.replace(out)
    return out


_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府工作报告目标数据集</title>
<style>
body {{ font-family: "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif; margin: 1rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }}
.chart {{ height: 440px; margin: .5rem 0 1.5rem; }} .muted {{ color: #666; }} .note {{ background: #f6f6f0; padding: .5rem .8rem; border-left: 4px solid #c9b458; }}
select, button {{ font: inherit; margin: 0 .6rem .4rem 0; }} label {{ margin-right: .3rem; }}
table {{ border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }} td, th {{ border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }} pre {{ background: #f7f7f7; padding: .6rem; overflow-x: auto; }} .scroll {{ max-height: 360px; overflow-y: auto; }}
h2 {{ border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }}
</style></head><body>
<h1>政府工作报告目标数据集</h1>
<p class="muted">{reports} 份报告（其中 {usable} 份为可用于序列的首选工作报告）· {quantities} 个带标准指标的目标与成绩 ·
{outliers} 个超出合理范围的数值未绘出（见下表）</p>

<h2>目标与实际 (targets and the next report's actual)</h2>
<div>
<label>查看</label><select id="mode"><option value="gov">一个政府</option><option value="group">一个层级与地区</option></select>
<span id="gov-box"><label>政府</label><select id="gov"></select></span>
<span id="group-box"><label>层级</label><select id="level"></select><label>地区</label><select id="region"></select></span>
<label>指标</label><select id="code"></select>
<button id="download">下载本序列 CSV</button><button id="download-all">下载该指标全部政府 CSV</button>
</div>
<p class="note">实线：当年报告的目标；虚线：次年报告回顾的实际；色带：区间目标（如 5%–5.5%）。五年平均、累计等多年数字不入序列；
超出指标合理范围的数值列在图下，不绘出。</p>
<div class="chart" id="series"></div>
<div id="outliers"></div>

<h2>目标兑现 (targets met, missed, not mentioned)</h2>
<div><label>层级</label><select id="v-level"></select><label>范围</label>
<select id="v-scope"><option value="all">全部目标</option><option value="headline">主要指标目标</option></select></div>
<p class="note" id="v-summary"></p>
<div class="chart" id="verdicts"></div>

<h2>数据质量 (data quality)</h2>
<p>国务院报告中未读出经济增长（GDP/GNP/国民收入/工农业总产值）目标的年份：{missing}</p>
<div id="quality"></div>
<div><label>列出带此标记的报告</label><select id="flag"></select></div>
<div class="scroll" id="flagged"></div>

<h2>读取示例 (DuckDB, pandas, R, Stata)</h2>
{examples}

<h2>表与列 (codebook)</h2>
{codebook}

<script>{script}</script>
<script type="application/json" id="data">{payload}</script>
<script>
(function () {{
  var D = JSON.parse(document.getElementById("data").textContent);
  var LEVELS = {levels};
  function $(id) {{ return document.getElementById(id); }}
  function opt(sel, value, text) {{ var o = document.createElement("option"); o.value = value; o.textContent = text; sel.appendChild(o); }}
  function esc(s) {{ return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) {{ return {{"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}}[c]; }}); }}
  function table(header, rows) {{
    return "<table><thead><tr>" + header.map(function (h) {{ return "<th>" + esc(h) + "</th>"; }}).join("") + "</tr></thead><tbody>" +
      rows.map(function (r) {{ return "<tr>" + r.map(function (c) {{ return "<td>" + esc(c) + "</td>"; }}).join("") + "</tr>"; }}).join("") + "</tbody></table>";
  }}
  var charts = {{}};
  function chart(id, option) {{
    if (!charts[id]) charts[id] = echarts.init($(id), null, {{renderer: "svg"}});
    charts[id].setOption(option, true);
  }}
  var govs = Object.keys(D.governments);
  Object.keys(LEVELS).forEach(function (lv) {{
    var names = govs.filter(function (g) {{ return D.governments[g].level === lv; }});
    if (!names.length) return;
    var group = document.createElement("optgroup"); group.label = LEVELS[lv];
    names.forEach(function (g) {{ var o = document.createElement("option"); o.value = g; o.textContent = g + "（" + D.governments[g].years + " 年）"; group.appendChild(o); }});
    $("gov").appendChild(group);
    opt($("level"), lv, LEVELS[lv]); opt($("v-level"), lv, LEVELS[lv]);
  }});
  D.indicators.forEach(function (i) {{ opt($("code"), i.code, (i.headline ? "★ " : "") + i.zh + " · " + i.code); }});
  function regions() {{
    var lv = $("level").value, seen = {{}};
    $("region").innerHTML = ""; opt($("region"), "", "全部");
    govs.forEach(function (g) {{ var r = D.governments[g].region; if (D.governments[g].level === lv && r && !seen[r]) {{ seen[r] = 1; opt($("region"), r, r); }} }});
  }}
  function members() {{
    if ($("mode").value === "gov") return [$("gov").value];
    var lv = $("level").value, rg = $("region").value;
    return govs.filter(function (g) {{ return D.governments[g].level === lv && (!rg || D.governments[g].region === rg); }});
  }}
  function points(g, code) {{ return ((D.series[g] || {{}})[code]) || []; }}
  function draw() {{
    var code = $("code").value, names = members(), single = $("mode").value === "gov";
    $("gov-box").style.display = single ? "" : "none"; $("group-box").style.display = single ? "none" : "";
    var years = {{}};
    names.forEach(function (g) {{ points(g, code).forEach(function (p) {{ years[p[0]] = 1; }}); }});
    years = Object.keys(years).map(Number).sort(function (a, b) {{ return a - b; }});
    // every year from the first to the last, so that a year without a figure is a gap, not skipped
    if (years.length) {{ var all = []; for (var y = years[0]; y <= years[years.length - 1]; y++) all.push(y); years = all; }}
    var series = [], legend = [];
    function column(g, k) {{ var by = {{}}; points(g, code).forEach(function (p) {{ by[p[0]] = p; }}); return years.map(function (y) {{ return by[y] ? by[y][k] : null; }}); }}
    if (single) {{
      var g = names[0], target = column(g, 1), upper = column(g, 2), actual = column(g, 4);
      var low = years.map(function (y, i) {{ return upper[i] != null ? target[i] : null; }});
      var width = years.map(function (y, i) {{ return upper[i] != null ? upper[i] - target[i] : null; }});
      var banded = upper.some(function (v) {{ return v != null; }});
      if (banded) {{
        // a range target (6.5%–7%) as a bar from its lower to its upper end, on an invisible base
        series.push({{name: "区间下限", type: "bar", data: low, stack: "band", barWidth: "45%", silent: true, itemStyle: {{color: "transparent"}}}});
        series.push({{name: "区间目标", type: "bar", data: width, stack: "band", barWidth: "45%", silent: true, itemStyle: {{color: "rgba(59,76,140,0.25)"}}}});
      }}
      series.push({{name: "当年目标", type: "line", data: target, connectNulls: false, color: "#3b4c8c"}});
      series.push({{name: "次年报告的实际", type: "line", data: actual, lineStyle: {{type: "dashed"}}, connectNulls: false, color: "#e07b39"}});
      legend = ["当年目标", "次年报告的实际"].concat(banded ? ["区间目标"] : []);
    }} else {{
      // the group's median target and median actual, each government's target faint behind them
      function median(k) {{ return years.map(function (y) {{
        var v = names.map(function (g) {{ var p = points(g, code).filter(function (p) {{ return p[0] === y; }})[0]; return p ? p[k] : null; }})
          .filter(function (x) {{ return x != null; }}).sort(function (a, b) {{ return a - b; }});
        return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null; }}); }}
      names.forEach(function (g) {{ series.push({{name: g, type: "line", data: column(g, 1), connectNulls: false, symbol: "none", silent: true, color: "rgba(120,120,120,0.25)", lineStyle: {{width: 1}}, z: 1}}); }});
      series.push({{name: "目标中位数", type: "line", data: median(1), color: "#3b4c8c", lineStyle: {{width: 3}}, z: 3}});
      series.push({{name: "实际中位数", type: "line", data: median(4), color: "#e07b39", lineStyle: {{width: 3, type: "dashed"}}, z: 3}});
      legend = ["目标中位数", "实际中位数"];
    }}
    var label = $("code").selectedOptions.length ? $("code").selectedOptions[0].textContent : code;
    function lowest(series) {{
    var m = Infinity;
    series.forEach(function (s) {{ if (s.stack !== "band") s.data.forEach(function (v) {{ if (v != null && v < m) m = v; }}); }});
    series.forEach(function (s) {{ if (s.name === "区间下限") s.data.forEach(function (v) {{ if (v != null && v < m) m = v; }}); }});
    return m === Infinity ? 0 : m;
  }}
  function tip(items) {{
      var y = years[items[0].dataIndex], lines = [String(y)];
      if (single) {{
        var p = points(names[0], code).filter(function (p) {{ return p[0] === y; }})[0];
        if (p && p[1] != null) lines.push("目标 " + p[1] + (p[2] != null ? "–" + p[2] : "") + (p[3] ? "（" + esc(p[3]) + "）" : "") + "：" + esc(p[6]));
        if (p && p[4] != null) lines.push("次年报告的实际 " + p[4] + "：" + esc(p[7]));
        if (lines.length === 1) lines.push("无数据");
      }} else {{
        items.forEach(function (i) {{ if (legend.indexOf(i.seriesName) >= 0 && i.value != null) lines.push(esc(i.seriesName) + " " + i.value); }});
        lines.push(names.length + " 个政府");
      }}
      return lines.join("<br>");
    }}
    chart("series", {{ title: {{ text: (single ? names[0] + "：" : names.length + " 个政府：") + label, textStyle: {{fontSize: 14}} }},
      tooltip: {{ trigger: "axis", formatter: tip }},
      legend: {{ bottom: 0, data: legend }}, grid: {{ bottom: 70 }}, xAxis: {{ type: "category", data: years }},
      // the axis fits the figures (a band's invisible base starts at 0 and is cut off)
      yAxis: {{ type: "value", min: function (v) {{ return Math.floor(Math.min(v.min, lowest(series)) - 0.5); }}, max: function (v) {{ return Math.ceil(v.max + 0.5); }} }}, series: series }});
    var out = D.outliers.filter(function (o) {{ return o.code === code && names.indexOf(o.government) >= 0; }});
    $("outliers").innerHTML = out.length ? "<p>未绘出的异常值：</p>" + table(["政府", "年份", "目标/实际", "数值", "原文", "指标原话"],
      out.map(function (o) {{ return [o.government, o.year, o.what === "target" ? "目标" : "实际", o.value, o.quote, o.indicator]; }})) : "";
  }}
  function csv(rows) {{
    return "\\ufeff" + rows.map(function (r) {{ return r.map(function (c) {{ c = c == null ? "" : String(c); if (/^[=+\\-@]/.test(c)) c = "'" + c; return /[",\\n]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c; }}).join(","); }}).join("\\n");
  }}
  function download(names, name) {{
    var code = $("code").value, rows = [["government", "level", "region", "year", "standard", "target", "target_upper", "comparator", "target_quote", "actual", "actual_quote"]];
    names.forEach(function (g) {{ points(g, code).forEach(function (p) {{ var m = D.governments[g]; rows.push([g, m.level, m.region, p[0], code, p[1], p[2], p[3], p[6], p[4], p[7]]); }}); }});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([csv(rows)], {{type: "text/csv;charset=utf-8"}}));
    a.download = name + ".csv"; document.body.appendChild(a); a.click(); a.remove();
  }}
  $("download").onclick = function () {{ download(members(), $("code").value + "-" + ($("mode").value === "gov" ? $("gov").value : $("level").value + ($("region").value || ""))); }};
  $("download-all").onclick = function () {{ download(govs, $("code").value); }};
  function verdicts() {{
    var lv = $("v-level").value, scope = $("v-scope").value, by = (D.verdicts[scope][lv]) || {{}};
    var years = Object.keys(by).sort(), labels = D.verdicts.labels, keys = Object.keys(labels);
    var total = 0, judged = 0, met = 0;
    years.forEach(function (y) {{ keys.forEach(function (k) {{ var n = by[y][k] || 0; total += n; if (k !== "not_mentioned") judged += n; if (k === "met" || k === "exceeded") met += n; }}); }});
    var share = years.map(function (y) {{ var t = 0, j = 0; keys.forEach(function (k) {{ var n = by[y][k] || 0; t += n; if (k !== "not_mentioned") j += n; }}); return t ? Math.round(1000 * j / t) / 10 : null; }});
    $("v-summary").textContent = total ? (LEVELS[lv] + "：共 " + total + " 个目标有次年报告可查；其中可判断的（次年报告提到了结果）" + judged + " 个，占 " + (100 * judged / total).toFixed(1) +
      "%；在可判断的目标中完成（含超额）" + met + " 个，占 " + (judged ? (100 * met / judged).toFixed(1) : "—") + "%。未提及的目标不计入完成率，也不能当作未完成。") : "该层级没有相邻两年的报告。";
    var series = keys.map(function (k) {{ return {{name: labels[k], type: "bar", stack: "v", data: years.map(function (y) {{ return by[y][k] || 0; }})}}; }});
    series.push({{name: "可判断占比（%）", type: "line", yAxisIndex: 1, data: share}});
    chart("verdicts", {{ tooltip: {{ trigger: "axis" }}, legend: {{ bottom: 0 }}, grid: {{ bottom: 60 }}, xAxis: {{ type: "category", data: years }},
      yAxis: [{{ type: "value", name: "目标数" }}, {{ type: "value", name: "%", max: 100 }}], series: series }});
  }}
  var Q = D.quality, levelsSeen = Object.keys(Q.counts["(reports)"] || {{}});
  $("quality").innerHTML = table(["标记 flag"].concat(levelsSeen.map(function (l) {{ return LEVELS[l] || l; }})).concat(["说明"]),
    Object.keys(Q.counts).map(function (f) {{ return [f].concat(levelsSeen.map(function (l) {{ return Q.counts[f][l] || 0; }})).concat([Q.descriptions[f] || "报告总数"]); }}));
  Object.keys(Q.counts).forEach(function (f) {{ if (f !== "(reports)") opt($("flag"), f, f); }});
  function flagged() {{
    var f = $("flag").value;
    $("flagged").innerHTML = table(["政府", "层级", "年份", "标记", "文件"], Q.reports.filter(function (r) {{ return r[3].split(" ").indexOf(f) >= 0; }}));
  }}
  $("mode").onchange = draw; $("gov").onchange = draw; $("code").onchange = draw; $("region").onchange = draw;
  $("level").onchange = function () {{ regions(); draw(); }};
  $("v-level").onchange = verdicts; $("v-scope").onchange = verdicts; $("flag").onchange = flagged;
  if (D.governments["国务院"]) $("gov").value = "国务院";
  if (D.indicators.some(function (i) {{ return i.code === "gdp_growth"; }})) $("code").value = "gdp_growth";
  regions(); draw(); verdicts(); flagged();
}})();
</script>
</body></html>
"""
