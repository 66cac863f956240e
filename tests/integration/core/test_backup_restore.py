"""Restore drill (issue 14, point 9): a backup of a database with a child's record,
audit events and uploaded files is restored by `svduty restore` into an empty
database, where every table's rows, the audit trail and its protection survive; an
altered, cut-short or wrongly keyed backup is refused and nothing is restored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection, transaction

from svduty.audit.log import record
from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.backup import (
    BackupError,
    EncryptingWriter,
    decrypted_chunks,
    make_backup,
)
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "a-test-backup-key-that-is-long-enough-0123456789"
DRILL_DB = "svduty_restore_drill"


def _libpq(name: str) -> dict:
    settings = connection.settings_dict
    return {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": name,
    }


def _database_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (
        ":" + quote(s["PASSWORD"]) if s["PASSWORD"] else ""
    )
    if s["HOST"].startswith("/"):
        port = f"&port={s['PORT']}" if s["PORT"] else ""
        return f"postgres://{auth}@/{name}?host={quote(s['HOST'])}{port}"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{s['HOST']}{port}/{name}"


@pytest.fixture
def drill_database():
    admin = _libpq("postgres")
    with psycopg.connect(**{k: v for k, v in admin.items() if v}, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DRILL_DB}")
        c.execute(f"CREATE DATABASE {DRILL_DB}")
    yield DRILL_DB
    with psycopg.connect(**{k: v for k, v in admin.items() if v}, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DRILL_DB} WITH (FORCE)")


def _restore(backup: Path, data_dir: Path, key: str = KEY):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(DRILL_DB),
        "SVDUTY_BACKUP_KEY": key,
        "SVDUTY_SECRET_KEY": "restore-drill-" + "x" * 50,
        "SVDUTY_DATA_DIR": str(data_dir),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "svduty"), "restore", str(backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


#: Every audit event, every column, in order, as one digest: the same digest before
#: the backup and after the restore means the trail came back unchanged (not only
#: the same number of events).
TRAIL_DIGEST = (
    "SELECT md5(coalesce(string_agg(e::text, '|' ORDER BY e.id), '')) "
    "FROM audit_auditevent e"
)


def _trail_digest(cursor) -> str:
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute(TRAIL_DIGEST)
    return cursor.fetchone()[0]


def _drill_counts() -> tuple[int, int]:
    params = {k: v for k, v in _libpq(DRILL_DB).items() if v}
    with psycopg.connect(**params) as c:
        events = c.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
        people = c.execute("SELECT count(*) FROM cases_person").fetchone()[0]
    return events, people


@pytest.fixture
def installation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "data"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    (settings.MEDIA_ROOT / "imports" / "upload.csv").write_text("a,b\n1,2\n")
    council = AgencyFactory(name="Drill Council")
    lead = practitioner(council)
    person_on_team(lead, partnership=partnership_with(council))
    with transaction.atomic():
        for number in range(3):
            record(AuditAction.VIEW, target_type="drill", target_label=f"view {number}")
    return tmp_path


def test_a_backup_restores_every_record_and_the_audit_trail(
    installation, drill_database
):
    backup = installation / "svduty.backup"
    manifest = make_backup(backup, secret=KEY)
    assert manifest["tables"]["audit_auditevent"] == AuditEvent.objects.count() >= 3
    assert manifest["files"] == ["imports/upload.csv"]
    assert b"Drill Council" not in backup.read_bytes(), "encrypted at rest"

    restored = installation / "restored"
    result = _restore(backup, restored)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "every count checked" in result.stdout
    assert _drill_counts() == (
        AuditEvent.objects.count(),
        manifest["tables"]["cases_person"],
    )
    assert (restored / "imports" / "upload.csv").read_text() == "a,b\n1,2\n"
    params = {k: v for k, v in _libpq(DRILL_DB).items() if v}
    with connection.cursor() as here, psycopg.connect(**params) as there:
        assert _trail_digest(there.cursor()) == _trail_digest(here)
    # The restored trail is still protected by its triggers.
    params = {k: v for k, v in _libpq(DRILL_DB).items() if v}
    with psycopg.connect(**params) as c, pytest.raises(psycopg.Error):
        c.execute("DELETE FROM audit_auditevent")


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "wrong key"])
def test_a_damaged_backup_is_refused_and_nothing_is_restored(
    installation, drill_database, damage
):
    backup = installation / "svduty.backup"
    make_backup(backup, secret=KEY)
    data = bytearray(backup.read_bytes())
    key = KEY
    if damage == "flip a byte":
        data[len(data) // 2] ^= 0x01
    elif damage == "cut short":
        data = data[: len(data) - 100]
    else:
        key = KEY[::-1]
    backup.write_bytes(bytes(data))
    result = _restore(backup, installation / "restored", key=key)
    assert result.returncode != 0
    assert "altered" in result.stderr or "incomplete" in result.stderr
    params = {k: v for k, v in _libpq(DRILL_DB).items() if v}
    with psycopg.connect(**params) as c:
        tables = c.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0, "nothing was restored"


def test_restoring_over_data_needs_replace(installation, tmp_path):
    backup = tmp_path / "svduty.backup"
    make_backup(backup, secret=KEY)
    from svduty.core.backup import restore_backup

    with pytest.raises(BackupError, match="already holds data"):
        restore_backup(backup, secret=KEY)


def test_chunks_cannot_be_reordered_or_dropped(tmp_path):
    import io

    out = io.BytesIO()
    writer = EncryptingWriter(out, KEY)
    writer.write(os.urandom(3 * 1024 * 1024 + 10))
    writer.finish()
    sealed = out.getvalue()
    assert (
        len(b"".join(decrypted_chunks(io.BytesIO(sealed), KEY))) == 3 * 1024 * 1024 + 10
    )
    header = 16 + 16 + 8
    first_len = int.from_bytes(sealed[header : header + 4], "big")
    first = sealed[header : header + 4 + first_len]
    rest = sealed[header + 4 + first_len :]
    # Drop the first chunk: the second does not decrypt as chunk 0.
    with pytest.raises(BackupError, match="altered"):
        b"".join(decrypted_chunks(io.BytesIO(sealed[:header] + rest), KEY))
    # Repeat it: chunk 0 does not decrypt as chunk 1.
    with pytest.raises(BackupError, match="altered"):
        b"".join(
            decrypted_chunks(io.BytesIO(sealed[:header] + first + first + rest), KEY)
        )


def test_a_short_key_is_refused():
    import io

    with pytest.raises(BackupError, match="at least 32 characters"):
        EncryptingWriter(io.BytesIO(), "short")
