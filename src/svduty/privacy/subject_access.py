"""Subject access (issue 14, point 11; UK GDPR Art 15, DPA 2018 s.45; requirement
L-11): everything held about one person, gathered from every app.

The privacy app imports no domain app, so apps register here in `AppConfig.ready()`:
- a *finder* (`register_subject_finder`): people matching a name, date of birth or
  identifier, as `Candidate`s (the cases app's people);
- *sources* (`register_subject_source`): for a person's id, the `SubjectItem`s an app
  holds about them. An item that may identify someone else (a relative's name, free
  text written by a professional) carries `third_party`, the reason it needs review;
  the DPO decides what to withhold before anything is exported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    subject_id: int
    label: str
    detail: str = ""


@dataclass(frozen=True)
class SubjectItem:
    #: Unique within the pack, stable between reviews ("cases.referral:12").
    key: str
    heading: str
    fields: tuple[tuple[str, str], ...]
    #: Why this item may identify someone other than the subject ("" if it cannot).
    third_party: str = ""


@dataclass(frozen=True)
class SubjectSource:
    key: str
    title: str
    collect: Callable[[int], list[SubjectItem]]


@dataclass
class Section:
    source: SubjectSource
    items: list[SubjectItem] = field(default_factory=list)


_FINDERS: list[Callable[[str], list[Candidate]]] = []
_SOURCES: dict[str, SubjectSource] = {}
_LABELLERS: list[Callable[[int], str | None]] = []


def register_subject_finder(
    find: Callable[[str], list[Candidate]], label: Callable[[int], str | None]
) -> None:
    if find not in _FINDERS:
        _FINDERS.append(find)
        _LABELLERS.append(label)


def register_subject_source(source: SubjectSource) -> None:
    _SOURCES[source.key] = source


def find_subjects(query: str) -> list[Candidate]:
    found: list[Candidate] = []
    for find in _FINDERS:
        found.extend(find(query))
    return found


def subject_label(subject_id: int) -> str | None:
    for label in _LABELLERS:
        text = label(subject_id)
        if text is not None:
            return text
    return None


def gather(subject_id: int) -> list[Section]:
    """Every registered source's items about the subject, in source order."""
    return [
        Section(source=source, items=source.collect(subject_id))
        for source in sorted(_SOURCES.values(), key=lambda s: s.key)
    ]


def third_party_keys(sections: list[Section]) -> set[str]:
    return {
        item.key for section in sections for item in section.items if item.third_party
    }
