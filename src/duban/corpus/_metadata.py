"""Which government, level and year a corpus file is: from its path, its front matter and its
own text, a manifest overriding them all; how sure that is, as flags.

Sources and how they are weighed (rules and vocabulary in ``data/governments.toml``):

- the path: a place folder (宁波市/2024.md), a level word (national-2024.txt,
  政府工作报告-国务院/1978.md) and the year in the file name;
- the front matter: its title (2019年四川省人民政府工作报告, 池州市政府工作报告（2016年1月6日…）);
- the text: the opening (在宁波市第十一届人民代表大会…, 我代表宁波市人民政府…), the delivery
  date (a report delivered in November or December plans for the next year), and the years
  its parts review (一、2014年工作回顾: the 2015 report) or plan (二、2024年工作目标和主要任务).

The path names the government unless the front matter and the text agree on another one
(a report filed under the wrong place); the path's year stands unless the delivery date and
the parts agree on another. Every disagreement is a flag, never a silent choice.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from ..rules import load_table
from ..structure import identify_government, innermost, level_of

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,20}$")
_WORK_REPORT = re.compile(r"(政府工作报告|各位代表|报告政府工作|向大会报告|报告工作|工作报告)")


@dataclass(frozen=True)
class Metadata:
    government: str
    level: str
    year: int | None
    region: str = ""
    delivered: str = ""  # the delivery date the text states, 2015-12-28
    sources: str = ""  # what each source said: path=2016 front=2016 date=2015-12 parts=2016
    year_source: str = ""  # manifest, path, text, front, parts, date, content
    government_source: str = ""
    flags: tuple[str, ...] = field(default=())


@cache
def _table() -> dict[str, Any]:
    return load_table("governments.toml")


@cache
def _cities() -> dict[str, tuple[str, str]]:
    """name -> (province, macro-region) for every province and city in the table."""
    out: dict[str, tuple[str, str]] = {}
    for province in _table()["province"]:
        out[province["name"]] = (province["name"], province["region"])
        for city in province["cities"]:
            out[city] = (province["name"], province["region"])
    return out


@cache
def _by_core() -> dict[tuple[str, str], tuple[str, str]]:
    return {(core_name(name), _kind(name)): value for name, value in _cities().items()}


def region_of(government: str, level: str) -> str:
    """A province's macro-region (华东), a city's province (浙江省); "" when unknown."""
    found = _cities().get(government) or _by_core().get((core_name(government), _kind(government)))
    if found is None:
        return ""
    return found[1] if level == "province" else found[0]


_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "州", "盟", "区", "县", "旗")


def _kind(name: str) -> str:
    """The ending that tells the sort of government: 自治州 and 州 are one sort."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return {"自治区": "省", "自治州": "州", "自治县": "县", "自治旗": "旗"}.get(suffix, suffix)
    return ""


def core_name(name: str) -> str:
    """黔东南苗族侗族自治州 and 黔东南州 -> 黔东南; 新疆维吾尔自治区 -> 新疆; 宁波市 -> 宁波."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    ethnic = sorted(_table()["names"]["ethnic"], key=len, reverse=True)
    changed = True
    while changed and len(name) > 2:
        changed = False
        for group in ethnic:
            for word in (group + "族", group):
                if name.endswith(word) and len(name) - len(word) >= 2:
                    name, changed = name[: -len(word)], True
                    break
            if changed:
                break
    return name


def same_government(a: str, b: str) -> bool:
    """The same government whether written in full or short (伊犁哈萨克自治州, 伊犁州); 大理市
    is not 大理州, nor 宿迁市 宿州市."""
    if not a or not b:
        return False
    if a == b:
        return True
    a, b = innermost(a), innermost(b)
    return core_name(a) == core_name(b) and _kind(a) == _kind(b)


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGIT for c in text):  # 二〇二一
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    if text.startswith("十"):  # 十, 十一, 十二
        return 10 + (_CN_DIGIT.get(text[1:], 0) if len(text) > 1 else 0)
    return None


def _rules(kind: str) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = _table()["year"]
    return [r for r in rules if r["id"] == f"year.{kind}"]


def delivery(text: str) -> tuple[int | None, str]:
    """(year planned for, date) from the first delivery date of a report's opening lines:
    delivered in November or December, it plans for the next year."""
    [rule] = _rules("date")
    match = rule["compiled"].search(text)
    if not match:
        return None, ""
    year, month = _cn_number(match.group("year")), _cn_number(match.group("month"))
    if year is None or month is None or not 1900 <= year <= 2100 or not 1 <= month <= 12:
        return None, ""
    return (year + 1 if month >= 11 else year), f"{year}-{month:02d}"


def parts_year(parts: Sequence[tuple[str, str]]) -> int | None:
    """The year the parts' titles speak of, from (title, kind) pairs: a reviewed year + 1
    (一、2014年工作回顾, or any review part titled with a year), a planned year as it is
    (二、2024年工作目标和主要任务); the most said, ties to the later part."""
    review, plan = _rules("review")[0], _rules("plan")[0]
    said: list[int] = []
    for title, kind in parts:
        title = title.strip()
        match = review["compiled"].search(title)
        if match:
            said.append(int(match.group("year")) + 1)
            continue
        match = plan["compiled"].search(title)
        if match:
            said.append(int(match.group("year")) + (1 if kind == "review" else 0))
    if not said:
        return None
    counts = Counter(said)
    return max(reversed(said), key=lambda y: counts[y])


def title_year(title: str) -> int | None:
    """A front matter title's year: the one it names (2019年…报告, …（2025）), or the year its
    delivery date plans for (（2015年2月3日 刘忻）)."""
    [rule] = _rules("title")
    match = rule["compiled"].search(title)
    if match:
        return int(match.group("year"))
    return delivery(title)[0]


@dataclass(frozen=True)
class PathFacts:
    government: str = ""
    level: str = ""
    year: int | None = None


def path_facts(relative: str) -> PathFacts:
    """What a file's path says: its place folder, a level word and the year in its name."""
    pure = PurePosixPath(relative.replace("\\", "/"))
    words = _table()["path"]
    components = [pure.stem] + list(reversed(pure.parent.parts))
    tokens = {t.lower() for c in components for t in re.split(r"[-_.\s]+", c) if t}
    level = ""
    if any(w in c or w in tokens for w in words["national"] for c in components):
        return PathFacts("国务院", "national", _path_year(components))
    for name in ("province", "city", "district", "county"):
        if tokens & set(words[name]):
            level = name
            break
    government = ""
    for component in components:
        place = _YEAR_IN_NAME.sub("", component).strip("-_ .")
        if _PLACE.match(place) and level_of(place):
            government = place
            break
    if government and not level:
        level = level_of(government)
    return PathFacts(government, level, _path_year(components))


def _path_year(components: list[str]) -> int | None:
    for component in components:
        match = _YEAR_IN_NAME.search(component)
        if match:
            return int(match.group(1))
    return None


def is_work_report(title: str, text: str) -> bool:
    return bool(_WORK_REPORT.search(title) or _WORK_REPORT.search(text[:3000]))


def read_metadata(relative: str, front: dict[str, str], text: str, titles: Sequence[tuple[str, str]],
                  given: dict[str, Any], fallback_year: int | None = None) -> Metadata:
    """Government, level and year of one report, with the flags of what disagrees.

    ``relative`` is the file's path below the corpus folder, ``front`` its front matter,
    ``text`` its repaired text, ``titles`` its parts' (title, kind), ``given`` a manifest row's
    fields (any of government, level, year; they win), ``fallback_year`` the year the
    extractor read (used only when nothing else says)."""
    flags: list[str] = []
    path = path_facts(relative)
    title = front.get("title", "")
    front_gov, _ = identify_government(title) if title else ("", "")
    text_gov, text_level = identify_government(text)
    government, gov_source = _government(path, front_gov, text_gov, flags)
    if given.get("government"):
        government, gov_source = str(given["government"]), "manifest"
    level = str(given.get("level") or "")
    if not level:
        if government == "国务院" or path.level == "national":
            level = "national"
        else:
            level = path.level or level_of(government) or text_level
    if not level:
        level = "district"
        flags.append("level_guessed")
    if level == "national" and not given.get("government"):
        government = "国务院"

    dated, delivered = delivery(text[:1500])
    from_parts = parts_year(titles)
    from_front = title_year(title) if title else None
    sources = {"path": path.year, "front": from_front, "date": dated, "parts": from_parts}
    year, year_source = _year(sources, flags, fallback_year, delivered)
    if given.get("year"):
        year, year_source = int(given["year"]), "manifest"
        flags = [f for f in flags if f != "year_unsure"]
    said = " ".join(f"{k}={v}" for k, v in sources.items() if v is not None)
    if delivered:
        said += f" delivered={delivered}"
    if given:
        said += " manifest=" + ",".join(f"{k}:{v}" for k, v in sorted(given.items()) if v)
    return Metadata(government, level, year, region_of(government, level), delivered,
                    said.strip(), year_source, gov_source, tuple(dict.fromkeys(flags)))


def _government(path: PathFacts, front: str, text: str, flags: list[str]) -> tuple[str, str]:
    named = [(n, s) for n, s in ((front, "front"), (text, "text")) if n]
    if path.government:
        if len(named) == 2 and same_government(front, text) and not same_government(front, path.government):
            flags.append("government_conflict")  # both the title and the text name another
            return max((front, text), key=len), "text"
        if any(not same_government(n, path.government) for n, _ in named):
            flags.append("government_conflict")
        return path.government, "path"
    if path.level == "national":
        return "国务院", "path"
    if not named:
        flags.append("government_unknown")
        return "", ""
    if len(named) == 2 and not same_government(front, text):
        flags.append("government_conflict")
        return text, "text"
    return max((n for n, _ in named), key=len), named[-1][1]


def _year(sources: dict[str, int | None], flags: list[str], fallback: int | None,
          delivered: str) -> tuple[int | None, str]:
    path, front, dated, parts = (sources[k] for k in ("path", "front", "date", "parts"))
    known = [v for v in sources.values() if v is not None]
    text = dated if dated is not None and (parts is None or parts == dated) else (
        parts if dated is None else None)  # the text's own year when its clues agree
    if path is not None:
        if dated is not None and dated == path + 1 and delivered[:4] == str(path):
            # delivered in November or December of the year the path names: next year's
            flags.append("year_from_delivery")
            if parts is not None and parts != dated:
                flags.append("year_unsure")
            return dated, "date"
        if len(set(known)) > 1:
            flags.append("year_unsure")
        if dated is not None and parts is not None and dated == parts != path:
            return dated, "text"  # the date and the parts agree on another year
        return path, "path"
    if len(set(known)) > 1 or len(known) < 2:
        flags.append("year_unsure")
    if text is not None:
        return text, "text"
    if front is not None:
        return front, "front"
    for value, name in ((parts, "parts"), (dated, "date")):
        if value is not None:
            return value, name
    if fallback is not None:
        return fallback, "content"
    flags.append("year_unknown")
    return None, ""


def ignored_name(relative: str) -> bool:
    """A file of a corpus folder that is no report (README.md, LICENSE, SOURCES.md …)."""
    stem = PurePosixPath(relative.replace("\\", "/")).stem.lower()
    return stem in _table()["path"]["ignored"]
