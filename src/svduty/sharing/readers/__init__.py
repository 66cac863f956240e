"""Streaming readers for every kind of file partners upload.

Pure Python (no Django) so they can be tested without a database. Use::

    reader = get_reader("police_street")
    for batch in reader.read(uploaded_file):   # lists of tuples
        ...                                    # write inside a transaction
    if not reader.result.ok:                   # any problem: roll back
        ...

See :mod:`svduty.sharing.readers.base` for the contract and
``docs/data-formats.md`` for each format.
"""

from svduty.sharing.readers.base import (
    Batch,
    FileProblem,
    ImportProblem,
    PatientIdentifierFound,
    Reader,
    ReaderResult,
)
from svduty.sharing.readers.registry import KINDS, ImportKind, get_reader

__all__ = [
    "KINDS",
    "Batch",
    "FileProblem",
    "ImportKind",
    "ImportProblem",
    "PatientIdentifierFound",
    "Reader",
    "ReaderResult",
    "get_reader",
]
