"""The layer contracts of pyproject.toml (`lint-imports`, run by `make lint`) hold, and
fail when an app imports across them: a test of the test."""

from __future__ import annotations

from copy import deepcopy
from functools import cache

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract

from tests.conftest import REPO_ROOT

CONTRACT_TYPES = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "independence": IndependenceContract,
}


@cache
def _configuration() -> dict:
    return read_configuration(str(REPO_ROOT / "pyproject.toml"))


@cache
def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("svduty", cache_dir=None)


def _broken(extra_import: tuple[str, str] | None = None) -> set[str]:
    """The ids of the contracts the code breaks, with one import added to it."""
    configuration = _configuration()
    broken = set()
    for options in configuration["contracts_options"]:
        graph = deepcopy(_graph())
        if extra_import is not None:
            importer, imported = extra_import
            graph.add_import(
                importer=importer,
                imported=imported,
                line_number=1,
                line_contents=f"import {imported}",
            )
        contract = CONTRACT_TYPES[options["type"]](
            name=options["name"],
            session_options=configuration["session_options"],
            contract_options=options,
        )
        if not contract.check(graph, verbose=False).kept:
            broken.add(options["id"])
    return broken


def test_the_code_keeps_every_contract():
    assert _broken() == set()


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("svduty.analysis.sna", "svduty.cases.models", "analysis-not-cases"),
        ("svduty.sharing.imports", "svduty.analysis.snapshot", "layers"),
        ("svduty.partnership.models", "svduty.strategy.models", "layers"),
        ("svduty.accounts.models", "svduty.partnership.models", "layers"),
        ("svduty.core.context_processors", "svduty.accounts.models", "foundations"),
        ("svduty.audit.log", "svduty.cases.models", "foundations"),
    ],
)
def test_a_wrong_import_breaks_a_contract(importer, imported, contract):
    assert contract in _broken((importer, imported))
