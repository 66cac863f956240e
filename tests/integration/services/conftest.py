import pytest


@pytest.fixture
def world(db):
    from tests.factories.services import world

    return world()
