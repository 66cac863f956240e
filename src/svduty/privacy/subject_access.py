"""Subject access (issue 14, point 11; UK GDPR Art 15, DPA 2018 s.45; requirement
L-11): everything held about one person, gathered from every app.

The privacy app imports no domain app, so apps register here in `AppConfig.ready()`:
- *finders* (`register_subject_finder`): people matching a name or an identifier, as
  `Candidate`s. A person may be held in several apps under different records: a
  child's record (cases), an order holder on the police register (svro), a partner
  agency's person record (linkage). Each finder names the kind of record it finds.
- *links* (`register_subject_link`): the other records that are the same person
  (an order holder linked to a child's record; partner records linked to it). A
  request gathers from every record reachable through links, so starting from any
  one of them gives the same pack.
- *sources* (`register_subject_source`): for those records, the `SubjectItem`s an app
  holds about the person, and the models whose rows it lists. An item that may
  identify someone else carries `third_party`, the reason it needs review; the DPO
  decides what to withhold before anything is exported.

**The contract** (`uncovered_models`): every model that holds personal data (a
foreign-key path to a record a finder finds, or a field such as a name or date of
birth) is listed by a source or declared out of scope with a reason
(`register_not_subject_data`). A test fails for any other, so an app that starts
holding personal data cannot be forgotten by subject access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


@dataclass(frozen=True, order=True)
class Subject:
    """One record of a person: the model's label ("cases.person") and its id."""

    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Identities:
    """Every record that is the same person, found from the request's subject."""

    subjects: frozenset[Subject]

    def ids(self, kind: str) -> list[int]:
        return sorted(s.id for s in self.subjects if s.kind == kind)


@dataclass(frozen=True)
class Candidate:
    subject_id: int
    label: str
    detail: str = ""
    #: The model label of the record found ("cases.person", "svro.holder", …).
    kind: str = "cases.person"
    #: What kind of record it is, for the DPO ("Child's record").
    held_as: str = ""


@dataclass(frozen=True)
class SubjectItem:
    #: Unique within the pack, stable between reviews ("cases.referral:12").
    key: str
    heading: str
    fields: tuple[tuple[str, str], ...]
    #: Why this item may identify someone other than the subject ("" if it cannot).
    third_party: str = ""
    #: The row this item copies, as "model_name:id" (a chronology entry written from
    #: meeting minutes): withholding that row withholds the copy too.
    copy_of: str = ""


@dataclass(frozen=True)
class SubjectSource:
    key: str
    title: str
    collect: Callable[[Identities], list[SubjectItem]]
    #: The models (lower-case labels) whose rows this source lists.
    models: tuple[str, ...] = ()


@dataclass
class Section:
    source: SubjectSource
    items: list[SubjectItem] = field(default_factory=list)


@dataclass(frozen=True)
class _Finder:
    kind: str
    find: Callable[[str], list[Candidate]]
    label: Callable[[int], str | None]


_FINDERS: dict[str, _Finder] = {}
_LINKS: list[Callable[[Subject], Iterable[Subject]]] = []
_SOURCES: dict[str, SubjectSource] = {}
_NOT_SUBJECT_DATA: dict[str, str] = {}

#: Field names that hold a person's identity wherever they appear.
PERSONAL_FIELD_NAMES = frozenset(
    {
        "first_name",
        "last_name",
        "surname",
        "forenames",
        "date_of_birth",
        "nhs_number",
        "upn",
        "pnc_id",
    }
)
#: Links through these apps do not make a model personal data about a subject:
#: users are staff, partnerships and agencies are organisations.
_NOT_SUBJECT_APPS = frozenset({"accounts", "partnership", "auth", "contenttypes"})
#: Links are followed this far; a person is never more than a few hops from another.
_MAX_IDENTITIES = 200


def register_subject_finder(
    find: Callable[[str], list[Candidate]],
    label: Callable[[int], str | None],
    *,
    kind: str = "cases.person",
) -> None:
    _FINDERS[kind] = _Finder(kind=kind, find=find, label=label)


def register_subject_link(link: Callable[[Subject], Iterable[Subject]]) -> None:
    if link not in _LINKS:
        _LINKS.append(link)


def register_subject_source(source: SubjectSource) -> None:
    _SOURCES[source.key] = source


def register_not_subject_data(model: str, reason: str) -> None:
    """Declare that a model's rows are not information about a data subject that a
    subject access pack must list, and why (read by the contract test)."""
    _NOT_SUBJECT_DATA[model.lower()] = reason


def subject_kinds() -> list[str]:
    return sorted(_FINDERS)


def find_subjects(query: str) -> list[Candidate]:
    found: list[Candidate] = []
    for kind in sorted(_FINDERS):
        found.extend(_FINDERS[kind].find(query))
    return found


def subject_label(subject: Subject) -> str | None:
    finder = _FINDERS.get(subject.kind)
    return finder.label(subject.id) if finder else None


def identities(subject: Subject) -> Identities:
    """The subject and every record linked to it, following links transitively."""
    seen = {subject}
    todo = [subject]
    while todo and len(seen) < _MAX_IDENTITIES:
        current = todo.pop()
        for link in _LINKS:
            for other in link(current):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return Identities(frozenset(seen))


def gather(subject: Subject) -> list[Section]:
    """Every registered source's items about the subject, in source order."""
    who = identities(subject)
    return [
        Section(source=source, items=source.collect(who))
        for source in sorted(_SOURCES.values(), key=lambda s: s.key)
    ]


def with_copies(sections: list[Section], withheld: Iterable[str]) -> set[str]:
    """The withheld keys and the keys of every item that copies a withheld row, so
    that what the DPO withholds cannot reach the subject through a copy."""
    keys = set(withheld)
    rows = {key.split(".", 1)[-1] for key in keys}
    for section in sections:
        for item in section.items:
            if item.copy_of and item.copy_of in rows:
                keys.add(item.key)
    return keys


def third_party_keys(sections: list[Section]) -> set[str]:
    return {
        item.key for section in sections for item in section.items if item.third_party
    }


# --- Items from model rows -------------------------------------------------------

FREE_TEXT = "free text written by professionals may mention other people"
#: Columns that are the system's own bookkeeping, not information about the person.
BOOKKEEPING = frozenset(
    {"id", "version", "last_name_key", "first_name_key", "pgh_context"}
)


def _text(obj: models.Model, model_field: models.Field) -> str:
    display = getattr(obj, f"get_{model_field.name}_display", None)
    if callable(display) and model_field.choices:
        return str(display())
    value = getattr(obj, model_field.name)
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {v}" for k, v in value.items())
    if hasattr(value, "strftime"):
        fmt = "%d %B %Y %H:%M" if hasattr(value, "hour") else "%d %B %Y"
        return value.strftime(fmt)
    return str(value)


def item_from(
    obj: models.Model,
    heading: str,
    third_party: str = "",
    *,
    skip: Iterable[str] = (),
) -> SubjectItem:
    """An item listing every filled column of a row. Free text may mention other
    people, so a row with a filled text column is marked for review."""
    omitted = BOOKKEEPING | set(skip)
    fields = []
    free_text = False
    for model_field in obj._meta.concrete_fields:
        if model_field.name in omitted:
            continue
        text = _text(obj, model_field)
        if not text:
            continue
        if isinstance(model_field, models.TextField):
            free_text = True
        fields.append((str(model_field.verbose_name).capitalize(), text))
    return SubjectItem(
        key=f"{obj._meta.label_lower}:{obj.pk}",
        heading=heading,
        fields=tuple(fields),
        third_party=third_party or (FREE_TEXT if free_text else ""),
    )


# --- The contract ------------------------------------------------------------------


def _is_history(model: type[models.Model]) -> bool:
    return any(f.name == "pgh_obj" for f in model._meta.concrete_fields)


def personal_data_models() -> dict[str, str]:
    """Every project model holding personal data about a subject, with why: a
    foreign-key path to a record a finder finds, or an identity field."""
    roots = set(_FINDERS)
    # Auto-created many-to-many tables count too: a row there links a person to
    # another record (an assessment that names a child besides its subject).
    project = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("svduty.")
        and m._meta.app_label not in _NOT_SUBJECT_APPS
        and not _is_history(m)
    ]
    found: dict[str, str] = {}
    for model in project:
        label = model._meta.label_lower
        names = {f.name for f in model._meta.concrete_fields} & PERSONAL_FIELD_NAMES
        if label in roots:
            found[label] = "a record a subject access finder finds"
        elif names:
            found[label] = f"holds {', '.join(sorted(names))}"
    changed = True
    while changed:
        changed = False
        for model in project:
            label = model._meta.label_lower
            if label in found:
                continue
            for fk in model._meta.concrete_fields:
                target = fk.related_model if fk.is_relation else None
                if target is None or isinstance(target, str):
                    continue
                target_label = target._meta.label_lower
                if target_label in found and target_label != label:
                    found[label] = f"points at {target_label} ({fk.name})"
                    changed = True
                    break
    return found


def covered_models() -> set[str]:
    return {m.lower() for s in _SOURCES.values() for m in s.models}


def uncovered_models() -> dict[str, str]:
    """Models holding personal data that no source lists and none declared out of
    scope: each is a gap in subject access."""
    covered = covered_models() | set(_NOT_SUBJECT_DATA)
    return {
        label: why
        for label, why in personal_data_models().items()
        if label not in covered
    }


def not_subject_data() -> dict[str, str]:
    return dict(_NOT_SUBJECT_DATA)
