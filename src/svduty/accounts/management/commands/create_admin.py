"""`svduty create_admin`: the first system administrator of a new installation.

Prints a one-time link to choose a password (the same invitation mechanism as every
other account), so no password ever passes through the command line.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from svduty.accounts.models import Agency, AgencyType, Invitation, Membership, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Role
from svduty.core.guard import writes_allowed


class Command(BaseCommand):
    help = "Create a system administrator and print their one-time invitation link."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--agency",
            required=True,
            help="Agency name (created if it does not exist).",
        )
        parser.add_argument(
            "--agency-type",
            default=AgencyType.LOCAL_AUTHORITY,
            choices=[c.value for c in AgencyType],
        )

    @transaction.atomic
    def handle(self, *args, username, full_name, email, agency, agency_type, **options):
        username = username.strip().lower()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username} already exists.")
        with writes_allowed(
            "create_admin, run by an operator, sets up the first administrator and "
            "audits it here"
        ):
            agency_obj, _ = Agency.objects.get_or_create(
                name=agency, defaults={"agency_type": agency_type}
            )
            user = User(
                username=username,
                full_name=full_name,
                email=email,
                roles=[Role.SYSTEM_ADMIN.value],
                is_active=False,
            )
            user.set_unusable_password()
            user.save()
            Membership.objects.create(user=user, agency=agency_obj, is_primary=True)
            _invitation, raw = Invitation.objects.model.create_for(
                user=user, invited_by=user
            )
        record(
            AuditAction.ACCOUNT_INVITED,
            actor_label="command line",
            target=user,
            detail={"roles": user.roles},
        )
        link = settings.SITE_URL.rstrip("/") + reverse(
            "accounts:accept_invitation", args=[raw]
        )
        self.stdout.write(
            f"Administrator {username} created. Send them this one-time link "
            f"(valid 7 days):\n{link}"
        )
