"""Querysets compiled once per process (issue 15).

Building a queryset with the ORM and compiling it to SQL costs the web worker more
than PostgreSQL takes to run it when the query is a policy's: the access query of a
child's page (five bases, each an `EXISTS` subquery, and the signpost scope) took a
quarter of that page's CPU to build, on every request, though only the user, the
child's id, the user's agencies and the time change between requests.

`run(key, build, values)` builds the queryset once per `key` with *stand-ins* for
`values` (distinct values no real request uses: large negative ids, instants in
1901), compiles it, and notes which parameters are stand-ins. Later calls swap the
real values into those parameters and run the SQL as compiled; the rows become model
instances (with their `select_related` objects and annotations) or dicts, exactly as
the queryset would give them.

The key must name everything that changes the SQL's shape: the variant of the query,
the permissions that add or leave out conditions, and the length of each list (an
``IN`` list has one parameter per item). A stand-in that does not reach the
parameters (a value written into the SQL text) is an error when compiling, so a
value can never be left behind from the first request.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.query import get_related_populators

#: The first stand-in id; each stand-in in a query is a different one below it.
_FIRST_ID = -7_346_291_100
#: Stand-in instants: 1901, a microsecond apart; stand-in days: 1901, a day apart.
_FIRST_TIME = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
_FIRST_DAY = dt.date(1901, 3, 4)

#: Compiled queries kept per process (beyond it, the oldest is compiled again).
LIMIT = 512


@dataclass(frozen=True)
class _Compiled:
    sql: str
    #: For each parameter: (name, index) of the value it takes, index None for a
    #: single value and the position in the sorted list for a list; or the constant.
    slots: tuple[tuple[str, int | None, bool] | None, ...]
    constants: tuple[Any, ...]
    rows_as: str
    names: tuple[str, ...]
    model: type[models.Model] | None
    init_list: tuple[str, ...]
    model_start: int
    model_end: int
    populators: tuple[Any, ...]
    annotation_col_map: tuple[tuple[str, int], ...]
    #: Column positions whose values the ORM converts (none for PostgreSQL's usual
    #: types; kept so that a converted column is converted here too).
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    #: The statement as the client-side cursor sends it, cut where the values go
    #: (see `_literal_parts`), or None to send it with parameters.
    literal: tuple[tuple[str, ...], tuple[tuple[str, int | None, bool], ...]] | None
    #: (name, PREPARE statement, its parameters' keys) made from `literal`.
    prepared: tuple[str, str, tuple[Any, ...]] | None


_cache: dict[tuple, _Compiled | None] = {}
_lock = threading.Lock()


def stand_ins(values: Mapping[str, Any]) -> dict[str, Any]:
    """A stand-in for each value: an id for an int, an instant for a datetime, a
    day for a date, a text for a text, a list of ids as long as the
    (deduplicated) list of ints."""
    out: dict[str, Any] = {}
    next_id = _FIRST_ID
    next_time = _FIRST_TIME
    next_day = _FIRST_DAY
    for name, value in values.items():
        if isinstance(value, bool):
            raise TypeError(f"{name}: a bool changes the query's shape; key on it")
        if isinstance(value, int):
            out[name] = next_id
            next_id -= 1
        elif isinstance(value, dt.datetime):
            out[name] = next_time
            next_time += dt.timedelta(microseconds=1)
        elif isinstance(value, dt.date):
            out[name] = next_day
            next_day += dt.timedelta(days=1)
        elif isinstance(value, str):
            out[name] = f"svduty stand-in {-next_id}"
            next_id -= 1
        elif isinstance(value, list | tuple | set | frozenset):
            count = len(set(value))
            out[name] = [next_id - i for i in range(count)]
            next_id -= count
        else:
            raise TypeError(f"{name}: no stand-in for {type(value).__name__}")
    return out


def shape(values: Mapping[str, Any]) -> tuple:
    """What of `values` changes the SQL: the length of each list."""
    return tuple(
        (name, len(set(value)))
        for name, value in values.items()
        if isinstance(value, list | tuple | set | frozenset)
    )


def _compile(
    build: Callable[..., models.QuerySet], values: Mapping[str, Any], connection: Any
):
    standing = stand_ins(values)
    queryset = build(**standing)
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        # No row can match (an empty list in the filter), as the ORM would
        # find without asking the database; the same for every value of this shape.
        return None
    where: dict[Any, tuple[str, int | None]] = {}
    for name, value in standing.items():
        if isinstance(value, list):
            for index, item in enumerate(value):
                where[item] = (name, index)
        else:
            where[value] = (name, None)
    slots: list[tuple[str, int | None, bool] | None] = []
    constants: list[Any] = []
    for param in params:
        found = None
        as_text = False
        if isinstance(param, str):
            found = where.get(param)
        if isinstance(param, int | dt.date) and not isinstance(param, bool):
            found = where.get(param)
            as_text = False
        if found is None and isinstance(param, str) and _is_int_text(param):
            found = where.get(int(param))
            as_text = True
        if found is None:
            slots.append(None)
            constants.append(param)
        else:
            slots.append((*found, as_text))
            constants.append(None)
    # A stand-in the query does not use is fine (a practitioner's query has no
    # condition on agencies); one written into the SQL text (even if it is a
    # parameter elsewhere), or changed into another parameter (a pattern for
    # LIKE), would be the first request's value forever.
    texts = [sql, *(c for c in constants if isinstance(c, str))]
    written = [
        found
        for value, found in where.items()
        if any(_written(value, text) for text in texts)
    ]
    if written:
        raise ValueError(f"written into the SQL, not parameters: {written}")
    literal = _literal_parts(connection, sql, params, slots, standing)
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = tuple(
        (position, tuple(convs), expression)
        for position, (convs, expression) in compiler.get_converters(fields).items()
    )
    iterable = queryset._iterable_class.__name__
    if iterable == "ModelIterable":
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql,
            slots=tuple(slots),
            constants=tuple(constants),
            rows_as="models",
            names=(),
            model=klass_info["model"],
            init_list=tuple(f[0].target.attname for f in compiler.select[start:end]),
            model_start=start,
            model_end=end,
            populators=tuple(
                # (django-stubs describe a newer Django's signature)
                get_related_populators(  # type: ignore[call-arg]
                    klass_info, compiler.select, queryset.db
                )
            ),
            annotation_col_map=tuple(compiler.annotation_col_map.items()),
            converters=converters,
            literal=literal,
            prepared=_prepared(literal) if literal is not None else None,
        )
    if iterable == "ValuesIterable":
        query = queryset.query
        names = (
            tuple(query.selected)
            if query.selected
            else (
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            )
        )
        return _Compiled(
            sql=sql,
            slots=tuple(slots),
            constants=tuple(constants),
            rows_as="dicts",
            names=names,
            model=None,
            init_list=(),
            model_start=0,
            model_end=0,
            populators=(),
            annotation_col_map=(),
            converters=converters,
            literal=literal,
            prepared=_prepared(literal) if literal is not None else None,
        )
    raise TypeError(f"rows as {iterable} are not supported")


def _written(value: Any, sql: str) -> bool:
    if isinstance(value, str):
        return value in sql
    if isinstance(value, dt.date):
        return "1901" in sql
    return str(abs(value)) in sql


def _literal_parts(connection, sql, params, slots, standing):
    """With client-side binding (Django's default for psycopg 3) the driver writes
    every parameter into the statement as a literal before sending it, parsing the
    statement each time; it keeps that parse only for statements under 4 KB with
    at most 50 parameters, and a child's page's overview is 13 KB with about 300
    (most of them constants: JSON keys, statuses). So the statement is written
    out once, as the driver would, and cut where each stand-in's literal stands;
    a request joins the parts with its values' literals, written by the same
    driver (an integer as its digits). None when the cursor binds on the server,
    or when a stand-in's literal does not stand exactly where its parameters do."""
    import re

    with connection.cursor() as cursor:
        raw = cursor.cursor
        if not hasattr(raw, "mogrify"):
            return None
        text = raw.mogrify(sql, params)
        if "%" in text:
            # Sent without parameters, a "%" would be read as a placeholder if
            # something added parameters on the way (pghistory's context does,
            # to statements other than SELECT, in requests that write).
            return None
        keys = [slot for slot in slots if slot is not None]
        tokens: dict[str, tuple[str, int | None, bool]] = {}
        for key in set(keys):
            name, index, as_text = key
            value = standing[name] if index is None else standing[name][index]
            tokens[raw.mogrify("%s", [str(value) if as_text else value])] = key
    if not tokens:
        return None
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    )
    found = list(pattern.finditer(text))
    if sorted(tokens[m.group()] for m in found) != sorted(keys):
        return None
    parts, order, start = [], [], 0
    for match in found:
        parts.append(text[start : match.start()])
        order.append(tokens[match.group()])
        start = match.end()
    parts.append(text[start:])
    return tuple(parts), tuple(order)


def _literal(raw: Any, value: Any, as_text: bool) -> str:
    if type(value) is int:  # digits only: no quoting to get wrong
        return f"'{value}'" if as_text else (str(value) if value >= 0 else f" {value}")
    return raw.mogrify("%s", [str(value) if as_text else value])


def _statement(literal: Any, values: Mapping[str, Any], raw: Any) -> str | None:
    """The statement with the values' literals, or None when a literal holds a
    "%" (a text from the request): see `_literal_parts`."""
    parts, order = literal
    lists = _lists(values)
    out = [parts[0]]
    for (name, index, as_text), part in zip(order, parts[1:], strict=True):
        value = values[name] if index is None else lists[name][index]
        text = _literal(raw, value, as_text)
        if "%" in text:
            return None
        out.append(text)
        out.append(part)
    return "".join(out)


def _prepared(literal: Any) -> tuple[str, str, tuple[Any, ...]]:
    """(name, PREPARE statement, the keys of its parameters in order) for the
    statement cut at its values (`_literal_parts`): each distinct value (an id,
    or the same id as text) is one parameter, its type inferred by PostgreSQL
    from the column it is compared with."""
    import hashlib

    parts, order = literal
    numbers: dict[Any, int] = {}
    out = [parts[0]]
    for key, part in zip(order, parts[1:], strict=True):
        number = numbers.setdefault(key, len(numbers) + 1)
        out.append(f" ${number}")
        out.append(part)
    text = "".join(out)
    name = "svduty_" + hashlib.sha256(text.encode()).hexdigest()[:24]
    return name, f"PREPARE {name} AS {text}", tuple(numbers)


def _execute_prepared(
    cursor: Any, prepared: tuple[str, str, tuple[Any, ...]], values: Mapping[str, Any]
) -> bool:
    """Run the statement as a prepared statement of this database session,
    preparing it the first time the session runs it: PostgreSQL then neither
    parses nor plans it again (planning the child's overview took longer than
    running it). A prepared statement outlives a rolled-back transaction, and a
    new connection starts with none."""
    name, prepare, keys = prepared
    raw = cursor.cursor
    lists = _lists(values)
    args = []
    for name_, index, as_text in keys:
        value = values[name_] if index is None else lists[name_][index]
        args.append(_literal(raw, value, as_text))
    if any("%" in arg for arg in args):
        return False  # see `_literal_parts`: sent with parameters instead
    session = cursor.db.connection
    done: set[str] | None = getattr(session, "_svduty_prepared", None)
    if done is None:
        done = session._svduty_prepared = set()
    if name not in done:
        cursor.execute(prepare)
        done.add(name)
    cursor.execute(f"EXECUTE {name}({', '.join(args)})")
    return True


def _lists(values: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: sorted(set(value))
        for name, value in values.items()
        if isinstance(value, list | tuple | set | frozenset)
    }


def _params(compiled: _Compiled, values: Mapping[str, Any]) -> list[Any]:
    lists = _lists(values)
    params = []
    for slot, constant in zip(compiled.slots, compiled.constants, strict=True):
        if slot is None:
            params.append(constant)
            continue
        name, index, as_text = slot
        value = values[name] if index is None else lists[name][index]
        params.append(str(value) if as_text else value)
    return params


def run(
    key: tuple,
    build: Callable[..., models.QuerySet],
    values: Mapping[str, Any],
    using: str = "default",
    prepare: bool = False,
) -> list[Any]:
    """The rows of ``build(**values)``: model instances for a queryset of models,
    dicts for ``.values(...)``. `build` is called with stand-ins once per `key` and
    shape of `values` (see the module's doc) and must give the same SQL for any
    values of that key and shape.

    With `prepare`, the statement is a prepared statement of each database
    session (`_execute_prepared`): for a statement PostgreSQL takes longer to
    plan than to run, whose plan does not depend on the values (an id)."""
    connection = connections[using]
    full_key = (key, connection.vendor, shape(values))
    try:
        compiled = _cache[full_key]
    except KeyError:
        compiled = _compile(build, values, connection)
        with _lock:
            if len(_cache) >= LIMIT:
                _cache.pop(next(iter(_cache)), None)
            _cache[full_key] = compiled
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        done = False
        if prepare and compiled.prepared is not None:
            done = _execute_prepared(cursor, compiled.prepared, values)
        elif compiled.literal is not None:
            statement = _statement(compiled.literal, values, cursor.cursor)
            if statement is not None:
                cursor.execute(statement)
                done = True
        if not done:
            cursor.execute(compiled.sql, _params(compiled, values))
        rows: Iterable[Any] = cursor.fetchall()
    if compiled.converters:
        rows = _converted(rows, compiled.converters, connection)
    if compiled.rows_as == "dicts":
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in rows]
    return [_instance(compiled, row, using) for row in rows]


def _converted(rows, converters, connection) -> list[list[Any]]:
    out = []
    for row in map(list, rows):
        for position, convs, expression in converters:
            value = row[position]
            for converter in convs:
                value = converter(value, expression, connection)
            row[position] = value
        out.append(row)
    return out


def _instance(compiled: _Compiled, row, using: str) -> models.Model:
    model: Any = compiled.model  # set for rows as models
    obj = model.from_db(
        using, list(compiled.init_list), row[compiled.model_start : compiled.model_end]
    )
    for populator in compiled.populators:
        populator.populate(row, obj)
    for name, position in compiled.annotation_col_map:
        setattr(obj, name, row[position])
    return obj


def clear() -> None:
    """Forget every compiled query (tests that change what a key builds)."""
    with _lock:
        _cache.clear()


def _is_int_text(text: str) -> bool:
    """Whether `text` is an integer written in ASCII digits ("-12"): str.isdigit
    also accepts "²", which int() refuses."""
    digits = text.removeprefix("-")
    return digits.isascii() and digits.isdigit()
