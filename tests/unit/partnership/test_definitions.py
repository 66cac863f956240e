from svduty.partnership.definitions import POLICE_UK_CRIME_TYPES, is_terrorism


def test_terrorism_is_recognised_in_any_case():
    assert is_terrorism("Terrorism offences")
    assert is_terrorism("counter-TERROR referrals")
    assert not is_terrorism("Knife crime")
    assert not is_terrorism("")


def test_there_are_fourteen_police_uk_crime_types():
    assert len(POLICE_UK_CRIME_TYPES) == 14
    assert "Violence and sexual offences" in POLICE_UK_CRIME_TYPES
