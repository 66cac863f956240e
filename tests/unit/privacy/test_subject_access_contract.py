"""The subject access contract (issue 14, point 11): every model that holds personal
data about a person is listed by a subject access source or declared out of scope
with a reason. A new app, or a new model in an old one, that holds personal data
and is not registered fails here, naming the model and why it counts."""

from __future__ import annotations

from django.db import models

from svduty.privacy import subject_access
from svduty.privacy.subject_access import (
    not_subject_data,
    personal_data_models,
    uncovered_models,
)


def test_every_model_holding_personal_data_is_covered():
    gaps = uncovered_models()
    assert gaps == {}, (
        "These models hold personal data but subject access does not list them: "
        "register a SubjectSource naming them (privacy.subject_access), or "
        f"register_not_subject_data with a reason: {gaps}"
    )


def test_the_contract_sees_the_apps_the_issue_names():
    found = personal_data_models()
    for label in (
        "cases.person",
        "meetings.minutepart",
        "meetings.decision",
        "places.placechild",
        "services.servicereferral",
        "services.returninterview",
        "linkage.personrecord",
        "linkage.candidatepair",
        "svro.holder",
        "svro.order",
        "evidence.samplecase",
    ):
        assert label in found, label
    # Staff accounts and organisations are not subjects of the case work.
    assert not any(label.startswith("accounts.") for label in found)


def test_a_forgotten_source_is_a_failure(monkeypatch):
    sources = dict(subject_access._SOURCES)
    del sources["meetings"]
    monkeypatch.setattr(subject_access, "_SOURCES", sources)
    gaps = uncovered_models()
    assert {
        "meetings.agendaitem",
        "meetings.minutepart",
        "meetings.decision",
        "meetings.decisionaction",
    } <= set(gaps)
    assert "cases.person" in gaps["meetings.minutepart"]


def test_a_new_model_with_a_name_field_is_caught(monkeypatch):
    class Stray(models.Model):
        surname = models.CharField(max_length=50)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.surname

    Stray.__module__ = "svduty.privacy.models"
    try:
        assert "privacy.stray" in uncovered_models()
    finally:
        from django.apps import apps

        del apps.all_models["privacy"]["stray"]
        apps.clear_cache()


def test_every_exemption_names_a_detected_model_and_a_reason():
    found = personal_data_models()
    for label, reason in not_subject_data().items():
        assert label in found, f"{label} is exempted but holds no personal data"
        assert len(reason) > 20
