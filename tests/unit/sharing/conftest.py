"""Fixtures for the import reader tests: real open data and crafted files."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
CLEVELAND_LADS = ("E06000001", "E06000002", "E06000003", "E06000004")


def real_data_dir() -> Path:
    """The shared real-data folder, which CI clones beside the repository."""
    return REPO_ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    path = real_data_dir()
    if not (path / "cleveland").is_dir():
        pytest.skip(f"real data not found at {path}")
    return path


@pytest.fixture(scope="session")
def cleveland_dir(real_dir: Path) -> Path:
    return real_dir / "cleveland"


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write CSV text (CRLF line endings, as police.uk and Excel do)."""

    def write(lines: list[str], name: str = "upload.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
        return path

    return write
