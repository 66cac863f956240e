"""Documents uploaded as self-assessment evidence (issue 12 point 2): type read from
the contents and matched to the name, size limit, clear errors (never a 500), kept
under MEDIA_ROOT/evidence, listed on the outcome's page, downloaded only within the
partnership and audited."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.evidence import actions
from svduty.evidence.models import EvidenceLink
from tests.factories.cases import practitioner
from tests.factories.evidence import evidence_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    found = evidence_world()
    found.sa = actions.save_self_assessment(
        by=found.lead,
        partnership=found.partnership,
        outcome=4,
        grade="adequate",
        narrative="Most assessments are on time.",
        owner=found.lead,
        review_on=found.today + dt.timedelta(days=90),
    )
    found.tmp = tmp_path
    return found


def _upload(client, world, name, content, **extra):
    url = reverse("evidence:evidence_add", args=[4])
    data = {"title": "Audit report", "document": SimpleUploadedFile(name, content)}
    data.update(extra)
    return client.post(f"{url}?partnership={world.partnership.pk}", data)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PDF),
        ("plan.docx", _zip("[Content_Types].xml", "word/document.xml")),
        ("figures.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml")),
        ("list.csv", b"month,count\n2026-01,4\n"),
        ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ],
)
def test_each_accepted_type_is_stored_listed_and_downloaded(
    world, client_for, name, content
):
    client = client_for(world.lead)
    response = _upload(client, world, name, content)
    assert response.status_code == 302
    link = EvidenceLink.objects.get(self_assessment=world.sa)
    assert link.document_name == name and link.document_size == len(content)
    stored = world.tmp / link.document
    assert link.document.startswith("evidence/") and stored.read_bytes() == content
    assert name not in link.document  # a random name on disk

    page = client.get(
        reverse("evidence:outcome", args=[4]),
        {"partnership": world.partnership.pk},
    ).content.decode()
    download = reverse("evidence:evidence_document", args=[link.pk])
    assert download in page and name in page

    got = client.get(download)
    assert got.status_code == 200 and got.content == content
    assert name in got["Content-Disposition"]
    assert got["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(
        target_type="evidence.evidencelink", target_id=str(link.pk), action="export"
    )
    assert event.detail["document"] == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "must be a PDF, Word document"),
        ("report.pdf", b"MZ\x90\x00", "its contents are not one"),
        ("report.pdf", b"", "The selected file is empty"),
        ("plan.docx", b"PK\x03\x04 not really a zip", "its contents are not one"),
        ("figures.xlsx", _zip("word/document.xml"), "its contents are not one"),
        ("list.csv", b"\x00\x01\x02binary", "its contents are not one"),
        ("chart.png", PDF, "its contents are not one"),
    ],
)
def test_wrong_or_malformed_files_get_a_clear_error(
    world, client_for, name, content, message
):
    response = _upload(client_for(world.lead), world, name, content)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "govuk-error-summary" in body
    assert not EvidenceLink.objects.exists()
    assert not (world.tmp / "evidence").exists() or not any(
        (world.tmp / "evidence").iterdir()
    )


def test_size_limit_and_rules_in_the_action_and_database(world, settings):
    settings.EVIDENCE_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(Exception, match="must be smaller than"):
        actions.add_evidence_link(
            by=world.lead,
            self_assessment=world.sa,
            title="Too big",
            document=SimpleUploadedFile("big.pdf", PDF),
        )
    # Neither a link, a note nor a document: refused by the action and the database.
    with pytest.raises(Exception, match="upload a document"):
        actions.add_evidence_link(by=world.lead, self_assessment=world.sa, title="X")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceLink.objects.create(
            self_assessment=world.sa, title="Empty", added_by=world.lead
        )
    # A document must be described (type, name, size).
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceLink.objects.create(
            self_assessment=world.sa,
            title="Half",
            document="evidence/x.pdf",
            added_by=world.lead,
        )


def test_download_is_scoped_to_the_partnership(world, client_for):
    link = actions.add_evidence_link(
        by=world.lead,
        self_assessment=world.sa,
        title="Audit",
        document=SimpleUploadedFile("audit.pdf", PDF),
    )
    url = reverse("evidence:evidence_document", args=[link.pk])
    other = evidence_world("Elsewhere")
    assert client_for(other.lead).get(url).status_code == 404
    assert client_for(world.teacher).get(url).status_code == 403
    analyst = practitioner(world.council, Role.ANALYST)
    allowed = client_for(analyst).get(url)
    assert allowed.status_code == 200
    assert allowed.content == PDF
    plain = actions.add_evidence_link(
        by=world.lead, self_assessment=world.sa, title="Note", note="On the drive"
    )
    no_document = reverse("evidence:evidence_document", args=[plain.pk])
    assert client_for(world.lead).get(no_document).status_code == 404
    assert not AuditEvent.objects.filter(
        target_type="evidence.evidencelink", action="export", actor_id=other.lead.pk
    ).exists()


def _stored_files(world) -> list:
    folder = world.tmp / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_rollback_around_the_action_removes_the_stored_document(world):
    """The action commits nothing by itself when called inside a caller's
    transaction: if that caller rolls back after the document is stored, the row
    is gone and so must the file be."""
    with pytest.raises(RuntimeError, match="caller failed"), transaction.atomic():
        link = actions.add_evidence_link(
            by=world.lead,
            self_assessment=world.sa,
            title="Audit",
            document=SimpleUploadedFile("audit.pdf", PDF),
        )
        assert (world.tmp / link.document).read_bytes() == PDF
        raise RuntimeError("caller failed")
    assert not EvidenceLink.objects.exists()
    assert _stored_files(world) == []


def test_a_failure_inside_the_action_after_storing_removes_the_document(
    world, monkeypatch
):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("svduty.evidence.actions.assessment.record", broken_audit)
    with pytest.raises(RuntimeError, match="audit trail unavailable"):
        actions.add_evidence_link(
            by=world.lead,
            self_assessment=world.sa,
            title="Audit",
            document=SimpleUploadedFile("audit.pdf", PDF),
        )
    assert not EvidenceLink.objects.exists()
    assert _stored_files(world) == []


def test_a_committed_document_stays(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = actions.add_evidence_link(
            by=world.lead,
            self_assessment=world.sa,
            title="Audit",
            document=SimpleUploadedFile("audit.pdf", PDF),
        )
    # Committed: a later rollback of something else leaves it alone.
    with pytest.raises(RuntimeError), transaction.atomic():
        raise RuntimeError("unrelated")
    import gc

    gc.collect()
    assert _stored_files(world) == [world.tmp / link.document]


def test_tests_store_documents_in_the_run_s_temporary_folder(db, tmp_path_factory):
    """The access matrix's documents (tests/access/evidence.py), stored as the
    matrix world stores them, land in the run's temporary folder (tests/conftest.py
    `media_root`, in place for every test without asking), not under var/data."""
    from django.conf import settings

    from svduty.config.settings import PROJECT_ROOT
    from svduty.evidence import documents
    from tests.access.evidence import _document

    run_folder = tmp_path_factory.getbasetemp().resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media.is_relative_to(run_folder)
    assert not media.is_relative_to(PROJECT_ROOT.resolve())
    assert Path(settings.SNAPSHOT_DIR).resolve().is_relative_to(run_folder)
    found = evidence_world()
    link = _document(found.partnership, found.lead)
    stored = documents.path_of(link.document)
    assert stored.read_bytes().startswith(b"%PDF")
    assert stored.is_relative_to(run_folder)
