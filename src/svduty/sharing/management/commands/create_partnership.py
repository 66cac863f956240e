"""`svduty create_partnership SLUG --name NAME [--area ONS_CODE ...]`."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from svduty.partnership.actions import set_up_partnership

ONS_AREA = re.compile(r"^[EW]0[6-9]\d{6}$")


class Command(BaseCommand):
    help = "Create a partnership (or add areas to an existing one with the same slug)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--area",
            action="append",
            default=[],
            metavar="ONS_CODE",
            help="A local authority district code it covers, e.g. E06000001 "
            "(repeat for several)",
        )
        parser.add_argument(
            "--area-name",
            action="append",
            default=[],
            metavar="NAME",
            help="The name of each new --area, in the same order",
        )

    def handle(self, *args, slug, name, area, area_name, **options):
        if not re.fullmatch(r"[a-z0-9-]{1,60}", slug):
            raise CommandError(
                "The slug must be 1 to 60 lower-case letters, numbers and hyphens"
            )
        bad = [code for code in area if not ONS_AREA.match(code)]
        if bad:
            raise CommandError(
                f"These are not local authority district codes: {', '.join(bad)}"
            )
        try:
            partnership, created = set_up_partnership(
                slug=slug,
                name=name,
                areas=[
                    (code, area_name[index] if index < len(area_name) else code)
                    for index, code in enumerate(area)
                ],
                actor_label="command line",
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} partnership ‘{partnership.name}’ ({slug}) covering "
            f"{partnership.areas.count()} area(s)"
        )
