"""Disproportionality without the database: groups, relative rates, suppression."""

import datetime as dt

from django.test import override_settings

from svduty.evidence import disproportionality as dp


def child(ethnicity="white_british", sex="male", born=dt.date(2010, 6, 1), **kw):
    return {
        "ethnicity": ethnicity,
        "sex": sex,
        "date_of_birth": born,
        "disability": kw.get("disability", ""),
        "learning_disability": kw.get("learning_disability", False),
        "referred_on": dt.date(2026, 6, 1),
    }


def test_groups_of_a_child():
    g = dp.groups_of(child("black_caribbean", "female", dt.date(2011, 6, 2)))
    assert g["ethnicity"] == "Black, Black British, Caribbean or African"
    assert g["sex"] == "Female"
    assert g["age"] == "14 to 15"  # 14 the day before the birthday
    assert g["disability"] == "Not recorded as disabled"
    assert dp.groups_of(child("not_stated", "not_known", None))["age"] == "Not known"


@override_settings(SUPPRESSION_THRESHOLD=4)
def test_relative_rate_with_interval_and_suppression():
    children = [child("black_african") for _ in range(20)]
    children += [child("white_british") for _ in range(30)]
    children += [child("asian_indian") for _ in range(3)]
    pops = {
        "Black, Black British, Caribbean or African": 1000,
        "White": 9000,
        "Asian or Asian British": 2000,
    }
    rows = {r.group: r for r in dp.table(children, pops, "ethnicity")}
    black = rows["Black, Black British, Caribbean or African"]
    assert black.children == 20 and black.rate == 20.0
    # Against every other child: 33 of 11,000 = 3 per 1,000.
    assert round(black.ratio, 2) == round(20 / (33 / 11), 2)
    assert black.lower < black.ratio < black.upper and black.lower > 1
    asian = rows["Asian or Asian British"]
    assert asian.suppressed
    cells = asian.cells()
    assert cells[1] == "fewer than 5" and cells[3:] == ["", "", ""]
    assert rows["Mixed or multiple ethnic groups"].children == 0
    assert not rows["Mixed or multiple ethnic groups"].suppressed


def test_empty_cohort_and_no_population():
    rows = dp.table([], {}, "sex")
    assert [r.children for r in rows] == [0, 0]
    assert rows[0].cells()[2] == "Not entered"
