"""Bringing a file in: all or nothing, idempotent, streamed, audited.

How one import runs (``run_import``, or ``queue_import`` + ``run_batch`` from the web):

1. The file is hashed (SHA-256) in 1 MB chunks. A file already imported for the same
   partnership and kind is recorded as a *duplicate* and changes nothing.
2. Partner data (``KINDS[kind].needs_agreement``) must name an agreement of the same
   partnership that is signed off, in force today and covers the kind.
3. The reader streams batches of up to 10,000 rows. Each batch goes into a temporary
   staging table with PostgreSQL ``COPY`` (psycopg3 ``cursor.copy()``), then is
   dropped from Python memory. Progress is saved after each batch so the upload
   page can show it. Nothing is written to the real tables during this step.
4. If the reader finished without a problem, one transaction deletes the rows the
   new file replaces (same key: force and month for police.uk, LSOA code for
   reference data, crime reference…), copies the staging rows into the real table
   with ``INSERT … SELECT``, marks older batches with no rows left as superseded,
   marks the batch succeeded and writes the ``import`` audit event. Otherwise only
   the failed batch and its problems (row, column, plain words) are saved.
5. After the commit, ``svduty.sharing.signals.import_succeeded`` is sent; the
   analysis app rebuilds the analytic snapshot on it.

Kinds in ``svduty.sharing.fastpath.FAST_PATHS`` (data.police.uk street-level crime)
first try a set-based fast path instead of steps 3-4: the raw file is ``COPY``-ed
into an UNLOGGED staging table and checked and published with SQL in the same
publishing transaction. It imports only a file it is certain the reader would
accept, with the same values; otherwise it declines before publishing anything
and the reader runs as above, so problems are found and worded exactly as
before. ``FAST_PATH = False`` turns it off. Kinds in ``SINGLE_WRITE_PATHS`` first
try a single-write path (polars reads, checks and converts the file in batches and
one ``COPY`` streams it straight into the real table inside the publishing
transaction); if it declines, that transaction is rolled back and the staging fast
path runs. ``SINGLE_WRITE = False`` turns it off.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
import shapely
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from psycopg import sql

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.guard import writes_allowed
from svduty.core.policies import has_permission
from svduty.core.storedfiles import remove_on_rollback
from svduty.partnership.models import Partnership
from svduty.sharing import partitions
from svduty.sharing.fastpath import FAST_PATHS, SINGLE_WRITE_PATHS, Declined
from svduty.sharing.fastpath.police_street import delete_replaced
from svduty.sharing.models import (
    S17_KIND,
    BatchStatus,
    CrimeExtractRecord,
    DataSharingAgreement,
    Deprivation,
    ImportBatch,
    IstvRecord,
    LegalGateway,
    Lsoa,
    LsoaLookup,
    LsoaPopulation,
    PoliceStreetRecord,
    S17Figure,
    StopSearchRecord,
)
from svduty.sharing.readers import KINDS, FileProblem, ImportKind, get_reader
from svduty.sharing.readers.base import Batch
from svduty.sharing.readers.registry import add_kind
from svduty.sharing.s16 import s16_problems
from svduty.sharing.s17_models import InformationRequest, RequestStatus
from svduty.sharing.signals import import_succeeded

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
SYSTEM_USERNAME = "svduty-system"
HASH_CHUNK = 1024 * 1024
#: Try the set-based fast path for the kinds that have one (see the module notes).
FAST_PATH = True
#: Try the single-write path first (needs FAST_PATH; see the module notes).
SINGLE_WRITE = True

Progress = Callable[[ImportBatch], None]

#: The import pipeline is sharing's action for an import batch: it writes the batch's
#: state and progress (progress in its own small transactions, so that the page can
#: show it) and audits each outcome once (`_audit`, `_publish`, `_fail`).
PIPELINE = "the import pipeline records its batch's state, progress and outcome"


# --- What each kind is written to ---------------------------------------------------


def _boundaries(batch: Batch) -> Iterator[tuple[Any, ...]]:
    geometries = shapely.from_wkb([row[4] for row in batch])
    texts = shapely.to_geojson(geometries)
    for row, text in zip(batch, texts, strict=True):
        yield (row[0], row[1], row[2], row[3], str(text))


def _lookup(batch: Batch) -> Iterator[tuple[Any, ...]]:
    for row in batch:
        yield (row[0], row[2], row[4], row[5])


def _population(batch: Batch) -> Iterator[tuple[Any, ...]]:
    for row in batch:
        age_sex = json.dumps(row[4]) if row[4] is not None else None
        yield (row[0], row[2], row[3], age_sex)


def _imd(batch: Batch) -> Iterator[tuple[Any, ...]]:
    for row in batch:
        yield (row[0], row[2], row[3], row[4])


def _stop_search(batch: Batch) -> Iterator[tuple[Any, ...]]:
    for row in batch:
        local = row[1].astimezone(UK)
        yield (row[0], row[1], dt.date(local.year, local.month, 1), *row[2:])


@dataclass(frozen=True)
class Target:
    """Where a kind's rows go and which existing rows a new file replaces.

    ``replaces_by``: rows of the partnership whose values in these columns appear
    in the new file are deleted first (a re-issued month, a newer boundary for the
    same LSOA). ``nullable_key`` columns are compared with NULL equal to NULL.
    """

    model: type[models.Model]
    columns: tuple[str, ...]
    replaces_by: tuple[str, ...]
    convert: Callable[[Batch], Iterable[tuple[Any, ...]]] | None = None
    lsoa_column: str | None = None
    nullable_key: tuple[str, ...] = ()
    #: ``write(cursor, batch, stage) -> {replaced batch id: rows}`` publishes the
    #: staged rows itself instead of delete-and-insert (kinds whose rows other
    #: tables point at, such as person extracts, are updated in place).
    write: Callable[[Any, ImportBatch, str], dict[int, int]] | None = None

    #: False for data the analysis never reads (s.17 figures): no snapshot rebuild.
    analysed: bool = True

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def table_sql(self) -> sql.Identifier:
        """The table as a quoted identifier, for composing SQL (never text)."""
        return sql.Identifier(self.table)

    @property
    def columns_sql(self) -> sql.Composed:
        """The columns as a list of quoted identifiers."""
        return sql.SQL(", ").join(map(sql.Identifier, self.columns))


def _fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        f.column
        for f in model._meta.concrete_fields
        if f.column not in ("id", "partnership_id", "batch_id")
    )


TARGETS: dict[str, Target] = {
    "lsoa_boundaries": Target(Lsoa, _fields(Lsoa), ("code",), _boundaries),
    "lsoa_lookup": Target(
        LsoaLookup, _fields(LsoaLookup), ("lsoa11_code", "lsoa21_code"), _lookup
    ),
    "lsoa_population": Target(
        LsoaPopulation,
        _fields(LsoaPopulation),
        ("lsoa_code", "year"),
        _population,
        nullable_key=("year",),
    ),
    "imd": Target(Deprivation, _fields(Deprivation), ("lsoa_code",), _imd),
    "police_street": Target(
        PoliceStreetRecord,
        _fields(PoliceStreetRecord),
        ("falls_within", "month"),
        lsoa_column="lsoa_code",
    ),
    "police_stop_search": Target(
        StopSearchRecord, _fields(StopSearchRecord), ("month",), _stop_search
    ),
    "police_crime_extract": Target(
        CrimeExtractRecord,
        _fields(CrimeExtractRecord),
        ("crime_reference",),
        lsoa_column="lsoa_code",
    ),
    "istv": Target(
        IstvRecord,
        _fields(IstvRecord),
        ("site_code", "reporting_period_start", "reporting_period_end"),
        lsoa_column="lsoa_code",
    ),
    "s17_figures": Target(
        S17Figure,
        _fields(S17Figure),
        (),
        write=lambda cursor, batch, stage: _s17_write(cursor, batch, stage),
        analysed=False,
    ),
}


def _s17_write(cursor, batch: ImportBatch, stage: str) -> dict[int, int]:
    """Publish s.17 figures and answer their request in the same transaction
    (actions_s17 owns the request's change of state)."""
    from .actions_s17 import publish_figures

    return publish_figures(cursor, batch, stage)


def register_kind(kind: ImportKind, target: Target) -> None:
    """Add an import kind from an app above sharing (call it in AppConfig.ready()).

    Sharing never imports its consumers: the upload page, the agreements, the
    ``import_data`` command and the import pipeline all read the registry.
    """
    if kind.key in TARGETS and TARGETS[kind.key] != target:
        raise ValueError(f"import kind {kind.key!r} is already registered")
    add_kind(kind)
    TARGETS[kind.key] = target


# --- Who may import what --------------------------------------------------------------


def system_actor() -> User:
    """The account imports from the command line are recorded under by default.

    It cannot sign in (no usable password, inactive) and holds no roles.
    """
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"full_name": "svduty (command line)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _is_system(user: User) -> bool:
    return user.username == SYSTEM_USERNAME and not user.has_usable_password()


def check_may_import(by: User, partnership: Partnership) -> None:
    if _is_system(by):
        return
    if not has_permission(by, Permission.IMPORT_DATA):
        raise PermissionDenied("You cannot import data.")
    if not Partnership.objects.visible_to(by).filter(pk=partnership.pk).exists():
        raise PermissionDenied("You cannot import data for this partnership.")


def check_s17_supply(
    *,
    by: User,
    request: InformationRequest,
    agreement: DataSharingAgreement | None,
) -> None:
    """Who may supply figures for a section 17 request, and under what agreement:
    a user of the asked authority (managing agreements, in the partnership), while
    the request is open, under a section 17 agreement of the partnership to which
    the authority is a provider and the requesting body a party. The database
    checks the agreement too (trigger ``sharing_s17_batch``)."""
    if not has_permission(by, Permission.MANAGE_AGREEMENTS):
        raise PermissionDenied("Your roles do not allow this.")
    if request.authority_id not in by.agency_ids():
        raise PermissionDenied(
            f"Only someone from {request.authority} can answer this request"
        )
    if (
        not Partnership.objects.visible_to(by)
        .filter(pk=request.partnership_id)
        .exists()
    ):
        raise PermissionDenied("This partnership is not one of yours.")
    if not InformationRequest.objects.filter(
        pk=request.pk, status=RequestStatus.OPEN
    ).exists():
        raise ValidationError("This request has already been answered")
    if agreement is None:
        raise ValidationError(
            {"agreement": "Select the section 17 data sharing agreement"}
        )
    if agreement.legal_gateway != LegalGateway.PCSC_S17:
        raise ValidationError(
            {
                "agreement": f"The data sharing agreement ‘{agreement.title}’ does "
                "not use section 17 as its legal gateway. Select a section 17 "
                "agreement."
            }
        )
    if not agreement.providers.filter(pk=request.authority_id).exists():
        raise ValidationError(
            {
                "agreement": f"{request.authority} is not a provider under the data "
                f"sharing agreement ‘{agreement.title}’"
            }
        )
    if not agreement.parties.filter(pk=request.requesting_body_id).exists():
        raise ValidationError(
            {
                "agreement": f"{request.requesting_body} is not a party to the data "
                f"sharing agreement ‘{agreement.title}’"
            }
        )


def check_agreement(
    *,
    partnership: Partnership,
    kind: str,
    agreement: DataSharingAgreement | None,
    on: dt.date | None = None,
) -> None:
    """Refuse partner data without an agreement that is in force and covers it.

    Raises ``ValidationError`` keyed on ``agreement`` in GOV.UK wording.
    """
    if kind not in KINDS:
        raise ValidationError({"kind": "Select what kind of file this is"})
    on = on or timezone.localdate()
    label = KINDS[kind].label
    if agreement is None:
        if KINDS[kind].needs_agreement:
            raise ValidationError(
                {
                    "agreement": f"Select the data sharing agreement that covers "
                    f"the {label.lower()} data"
                }
            )
        return
    if agreement.withdrawn_at is not None:
        raise ValidationError(
            {
                "agreement": f"The data sharing agreement ‘{agreement.title}’ was "
                f"withdrawn by {agreement.withdrawn_for}. Nothing more can be "
                "imported under it."
            }
        )
    if agreement.partnership_id != partnership.pk:
        raise ValidationError(
            {"agreement": "Select a data sharing agreement of this partnership"}
        )
    if agreement.ends_on is not None and agreement.ends_on < on:
        raise ValidationError(
            {
                "agreement": f"The data sharing agreement ‘{agreement.title}’ ended "
                f"on {date_format(agreement.ends_on, 'j F Y')}. Ask your data "
                "protection officer to renew it before importing."
            }
        )
    if agreement.signed_off_at is None:
        raise ValidationError(
            {
                "agreement": f"The data sharing agreement ‘{agreement.title}’ has "
                "not been signed off. Record its sign-off before importing."
            }
        )
    if agreement.starts_on > on:
        raise ValidationError(
            {
                "agreement": f"The data sharing agreement ‘{agreement.title}’ starts "
                f"on {date_format(agreement.starts_on, 'j F Y')}. You can import "
                "from that date."
            }
        )
    if KINDS[kind].needs_agreement and not agreement.covers(kind):
        raise ValidationError(
            {
                "agreement": f"The data sharing agreement ‘{agreement.title}’ does "
                f"not cover {label.lower()} data. Select an agreement that does, "
                "or add it to the agreement first."
            }
        )
    if agreement.legal_gateway == LegalGateway.PCSC_S16:
        # Judged again from the agencies' types as they are today (s16.py).
        problems = s16_problems(
            parties=agreement.parties.all(),
            providers=agreement.providers.all(),
            personal_information=agreement.personal_information,
            patient_information=agreement.discloses_patient_information,
        )
        if problems:
            raise ValidationError(
                {
                    "agreement": f"The data sharing agreement ‘{agreement.title}’ "
                    f"cannot use section 16: {problems[0]}. Ask your data "
                    "protection officer to change its legal gateway."
                }
            )


# --- Running an import ----------------------------------------------------------------


def file_digest(path: Path) -> tuple[str, int, int]:
    """SHA-256, size in bytes and number of line breaks, in one streamed pass."""
    digest = hashlib.sha256()
    size = lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            # numpy counts a byte in a third of the time bytes.count takes.
            lines += int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == 10))
    return digest.hexdigest(), size, lines


def _problem(row: int | None, column: str | None, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "message": message}


def queue_import(
    *,
    by: User,
    partnership: Partnership,
    kind: str,
    path: str | Path,
    file_name: str,
    agreement: DataSharingAgreement | None = None,
    synthetic: bool = False,
    upload_path: str = "",
    information_request: InformationRequest | None = None,
) -> ImportBatch:
    """Check the import may go ahead and record it as waiting to start.

    A file already imported gives a batch marked *duplicate* (and audited) at once.
    Figures under section 17 (``information_request``) are supplied by a user of
    the asked authority under a section 17 agreement (``check_s17_supply``), not by
    an analyst.
    """
    if (kind == S17_KIND) != (information_request is not None):
        raise ValidationError(
            {"kind": "Figures under section 17 are supplied from the request's page"}
        )
    if information_request is None:
        check_may_import(by, partnership)
    else:
        check_s17_supply(by=by, request=information_request, agreement=agreement)
    check_agreement(partnership=partnership, kind=kind, agreement=agreement)
    path = Path(path)
    sha256, size, lines = file_digest(path)
    csv_like = KINDS[kind].file_types == ("csv",)
    with writes_allowed(PIPELINE):
        batch = ImportBatch.objects.create(
            partnership=partnership,
            kind=kind,
            file_name=file_name[:255],
            file_size=size,
            sha256=sha256,
            imported_by=by,
            agreement=agreement,
            synthetic=synthetic,
            upload_path=upload_path,
            information_request=information_request,
            # A CSV has about one row per line after the header; quoted line breaks
            # make this an estimate, so progress is capped below 100% until done.
            rows_total=max(lines - 1, 1) if csv_like and lines else None,
        )
    earlier = _earlier_import(batch)
    if earlier is not None:
        _finish_duplicate(batch, earlier)
    return batch


def _earlier_import(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(
            partnership=batch.partnership,
            kind=batch.kind,
            sha256=batch.sha256,
            information_request=batch.information_request_id,
            status=BatchStatus.SUCCEEDED,
        )
        .exclude(pk=batch.pk)
        .select_related("imported_by")
        .first()
    )


@transaction.atomic
def _finish_duplicate(batch: ImportBatch, earlier: ImportBatch) -> None:
    when = date_format(timezone.localtime(earlier.created_at), "j F Y \\a\\t H:i")
    batch.status = BatchStatus.DUPLICATE
    batch.duplicate_of = earlier
    batch.finished_at = timezone.now()
    batch.rows_total = earlier.rows_imported
    batch.message = (
        f"This file was already imported on {when} by "
        f"{earlier.imported_by.get_full_name() or earlier.imported_by.username}. "
        "Nothing has changed."
    )
    with writes_allowed(PIPELINE):
        batch.save(
            update_fields=[
                "status",
                "duplicate_of",
                "finished_at",
                "rows_total",
                "message",
            ]
        )
    _audit(batch)


def _audit(batch: ImportBatch) -> None:
    """One ``import`` event per import: DPA 2018 s.62 *collection*."""
    record(
        AuditAction.IMPORT,
        actor=batch.imported_by,
        target=batch,
        detail={
            "s62": "collection",
            "partnership": batch.partnership.slug,
            "kind": batch.kind,
            "file_name": batch.file_name,
            "sha256": batch.sha256,
            "status": batch.status,
            "rows_imported": batch.rows_imported,
            "problems": len(batch.problems) + batch.problems_not_shown,
            "agreement_id": batch.agreement_id,
            "synthetic": batch.synthetic,
            "superseded_batches": sorted(batch.supersedes.values_list("pk", flat=True)),
        },
    )


def run_import(
    *,
    by: User,
    partnership: Partnership,
    kind: str,
    path: str | Path,
    file_name: str | None = None,
    agreement: DataSharingAgreement | None = None,
    progress: Progress | None = None,
    synthetic: bool = False,
    rebuild_snapshot: bool = True,
    information_request: InformationRequest | None = None,
) -> ImportBatch:
    """Import one file, all or nothing. Returns its batch (succeeded, failed or
    duplicate). Raises ``ValidationError`` (no agreement, expired agreement…) or
    ``PermissionDenied`` before anything is recorded."""
    path = Path(path)
    batch = queue_import(
        by=by,
        partnership=partnership,
        kind=kind,
        path=path,
        file_name=file_name or path.name,
        agreement=agreement,
        synthetic=synthetic,
        information_request=information_request,
    )
    if batch.status == BatchStatus.DUPLICATE:
        return batch
    return run_batch(batch, path, progress=progress, rebuild_snapshot=rebuild_snapshot)


class _Rejected(Exception):
    def __init__(self, problems: list[dict[str, Any]], message: str, hidden: int = 0):
        super().__init__(message)
        self.problems = problems
        self.message = message
        self.hidden = hidden


def run_batch(
    batch: ImportBatch,
    path: str | Path,
    *,
    progress: Progress | None = None,
    rebuild_snapshot: bool = True,
) -> ImportBatch:
    """Run a queued batch (the background task calls this). See the module notes."""
    if batch.status != BatchStatus.QUEUED:
        return batch
    target = TARGETS[batch.kind]
    # Held on this worker's connection for as long as the batch runs: if the worker
    # dies, PostgreSQL releases it with the connection (see fail_if_interrupted).
    _running_lock(batch, "pg_advisory_lock")
    batch.status = BatchStatus.RUNNING
    batch.started_at = timezone.now()
    with writes_allowed(PIPELINE):
        batch.save(update_fields=["status", "started_at"])
    try:
        _run_batch_body(batch, path, target, progress)
    finally:
        _running_lock(batch, "pg_advisory_unlock")
    batch.refresh_from_db()
    if batch.status == BatchStatus.SUCCEEDED and rebuild_snapshot and target.analysed:
        announce_import_succeeded(batch.partnership)
    return batch


#: The first key of the advisory lock a running import holds; the second is its id.
RUNNING_LOCK = 14007
INTERRUPTED = (
    "The import stopped before it finished: the background worker running it ended "
    "(it was stopped, or the server restarted). Nothing from this file was imported. "
    "Upload the file again to import it."
)


_LOCK_SQL = {
    "pg_advisory_lock": "SELECT pg_advisory_lock(%s, %s)",
    "pg_advisory_unlock": "SELECT pg_advisory_unlock(%s, %s)",
    "pg_try_advisory_lock": "SELECT pg_try_advisory_lock(%s, %s)",
}


def _running_lock(batch: ImportBatch, function: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SQL[function], [RUNNING_LOCK, batch.pk])
        row = cursor.fetchone()
    return bool(row and row[0])


def fail_if_interrupted(batch: ImportBatch) -> bool:
    """Mark a batch failed if it says it is running but no worker is running it.

    A running import holds an advisory lock on its worker's database connection; a
    worker that is killed, or a machine that restarts, loses its connection and
    with it the lock. Publishing is one transaction, so such an import wrote none of
    its rows: the batch is marked failed, saying so, and the file can be uploaded
    again (only an import that succeeded counts as a duplicate)."""
    if batch.status != BatchStatus.RUNNING:
        return False
    if not _running_lock(batch, "pg_try_advisory_lock"):
        return False  # a live worker holds it
    try:
        batch.refresh_from_db()
        if batch.status != BatchStatus.RUNNING:
            return False
        _fail(batch, [], INTERRUPTED)
        if batch.upload_path:
            # The task deletes its upload when it ends; a killed one could not.
            Path(batch.upload_path).unlink(missing_ok=True)
        return True
    finally:
        _running_lock(batch, "pg_advisory_unlock")


def _run_batch_body(
    batch: ImportBatch, path: str | Path, target: Target, progress: Progress | None
) -> None:
    try:
        if not _run_fast_path(batch, Path(path), target, progress):
            _run_reader(batch, path, target, progress)
    except FileProblem as problem:
        _fail(
            batch,
            [_problem(problem.row, problem.column, problem.message)],
            problem.message
            if "Nothing from this file was imported" in problem.message
            else f"{problem.message.rstrip('.')}. Nothing from this file was imported.",
        )
    except _Rejected as rejected:
        _fail(batch, rejected.problems, rejected.message, rejected.hidden)
    except (DatabaseError, psycopg.Error) as error:
        # COPY through the raw psycopg cursor raises psycopg's own errors.
        logger.warning("Import %s refused by the database: %s", batch.pk, error)
        column = getattr(error, "diag", None) or getattr(
            getattr(error, "__cause__", None), "diag", None
        )
        column_name = getattr(column, "column_name", None)
        _fail(
            batch,
            [
                _problem(
                    None,
                    column_name,
                    "A value in the file does not fit: it may be too long or "
                    "repeat a value that must be unique. Check the file and "
                    "upload it again.",
                )
            ],
            "Nothing from this file was imported.",
        )
    except Exception:
        _fail(
            batch,
            [],
            "Something went wrong while importing the file. Nothing from it was "
            "imported. Try again, and contact support if it happens again.",
        )
        raise


def _run_fast_path(
    batch: ImportBatch, path: Path, target: Target, progress: Progress | None
) -> bool:
    """Import through the kind's fast paths; False if all declined (nothing written)."""
    if not FAST_PATH:
        return False
    paths = []
    if SINGLE_WRITE and batch.kind in SINGLE_WRITE_PATHS:
        paths.append(SINGLE_WRITE_PATHS[batch.kind])
    if batch.kind in FAST_PATHS:
        paths.append(FAST_PATHS[batch.kind])
    if not paths:
        return False

    def report(rows: int) -> None:
        _report_progress(batch, rows, progress)

    def note(rows: int) -> None:
        # Inside the publishing transaction: the single-write path saves progress
        # through its own connection; only tell the caller.
        batch.progress_rows = rows
        if progress is not None:
            progress(batch)

    def publish(rows: int | None, facts: dict[str, Any], write) -> None:
        _publish(batch, target, "", rows, facts, write=write)

    has_area = Lsoa.objects.filter(partnership_id=batch.partnership_id).exists()
    area_sql = AREA_CODES_SQL if has_area and target.lsoa_column else None
    for fast in paths:
        single = fast is SINGLE_WRITE_PATHS.get(batch.kind)
        try:
            fast(batch, path, target, progress=note if single else report).run(
                publish, area_sql
            )
        except Declined as reason:
            logger.info(
                "Import %s: %s declined (%s)",
                batch.pk,
                "single-write path" if single else "fast path",
                reason,
            )
            _report_progress(batch, 0, None)
            continue
        return True
    return False


def _run_reader(
    batch: ImportBatch, path: Path | str, target: Target, progress: Progress | None
) -> None:
    """Steps 3 and 4 of the module notes: the reader, staging, then publishing."""
    stage = f"sharing_stage_{batch.pk}_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "CREATE TEMPORARY TABLE {} AS SELECT {} FROM {} WITH NO DATA"
            ).format(sql.Identifier(stage), target.columns_sql, target.table_sql)
        )
    try:
        reader = get_reader(batch.kind)
        _stage(batch, reader, path, target, stage, progress)
        result = reader.result
        if not result.ok:
            count = result.problem_count
            raise _Rejected(
                [_problem(p.row, p.column, p.message) for p in result.problems],
                f"Nothing was imported: the file has {count:,} "
                f"problem{'s' if count != 1 else ''}. Correct "
                f"{'them' if count != 1 else 'it'} and upload the file again.",
                result.problems_not_shown,
            )
        _publish(batch, target, stage, result.rows_ok, result.facts)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(stage))
            )


def _report_progress(batch: ImportBatch, rows: int, progress: Progress | None) -> None:
    with writes_allowed(PIPELINE):
        ImportBatch.objects.filter(pk=batch.pk).update(progress_rows=rows)
    batch.progress_rows = rows
    if progress is not None:
        progress(batch)


def _stage(
    batch: ImportBatch,
    reader,
    path: Path | str,
    target: Target,
    stage: str,
    progress: Progress | None,
) -> None:
    """COPY the reader's batches into the staging table, saving progress."""
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(stage), target.columns_sql
    )
    done = 0
    for rows in reader.read(path):
        converted = target.convert(rows) if target.convert else rows
        # A savepoint per batch keeps an outer transaction usable if PostgreSQL
        # refuses a value (DataError); the import then fails cleanly.
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(copy_sql) as copy,
        ):
            for row in converted:
                copy.write_row(row)
        done += len(rows)
        del rows, converted
        _report_progress(batch, done, progress)


def _replace_condition(target: Target, stage: str) -> sql.Composed:
    """``(t.key…) IN (SELECT DISTINCT s.key… FROM stage s)``, NULL equal to NULL
    for the ``nullable_key`` columns."""

    def expr(alias: str, column: str) -> sql.Composable:
        name = sql.Identifier(alias, column)
        if column in target.nullable_key:
            return sql.SQL("COALESCE({}::text, '')").format(name)
        return name

    return sql.SQL("({left}) IN (SELECT DISTINCT {right} FROM {stage} s)").format(
        left=sql.SQL(", ").join(expr("t", c) for c in target.replaces_by),
        right=sql.SQL(", ").join(expr("s", c) for c in target.replaces_by),
        stage=sql.Identifier(stage),
    )


@transaction.atomic
def _publish(
    batch: ImportBatch,
    target: Target,
    stage: str,
    rows: int | None,
    facts: dict[str, Any],
    *,
    write: Callable[[Any], tuple[dict[int, int], int | None, int]] | None = None,
) -> None:
    """Move the staged rows into the real table: one transaction, or nothing.

    ``write(cursor)``, when given, replaces and inserts the rows itself (the fast
    paths) and returns what ``_write_staged`` returns and the rows written (so
    ``rows`` may be None: the single-write path counts them as it writes).
    """
    partnership_id = batch.partnership_id
    with connection.cursor() as cursor:
        # One import at a time per partnership and kind, so two uploads of the same
        # file cannot both succeed and replacements happen in order.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"sharing:{partnership_id}:{batch.kind}"],
        )
        earlier = _earlier_import(batch)
        if earlier is not None:
            batch.status = BatchStatus.QUEUED
            _finish_duplicate(batch, earlier)
            return
        if write is None:
            replaced, outside = _write_staged(cursor, batch, target, stage, facts)
        else:
            replaced, outside, rows = write(cursor)
    emptied = [
        old
        for old in replaced
        if not target.model.objects.filter(batch_id=old).exists()
    ]
    if emptied and target.table == partitions.PARENT:
        # An empty partition is dropped once this transaction has committed.
        transaction.on_commit(lambda: partitions.drop_partitions(emptied))
    with writes_allowed(PIPELINE):
        ImportBatch.objects.filter(pk__in=emptied).update(superseded_by=batch)
        # What each older batch still holds, for the snapshot's reconciliation.
        for old, count in replaced.items():
            ImportBatch.objects.filter(pk=old).update(
                rows_replaced=models.F("rows_replaced") + count
            )
    batch.status = BatchStatus.SUCCEEDED
    batch.finished_at = timezone.now()
    batch.rows_imported = rows
    batch.progress_rows = rows
    batch.rows_total = rows
    batch.rows_outside_area = outside
    batch.periods = _periods(batch.kind, facts)
    batch.facts = _plain_facts(facts)
    batch.message = _success_message(batch, replaced)
    if replaced:
        from .corrections import tell_recipients_of_correction

        told = tell_recipients_of_correction(batch, replaced)
        if told:
            batch.message += (
                f" The {told} {'person' if told == 1 else 'people'} who received "
                "the earlier data have been told by e-mail."
            )
    with writes_allowed(PIPELINE):
        batch.save(
            update_fields=[
                "status",
                "finished_at",
                "rows_imported",
                "progress_rows",
                "rows_total",
                "rows_outside_area",
                "periods",
                "facts",
                "message",
            ]
        )
    _audit(batch)


def _write_staged(
    cursor, batch: ImportBatch, target: Target, stage: str, facts: dict[str, Any]
) -> tuple[dict[int, int], int | None]:
    """Delete the rows the staged file replaces, insert it, count rows outside."""
    partnership_id = batch.partnership_id
    if target.write is not None:
        return target.write(cursor, batch, stage), None
    if batch.kind == "police_street":
        # Its table has no index on force and month: pick the batches first.
        replaced = delete_replaced(
            cursor, target.table, batch, sorted(facts.get("periods", ()))
        )
    else:
        cursor.execute(
            sql.SQL(
                "WITH gone AS (DELETE FROM {table} t "
                "WHERE t.partnership_id = %s AND {condition} RETURNING t.batch_id) "
                "SELECT batch_id, count(*) FROM gone GROUP BY batch_id"
            ).format(
                table=target.table_sql, condition=_replace_condition(target, stage)
            ),
            [partnership_id],
        )
        replaced = dict(cursor.fetchall())
    street = target.table == partitions.PARENT
    if street:
        # The batch's own partition, indexed and attached once loaded (ADR 0008).
        partitions.create_partition(cursor, batch.pk)
    cursor.execute(
        sql.SQL(
            "INSERT INTO {table} (partnership_id, batch_id, {columns}) "
            "SELECT %s, %s, {columns} FROM {stage}"
        ).format(
            table=sql.Identifier(partitions.partition_name(batch.pk))
            if street
            else target.table_sql,
            columns=target.columns_sql,
            stage=sql.Identifier(stage),
        ),
        [partnership_id, batch.pk],
    )
    if street:
        partitions.attach_partition(cursor, batch.pk)
    return replaced, _count_outside(cursor, target, stage, partnership_id)


#: The partnership's LSOA codes in both vintages (parameter ``p``: partnership id).
AREA_CODES_SQL = sql.SQL("""
    SELECT code FROM sharing_lsoa WHERE partnership_id = %(p)s
    UNION SELECT k.lsoa21_code FROM sharing_lsoalookup k
      JOIN sharing_lsoa l ON l.partnership_id = k.partnership_id
       AND l.code = k.lsoa11_code
     WHERE k.partnership_id = %(p)s
    UNION SELECT k.lsoa11_code FROM sharing_lsoalookup k
      JOIN sharing_lsoa l ON l.partnership_id = k.partnership_id
       AND l.code = k.lsoa21_code
     WHERE k.partnership_id = %(p)s
""")


def _count_outside(cursor, target: Target, stage: str, partnership_id: int):
    """Rows whose LSOA (either vintage) is not one of the partnership's LSOAs.

    They are kept; the analysis decides what to count. None when the partnership
    has no geography yet or the kind has no LSOA column.
    """
    if target.lsoa_column is None:
        return None
    if not Lsoa.objects.filter(partnership_id=partnership_id).exists():
        return None
    cursor.execute(
        sql.SQL(
            """
        WITH area AS ({area})
        SELECT count(*) FROM {stage} s
         WHERE s.{lsoa} IS NOT NULL AND s.{lsoa} NOT IN (SELECT code FROM area)
        """
        ).format(
            area=AREA_CODES_SQL,
            stage=sql.Identifier(stage),
            lsoa=sql.Identifier(target.lsoa_column),
        ),
        {"p": partnership_id},
    )
    return cursor.fetchone()[0]


def _periods(kind: str, facts: dict[str, Any]) -> list[Any]:
    if kind == "police_street":
        return sorted([force, month.isoformat()] for force, month in facts["periods"])
    if kind == "police_stop_search":
        return sorted(month.isoformat() for month in facts.get("months", ()))
    if kind == "istv":
        return sorted(
            [str(value) for value in period]
            for period in facts.get("reporting_periods", ())
        )
    return []


def _plain_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The reader's facts as JSON (sets as sorted lists, dates as ISO text)."""

    def plain(value: Any) -> Any:
        if isinstance(value, set | frozenset | list | tuple):
            items = [plain(v) for v in value]
            return (
                sorted(items, key=str) if isinstance(value, set | frozenset) else items
            )
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        return value

    return {
        key: plain(value)
        for key, value in facts.items()
        if key not in ("periods", "months", "reporting_periods")
    }


def _success_message(batch: ImportBatch, replaced: dict[int, int]) -> str:
    parts = [f"{batch.rows_imported:,} rows imported."]
    if replaced:
        count = sum(replaced.values())
        parts.append(
            f"They replace {count:,} rows from "
            f"{len(replaced)} earlier file{'s' if len(replaced) != 1 else ''}."
        )
    if batch.rows_outside_area:
        parts.append(
            f"{batch.rows_outside_area:,} rows are in LSOAs outside the "
            "partnership’s area. They are kept, and the analysis shows them "
            "separately."
        )
    if batch.synthetic:
        parts.append("This is synthetic (made-up) data for demonstration only.")
    return " ".join(parts)


@transaction.atomic
def _fail(
    batch: ImportBatch, problems: list[dict[str, Any]], message: str, hidden: int = 0
) -> None:
    batch.status = BatchStatus.FAILED
    batch.finished_at = timezone.now()
    batch.rows_imported = 0
    batch.problems = problems
    batch.problems_not_shown = hidden
    batch.message = message
    with writes_allowed(PIPELINE):
        batch.save(
            update_fields=[
                "status",
                "finished_at",
                "rows_imported",
                "problems",
                "problems_not_shown",
                "message",
            ]
        )
    _audit(batch)


def announce_import_succeeded(partnership: Partnership) -> None:
    """Send `import_succeeded` for the partnership after the current transaction
    commits (the analysis app rebuilds its snapshot then). A failing receiver is
    logged and never undoes the import."""

    def announce() -> None:
        responses = import_succeeded.send_robust(
            sender=Partnership, partnership=partnership
        )
        for receiver, response in responses:
            if isinstance(response, Exception):
                logger.error(
                    "%s failed after an import for %s",
                    getattr(receiver, "__qualname__", receiver),
                    partnership.slug,
                    exc_info=response,
                )

    transaction.on_commit(announce)


def save_and_queue(
    uploaded, queue: Callable[[Path], ImportBatch]
) -> tuple[ImportBatch, Path]:
    """Save an uploaded file and queue its import (`queue(saved path)`) in one
    transaction: if the queueing is refused or fails in any way, the transaction is
    rolled back and the saved file removed with it (core.storedfiles), so no file
    is left in MEDIA_ROOT/imports without a batch pointing to it. The caller starts
    the worker's task after this returns, once the batch is committed."""
    with transaction.atomic():
        saved = save_upload(uploaded)
        remove_on_rollback(saved)
        batch = queue(saved)
    return batch, saved


def save_upload(uploaded) -> Path:
    """Save an uploaded file under MEDIA_ROOT/imports with a random name."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(uploaded.name).suffix.lower()[:10]
    destination = folder / f"{uuid.uuid4().hex}{suffix}"
    try:
        with open(destination, "wb") as handle:
            for chunk in uploaded.chunks():
                handle.write(chunk)
    except OSError as error:
        # A full disk: remove what was written and refuse the upload plainly.
        destination.unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ValidationError(
                {
                    "file": "The server has no room to store the selected file, so "
                    "nothing was saved or queued. Tell your system administrator, "
                    "then upload the file again."
                }
            ) from error
        raise
    return destination
