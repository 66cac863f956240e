"""Set-based fast paths for large, simple files (see ``docs/imports.md``).

A fast path either imports a file with exactly the result the Python reader and
``run_batch`` would give, or declines (:class:`Declined`) before anything is
published, and the caller then runs the ordinary reader, which reports the
problems. It never decides on its own that a file is bad.
"""

from svduty.sharing.fastpath.police_street import Declined, PoliceStreetFastPath
from svduty.sharing.fastpath.single_write import PoliceStreetSingleWrite

FAST_PATHS = {"police_street": PoliceStreetFastPath}
#: Tried before FAST_PATHS: one COPY straight into the real table.
SINGLE_WRITE_PATHS = {"police_street": PoliceStreetSingleWrite}

__all__ = [
    "FAST_PATHS",
    "SINGLE_WRITE_PATHS",
    "Declined",
    "PoliceStreetFastPath",
    "PoliceStreetSingleWrite",
]
