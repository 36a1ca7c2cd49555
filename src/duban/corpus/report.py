"""The dataset's report: one self-contained HTML page (ECharts inlined, no network)."""
from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..track.promise import VERDICT_ZH, normalise

VENDOR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "echarts.min.js"
# the indicators compared across governments, by their folded name
HEADLINES = {"地区生产总值增长": "经济增长（%）", "城镇新增就业": "城镇新增就业（人）",
             "居民消费价格涨幅": "居民消费价格涨幅（%）"}


def _read(dataset: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = dataset / f"{name}.parquet"
    if not path.exists():
        raise InputError(str(dataset), f"不是 duban batch 的输出目录：缺少 {name}.parquet")
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _headline(indicator: str, unit: str) -> str | None:
    folded = normalise(indicator)
    if unit == "%" and folded in ("地区生产总值增长", "增长地区生产总值", "地区生产总值"):
        return "地区生产总值增长"
    if unit == "人" and folded == "城镇新增就业":
        return "城镇新增就业"
    if unit == "%" and folded.startswith("居民消费价格") and "涨" in indicator:
        return "居民消费价格涨幅"
    return None


def report_data(dataset: Path) -> dict[str, Any]:
    reports = _read(dataset, "reports")
    quantities = _read(dataset, "quantities")
    links = _read(dataset, "links")
    by_id = {r["report_id"]: r for r in reports}
    targets: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for q in quantities:
        if q["role"] != "target" or q["value"] is None:
            continue
        key = _headline(q["indicator"], q["unit"])
        r = by_id[q["report_id"]]
        if key and key not in targets[(r["government"], r["year"])]:
            targets[(r["government"], r["year"])][key] = q["value"]
    achieved: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for link in links:
        key = _headline(link["indicator"], link["target_unit"])
        same = _headline(link["outcome_indicator"] or "", link["target_unit"]) == key
        if key and same and link["outcome_value"] is not None \
                and key not in achieved[(link["government"], link["year"])]:
            achieved[(link["government"], link["year"])][key] = link["outcome_value"]
    national_years = sorted(r["year"] for r in reports if r["level"] == "national" and r["year"])
    provinces = sorted({r["government"] for r in reports if r["level"] == "province"})
    latest: int = max((r["year"] for r in reports if r["level"] == "province" and r["year"]), default=0)
    verdicts = Counter(link["verdict"] for link in links)
    per_government: dict[str, Counter[str]] = defaultdict(Counter)
    for link in links:
        per_government[link["government"]][link["verdict"]] += 1
    return {
        "reports": len(reports), "quantities": len(quantities), "links": len(links),
        "national": {"years": national_years,
                     "target": [targets[("国务院", y)].get("地区生产总值增长") for y in national_years],
                     "achieved": [achieved[("国务院", y)].get("地区生产总值增长") for y in national_years]},
        "provinces": {"year": latest, "names": provinces,
                      "series": {label: [targets[(p, latest)].get(key) for p in provinces]
                                 for key, label in HEADLINES.items()}},
        "verdicts": [{"verdict": v, "label": VERDICT_ZH[v], "count": verdicts.get(v, 0)}
                     for v in VERDICT_ZH],
        "by_government": {g: dict(c) for g, c in sorted(per_government.items())},
    }


def write_report(dataset: Path, out: Path) -> Path:
    data = report_data(dataset)
    script = VENDOR.read_text(encoding="utf-8")
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    met = sum(v["count"] for v in data["verdicts"] if v["verdict"] in ("met", "exceeded"))
    judged = sum(v["count"] for v in data["verdicts"] if v["verdict"] != "not_mentioned")
    share = f"{met / judged:.0%}" if judged else "—"
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府工作报告目标数据集</title>
<style>
body {{ font-family: "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif; margin: 1rem auto; max-width: 1200px; color: #222; }}
.chart {{ height: 420px; margin: 1rem 0; }} .muted {{ color: #777; }}
</style></head><body>
<h1>政府工作报告目标数据集</h1>
<p class="muted">{data['reports']} 份报告 · {data['quantities']} 个量化目标与成绩 · {data['links']} 条兑现检查 ·
已可判断的目标中完成（含超额）占 {html.escape(share)}</p>
<div class="chart" id="national"></div>
<div class="chart" id="provinces"></div>
<div class="chart" id="verdicts"></div>
<script>{script}</script>
<script type="application/json" id="data">{payload}</script>
<script>
(function () {{
  var d = JSON.parse(document.getElementById("data").textContent);
  function chart(id, option) {{ var c = echarts.init(document.getElementById(id), null, {{renderer: "svg"}}); c.setOption(option); }}
  chart("national", {{
    title: {{ text: "国务院：经济增长目标与次年回顾的实际增长（%）" }}, tooltip: {{ trigger: "axis" }},
    legend: {{ bottom: 0 }}, xAxis: {{ type: "category", data: d.national.years }}, yAxis: {{ type: "value" }},
    series: [{{ name: "当年目标", type: "line", data: d.national.target, connectNulls: false }},
             {{ name: "次年报告的实际", type: "line", data: d.national.achieved }}]
  }});
  var names = d.provinces.names, series = [];
  Object.keys(d.provinces.series).forEach(function (label, i) {{
    if (label.indexOf("%") >= 0) {{ series.push({{ name: label, type: "bar", data: d.provinces.series[label] }}); }}
  }});
  chart("provinces", {{
    title: {{ text: d.provinces.year + " 年各省（区、市）主要目标" }}, tooltip: {{ trigger: "axis" }},
    legend: {{ bottom: 0 }}, grid: {{ bottom: 90 }},
    xAxis: {{ type: "category", data: names, axisLabel: {{ rotate: 60 }} }}, yAxis: {{ type: "value" }}, series: series
  }});
  var govs = Object.keys(d.by_government);
  chart("verdicts", {{
    title: {{ text: "目标兑现情况（按政府）" }}, tooltip: {{ trigger: "axis" }}, legend: {{ bottom: 0 }},
    xAxis: {{ type: "category", data: govs }}, yAxis: {{ type: "value" }},
    series: d.verdicts.map(function (v) {{
      return {{ name: v.label, type: "bar", stack: "all", data: govs.map(function (g) {{ return d.by_government[g][v.verdict] || 0; }}) }};
    }})
  }});
}})();
</script>
</body></html>
"""
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(page, encoding="utf-8")
    partial.replace(out)
    return out
