from __future__ import annotations

import pytest

from duban import read_report
from duban.extract import extract
from duban.assign import assign_tasks, load_catalogue, suggest_departments
from duban.rules import load_table


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_catalogue_finds_full_and_short_names(catalogue) -> None:
    assert catalogue.find("区人社局") is catalogue.find("区人力资源和社会保障局")
    assert catalogue.find("区 卫健局").function == "卫健"
    assert catalogue.find("区不存在局") is None
    assert len(catalogue) >= 30


def test_city_and_province_catalogues_derive_by_prefix() -> None:
    city = load_catalogue("city")
    assert city.find("市人社局").name == "市人力资源和社会保障局"
    assert city.by_function("发改").name == "市发展和改革委员会"
    assert city.by_function("卫健").display == "市卫健委"
    province = load_catalogue("province")
    # a province's departments have their own names (厅, 委), not the district's with 省
    assert province.find("省人社厅").name == "省人力资源和社会保障厅"
    assert province.find("省人社局") is None
    assert province.by_function("公安").name == "省公安厅"
    assert province.by_function("卫健").display == "省卫健委"
    assert province.by_function("街道").name == "各市（州）人民政府"
    # the State Council's catalogue: ministries only, by their own names
    national = load_catalogue("national")
    assert national.by_function("人社").display == "人力资源社会保障部"
    assert national.by_function("发改").name == "国家发展和改革委员会"
    assert national.by_function("城管") is None  # no such ministry: left for a person
    assert all(not d.name.startswith(("区", "省", "市")) for d in national)
    # no short form names two departments
    for level in ("district", "city", "province", "national"):
        owners: dict[str, set[str]] = {}
        for dept in load_catalogue(level):
            for alias in (dept.name, *dept.short):
                owners.setdefault(alias, set()).add(dept.key)
        assert all(len(keys) == 1 for keys in owners.values()), level


def test_every_rule_example_leads_to_its_function(catalogue) -> None:
    for rule in load_table("assign.toml")["rule"]:
        for example in rule["examples"]:
            suggestion = suggest_departments(example, catalogue)
            assert suggestion.lead is not None, f"{rule['id']}: {example}"
            assert suggestion.lead.function == rule["lead"], f"{rule['id']}: {example}"
            assert rule["id"] in suggestion.rules


def test_insurance_has_a_co_unit_and_unknown_is_left_for_a_person(catalogue) -> None:
    s = suggest_departments("确保城乡居民养老保险参保率在95%以上", catalogue)
    assert s.lead.display == "区人社局" and [d.display for d in s.co] == ["区医保局"]
    unknown = suggest_departments("深入学习贯彻", catalogue)
    assert unknown.lead is None and unknown.confidence == 0.0 and unknown.rules == ()


def test_assign_tasks_fills_every_task(catalogue) -> None:
    text = "各位代表：\n二、2023年工作安排\n全力稳就业促增收。力争新增就业1.6万人，落实助企稳岗政策。\n"
    result = assign_tasks(extract(read_report(text.encode(), "t.txt", "txt")), catalogue)
    assert [t.lead for t in result.tasks] == ["区人社局", "区人社局"]
    assert all(0 < t.confidence <= 1 for t in result.tasks)
