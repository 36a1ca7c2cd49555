"""Catalogues of lead units by level, year and region, each unit with its duties (三定职责).

The standard catalogues come from ``duban/data/catalogue.toml``: ``catalogue_for("city", 2018,
"成都市")`` is what a city in Sichuan had in early 2018 (市卫计委, 市建委, 市交委 …), with the duties
of units that did not exist then handed to the unit that did the work (医保 to 人社 before 2019).
An office brings its own list with ``load_directory`` (名录.xlsx: name, short name, duties, parent).
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import CorruptInput, RuleError, ValidationFailed
from ..rules import load_table

__all__ = ["LEVELS", "Catalogue", "Duty", "OfficeUnit", "Unit", "catalogue_for",
           "catalogue_from_rows", "load_directory", "parse_duties", "region_of"]

LEVELS = ("national", "province", "city", "district", "county")
_DATA = "duban/data/catalogue.toml"
_KINDS = {"government", "party", "mass", "central", "enterprise", "zone", "township", "office"}
_LEVEL_KEYS = {"national": ("national",), "province": ("province", "local"),
               "city": ("city", "local"), "district": ("district", "county", "local"),
               "county": ("county", "local")}
_YEAR_KEYS = {level: keys for level, keys in _LEVEL_KEYS.items()}
_DEFAULT_PREFIX = {"national": "", "province": "省", "city": "市", "district": "区", "county": "县"}
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_NEWEST = 9999


@dataclass(frozen=True)
class Duty:
    """One duty of a unit: a label and the words a task about it uses (weak words count less)."""

    label: str
    words: tuple[str, ...]
    weak: frozenset[str] = frozenset()
    source: str = ""  # the unit whose duty this was, when it came by fallback


@dataclass(frozen=True)
class Unit:
    """A unit that can lead a task: a department, a party body, a mass organisation, a firm."""

    id: str
    name: str
    short: tuple[str, ...]
    function: str
    kind: str
    duties: tuple[Duty, ...] = ()
    parent: str = ""

    @property
    def display(self) -> str:
        """The short form real plans use (市人社局), else the full name."""
        return self.short[0] if self.short else self.name


def _normal(name: str) -> str:
    return re.sub(r"\s+", "", name)


@dataclass
class Catalogue:
    """The units of one government, found by full name, short form, id or function."""

    units: tuple[Unit, ...]
    level: str = ""
    year: int | None = None
    region: str = ""
    source: str = _DATA
    stop_words: tuple[str, ...] = ()
    _by_name: dict[str, Unit] = field(default_factory=dict, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units:
            for alias in (unit.name, *unit.short):
                self._by_name.setdefault(_normal(alias), unit)

    def find(self, name: str) -> Unit | None:
        """A unit by its full name or any short form (white space ignored)."""
        return self._by_name.get(_normal(name))

    def by_id(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def by_function(self, function: str) -> Unit | None:
        """The first unit of a field (发改, 卫健 …), or None."""
        return next((u for u in self.units if u.function == function), None)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)


# --- the data file ------------------------------------------------------------------------------

def parse_duties(text: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """``"就业 稳就业 参保~"`` -> label, words, weak words (the label is the first word)."""
    words, weak = [], set()
    for raw in text.split():
        word = raw.rstrip("~")
        if not word:
            continue
        if raw.endswith("~"):
            weak.add(word)
        if word not in words:
            words.append(word)
    if not words:
        return "", (), frozenset()
    return words[0], tuple(words), frozenset(weak)


def _where(raw_ids: Mapping[str, int], unit_id: str) -> str:
    return f"{_DATA}:{raw_ids.get(unit_id, 0)} unit {unit_id}"


@cache
def _table() -> dict[str, Any]:
    """catalogue.toml, checked: every unit's fields, names, years, references."""
    table = load_table("catalogue.toml")
    units = table.get("unit")
    if not isinstance(units, list) or not units:
        raise RuleError(_DATA, "没有 [[unit]] 条目 (no units)")
    lines = {entry.get("id", ""): n for n, entry in enumerate(units)}
    ids = {entry["id"] for entry in units}
    regions = {entry["id"] for entry in table.get("region", [])}
    for entry in units:
        where = _where(lines, entry["id"])
        for key in ("function", "kind", "names"):
            if key not in entry:
                raise RuleError(where, f"缺少 {key} (missing {key})")
        if entry["kind"] not in _KINDS:
            raise RuleError(where, f"kind 应为 {sorted(_KINDS)} 之一 (unknown kind {entry['kind']})")
        if not entry.get("duties") and not entry.get("duties_from"):
            raise RuleError(where, "没有职责 (no duties and no duties_from)")
        for item in entry.get("duties", []):
            if not isinstance(item, (str, dict)) or (isinstance(item, dict) and
                                                     not isinstance(item.get("words"), str)):
                raise RuleError(where, "职责应为字符串或含 words 的表 (a duty is a string or a "
                                       "table with words)")
        for key in entry["names"]:
            if key not in ("national", "province", "city", "county", "district", "local"):
                raise RuleError(where, f"names 的层级 {key} 未知 (unknown level)")
        for ref in ("fallback", "duties_from"):
            if ref in entry and entry[ref] not in ids:
                raise RuleError(where, f"{ref} 指向不存在的单位 {entry[ref]} (unknown unit)")
        for ref in entry.get("replaces", []):
            if ref not in ids:
                raise RuleError(where, f"replaces 指向不存在的单位 {ref} (unknown unit)")
        for region in entry.get("regions", []):
            if region not in regions:
                raise RuleError(where, f"regions 中的 {region} 没有 [[region]] 条目 (unknown region)")
    return table


def region_of(place: str | None) -> str:
    """The province a place lies in, as far as catalogue.toml knows (the place itself for a
    province, "" when unknown)."""
    if not place:
        return ""
    place = _normal(place)
    for region in _table().get("region", []):
        if place == region["id"] or place in region.get("places", []):
            return str(region["id"])
    return place if place.endswith(("省", "自治区")) or place in _MUNICIPALITIES else ""


def _by_level(value: Any, level: str) -> Any:
    if not isinstance(value, dict):
        return value
    for key in _LEVEL_KEYS[level]:
        if key in value:
            return value[key]
    return None


def _exists(entry: Mapping[str, Any], level: str, year: int, region: str) -> bool:
    if _by_level(entry["names"], level) is None:
        return False
    since = _by_level(entry.get("since"), level)
    until = _by_level(entry.get("until"), level)
    if since is not None and year < since:
        return False
    if until is not None and year > until:
        return False
    regions = entry.get("regions")
    return not regions or region in regions


def _prefix(level: str, government: str, region: str) -> str:
    if level == "province":
        if government.endswith("自治区") or (not government and region.endswith("自治区")):
            return "自治区"
        if government in _MUNICIPALITIES:
            return "市"
    if level in ("city", "district", "county") and government:
        for end in ("自治州", "州", "盟", "地区", "自治旗", "旗", "自治县", "县", "区", "市"):
            if government.endswith(end):
                return {"自治州": "州", "自治旗": "旗", "自治县": "县", "地区": "地区"}.get(end, end)
    return _DEFAULT_PREFIX[level]


def _place_name(government: str) -> str:
    """西安市 -> 西安, 内蒙古自治区 -> 内蒙古, 海拉尔区 -> 海拉尔 (what {g} stands for)."""
    return re.sub(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|区|县|旗|盟|州)$", "", government)


def _fill(template: str, prefix: str, place: str, municipality: bool) -> str:
    text = template.replace("{p}", prefix).replace("{g}", place or prefix)
    if municipality and text.endswith("厅") and not text.endswith("办公厅"):
        text = text[:-1] + "局"  # a municipality's departments are 局 and 委, not 厅
    return text


def _duties(entry: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]], level: str,
            year: int, seen: frozenset[str] = frozenset()) -> list[Duty]:
    """A unit's duties in ``year``: those of ``duties_from`` first, then its own (a duty given as
    a table has its own since/until: 老龄 went from 卫健 to 民政 in 2023)."""
    out: list[Duty] = []
    source = entry.get("duties_from")
    if source and source not in seen:
        out += _duties(by_id[source], by_id, level, year, seen | {entry["id"]})
    for item in entry.get("duties", []):
        if isinstance(item, dict):
            since, until = _by_level(item.get("since"), level), _by_level(item.get("until"), level)
            if (since is not None and year < since) or (until is not None and year > until):
                continue
            item = item.get("words", "")
        label, words, weak = parse_duties(str(item))
        if words:
            out.append(Duty(label, words, weak))
    return out


@cache
def catalogue_for(level: str, year: int | None = None, region: str | None = None,
                  government: str | None = None) -> Catalogue:
    """The standard units of a government of ``level`` in the report of ``year`` (newest when
    None), in ``region`` (a province, or any place catalogue.toml places in one).

    ``government`` (西安市, 海拉尔区) gives the prefix (州, 旗, 自治区) and the place in names such as
    国家税务总局西安市税务局; by default it is ``region`` when that names a place of this level.
    The duties of a unit that does not exist here pass to its ``fallback``.
    """
    if level not in LEVELS:
        raise RuleError(_DATA, f"层级 {level} 未知，应为 {'/'.join(LEVELS)} (unknown level)")
    table = _table()
    entries = table["unit"]
    by_id = {entry["id"]: entry for entry in entries}
    when = year if year is not None else _NEWEST
    province = region_of(region) or region_of(government)
    if government is None and region and level != "national" and region != province:
        government = region
    government = _normal(government or "")
    if level == "province" and not government and province:
        government = province
    prefix = _prefix(level, government, province)
    place = _place_name(government)
    municipality = level == "province" and government in _MUNICIPALITIES
    present = [e for e in entries if _exists(e, level, when, province)]
    replaced = {ref for e in present if e.get("regions") for ref in e.get("replaces", [])}
    present = [e for e in present if e["id"] not in replaced]
    present_ids = {e["id"] for e in present}
    duties = {e["id"]: _duties(e, by_id, level, when) for e in present}
    # the duties of an absent unit go to the first present unit along its fallbacks
    for entry in entries:
        if entry["id"] in present_ids or entry["id"] in replaced or "fallback" not in entry:
            continue
        if not _by_level(entry["names"], level) and not entry.get("duties"):
            continue
        target, hops = entry.get("fallback"), 0
        while target and target not in present_ids and hops < 5:
            target, hops = by_id[target].get("fallback"), hops + 1
        if target in present_ids:
            duties[str(target)] += [Duty(d.label, d.words, d.weak, entry["id"])
                                    for d in _duties(entry, by_id, level, when)]
    units = []
    for entry in present:
        name = _fill(str(_by_level(entry["names"], level)), prefix, place, municipality)
        shorts = [s for s in _by_level(entry.get("short", {}), level) or []
                  if place or "{g}" not in s]  # 国网{g}供电公司 needs the place's name
        short = tuple(dict.fromkeys(_fill(s, prefix, place, municipality) for s in shorts))
        units.append(Unit(id=entry["id"], name=name, short=short, function=entry["function"],
                          kind=entry["kind"], duties=tuple(duties[entry["id"]])))
    return Catalogue(tuple(units), level=level, year=year, region=province,
                     stop_words=tuple(table.get("stop", {}).get("words", [])))


# --- an office's own list -----------------------------------------------------------------------

_COLUMNS = {"name": ("name", "名称", "单位名称", "部门名称", "全称"),
            "short": ("short name", "short", "简称", "单位简称"),
            "duties": ("duties", "职责", "主要职责", "职能"),
            "parent": ("parent", "上级", "上级单位", "主管单位")}
_DUTY_SPLIT = re.compile(r"[、，,；;。：:\s/（）()“”\"]+")
_DUTY_VERBS = re.compile(r"^(负责|承担|组织|指导|统筹|协调|拟订|拟定|推进|推动|实施|开展|管理|监督|"
                         r"监管|牵头|做好|加强|落实|促进|参与|协助|全市|全区|全县|全省|本级)+")
_DUTY_TAILS = re.compile(r"(等)?(工作|事项|职责|有关|相关)+$")


def _duty_words(text: str) -> tuple[str, ...]:
    """An office's free-text duties (负责全市养老服务、社会救助工作) -> words (养老服务, 社会救助)."""
    words = []
    for part in _DUTY_SPLIT.split(text):
        word = _DUTY_TAILS.sub("", _DUTY_VERBS.sub("", part))
        if len(word) >= 2 and word not in words:
            words.append(word)
    return tuple(words)


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, cells by column) of the first sheet; columns found by their header."""
    try:
        from openpyxl import load_workbook  # heavy: imported when a list is loaded
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise CorruptInput(str(path), f"需要 openpyxl 读取 .xlsx (openpyxl missing: {exc})") from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise CorruptInput(str(path), "文件不存在 (no such file)") from None
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise CorruptInput(str(path), f"不是可读的 .xlsx 文件 (not a readable .xlsx: {exc})") \
            from None
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    header_at = next((i for i, row in enumerate(rows) if any(c not in (None, "") for c in row)),
                     None)
    if header_at is None:
        raise ValidationFailed(str(path), [(1, "name", "表格为空 (the sheet is empty)")])
    header = [str(c or "").strip().lower() for c in rows[header_at]]
    columns: dict[str, int] = {}
    for key, names in _COLUMNS.items():
        for i, cell in enumerate(header):
            if cell in names:
                columns[key] = i
                break
    if "name" not in columns:
        raise ValidationFailed(str(path), [(header_at + 1, "name",
                               "表头没有“名称”列 (no name column; expected name/名称, "
                               "short name/简称, duties/职责, parent/上级)")])
    out = []
    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {key: str(row[col]).strip() if col < len(row) and row[col] is not None else ""
                 for key, col in columns.items()}
        if any(cells.values()):
            out.append((i, cells))
    return out


@dataclass(frozen=True)
class OfficeUnit:
    """One unit of an office's own list: what ``duban departments import 名录.xlsx`` reads from a
    row (name, short names, duties in free text, parent), ``row`` its number for error messages
    and ``function`` (发改, 卫健 …) when the list already knows it."""

    name: str
    short: tuple[str, ...] = ()
    duties: str = ""
    parent: str = ""
    row: int = 0
    function: str = ""


def catalogue_from_rows(rows: Sequence[OfficeUnit], level: str = "district",
                        year: int | None = None, region: str | None = None,
                        government: str | None = None, source: str = "名录",
                        strict: bool = True) -> Catalogue:
    """An office's own list of units as a Catalogue that ``suggest`` and ``assign_tasks`` use.

    Each unit keeps the office's names; its duties are the office's words plus, where its name
    is that of a standard unit of ``level``/``year``/``region`` (区人社局, 人力资源和社会保障局) or
    its ``function`` is a standard field, that unit's duties, so a bare list of names already
    suggests well. ``strict``: every problem (empty or duplicate name, unknown parent, a unit
    with neither duties nor a standard match) is reported at once with its row and column
    (ValidationFailed naming ``source``); otherwise such units are left out.
    """
    standard = catalogue_for(level, year, region, government)
    errors: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    parsed: list[tuple[int, str, tuple[str, ...], OfficeUnit]] = []
    for n, unit in enumerate(rows, start=1):
        row = unit.row or n
        name = _normal(unit.name)
        if not name:
            errors.append((row, "name", "名称为空 (name is empty)"))
            continue
        shorts = tuple(dict.fromkeys(s for s in map(_normal, unit.short) if s and s != name))
        for alias in (name, *shorts):
            if alias in seen:
                errors.append((row, "name" if alias == name else "short name",
                               f"“{alias}”与第{seen[alias]}行重复 (duplicate of row {seen[alias]})"))
            else:
                seen[alias] = row
        parsed.append((row, name, shorts, unit))
    for row, _, _, unit in parsed:
        parent = _normal(unit.parent)
        if parent and parent not in seen:
            errors.append((row, "parent", f"上级单位“{parent}”不在名录中 (parent not in the list)"))
    if not parsed and not errors:
        errors.append((1, "name", "名录中没有单位 (no units in the list)"))
    if errors and strict:
        raise ValidationFailed(source, errors)
    matches = {}
    for row, name, shorts, unit in parsed:
        match = _standard_unit(standard, (name, *shorts))
        if match is None and unit.function:
            match = standard.by_function(unit.function)
        matches[row] = match
    handed = _handed_down(standard, {m.id: row for row, m in matches.items() if m is not None})
    units = []
    for row, name, shorts, unit in parsed:
        match = matches[row]
        words = _duty_words(unit.duties)
        duties = ((Duty(words[0], words),) if words else ()) + (match.duties if match else ()) \
            + handed.get(row, ())
        if not duties:
            errors.append((row, "duties", f"“{name}”没有职责，也不是已知的标准单位，无法用于建议 "
                                          "(no duties and not a known standard unit)"))
            continue
        function = match.function if match else (unit.function or name)
        units.append(Unit(id=f"office.{row}", name=name, short=shorts, function=function,
                          kind="office", duties=duties, parent=_normal(unit.parent)))
    if errors and strict:
        raise ValidationFailed(source, errors)
    return Catalogue(tuple(units), level=level, year=year, region=standard.region,
                     source=source, stop_words=standard.stop_words)


def _handed_down(standard: Catalogue, office_rows: Mapping[str, int]
                 ) -> dict[int, tuple[Duty, ...]]:
    """Row -> the duties of the standard units the office's list lacks, each given to the unit
    along its ``fallback`` chain that the list has (能源 to 发改, 医保 to 人社): the work has to
    land somewhere, and where catalogue.toml says it lands when the unit does not exist."""
    by_id = {entry["id"]: entry for entry in _table()["unit"]}
    out: dict[int, list[Duty]] = {}
    for unit in standard:
        if unit.id in office_rows:
            continue
        target, hops = by_id.get(unit.id, {}).get("fallback"), 0
        while target and target not in office_rows and hops < 5:
            target, hops = by_id.get(target, {}).get("fallback"), hops + 1
        if target in office_rows:
            out.setdefault(office_rows[target], []).extend(
                Duty(d.label, d.words, d.weak, unit.id) for d in unit.duties if not d.source)
    return {row: tuple(duties) for row, duties in out.items()}


def load_directory(path: str | Path, level: str = "district", year: int | None = None,
                   region: str | None = None, government: str | None = None) -> Catalogue:
    """An office's own list of units (名录.xlsx: name, short name, duties, parent) as a Catalogue
    (``catalogue_from_rows`` on the rows of the first sheet, columns found by their header)."""
    path = Path(path)
    rows = [OfficeUnit(name=cells.get("name", ""),
                       short=tuple(re.split(r"[、，,；;/]", cells.get("short", ""))),
                       duties=cells.get("duties", ""), parent=cells.get("parent", ""), row=row)
            for row, cells in _read_rows(path)]
    return catalogue_from_rows(rows, level, year, region, government, source=str(path))


def _core(name: str) -> str:
    """The part of a unit's name that says what it is: 区人社局 -> 人社, 省卫生健康委员会 -> 卫生健康."""
    name = re.sub(r"^(中共|中国共产党)?[\u4e00-\u9fff]{0,8}?(自治区|省|市|区|县|旗|盟|州)(委)?", "", name)
    return re.sub(r"(委员会|办公室|管理局|局|厅|委|部|办|中心|分局)$", "", name)


def _standard_unit(standard: Catalogue, names: Sequence[str]) -> Unit | None:
    """The standard unit an office's unit is, by exact name, else by the core of a name."""
    for name in names:
        unit = standard.find(name)
        if unit is not None:
            return unit
    best: tuple[int, Unit] | None = None
    for unit in standard:
        for alias in (unit.name, *unit.short):
            core = _core(alias)
            if len(core) >= 2 and any(core == _core(n) or core in n for n in names):
                if best is None or len(core) > best[0]:
                    best = (len(core), unit)
    return best[1] if best else None
