"""The `svduty` console script: Django's management commands plus ours."""

from __future__ import annotations

import os
import sys


def _embedded_postgres(args: list[str]) -> None:
    """`svduty embedded_postgres [--stop]` without Django's settings: stopping the
    database (`make clean-db`) must work on a machine with no SVDUTY_SECRET_KEY."""
    import argparse

    from svduty.config import database

    parser = argparse.ArgumentParser(prog="svduty embedded_postgres")
    parser.add_argument("--stop", action="store_true", help="Stop the embedded server.")
    if parser.parse_args(args).stop:
        database.stop_embedded_server()
        print("Embedded PostgreSQL stopped.")
    else:
        print(f"Embedded PostgreSQL data folder: {database.EMBEDDED_DIR}")


def main() -> None:
    if sys.argv[1:2] == ["embedded_postgres"]:
        _embedded_postgres(sys.argv[2:])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
