"""Access matrix for record linkage (issue 13): reviewers (analysts and team
managers) see the queue, pairs, merges and monitoring of their partnerships; the
child's linked records show to those who may read the child's record."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from svduty.core.authorisation import Role

from . import Route

REVIEWERS = frozenset({Role.ANALYST, Role.TEAM_MANAGER})
CASEWORK = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})


def setup(ctx):
    from tests.factories.cases import partnership_with, person_on_team

    partnership = partnership_with(ctx.agency, name="Matrix Partnership")
    lead = ctx.users[Role.PRACTITIONER]
    child = person_on_team(lead, partnership=partnership, first_name="Linked")
    ctx.linkage = _records(child, ctx.users[Role.ANALYST])
    # Out of scope: the same records in another partnership, about its own child
    # (tests/access/cases.py's stranger).
    ctx.linkage_out = _records(ctx.cases_out.child, ctx.cases_out.lead)


def _records(child, analyst):
    """A queued candidate pair and a merge in the child's partnership, the child
    linked to one of the linked people."""
    from svduty.linkage.models import (
        CandidatePair,
        LinkageRun,
        LinkedPerson,
        MergeEvent,
        PairStatus,
        PersonRecord,
    )

    partnership = child.partnership
    people = [LinkedPerson.objects.create(partnership=partnership) for _ in range(2)]
    people[0].case_person = child
    people[0].save()
    records = [
        PersonRecord.objects.create(
            partnership=partnership,
            agency_code=agency,
            local_id=f"M{n}",
            forenames="Linked",
            surname="Child",
            date_of_birth=dt.date(2010, 5, 17),
            linked_person=people[n],
        )
        for n, agency in enumerate(["YJS", "ED"])
    ]
    run = LinkageRun.objects.create(
        partnership=partnership,
        started_by=analyst,
        accept_above=0.95,
        review_above=0.8,
    )
    pair = CandidatePair.objects.create(
        partnership=partnership,
        run=run,
        left=records[0],
        right=records[1],
        match_weight=3.0,
        probability=0.89,
        status=PairStatus.QUEUED,
        explanation=[
            {
                "comparison": "starting point",
                "level": "prior",
                "weight": 3.0,
                "words": "Prior",
            }
        ],
    )
    merge = MergeEvent.objects.create(
        partnership=partnership,
        kept=people[0],
        merged=people[1],
        records=[records[1].pk],
        by=analyst,
    )
    return SimpleNamespace(child=child, pair=pair, merge=merge, partnership=partnership)


ROUTES = [
    Route("linkage:queue", allowed=REVIEWERS),
    Route(
        "linkage:pair",
        allowed=REVIEWERS,
        kwargs=lambda c: {"pk": c.linkage.pair.pk},
        out_of_scope=lambda c: {"pk": c.linkage_out.pair.pk},
    ),
    Route(
        "linkage:unmerge",
        allowed=REVIEWERS,
        kwargs=lambda c: {"pk": c.linkage.merge.pk},
        out_of_scope=lambda c: {"pk": c.linkage_out.merge.pk},
    ),
    Route("linkage:monitoring", allowed=REVIEWERS),
    Route(
        "linkage:start_run",
        allowed=REVIEWERS,
        method="post",
        kwargs=lambda c: {"slug": c.linkage.partnership.slug},
        redirects_to="linkage:queue",
        out_of_scope=lambda c: {"slug": c.other_partnership.slug},
        note="The run button: queues a linkage run for the background worker.",
    ),
    Route(
        "linkage:record_panel",
        allowed=CASEWORK,
        kwargs=lambda c: {"pk": c.linkage.child.pk},
        out_of_scope=lambda c: {"pk": c.linkage_out.child.pk},
        note="The partner records linked with the child, loaded into the child's "
        "record.",
    ),
]
