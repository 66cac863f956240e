"""The SNA for a partnership: the local definition, harm weights, snapshot and cache.

Views, the `svduty sna` command and the report all call `sna_for(...)`, so they compute
the same figures. Results are cached by snapshot (id and content hash), filters,
definition and weights: a snapshot never changes, so a cached result never goes stale,
and a new import makes a new snapshot and so a new key.

The cache lives in the snapshot's own folder (`cache/`), so every web worker shares it
and it is deleted with the snapshot; a file lock per key makes concurrent requests for
the same figures wait for one computation instead of each doing it. An in-process LRU
sits in front of it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib

from django.utils import timezone

from svduty.analysis.cache import BoundedLRU, memoized
from svduty.analysis.models import HarmWeightTable, Snapshot
from svduty.analysis.result import RESULT_KEY, SnaResult
from svduty.analysis.sna import (
    DEFAULT_SV_TYPES,
    SnaError,
    SnaOptions,
    compute_sna,
    lad_name_from_lsoa,
    months_between,
)
from svduty.analysis.snapshot import current_snapshot
from svduty.analysis.stats import ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS, HarmWeights
from svduty.partnership.definitions import definition_in_force, spec_for
from svduty.partnership.models import (
    DefinitionStatus,
    LocalDefinition,
    Partnership,
    RuleSource,
)

CACHE_SECONDS = 24 * 3600
_LOCAL: BoundedLRU[SnaResult] = BoundedLRU(64)


#: What the SNA needs of an agreed local definition, by its id, number and date. An
#: agreed definition is fixed: its kinds, rules and exclusions are changed only
#: through `svduty.partnership.actions`, which refuse to change an agreed version (a
#: change is a new version, with a new id). So an entry never goes stale; a draft is
#: never in force and never cached. Saves 6 queries a dashboard request.
_DEFINITIONS: BoundedLRU[dict] = BoundedLRU(64)


def _agreed_definitions(partnership: Partnership) -> list[LocalDefinition]:
    """The partnership's agreed definitions, latest first (one query), or those
    `request_definition` read for this request's partnership instance."""
    cached: list[LocalDefinition] | None = getattr(
        partnership, "_sna_agreed_definitions", None
    )
    if cached is not None:
        return cached
    return list(
        LocalDefinition.objects.filter(
            partnership=partnership, status=DefinitionStatus.AGREED
        ).order_by("-agreed_on", "-number")
    )


def request_definition(partnership: Partnership, on: dt.date | None = None) -> dict:
    """`definition_for` in a view: the agreed definitions are read once and kept on
    the partnership instance the view fetched for this request, so that the SNA's
    options (`options_for`) do not ask again (one query less a dashboard view)."""
    agreed = _agreed_definitions(partnership)
    partnership._sna_agreed_definitions = agreed  # type: ignore[attr-defined]
    return definition_for(partnership, on, agreed=agreed)


def _in_force(agreed: list[LocalDefinition], on: dt.date | None):
    """As `definition_in_force`, from `_agreed_definitions`."""
    on = on or timezone.localdate()
    return next((d for d in agreed if d.agreed_on and d.agreed_on <= on), None)


def definition_for(
    partnership: Partnership,
    on: dt.date | None = None,
    *,
    agreed: list[LocalDefinition] | None = None,
) -> dict:
    """The serious violence definition to apply: the partnership's local definition in
    force on `on` when there is one, else the default. `agreed`: the partnership's
    `_agreed_definitions`, when the caller has them already."""
    if agreed is None:
        definition = definition_in_force(partnership, on)
    else:
        definition = _in_force(agreed, on)
    if definition is None:
        return {
            "types": DEFAULT_SV_TYPES,
            "source": "default",
            "ho_codes": None,
            "weapon_flags": None,
            "spec": None,
            "kinds": list(DEFAULT_SV_TYPES),
        }
    key = (definition.pk, definition.number, definition.agreed_on)
    cached = _DEFINITIONS.get(key)
    if cached is not None:
        return cached
    spec = spec_for(definition)

    def values(source: str) -> tuple[str, ...]:
        # As rule_values: the distinct values of one source's rules, sorted.
        field = {
            RuleSource.POLICE_UK: "police_uk",
            RuleSource.HO_OFFENCE: "ho_codes",
            RuleSource.WEAPON: "weapon_flags",
        }[source]
        return tuple(sorted({v for kind in spec.kinds for v in getattr(kind, field)}))

    found = {
        "types": values(RuleSource.POLICE_UK),
        "source": "local",
        "ho_codes": values(RuleSource.HO_OFFENCE) or None,
        "weapon_flags": values(RuleSource.WEAPON),
        "spec": spec,
        "kinds": [kind.key for kind in spec.kinds],
    }
    _DEFINITIONS.put(key, found)
    return found


def harm_weights_for(partnership) -> HarmWeights:
    table = (
        HarmWeightTable.objects.filter(partnership=partnership)
        .select_related("created_by")
        .order_by("-created_at", "-id")
        .first()
    )
    if table is None:
        return ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS
    return HarmWeights(
        name=table.name,
        version=table.version,
        source=harm_weights_provenance(table),
        weights={k: float(v) for k, v in table.weights.items()},
        illustrative=table.illustrative,
    )


def harm_weights_provenance(table: HarmWeightTable) -> str:
    """Whose weights, where from and when: shown wherever harm is shown."""
    parts = [table.source.rstrip(".") + "."]
    if table.owner:
        parts.append(f"Supplied by {table.owner}.")
    if table.effective_on:
        parts.append(f"Dated {table.effective_on:%-d %B %Y}.")
    parts.append(
        f"Imported into svduty on {table.created_at:%-d %B %Y} by "
        f"{table.created_by.get_full_name() or table.created_by.username}."
    )
    return " ".join(parts)


def _snapshot_cache(snapshot: Snapshot):
    return _FastFileCache(
        str(snapshot.path / "cache"),
        {"TIMEOUT": CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 2000}},
    )


def _fast_file_cache_class():
    import pickle
    import zlib

    from django.core.cache.backends.filebased import FileBasedCache

    class FastFileCache(FileBasedCache):
        """Django's file cache, compressing at zlib level 1 instead of 6: a
        rendered dashboard (about 0.5 MB) took 8 ms to store, now 2 ms, and the
        file is a fifth bigger. Read by the stock code (any level decompresses)."""

        def _write_content(self, file, timeout, value):
            expiry = self.get_backend_timeout(timeout)
            file.write(pickle.dumps(expiry, self.pickle_protocol))
            file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 1))

    return FastFileCache


_FastFileCache = _fast_file_cache_class()


def snapshot_cached(snapshot: Snapshot, key: str, compute):
    """`compute()` once per key and snapshot, shared by every process."""
    store = _snapshot_cache(snapshot)
    value = store.get(key)
    if value is not None:
        return value
    lock_dir = snapshot.path / "cache" / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    lock_path = lock_dir / (hashlib.sha256(key.encode()).hexdigest() + ".lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            value = store.get(key)
            if value is None:
                value = compute()
                store.set(key, value)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return value


def snapshot_meta(snapshot: Snapshot) -> dict:
    return {
        "id": snapshot.pk,
        "content_hash": snapshot.content_hash,
        "created_at": snapshot.created_at.isoformat(),
        "label": snapshot.label,
        "row_counts": snapshot.row_counts,
        "source_batches": snapshot.source_batches,
    }


def default_period(snapshot: Snapshot) -> tuple[dt.date, dt.date]:
    """The last 12 months of street-level data in the snapshot (or fewer)."""
    return _default_period(str(snapshot.path))


@memoized(64)
def _default_period(folder: str) -> tuple[dt.date, dt.date]:
    import duckdb

    con = duckdb.connect()
    try:
        low, high = con.execute(
            "SELECT min(month), max(month) FROM read_parquet(?)",
            [f"{folder}/police_street.parquet"],
        ).fetchone()
    finally:
        con.close()
    if high is None:
        today = timezone.localdate().replace(day=1)
        return today, today
    months = months_between(low, high)
    return months[max(0, len(months) - 12)], high


def options_for(
    partnership,
    snapshot: Snapshot,
    *,
    period_from: dt.date,
    period_to: dt.date,
    kind: str | None = None,
    area: str | None = None,
) -> SnaOptions:
    # One query for the definition in force at the period's end and today's.
    agreed = _agreed_definitions(partnership)
    definition = definition_for(partnership, period_to, agreed=agreed)
    about: dict = {"slug": partnership.slug, "name": partnership.name}
    if definition["source"] == "default":
        # The partnership may have agreed a definition after the period's data: say
        # so, rather than that it has none (issue 16, point 4).
        later = _in_force(agreed, None)
        if later is not None and later.agreed_on > period_to:
            about["definition_agreed_on"] = f"{later.agreed_on:%-d %B %Y}"
    return SnaOptions(
        period_from=period_from,
        period_to=period_to,
        partnership=about,
        snapshot=snapshot_meta(snapshot),
        kind=kind or None,
        area=area or None,
        sv_types=definition["types"],
        sv_types_source=definition["source"],
        extract_ho_codes=definition["ho_codes"],
        extract_weapon_flags=definition["weapon_flags"],
        harm_weights=harm_weights_for(partnership),
        definition=definition["spec"],
    )


def sna_for(
    partnership,
    *,
    period_from: dt.date,
    period_to: dt.date,
    kind: str | None = None,
    area: str | None = None,
    snapshot: Snapshot | None = None,
) -> SnaResult:
    """The SNA (raw counts) for the partnership; raises SnaError when it cannot."""
    snapshot = snapshot or current_snapshot(partnership)
    if snapshot is None:
        raise SnaError("No data has been imported for this partnership yet")
    options = options_for(
        partnership,
        snapshot,
        period_from=period_from,
        period_to=period_to,
        kind=kind,
        area=area,
    )
    key = f"{RESULT_KEY}:" + hashlib.sha256(options.cache_key().encode()).hexdigest()
    cached = _LOCAL.get(key)
    if cached is not None:
        return cached
    result = snapshot_cached(snapshot, key, lambda: compute_sna(snapshot.path, options))
    _LOCAL.put(key, result)
    return result


@memoized(64)
def _months(folder: str) -> tuple[dt.date, ...]:
    import duckdb

    con = duckdb.connect()
    try:
        bounds = []
        for table, sql in (
            ("police_street", "SELECT min(month), max(month) FROM read_parquet(?)"),
            (
                "crime_extract",
                "SELECT min(offence_date), max(offence_date) FROM read_parquet(?)",
            ),
            (
                "istv",
                "SELECT min(assault_date), max(assault_date) FROM read_parquet(?)",
            ),
            (
                "stop_search",
                "SELECT min(searched_date), max(searched_date) FROM read_parquet(?)",
            ),
        ):
            bounds.extend(con.execute(sql, [f"{folder}/{table}.parquet"]).fetchone())
    finally:
        con.close()
    known = [b for b in bounds if b is not None]
    if not known:
        today = timezone.localdate().replace(day=1)
        return (today,)
    return tuple(months_between(min(known).replace(day=1), max(known).replace(day=1)))


def snapshot_months(snapshot: Snapshot) -> list[dt.date]:
    """Every month from the earliest to the latest record in the snapshot."""
    return list(_months(str(snapshot.path)))


@memoized(64)
def _areas(folder: str) -> tuple[tuple[str, str], ...]:
    import duckdb

    con = duckdb.connect()
    try:
        lookup = f"{folder}/lookup.parquet"
        rows = con.execute(
            """
            SELECT coalesce(l.lad_code, k11.lad, k21.lad) AS lad_code, min(l.name)
            FROM read_parquet(?) l
            LEFT JOIN (SELECT lsoa11_code AS code, min(lad_code) AS lad
                       FROM read_parquet(?) GROUP BY 1) k11
              ON l.vintage = 2011 AND k11.code = l.lsoa_code
            LEFT JOIN (SELECT lsoa21_code AS code, min(lad_code) AS lad
                       FROM read_parquet(?) GROUP BY 1) k21
              ON l.vintage = 2021 AND k21.code = l.lsoa_code
            GROUP BY 1 HAVING lad_code IS NOT NULL
            """,
            [f"{folder}/lsoa.parquet", lookup, lookup],
        ).fetchall()
    finally:
        con.close()
    named = [(lad, lad_name_from_lsoa(name) or lad) for lad, name in rows]
    return tuple(sorted(named, key=lambda item: item[1]))


def snapshot_areas(snapshot: Snapshot) -> list[dict]:
    """The local authorities of the partnership's LSOAs, for the area filter."""
    return [{"code": code, "name": name} for code, name in _areas(str(snapshot.path))]


__all__ = ["SnaError", "default_period", "definition_for", "sna_for"]
