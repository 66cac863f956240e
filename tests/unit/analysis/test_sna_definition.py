"""The local definition drives the SNA (issue 9, item 5): its kinds are the filter and
the headings, each kind's mapping rules select the records of every source, terrorism
is excluded by offence code, and the result names the definition version. Counts are
known by construction."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from svduty.analysis.sna import SnaError, compute_sna
from svduty.partnership.codes import DefinitionSpec, KindSpec
from tests.factories.analysis import grid_tables
from tests.unit.analysis.test_sna import (
    basic_rows,
    extract_table,
    options,
    snapshot_folder,  # noqa: F401 (fixture)
)

VSO = "Violence and sexual offences"
KNIFE = KindSpec(
    key="Knife crime",
    label="Knife crime",
    police_uk=("Possession of weapons", VSO),
    ho_codes=("8N",),
    weapon_flags=("knife_or_sharp",),
    ed_methods=("knife_or_sharp_object",),
)
ROBBERY = KindSpec(
    key="Robbery",
    label="Robbery",
    police_uk=("Robbery",),
    ho_codes=("34",),
    weapon_flags=(),
    ed_methods=(),
)


def spec(excluded=("99",)) -> DefinitionSpec:
    return DefinitionSpec(
        id=7,
        number=3,
        agreed_on=dt.date(2021, 11, 1),
        label="local definition version 3, agreed 1 November 2021",
        kinds=(KNIFE, ROBBERY),
        excluded_codes=excluded,
        exclusions_source="Force crime registrar, 2021",
    )


def local(definition=None, **kwargs):
    """Options as the service builds them for a local definition."""
    definition = definition or spec()
    return options(
        sv_types=tuple(sorted({t for k in definition.kinds for t in k.police_uk})),
        sv_types_source="local",
        extract_ho_codes=definition.rule_union("ho_codes") or None,
        extract_weapon_flags=definition.rule_union("weapon_flags"),
        definition=definition,
        **kwargs,
    )


@pytest.fixture
def folder(snapshot_folder):  # noqa: F811
    jan = dt.date(2022, 1, 10)
    tables = grid_tables(street=basic_rows())
    tables["crime_extract"] = extract_table(
        [
            (jan, 1, 1, "8N", True, "E01000001", "18-24", "male", "W1"),  # knife
            (jan, 1, 1, "34A", False, "E01000002", "18-24", "male", "W1"),  # robbery
            (jan, 1, 1, "99/1", True, "E01000003", "18-24", "male", "W1"),  # excluded
            (jan, 1, 1, "99", False, "E01000003", "18-24", "male", "W1"),  # excluded
            (jan, 1, 1, "045/00", False, "E01000004", "18-24", "male", "W1"),  # not SV
        ]
    )
    tables["istv"] = pa.table(
        {
            "site_code": ["RTD01"] * 3,
            "assault_date": [dt.date(2022, 1, 5)] * 3,
            "assault_hour": [22, 23, 1],
            "assault_dow": [3, 3, 4],
            "assault_method": ["knife_or_sharp_object", "body_part", "body_part"],
            "assault_location_type": ["street"] * 3,
            "lsoa_code": ["E01000001"] * 3,
            "postcode_district": [None] * 3,
        }
    )
    return snapshot_folder(tables)


def extract_count(result) -> int:
    return result["time_of_day"]["crime_extract"]["total"]


def test_the_kinds_are_the_headings_and_the_filter(folder):
    # In the period and area: VSO 3, Possession of weapons 1, Robbery 1.
    result = compute_sna(folder, local())
    assert result["choices"]["kinds"] == ["Knife crime", "Robbery"]
    assert result["serious_violence"]["count"] == 5
    assert result["serious_violence"]["by_kind"] == [
        {"kind": "Knife crime", "count": 4, "share": 0.8},
        {"kind": "Robbery", "count": 1, "share": 0.2},
    ]
    knife = compute_sna(folder, local(kind="Knife crime"))
    assert knife["serious_violence"]["count"] == 4
    assert knife["serious_violence"]["by_kind"] == [
        {"kind": "Knife crime", "count": 4, "share": 1.0}
    ]
    assert knife["records"] == result["records"]  # all-crime counts unchanged
    robbery = compute_sna(folder, local(kind="Robbery"))
    assert robbery["serious_violence"]["count"] == 1
    with pytest.raises(SnaError):
        compute_sna(folder, local(kind=VSO))  # a police.uk type is not a kind here


def test_each_kind_selects_the_extract_and_ed_records_its_rules_name(folder):
    # Whole definition: 8N (code and knife), 34A (code); 99/1 has a knife flag but
    # its code is excluded; 99 is excluded; 045/00 is not serious violence.
    assert extract_count(compute_sna(folder, local())) == 2
    assert extract_count(compute_sna(folder, local(kind="Knife crime"))) == 1
    assert extract_count(compute_sna(folder, local(kind="Robbery"))) == 1
    # ED: the definition's rules name knife_or_sharp_object only.
    assert compute_sna(folder, local())["ed_vs_police"]["total"] == 1
    assert compute_sna(folder, local(kind="Robbery"))["ed_vs_police"]["total"] == 0
    # The default definition counts every ED assault, as before.
    assert compute_sna(folder, options())["ed_vs_police"]["total"] == 3


def test_terrorism_is_excluded_by_code_not_by_a_word(folder):
    without = compute_sna(folder, local(spec(excluded=())))
    assert extract_count(without) == 3  # 99/1 counts by its knife flag
    assert "not screened for terrorism" in without["method"]["serious_violence"]
    excluded = compute_sna(folder, local())
    assert extract_count(excluded) == 2
    assert (
        "offence codes 99 (or their subdivisions)"
        in (excluded["method"]["serious_violence"])
    )


def test_the_result_names_the_definition_version(folder):
    result = compute_sna(folder, local())
    stamp = result["definition"]
    assert stamp["number"] == 3 and stamp["agreed_on"] == "2021-11-01"
    assert stamp["excluded_offence_codes"] == ["99"]
    assert [k["label"] for k in stamp["kinds"]] == ["Knife crime", "Robbery"]
    assert "local definition version 3" in result["method"]["serious_violence"]
    assert "definition" not in compute_sna(folder, options())
