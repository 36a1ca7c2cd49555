"""Which government gave a report, and at which level, from the report's own opening lines."""
from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..rules import load_table

LEVELS = ("national", "province", "city", "district", "county")


@cache
def _rules() -> dict[str, Any]:
    return load_table("governments.toml")


def identify_government(text: str) -> tuple[str, str]:
    """(government, level) from the first lines of a report's text; ("", "") when it does
    not say (rules in ``data/governments.toml``)."""
    rules = _rules()
    head = text[:3000]
    for rule in rules["national"]:
        if rule["compiled"].search(head):
            return "国务院", "national"
    for rule in rules["name"]:
        for match in rule["compiled"].finditer(head):
            name = _clean(innermost(match.group("gov")))
            if name:
                return name, level_of(name)
    return "", ""


_GENERIC = re.compile(r"^(?:自治[区州县旗]|本[省市区县]|全[省市区县]|.*[第届].*)$")


def _clean(name: str) -> str:
    """A name as a report writes it, or "" when it names no place (自治区, 第九届省); a
    doubled ending (中卫市市人民政府) is written once."""
    name = re.sub(r"(市|县|区|州|旗|盟)\1$", r"\1", name)
    return "" if _GENERIC.match(name) or len(name) < 2 else name


def innermost(name: str) -> str:
    """呼伦贝尔市海拉尔区 -> 海拉尔区: the same government whether or not its city is named."""
    if name.endswith("自治区"):
        return name
    match = re.search(r"(?:市|州|盟)([\u4e00-\u9fff]{2,8}?(?:区|县|旗|市))$", name)
    return match.group(1) if match else name


def level_of(name: str) -> str:
    """The level a government's name says (省 province, 市 city, 区 district …), or ""."""
    levels = _rules()["levels"]
    if name in levels["municipalities"]:
        return "province"
    for level in ("province", "city", "district", "county"):
        if any(name.endswith(suffix) for suffix in levels[level]):
            return level
    return ""
