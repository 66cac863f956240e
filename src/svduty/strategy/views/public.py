"""The public pages: no sign-in, only what the partnership marked publishable (see
`publication.py`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from svduty.partnership.models import Partnership

from ..pdf import pdf_response, render_pdf
from ..publication import current_version, public_content, published_versions


def index(request):
    partnerships = (
        Partnership.objects.filter(strategy_versions__published_on__isnull=False)
        .distinct()
        .order_by("name")
    )
    rows = [(p, current_version(p)) for p in partnerships]
    return render(request, "strategy/public/index.html", {"rows": rows})


def _partnership(slug) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404
    return partnership


def _version(partnership, number=None):
    versions = published_versions(partnership)
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404
    return version


def detail(request, slug, number=None):
    partnership = _partnership(slug)
    version = _version(partnership, number)
    context = public_content(version)
    context["is_current"] = version == current_version(partnership)
    return render(request, "strategy/public/detail.html", context)


def pdf(request, slug, number=None):
    partnership = _partnership(slug)
    version = _version(partnership, number)
    context = public_content(version)
    content = render_pdf("strategy/public/strategy_pdf.html", context, request=request)
    return pdf_response(content, f"{partnership.slug}-strategy-v{version.number}.pdf")
