"""Every comparison level, on a pair of records made for it: the pair lands on
that level (its gamma value, found by the level's name in ``engine.LEVELS``)."""

from __future__ import annotations

import pandas as pd
import pytest

from svduty.linkage import engine

BASE = {
    "agency_code": "SCHOOL",
    "forenames": "Elizabeth",
    "surname": "Okafor",
    "date_of_birth": "2010-05-07",
    "sex": "F",
    "postcode": "TS1 2AB",
    "nhs_number": "",
    "nhs_number_valid": None,
    "upn": "",
    "upn_valid": None,
    "pnc_id": "",
    "pnc_id_valid": None,
}

# comparison, level, changes to the left record, changes to the right record
CASES = [
    ("forename", "same", {}, {}),
    ("forename", "root", {}, {"forenames": "Liz"}),
    ("forename", "swapped", {}, {"forenames": "Okafor", "surname": "Elizabeth"}),
    ("forename", "close", {}, {"forenames": "Elizabteh"}),
    ("forename", "root", {"forenames": "Samuel"}, {"forenames": "Sam"}),
    ("forename", "root_close", {"forenames": "Mohammed"}, {"forenames": "Muhamad"}),
    ("forename", "root_close", {"forenames": "Florence"}, {"forenames": "Floo"}),
    ("forename", "root_close", {"forenames": "Sam"}, {"forenames": "Smuel"}),
    ("forename", "shortened", {"forenames": "Dan"}, {"forenames": "Danyal"}),
    ("forename", "one_letter", {"forenames": "Tim"}, {"forenames": "Tam"}),
    ("forename", "sounds", {"forenames": "Stephen"}, {"forenames": "Steven"}),
    ("forename", "different", {}, {"forenames": "Grace"}),
    ("surname", "same", {}, {}),
    ("surname", "swapped", {}, {"forenames": "Okafor", "surname": "Elizabeth"}),
    ("surname", "root", {"surname": "Hussain"}, {"surname": "Hussein"}),
    ("surname", "part", {"surname": "Okafor-Jones"}, {"surname": "Jones"}),
    ("surname", "close", {}, {"surname": "Okafro"}),
    ("surname", "sounds", {"surname": "Robertson"}, {"surname": "Rupertsen"}),
    ("surname", "different", {}, {"surname": "Walsh"}),
    ("dob", "same", {}, {}),
    ("dob", "swapped", {}, {"date_of_birth": "2010-07-05"}),
    ("dob", "year", {}, {"date_of_birth": "2011-05-07"}),
    ("dob", "digit", {}, {"date_of_birth": "2010-05-17"}),
    ("dob", "days", {"date_of_birth": "2010-05-31"}, {"date_of_birth": "2010-06-01"}),
    ("dob", "different", {}, {"date_of_birth": "2003-12-25"}),
    ("postcode", "same", {}, {}),
    ("postcode", "sector", {}, {"postcode": "TS1 2ZZ"}),
    ("postcode", "district", {}, {"postcode": "TS1 5QA"}),
    ("postcode", "different", {}, {"postcode": "TS17 5QA"}),
    (
        "nhs_number",
        "same",
        {"nhs_number": "9434765919", "nhs_number_valid": True},
        {"nhs_number": "9434765919", "nhs_number_valid": True},
    ),
    (
        "nhs_number",
        "slip",
        {"nhs_number": "9434765919", "nhs_number_valid": True},
        {"nhs_number": "9434765910", "nhs_number_valid": False},
    ),
    (
        "nhs_number",
        "different",
        {"nhs_number": "9434765919", "nhs_number_valid": True},
        {"nhs_number": "4010232137", "nhs_number_valid": True},
    ),
    ("agency", "same", {}, {}),
    ("agency", "different", {}, {"agency_code": "POLICE"}),
    ("sex", "same", {}, {}),
    ("sex", "different", {}, {"sex": "M"}),
]


@pytest.fixture(scope="module")
def score():
    def run(left: dict, right: dict) -> dict:
        frame = pd.DataFrame([{**BASE, **left}, {**BASE, **right}])
        frame["unique_id"] = ["l", "r"]
        prepared = engine.prepare(frame)
        text = [
            c
            for c in prepared.columns
            if prepared[c].dtype == object and c != "surname_parts"
        ]
        prepared[text] = prepared[text].astype("string")
        db_api = engine.duckdb_api()
        linker = engine.make_linker(db_api, [prepared], model=engine.starter_model(2))
        result = linker.inference.score_pair(
            db_api.register(prepared.iloc[[0]]), db_api.register(prepared.iloc[[1]])
        )
        return result.as_pandas_dataframe().to_dict("records")[0]

    return run


@pytest.mark.parametrize(
    ("comparison", "level", "left", "right"),
    CASES,
    ids=[f"{c}-{lv}-{i}" for i, (c, lv, _, _) in enumerate(CASES)],
)
def test_each_level(score, comparison, level, left, right):
    row = score(left, right)
    assert row[f"gamma_{comparison}"] == engine.gamma(comparison, level)


def test_every_level_has_a_case():
    covered = {(c, lv) for c, lv, _, _ in CASES}
    for comparison, levels in engine.LEVELS.items():
        if comparison in {"upn", "pnc_id"}:
            continue  # the same helper as the NHS number's levels
        for level in levels:
            assert (comparison, level) in covered, (comparison, level)


def test_levels_match_the_model():
    for comparison in engine.build_settings().create_settings_dict("duckdb")[
        "comparisons"
    ]:
        levels = [
            level
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        ]
        assert len(levels) == len(engine.LEVELS[comparison["output_column_name"]])


def test_twins_are_held_for_review(score):
    twin = score({"forenames": "Alfie"}, {"forenames": "Arthur", "surname": "Okafro"})
    assert engine.possible_twin(twin)
    slip = score({"forenames": "Noah"}, {"forenames": "Nfah"})
    assert not engine.possible_twin(slip)


def test_a_common_name_is_not_read_as_a_slip():
    from svduty.linkage.names import slip_root

    assert slip_root("Thwmas") == "thomas"  # one letter from Thomas
    assert slip_root("Jade") == "jade"  # a name of its own, one letter from Jake
    assert slip_root("Tox") == "tox"  # too short to tell
