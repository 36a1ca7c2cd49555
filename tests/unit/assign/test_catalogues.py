"""Catalogues by level, year and region (catalogue.toml), and an office's own list (名录.xlsx)."""
from __future__ import annotations

from pathlib import Path

import pytest

from duban.assign._catalogues import (LEVELS, Catalogue, catalogue_for, load_directory,
                                      parse_duties, region_of)
from duban.assign._suggest import suggest
from duban.errors import CorruptInput, RuleError, ValidationFailed


def names(catalogue: Catalogue) -> set[str]:
    return {alias for unit in catalogue for alias in (unit.name, *unit.short)}


def test_a_city_in_2018_has_the_names_before_the_2018_reform() -> None:
    old = names(catalogue_for("city", 2018))
    assert {"市卫计委", "市环保局", "市安监局", "市国土局", "市工商局", "市食药监局", "市扶贫办",
            "市国税局", "市地税局"} <= old
    assert not {"市卫健委", "市医保局", "市应急局", "市退役军人事务局"} & old
    new = names(catalogue_for("city", 2021))
    assert {"市卫健委", "市医保局", "市应急局", "市退役军人事务局", "市自然资源和规划局",
            "市税务局"} <= new
    assert not {"市卫计委", "市环保局", "市工商局", "市国税局"} & new


def test_the_2023_reform_and_older_national_names() -> None:
    now = names(catalogue_for("national", 2025))
    assert {"国家数据局", "金融监管总局", "中央社会工作部", "国家疾控局", "国家林草局"} <= now
    assert not {"银保监会", "国家乡村振兴局", "国家卫生计生委"} & now
    assert {"银保监会", "国家乡村振兴局"} <= names(catalogue_for("national", 2023))
    old = names(catalogue_for("national", 2010))
    assert {"卫生部", "国家人口计生委", "银监会", "国土资源部", "环境保护部", "国家林业局",
            "国务院扶贫办"} <= old
    assert not {"国家数据局", "国家医保局", "应急管理部"} & old
    assert "国家计委" in names(catalogue_for("national", 2002))


def test_older_local_health_units_by_year() -> None:
    assert {"市卫生局", "市人口计生委"} <= names(catalogue_for("city", 2013))
    assert "市卫计委" not in names(catalogue_for("city", 2013))
    assert "市卫计委" in names(catalogue_for("city", 2016))


def test_an_autonomous_region_has_its_own_prefix_and_units() -> None:
    nmg = catalogue_for("province", 2024, "内蒙古自治区")
    found = nmg.find("自治区人力资源和社会保障厅")
    assert found is not None and found.function == "人社"
    assert nmg.find("自治区农牧厅") is not None and nmg.find("自治区农业农村厅") is None
    assert nmg.find("自治区林草局") is not None and nmg.find("自治区能源局") is not None
    # a city of the region is found by its name, and gets the region's units
    city = catalogue_for("city", 2025, "巴彦淖尔市")
    assert city.region == "内蒙古自治区"
    assert city.find("市农牧局") is not None and city.find("市农业农村局") is None
    # elsewhere: 农业农村厅, no provincial 能源局 (energy is the 发改委's)
    henan = catalogue_for("province", 2026, "河南省")
    assert henan.find("省农业农村厅") is not None and henan.find("省能源局") is None
    assert henan.find("国网河南省电力公司") is not None


def test_places_and_prefixes() -> None:
    assert region_of("呼伦贝尔市") == "内蒙古自治区"
    assert region_of("海拉尔区") == "内蒙古自治区"
    assert region_of("河南省") == "河南省"
    assert region_of("不存在市") == ""
    banner = catalogue_for("county", 2025, government="鄂温克族自治旗")
    assert banner.find("旗人社局") is not None
    beijing = catalogue_for("province", 2025, government="北京市")
    assert beijing.find("市教育局") is not None  # a municipality's 局, not 厅


def test_duties_of_a_unit_that_does_not_exist_pass_to_its_fallback() -> None:
    before = catalogue_for("city", 2018)
    renshe = before.find("市人社局")
    assert renshe is not None
    assert any(d.source == "yibao" for d in renshe.duties)  # 医保 was 人社's before 2019
    assert suggest("城乡居民基本医疗保险参保率达95%", (), before).lead == renshe
    after = catalogue_for("city", 2021)
    lead = suggest("城乡居民基本医疗保险参保率达95%", (), after).lead
    assert lead is not None and lead.display == "市医保局"
    # 老龄 went from 卫健 to 民政 with the 2023 reform (locally in 2024)
    old_age = "创建全国示范性老年友好型社区"
    lead_2023 = suggest(old_age, (), catalogue_for("city", 2023)).lead
    lead_2026 = suggest(old_age, (), catalogue_for("city", 2026)).lead
    assert lead_2023 is not None and lead_2023.function == "卫健"
    assert lead_2026 is not None and lead_2026.function == "民政"


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("year", [2005, 2012, 2016, 2018, 2019, 2020, 2023, 2024, 2026, None])
def test_every_catalogue_is_consistent(level: str, year: int | None) -> None:
    for region in ("", "内蒙古自治区", "四川省", "广东省", "北京市"):
        catalogue = catalogue_for(level, year, region or None)
        assert len(catalogue) >= 40
        seen: dict[str, str] = {}
        for unit in catalogue:
            assert unit.duties, unit.id
            assert "{" not in unit.name and all("{" not in s for s in unit.short), unit.id
            for alias in {unit.name, *unit.short}:
                assert seen.setdefault(alias, unit.id) == unit.id, (alias, unit.id, seen[alias])


def test_each_duty_leads_to_a_unit_that_holds_it() -> None:
    """A task that is only a duty's name goes to a unit whose duties hold that word."""
    for level in ("national", "province", "city", "county"):
        catalogue = catalogue_for(level, 2025)
        for unit in catalogue:
            for duty in unit.duties:
                if duty.label in duty.weak:
                    continue
                lead = suggest(duty.label, (), catalogue).lead
                assert lead is not None, (level, unit.id, duty.label)
                assert any(duty.label in d.words for d in lead.duties), (level, unit.id,
                                                                         duty.label, lead.id)


def test_parse_duties_and_bad_levels() -> None:
    assert parse_duties("就业 稳就业 参保~ 就业") == ("就业", ("就业", "稳就业", "参保"),
                                                     frozenset({"参保"}))
    assert parse_duties("  ") == ("", (), frozenset())
    with pytest.raises(RuleError, match="unknown level"):
        catalogue_for("village")


# --- an office's own list -------------------------------------------------------------------

def write_sheet(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_office_list_is_a_catalogue_with_its_own_names(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "名录.xlsx", [
        ["名称", "简称", "职责", "上级"],
        ["成都市青羊区人力资源和社会保障局", "区人社局", "负责全区就业创业、社会保险工作", ""],
        ["成都市青羊区住房建设和交通运输局", "区住建交通局", "负责城市道路、公共交通、保障性住房", ""],
        ["青羊区文化体育和旅游局", "区文体旅局", "", ""],
        ["青羊区草堂街道办事处", "草堂街道", "辖区社区治理、网格化服务", ""],
        ["区就业服务中心", "", "就业见习、职业介绍", "区人社局"],
    ])
    office = load_directory(path, level="district", year=2023, region="青羊区")
    assert len(office) == 5
    unit = office.find("区住建交通局")
    assert unit is not None and unit.kind == "office"
    culture = office.find("区文体旅局")
    assert culture is not None and culture.function == "文旅"  # a bare name: standard duties
    lead = suggest("新开通公交线路3条", (), office).lead
    assert lead is not None and lead.display == "区住建交通局"
    lead = suggest("高质量筹办大运会，全面做好赛事服务保障", (), office).lead
    assert lead is not None and lead.display == "区文体旅局"
    child = office.find("区就业服务中心")
    assert child is not None and child.parent == "区人社局"


def test_an_office_list_with_errors_names_every_row_and_column(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "bad.xlsx", [
        ["name", "short name", "duties", "parent"],
        ["区民政局", "区民政局", "养老服务", ""],
        ["", "区无名局", "", ""],
        ["区民政局", "", "社会救助", ""],
        ["区某某中心", "", "", "区不存在局"],
    ])
    with pytest.raises(ValidationFailed) as caught:
        load_directory(path)
    errors = caught.value.errors
    assert (3, "name", "名称为空 (name is empty)") in errors
    assert any(row == 4 and column == "name" and "第2行" in message
               for row, column, message in errors)
    assert any(row == 5 and column == "parent" for row, column, _ in errors)
    assert "bad.xlsx" in str(caught.value) and "第3行[name]" in str(caught.value)


def test_an_office_list_without_a_name_column_or_not_a_workbook(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "x.xlsx", [["单位", "职责"], ["区民政局", "养老"]])
    with pytest.raises(ValidationFailed, match="name"):
        load_directory(path)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CorruptInput, match="fake.xlsx"):
        load_directory(fake)
    with pytest.raises(CorruptInput, match="no such file"):
        load_directory(tmp_path / "missing.xlsx")
    unknown = write_sheet(tmp_path / "u.xlsx", [["名称", "职责"], ["区某某办", ""]])
    with pytest.raises(ValidationFailed, match="no duties"):
        load_directory(unknown)
