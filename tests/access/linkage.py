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
    from svduty.linkage.models import (
        CandidatePair,
        LinkageRun,
        LinkedPerson,
        MergeEvent,
        PairStatus,
        PersonRecord,
    )
    from tests.factories.cases import partnership_with, person_on_team

    partnership = partnership_with(ctx.agency, name="Matrix Partnership")
    lead = ctx.users[Role.PRACTITIONER]
    child = person_on_team(lead, partnership=partnership, first_name="Linked")
    analyst = ctx.users[Role.ANALYST]
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
    ctx.linkage = SimpleNamespace(child=child, pair=pair, merge=merge)


ROUTES = [
    Route("linkage:queue", allowed=REVIEWERS),
    Route(
        "linkage:pair", allowed=REVIEWERS, kwargs=lambda c: {"pk": c.linkage.pair.pk}
    ),
    Route(
        "linkage:unmerge",
        allowed=REVIEWERS,
        kwargs=lambda c: {"pk": c.linkage.merge.pk},
    ),
    Route("linkage:monitoring", allowed=REVIEWERS),
    Route(
        "linkage:record_panel",
        allowed=CASEWORK,
        kwargs=lambda c: {"pk": c.linkage.child.pk},
        note="The partner records linked with the child, loaded into the child's "
        "record.",
    ),
]
