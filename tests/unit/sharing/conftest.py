"""Fixtures for the import reader tests: crafted files (the real open data comes
from the `real_data` fixture, tests/real_data.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write CSV text (CRLF line endings, as police.uk and Excel do)."""

    def write(lines: list[str], name: str = "upload.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
        return path

    return write
