import pytest

from tests.factories.meetings import meeting_world


@pytest.fixture
def world(db):
    return meeting_world()
