"""The test suite's own shape (docs/developing.md, "Tests"): folders named after the
apps, and the real open data reached only through tests/real_data.py."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT

APPS = {
    path.name
    for path in (REPO_ROOT / "src" / "svduty").iterdir()
    if (path / "apps.py").exists() or (path / "models.py").exists()
}


def test_test_folders_are_named_after_apps():
    for kind in ("unit", "integration"):
        folders = {
            p.name
            for p in (REPO_ROOT / "tests" / kind).iterdir()
            if p.is_dir() and p.name != "__pycache__"
        }
        assert folders <= APPS, f"tests/{kind}: {sorted(folders - APPS)} are not apps"


def test_real_data_is_reached_only_through_the_policy():
    shared = re.compile(r"""["']shared["']""")
    allowed = {
        REPO_ROOT / "tests" / "real_data.py",
        REPO_ROOT / "tests" / "fixtures" / "real" / "make_samples.py",
    }
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "tests").rglob("*.py")
        if path not in allowed and shared.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_staff_names_never_hold_a_childs_first_name_used_in_tests():
    """Tests look for a child's first name in a page (present or absent); a random
    staff name holding it ("Alex Hartley") would make them fail by chance."""
    from tests.factories.accounts import CHILD_FIRST_NAMES, staff_name

    used = set()
    for path in (REPO_ROOT / "tests").rglob("*.py"):
        used |= set(re.findall(r"first_name=[\"']([A-Z][a-z]+)[\"']", path.read_text()))
    assert used - CHILD_FIRST_NAMES == set(), "add these to CHILD_FIRST_NAMES"
    names = [staff_name() for _ in range(2000)]
    assert not [n for n in names if any(c in n for c in CHILD_FIRST_NAMES)]
    assert len(set(names)) > 1000  # still varied, realistic names
