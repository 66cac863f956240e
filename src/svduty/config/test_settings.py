"""Settings for the test suite: the production settings with SVDUTY_TESTING on."""

import os

os.environ["SVDUTY_TESTING"] = "1"
# Playwright's sync API runs an event loop in the test thread; the ORM calls we make
# from tests (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .settings import *  # noqa: E402,F403
