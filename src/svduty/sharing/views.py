"""Information sharing pages: imports (list, upload, progress and result) and the
register of data sharing agreements."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.background import stuck_message
from svduty.core.exports import csv_response
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.partnership.models import Partnership

from . import actions, imports
from .forms import (
    AgreementFilterForm,
    AgreementForm,
    UploadForm,
    WithdrawAgreementForm,
)
from .models import (
    REVIEW_WARNING,
    AgreementStatus,
    BatchStatus,
    DataSharingAgreement,
    ImportBatch,
)
from .readers import KINDS
from .tasks import import_file
from .uploads import upload_refusal

AGREEMENT_TAG_COLOURS = {
    AgreementStatus.ACTIVE: "green",
    AgreementStatus.DUE_FOR_REVIEW: "orange",
    AgreementStatus.NOT_SIGNED_OFF: "yellow",
    AgreementStatus.NOT_STARTED: "blue",
    AgreementStatus.EXPIRED: "grey",
    AgreementStatus.WITHDRAWN: "red",
}


def how_to_fix(problem: dict) -> str:
    """Plain-English next step for one problem, shown beside what is wrong."""
    row, column, message = problem.get("row"), problem.get("column"), problem["message"]
    if row is None and column is None:
        if message.startswith("Feature"):
            return "Correct that feature in the GeoJSON file, then upload it again."
        return (
            "Check you selected the right kind of file and saved it as described "
            "in the guidance, then upload it again."
        )
    if row == 1 or row is None:
        return (
            "Change the column headings to match the list for this kind of file, "
            "then upload the file again."
        )
    where = f"the ‘{column}’ value in row {row}" if column else f"row {row}"
    return f"Correct {where}, or delete the row, then upload the whole file again."


# --- Imports ---------------------------------------------------------------------


@requires(Permission.IMPORT_DATA)
def home(request):
    batches = (
        ImportBatch.objects.visible_to(request.user)
        .select_related("partnership", "imported_by", "agreement")
        .order_by("-created_at", "-pk")
    )
    partnership_slug = request.GET.get("partnership", "")
    partnerships = Partnership.objects.visible_to(request.user).order_by("name")
    if partnership_slug:
        batches = batches.filter(partnership__slug=partnership_slug)
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/home.html",
        {
            "page": page,
            "partnerships": partnerships,
            "partnership_slug": partnership_slug,
            "can_manage_agreements": has_permission(
                request.user, Permission.MANAGE_AGREEMENTS
            ),
        },
    )


@requires(Permission.IMPORT_DATA)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        upload_refusal=upload_refusal(request),
    )

    def queue(data):
        imports.check_agreement(
            partnership=data["partnership"],
            kind=data["kind"],
            agreement=data["agreement"],
        )
        return imports.save_and_queue(
            data["file"],
            lambda saved: imports.queue_import(
                by=signed_in_user(request),
                partnership=data["partnership"],
                kind=data["kind"],
                path=saved,
                file_name=data["file"].name,
                agreement=data["agreement"],
                upload_path=str(saved),
            ),
        )

    if done := form_action(request, form, queue):
        batch, upload = done.result
        if batch.status == BatchStatus.QUEUED:
            import_file.enqueue(batch.pk, str(upload))
        else:
            upload.unlink(missing_ok=True)
        return redirect("sharing:batch", pk=batch.pk)
    return render(
        request,
        "sharing/upload.html",
        {"form": form, "kinds": [k for k in KINDS.values() if k.upload_page]},
    )


def _batch_context(request, batch: ImportBatch) -> dict:
    problems = [{**p, "how_to_fix": how_to_fix(p)} for p in batch.problems]
    return {
        "batch": batch,
        "problems": problems,
        "kind": KINDS.get(batch.kind),
        "progress_url": reverse("sharing:batch_progress", args=[batch.pk]),
        "progress_text": progress_text(batch),
        "periods": [_period_text(p) for p in batch.periods],
    }


def _period_text(period) -> str:
    """["Cleveland Police", "2022-01-01"] → "Cleveland Police, January 2022"."""

    def month(text: str) -> str:
        try:
            return date_format(dt.date.fromisoformat(text), "F Y")
        except (TypeError, ValueError):
            return str(text)

    if isinstance(period, str):
        return month(period)
    if len(period) == 2:
        return f"{period[0]}, {month(period[1])}"
    return ", ".join(str(p) for p in period)


def _get_batch(request, pk) -> ImportBatch:
    return get_visible_or_404(
        ImportBatch.objects.select_related(
            "partnership",
            "imported_by",
            "agreement",
            "superseded_by",
            "duplicate_of",
        ),
        request.user,
        pk=pk,
    )


@requires(Permission.IMPORT_DATA)
def batch_detail(request, pk):
    batch = _get_batch(request, pk)
    imports.fail_if_interrupted(batch)
    return render(request, "sharing/batch.html", _batch_context(request, batch))


@requires(Permission.IMPORT_DATA)
def batch_progress(request, pk):
    """The progress panel alone, polled by htmx every second while importing."""
    batch = _get_batch(request, pk)
    imports.fail_if_interrupted(batch)
    response = render(
        request, "sharing/includes/progress.html", _batch_context(request, batch)
    )
    if batch.finished and request.headers.get("HX-Request"):
        # Show the whole result page (problems table, provenance) once it is done.
        response["HX-Refresh"] = "true"
    return response


@requires(Permission.IMPORT_DATA)
def batch_problems(request, pk):
    """The problems as a CSV, to work through in a spreadsheet (cells made safe)."""
    batch = _get_batch(request, pk)
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=batch,
        detail={"what": "import problems", "rows": len(batch.problems)},
    )
    rows = (
        [p.get("row"), p.get("column"), p["message"], how_to_fix(p)]
        for p in batch.problems
    )
    return csv_response(
        f"import-{batch.pk}-problems.csv",
        ["Row", "Column", "What is wrong", "How to fix it"],
        rows,
    )


# --- Agreements ------------------------------------------------------------------


@requires(Permission.MANAGE_AGREEMENTS)
def agreement_list(request):
    today = timezone.localdate()
    form = AgreementFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    agreements = (
        DataSharingAgreement.objects.visible_to(request.user)
        .select_related("partnership")
        .prefetch_related("parties")
        .order_by("partnership__name", "title")
    )
    due = list(agreements.due_for_review(today))
    if status == AgreementStatus.ACTIVE:
        agreements = agreements.active(today)
    elif status == AgreementStatus.EXPIRED:
        agreements = agreements.expired(today)
    elif status == AgreementStatus.DUE_FOR_REVIEW:
        agreements = agreements.due_for_review(today)
    rows = [
        {
            "agreement": a,
            "status": (s := a.status(today)),
            "colour": AGREEMENT_TAG_COLOURS[s],
        }
        for a in agreements
    ]
    return render(
        request,
        "sharing/agreement_list.html",
        {
            "form": form,
            "rows": rows,
            "due": due,
            "today": today,
            "warning_days": REVIEW_WARNING.days,
            "partnerships": Partnership.objects.visible_to(request.user).order_by(
                "name"
            ),
        },
    )


@requires(Permission.MANAGE_AGREEMENTS)
def agreement_detail(request, pk):
    agreement = get_visible_or_404(
        DataSharingAgreement.objects.select_related("partnership", "created_by"),
        request.user,
        pk=pk,
    )
    status = agreement.status()
    return render(
        request,
        "sharing/agreement_detail.html",
        {
            "agreement": agreement,
            "status": status,
            "colour": AGREEMENT_TAG_COLOURS[status],
            "parties": agreement.parties.order_by("name"),
            "providers": agreement.providers.order_by("name"),
            "batches": ImportBatch.objects.visible_to(request.user)
            .filter(agreement=agreement)
            .select_related("imported_by")
            .order_by("-created_at")[:20],
            "may_withdraw": agreement.withdrawn_at is None
            and agreement.parties.filter(pk__in=request.user.agency_ids()).exists(),
        },
    )


@requires(Permission.MANAGE_AGREEMENTS)
def agreement_create(request, slug):
    partnership = get_visible_or_404(Partnership.objects.all(), request.user, slug=slug)
    form = AgreementForm(request.POST or None, partnership=partnership)
    if done := form_action(
        request,
        form,
        lambda data: actions.create_agreement(
            by=request.user,
            partnership=partnership,
            parties=data["parties"],
            providers=data["providers"],
            **form.values(),
        ),
    ):
        agreement = done.result
        messages.success(request, f"Agreement ‘{agreement.title}’ added")
        return redirect("sharing:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "sharing/agreement_form.html",
        {"form": form, "partnership": partnership, "agreement": None},
    )


@requires(Permission.MANAGE_AGREEMENTS)
def agreement_edit(request, pk):
    agreement = get_visible_or_404(
        DataSharingAgreement.objects.select_related("partnership"),
        request.user,
        pk=pk,
    )
    form = AgreementForm(
        request.POST or None,
        initial=AgreementForm.initial_from(agreement),
        partnership=agreement.partnership,
    )
    if form_action(
        request,
        form,
        lambda data: actions.change_agreement(
            by=request.user,
            agreement=agreement,
            version=data.get("version") or 0,
            parties=data["parties"],
            providers=data["providers"],
            **form.values(),
        ),
    ):
        messages.success(request, "Agreement saved")
        return redirect("sharing:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "sharing/agreement_form.html",
        {"form": form, "partnership": agreement.partnership, "agreement": agreement},
    )


@requires(Permission.MANAGE_AGREEMENTS)
def agreement_withdraw(request, pk):
    """A party withdraws from the agreement: it ends, the data shared under it is
    no longer used, and the recipients are told."""
    agreement = get_visible_or_404(
        DataSharingAgreement.objects.select_related("partnership"),
        request.user,
        pk=pk,
    )
    if agreement.withdrawn_at is not None:
        return redirect("sharing:agreement_detail", pk=agreement.pk)
    form = WithdrawAgreementForm(
        request.POST or None,
        initial={"version": agreement.version},
        agreement=agreement,
        user=request.user,
    )
    if done := form_action(
        request,
        form,
        lambda data: actions.withdraw_agreement(
            by=request.user,
            agreement=agreement,
            version=data.get("version") or 0,
            agency=data["agency"],
            reason=data["reason"],
        ),
    ):
        told = getattr(done.result, "told", 0)
        messages.success(
            request,
            "Agreement withdrawn. The data shared under it is no longer used"
            + (
                f", and {told} {'person has' if told == 1 else 'people have'} been "
                "told by e-mail."
                if told
                else "."
            ),
        )
        return redirect("sharing:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "sharing/agreement_withdraw.html",
        {"form": form, "partnership": agreement.partnership, "agreement": agreement},
    )


def progress_text(batch: ImportBatch) -> str:
    """Used by the progress template and the command line."""
    if batch.stuck:
        return stuck_message()
    if batch.status == BatchStatus.QUEUED:
        return "Waiting to start."
    done = f"{batch.progress_rows:,}"
    if batch.rows_total and batch.status == BatchStatus.RUNNING:
        percent = min(99, round(100 * batch.progress_rows / batch.rows_total))
        return f"{done} of about {batch.rows_total:,} rows checked ({percent}%)."
    return f"{done} rows checked."
