import pytest


@pytest.fixture
def world(db):
    from tests.factories.places import world

    return world()
