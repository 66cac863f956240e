"""No input gives a 500 (issue 14, build 3): every HTML form the access matrix reaches
is posted hostile values by a signed-in user of a role the page allows.

The walk: every GET page in the access matrix is opened by an allowed role on the
matrix's real objects; each <form> in its HTML (POST forms and GET filter forms) is
read (its fields, their kinds, their current values, the choices offered) and sent
again in a fixed set of hostile variants:

- nothing at all (every field missing);
- over-long text (longer than any column) in every field;
- wrong types: letters for numbers, numbers past bigint, "NaN" and 1e309, dates that
  do not exist (31 February, year 99999, day 0), choices that are not offered,
  checkboxes with values no checkbox sends;
- look-alike and hostile unicode: superscript and full-width digits, right-to-left
  override, combining marks, emoji, zero-width space, markup and quotes;
- half the fields kept as the page offered them and the other half hostile (so a
  form's cross-field checks run with some fields clean and others not), and the
  reverse half;
- every key twice, a valid value and a hostile one, for forms with a field that
  takes several values (elsewhere the last wins, which is "wrong types" again);
- an address that is not UTF-8 (every GET form), a body that is not UTF-8 (once
  per encoding: Django decodes it before any view runs);
- a NUL character (refused by `core.middleware.RejectNulBytesMiddleware` before any
  view runs: once per method and encoding);
- hostile files (an image named .csv, an empty file, a path in the name) for file
  fields.

A form is one case per role, view it is sent to and set of fields: the same button
on every row of a list, or the same form on every child's page, is sent once.

Every answer must be below 500, and no redirect may leave the site. Each POST runs
in a savepoint that is rolled back, so one variant's effect (a published tool, a
closed record, the user signed out) does not change what the next one sees. The
variants are fixed lists, so a run is repeatable; nothing random is drawn.

`SVDUTY_FORM_FUZZ=all` sends every variant to every form as every allowed role
(slow, for a release); CI sends them as the one role the audit walk prefers."""

from __future__ import annotations

import dataclasses
import os
import time
import traceback
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from svduty.core.authorisation import Role
from tests.access import all_routes, world
from tests.integration.test_url_coverage import (  # noqa: F401 - fixtures
    matrix,
    matrix_world,
)

EVERY_ROLE = os.environ.get("SVDUTY_FORM_FUZZ") == "all"

# --- Reading forms ------------------------------------------------------------------


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    options: list[str] = dataclasses.field(default_factory=list)
    checked: bool = False


@dataclasses.dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[Field] = dataclasses.field(default_factory=list)

    def key(self) -> tuple:
        """The view the form is sent to (not its address: the same form for each
        row of a list, or each child, is one case) and the fields it sends."""
        path = urlsplit(self.action).path
        try:
            target = resolve(path).view_name
        except Resolver404:
            target = path
        return (self.method, target, tuple(sorted({f.name for f in self.fields})))


class FormReader(HTMLParser):
    """The forms of a page, with what a browser would send from each."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=urljoin(self.page_url, a.get("action") or self.page_url),
                method=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag in ("input", "button") and name:
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            if kind in ("image", "reset", "button"):
                return
            self._form.fields.append(
                Field(name, kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "select" and name:
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = Field(name, kind)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select":
            if self._option is not None:
                self._close_option()
            self._select = None

    def _close_option(self):
        value = self._option.get("value", self._option_text.strip())
        self._select.options.append(value)
        if "selected" in self._option:
            self._select.value = value
            self._select.checked = True
        self._option = None


# --- Hostile values -----------------------------------------------------------------

LONG = "Ж" * 6000 + "x" * 100_000
NUMERIC_WORDS = ("number", "amount", "count", "age", "year", "month", "day", "score")
WRONG_NUMBERS = ["abc", "99999999999999999999999", "1e309", "NaN", "-1", "²", "１２"]
BAD_DATES = ["2026-02-31", "0000-00-00", "31/02/2026", "99999-01-01", "tomorrow"]
UNICODE = [
    "\u202eevil\u202c",
    "e\u0301\u0301\u0301",
    "👩\u200d👩\u200d👧",
    "a\u200bb",
    "<script>alert(1)</script>\"'; --",
    '=HYPERLINK("http://x")',
    "ℌ𝔢𝔩𝔩𝔬",
    "\ufeff\ufffe",
]


def _numeric(field: Field) -> bool:
    last = field.name.rsplit("-", 1)[-1].rsplit("_", 1)[-1].lower()
    return (
        field.kind in ("number", "range")
        or last in NUMERIC_WORDS
        or (field.kind == "hidden" and field.value.isdigit())
    )


def _hostile(field: Field, index: int, style: str) -> str:
    """A hostile value for a field, chosen by the field's kind and its position so
    that, across a form, each kind of hostile value is tried somewhere."""
    if style == "long":
        return LONG
    if style == "unicode":
        return UNICODE[index % len(UNICODE)]
    # style "type"
    if field.kind == "date" or field.name.lower().endswith("date"):
        return BAD_DATES[index % len(BAD_DATES)]
    if _numeric(field):
        return WRONG_NUMBERS[index % len(WRONG_NUMBERS)]
    if field.kind in ("select", "select-multiple", "radio"):
        return ["__not_offered__", "-1", "99999999999999999999999"][index % 3]
    if field.kind == "checkbox":
        return ["maybe", "", "0"][index % 3]
    if field.kind == "email":
        return ["not-an-email", "a@" + "b" * 300 + ".com"][index % 2]
    return [WRONG_NUMBERS[1], BAD_DATES[0], "-1", "true", "[]"][index % 5]


def _baseline(form: Form, button: int) -> dict[str, list]:
    """What a browser would send from the form as the page drew it (with the first
    choice offered where none is chosen), pressing its `button`-th named button."""
    data: dict[str, list] = {}
    buttons = [f for f in form.fields if f.kind == "submit"]
    radios_seen: set[str] = set()
    for field in form.fields:
        if field.kind == "submit":
            continue
        if field.kind == "file":
            data.setdefault(field.name, []).append(
                SimpleUploadedFile("rows.csv", b"a,b\n1,2\n", "text/csv")
            )
        elif field.kind == "checkbox":
            if field.checked:
                data.setdefault(field.name, []).append(field.value or "on")
        elif field.kind == "radio":
            if field.name not in radios_seen and (
                field.checked
                or not any(
                    f.checked
                    for f in form.fields
                    if f.name == field.name and f.kind == "radio"
                )
            ):
                radios_seen.add(field.name)
                data[field.name] = [field.value]
        elif field.kind in ("select", "select-multiple"):
            chosen = field.value if field.checked else ""
            if not chosen:
                chosen = next((o for o in field.options if o), "")
            data.setdefault(field.name, []).append(chosen)
        else:
            data.setdefault(field.name, []).append(field.value)
    if buttons:
        pressed = buttons[button % len(buttons)]
        data[pressed.name] = [pressed.value]
    return data


HOSTILE_FILES = [
    ("picture.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "text/csv"),
    ("empty.xlsx", b"", "application/vnd.ms-excel"),
    ("../../" + "é" * 200 + ".csv", "名前,年齢\n²,１２\n".encode(), "text/csv"),
]


def _variants(form: Form) -> list[tuple[str, dict[str, list]]]:
    """The fixed list of hostile bodies for one form."""
    fields = [f for f in form.fields if f.kind != "submit"]
    names = list(dict.fromkeys(f.name for f in fields))
    by_name = {f.name: f for f in fields}
    out: list[tuple[str, dict[str, list]]] = [("nothing", {})]

    def each(style: str, keep: int | None = None, button: int = 0):
        data = _baseline(form, button)
        for i, name in enumerate(names):
            if keep is not None and i % 2 == keep:
                continue
            field = by_name[name]
            if field.kind == "file":
                fname, body, kind = HOSTILE_FILES[i % len(HOSTILE_FILES)]
                data[name] = [SimpleUploadedFile(fname, body, kind)]
            else:
                data[name] = [_hostile(field, i, style)]
        return data

    out.append(("over-long", each("long")))
    out.append(("wrong types", each("type", button=1)))
    out.append(("unicode", each("unicode", button=2)))
    if len(names) > 1:
        out.append(("half hostile (odd)", each("type", keep=0)))
        out.append(("half hostile (even)", each("type", keep=1, button=1)))
    if _multi_valued(form):
        # A single-valued field reads the last of repeated keys, which makes this
        # the "wrong types" variant again; only where a field takes several values
        # (a multiple select, checkboxes sharing a name) is it a case of its own.
        doubled = _baseline(form, 0)
        for i, name in enumerate(names):
            field = by_name[name]
            if field.kind != "file":
                doubled[name] = [
                    *doubled.get(name, [""])[:1],
                    _hostile(field, i, "type"),
                ]
        out.append(("duplicated keys", doubled))
    if names and _first_of_its_encoding(form, "NUL"):
        # Refused by one middleware before any view runs, whatever the address:
        # sent once per method and encoding (form or multipart), not per form.
        out.append(("NUL", {**_baseline(form, 0), names[0]: ["a\x00b"]}))
    if form.method == "get" or _first_of_its_encoding(form, "not UTF-8"):
        # A body is decoded (with replacement characters) by Django before any
        # view runs, into fields the form does not have: once per encoding. An
        # address is read by the view itself (`q`, `page`): for every GET form.
        out.append(("not UTF-8", None))
    return out


def _multi_valued(form: Form) -> bool:
    names = [f.name for f in form.fields if f.kind not in ("submit", "radio")]
    return len(names) != len(set(names)) or any(
        f.kind == "select-multiple" for f in form.fields
    )


#: (check, method, multipart) already sent in this run.
ENCODINGS_SENT: set[tuple] = set()


def _first_of_its_encoding(form: Form, check: str) -> bool:
    key = (check, form.method, form.multipart)
    if key in ENCODINGS_SENT:
        return False
    ENCODINGS_SENT.add(key)
    return True


# --- Sending ------------------------------------------------------------------------


def _client(role) -> Client:
    """The world's signed-in client for `role` (signed in once a run), answering a
    server error with its 500 rather than raising it."""
    return world.client(role, raise_request_exception=False)


def _send(client, form: Form, data) -> object:
    url = urlsplit(form.action)
    path = url.path + (f"?{url.query}" if url.query else "")
    if data is None and form.method == "get":  # an address that is not UTF-8
        return client.get(f"{url.path}?x=%FF%FE%C0%AF&q=%ED%A0%80&page=%B2")
    if data is None:  # a body that is not UTF-8
        return client.generic(
            form.method.upper(),
            path,
            b"x=%FF%FE%C0%AF&y=\xff\xfe",
            content_type="application/x-www-form-urlencoded",
        )
    if form.method == "get":
        flat = [(k, v) for k, vs in data.items() for v in vs if isinstance(v, str)]
        # Over-long values in an address are cut to what a server would accept.
        flat = [(k, v[:4000]) for k, v in flat]
        query = urlencode(flat)
        return client.get(f"{url.path}?{query}")
    if form.multipart or any(
        not isinstance(v, str) for vs in data.values() for v in vs
    ):
        return client.post(path, data)
    return client.generic(
        "POST",
        path,
        urlencode([(k, v) for k, vs in data.items() for v in vs]),
        content_type="application/x-www-form-urlencoded",
    )


def _problem(response) -> str | None:
    status = response.status_code
    if status >= 500:
        exc = getattr(response, "exc_info", None)
        if exc:
            frames = traceback.extract_tb(exc[2])
            where = next(
                (f for f in reversed(frames) if "/svduty/" in f.filename),
                frames[-1],
            )
            return (
                f"{status} {exc[0].__name__}: {str(exc[1])[:200]} "
                f"at {where.filename.split('/src/')[-1]}:{where.lineno}"
            )
        return str(status)
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"])
        if target.netloc and target.netloc != "testserver":
            return f"redirected off the site to {response['Location'][:100]}"
    return None


# --- The walk -----------------------------------------------------------------------

PREFERENCE = [Role.PRACTITIONER, Role.TEAM_MANAGER, Role.AUDITOR]

GET_PAGES = [
    r
    for r in all_routes().values()
    if r.method == "get"
    and r.allowed
    and not r.public
    and not r.flow_only
    and r.expect == 200
    and r.redirects_to is None
]


def _roles(route) -> list[Role]:
    if EVERY_ROLE:
        return sorted(route.allowed)
    for role in PREFERENCE:
        if role in route.allowed:
            return [role]
    return [sorted(route.allowed)[0]]


#: Forms already sent their variants in this run, by role, method, the view they are
#: sent to and field names: the header's search and sign-out forms, filter forms
#: shared by several pages, the same button on every row of a list, are fuzzed once,
#: on the first page that shows them.
FUZZED: set[tuple] = set()
SENT = {"pages": 0, "forms": 0, "requests": 0}


@pytest.mark.parametrize("route", GET_PAGES, ids=lambda r: r.name)
def test_no_form_answers_hostile_input_with_a_500(matrix, route):  # noqa: F811
    problems: list[str] = []
    slow: list[str] = []
    SENT["pages"] += 1
    for role in _roles(route):
        matrix.role = role
        url = reverse(route.name, kwargs=route.kwargs(matrix) if route.kwargs else None)
        # The audit walk and the access matrix open the same pages as the same
        # roles on the same world: a page one of them opened is not opened again.
        html = world.page(_client(role), role, url, route.data)
        if html is None:
            continue
        reader = FormReader(f"http://testserver{url}")
        reader.feed(html)
        client = _client(role)
        for form in reader.forms:
            if urlsplit(form.action).netloc not in ("", "testserver"):
                continue
            if (role, *form.key()) in FUZZED:
                continue
            FUZZED.add((role, *form.key()))
            SENT["forms"] += 1
            for label, data in _variants(form):
                SENT["requests"] += 1
                started = time.monotonic()
                session = client.cookies.get("sessionid")
                with transaction.atomic():
                    response = _send(client, form, data)
                    transaction.set_rollback(True)
                if client.cookies.get("sessionid") != session:
                    # Signed out (or the session replaced): the rollback restored
                    # the old session, but this client no longer holds it.
                    client = _client(role)
                took = time.monotonic() - started
                if took > 5:
                    slow.append(f"{form.action} {label} {took:.1f}s")
                if (problem := _problem(response)) is not None:
                    problems.append(
                        f"{role} {form.method.upper()} {urlsplit(form.action).path} "
                        f"[{label}]: {problem}"
                    )
    if slow:
        print("slow:", *slow, sep="\n  ")
    assert problems == [], "\n".join(problems)


def test_the_walk_fuzzed_the_forms_it_found():
    """Runs after the walk above (pytest keeps the order within a module): it must
    have found and sent forms, or the walk is broken (no page opened, no form read)."""
    print(f"{SENT['forms']} forms sent {SENT['requests']} hostile requests")
    if SENT["pages"] == len(GET_PAGES):  # the whole walk ran (not a -k selection)
        assert SENT["forms"] > 100, SENT
