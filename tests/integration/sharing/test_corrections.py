"""Recipients are told when shared data they received is corrected (issue 9, build
3): a file under an agreement that replaces rows of an earlier file e-mails the
recipient agencies' analysts and the earlier importer; replacing open data tells
nobody."""

from __future__ import annotations

import pytest

from svduty.core.authorisation import Role
from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus
from tests.factories.sharing import AgreementFactory, street_row, write_street_csv

HEADER = (
    "reporting_period_start,reporting_period_end,site_code,arrival_datetime,"
    "assault_datetime,assault_method,assault_method_other,assault_location_type,"
    "assault_location_description\n"
)


def _istv(path, methods):
    path.write_text(
        HEADER
        + "".join(
            f"2022-01-01,2022-01-31,RVW01,2022-01-0{i + 1} 23:10,"
            f"2022-01-0{i + 1} 22:40,{method},,street,\n"
            for i, method in enumerate(methods)
        )
    )
    return path


@pytest.fixture
def shared(partnership, police, council, analyst):
    agreement = AgreementFactory(
        partnership=partnership,
        parties=[police, council],
        created_by=analyst,
        title="ED assaults",
    )
    agreement.providers.set([police])
    return agreement


def test_a_correction_tells_the_recipients_after_the_commit(
    analyst,
    partnership,
    shared,
    council,
    police,
    make_user,
    tmp_path,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    colleague = make_user(Role.ANALYST, agency=council, email="colleague@example.org")
    make_user(Role.ANALYST, agency=police, email="provider@example.org")
    analyst.email = "first@example.org"
    analyst.save()
    first = run_import(
        by=analyst,
        partnership=partnership,
        kind="istv",
        path=_istv(tmp_path / "a.csv", ["body_part", "body_part"]),
        agreement=shared,
    )
    assert first.status == BatchStatus.SUCCEEDED, first.problems
    assert mailoutbox == []
    corrector = make_user(Role.ANALYST, agency=council, email="corrector@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        second = run_import(
            by=corrector,
            partnership=partnership,
            kind="istv",
            path=_istv(tmp_path / "b.csv", ["knife_or_sharp_object"]),
            agreement=shared,
        )
    assert second.status == BatchStatus.SUCCEEDED, second.problems
    assert "replace 2 rows" in second.message
    assert "2 people who received the earlier data have been told" in second.message
    [mail] = mailoutbox
    # The recipient agency's analysts and the earlier importer; not the provider's
    # staff, not the person who sent the correction.
    assert sorted(mail.to) == sorted([colleague.email, "first@example.org"])
    assert "a.csv" in mail.body and "replaces 2 rows" in mail.body


def test_replacing_open_data_tells_nobody(
    analyst, partnership, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for name, ids in (("old.csv", "ab"), ("new.csv", "cd")):
            run_import(
                by=analyst,
                partnership=partnership,
                kind="police_street",
                path=write_street_csv(
                    tmp_path / name, [street_row(crime_id=i) for i in ids]
                ),
            )
    assert mailoutbox == []


def test_the_import_page_shows_the_purpose_of_the_sharing(
    analyst, partnership, shared, tmp_path, client_for
):
    from django.urls import reverse

    batch = run_import(
        by=analyst,
        partnership=partnership,
        kind="istv",
        path=_istv(tmp_path / "a.csv", ["body_part"]),
        agreement=shared,
    )
    page = client_for(analyst).get(reverse("sharing:batch", args=[batch.pk]))
    text = page.content.decode()
    assert "Purpose of the sharing" in text
    assert shared.purpose in text
    assert "may be used only for this purpose" in text
