"""The review pages: a pair side by side with its explanation, a decision, undoing
a merge, thresholds and monitoring, and the child's linked records panel."""

from __future__ import annotations

from svduty.audit.models import AuditAction, AuditEvent
from svduty.cases.models import TeamRole
from svduty.core.authorisation import Role
from svduty.core.guard import writes_allowed
from svduty.linkage.models import CandidatePair, LinkageSettings, MergeEvent, PairStatus
from svduty.linkage.runs import run_linkage
from tests.factories.cases import person_on_team

from .helpers import ROBIN, import_rows, record


def _robin_world(analyst, partnership, agreement, council, tmp_path, make_user):
    worker = make_user(Role.PRACTITIONER, agency=council)
    robin = person_on_team(
        worker,
        partnership=partnership,
        role=TeamRole.LEAD,
        first_name="Robin",
        last_name="Testperson",
    )
    import_rows(
        analyst,
        partnership,
        agreement,
        tmp_path,
        [
            # A partner record close enough to be queued, not linked automatically.
            {
                **ROBIN,
                "agency_code": "ED",
                "local_id": "E7",
                "forenames": "Robyn",
                "postcode": "TS5 7QQ",
            },
        ],
    )
    LinkageSettings.objects.create(
        partnership=partnership, accept_above=0.999999, review_above=0.05
    )
    run_linkage(by=analyst, partnership=partnership)
    return worker, robin


def test_review_a_pair_and_see_it_on_the_childs_record(
    analyst, partnership, agreement, council, tmp_path, make_user, client_for
):
    worker, robin = _robin_world(
        analyst, partnership, agreement, council, tmp_path, make_user
    )
    pair = CandidatePair.objects.get(status=PairStatus.QUEUED)
    reviewer = client_for(analyst)
    queue = reviewer.get("/linkage/")
    assert queue.status_code == 200
    assert f"Pair {pair.pk}".encode() in queue.content
    page = reviewer.get(f"/linkage/pairs/{pair.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "How the match weight adds up" in text
    assert "Robyn" in text
    # The analyst is not on Robin's case team: the child's own record is hidden.
    assert (
        "a child&#x27;s record in svduty that you cannot open" in text
        or "child's record in svduty that you cannot open" in text
    )
    assert (
        reviewer.post(
            f"/linkage/pairs/{pair.pk}/", {"verdict": "not_match"}
        ).status_code
        == 200
    )  # a reason is needed
    response = reviewer.post(f"/linkage/pairs/{pair.pk}/", {"verdict": "match"})
    assert response.status_code == 302
    panel = client_for(worker).get(f"/linkage/children/{robin.pk}/records/")
    assert panel.status_code == 200
    assert b">E7<" in panel.content
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        target_id=str(robin.pk),
        detail__page="records held by partner agencies",
    ).exists()
    merge = MergeEvent.objects.get(pair=pair)
    assert (
        reviewer.post(f"/linkage/merges/{merge.pk}/undo/", {"reason": ""}).status_code
        == 200
    )
    response = reviewer.post(
        f"/linkage/merges/{merge.pk}/undo/", {"reason": "Different child"}
    )
    assert response.status_code == 302
    panel = client_for(worker).get(f"/linkage/children/{robin.pk}/records/")
    assert b">E7<" not in panel.content
    assert record("ED", "E7").decision == "review"


def test_monitoring_shows_rates_and_saves_thresholds(
    analyst, partnership, agreement, council, tmp_path, make_user, client_for
):
    _robin_world(analyst, partnership, agreement, council, tmp_path, make_user)
    client = client_for(analyst)
    page = client.get("/linkage/monitoring/")
    assert page.status_code == 200
    assert b"By ethnicity" in page.content
    bad = client.post(
        "/linkage/monitoring/", {"accept_above": "0.5", "review_above": "0.9"}
    )
    assert bad.status_code == 200 and b"Error:" in bad.content
    good = client.post(
        "/linkage/monitoring/", {"accept_above": "0.97", "review_above": "0.7"}
    )
    assert good.status_code == 302
    assert LinkageSettings.objects.get(partnership=partnership).accept_above == 0.97


def test_monitoring_estimates_error_rates_by_group(
    analyst, partnership, agreement, council, tmp_path, make_user, client_for
):
    _robin_world(analyst, partnership, agreement, council, tmp_path, make_user)
    client = client_for(analyst)
    text = client.get("/linkage/monitoring/").content.decode()
    assert "Estimated wrong links" in text and "Estimated missed links" in text
    # Robyn's one pair waits for review: all her expected true pairs are unlinked.
    assert "No links" in text and "100.00%" in text
    with writes_allowed("test: the same pair as if linked automatically at 0.9"):
        CandidatePair.objects.filter(partnership=partnership).update(
            status=PairStatus.AUTO_MATCH, probability=0.9
        )
    text = client.get("/linkage/monitoring/").content.decode()
    assert "10.00%" in text  # one in ten such links expected wrong
    assert "0.00%" in text and "100.00%" not in text


def test_someone_off_the_case_team_gets_404_for_the_panel(
    analyst, partnership, agreement, council, tmp_path, make_user, client_for
):
    _, robin = _robin_world(
        analyst, partnership, agreement, council, tmp_path, make_user
    )
    stranger = make_user(Role.PRACTITIONER, agency=council)
    assert (
        client_for(stranger).get(f"/linkage/children/{robin.pk}/records/").status_code
        == 404
    )
