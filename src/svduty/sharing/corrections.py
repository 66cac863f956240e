"""Telling recipients that shared data they received has been corrected (issue 9,
build 3).

A file shared under an agreement that replaces rows of earlier files (the provider
sending corrected data for the same periods) is a correction of data the recipients
already hold: the people in the agreement's recipient agencies who may see the
analysis, and whoever imported the earlier files, are told by e-mail once the import
commits. Open data (police.uk and the reference tables) is not shared under an
agreement, so replacing it tells nobody.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from svduty.accounts.models import User
from svduty.core.authorisation import ROLE_PERMISSIONS, Permission

from .models import ImportBatch


def correction_recipients(batch: ImportBatch, replaced: dict[int, int]) -> list[str]:
    """E-mail addresses of the people who received the data the batch corrects."""
    earlier = list(
        ImportBatch.objects.filter(pk__in=[pk for pk, n in replaced.items() if n])
        .select_related("imported_by", "agreement")
        .prefetch_related("agreement__parties", "agreement__providers")
    )
    shared = [b for b in earlier if b.agreement_id is not None]
    if not shared and batch.agreement_id is None:
        return []
    agreements = {b.agreement for b in shared if b.agreement is not None}
    if batch.agreement is not None:
        agreements.add(batch.agreement)
    recipient_agencies = {
        agency.pk
        for agreement in agreements
        for agency in agreement.parties.all()
        if agency not in agreement.providers.all()
    }
    roles = [
        role.value
        for role, permissions in ROLE_PERMISSIONS.items()
        if Permission.VIEW_ANALYSIS in permissions
    ]
    users = User.objects.filter(
        is_active=True,
        roles__overlap=roles,
        memberships__agency_id__in=recipient_agencies,
        memberships__agency__partnership_memberships__partnership_id=(
            batch.partnership_id
        ),
    ).distinct()
    emails = {u.email for u in users if u.email}
    emails |= {
        b.imported_by.email
        for b in shared
        if b.imported_by.is_active and b.imported_by.email
    }
    emails.discard(batch.imported_by.email)
    return sorted(emails)


def tell_recipients_of_correction(batch: ImportBatch, replaced: dict[int, int]) -> int:
    """E-mail the recipients once the import commits; returns how many are told."""
    recipients = correction_recipients(batch, replaced)
    if not recipients:
        return 0
    count = sum(replaced.values())
    earlier = ", ".join(
        f"{b.file_name} (imported {b.created_at:%-d %B %Y})"
        for b in ImportBatch.objects.filter(pk__in=replaced).order_by("pk")
    )
    subject = (
        f"Shared data corrected: {batch.get_kind_display()} for {batch.partnership}"
    )
    body = (
        f"{batch.imported_by.get_full_name() or batch.imported_by.username} imported "
        f"{batch.file_name} for {batch.partnership}. It replaces {count:,} rows of "
        f"data you received earlier: {earlier}.\n\n"
        "Figures built on the earlier rows change when the analysis is next "
        "rebuilt. A signed-off needs assessment keeps the data snapshot it was "
        "signed off on; check whether it needs a new version.\n"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            fail_silently=True,
        )
    )
    return len(recipients)


# --- Withdrawal (issue 9, build 3: "recipients are told when shared data they received
# is corrected or withdrawn") ----------------------------------------------------------


def withdrawal_recipients(agreement) -> list[str]:
    """The people told when an agreement is withdrawn: those in every party but
    the one withdrawing who may see the analysis (the data's recipients, and the
    other providers), and whoever imported data under it."""
    roles = [
        role.value
        for role, permissions in ROLE_PERMISSIONS.items()
        if Permission.VIEW_ANALYSIS in permissions
    ]
    agencies = [
        a.pk for a in agreement.parties.all() if a.pk != agreement.withdrawn_for_id
    ]
    users = User.objects.filter(
        is_active=True,
        roles__overlap=roles,
        memberships__agency_id__in=agencies,
        memberships__agency__partnership_memberships__partnership_id=(
            agreement.partnership_id
        ),
    ).distinct()
    emails = {u.email for u in users if u.email}
    emails |= {
        b.imported_by.email
        for b in agreement.batches.select_related("imported_by")
        if b.imported_by.is_active and b.imported_by.email
    }
    if agreement.withdrawn_by is not None:
        emails.discard(agreement.withdrawn_by.email)
    return sorted(emails)


def tell_recipients_of_withdrawal(agreement, batches: int) -> int:
    """E-mail the recipients once the withdrawal commits; returns how many."""
    recipients = withdrawal_recipients(agreement)
    if not recipients:
        return 0
    subject = f"Data sharing agreement withdrawn: {agreement.title}"
    body = (
        f"{agreement.withdrawn_for} has withdrawn from the data sharing agreement "
        f"‘{agreement.title}’ ({agreement.partnership}). Reason given: "
        f"{agreement.withdrawal_reason}\n\n"
        f"The {batches} file{'s' if batches != 1 else ''} shared under it "
        f"{'are' if batches != 1 else 'is'} no longer used: svduty has taken "
        f"{'them' if batches != 1 else 'it'} out of the analysis, and nothing more "
        "can be imported under the agreement. Stop using any copy or export of the "
        "data you hold, and delete or return it as the agreement's retention terms "
        f"say: {agreement.retention_and_deletion}\n\n"
        "A signed-off needs assessment keeps the data snapshot it was signed off "
        "on; check whether it needs a new version.\n"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            fail_silently=True,
        )
    )
    return len(recipients)
