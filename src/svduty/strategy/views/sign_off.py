"""Sign-off pages: an authority signs off through someone of its own; the lead records
several authorities' sign-offs from one signed document; a sign-off is withdrawn; the
signed document is read back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import requires

from .. import actions
from ..forms import EvidenceSignOffForm, SignOffForm, WithdrawSignOffForm
from ..models import SignOff, SignOffEvidence
from .common import scoped_partnership, version_or_404


def _member(version, member_pk):
    for member in actions.required_signatories(version):
        if member.pk == member_pk:
            return member
    raise Http404


def _binding(version) -> dict:
    digest, definition = actions.current_binding(version)
    return {"digest": digest, "definition": definition}


@requires(Permission.SIGN_OFF_STRATEGY)
def sign_off(request, slug, number, member_pk):
    """Someone from the authority signs off the content as it is now."""
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    member = _member(version, member_pk)
    form = SignOffForm(
        request.POST or None,
        initial={"signed_by_name": request.user.full_name},
    )
    if form_action(
        request,
        form,
        lambda data: actions.record_sign_off(
            by=request.user, strategy_version=version, member=member, **data
        ),
    ):
        messages.success(request, f"Sign-off by {member.agency} recorded")
        return redirect("strategy:version", slug=slug, number=number)
    return render(
        request,
        "strategy/sign_off_form.html",
        {
            "partnership": partnership,
            "version": version,
            "member": member,
            "form": form,
            "own_agency": member.agency_id in request.user.agency_ids(),
            **_binding(version),
        },
    )


@requires(Permission.MANAGE_STRATEGY)
def sign_off_evidence(request, slug, number):
    """The lead records, from one signed document, every authority that signed it."""
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    unsigned = [m for m, s in actions.sign_off_status(version) if s is None]
    form = EvidenceSignOffForm(
        request.POST or None, request.FILES or None, members=unsigned
    )

    def record_all(data):
        entries = form.entries()
        if not entries:
            raise ValidationError("Enter who signed for at least one authority")
        document = data["document"]
        return actions.record_sign_offs_with_evidence(
            by=request.user,
            strategy_version=version,
            signatories=[
                actions.Signatory(member=m, name=name, role=role)
                for m, name, role in entries
            ],
            signed_on=data["signed_on"],
            file_name=document.name,
            content=document.read(actions.MAX_EVIDENCE_BYTES + 1),
        )

    if done := form_action(request, form, record_all):
        created = done.result
        messages.success(
            request,
            f"{len(created)} sign-off{'s' if len(created) != 1 else ''} recorded",
        )
        return redirect("strategy:version", slug=slug, number=number)
    return render(
        request,
        "strategy/sign_off_evidence_form.html",
        {
            "partnership": partnership,
            "version": version,
            "form": form,
            **_binding(version),
        },
    )


@requires(Permission.SIGN_OFF_STRATEGY)
def sign_off_withdraw(request, slug, number, pk):
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    sign_off = (
        SignOff.objects.filter(strategy_version=version, pk=pk)
        .select_related("member__agency")
        .first()
    )
    if sign_off is None:
        raise Http404
    form = WithdrawSignOffForm(request.POST or None)
    try:
        done = form_action(
            request,
            form,
            lambda data: actions.withdraw_sign_off(
                by=request.user, sign_off=sign_off, reason=data["reason"]
            ),
        )
    except PermissionDenied:
        raise Http404 from None
    if done:
        messages.success(request, f"Sign-off by {sign_off.member.agency} withdrawn")
        return redirect("strategy:version", slug=slug, number=number)
    return render(
        request,
        "strategy/sign_off_withdraw.html",
        {
            "partnership": partnership,
            "version": version,
            "sign_off": sign_off,
            "form": form,
        },
    )


@requires(Permission.VIEW_PARTNERSHIP)
def sign_off_document(request, slug, number, pk):
    """The signed document behind sign-offs. It names the people who signed, so
    reading it is recorded."""
    partnership = scoped_partnership(request, slug)
    version = version_or_404(request, partnership, number)
    evidence = SignOffEvidence.objects.filter(strategy_version=version, pk=pk).first()
    if evidence is None:
        raise Http404
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=evidence,
        detail={"strategy_version": version.number, "sha256": evidence.sha256},
    )
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=evidence.file_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
